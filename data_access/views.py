"""What each leadership page shows, as DataFrames: one function per page or panel.

Everything is aggregated in the database through `queries.aggregate` (summary table) or small
grouped queries; pages only format and draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select

from data_access import targets as target_table
from data_access import tracking
from data_access.activities_query import activities, male_share
from data_access.catalogue import PARITY, PARITY_BAND, PairGroup
from data_access.db import frame_of
from data_access.exports import export_frame
from data_access.models import CampaignActivity, Period, Unit, UnitName
from data_access.queries import (
    FEMALE_LEADER_PCT,
    Filters,
    aggregate,
    count_units,
    load_catalogue,
)
from data_access.queries import provinces as province_table
from data_access.queries import units as unit_table
from data_access.registry import lineage
from data_access.value_tables import NARRATIVE_COLUMNS, tables

# The overview lists this many agencies or provinces furthest from the target.
LAGGARDS_SHOWN = 5


def _codes(pairs: Sequence[str]) -> list[str]:
    return [f"{p}_{side}" for p in pairs for side in ("total", "female")]


def _group(engine: Engine, group: PairGroup) -> tuple[str, ...]:
    return load_catalogue(engine).group(group)


def targets(engine: Engine, agency: str | None = None) -> pd.DataFrame:
    """year, value_pct, label_vi, source: the Strategy 2021–2030 targets, or `agency`'s own
    when it has set them."""
    return target_table.in_force(engine, agency)


def _one_agency(f: Filters) -> str | None:
    """The agency whose own targets replace the national ones: the only one selected."""
    chosen = f.agency_codes()
    return next(iter(chosen)) if chosen and len(chosen) == 1 else None


def target_for(year: int, table: pd.DataFrame) -> float | None:
    """The target in force for `year`: the first target year at or after it (60% to 2025, then 75%)."""
    ahead = table[table["year"] >= year]
    return float(ahead.iloc[0]["value_pct"]) if len(ahead) else None


# --- overview ------------------------------------------------------------------------------------


@dataclass
class Overview:
    trend: pd.DataFrame  # one row per period: female shares, female key leader unit share
    latest: pd.Series | None
    previous: pd.Series | None
    reporting: pd.Series | None  # expected, received, reporting_rate, on_time_rate
    laggards: pd.DataFrame  # the LAGGARDS_SHOWN furthest from target / parity
    target: float | None
    pairs: tuple[str, ...] = ()  # the headline pairs, in order
    # Change of each pair's female share since the previous period, in percentage points.
    changes: dict[str, float | None] = field(default_factory=dict)
    leader_share_change: float | None = None  # the same for units with a female key leader
    target_gap: float | None = None  # that share minus the target (≥ 0: reached)


def _change(latest: pd.Series, previous: pd.Series | None, column: str) -> float | None:
    if previous is None or pd.isna(latest[column]) or pd.isna(previous[column]):
        return None
    return float(latest[column] - previous[column])


def overview(engine: Engine, f: Filters, laggards_by: str = "agency") -> Overview:
    pairs = _group(engine, PairGroup.HEADLINE)
    trend = aggregate(engine, f, by=("period",), indicators=_codes(pairs))
    if trend.empty:
        return Overview(trend, None, None, None, pd.DataFrame(), None, pairs)
    latest = trend.iloc[-1]
    previous = trend.iloc[-2] if len(trend) > 1 else None
    reporting = tracking.rates(engine, latest["period"], filters=f).iloc[0]
    table = targets(engine, _one_agency(f))
    target = target_for(int(latest["year"]), table)
    by = aggregate(
        engine,
        f.with_(periods=(latest["period"],)),
        by=(laggards_by,),
        indicators=_codes(pairs),
    )
    by["target_gap"] = (target or 0) - by[FEMALE_LEADER_PCT]
    by["parity_gap"] = PARITY - by["managers_female_pct"]
    laggards = by.sort_values(["target_gap", "parity_gap"], ascending=False).head(LAGGARDS_SHOWN)
    share = latest[FEMALE_LEADER_PCT]
    return Overview(
        trend,
        latest,
        previous,
        reporting,
        laggards.reset_index(drop=True),
        target,
        pairs,
        changes={p: _change(latest, previous, f"{p}_female_pct") for p in pairs},
        leader_share_change=_change(latest, previous, FEMALE_LEADER_PCT),
        target_gap=None if target is None or pd.isna(share) else float(share - target),
    )


# --- gender ratio ---------------------------------------------------------------------------------


def ratio_over_time(engine: Engine, f: Filters, by: str) -> pd.DataFrame:
    """period, year, <by columns>, staff_total, staff_female, staff_female_pct."""
    return aggregate(engine, f, by=(by, "period"), indicators=_codes(("staff",)))


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
    return aggregate(engine, f.with_(periods=(period,)), by=("unit",), indicators=_codes(pairs))


@dataclass
class UnitSpread:
    units: pd.DataFrame  # unit_distribution: one row per unit, staff_female_pct
    balanced_pct: float | None  # % of units whose female staff share lies in PARITY_BAND
    median_pct: float | None  # the median unit's female staff share


def unit_spread(engine: Engine, f: Filters) -> UnitSpread:
    """How the units of the selection spread by female share of staff, at its latest period."""
    units = unit_distribution(engine, f)
    if units.empty:
        return UnitSpread(units, None, None)
    shares = units["staff_female_pct"]
    low, high = PARITY_BAND
    return UnitSpread(units, float(100 * shares.between(low, high).mean()), float(shares.median()))


# --- leadership -----------------------------------------------------------------------------------


def leadership_shares(engine: Engine, f: Filters, by: str) -> pd.DataFrame:
    """Latest period: female share of each leadership pair, grouped by agency or province."""
    period = latest_period(engine, f)
    if period is None:
        return pd.DataFrame()
    pairs = _group(engine, PairGroup.LEADERSHIP)
    return aggregate(engine, f.with_(periods=(period,)), by=(by,), indicators=_codes(pairs))


def pipeline(engine: Engine, f: Filters) -> pd.DataFrame:
    """stage, female_pct, female, total, drop: staff → planning pool → managers → key leaders →
    heads; `drop` is the change of the female share from the stage before, in points."""
    period = latest_period(engine, f)
    if period is None:
        return pd.DataFrame(columns=["stage", "female_pct", "female", "total", "drop"])
    stages = _group(engine, PairGroup.PIPELINE)
    row = aggregate(
        engine, f.with_(periods=(period,)), by=("period",), indicators=_codes(stages)
    ).iloc[0]
    frame = pd.DataFrame(
        [
            {
                "stage": p,
                "female_pct": row[f"{p}_female_pct"],
                "female": row[f"{p}_female"],
                "total": row[f"{p}_total"],
            }
            for p in stages
        ]
    )
    frame["drop"] = pd.to_numeric(frame["female_pct"]).diff()
    return frame


def female_leader_trend(engine: Engine, f: Filters) -> pd.DataFrame:
    """period, year, n_units, n_female_key_leader, female_key_leader_units_pct, target."""
    trend = aggregate(engine, f, by=("period",), indicators=["key_leaders_female"])
    table = targets(engine, _one_agency(f))
    trend["target"] = [target_for(int(y), table) for y in trend["year"]]
    return trend


def units_without_female_leader(engine: Engine, f: Filters) -> pd.DataFrame:
    """Units whose latest report in the selection has no woman among key leaders."""
    frame = unit_distribution(engine, f, ("key_leaders", "managers"))
    if frame.empty:
        return frame
    return frame[frame["key_leaders_female"] == 0].sort_values(
        ["agency_code", "province_name", "unit_name"]
    )


# --- capacity -------------------------------------------------------------------------------------


def capacity(engine: Engine, f: Filters, by: str | None = None) -> pd.DataFrame:
    """[by columns], pair, female, total, female_pct, representation: training, degrees,
    recruitment and party membership over the selection (flows summed over its years, stocks at
    its latest period). Representation = female share ÷ female share of staff (1.0 = proportional)."""
    pairs = _group(engine, PairGroup.CAPACITY)
    frame = aggregate(engine, f, by=(by,) if by else (), indicators=_codes(("staff", *pairs)))
    keys = [
        c
        for c in frame.columns
        if c in ("agency_code", "agency_name", "province_code", "province_name")
    ]
    rows = [
        {
            **{k: row[k] for k in keys},
            "pair": pair,
            "female": row[f"{pair}_female"],
            "total": row[f"{pair}_total"],
            "female_pct": row[f"{pair}_female_pct"],
            "representation": row[f"{pair}_female_pct"] / row["staff_female_pct"]
            if row["staff_female_pct"]
            else None,
        }
        for _, row in frame.iterrows()
        for pair in pairs
    ]
    return pd.DataFrame(
        rows, columns=[*keys, "pair", "female", "total", "female_pct", "representation"]
    )


# --- campaigns ------------------------------------------------------------------------------------


# --- provinces ------------------------------------------------------------------------------------


def province_values(engine: Engine, f: Filters, measure: str) -> pd.DataFrame:
    """province_code, province_name, region_name, lat, lon, value (latest period), trend (list of
    values by year, for a sparkline), n_units."""
    catalogue = load_catalogue(engine)
    pair = measure.removesuffix("_female_pct")
    indicators = (
        [f"{pair}_total", f"{pair}_female"]
        if pair in catalogue.pairs
        else (["key_leaders_female"] if measure == FEMALE_LEADER_PCT else [measure])
    )
    over_time = aggregate(engine, f, by=("province", "period"), indicators=indicators)
    # In the legacy set, units created after the merger sit in 2025 provinces, whose codes were
    # reused: keep the 63 legacy provinces only (their latest report is 2025-H1).
    over_time = over_time[over_time["province_set"] == f.province_set]
    if over_time.empty:
        return pd.DataFrame(columns=["province_code", "province_name", "value", "trend"])
    # The latest period most provinces reported in (for the legacy set: the last one before the
    # merger, not 2025-Y where only the eleven unchanged provinces still carry legacy codes).
    coverage = over_time.groupby("period")["province_code"].nunique()
    covered = coverage[coverage >= 0.9 * coverage.max()].index
    last_period = (
        over_time[over_time["period"].isin(covered)]
        .sort_values(["year", "period"])["period"]
        .iloc[-1]
    )
    trend = (
        over_time.sort_values("period")
        .groupby("province_code")[measure]
        .apply(lambda s: [None if pd.isna(v) else round(float(v), 1) for v in s])
    )
    now = over_time[over_time["period"] == last_period].set_index("province_code")
    ref = province_table(engine, f.province_set).set_index("code")
    out = ref[["short_name", "region_name", "lat", "lon"]].rename(
        columns={"short_name": "province_name"}
    )
    out["value"] = now[measure].reindex(out.index)
    out["n_units"] = now["n_units"].reindex(out.index)
    out["trend"] = trend.reindex(out.index)
    out["period"] = last_period
    return out.reset_index(names="province_code")


def export_table(engine: Engine, level: str, f: Filters, indicators: Sequence[str]) -> pd.DataFrame:
    """The explore page's table: exactly what an export of the same selection contains."""
    return export_frame(engine, level, f, indicators).frame


