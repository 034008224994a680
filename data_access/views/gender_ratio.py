"""The gender-ratio page: staff shares over time and the units' spread."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from data_access.db.catalogue import PARITY_BAND
from data_access.db.concurrent import Reads
from data_access.domain.filters import Filters
from data_access.queries.aggregate import aggregate, unit_figures
from data_access.views.common import codes, latest_period

# The spread's bins: five points of female share each, 0–100%.
BIN_POINTS = 5
BIN_EDGES = list(range(0, 100 + BIN_POINTS, BIN_POINTS))


def ratio_over_time(engine: Engine, f: Filters, by: str) -> pd.DataFrame:
    """period, year, <by columns>, staff_total, staff_female, staff_female_pct."""
    return aggregate(engine, f, by=(by, "period"), indicators=codes(("staff",)))


def latest_of(over_time: pd.DataFrame) -> str | None:
    """The last period of a ratio_over_time frame: the selection's latest period with figures
    (views.common.latest_period), since every report counts in some agency's row, in the same
    order (tests/test_gender_ratio_reuse.py)."""
    return None if over_time.empty else str(over_time["period"].iloc[-1])


def ratio_at(over_time: pd.DataFrame, period: str) -> pd.DataFrame:
    """The rows of `period` in a ratio_over_time frame: what ratio_over_time gives for that period
    alone (grouped by period, each period's rows are summed on their own), without another
    aggregate when the page reads the years anyway (tests/test_gender_ratio_reuse.py)."""
    return over_time[over_time["period"] == period].reset_index(drop=True)


@dataclass
class UnitSpread:
    # One row per unit: staff_total, staff_female, staff_female_pct (unnamed: only the spread
    # is shown, and naming 50,000 units was most of the page's time).
    units: pd.DataFrame
    balanced_pct: float | None  # % of units whose female staff share lies in PARITY_BAND
    median_pct: float | None  # the median unit's female staff share
    # The histogram's rows (share_bins): twenty rows drawn, not one per unit sent to the chart.
    bins: pd.DataFrame


def unit_spread(engine: Engine, f: Filters) -> UnitSpread:
    """How the units of the selection spread by female share of staff, at its latest period."""
    # One period selected (the page passes the latest): it is its own latest, or it has no
    # figures, which unit_figures finds as well; looking it up again was one aggregate more.
    period = f.periods[0] if len(f.periods) == 1 else latest_period(engine, f)
    staff = codes(("staff",))
    units = (
        pd.DataFrame({c: pd.Series(dtype="float64") for c in staff})
        if period is None
        else unit_figures(engine, f.with_(periods=(period,)), staff)
    )
    total = units["staff_total"]
    # As aggregate's with_shares: no share where nobody is counted.
    units["staff_female_pct"] = 100 * units["staff_female"] / total.where(total > 0)
    shares = units["staff_female_pct"]
    bins = share_bins(shares)
    if units.empty:
        return UnitSpread(units, None, None, bins)
    low, high = PARITY_BAND
    balanced = float(100 * shares.between(low, high).mean())
    return UnitSpread(units, balanced, float(shares.median()), bins)


@dataclass
class AtLatest:
    by_province: pd.DataFrame  # ratio_over_time of the latest period alone, by province
    spread: UnitSpread  # unit_spread at that period


def at_latest(engine: Engine, f: Filters, period: str) -> AtLatest:
    """The page's two reads of `period` (its latest), run at once (db.concurrent): the same
    frames as ratio_over_time(…, "province") and unit_spread of f at that period alone."""
    latest = f.with_(periods=(period,))
    with Reads() as reads:
        spread = reads.start(unit_spread, engine, latest)
        by_province = reads.start(ratio_over_time, engine, latest, "province")
    return AtLatest(by_province.result(), spread.result())


def share_bins(values: pd.Series) -> pd.DataFrame:
    """low, high, units, label ("40–45%"): how many of `values` (shares, 0–100) fall in each
    five-point bin; blanks are left out, and 100% counts in the last bin."""
    bins = pd.cut(values.dropna().clip(0, 100), BIN_EDGES, include_lowest=True, right=False)
    counts = bins.value_counts(sort=False)
    frame = pd.DataFrame(
        {"low": BIN_EDGES[:-1], "high": BIN_EDGES[1:], "units": counts.to_numpy(dtype="int64")}
    )
    # [95, 100) leaves out 100%: the last bin is closed, as Vega's own binning does
    frame.loc[frame.index[-1], "units"] += int((values == 100).sum())
    frame["label"] = frame["low"].astype(str) + "–" + frame["high"].astype(str) + "%"
    return frame
