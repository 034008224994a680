"""A unit's report from the form: draft → submitted → accepted, or returned with a comment and
submitted again; an accepted report is locked until the secretariat reopens it, with a reason.

Pending reports (draft, submitted, returned) live in `reports`, as typed. Checking one runs the
upload's validation (data_access.ingest.submissions) on a one-row table built from the form, so
every rule has one home and the form shows the same errors and warnings as an upload. Accepting
writes through the upload's write path (a batch with revisions, the summary, the audit log), so
the dashboards read accepted figures only and an acceptance can be rolled back like an upload.

Access, on every call: a reporter reaches its own unit and the children flagged as reporting
through it (units.reports_via_parent): open ones, and a closed one for the periods it was open
on the due date of; nothing else. The secretariat (and
administrators) the units of their agencies; nobody else any report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, bindparam, insert, select, update
from sqlalchemy.orm import aliased

from data_access.auth import Identity, PermissionDenied
from data_access.db import audit
from data_access.db import catalogue as catalogue_mod
from data_access.db.models import Agency, Period, Report, ReportEvent, Unit, utcnow
from data_access.db.period_rows import ensure_periods
from data_access.db.value_tables import tables
from data_access.domain.formats import num
from data_access.domain.periods import PeriodCode, parse_period
from data_access.ingest import submissions as ingest_submissions
from data_access.ingest.errors import ERROR, WARNING
from data_access.ingest.limits import text_max
from data_access.ingest.reading import RawTable
from data_access.ingest.values import parse_dates
from data_access.ingest.writes import (
    finish_batch,
    lock_for_writing,
    new_batch,
    write_submissions,
)
from data_access.reporting.form import field_codes

STATE_LABELS_VI = {
    "new": "Chưa lập",
    "draft": "Bản nháp",
    "submitted": "Đã gửi, chờ duyệt",
    "returned": "Bị trả lại",
    "accepted": "Đã duyệt",
    "missing": "Chưa báo cáo",
}
ACTION_LABELS_VI = {
    "save": "Lưu nháp",
    "submit": "Gửi duyệt",
    "return": "Trả lại",
    "accept": "Duyệt",
    "reopen": "Mở lại",
}
EDITABLE = ("new", "draft", "returned")  # the unit may change its report in these states
# A document list longer than this is a paste gone wrong: a unit issues a few dozen a period.
MAX_DOCUMENTS = 200
DOCUMENTS_FIELD = "documents"  # where the document list's problems are shown
MSG_CHANGED = "Báo cáo vừa được thay đổi ở nơi khác. Hãy tải lại trang trước khi tiếp tục."
MSG_COMMENT_NEEDED = "Hãy ghi lý do để đơn vị biết cần sửa gì."
MSG_OWN_UNITS_ONLY = (
    "Tài khoản này chỉ xem và nhập báo cáo của đơn vị mình và các đơn vị trực thuộc báo cáo qua "
    "đơn vị mình."
)
FORM_FILE = "Biểu mẫu báo cáo"  # the "file" name of a form's problems and of its batch


class ReportRefused(ValueError):
    """A step refused; the message is in Vietnamese, safe to show."""


@dataclass
class Check:
    """Problems by field (an indicator code, a narrative, DOCUMENTS_FIELD or "" for the report)."""

    by_field: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, name: str, severity: str, message: str) -> None:
        self.by_field.setdefault(name, []).append((severity, message))

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(f, m) for f, items in self.by_field.items() for s, m in items if s == ERROR]

    @property
    def warnings(self) -> list[tuple[str, str]]:
        return [(f, m) for f, items in self.by_field.items() for s, m in items if s == WARNING]


@dataclass
class ReportView:
    id: int | None
    unit_code: str
    unit_name: str
    agency_code: str
    period: str
    state: str
    fields: dict[str, str]
    documents: list[dict[str, str]]
    comment: str | None
    version: int
    prefilled: list[str] = field(default_factory=list)  # stock fields copied from the last report
    prefilled_from: str | None = None  # the period of the report they were copied from

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE

    @property
    def state_vi(self) -> str:
        return STATE_LABELS_VI[self.state]


# --- access -------------------------------------------------------------------------------------


def _unit_query() -> Any:
    """A unit as access needs it: its agency, and whether its report is its parent's to enter."""
    parent = aliased(Unit)
    return (
        select(
            Unit.id,
            Unit.code,
            Unit.name,
            Unit.reports_via_parent,
            Unit.active_from,
            Unit.active_to,
            Agency.code.label("agency_code"),
            parent.code.label("parent_code"),
        )
        .join(Agency, Agency.id == Unit.agency_id)
        .outerjoin(parent, parent.id == Unit.parent_id)
    )


