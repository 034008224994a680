"""Parse the numbers and dates people type into Vietnamese spreadsheets.

Numbers: `1.520` and `1 520` are one thousand five hundred and twenty in an integer column
(Vietnamese thousands separators); in a decimal column `12,5` and `12.5` are both twelve and a
half, and when both marks appear the last one is the decimal mark (`1.520,75`, `1,520.75`).
Dates: dd/mm/yyyy (as Vietnamese Excel shows them) or ISO yyyy-mm-dd.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_SPACES = re.compile(r"[\s\u00a0\u202f]")
DECIMAL_TRICKY = ",|[.].*[.]|[ \t\u00a0\u202f]"
_GROUPED_INT = re.compile(r"^\d{1,3}([.,]\d{3})+$")
_WHOLE_DECIMAL = re.compile(r"^(\d+)[.,]0+$")  # Excel's "12.0"
_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
# Characters XML 1.0 cannot hold (C0 controls but tab and newline, DEL, C1, the non-characters):
# a Word report or an XLSX download of the stored text would fail on them.
_CONTROL_RANGES = ((0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0xFFFE, 0xFFFF))
_CONTROL = re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in _CONTROL_RANGES) + "]")
_CONTROL_RE2 = "[" + "".join(f"\\x{{{a:04x}}}-\\x{{{b:04x}}}" for a, b in _CONTROL_RANGES) + "]"
# Word's manual line break (\x0b, Shift+Enter), the form feed and CR or CRLF: a newline.
_BREAK = re.compile(r"\r\n?|[\x0b\x0c]")
_LINE_BREAK = re.compile(r"[\t\n]")


def _slow_int(text: str) -> float | None:
    text = _SPACES.sub("", text)
    if text.isdigit():
        return float(text)
    if _GROUPED_INT.match(text):
        return float(re.sub(r"[.,]", "", text))
    if m := _WHOLE_DECIMAL.match(text):
        return float(m.group(1))
    try:
        return float(text.replace(",", "."))  # a fraction or a negative: reported by the checks
    except ValueError:
        return None


def _slow_decimal(text: str) -> float | None:
    text = _SPACES.sub("", text)
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in text:
        text = text.replace(",", ".") if text.count(",") == 1 else text.replace(",", "")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        return float(text)
    except ValueError:
        return None


def arrow_text(column: pd.Series) -> pa.Array:
    """The cells (text, as a RawTable holds them) as one Arrow string array: taken as they are
    from an Arrow-backed column, converted in one call from a column of Python strings (pandas'
    own conversion to its string dtype costs a form's one-row table ten times more)."""
    if column.dtype == object:
        try:
            return pa.array(column.to_numpy(), type=pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # a cell that is not text: as pandas reads it
            pass
    return pa.array(column.astype("str").array)


def parse_numbers(column: pd.Series, integer: bool) -> tuple[pd.Series, pd.Series]:
    """(values as float with NaN for blanks, mask of cells that are not numbers)."""
    # In Arrow's C kernels: a hundred thousand rows × forty columns go through this per upload.
    text = arrow_text(column)
    blank = pc.equal(text, "")
    # Plain numbers are cast in C; only the few other cells (separators, spaces, signs, words) go
    # through Python, once per distinct text. An integer cell is plain when it is ASCII digits.
    if integer:
        plain = pc.ascii_is_decimal(text)
        tricky = pc.and_(pc.invert(plain), pc.invert(blank))
    else:
        tricky = pc.match_substring_regex(text, DECIMAL_TRICKY)
        plain = pc.and_(pc.invert(tricky), pc.invert(blank))
    candidates = _null_unless(text, plain)
    try:  # the strict cast succeeds whenever every plain cell is a number
        numbers = pc.cast(candidates, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        numbers = pd.to_numeric(pd.Series(candidates.to_pylist()), errors="coerce").to_numpy()
    tricky_mask = tricky.to_numpy(zero_copy_only=False)
    if tricky_mask.any():
        if not numbers.flags.writeable:  # Arrow's own buffer, when no cell was left out
            numbers = numbers.copy()
        parse = _slow_int if integer else _slow_decimal
        cells = column[tricky_mask].astype("str")
        parsed = {v: parse(v) for v in cells.unique()}
        numbers[tricky_mask] = cells.map(parsed).to_numpy(dtype="float64", na_value=np.nan)
    bad = np.isnan(numbers) & ~blank.to_numpy(zero_copy_only=False)
    # copy=False: pandas 3 would copy each column-sized array into its Series.
    return (
        pd.Series(numbers, index=column.index, dtype="float64", copy=False),
        pd.Series(bad, index=column.index, copy=False),
    )


def _null_unless(text: pa.Array | pa.ChunkedArray, keep: pa.Array | pa.ChunkedArray) -> Any:
    """`text` with null where `keep` is false. The string bytes are shared: `keep`'s bits (a copy
    of them per chunk, an eighth of a byte a cell) become each chunk's validity bitmap, where
    if_else copied every column's text (17 MB a file at the row cap). Text with nulls of its own
    goes through if_else."""
    if text.null_count or keep.null_count:
        return pc.if_else(keep, text, pa.scalar(None, text.type))
    bits = keep.combine_chunks() if isinstance(keep, pa.ChunkedArray) else keep
    chunks = text.chunks if isinstance(text, pa.ChunkedArray) else [text]
    out, at = [], 0
    for chunk in chunks:
        part = bits.slice(at, len(chunk))
        if chunk.offset:  # a sliced chunk: its bitmap would need the same offset
            out.append(pc.if_else(part, chunk, pa.scalar(None, text.type)))
        else:
            validity = pa.concat_arrays([part]).buffers()[1]  # a copy at offset 0
            buffers = [validity, *chunk.buffers()[1:]]
            out.append(pa.Array.from_buffers(chunk.type, len(chunk), buffers))
        at += len(chunk)
    return pa.chunked_array(out, type=text.type)


def clean_text(text: str, multiline: bool) -> str:
    """`text` without control characters: a line break is a newline in a multi-line text (tabs
    kept), a space in a one-line one; other controls are dropped."""
    text = _CONTROL.sub("", _BREAK.sub("\n", text))
    return text if multiline else _LINE_BREAK.sub(" ", text)


def clean_texts(column: pd.Series, multiline: bool, text: pa.Array | None = None) -> pd.Series:
    """`clean_text` of every cell; only the cells holding a control character are rewritten.
    `text`: the column as arrow_text gives it, when the caller has it already."""
    text = arrow_text(column) if text is None else text
    pattern = _CONTROL_RE2 if multiline else _CONTROL_RE2 + r"|[\t\n]"
    dirty = pc.match_substring_regex(text, pattern).to_numpy(zero_copy_only=False)
    if not dirty.any():
        return column
    cleaned = column.copy()
    cleaned[dirty] = [clean_text(t, multiline) for t in column[dirty]]
    return cleaned


def parse_date(text: str) -> dt.date | None:
    """A date typed as dd/mm/yyyy or yyyy-mm-dd; None if blank; ValueError if not a date."""
    text = text.strip()
    if not text:
        return None
    if m := _DATE_DMY.match(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _DATE_ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise ValueError(text)
    return dt.date(year, month, day)


def parse_dates(column: pd.Series) -> tuple[list[dt.date | None], np.ndarray]:
    """(dates, mask of cells that are not dates)."""
    # Each distinct text parsed once, then taken per row by its code (no Python loop per row).
    codes, distinct = pd.factorize(column.astype("str"))
    dates: list[dt.date | None] = []
    wrong: list[bool] = []
    for text in distinct:
        try:
            dates.append(parse_date(str(text)))
            wrong.append(False)
        except ValueError:  # includes impossible dates such as 31/02/2022
            dates.append(None)
            wrong.append(True)
    table = np.empty(len(dates) + 1, dtype=object)  # the last: a missing cell (code -1)
    table[: len(dates)] = dates
    bad = np.array([*wrong, False], dtype=bool)[codes]
    return table[codes].tolist(), bad
