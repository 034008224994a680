"""submission_summary.n_late: the submissions of each cell received on a day after the period's
due date, kept by the difference each write makes and equal to a count made in Python from the
stored submissions; and tracking's counts over many periods, read from it, equal to the unit by
unit walk of `tracking.rates`. On both backends."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Connection, Engine, select, update

from data_access import ingest, schema
from data_access.db.catalogue import load as load_catalogue
from data_access.db.models import Period, Submission, Unit
from data_access.db.value_tables import add_to_summary, tables
from data_access.domain.filters import Filters
from data_access.domain.periods import parse_period
from data_access.ingest.validation import unit_reference
from data_access.queries import tracking

KEYS = ["period_id", "agency_id", "province_id", "level"]
TODAY = dt.date(2026, 11, 22)


def _late_recounted(conn: Connection) -> pd.Series:
    """n_late of every summary cell, counted in Python from the submissions as they are."""
    rows = pd.DataFrame(
        conn.execute(
            select(
                Submission.period_id,
                Unit.agency_id,
                Unit.province_id,
                Unit.level,
                Submission.received_at,
                Period.due_date,
            )
            .join(Unit, Unit.id == Submission.unit_id)
            .join(Period, Period.id == Submission.period_id)
        ).all(),
        columns=[*KEYS, "received_at", "due_date"],
    )
    late = [
        pd.notna(received) and received.date() > due
        for received, due in zip(rows["received_at"], rows["due_date"], strict=True)
    ]
    return rows.assign(late=late).groupby(KEYS)["late"].sum().astype("int64")


def _late_stored(conn: Connection) -> pd.Series:
    _, summary = tables(load_catalogue(conn))
    rows = conn.execute(select(*summary.c[*KEYS], summary.c.n_late)).all()
    return pd.DataFrame(rows, columns=[*KEYS, "n_late"]).set_index(KEYS)["n_late"].astype("int64")


def _assert_late_equals_recount(engine: Engine) -> int:
    """The summary's n_late equal to the recount in every cell; the late reports in all."""
    with engine.connect() as conn:
        stored, recounted = _late_stored(conn), _late_recounted(conn)
    assert stored.index.is_unique
    pd.testing.assert_series_equal(
        stored.sort_index(),
        recounted.reindex(stored.index, fill_value=0).sort_index(),
        check_names=False,
    )
    # No cell of submissions lacks its summary row.
    assert recounted.index.difference(stored.index).empty
    return int(stored.sum())


def test_the_loaded_sample_counts_its_late_reports(sample_engine: Engine) -> None:
    late = _assert_late_equals_recount(sample_engine)
    with sample_engine.connect() as conn:
        received = conn.execute(select(Submission.id)).all()
    assert 0 < late < len(received)  # some reports late, not all


def test_the_migration_counts_the_late_reports_of_a_loaded_database(sample_engine: Engine) -> None:
    """0014l on a database loaded before it: every cell's n_late backfilled from its
    submissions."""
    schema.downgrade(sample_engine, "0013c")
    schema.upgrade(sample_engine)
    assert _assert_late_equals_recount(sample_engine) > 0


def _unreported(conn: Connection, period: str, n: int) -> list[str]:
    """Codes of n active units with no submission for `period`."""
    period_id = select(Period.id).where(Period.code == period).scalar_subquery()
    reported = select(Submission.unit_id).where(Submission.period_id == period_id)
    return list(
        conn.execute(
            select(Unit.code)
            .where(Unit.active_to.is_(None), Unit.id.not_in(reported))
            .order_by(Unit.code)
            .limit(n)
        ).scalars()
    )


def _upload_new(engine: Engine, period: str, n: int) -> int:
    with engine.connect() as conn:
        codes = _unreported(conn, period, n)
    assert len(codes) == n
    lines = ["unit_code,period,staff_total,staff_female"]
    lines += [f"{code},{period},{40 + i},{20 + i}" for i, code in enumerate(codes)]
    report = ingest.commit(
        engine,
        "moi.csv",
        ("\n".join(lines) + "\n").encode(),
        user="thuky",
        accept_warnings=True,
        today=TODAY,
    )
    assert report.committed and report.batch_id is not None, report.message
    return report.batch_id


