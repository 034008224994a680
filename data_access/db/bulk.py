"""Bulk writes at the speed of the driver: executemany of tuples on SQLite, COPY on PostgreSQL.

SQLAlchemy's executemany of dicts (and pandas' to_sql) process every parameter in Python; for a
100,000-row upload of forty columns that is several times slower than the driver itself.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import queue
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from sqlalchemy import Connection


def column_values(series: pd.Series, integer: bool = False) -> list[Any]:
    """A column as Python values with None for missing ones (what the drivers expect).

    Numbers go through numpy (an object array, its blanks set to None at once, then tolist()),
    C speed, instead of a Python loop per cell or per blank.
    """
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        missing = np.isnan(values)
        if not missing.any():
            return (values.astype(np.int64) if integer else values).tolist()
        cells = (np.where(missing, 0, values).astype(np.int64) if integer else values).astype(
            object
        )
        cells[missing] = None
        return cells.tolist()
    cells = series.to_numpy(dtype=object)
    missing = pd.isna(cells)
    if missing.any():
        cells = cells.copy()
        cells[missing] = None
    return cells.tolist()


def date_values(conn: Connection, series: pd.Series) -> list[Any]:
    """A column of dates (or None) for the driver. On SQLite as ISO text, each distinct date
    converted once and taken per row by its code: sqlite3's default date adapter costs ~1.5 µs
    a row."""
    if conn.dialect.name == "postgresql":
        return column_values(series)
    codes, distinct = pd.factorize(series)  # a blank is code -1: the table's last cell, None
    text = np.empty(len(distinct) + 1, dtype=object)
    text[: len(distinct)] = [d.isoformat() for d in distinct]
    return text[codes].tolist()


# What SQLAlchemy's DateTime writes on SQLite: every writer uses it, so the stored text of one
# instant is always the same (isoformat() drops ".000000", which sorts differently as text).
SQLITE_TIMESTAMP = "%Y-%m-%d %H:%M:%S.%f"


def driver_value(conn: Connection, value: dt.datetime) -> dt.datetime | str:
    """A timestamp repeated on every row, converted once: sqlite3's default datetime adapter
    costs ~2 µs a row, a quarter of a second per 100,000-row upload."""
    return value if conn.dialect.name == "postgresql" else value.strftime(SQLITE_TIMESTAMP)


def timestamp_values(conn: Connection, series: pd.Series) -> list[Any]:
    """A column of timestamps (or None) for the driver; on SQLite in the canonical text."""
    values = column_values(series)
    if conn.dialect.name == "postgresql":
        return values
    return [v.strftime(SQLITE_TIMESTAMP) if v is not None else None for v in values]


def insert_rows(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert positional `rows` into `table` (names come from the schema, never from users)."""
    if conn.dialect.name == "postgresql":
        return _copy(conn, table, columns, rows)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
    # The DBAPI cursor of the caller's transaction takes the rows as they come: no list of them.
    # A checked-out connection always has its driver connection; the stub says it may be None.
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.executemany(sql, rows)
    return int(cursor.rowcount)


def _copy(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    # COPY runs on the same DBAPI connection, so it is part of the caller's transaction.
    # A checked-out connection always has its driver connection; the stub says it may be None.
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def arrow_column(series: pd.Series, kind: str) -> pa.Array:
    """A column as Arrow holds it for copy_columns, blanks (None, NaN, NaT) as nulls: `kind` is
    "int" (whole numbers, parsed as floats), "float", "date" or "text"."""
    if kind in ("int", "float"):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        missing = np.isnan(values)
        if kind == "int":
            return pa.array(np.where(missing, 0, values).astype(np.int64), mask=missing)
        return pa.array(values, mask=missing)
    objects = series.to_numpy(dtype=object)
    return pa.array(
        objects, type=pa.date32() if kind == "date" else pa.large_string(), from_pandas=True
    )


# CSV buffers (one per batch of rows) waiting for copy_stream's sender: a few MB in flight, never
# a whole file's (issue #18: an upload within 300 MB).
COPY_QUEUE_BATCHES = 2


@contextlib.contextmanager
def copy_stream(
    conn: Connection, table: str, columns: Sequence[str]
) -> Iterator[Callable[[Sequence[pa.Array]], None]]:
    """PostgreSQL: one COPY into `table`, in the caller's transaction, of the batches of Arrow
    columns given to the callable yielded, as CSV that Arrow's writer makes in C++ (each row
    through the driver, insert_rows, took half a second of Python at the row cap). CSV's own rules
    keep every value: an unquoted empty field is NULL, a text is quoted (a quoted empty one stays
    ""), a backslash is a character.

    A second thread sends the batches: the server's work on them (most of an upload's time) then
    overlaps the caller's making the next batch, and whatever else the block does before it ends
    (without `conn`). The block's end waits for the server to have taken every row."""
    # A checked-out connection always has its driver connection; the stub says it may be None.
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    pending: queue.Queue[bytes | memoryview | None] = queue.Queue(maxsize=COPY_QUEUE_BATCHES)
    with (
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv)") as copy,
        concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool,
    ):

        def send() -> None:
            while (data := pending.get()) is not None:
                copy.write(data)

        sender = pool.submit(send)

        def hand_over(data: memoryview | None) -> None:
            """Queue `data` for the sender, unless it has stopped: a sender that failed takes
            nothing more, and its error is raised here instead."""
            while not sender.done():
                try:
                    pending.put(data, timeout=0.1)
                    return
                except queue.Full:
                    continue
            sender.result()

        def put(arrays: Sequence[pa.Array]) -> None:
            sink = pa.BufferOutputStream()
            batch = pa.table(list(arrays), names=list(columns))
            pa_csv.write_csv(batch, sink, pa_csv.WriteOptions(include_header=False))
            hand_over(memoryview(sink.getvalue()))

        try:
            yield put
        finally:
            hand_over(None)  # the sender stops at None
            sender.result()  # the sender's own error (the server's refusal), raised here
