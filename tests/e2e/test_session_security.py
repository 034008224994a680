"""Sessions in a real browser (security issue #12, item 14): the very first session after a
start gets the sign-in form (not Streamlit's pages/ listing), responses carry the security
headers, and an idle session leaves the screen with no click."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.actions import settle, sign_in
from tests.e2e.server import StreamlitServer, sample_database, wait_for_app

PAGE_FILES = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "pages").glob("*.py"))
STAFF = "Tỷ lệ nữ – CCVC, người lao động"


@pytest.mark.parametrize("path", ["ty-le-gioi", "gender_ratio", ""])
def test_the_first_session_after_a_start_gets_the_sign_in_form(
    tmp_path: Path, browser, path: str
) -> None:
    """No warm-up here: this is the first session the fresh server ever sees."""
    with StreamlitServer(sample_database(tmp_path)) as fresh:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{fresh.base_url}/{path}")
        wait_for_app(page)
        expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
        expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
        expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
        body = page.inner_text("body")
        for name in PAGE_FILES:
            assert name not in body and name.replace("_", " ") not in body, name
        if path != "gender_ratio":  # an address of the app, not a file name
            assert "Page not found" not in body
        if path == "ty-le-gioi":  # the link still opens the page it names after signing in
            page.get_by_label("Tên đăng nhập").fill("lanhdao")
            page.get_by_label("Mật khẩu").fill("demo-2026")
            page.get_by_role("button", name="Đăng nhập", exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Tỷ lệ giới")
        page.close()


def test_responses_carry_the_security_headers(server) -> None:
    with urllib.request.urlopen(f"{server.base_url}/tong-quan", timeout=10) as response:
        headers = response.headers
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_dashboard_still_draws_its_charts_under_those_headers(server, page) -> None:
    errors: list[str] = []
    page.on(
        "console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None
    )
    sign_in(page, server.base_url, "lanhdao")
    expect(
        page.locator(
            "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"
        ).first
    ).to_be_visible()
    assert errors == []


def test_an_idle_session_leaves_the_screen_without_a_click(tmp_path: Path, browser) -> None:
    idle = {"VSTBPN_IDLE_MINUTES": "0.25"}  # fifteen seconds
    with StreamlitServer(sample_database(tmp_path), extra_env=idle) as short:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        sign_in(page, short.base_url, "lanhdao")
        expect(page.get_by_test_id("stMetric").filter(has_text=STAFF)).to_be_visible()
        # No click from here: the session's own check signs it out and clears the screen.
        expect(page.get_by_label("Tên đăng nhập")).to_be_visible(timeout=60_000)
        settle(page)
        expect(page.get_by_text("Phiên làm việc đã hết hạn")).to_be_visible()
        expect(page.get_by_test_id("stMetric")).to_have_count(0)
        expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(0)
        page.close()
