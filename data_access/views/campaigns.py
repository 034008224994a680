"""The campaigns page's key figures."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from data_access.domain.filters import Filters
from data_access.queries.activities import activities, male_share
from data_access.views.common import (
    change,
    number,
)


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
        latest_male_pct=number(latest["male_pct"]) if latest is not None else None,
        male_pct_change=change(latest, before, "male_pct") if latest is not None else None,
    )
