"""On time or late is decided on the date a report was received, whatever text form the
timestamp was stored in (SQLite keeps DATETIME as text), and a migration makes the stored form
one canonical text."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from data_access import ingest, schema
from data_access.domain.filters import Filters
from data_access.queries import tracking

UNIT = "BHXH-QUANGTRI"
PERIOD = "2024-Y"  # due 30/11/2024
CANONICAL = "2024-12-01 00:00:00.000000"  # what SQLAlchemy writes to SQLite


def _set_received(engine: Engine, value: str, unit: str = UNIT) -> None:
    """Store `value` as given: on SQLite the exact text, on PostgreSQL a timestamp."""
    cast = "CAST(:v AS TIMESTAMP)" if engine.dialect.name == "postgresql" else ":v"
    with engine.begin() as conn:
        updated = conn.execute(
            text(
                f"UPDATE submissions SET received_at = {cast} "
                "WHERE unit_id = (SELECT id FROM units WHERE code = :u) "
                "AND period_id = (SELECT id FROM periods WHERE code = :p)"
            ),
            {"v": value, "u": unit, "p": PERIOD},
        ).rowcount
    assert updated == 1


def _status(engine: Engine) -> tuple[str, object]:
    frame = tracking.unit_status(engine, PERIOD, Filters(units=(UNIT,)))
    row = frame.loc[frame["unit_code"] == UNIT].iloc[0]
    return row["status"], row["days_late"]


@pytest.mark.parametrize(
    ("stored", "status", "days_late"),
    [
        ("2024-11-30 23:59:59", "on_time", None),
        ("2024-11-30 23:59:59.999999", "on_time", None),
        ("2024-11-30 00:00:00", "on_time", None),
        ("2024-11-30", "on_time", None),
        ("2024-12-01 00:00:00", "late", 1),
        (CANONICAL, "late", 1),
        ("2024-12-01T00:00:00", "late", 1),
        ("2024-12-02 08:30:00", "late", 2),
    ],
)
def test_on_time_follows_the_received_date_not_its_text(
    sample_engine: Engine, stored: str, status: str, days_late: int | None
) -> None:
    _set_received(sample_engine, stored)
    got_status, got_days = _status(sample_engine)
    assert got_status == status
    assert (None if pd.isna(got_days) else int(got_days)) == days_late  # type: ignore[call-overload]
    counts = tracking.rates(sample_engine, PERIOD, filters=Filters(units=(UNIT,)))
    assert int(counts.loc[0, status]) == 1


def test_both_seed_and_rollback_forms_count_the_same(sample_engine: Engine) -> None:
    results = set()
    for stored in ("2024-12-01 00:00:00", CANONICAL):
        _set_received(sample_engine, stored)
        results.add(_status(sample_engine))
    assert len(results) == 1


def test_the_migration_makes_stored_timestamps_canonical(sqlite_sample_engine: Engine) -> None:
    engine = sqlite_sample_engine
    schema.downgrade(engine, "0007a")
    forms = {
        "BHXH-QUANGTRI": "2024-12-01 00:00:00",
        "BHXH-HANOI": "2024-11-30T08:15:00",
        "BHXH-HAIPHONG": "2024-11-29",
        "BHXH-DANANG": "2024-11-28 10:00:00.250000",
    }
    for unit, stored in forms.items():
        _set_received(engine, stored, unit)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET at = '2024-12-01 07:00:00' WHERE id = 1"))
    schema.upgrade(engine)
    with engine.connect() as conn:
        stored_now: dict[Any, Any] = dict(
            conn.execute(
                text(
                    "SELECT u.code, s.received_at FROM submissions s "
                    "JOIN units u ON u.id = s.unit_id JOIN periods p ON p.id = s.period_id "
                    "WHERE p.code = :p AND u.code IN ('BHXH-QUANGTRI', 'BHXH-HANOI', "
                    "'BHXH-HAIPHONG', 'BHXH-DANANG')"
                ),
                {"p": PERIOD},
            ).all()
        )
        not_canonical = conn.execute(
            text(
                "SELECT count(*) FROM submissions WHERE received_at IS NOT NULL "
                "AND received_at NOT GLOB "
                "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] "
                "[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]'"
            )
        ).scalar_one()
        audit = conn.execute(text("SELECT at FROM audit_log WHERE id = 1")).scalar_one()
    assert stored_now == {
        "BHXH-QUANGTRI": "2024-12-01 00:00:00.000000",
        "BHXH-HANOI": "2024-11-30 08:15:00.000000",
        "BHXH-HAIPHONG": "2024-11-29 00:00:00.000000",
        "BHXH-DANANG": "2024-11-28 10:00:00.250000",
    }
    assert not_canonical == 0
    assert audit == "2024-12-01 07:00:00.000000"


def test_a_rollback_keeps_the_canonical_form(sqlite_sample_engine: Engine) -> None:
    """Seed rows, an upload and its rollback all store the same text form."""
    engine = sqlite_sample_engine
    with engine.connect() as conn:
        seeded = conn.execute(text("SELECT received_at FROM submissions LIMIT 1")).scalar_one()
    assert len(seeded) == len(CANONICAL) and seeded[10] == " "
    data = (
        "unit_code,period,staff_total,staff_female,managers_total,managers_female\n"
        f"{UNIT},{PERIOD},300,150,40,20\n"
    ).encode()
    report = ingest.commit(engine, "x.csv", data, "submissions", user="thuky", accept_warnings=True)
    assert report.committed, report.message
    assert report.batch_id is not None
    ingest.rollback(engine, report.batch_id, user="thuky")
    with engine.connect() as conn:
        forms = (
            conn.execute(
                text(
                    "SELECT DISTINCT length(received_at) FROM submissions WHERE received_at IS NOT NULL"
                )
            )
            .scalars()
            .all()
        )
    assert forms == [len(CANONICAL)]
