"""Accepting a report over a unit's stored submission changes the summary by that row's own
difference (old row out, new row in), never by recounting its period; the summary still
equals a recount afterwards. On both backends, through the real workflow."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine, and_, select, update

from data_access.auth import Identity
from data_access.db import catalogue
from data_access.db.models import Agency, Period, Unit
from data_access.db.value_tables import refresh_summary, tables
from data_access.reporting import workflow

PERIOD = "2026-H1"
TODAY = dt.date(2026, 7, 1)
SECRETARY = Identity("thuky", "secretariat", ("BHXH",))
KEYS = ["period_id", "agency_id", "province_id", "level"]
FIRST = {"staff_total": "120", "staff_female": "60", "docs_issued": "1", "key_leaders_female": "1"}


def _lonely_unit(engine: Engine) -> str:
    """An active BHXH unit whose summary cell (agency × province × level) has no submission for
    PERIOD yet: what it reports is all its cell holds, so a blank there must stay blank."""
    submissions, _ = tables(catalogue.load(engine.connect()))
    other = Unit.__table__.alias("other")
    with engine.connect() as conn:
        period_id = select(Period.id).where(Period.code == PERIOD).scalar_subquery()
        crowded = (
            select(other.c.id)
            .join(submissions, submissions.c.unit_id == other.c.id)
            .where(
                submissions.c.period_id == period_id,
                and_(
                    other.c.agency_id == Unit.agency_id,
                    other.c.province_id == Unit.province_id,
                    other.c.level == Unit.level,
                ),
            )
            .exists()
        )
        return str(
            conn.execute(
                select(Unit.code)
                .join(Agency, Agency.id == Unit.agency_id)
                .where(Agency.code == "BHXH", Unit.active_to.is_(None), ~crowded)
                .order_by(Unit.code)
                .limit(1)
            ).scalar_one()
        )


def _submit_and_accept(engine: Engine, unit: str, typed: dict[str, str]) -> int:
    me = Identity(f"donvi.{unit.lower()}", "reporter", ("BHXH",), unit=unit)
    report = workflow.open_report(engine, unit, PERIOD, me)
    found = workflow.submit(
        engine, unit, PERIOD, typed, version=report.version, identity=me, today=TODAY
    )
    assert not found.errors, found.errors
    report_id = workflow.open_report(engine, unit, PERIOD, me).id
    assert report_id is not None
    version = workflow.open_report(engine, unit, PERIOD, SECRETARY).version
    workflow.accept(engine, report_id, version=version, identity=SECRETARY, today=TODAY)
    return report_id


def _reopen(engine: Engine, unit: str, report_id: int) -> None:
    version = workflow.open_report(engine, unit, PERIOD, SECRETARY).version
    workflow.reopen(engine, report_id, "Sửa lại số liệu", version=version, identity=SECRETARY)


def _summary(engine: Engine, recount: bool = False) -> pd.DataFrame:
    """The summary rows of PERIOD as stored, or as a recount would leave them (rolled back)."""
    with engine.connect() as conn:
        transaction = conn.begin()
        cat = catalogue.load(conn)
        _, summary = tables(cat)
        period_id = conn.execute(select(Period.id).where(Period.code == PERIOD)).scalar_one()
        if recount:
            refresh_summary(conn, cat, [period_id])
        rows = conn.execute(
            select(summary).where(summary.c.period_id == period_id).order_by(*summary.c[*KEYS])
        ).all()
        transaction.rollback()
    return pd.DataFrame(rows, columns=[c.name for c in summary.columns]).reset_index(drop=True)


def _assert_equals_recount(engine: Engine) -> None:
    pd.testing.assert_frame_equal(
        _summary(engine), _summary(engine, recount=True), check_dtype=False, rtol=1e-9
    )


@pytest.mark.parametrize(
    "second",
    [
        pytest.param({**FIRST, "staff_total": "150", "staff_female": "70"}, id="figures-changed"),
        pytest.param({"staff_total": "150", "staff_female": "70"}, id="figures-blanked"),
        pytest.param(dict(FIRST), id="nothing-changed"),
    ],
)
def test_accept_reopen_accept_leaves_the_summary_equal_to_a_recount(
    sample_engine: Engine, second: dict[str, str]
) -> None:
    unit = _lonely_unit(sample_engine)
    report_id = _submit_and_accept(sample_engine, unit, FIRST)
    _assert_equals_recount(sample_engine)
    _reopen(sample_engine, unit, report_id)
    _assert_equals_recount(sample_engine)
    _submit_and_accept(sample_engine, unit, second)
    _assert_equals_recount(sample_engine)


def test_accepting_over_a_submission_leaves_the_other_cells_alone(sample_engine: Engine) -> None:
    """A recount of the period would rewrite every cell; by difference, a cell the unit is not
    in keeps even a figure planted in it."""
    unit = _lonely_unit(sample_engine)
    report_id = _submit_and_accept(sample_engine, unit, FIRST)
    with sample_engine.begin() as conn:
        cat = catalogue.load(conn)
        _, summary = tables(cat)
        mine = conn.execute(
            select(Unit.agency_id, Unit.province_id, Unit.level).where(Unit.code == unit)
        ).one()
        period_id = conn.execute(select(Period.id).where(Period.code == PERIOD)).scalar_one()
        other = conn.execute(
            select(*summary.c[*KEYS]).where(
                summary.c.period_id == period_id,
                summary.c.province_id != mine.province_id,
                summary.c.staff_total.is_not(None),
            )
        ).first()
        assert other is not None, "the sample has other cells in this period"
        planted = and_(*(summary.c[k] == other._mapping[k] for k in KEYS))
        conn.execute(update(summary).where(planted).values(staff_total=summary.c.staff_total + 7))
    before = _summary(sample_engine).set_index(KEYS)
    _reopen(sample_engine, unit, report_id)
    _submit_and_accept(sample_engine, unit, {**FIRST, "staff_total": "150"})
    after = _summary(sample_engine).set_index(KEYS)
    cell = (period_id, mine.agency_id, mine.province_id, mine.level)
    assert after.loc[cell, "staff_total"] - before.loc[cell, "staff_total"] == 30
    assert after.drop(index=cell).equals(before.drop(index=cell))