@lru_cache(maxsize=1)
def _unit_by_code() -> Any:
    """_unit_query for the unit bound as `code` (built once: every form step reads its unit)."""
    return _unit_query().where(Unit.code == bindparam("code"))


def _unit(conn: Connection, unit_code: str) -> Any:
    row = conn.execute(_unit_by_code(), {"code": unit_code}).first()
    if row is None:
        raise ReportRefused(f"Không có đơn vị mã “{unit_code}”.")
    return row


def _child_reports_for(
    active_from: dt.date, active_to: dt.date | None, period: PeriodCode | None
) -> bool:
    """Whether a child's report for `period` is its parent's to enter: while the child is open,
    and, once closed, for a period it was open on the due date of (it was expected to report:
    queries.tracking counts it, and a late report must still be possible)."""
    if active_to is None:
        return True
    return period is not None and active_from <= period.due_date <= active_to


def _reporter_reaches(identity: Identity, unit: Any, period: PeriodCode | None) -> bool:
    """A reporter's own unit, or a child of it that reports through it, for `period` (one level:
    the registry flags children of a reporting unit, not grandchildren)."""
    if identity.unit is None:
        return False
    if unit.code == identity.unit:
        return True
    return bool(
        unit.reports_via_parent
        and unit.parent_code == identity.unit
        and _child_reports_for(unit.active_from, unit.active_to, period)
    )


def _authorize(
    identity: Identity, unit: Any, period: PeriodCode | None = None, *, edit: bool = False
) -> None:
    """A reporter: its own unit and the children reporting through it (for `period`), to read
    and edit. The secretariat: its agencies' units, to read and decide (never to edit a unit's
    figures). Anyone else: nothing."""
    if identity.can("report"):
        if not _reporter_reaches(identity, unit, period):
            raise PermissionDenied(MSG_OWN_UNITS_ONLY)
        return
    if identity.can("approve") and not edit:
        if identity.agencies and unit.agency_code not in identity.agencies:
            raise PermissionDenied(
                f"Đơn vị {unit.code} thuộc ngành {unit.agency_code}, ngoài phạm vi được giao "
                f"({', '.join(identity.agencies)})."
            )
        return
    identity.require("report" if edit else "approve")
    raise PermissionDenied("Tài khoản này không có quyền này.")


@dataclass(frozen=True)
class ReportingUnit:
    code: str
    name: str
    periods: tuple[str, ...]  # of the periods asked about, those its report may be entered for
    closed_on: dt.date | None = None  # a child closed since: its last day open (active_to)

    @property
    def closed_note_vi(self) -> str:
        """Why a closed child offers fewer periods; empty for an open unit."""
        if self.closed_on is None:
            return ""
        return (
            f"Đơn vị hoạt động đến hết ngày {self.closed_on:%d/%m/%Y}: chỉ nhập báo cáo cho các "
            "kỳ có hạn nộp trong thời gian đơn vị còn hoạt động."
        )


