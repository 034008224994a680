"""Shared by the page-panel modules: indicator codes of a pair group, targets, the latest period."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from data_access.db.catalogue import PairGroup
from data_access.domain.filters import Filters
from data_access.queries.aggregate import aggregate
from data_access.queries.lookups import load_catalogue
from data_access.registry import targets as target_table


def codes(pairs: Sequence[str]) -> list[str]:
    """Each pair's total and female indicator codes."""
    return [f"{p}_{side}" for p in pairs for side in ("total", "female")]


def group(engine: Engine, group: PairGroup) -> tuple[str, ...]:
    return load_catalogue(engine).group(group)


def targets(engine: Engine, agency: str | None = None) -> pd.DataFrame:
    """year, value_pct, label_vi, source: the Strategy 2021–2030 targets, or `agency`'s own
    when it has set them."""
    return target_table.in_force(engine, agency)


def one_agency(f: Filters) -> str | None:
    """The agency whose own targets replace the national ones: the only one selected."""
    chosen = f.agency_codes()
    return next(iter(chosen)) if chosen and len(chosen) == 1 else None


def target_for(year: int, table: pd.DataFrame) -> float | None:
    """The target in force for `year`: the first target year at or after it (60% to 2025, then 75%)."""
    ahead = table[table["year"] >= year]
    return float(ahead.iloc[0]["value_pct"]) if len(ahead) else None


def change(latest: pd.Series, previous: pd.Series | None, column: str) -> float | None:
    if previous is None or pd.isna(latest[column]) or pd.isna(previous[column]):
        return None
    return float(latest[column] - previous[column])


def number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def latest_period(engine: Engine, f: Filters) -> str | None:
    trend = aggregate(engine, f, by=("period",), indicators=["staff_total"])
    return None if trend.empty else str(trend.iloc[-1]["period"])


def unit_distribution(
    engine: Engine, f: Filters, pairs: Sequence[str] = ("staff",)
) -> pd.DataFrame:
    """One row per unit at the latest period of the selection, with the pairs' female shares."""
    period = latest_period(engine, f)
    if period is None:
        return pd.DataFrame()
    return aggregate(engine, f.with_(periods=(period,)), by=("unit",), indicators=codes(pairs))
