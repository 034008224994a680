"""The form's stock figures come from the unit's latest earlier report: the previous period's,
or an older one when the unit skipped it (issue #15, item 2), and the form names that report."""

from __future__ import annotations

from sqlalchemy import Engine, delete, select

from data_access.auth import Identity
from data_access.db import catalogue
from data_access.db.models import Agency, Period, Unit
from data_access.db.value_tables import tables
from data_access.reporting import workflow

PERIOD = "2026-H1"


def _unit_and_staff(engine: Engine) -> tuple[str, int, dict[str, int]]:
    """A BHXH unit without a 2026-H1 report but with 2025-Y and 2025-H1 ones: its code, id and
    staff totals by period."""
    with engine.connect() as conn:
        submissions, _ = tables(catalogue.load(conn))
        rows = conn.execute(
            select(Unit.code, Unit.id, Period.code, submissions.c.staff_total)
            .join(submissions, submissions.c.unit_id == Unit.id)
            .join(Period, Period.id == submissions.c.period_id)
            .join(Agency, Agency.id == Unit.agency_id)
            .where(Agency.code == "BHXH", submissions.c.staff_total.is_not(None))
            .order_by(Unit.code)
        ).all()
    by_unit: dict[tuple[str, int], dict[str, int]] = {}
    for code, unit_id, period, staff in rows:
        by_unit.setdefault((code, unit_id), {})[period] = int(staff)
    for (code, unit_id), staff in by_unit.items():
        if PERIOD not in staff and {"2025-Y", "2025-H1"} <= set(staff):
            return code, unit_id, staff
    raise AssertionError("the sample has no such unit")


def _forget(engine: Engine, unit_id: int, period: str) -> None:
    """Remove the unit's stored report of `period` (test set-up: a unit that skipped it)."""
    with engine.begin() as conn:
        submissions, _ = tables(catalogue.load(conn))
        period_id = select(Period.id).where(Period.code == period).scalar_subquery()
        conn.execute(
            delete(submissions).where(
                submissions.c.unit_id == unit_id, submissions.c.period_id == period_id
            )
        )


def test_prefill_from_the_latest_earlier_report(sample_engine: Engine) -> None:
    code, unit_id, staff = _unit_and_staff(sample_engine)
    me = Identity(f"donvi.{code.lower()}", "reporter", ("BHXH",), unit=code)

    fresh = workflow.open_report(sample_engine, code, PERIOD, me)
    assert fresh.prefilled_from == "2025-Y"
    assert fresh.fields["staff_total"] == str(staff["2025-Y"])

    _forget(sample_engine, unit_id, "2025-Y")  # the unit skipped its annual report
    skipped = workflow.open_report(sample_engine, code, PERIOD, me)
    assert skipped.prefilled_from == "2025-H1"
    assert skipped.fields["staff_total"] == str(staff["2025-H1"])
    assert "staff_total" in skipped.prefilled


def test_no_earlier_report_no_prefill(sample_engine: Engine) -> None:
    code, unit_id, staff = _unit_and_staff(sample_engine)
    me = Identity(f"donvi.{code.lower()}", "reporter", ("BHXH",), unit=code)
    for period in staff:
        _forget(sample_engine, unit_id, period)
    fresh = workflow.open_report(sample_engine, code, PERIOD, me)
    assert fresh.prefilled_from is None and fresh.prefilled == [] and fresh.fields == {}