def reporting_units(
    engine: Engine, identity: Identity, periods: Sequence[str]
) -> list[ReportingUnit]:
    """The units whose report a reporter enters for any of `periods` (the open ones): its own
    first, then the children that report through it, by name: the open ones, and a closed one
    for the periods it was open on the due date of. Nobody else has any."""
    identity.require("report")
    if identity.unit is None:
        return []
    codes = [parse_period(p) for p in periods]
    parent = aliased(Unit)
    with engine.connect() as conn:
        own = conn.execute(select(Unit.code, Unit.name).where(Unit.code == identity.unit)).all()
        children = conn.execute(
            select(Unit.code, Unit.name, Unit.active_from, Unit.active_to)
            .join(parent, parent.id == Unit.parent_id)
            .where(parent.code == identity.unit, Unit.reports_via_parent.is_(True))
            .order_by(Unit.name, Unit.code)
        ).all()
    reached = [
        ReportingUnit(
            child.code,
            child.name,
            tuple(
                str(p) for p in codes if _child_reports_for(child.active_from, child.active_to, p)
            ),
            child.active_to,
        )
        for child in children
    ]
    return [
        *(ReportingUnit(code, name, tuple(str(p) for p in codes)) for code, name in own),
        *(child for child in reached if child.periods),
    ]


def _period_id(conn: Connection, period: str) -> int:
    return ensure_periods(conn, [parse_period(period)])[str(parse_period(period))]


def _stored(conn: Connection, unit_id: int, period_id: int) -> Any:
    return conn.execute(
        select(Report.__table__).where(Report.unit_id == unit_id, Report.period_id == period_id)
    ).first()


def _text(value: Any, integer: bool) -> str:
    """A stored number as the form shows it: 1520 → '1520', 12.5 → '12,5'."""
    if value is None or value != value:
        return ""
    if integer or float(value).is_integer():
        return str(int(value))
    if isinstance(value, Decimal):  # stored numeric(18, 3): 12.500 is typed back as 12,5
        return format(value.normalize(), "f").replace(".", ",")
    return f"{value}".replace(".", ",")


# --- reading ------------------------------------------------------------------------------------


def open_report(engine: Engine, unit_code: str, period: str, identity: Identity) -> ReportView:
    """The unit's report for the period as stored; a report not started yet comes with its stock
    figures from the unit's previous accepted report."""
    code = str(parse_period(period))
    with engine.connect() as conn:
        unit = _unit(conn, unit_code)
        _authorize(identity, unit, parse_period(code))
        period_id = conn.execute(select(Period.id).where(Period.code == code)).scalar()
        row = _stored(conn, unit.id, period_id) if period_id is not None else None
        if row is not None:
            return ReportView(
                row.id,
                unit.code,
                unit.name,
                unit.agency_code,
                code,
                row.state,
                dict(row.fields),
                list(row.documents),
                row.comment,
                row.version,
            )
        catalogue = catalogue_mod.load(conn)
        fields, prefilled, source = _prefill(conn, catalogue, unit.id, code)
    return ReportView(
        None,
        unit.code,
        unit.name,
        unit.agency_code,
        code,
        "new",
        fields,
        [],
        None,
        0,
        prefilled,
        source,
    )


def _prefill(
    conn: Connection, catalogue: catalogue_mod.Catalogue, unit_id: int, period: str
) -> tuple[dict[str, str], list[str], str | None]:
    """The stock figures of the unit's latest report ending before `period` ends (the previous
    period's, or an older one when the unit skipped it), the fields set, and that report's period."""
    stocks = [i for i in catalogue.indicators if i.kind == "stock"]
    submissions, _ = tables(catalogue)
    row = conn.execute(
        select(Period.code, *(submissions.c[i.code] for i in stocks))
        .join(Period, Period.id == submissions.c.period_id)
        .where(
            submissions.c.unit_id == unit_id,
            Period.end_date < parse_period(period).end_date,
        )
        .order_by(Period.end_date.desc())
        .limit(1)
    ).first()
    if row is None:
        return {}, [], None
    fields = {
        i.code: _text(row[n + 1], i.value_type == "int")
        for n, i in enumerate(stocks)
        if row[n + 1] is not None
    }
    return fields, list(fields), row[0] if fields else None


def history(engine: Engine, report_id: int, identity: Identity) -> pd.DataFrame:
    """at, user_name, action, action_vi, comment of every step, oldest first."""
    with engine.connect() as conn:
        unit = _report_unit(conn, report_id)
        _authorize(identity, unit, parse_period(unit.period))
        rows = conn.execute(
            select(ReportEvent.at, ReportEvent.user_name, ReportEvent.action, ReportEvent.comment)
            .where(ReportEvent.report_id == report_id)
            .order_by(ReportEvent.id)
        ).all()
    frame = pd.DataFrame(rows, columns=["at", "user_name", "action", "comment"])
    frame["action_vi"] = frame["action"].map(ACTION_LABELS_VI)
    return frame


