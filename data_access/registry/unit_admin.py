"""What the "Đơn vị" admin page reads and does: find a unit within the identity's agencies, its
card (lineage, former names), and each unit change previewed (a dry run: the same checks, the
same refusal) before it is applied.

    found = unit_admin.find(engine, "quảng trị", identity=who)
    change = unit_admin.Change("rename", codes=("BHXH-QT",), name="…", effective=day)
    preview = unit_admin.preview(engine, change, identity=who)   # writes nothing
    result = unit_admin.apply(engine, change, identity=who)      # a registry batch

Every call checks the identity: the secretariat and administrators only, the secretariat within
its agencies (a unit outside them is not found, as one that does not exist).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import aliased

from data_access.auth import Identity
from data_access.db.engine import frame_of
from data_access.db.models import Agency, Province, Unit, UnitName
from data_access.domain.formats import date as date_vi
from data_access.domain.province_sets import REFORM_DATE, ProvinceSet
from data_access.queries import lookups
from data_access.registry import changes, lineage
from data_access.registry.changes import LEVEL_VI, ChangeResult, NewUnit, UnitChangeError

# A search list longer than this helps nobody: the search box narrows it.
MAX_FOUND = 50
OPERATIONS_VI = {
    "create": "Mở đơn vị mới",
    "rename": "Đổi tên",
    "move": "Chuyển cấp trên",
    "close": "Ngừng hoạt động",
    "merge": "Hợp nhất",
    "split": "Chia tách",
    "reporting": "Cách báo cáo",
}
REPORTS_VIA_PARENT_VI = "Báo cáo qua đơn vị cấp trên"


def _allowed(identity: Identity) -> tuple[str, ...]:
    """The agencies the identity may change (empty: every agency)."""
    identity.require("upload")
    return identity.agencies


@dataclass(frozen=True)
class Found:
    total: int  # units matching the search
    units: pd.DataFrame  # code, name, agency_code, province_name, province_set, years (text)


def find(
    engine: Engine, search: str | None, *, identity: Identity, limit: int = MAX_FOUND
) -> Found:
    """Units whose name or code contains `search`, within the identity's agencies."""
    agencies = _allowed(identity)
    units = lookups.units(engine, search, agencies, limit=limit)
    units["years"] = [
        _years(a, b) for a, b in zip(units["active_from"], units["active_to"], strict=True)
    ]
    return Found(lookups.count_units(engine, search, agencies), units)


def _years(active_from: dt.date, active_to: dt.date | None) -> str:
    start = pd.Timestamp(active_from).year
    return (
        f"{start}–nay"
        if active_to is None or pd.isna(active_to)
        else (f"{start}–{pd.Timestamp(active_to).year}")
    )


@dataclass(frozen=True)
class Related:
    code: str
    name: str
    active_from: dt.date
    active_to: dt.date | None


@dataclass(frozen=True)
class UnitCard:
    code: str
    name: str
    agency_code: str
    agency_name: str
    level_vi: str
    province_vi: str  # "Quảng Trị (34 tỉnh)"
    active_from: dt.date
    active_to: dt.date | None
    parent: Related | None
    reports_via_parent: bool  # its parent's reporter enters its report
    predecessors: list[Related] = field(default_factory=list)  # nearest first
    successors: list[Related] = field(default_factory=list)
    former_names: list[tuple[str, dt.date]] = field(default_factory=list)  # name, last day


def card(engine: Engine, code: str, *, identity: Identity) -> UnitCard | None:
    """The unit `code` with its lineage, or None when there is none within the identity's
    agencies."""
    agencies = _allowed(identity)
    parent = aliased(Unit)
    with engine.connect() as conn:
        row = conn.execute(
            select(
                Unit.id,
                Unit.code,
                Unit.name,
                Unit.level,
                Unit.active_from,
                Unit.active_to,
                Unit.reports_via_parent,
                Agency.code.label("agency_code"),
                Agency.name.label("agency_name"),
                Province.short_name.label("province_name"),
                Province.code_set,
                parent.code.label("parent_code"),
            )
            .join(Agency, Agency.id == Unit.agency_id)
            .join(Province, Province.id == Unit.province_id)
            .outerjoin(parent, parent.id == Unit.parent_id)
            .where(Unit.code == code.strip())
        ).one_or_none()
        if row is None or (agencies and row.agency_code not in agencies):
            return None
        before = lineage.predecessors(conn, row.id)
        after = lineage.successors(conn, row.id)
        related = {
            r.id: Related(r.code, r.name, r.active_from, r.active_to)
            for r in conn.execute(
                select(Unit.id, Unit.code, Unit.name, Unit.active_from, Unit.active_to).where(
                    Unit.id.in_([*before, *after]) | (Unit.code == (row.parent_code or ""))
                )
            )
        }
        names = [
            (r.name, r.valid_to)
            for r in conn.execute(
                select(UnitName.name, UnitName.valid_to)
                .where(UnitName.unit_id == row.id)
                .order_by(UnitName.valid_to)
            )
        ]
    parent_card = next((r for r in related.values() if r.code == row.parent_code), None)
    return UnitCard(
        code=row.code,
        name=row.name,
        agency_code=row.agency_code,
        agency_name=row.agency_name,
        level_vi=LEVEL_VI.get(row.level, row.level),
        province_vi=f"{row.province_name} ({ProvinceSet(row.code_set).short_label_vi})",
        active_from=row.active_from,
        active_to=row.active_to,
        parent=parent_card,
        reports_via_parent=bool(row.reports_via_parent),
        predecessors=[related[i] for i in before if i in related],
        successors=[related[i] for i in after if i in related],
        former_names=names,
    )


