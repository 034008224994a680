"""An upload's SQLite connection reads with a small page cache (ingest.memory.UPLOAD_CACHE_KIB)
and hands the connection back to the pool with the app's own cache, whether the upload was
written, refused or failed half-way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Connection, Engine

from data_access import ingest
from data_access.ingest import memory, submissions

TODAY = dt.date(2026, 11, 22)
FILE = b"unit_code,period,staff_total,staff_female\nBHXH-TW01,2026-H1,10,4\n"
REFUSED = b"unit_code,period,staff_total,staff_female\nBHXH-TW01,2026-H1,10,40\n"


def _cache_sizes(engine: Engine) -> set[int]:
    """The page cache of the connections the pool holds (a few checked out together: the pool
    gives back the ones used last, the upload's among them)."""
    connections = [engine.connect() for _ in range(3)]
    try:
        return {int(c.exec_driver_sql("PRAGMA cache_size").scalar_one()) for c in connections}
    finally:
        for c in connections:
            c.close()


def _seen_during_check(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    seen: list[int] = []
    validate = submissions.validate

    def spy(conn: Connection, *args: Any, **kwargs: Any) -> Any:
        seen.append(int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one()))
        return validate(conn, *args, **kwargs)

    monkeypatch.setattr(submissions, "validate", spy)
    return seen


@pytest.mark.parametrize(
    "run",
    [
        pytest.param(lambda e: ingest.dry_run(e, "f.csv", FILE, today=TODAY), id="dry-run"),
        pytest.param(
            lambda e: ingest.commit(e, "f.csv", FILE, user="t", today=TODAY, accept_warnings=True),
            id="commit",
        ),
        pytest.param(
            lambda e: ingest.commit(e, "f.csv", REFUSED, user="t", today=TODAY), id="refused"
        ),
    ],
)
def test_an_upload_reads_with_a_small_cache_and_gives_back_the_apps(
    sqlite_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch, run: object
) -> None:
    app_cache = _cache_sizes(sqlite_sample_engine)
    assert app_cache == {-65536}
    seen = _seen_during_check(monkeypatch)
    report = run(sqlite_sample_engine)  # type: ignore[operator]
    assert report.total_rows == 1
    assert set(seen) == {-memory.UPLOAD_CACHE_KIB}
    assert _cache_sizes(sqlite_sample_engine) == app_cache


def test_a_failed_write_gives_back_the_apps_cache(
    sqlite_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest, "write_submissions", crash)
    with pytest.raises(RuntimeError):
        ingest.commit(
            sqlite_sample_engine, "f.csv", FILE, user="t", today=TODAY, accept_warnings=True
        )
    assert _cache_sizes(sqlite_sample_engine) == {-65536}