def _report_unit(conn: Connection, report_id: int) -> Any:
    row = conn.execute(
        _unit_query()
        .add_columns(Period.code.label("period"))
        .join(Report, Report.unit_id == Unit.id)
        .join(Period, Period.id == Report.period_id)
        .where(Report.id == report_id)
    ).first()
    if row is None:
        raise ReportRefused(f"Không có báo cáo số {report_id}.")
    return row


def queue(
    engine: Engine, identity: Identity, states: Sequence[str] = ("submitted",)
) -> pd.DataFrame:
    """id, unit_code, unit_name, agency_code, period, state, state_vi, submitted_at, version: the
    reports waiting for the secretariat, in its agencies, oldest submission first."""
    identity.require("approve")
    query = (
        select(
            Report.id,
            Unit.code.label("unit_code"),
            Unit.name.label("unit_name"),
            Agency.code.label("agency_code"),
            Period.code.label("period"),
            Report.state,
            Report.submitted_at,
            Report.version,
        )
        .join(Unit, Unit.id == Report.unit_id)
        .join(Agency, Agency.id == Unit.agency_id)
        .join(Period, Period.id == Report.period_id)
        .where(Report.state.in_(list(states)))
        .order_by(Report.submitted_at, Report.id)
    )
    if identity.agencies:
        query = query.where(Agency.code.in_(list(identity.agencies)))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    columns = ["id", "unit_code", "unit_name", "agency_code", "period", "state"]
    frame = pd.DataFrame(rows, columns=[*columns, "submitted_at", "version"])
    frame["state_vi"] = frame["state"].map(STATE_LABELS_VI)
    return frame


def states(engine: Engine, period: str, identity: Identity) -> dict[str, str]:
    """Unit code → state of its form report for the period (draft, submitted, returned,
    accepted), within the identity's agencies; tracking adds accepted uploads and missing."""
    identity.require("track")
    query = (
        select(Unit.code, Report.state)
        .join(Report, Report.unit_id == Unit.id)
        .join(Agency, Agency.id == Unit.agency_id)
        .join(Period, Period.id == Report.period_id)
        .where(Period.code == str(parse_period(period)))
    )
    if identity.agencies:
        query = query.where(Agency.code.in_(list(identity.agencies)))
    with engine.connect() as conn:
        return {code: state for code, state in conn.execute(query).all()}


# --- checking -----------------------------------------------------------------------------------


def _table(
    unit_code: str, period: str, fields: Mapping[str, str], codes: Sequence[str]
) -> RawTable:
    """The form as a one-row upload, the columns named by their codes."""
    frame = pd.DataFrame(
        {
            "unit_code": [unit_code],
            "period": [period],
            **{c: [fields.get(c, "") or ""] for c in codes},
        },
        dtype=object,
    )
    return RawTable(frame, lines=[2], header_line=1, encoding="utf-8", delimiter=None)


def _check(
    conn: Connection,
    unit: Any,
    period: str,
    fields: Mapping[str, str],
    documents: Sequence[Mapping[str, str]],
    today: dt.date,
) -> tuple[Check, Any]:
    catalogue = catalogue_mod.load(conn)
    codes = field_codes(catalogue, unit.agency_code)
    # The form shows its blank fields itself: no warnings about blanks.
    plan = ingest_submissions.validate(
        conn,
        _table(unit.code, period, fields, codes),
        catalogue,
        (unit.agency_code,),
        today,
        blank_warnings=False,
    )
    check = Check()
    for problem in plan.collector.problems:
        if problem.column in codes or problem.column in ("period", "unit_code"):
            name = problem.column if problem.column in codes else ""
            check.add(name, problem.severity, problem.message)
        elif problem.severity == ERROR:
            check.add("", ERROR, problem.message)
    _check_documents(check, documents)
    return check, plan


