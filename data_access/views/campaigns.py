"""The campaigns page's key figures."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from data_access.domain.filters import Filters
from data_access.queries.activities import activities, male_share
from data_access.views.common import (
    change,
    number,
)

# The campaigns as the charts' axes and legends name them (the full names under the charts).
SHORT_LABELS_VI = {
    "ACTION_MONTH_GE": "Tháng hành động BĐG",
    "DV_MONTH": "Tháng phòng, chống BLGĐ",
    "IWD_0803": "Ngày 8/3",
    "VWD_2010": "Ngày 20/10",
    "OTHER": "Khác",
}


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """Activities by campaign (and maybe year) with the campaign's short label, the year as a
    category of the chart's axis."""
    out = frame.assign(label=frame["campaign"].map(SHORT_LABELS_VI))
    return out.assign(year=out["year"].astype(str)) if "year" in out else out


def participants_by_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Activities by year as the yearly chart draws them: the year as a category, women and men."""
    return frame[["year", "participants_female", "participants_male"]].assign(
        year=frame["year"].astype(str)
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
