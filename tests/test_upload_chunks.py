"""A large upload works in chunks (stored rows read and compared STORED_CHUNK_ROWS at a time,
rows written WRITE_CHUNK_ROWS at a time, raw number cells released once parsed): with chunks of
a few rows, a file of many chunks must give exactly the report, the rows, the revisions and the
summary that one chunk gives, on SQLite and PostgreSQL."""

import csv
import datetime as dt
import io
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, select, text

from data_access import ingest
from data_access.db.catalogue import load as load_catalogue
from data_access.db.models import SubmissionRevision
from data_access.db.value_tables import tables
from data_access.ingest import submissions, validation, writes
from data_access.ingest.reading import read_upload

TODAY = dt.date(2026, 11, 22)
ONE_CHUNK = 1_000_000
SMALL = 3  # rows a chunk: the file below spans many


def _upload_file(engine: Engine) -> bytes:
    """The stored rows of the latest yearly period, every third with staff tripled (a change,
    and a change warning against the previous report), every seventh with a figure erased, every
    eleventh with a non-number (an error), plus every unit's row of the next half-year if free."""
    with engine.connect() as conn:
        stored = conn.execute(
            text(
                "SELECT u.code, p.code, s.staff_total, s.staff_female, s.managers_total, "
                "s.managers_female FROM submissions s JOIN units u ON u.id = s.unit_id "
                "JOIN periods p ON p.id = s.period_id WHERE p.code = ("
                "SELECT max(p2.code) FROM periods p2 JOIN submissions s2 ON s2.period_id = p2.id "
                "WHERE p2.code LIKE '%-Y') ORDER BY u.code"
            )
        ).all()
    assert len(stored) > 10 * SMALL  # many chunks
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["unit_code", "period", "staff_total", "staff_female", "managers_total", "managers_female"]
    )
    for i, (unit, period, total, female, managers, managers_female) in enumerate(stored):
        cells: list[Any] = [unit, period, total, female, managers, managers_female]
        if i % 3 == 0 and total is not None:
            cells[2] = int(total) * 3
        if i % 7 == 0:
            cells[5] = ""
        if i % 11 == 0:
            cells[4] = "mười"
        writer.writerow(["" if c is None else c for c in cells])
    year = int(stored[0][1][:4])
    for unit, *_ in stored:
        writer.writerow([unit, f"{year + 1}-H1", 100, 50, 10, 4])
    return out.getvalue().encode()


def _chunks(monkeypatch: pytest.MonkeyPatch, rows: int) -> None:
    monkeypatch.setattr(submissions, "STORED_CHUNK_ROWS", rows)
    monkeypatch.setattr(writes, "WRITE_CHUNK_ROWS", rows)
    # Below this many cells a table is parsed as one stack and its cells kept: the small chunks
    # must also take the large file's way (cells released column by column).
    monkeypatch.setattr(validation, "STACK_CELLS", 1 if rows == SMALL else ONE_CHUNK)


def _state(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        stored, summary = tables(load_catalogue(conn))
        rows = pd.read_sql(select(stored).order_by(stored.c.unit_id, stored.c.period_id), conn)
        sums = pd.read_sql(select(summary), conn)
        revisions = conn.execute(
            select(SubmissionRevision.submission_id, SubmissionRevision.previous).order_by(
                SubmissionRevision.submission_id
            )
        ).all()
    keys = ["period_id", "agency_id", "province_id", "level"]
    return {
        "rows": rows.drop(columns=["id", "received_at", "batch_id"]).round(6).to_csv(),
        "summary": sums.sort_values(keys).reset_index(drop=True).round(6).to_csv(),
        "revisions": [(r.submission_id, sorted(r.previous.items())) for r in revisions],
    }


def _clean(content: bytes) -> bytes:
    """The file without its rows in error, so that it commits."""
    lines = content.decode().splitlines()
    return "\n".join(line for line in lines if "mười" not in line).encode() + b"\n"


@pytest.mark.parametrize("chunk", [SMALL, ONE_CHUNK])
def test_a_dry_run_in_small_chunks_reports_what_one_chunk_does(
    shared_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    content = _upload_file(shared_sample_engine)
    _chunks(monkeypatch, ONE_CHUNK)
    whole = ingest.dry_run(shared_sample_engine, "big.csv", content, today=TODAY)
    _chunks(monkeypatch, chunk)
    chunked = ingest.dry_run(shared_sample_engine, "big.csv", content, today=TODAY)
    assert whole.error_count and whole.warning_count and whole.updated  # the file tries all
    assert any("Thay đổi" in p.message for p in whole.problems)
    assert chunked.summary() == whole.summary()
    assert chunked.problems == whole.problems
    assert (chunked.inserted, chunked.updated, chunked.unchanged, chunked.rejected) == (
        whole.inserted,
        whole.updated,
        whole.unchanged,
        whole.rejected,
    )


def test_the_split_in_small_chunks_is_the_split_of_one_chunk(
    shared_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = _clean(_upload_file(shared_sample_engine))
    splits = []
    for chunk in (ONE_CHUNK, SMALL):
        _chunks(monkeypatch, chunk)
        with shared_sample_engine.connect() as conn:
            table = read_upload("big.csv", content)
            plan = submissions.validate(conn, table, load_catalogue(conn), (), TODAY)
            splits.append(submissions.classify(conn, plan))
            columns = submissions.STORED_COLUMNS + plan.catalogue.codes
            stored = submissions.existing_rows(conn, plan, columns).set_index("id")
    # The stored row of each changed one, in the same order, as one read of them all gives it.
    changed, before = splits[1][1], splits[1][2]
    assert before["id"].tolist() == changed["id"].tolist()
    expected = stored.loc[changed["id"]].reset_index()
    pd.testing.assert_frame_equal(before, expected[before.columns], check_dtype=False)
    (new, changed, before, unchanged), (new2, changed2, before2, unchanged2) = splits
    assert len(new) and len(changed) and unchanged
    pd.testing.assert_frame_equal(new2, new)
    pd.testing.assert_frame_equal(changed2, changed)
    pd.testing.assert_frame_equal(before2, before)
    assert unchanged2 == unchanged


def test_a_commit_in_small_chunks_writes_what_one_chunk_writes_and_rolls_back(
    databases: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    states = []
    for chunk in (ONE_CHUNK, SMALL):
        engine = databases.fresh("sample")
        content = _clean(_upload_file(engine))
        original = _state(engine)
        _chunks(monkeypatch, chunk)
        report = ingest.commit(
            engine, "big.csv", content, user="thuky", accept_warnings=True, today=TODAY
        )
        assert report.committed and report.inserted and report.updated
        states.append((report.summary() | {"batch_id": None}, _state(engine)))
        ingest.rollback(engine, report.batch_id or 0, user="thuky")
        after = _state(engine)  # the revisions stay, as history
        assert (after["rows"], after["summary"]) == (original["rows"], original["summary"])
    assert states[1] == states[0]
