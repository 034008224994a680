"""The activities query engine: activities and participants grouped by campaign, year, month,
agency, province, unit or activity type, read from the smallest table that answers.

Used by the campaigns page (through `views`) and the gender index; it imports neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Engine, Integer, cast, extract, func, select

from data_access.db.engine import frame_of
from data_access.db.models import (
    ActivitySummary,
    ActivityYearSummary,
    Agency,
    CampaignActivity,
    Province,
    Unit,
    UnitActivitySummary,
)
from data_access.domain.filters import Filters
from data_access.domain.province_sets import province_column
from data_access.queries.aggregate import unit_filters


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
        .join(prov, prov.c.id == province_column(Unit, f.province_set))
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
        .join(prov, prov.c.id == province_column(s, f.province_set))
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
        if one_row_per_group:
            count, female, male = u.activities, u.participants_female, u.participants_male
        else:
            count = func.sum(u.activities)
            female = func.sum(u.participants_female)
            male = func.sum(u.participants_male)
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
        count = func.count()
        female = func.sum(CampaignActivity.participants_female)
        male = func.sum(CampaignActivity.participants_male)
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
    frame["male_pct"] = pd.Series(
        [
            male_share(m, n)
            for m, n in zip(frame["participants_male"], frame["participants"], strict=True)
        ],
        index=frame.index,
        dtype="float64",
    )
    return frame


def male_share(male: float, participants: float) -> float | None:
    """Men's share of participants, in %; None when nobody took part (no share to speak of, not
    0%: a campaign with no recorded participants did not exclude men)."""
    return 100 * male / participants if participants > 0 else None


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
