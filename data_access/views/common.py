"""Shared by the page-panel modules: indicator codes of a pair group, targets, the latest period."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from data_access.db.catalogue import PairGroup
from data_access.domain.completeness import SMALL_NOTE, completeness_vi, is_low, is_small
from data_access.domain.filters import Filters
from data_access.domain.periods import period_label
from data_access.domain.targets import target_in_force
from data_access.queries import tracking
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
    """The target in force for `year` on the Strategy's trajectory (domain.targets): 60% to 2025,
    then interpolated to 75% in 2030, none before 2021."""
    return target_in_force(year, zip(table["year"], table["value_pct"], strict=True))


def change(latest: pd.Series, previous: pd.Series | None, column: str) -> float | None:
    if previous is None or pd.isna(latest[column]) or pd.isna(previous[column]):
        return None
    return float(latest[column] - previous[column])


def number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def latest_period(engine: Engine, f: Filters) -> str | None:
    trend = aggregate(engine, f, by=("period",), indicators=["staff_total"])
    return None if trend.empty else str(trend.iloc[-1]["period"])


def with_completeness(
    engine: Engine,
    frame: pd.DataFrame,
    f: Filters,
    period: str,
    by: str,
    rates: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """`frame` (one row per agency or province at `period`) with its completeness: expected,
    received, reporting_rate, completeness (text: '9/12 (75,0%) ⚠') and low_completeness.
    `rates`: that period's counts by `by` when already read (tracking.completeness, or
    tracking.rates_by_period's rows of the period), else read here."""
    if rates is None:
        rates = tracking.completeness(engine, period, (by,), f)
    key = f"{by}_code"
    out = frame.drop(
        columns=[c for c in ("expected", "received", "reporting_rate") if c in frame]
    ).merge(rates[[key, "expected", "received", "reporting_rate"]], on=key, how="left")
    out["completeness"] = [
        completeness_vi(r, e, p)
        for r, e, p in zip(out["received"], out["expected"], out["reporting_rate"], strict=True)
    ]
    out["low_completeness"] = out["reporting_rate"].map(is_low).astype(bool)
    return out


def at_own_latest(
    engine: Engine, f: Filters, by: str, indicators: Sequence[str], latest: str
) -> pd.DataFrame:
    """One row per agency or province with its stocks at its own latest report in the selection
    (`stock_period`, aggregate's per-entity rule), its completeness at that period, and `note`
    naming that period when it is earlier than the selection's `latest` ("số liệu năm 2024"):
    an agency that stopped reporting stays in the list, dated, instead of dropping out."""
    frame = aggregate(engine, f, by=(by,), indicators=indicators)
    return with_own_completeness(engine, frame, f, by, latest)


def with_own_completeness(
    engine: Engine,
    frame: pd.DataFrame,
    f: Filters,
    by: str,
    latest: str,
    known: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """at_own_latest from `frame`, the aggregate by `by` of `f`'s `indicators`: each row with
    its completeness and note. `known`: period → its counts by `by` already read (see
    with_completeness); the other periods are read here."""
    if frame.empty:
        return frame
    if "stock_period" not in frame:  # one period selected: everyone's period
        frame["stock_period"] = latest
    known = known or {}
    periods = frame["stock_period"].unique()
    if len(periods) == 1:  # as a rule everyone reported last in the latest period: no regrouping
        period = str(periods[0])
        out = with_completeness(engine, frame, f, period, by, known.get(period))
    else:
        parts = [
            with_completeness(engine, part, f, str(period), by, known.get(str(period)))
            for period, part in frame.groupby("stock_period", sort=False)
        ]
        out = pd.concat(parts, ignore_index=True)
    out["note"] = [
        "" if p == latest else f"số liệu {period_label(p).lower()}" for p in out["stock_period"]
    ]
    return out


def mark_small(
    frame: pd.DataFrame, people: str | None = None, *, units_matter: bool = True
) -> pd.DataFrame:
    """Add `small` (too few reporting units, or people in the `people` column, to be ranked) and
    `note` ("số liệu ít" for those). `units_matter=False` when the ranked figure is a share of
    those people (see domain.completeness.is_small)."""
    out = frame.copy()
    counts = out[people] if people is not None and people in out else [None] * len(out)
    out["small"] = [
        is_small(number(n), number(p), units_matter=units_matter)
        if people is not None
        else is_small(number(n))
        for n, p in zip(out["n_units"], counts, strict=True)
    ]
    # A note already there (the period of the figures) is kept beside "số liệu ít".
    before = out["note"] if "note" in out else pd.Series("", index=out.index)
    out["note"] = [
        "; ".join(n for n in (SMALL_NOTE if small else "", str(earlier)) if n)
        for small, earlier in zip(out["small"], before.fillna(""), strict=True)
    ]
    return out


def unit_distribution(
    engine: Engine,
    f: Filters,
    pairs: Sequence[str] = ("staff",),
    zero: str | None = None,
    order: Sequence[str] = (),
    limit: int | None = None,
) -> pd.DataFrame:
    """One row per unit at the latest period of the selection, with the pairs' female shares
    (only the units whose `zero` figure is 0, when given; sorted by `order` and the first
    `limit`, as aggregate)."""
    period = latest_period(engine, f)
    if period is None:
        return pd.DataFrame()
    return aggregate(
        engine,
        f.with_(periods=(period,)),
        by=("unit",),
        indicators=codes(pairs),
        units_in_period_set=True,
        zero=zero,
        order=order,
        limit=limit,
    )
