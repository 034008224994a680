"""Upload history: the batches, which agencies each one touched, and the earlier versions of a
submission — each narrowed to the agency scope of the identity asking.

A scoped identity (a secretary of one agency) sees a batch only when every row it wrote belongs
to its agencies: a batch mixing agencies would show another agency's file and uploader. The
agencies of a batch are read from the rows it wrote (still tagged with it, changed by it, or
written by it and changed by a later batch); for a rolled-back batch whose rows are gone, from
its rollback's audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, select

from data_access.auth import Identity
from data_access.db import catalogue as catalogue_mod
from data_access.db.engine import frame_of
from data_access.db.models import (
    ActivityRevision,
    Agency,
    AuditLog,
    CampaignActivity,
    Period,
    SubmissionRevision,
    Unit,
    UploadBatch,
)
from data_access.db.value_tables import NARRATIVE_COLUMNS, tables
from data_access.domain.formats import MISSING, date, num
from data_access.domain.periods import parse_period
from data_access.ingest.writes import written_by

BATCH_COLUMNS = [
    "id",
    "kind",
    "file_name",
    "user_name",
    "created_at",
    "inserted",
    "updated",
    "unchanged",
    "status",
    "rolled_back_at",
    "sha256",
    "agencies",
]
NARRATIVE_LABELS_VI = {
    "assessment": "Đánh giá chung – kết quả tích cực",
    "limitations": "Hạn chế, nguyên nhân",
    "plan": "Phương hướng, nhiệm vụ kỳ tới",
    "recommendations": "Kiến nghị, đề xuất",
}
FIELD_COLUMN = "Nội dung"


def _require(identity: Identity | None) -> None:
    if identity is not None:
        identity.require("history")


def within_scope(agencies: Collection[str], identity: Identity | None) -> bool:
    """Whether a batch touching `agencies` is the identity's to see and roll back. A batch whose
    agencies are unknown is only for identities with every agency."""
    if identity is None or not identity.agencies:
        return True
    return bool(agencies) and set(agencies) <= set(identity.agencies)


def batch_agencies(conn: Connection, batch_ids: Collection[int]) -> dict[int, set[str]]:
    """The agencies of every unit each batch inserted or changed (see the module docstring)."""
    ids = sorted(set(batch_ids))
    found: dict[int, set[str]] = defaultdict(set)
    if not ids:
        return found
    submissions, _ = tables(catalogue_mod.load(conn))
    sub_taken = written_by(SubmissionRevision.previous)
    act_taken = written_by(ActivityRevision.previous)
    # (the batch column, the unit column, their table, whether the unit is the activity's)
    sources: list[tuple[Any, Any, Any, bool]] = [
        (submissions.c.batch_id, submissions.c.unit_id, submissions, False),
        (SubmissionRevision.batch_id, SubmissionRevision.unit_id, SubmissionRevision, False),
        (sub_taken, SubmissionRevision.unit_id, SubmissionRevision, False),
        (CampaignActivity.batch_id, CampaignActivity.unit_id, CampaignActivity, False),
        (ActivityRevision.batch_id, CampaignActivity.unit_id, ActivityRevision, True),
        (act_taken, CampaignActivity.unit_id, ActivityRevision, True),
    ]
    for batch, unit, source, via_activity in sources:
        query = select(batch, Agency.code).select_from(source)
        if via_activity:
            query = query.join(
                CampaignActivity, CampaignActivity.id == ActivityRevision.activity_id
            )
        query = (
            query.join(Unit, Unit.id == unit)
            .join(Agency, Agency.id == Unit.agency_id)
            .where(batch.in_(ids))
            .distinct()
        )
        for batch_id, code in conn.execute(query):
            found[int(batch_id)].add(code)
    rolled_back = conn.execute(
        select(AuditLog.detail).where(
            AuditLog.action == "rollback", AuditLog.detail["batch_id"].as_integer().in_(ids)
        )
    ).scalars()
    for detail in rolled_back:
        found[int(detail["batch_id"])].update(detail.get("agencies") or ())
    return found


def batches(engine: Engine, limit: int = 200, *, identity: Identity | None = None) -> pd.DataFrame:
    """id, kind, file_name, user_name, created_at, inserted, updated, unchanged, status,
    rolled_back_at, sha256, agencies (codes, comma-separated): the latest `limit` upload batches
    the identity may see, latest first."""
    _require(identity)
    with engine.connect() as conn:
        frame = frame_of(
            conn.execute(
                select(*(getattr(UploadBatch, c) for c in BATCH_COLUMNS[:-1])).order_by(
                    UploadBatch.id.desc()
                )
            )
        )
        agencies = batch_agencies(conn, frame["id"].tolist()) if len(frame) else {}
    if frame.empty:
        return pd.DataFrame(columns=BATCH_COLUMNS)
    frame["agencies"] = [", ".join(sorted(agencies.get(int(b), ()))) for b in frame["id"]]
    visible = [within_scope(agencies.get(int(b), set()), identity) for b in frame["id"]]
    return frame[visible].head(limit).reset_index(drop=True)


def _submission_in_scope(
    conn: Connection, unit_code: str, period: str, identity: Identity | None
) -> Any:
    """The unit (id, name, agency) when it exists and is within the identity's scope."""
    unit = conn.execute(
        select(Unit.id, Unit.name, Agency.code.label("agency"))
        .join(Agency, Agency.id == Unit.agency_id)
        .where(Unit.code == unit_code)
    ).one_or_none()
    if unit is None or not within_scope({unit.agency}, identity):
        return None
    return unit


