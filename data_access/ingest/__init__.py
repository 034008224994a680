"""Uploads of submissions and campaign activities: parse → validate everything → show → commit once.

    report = dry_run(engine, "bhxh_2025.csv", data, user="thuky")      # writes nothing
    report = commit(engine, "bhxh_2025.csv", data, user="thuky", accept_warnings=True)
    rollback(engine, report.batch_id, user="thuky")

`commit` validates again inside its write transaction, holding the upload lock, so what it
writes is checked against the data as they are at that moment, not as they were at the dry run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, select

from data_access import audit
from data_access import catalogue as catalogue_mod
from data_access.auth import Identity
from data_access.db import frame_of
from data_access.ingest import activities, submissions
from data_access.ingest.errors import ERROR, WARNING, Problem, UploadError, problems_frame
from data_access.ingest.reading import read_upload
from data_access.ingest.writes import (
    RollbackRefused,
    batch_agencies,
    batch_with_same_file,
    finish_batch,
    lock_for_writing,
    new_batch,
    rollback_batch,
    write_activities,
    write_submissions,
)
from data_access.models import Agency, Period, SubmissionRevision, Unit, UploadBatch, utcnow

KINDS = ("submissions", "activities")
__all__ = [
    "KINDS",
    "Problem",
    "RollbackRefused",
    "UploadError",
    "UploadReport",
    "batches",
    "commit",
    "dry_run",
    "problems_frame",
    "revisions",
    "rollback",
]


@dataclass
class UploadReport:
    file_name: str
    kind: str
    sha256: str
    total_rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False
    batch_id: int | None = None
    same_file_batch: int | None = None  # an earlier batch with the same SHA-256
    message: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, Any]:
        """What the CLI prints: counts, then every problem with its row and column."""
        return {
            "file": self.file_name,
            "kind": self.kind,
            "committed": self.committed,
            "batch_id": self.batch_id,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": [
                {"row": p.row, "column": p.column, "message": p.message} for p in self.errors
            ],
            "warnings": [
                {"row": p.row, "column": p.column, "message": p.message} for p in self.warnings
            ],
            "message": self.message,
        }


Progress = Callable[[float, str], None]


def _noop(_fraction: float, _text: str) -> None:
    pass


def _check(
    conn: Connection,
    kind: str,
    file_name: str,
    data: bytes,
    scope: Sequence[str],
    today: dt.date,
    progress: Progress,
) -> tuple[UploadReport, Any, tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int] | None]:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    report = UploadReport(file_name, kind, hashlib.sha256(data).hexdigest())
    progress(0.05, "Đang đọc file…")
    try:
        table = read_upload(file_name, data)
    except UploadError as error:
        report.problems = [Problem(0, "", str(error))]
        report.message = str(error)
        return report, None, None
    report.total_rows = len(table.frame)
    if not report.total_rows:
        report.problems = [
            Problem(table.header_line, "", "File không có dòng dữ liệu nào (chỉ có tiêu đề).")
        ]
        report.message = report.problems[0].message
        return report, None, None
    progress(0.25, f"Đang kiểm tra {report.total_rows:,} dòng…".replace(",", "."))
    plan: Any
    if kind == "submissions":
        plan = submissions.validate(conn, table, catalogue_mod.load(conn), scope, today)
    else:
        plan = activities.validate(conn, table, scope, today)
    collector = plan.collector
    report.problems = collector.sorted()
    report.rejected = len(collector.blocked)
    if collector.errors and not len(plan.rows) and not report.rejected:
        report.rejected = report.total_rows  # a file-level error blocks every row
    progress(0.6, "Đang so sánh với dữ liệu đã lưu…")
    split = (submissions.classify if kind == "submissions" else activities.classify)(conn, plan)
    new, changed, _, unchanged = split
    report.inserted, report.updated, report.unchanged = len(new), len(changed), unchanged
    report.same_file_batch = batch_with_same_file(conn, report.sha256, kind)
    return report, plan, split


def dry_run(
    engine: Engine,
    file_name: str,
    data: bytes,
    kind: str = "submissions",
    *,
    scope: Sequence[str] = (),
    today: dt.date | None = None,
    progress: Progress = _noop,
    identity: Identity | None = None,
) -> UploadReport:
    """Validate and count what a commit would do; write nothing. With an identity, its role must
    allow uploads and its agency scope applies."""
    if identity is not None:
        identity.require("upload")
        scope = identity.agencies
    with engine.connect() as conn:
        report, _, _ = _check(
            conn, kind, file_name, data, scope, today or dt.date.today(), progress
        )
    report.message = _message(report)
    progress(1.0, "Đã kiểm tra xong.")
    return report


def commit(
    engine: Engine,
    file_name: str,
    data: bytes,
    kind: str = "submissions",
    *,
    user: str = "",
    scope: Sequence[str] = (),
    accept_warnings: bool = False,
    today: dt.date | None = None,
    progress: Progress = _noop,
    identity: Identity | None = None,
) -> UploadReport:
    """Validate again and, if the file is clean (and its warnings accepted), write it in one
    transaction. Nothing is written when anything fails. With an identity, its role must allow
    uploads, its agency scope applies and it is recorded as the uploader."""
    if identity is not None:
        identity.require("upload")
        scope, user = identity.agencies, identity.username
    if not user:
        raise ValueError("commit needs the uploader: user= or identity=")
    with engine.begin() as conn:
        lock_for_writing(conn)
        report, plan, split = _check(
            conn, kind, file_name, data, scope, today or dt.date.today(), progress
        )
        if report.errors or split is None:
            report.message = _message(report)
            audit.record(
                conn,
                user,
                "upload_rejected",
                file_name,
                kind=kind,
                sha256=report.sha256,
                errors=len(report.errors),
            )
            return report
        if report.warnings and not accept_warnings:
            report.message = "Có cảnh báo cần xác nhận trước khi ghi dữ liệu. Không có gì được ghi."
            return report
        new, changed, before, unchanged = split
        if not len(new) and not len(changed):
            report.message = _message(report)
            audit.record(
                conn,
                user,
                "upload_unchanged",
                file_name,
                kind=kind,
                sha256=report.sha256,
                unchanged=unchanged,
            )
            return report
        progress(0.75, "Đang ghi dữ liệu…")
        batch_id = new_batch(conn, kind, file_name, report.sha256, user)
        if kind == "submissions":
            write_submissions(
                conn, plan.catalogue, plan.present, new, changed, before, batch_id, utcnow(),
                plan.units,
            )  # fmt: skip
        else:
            write_activities(conn, new, changed, before, batch_id)
        counts = {
            "inserted": len(new),
            "updated": len(changed),
            "unchanged": unchanged,
            "rejected": 0,
        }
        finish_batch(conn, batch_id, counts)
        audit.record(
            conn,
            user,
            "upload",
            file_name,
            kind=kind,
            batch_id=batch_id,
            sha256=report.sha256,
            **counts,
        )
        report.committed, report.batch_id = True, batch_id
    report.message = _message(report)
    progress(1.0, "Đã ghi dữ liệu.")
    return report


def _message(r: UploadReport) -> str:
    if r.errors:
        where = f" ở {r.rejected} dòng" if r.rejected else ""
        return (
            f"File bị từ chối: {len(r.errors)} lỗi{where}. Sửa các lỗi rồi tải lại; "
            "không có dữ liệu nào được ghi."
        )
    if r.committed:
        return f"Đã ghi lô {r.batch_id}: {r.inserted} dòng mới, {r.updated} dòng thay đổi, {r.unchanged} dòng giữ nguyên."
    if not r.inserted and not r.updated:
        same = f" (giống lô {r.same_file_batch} đã tải lên)" if r.same_file_batch else ""
        return f"Không có thay đổi: {r.unchanged} dòng đã có sẵn với cùng giá trị{same}."
    return (
        f"Kiểm tra xong: {r.inserted} dòng mới, {r.updated} dòng thay đổi, {r.unchanged} dòng giữ nguyên"
        + (f", {len(r.warnings)} cảnh báo cần xác nhận." if r.warnings else ".")
    )


def rollback(
    engine: Engine, batch_id: int, *, user: str = "", identity: Identity | None = None
) -> dict[str, int]:
    """Restore what batch `batch_id` changed; RollbackRefused when a later batch depends on it,
    or when a scoped identity's scope does not cover every unit the batch touched."""
    from data_access import registry  # a registry batch undoes agencies and units instead

    with engine.connect() as conn:
        if registry.is_registry_batch(conn, batch_id):
            return registry.rollback(engine, batch_id, user=user, identity=identity)
    if identity is not None:
        identity.require("rollback")
        user = identity.username
    with engine.begin() as conn:
        lock_for_writing(conn)
        if identity is not None and identity.agencies:
            outside = batch_agencies(conn, batch_id) - set(identity.agencies)
            if outside:
                raise RollbackRefused(
                    f"Lô {batch_id} có dữ liệu của ngành {', '.join(sorted(outside))}, "
                    "ngoài phạm vi được giao."
                )
        counts = rollback_batch(conn, batch_id, user)
        audit.record(conn, user, "rollback", f"batch {batch_id}", batch_id=batch_id, **counts)
    return counts


