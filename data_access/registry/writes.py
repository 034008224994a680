"""Writing a checked registry file in the caller's transaction, and rolling a registry batch back.

Every agency or unit a batch creates or changes gets a `registry_revisions` row (previous state,
None when the batch created it), so a rollback restores exactly the state before the batch.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, text, update

from data_access.db import activity_summary
from data_access.db import catalogue as catalogue_mod
from data_access.db.bulk import insert_rows
from data_access.db.models import (
    Agency,
    CampaignActivity,
    RegistryRevision,
    SubmissionRevision,
    Target,
    Unit,
    UnitName,
    UnitSuccession,
    UploadBatch,
    User,
    UserAgency,
    utcnow,
)
from data_access.db.value_tables import refresh_summary, tables
from data_access.ingest.writes import RollbackRefused
from data_access.registry.validation import Reference, RegistryPlan

REGISTRY_KIND = "registry"
# A refusal names this many dependants, then counts the rest.
MAX_NAMED = 5
UNIT_COLUMNS = (
    "name",
    "agency_id",
    "parent_id",
    "level",
    "province_id",
    "current_province_id",
    "active_from",
    "active_to",
    "successor_id",
    "contact_name",
    "contact_email",
    "contact_phone",
    "reports_via_parent",
)
# Columns whose change moves a unit's reports to another row of the summaries.
SUMMARY_KEYS = ("agency_id", "province_id", "current_province_id", "level")
FIELD_OF = {
    "unit_name": "name",
    "level": "level",
    "province_id": "province_id",
    "current_province_id": "current_province_id",
    "active_from": "active_from",
    "active_to": "active_to",
    "contact_name": "contact_name",
    "contact_email": "contact_email",
    "contact_phone": "contact_phone",
    "reports_via_parent": "reports_via_parent",
}


@dataclass
class Changes:
    new_agencies: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    renamed_agencies: list[tuple[int, str, str]] = field(default_factory=list)  # (id, old, new)
    new_units: list[dict[str, Any]] = field(default_factory=list)  # code + UNIT_COLUMNS by code
    changed_units: list[tuple[int, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0

    @property
    def inserted(self) -> int:
        return len(self.new_agencies) + len(self.new_units)

    @property
    def updated(self) -> int:
        return len(self.renamed_agencies) + len(self.changed_units)


def _stored_record(stored: dict[str, Any], ref: Reference) -> dict[str, Any]:
    """A stored unit in table terms, parent and successor still as codes."""
    return {
        "name": stored["unit_name"],
        "agency_code": stored["agency_code"],
        "parent_code": stored["parent_code"],
        "level": stored["level"],
        "province_id": stored["province_id"],
        "current_province_id": stored["current_province_id"],
        "active_from": stored["active_from"],
        "active_to": stored["active_to"],
        "successor_code": stored["successor_code"],
        "contact_name": stored["contact_name"],
        "contact_email": stored["contact_email"],
        "contact_phone": stored["contact_phone"],
        "reports_via_parent": stored["reports_via_parent"],
    }


def classify(plan: RegistryPlan, ref: Reference) -> Changes:
    changes = Changes()
    for agency in plan.agencies:
        if agency.code not in ref.agencies:
            changes.new_agencies.append((agency.code, agency.name))
        elif plan.kind == "agencies" and ref.agencies[agency.code][1] != agency.name:
            agency_id, old = ref.agencies[agency.code]
            changes.renamed_agencies.append((agency_id, old, agency.name))
        else:
            changes.unchanged += 1
    for row in plan.units:
        stored = ref.units.get(row.code)
        given = {FIELD_OF.get(k, k): v for k, v in row.values.items()}
        if stored is None:
            record = dict.fromkeys(
                (
                    "parent_code",
                    "active_to",
                    "successor_code",
                    "contact_name",
                    "contact_email",
                    "contact_phone",
                ),
            )
            changes.new_units.append(
                {"code": row.code, **record, "reports_via_parent": False, **given}
            )
            continue
        before = _stored_record(stored, ref)
        after = before | given
        if after == before:
            changes.unchanged += 1
        else:
            changes.changed_units.append((stored["id"], before, after))
    return changes


# --- writing ----------------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _new_ids(conn: Connection, table: str, n: int) -> list[int]:
    """Ids for `n` rows about to be inserted, so rows can name each other (parents) at once.
    The caller holds the write lock, so no other writer takes them meanwhile."""
    if not n:
        return []
    if conn.dialect.name == "postgresql":
        return list(
            conn.execute(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"
                ),
                {"t": table, "n": n},
            ).scalars()
        )
    start = conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()  # noqa: S608 - table names are ours
    return list(range(start + 1, start + 1 + n))


def _date_value(conn: Connection, value: dt.date | None) -> Any:
    if value is None or conn.dialect.name == "postgresql":
        return value
    return value.isoformat()


def _parents_first(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """New units ordered so a parent created by the file is inserted before its children
    (SQLite checks each row's foreign keys as it is inserted)."""
    by_code = {u["code"]: u for u in units}
    depth: dict[str, int] = {}
    for unit in units:
        chain = []
        code = unit["code"]
        while code in by_code and code not in depth:
            chain.append(code)
            code = by_code[code]["parent_code"]
        base = depth.get(code, -1) if code in by_code else -1
        for offset, c in enumerate(reversed(chain), 1):
            depth[c] = base + offset
    return sorted(units, key=lambda u: depth[u["code"]])


def write(conn: Connection, changes: Changes, batch_id: int) -> None:
    revisions: list[tuple[Any, ...]] = []
    agency_ids = dict(conn.execute(select(Agency.code, Agency.id)).all())
    for code, name in changes.new_agencies:
        agency_ids[code] = conn.execute(
            insert(Agency).values(code=code, name=name).returning(Agency.id)
        ).scalar_one()
        revisions.append((batch_id, "agency", agency_ids[code], None))
    for agency_id, old, new in changes.renamed_agencies:
        conn.execute(update(Agency).where(Agency.id == agency_id).values(name=new))
        revisions.append((batch_id, "agency", agency_id, json.dumps({"name": old})))
    unit_ids = dict(conn.execute(select(Unit.code, Unit.id)).all())
    new_units = _parents_first(changes.new_units)
    for unit, new_id in zip(new_units, _new_ids(conn, "units", len(new_units)), strict=True):
        unit_ids[unit["code"]] = new_id
    if new_units:
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
            "active_to",
            "contact_name",
            "contact_email",
            "contact_phone",
            "reports_via_parent",
        ]
        insert_rows(
            conn,
            "units",
            columns,
            (
                (
                    unit_ids[u["code"]],
                    u["code"],
                    u["name"],
                    agency_ids[u["agency_code"]],
                    unit_ids.get(u["parent_code"]) if u["parent_code"] else None,
                    u["level"],
                    u["province_id"],
                    u["current_province_id"],
                    _date_value(conn, u["active_from"]),
                    _date_value(conn, u["active_to"]),
                    u["contact_name"],
                    u["contact_email"],
                    u["contact_phone"],
                    u["reports_via_parent"],
                )
                for u in new_units
            ),
        )
        revisions.extend((batch_id, "unit", unit_ids[u["code"]], None) for u in new_units)
        successors = [
            {"_id": unit_ids[u["code"]], "succ": unit_ids[u["successor_code"]]}
            for u in new_units
            if u["successor_code"]
        ]
        if successors:
            conn.execute(
                update(Unit)
                .where(Unit.id == bindparam("_id"))
                .values(successor_id=bindparam("succ")),
                successors,
            )
    if changes.changed_units:

        def table_row(record: dict[str, Any]) -> dict[str, Any]:
            return {
                "name": record["name"],
                "agency_id": agency_ids[record["agency_code"]],
                "parent_id": unit_ids[record["parent_code"]] if record["parent_code"] else None,
                "successor_id": unit_ids[record["successor_code"]]
                if record["successor_code"]
                else None,
                **{
                    k: record[k]
                    for k in (
                        "level",
                        "province_id",
                        "current_province_id",
                        "active_from",
                        "active_to",
                        "contact_name",
                        "contact_email",
                        "contact_phone",
                        "reports_via_parent",
                    )
                },
            }

        conn.execute(
            update(Unit)
            .where(Unit.id == bindparam("_id"))
            .values({c: bindparam(c) for c in UNIT_COLUMNS}),
            [{"_id": unit_id, **table_row(after)} for unit_id, _, after in changes.changed_units],
        )
        revisions.extend(
            (
                batch_id,
                "unit",
                unit_id,
                json.dumps({k: _json(v) for k, v in table_row(before).items()}),
            )
            for unit_id, before, _ in changes.changed_units
        )
        moved = [
            unit_id
            for unit_id, before, after in changes.changed_units
            if {k: table_row(before)[k] for k in SUMMARY_KEYS}
            != {k: table_row(after)[k] for k in SUMMARY_KEYS}
        ]
        refresh_summaries(conn, moved)
    insert_rows(
        conn, "registry_revisions", ["batch_id", "entity", "entity_id", "previous"], revisions
    )


