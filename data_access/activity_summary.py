"""Activities summed by day × campaign × agency × province × level, refreshed on every write of
`campaign_activities` in the same transaction (as `submission_summary` is for submissions)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Integer, cast, delete, extract, func, insert, select

from data_access.models import ActivitySummary, CampaignActivity, Unit

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
    """Recompute the summary for these years (every year when None)."""
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
        chosen = sorted({int(y) for y in years})
        if not chosen:
            return
        query = query.where(year.in_(chosen))
        clear = clear.where(ActivitySummary.year.in_(chosen))
    conn.execute(clear)
    conn.execute(insert(ActivitySummary).from_select(COLUMNS, query))
