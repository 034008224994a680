"""The leadership page: leadership shares, the pipeline, units without a female key leader."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from data_access.db.catalogue import PairGroup
from data_access.domain.filters import Filters
from data_access.queries.aggregate import FEMALE_LEADER_PCT, aggregate
from data_access.views.common import (
    at_own_latest,
    codes,
    group,
    latest_period,
    mark_small,
    one_agency,
    target_for,
    targets,
    unit_distribution,
)


def leadership_shares(engine: Engine, f: Filters, by: str) -> pd.DataFrame:
    """Female share of each leadership pair, grouped by agency or province, each at its own
    latest report in the selection (`stock_period`, named in `note` when earlier than the
    selection's latest), with completeness; ordered from the lowest share of units with a female
    key leader, the entities too small to rank ("số liệu ít", `small`) last."""
    period = latest_period(engine, f)
    if period is None:
        return pd.DataFrame()
    pairs = group(engine, PairGroup.LEADERSHIP)
    frame = at_own_latest(engine, f, by, codes(pairs), period)
    frame = mark_small(frame, people="managers_total")
    return frame.sort_values(["small", FEMALE_LEADER_PCT]).reset_index(drop=True)


def pipeline(engine: Engine, f: Filters) -> pd.DataFrame:
    """stage, female_pct, female, total, drop: staff → planning pool → managers → key leaders →
    heads; `drop` is the change of the female share from the stage before, in points."""
    period = latest_period(engine, f)
    if period is None:
        return pd.DataFrame(columns=["stage", "female_pct", "female", "total", "drop"])
    stages = group(engine, PairGroup.PIPELINE)
    row = aggregate(
        engine, f.with_(periods=(period,)), by=("period",), indicators=codes(stages)
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
    table = targets(engine, one_agency(f))
    trend["target"] = [target_for(int(y), table) for y in trend["year"]]
    return trend


def units_without_female_leader(
    engine: Engine, f: Filters, limit: int | None = None
) -> pd.DataFrame:
    """Units whose latest report in the selection has no woman among key leaders, by agency,
    province and unit name (the first `limit` of them, when given)."""
    return unit_distribution(
        engine,
        f,
        ("key_leaders", "managers"),
        zero="key_leaders_female",
        order=("agency_code", "province_name", "unit_name"),
        limit=limit,
    )


def count_without_female_leader(engine: Engine, f: Filters) -> int:
    """How many units units_without_female_leader lists: at the selection's latest period, the
    units that reported their key leaders less those with a woman among them, from the summary
    (a unit reporting 0 women is the one case left)."""
    period = latest_period(engine, f)
    if period is None:
        return 0
    row = aggregate(engine, f.with_(periods=(period,)), by=(), indicators=["key_leaders_female"])
    if row.empty:
        return 0
    return int(row.iloc[0]["n_key_leaders_reported"] - row.iloc[0]["n_female_key_leader"])
