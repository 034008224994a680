"""What a person gets in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from playwright.sync_api import expect

from data_access.analytics.exports import share_heading
from data_access.domain.periods import period_label
from tests.e2e.actions import choose, go, menu, metric, metric_value, settle, sign_in
from ui import password

LEADERSHIP = [
    "Tổng quan",
    "Tỷ lệ giới",
    "Lãnh đạo, quản lý",
    "Hoạt động, chiến dịch",
    "Đào tạo, phát triển",
    "Địa phương",
    "Chỉ số bình đẳng giới",
    "Đơn vị",
    "Tra cứu, xuất dữ liệu",
    "Báo cáo tổng hợp",
]
SECRETARIAT = [
    "Tải dữ liệu lên",
    "Duyệt báo cáo",
    "Tình hình báo cáo",
    "Lịch sử tải lên",
    "Quản lý đơn vị",
]
STAFF = "Tỷ lệ nữ – CCVC, người lao động"
OWN_PASSWORD = password.TITLE  # every account's own page, last in the menu
GLOSSARY = "Giải thích thuật ngữ"  # every role's help, just before it
SEED_URL = "?ky=Y&tu=2022&den=2022&nganh=BHXH&bo_ma=legacy&tinh=45&cap=provincial"


def test_each_demo_account_sees_its_menu(server, page) -> None:
    for username, expected in (
        ("lanhdao", [*LEADERSHIP, GLOSSARY, OWN_PASSWORD]),
        ("thuky", [*LEADERSHIP, *SECRETARIAT, GLOSSARY, OWN_PASSWORD]),
        (
            "quantri",
            [
                *LEADERSHIP,
                *SECRETARIAT,
                "Tài khoản",
                "Thiết lập",
                "Chỉ tiêu",
                GLOSSARY,
                OWN_PASSWORD,
            ],
        ),
    ):
        sign_in(page, server.base_url, username)
        assert menu(page) == expected, username
        page.get_by_role("button", name="Đăng xuất").click()
        expect(page.get_by_label("Tên đăng nhập")).to_be_visible()


def test_a_viewer_cannot_open_a_secretariat_page_by_url(server, page) -> None:
    sign_in(page, server.base_url, "lanhdao", "tai-du-lieu")
    # A notice in Vietnamese and the way to the viewer's first page (no English "Page not found").
    expect(page.get_by_text("Trang này không thuộc quyền")).to_be_visible()
    expect(page.get_by_role("heading", name="Tải dữ liệu lên")).to_have_count(0)
    assert "Page not found" not in page.inner_text("body")
    page.get_by_role("link", name="Về trang Tổng quan").click()
    expect(page.get_by_role("heading", name="Tổng quan bình đẳng giới")).to_be_visible()


def test_a_filter_changes_the_kpis_and_chart(server, page) -> None:
    sign_in(page, server.base_url, "lanhdao")
    before = metric(page, STAFF)
    expect(page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible()
    choose(page, "Ngành", "Hệ thống Thi hành án dân sự")
    expect(metric_value(page, STAFF)).not_to_have_text(before)
    after = metric(page, STAFF)
    assert after != before and after.endswith("%") and "," in after
    assert "nganh=THADS" in page.url
    expect(page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible()


def test_a_shared_link_opens_the_same_view(server, page) -> None:
    sign_in(page, server.base_url, "lanhdao", SEED_URL)  # the link opened before signing in
    expect(metric_value(page, STAFF)).to_have_text("53,6%")
    assert metric(page, "Tỷ lệ nữ – Lãnh đạo, quản lý") == "35,4%"


def test_switch_to_the_legacy_63_provinces(server, page) -> None:
    sign_in(page, server.base_url, "lanhdao")
    go(page, "Địa phương")
    expect(page.get_by_text("34 tỉnh, thành phố", exact=False).first).to_be_visible()
    page.get_by_text("63 tỉnh, thành phố (trước 01/07/2025)").click()
    settle(page)
    expect(page.get_by_text("63 tỉnh, thành phố (địa giới cũ)")).to_be_visible()
    assert "bo_ma=legacy" in page.url
    # The latest annual report of the 63 provinces is the last one before the merger.
    expect(page.get_by_text(f"{period_label('2024-Y')} · 63 tỉnh, thành phố")).to_be_visible()


def test_exports_have_the_filtered_rows_and_the_filter_sheet(server, page, tmp_path: Path) -> None:
    sign_in(page, server.base_url, "lanhdao", "tra-cuu?ky=Y&tu=2023&den=2023&nganh=THADS")
    with page.expect_download(timeout=90_000) as csv_download:
        page.get_by_test_id("stDownloadButton").get_by_role(
            "button", name="Tải CSV", exact=True
        ).click()
    rows = list(
        csv.DictReader(
            io.StringIO(Path(csv_download.value.path()).read_text(encoding="utf-8-sig")),
            delimiter=";",  # the page's CSV is for Excel set to Vietnamese (#17)
        )
    )
    assert len(rows) == 34 and {r["Kỳ báo cáo"] for r in rows} == {"Năm 2023"}
    headings = list(rows[0])
    assert "Mã tỉnh" in headings and any(h.startswith(share_heading("")) for h in headings)
    assert not any(h.endswith("_female_pct") for h in headings), headings
    with page.expect_download(timeout=90_000) as xlsx_download:
        page.get_by_test_id("stDownloadButton").filter(has_text="Tải Excel").locator(
            "button"
        ).click()
    target = tmp_path / "x.xlsx"
    xlsx_download.value.save_as(target)
    book = openpyxl.load_workbook(target)
    assert book.worksheets[0].max_row == 35
    record = {r[0].value: r[1].value for r in book["Bộ lọc"].iter_rows(min_row=2)}
    assert record["Ngành"] == "THADS" and record["Số dòng"] == "34"


def test_sign_out(server, page) -> None:
    sign_in(page, server.base_url, "quantri")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    page.goto(f"{server.base_url}/tai-khoan")
    settle(page)
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    expect(page.get_by_role("heading", name="Tài khoản và phân quyền")).to_have_count(0)


def test_clicking_an_agency_bar_drills_down_to_its_provinces(server, page) -> None:
    """The charts are cached Vega-Lite specs (ui.charts.show): their selections still rerun."""
    sign_in(page, server.base_url, "lanhdao")
    go(page, "Tỷ lệ giới")
    expect(page.get_by_role("heading", name="Theo tỉnh, thành phố", exact=True)).to_be_visible()
    bars = page.locator("[data-testid='stVegaLiteChart']").first.locator(
        "[aria-roledescription='bar']"
    )
    expect(bars.first).to_be_visible()
    label = bars.first.get_attribute("aria-label") or ""
    bars.first.click()
    settle(page)
    heading = page.get_by_role("heading", name="Theo tỉnh, thành phố –")
    expect(heading).to_be_visible()
    assert heading.inner_text().split("– ", 1)[1] in label
