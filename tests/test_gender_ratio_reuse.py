"""The gender ratio page reads fewer aggregates (issue #18: 2,2× the reference on PostgreSQL,
where every statement is a round trip): the latest period and the agencies at it come from the
years' figures the page reads anyway, the units' spread of one period does not look its latest
period up again, and resolving a selection asks for the periods' end dates with the periods.
Each gives what the former reads, kept here as the oracle, gave: on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Connection, Engine, event, func, select

from data_access.db.models import Agency, Period, Province
from data_access.domain.filters import Filters
from data_access.domain.province_sets import REFORM_DATE, ProvinceSet
from data_access.queries import aggregate as aggregate_module
from data_access.queries.aggregate import unit_figures
from data_access.views import gender_ratio
from data_access.views.common import codes, latest_period

SELECTIONS = [
    Filters(year_from=2018, year_to=2026),  # the bench's first run
    Filters(year_from=2020, year_to=2024, agencies=("BHXH",)),  # its uncached run
    Filters(period_kind="H1", year_from=2022, year_to=2025),
    Filters(year_from=2021, year_to=2025, levels=("district",), provinces=("01", "79")),
    Filters(year_from=2020, year_to=2023, province_set=ProvinceSet.LEGACY),
    Filters(year_from=2023, year_to=2025, include_unapproved=True),
]
IDS = [str(i) for i in range(len(SELECTIONS))]


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: Any) -> None:  # conn, cursor, statement, parameters, context, many
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize("by", ["agency", "province"])
@pytest.mark.parametrize("f", SELECTIONS, ids=IDS)
def test_a_period_of_the_years_is_that_period_read_alone(
    shared_sample_engine: Engine, f: Filters, by: str
) -> None:
    period = latest_period(shared_sample_engine, f)
    assert period is not None
    over_time = gender_ratio.ratio_over_time(shared_sample_engine, f, by)
    alone = gender_ratio.ratio_over_time(shared_sample_engine, f.with_(periods=(period,)), by)
    assert len(alone) > 0
    pd.testing.assert_frame_equal(gender_ratio.ratio_at(over_time, period), alone, check_exact=True)


@pytest.mark.parametrize(
    "f", [*SELECTIONS, Filters(year_from=2030, year_to=2031)], ids=[*IDS, "none"]
)
def test_the_latest_period_of_the_years_is_the_selections(
    shared_sample_engine: Engine, f: Filters
) -> None:
    over_time = gender_ratio.ratio_over_time(shared_sample_engine, f, "agency")
    assert gender_ratio.latest_of(over_time) == latest_period(shared_sample_engine, f)


def former_unit_spread(engine: Engine, f: Filters) -> gender_ratio.UnitSpread:
    period = latest_period(engine, f)
    staff = codes(("staff",))
    units = (
        pd.DataFrame({c: pd.Series(dtype="float64") for c in staff})
        if period is None
        else unit_figures(engine, f.with_(periods=(period,)), staff)
    )
    total = units["staff_total"]
    units["staff_female_pct"] = 100 * units["staff_female"] / total.where(total > 0)
    shares = units["staff_female_pct"]
    bins = gender_ratio.share_bins(shares)
    if units.empty:
        return gender_ratio.UnitSpread(units, None, None, bins)
    balanced = float(100 * shares.between(40, 60).mean())
    return gender_ratio.UnitSpread(units, balanced, float(shares.median()), bins)


SPREADS = [
    Filters(periods=("2024-Y",), agencies=("BHXH",)),  # the page's: the latest period
    Filters(periods=("2025-H1",), levels=("district",)),  # district units closed in 2025
    Filters(periods=("2022-Y",), province_set=ProvinceSet.LEGACY, provinces=("01",)),
    Filters(periods=("2024-Y",), include_unapproved=True),
    Filters(periods=("2039-Y",)),  # no such period
    Filters(periods=("2024-Y",), agencies=("KHONGCO",)),  # no such agency
    Filters(year_from=2020, year_to=2024),  # several periods: the latest looked up as before
    Filters(periods=("2023-Y", "2024-Y")),
]


@pytest.mark.parametrize("f", SPREADS, ids=[str(i) for i in range(len(SPREADS))])
def test_unit_spread_equals_the_former(shared_sample_engine: Engine, f: Filters) -> None:
    got = gender_ratio.unit_spread(shared_sample_engine, f)
    expected = former_unit_spread(shared_sample_engine, f)
    pd.testing.assert_frame_equal(got.units, expected.units, check_exact=True)
    pd.testing.assert_frame_equal(got.bins, expected.bins, check_exact=True)
    assert (got.balanced_pct, got.median_pct) == (expected.balanced_pct, expected.median_pct)


def test_the_spread_of_one_period_reads_no_summary(shared_sample_engine: Engine) -> None:
    f = Filters(periods=("2024-Y",), agencies=("BHXH",))
    with statements(shared_sample_engine) as seen:
        spread = gender_ratio.unit_spread(shared_sample_engine, f)
    assert len(spread.units) > 0
    assert not [s for s in seen if "submission_summary" in s]


def former_resolve(conn: Connection, f: Filters) -> aggregate_module._Resolved:
    pq = select(Period.id).order_by(Period.year, Period.kind)
    if f.periods:
        pq = pq.where(Period.code.in_(f.periods))
    else:
        pq = pq.where(Period.kind == f.period_kind)
        if f.year_from is not None:
            pq = pq.where(Period.year >= f.year_from)
        if f.year_to is not None:
            pq = pq.where(Period.year <= f.year_to)
    period_ids = list(conn.execute(pq).scalars())
    agency_codes = f.agency_codes()
    agency_ids = (
        list(conn.execute(select(Agency.id).where(Agency.code.in_(sorted(agency_codes)))).scalars())
        if agency_codes is not None
        else None
    )
    province_ids = (
        list(
            conn.execute(
                select(Province.id).where(
                    Province.code_set == f.province_set, Province.code.in_(f.provinces)
                )
            ).scalars()
        )
        if f.provinces
        else None
    )
    last_end = (
        conn.execute(select(func.max(Period.end_date)).where(Period.id.in_(period_ids))).scalar()
        if period_ids
        else None
    )
    return aggregate_module._Resolved(
        period_ids,
        period_ids[-1] if period_ids else None,
        agency_ids,
        province_ids,
        before_reform=last_end is not None and last_end < REFORM_DATE,
    )


RESOLVED = [
    *SELECTIONS,
    *SPREADS,
    Filters(year_from=2018, year_to=2024),  # every period before the reform
    Filters(year_from=2030, year_to=2031),  # none
    Filters(agencies=("BHXH", "BNV"), scope=("BHXH",)),
]


@pytest.mark.parametrize("f", RESOLVED, ids=[str(i) for i in range(len(RESOLVED))])
def test_resolve_equals_the_former_in_fewer_statements(
    shared_sample_engine: Engine, f: Filters
) -> None:
    with shared_sample_engine.connect() as conn:
        expected = former_resolve(conn, f)
        with statements(shared_sample_engine) as seen:
            got = aggregate_module._resolve(conn, f)
    assert got == expected
    lookups = 1 + (f.agency_codes() is not None) + bool(f.provinces)
    assert len(seen) == lookups


def test_before_the_reform_is_read_from_the_periods_end_dates(sqlite_sample_engine: Engine) -> None:
    """Both sides of the reorganisation (2025-07-01): the flag really varies in RESOLVED."""
    with sqlite_sample_engine.connect() as conn:
        before = aggregate_module._resolve(conn, Filters(year_from=2018, year_to=2024))
        after = aggregate_module._resolve(conn, Filters(year_from=2018, year_to=2025))
    assert (before.before_reform, after.before_reform) == (True, False)