def _check_documents(check: Check, documents: Sequence[Mapping[str, str]]) -> None:
    if len(documents) > MAX_DOCUMENTS:
        check.add(DOCUMENTS_FIELD, ERROR, f"Danh sách quá {num(MAX_DOCUMENTS)} văn bản.")
    limit = text_max(Report.__table__.c.comment)
    for n, doc in enumerate(documents, start=1):
        number, date, summary = (doc.get(k, "").strip() for k in ("number", "date", "summary"))
        if not (number or date or summary):
            continue
        if not number:
            check.add(DOCUMENTS_FIELD, ERROR, f"Văn bản thứ {n}: thiếu số, ký hiệu.")
        if not date or parse_dates(pd.Series([date]))[1][0]:
            check.add(
                DOCUMENTS_FIELD,
                ERROR,
                f"Văn bản thứ {n}: ngày ban hành không hợp lệ, dùng dạng dd/mm/yyyy.",
            )
        if len(summary) > limit:
            check.add(DOCUMENTS_FIELD, ERROR, f"Văn bản thứ {n}: trích yếu quá dài.")


def check(
    engine: Engine,
    unit_code: str,
    period: str,
    fields: Mapping[str, str],
    documents: Sequence[Mapping[str, str]] = (),
    *,
    identity: Identity,
    today: dt.date | None = None,
) -> Check:
    """The upload's errors and warnings for the form as typed, by field; nothing written."""
    with engine.connect() as conn:
        unit = _unit(conn, unit_code)
        _authorize(identity, unit, parse_period(period))
        return _check(
            conn, unit, str(parse_period(period)), fields, documents, today or dt.date.today()
        )[0]


# --- the unit's steps ---------------------------------------------------------------------------


def _clean(fields: Mapping[str, str], codes: Sequence[str]) -> dict[str, str]:
    return {c: str(fields[c]).strip() for c in codes if fields.get(c) not in (None, "")}


def _event(
    conn: Connection, report_id: int, user: str, action: str, comment: str | None = None
) -> None:
    conn.execute(
        insert(ReportEvent).values(
            report_id=report_id, at=utcnow(), user_name=user, action=action, comment=comment
        )
    )


def _write(
    conn: Connection,
    unit: Any,
    period: str,
    values: dict[str, Any],
    version: int,
    allowed: Sequence[str],
    user: str,
) -> int:
    """Insert the report (version 0: none yet) or update it if it is still at `version` and in
    one of the `allowed` states; the id. One statement, so two writers cannot both pass."""
    period_id = _period_id(conn, period)
    values = {**values, "updated_at": utcnow(), "updated_by": user}
    if version == 0:
        if _stored(conn, unit.id, period_id) is not None:
            raise ReportRefused(MSG_CHANGED)
        return int(
            conn.execute(
                insert(Report)
                .values(unit_id=unit.id, period_id=period_id, version=1, **values)
                .returning(Report.id)
            ).scalar_one()
        )
    report_id = conn.execute(
        update(Report)
        .where(
            Report.unit_id == unit.id,
            Report.period_id == period_id,
            Report.version == version,
            Report.state.in_(list(allowed)),
        )
        .values(version=Report.version + 1, **values)
        .returning(Report.id)
    ).scalar_one_or_none()
    if report_id is None:
        raise ReportRefused(MSG_CHANGED)
    return int(report_id)


def save_draft(
    engine: Engine,
    unit_code: str,
    period: str,
    fields: Mapping[str, str],
    documents: Sequence[Mapping[str, str]] = (),
    *,
    version: int,
    identity: Identity,
) -> int:
    """Keep the form as typed, errors and all; the report's id. Only the unit, only while the
    report is a draft or returned."""
    period = str(parse_period(period))
    with engine.begin() as conn:
        unit = _unit(conn, unit_code)
        _authorize(identity, unit, parse_period(period), edit=True)
        catalogue = catalogue_mod.load(conn)
        values = {
            "fields": _clean(fields, field_codes(catalogue, unit.agency_code)),
            "documents": _documents(documents),
        }
        state = _state_after_save(conn, unit, period, version)
        report_id = _write(
            conn, unit, period, {**values, "state": state}, version, EDITABLE, identity.username
        )
        _event(conn, report_id, identity.username, "save")
        audit.record(conn, identity.username, "report_save", _target(unit.code, period))
    return report_id


