"""Issue #17 in a real browser: Vietnamese all the way, on a phone too (390 px), with the
addresses people share opening the page they name."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.actions import settle, sign_in
from tests.e2e.server import StreamlitServer, sample_database, wait_for_app

NOT_FOUND = "Page not found"


@pytest.mark.parametrize("path", ["tong-quan", "tai-du-lieu", ""])
def test_a_deep_link_on_a_fresh_server_gets_the_sign_in_form_and_no_english_notice(
    tmp_path: Path, browser, path: str
) -> None:  # type: ignore[no-untyped-def]
    with StreamlitServer(sample_database(tmp_path)) as fresh:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{fresh.base_url}/{path}")
        wait_for_app(page)
        expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
        assert NOT_FOUND not in page.inner_text("body")
        page.close()


@pytest.mark.parametrize(
    ("path", "heading"), [("tong-quan", "Tổng quan"), ("", "Tổng quan"), ("lich-su", "Lịch sử")]
)
def test_a_signed_in_link_opens_the_page_it_names(server, page, path: str, heading: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, server.base_url, "thuky", path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    settle(page)
    assert NOT_FOUND not in page.inner_text("body")
    assert urlparse(page.url).path == f"/{path or 'tong-quan'}"
