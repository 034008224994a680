"""ingest.memory: blocks of a column's size mapped on their own while checking, from the heap
while writing, and mapped on their own again after. In a fresh process: the test process's heap
holds free blocks of earlier tests, which malloc would hand out before mapping any."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from data_access.ingest import memory

CHECK = textwrap.dedent(
    """
    import ctypes
    from data_access.ingest import memory  # settles the allocators, as the app's import does

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd",
            "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

    libc = memory._LIBC
    libc.mallinfo2.restype = MallInfo2
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]

    def mapped_on_its_own():
        before = libc.mallinfo2().hblks
        block = libc.malloc(1_160_000)  # a float column of 145,000 rows
        try:
            return libc.mallinfo2().hblks > before
        finally:
            libc.free(block)

    seen = [mapped_on_its_own()]
    with memory.heap_blocks():
        seen.append(mapped_on_its_own())
    seen.append(mapped_on_its_own())
    try:
        with memory.heap_blocks():
            raise RuntimeError
    except RuntimeError:
        seen.append(mapped_on_its_own())  # put back after a failed write too
    print(seen)
    """
)


def test_column_blocks_come_from_the_heap_only_while_writing() -> None:
    if memory._LIBC is None or not hasattr(memory._LIBC, "mallinfo2"):
        pytest.skip("glibc ≥ 2.33 only: elsewhere there is nothing to tune")
    out = subprocess.run(
        [sys.executable, "-c", CHECK],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[1],
    ).stdout
    assert out.split() == ["[True,", "False,", "True,", "True]"]
