"""Units over time: create, rename, move, close with a successor, merge, split, province merger.

    changes.rename(engine, "BHXH-QT", "Bảo hiểm xã hội tỉnh Quảng Trị", dt.date(2025, 7, 1),
                   identity=who)

Every operation is checked before anything is written (UnitChangeError, in Vietnamese), then
written under the write lock in one transaction as a registry batch: each unit it changes or
creates has a `registry_revisions` row, so `registry.rollback(batch_id)` undoes it like an
imported file (refused while reports need a unit it created). Doing the same thing twice changes
nothing the second time. History stays with the old units: a merge or split closes them the day
before the effective date and records `unit_successions` rows, which `lineage` walks.
`dry_run=True` does the whole operation and rolls it back: the page's preview (how many units it
changes, or the refusal) before the user confirms.

Administrators change units of every agency; the secretariat those of its own agencies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, or_, select, update

from data_access.auth import Identity, PermissionDenied
from data_access.db import audit
from data_access.db.bulk import insert_rows
from data_access.db.models import Agency, Province, Unit, UnitName, UnitSuccession
from data_access.domain.filters import LEVELS
from data_access.domain.formats import date as date_vi
from data_access.domain.province_sets import REFORM_DATE, ProvinceSet
from data_access.ingest.writes import finish_batch, lock_for_writing, new_batch
from data_access.registry.writes import REGISTRY_KIND, UNIT_COLUMNS, _json, _new_ids

# Unit codes and names fit their columns (models.Unit).
MAX_CODE = 64
MAX_NAME = 200
# The code of the unit a province merger opens in the 2025 province: the old code + this.
CURRENT_SET_SUFFIX = "-2025"
UNITS = Unit.__table__
LEVEL_VI = {
    "central": "Trung ương",
    "provincial": "Cấp tỉnh",
    "district": "Cấp huyện",
    "regional": "Khu vực",
}


class UnitChangeError(ValueError):
    """The operation is refused; the message says why, in Vietnamese. Nothing was written."""


@dataclass(frozen=True)
class NewUnit:
    """A unit an operation opens (a merge's or split's successor)."""

    code: str
    name: str
    province_code: str | None = None  # None: the province of the (first) unit it replaces
    province_set: ProvinceSet = ProvinceSet.CURRENT
    level: str | None = None  # None: the level of the unit it replaces
    parent_code: str | None = None


@dataclass(frozen=True)
class ChangeResult:
    batch_id: int | None  # None: nothing to change (the operation was already done)
    message: str
    units: int = 0  # units created or changed


# --- checks ----------------------------------------------------------------------------------------


def _unit(conn: Connection, code: str) -> Any:
    row = conn.execute(select(UNITS).where(UNITS.c.code == code.strip())).one_or_none()
    if row is None:
        raise UnitChangeError(f"Không có đơn vị mã {code}.")
    return row


def _agency_code(conn: Connection, agency_id: int) -> str:
    return str(conn.execute(select(Agency.code).where(Agency.id == agency_id)).scalar_one())


def _in_scope(conn: Connection, identity: Identity | None, agency_ids: set[int]) -> None:
    if identity is None:
        return
    identity.require("upload")  # the secretariat and administrators
    if not identity.agencies:
        return
    codes = {_agency_code(conn, a) for a in agency_ids}
    if outside := codes - set(identity.agencies):
        raise PermissionDenied(
            f"Ngành {', '.join(sorted(outside))} ngoài phạm vi được giao của tài khoản "
            f"{identity.username}."
        )


def _name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise UnitChangeError("Tên đơn vị không được để trống.")
    if len(name) > MAX_NAME:
        raise UnitChangeError(f"Tên đơn vị dài quá {MAX_NAME} ký tự.")
    return name


def _new_code(conn: Connection, code: str) -> str:
    code = code.strip()
    if not code or len(code) > MAX_CODE:
        raise UnitChangeError(f"Mã đơn vị phải có từ 1 đến {MAX_CODE} ký tự.")
    if conn.execute(select(Unit.id).where(Unit.code == code)).first():
        raise UnitChangeError(f"Mã đơn vị {code} đã có.")
    return code


def _province(conn: Connection, code: str, province_set: ProvinceSet) -> tuple[int, int]:
    row = conn.execute(
        select(Province.id, Province.current_id).where(
            Province.code_set == province_set.value, Province.code == code.strip().zfill(2)
        )
    ).one_or_none()
    if row is None:
        raise UnitChangeError(f"Không có tỉnh mã {code} trong bộ mã {province_set.short_label_vi}.")
    return row.id, row.current_id or row.id


def _active_on(unit: Any, day: dt.date) -> bool:
    return unit.active_from <= day and (unit.active_to is None or unit.active_to >= day)


def _require_active(unit: Any, day: dt.date) -> None:
    if not _active_on(unit, day):
        raise UnitChangeError(f"Đơn vị {unit.code} không hoạt động ngày {date_vi(day)}.")


def _parent(conn: Connection, code: str | None, agency_id: int) -> int | None:
    if not code:
        return None
    parent = _unit(conn, code)
    if parent.agency_id != agency_id:
        raise UnitChangeError(f"Đơn vị cấp trên {parent.code} thuộc ngành khác.")
    return int(parent.id)


# --- the batch ------------------------------------------------------------------------------------


class _Batch:
    """One operation's registry batch: revisions before each change, audited at the end."""

    def __init__(self, conn: Connection, user: str, what: str, detail: dict[str, Any]):
        self.conn, self.user, self.what, self.detail = conn, user, what, detail
        digest = hashlib.sha256(json.dumps(detail, default=str, sort_keys=True).encode())
        self.id = new_batch(conn, REGISTRY_KIND, what, digest.hexdigest(), user)
        self.revisions: list[tuple[Any, ...]] = []
        self.seen: set[int] = set()
        self.created = 0
        self.changed = 0

    def before_change(self, unit_ids: Sequence[int]) -> None:
        todo = [i for i in unit_ids if i not in self.seen]
        if not todo:
            return
        rows = self.conn.execute(
            select(Unit.id, *(getattr(Unit, c) for c in UNIT_COLUMNS)).where(Unit.id.in_(todo))
        )
        for row in rows:
            previous = {c: _json(getattr(row, c)) for c in UNIT_COLUMNS}
            self.revisions.append((self.id, "unit", row.id, json.dumps(previous)))
        self.seen.update(todo)
        self.changed += len(todo)

    def created_units(self, unit_ids: Sequence[int]) -> None:
        self.revisions.extend((self.id, "unit", i, None) for i in unit_ids)
        self.seen.update(unit_ids)
        self.created += len(unit_ids)

    def finish(self, message: str) -> ChangeResult:
        insert_rows(
            self.conn,
            "registry_revisions",
            ["batch_id", "entity", "entity_id", "previous"],
            self.revisions,
        )
        counts = {"inserted": self.created, "updated": self.changed}
        finish_batch(self.conn, self.id, counts)
        audit.record(
            self.conn,
            self.user,
            "unit_change",
            self.what,
            batch_id=self.id,
            **counts,
            **self.detail,
        )
        return ChangeResult(self.id, message, self.created + self.changed)


