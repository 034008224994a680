"""The capacity page: training, degrees, recruitment and party membership by pair."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from data_access.db.catalogue import PairGroup
from data_access.domain.filters import Filters
from data_access.queries.aggregate import aggregate
from data_access.views.common import (
    codes,
    group,
)


def _ratio(share: float | None, staff_share: float | None) -> float | None:
    if share is None or staff_share is None or pd.isna(share) or pd.isna(staff_share):
        return None
    return float(share / staff_share) if staff_share else None


def capacity(engine: Engine, f: Filters, by: str | None = None) -> pd.DataFrame:
    """[by columns], pair, female, total, female_pct, representation: training, degrees,
    recruitment and party membership over the selection (flows summed over its years, stocks at
    each entity's latest period with reports). Representation = female share ÷ female share of
    staff (1.0 = proportional), both over the same period, the one the staff share is read at:
    eight years of summed flows divided by one year's staff share compared different things."""
    pairs = group(engine, PairGroup.CAPACITY)
    indicators = codes(("staff", *pairs))
    frame = aggregate(engine, f, by=(by,) if by else (), indicators=indicators)
    keys = [
        c
        for c in frame.columns
        if c in ("agency_code", "agency_name", "province_code", "province_name")
    ]
    if "stock_period" in frame:
        # The shares at each entity's stock period, for the representation ratios.
        at_stock = aggregate(
            engine, f, by=((by,) if by else ()) + ("period",), indicators=indicators
        ).rename(columns={"period": "stock_period"})
        ratios = frame[[*keys, "stock_period"]].merge(
            at_stock, on=[*keys, "stock_period"], how="left"
        )
    else:
        ratios = frame
    rows = [
        {
            **{k: row[k] for k in keys},
            "pair": pair,
            "female": row[f"{pair}_female"],
            "total": row[f"{pair}_total"],
            "female_pct": row[f"{pair}_female_pct"],
            "representation": _ratio(ratio[f"{pair}_female_pct"], ratio["staff_female_pct"]),
            "stock_period": row.get("stock_period"),
        }
        for (_, row), (_, ratio) in zip(frame.iterrows(), ratios.iterrows(), strict=True)
        for pair in pairs
    ]
    return pd.DataFrame(
        rows,
        columns=[*keys, "pair", "female", "total", "female_pct", "representation", "stock_period"],
    )


def earlier_stock_periods(frame: pd.DataFrame, name: str) -> dict[str, str]:
    """Entity name → its stock period, for the entities whose latest report is earlier than the
    selection's latest one (the pages say so beside the figures)."""
    periods = frame.dropna(subset=["stock_period"]).drop_duplicates(name)
    if periods.empty:
        return {}
    latest = max(periods["stock_period"], key=lambda p: (p[:4], p[5:]))
    older = periods[periods["stock_period"] != latest]
    return dict(zip(older[name].astype(str), older["stock_period"].astype(str), strict=True))


@dataclass(frozen=True)
class Representation:
    """The representation ratios of `capacity(…, by)` as the page's grid lists them."""

    wide: pd.DataFrame  # one row per entity: its name, then one column per pair (the ratio)
    pairs: list[str]  # the pair columns of `wide`, in the catalogue's order
    older: dict[str, str]  # earlier_stock_periods of the entities


def representation_by(frame: pd.DataFrame, name: str, pair_order: list[str]) -> Representation:
    """`frame` (capacity by an entity) with its pairs as columns, in `pair_order`."""
    wide = frame.pivot_table(index=name, columns="pair", values="representation").reset_index()
    pairs = [p for p in pair_order if p in wide.columns]
    return Representation(wide[[name, *pairs]], pairs, earlier_stock_periods(frame, name))