def test_an_upload_of_new_reports_after_the_due_date_adds_them_late_and_a_rollback_removes_them(
    sample_engine: Engine,
) -> None:
    """Received now, long after 2025-Y's due date: each new row is late, added by difference
    (no recount of the period); the rollback takes them out again."""
    before = _assert_late_equals_recount(sample_engine)
    batch_id = _upload_new(sample_engine, "2025-Y", 5)
    assert _assert_late_equals_recount(sample_engine) == before + 5
    ingest.rollback(sample_engine, batch_id, user="thuky")
    assert _assert_late_equals_recount(sample_engine) == before


def _one_2025_report(conn: Connection) -> tuple[int, int, dt.datetime | None]:
    return tuple(  # type: ignore[return-value]
        conn.execute(
            select(Submission.unit_id, Submission.period_id, Submission.received_at)
            .join(Period, Period.id == Submission.period_id)
            .where(Period.code == "2025-Y")
            .order_by(Submission.unit_id)
            .limit(1)
        ).one()
    )


@pytest.mark.parametrize(
    "received",
    [
        dt.datetime(2025, 11, 30, 23, 59, 59, 999999),  # the due date's last instant: on time
        dt.datetime(2025, 12, 1, 0, 0),  # the next day's first: late
        dt.datetime(2024, 1, 2, 8, 0),  # long before
        None,  # no time recorded: counted on time, as tracking does
    ],
)
def test_a_write_that_moves_only_the_received_time_leaves_the_late_count_a_recount_gives(
    sample_engine: Engine, received: dt.datetime | None
) -> None:
    """The row's figures stay; only its time moves, to `received`, then to a late time."""
    with sample_engine.connect() as conn:
        unit_id, period_id, _ = _one_2025_report(conn)
    for moved_to in (received, dt.datetime(2026, 3, 1, 10, 0)):
        _move(sample_engine, unit_id, period_id, moved_to)
        _assert_late_equals_recount(sample_engine)


def _move(engine: Engine, unit_id: int, period_id: int, to: dt.datetime | None) -> None:
    """Write a new received time on the row, and its difference to the summary."""
    with engine.begin() as conn:
        where = (Submission.unit_id == unit_id, Submission.period_id == period_id)
        was = conn.execute(select(Submission.received_at).where(*where)).scalar_one()
        conn.execute(update(Submission).where(*where).values(received_at=to))
        key = {"unit_id": [unit_id], "period_id": [period_id]}
        add_to_summary(
            conn,
            load_catalogue(conn),
            pd.DataFrame({**key, "received_at": [to]}),
            unit_reference(conn, names=False),
            removed=pd.DataFrame({**key, "received_at": [was]}),
        )


def test_the_cell_of_the_moved_row_gains_and_loses_one_late_report(sample_engine: Engine) -> None:
    """Sharper than equality in total: the moved row's own cell, up one when the row becomes
    late, down one when it is on time again."""
    with sample_engine.connect() as conn:
        unit_id, period_id, _ = _one_2025_report(conn)
        cell = conn.execute(
            select(Unit.agency_id, Unit.province_id, Unit.level).where(Unit.id == unit_id)
        ).one()

    def moved(to: dt.datetime) -> int:
        _move(sample_engine, unit_id, period_id, to)
        with sample_engine.connect() as conn:
            return int(_late_stored(conn).loc[(period_id, *cell)])

    on_time = moved(dt.datetime(2025, 6, 1, 9, 0))
    assert moved(dt.datetime(2025, 12, 2, 9, 0)) == on_time + 1
    assert moved(dt.datetime(2025, 11, 30, 17, 0)) == on_time