def _user(identity: Identity | None, user: str) -> str:
    if identity is not None:
        return identity.username
    if not user:
        raise ValueError("a unit change needs the user: user= or identity=")
    return user


def _date(conn: Connection, day: dt.date | None) -> Any:
    """Dates for the bulk insert: SQLite's driver takes them as ISO text."""
    if day is None or conn.dialect.name == "postgresql":
        return day
    return day.isoformat()


def _open_units(batch: _Batch, specs: list[dict[str, Any]]) -> dict[str, int]:
    """Insert new units (parents in `specs` before their children) in one statement."""
    conn = batch.conn
    ids = _new_ids(conn, "units", len(specs))
    by_code = {s["code"]: i for s, i in zip(specs, ids, strict=True)}
    columns = [
        "id",
        "code",
        "name",
        "agency_id",
        "parent_id",
        "level",
        "province_id",
        "current_province_id",
        "active_from",
    ]
    insert_rows(
        conn,
        "units",
        columns,
        (
            (
                by_code[s["code"]],
                s["code"],
                s["name"],
                s["agency_id"],
                s["parent_id"],
                s["level"],
                s["province_id"],
                s["current_province_id"],
                _date(conn, s["active_from"]),
            )
            for s in specs
        ),
    )
    batch.created_units(ids)
    return by_code


