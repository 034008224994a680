"""Issue #15 in a real browser: a unit's reporter fills Nhập báo cáo (an error under its field,
the share computed, a draft found again after a reload), submits; the secretariat returns it with
a comment on Duyệt báo cáo; the reporter corrects and resubmits; the secretariat accepts; the form
is locked, and the leadership figure moves only then. The form works on a phone (390 px), and a
reporter reaches no other page by its address. Its own server (conftest's, one per module): it
writes."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from data_access import auth
from data_access.db.engine import dispose_engine, get_engine
from data_access.domain.filters import Filters
from data_access.registry.accounts import UNIT_PREFIX
from data_access.reporting import workflow
from data_access.sessions import COOKIE_NAME
from data_access.views.overview import overview
from tests.e2e.actions import go, settle, sign_in
from tests.e2e.server import StreamlitServer
from tests.test_reporting_workflow import _units

Page = Any
PERIOD = workflow.open_periods(dt.date.today())[0]  # the period the form opens on
PASSWORD = "mat-khau-don-vi"
AGENCY = "BHXH"  # the demo secretary thuky's agency
COMMENT = "Thiếu số nữ lãnh đạo, quản lý."
COOKIE_WAIT_SECONDS = 15  # the page hands its code to the cookie route right after signing in
PHONE = {"width": 390, "height": 844}
NOT_FOUND = "Page not found"


def _database(server: StreamlitServer) -> str:
    return server.env["DATABASE_URL"]


def _reporter(server: StreamlitServer, unit: str) -> str:
    """The unit's reporter account, created once through data_access (as the admin page does)."""
    engine = get_engine(_database(server))
    name = f"{UNIT_PREFIX}{unit.lower()}"
    if auth.identity_for(engine, name) is None:
        auth.create_user(engine, name, "reporter", PASSWORD, unit=unit)
    dispose_engine(_database(server))
    return name


def _unit_name(server: StreamlitServer, unit: str) -> str:
    engine = get_engine(_database(server))
    identity = auth.identity_for(engine, _reporter(server, unit))
    assert identity is not None
    return workflow.open_report(engine, unit, PERIOD, identity).unit_name


def _staff_on_dashboards(server: StreamlitServer) -> int:
    """The staff total the overview's key figures read for the form's period and agency."""
    latest = overview(
        get_engine(_database(server)), Filters(periods=(PERIOD,), agencies=(AGENCY,))
    ).latest
    dispose_engine(_database(server))
    return 0 if latest is None else int(latest["staff_total"])


def _sign_in_reporter(page: Page, server: StreamlitServer, name: str, path: str = "") -> None:
    page.goto(f"{server.base_url}/{path}")
    settle(page)
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible(timeout=60_000)
    settle(page)


def _wait_for_cookie(page: Page) -> None:
    """A reload keeps the user once the session cookie is written (ui/server.py)."""
    deadline = time.monotonic() + COOKIE_WAIT_SECONDS
    while time.monotonic() < deadline:
        if any(c["name"] == COOKIE_NAME for c in page.context.cookies()):
            return
        page.wait_for_timeout(200)
    raise AssertionError("the session cookie was not written")


def _field(page: Page, code: str) -> Any:
    # The widget key is f_<code>_<unit>_<period>_<version> (pages/report_form.py); while a run replaces
    # the form, the previous run's field may linger, marked stale.
    return page.locator(f"[class*='st-key-f_{code}_']:not([data-stale='true']) input")


def _type(page: Page, code: str, value: str) -> None:
    box = _field(page, code)
    box.click()  # a click, not only a fill: nothing may cover the field (the phone's sidebar did)
    box.fill(value)
    box.press("Enter")  # Streamlit takes a text input's value on Enter or leaving the field
    settle(page)


def _pair_row(page: Page, total_code: str) -> Any:
    # Ancestors come before descendants: the last row holding the field is its own.
    return page.get_by_test_id("stHorizontalBlock").filter(has=_field(page, total_code)).last


def _column(page: Page, code: str) -> Any:
    return page.get_by_test_id("stColumn").filter(has=_field(page, code)).last


