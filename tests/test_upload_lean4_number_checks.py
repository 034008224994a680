"""The number checks of a parsed column allocate less: the fraction test in one scratch array
gives what |x - trunc(x)| > 0 gives, and a column without a refused value (infinite, or above
what the database stores) is kept as parsed rather than copied: the values and the problems
are the former ones (np.where on every column, kept here as the reference)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data_access.ingest import validation
from data_access.ingest.headers import HeaderMap
from data_access.ingest.reading import LineNumbers, RawTable
from data_access.ingest.validation import Collector, parse_value_columns
from data_access.ingest.values import parse_numbers


@pytest.mark.parametrize(
    "values",
    [
        [1.0, 2.0, np.nan, -0.0, 0.0],
        [1.5, np.nan],
        [-2.25, 3.0],
        [np.inf, -np.inf, np.nan, 4.0],
        [1e300, -1e300, 2.0**53, 2.0**53 + 2],
        [5e-324, 1.0],
        [0.1 + 0.2, 7.0],
        [np.nan, np.nan],
        [],
    ],
)
def test_the_fraction_test_is_the_former_one(values: list[float]) -> None:
    array = np.array(values, dtype="float64")
    with np.errstate(invalid="ignore"):
        former = bool((np.abs(array - np.trunc(array)) > 0).any())
    assert validation._has_fraction(array) is former
    np.testing.assert_array_equal(array, np.array(values, dtype="float64"))  # left as it was


CELLS = {
    "staff_total": ["12", "", "1.520", "inf", "9" * 25, "-3", "7"],
    "staff_female": ["1", "2", "", "4", "5", "6", "2.5"],
    "thads_money_eligible_bn": ["1,5", "", "1e400", "2.25", "-1", "x", "3"],
}
MAXIMA = {"staff_total": 2.0**63 - 1, "staff_female": 2.0**63 - 1, "thads_money_eligible_bn": 1e15}
INTEGER = {"staff_total": True, "staff_female": True, "thads_money_eligible_bn": False}


def _collector(frame: pd.DataFrame) -> Collector:
    table = RawTable(frame, LineNumbers(np.arange(2, len(frame) + 2)), 1, "utf-8", ",")
    return Collector(table, HeaderMap(dict(enumerate(frame.columns)), [], []))


@pytest.mark.parametrize("stack_cells", [0, 1 << 40])  # a large table's way, a form's
def test_values_and_problems_are_the_former_ones(
    monkeypatch: pytest.MonkeyPatch, stack_cells: int
) -> None:
    monkeypatch.setattr(validation, "STACK_CELLS", stack_cells)
    frame = pd.DataFrame(CELLS, dtype="str")
    c = _collector(frame.copy())
    values = parse_value_columns(c, list(CELLS), INTEGER, MAXIMA)
    for name, cells in CELLS.items():  # the former: every refused value a blank, by np.where
        parsed, _ = parse_numbers(pd.Series(cells, dtype="str"), INTEGER[name])
        array = parsed.to_numpy()
        expected = np.where(np.isinf(array) | (array > MAXIMA[name]), np.nan, array)
        np.testing.assert_array_equal(values[name].to_numpy(), expected)
    problems = sorted((p.row, p.column, p.message, p.value) for p in c.problems)
    assert problems == [
        (4, "thads_money_eligible_bn", "Không phải là số.", "1e400"),
        (5, "staff_total", "Không phải là số.", "inf"),
        (6, "staff_total", validation.too_large(MAXIMA["staff_total"]), "9" * 25),
        (6, "thads_money_eligible_bn", "Không được là số âm.", "-1"),
        (7, "staff_total", "Không được là số âm.", "-3"),
        (7, "thads_money_eligible_bn", "Không phải là số.", "x"),
        (8, "staff_female", "Phải là số nguyên.", "2,5"),
    ]