def _succeed(
    batch: _Batch, pairs: list[tuple[int, int]], effective: dt.date, close: list[int]
) -> None:
    """Close `close` the day before `effective` and record who succeeds whom."""
    conn = batch.conn
    batch.before_change(close)
    first_successor: dict[int, int] = {}
    for old, new in pairs:
        first_successor.setdefault(old, new)
    end = effective - dt.timedelta(days=1)
    for old in close:
        conn.execute(
            update(Unit)
            .where(Unit.id == old)
            .values(active_to=end, successor_id=first_successor.get(old))
        )
    if pairs:
        conn.execute(
            insert(UnitSuccession),
            [
                {
                    "predecessor_id": old,
                    "successor_id": new,
                    "effective_date": effective,
                    "batch_id": batch.id,
                }
                for old, new in pairs
            ],
        )


@contextmanager
def _run(engine: Engine, identity: Identity | None, dry_run: bool) -> Iterator[Connection]:
    """The operation's transaction; a dry run checks and writes everything, then rolls it all
    back, so a preview refuses exactly what the operation would refuse."""
    if identity is not None:
        identity.require("upload")
    with engine.connect() as conn, conn.begin() as transaction:
        yield conn
        if dry_run:
            transaction.rollback()


# --- operations -----------------------------------------------------------------------------------


def create(
    engine: Engine,
    spec: NewUnit,
    agency_code: str,
    active_from: dt.date,
    *,
    identity: Identity | None = None,
    user: str = "",
    dry_run: bool = False,
) -> ChangeResult:
    """Open a unit. The same unit created again changes nothing."""
    user = _user(identity, user)
    with _run(engine, identity, dry_run) as conn:
        lock_for_writing(conn)
        agency = conn.execute(
            select(Agency.id).where(Agency.code == agency_code.strip())
        ).scalar_one_or_none()
        if agency is None:
            raise UnitChangeError(f"Không có ngành mã {agency_code}.")
        _in_scope(conn, identity, {agency})
        existing = conn.execute(select(UNITS).where(UNITS.c.code == spec.code.strip())).first()
        if existing is not None:
            if existing.name == _name(spec.name) and existing.agency_id == agency:
                return ChangeResult(None, f"Đơn vị {existing.code} đã có; không có thay đổi.")
            raise UnitChangeError(f"Mã đơn vị {existing.code} đã có, với tên hoặc ngành khác.")
        if spec.level not in LEVELS:
            raise UnitChangeError(
                "Cấp đơn vị phải là Trung ương, Cấp tỉnh, Cấp huyện hoặc Khu vực."
            )
        if not spec.province_code:
            raise UnitChangeError("Cần chọn tỉnh, thành phố.")
        province, current = _province(conn, spec.province_code, spec.province_set)
        record = {
            "code": _new_code(conn, spec.code),
            "name": _name(spec.name),
            "agency_id": agency,
            "parent_id": _parent(conn, spec.parent_code, agency),
            "level": spec.level,
            "province_id": province,
            "current_province_id": current,
            "active_from": active_from,
        }
        batch = _Batch(conn, user, f"Mở đơn vị {record['code']}", {"unit": record["code"]})
        _open_units(batch, [record])
        return batch.finish(f"Đã mở đơn vị {record['code']} (lô {batch.id}).")


def rename(
    engine: Engine,
    code: str,
    new_name: str,
    effective: dt.date,
    *,
    identity: Identity | None = None,
    user: str = "",
    dry_run: bool = False,
) -> ChangeResult:
    """Give a unit a new name from `effective`; the old one is kept in its history."""
    user = _user(identity, user)
    with _run(engine, identity, dry_run) as conn:
        lock_for_writing(conn)
        unit = _unit(conn, code)
        _in_scope(conn, identity, {unit.agency_id})
        name = _name(new_name)
        if name == unit.name:
            return ChangeResult(None, f"Đơn vị {unit.code} đã có tên này; không có thay đổi.")
        if effective <= unit.active_from:
            raise UnitChangeError(
                f"Ngày đổi tên phải sau ngày đơn vị bắt đầu hoạt động ({date_vi(unit.active_from)})."
            )
        batch = _Batch(conn, user, f"Đổi tên đơn vị {unit.code}", {"unit": unit.code})
        batch.before_change([unit.id])
        conn.execute(
            insert(UnitName).values(
                unit_id=unit.id,
                name=unit.name,
                valid_to=effective - dt.timedelta(days=1),
                batch_id=batch.id,
            )
        )
        conn.execute(update(Unit).where(Unit.id == unit.id).values(name=name))
        return batch.finish(f"Đã đổi tên đơn vị {unit.code} (lô {batch.id}).")


