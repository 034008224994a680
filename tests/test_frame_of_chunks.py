"""frame_of reads a result in chunks (engine.FRAME_CHUNK_ROWS): the frame must be the one a
single read gives, dtypes included, also when a chunk's column is all blank."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from data_access.db import engine as engine_mod

ROWS = [
    (None, None, "a"),  # the first chunk (of two rows) has no number in a nor b
    (None, None, None),
    (1.5, 2, "b"),
    (None, 3, None),
    (2.5, 4, "c"),
]


def _frame() -> pd.DataFrame:
    db = create_engine("sqlite://")
    with db.connect() as conn:
        conn.execute(text("CREATE TABLE t (a REAL, b INTEGER, c TEXT)"))
        conn.execute(
            text("INSERT INTO t VALUES (:a, :b, :c)"),
            [dict(zip("abc", r, strict=True)) for r in ROWS],
        )
        return engine_mod.frame_of(conn.execute(text("SELECT a, b, c FROM t ORDER BY rowid")))


def test_chunks_give_the_single_read_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _frame()
    monkeypatch.setattr(engine_mod, "FRAME_CHUNK_ROWS", 2)
    chunked = _frame()
    pd.testing.assert_frame_equal(chunked, whole)
    assert chunked["a"].dtype == "float64" and chunked["b"].dtype == "float64"
    assert chunked["a"].isna().tolist() == [True, True, False, True, False]


def test_an_empty_result_keeps_its_columns() -> None:
    db = create_engine("sqlite://")
    with db.connect() as conn:
        conn.execute(text("CREATE TABLE t (a REAL, b INTEGER)"))
        frame = engine_mod.frame_of(conn.execute(text("SELECT a, b FROM t")))
    assert frame.empty and list(frame.columns) == ["a", "b"]
