"""Dates parsed once per distinct text and taken per row by its code give what a parse of every
row gave: the same dates, the same cells refused, on tricky cells (blanks, repeats, impossible
dates, ISO and dotted forms, spaces, Vietnamese words)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from data_access.ingest.values import parse_date, parse_dates

CELLS = [
    "15/06/2025",
    "",
    "31/02/2022",
    "2025-01-02",
    "ngày 5 tháng 6",
    "15/06/2025",
    " 1.7.2024 ",
    "2024-12-31 00:00",
    "",
    "29/02/2024",
    "29/02/2023",
]


def _row_by_row(column: pd.Series) -> tuple[list[dt.date | None], np.ndarray]:
    """The way before: every row's text looked up in a cache of parses."""
    texts = column.astype("str").to_numpy(dtype=object)
    parsed: list[dt.date | ValueError | None] = []
    for text in texts:
        try:
            parsed.append(parse_date(text))
        except ValueError as error:
            parsed.append(error)
    bad = np.array([isinstance(v, ValueError) for v in parsed], dtype=bool)
    return [None if isinstance(v, ValueError) else v for v in parsed], bad


@pytest.mark.parametrize("dtype", ["str", object])
@pytest.mark.parametrize("repeat", [1, 3_000])
def test_dates_by_distinct_text_equal_dates_row_by_row(dtype: object, repeat: int) -> None:
    column = pd.Series(CELLS * repeat, dtype=dtype)
    dates, bad = parse_dates(column)
    expected_dates, expected_bad = _row_by_row(column)
    assert dates == expected_dates
    assert bad.tolist() == expected_bad.tolist()
    assert bad[:11].tolist() == [
        False,
        False,
        True,
        False,
        True,
        False,
        False,
        False,
        False,
        False,
        True,
    ]
    assert dates[6] == dt.date(2024, 7, 1) and dates[1] is None


def test_an_empty_column_gives_no_date() -> None:
    dates, bad = parse_dates(pd.Series([], dtype="str"))
    assert dates == [] and bad.tolist() == []