# --- changes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One operation of the page, as the user filled its form."""

    operation: str  # a key of OPERATIONS_VI
    codes: tuple[str, ...] = ()  # the unit(s) it changes; merge: two or more
    effective: dt.date = REFORM_DATE  # the first day of the new state
    name: str = ""  # rename: the new name
    parent_code: str | None = None  # move: the new parent (None: none)
    successor_code: str | None = None  # close: the successor; merge: an existing unit
    new_units: tuple[NewUnit, ...] = ()  # create (one), merge (one, if no successor), split
    agency_code: str = ""  # create
    reports_via_parent: bool = False  # reporting: the unit's report is its parent's to enter


@dataclass(frozen=True)
class Preview:
    lines: list[str]  # what the operation will change, in Vietnamese
    units: int  # units it creates or changes (0: nothing to do)
    message: str  # the dry run's own message (why nothing changes, when nothing does)


def _run(engine: Engine, change: Change, identity: Identity, dry_run: bool) -> ChangeResult:
    op, codes, day = change.operation, change.codes, change.effective
    if op not in OPERATIONS_VI:
        raise UnitChangeError("Thao tác không hợp lệ.")
    if op == "create":
        if len(change.new_units) != 1:
            raise UnitChangeError("Cần nhập đơn vị mới.")
        return changes.create(
            engine, change.new_units[0], change.agency_code, day, identity=identity, dry_run=dry_run
        )
    if not codes:
        raise UnitChangeError("Cần chọn đơn vị.")
    if op == "rename":
        return changes.rename(
            engine, codes[0], change.name, day, identity=identity, dry_run=dry_run
        )
    if op == "move":
        return changes.move(
            engine, codes[0], change.parent_code, identity=identity, dry_run=dry_run
        )
    if op == "reporting":
        return changes.set_reports_via_parent(
            engine, codes[0], change.reports_via_parent, identity=identity, dry_run=dry_run
        )
    if op == "close":
        return changes.close(
            engine, codes[0], day, change.successor_code, identity=identity, dry_run=dry_run
        )
    if op == "merge":
        into: NewUnit | str
        if change.successor_code:
            into = change.successor_code
        elif len(change.new_units) == 1:
            into = change.new_units[0]
        else:
            raise UnitChangeError("Cần chọn đơn vị nhận hợp nhất hoặc nhập đơn vị mới.")
        return changes.merge(engine, codes, into, day, identity=identity, dry_run=dry_run)
    return changes.split(
        engine, codes[0], change.new_units, day, identity=identity, dry_run=dry_run
    )


def _describe(change: Change) -> list[str]:
    end = date_vi(change.effective - dt.timedelta(days=1))
    start = date_vi(change.effective)
    news = [f"{u.code} – {u.name}" for u in change.new_units]
    codes = ", ".join(change.codes)
    op = change.operation
    if op == "create":
        return [f"Mở đơn vị {news[0]} thuộc ngành {change.agency_code}, hoạt động từ {start}."]
    if op == "rename":
        return [
            f"Đơn vị {codes} mang tên mới “{change.name.strip()}” từ {start}; "
            f"tên cũ được giữ trong lịch sử, dùng đến {end}."
        ]
    if op == "move":
        where = f"đơn vị {change.parent_code}" if change.parent_code else "không có cấp trên"
        return [f"Đơn vị {codes} chuyển sang trực thuộc {where}."]
    if op == "reporting":
        if change.reports_via_parent:
            return [
                f"Đơn vị {codes} báo cáo qua đơn vị cấp trên: tài khoản báo cáo của đơn vị cấp "
                "trên nhập báo cáo của đơn vị này."
            ]
        return [f"Đơn vị {codes} tự báo cáo bằng tài khoản của mình."]
    if op == "close":
        then = f"; đơn vị {change.successor_code} kế thừa" if change.successor_code else ""
        return [f"Đơn vị {codes} ngừng hoạt động, ngày cuối là {end}{then}."]
    if op == "merge":
        into = change.successor_code or (news[0] if news else "")
        return [
            f"Các đơn vị {codes} ngừng hoạt động, ngày cuối là {end}.",
            f"Đơn vị {into} kế thừa từ {start}; số liệu trước đó vẫn thuộc các đơn vị cũ "
            "và được cộng theo đơn vị kế thừa.",
        ]
    return [
        f"Đơn vị {codes} ngừng hoạt động, ngày cuối là {end}.",
        *(f"Mở đơn vị {n} từ {start}, kế thừa {codes}." for n in news),
    ]


