"""The unit page: choosing a unit and its profile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, select

from data_access.db.catalogue import Catalogue, PairGroup
from data_access.db.engine import frame_of
from data_access.db.models import CampaignActivity, Period, Unit, UnitName
from data_access.db.value_tables import NARRATIVE_COLUMNS, tables
from data_access.domain.filters import Filters
from data_access.queries.aggregate import aggregate
from data_access.queries.lookups import count_units, load_catalogue
from data_access.queries.lookups import units as unit_table
from data_access.registry import lineage
from data_access.views.common import (
    codes,
    group,
)


@dataclass
class UnitChoices:
    total: int  # units matching the search
    # The first of them by name, code → "name · province · 2015–nay": two units may share a
    # name (an old and a new "BHXH tỉnh Quảng Trị"), the province and the years it was active
    # tell them apart, where its code would not speak to a reader.
    labels: dict[str, str]


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
    # year, series (the pair's label), share: the chart of the shares over the periods.
    trend: pd.DataFrame = field(default_factory=pd.DataFrame)


def unit_choices(
    engine: Engine, search: str | None, agencies: Sequence[str], limit: int
) -> UnitChoices:
    """Units to choose from: the count that match `search` within `agencies`, and the first
    `limit` of them — a list of fifty thousand units helps nobody, the search narrows it."""
    units = unit_table(engine, search, agencies, limit=limit)
    return UnitChoices(
        total=count_units(engine, search, agencies),
        labels={
            row.code: f"{row.name} · {row.province_name} · {row.active_from.year}–"
            + (_year(row.active_to) or "nay")
            for row in units.itertuples(index=False)
        },
    )


def _year(day: Any) -> str | None:
    return None if day is None or pd.isna(day) else str(day.year)


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
    # The selection's kind and years, as on every page: annual and half-year figures are not
    # comparable stocks, and a 2022 filter shows the 2022 report, not the latest one.
    kind = f.period_kind if f else "Y"
    year_from = f.year_from if f else None
    year_to = f.year_to if f else None
    # Rolled up by successor: the periods before a merge are those of the units it replaced.
    base = Filters(
        period_kind=kind,
        units=(unit_code, *before),
        scope=scope,
        year_from=year_from,
        year_to=year_to,
    )
    series = aggregate(
        engine, base, by=("period",), indicators=codes(group(engine, PairGroup.HEADLINE))
    ).sort_values("year")
    in_range = [Period.kind == kind]
    if year_from is not None:
        in_range.append(Period.year >= year_from)
    if year_to is not None:
        in_range.append(Period.year <= year_to)
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
                .where(Unit.code == unit_code, *in_range)
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
            .where(
                Unit.code == unit_code,
                *(
                    [func.extract("year", CampaignActivity.start_date) >= year_from]
                    if year_from is not None
                    else []
                ),
                *(
                    [func.extract("year", CampaignActivity.start_date) <= year_to]
                    if year_to is not None
                    else []
                ),
            )
            .order_by(CampaignActivity.start_date.desc())
        )
        activity_frame = frame_of(acts)
    latest = pd.Series(dict(row)) if row else None
    series = series.reset_index(drop=True)
    return UnitProfile(
        unit,
        series,
        latest,
        activity_frame,
        before,
        after,
        names,
        trend=_share_trend(series, load_catalogue(engine)),
    )


# The pairs the unit's trend chart draws.
TREND_PAIRS = ("staff", "managers", "key_leaders")


def _share_trend(series: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    trend = series.melt(
        id_vars=["year"],
        value_vars=[f"{p}_female_pct" for p in TREND_PAIRS],
        var_name="pair",
        value_name="share",
    )
    trend["series"] = trend["pair"].str.removesuffix("_female_pct").map(catalogue.pair_label)
    return trend
