"""A plain CSV read from the file's own UTF-8 when decoding changed nothing (reading._decoded),
and the lines starting with the delimiter or a quote found in numpy (reading._a_line_starts_with):
the same as a search of the text, at every place a slice may end."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from data_access.ingest import reading
from data_access.ingest.reading import _a_line_starts_with, _decoded, read_upload

ROWS = "unit_code,period,staff_total\r\nBHXH-001,2025-Y,12\r\nBHXH-002,2025-Y,7\r\n"
VIETNAMESE = "Mã đơn vị,Kỳ báo cáo,Tổng số\nBHXH-001,2025-Y,12\n"


def _former(text: str, characters: str) -> bool:
    return any("\n" + c in text for c in characters)


@pytest.mark.parametrize(
    ("data", "own"),
    [
        (ROWS.encode("utf-8"), True),
        (ROWS.encode("utf-8-sig"), True),
        (unicodedata.normalize("NFC", VIETNAMESE).encode("utf-8"), True),
        (unicodedata.normalize("NFD", VIETNAMESE).encode("utf-8"), False),  # normalised: new text
        (ROWS.encode("utf-16"), False),
        ("Tên,Ngày\nĐơn,2025-Y\n".encode("cp1258"), False),
    ],
)
def test_the_file_s_own_bytes_only_when_they_are_the_text(data: bytes, own: bool) -> None:
    text, encoding, utf8 = _decoded(data)
    assert (utf8 is not None) is own
    if utf8 is not None:
        assert bytes(utf8) == text.encode("utf-8")
        assert encoding in ("utf-8", "utf-8-sig")


@pytest.mark.parametrize("data", [ROWS.encode("utf-8-sig"), VIETNAMESE.encode("utf-8")])
def test_a_table_read_from_the_file_s_bytes_is_the_one_read_from_its_text(data: bytes) -> None:
    text, encoding, utf8 = _decoded(data)
    assert utf8 is not None
    own = reading._read_text(text, encoding, utf8)
    encoded = reading._read_text(text, encoding)
    pd.testing.assert_frame_equal(own.frame, encoded.frame)
    assert list(own.lines) == list(encoded.lines)
    assert read_upload("f.csv", data).frame.iloc[0, 0] == "BHXH-001"


@pytest.mark.parametrize("slice_bytes", [1, 2, 3, 5, 8, 1 << 17])
@pytest.mark.parametrize(
    "text",
    [
        ROWS,
        ROWS + ",,\r\n",
        ROWS + '"BHXH-003",2025-Y,1\r\n',
        "a,b\n,1\n",
        "a;b\nx;1\n;2",
        "a\tb\n\t1\n",
        "a,b\nđ,\n",
        "a,b\n",
        "a,b",
        "\n,",
        ",a\nb,c\n",  # the first line never counts
    ],
)
def test_lines_starting_with_the_delimiter_or_a_quote(
    text: str, slice_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "_PADDING_SLICE_BYTES", slice_bytes)
    encoded = text.encode("utf-8")
    for delimiter in (",", ";", "\t"):
        characters = delimiter + '"'
        assert _a_line_starts_with(encoded, characters) is _former(text, characters), delimiter
