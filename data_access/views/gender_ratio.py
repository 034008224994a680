"""The gender-ratio page: staff shares over time and the units' spread."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from data_access.db.catalogue import PARITY_BAND
from data_access.domain.filters import Filters
from data_access.queries.aggregate import aggregate
from data_access.views.common import codes, latest_period


def ratio_over_time(engine: Engine, f: Filters, by: str) -> pd.DataFrame:
    """period, year, <by columns>, staff_total, staff_female, staff_female_pct."""
    return aggregate(engine, f, by=(by, "period"), indicators=codes(("staff",)))


@dataclass
class UnitSpread:
    # One row per unit: staff_total, staff_female, staff_female_pct (unnamed: only the spread
    # is shown, and naming 50,000 units was most of the page's time).
    units: pd.DataFrame
    balanced_pct: float | None  # % of units whose female staff share lies in PARITY_BAND
    median_pct: float | None  # the median unit's female staff share


def unit_spread(engine: Engine, f: Filters) -> UnitSpread:
    """How the units of the selection spread by female share of staff, at its latest period."""
    period = latest_period(engine, f)
    units = (
        pd.DataFrame()
        if period is None
        else aggregate(
            engine,
            f.with_(periods=(period,)),
            by=("unit",),
            indicators=codes(("staff",)),
            units_in_period_set=True,
            named=False,
        )
    )
    if units.empty:
        return UnitSpread(units, None, None)
    shares = units["staff_female_pct"]
    low, high = PARITY_BAND
    return UnitSpread(units, float(100 * shares.between(low, high).mean()), float(shares.median()))