def revisions(
    engine: Engine, unit_code: str, period: str, *, identity: Identity | None = None
) -> pd.DataFrame:
    """batch_id, created_at, user_name, previous: the earlier versions of one submission, latest
    first; empty when the unit is outside the identity's scope (as for a unit with none)."""
    _require(identity)
    with engine.connect() as conn:
        if _submission_in_scope(conn, unit_code, period, identity) is None:
            return pd.DataFrame(columns=["batch_id", "created_at", "user_name", "previous"])
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


@dataclass
class RevisionView:
    """One submission's versions side by side, every cell already in Vietnamese format."""

    unit_name: str
    period_label: str
    table: pd.DataFrame  # FIELD_COLUMN, then the current version, then earlier ones, latest first
    n_revisions: int


def _as_date(value: Any) -> dt.date | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value.date() if isinstance(value, dt.datetime) else value


def _as_time(value: Any) -> str:
    if value is None or value is pd.NaT:
        return MISSING
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{date(moment.date())} {moment:%H:%M}"


def _cell(field: str, value: Any, catalogue: catalogue_mod.Catalogue) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return MISSING
    if field == "report_date":
        return date(_as_date(value))
    if field == "received_at":
        return _as_time(value)
    if field == "batch_id":
        return f"Lô {int(value)}"
    if field in NARRATIVE_LABELS_VI:
        return str(value)
    return num(float(value), 0 if catalogue.by_code[field].value_type == "int" else 2)


def revision_view(
    engine: Engine, unit_code: str, period: str, *, identity: Identity | None = None
) -> RevisionView | None:
    """The submission of `unit_code` for `period` as it is now and before each batch that changed
    it; None when there is no such submission or the unit is outside the identity's scope."""
    _require(identity)
    with engine.connect() as conn:
        unit = _submission_in_scope(conn, unit_code, period, identity)
        period_id = conn.execute(select(Period.id).where(Period.code == period)).scalar()
        if unit is None or period_id is None:
            return None
        catalogue = catalogue_mod.load(conn)
        submissions, _ = tables(catalogue)
        current = (
            conn.execute(
                select(submissions).where(
                    submissions.c.unit_id == unit.id, submissions.c.period_id == period_id
                )
            )
            .mappings()
            .one_or_none()
        )
        earlier = conn.execute(
            select(
                SubmissionRevision.batch_id,
                SubmissionRevision.created_at,
                SubmissionRevision.previous,
            )
            .where(SubmissionRevision.unit_id == unit.id, SubmissionRevision.period_id == period_id)
            .order_by(SubmissionRevision.id.desc())
        ).all()
    if current is None and not earlier:
        return None
    versions: dict[str, dict[str, Any]] = {}
    if current is not None:
        versions["Hiện nay"] = dict(current)
    for rev in earlier:
        versions[f"Trước lô {rev.batch_id} ({date(_as_date(rev.created_at))})"] = dict(
            rev.previous or {}
        )
    labels = {
        "report_date": "Ngày báo cáo",
        "received_at": "Thời điểm nhận",
        "batch_id": "Lô tải lên",
        **{i.code: _indicator_label(i) for i in catalogue.indicators},
        **{n: NARRATIVE_LABELS_VI.get(n, n) for n in NARRATIVE_COLUMNS},
    }
    rows = []
    for field, label in labels.items():
        values = [version.get(field) for version in versions.values()]
        if all(v is None or (isinstance(v, float) and pd.isna(v)) for v in values):
            continue
        rows.append([label, *(_cell(field, v, catalogue) for v in values)])
    table = pd.DataFrame(rows, columns=[FIELD_COLUMN, *versions])
    return RevisionView(unit.name, parse_period(period).label_vi, table, len(earlier))


def _indicator_label(indicator: catalogue_mod.IndicatorDef) -> str:
    heading = indicator.heading_vi
    return f"{heading} ({indicator.unit_vi})" if indicator.unit_vi else heading
