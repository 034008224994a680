"""Browser fixtures: one app server per module on a fresh sample database, a fresh browser page per
test, and on failure a screenshot and the page HTML under test-results/."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.server import (
    CHROMIUM_ARGS,
    ROOT,
    StreamlitServer,
    chromium_path,
    sample_database,
    wait_for_app,
)

RESULTS = ROOT / "test-results"
_E2E_DIR = Path(__file__).resolve().parent
NO_BROWSER = "!!! Chromium not found: browser tests are SKIPPED (apt-get install chromium) !!!"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Every browser test carries the e2e marker, so `-m "not e2e"` leaves them out.
    browser_tests = [item for item in items if _E2E_DIR in item.path.parents]
    for item in browser_tests:
        item.add_marker(pytest.mark.e2e)
    if chromium_path() is not None:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("CI must run the browser tests, but Chromium was not found")
    for item in browser_tests:
        item.add_marker(pytest.mark.skip(reason=NO_BROWSER))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash.setdefault(_FAILED, report.failed)
        item.stash[_FAILED] = report.failed


_FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, browser) -> Iterator[StreamlitServer]:
    url = sample_database(tmp_path_factory.mktemp("e2e"))
    with StreamlitServer(url) as running:
        # The first session of a fresh server runs in Streamlit's old pages/ mode (README,
        # "Known limitations"); open one so the tests meet the app as users after it do.
        warm = browser.new_page()
        warm.goto(running.base_url)
        wait_for_app(warm)
        warm.close()
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest):
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="vi-VN", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    if request.node.stash.get(_FAILED, False):
        RESULTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)
        (RESULTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
    context.close()
