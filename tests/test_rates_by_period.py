"""`tracking.rates_by_period` gives, for many periods at once, exactly what `tracking.rates` gives
one period at a time: the same groups, counts and rates, on both backends."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Connection, Engine, select, text, update

from data_access.db.catalogue import load as load_catalogue
from data_access.db.models import Period, Submission, Unit
from data_access.db.value_tables import refresh_summary
from data_access.domain.filters import Filters
from data_access.domain.province_sets import ProvinceSet
from data_access.queries import tracking

GROUPINGS = [(), ("agency",), ("province",), ("agency", "province"), ("level",)]
FILTERS = [
    Filters(),
    Filters(agencies=("BHXH",)),
    Filters(province_set=ProvinceSet.LEGACY),
    Filters(provinces=("01", "79"), levels=("provincial", "district")),
    Filters(units=("BHXH-QUANGTRI", "BHXH-HANOI")),
]


def _one_by_one(
    engine: Engine, periods: list[str], by: tuple[str, ...], f: Filters
) -> pd.DataFrame:
    frames = [tracking.rates(engine, p, by, f).assign(period=p) for p in periods]
    return pd.concat(frames, ignore_index=True)


def _same(batched: pd.DataFrame, reference: pd.DataFrame, by: tuple[str, ...]) -> None:
    keys = ["period", *(c for g in by for c in tracking._GROUP_COLUMNS[g])]
    columns = [*keys, *tracking.COUNTS, "received", "reporting_rate", "on_time_rate"]

    def ordered(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame[columns].sort_values(keys, kind="stable").reset_index(drop=True)
        for col in [*tracking.COUNTS, "received"]:
            frame[col] = frame[col].astype("int64")
        for col in ("reporting_rate", "on_time_rate"):
            frame[col] = frame[col].astype("float64")
        return frame

    pd.testing.assert_frame_equal(ordered(batched), ordered(reference))


def _periods(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        stored = list(conn.execute(select(Period.code)).scalars())
    # A period nobody reported for yet still expects its active units.
    return [*sorted(stored), "2030-Y"]


@pytest.mark.parametrize("by", GROUPINGS)
@pytest.mark.parametrize("f", FILTERS, ids=["all", "agency", "legacy", "province-level", "units"])
def test_many_periods_at_once_equal_one_at_a_time(
    shared_sample_engine: Engine, by: tuple[str, ...], f: Filters
) -> None:
    periods = _periods(shared_sample_engine)
    batched = tracking.rates_by_period(shared_sample_engine, periods, by, f)
    reference = _one_by_one(shared_sample_engine, periods, by, f)
    assert len(reference) >= len(periods) and reference["received"].sum() > 0  # not all empty
    _same(batched, reference, by)


def _a_reporter_of_2025(conn: Connection) -> int:
    """The id of a unit that reported for 2025-Y."""
    return conn.execute(
        select(Submission.unit_id)
        .join(Period, Period.id == Submission.period_id)
        .where(Period.code == "2025-Y")
        .limit(1)
    ).scalar_one()


def test_a_unit_that_reported_after_it_closed_is_expected_and_counted(
    sample_engine: Engine,
) -> None:
    """Expected = active on the due date, or reported for the period: a unit closed before the
    due date that reported anyway counts once, received, not missing."""
    with sample_engine.begin() as conn:
        unit_id = _a_reporter_of_2025(conn)
        conn.execute(update(Unit).where(Unit.id == unit_id).values(active_to=dt.date(2025, 1, 1)))
    for by in [(), ("agency",)]:
        batched = tracking.rates_by_period(sample_engine, ["2025-Y", "2024-Y"], by)
        _same(batched, _one_by_one(sample_engine, ["2025-Y", "2024-Y"], by, Filters()), by)


def _recount_2025(conn: Connection) -> None:
    period_id = conn.execute(select(Period.id).where(Period.code == "2025-Y")).scalar_one()
    refresh_summary(conn, load_catalogue(conn), [period_id])


def test_an_empty_registry_expects_nobody(engine: Engine) -> None:
    """Nothing reported in an empty registry: no group is expected, the total is one row of 0."""
    total = tracking.rates_by_period(engine, ["2025-Y", "2026-H1"])
    assert total["period"].tolist() == ["2025-Y", "2026-H1"]
    assert total[tracking.COUNTS].to_numpy().sum() == 0
    assert tracking.rates_by_period(engine, ["2025-Y"], ("agency",)).empty
    assert tracking.rates_by_period(engine, []).empty


@pytest.mark.parametrize(
    "received",
    [
        dt.datetime(2025, 11, 30, 23, 59, 59),  # the due date's last second: on time
        dt.datetime(2025, 12, 1, 0, 0),  # the next day's first instant: late
        dt.datetime(2025, 12, 1, 0, 0, 0, 1),
    ],
)
def test_the_due_date_is_compared_as_a_date(sample_engine: Engine, received: dt.datetime) -> None:
    with sample_engine.begin() as conn:
        unit_id = _a_reporter_of_2025(conn)
        conn.execute(
            update(Submission)
            .where(Submission.unit_id == unit_id)
            .where(
                Submission.period_id
                == select(Period.id).where(Period.code == "2025-Y").scalar_subquery()
            )
            .values(received_at=received)
        )
        # The late reports are counted in the summary: a write that moves a time keeps it.
        _recount_2025(conn)
    batched = tracking.rates_by_period(sample_engine, ["2025-Y"])
    _same(batched, _one_by_one(sample_engine, ["2025-Y"], (), Filters()), ())


@pytest.mark.parametrize("stored", ["2025-12-01", "2025-12-01 00:00:00", "2025-11-30 23:59:59.999"])
def test_sqlite_text_forms_of_a_time_count_by_their_day(
    sqlite_sample_engine: Engine, stored: str
) -> None:
    """SQLite keeps times as text, and rows written by other tools may lack the microseconds."""
    with sqlite_sample_engine.begin() as conn:
        period_id = conn.execute(select(Period.id).where(Period.code == "2025-Y")).scalar_one()
        conn.execute(
            text(
                "UPDATE submissions SET received_at = :t WHERE id IN "
                "(SELECT id FROM submissions WHERE period_id = :p LIMIT 3)"
            ),
            {"t": stored, "p": period_id},
        )
        _recount_2025(conn)
    batched = tracking.rates_by_period(sqlite_sample_engine, ["2025-Y"], ("agency",))
    _same(
        batched, _one_by_one(sqlite_sample_engine, ["2025-Y"], ("agency",), Filters()), ("agency",)
    )