def _status(page: Page, state: str) -> None:
    expect(page.get_by_text(f"Trạng thái: {state}")).to_be_visible(timeout=60_000)


def _open_report_on_the_desk(desk: Page, unit: str) -> None:
    go(desk, "Duyệt báo cáo")
    box = desk.get_by_role("combobox", name="Báo cáo", exact=True)
    box.click()
    desk.get_by_role("option", name=re.compile(re.escape(f"({unit})"))).first.click()
    settle(desk)
    expect(box).to_have_value(re.compile(re.escape(f"({unit})")))


@pytest.mark.slow  # about half a minute: two people, five steps, each waiting for the app
def test_a_report_goes_from_the_form_through_approval(server, browser, page) -> None:
    unit = _units(get_engine(_database(server)), AGENCY, PERIOD)[0]
    reporter = _reporter(server, unit)
    before = _staff_on_dashboards(server)

    _sign_in_reporter(page, server, reporter)
    expect(page.get_by_role("heading", name="Nhập báo cáo", level=1)).to_be_visible()
    expect(page.get_by_text(_unit_name(server, unit))).to_be_visible()

    # Female above total: the error stands under "Nữ", in its column, and submitting waits.
    _type(page, "staff_total", "80")
    _type(page, "staff_female", "90")
    female_column = _column(page, "staff_female")
    error = female_column.get_by_test_id("stAlert").filter(has_text="lớn hơn tổng số")
    expect(error).to_be_visible()
    expect(_column(page, "staff_total").get_by_text("lớn hơn tổng số")).to_have_count(0)
    field_box, error_box = _field(page, "staff_female").bounding_box(), error.bounding_box()
    assert field_box is not None and error_box is not None
    assert error_box["y"] >= field_box["y"] + field_box["height"]
    assert abs(error_box["x"] - field_box["x"]) < field_box["width"] / 2
    expect(page.get_by_role("button", name="Gửi duyệt")).to_be_disabled()

    # Corrected: the error goes and the share is computed beside the pair.
    _type(page, "staff_female", "30")
    expect(error).to_have_count(0)
    expect(_pair_row(page, "staff_total").get_by_test_id("stMetricValue")).to_have_text("37,5%")

    # A draft, found again after a reload.
    _type(page, "docs_issued", "7")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã lưu bản nháp.")).to_be_visible(timeout=60_000)
    _wait_for_cookie(page)
    page.reload()
    settle(page)
    _status(page, workflow.STATE_LABELS_VI["draft"])
    expect(_field(page, "docs_issued")).to_have_value("7")
    expect(_field(page, "staff_female")).to_have_value("30")

    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.get_by_text("Đã gửi báo cáo cho Ban thư ký.")).to_be_visible(timeout=60_000)
    _status(page, workflow.STATE_LABELS_VI["submitted"])
    assert _staff_on_dashboards(server) == before

    # The secretariat returns it with a comment.
    desk = browser.new_context(viewport={"width": 1440, "height": 900}, locale="vi-VN").new_page()
    desk.set_default_timeout(30_000)
    sign_in(desk, server.base_url, "thuky")
    _open_report_on_the_desk(desk, unit)
    comment = desk.get_by_label("Ý kiến khi trả lại (đơn vị sẽ thấy trên biểu mẫu)")
    comment.fill(COMMENT)
    comment.press("Control+Enter")  # a text area's value is taken on Ctrl+Enter
    settle(desk)
    desk.get_by_role("button", name="Trả lại").click()
    expect(desk.get_by_text("Đã trả lại báo cáo của")).to_be_visible(timeout=60_000)
    assert _staff_on_dashboards(server) == before

    # The reporter sees the comment on the form, corrects and resubmits.
    page.reload()
    settle(page)
    _status(page, workflow.STATE_LABELS_VI["returned"])
    expect(page.get_by_text(f"Ban thư ký trả lại báo cáo: {COMMENT}")).to_be_visible()
    _type(page, "managers_female", "4")
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.get_by_text("Đã gửi báo cáo cho Ban thư ký.")).to_be_visible(timeout=60_000)
    assert _staff_on_dashboards(server) == before

    # Accepted: the dashboards read it now, and the form is locked.
    _open_report_on_the_desk(desk, unit)
    desk.get_by_role("button", name="Duyệt", exact=True).click()
    expect(desk.get_by_text("Đã duyệt báo cáo của")).to_be_visible(timeout=60_000)
    desk.context.close()
    assert _staff_on_dashboards(server) == before + 80

    page.reload()
    settle(page)
    _status(page, workflow.STATE_LABELS_VI["accepted"])
    expect(page.get_by_text("Báo cáo đã được duyệt và khoá.")).to_be_visible()
    expect(_field(page, "staff_total")).to_be_disabled()
    expect(_field(page, "staff_total")).to_have_value("80")
    expect(page.get_by_role("button", name="Gửi duyệt")).to_have_count(0)
    expect(page.get_by_role("button", name="Lưu nháp")).to_have_count(0)


