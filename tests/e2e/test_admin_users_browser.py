"""Tài khoản in a real browser (#15, #17 item 7): a reporter account made through the unit
picker; a refused one keeps what was typed, a made one says so and empties the form — in the
browser, whose widgets keep their own values (AppTest cannot see that). Its own server: it writes."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e.actions import settle, sign_in
from tests.e2e.server import StreamlitServer

Page = Any
PASSWORD_LABEL = "Mật khẩu (ít nhất"


def _pick(page: Page, label: str, option: str) -> None:
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True)).first
    box.locator("input").fill(option)
    page.get_by_role("option").filter(has_text=option).first.click()
    settle(page)


def test_a_reporter_account_through_the_unit_picker(page: Page, server: StreamlitServer) -> None:
    sign_in(page, server.base_url, "quantri", "tai-khoan")
    _pick(page, "Vai trò", "Đơn vị báo cáo")
    # Only the shown tab's panel (role locators skip the hidden "Sửa tài khoản").
    expect(page.get_by_role("tabpanel").get_by_text("Phạm vi ngành", exact=True)).to_have_count(0)
    _pick(page, "Ngành của đơn vị", "Thi hành án")
    _pick(page, "Đơn vị", "Cục THADS thành phố Hà Nội")
    page.get_by_label("Tên đăng nhập").first.fill("donvi.thads.hanoi")
    page.get_by_label("Họ tên").fill("Nguyễn Thị Báo Cáo")
    page.get_by_label(PASSWORD_LABEL).fill("ngan")
    page.get_by_role("button", name="Tạo tài khoản").click()
    settle(page)
    expect(page.get_by_text("Mật khẩu phải có ít nhất")).to_be_visible()
    expect(page.get_by_label("Tên đăng nhập").first).to_have_value("donvi.thads.hanoi")
    expect(page.get_by_label("Họ tên")).to_have_value("Nguyễn Thị Báo Cáo")

    page.get_by_label(PASSWORD_LABEL).fill("mat-khau-du-dai")
    page.get_by_role("button", name="Tạo tài khoản").click()
    settle(page)
    done = page.get_by_text("Đã tạo tài khoản donvi.thads.hanoi")
    expect(done).to_be_visible()
    expect(done).to_contain_text("Cục THADS thành phố Hà Nội — Hà Nội · THADS-HANOI")
    # The form starts again, empty, on the first role, as the page's own state says.
    expect(page.get_by_label("Tên đăng nhập").first).to_have_value("")
    expect(page.get_by_label("Họ tên")).to_have_value("")
    expect(page.get_by_label(PASSWORD_LABEL)).to_have_value("")
    expect(page.get_by_role("tabpanel").get_by_text("Ngành của đơn vị", exact=True)).to_have_count(
        0
    )
    panel = page.get_by_role("tabpanel")
    role = panel.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Vai trò", exact=True))
    expect(role.locator("input")).to_have_value("Lãnh đạo (xem)")
