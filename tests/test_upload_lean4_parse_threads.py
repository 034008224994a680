"""The number columns of a large file are parsed a few at once, in threads: the values and the
problems (their order too) are those of one column after the other (the former way, kept here
as the reference) and of the small table's stacked parse, on cells of every kind a secretariat
types, on both backends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from data_access.db.catalogue import load as load_catalogue
from data_access.ingest import submissions, validation
from data_access.ingest.reading import read_upload
from data_access.ingest.values import parse_numbers

TODAY = dt.date(2026, 11, 22)
CELLS = [
    "12",
    "",
    "1.520",
    "1 520",
    "12,0",
    "-3",
    "2.5",
    "abc",
    "1e3",
    "inf",
    "9" * 25,
    " 7 ",
    "0012",
    "+4",
    "NaN",
    "1.520,75",
    "١٢",
]


def _sequential(
    raws: dict[str, pd.Series], integer: dict[str, bool]
) -> Iterator[tuple[str, tuple[np.ndarray, np.ndarray]]]:
    """The former _parse_one_by_one: a column at a time, in this thread."""
    for name in list(raws):
        values, bad = parse_numbers(raws[name], integer[name])
        yield name, (values.to_numpy(), bad.to_numpy())


def _content(engine: Engine, rows: int) -> bytes:
    with engine.connect() as conn:
        units = [
            code
            for (code,) in conn.execute(
                text("SELECT code FROM units WHERE active_to IS NULL ORDER BY code LIMIT :n"),
                {"n": rows},
            )
        ]
        codes = load_catalogue(conn).codes
    lines = [",".join(["unit_code", "period", *codes])]
    for i, unit in enumerate(units):
        cells = [CELLS[(i * 7 + j * 3) % len(CELLS)] for j in range(len(codes))]
        lines.append(",".join([unit, "2026-H1", *(f'"{c}"' for c in cells)]))
    return ("\n".join(lines) + "\n").encode()


def _plan(engine: Engine, content: bytes) -> tuple[pd.DataFrame, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        plan = submissions.validate(
            conn, read_upload("a.csv", content), load_catalogue(conn), (), TODAY
        )
    problems = [(p.row, p.column, p.message, p.severity, p.value) for p in plan.collector.problems]
    return plan.rows, problems


@pytest.mark.parametrize("threads", [1, 2, 5])
def test_columns_parsed_at_once_give_what_one_after_the_other_gives(
    shared_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    content = _content(shared_sample_engine, 60)
    monkeypatch.setattr(validation, "STACK_CELLS", 0)  # the large table's way
    monkeypatch.setattr(validation, "PARSE_THREADS", threads)
    rows, problems = _plan(shared_sample_engine, content)
    monkeypatch.setattr(validation, "_parse_one_by_one", _sequential)
    former_rows, former_problems = _plan(shared_sample_engine, content)
    pd.testing.assert_frame_equal(rows, former_rows)
    assert problems == former_problems
    assert len(problems) > 60  # the hostile cells were reported
    monkeypatch.setattr(validation, "STACK_CELLS", 1 << 40)  # a form's stacked parse
    stacked_rows, stacked_problems = _plan(shared_sample_engine, content)
    pd.testing.assert_frame_equal(rows, stacked_rows)
    assert problems == stacked_problems


def test_a_failing_parse_is_raised_and_no_thread_is_left(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    def broken(column: pd.Series, integer: bool) -> tuple[pd.Series, pd.Series]:
        if column.name == "b":
            raise RuntimeError("hỏng")
        return parse_numbers(column, integer)

    monkeypatch.setattr(validation, "parse_numbers", broken)
    raws = {name: pd.Series(["1", "2"], name=name, dtype="str") for name in "abcd"}
    before = threading.active_count()
    parsed = validation._parse_one_by_one(raws, dict.fromkeys(raws, True))
    assert next(parsed)[0] == "a"
    with pytest.raises(RuntimeError, match="hỏng"):
        next(parsed)
    assert threading.active_count() == before
