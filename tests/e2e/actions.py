"""Small steps a person takes in the app, each waiting for Streamlit to finish (no sleeps)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.e2e.server import wait_for_app

Page = Any
DEMO_PASSWORD = "demo-2026"


def settle(page: Page) -> None:
    wait_for_app(page)


def sign_in(page: Page, base_url: str, username: str, path: str = "") -> None:
    page.goto(f"{base_url}/{path}")
    settle(page)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible(timeout=60_000)
    settle(page)


def menu(page: Page) -> list[str]:
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible()
    # Each link holds its Material icon's ligature text first, then the title.
    return [t.strip().splitlines()[-1].strip() for t in nav.locator("a").all_inner_texts()]


def metric_value(page: Page, label: str) -> Any:
    """The value of the metric labelled `label` as the app shows it now: during a rerun the
    element it replaces may still be on the page, marked stale (two matches then)."""
    fresh = page.locator("[data-testid='stElementContainer']:not([data-stale='true'])")
    block = fresh.get_by_test_id("stMetric").filter(has_text=label).first
    return block.get_by_test_id("stMetricValue")


def metric(page: Page, label: str) -> str:
    return str(metric_value(page, label).inner_text()).strip()


def go(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    settle(page)


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option in a multiselect or selectbox labelled `label`."""
    box = page.get_by_test_id("stMultiSelect").filter(has_text=label).first
    wanted = page.get_by_role("option", name=option).first
    # A rerun that lands just after the click (the sign-in cookie's, say) redraws the widget and
    # closes its list: open it again rather than wait for an option that is gone.
    for _ in range(3):
        box.locator("input").click()
        try:
            wanted.wait_for(state="visible", timeout=10_000)
            break
        except PlaywrightTimeout:
            settle(page)
    wanted.click()
    page.keyboard.press("Escape")
    settle(page)