def move(
    engine: Engine,
    code: str,
    parent_code: str | None,
    *,
    identity: Identity | None = None,
    user: str = "",
    dry_run: bool = False,
) -> ChangeResult:
    """Put a unit under another parent of its agency (None: no parent)."""
    user = _user(identity, user)
    with _run(engine, identity, dry_run) as conn:
        lock_for_writing(conn)
        unit = _unit(conn, code)
        _in_scope(conn, identity, {unit.agency_id})
        parent = _parent(conn, parent_code, unit.agency_id)
        if parent == unit.parent_id:
            return ChangeResult(None, f"Đơn vị {unit.code} đã trực thuộc đơn vị này.")
        if parent is None and unit.reports_via_parent:
            raise UnitChangeError(
                f"Đơn vị {unit.code} đang báo cáo qua đơn vị cấp trên: hãy đặt cho đơn vị tự báo "
                "cáo trước khi bỏ cấp trên."
            )
        # No cycle: the new parent must not be the unit or one of the units under it.
        ancestor = parent
        while ancestor is not None:
            if ancestor == unit.id:
                raise UnitChangeError(
                    f"Không thể đặt {unit.code} trực thuộc {parent_code}: tạo vòng lặp cấp trên."
                )
            ancestor = conn.execute(select(Unit.parent_id).where(Unit.id == ancestor)).scalar()
        batch = _Batch(conn, user, f"Chuyển đơn vị {unit.code}", {"unit": unit.code})
        batch.before_change([unit.id])
        conn.execute(update(Unit).where(Unit.id == unit.id).values(parent_id=parent))
        return batch.finish(f"Đã chuyển đơn vị {unit.code} (lô {batch.id}).")


def set_reports_via_parent(
    engine: Engine,
    code: str,
    via_parent: bool,
    *,
    identity: Identity | None = None,
    user: str = "",
    dry_run: bool = False,
) -> ChangeResult:
    """Say whether a unit reports through its parent (its parent's reporter enters its report)
    or separately. Only a unit with a parent can report through it."""
    user = _user(identity, user)
    with _run(engine, identity, dry_run) as conn:
        lock_for_writing(conn)
        unit = _unit(conn, code)
        _in_scope(conn, identity, {unit.agency_id})
        if bool(unit.reports_via_parent) == via_parent:
            how = "báo cáo qua đơn vị cấp trên" if via_parent else "tự báo cáo"
            return ChangeResult(None, f"Đơn vị {unit.code} đã {how}; không có thay đổi.")
        if via_parent and unit.parent_id is None:
            raise UnitChangeError(
                f"Đơn vị {unit.code} không có đơn vị cấp trên nên không báo cáo qua cấp trên "
                "được. Hãy chuyển đơn vị về trực thuộc một đơn vị trước."
            )
        batch = _Batch(conn, user, f"Cách báo cáo của đơn vị {unit.code}", {"unit": unit.code})
        batch.before_change([unit.id])
        conn.execute(update(Unit).where(Unit.id == unit.id).values(reports_via_parent=via_parent))
        how = "báo cáo qua đơn vị cấp trên" if via_parent else "tự báo cáo"
        return batch.finish(f"Đơn vị {unit.code} từ nay {how} (lô {batch.id}).")


def _successor_ok(successor: Any, effective: dt.date) -> None:
    if successor.active_from > effective or (
        successor.active_to is not None and successor.active_to < effective
    ):
        raise UnitChangeError(
            f"Đơn vị kế thừa {successor.code} không hoạt động ngày {date_vi(effective)}."
        )


