"""Staying signed in, in Chromium: a reload and a new tab keep the user (an HttpOnly,
SameSite=Strict cookie); sign-out, disabling and a password change end the session in the
other tab too."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Cookie, Page, expect

from data_access import auth
from data_access.db.engine import dispose_engine, get_engine
from data_access.sessions import COOKIE_NAME
from tests.e2e.actions import settle
from tests.e2e.server import StreamlitServer, sample_database, wait_for_app

PASSWORD = "mat-khau-e2e-1"
COOKIE_WAIT_SECONDS = 15  # the page hands its code to the cookie route right after signing in


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory, browser) -> Iterator[StreamlitServer]:
    url = sample_database(tmp_path_factory.mktemp("sessions"))
    with StreamlitServer(url) as running:
        warm = browser.new_page()
        warm.goto(running.base_url)
        wait_for_app(warm)
        warm.close()
        yield running


def _engine(server: StreamlitServer):
    return get_engine(server.env["DATABASE_URL"])


def _account(server: StreamlitServer, name: str) -> None:
    auth.create_user(_engine(server), name, "secretariat", PASSWORD, ["BHXH"])
    dispose_engine(server.env["DATABASE_URL"])


def _sign_in(page: Page, base_url: str, name: str) -> None:
    page.goto(base_url)
    settle(page)
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible(timeout=60_000)
    deadline = time.monotonic() + COOKIE_WAIT_SECONDS
    while not _cookie(page) and time.monotonic() < deadline:
        page.wait_for_timeout(200)


def _cookie(page: Page) -> Cookie | None:
    return next((c for c in page.context.cookies() if c["name"] == COOKIE_NAME), None)


def _signed_in(page: Page) -> None:
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible(timeout=60_000)
    expect(page.get_by_label("Tên đăng nhập")).to_have_count(0)


def test_a_reload_and_a_new_tab_keep_the_user(own_server: StreamlitServer, page: Page) -> None:
    _account(own_server, "giulai")
    _sign_in(page, own_server.base_url, "giulai")
    cookie = _cookie(page)
    assert cookie is not None
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert not cookie["secure"]  # plain http on the loopback; https sets it (ui/server.py)
    assert page.evaluate("document.cookie").find(COOKIE_NAME) == -1  # no script can read it
    page.reload()
    settle(page)
    _signed_in(page)
    other = page.context.new_page()
    other.goto(f"{own_server.base_url}/ty-le-gioi")
    settle(other)
    _signed_in(other)
    expect(other.get_by_role("heading", level=1)).to_contain_text("Tỷ lệ giới")


def _sign_out(first: Page, server: StreamlitServer, name: str) -> None:
    first.get_by_role("button", name="Đăng xuất").click()
    expect(first.get_by_label("Tên đăng nhập")).to_be_visible()


def _disable(first: Page, server: StreamlitServer, name: str) -> None:
    auth.set_active(_engine(server), name, False, actor="quantri")
    dispose_engine(server.env["DATABASE_URL"])


def _change_password(first: Page, server: StreamlitServer, name: str) -> None:
    first.get_by_role("link", name="Đổi mật khẩu").click()
    settle(first)
    first.get_by_label("Mật khẩu hiện tại").fill(PASSWORD)
    first.get_by_label("Mật khẩu mới (ít nhất 8 ký tự)").fill("mat-khau-e2e-2")
    first.get_by_label("Nhập lại mật khẩu mới").fill("mat-khau-e2e-2")
    first.get_by_role("button", name="Đổi mật khẩu").click()
    expect(first.get_by_text("Đã đổi mật khẩu")).to_be_visible()
    first.wait_for_timeout(2000)  # the new cookie's handoff
    first.reload()  # this browser's new cookie keeps this tab signed in
    settle(first)
    _signed_in(first)


EVENTS = {"sign-out": _sign_out, "disabling": _disable, "password-change": _change_password}


@pytest.mark.parametrize("event", list(EVENTS))
def test_the_session_ends_in_the_other_tab(
    own_server: StreamlitServer, page: Page, event: str
) -> None:
    name = f"ketthuc-{event}"
    _account(own_server, name)
    _sign_in(page, own_server.base_url, name)
    other = page.context.new_page()
    other.goto(own_server.base_url)
    settle(other)
    _signed_in(other)
    EVENTS[event](page, own_server, name)
    # The next rerun of the other tab (a click, or the watch every 30 s) ends it.
    other.get_by_role("link", name="Tỷ lệ giới").click()
    expect(other.get_by_label("Tên đăng nhập")).to_be_visible(timeout=60_000)
    other.reload()  # and the browser's cookie does not bring it back
    settle(other)
    expect(other.get_by_label("Tên đăng nhập")).to_be_visible()
