"""Two app processes on one PostgreSQL database: an upload through one is visible in the other at
its next rerun (caches are keyed by the data version, not only cleared in-process)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.actions import go, metric, metric_value, settle, sign_in
from tests.e2e.server import StreamlitServer, wait_for_app

STAFF = "Tỷ lệ nữ – CCVC, người lao động"
GOOD = b"unit_code,period,staff_total,staff_female\nBHXH-HANOI,2026-H1,5000,4900\n"
VIEW = "?ky=H1&tu=2026&den=2026&nganh=BHXH"


@pytest.mark.postgres
def test_an_upload_through_one_process_shows_in_the_other(
    _pg_databases, browser, tmp_path: Path
) -> None:
    url = _pg_databases.fresh("sample").url.render_as_string(hide_password=False)
    with StreamlitServer(url) as first, StreamlitServer(url) as second:
        for server in (first, second):  # the first session after start-up (README, limitations)
            warm = browser.new_page()
            warm.goto(server.base_url)
            wait_for_app(warm)
            warm.close()
        reader = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        sign_in(reader, second.base_url, "lanhdao", VIEW)
        before = metric(reader, STAFF)

        writer = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        sign_in(writer, first.base_url, "thuky", VIEW)
        go(writer, "Tải dữ liệu lên")
        upload = tmp_path / "bao_cao.csv"
        upload.write_bytes(GOOD)
        writer.locator("input[type='file']").set_input_files(str(upload))
        writer.get_by_text("Tôi đã xem").click()
        settle(writer)
        writer.get_by_role("button", name="Ghi dữ liệu").click()
        expect(writer.get_by_text("Đã ghi lô")).to_be_visible(timeout=60_000)

        # The reader's next reruns (a page and back, same filters) show the other process's upload.
        go(reader, "Tỷ lệ giới")
        go(reader, "Tổng quan")
        expect(metric_value(reader, STAFF)).not_to_have_text(before, timeout=30_000)
