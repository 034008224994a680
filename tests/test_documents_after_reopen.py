"""A reopened report keeps its accepted documents in the exports, as its accepted figures stay on
the dashboards, until the corrected report is accepted; with "gồm báo cáo chưa duyệt" a
resubmitted report lists what it now says. The migration gives accepted reports their documents.
Both backends (the CASE over two JSON columns)."""

from __future__ import annotations

from sqlalchemy import Engine, select, text, update

from data_access import schema
from data_access.db.models import Report
from data_access.domain.filters import Filters
from data_access.reporting import documents_issued, workflow
from tests.test_documents_list_export import (
    ADMIN,
    PERIOD,
    _accept,
    _fresh_unit,
    _submit,
)

FIRST = [{"number": "12/KH-BHXH", "date": "05/03/2026", "summary": "Kế hoạch bình đẳng giới"}]
CORRECTED = [{"number": "12/KH-BHXH", "date": "05/03/2026", "summary": "Kế hoạch (sửa)"}]


def _listed(engine: Engine, unit: str, include_unapproved: bool = False) -> list[str]:
    f = Filters(periods=(PERIOD,), include_unapproved=include_unapproved)
    frame = documents_issued.issued(engine, f)
    return frame.loc[frame["unit_code"] == unit, "summary"].tolist()


def _reopen(engine: Engine, unit: str, report_id: int) -> None:
    version = workflow.open_report(engine, unit, PERIOD, ADMIN).version
    workflow.reopen(engine, report_id, "Sửa trích yếu", version=version, identity=ADMIN)


def test_the_accepted_documents_stay_listed_while_the_report_is_corrected(
    sample_engine: Engine,
) -> None:
    unit, _ = _fresh_unit(sample_engine, "BHXH")
    report_id = _submit(sample_engine, unit, "BHXH", FIRST)
    assert _listed(sample_engine, unit) == []  # submitted, not accepted yet
    assert _listed(sample_engine, unit, include_unapproved=True) == ["Kế hoạch bình đẳng giới"]
    _accept(sample_engine, report_id)
    assert _listed(sample_engine, unit) == ["Kế hoạch bình đẳng giới"]

    _reopen(sample_engine, unit, report_id)
    assert _listed(sample_engine, unit) == ["Kế hoạch bình đẳng giới"]  # reopened: still listed
    assert _listed(sample_engine, unit, include_unapproved=True) == ["Kế hoạch bình đẳng giới"]
    _submit(sample_engine, unit, "BHXH", CORRECTED)
    assert _listed(sample_engine, unit) == ["Kế hoạch bình đẳng giới"]
    assert _listed(sample_engine, unit, include_unapproved=True) == ["Kế hoạch (sửa)"]
    _accept(sample_engine, report_id)
    assert _listed(sample_engine, unit) == ["Kế hoạch (sửa)"]


def test_a_report_never_accepted_lists_nothing_without_the_switch(sample_engine: Engine) -> None:
    unit, _ = _fresh_unit(sample_engine, "BHXH")
    me_report = _submit(sample_engine, unit, "BHXH", FIRST)
    version = workflow.open_report(sample_engine, unit, PERIOD, ADMIN).version
    workflow.return_report(
        sample_engine, me_report, "Thiếu số liệu", version=version, identity=ADMIN
    )
    assert _listed(sample_engine, unit) == []
    assert _listed(sample_engine, unit, include_unapproved=True) == []  # returned: not submitted


def test_the_migration_gives_accepted_reports_their_documents(sqlite_sample_engine: Engine) -> None:
    engine = sqlite_sample_engine
    accepted_unit, _ = _fresh_unit(engine, "BHXH")
    submitted_unit, _ = _fresh_unit(engine, "BHXH", skip=1)
    accepted = _submit(engine, accepted_unit, "BHXH", FIRST)
    _accept(engine, accepted)
    submitted = _submit(engine, submitted_unit, "BHXH", CORRECTED)
    schema.downgrade(engine, "0014d-1")
    schema.upgrade(engine)
    with engine.connect() as conn:
        kept: dict[int, object] = dict(
            conn.execute(
                select(Report.id, Report.accepted_documents).where(
                    Report.id.in_([accepted, submitted])
                )
            ).all()
        )
    assert kept == {accepted: FIRST, submitted: None}


def test_a_report_row_without_accepted_documents_is_not_listed(sample_engine: Engine) -> None:
    # A report reopened before the migration: its accepted documents were not kept.
    unit, _ = _fresh_unit(sample_engine, "BHXH")
    report_id = _submit(sample_engine, unit, "BHXH", FIRST)
    _accept(sample_engine, report_id)
    with sample_engine.begin() as conn:
        conn.execute(update(Report).where(Report.id == report_id).values(accepted_documents=None))
        stored = conn.execute(
            text("SELECT accepted_documents IS NULL FROM reports WHERE id = :id"), {"id": report_id}
        ).scalar()
    assert stored  # an SQL NULL, not a JSON null
    assert _listed(sample_engine, unit) == []
