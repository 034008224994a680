"""The leadership page's first units without a female key leader, read only from the provinces
that hold them (issue #18: the page within 2x of the reference at a million submissions), are
exactly the first rows of the full listing: on both backends, under filters, and when the
summary that picks the provinces is wrong."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from data_access.domain.filters import Filters
from data_access.domain.province_sets import ProvinceSet
from data_access.queries import aggregate as aggregate_module
from data_access.queries import tracking
from data_access.queries.aggregate import LEADING_ORDER, aggregate
from data_access.views import leadership

ORDER = (*LEADING_ORDER, "unit_name")

SELECTIONS = [
    Filters(year_from=2020, year_to=2024),  # before the reform: named by the recorded province
    Filters(periods=("2025-Y",)),  # after it: named by the 2025 province
    Filters(periods=("2022-Y",), province_set=ProvinceSet.LEGACY),
    Filters(year_from=2020, year_to=2024, agencies=("BHXH",)),
    Filters(periods=("2023-Y",), levels=("district",)),
    Filters(periods=("2024-Y",), provinces=("01", "79", "48")),
    Filters(periods=("2024-Y",), include_unapproved=True),
]
LIMITS = [1, 3, 10, 40]


def _full(engine: Engine, f: Filters) -> pd.DataFrame:
    return leadership.units_without_female_leader(engine, f)


@pytest.mark.parametrize("f", SELECTIONS, ids=[str(i) for i in range(len(SELECTIONS))])
def test_first_units_are_the_head_of_the_full_listing(
    shared_sample_engine: Engine, f: Filters
) -> None:
    every = _full(shared_sample_engine, f)
    assert len(every) > 0
    for limit in [*LIMITS, len(every) - 1, len(every), len(every) + 5]:
        first = leadership.units_without_female_leader(shared_sample_engine, f, max(limit, 0))
        pd.testing.assert_frame_equal(first, every.head(max(limit, 0)).reset_index(drop=True))


@pytest.mark.parametrize("zero", [None, "key_leaders_female"])
def test_units_by_agency_and_province_with_a_limit(
    shared_sample_engine: Engine, zero: str | None
) -> None:
    """aggregate itself, with and without the zero filter (every unit, in order)."""
    f = Filters(periods=("2024-Y",))
    codes = ["key_leaders_total", "key_leaders_female"]
    every = aggregate(
        shared_sample_engine, f, by=("unit",), indicators=codes, zero=zero, order=ORDER
    )
    for limit in LIMITS:
        first = aggregate(
            shared_sample_engine,
            f,
            by=("unit",),
            indicators=codes,
            zero=zero,
            order=ORDER,
            limit=limit,
        )
        pd.testing.assert_frame_equal(first, every.head(limit).reset_index(drop=True))


def test_a_small_limit_reads_only_the_leading_provinces(shared_sample_engine: Engine) -> None:
    """The narrowing is taken (a few provinces' units, not every unit) for a screenful."""
    f = Filters(periods=("2024-Y",))
    with shared_sample_engine.connect() as conn:
        catalogue = aggregate_module.catalogue_mod.load(conn)
        resolved = aggregate_module._resolve(conn, f)
        leading = aggregate_module._leading_units(
            conn, catalogue, f, resolved, "key_leaders_female", 3
        )
        assert leading is not None
        units = conn.execute(leading).scalars().all()
        every = conn.execute(text("SELECT count(*) FROM units")).scalar_one()
    assert 3 <= len(units) < every


@pytest.mark.parametrize("change", [+50, -50], ids=["summary counts more", "summary counts less"])
def test_a_wrong_summary_never_changes_the_rows(sample_engine: Engine, change: int) -> None:
    """Whatever the summary says, the listing is the units' own: a summary counting more than
    the units hold costs the full read, one counting less reads more provinces."""
    f = Filters(periods=("2024-Y",))
    every = _full(sample_engine, f)
    with sample_engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE submission_summary SET n_key_leaders_reported = "
                "n_key_leaders_reported + :change WHERE n_key_leaders_reported + :change >= 0"
            ),
            {"change": change},
        )
    for limit in LIMITS:
        first = leadership.units_without_female_leader(sample_engine, f, limit)
        pd.testing.assert_frame_equal(first, every.head(limit).reset_index(drop=True))


COMPLETENESS_SELECTIONS = [
    Filters(),
    Filters(agencies=("BHXH",)),
    Filters(province_set=ProvinceSet.LEGACY, provinces=("01", "02")),
    Filters(provinces=("01", "79")),
    Filters(levels=("district",)),
    Filters(agencies=("THADS",), levels=("provincial",)),
    Filters(scope=("BHXH",)),
    Filters(agencies=("NOPE",)),  # no unit
]


@pytest.mark.parametrize("period", ["2018-H1", "2022-Y", "2024-Y", "2025-Y", "2026-H1"])
@pytest.mark.parametrize("by", [(), ("agency",), ("province",), ("agency", "level")])
@pytest.mark.parametrize(
    "f", COMPLETENESS_SELECTIONS, ids=[str(i) for i in range(len(COMPLETENESS_SELECTIONS))]
)
def test_completeness_equals_the_unit_by_unit_join(
    shared_sample_engine: Engine, period: str, by: tuple[str, ...], f: Filters
) -> None:
    counted = tracking.completeness(shared_sample_engine, period, by, f)
    joined = tracking._completeness_by_units(shared_sample_engine, period, by, f)
    pd.testing.assert_frame_equal(counted, joined)


def test_completeness_counts_units_that_reported_while_inactive(sample_engine: Engine) -> None:
    """A unit closed before the due date that still reported is expected (and received)."""
    with sample_engine.begin() as conn:
        closed = conn.execute(
            text(
                "UPDATE units SET active_to = :closed WHERE id IN (SELECT s.unit_id FROM "
                "submissions s JOIN periods p ON p.id = s.period_id WHERE p.code = '2024-Y' "
                "ORDER BY s.unit_id LIMIT 3)"
            ),
            {"closed": "2020-01-01"},
        ).rowcount
    assert closed == 3
    for by in [(), ("agency",)]:
        counted = tracking.completeness(sample_engine, "2024-Y", by, Filters())
        joined = tracking._completeness_by_units(sample_engine, "2024-Y", by, Filters())
        pd.testing.assert_frame_equal(counted, joined)