def _horizontal_overflow(page: Page) -> int:
    return int(page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth"))


def _widest_field_right_edge(page: Page) -> float:
    """How far right the form's inputs and buttons reach (a cut field reaches past the screen)."""
    return float(
        page.evaluate(
            """Math.max(...Array.from(
                document.querySelectorAll("[data-testid='stMain'] input, "
                    + "[data-testid='stMain'] textarea, [data-testid='stMain'] button"),
                e => e.getBoundingClientRect().right))"""
        )
    )


def test_the_form_is_usable_on_a_phone(server, browser) -> None:
    unit = _units(get_engine(_database(server)), AGENCY, PERIOD)[1]
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        _sign_in_reporter(page, server, _reporter(server, unit))
        expect(page.get_by_role("heading", name="Nhập báo cáo", level=1)).to_be_visible()
        # The menu starts folded on a phone: the form is not under it.
        expect(page.get_by_test_id("stSidebarNav")).not_to_be_in_viewport()
        _type(page, "staff_total", "40")
        _type(page, "staff_female", "50")
        expect(
            _column(page, "staff_female").get_by_test_id("stAlert").filter(has_text="lớn hơn")
        ).to_be_visible()
        _type(page, "staff_female", "10")
        expect(_pair_row(page, "staff_total").get_by_test_id("stMetricValue")).to_have_text("25,0%")
        submit = page.get_by_role("button", name="Gửi duyệt")
        submit.scroll_into_view_if_needed()
        expect(submit).to_be_in_viewport()
        expect(submit).to_be_enabled()
        assert _horizontal_overflow(page) <= 0
        assert _widest_field_right_edge(page) <= PHONE["width"]
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "foreign"),
    [
        ("tong-quan", "Tổng quan bình đẳng giới"),
        ("duyet-bao-cao", "Duyệt báo cáo"),
        ("tai-du-lieu", "Tải dữ liệu lên"),
        ("tai-khoan", "Tài khoản"),
    ],
)
def test_a_reporter_reaches_no_other_page_by_its_address(
    server, page, path: str, foreign: str
) -> None:
    mine = _units(get_engine(_database(server)), AGENCY, PERIOD)[0]
    _sign_in_reporter(page, server, _reporter(server, mine))
    _wait_for_cookie(page)
    page.goto(f"{server.base_url}/{path}")
    settle(page)
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    expect(page.get_by_role("heading", name=foreign, level=1)).to_have_count(0)
    assert NOT_FOUND not in page.inner_text("body")


def test_a_link_naming_another_unit_opens_the_reporters_own_form(server, page) -> None:
    mine, other = _units(get_engine(_database(server)), AGENCY, PERIOD)[:2]
    _sign_in_reporter(page, server, _reporter(server, mine), f"nhap-bao-cao?unit={other}")
    expect(page.get_by_role("heading", name="Nhập báo cáo", level=1)).to_be_visible()
    expect(page.get_by_text(_unit_name(server, mine))).to_be_visible()
    expect(page.get_by_text(_unit_name(server, other))).to_have_count(0)
