"""Collector.add of many positions at once: listed, counted and blocked as one at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data_access.ingest.errors import ERROR, WARNING, ProblemCount
from data_access.ingest.headers import HeaderMap
from data_access.ingest.limits import MAX_PROBLEM_GROUPS, MAX_PROBLEMS_LISTED
from data_access.ingest.reading import LineNumbers, RawTable
from data_access.ingest.validation import Collector

ROWS = 3 * MAX_PROBLEMS_LISTED


def _collector(as_array: bool) -> Collector:
    lines = np.arange(2, ROWS + 2) * 2  # a blank line between rows: row ≠ position
    frame = pd.DataFrame({"staff_total": [""] * ROWS, "managers_total": [""] * ROWS})
    table = RawTable(frame, LineNumbers(lines) if as_array else lines.tolist(), 1, "utf-8", ",")
    return Collector(table, HeaderMap({0: "staff_total", 1: "managers_total"}, [], []))


Listed = list[tuple[int, str, str, str, str]]


def _state(c: Collector) -> tuple[Listed, list[ProblemCount], dict[str, int], list[int]]:
    listed = [(p.row, p.column, p.message, p.severity, p.value) for p in c.sorted()]
    return listed, c.problems.counts(), dict(c.problems.totals), sorted(c.blocked)


@pytest.mark.parametrize("as_array", [True, False])
def test_many_problems_at_once_are_kept_as_one_by_one(as_array: bool) -> None:
    rng = np.random.default_rng(11)
    # Unsorted positions, more distinct messages than groups are counted, values to show.
    positions = rng.permutation(ROWS)[: 2 * MAX_PROBLEMS_LISTED]
    messages = [f"Giá trị {int(p) % (MAX_PROBLEM_GROUPS + 40)} sai." for p in positions]
    values = (positions * 1.5).tolist()
    warned = np.flatnonzero(rng.random(ROWS) < 0.6)

    at_once, one_by_one = _collector(as_array), _collector(as_array)
    at_once.add(positions, "staff_total", messages, values)
    at_once.add(warned, "managers_total", "Kiểm tra lại.", severity=WARNING)
    for i, pos in enumerate(positions):
        one_by_one.add([pos], "staff_total", messages[i], [values[i]])
    for pos in warned:
        one_by_one.add([pos], "managers_total", "Kiểm tra lại.", severity=WARNING)

    assert _state(at_once) == _state(one_by_one)
    listed, counts, totals, blocked = _state(at_once)
    assert totals == {ERROR: len(positions), WARNING: len(warned)}
    assert len(blocked) == len(positions)
    assert sum(c.count for c in counts) == len(positions) + len(warned)
    # The first rows listed, with the row as the file numbers it and the value shown.
    errors = [p for p in listed if p[3] == ERROR]
    first = int(np.sort(positions)[0])
    assert len(errors) == MAX_PROBLEMS_LISTED
    assert errors[0][0] == 2 * (first + 2)
    assert errors[0][4] == f"{first * 1.5:.2f}".rstrip("0").rstrip(".").replace(".", ",")
