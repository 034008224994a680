"""A file whose bytes break off or go wrong inside its own encoding (a byte-order mark, then
bytes that are not UTF-16 or UTF-8) is refused in Vietnamese, as an unreadable file, not a crash."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from data_access import ingest
from data_access.ingest.errors import UploadError
from data_access.ingest.reading import BROKEN_ENCODING, decode

# The file's bytes, and the byte (counted from 1 in the whole file) where it goes wrong.
BROKEN = [
    (b"\xff\xfe\x00", 3),  # UTF-16 (little end) cut inside its first character
    (b"\xfe\xff\x00", 3),  # UTF-16 (big end), the same
    (b"\xff\xfe" + "unit_code".encode("utf-16-le") + b"\x00\xd8", 21),  # a lone surrogate
    (b"\xef\xbb\xbfunit_code,period\n\xc3(,2026-Y\n", 21),  # UTF-8 BOM, then not UTF-8
]


@pytest.mark.parametrize(("data", "position"), BROKEN)
def test_decode_refuses_in_vietnamese_naming_the_byte(data: bytes, position: int) -> None:
    with pytest.raises(UploadError) as refused:
        decode(data)
    encoding = "UTF-8" if data.startswith(b"\xef\xbb\xbf") else "UTF-16"
    assert str(refused.value) == BROKEN_ENCODING.format(encoding=encoding, position=position)


@pytest.mark.parametrize(("data", "position"), BROKEN)
def test_the_upload_reports_it_and_writes_nothing(
    sqlite_sample_engine: Engine, data: bytes, position: int
) -> None:
    report = ingest.dry_run(sqlite_sample_engine, "bao_cao.csv", data)
    assert report.error_count == 1 and not report.committed
    assert report.refusal.startswith(BROKEN_ENCODING.split("{")[0])
