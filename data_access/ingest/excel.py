"""Reading the first sheet of an XLSX upload into strings (reading.read_upload's Excel side,
imported only when an Excel file comes: openpyxl weighs 13 MB in every process that imports
it). It hands the rows to reading's `collect`, which makes the table."""

from __future__ import annotations

import io
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

from data_access.ingest import limits
from data_access.ingest.errors import UploadError

T = TypeVar("T")


class _SheetParser(WorkSheetParser):
    """openpyxl's streaming sheet parser, noting hidden rows and formulas without a cached
    value (the read-only worksheet drops both)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hidden: set[int] = set()
        self.uncached: list[str] = []  # coordinates of formulas without a value

    def parse_row(self, row: Any) -> tuple[int, list[dict[str, Any]]]:
        index, cells = super().parse_row(row)
        if row.get("hidden") in ("1", "true"):
            self.hidden.add(index)
        return index, cells

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell: dict[str, Any] = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            # An empty <v/> is a cached empty text only when Excel typed it as text.
            cached = element.find(VALUE_TAG)
            if cached is None or element.get("t") != "str":
                self.uncached.append(f"{get_column_letter(cell['column'])}{cell['row']}")
        return cell


def read_sheet(
    data: bytes, collect: Callable[[Iterator[tuple[int, list[str]]]], T]
) -> tuple[T, set[int]]:
    """What `collect` makes of the first sheet's rows (line, cell texts), streamed row by row
    from its XML (the declared dimension is not trusted, empty cells cost nothing, and every
    cap is checked as the rows come), and the lines of its hidden rows."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise UploadError(f"Không đọc được file Excel: {error}") from error
    # zipfile stops at each member's declared size, so the declared sizes bound the unpacking.
    if unpacked > limits.MAX_UNPACKED_BYTES:
        raise UploadError(limits.MSG_UNPACKED_TOO_LARGE)
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
        sheet = book.worksheets[0]
        with book._archive.open(sheet._worksheet_path) as source:
            parser = _SheetParser(
                source,
                sheet._shared_strings,
                data_only=True,
                epoch=book.epoch,
                date_formats=book._date_formats,
                timedelta_formats=book._timedelta_formats,
            )
            collected = collect(_sheet_rows(parser))
    except UploadError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UploadError(f"Không đọc được file Excel: {error}") from error
    if parser.uncached:
        first = parser.uncached[0]
        row = int(first.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        raise UploadError(
            limits.formula_without_value(first, len(parser.uncached) - 1),
            row,
            first.rstrip("0123456789"),
        )
    return collected, parser.hidden


def _sheet_rows(parser: _SheetParser) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts) of each row that has a value; numbers and dates as text the
    way pandas wrote them (500 → '500', a date → '2025-06-15 00:00:00')."""
    deadline = time.monotonic() + limits.MAX_READ_SECONDS
    # One string object per distinct value: counts repeat a lot.
    texts: dict[tuple[type, object], str] = {}
    for count, (index, cells) in enumerate(parser.parse()):
        if count % 1000 == 0 and time.monotonic() > deadline:
            raise UploadError(limits.MSG_TOO_SLOW)
        valued = [c for c in cells if c["value"] is not None and c["value"] != ""]
        if not valued:
            continue  # rows of empty (formatted) cells, as Excel leaves below a table
        if index > limits.MAX_ROWS:
            raise UploadError(limits.MSG_TOO_MANY_ROWS)
        width = max(c["column"] for c in valued)
        if width > limits.MAX_COLUMNS:
            far = next(c for c in valued if c["column"] > limits.MAX_COLUMNS)
            letter = get_column_letter(far["column"])
            raise UploadError(limits.cell_beyond_columns(f"{letter}{index}"), index, letter)
        row = [""] * width
        for cell in valued:
            value = cell["value"]
            key = (type(value), value)  # True == 1 == 1.0, but they are written differently
            text = texts.get(key)
            if text is None:
                text = texts[key] = _cell_text(value)
            row[cell["column"] - 1] = text
        yield index, row


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return str(value)  # datetime, time, bool, number: as str() writes them, like pandas did
