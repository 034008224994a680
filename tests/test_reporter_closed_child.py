"""A child reporting through its parent and closed since: its parent's reporter still enters its
report for a period it was open on the due date of (it was expected, and a late report must stay
possible), and for no other; by data_access call, on the form page, and by a stale widget value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from data_access.auth import Identity, PermissionDenied
from data_access.domain.periods import PeriodCode
from data_access.registry import changes
from data_access.registry.changes import NewUnit
from data_access.reporting import workflow
from tests.apptest import APP, TIMEOUT
from tests.test_reporter_children_scope import _names, _reporter
from tests.test_reporting_workflow import GOOD, TODAY, _units

OPENED = dt.date(2025, 7, 1)
# Open on 15/06/2026 (the half-year's due date), closed before 30/11/2026 (the year's).
CLOSED = dt.date(2026, 8, 31)
HALF, YEAR, LAST_YEAR = "2026-H1", "2026-Y", "2025-Y"


def _closed_child(engine: Engine, closed: dt.date = CLOSED) -> tuple[str, str, str]:
    """(parent, closed child reporting through it, a sibling of the parent)."""
    parent, sibling = _units(engine, "BHXH")
    child = f"{parent}-DONG"
    spec = NewUnit(
        child, "Tổ BHXH xã Đóng", province_code="01", level="district", parent_code=parent
    )
    changes.create(engine, spec, "BHXH", OPENED, user="test")
    changes.set_reports_via_parent(engine, child, True, user="test")
    changes.close(engine, child, closed, user="test")
    return parent, child, sibling


def _calls(engine: Engine, code: str, period: str, who: Identity) -> list[Callable[[], object]]:
    return [
        lambda: workflow.open_report(engine, code, period, who),
        lambda: workflow.check(engine, code, period, GOOD, identity=who),
        lambda: workflow.save_draft(engine, code, period, GOOD, version=0, identity=who),
        lambda: workflow.submit(engine, code, period, GOOD, version=0, identity=who, today=TODAY),
    ]


def test_offered_for_the_periods_it_was_open_on_the_due_date_of(sample_engine: Engine) -> None:
    parent, child, _ = _closed_child(sample_engine)
    me = _reporter(sample_engine, parent)
    units = workflow.reporting_units(sample_engine, me, [YEAR, HALF, LAST_YEAR])
    assert [(u.code, u.periods) for u in units] == [
        (parent, (YEAR, HALF, LAST_YEAR)),
        (child, (HALF, LAST_YEAR)),  # not 2026-Y: closed before its due date
    ]
    assert units[0].closed_note_vi == ""
    # Its last day open is the day before the closing took effect.
    assert units[1].closed_note_vi.startswith("Đơn vị hoạt động đến hết ngày 30/08/2026:")
    # Asked only about periods after its closing: not offered at all.
    assert [u.code for u in workflow.reporting_units(sample_engine, me, [YEAR])] == [parent]


def test_the_parent_submits_its_late_half_year_report(sample_engine: Engine) -> None:
    parent, child, _ = _closed_child(sample_engine)
    me = _reporter(sample_engine, parent)
    assert workflow.open_report(sample_engine, child, HALF, me).state == "new"
    assert not workflow.check(sample_engine, child, HALF, GOOD, identity=me).errors
    report_id = workflow.save_draft(sample_engine, child, HALF, GOOD, version=0, identity=me)
    found = workflow.submit(sample_engine, child, HALF, GOOD, version=1, identity=me, today=TODAY)
    assert not found.errors
    assert workflow.open_report(sample_engine, child, HALF, me).state == "submitted"
    assert workflow.history(sample_engine, report_id, me)["action"].tolist() == ["save", "submit"]


@pytest.mark.parametrize("step", ["open", "check", "save", "submit"])
def test_refused_for_a_period_after_it_closed(sample_engine: Engine, step: str) -> None:
    parent, child, _ = _closed_child(sample_engine)
    me = _reporter(sample_engine, parent)
    steps = ["open", "check", "save", "submit"]
    call = dict(zip(steps, _calls(sample_engine, child, YEAR, me), strict=True))
    with pytest.raises(PermissionDenied):
        call[step]()


def test_another_reporter_never_reaches_it(sample_engine: Engine) -> None:
    parent, child, sibling = _closed_child(sample_engine)
    mine = _reporter(sample_engine, parent)
    report_id = workflow.save_draft(sample_engine, child, HALF, GOOD, version=0, identity=mine)
    theirs = _reporter(sample_engine, sibling)
    assert child not in [u.code for u in workflow.reporting_units(sample_engine, theirs, [HALF])]
    for call in _calls(sample_engine, child, HALF, theirs):
        with pytest.raises(PermissionDenied):
            call()
    with pytest.raises(PermissionDenied):
        workflow.history(sample_engine, report_id, theirs)


def _page_dates() -> tuple[dt.date, str, list[str]]:
    """A closing date that leaves the child one open period whatever day the suite runs: last
    year's annual report (always open, due 30/11) but not this year's two."""
    today = dt.date.today()
    last_year = PeriodCode(today.year - 1, "Y")
    return dt.date(today.year - 1, 12, 31), str(last_year), workflow.open_periods(today)


def test_the_form_offers_it_with_its_one_open_period(app_db: Engine) -> None:
    closed, last_year, open_now = _page_dates()
    parent, child, _ = _closed_child(app_db, closed)
    me = _reporter(app_db, parent)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["identity"] = me
    at.run()
    assert at.selectbox(key="report_unit").options == _names(app_db, parent, child)
    assert len(at.selectbox(key="period").options) == len(open_now)
    at.selectbox(key="report_unit").set_value(child).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="period").value == last_year
    assert len(at.selectbox(key="period").options) == 1
    captions = " ".join(c.value for c in at.caption)
    assert _names(app_db, child)[0] in captions
    assert f"đến hết ngày {closed - dt.timedelta(days=1):%d/%m/%Y}" in captions


def test_a_stale_period_for_it_shows_nothing_of_that_period(app_db: Engine) -> None:
    closed, last_year, open_now = _page_dates()
    parent, child, _ = _closed_child(app_db, closed)
    me = _reporter(app_db, parent)
    stale = next(p for p in open_now if p != last_year)
    # Set before the first run, as a session left on another unit's period would hold it.
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["identity"] = me
    at.session_state["report_unit"] = child
    at.session_state["period"] = stale
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Nhập báo cáo"
    shown = " ".join(c.value for c in at.caption)
    assert _names(app_db, child)[0] in shown
    assert workflow.period_label(last_year) in shown
    assert workflow.period_label(stale) not in shown
