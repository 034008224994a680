"""What the validator reports: problems tied to a file row and column, in Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

ERROR = "error"
WARNING = "warning"
SEVERITY_VI = {ERROR: "Lỗi", WARNING: "Cảnh báo"}
# Row number used for problems of the file as a whole (no data row to point at).
FILE_ROW = 0


@dataclass(frozen=True)
class Problem:
    row: int  # the row as the user sees it in Excel (1 = header row)
    column: str  # the column heading as written in the file ("" for the whole row)
    message: str
    severity: str = ERROR
    value: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "severity": self.severity,
            "value": self.value,
        }


class UploadError(ValueError):
    """The file cannot be read at all (encoding, format, no header, over a cap); `row` and
    `column` point at the place when there is one (FILE_ROW and "" otherwise)."""

    def __init__(self, message: str, row: int = FILE_ROW, column: str = "") -> None:
        super().__init__(message)
        self.row, self.column = row, column


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems as a table for the page and the error report, Vietnamese headings."""
    frame = pd.DataFrame(
        [p.as_dict() for p in problems], columns=["row", "column", "severity", "message", "value"]
    )
    frame["severity"] = frame["severity"].map(SEVERITY_VI)
    return frame.rename(
        columns={
            "row": "Dòng",
            "column": "Cột",
            "severity": "Mức độ",
            "message": "Nội dung",
            "value": "Giá trị",
        }
    )
