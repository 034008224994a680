"""Vietnamese number and date formats (53,6% · 1.520 · 15/06/2025), through Babel's vi_VN.

Shared by the app (ui.fmt) and the generated documents (data_access.documents.report).
"""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "vi_VN"
MISSING = "–"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def num(value: float | int | None, decimals: int = 0) -> str:
    """1520 → '1.520'; 1520.5 with decimals=1 → '1.520,5'."""
    if _missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(float(value), format=pattern, locale=LOCALE)  # type: ignore[arg-type]  # stubs want Decimal | str; a float formats the same


def pct(value: float | None, decimals: int = 1) -> str:
    """A share already in percent: 53.617 → '53,6%'."""
    return MISSING if _missing(value) else f"{num(value, decimals)}%"


def pct_points(value: float | None, decimals: int = 1) -> str:
    """A change in percentage points, signed: 1.25 → '+1,3 điểm %'."""
    if _missing(value):
        return MISSING
    sign = "+" if value and value > 0 else ""
    return f"{sign}{num(value, decimals)} điểm %"


def date(value: dt.date | None) -> str:
    return MISSING if value is None else format_date(value, format="dd/MM/yyyy", locale=LOCALE)
