"""Activities summed by day × campaign × agency × province × level, the same by year, and by
unit × year, refreshed on every write of `campaign_activities` in the same transaction (as
`submission_summary` is for submissions)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Integer, cast, delete, extract, func, insert, select

from data_access.db.models import (
    ActivitySummary,
    ActivityYearSummary,
    CampaignActivity,
    Unit,
    UnitActivitySummary,
)

COLUMNS = [
    "year",
    "month",
    "day",
    "campaign",
    "agency_id",
    "province_id",
    "level",
    "current_province_id",
    "activities",
    "participants_female",
    "participants_male",
]


def refresh(conn: Connection, years: Iterable[int] | None = None) -> None:
    """Recompute both summaries for these years (every year when None)."""
    chosen = None if years is None else sorted({int(y) for y in years})
    if chosen == []:
        return
    _refresh_by_day(conn, chosen)
    _refresh_by_year(conn, chosen)
    _refresh_by_unit(conn, chosen)


def _refresh_by_day(conn: Connection, years: list[int] | None) -> None:
    year = cast(extract("year", CampaignActivity.start_date), Integer)
    group = (
        year,
        cast(extract("month", CampaignActivity.start_date), Integer),
        cast(extract("day", CampaignActivity.start_date), Integer),
        CampaignActivity.campaign,
        Unit.agency_id,
        Unit.province_id,
        Unit.level,
        Unit.current_province_id,
    )
    query = (
        select(
            *group,
            func.count(),
            func.sum(CampaignActivity.participants_female),
            func.sum(CampaignActivity.participants_male),
        )
        .join(Unit, Unit.id == CampaignActivity.unit_id)
        .group_by(*group)
    )
    clear = delete(ActivitySummary)
    if years is not None:
        query = query.where(year.in_(years))
        clear = clear.where(ActivitySummary.year.in_(years))
    conn.execute(clear)
    conn.execute(insert(ActivitySummary).from_select(COLUMNS, query))


def _refresh_by_year(conn: Connection, years: list[int] | None) -> None:
    """Folded from the day summary, already filled for these years."""
    s = ActivitySummary
    keys = ("year", "campaign", "agency_id", "province_id", "level", "current_province_id")
    group = [getattr(s, key) for key in keys]
    sums = [func.sum(getattr(s, key)) for key in COLUMNS[-3:]]
    query = select(*group, *sums).group_by(*group)
    clear = delete(ActivityYearSummary)
    if years is not None:
        query = query.where(s.year.in_(years))
        clear = clear.where(ActivityYearSummary.year.in_(years))
    conn.execute(clear)
    conn.execute(insert(ActivityYearSummary).from_select([*keys, *COLUMNS[-3:]], query))


def _refresh_by_unit(conn: Connection, years: list[int] | None) -> None:
    year = cast(extract("year", CampaignActivity.start_date), Integer)
    query = select(
        year,
        CampaignActivity.unit_id,
        func.count(),
        func.sum(CampaignActivity.participants_female),
        func.sum(CampaignActivity.participants_male),
    ).group_by(year, CampaignActivity.unit_id)
    clear = delete(UnitActivitySummary)
    if years is not None:
        query = query.where(year.in_(years))
        clear = clear.where(UnitActivitySummary.year.in_(years))
    conn.execute(clear)
    columns = ["year", "unit_id", "activities", "participants_female", "participants_male"]
    conn.execute(insert(UnitActivitySummary).from_select(columns, query))
