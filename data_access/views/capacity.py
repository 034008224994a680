"""The capacity page: training, degrees, recruitment and party membership by pair."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from data_access.db.catalogue import PairGroup
from data_access.domain.filters import Filters
from data_access.queries.aggregate import aggregate
from data_access.views.common import (
    codes,
    group,
)


def capacity(engine: Engine, f: Filters, by: str | None = None) -> pd.DataFrame:
    """[by columns], pair, female, total, female_pct, representation: training, degrees,
    recruitment and party membership over the selection (flows summed over its years, stocks at
    its latest period). Representation = female share ÷ female share of staff (1.0 = proportional)."""
    pairs = group(engine, PairGroup.CAPACITY)
    frame = aggregate(engine, f, by=(by,) if by else (), indicators=codes(("staff", *pairs)))
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