def close(
    engine: Engine,
    code: str,
    effective: dt.date,
    successor_code: str | None = None,
    *,
    identity: Identity | None = None,
    user: str = "",
    dry_run: bool = False,
) -> ChangeResult:
    """Close a unit: its last day is the day before `effective`; its successor, if any, must be
    active on `effective`."""
    user = _user(identity, user)
    end = effective - dt.timedelta(days=1)
    with _run(engine, identity, dry_run) as conn:
        lock_for_writing(conn)
        unit = _unit(conn, code)
        successor = _unit(conn, successor_code) if successor_code else None
        _in_scope(
            conn, identity, {unit.agency_id} | ({successor.agency_id} if successor else set())
        )
        if unit.active_to == end and unit.successor_id == (successor.id if successor else None):
            return ChangeResult(None, f"Đơn vị {unit.code} đã ngừng hoạt động như vậy.")
        _require_active(unit, end)
        if successor is not None:
            if successor.id == unit.id:
                raise UnitChangeError("Đơn vị không thể kế thừa chính nó.")
            _successor_ok(successor, effective)
        batch = _Batch(conn, user, f"Ngừng hoạt động đơn vị {unit.code}", {"unit": unit.code})
        _succeed(batch, [(unit.id, successor.id)] if successor else [], effective, [unit.id])
        return batch.finish(f"Đã ghi đơn vị {unit.code} ngừng hoạt động (lô {batch.id}).")


def _spec_record(conn: Connection, spec: NewUnit, like: Any, effective: dt.date) -> dict[str, Any]:
    if spec.province_code:
        province, current = _province(conn, spec.province_code, spec.province_set)
    else:
        province, current = like.province_id, like.current_province_id
    level = spec.level or like.level
    if level not in LEVELS:
        raise UnitChangeError("Cấp đơn vị phải là Trung ương, Cấp tỉnh, Cấp huyện hoặc Khu vực.")
    return {
        "code": _new_code(conn, spec.code),
        "name": _name(spec.name),
        "agency_id": like.agency_id,
        "parent_id": _parent(conn, spec.parent_code, like.agency_id)
        if spec.parent_code
        else like.parent_id,
        "level": level,
        "province_id": province,
        "current_province_id": current,
        "active_from": effective,
    }


def _already(conn: Connection, olds: list[int], news: list[str]) -> bool:
    """The same succession is already recorded (the operation was done before)."""
    pairs = conn.execute(
        select(UnitSuccession.predecessor_id, Unit.code)
        .join(Unit, Unit.id == UnitSuccession.successor_id)
        .where(UnitSuccession.predecessor_id.in_(olds))
    ).all()
    return bool(pairs) and {(o, n) for o in olds for n in news} <= {tuple(p) for p in pairs}


def merge(
    engine: Engine,
    codes: Sequence[str],
    into: NewUnit | str,
    effective: dt.date,
    *,
    identity: Identity | None = None,
    user: str = "",
    dry_run: bool = False,
) -> ChangeResult:
    """Two or more units become one on `effective`: a new unit (NewUnit) or an existing one
    (its code) that takes them over. The old units close the day before, keeping their history."""
    user = _user(identity, user)
    if len(set(codes)) < 2 and isinstance(into, NewUnit):
        raise UnitChangeError("Cần chọn ít nhất hai đơn vị để hợp nhất.")
    with _run(engine, identity, dry_run) as conn:
        lock_for_writing(conn)
        olds = [_unit(conn, c) for c in dict.fromkeys(codes)]
        target = into if isinstance(into, str) else into.code
        if _already(conn, [u.id for u in olds], [target]):
            return ChangeResult(None, f"Các đơn vị đã được hợp nhất vào {target}.")
        agencies = {u.agency_id for u in olds}
        if len(agencies) > 1:
            raise UnitChangeError("Chỉ hợp nhất được các đơn vị cùng một ngành.")
        _in_scope(conn, identity, agencies)
        end = effective - dt.timedelta(days=1)
        for old in olds:
            _require_active(old, end)
        batch = _Batch(
            conn, user, f"Hợp nhất vào {target}", {"units": [u.code for u in olds], "into": target}
        )
        if isinstance(into, str):
            successor = _unit(conn, into)
            if successor.agency_id not in agencies:
                raise UnitChangeError(f"Đơn vị {successor.code} thuộc ngành khác.")
            if successor.id in {u.id for u in olds}:
                raise UnitChangeError("Đơn vị nhận hợp nhất không thể là một trong các đơn vị cũ.")
            _successor_ok(successor, effective)
            new_id = int(successor.id)
        else:
            new_id = _open_units(batch, [_spec_record(conn, into, olds[0], effective)])[into.code]
        _succeed(batch, [(u.id, new_id) for u in olds], effective, [u.id for u in olds])
        return batch.finish(
            f"Đã hợp nhất {len(olds)} đơn vị vào {target} từ {date_vi(effective)} (lô {batch.id})."
        )