def preview(engine: Engine, change: Change, *, identity: Identity) -> Preview:
    """What `apply` would do, checked as `apply` checks it (UnitChangeError, PermissionDenied)
    and written nowhere."""
    done = _run(engine, change, identity, dry_run=True)
    if done.batch_id is None:
        return Preview([], 0, done.message)
    return Preview(_describe(change), done.units, done.message)


def apply(engine: Engine, change: Change, *, identity: Identity) -> ChangeResult:
    """Do the change: one registry batch, audited, rolled back from the history page."""
    return _run(engine, change, identity, dry_run=False)


# --- the 63 → 34 province merger ------------------------------------------------------------------


def legacy_pending(engine: Engine, *, identity: Identity) -> pd.DataFrame:
    """code, name, units: legacy provinces whose units (within the identity's agencies) are still
    active on 01/07/2025, and how many each — what the ready action would move."""
    agencies = _allowed(identity)
    query = (
        select(
            Province.code,
            Province.short_name.label("name"),
            func.count(Unit.id).label("units"),
        )
        .join(Unit, Unit.province_id == Province.id)
        .where(
            Province.code_set == ProvinceSet.LEGACY.value,
            Unit.active_from < REFORM_DATE,
            or_(Unit.active_to.is_(None), Unit.active_to >= REFORM_DATE),
        )
        .group_by(Province.code, Province.short_name)
        .order_by(Province.code)
    )
    if agencies:
        query = query.join(Agency, Agency.id == Unit.agency_id).where(Agency.code.in_(agencies))
    with engine.connect() as conn:
        return frame_of(conn.execute(query))


def merge_provinces(
    engine: Engine, legacy_codes: Sequence[str], *, identity: Identity
) -> ChangeResult:
    """The ready action: the units of `legacy_codes` (within the identity's agencies) move to
    their 2025 province from 01/07/2025, in one registry batch."""
    _allowed(identity)
    if not legacy_codes:
        raise UnitChangeError("Cần chọn ít nhất một tỉnh.")
    return changes.province_merger(engine, list(legacy_codes), identity=identity)


__all__ = [
    "MAX_FOUND",
    "OPERATIONS_VI",
    "REPORTS_VIA_PARENT_VI",
    "Change",
    "Found",
    "Preview",
    "Related",
    "UnitCard",
    "apply",
    "card",
    "find",
    "legacy_pending",
    "merge_provinces",
    "parse_codes",
    "parse_new_units",
    "preview",
]


# --- what the forms type --------------------------------------------------------------------------

# A form's list of units, one a line or separated by commas; more is a typing mistake.
MAX_LISTED = 100


def parse_codes(text: str) -> tuple[str, ...]:
    """Unit codes typed one a line or separated by commas or semicolons, in order, once each."""
    codes = [c.strip() for c in text.replace(";", ",").replace("\n", ",").split(",")]
    found = tuple(dict.fromkeys(c for c in codes if c))
    if len(found) > MAX_LISTED:
        raise UnitChangeError(f"Mỗi lần chỉ nhập tối đa {MAX_LISTED} mã đơn vị.")
    return found


def parse_new_units(text: str) -> tuple[NewUnit, ...]:
    """New units typed one a line as "mã; tên" (or "mã, tên"): a split's new units."""
    units = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        code, sep, name = line.replace(";", ",", 1).partition(",")
        if not sep or not code.strip() or not name.strip():
            raise UnitChangeError(f"Dòng {number}: cần có mã và tên đơn vị, cách nhau bởi dấu ;")
        units.append(NewUnit(code=code.strip(), name=name.strip()))
    if len(units) > MAX_LISTED:
        raise UnitChangeError(f"Mỗi lần chỉ nhập tối đa {MAX_LISTED} đơn vị mới.")
    return tuple(units)
