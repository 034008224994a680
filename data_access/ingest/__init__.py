"""Uploads of submissions and campaign activities: parse → validate everything → show → commit once.

    report = dry_run(engine, "bhxh_2025.csv", data, user="thuky")      # writes nothing
    report = commit(engine, "bhxh_2025.csv", data, user="thuky", accept_warnings=True)
    rollback(engine, report.batch_id, user="thuky")

`commit` validates again, without the write lock, then takes the lock only to write: if another
upload or rollback wrote in between, it checks again, so what it writes is checked against the
data as they are when it writes, not as they were at the dry run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine

from data_access.auth import Identity
from data_access.db import audit
from data_access.db import catalogue as catalogue_mod
from data_access.db.models import utcnow
from data_access.domain.formats import num
from data_access.ingest import activities, history, submissions
from data_access.ingest.errors import (
    ERROR,
    WARNING,
    Problem,
    ProblemCount,
    UploadError,
    counts_frame,
    problems_frame,
)
from data_access.ingest.history import (
    FIELD_COLUMN,
    RevisionView,
    batches,
    revision_view,
    revisions,
)
from data_access.ingest.memory import heap_blocks, settle_allocators, small_page_cache
from data_access.ingest.reading import read_upload
from data_access.ingest.writes import (
    RollbackRefused,
    batch_with_same_file,
    data_state,
    finish_batch,
    lock_for_writing,
    new_batch,
    rollback_batch,
    stored_file_name,
    write_activities,
    write_submissions,
)

settle_allocators()  # an upload at the row cap within 300 MB: see ingest.memory

KINDS = ("submissions", "activities")
# Checks without the lock before one under it: each retry means another upload or rollback wrote
# while this file was checked, so a busy hour could otherwise retry without end.
MAX_UNLOCKED_CHECKS = 3
__all__ = [
    "FIELD_COLUMN",
    "KINDS",
    "Problem",
    "RevisionView",
    "RollbackRefused",
    "UploadError",
    "UploadReport",
    "batches",
    "commit",
    "counts_frame",
    "dry_run",
    "problems_frame",
    "revision_view",
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
    refusal: str = ""  # why the file could not be read at all (a cap, the format)
    # Every problem found; `problems` lists only the first by row (limits.MAX_PROBLEMS_LISTED).
    error_count: int = 0
    warning_count: int = 0
    problem_counts: list[ProblemCount] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        """Whether some problems are counted but not listed."""
        return len(self.problems) < self.error_count + self.warning_count

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

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
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "errors": [
                {"row": p.row, "column": p.column, "message": p.message} for p in self.errors
            ],
            "warnings": [
                {"row": p.row, "column": p.column, "message": p.message} for p in self.warnings
            ],
            "message": self.message,
            "counts": [
                {"severity": c.severity, "column": c.column, "message": c.message, "count": c.count}
                for c in self.problem_counts
            ],
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
        report.problems = [Problem(error.row, error.column, str(error))]
        report.error_count = 1
        report.refusal = report.message = str(error)
        return report, None, None
    report.total_rows = len(table.frame)
    if not report.total_rows:
        report.problems = [
            Problem(table.header_line, "", "File không có dòng dữ liệu nào (chỉ có tiêu đề).")
        ]
        report.error_count = 1
        report.message = report.problems[0].message
        return report, None, None
    progress(0.25, f"Đang kiểm tra {num(report.total_rows)} dòng…")
    plan: Any
    if kind == "submissions":
        plan = submissions.validate(conn, table, catalogue_mod.load(conn), scope, today)
    else:
        plan = activities.validate(conn, table, scope, today)
    collector = plan.collector
    for notice in table.notices:  # what reading noticed (hidden rows)
        collector.problems.append(notice)
    report.problems = collector.sorted()
    report.error_count = collector.problems.totals[ERROR]
    report.warning_count = collector.problems.totals[WARNING]
    report.problem_counts = collector.problems.counts()
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
    with engine.connect() as conn, small_page_cache(conn):
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
    uploads, its agency scope applies and it is recorded as the uploader.

    The validation runs without the write lock (on SQLite the lock stops every sign-in and
    export); the lock is then taken only to check that no upload or rollback wrote since (else
    the file is checked again) and to write."""
    if identity is not None:
        identity.require("upload")
        scope, user = identity.agencies, identity.username
    if not user:
        raise ValueError("commit needs the uploader: user= or identity=")
    day = today or dt.date.today()
    for attempt in range(MAX_UNLOCKED_CHECKS + 1):
        locked_check = attempt == MAX_UNLOCKED_CHECKS  # others keep writing: check under the lock
        seen = None
        if not locked_check:
            with engine.connect() as conn, small_page_cache(conn):
                seen = data_state(conn)
                report, plan, split = _check(conn, kind, file_name, data, scope, day, progress)
            if report.errors or split is None or (report.warnings and not accept_warnings):
                with engine.begin() as conn:  # what was refused does not depend on other uploads
                    return _refuse(conn, report, user)
        with engine.begin() as conn, small_page_cache(conn):
            lock_for_writing(conn)
            if seen is not None and data_state(conn) != seen:
                continue
            if locked_check:
                report, plan, split = _check(conn, kind, file_name, data, scope, day, progress)
                if report.errors or split is None or (report.warnings and not accept_warnings):
                    return _refuse(conn, report, user)
            assert split is not None
            with heap_blocks():
                _write(conn, report, plan, split, user, progress)
        break
    report.message = _message(report)
    progress(1.0, "Đã ghi dữ liệu." if report.committed else "Đã kiểm tra xong.")
    return report


