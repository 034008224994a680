"""The organisation registry: agencies and units imported like any upload.

    report = dry_run(engine, "donvi.xlsx", data, identity=who)      # writes nothing
    report = commit(engine, "donvi.xlsx", data, identity=who)       # one transaction, audited
    rollback(engine, report.batch_id, identity=who)                 # refused if something needs it

A registry batch is an `upload_batches` row of kind "registry", so the upload history lists it
and data versions (caches) follow it. Administrators may touch every agency and create agencies;
the secretariat only the units of its own agencies; viewers nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from data_access.auth import Identity, PermissionDenied
from data_access.db import audit
from data_access.db.models import UploadBatch
from data_access.ingest.errors import ERROR, Problem, UploadError
from data_access.ingest.writes import RollbackRefused, finish_batch, lock_for_writing, new_batch
from data_access.registry import validation, writes
from data_access.registry.validation import KINDS
from data_access.registry.writes import REGISTRY_KIND

__all__ = [
    "KINDS",
    "REGISTRY_KIND",
    "PermissionDenied",
    "RegistryReport",
    "RollbackRefused",
    "commit",
    "dry_run",
    "is_registry_batch",
    "rollback",
]


@dataclass
class RegistryReport:
    file_name: str
    kind: str
    sha256: str
    total_rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False
    batch_id: int | None = None
    message: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, Any]:
        """What the CLI prints, shaped like `ingest`'s summary."""
        return {
            "file": self.file_name,
            "kind": self.kind,
            "committed": self.committed,
            "batch_id": self.batch_id,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.total_rows if self.errors else 0,
            "errors": [
                {"row": p.row, "column": p.column, "message": p.message} for p in self.errors
            ],
            "warnings": [],
            "message": self.message,
        }


def _scope(identity: Identity | None) -> tuple[Sequence[str], bool]:
    """(agency scope, may create agencies) of whoever imports; None is an operator on the server."""
    if identity is None:
        return (), True
    identity.require("upload")  # the secretariat and administrators
    return identity.agencies, identity.can("admin")


def _check(
    conn: Connection, file_name: str, data: bytes, kind: str | None, identity: Identity | None
) -> tuple[RegistryReport, writes.Changes | None]:
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    scope, may_create = _scope(identity)
    report = RegistryReport(file_name, kind or "", hashlib.sha256(data).hexdigest())
    try:
        table = validation.read_registry(file_name, data)
    except UploadError as error:
        report.problems = [Problem(0, "", str(error))]
        return report, None
    plan = validation.validate(conn, table, kind, scope, may_create)
    report.kind, report.total_rows, report.problems = plan.kind, plan.rows, plan.problems
    if report.errors:
        return report, None
    changes = writes.classify(plan, validation.load_reference(conn))
    report.inserted, report.updated = changes.inserted, changes.updated
    report.unchanged = changes.unchanged
    return report, changes


def _message(r: RegistryReport) -> str:
    if r.errors:
        return (
            f"File bị từ chối: {len(r.errors)} lỗi. Sửa các lỗi rồi tải lại; không có gì được ghi."
        )
    if r.committed:
        return (
            f"Đã ghi lô {r.batch_id}: {r.inserted} mục mới, {r.updated} mục thay đổi, "
            f"{r.unchanged} mục giữ nguyên."
        )
    if not r.inserted and not r.updated:
        return f"Không có thay đổi: {r.unchanged} mục đã có sẵn như trong file."
    return f"Kiểm tra xong: {r.inserted} mục mới, {r.updated} mục thay đổi, {r.unchanged} mục giữ nguyên."


def dry_run(
    engine: Engine,
    file_name: str,
    data: bytes,
    kind: str | None = None,
    *,
    identity: Identity | None = None,
) -> RegistryReport:
    """Check the file and count what a commit would do; write nothing. The kind (agencies or
    units), when not given, is read from the headings."""
    with engine.connect() as conn:
        report, _ = _check(conn, file_name, data, kind, identity)
    report.message = _message(report)
    return report


def commit(
    engine: Engine,
    file_name: str,
    data: bytes,
    kind: str | None = None,
    *,
    user: str = "",
    identity: Identity | None = None,
) -> RegistryReport:
    """Check again under the write lock and, if the file is clean, write it in one transaction."""
    if identity is not None:
        user = identity.username
    if not user:
        raise ValueError("commit needs the importer: user= or identity=")
    with engine.begin() as conn:
        lock_for_writing(conn)
        report, changes = _check(conn, file_name, data, kind, identity)
        if changes is None:
            report.message = _message(report)
            audit.record(
                conn,
                user,
                "registry_rejected",
                file_name,
                kind=report.kind,
                sha256=report.sha256,
                errors=len(report.errors),
            )
            return report
        if not changes.inserted and not changes.updated:
            report.message = _message(report)
            audit.record(
                conn,
                user,
                "registry_unchanged",
                file_name,
                kind=report.kind,
                sha256=report.sha256,
                unchanged=changes.unchanged,
            )
            return report
        batch_id = new_batch(conn, REGISTRY_KIND, file_name, report.sha256, user)
        writes.write(conn, changes, batch_id)
        counts = {
            "inserted": changes.inserted,
            "updated": changes.updated,
            "unchanged": changes.unchanged,
        }
        finish_batch(conn, batch_id, counts)
        audit.record(
            conn,
            user,
            "registry_import",
            file_name,
            kind=report.kind,
            batch_id=batch_id,
            sha256=report.sha256,
            **counts,
        )
        report.committed, report.batch_id = True, batch_id
    report.message = _message(report)
    return report


def is_registry_batch(conn: Connection, batch_id: int) -> bool:
    kind = conn.execute(select(UploadBatch.kind).where(UploadBatch.id == batch_id)).scalar()
    return kind == REGISTRY_KIND


def rollback(
    engine: Engine, batch_id: int, *, user: str = "", identity: Identity | None = None
) -> dict[str, int]:
    """Undo a registry batch: what it created is deleted, what it changed restored. Refused
    (RollbackRefused, naming what depends on it) when reports, units or accounts outside the
    batch need what it created, or a later registry batch changed the same rows."""
    if identity is not None:
        identity.require("rollback")
        user = identity.username
    with engine.begin() as conn:
        lock_for_writing(conn)
        if identity is not None and identity.agencies:
            outside = writes.batch_agency_codes(conn, batch_id) - set(identity.agencies)
            if outside:
                raise RollbackRefused(
                    f"Lô {batch_id} có ngành {', '.join(sorted(outside))}, ngoài phạm vi được giao."
                )
        counts = writes.rollback(conn, batch_id)
        audit.record(
            conn,
            user,
            "rollback",
            f"batch {batch_id}",
            batch_id=batch_id,
            kind=REGISTRY_KIND,
            **counts,
        )
    return counts


def counts(engine: Engine) -> dict[str, int]:
    """Registry batches committed so far (the setup page shows whether a registry was imported)."""
    with engine.connect() as conn:
        n = conn.execute(
            select(func.count()).where(
                UploadBatch.kind == REGISTRY_KIND, UploadBatch.status == "committed"
            )
        ).scalar_one()
    return {"registry_batches": int(n)}
