"""Nhập báo cáo and Duyệt báo cáo under AppTest: the real app, as a unit's reporter and as the
secretariat, on the sample database."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from data_access import auth
from data_access.auth import Identity
from data_access.reporting import workflow
from tests.apptest import ROOT, SECRETARIAT_BHXH, TIMEOUT, VIEWER, open_app
from tests.test_reporting_workflow import _summary_staff, _units
from ui import password

PERIOD = workflow.open_periods(dt.date.today())[0]


def _reporter(engine: Engine, unit: str) -> Identity:
    """The unit's reporter account (created once): the app checks the account on every run."""
    name = f"donvi.{unit.lower()}"
    if auth.identity_for(engine, name) is None:
        auth.create_user(engine, name, "reporter", "mat-khau-dai", unit=unit)
    return Identity(name, "reporter", ("BHXH",), unit=unit)


def _field(at, code: str):
    return next(w for w in at.text_input if str(w.key).startswith(f"f_{code}_"))


def test_a_reporter_lands_on_its_own_form_and_nothing_else(app_db: Engine) -> None:
    mine, other = _units(app_db, "BHXH", PERIOD)
    # A link naming another unit changes nothing: the form is always the signed-in unit's.
    at = open_app(_reporter(app_db, mine), query={"unit": other, "don_vi": other})
    assert at.title[0].value == "Nhập báo cáo"
    assert any("Dữ liệu mẫu" in str(e.value) for e in [*at.markdown, *at.caption])
    caption = " ".join(c.value for c in at.caption)
    assert workflow.open_report(app_db, mine, PERIOD, _reporter(app_db, mine)).unit_name in caption
    assert (
        workflow.open_report(app_db, other, PERIOD, _reporter(app_db, other)).unit_name
        not in caption
    )
    labels = [w.label for w in at.text_input]
    assert "Tổng số" in labels and "Nữ" in labels
    # Only the form's and the glossary's scripts (and the account's own password page): no
    # dashboard, upload or approval page answers for a reporter; their addresses only say so
    # (app.outside_role).
    with pytest.raises(ValueError, match="Known pages") as refused:
        at.switch_page(str(ROOT / "pages/approval.py"))
    known = re.findall(r"'([^']*)'", str(refused.value).split("Known pages:")[1])
    assert [Path(k).name for k in known if k.endswith(".py")] == ["report_form.py", "glossary.py"]
    assert password.URL_PATH in known and "duyet-bao-cao" in known


def test_an_error_is_shown_under_its_field_and_blocks_submitting(app_db: Engine) -> None:
    unit = _units(app_db, "BHXH", PERIOD)[0]
    at = open_app(_reporter(app_db, unit))
    _field(at, "staff_total").input("10").run()
    _field(at, "staff_female").input("12").run()
    assert any("lớn hơn tổng số" in e.value for e in at.error)
    assert at.button(key="submit").disabled
    _field(at, "staff_female").input("5").run()
    assert not any("lớn hơn tổng số" in e.value for e in at.error)
    assert any(m.label == "Tỷ lệ nữ" and m.value == "50,0%" for m in at.metric)


def test_a_draft_saved_is_found_again_in_a_new_session(app_db: Engine) -> None:
    unit = _units(app_db, "BHXH", PERIOD)[0]
    at = open_app(_reporter(app_db, unit))
    _field(at, "docs_issued").input("7").run()
    at.button(key="save").click().run()
    assert any("Đã lưu bản nháp" in s.value for s in at.success)
    again = open_app(_reporter(app_db, unit))
    assert _field(again, "docs_issued").value == "7"
    assert "Bản nháp" in " ".join(m.value for m in again.markdown)


def test_submit_return_correct_accept_and_the_dashboards_change_only_then(
    app_db: Engine,
) -> None:
    unit = _units(app_db, "BHXH", PERIOD)[0]
    me = _reporter(app_db, unit)
    before = _summary_staff(app_db, PERIOD)
    at = open_app(me)
    # Every pair typed whole: the form prefills stocks from the unit's latest report (2025-Y),
    # whose female managers would otherwise stand above the 10 typed here.
    typed = {
        "staff_total": "80",
        "staff_female": "30",
        "managers_total": "10",
        "managers_female": "4",
    }
    for code, value in typed.items():
        _field(at, code).input(value).run()
    at.button(key="submit").click().run()
    assert any("Đã gửi" in s.value for s in at.success)
    assert _summary_staff(app_db, PERIOD) == before

    desk = open_app(SECRETARIAT_BHXH, "pages/approval.py")
    assert desk.title[0].value == "Duyệt báo cáo"
    desk.selectbox(key="chosen").select_index(_index(desk, unit)).run()
    desk.text_area(key="comment").input("Thiếu số nữ lãnh đạo.").run()
    desk.button(key="return").click().run()
    assert _summary_staff(app_db, PERIOD) == before

    at = open_app(me)
    assert any("Thiếu số nữ lãnh đạo" in w.value for w in at.warning)
    _field(at, "managers_female").input("4").run()
    at.button(key="submit").click().run()

    desk = open_app(SECRETARIAT_BHXH, "pages/approval.py")
    desk.selectbox(key="chosen").select_index(_index(desk, unit)).run()
    desk.button(key="accept").click().run()
    assert any("Đã duyệt" in s.value for s in desk.success)
    assert _summary_staff(app_db, PERIOD) == before + 80

    at = open_app(me)
    assert "Đã duyệt" in " ".join(m.value for m in at.markdown)
    assert _field(at, "staff_total").disabled


@pytest.mark.parametrize("who", ["viewer", "reporter"])
def test_the_approval_page_refuses_other_roles_run_directly(app_db: Engine, who: str) -> None:
    """Even run outside the router, the page checks the role before reading anything."""
    identity = VIEWER if who == "viewer" else _reporter(app_db, _units(app_db, "BHXH", PERIOD)[0])
    at = AppTest.from_file(str(ROOT / "pages/approval.py"), default_timeout=TIMEOUT)
    at.session_state["identity"] = identity
    at.run()
    assert not at.title and any("không có quyền" in e.value for e in at.error)


def _index(desk, unit: str) -> int:
    options = desk.selectbox(key="chosen").options
    return next(i for i, text in enumerate(options) if f"({unit})" in text)
