"""Reporting periods: `YYYY-H1` (semi-annual, due 15/06) and `YYYY-Y` (annual, due 30/11)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

SEMI_ANNUAL_DUE = (6, 15)
ANNUAL_DUE = (11, 30)
# As people say a period: "Năm 2025", "6 tháng đầu năm 2026".
KIND_LABELS_VI = {"H1": "6 tháng đầu năm", "Y": "Năm"}

_CANONICAL = re.compile(r"^(\d{4})-(H1|Y)$", re.IGNORECASE)
# Forms people type (docs/domain.md, "The reporting calendar"): "6 tháng đầu năm 2022", "6T/2022", "Năm 2022", and a few kin.
_SEMI_ANNUAL = re.compile(
    r"^(?:6\s*thang(?:\s*dau)?(?:\s*nam)?|6t|h1|so\s*ket(?:\s*6\s*thang)?(?:\s*nam)?)\s*[/\-.\s]?\s*(\d{4})$"
)
_ANNUAL = re.compile(r"^(?:ca\s*nam|nam|tong\s*ket(?:\s*nam)?|y)\s*[/\-.\s]?\s*(\d{4})$")


@dataclass(frozen=True, order=True)
class PeriodCode:
    year: int
    kind: str  # "H1" or "Y"; orders H1 before Y within a year

    def __str__(self) -> str:
        return f"{self.year}-{self.kind}"

    @property
    def start_date(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end_date(self) -> dt.date:
        return dt.date(self.year, 6, 30) if self.kind == "H1" else dt.date(self.year, 12, 31)

    @property
    def due_date(self) -> dt.date:
        month, day = SEMI_ANNUAL_DUE if self.kind == "H1" else ANNUAL_DUE
        return dt.date(self.year, month, day)

    @property
    def label_vi(self) -> str:
        return f"{KIND_LABELS_VI[self.kind]} {self.year}"

    def previous_comparable(self) -> PeriodCode:
        """The same kind of period a year earlier (what a KPI delta compares with)."""
        return PeriodCode(self.year - 1, self.kind)

    def next(self) -> PeriodCode:
        return PeriodCode(self.year, "Y") if self.kind == "H1" else PeriodCode(self.year + 1, "H1")


def _ascii_fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.strip().lower()).replace("đ", "d")
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def parse_period(text: str) -> PeriodCode:
    """Parse a canonical code or a typed form; raise ValueError with a Vietnamese message."""
    raw = str(text).strip()
    if m := _CANONICAL.match(raw):
        return PeriodCode(int(m.group(1)), m.group(2).upper())
    folded = re.sub(r"\s+", " ", _ascii_fold(raw))
    if m := _SEMI_ANNUAL.match(folded):
        return PeriodCode(int(m.group(1)), "H1")
    if m := _ANNUAL.match(folded):
        return PeriodCode(int(m.group(1)), "Y")
    raise ValueError(
        f"Kỳ báo cáo không hợp lệ: {raw!r} (dùng dạng 2022-H1, 2022-Y, "
        "'6 tháng đầu năm 2022', '6T/2022' hoặc 'Năm 2022')"
    )


def period_label(code: str) -> str:
    """A period code as people say it: "2025-Y" → "Năm 2025", "2026-H1" → "6 tháng đầu năm 2026"."""
    return parse_period(code).label_vi


def period_range(first: PeriodCode, last: PeriodCode) -> list[PeriodCode]:
    out = []
    current = first
    while current <= last:
        out.append(current)
        current = current.next()
    return out


def latest_due(today: dt.date) -> PeriodCode:
    """The most recent period whose due date has passed (or is today)."""
    candidate = PeriodCode(today.year, "Y")
    while candidate.due_date > today:
        candidate = (
            PeriodCode(candidate.year, "H1")
            if candidate.kind == "Y"
            else PeriodCode(candidate.year - 1, "Y")
        )
    return candidate