# --- campaigns ------------------------------------------------------------------------------------


@dataclass
class CampaignSummary:
    activities: int
    participants: int
    male_pct: float | None  # men's share of participants (None: nobody took part)
    latest_year: int | None  # the last year of the selection with activities...
    latest_male_pct: float | None  # ...men's share that year...
    male_pct_change: float | None  # ...and its change on the year before, in points


def campaign_summary(engine: Engine, f: Filters) -> CampaignSummary:
    """The campaigns page's key figures over the selection."""
    by_year = activities(engine, f, ("year",))
    participants = int(by_year["participants"].sum())
    male = int(by_year["participants_male"].sum())
    latest = by_year.iloc[-1] if len(by_year) > 1 else None
    before = by_year.iloc[-2] if len(by_year) > 1 else None
    return CampaignSummary(
        activities=int(by_year["activities"].sum()),
        participants=participants,
        male_pct=male_share(male, participants),
        latest_year=int(latest["year"]) if latest is not None else None,
        latest_male_pct=_number(latest["male_pct"]) if latest is not None else None,
        male_pct_change=_change(latest, before, "male_pct") if latest is not None else None,
    )


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


# --- unit profile ---------------------------------------------------------------------------------


@dataclass
class UnitProfile:
    unit: pd.Series
    series: pd.DataFrame  # every period: headline pairs and their female shares
    latest: pd.Series | None  # the latest submission, with the narrative texts
    activities: pd.DataFrame
    # The units this one replaced (directly or through others: the series includes their
    # reports) and the units that replaced it, by code; its earlier names with their last day.
    predecessors: list[str] = field(default_factory=list)
    successors: list[str] = field(default_factory=list)
    former_names: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class UnitChoices:
    total: int  # units matching the search
    units: pd.DataFrame  # the first of them by name (queries.units columns)


