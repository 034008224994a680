"""The indicator catalogue: data that drives templates, validation, labels, queries and exports.

Adding an indicator is adding a row (to `sample_data/indicators.csv` or through `save_indicators`);
its value columns are then created by `value_tables.sync_value_columns`, with no code change.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Select, select
from sqlalchemy.orm import Session

from data_access.db.models import Indicator, Submission, SubmissionSummary

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
# Names an indicator code may not take: the fixed columns of the tables that hold indicator values
# (declared once, in the models) and the columns the aggregate query names for itself.
QUERY_COLUMNS = frozenset({"unit_code", "unit_name", "period"})
RESERVED_CODES = QUERY_COLUMNS | frozenset(
    column.name for model in (Submission, SubmissionSummary) for column in model.__table__.columns
)
PAIR_SUFFIX_VI = {"total": "Tổng số", "female": "Nữ"}


class PairGroup(StrEnum):
    """A list of pairs some pages show together."""

    HEADLINE = "headline"  # the overview's key figures, the unit profile, the province comparison
    LEADERSHIP = "leadership"  # the leadership positions, by agency or province
    PIPELINE = "pipeline"  # the steps from staff to head of unit, in order
    CAPACITY = "capacity"  # training, degrees, recruitment, party membership


# Which pairs each group lists, in the order shown. A pair added to a group here (and present in
# the catalogue) shows up on every page that lists the group.
PAIR_GROUPS: dict[PairGroup, tuple[str, ...]] = {
    PairGroup.HEADLINE: ("staff", "managers", "key_leaders", "heads"),
    PairGroup.LEADERSHIP: ("planning_pool", "managers", "key_leaders", "heads", "party_committee"),
    PairGroup.PIPELINE: ("staff", "planning_pool", "managers", "key_leaders", "heads"),
    PairGroup.CAPACITY: (
        "political_training",
        "professional_training",
        "masters",
        "doctorates",
        "recruited",
        "party_members",
    ),
}
FEMALE_PCT_SUFFIX = "_female_pct"
# Equal numbers of women and men, in %...
PARITY = 50.0
# ...and the band read as balanced: neither sex below 40% (charts shade it, pages count units in it).
PARITY_BAND = (40.0, 60.0)


class CatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    label_vi: str
    section: str
    value_type: str = "int"
    kind: str = "flow"
    label_en: str | None = None
    pair: str | None = None
    role: str | None = None
    agency_code: str | None = None
    unit_vi: str | None = None
    sort_order: int = 0

    @property
    def heading_vi(self) -> str:
        """The column heading in templates and exports: a pair's side is named after the label."""
        if self.pair and self.role:
            return f"{self.label_vi} - {PAIR_SUFFIX_VI[self.role]}"
        return self.label_vi


@dataclass(frozen=True)
class PairDef:
    code: str
    label_vi: str
    label_en: str | None
    section: str
    kind: str
    total: str
    female: str

    @property
    def pct_column(self) -> str:
        return f"{self.code}{FEMALE_PCT_SUFFIX}"


