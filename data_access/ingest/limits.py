"""What an upload may cost and what the database accepts.

File caps: each refuses the file with a Vietnamese message built from the constant, so that any
file within the upload limit stays well under 500 MB of memory and a minute of reading, whatever it
declares about itself.

Database limits: read from the schema, so that a clean dry run never ends in a database error at
commit (integer ranges from the column types, text lengths from String(n)); only what the schema
cannot say is a constant here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Integer, Numeric, SmallInteger, String

from data_access.domain.formats import num

# The upload widgets' limit (ui/uploads.py; also .streamlit/config.toml server.maxUploadSize),
# which the bench measures files against.
MAX_UPLOAD_BYTES = 50 * 2**20
# The file's rows as Excel numbers them (header and notes included): three national half-year
# reports of about 50,000 units each. A file at this cap peaks under 500 MB of memory in a dry run
# (bench `hostile_files`); 310,000 rows took 770 MB.
MAX_ROWS = 150_000
# The template has about 45 columns; room for notes and helper columns, not for 16,384 of them.
MAX_COLUMNS = 200
# Excel's own limit for the text of one cell.
MAX_CELL_CHARS = 32_767
# An XLSX is a zip: a 50 MB upload must not unpack into gigabytes (a national file is ~100 MB).
MAX_UNPACKED_BYTES = 400 * 2**20
# Reading an XLSX sheet; a national file takes about twenty seconds on this 2-core server.
MAX_READ_SECONDS = 120.0
# Problems listed one by one (the first by row, errors and warnings each); the rest are counted.
MAX_PROBLEMS_LISTED = 500
# Distinct (column, message) pairs counted; messages quoting a value would otherwise grow a group
# per row.
MAX_PROBLEM_GROUPS = 200
# Hidden rows named one by one before the rest are counted.
MAX_HIDDEN_ROWS_NAMED = 20

SPLIT_ADVICE = "Hãy chia thành nhiều file nhỏ hơn rồi tải lên lần lượt."

MSG_TOO_MANY_ROWS = (
    f"File có hơn {num(MAX_ROWS)} dòng, vượt giới hạn một lần tải lên. {SPLIT_ADVICE}"
)
MSG_TOO_MANY_COLUMNS = (
    f"File có hơn {num(MAX_COLUMNS)} cột, vượt giới hạn một lần tải lên: "
    "chỉ giữ các cột của mẫu báo cáo."
)
MSG_UNPACKED_TOO_LARGE = (
    f"File Excel khi giải nén lớn hơn {num(MAX_UNPACKED_BYTES // 2**20)} MB, vượt giới hạn. "
    f"{SPLIT_ADVICE}"
)
MSG_TOO_SLOW = (
    f"Đọc file Excel quá {num(MAX_READ_SECONDS)} giây nên đã dừng. "
    f"Hãy lưu lại thành CSV hoặc {SPLIT_ADVICE[0].lower()}{SPLIT_ADVICE[1:]}"
)
MSG_OTHER_PROBLEMS = "Các nội dung khác ở cột này"


def cell_too_long(row: int, column: str) -> str:
    return (
        f"Ô ở dòng {row}, cột {column} dài hơn {num(MAX_CELL_CHARS)} ký tự, "
        "vượt giới hạn một ô: kiểm tra lại nội dung ô (có thể thiếu dấu ngoặc kép đóng)."
    )


def cell_beyond_columns(cell: str) -> str:
    return (
        f"Ô {cell} nằm ngoài {num(MAX_COLUMNS)} cột đầu tiên, vượt giới hạn một lần tải lên: "
        "xoá các cột thừa ở bên phải bảng rồi lưu lại."
    )


def formula_without_value(cell: str, others: int) -> str:
    more = f" và {num(others)} ô khác" if others else ""
    return (
        f"Ô {cell}{more} có công thức nhưng chưa có giá trị đã tính, nên không đọc được số liệu: "
        "hãy mở file bằng Excel, để Excel tính lại rồi lưu."
    )


def hidden_rows(rows: list[int]) -> str:
    named = ", ".join(str(r) for r in rows[:MAX_HIDDEN_ROWS_NAMED])
    rest = len(rows) - MAX_HIDDEN_ROWS_NAMED
    more = f" và {num(rest)} dòng khác" if rest > 0 else ""
    return (
        f"Dòng {named}{more} đang bị ẩn trong Excel nhưng vẫn được nhập: "
        "kiểm tra lại các dòng này trước khi ghi."
    )


# PostgreSQL's integer types (SQLite stores 64 bits but the same file must load in both).
INTEGER_MAX = {SmallInteger: 2**15 - 1, Integer: 2**31 - 1, BigInteger: 2**63 - 1}
# Narratives are TEXT, unbounded in the schema: an Excel cell holds at most 32,767 characters,
# so a longer narrative could not be exported whole.
NARRATIVE_MAX_CHARS = MAX_CELL_CHARS
# Decimal indicators are numeric(18, 3): 15 digits before the point, so the largest whole number
# they hold is 10¹⁵ − 1 (PostgreSQL refuses more). The summary's columns have 6 digits more, so a
# period's sum over every unit stays within them.
DECIMAL_MAX = 10**15 - 1


def integer_max(column: ColumnElement[Any]) -> int:
    """The largest value an integer column stores on both backends."""
    for kind, maximum in INTEGER_MAX.items():
        if type(column.type) is kind:
            return maximum
    raise TypeError(f"{column} is not an integer column")


def value_max(column: ColumnElement[Any]) -> float:
    """The largest number an indicator or count column takes from an upload."""
    return DECIMAL_MAX if isinstance(column.type, Numeric) else integer_max(column)


def text_max(column: ColumnElement[Any]) -> int:
    """The longest text a column stores: String(n) says n; unbounded text is a narrative."""
    length = column.type.length if isinstance(column.type, String) else None
    return int(length) if length else NARRATIVE_MAX_CHARS
