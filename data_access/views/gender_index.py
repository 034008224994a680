"""The gender-index page's ranking: the latest year's rows, as the grid shows them (ranks, their
intervals, the index and its change written the Vietnamese way, the notes), the sentence above it
and the domain scores the comparison chart picks from. Built once per selection (the page used to
derive it on every rerun: ~17 ms of pandas a rerun of a cached page)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_access.analytics.gender_index import DOMAINS, notes
from data_access.domain.formats import MISSING, num
from data_access.views.takeaways import index_ranking

# The grid's text columns, from the table's figures (one decimal for the index, as EIGE writes it).
_ONE_DECIMAL = {
    "index": "index_text",
    "change": "change_text",
    "index_arithmetic": "arithmetic_text",
}
_WHOLE = {"rank": "rank_text", "rank_arithmetic": "arithmetic_rank"}


@dataclass(frozen=True)
class Ranking:
    year: int
    latest: pd.DataFrame  # the year's rows of index_table, ranked first by rank (the CSV's rows)
    shown: pd.DataFrame  # the same rows with the grid's text columns
    takeaway: str | None
    ranked: list[str]  # names with an index, in the table's order: the comparison's choices
    domains: pd.DataFrame  # name, domain (its Vietnamese label), score: every row of the year


def _rank_range(low: float, high: float) -> str:
    if low != low:  # NaN: not ranked
        return MISSING
    return num(low, 0) if low == high else f"{num(low, 0)}–{num(high, 0)}"


def ranking(table: pd.DataFrame) -> Ranking | None:
    """The latest year of `index_table`'s rows; None when no row has an index."""
    if table.empty or table["index"].isna().all():
        return None
    year = int(table["year"].max())
    latest = table[table["year"] == year].reset_index(drop=True)
    shown = latest.assign(
        **{text: latest[col].astype("float64").map(num) for col, text in _WHOLE.items()},
        interval_text=[
            _rank_range(lo, hi)
            for lo, hi in zip(latest["rank_low"], latest["rank_high"], strict=True)
        ],
        **{text: latest[col].map(lambda v: num(v, 1)) for col, text in _ONE_DECIMAL.items()},
        units_text=latest["n_units"].map(lambda v: num(v, 0)),
        flags=notes(latest),
    )
    domains = latest.melt(
        id_vars=["name"],
        value_vars=[f"domain_{d}" for d in DOMAINS],
        var_name="domain",
        value_name="score",
    )
    domains["domain"] = domains["domain"].str.removeprefix("domain_").map(DOMAINS)
    return Ranking(
        year=year,
        latest=latest,
        shown=shown,
        takeaway=index_ranking(latest, "name"),
        ranked=latest.dropna(subset=["index"])["name"].tolist(),
        domains=domains,
    )


def domain_scores(ranking: Ranking, names: tuple[str, ...]) -> pd.DataFrame:
    """The domain scores of the chosen names, for the comparison chart."""
    return ranking.domains[ranking.domains["name"].isin(names)].reset_index(drop=True)
