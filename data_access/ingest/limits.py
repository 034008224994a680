"""What the database accepts, read from the schema, so that a clean dry run never ends in a
database error at commit: the upload refuses anything else by file row and column.

One home per rule: integer ranges come from the column types (models.py and value_tables.py),
text lengths from String(n); only what the schema cannot say is a constant here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Float, Integer, SmallInteger, String

# PostgreSQL's integer types (SQLite stores 64 bits but the same file must load in both).
INTEGER_MAX = {SmallInteger: 2**15 - 1, Integer: 2**31 - 1, BigInteger: 2**63 - 1}
# Narratives are TEXT, unbounded in the schema: an Excel cell holds at most 32,767 characters,
# so a longer narrative could not be exported whole.
NARRATIVE_MAX_CHARS = 32_767
# Decimal indicators are double precision: whole numbers stay exact up to 2⁵³ ≈ 9·10¹⁵, and the
# summary's sums of a period stay finite (PostgreSQL refuses a sum that overflows).
DECIMAL_MAX = 10**15


def integer_max(column: ColumnElement[Any]) -> int:
    """The largest value an integer column stores on both backends."""
    for kind, maximum in INTEGER_MAX.items():
        if type(column.type) is kind:
            return maximum
    raise TypeError(f"{column} is not an integer column")


def value_max(column: ColumnElement[Any]) -> float:
    """The largest number an indicator or count column takes from an upload."""
    return DECIMAL_MAX if isinstance(column.type, Float) else integer_max(column)


def text_max(column: ColumnElement[Any]) -> int:
    """The longest text a column stores: String(n) says n; unbounded text is a narrative."""
    length = column.type.length if isinstance(column.type, String) else None
    return int(length) if length else NARRATIVE_MAX_CHARS
