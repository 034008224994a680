"""Read an uploaded CSV or XLSX into strings, remembering each row's line in the file.

Accepted, because Vietnamese offices produce all of them: UTF-8 with or without BOM, UTF-16
("Unicode text" from Excel, tab-separated) and Windows-1258; delimiters `,` `;` and tab. Text is
normalised to NFC so a header typed with decomposed diacritics still matches.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from data_access.domain.formats import num
from data_access.ingest import limits
from data_access.ingest.errors import WARNING, Problem, UploadError

DELIMITERS = (",", ";", "\t")
COMMENT_PREFIX = "#"  # template instructions and example rows start with it
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
MAX_SNIFF_CHARS = 64_000
# Candidates when the bytes are not UTF-8: Vietnamese legacy text is Windows-1258.
LEGACY_ENCODINGS = ["cp1258", "utf_16", "cp1252"]


class LineNumbers(Sequence[int]):
    """The file row of each frame row as one numpy array: a list of them is a Python int per row
    (5.8 MB at the row cap, issue #18: an upload within 300 MB). Reads as a sequence of ints, and
    equals a list of the same numbers."""

    __slots__ = ("_array",)

    def __init__(self, array: Any) -> None:
        self._array: np.ndarray = np.asarray(array, dtype=np.int64)

    def __len__(self) -> int:
        return len(self._array)

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> LineNumbers: ...
    def __getitem__(self, index: int | slice) -> int | LineNumbers:
        if isinstance(index, slice):
            return LineNumbers(self._array[index])
        return int(self._array[index])

    def __iter__(self) -> Iterator[int]:
        for start in range(0, len(self._array), _ITER_CHUNK):  # no list of them all at once
            yield from self._array[start : start + _ITER_CHUNK].tolist()

    def __contains__(self, value: object) -> bool:
        return isinstance(value, (int, np.integer)) and bool((self._array == value).any())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LineNumbers):
            return bool(np.array_equal(self._array, other._array))
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable-sized like a list: not hashable

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        return self._array if dtype is None else self._array.astype(dtype)

    def __repr__(self) -> str:
        return f"LineNumbers({self._array.tolist()!r})"


_ITER_CHUNK = 10_000  # ints made at a time when LineNumbers is iterated


@dataclass
class RawTable:
    frame: pd.DataFrame  # every cell a str ("" when empty); columns as written in the file
    lines: Sequence[int]  # the file row of each frame row (1-based, as Excel shows it)
    header_line: int
    encoding: str
    delimiter: str | None
    notices: list[Problem] = field(default_factory=list)  # warnings about the file (hidden rows)
    # The positions release emptied (the frame's dtypes, asked each time, were a Series a call).
    released: set[int] = field(default_factory=set, compare=False, repr=False)

    def release(self, position: int) -> None:
        """Empty the column at `position` once its cells are parsed and checked: the raw cells
        of a file at the row cap weigh 60 MB, as much as the numbers parsed from them (issue #18:
        an upload within 300 MB). The column stays, so positions and headings hold; its cells
        read as "" from then on, from a sparse column that holds no cell at all (a categorical
        one held a byte a row: 6 MB over forty columns at the row cap)."""
        if position in self.released:
            return
        empty = pd.arrays.SparseArray.from_indices(
            np.array([], dtype=object), [], len(self.frame), fill_value=""
        )
        self.frame.isetitem(position, empty)
        self.released.add(position)


def read_upload(name: str, data: bytes) -> RawTable:
    if not data.strip():
        raise UploadError("File rỗng: không có dữ liệu.")
    if name.lower().endswith(EXCEL_SUFFIXES) or data[:4] == b"PK\x03\x04":
        return _read_excel(data)
    if name.lower().endswith(".xls"):
        raise UploadError(
            "Định dạng .xls (Excel 97–2003) không được hỗ trợ: hãy lưu lại thành .xlsx hoặc .csv."
        )
    text, encoding, utf8 = _decoded(data)
    return _read_text(text, encoding, utf8)


# A file that names its encoding (a byte-order mark) and breaks it: cut short, or damaged.
BROKEN_ENCODING = (
    "File bị hỏng hoặc không đúng bảng mã {encoding} mà đầu file khai báo (lỗi ở byte thứ "
    "{position}): hãy lưu lại file với bảng mã UTF-8."
)


def decode(data: bytes) -> tuple[str, str]:
    """Bytes → NFC text and the encoding that was used."""
    text, encoding, _ = _decoded(data)
    return text, encoding


def _decoded(data: bytes) -> tuple[str, str, memoryview | None]:
    """decode, and the text's UTF-8 when it is the file's own bytes (UTF-8 already in NFC, its
    byte-order mark left out): the reader takes them as they are, with no copy of the file
    encoded again (17 MB at the row cap)."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        utf8 = data.startswith(b"\xef\xbb\xbf")
        encoding, label = ("utf-8-sig", "UTF-8") if utf8 else ("utf-16", "UTF-16")
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            # Counted from 1 as a person counts, in the whole file: the UTF-8 codec counts
            # after its mark, the UTF-16 codec from the file's first byte.
            position = error.start + (len(b"\xef\xbb\xbf") if utf8 else 0) + 1
            raise UploadError(
                BROKEN_ENCODING.format(encoding=label, position=num(position))
            ) from None
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes  # only for the rare legacy file

            best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
            if best is None:
                raise UploadError(
                    "Không nhận ra bảng mã của file: hãy lưu lại với bảng mã UTF-8."
                ) from None
            text, encoding = str(best), best.encoding
    normal = unicodedata.normalize("NFC", text)
    # normalize gives the text itself back when it is in NFC already.
    if normal is text and encoding in ("utf-8", "utf-8-sig"):
        return normal, encoding, memoryview(data)[3 if encoding == "utf-8-sig" else 0 :]
    return normal, encoding, None


# A blank line, or a comment line (see _is_comment), anywhere in "\n" + the text.
# Starting with a literal newline lets the regex engine jump between lines (20x faster than \A|\n).
_SKIPPED_LINE = re.compile(r'\n[^\S\n]*(?:"*#|\n|\Z)')


def _is_comment(line: str) -> bool:
    # A comment that contains the delimiter is written quoted: "# Kỳ báo cáo: …, …"
    return line.lstrip().lstrip('"').startswith(COMMENT_PREFIX)


def _sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the header and the first rows into the same number of columns.

    Counting characters is not enough: Vietnamese headings contain commas
    ("Công chức, viên chức, người lao động") in files delimited by semicolons.
    """
    lines = [ln for ln in sample.splitlines() if ln.strip() and not _is_comment(ln)][:20]
    if len(lines) > 1:
        lines = lines[:-1]  # the sample may cut the last line short
    best: tuple[int, int, str] | None = None
    for rank, delimiter in enumerate(("\t", ";", ",")):
        widths = {len(row) for row in csv.reader(lines, delimiter=delimiter)}
        if len(widths) == 1 and (width := widths.pop()) > 1:
            candidate = (width, -rank, delimiter)
            best = max(best, candidate) if best else candidate
    if best is None:
        counts = {d: lines[0].count(d) if lines else 0 for d in DELIMITERS}
        fallback = max(counts, key=lambda d: counts[d])
        if counts[fallback] == 0:
            raise UploadError(
                "Không tìm thấy dấu phân cách cột (dấu phẩy, chấm phẩy hoặc tab) ở dòng tiêu đề."
            )
        return fallback
    return best[2]


def _read_text(text: str, encoding: str, utf8: memoryview | None = None) -> RawTable:
    delimiter = _sniff_delimiter(text[:MAX_SNIFF_CHARS])
    newlines = text.count("\n")
    if newlines >= limits.MAX_ROWS:
        # More lines than rows allowed, or cells holding many line breaks: count the records
        # (and check their caps) without keeping them, before splitting the text into lines.
        for _ in _records(text, delimiter):
            pass
    plain = _SKIPPED_LINE.search("\n" + text.rstrip("\r\n")) is None  # one scan, not a loop
    if plain:
        # A plain file's first line is its header, and Arrow reads a file only when every row has
        # the header's cells: the header's width is every line's (a loop over the lines cost a
        # sixth of a second at the row cap). Any other file is checked line by line below.
        _check_widths([text[: text.find("\n") + 1] if "\n" in text else text], delimiter)
        if fast := _read_plain(text, encoding, delimiter, utf8, newlines):
            return fast
    _check_widths((m.group() for m in _LINE.finditer(text)), delimiter)
    lines = text.splitlines()
    if plain:
        kept = list(range(len(lines)))
    else:
        kept = [i for i, line in enumerate(lines) if line.strip() and not _is_comment(line)]
    if not kept:
        raise UploadError("File không có dòng tiêu đề.")
    skipped = set(range(len(lines))) - set(kept)
    try:
        # pandas' C parser: an order of magnitude faster than the csv module for large files.
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype="str",
            keep_default_na=False,
            header=0,
            skiprows=skipped,
            skip_blank_lines=False,
            engine="c",
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, ValueError):
        frame = None
    if frame is not None and len(frame) == len(kept) - 1:
        header = [str(c) for c in frame.columns]
        if any(h.startswith("Unnamed: ") for h in header):  # pandas names empty headings
            header = next(csv.reader([lines[kept[0]]], delimiter=delimiter))
        rows_frame = frame.set_axis(range(frame.shape[1]), axis=1)
        return _from_frame(
            header, kept[0] + 1, rows_frame, [i + 1 for i in kept[1:]], encoding, delimiter
        )
    # Quoted cells with line breaks: the csv module keeps the physical line numbers right.
    return _read_text_slow(text, encoding, delimiter)


def _line_count(text: str, newlines: int | None = None) -> int | None:
    """How many lines `text.splitlines()` would give, without making them; None when the text
    holds a line break other than LF or CRLF (then only splitlines counts them right).
    `newlines`: its count of line feeds, when the caller has counted them already."""
    # str's own searches, not a regular expression: a sixth of a second less at the row cap. An
    # ASCII text (a flag of the str, known without a look) holds none of the breaks beyond it.
    breaks = _ASCII_BREAKS if text.isascii() else _OTHER_BREAKS
    if text.count("\r") != text.count("\r\n") or any(brk in text for brk in breaks):
        return None
    newlines = text.count("\n") if newlines is None else newlines
    return newlines + (0 if text.endswith("\n") or not text else 1)


# What splitlines() also breaks at besides LF and CRLF (and a CR on its own).
_OTHER_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
_ASCII_BREAKS = tuple(brk for brk in _OTHER_BREAKS if brk.isascii())


def _read_plain(
    text: str,
    encoding: str,
    delimiter: str,
    utf8: memoryview | None = None,
    newlines: int | None = None,
) -> RawTable | None:
    """Arrow's CSV reader straight into Arrow string columns, for a file without blank or comment
    lines: no Python object per cell, so a file at the row cap stays within the memory budget
    (bench `ingestion`: peak_rss_mb); None when it cannot keep each row's line (a cell spanning
    lines) or the file is not plain CSV, and the C parser below reads it."""
    count = _line_count(text, newlines)
    if count is None or count < 1:
        return None
    first = text[: text.find("\n")] if "\n" in text else text
    header = next(csv.reader([first.rstrip("\r")], delimiter=delimiter))
    width = len(header)
    names = [f"c{i}" for i in range(width)]
    encoded = text.encode("utf-8") if utf8 is None else utf8  # see _decoded
    try:
        arrow = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(encoded)),
            # Blocks parsed on every core (Arrow's threads, without Python's lock): the reading
            # of a file at the row cap took a fifth of a second on one.
            read_options=pa_csv.ReadOptions(
                column_names=names, skip_rows=1, use_threads=True, block_size=1 << 22
            ),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=False),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),  # pandas' own, no cast
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
            # The parser's block buffers go back to the system when it is done (Arrow's own
            # allocator would keep them: 40 MB more at the row cap).
            memory_pool=pa.system_memory_pool(),
        )
    except Exception:  # any trouble (a ragged row, a cell spanning lines): the C parser reports it
        return None
    if arrow.num_rows != count - 1:
        return None
    # The rows from the header's line break on: each row starts after a "\n".
    padded = STRIP_EVERY_CELL or not _unpadded(encoded, len(first.encode("utf-8")), delimiter)
    # No cell has more bytes than its line: a file of short lines needs no cell measured.
    long_lines = _longest_line_bytes(encoded) > limits.MAX_CELL_CHARS
    # A row of blank cells starts with a blank cell: after a trim (padded) or at a line starting
    # with the delimiter or a quote. Any other file has none, and its cells are not compared.
    maybe_blank = padded or _a_line_starts_with(encoded, delimiter + '"')
    del encoded
    while header and not header[-1].strip():
        header = header[:-1]
    if len(header) > limits.MAX_COLUMNS:
        raise UploadError(limits.MSG_TOO_MANY_COLUMNS, 1)
    columns = [
        _stripped(arrow.column(i)) if padded else arrow.column(i) for i in range(len(header))
    ]
    del arrow
    lines = np.arange(2, count + 1)
    # Bytes first (Arrow's offsets): a cell has no more characters than bytes.
    sizes = [pc.max(pc.binary_length(col)).as_py() or 0 for col in columns] if long_lines else []
    if max(sizes, default=0) > limits.MAX_CELL_CHARS and any(
        (pc.max(pc.utf8_length(col)).as_py() or 0) > limits.MAX_CELL_CHARS for col in columns
    ):
        frame = pd.DataFrame({i: _str_series(col) for i, col in enumerate(columns)})
        _check_cell_sizes(header, 1, frame, LineNumbers(lines))
    blank = None
    for col in columns if maybe_blank else ():
        empty = pc.equal(col, "")
        blank = empty if blank is None else pc.and_(blank, empty)
    if blank is not None and pc.any(blank).as_py():  # rows of empty cells below a table
        keep = pc.invert(blank)
        columns = [pc.filter(col, keep) for col in columns]
        lines = lines[keep.to_numpy(zero_copy_only=False)]
    frame = pd.DataFrame(
        {i: _str_series(col) for i, col in enumerate(columns)}, index=range(len(lines))
    )
    frame.columns = [unicodedata.normalize("NFC", h).strip() for h in header]
    return RawTable(frame, LineNumbers(lines), 1, encoding, delimiter)


# The test oracle's switch: every cell through _stripped, as before _unpadded decided for it.
STRIP_EVERY_CELL = False
# Bytes looked at a time: the comparisons below make a bool per byte of a slice, not of the file,
# and one below malloc's mmap threshold (ingest.memory) is reused, not fresh pages each time.
_PADDING_SLICE_BYTES = 1 << 17


def _a_line_starts_with(encoded: bytes | memoryview, characters: str) -> bool:
    """Whether a line after the first starts with one of the ASCII `characters` (a byte each in
    UTF-8, found in no other character's bytes): in numpy, a slice at a time, where two searches
    of the text cost 40 ms at the row cap."""
    view = np.frombuffer(encoded, dtype=np.uint8)
    for at in range(0, len(view) - 1, _PADDING_SLICE_BYTES):
        part = view[at : at + _PADDING_SLICE_BYTES + 1]  # a byte more: a line ending the slice
        following = part[1:]
        starts = following == ord(characters[0])
        for character in characters[1:]:
            starts |= following == ord(character)
        starts &= part[:-1] == ord("\n")
        if starts.any():
            return True
    return False


def _longest_line_bytes(encoded: bytes | memoryview) -> int:
    """The bytes of the longest line of `encoded` (its line break included), a slice at a time."""
    view = np.frombuffer(encoded, dtype=np.uint8)
    longest, line_start = 0, 0
    for at in range(0, len(view), _PADDING_SLICE_BYTES):
        ends = np.flatnonzero(view[at : at + _PADDING_SLICE_BYTES] == ord("\n")) + (at + 1)
        if len(ends):
            longest = max(longest, int(ends[0]) - line_start)
            if len(ends) > 1:
                longest = max(longest, int(np.diff(ends).max()))
            line_start = int(ends[-1])
    return max(longest, len(view) - line_start)


def _unpadded(encoded: bytes | memoryview, start: int, delimiter: str) -> bool:
    """Whether no cell of a plain file's rows (`encoded[start:]`, its UTF-8) can start or end
    with whitespace, so none needs a trim: below "!" the rows hold only line breaks (in a plain
    file "\r" and "\n" end lines, never sit in a cell) and the delimiter, and nothing beyond
    "~" (DEL, or a character beyond ASCII: str.strip's and Arrow's whitespace are all among
    these bytes). Counted in numpy, a slice at a time: a trim of every column (a new copy of
    each) took a tenth of a second at the row cap. Any other file (names with diacritics, a
    space anywhere) is trimmed cell by cell (_stripped)."""
    view = np.frombuffer(encoded, dtype=np.uint8)
    allowed = [ord("\n"), ord("\r"), *([ord(delimiter)] if ord(delimiter) < 0x21 else [])]
    for at in range(start, len(view), _PADDING_SLICE_BYTES):
        part = view[at : at + _PADDING_SLICE_BYTES]
        if int(part.max()) > ord("~") or np.count_nonzero(part < 0x21) != sum(
            np.count_nonzero(part == byte) for byte in allowed
        ):
            return False
    return True


def _stripped(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """The cells without surrounding whitespace (Unicode's, as str.strip() takes off); the column
    itself when none has any (most). Trimmed, then compared by total size: three times faster
    than a regular expression finding the cells to trim."""
    trimmed = pc.utf8_trim_whitespace(column)
    if pc.sum(pc.binary_length(trimmed)).as_py() != pc.sum(pc.binary_length(column)).as_py():
        return trimmed
    return column


def _str_series(column: pa.ChunkedArray) -> pd.Series:
    """An Arrow string column as pandas' own string dtype, without a Python object per cell."""
    return pd.Series(column, dtype=_STR, copy=False)


_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # what dtype="str" gives


def _check_widths(lines: Iterable[str], delimiter: str) -> None:
    """Refuse a line of more than MAX_COLUMNS cells before a parser makes a column of each.
    Counting delimiters over-counts those inside quotes, so only a line over the cap by that
    count is parsed to be sure."""
    for number, line in enumerate(lines, 1):
        if line.count(delimiter) >= limits.MAX_COLUMNS and (
            len(next(csv.reader([line], delimiter=delimiter), [])) > limits.MAX_COLUMNS
        ):
            raise UploadError(limits.MSG_TOO_MANY_COLUMNS, number)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _read_text_slow(text: str, encoding: str, delimiter: str) -> RawTable:
    return _table(*_collect(_records(text, delimiter)), encoding, delimiter)


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each record, read by the csv module (which keeps the physical line
    numbers right when quoted cells hold line breaks), within the row, column and cell caps."""
    consumed = 0  # characters of the text handed to the reader so far

    def physical_lines() -> Iterator[str]:
        # One line at a time: io.StringIO would copy the text at four bytes a character.
        nonlocal consumed
        for match in _LINE.finditer(text):
            consumed = match.end()
            yield match.group()

    reader = csv.reader(physical_lines(), delimiter=delimiter)
    header: list[str] = []
    for count in range(1, limits.MAX_ROWS + 2):
        start, line = consumed, reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:  # a cell past the csv module's own limit (131,072 characters)
            column = _long_cell_column(text, start, delimiter)
            name = header[column] if column < len(header) else get_column_letter(column + 1)
            raise UploadError(limits.cell_too_long(line, name), line, name) from None
        if count > limits.MAX_ROWS:
            raise UploadError(limits.MSG_TOO_MANY_ROWS)
        if len(row) > limits.MAX_COLUMNS:
            raise UploadError(limits.MSG_TOO_MANY_COLUMNS, line)
        if not header and any(c.strip() for c in row) and not _is_comment(row[0]):
            header = [c.strip() for c in row]
        yield line, row  # a record spanning lines is numbered by its first


def _long_cell_column(text: str, start: int, delimiter: str) -> int:
    """The position of the first cell longer than MAX_CELL_CHARS in the record at text[start:]."""
    column = length = 0
    quoted = False
    i = start
    while i < len(text):
        char = text[i]
        i += 1
        if quoted:
            if char == '"':
                if text.startswith('"', i):
                    i += 1  # a doubled quote: one character of the cell
                else:
                    quoted = False
                    continue
        elif char == '"':
            quoted = True
            continue
        elif char == delimiter:
            column, length = column + 1, 0
            continue
        elif char in "\r\n":
            break
        length += 1
        if length > limits.MAX_CELL_CHARS:
            break
    return column


def _read_excel(data: bytes) -> RawTable:
    # Imported here: openpyxl weighs 13 MB in every upload process, a CSV's too (issue #18).
    from data_access.ingest.excel import read_sheet

    collected, hidden_rows = read_sheet(data, _collect)
    table = _table(*collected, "xlsx", None)
    hidden = sorted(hidden_rows.intersection(table.lines))
    if hidden:
        table.notices.append(Problem(hidden[0], "", limits.hidden_rows(hidden), WARNING))
    return table


def get_column_letter(number: int) -> str:
    """The spreadsheet letters of column `number` (1 → A, 27 → AA), as openpyxl writes them."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _collect(
    numbered: Iterable[tuple[int, list[str]]],
) -> tuple[list[str] | None, int, list[list[str]], list[int]]:
    """(header, its line, data rows, their lines) from (line, cells) pairs, skipping blank rows
    and comment rows (first cell starting with #)."""
    header: list[str] | None = None
    header_line = 0
    rows: list[list[str]] = []
    lines: list[int] = []
    for line, cells in numbered:
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith(COMMENT_PREFIX):
            continue
        if header is None:
            header, header_line = cells, line
            continue
        rows.append(cells)
        lines.append(line)
    return header, header_line, rows, lines


def _from_frame(
    header: list[str],
    header_line: int,
    frame: pd.DataFrame,
    lines: list[int],
    encoding: str,
    delimiter: str | None,
) -> RawTable:
    """Normalise a frame of strings: trailing empty headings dropped, cells stripped and NFC."""
    while header and not header[-1].strip():
        header = header[:-1]
    width = len(header)
    if width > limits.MAX_COLUMNS:
        raise UploadError(limits.MSG_TOO_MANY_COLUMNS, header_line)
    _check_cell_sizes(header, header_line, frame, lines)
    if frame.shape[1] < width:
        for i in range(frame.shape[1], width):
            frame[i] = ""
    frame = frame.iloc[:, :width].astype("str")
    # Text was normalised to NFC when decoded (and Excel cells when read): only strip here.
    frame = frame.apply(lambda col: col.str.strip())
    empty = (frame == "").all(axis=1).to_numpy()
    if empty.any():  # rows of empty cells, as Excel leaves below a table
        frame = frame[~empty]
        lines = [line for line, e in zip(lines, empty, strict=True) if not e]
    frame = frame.reset_index(drop=True)
    frame.columns = [unicodedata.normalize("NFC", h).strip() for h in header]
    return RawTable(frame, lines, header_line, encoding, delimiter)


def _check_cell_sizes(
    header: list[str], header_line: int, frame: pd.DataFrame, lines: Sequence[int]
) -> None:
    """Refuse the first cell (by row) longer than MAX_CELL_CHARS, naming its row and column."""
    for position, heading in enumerate(header):
        if len(heading) > limits.MAX_CELL_CHARS:
            name = get_column_letter(position + 1)
            raise UploadError(limits.cell_too_long(header_line, name), header_line, name)
    found: list[tuple[int, int]] = []  # (frame row, column) of the first long cell of a column
    for position in range(min(frame.shape[1], len(header))):
        too_long = (frame.iloc[:, position].str.len() > limits.MAX_CELL_CHARS).to_numpy()
        if too_long.any():
            found.append((int(np.argmax(too_long)), position))
    if found:
        row, position = min(found)
        name = header[position].strip() or get_column_letter(position + 1)
        raise UploadError(limits.cell_too_long(lines[row], name), lines[row], name)


def _table(
    header: list[str] | None,
    header_line: int,
    rows: list[list[str]],
    lines: list[int],
    encoding: str,
    delimiter: str | None,
) -> RawTable:
    if header is None:
        raise UploadError("File không có dòng tiêu đề.")
    width = max(len(header), *(len(r) for r in rows)) if rows else len(header)
    padded = [(r + [""] * width)[:width] for r in rows]
    frame = (
        pd.DataFrame(padded, columns=range(width), dtype="str")
        if rows
        else pd.DataFrame(columns=range(width))
    )
    return _from_frame(header, header_line, frame, lines, encoding, delimiter)