class Catalogue:
    """An ordered, validated set of indicator definitions."""

    def __init__(self, indicators: Iterable[IndicatorDef]):
        self.indicators: tuple[IndicatorDef, ...] = tuple(
            sorted(indicators, key=lambda i: (i.sort_order, i.code))
        )
        validate(self.indicators)
        self.by_code = {i.code: i for i in self.indicators}

    # Equal catalogues share cached table definitions and query results.
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Catalogue) and other.fingerprint == self.fingerprint

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def __len__(self) -> int:
        return len(self.indicators)

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    @cached_property
    def pairs(self) -> dict[str, PairDef]:
        out: dict[str, PairDef] = {}
        for ind in self.indicators:
            if ind.pair and ind.pair not in out:
                out[ind.pair] = PairDef(
                    code=ind.pair,
                    label_vi=ind.label_vi,
                    label_en=ind.label_en,
                    section=ind.section,
                    kind=ind.kind,
                    total=f"{ind.pair}_total",
                    female=f"{ind.pair}_female",
                )
        return out

    def pair_label(self, pair: str) -> str:
        """The pair's Vietnamese label; a pair the catalogue has not keeps its code."""
        found = self.pairs.get(pair)
        return found.label_vi if found else pair

    def group(self, group: PairGroup) -> tuple[str, ...]:
        """The pairs of `group` this catalogue has, in the group's order."""
        return tuple(p for p in PAIR_GROUPS[group] if p in self.pairs)

    def pair_codes(self, pairs: Iterable[str]) -> list[str]:
        """The indicator codes of `pairs`: total then female of each."""
        return [code for p in pairs for code in (f"{p}_total", f"{p}_female")]

    def for_agency(self, agency_code: str | None) -> list[IndicatorDef]:
        """Indicators a unit of `agency_code` reports: the common ones and its agency's own."""
        return [i for i in self.indicators if i.agency_code in (None, agency_code)]

    @cached_property
    def fingerprint(self) -> str:
        text = "|".join(f"{i.code}:{i.value_type}" for i in self.indicators)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def validate(indicators: Sequence[IndicatorDef]) -> None:
    """Raise CatalogueError unless codes are safe column names and pairs are complete."""
    seen: set[str] = set()
    for ind in indicators:
        if not CODE_PATTERN.match(ind.code) or ind.code in RESERVED_CODES:
            raise CatalogueError(f"Mã chỉ tiêu không hợp lệ: {ind.code!r}")
        if ind.code in seen:
            raise CatalogueError(f"Mã chỉ tiêu bị trùng: {ind.code!r}")
        seen.add(ind.code)
        if ind.value_type not in ("int", "decimal") or ind.kind not in ("stock", "flow"):
            raise CatalogueError(f"Kiểu giá trị hoặc loại chỉ tiêu không hợp lệ: {ind.code!r}")
        if ind.pair and ind.code != f"{ind.pair}_{ind.role}":
            raise CatalogueError(f"Chỉ tiêu cặp phải có mã <cặp>_total/<cặp>_female: {ind.code!r}")
    for ind in indicators:
        if ind.pair:
            other = "female" if ind.role == "total" else "total"
            if f"{ind.pair}_{other}" not in seen:
                raise CatalogueError(f"Cặp chỉ tiêu {ind.pair!r} thiếu phần {other!r}")


def read_csv(path: Path) -> list[IndicatorDef]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [_from_record(row) for row in csv.DictReader(f)]


def _from_record(row: dict[str, str]) -> IndicatorDef:
    names = {f.name for f in fields(IndicatorDef)}
    values: dict[str, Any] = {
        k: (v.strip() or None) for k, v in row.items() if k in names and v is not None
    }
    values["sort_order"] = int(values.get("sort_order") or 0)
    return IndicatorDef(**values)


def load(conn: Connection | Session) -> Catalogue:
    """The active catalogue stored in the database."""
    rows = conn.execute(_active_query())
    return _catalogue(tuple(tuple(row) for row in rows))


@lru_cache(maxsize=1)
def _active_query() -> Select[Any]:
    """The active indicators' fields in IndicatorDef's order (built once: every form step loads
    the catalogue)."""
    table = Indicator.__table__
    return select(*(table.c[f.name] for f in fields(IndicatorDef))).where(table.c.active.is_(True))


# The same stored rows give the same (read-only) Catalogue: every form check loads it, and building
# it anew (sorting, validating, its pairs and fingerprint) was a tenth of a form's check.
@lru_cache(maxsize=8)
def _catalogue(rows: tuple[tuple[Any, ...], ...]) -> Catalogue:
    return Catalogue(IndicatorDef(*row) for row in rows)


def save_indicators(session: Session, indicators: Iterable[IndicatorDef]) -> None:
    """Insert or update catalogue rows by code (the caller commits, then syncs value columns)."""
    existing = {i.code: i for i in session.execute(select(Indicator)).scalars()}
    for ind in indicators:
        row = existing.get(ind.code) or Indicator(code=ind.code)
        for key, value in asdict(ind).items():
            setattr(row, key, value)
        row.active = True
        session.add(row)
    session.flush()