def refresh_summaries(conn: Connection, unit_ids: list[int]) -> None:
    """Recompute the summaries that count the reports and activities of units whose agency,
    province or level changed."""
    if not unit_ids:
        return
    catalogue = catalogue_mod.load(conn)
    submissions, _ = tables(catalogue)
    periods = conn.execute(
        select(submissions.c.period_id).where(submissions.c.unit_id.in_(unit_ids)).distinct()
    ).scalars()
    refresh_summary(conn, catalogue, list(periods))
    years = conn.execute(
        select(CampaignActivity.start_date).where(CampaignActivity.unit_id.in_(unit_ids)).distinct()
    ).scalars()
    activity_summary.refresh(conn, {d.year for d in years})


# --- rollback ---------------------------------------------------------------------------------------


def _created(batch_id: int, entity: str) -> Any:
    return select(RegistryRevision.entity_id).where(
        RegistryRevision.batch_id == batch_id,
        RegistryRevision.entity == entity,
        RegistryRevision.previous.is_(None),
    )


def _named(what: str, names: list[str], total: int) -> str:
    more = f" và {total - len(names)} khác" if total > len(names) else ""
    return f"{what} {', '.join(names)}{more}"


def dependants(conn: Connection, batch_id: int) -> list[str]:
    """What exists outside the batch and needs what the batch created (Vietnamese phrases)."""
    found: list[str] = []
    submissions, _ = tables(catalogue_mod.load(conn))
    created_units = _created(batch_id, "unit")
    created_agencies = _created(batch_id, "agency")
    checks = [
        (
            "đã có báo cáo của đơn vị",
            select(Unit.code).where(
                Unit.id.in_(created_units), Unit.id.in_(select(submissions.c.unit_id))
            ),
        ),
        (
            "đã có lịch sử báo cáo của đơn vị",
            select(Unit.code).where(
                Unit.id.in_(created_units), Unit.id.in_(select(SubmissionRevision.unit_id))
            ),
        ),
        (
            "đã có hoạt động của đơn vị",
            select(Unit.code).where(
                Unit.id.in_(created_units), Unit.id.in_(select(CampaignActivity.unit_id))
            ),
        ),
        (
            "có đơn vị ngoài lô trực thuộc hoặc kế thừa đơn vị của lô:",
            # Units the batch changed are restored by the rollback: they need nothing.
            select(Unit.code).where(
                Unit.id.not_in(
                    select(RegistryRevision.entity_id).where(
                        RegistryRevision.batch_id == batch_id, RegistryRevision.entity == "unit"
                    )
                ),
                Unit.parent_id.in_(created_units) | Unit.successor_id.in_(created_units),
            ),
        ),
        (
            "có đơn vị ngoài lô thuộc ngành của lô:",
            select(Unit.code).where(
                Unit.id.not_in(created_units), Unit.agency_id.in_(created_agencies)
            ),
        ),
        (
            "có mục tiêu riêng của ngành",
            select(Agency.code).where(
                Agency.id.in_(created_agencies),
                Agency.id.in_(select(Target.agency_id)),
            ),
        ),
        (
            "có tài khoản được giao ngành của lô:",
            select(User.username)
            .join(UserAgency, UserAgency.user_id == User.id)
            .where(UserAgency.agency_id.in_(created_agencies)),
        ),
    ]
    for what, query in checks:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        if total:
            names = list(
                conn.execute(query.order_by(query.selected_columns[0]).limit(MAX_NAMED)).scalars()
            )
            found.append(_named(what, names, total))
    return found


