"""What each leadership page shows, as DataFrames: one function per page or panel.

Everything is aggregated in the database through `queries.aggregate` (summary table) or small
grouped queries; pages only format and draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine, Integer, cast, extract, func, select

from data_access import tracking
from data_access.db import frame_of
from data_access.models import (
    ActivitySummary,
    ActivityYearSummary,
    Agency,
    CampaignActivity,
    Period,
    Province,
    Target,
    Unit,
    UnitActivitySummary,
)
from data_access.queries import (
    FEMALE_LEADER_PCT,
    Filters,
    aggregate,
    count_units,
    load_catalogue,
    unit_filters,
)
from data_access.queries import provinces as province_table
from data_access.queries import units as unit_table
from data_access.value_tables import NARRATIVE_COLUMNS, tables

HEADLINE_PAIRS = ("staff", "managers", "key_leaders", "heads")
LEADERSHIP_PAIRS = ("planning_pool", "managers", "key_leaders", "heads", "party_committee")
PIPELINE = ("staff", "planning_pool", "managers", "key_leaders", "heads")
CAPACITY_PAIRS = (
    "political_training",
    "professional_training",
    "masters",
    "doctorates",
    "recruited",
    "party_members",
)
TARGET_MEASURE = "units_with_female_key_leader_pct"
PARITY = 50.0


def _codes(pairs: Sequence[str]) -> list[str]:
    return [f"{p}_{side}" for p in pairs for side in ("total", "female")]


def targets(engine: Engine) -> pd.DataFrame:
    """year, value_pct, label_vi, source: the Strategy 2021–2030 targets."""
    with engine.connect() as conn:
        result = conn.execute(
            select(Target.year, Target.value_pct, Target.label_vi, Target.source)
            .where(Target.measure == TARGET_MEASURE)
            .order_by(Target.year)
        )
        return frame_of(result)


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
    laggards: pd.DataFrame  # the five furthest from target / parity
    target: float | None


def overview(engine: Engine, f: Filters, laggards_by: str = "agency") -> Overview:
    trend = aggregate(engine, f, by=("period",), indicators=_codes(HEADLINE_PAIRS))
    if trend.empty:
        return Overview(trend, None, None, None, pd.DataFrame(), None)
    latest = trend.iloc[-1]
    previous = trend.iloc[-2] if len(trend) > 1 else None
    reporting = tracking.rates(engine, latest["period"], filters=f).iloc[0]
    table = targets(engine)
    target = target_for(int(latest["year"]), table)
    by = aggregate(
        engine,
        f.with_(periods=(latest["period"],)),
        by=(laggards_by,),
        indicators=_codes(HEADLINE_PAIRS),
    )
    by["target_gap"] = (target or 0) - by[FEMALE_LEADER_PCT]
    by["parity_gap"] = PARITY - by["managers_female_pct"]
    laggards = by.sort_values(["target_gap", "parity_gap"], ascending=False).head(5)
    return Overview(trend, latest, previous, reporting, laggards.reset_index(drop=True), target)


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


# --- leadership -----------------------------------------------------------------------------------


def leadership_shares(engine: Engine, f: Filters, by: str) -> pd.DataFrame:
    """Latest period: female share of each leadership pair, grouped by agency or province."""
    period = latest_period(engine, f)
    if period is None:
        return pd.DataFrame()
    return aggregate(
        engine, f.with_(periods=(period,)), by=(by,), indicators=_codes(LEADERSHIP_PAIRS)
    )


def pipeline(engine: Engine, f: Filters) -> pd.DataFrame:
    """stage, female_pct, female, total: staff → planning pool → managers → key leaders → heads."""
    period = latest_period(engine, f)
    if period is None:
        return pd.DataFrame(columns=["stage", "female_pct", "female", "total"])
    row = aggregate(
        engine, f.with_(periods=(period,)), by=("period",), indicators=_codes(PIPELINE)
    ).iloc[0]
    return pd.DataFrame(
        [
            {
                "stage": p,
                "female_pct": row[f"{p}_female_pct"],
                "female": row[f"{p}_female"],
                "total": row[f"{p}_total"],
            }
            for p in PIPELINE
        ]
    )


def female_leader_trend(engine: Engine, f: Filters) -> pd.DataFrame:
    """period, year, n_units, n_female_key_leader, female_key_leader_units_pct, target."""
    trend = aggregate(engine, f, by=("period",), indicators=["key_leaders_female"])
    table = targets(engine)
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
    frame = aggregate(
        engine, f, by=(by,) if by else (), indicators=_codes(("staff", *CAPACITY_PAIRS))
    )
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
        for pair in CAPACITY_PAIRS
    ]
    return pd.DataFrame(
        rows, columns=[*keys, "pair", "female", "total", "female_pct", "representation"]
    )


# --- campaigns ------------------------------------------------------------------------------------


def _in_years(query: Any, year: Any, f: Filters) -> Any:
    if f.year_from is not None:
        query = query.where(year >= f.year_from)
    if f.year_to is not None:
        query = query.where(year <= f.year_to)
    return query


def _by_unit_query(f: Filters, source: Any, unit_id: Any, year: Any) -> tuple[Any, Any]:
    """`source` (the activities, or their unit × year summary) joined to its unit, agency and
    province, and filtered by years, agency, province, level and unit."""
    prov = Province.__table__.alias("prov")
    query = (
        select()
        .select_from(source)
        .join(Unit, Unit.id == unit_id)
        .join(Agency, Agency.id == Unit.agency_id)
        .join(
            prov,
            prov.c.id
            == (Unit.current_province_id if f.province_set == "2025" else Unit.province_id),
        )
    )
    return unit_filters(_in_years(query, year, f), f, prov), prov


def _summary_query(
    f: Filters, s: type[ActivitySummary] | type[ActivityYearSummary] = ActivitySummary
) -> tuple[Any, Any]:
    """An activity summary (by day or by year) joined and filtered like `_by_unit_query`, without
    single units."""
    prov = Province.__table__.alias("prov")
    query = (
        select()
        .select_from(s)
        .join(Agency, Agency.id == s.agency_id)
        .join(
            prov,
            prov.c.id == (s.current_province_id if f.province_set == "2025" else s.province_id),
        )
    )
    return unit_filters(_in_years(query, s.year, f), f, prov, level=s.level), prov


UNIT_SUMMARY_DIMENSIONS = {"year", "agency", "province", "unit"}


def _place_columns(prov: Any) -> dict[str, list[Any]]:
    return {
        "agency": [Agency.code.label("agency_code"), Agency.name.label("agency_name")],
        "province": [prov.c.code.label("province_code"), prov.c.short_name.label("province_name")],
        "unit": [Unit.code.label("unit_code"), Unit.name.label("unit_name")],
    }


def activities(
    engine: Engine, f: Filters, by: Sequence[str], top: int | None = None
) -> pd.DataFrame:
    """[by columns], activities, participants_female, participants_male, participants, male_pct;
    with `top`, only the `top` groups with most activities, most first.

    Without single units this reads the year summary (the day summary by month). By unit (or for chosen units) it reads the
    latest year of the selection — what "most active units" means — from the unit × year summary,
    or from the activities themselves when split by campaign, month or activity type."""
    count: Any
    female: Any
    male: Any
    unit_level = "unit" in by or "activity_type" in by or bool(f.units)
    latest = f.with_(year_from=f.year_to) if f.year_to is not None else f
    one_row_per_group = False
    if unit_level and set(by) <= UNIT_SUMMARY_DIMENSIONS:
        u = UnitActivitySummary
        query, prov = _by_unit_query(latest, u, u.unit_id, u.year)
        # A unit in one year is one summary row: no grouping, so the top units come off the index.
        one_row_per_group = "unit" in by and (
            "year" in by or (latest.year_to is not None and latest.year_from == latest.year_to)
        )
        count, female, male = (
            (u.activities, u.participants_female, u.participants_male)
            if one_row_per_group
            else (func.sum(u.activities), func.sum(u.participants_female),
                  func.sum(u.participants_male))
        )  # fmt: skip
        columns: dict[str, Any] = {
            "year": [u.year.label("year")],
            **_place_columns(prov),
        }
    elif unit_level:
        a = CampaignActivity
        query, prov = _by_unit_query(latest, a, a.unit_id, extract("year", a.start_date))
        year, month = (
            extract("year", CampaignActivity.start_date),
            extract("month", CampaignActivity.start_date),
        )
        count, female, male = (func.count(), func.sum(CampaignActivity.participants_female),
                               func.sum(CampaignActivity.participants_male))  # fmt: skip
        columns = {
            "campaign": [CampaignActivity.campaign.label("campaign")],
            "year": [cast(year, Integer).label("year")],
            "month": [cast(month, Integer).label("month")],
            **_place_columns(prov),
            "activity_type": [CampaignActivity.activity_type.label("activity_type")],
        }
    else:
        s = ActivitySummary if "month" in by else ActivityYearSummary
        query, prov = _summary_query(f, s)
        count, female, male = (
            func.sum(s.activities),
            func.sum(s.participants_female),
            func.sum(s.participants_male),
        )
        columns = {
            "campaign": [s.campaign.label("campaign")],
            "year": [s.year.label("year")],
            "month": [ActivitySummary.month.label("month")],
            **_place_columns(prov),
        }
        del columns["unit"]
    group = [c for name in by for c in columns[name]]
    query = query.with_only_columns(
        *group,
        cast(count, Integer).label("activities"),
        cast(female, Integer).label("participants_female"),
        cast(male, Integer).label("participants_male"),
    )
    if group:
        query = query if one_row_per_group else query.group_by(*group)
        query = (
            query.order_by(count.desc(), *group).limit(top)
            if top is not None
            else query.order_by(*group)
        )
    with engine.connect() as conn:
        result = conn.execute(query)
        frame = frame_of(result)
    for col in ("activities", "participants_female", "participants_male"):
        frame[col] = pd.to_numeric(frame[col]).fillna(0).astype("int64")
    frame["participants"] = frame["participants_female"] + frame["participants_male"]
    frame["male_pct"] = (
        100 * frame["participants_male"] / frame["participants"].where(frame["participants"] > 0)
    )
    return frame


def activity_days(engine: Engine, f: Filters) -> pd.DataFrame:
    """date (on the common year 2001), campaign, activities: when in the year things happen."""
    query, _ = _summary_query(f)
    s = ActivitySummary
    query = query.with_only_columns(s.month, s.day, s.campaign, func.sum(s.activities)).group_by(
        s.month, s.day, s.campaign
    )
    with engine.connect() as conn:
        frame = frame_of(conn.execute(query)).set_axis(
            ["month", "day", "campaign", "activities"], axis=1
        )
    if frame.empty:
        return pd.DataFrame(columns=["date", "campaign", "activities"])
    # Fold every year onto 2001 so the timeline reads as one calendar year (29/02 → 28/02).
    days = frame["day"].where(~((frame["month"] == 2) & (frame["day"] == 29)), 28)
    frame["date"] = pd.to_datetime({"year": 2001, "month": frame["month"], "day": days})
    frame["activities"] = pd.to_numeric(frame["activities"]).astype("int64")
    return frame.groupby(["date", "campaign"], as_index=False)["activities"].sum()


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
    from data_access.exports import export_frame

    return export_frame(engine, level, f, indicators).frame


def gender_index_table(engine: Engine, by: str, f: Filters) -> pd.DataFrame:
    from data_access import gender_index

    return gender_index.index_table(engine, by, f)


def gender_index_weights(engine: Engine) -> dict[str, float]:
    from data_access import gender_index

    return gender_index.weights(engine)


def gender_index_methodology(engine: Engine) -> str:
    """The methodology document (Markdown) shown under the ranking."""
    del engine
    from data_access.config import PROJECT_ROOT

    return (PROJECT_ROOT / "docs" / "index-methodology.md").read_text(encoding="utf-8")


# --- unit profile ---------------------------------------------------------------------------------


@dataclass
class UnitProfile:
    unit: pd.Series
    series: pd.DataFrame  # every period: headline pairs and their female shares
    latest: pd.Series | None  # the latest submission, with the narrative texts
    activities: pd.DataFrame


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
    base = Filters(
        period_kind="Y",
        units=(unit_code,),
        scope=scope,
        year_from=f.year_from if f else None,
        year_to=f.year_to if f else None,
    )
    series = pd.concat(
        [
            aggregate(
                engine, base.with_(period_kind=k), by=("period",), indicators=_codes(HEADLINE_PAIRS)
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
    return UnitProfile(unit, series.reset_index(drop=True), latest, activity_frame)
