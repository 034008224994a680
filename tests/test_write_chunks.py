"""A re-upload changing many stored rows writes their revisions and updates WRITE_CHUNK_ROWS rows
at a time: with chunks of two rows it must write exactly the rows, revisions (same order) and
summary one chunk writes, the summary equal to a recount, and roll back to the state before, on
SQLite and PostgreSQL. Only changes (no new row), some of them erasing a figure."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from data_access import ingest
from data_access.db.catalogue import load as load_catalogue
from data_access.db.value_tables import refresh_summary
from data_access.ingest import writes
from tests.test_upload_chunks import _state

TODAY = dt.date(2026, 11, 22)
ONE_CHUNK = 1_000_000
SMALL = 2


def _changes(engine: Engine) -> bytes:
    """Every stored row of the latest yearly period again: staff doubled; every fifth with the
    female figure erased."""
    with engine.connect() as conn:
        stored = conn.execute(
            text(
                "SELECT u.code, p.code, s.staff_total, s.staff_female FROM submissions s "
                "JOIN units u ON u.id = s.unit_id JOIN periods p ON p.id = s.period_id "
                "WHERE p.code = (SELECT max(p2.code) FROM periods p2 JOIN submissions s2 "
                "ON s2.period_id = p2.id WHERE p2.code LIKE '%-Y') "
                "AND s.staff_total IS NOT NULL ORDER BY u.code"
            )
        ).all()
    assert len(stored) > 5 * SMALL
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["unit_code", "period", "staff_total", "staff_female"])
    for i, (unit, period, total, female) in enumerate(stored):
        writer.writerow([unit, period, int(total) * 2, "" if i % 5 == 0 else female])
    return out.getvalue().encode()


def _recounted(engine: Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        transaction = conn.begin()
        ids = conn.execute(text("SELECT DISTINCT period_id FROM submission_summary")).scalars()
        refresh_summary(conn, load_catalogue(conn), list(ids))
        recount = _summary_frame(conn)
        transaction.rollback()
    return recount


def _summary_frame(conn: Any) -> pd.DataFrame:
    frame = pd.read_sql(text("SELECT * FROM submission_summary"), conn)
    keys = ["period_id", "agency_id", "province_id", "level"]
    return frame.sort_values(keys).reset_index(drop=True)


def test_changes_written_in_small_chunks_equal_one_chunk_and_a_recount(
    databases: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    states = []
    for chunk in (ONE_CHUNK, SMALL):
        engine = databases.fresh("sample")
        content = _changes(engine)
        original = _state(engine)
        monkeypatch.setattr(writes, "WRITE_CHUNK_ROWS", chunk)
        report = ingest.commit(
            engine, "changes.csv", content, user="thuky", accept_warnings=True, today=TODAY
        )
        assert report.committed and report.updated > 5 * SMALL and not report.inserted
        with engine.connect() as conn:
            pd.testing.assert_frame_equal(
                _summary_frame(conn), _recounted(engine), check_dtype=False, rtol=1e-9
            )
        states.append((report.summary() | {"batch_id": None}, _state(engine)))
        ingest.rollback(engine, report.batch_id or 0, user="thuky")
        after = _state(engine)
        assert (after["rows"], after["summary"]) == (original["rows"], original["summary"])
    assert states[1] == states[0]
