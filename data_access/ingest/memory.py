"""Keeping an upload's process small (issue #18: a file at the row cap within 300 MB).

An upload allocates and frees a few hundred arrays of a megabyte each (a column of 145,000 rows).
Three allocators would keep what it frees, and the process would peak 130 MB above what it ever
held at once (measured on a 145,000-row dry run: 454 → 327 MB with the three settings below):

- glibc malloc raises its mmap threshold each time a large block mapped on its own is freed (up
  to 32 MB), so the following columns land in the heap, where freed blocks fragment it and are
  never returned. Fixing the threshold (a documented glibc knob, mallopt(3) M_MMAP_THRESHOLD)
  keeps every column mapped on its own and unmapped when freed.
- Arrow's default pool (mimalloc) keeps freed buffers for Arrow alone; its system pool is the
  malloc above.
- SQLite's page cache of 64 MB per connection (db.engine) fills up as an upload scans every
  stored row of its periods: its connection uses a smaller one (`small_page_cache`).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
from collections.abc import Iterator

import pyarrow as pa
from sqlalchemy import Connection

# mallopt(3): blocks at least this large are mapped on their own. glibc starts at 128 KiB and
# then raises it as blocks are freed; fixed here, a freed column goes back to the system.
MMAP_THRESHOLD_BYTES = 256 * 1024
# The heap's free top goes back to the system above this (glibc's default, which a fixed mmap
# threshold leaves as it is).
TRIM_THRESHOLD_BYTES = 128 * 1024
_M_MMAP_THRESHOLD, _M_TRIM_THRESHOLD = -3, -1  # malloc.h
# The SQLite page cache of an upload's connection: the dry run of 145,000 rows peaked 49 MB
# lower than with the app's 64 MB, and took no longer (the upload reads each page once).
UPLOAD_CACHE_KIB = 16 * 1024


def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (it has mallopt and malloc_trim); None elsewhere (macOS,
    musl), where there is nothing to tune."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


_LIBC = _glibc()


def give_back() -> None:
    """Hand the pages malloc holds free, inside its heap too, back to the system (glibc's
    malloc_trim(3)): after a large file's raw cells are released, the blocks smaller than the
    mmap threshold leave holes that later Python objects would not fill (145,000 rows on
    PostgreSQL: 6 MB lower peak)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def settle_allocators() -> None:
    """Once per process, when the ingest package is imported (see the module's docstring)."""
    if _LIBC is not None:
        _LIBC.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
        _LIBC.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
    pa.set_memory_pool(pa.system_memory_pool())


@contextlib.contextmanager
def small_page_cache(conn: Connection) -> Iterator[None]:
    """SQLite's page cache at UPLOAD_CACHE_KIB for the upload on `conn`, put back to what it was
    before the connection returns to the pool (page queries keep their large cache). The pragma
    goes to the driver's connection: it holds outside any transaction, even a failed one."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.dbapi_connection
    assert raw is not None
    before = int(raw.execute("PRAGMA cache_size").fetchone()[0])
    raw.execute(f"PRAGMA cache_size = {-int(UPLOAD_CACHE_KIB)}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size = {before}")


# While a checked file is written (see heap_blocks): glibc's largest mmap threshold on 64 bits,
# and the heap's top kept up to as much (else each column freed at the top goes back at once).
WRITE_THRESHOLD_BYTES = 32 * 1024 * 1024


@contextlib.contextmanager
def heap_blocks() -> Iterator[None]:
    """Column-sized blocks from malloc's heap while a checked file is written, then handed back.

    A block mapped on its own is fresh pages the system zeroes at each allocation: the summary's
    and the driver's column arrays of a 145,000-row write paid 0.15 s for them. Writing holds
    less than checking did (the file's cells are gone), so the heap's reuse of freed blocks stays
    under the check's peak; the threshold is process-wide, and only for the write."""
    if _LIBC is None:
        yield
        return
    _LIBC.mallopt(_M_MMAP_THRESHOLD, WRITE_THRESHOLD_BYTES)
    _LIBC.mallopt(_M_TRIM_THRESHOLD, WRITE_THRESHOLD_BYTES)
    try:
        yield
    finally:
        _LIBC.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
        _LIBC.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
        give_back()
