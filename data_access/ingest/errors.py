"""What the validator reports: problems tied to a file row and column, in Vietnamese."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath

import pandas as pd

from data_access.domain.formats import num
from data_access.ingest.limits import MAX_PROBLEM_GROUPS, MAX_PROBLEMS_LISTED, MSG_OTHER_PROBLEMS

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


@dataclass(frozen=True)
class ProblemCount:
    severity: str
    column: str
    message: str
    count: int


class ProblemList:
    """Problems as the validator finds them, bounded whatever the file: the first
    MAX_PROBLEMS_LISTED errors and warnings (each, by row) are kept one by one, and every problem
    is counted by severity, column and message (MAX_PROBLEM_GROUPS of those, then by column)."""

    def __init__(self) -> None:
        self._kept: dict[str, list[Problem]] = {ERROR: [], WARNING: []}
        self._counts: Counter[tuple[str, str, str]] = Counter()
        self.totals: Counter[str] = Counter()

    def append(self, problem: Problem) -> None:
        self._count(problem.severity, problem.column, problem.message, 1)
        self._keep(problem.severity, [problem])

    def extend(
        self, severity: str, column: str, messages: Sequence[str], listed: Sequence[Problem]
    ) -> None:
        """Count a problem per message (all of `severity` in `column`, in the order found) and
        keep `listed`: the problems among them that can still be listed, each of `severity` and
        `column` (a caller with more than MAX_PROBLEMS_LISTED passes only the first by row, as
        no later one could be listed). Appending each problem comes to the same."""
        # Each distinct message in the order of its first row: the order append would meet them.
        for message, count in Counter(messages).items():
            self._count(severity, column, message, count)
        self._keep(severity, listed)

    def _count(self, severity: str, column: str, message: str, count: int) -> None:
        self.totals[severity] += count
        key = (severity, column, message)
        if key not in self._counts and len(self._counts) >= MAX_PROBLEM_GROUPS:
            key = (severity, column, MSG_OTHER_PROBLEMS)
        self._counts[key] += count

    def _keep(self, severity: str, listed: Sequence[Problem]) -> None:
        kept = self._kept.setdefault(severity, [])
        kept.extend(listed)
        if len(kept) >= 2 * MAX_PROBLEMS_LISTED:  # trimmed now and then: amortised O(log n)
            kept.sort(key=_order)
            del kept[MAX_PROBLEMS_LISTED:]

    def __iter__(self) -> Iterator[Problem]:
        for kept in self._kept.values():
            kept.sort(key=_order)
            yield from kept[:MAX_PROBLEMS_LISTED]

    def __len__(self) -> int:
        return sum(min(len(kept), MAX_PROBLEMS_LISTED) for kept in self._kept.values())

    def counts(self) -> list[ProblemCount]:
        """Every problem counted by severity, column and message, errors first, most first."""
        return [
            ProblemCount(severity, column, message, count)
            for (severity, column, message), count in sorted(
                self._counts.items(), key=lambda item: (item[0][0] != ERROR, -item[1], item[0])
            )
        ]


def _order(problem: Problem) -> tuple[int, str]:
    return problem.row, problem.column


def counts_frame(counts: list[ProblemCount]) -> pd.DataFrame:
    """The counts as a table for the page, Vietnamese headings."""
    return pd.DataFrame(
        {
            "Mức độ": [SEVERITY_VI.get(c.severity, c.severity) for c in counts],
            "Cột": [c.column for c in counts],
            "Nội dung": [c.message for c in counts],
            "Số lượng": [num(c.count) for c in counts],  # 1.999, as on every other screen
        }
    )


def error_report_name(upload_name: str) -> str:
    """The error report's file name: the upload's name without its own extension (never
    `….csv.csv`), with loi_ before it."""
    return f"loi_{PurePath(upload_name).stem}.csv"