def split(
    engine: Engine,
    code: str,
    into: Sequence[NewUnit],
    effective: dt.date,
    *,
    identity: Identity | None = None,
    user: str = "",
    dry_run: bool = False,
) -> ChangeResult:
    """One unit becomes several new ones on `effective`; it closes the day before."""
    user = _user(identity, user)
    if len({s.code for s in into}) < 2:
        raise UnitChangeError("Cần ít nhất hai đơn vị mới để chia tách.")
    with _run(engine, identity, dry_run) as conn:
        lock_for_writing(conn)
        old = _unit(conn, code)
        if _already(conn, [old.id], [s.code for s in into]):
            return ChangeResult(None, f"Đơn vị {old.code} đã được chia tách như vậy.")
        _in_scope(conn, identity, {old.agency_id})
        _require_active(old, effective - dt.timedelta(days=1))
        records = [_spec_record(conn, s, old, effective) for s in into]
        batch = _Batch(
            conn,
            user,
            f"Chia tách đơn vị {old.code}",
            {"unit": old.code, "into": [s.code for s in into]},
        )
        ids = _open_units(batch, records)
        _succeed(batch, [(old.id, ids[s.code]) for s in into], effective, [old.id])
        return batch.finish(
            f"Đã chia tách {old.code} thành {len(into)} đơn vị từ {date_vi(effective)} "
            f"(lô {batch.id})."
        )


def province_merger(
    engine: Engine,
    legacy_codes: Sequence[str],
    effective: dt.date = REFORM_DATE,
    *,
    agency_code: str | None = None,
    identity: Identity | None = None,
    user: str = "",
    dry_run: bool = False,
) -> ChangeResult:
    """Every unit still active and recorded in the legacy provinces `legacy_codes` closes the
    day before `effective`, and a unit with the same name, level and agency opens in the 2025
    province they became (code + CURRENT_SET_SUFFIX), under its parent's successor when the
    parent moves too. History stays with the old units; units to merge within the new province
    are then merged with `merge`. Limited to `agency_code`, or to the identity's agencies."""
    user = _user(identity, user)
    end = effective - dt.timedelta(days=1)
    with _run(engine, identity, dry_run) as conn:
        lock_for_writing(conn)
        provinces = conn.execute(
            select(Province.id, Province.current_id).where(
                Province.code_set == ProvinceSet.LEGACY.value,
                Province.code.in_([c.strip().zfill(2) for c in legacy_codes]),
            )
        ).all()
        if len(provinces) != len(set(legacy_codes)):
            raise UnitChangeError("Có mã tỉnh không thuộc bộ mã 63 tỉnh.")
        query = select(UNITS).where(
            Unit.province_id.in_([p.id for p in provinces]),
            Unit.active_from <= end,
            or_(Unit.active_to.is_(None), Unit.active_to >= effective),
        )
        if agency_code:
            query = query.join(Agency, Agency.id == Unit.agency_id).where(
                Agency.code == agency_code
            )
        elif identity is not None and identity.agencies:
            query = query.join(Agency, Agency.id == Unit.agency_id).where(
                Agency.code.in_(identity.agencies)
            )
        units = conn.execute(query.order_by(Unit.id)).all()
        if not units:
            return ChangeResult(None, "Không còn đơn vị nào ghi theo tỉnh cũ cần chuyển.")
        _in_scope(conn, identity, {u.agency_id for u in units})
        current_of = {p.id: p.current_id for p in provinces}
        codes = {u.code: f"{u.code}{CURRENT_SET_SUFFIX}" for u in units}
        if any(len(c) > MAX_CODE for c in codes.values()):
            raise UnitChangeError(f"Mã đơn vị mới dài quá {MAX_CODE} ký tự.")
        taken = list(
            conn.execute(select(Unit.code).where(Unit.code.in_(list(codes.values())))).scalars()
        )
        if taken:
            raise UnitChangeError(f"Mã đơn vị {', '.join(sorted(taken)[:5])} đã có.")
        moving = {u.id for u in units}
        batch = _Batch(
            conn,
            user,
            f"Sáp nhập tỉnh từ {date_vi(effective)}",
            {"provinces": sorted(legacy_codes), "agency": agency_code, "units": len(units)},
        )
        # Parents first, so a child can name its parent's successor.
        by_id = {u.id: u for u in units}
        depth: dict[int, int] = {}

        def level_of(u: Any) -> int:
            if u.id not in depth:
                depth[u.id] = 1 + level_of(by_id[u.parent_id]) if u.parent_id in by_id else 0
            return depth[u.id]

        ordered = sorted(units, key=level_of)
        ids = _new_ids(conn, "units", len(ordered))
        new_id = {u.id: i for u, i in zip(ordered, ids, strict=True)}
        insert_rows(
            conn,
            "units",
            [
                "id",
                "code",
                "name",
                "agency_id",
                "parent_id",
                "level",
                "province_id",
                "current_province_id",
                "active_from",
            ],
            (
                (
                    new_id[u.id],
                    codes[u.code],
                    u.name,
                    u.agency_id,
                    new_id[u.parent_id] if u.parent_id in moving else u.parent_id,
                    u.level,
                    current_of[u.province_id],
                    current_of[u.province_id],
                    _date(conn, effective),
                )
                for u in ordered
            ),
        )
        batch.created_units(ids)
        _bulk_succeed(batch, [(u.id, new_id[u.id]) for u in ordered], effective)
        return batch.finish(
            f"Đã chuyển {len(units)} đơn vị sang tỉnh mới từ {date_vi(effective)} (lô {batch.id})."
        )


