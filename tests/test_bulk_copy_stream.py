"""bulk.copy_stream on a real PostgreSQL server: batches sent from a second thread arrive whole and
in order in the caller's transaction, however many wait; a server's refusal and an error of the
block itself are raised to the caller and leave nothing stored."""

from __future__ import annotations

import psycopg
import pyarrow as pa
import pytest
from sqlalchemy import Engine, text

from data_access.db import bulk

COLUMNS = ["n", "label"]


@pytest.fixture
def pg_engine(request: pytest.FixtureRequest) -> Engine:
    engine: Engine = request.getfixturevalue("_pg_databases").fresh("schema")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE copied (n BIGINT NOT NULL, label TEXT)"))
    return engine


def _batch(start: int, size: int) -> list[pa.Array]:
    return [
        pa.array(range(start, start + size), type=pa.int64()),
        pa.array([f'dòng "{i}", \\ {i}' if i % 3 else None for i in range(start, start + size)]),
    ]


def _stored(engine: Engine) -> list[tuple[int, str | None]]:
    with engine.connect() as conn:
        return [(int(n), label) for n, label in conn.execute(text("SELECT n, label FROM copied"))]


def test_many_batches_arrive_whole_and_in_order(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # More batches than the queue holds: the caller waits for the sender, nothing is dropped.
    monkeypatch.setattr(bulk, "COPY_QUEUE_BATCHES", 1)
    with pg_engine.begin() as conn, bulk.copy_stream(conn, "copied", COLUMNS) as send:
        for start in range(0, 700, 100):
            send(_batch(start, 100))
    stored = _stored(pg_engine)
    assert [n for n, _ in stored] == list(range(700))
    assert stored[2] == (2, 'dòng "2", \\ 2') and stored[3] == (3, None)


def test_a_refused_row_is_raised_and_nothing_is_stored(pg_engine: Engine) -> None:
    bad = [pa.array([1, None], type=pa.int64()), pa.array(["một", "hai"])]  # NULL into NOT NULL
    with (
        pytest.raises(psycopg.errors.NotNullViolation),
        pg_engine.begin() as conn,
        bulk.copy_stream(conn, "copied", COLUMNS) as send,
    ):
        send(_batch(0, 50))
        send(bad)
        send(_batch(50, 50))
    assert _stored(pg_engine) == []


def test_an_error_in_the_block_aborts_the_copy(pg_engine: Engine) -> None:
    with (
        pytest.raises(ZeroDivisionError),
        pg_engine.begin() as conn,
        bulk.copy_stream(conn, "copied", COLUMNS) as send,
    ):
        send(_batch(0, 50))
        _ = 1 / 0
    assert _stored(pg_engine) == []
    with pg_engine.begin() as conn, bulk.copy_stream(conn, "copied", COLUMNS) as send:
        send(_batch(0, 5))  # the connection went back to the pool usable
    assert len(_stored(pg_engine)) == 5