def _state_after_save(conn: Connection, unit: Any, period: str, version: int) -> str:
    """A returned report stays returned (its comment still shown) until submitted again."""
    if version == 0:
        return "draft"
    row = _stored(conn, unit.id, _period_id(conn, period))
    return "returned" if row is not None and row.state == "returned" else "draft"


def _documents(documents: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    keys = ("number", "date", "summary")
    kept = [{k: str(d.get(k) or "").strip() for k in keys} for d in documents]
    return [d for d in kept if any(d.values())]


def _target(unit_code: str, period: str) -> str:
    return f"report {unit_code} {period}"


def submit(
    engine: Engine,
    unit_code: str,
    period: str,
    fields: Mapping[str, str],
    documents: Sequence[Mapping[str, str]] = (),
    *,
    version: int,
    identity: Identity,
    today: dt.date | None = None,
) -> Check:
    """Send the report to the secretariat when the form has no error left; the check either way
    (with errors, nothing is written)."""
    period = str(parse_period(period))
    with engine.begin() as conn:
        unit = _unit(conn, unit_code)
        _authorize(identity, unit, parse_period(period), edit=True)
        found, plan = _check(conn, unit, period, fields, documents, today or dt.date.today())
        if found.errors:
            return found
        values = {
            "fields": _clean(fields, field_codes(plan.catalogue, unit.agency_code)),
            "documents": _documents(documents),
            "figures": _figures(plan),
            "state": "submitted",
            "submitted_at": utcnow(),
        }
        report_id = _write(conn, unit, period, values, version, EDITABLE, identity.username)
        _event(conn, report_id, identity.username, "submit")
        audit.record(conn, identity.username, "report_submit", _target(unit.code, period))
    return found


def _figures(plan: Any) -> dict[str, int | float]:
    """The report's numbers as the checks parsed them (blanks left out), for JSON."""
    if plan.rows.empty:
        return {}
    row = plan.rows.iloc[0]
    figures: dict[str, int | float] = {}
    for code in plan.catalogue.codes:
        value = row.get(code)
        if value is None or value != value:
            continue
        integer = plan.catalogue.by_code[code].value_type == "int"
        figures[code] = int(value) if integer else float(value)
    return figures


# --- the secretariat's steps --------------------------------------------------------------------


def _decide(conn: Connection, report_id: int, identity: Identity) -> tuple[Any, Any]:
    identity.require("approve")
    unit = _report_unit(conn, report_id)
    _authorize(identity, unit)
    row = conn.execute(
        select(Report.__table__, Period.code.label("period"))
        .join(Period, Period.id == Report.period_id)
        .where(Report.id == report_id)
    ).one()
    return unit, row


def _step(
    conn: Connection,
    report_id: int,
    version: int,
    from_state: str,
    to_state: str,
    comment: str | None,
    user: str,
) -> None:
    changed = conn.execute(
        update(Report)
        .where(Report.id == report_id, Report.version == version, Report.state == from_state)
        .values(
            state=to_state,
            comment=comment,
            version=Report.version + 1,
            updated_at=utcnow(),
            updated_by=user,
        )
        .returning(Report.id)
    ).scalar_one_or_none()
    if changed is None:
        raise ReportRefused(MSG_CHANGED)


def return_report(
    engine: Engine, report_id: int, comment: str, *, version: int, identity: Identity
) -> None:
    """Send a submitted report back to its unit with a comment the unit sees on its form."""
    comment = comment.strip()
    if not comment:
        raise ReportRefused(MSG_COMMENT_NEEDED)
    with engine.begin() as conn:
        unit, row = _decide(conn, report_id, identity)
        _step(conn, report_id, version, "submitted", "returned", comment, identity.username)
        _event(conn, report_id, identity.username, "return", comment)
        audit.record(
            conn,
            identity.username,
            "report_return",
            _target(unit.code, row.period),
            comment=comment,
        )


def reopen(
    engine: Engine, report_id: int, reason: str, *, version: int, identity: Identity
) -> None:
    """Unlock an accepted report for its unit to correct, with the reason shown to the unit. The
    accepted figures stay on the dashboards, and its accepted documents in the exports, until the
    corrected report is accepted."""
    reason = reason.strip()
    if not reason:
        raise ReportRefused(MSG_COMMENT_NEEDED)
    with engine.begin() as conn:
        unit, row = _decide(conn, report_id, identity)
        _step(conn, report_id, version, "accepted", "returned", reason, identity.username)
        _event(conn, report_id, identity.username, "reopen", reason)
        audit.record(
            conn, identity.username, "report_reopen", _target(unit.code, row.period), reason=reason
        )


def accept(
    engine: Engine,
    report_id: int,
    *,
    version: int,
    identity: Identity,
    today: dt.date | None = None,
) -> int | None:
    """Lock the report and write its figures as the unit's submission for the period, through
    the upload's write path (its own batch: revisions, summary, rollback); the batch id (None when
    the figures equal those already stored). Checked again first: an error refuses."""
    with engine.begin() as conn:
        lock_for_writing(conn)  # first: on SQLite it must open the transaction
        unit, row = _decide(conn, report_id, identity)
        if row.state != "submitted" or row.version != version:
            raise ReportRefused(MSG_CHANGED)
        found, plan = _check(
            conn, unit, row.period, row.fields, row.documents, today or dt.date.today()
        )
        if found.errors:
            raise ReportRefused(
                "Báo cáo còn lỗi, không thể duyệt: " + "; ".join(m for _, m in found.errors)
            )
        batch_id = _write_accepted(conn, plan, unit, row, identity.username)
        _step(conn, report_id, version, "submitted", "accepted", None, identity.username)
        conn.execute(
            update(Report)
            .where(Report.id == report_id)
            .values(accepted_documents=list(row.documents or []))
        )
        _event(conn, report_id, identity.username, "accept")
        audit.record(
            conn,
            identity.username,
            "report_accept",
            _target(unit.code, row.period),
            batch_id=batch_id,
        )
    return batch_id


def _write_accepted(conn: Connection, plan: Any, unit: Any, row: Any, user: str) -> int | None:
    new, changed, before, unchanged = ingest_submissions.classify(conn, plan)
    if not len(new) and not len(changed):
        return None
    content = json.dumps([row.fields, row.documents], sort_keys=True, ensure_ascii=False)
    name = f"{FORM_FILE} {unit.code} {row.period}"
    batch_id = new_batch(
        conn, "submissions", name, hashlib.sha256(content.encode()).hexdigest(), user
    )
    write_submissions(
        conn, plan.catalogue, plan.present, new, changed, before, batch_id, utcnow(), plan.units
    )
    counts = {"inserted": len(new), "updated": len(changed), "unchanged": unchanged, "rejected": 0}
    finish_batch(conn, batch_id, counts)
    audit.record(conn, user, "upload", name, kind="submissions", batch_id=batch_id, **counts)
    return batch_id


def open_periods(today: dt.date) -> list[str]:
    """The periods a unit may report for on `today`, the one due next first: this year's two
    and last year's annual report (late ones are still accepted)."""
    this_half, this_year = PeriodCode(today.year, "H1"), PeriodCode(today.year, "Y")
    first = [this_half, this_year] if today <= this_half.due_date else [this_year, this_half]
    return [str(p) for p in [*first, PeriodCode(today.year - 1, "Y")]]


def period_label(period: str) -> str:
    return parse_period(period).label_vi


def with_states(units: pd.DataFrame, form_states: Mapping[str, str]) -> pd.DataFrame:
    """Tracking's units (unit_code, status) with report_state and report_state_vi: the form
    report's state, else accepted for a stored submission (an upload counts as accepted), else
    missing."""
    stored = units["status"].map(lambda s: "missing" if s == "missing" else "accepted")
    # As objects: with no form report at all the mapped column is float (all NaN).
    state = units["unit_code"].map(form_states).astype(object).fillna(stored)
    return units.assign(report_state=state, report_state_vi=state.map(STATE_LABELS_VI))
