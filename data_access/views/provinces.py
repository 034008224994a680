"""The provinces page: one value per province and its trend, for the map."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from data_access.db.catalogue import Catalogue, PairGroup
from data_access.domain.completeness import SMALL_NOTE
from data_access.domain.filters import Filters
from data_access.domain.formats import num, pct, rounded
from data_access.queries.aggregate import FEMALE_LEADER_PCT, aggregate
from data_access.queries.lookups import load_catalogue
from data_access.queries.lookups import provinces as province_table
from data_access.views.common import mark_small, with_completeness


def province_values(engine: Engine, f: Filters, measure: str) -> pd.DataFrame:
    """province_code, province_name, region_name, lat, lon, value (latest period), trend (list of
    values by year, for a sparkline), n_units, completeness (reporting / expected), small and
    note ("số liệu ít": not ranked), rank; in ranking order."""
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
        .apply(lambda s: [None if pd.isna(v) else rounded(v, 1) for v in s])
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
    people = indicators[0] if pair in catalogue.pairs else None
    if people is not None:
        out[people] = now[people].reindex(out.index)
    out = with_completeness(
        engine, out.reset_index(names="province_code"), f, str(last_period), "province"
    )
    # A share of people is judged on its people; the share of units with a female key leader on
    # its units.
    out = mark_small(out, people=people, units_matter=people is None)
    # The ranking order: highest value first among those with enough units and people to be
    # ranked; the small ones ("số liệu ít") after them, unranked.
    out = out.sort_values(["small", "value"], ascending=[True, False], na_position="last")
    out["rank"] = range(1, len(out) + 1)
    out["rank"] = out["rank"].where(~out["small"] & out["value"].notna())
    return out.reset_index(drop=True)


def measures(catalogue: Catalogue) -> dict[str, str]:
    """The measures the map can be coloured by (column → label): the female share of each
    headline and leadership pair, and the share of units with a female key leader."""
    pairs = dict.fromkeys(
        catalogue.group(PairGroup.HEADLINE) + catalogue.group(PairGroup.LEADERSHIP)
    )
    return {
        **{f"{p}_female_pct": f"Tỷ lệ nữ – {catalogue.pair_label(p)}" for p in pairs},
        FEMALE_LEADER_PCT: "Đơn vị có lãnh đạo chủ chốt là nữ (%)",
    }


# The ranking grid's columns, in the page's order.
GRID_COLUMNS = ["rank", "province_name", "value", "trend", "n_units", "completeness"]


def ranking_grid(values: pd.DataFrame) -> pd.DataFrame:
    """The provinces with a value, in ranking order, as the page's grid lists them (GRID_COLUMNS):
    numbers as Vietnamese text, the rank of a province with few reporting units replaced by the
    note."""
    ranked = values.dropna(subset=["value"])
    if ranked.empty:
        return pd.DataFrame(columns=GRID_COLUMNS)
    return ranked.assign(
        value=ranked["value"].map(pct),
        n_units=ranked["n_units"].map(num),
        rank=[
            SMALL_NOTE if small else num(rank)
            for rank, small in zip(ranked["rank"], ranked["small"], strict=True)
        ],
    )[GRID_COLUMNS]
