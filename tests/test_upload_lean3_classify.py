"""Classifying an upload reads the keys of its periods' stored rows first and then only the
stored rows the file names, by id: a file of new rows reads no stored row whole, and the split
(new, changed with the stored rows they replace, unchanged) is the one a read of every stored
row gives, in small chunks as in one, on both backends."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, event, text

from data_access.db.catalogue import load as load_catalogue
from data_access.ingest import submissions
from data_access.ingest.reading import read_upload

TODAY = dt.date(2026, 11, 22)


def _latest_rows(engine: Engine, limit: int) -> list[Any]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT s.id, u.code, p.code, s.staff_total, s.staff_female FROM submissions s "
                    "JOIN units u ON u.id = s.unit_id JOIN periods p ON p.id = s.period_id "
                    "WHERE p.code = (SELECT max(p2.code) FROM periods p2 JOIN submissions s2 "
                    "ON s2.period_id = p2.id WHERE p2.code LIKE '%-Y') ORDER BY u.code LIMIT :n"
                ),
                {"n": limit},
            )
        )


def _file(rows: list[Any]) -> bytes:
    lines = ["unit_code,period,staff_total,staff_female"]
    for i, (_, unit, period, total, female) in enumerate(rows):
        if i % 3 == 0:  # changed
            total = (total or 0) + 7
        lines.append(
            f"{unit},{period},{'' if total is None else total},{'' if female is None else female}"
        )
    return ("\n".join(lines) + "\n").encode()


def _split(engine: Engine, content: bytes) -> tuple[Any, ...]:
    with engine.connect() as conn:
        table = read_upload("f.csv", content)
        plan = submissions.validate(conn, table, load_catalogue(conn), (), TODAY)
        new, changed, before, unchanged = submissions.classify(conn, plan)
        columns = submissions.STORED_COLUMNS + plan.catalogue.codes
        stored = submissions.existing_rows(conn, plan, columns)
    return plan, new, changed, before, unchanged, stored


@pytest.mark.parametrize("chunk", [2, 1_000_000])
def test_the_split_is_the_one_every_stored_row_gives(
    shared_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(submissions, "STORED_CHUNK_ROWS", chunk)
    rows = _latest_rows(shared_sample_engine, 30)
    content = _file(rows).replace(b"\n", f"\n{rows[0][1]},2026-H1,5,2\n".encode(), 1)  # a new row
    plan, new, changed, before, unchanged, stored = _split(shared_sample_engine, content)
    # The reference: every stored row of the periods read at once, matched by key.
    key = stored.set_index(["unit_id", "period"])["id"]
    ids = [
        key.get((u, p), -1) for u, p in zip(plan.rows["unit_id"], plan.rows["period"], strict=True)
    ]
    assert sorted(new["unit_id"].tolist()) == sorted(
        u for u, i in zip(plan.rows["unit_id"], ids, strict=True) if i == -1
    )
    assert len(new) == 1 and len(changed) == 10 and unchanged == 20
    assert changed["id"].tolist() == [i for i in ids if i in set(changed["id"])]
    expected = stored.set_index("id").loc[changed["id"]].reset_index()
    pd.testing.assert_frame_equal(before, expected[before.columns], check_dtype=False)
    assert before["id"].tolist() == changed["id"].tolist()


def test_a_file_of_new_rows_reads_no_stored_row_whole(sample_engine: Engine) -> None:
    rows = _latest_rows(sample_engine, 5)
    with sample_engine.begin() as conn:  # the five rows gone: the file brings them as new
        for row in rows:
            conn.execute(text("DELETE FROM submissions WHERE id = :id"), {"id": row[0]})
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    with sample_engine.connect() as conn:
        table = read_upload("f.csv", _file(rows))
        plan = submissions.validate(conn, table, load_catalogue(conn), (), TODAY)
        event.listen(conn, "before_cursor_execute", seen)
        new, changed, _, unchanged = submissions.classify(conn, plan)
        event.remove(conn, "before_cursor_execute", seen)
    assert (len(new), len(changed), unchanged) == (5, 0, 0)
    assert any("submissions.id" in s for s in statements)  # the keys were read
    whole = [s for s in statements if "submissions.assessment" in s]
    assert whole == []
