"""The switch "gồm báo cáo chưa duyệt": off, the dashboards read accepted figures only; on,
submitted reports stand in for the accepted figures of their unit and period. Hand-computed
from one accepted and one submitted report, on both backends."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from data_access.auth import Identity
from data_access.db import catalogue
from data_access.db.models import Agency, Period, Unit
from data_access.db.value_tables import tables
from data_access.domain.filters import Filters
from data_access.queries import aggregate as aggregate_query
from data_access.queries.lookups import data_version
from data_access.reporting import workflow

PERIOD = "2026-H1"
TODAY = dt.date(2026, 7, 1)
SECRETARY = Identity("thuky", "secretariat", ("BHXH",))


def _fresh_units(engine: Engine) -> list[str]:
    """Two BHXH units with no submission for PERIOD."""
    submissions, _ = tables(catalogue.load(engine.connect()))
    with engine.connect() as conn:
        period_id = select(Period.id).where(Period.code == PERIOD).scalar_subquery()
        done = select(submissions.c.unit_id).where(submissions.c.period_id == period_id)
        return list(
            conn.execute(
                select(Unit.code)
                .join(Agency, Agency.id == Unit.agency_id)
                .where(Agency.code == "BHXH", Unit.id.not_in(done), Unit.active_to.is_(None))
                .order_by(Unit.code)
                .limit(2)
            ).scalars()
        )


def _reporter(unit: str) -> Identity:
    return Identity(f"donvi.{unit.lower()}", "reporter", ("BHXH",), unit=unit)


def _submit(engine: Engine, unit: str, staff: int, female: int) -> int:
    me = _reporter(unit)
    report = workflow.open_report(engine, unit, PERIOD, me)
    typed = {"staff_total": str(staff), "staff_female": str(female), "docs_issued": "1"}
    found = workflow.submit(
        engine, unit, PERIOD, typed, version=report.version, identity=me, today=TODAY
    )
    assert not found.errors, found.errors
    return workflow.open_report(engine, unit, PERIOD, me).id or 0


def _accept(engine: Engine, report_id: int) -> None:
    version = int(workflow.queue(engine, SECRETARY).set_index("id").loc[report_id, "version"])
    workflow.accept(engine, report_id, version=version, identity=SECRETARY, today=TODAY)


def _totals(engine: Engine, f: Filters, by: tuple[str, ...] = ("period",)) -> dict[str, int]:
    frame = aggregate_query.aggregate(
        engine, f, by=by, indicators=["staff_total", "staff_female", "docs_issued"]
    )
    row = frame.iloc[0] if len(frame) else None
    if row is None:
        return {"n_units": 0, "staff_total": 0, "staff_female": 0, "docs_issued": 0}
    return {k: int(row[k]) for k in ("n_units", "staff_total", "staff_female", "docs_issued")}


def _plus(base: dict[str, int], **more: int) -> dict[str, int]:
    return {k: base[k] + more.get(k, 0) for k in base}


def test_the_switch_overlays_submitted_reports_on_accepted_figures(sample_engine: Engine) -> None:
    a, b = _fresh_units(sample_engine)
    accepted_only = Filters(periods=(PERIOD,), agencies=("BHXH",))
    with_pending = accepted_only.with_(include_unapproved=True)
    base = _totals(sample_engine, accepted_only)
    assert _totals(sample_engine, with_pending) == base

    report_a = _submit(sample_engine, a, 120, 60)
    _accept(sample_engine, report_a)
    _submit(sample_engine, b, 80, 30)
    # A: accepted 120/60; B: submitted 80/30.
    assert _totals(sample_engine, accepted_only) == _plus(
        base, n_units=1, staff_total=120, staff_female=60, docs_issued=1
    )
    assert _totals(sample_engine, with_pending) == _plus(
        base, n_units=2, staff_total=200, staff_female=90, docs_issued=2
    )
    assert aggregate_query.unapproved_count(sample_engine, with_pending) == 1
    assert aggregate_query.unapproved_count(sample_engine, accepted_only) == 0

    # A reopened and submitted again at 150/70: its new figures replace its accepted ones only
    # with the switch on; off, the accepted 120/60 stay.
    version = workflow.open_report(sample_engine, a, PERIOD, SECRETARY).version
    workflow.reopen(sample_engine, report_a, "Sửa số liệu", version=version, identity=SECRETARY)
    _submit(sample_engine, a, 150, 70)
    assert _totals(sample_engine, accepted_only) == _plus(
        base, n_units=1, staff_total=120, staff_female=60, docs_issued=1
    )
    assert _totals(sample_engine, with_pending) == _plus(
        base, n_units=2, staff_total=230, staff_female=100, docs_issued=2
    )
    assert aggregate_query.unapproved_count(sample_engine, with_pending) == 2

    # Unit by unit (read from the submissions, not the summary), the same overlay.
    by_unit = ("unit", "period")
    frame = aggregate_query.aggregate(
        sample_engine, with_pending.with_(units=(a, b)), by=by_unit, indicators=["staff_total"]
    )
    assert dict(zip(frame["unit_code"], frame["staff_total"], strict=True)) == {a: 150, b: 80}
    frame = aggregate_query.aggregate(
        sample_engine, accepted_only.with_(units=(a, b)), by=by_unit, indicators=["staff_total"]
    )
    assert dict(zip(frame["unit_code"], frame["staff_total"], strict=True)) == {a: 120}


def test_a_submission_changes_the_data_version(sample_engine: Engine) -> None:
    """The overlay is cached by data version: a report submitted (or returned) must change it."""
    before = data_version(sample_engine)
    _submit(sample_engine, _fresh_units(sample_engine)[0], 10, 5)
    assert data_version(sample_engine) != before


@pytest.mark.parametrize("flag", [False, True])
def test_the_switch_is_part_of_the_cache_key(flag: bool) -> None:
    assert Filters(include_unapproved=flag) != Filters(include_unapproved=not flag)
