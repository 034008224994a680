"""The overview page: the headline trend, the reporting rate and the laggards."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from data_access.db.catalogue import PARITY, Catalogue, PairGroup
from data_access.db.concurrent import Reads
from data_access.domain.filters import Filters
from data_access.domain.periods import parse_period
from data_access.queries import tracking
from data_access.queries.aggregate import FEMALE_LEADER_PCT, aggregate
from data_access.queries.comparison import Comparison, compare
from data_access.queries.lookups import load_catalogue
from data_access.views.common import (
    codes,
    mark_small,
    one_agency,
    target_for,
    targets,
    with_own_completeness,
)

# The overview lists this many agencies or provinces furthest from the target.
LAGGARDS_SHOWN = 5
# Shorter names of the headline pairs for the key-figure cards and the trend's legend (the
# overview and the briefing); a pair without one shows its catalogue label.
SHORT_LABELS_VI = {
    "staff": "CCVC, người lao động",
    "managers": "Lãnh đạo, quản lý",
    "key_leaders": "Lãnh đạo chủ chốt",
    "heads": "Người đứng đầu",
}


@dataclass
class Overview:
    trend: pd.DataFrame  # one row per period: female shares, female key leader unit share
    latest: pd.Series | None
    previous: pd.Series | None
    reporting: pd.Series | None  # expected, received, reporting_rate, on_time_rate
    # The LAGGARDS_SHOWN furthest from target / parity among those with enough reporting units
    # and people to be ranked (domain.completeness), with their completeness.
    laggards: pd.DataFrame
    target: float | None
    pairs: tuple[str, ...] = ()  # the headline pairs, in order
    # Change of each pair's female share since the previous period, in percentage points, on
    # the units that reported in both (queries.comparison): like for like.
    changes: dict[str, float | None] = field(default_factory=dict)
    leader_share_change: float | None = None  # the same for units with a female key leader
    comparison: Comparison | None = None  # the comparable units and the population change
    small: list[str] = field(default_factory=list)  # names left unranked: "số liệu ít"
    target_gap: float | None = None  # that share minus the target (≥ 0: reached)
    labels: dict[str, str] = field(default_factory=dict)  # pair → its short label, in order
    lines: pd.DataFrame = field(default_factory=pd.DataFrame)  # year, series, share: the trend


def short_labels(catalogue: Catalogue) -> dict[str, str]:
    """The headline pairs with their short labels, in the catalogue's order."""
    return {
        p: SHORT_LABELS_VI.get(p) or catalogue.pair_label(p)
        for p in catalogue.group(PairGroup.HEADLINE)
    }


def _lines(trend: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """The trend's female shares, one row per year and pair, the pair by its label."""
    long = trend.melt(
        id_vars=["year"],
        value_vars=[f"{p}_female_pct" for p in labels],
        var_name="pair",
        value_name="share",
    )
    long["series"] = long["pair"].str.removesuffix("_female_pct").map(labels)
    return long


def overview(engine: Engine, f: Filters, laggards_by: str = "agency") -> Overview:
    catalogue = load_catalogue(engine)
    pairs = catalogue.group(PairGroup.HEADLINE)
    trend = aggregate(engine, f, by=("period",), indicators=codes(pairs))
    if trend.empty:
        return Overview(trend, None, None, None, pd.DataFrame(), None, pairs)
    latest = trend.iloc[-1]
    previous = trend.iloc[-2] if len(trend) > 1 else None
    period = str(latest["period"])
    # The reads below need only the latest periods: run at once, each on its own connection
    # (db.concurrent), the slowest first.
    with Reads() as reads:
        matched_read = (
            reads.start(compare, engine, f, period, str(previous["period"]), codes(pairs))
            if previous is not None
            else None
        )
        # The reporting rate in total and each agency's or province's completeness: one count.
        rates_read = reads.start(tracking.rates_by_period, engine, [period], (laggards_by,), f)
        stocks_read = reads.start(aggregate, engine, f, (laggards_by,), codes(pairs))
        table_read = reads.start(targets, engine, one_agency(f))
    rates = rates_read.result()
    reporting = tracking.totals_of(rates, [period]).iloc[0]
    table = table_read.result()
    target = target_for(int(latest["year"]), table)
    # Each agency or province at its own latest report: one that stopped reporting is still
    # listed, dated, and measured against the target in force that year.
    known = {period: rates}
    by = with_own_completeness(engine, stocks_read.result(), f, laggards_by, period, known)
    by = mark_small(by, people="managers_total")
    own_target = [target_for(int(parse_period(p).year), table) or 0 for p in by["stock_period"]]
    by["target_gap"] = (
        pd.Series(own_target, index=by.index, dtype="float64") - by[FEMALE_LEADER_PCT]
    )
    by["parity_gap"] = PARITY - by["managers_female_pct"]
    laggards = (
        by[~by["small"]]
        .sort_values(["target_gap", "parity_gap"], ascending=False)
        .head(LAGGARDS_SHOWN)
    )
    share = latest[FEMALE_LEADER_PCT]
    matched = matched_read.result() if matched_read is not None else None
    labels = short_labels(catalogue)
    return Overview(
        trend,
        latest,
        previous,
        reporting,
        laggards.reset_index(drop=True),
        target,
        pairs,
        changes={p: matched.change(f"{p}_female_pct") if matched else None for p in pairs},
        leader_share_change=matched.change(FEMALE_LEADER_PCT) if matched else None,
        comparison=matched,
        small=sorted(by.loc[by["small"], f"{laggards_by}_name"].astype(str)),
        target_gap=None if target is None or pd.isna(share) else float(share - target),
        labels=labels,
        lines=_lines(trend, labels),
    )