@pytest.mark.parametrize(
    "frames",
    [
        pytest.param(("rows",), id="added-without-time"),
        pytest.param(("rows", "removed-timed"), id="time-on-one-side-only"),
    ],
)
def test_rows_added_without_their_time_are_refused(
    sample_engine: Engine, frames: tuple[str, ...]
) -> None:
    """Without received_at a row would count as on time: the summary would drift silently."""
    with sample_engine.connect() as conn:
        cat = load_catalogue(conn)
        unit_id, period_id, was = _one_2025_report(conn)
        rows = pd.DataFrame({"unit_id": [unit_id], "period_id": [period_id]})
        removed = rows.assign(received_at=[was]) if "removed-timed" in frames else None
        with pytest.raises(ValueError, match="received_at"):
            add_to_summary(conn, cat, rows, unit_reference(conn, names=False), removed=removed)


# --- tracking over many periods from the summary ---------------------------------------------


def _periods(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(Period.code)).scalars())


def _same_as_one_by_one(engine: Engine, periods: list[str], by: tuple[str, ...]) -> None:
    keys = ["period", *(c for g in by for c in tracking._GROUP_COLUMNS[g])]
    columns = [*keys, *tracking.COUNTS, "received"]
    batched = tracking.rates_by_period(engine, periods, by)
    reference = pd.concat(
        [tracking.rates(engine, p, by).assign(period=p) for p in periods], ignore_index=True
    )

    def ordered(frame: pd.DataFrame) -> pd.DataFrame:
        return (
            frame[columns]
            .sort_values(keys)
            .reset_index(drop=True)
            .astype(dict.fromkeys([*tracking.COUNTS, "received"], "int64"))
        )

    pd.testing.assert_frame_equal(ordered(batched), ordered(reference))


@pytest.mark.parametrize("by", [(), ("agency",), ("province", "agency")])
def test_units_inactive_on_some_due_dates_that_reported_are_counted_in_every_period(
    sample_engine: Engine, by: tuple[str, ...]
) -> None:
    """Units opened after a due date and units closed before one, each of which reported for
    that period anyway (late or not): expected and received there, in every period at once."""
    with sample_engine.begin() as conn:
        reporters = list(
            conn.execute(
                select(Submission.unit_id, Period.code)
                .join(Period, Period.id == Submission.period_id)
                .order_by(Submission.unit_id, Period.code)
            ).all()
        )
        first: dict[int, str] = {}
        for unit_id, code in reporters:
            first.setdefault(unit_id, code)
        chosen = sorted(first)[:12]
        for i, unit_id in enumerate(chosen):
            due = parse_period(first[unit_id]).due_date
            # Half opened the day after their first due date, half closed the day before.
            values = (
                {"active_from": due + dt.timedelta(days=1)}
                if i % 2
                else {"active_to": due - dt.timedelta(days=1)}
            )
            conn.execute(update(Unit).where(Unit.id == unit_id).values(**values))
    _same_as_one_by_one(sample_engine, _periods(sample_engine), by)


@pytest.mark.parametrize("by", [(), ("agency",), ("level",)])
def test_completeness_is_rates_without_the_on_time_split(
    shared_sample_engine: Engine, by: tuple[str, ...]
) -> None:
    keys = [c for g in by for c in tracking._GROUP_COLUMNS[g]]
    for period in _periods(shared_sample_engine):
        counted = tracking.completeness(shared_sample_engine, period, by, Filters())
        rated = tracking.rates(shared_sample_engine, period, by)
        columns = [*keys, "expected", "received", "reporting_rate"]

        def ordered(frame: pd.DataFrame, columns: list[str] = columns) -> pd.DataFrame:
            frame = frame[columns].sort_values(keys) if keys else frame[columns]
            return frame.reset_index(drop=True).astype({"expected": "int64", "received": "int64"})

        pd.testing.assert_frame_equal(ordered(counted), ordered(rated))
