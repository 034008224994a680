"""Number cells cast in Arrow with the text's own bytes (values._null_unless): the same values and
refusals as a parse of each cell on its own, whatever the column's chunks; and the registry read
beside the number parsing of a large file (submissions._beside) on its own thread, its error
raised to the check."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from sqlalchemy import Connection, Engine

from data_access import ingest
from data_access.ingest import validation
from data_access.ingest.values import _null_unless, _slow_decimal, _slow_int, parse_numbers

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2026, 11, 22)

CELLS = ["12", "", "1.520", "7", "2,5", " 3 ", "x", "0", "", "1 234", "999", "12.0", "-4", "5"]


def _cell_by_cell(cells: list[str], integer: bool) -> tuple[list[float], list[bool]]:
    """The rule for one cell: plain digits (or a plain decimal) are numbers, anything else goes
    through the Vietnamese separators' parse, a blank is a blank and never refused."""
    values, bad = [], []
    for cell in cells:
        if cell == "":
            values.append(np.nan)
            bad.append(False)
            continue
        parsed = (_slow_int if integer else _slow_decimal)(cell)
        values.append(np.nan if parsed is None else parsed)
        bad.append(parsed is None)
    return values, bad


def _chunked(cells: list[str], cut: list[int], sliced: bool) -> pd.Series:
    """The cells as an Arrow-backed column of several chunks (as Arrow's CSV reader gives a large
    file), the first one a slice of a longer array when `sliced`."""
    bounds = [0, *cut, len(cells)]
    chunks = [pa.array(cells[a:b], type=pa.large_string()) for a, b in itertools.pairwise(bounds)]
    if sliced:
        chunks[0] = pa.array(["pad", *cells[: bounds[1]]], type=pa.large_string()).slice(1)
    column = pa.chunked_array(chunks, type=pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(column))


@pytest.mark.parametrize("integer", [True, False])
@pytest.mark.parametrize("cut", [[], [3], [1, 5, 9]])
@pytest.mark.parametrize("sliced", [False, True])
def test_numbers_are_each_cell_parsed_on_its_own(
    integer: bool, cut: list[int], sliced: bool
) -> None:
    column = _chunked(CELLS, cut, sliced)
    assert column.array._pa_array.num_chunks == len(cut) + 1
    values, bad = parse_numbers(column, integer)
    expected_values, expected_bad = _cell_by_cell(CELLS, integer)
    np.testing.assert_array_equal(values.to_numpy(), np.array(expected_values, dtype="float64"))
    assert bad.tolist() == expected_bad
    # What the rule gives, worked out by hand for the cells that differ between the kinds.
    assert values[2] == (1520.0 if integer else 1.52)
    assert np.isnan(values[1]) and not bad[1]
    assert bad[6]  # "x"


def test_the_text_bytes_are_shared_not_copied() -> None:
    text = pa.chunked_array([pa.array(["1", "", "x"]), pa.array(["4", "5"])])
    keep = pc.ascii_is_decimal(text)
    kept = _null_unless(text, keep)
    assert kept.to_pylist() == ["1", None, None, "4", "5"]
    for before, after in zip(text.chunks, kept.chunks, strict=True):
        assert after.buffers()[2].address == before.buffers()[2].address  # the same bytes


def test_text_with_nulls_of_its_own_keeps_them() -> None:
    text = pa.array(["1", None, "3"])
    assert _null_unless(text, pa.array([True, True, False])).to_pylist() == ["1", None, None]


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The threads the registry is read on, the read itself left as it is."""
    threads: list[str] = []
    real = validation.unit_reference

    def spied(conn: Connection, *args: object, **kwargs: object) -> pd.DataFrame:
        threads.append(threading.current_thread().name)
        return real(conn, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validation, "unit_reference", spied)
    return threads


@pytest.mark.parametrize(
    "name", ["err_unknown_unit.csv", "err_inactive_unit.csv", "ok_names_and_period_forms.csv"]
)
def test_a_large_file_reads_the_registry_beside_the_numbers(
    shared_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    data = (DATA / name).read_bytes()
    small = ingest.dry_run(shared_sample_engine, "f.csv", data, today=TODAY)
    threads = _reads(monkeypatch)
    monkeypatch.setattr(validation, "STACK_CELLS", 0)  # every file is large
    large = ingest.dry_run(shared_sample_engine, "f.csv", data, today=TODAY)
    assert threads and threading.main_thread().name not in threads
    assert [(p.row, p.column, p.message, p.value) for p in large.problems] == [
        (p.row, p.column, p.message, p.value) for p in small.problems
    ]
    assert large.problems or name.startswith("ok_")


def test_a_small_file_reads_the_registry_on_its_own_thread(
    shared_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads = _reads(monkeypatch)
    ingest.dry_run(
        shared_sample_engine, "f.csv", (DATA / "err_unknown_unit.csv").read_bytes(), today=TODAY
    )
    assert threads == [threading.current_thread().name] * len(threads) and threads


def test_an_error_of_the_registry_read_reaches_the_check(
    shared_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> pd.DataFrame:
        raise RuntimeError("registry unreadable")

    monkeypatch.setattr(validation, "unit_reference", broken)
    monkeypatch.setattr(validation, "STACK_CELLS", 0)
    data = (DATA / "err_unknown_unit.csv").read_bytes()
    with pytest.raises(RuntimeError, match="registry unreadable"):
        ingest.dry_run(shared_sample_engine, "f.csv", data, today=TODAY)


@pytest.mark.parametrize("at", [0, validation.FRACTION_SLICE - 1, validation.FRACTION_SLICE, -1])
def test_a_fraction_is_found_in_any_slice(at: int) -> None:
    array = np.arange(3 * validation.FRACTION_SLICE + 5, dtype="float64")
    array[::7] = np.nan
    array[::11] = np.inf
    assert not validation._has_fraction(array)
    array[at] = 2.5
    assert validation._has_fraction(array)