def batch_agency_codes(conn: Connection, batch_id: int) -> set[str]:
    touched_units = select(RegistryRevision.entity_id).where(
        RegistryRevision.batch_id == batch_id, RegistryRevision.entity == "unit"
    )
    touched_agencies = select(RegistryRevision.entity_id).where(
        RegistryRevision.batch_id == batch_id, RegistryRevision.entity == "agency"
    )
    codes = set(
        conn.execute(
            select(Agency.code)
            .join(Unit, Unit.agency_id == Agency.id)
            .where(Unit.id.in_(touched_units))
        ).scalars()
    )
    return codes | set(
        conn.execute(select(Agency.code).where(Agency.id.in_(touched_agencies))).scalars()
    )


def rollback(conn: Connection, batch_id: int) -> dict[str, int]:
    """Restore what a registry batch changed and delete what it created; RollbackRefused when
    a later registry batch changed the same rows or something outside the batch needs them."""
    batch = conn.execute(select(UploadBatch).where(UploadBatch.id == batch_id)).one_or_none()
    if batch is None or batch.kind != REGISTRY_KIND:
        raise RollbackRefused(f"Không có lô danh mục số {batch_id}.")
    if batch.status == "rolled_back":
        raise RollbackRefused(f"Lô {batch_id} đã được hoàn tác trước đó.")
    mine = select(RegistryRevision.entity, RegistryRevision.entity_id).where(
        RegistryRevision.batch_id == batch_id
    )
    later = sorted(
        set(
            conn.execute(
                select(RegistryRevision.batch_id)
                .join(UploadBatch, UploadBatch.id == RegistryRevision.batch_id)
                .where(
                    RegistryRevision.batch_id > batch_id,
                    UploadBatch.status == "committed",
                    RegistryRevision.entity_id.in_(
                        select(RegistryRevision.entity_id).where(
                            RegistryRevision.batch_id == batch_id
                        )
                    ),
                )
            ).scalars()
        )
    )
    # Same id in the other entity table is no clash: compare (entity, id) pairs.
    if later:
        ours = {tuple(r) for r in conn.execute(mine)}
        later = [
            b
            for b in later
            if ours
            & {
                tuple(r)
                for r in conn.execute(
                    select(RegistryRevision.entity, RegistryRevision.entity_id).where(
                        RegistryRevision.batch_id == b
                    )
                )
            }
        ]
    if later:
        raise RollbackRefused(
            f"Không thể hoàn tác lô {batch_id}: lô {', '.join(map(str, later))} sau đó đã sửa cùng "
            "ngành, đơn vị. Hãy hoàn tác các lô đó trước."
        )
    if found := dependants(conn, batch_id):
        raise RollbackRefused(f"Không thể hoàn tác lô {batch_id}: " + "; ".join(found) + ".")
    restored = conn.execute(
        select(
            RegistryRevision.entity, RegistryRevision.entity_id, RegistryRevision.previous
        ).where(RegistryRevision.batch_id == batch_id, RegistryRevision.previous.is_not(None))
    ).all()
    moved: list[int] = []
    for entity, entity_id, previous in restored:
        if entity == "agency":
            conn.execute(update(Agency).where(Agency.id == entity_id).values(name=previous["name"]))
            continue
        current = conn.execute(
            select(*(getattr(Unit, k) for k in SUMMARY_KEYS)).where(Unit.id == entity_id)
        ).one()
        values = {
            k: dt.date.fromisoformat(v) if k.startswith("active_") and v else v
            for k, v in previous.items()
        }
        if tuple(current) != tuple(values[k] for k in SUMMARY_KEYS):
            moved.append(entity_id)
        conn.execute(update(Unit).where(Unit.id == entity_id).values(**values))
    # What a unit change (registry.changes) recorded besides the units themselves.
    conn.execute(delete(UnitSuccession).where(UnitSuccession.batch_id == batch_id))
    conn.execute(delete(UnitName).where(UnitName.batch_id == batch_id))
    created_units = _created(batch_id, "unit")
    # Units of the batch may name each other: clear the links first (one statement each).
    conn.execute(
        update(Unit).where(Unit.id.in_(created_units)).values(parent_id=None, successor_id=None)
    )
    deleted = conn.execute(delete(Unit).where(Unit.id.in_(created_units))).rowcount
    deleted += conn.execute(
        delete(Agency).where(Agency.id.in_(_created(batch_id, "agency")))
    ).rowcount
    refresh_summaries(conn, moved)
    conn.execute(
        update(UploadBatch)
        .where(UploadBatch.id == batch_id)
        .values(status="rolled_back", rolled_back_at=utcnow())
    )
    return {"deleted": deleted, "restored": len(restored)}
