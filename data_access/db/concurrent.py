"""Independent reads of one page run at once, each on its own pooled connection.

The drivers (sqlite3, psycopg) release the GIL while the database works, so on this 2-core
machine two statements overlap instead of queueing; each read opens its own connection from the
engine's pool (20 connections, data_access.db.engine). Only for reads: a write must keep to the
one connection of its transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

# Reads one call runs at once: the machine's two cores, and one more to cover the Python work
# (SQLAlchemy, pandas) that holds the GIL between statements.
MAX_READS = 3


class Reads:
    """`with Reads() as reads: a = reads.start(f, x); ...; a.result()` — started at once; the
    block ends when every read has (result() re-raises a read's error in the caller)."""

    def __init__(self, workers: int = MAX_READS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="read")

    def start(self, call: Callable[..., T], *args: Any) -> Future[T]:
        return self._pool.submit(call, *args)

    def __enter__(self) -> Reads:
        return self

    def __exit__(self, *exc: object) -> None:
        # Wait for the reads still running: their connections go back to the pool before the
        # caller (or a test dropping its database) moves on; an error is raised by result().
        self._pool.shutdown(wait=True, cancel_futures=exc[0] is not None)
