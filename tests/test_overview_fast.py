"""The overview's own reads made lighter (issue #18: 5,6× the reference at a million submissions):
aggregate's last steps on arrays, each agency's completeness read once when all reported last in
the same period. The page's figures are exactly those of the former steps, kept here as the
oracle: on both backends, by agency and by province, for the bench's selections and others."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pytest
from sqlalchemy import Engine

from data_access.domain.filters import Filters
from data_access.domain.periods import period_label
from data_access.domain.province_sets import ProvinceSet
from data_access.queries import aggregate as aggregate_module
from data_access.queries.aggregate import aggregate
from data_access.views import common
from data_access.views import overview as overview_module
from data_access.views.common import with_completeness
from tests.test_aggregate_shares_fast import former_stocks_at_each_latest, former_with_shares

SELECTIONS = [
    Filters(year_from=2018, year_to=2026),  # the bench's first run: agencies at two periods
    Filters(year_from=2020, year_to=2024, agencies=("BHXH",)),  # its uncached run
    Filters(periods=("2024-Y",)),
    Filters(period_kind="H1", year_from=2022, year_to=2025, levels=("district",)),
    Filters(year_from=2020, year_to=2023, province_set=ProvinceSet.LEGACY),
    Filters(year_from=2023, year_to=2025, include_unapproved=True, provinces=("01", "79")),
    Filters(year_from=2030, year_to=2031),  # nothing reported
]
IDS = [str(i) for i in range(len(SELECTIONS))]


def former_at_own_latest(
    engine: Engine, f: Filters, by: str, indicators: Sequence[str], latest: str
) -> pd.DataFrame:
    frame = aggregate(engine, f, by=(by,), indicators=indicators)
    if frame.empty:
        return frame
    if "stock_period" not in frame:
        frame["stock_period"] = latest
    parts = [
        with_completeness(engine, part, f, str(period), by)
        for period, part in frame.groupby("stock_period", sort=False)
    ]
    out = pd.concat(parts, ignore_index=True)
    out["note"] = [
        "" if p == latest else f"số liệu {period_label(p).lower()}" for p in out["stock_period"]
    ]
    return out


def former_overview(
    engine: Engine, f: Filters, by: str, monkeypatch: pytest.MonkeyPatch
) -> overview_module.Overview:
    with monkeypatch.context() as m:
        m.setattr(aggregate_module, "with_shares", former_with_shares)
        m.setattr(aggregate_module, "_stocks_at_each_latest", former_stocks_at_each_latest)
        # The overview as it read before its reads ran at once (tests/test_overview_concurrent.py)
        from tests.test_overview_concurrent import former_overview as sequential

        return sequential(engine, f, by, at_own_latest=former_at_own_latest)


def assert_same(got: overview_module.Overview, expected: overview_module.Overview) -> None:
    pd.testing.assert_frame_equal(got.trend, expected.trend, check_exact=True)
    pd.testing.assert_frame_equal(got.laggards, expected.laggards, check_exact=True)
    for name in ("latest", "previous", "reporting"):
        a, b = getattr(got, name), getattr(expected, name)
        assert (a is None) == (b is None), name
        if a is not None:
            pd.testing.assert_series_equal(a, b, check_exact=True)
    assert got.changes == expected.changes
    assert (got.target, got.target_gap, got.leader_share_change, got.small, got.pairs) == (
        expected.target,
        expected.target_gap,
        expected.leader_share_change,
        expected.small,
        expected.pairs,
    )


@pytest.mark.parametrize("by", ["agency", "province"])
@pytest.mark.parametrize("f", SELECTIONS, ids=IDS)
def test_overview_equals_the_former_reads(
    shared_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch, f: Filters, by: str
) -> None:
    got = overview_module.overview(shared_sample_engine, f, by)
    expected = former_overview(shared_sample_engine, f, by, monkeypatch)
    assert_same(got, expected)


@pytest.mark.parametrize("by", ["agency", "province"])
@pytest.mark.parametrize("f", SELECTIONS, ids=IDS)
def test_at_own_latest_equals_the_former(shared_sample_engine: Engine, f: Filters, by: str) -> None:
    codes = common.codes(("staff", "managers", "key_leaders", "heads"))
    latest = common.latest_period(shared_sample_engine, f) or "2024-Y"
    got = common.at_own_latest(shared_sample_engine, f, by, codes, latest)
    expected = former_at_own_latest(shared_sample_engine, f, by, codes, latest)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_the_selections_hold_one_and_several_own_periods(shared_sample_engine: Engine) -> None:
    """Both branches run above: everyone at the latest period, and some at an earlier one."""
    codes = common.codes(("staff",))
    spans = []
    for f in SELECTIONS[:2]:
        latest = common.latest_period(shared_sample_engine, f)
        assert latest is not None
        frame = common.at_own_latest(shared_sample_engine, f, "agency", codes, latest)
        spans.append(frame["stock_period"].nunique())
    assert spans == [2, 1]
