"""A unit's report from the form through approval, on both backends, against the sample."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select

from data_access import auth
from data_access.auth import Identity, PermissionDenied
from data_access.db import catalogue
from data_access.db.models import Agency, AuditLog, Period, Unit
from data_access.db.value_tables import tables
from data_access.ingest.errors import ERROR, WARNING
from data_access.reporting import form, workflow
from data_access.reporting.workflow import ReportRefused

PERIOD = "2026-H1"
TODAY = dt.date(2026, 7, 1)
SECRETARY = Identity("thuky", "secretariat", ("BHXH",))
OTHER_SECRETARY = Identity("thuky.thads", "secretariat", ("THADS",))


def _units(engine: Engine, agency: str, period: str = PERIOD) -> list[str]:
    """Two units of `agency` with no submission for `period` but one for 2025-Y."""
    submissions, _ = tables(catalogue.load(engine.connect()))
    with engine.connect() as conn:
        period_id = select(Period.id).where(Period.code == period).scalar_subquery()
        before = select(Period.id).where(Period.code == "2025-Y").scalar_subquery()
        done = select(submissions.c.unit_id).where(submissions.c.period_id == period_id)
        had = select(submissions.c.unit_id).where(
            submissions.c.period_id == before, submissions.c.staff_total.is_not(None)
        )
        return list(
            conn.execute(
                select(Unit.code)
                .join(Agency, Agency.id == Unit.agency_id)
                .where(Agency.code == agency, Unit.id.not_in(done), Unit.id.in_(had))
                .order_by(Unit.code)
                .limit(2)
            ).scalars()
        )


def _reporter(unit: str) -> Identity:
    return Identity(f"donvi.{unit.lower()}", "reporter", ("BHXH",), unit=unit)


def _summary_staff(engine: Engine, period: str = PERIOD) -> int:
    """The staff total the dashboards read for `period`."""
    _, summary = tables(catalogue.load(engine.connect()))
    with engine.connect() as conn:
        period_id = select(Period.id).where(Period.code == period).scalar_subquery()
        return int(
            conn.execute(
                select(func.coalesce(func.sum(summary.c.staff_total), 0)).where(
                    summary.c.period_id == period_id
                )
            ).scalar_one()
        )


GOOD = {
    "docs_issued": "2",
    "staff_total": "120",
    "staff_female": "60",
    "managers_total": "20",
    "managers_female": "8",
    "assessment": "Đơn vị đã triển khai đầy đủ.",
}


def test_form_fields_follow_the_catalogue_in_outline_order(shared_sample_engine: Engine) -> None:
    with shared_sample_engine.connect() as conn:
        cat = catalogue.load(conn)
    common = [i.code for i in cat.indicators if i.agency_code is None]
    assert form.field_codes(cat, "BHXH") == [*common, *form.NARRATIVES_VI]
    own = [i.code for i in cat.indicators if i.agency_code == "THADS"]
    assert own and form.field_codes(cat, "THADS") == [*common, *own, *form.NARRATIVES_VI]
    sections = form.sections(cat, "THADS")
    assert [s.code for s in sections] == ["I.1", "I.2", "I.3", "I.4", "I.5", "agency"]
    assert sections[0].documents and not any(s.documents for s in sections[1:])
    assert [p.code for p in sections[3].pairs][:2] == ["staff", "party_members"]


def test_a_draft_is_saved_as_typed_and_found_again(sample_engine: Engine) -> None:
    unit = _units(sample_engine, "BHXH")[0]
    me = _reporter(unit)
    fresh = workflow.open_report(sample_engine, unit, PERIOD, me)
    assert fresh.state == "new" and fresh.id is None
    # Stocks come from the unit's previous report; flows start blank.
    assert "staff_total" in fresh.prefilled and "docs_issued" not in fresh.fields
    typed = {**fresh.fields, "staff_female": "12,5", "docs_issued": "3"}
    docs = [{"number": "12/QĐ-BHXH", "date": "03/02/2026", "summary": "Kế hoạch BĐG"}]
    report_id = workflow.save_draft(
        sample_engine, unit, PERIOD, typed, docs, version=fresh.version, identity=me
    )
    again = workflow.open_report(sample_engine, unit, PERIOD, me)
    assert (again.id, again.state, again.version) == (report_id, "draft", 1)
    assert again.fields["staff_female"] == "12,5" and again.fields["docs_issued"] == "3"
    assert again.documents == docs


@pytest.mark.parametrize(
    ("typed", "field", "severity", "words"),
    [
        ({"staff_total": "10", "staff_female": "12"}, "staff_female", ERROR, "lớn hơn tổng số"),
        ({"docs_issued": "-1"}, "docs_issued", ERROR, "số âm"),
        ({"docs_issued": "2,5"}, "docs_issued", ERROR, "số nguyên"),
        ({"events_held": "nhiều"}, "events_held", ERROR, "Không phải là số"),
        (
            {"staff_total": "10", "staff_female": "5", "managers_total": "5"},
            "managers_total",
            WARNING,
            "trên 30%",
        ),
    ],
)
def test_a_problem_is_reported_on_its_field(
    shared_sample_engine: Engine, typed: dict[str, str], field: str, severity: str, words: str
) -> None:
    unit = _units(shared_sample_engine, "BHXH")[0]
    found = workflow.check(
        shared_sample_engine, unit, PERIOD, typed, identity=_reporter(unit), today=TODAY
    )
    assert any(s == severity and words in m for s, m in found.by_field.get(field, []))


def test_a_stock_moved_by_more_than_half_is_a_warning(shared_sample_engine: Engine) -> None:
    unit = _units(shared_sample_engine, "BHXH")[0]
    me = _reporter(unit)
    fields = workflow.open_report(shared_sample_engine, unit, PERIOD, me).fields
    doubled = str(3 * int(fields["staff_total"]) + 10)
    found = workflow.check(
        shared_sample_engine,
        unit,
        PERIOD,
        {**fields, "staff_total": doubled},
        identity=me,
        today=TODAY,
    )
    assert any("so với báo cáo kỳ 2025-Y" in m for s, m in found.by_field["staff_total"])


def test_submit_return_correct_accept_lock_reopen(sample_engine: Engine) -> None:
    unit = _units(sample_engine, "BHXH")[0]
    me = _reporter(unit)
    staff_before = _summary_staff(sample_engine)

    refused = workflow.submit(
        sample_engine,
        unit,
        PERIOD,
        {**GOOD, "staff_female": "130"},
        version=0,
        identity=me,
        today=TODAY,
    )
    assert refused.errors and workflow.open_report(sample_engine, unit, PERIOD, me).state == "new"

    workflow.submit(sample_engine, unit, PERIOD, GOOD, version=0, identity=me, today=TODAY)
    waiting = workflow.queue(sample_engine, SECRETARY)
    row = waiting[waiting["unit_code"] == unit].iloc[0]
    assert row["state"] == "submitted"
    assert workflow.queue(sample_engine, OTHER_SECRETARY).query("unit_code == @unit").empty
    assert _summary_staff(sample_engine) == staff_before  # not on the dashboards yet

    with pytest.raises(ReportRefused):
        workflow.return_report(sample_engine, int(row["id"]), "  ", version=1, identity=SECRETARY)
    workflow.return_report(
        sample_engine, int(row["id"]), "Số nữ lãnh đạo chưa khớp.", version=1, identity=SECRETARY
    )
    returned = workflow.open_report(sample_engine, unit, PERIOD, me)
    assert returned.state == "returned" and returned.comment == "Số nữ lãnh đạo chưa khớp."
    assert returned.editable

    corrected = {**GOOD, "managers_female": "9"}
    workflow.submit(
        sample_engine, unit, PERIOD, corrected, version=returned.version, identity=me, today=TODAY
    )
    with pytest.raises(PermissionDenied):
        workflow.accept(sample_engine, int(row["id"]), version=3, identity=OTHER_SECRETARY)
    with pytest.raises(PermissionDenied):
        workflow.accept(sample_engine, int(row["id"]), version=3, identity=me)
    assert _summary_staff(sample_engine) == staff_before
    batch = workflow.accept(
        sample_engine, int(row["id"]), version=3, identity=SECRETARY, today=TODAY
    )
    assert batch is not None
    assert _summary_staff(sample_engine) == staff_before + 120  # changed at acceptance only

    accepted = workflow.open_report(sample_engine, unit, PERIOD, me)
    assert accepted.state == "accepted" and not accepted.editable
    with pytest.raises(ReportRefused):  # locked
        workflow.save_draft(
            sample_engine, unit, PERIOD, GOOD, version=accepted.version, identity=me
        )
    with pytest.raises(PermissionDenied):  # only the secretariat reopens
        workflow.reopen(sample_engine, accepted.id or 0, "x", version=accepted.version, identity=me)
    workflow.reopen(
        sample_engine,
        int(row["id"]),
        "Sai số đảng viên.",
        version=accepted.version,
        identity=SECRETARY,
    )
    assert workflow.open_report(sample_engine, unit, PERIOD, me).state == "returned"
    assert _summary_staff(sample_engine) == staff_before + 120  # accepted figures stay

    steps = workflow.history(sample_engine, int(row["id"]), me)
    assert steps["action"].tolist() == ["submit", "return", "submit", "accept", "reopen"]
    assert steps["comment"].tolist()[1] == "Số nữ lãnh đạo chưa khớp."
    with sample_engine.connect() as conn:
        actions = conn.execute(
            select(AuditLog.action).where(AuditLog.target == f"report {unit} {PERIOD}")
        ).scalars()
        assert set(actions) >= {"report_submit", "report_return", "report_accept", "report_reopen"}


def test_a_reporter_reaches_its_own_unit_only(shared_sample_engine: Engine) -> None:
    mine, other = _units(shared_sample_engine, "BHXH")
    me = _reporter(mine)
    for call in (
        lambda: workflow.open_report(shared_sample_engine, other, PERIOD, me),
        lambda: workflow.check(shared_sample_engine, other, PERIOD, GOOD, identity=me),
        lambda: workflow.save_draft(
            shared_sample_engine, other, PERIOD, GOOD, version=0, identity=me
        ),
        lambda: workflow.submit(shared_sample_engine, other, PERIOD, GOOD, version=0, identity=me),
        lambda: workflow.queue(shared_sample_engine, me),
        lambda: workflow.open_report(shared_sample_engine, mine, PERIOD, OTHER_SECRETARY),
        lambda: workflow.save_draft(
            shared_sample_engine, mine, PERIOD, GOOD, version=0, identity=SECRETARY
        ),
        lambda: workflow.open_report(
            shared_sample_engine, mine, PERIOD, Identity("lanhdao", "viewer")
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_a_reporter_account_signs_in_with_its_unit(sample_engine: Engine) -> None:
    unit = _units(sample_engine, "BHXH")[0]
    with pytest.raises(ValueError):
        auth.create_user(sample_engine, "donvi.x", "reporter", "mat-khau-dai")
    auth.create_user(sample_engine, "donvi.x", "reporter", "mat-khau-dai", unit=unit)
    me = auth.authenticate(sample_engine, "donvi.x", "mat-khau-dai", listen_address="127.0.0.1")
    assert (me.role, me.unit, me.agencies) == ("reporter", unit, ("BHXH",))
    assert me.can("report") and not me.can("view") and not me.can("approve")
