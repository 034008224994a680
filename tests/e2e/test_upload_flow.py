"""The secretariat's upload in a real browser: errors listed with rows, then a corrected file,
confirmed, and the new figure on the overview. Its own server: it writes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.actions import go, metric, settle, sign_in

DATA = Path(__file__).resolve().parents[1] / "data"
BAD = b"unit_code,period,staff_total,staff_female,managers_total,managers_female\nBHXH-HANOI,2026-Y,900,950,90,40\nBHXH-KHONGCO,2026-Y,10,5,2,1\n"
GOOD = b"unit_code,period,staff_total,staff_female,managers_total,managers_female\nBHXH-HANOI,2026-H1,5000,4900,90,40\n"


def test_upload_errors_then_corrected_file(server, page, tmp_path: Path) -> None:
    sign_in(page, server.base_url, "thuky", "?ky=H1&tu=2026&den=2026&nganh=BHXH")
    before = metric(page, "Tỷ lệ nữ – CCVC, người lao động")

    go(page, "Tải dữ liệu lên")
    bad = tmp_path / "bao_cao_loi.csv"
    bad.write_bytes(BAD)
    page.locator("input[type='file']").set_input_files(str(bad))
    expect(page.get_by_text("File bị từ chối")).to_be_visible(timeout=60_000)
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()
    expect(page.get_by_role("button", name="Ghi dữ liệu")).to_have_count(0)
    with page.expect_download() as report:
        page.get_by_test_id("stDownloadButton").filter(has_text="Tải báo cáo lỗi").locator(
            "button"
        ).click()
    # The error report is a CSV for Excel set to Vietnamese: ';' between cells (#17).
    rows = list(
        csv.reader(
            io.StringIO(Path(report.value.path()).read_text(encoding="utf-8-sig")), delimiter=";"
        )
    )
    assert ["2", "staff_female"] in [r[:2] for r in rows] and ["3", "unit_code"] in [
        r[:2] for r in rows
    ], rows

    good = tmp_path / "bao_cao_dung.csv"
    good.write_bytes(GOOD)
    page.locator("input[type='file']").set_input_files(str(good))
    confirm = page.get_by_text("Tôi đã xem")
    expect(confirm).to_be_visible(timeout=60_000)
    confirm.click()
    settle(page)
    page.get_by_role("button", name="Ghi dữ liệu").click()
    expect(page.get_by_text("Đã ghi lô")).to_be_visible(timeout=60_000)

    go(page, "Tổng quan")  # in the same session: the filters are kept
    expect(
        page.get_by_test_id("stMetric")
        .filter(has_text="Tỷ lệ nữ – CCVC")
        .get_by_test_id("stMetricValue")
    ).not_to_have_text(before)
    assert metric(page, "Tỷ lệ nữ – CCVC, người lao động") != before
