"""Arrow's fast reading of a plain CSV gives what the line-by-line reading gives: the width cap
checked on the header only when every row has the header's cells, cells trimmed of the same
whitespace, lines counted as splitlines() counts them."""

import pytest

from data_access.ingest import limits
from data_access.ingest.errors import UploadError
from data_access.ingest.reading import _line_count, read_upload


def _both(rows: list[str]) -> tuple[object, object]:
    """The table read the fast way (a plain file) and the slow way (a comment line first)."""
    plain = ("\n".join(rows) + "\n").encode()
    commented = ("# ghi chú\n" + "\n".join(rows) + "\n").encode()
    return read_upload("a.csv", plain), read_upload("a.csv", commented)


@pytest.mark.parametrize(
    "cells",
    [
        ["\u00a012", "7"],  # a no-break space only (Excel pastes them)
        [" 12", "7\u00a0"],
        ["12\t", "\u3000 7"],
        ["12", "7"],
        ["Hà Nội ", " Sở Y tế"],
    ],
)
def test_cells_are_trimmed_alike_fast_and_slow(cells: list[str]) -> None:
    fast, slow = _both(["unit_code,staff_total", *(f"U{i},{c}" for i, c in enumerate(cells))])
    assert fast.frame.iloc[:, 1].tolist() == slow.frame.iloc[:, 1].tolist()  # type: ignore[attr-defined]
    assert fast.frame.iloc[:, 1].tolist() == [c.strip() for c in cells]  # type: ignore[attr-defined]


def test_a_data_line_over_the_column_cap_is_refused_naming_it() -> None:
    header = "unit_code,period,staff_total"
    wide = ",".join(["1"] * (limits.MAX_COLUMNS + 1))
    with pytest.raises(UploadError) as refused:
        read_upload("a.csv", f"{header}\nU1,2025-Y,1\n{wide}\n".encode())
    assert refused.value.row == 3
    assert str(refused.value) == limits.MSG_TOO_MANY_COLUMNS


def test_a_header_over_the_column_cap_is_refused_on_line_one() -> None:
    header = ",".join(f"c{i}" for i in range(limits.MAX_COLUMNS + 1))
    row = ",".join(["1"] * (limits.MAX_COLUMNS + 1))
    with pytest.raises(UploadError) as refused:
        read_upload("a.csv", f"{header}\n{row}\n".encode())
    assert refused.value.row == 1


@pytest.mark.parametrize(
    "text",
    [
        "a,b\n1,2\n",
        "a,b\r\n1,2\r\n",
        "a,b\n1,2",
        "a,b\r1,2\n",
        "a,b\n1,2\r",
        "a,b\n1\x0b2\n",
        "a,b\n1\x1c2\n",
        "a,b\n1\x852\n",
        "a,b\n1\u20282\n",
        "a,b\n1\u20292\n",
        "a,b\n1\x0c2\n",
        "",
        "a",
    ],
)
def test_lines_are_counted_as_splitlines_counts_them(text: str) -> None:
    count = _line_count(text)  # None: only splitlines counts them right (the C parser reads it)
    assert count is None or count == len(text.splitlines())
    if text in ("a,b\n1,2\n", "a,b\r\n1,2\r\n", "a,b\n1,2", "a"):  # LF and CRLF only
        assert count is not None