def unit_choices(
    engine: Engine, search: str | None, agencies: Sequence[str], limit: int
) -> UnitChoices:
    """Units to choose from: the count that match `search` within `agencies`, and the first
    `limit` of them — a list of fifty thousand units helps nobody, the search narrows it."""
    return UnitChoices(
        total=count_units(engine, search, agencies),
        units=unit_table(engine, search, agencies, limit=limit),
    )


def unit_profile(engine: Engine, unit_code: str, f: Filters | None = None) -> UnitProfile | None:
    found = unit_table(engine, code=unit_code)
    if found.empty:
        return None
    unit = found.iloc[0]
    scope = f.scope if f else ()
    if scope and unit["agency_code"] not in scope:
        return None
    with engine.connect() as conn:
        unit_id = conn.execute(select(Unit.id).where(Unit.code == unit_code)).scalar_one()
        before = lineage.codes(conn, lineage.predecessors(conn, unit_id))
        after = lineage.codes(conn, lineage.successors(conn, unit_id))
        names = [
            (r.name, r.valid_to)
            for r in conn.execute(
                select(UnitName.name, UnitName.valid_to)
                .where(UnitName.unit_id == unit_id)
                .order_by(UnitName.valid_to)
            )
        ]
    base = Filters(
        period_kind="Y",
        # Rolled up by successor: the periods before a merge are those of the units it replaced.
        units=(unit_code, *before),
        scope=scope,
        year_from=f.year_from if f else None,
        year_to=f.year_to if f else None,
    )
    series = pd.concat(
        [
            aggregate(
                engine,
                base.with_(period_kind=k),
                by=("period",),
                indicators=_codes(_group(engine, PairGroup.HEADLINE)),
            )
            for k in ("H1", "Y")
        ]
    ).sort_values(["year", "period_kind"])
    submissions, _ = tables(load_catalogue(engine))
    with engine.connect() as conn:
        row = (
            conn.execute(
                select(
                    Period.code.label("period"),
                    submissions.c.report_date,
                    submissions.c.received_at,
                    *(submissions.c[n] for n in NARRATIVE_COLUMNS),
                )
                .join(Period, Period.id == submissions.c.period_id)
                .join(Unit, Unit.id == submissions.c.unit_id)
                .where(Unit.code == unit_code)
                .order_by(Period.year.desc(), Period.kind.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
        acts = conn.execute(
            select(
                CampaignActivity.campaign,
                CampaignActivity.start_date,
                CampaignActivity.end_date,
                CampaignActivity.activity_type,
                CampaignActivity.title,
                CampaignActivity.participants_female,
                CampaignActivity.participants_male,
            )
            .join(Unit, Unit.id == CampaignActivity.unit_id)
            .where(Unit.code == unit_code)
            .order_by(CampaignActivity.start_date.desc())
        )
        activity_frame = frame_of(acts)
    latest = pd.Series(dict(row)) if row else None
    return UnitProfile(
        unit, series.reset_index(drop=True), latest, activity_frame, before, after, names
    )
