"""URL → engine (one per URL for the life of the process) and schema set-up."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import CursorResult, Engine, Result, create_engine, event
from sqlalchemy.engine import make_url

from data_access.db.config import database_url

# Readers wait this long for a writer instead of failing with "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 15_000
# Connections the app keeps, on either backend: one for each of twenty sessions writing at once
# (the deadline rush, issue #15). With fewer, a session that just returned one takes it back for
# its next step before a waiting one wakes, and the waiter times out after 30 s (SQLite too: its
# default pool of 5 + 10 failed the rush of twenty).
POOL_SIZE = 20
POOL_OVERFLOW = 10  # bursts beyond the rush; well under the server's 100 connections


_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()


# Rows turned into a frame at a time: reading the stored rows an upload of 145,000 rows replaces
# as one list of Python objects peaked at hundreds of MB (issue #18: an upload ≤ 300 MB).
FRAME_CHUNK_ROWS = 10_000


def frame_of(result: Result[*tuple[Any, ...]]) -> pd.DataFrame:
    """The rows of `result` as a frame. Rows become plain tuples first: pandas probes each
    SQLAlchemy Row for attributes, ~9x slower (365 ms against 40 ms for 50,000 rows). Read in
    chunks; the dtypes are inferred again over the whole (a chunk whose column is all blank
    would otherwise leave it as objects)."""
    columns = list(result.keys())
    parts = []
    while rows := result.fetchmany(FRAME_CHUNK_ROWS):
        parts.append(pd.DataFrame([tuple(row) for row in rows], columns=columns))
    if len(parts) <= 1:
        return parts[0] if parts else pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True).infer_objects()


def driver_frame_of(result: CursorResult[*tuple[Any, ...]]) -> pd.DataFrame:
    """The rows as the driver returns them, without SQLAlchemy's per-row processing (half the
    time for 50,000 rows). Only for plain columns: dates, for one, stay text on SQLite. Read in
    chunks, as frame_of (every unit of the registry as one list of tuples: 23 MB more at the peak
    of an upload, issue #18)."""
    columns = list(result.keys())
    parts = []
    while rows := result.cursor.fetchmany(FRAME_CHUNK_ROWS):
        parts.append(pd.DataFrame(rows, columns=columns))
    if len(parts) <= 1:
        return parts[0] if parts else pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True).infer_objects()


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: the configured database), created once per process."""
    url = url or database_url()
    with _LOCK:
        if url not in _ENGINES:
            _ENGINES[url] = _create_engine(url)
        return _ENGINES[url]


def _create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets every Streamlit session read while one upload writes.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    # Durable at each checkpoint; safe with WAL and much faster than FULL for bulk uploads.
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA cache_size=-65536")
    cur.close()


def dispose_engine(url: str) -> None:
    """Close and forget the engine of `url` (tests that drop their databases call this)."""
    with _LOCK:
        engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()