def batches(engine: Engine, limit: int = 200) -> pd.DataFrame:
    """id, kind, file_name, user_name, created_at, inserted, updated, unchanged, status,
    rolled_back_at: the latest upload batches first."""
    with engine.connect() as conn:
        result = conn.execute(
            select(
                UploadBatch.id,
                UploadBatch.kind,
                UploadBatch.file_name,
                UploadBatch.user_name,
                UploadBatch.created_at,
                UploadBatch.inserted,
                UploadBatch.updated,
                UploadBatch.unchanged,
                UploadBatch.status,
                UploadBatch.rolled_back_at,
                UploadBatch.sha256,
            )
            .order_by(UploadBatch.id.desc())
            .limit(limit)
        )
        return frame_of(result)


def revisions(engine: Engine, unit_code: str, period: str) -> pd.DataFrame:
    """batch_id, created_at, user_name, previous: the earlier versions of one submission."""
    with engine.connect() as conn:
        result = conn.execute(
            select(
                SubmissionRevision.batch_id,
                SubmissionRevision.created_at,
                UploadBatch.user_name,
                SubmissionRevision.previous,
            )
            .join(Unit, Unit.id == SubmissionRevision.unit_id)
            .join(Period, Period.id == SubmissionRevision.period_id)
            .join(UploadBatch, UploadBatch.id == SubmissionRevision.batch_id)
            .where(Unit.code == unit_code, Period.code == period)
            .order_by(SubmissionRevision.id.desc())
        )
        return frame_of(result)


def agency_codes(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(Agency.code).order_by(Agency.code)).scalars())
