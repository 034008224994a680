"""A plain CSV whose rows hold no byte of whitespace, control or beyond ASCII but the line breaks
and the delimiter is read without a trim of every cell, and without a search for rows of blank
cells when no line starts with a blank cell: the table is the one the trim of every cell gives
(reading.STRIP_EVERY_CELL, the former path) and the one the line-by-line reading gives, for
files that pad a cell in every way a byte can."""

from __future__ import annotations

import pandas as pd
import pytest

from data_access.ingest import reading
from data_access.ingest.reading import RawTable, read_upload

HEADER = "unit_code,period,staff_total,ghi_chu"
ROWS = ["U1,2025-Y,12,a", "U2,2025-Y,7,b", "U3,2025-Y,,c"]


def _table(content: bytes, *, every_cell: bool, monkeypatch: pytest.MonkeyPatch) -> RawTable:
    monkeypatch.setattr(reading, "STRIP_EVERY_CELL", every_cell)
    return read_upload("a.csv", content)


def _same(a: RawTable, b: RawTable) -> None:
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert list(a.lines) == list(b.lines)


# Each case: a row put in the middle of the file, its delimiter and line ending.
PADDED = [
    "U9, 2025-Y,5,d",  # a space after the delimiter
    "U9,2025-Y ,5,d",  # before it
    " U9,2025-Y,5,d",  # at the start of a line
    "U9,2025-Y,5,d ",  # at the end of one
    "U9,2025-Y,\u00a05,d",  # a no-break space (two bytes in UTF-8)
    "U9,2025-Y,5\u3000,d",  # an ideographic space (three)
    "U9,2025-Y,5,\u2009d",  # a thin space
    'U9,2025-Y," 5",d',  # inside quotes
    'U9,2025-Y,"5 ",d',
    "U9,2025-Y,5,\x1fd",  # a unit separator (str.strip takes it off)
    "U9,2025-Y,5,d\x7f",  # DEL
    "U9,2025-Y,5,\td",  # a tab in a comma-separated file
    "U9,2025-Y,5,Hà Nội",  # a name with diacritics and a space inside
    "U9,2025-Y,5,Sở",
    "U9,2025-Y,5,d\x00",  # NUL
]


@pytest.mark.parametrize("row", PADDED)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_padded_cell_is_trimmed_as_the_trim_of_every_cell_trims_it(
    monkeypatch: pytest.MonkeyPatch, row: str, newline: str
) -> None:
    content = newline.join([HEADER, ROWS[0], row, *ROWS[1:]]) + newline
    fast = _table(content.encode(), every_cell=False, monkeypatch=monkeypatch)
    former = _table(content.encode(), every_cell=True, monkeypatch=monkeypatch)
    _same(fast, former)
    slow = read_upload("a.csv", ("# ghi chú" + newline + content).encode())
    pd.testing.assert_frame_equal(fast.frame, slow.frame)


@pytest.mark.parametrize(
    "row",
    [
        ",,,",  # a row of blank cells below the table
        '"","","",""',  # quoted blanks
        " , , , ",  # blanks once trimmed
        "\u00a0,,,",
        ",2025-Y,5,d",  # a first cell blank, the others not: kept
        '"",2025-Y,5,d',
    ],
)
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_rows_of_blank_cells_go_as_the_former_reading_drops_them(
    monkeypatch: pytest.MonkeyPatch, row: str, delimiter: str
) -> None:
    lines = [HEADER, *ROWS[:2], row, ROWS[2], row]
    content = ("\n".join(lines) + "\n").replace(",", delimiter).encode()
    fast = _table(content, every_cell=False, monkeypatch=monkeypatch)
    former = _table(content, every_cell=True, monkeypatch=monkeypatch)
    _same(fast, former)
    blank = row.replace(",", "").replace('"', "").strip() == ""
    assert len(fast.frame) == (3 if blank else 5)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_clean_file_reads_as_before_with_every_delimiter(
    monkeypatch: pytest.MonkeyPatch, delimiter: str
) -> None:
    header = "unit_code,period,staff_total,Công chức, viên chức" if delimiter != "," else HEADER
    content = ("\n".join([header, *ROWS]) + "\n").replace(",", delimiter).encode("utf-8-sig")
    fast = _table(content, every_cell=False, monkeypatch=monkeypatch)
    _same(fast, _table(content, every_cell=True, monkeypatch=monkeypatch))
    assert fast.frame.iloc[:, 2].tolist() == ["12", "7", ""]
    assert list(fast.lines) == [2, 3, 4]


@pytest.mark.parametrize(
    ("body", "unpadded"),
    [
        (b"\nU1,2025-Y,12\r\nU2,2025-Y,7", True),
        (b"\nU1,2025-Y,12 \nU2,2025-Y,7", False),
        (b"\nU1,2025-Y,12\nU2,2025-Y,\xc2\xa07", False),
        (b"\nU1,2025-Y,12\nU2,2025-Y,7\x7f", False),
        (b"\nU1,2025-Y,12\nU2,2025-Y,7\x1f", False),
        (b"\nU1,2025-Y,12\nU2,2025-Y,7\t", False),
    ],
)
def test_the_padding_test_looks_at_every_slice(
    monkeypatch: pytest.MonkeyPatch, body: bytes, unpadded: bool
) -> None:
    monkeypatch.setattr(reading, "_PADDING_SLICE_BYTES", 4)  # a padded byte in any slice
    assert reading._unpadded(b"a b,c" + body, 5, ",") is unpadded
    assert reading._unpadded(b"a b,c" + body, 5, "\t") is (unpadded or body.endswith(b"\t"))


@pytest.mark.parametrize(
    "encoded",
    [
        b"",
        b"unit_code",
        b"unit_code\n",
        b"a,b\r\nU1,12345678\r\nU2,7",
        b"a,b\nU1,1\n\n\nU22222222222,7\n",
        b"\n\nx",
    ],
)
def test_the_longest_line_is_measured_across_slices(
    monkeypatch: pytest.MonkeyPatch, encoded: bytes
) -> None:
    monkeypatch.setattr(reading, "_PADDING_SLICE_BYTES", 4)  # lines across slice edges
    expected = max((len(line) for line in encoded.splitlines(keepends=True)), default=0)
    assert reading._longest_line_bytes(encoded) == expected
