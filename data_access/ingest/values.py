"""Parse the numbers and dates people type into Vietnamese spreadsheets.

Numbers: `1.520` and `1 520` are one thousand five hundred and twenty in an integer column
(Vietnamese thousands separators); in a decimal column `12,5` and `12.5` are both twelve and a
half, and when both marks appear the last one is the decimal mark (`1.520,75`, `1,520.75`).
Dates: dd/mm/yyyy (as Vietnamese Excel shows them) or ISO yyyy-mm-dd.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

_SPACES = re.compile(r"[\s\u00a0\u202f]")
INT_TRICKY = "[., \t\u00a0\u202f]"
DECIMAL_TRICKY = ",|[.].*[.]|[ \t\u00a0\u202f]"
_GROUPED_INT = re.compile(r"^\d{1,3}([.,]\d{3})+$")
_WHOLE_DECIMAL = re.compile(r"^(\d+)[.,]0+$")  # Excel's "12.0"
_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


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


def parse_numbers(column: pd.Series, integer: bool) -> tuple[pd.Series, pd.Series]:
    """(values as float with NaN for blanks, mask of cells that are not numbers)."""
    text = column.astype("str")
    blank = text == ""
    # Fast path in C for plain digits; only cells with separators or spaces go through Python.
    # Literal characters, not \\s or \\u escapes: those force pandas off pyarrow's fast regex.
    tricky = text.str.contains(INT_TRICKY if integer else DECIMAL_TRICKY, regex=True)
    plain = ~tricky & ~blank
    try:  # a strict cast is twice as fast as to_numeric when every plain cell is a number
        values = text.where(plain, "nan").astype("float64")
    except ValueError:
        values = pd.to_numeric(text.where(plain), errors="coerce").astype("float64")
    if tricky.any():
        parse = _slow_int if integer else _slow_decimal
        parsed = {v: parse(v) for v in text[tricky].unique()}
        values[tricky] = text[tricky].map(parsed).astype("float64")
    bad = values.isna() & ~blank
    return values, bad


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
    cache: dict[str, dt.date | ValueError | None] = {}
    for text in column.astype("str").unique():
        try:
            cache[text] = parse_date(text)
        except ValueError as error:  # includes impossible dates such as 31/02/2022
            cache[text] = error
    parsed = [cache[t] for t in column.astype("str")]
    bad = np.array([isinstance(v, ValueError) for v in parsed], dtype=bool)
    return [None if isinstance(v, ValueError) else v for v in parsed], bad
