"""The overview's reads after its trend run at once, and count the units once for the reporting
rate and the completeness (issue #18: 2,2×/2,7× the reference at a million submissions); the
gender ratio page reads its latest period's provinces and spread at once. Each gives what the
former sequential reads, kept here as the oracle, gave: on both backends."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access.db.catalogue import PARITY, PairGroup
from data_access.db.concurrent import Reads
from data_access.domain.filters import Filters
from data_access.domain.periods import parse_period
from data_access.queries import tracking
from data_access.queries.aggregate import FEMALE_LEADER_PCT, aggregate
from data_access.queries.comparison import compare
from data_access.views import common, gender_ratio
from data_access.views import overview as overview_module
from data_access.views.common import (
    codes,
    group,
    mark_small,
    one_agency,
    target_for,
    targets,
)
from data_access.views.overview import LAGGARDS_SHOWN, Overview
from tests.test_overview_fast import SELECTIONS, assert_same

UNITS = Filters(year_from=2020, year_to=2024, units=("BHXH-TW01", "THADS-PHUTHO-KV1"))
ALL = [*SELECTIONS, UNITS]
IDS = [str(i) for i in range(len(ALL))]


def former_overview(
    engine: Engine,
    f: Filters,
    laggards_by: str = "agency",
    at_own_latest: Callable[..., pd.DataFrame] = common.at_own_latest,
) -> Overview:
    """views.overview.overview before its reads ran at once (0e29288), step by step."""
    pairs = group(engine, PairGroup.HEADLINE)
    trend = aggregate(engine, f, by=("period",), indicators=codes(pairs))
    if trend.empty:
        return Overview(trend, None, None, None, pd.DataFrame(), None, pairs)
    latest = trend.iloc[-1]
    previous = trend.iloc[-2] if len(trend) > 1 else None
    reporting = tracking.rates_by_period(engine, [latest["period"]], filters=f).iloc[0]
    table = targets(engine, one_agency(f))
    target = target_for(int(latest["year"]), table)
    by = at_own_latest(engine, f, laggards_by, codes(pairs), str(latest["period"]))
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
    matched = (
        compare(engine, f, str(latest["period"]), str(previous["period"]), codes(pairs))
        if previous is not None
        else None
    )
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
    )


@pytest.mark.parametrize("by", ["agency", "province"])
@pytest.mark.parametrize("f", ALL, ids=IDS)
def test_overview_equals_the_former_sequential_reads(
    shared_sample_engine: Engine, f: Filters, by: str
) -> None:
    got = overview_module.overview(shared_sample_engine, f, by)
    expected = former_overview(shared_sample_engine, f, by)
    assert_same(got, expected)
    assert (got.comparison is None) == (expected.comparison is None)
    if got.comparison is not None and expected.comparison is not None:
        for side in ("now", "before"):
            a, b = getattr(got.comparison, side), getattr(expected.comparison, side)
            pd.testing.assert_series_equal(a, b, check_exact=True)
        counts = ("period", "previous", "matched", "new", "closed", "not_reported")
        assert [getattr(got.comparison, c) for c in counts] == [
            getattr(expected.comparison, c) for c in counts
        ]


PERIODS: list[Sequence[str]] = [["2024-Y"], ["2020-Y", "2023-Y"], ["2031-Y"], ["2024-Y", "2031-Y"]]


@pytest.mark.parametrize("by", ["agency", "province", "level"])
@pytest.mark.parametrize("periods", PERIODS, ids=["one", "two", "none held", "one held"])
@pytest.mark.parametrize("f", ALL, ids=IDS)
def test_totals_of_the_groups_are_the_total(
    shared_sample_engine: Engine, f: Filters, periods: Sequence[str], by: str
) -> None:
    grouped = tracking.rates_by_period(shared_sample_engine, periods, (by,), f)
    total = tracking.rates_by_period(shared_sample_engine, periods, (), f)
    got = tracking.totals_of(grouped, periods)
    pd.testing.assert_frame_equal(got, total, check_exact=True)


@pytest.mark.parametrize("by", ["agency", "province"])
@pytest.mark.parametrize("f", ALL, ids=IDS)
def test_completeness_from_the_rates_by_group_is_the_same(
    shared_sample_engine: Engine, f: Filters, by: str
) -> None:
    indicators = codes(("staff", "managers"))
    latest = common.latest_period(shared_sample_engine, f) or "2024-Y"
    frame = aggregate(shared_sample_engine, f, by=(by,), indicators=indicators)
    rates = tracking.rates_by_period(shared_sample_engine, [latest], (by,), f)
    got = common.with_own_completeness(shared_sample_engine, frame, f, by, latest, {latest: rates})
    expected = common.at_own_latest(shared_sample_engine, f, by, indicators, latest)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


# The selections with a report (at_latest is asked only for a period the page has found).
REPORTED = [f for f in ALL[:-1] if not (f.year_from or 0) > 2026]


@pytest.mark.parametrize("f", REPORTED)
def test_at_latest_is_the_two_reads_of_the_period(shared_sample_engine: Engine, f: Filters) -> None:
    period = common.latest_period(shared_sample_engine, f)
    assert period is not None
    got = gender_ratio.at_latest(shared_sample_engine, f, period)
    alone = f.with_(periods=(period,))
    expected = gender_ratio.unit_spread(shared_sample_engine, alone)
    pd.testing.assert_frame_equal(
        got.by_province,
        gender_ratio.ratio_over_time(shared_sample_engine, alone, "province"),
        check_exact=True,
    )
    pd.testing.assert_frame_equal(got.spread.units, expected.units, check_exact=True)
    pd.testing.assert_frame_equal(got.spread.bins, expected.bins, check_exact=True)
    assert (got.spread.balanced_pct, got.spread.median_pct) == (
        expected.balanced_pct,
        expected.median_pct,
    )


def test_reads_run_at_once() -> None:
    # Each read waits for the other: run one after the other, the barrier times out.
    barrier = threading.Barrier(2, timeout=10)
    with Reads() as reads:
        first, second = reads.start(barrier.wait), reads.start(barrier.wait)
    assert {first.result(), second.result()} == {0, 1}


def test_a_failed_read_raises_in_the_caller_after_the_others_end() -> None:
    ended = threading.Event()

    def fails() -> None:
        raise ValueError("boom")

    def slow() -> None:
        ended.wait(0.2)
        ended.set()

    with Reads() as reads:
        failed, other = reads.start(fails), reads.start(slow)
    assert ended.is_set() and other.done()
    with pytest.raises(ValueError, match="boom"):
        failed.result()
