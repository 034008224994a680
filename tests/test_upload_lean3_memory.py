"""A large upload keeps no whole-file Python objects it no longer needs (issue #18: a file at the
row cap within 300 MB): each row's line is one numpy array that still reads as a list of ints,
a released raw column holds no cell, and once a large file is checked every raw column is
released, while the report names the same rows and columns as before."""

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from data_access import ingest
from data_access.db.catalogue import load as load_catalogue
from data_access.ingest import submissions, validation
from data_access.ingest.reading import LineNumbers, read_upload

TODAY = dt.date(2026, 11, 22)


def _plain_csv(rows: int) -> bytes:
    lines = ["unit_code,period,staff_total"]
    lines += [f"U{i},2025-Y,{i}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        (lambda lines: lines == [2, 3, 4, 5], True),
        (lambda lines: lines == [2, 3, 4], False),
        (lambda lines: lines == [2, 3, 4, 6], False),
        (lambda lines: lines[1], 3),
        (lambda lines: type(lines[-1]), int),
        (lambda lines: lines[1:3] == [3, 4], True),
        (lambda lines: lines[:-1] == LineNumbers([2, 3, 4]), True),
        (lambda lines: list(lines), [2, 3, 4, 5]),
        (lambda lines: [type(x) for x in lines], [int] * 4),
        (lambda lines: 4 in lines, True),
        (lambda lines: 9 in lines, False),
        (lambda lines: len(lines), 4),
        (lambda lines: pd.DataFrame({"line": np.asarray(lines)})["line"].tolist(), [2, 3, 4, 5]),
        (lambda lines: {2, 5, 9}.intersection(lines), {2, 5}),
    ],
)
def test_line_numbers_read_as_a_list_of_ints(check: Any, expected: Any) -> None:
    assert check(LineNumbers(np.array([2, 3, 4, 5]))) == expected


def test_a_plain_csv_keeps_its_lines_as_one_array() -> None:
    table = read_upload("big.csv", _plain_csv(50_000))
    assert isinstance(table.lines, LineNumbers)
    assert table.lines == list(range(2, 50_002))
    assert np.asarray(table.lines).nbytes == 8 * 50_000


def test_a_released_column_holds_no_cell() -> None:
    table = read_upload("big.csv", _plain_csv(50_000))
    table.release(0)
    released = table.frame.iloc[:, 0]
    assert released.memory_usage(index=False, deep=True) < 1_000  # a byte a row before: 50 kB
    assert len(released) == 50_000
    assert (released == "").all()
    assert list(table.frame.columns) == ["unit_code", "period", "staff_total"]
    table.release(0)  # twice: no harm
    assert (table.frame.iloc[:, 0] == "").all()


def _file(engine: Engine, rows: int) -> bytes:
    """Rows of real units with blanks, decimals, a duplicate, Vietnamese text and errors in the
    last rows: every check of a large file has something to report."""
    with engine.connect() as conn:
        units = conn.execute(text("SELECT code FROM units ORDER BY code")).scalars().all()
    lines = ["Mã đơn vị,Kỳ báo cáo,report_date,staff_total,staff_female,managers_total"]
    for i in range(rows):
        unit = units[i % len(units)]
        year = 2020 + i // len(units)
        lines.append(f"{unit},{year}-Y,15/06/{year + 1},{100 + i},{i % 50},{'' if i % 9 else 3}")
    lines.append(lines[1])  # a duplicate of the first row
    lines.append(f'{units[0]},2019-Y,32/13/2020,mười,"1.234,5",7')  # errors in the last row
    return ("\n".join(lines) + "\n").encode()


def test_a_large_checked_file_releases_every_raw_column(
    shared_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validation, "STACK_CELLS", 1)  # a large file's way for a small one
    content = _file(shared_sample_engine, 300)
    with shared_sample_engine.connect() as conn:
        table = read_upload("big.csv", content)
        submissions.validate(conn, table, load_catalogue(conn), (), TODAY)
    for position in range(table.frame.shape[1]):
        column = table.frame.iloc[:, position]
        assert isinstance(column.dtype, pd.SparseDtype), table.frame.columns[position]
        assert (column == "").all()


@pytest.mark.parametrize("cells", [1, 10**9])
def test_releasing_the_raw_columns_changes_no_report(
    shared_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch, cells: int
) -> None:
    """The same file checked the large way (columns released) and the small way (kept)."""
    content = _file(shared_sample_engine, 300)
    monkeypatch.setattr(validation, "STACK_CELLS", 10**9)
    kept = ingest.dry_run(shared_sample_engine, "big.csv", content, today=TODAY)
    monkeypatch.setattr(validation, "STACK_CELLS", cells)
    released = ingest.dry_run(shared_sample_engine, "big.csv", content, today=TODAY)
    assert kept.error_count >= 3 and kept.warning_count
    assert any(p.row == 303 and p.column == "report_date" for p in kept.problems)
    assert any("Trùng" in p.message and p.row == 302 for p in kept.problems)
    assert released.problems == kept.problems
    assert released.summary() == kept.summary()