def _bulk_succeed(batch: _Batch, pairs: list[tuple[int, int]], effective: dt.date) -> None:
    """`_succeed` for many one-to-one pairs: three statements, not one per unit."""
    conn = batch.conn
    batch.before_change([old for old, _ in pairs])
    end = effective - dt.timedelta(days=1)
    insert_rows(
        conn,
        "unit_successions",
        ["predecessor_id", "successor_id", "effective_date", "batch_id"],
        ((old, new, _date(conn, effective), batch.id) for old, new in pairs),
    )
    olds = [old for old, _ in pairs]
    succession = (
        select(UnitSuccession.successor_id)
        .where(UnitSuccession.predecessor_id == Unit.id, UnitSuccession.batch_id == batch.id)
        .scalar_subquery()
    )
    conn.execute(
        update(Unit).where(Unit.id.in_(olds)).values(active_to=end, successor_id=succession)
    )


def legacy_provinces_pending(engine: Engine, identity: Identity | None = None) -> list[str]:
    """Legacy provinces that still have units active after the 01/07/2025 change (the ready
    action's choices), within the identity's agencies."""
    query = (
        select(Province.code)
        .join(Unit, Unit.province_id == Province.id)
        .where(
            Province.code_set == ProvinceSet.LEGACY.value,
            or_(Unit.active_to.is_(None), Unit.active_to >= REFORM_DATE),
        )
        .distinct()
        .order_by(Province.code)
    )
    if identity is not None and identity.agencies:
        query = query.join(Agency, Agency.id == Unit.agency_id).where(
            Agency.code.in_(identity.agencies)
        )
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def unit_names(engine: Engine, code: str) -> list[tuple[str, dt.date]]:
    """A unit's earlier names with the last day each was used, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(UnitName.name, UnitName.valid_to)
            .join(Unit, Unit.id == UnitName.unit_id)
            .where(Unit.code == code)
            .order_by(UnitName.valid_to)
        )
        return [(r.name, r.valid_to) for r in rows]


__all__ = [
    "ChangeResult",
    "NewUnit",
    "UnitChangeError",
    "close",
    "create",
    "merge",
    "move",
    "province_merger",
    "rename",
    "split",
]
