"""The Python values the drivers are given: numbers as Python ints or floats, blanks as None, dates
on SQLite as ISO text (each distinct date converted once)."""

import datetime as dt
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from data_access.db.bulk import column_values, date_values


def _conn(dialect: str) -> Any:
    """Only the dialect's name is read: a namespace stands for the connection."""
    return SimpleNamespace(dialect=SimpleNamespace(name=dialect))


def test_whole_numbers_with_blanks_are_python_ints_and_none() -> None:
    values = column_values(pd.Series([1520.0, np.nan, 0.0, np.nan, 7.0]), integer=True)
    assert values == [1520, None, 0, None, 7]
    assert [type(v) for v in values] == [int, type(None), int, type(None), int]


def test_whole_numbers_without_blanks() -> None:
    values = column_values(pd.Series([3, 4, 5], dtype="int64"), integer=True)
    assert values == [3, 4, 5] and all(type(v) is int for v in values)


def test_fractions_keep_their_value_and_blanks_are_none() -> None:
    values = column_values(pd.Series([1.52, np.nan, 0.5]))
    assert values == [1.52, None, 0.5]
    assert type(values[0]) is float


def test_text_blanks_are_none_and_the_series_is_not_changed() -> None:
    series = pd.Series(["Hà Nội", None, np.nan, "Huế"], dtype=object)
    assert column_values(series) == ["Hà Nội", None, None, "Huế"]
    assert series.isna().tolist() == [False, True, True, False]
    assert pd.isna(series.iloc[2]) and series.iloc[2] is not None  # still NaN in the frame


def test_text_without_blanks() -> None:
    assert column_values(pd.Series(["a", "b"], dtype=object)) == ["a", "b"]


@pytest.mark.parametrize(
    "series",
    [
        pd.Series([dt.date(2025, 6, 15), None, dt.date(2025, 6, 15), dt.date(2025, 11, 30)]),
        pd.to_datetime(pd.Series(["2025-06-15", None, "2025-06-15", "2025-11-30"])).dt.date,
    ],
)
def test_dates_on_sqlite_are_iso_text_with_none_for_blanks(series: pd.Series) -> None:
    assert date_values(_conn("sqlite"), series) == [
        "2025-06-15",
        None,
        "2025-06-15",
        "2025-11-30",
    ]


def test_a_column_of_blank_dates_on_sqlite() -> None:
    assert date_values(_conn("sqlite"), pd.Series([None, None], dtype=object)) == [None, None]


def test_dates_on_postgresql_stay_dates() -> None:
    day = dt.date(2025, 6, 15)
    assert date_values(_conn("postgresql"), pd.Series([day, None])) == [day, None]