def _refuse(conn: Connection, report: UploadReport, user: str) -> UploadReport:
    """A file with errors (audited), or with warnings not accepted yet: nothing is written."""
    if report.errors:
        report.message = _message(report)
        audit.record(
            conn,
            user,
            "upload_rejected",
            stored_file_name(report.file_name),
            kind=report.kind,
            sha256=report.sha256,
            errors=report.error_count,
        )
    else:
        report.message = "Có cảnh báo cần xác nhận trước khi ghi dữ liệu. Không có gì được ghi."
    return report


def _write(
    conn: Connection,
    report: UploadReport,
    plan: Any,
    split: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int],
    user: str,
    progress: Progress,
) -> None:
    """Write a checked file in the caller's locked transaction (or audit that nothing changed)."""
    kind, name = report.kind, stored_file_name(report.file_name)
    new, changed, before, unchanged = split
    if not len(new) and not len(changed):
        audit.record(
            conn,
            user,
            "upload_unchanged",
            name,
            kind=kind,
            sha256=report.sha256,
            unchanged=unchanged,
        )
        return
    progress(0.75, "Đang ghi dữ liệu…")
    batch_id = new_batch(conn, kind, name, report.sha256, user)
    if kind == "submissions":
        write_submissions(
            conn,
            plan.catalogue,
            plan.present,
            new,
            changed,
            before,
            batch_id,
            utcnow(),
            plan.units,
        )
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
        name,
        kind=kind,
        batch_id=batch_id,
        sha256=report.sha256,
        **counts,
    )
    report.committed, report.batch_id = True, batch_id


def _message(r: UploadReport) -> str:
    if r.refusal:
        return f"File bị từ chối: {r.refusal} Không có dữ liệu nào được ghi."
    if r.errors:
        where = f" ở {num(r.rejected)} dòng" if r.rejected else ""
        listed = (
            f" (liệt kê {num(len(r.errors))} lỗi đầu tiên theo dòng)"
            if len(r.errors) < r.error_count
            else ""
        )
        return (
            f"File bị từ chối: {num(r.error_count)} lỗi{where}{listed}. Sửa các lỗi rồi tải lại; "
            "không có dữ liệu nào được ghi."
        )
    if r.committed:
        return f"Đã ghi lô {r.batch_id}: {r.inserted} dòng mới, {r.updated} dòng thay đổi, {r.unchanged} dòng giữ nguyên."
    if not r.inserted and not r.updated:
        same = f" (giống lô {r.same_file_batch} đã tải lên)" if r.same_file_batch else ""
        return f"Không có thay đổi: {r.unchanged} dòng đã có sẵn với cùng giá trị{same}."
    return (
        f"Kiểm tra xong: {r.inserted} dòng mới, {r.updated} dòng thay đổi, {r.unchanged} dòng giữ nguyên"
        + (f", {num(r.warning_count)} cảnh báo cần xác nhận." if r.warnings else ".")
    )


def rollback(
    engine: Engine, batch_id: int, *, user: str = "", identity: Identity | None = None
) -> dict[str, int]:
    """Restore what batch `batch_id` changed; RollbackRefused, with nothing written, when a later
    batch changed the same rows (it is named) or when a scoped identity's agencies do not cover
    every row the batch wrote."""
    from data_access import registry  # a registry batch undoes agencies and units instead

    with engine.connect() as conn:
        if registry.is_registry_batch(conn, batch_id):
            return registry.rollback(engine, batch_id, user=user, identity=identity)
    if identity is not None:
        identity.require("rollback")
        user = identity.username
    with engine.begin() as conn:
        lock_for_writing(conn)
        agencies = history.batch_agencies(conn, [batch_id]).get(batch_id, set())
        # No agencies: no such batch, or one rolled back before its agencies were recorded;
        # rollback_batch refuses both.
        if agencies and not history.within_scope(agencies, identity):
            assert identity is not None
            raise RollbackRefused(
                f"Không thể hoàn tác lô {batch_id}: lô có dữ liệu ngoài phạm vi ngành được "
                f"giao ({', '.join(identity.agencies)})."
            )
        counts = rollback_batch(conn, batch_id, user)
        # The rows of inserted data are gone after this: the entry keeps which agencies they were.
        audit.record(
            conn,
            user,
            "rollback",
            f"batch {batch_id}",
            batch_id=batch_id,
            agencies=sorted(agencies),
            **counts,
        )
    return counts
