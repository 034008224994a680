"""Issue #17 in a real browser: Vietnamese all the way, on a phone too (390 px), with the
addresses people share opening the page they name."""

from __future__ import annotations

import re
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
) -> None:
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
def test_a_signed_in_link_opens_the_page_it_names(server, page, path: str, heading: str) -> None:
    sign_in(page, server.base_url, "thuky", path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    settle(page)
    assert NOT_FOUND not in page.inner_text("body")
    assert urlparse(page.url).path == f"/{path or 'tong-quan'}"


def test_an_address_that_names_no_page_gets_a_vietnamese_notice(server, page) -> None:
    # Signed out: the sign-in form, and no English dialog over it.
    page.goto(f"{server.base_url}/khong-co-trang-nay")
    wait_for_app(page)
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    settle(page)
    assert NOT_FOUND not in page.inner_text("body")
    # Signed in there: a notice in Vietnamese and the way to the viewer's first page.
    sign_in(page, server.base_url, "lanhdao", "khong-co-trang-nay")
    expect(page.get_by_text("Địa chỉ này không dẫn tới trang nào")).to_be_visible()
    assert NOT_FOUND not in page.inner_text("body")
    page.get_by_role("link", name="Về trang Tổng quan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tổng quan")
    assert urlparse(page.url).path == "/tong-quan"


# --- Issue #17 item 8: ready for a meeting, on paper and on a phone ------------------------------

PHONE = {"width": 390, "height": 844}
# Screen furniture that has no place on paper.
NOT_PRINTED = ["stSidebar", "stHeader", "stToolbar", "stDownloadButton", "stButton"]
# Blocks a printed page must not cut across.
KEPT_WHOLE = ["stVegaLiteChart", "stMetric"]
# A raw value on a page: Python's missing values, or a number written with a decimal point.
# ... or a period code where people read "Năm 2024", "6 tháng đầu năm 2026".
RAW_WORD = re.compile(r"\b(?:None|nan|NaN|\d{4}-(?:H1|Y))\b")
DOTTED_NUMBER = re.compile(r"(?<![\d.,])\d+(?:\.\d+)+(?![\d.,])")
WORD = r"[^\W\d]{3}"  # a chart label that names something, not a tick number
TEXTS = "els => els.map(e => e.textContent)"
THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")  # 1.520 is how Vietnamese writes 1520


def raw_values(text: str) -> list[str]:
    """What on the page is a raw value: "None", "nan", "2024-Y", "93.1", "0.25"; while
    1.520 and 12.345.678 (thousands) and 53,6 (decimal comma) are."""
    dotted = [m for m in DOTTED_NUMBER.findall(text) if not THOUSANDS.fullmatch(m)]
    return RAW_WORD.findall(text) + dotted


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Tỷ lệ 53,6% · 1.520 người · 12.345.678 đồng · 15/06/2025", []),
        ("Tỷ lệ None · nan đơn vị", ["None", "nan"]),
        ("Bộ Nội vụ (2024-Y), kỳ 2026-H1; năm 2024–2025", ["2024-Y", "2026-H1"]),
        ("93.1% nữ; 0.25 điểm; 1.5", ["93.1", "0.25", "1.5"]),
        ("1.52 và 1.5200", ["1.52", "1.5200"]),
    ],
)
def test_raw_values_finds_what_is_not_vietnamese(text: str, found: list[str]) -> None:
    assert raw_values(text) == found


def leadership_urls() -> list[tuple[str, str]]:
    from app import LEADERSHIP

    return [(url, title) for _, title, _, url in LEADERSHIP]


def visible_text(page) -> str:
    """The main area's text and the words drawn in its charts (SVG text is not in innerText).
    A table's cells are drawn on a canvas, out of reach here: tests/test_tables_in_vietnamese.py
    checks what the pages give the tables."""
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)  # charts load after the run ends
    charts = page.locator("[data-testid=stMain] [data-testid=stVegaLiteChart] svg text")
    return "\n".join([page.get_by_test_id("stMain").inner_text(), *charts.evaluate_all(TEXTS)])


def test_printing_leaves_out_the_menu_and_keeps_charts_whole(server, page, tmp_path: Path) -> None:
    from pypdf import PdfReader

    sign_in(page, server.base_url, "lanhdao", "tong-quan")
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)  # charts drawn
    page.emulate_media(media="print")
    for test_id in NOT_PRINTED:
        for element in page.get_by_test_id(test_id).all():
            expect(element).to_be_hidden()
    for test_id in KEPT_WHOLE:
        blocks = page.get_by_test_id(test_id).all()
        assert blocks, test_id
        for block in blocks:
            assert block.evaluate("e => getComputedStyle(e).breakInside") == "avoid", test_id
    # Every chart's words (axis titles, legend) on one sheet: a chart cut across two sheets
    # would leave its top words on one and its legend on the next.
    charts = [
        {t.strip() for t in chart.locator("svg text").evaluate_all(TEXTS) if re.search(WORD, t)}
        for chart in page.get_by_test_id("stVegaLiteChart").all()
    ]
    pdf = tmp_path / "tong-quan.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    sheets = [" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages]
    assert "Tổng quan bình đẳng giới" in sheets[0]
    assert not any("Bộ lọc" in sheet for sheet in sheets)  # the sidebar's filters stay off paper
    for words in charts:
        assert words
        assert any(all(w in sheet for w in words) for sheet in sheets), words


def test_on_a_phone_the_menu_closes_after_sign_in_and_the_kpis_fit(server, page) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, server.base_url, "lanhdao", "tong-quan")
    expect(page.get_by_role("heading", level=1)).to_be_in_viewport()
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    expect(page.get_by_test_id("stSidebarContent")).not_to_be_in_viewport()
    widths = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=stMain]');"
        " return [document.documentElement.scrollWidth, window.innerWidth,"
        " m.scrollWidth, m.clientWidth]; }"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[3], widths
    box = page.get_by_test_id("stMetric").first.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def test_the_semi_annual_reports_open_on_their_latest_period(server, page) -> None:
    sign_in(page, server.base_url, "lanhdao", "tong-quan")
    page.get_by_test_id("stSidebar").get_by_text("Báo cáo 6 tháng", exact=True).click()
    settle(page)
    expect(page.get_by_test_id("stMain")).to_contain_text(
        "Kỳ mới nhất trong lựa chọn: 6 tháng đầu năm 2026"
    )
    assert "2026-H1" not in visible_text(page)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["Báo cáo năm", "Báo cáo 6 tháng"])
def test_no_leadership_page_shows_a_raw_value(server, page, kind: str) -> None:
    sign_in(page, server.base_url, "lanhdao", "tong-quan")
    page.get_by_test_id("stSidebar").get_by_text(kind, exact=True).click()
    settle(page)
    texts = {}
    for url, title in leadership_urls():
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
        page.wait_for_url(lambda address, url=url: urlparse(address).path == f"/{url}")
        settle(page)
        texts[title] = visible_text(page)
    assert "Tỷ lệ nữ (%)" in texts["Tổng quan"]  # a chart's axis title: chart words are read
    found = {title: raw for title, text in texts.items() if (raw := raw_values(text))}
    assert found == {}


# Each chart's legend overflowing its chart, as [chart index, legend right, chart right].
LEGENDS_OUTSIDE = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]
  .flatMap((chart, i) => [...chart.querySelectorAll('.role-legend')].map(legend => [
    i, legend.getBoundingClientRect().right, chart.getBoundingClientRect().right]))
  .filter(([, legend, chart]) => legend > chart + 1)"""


@pytest.mark.slow
def test_on_a_phone_every_legend_fits_its_chart(server, page) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, server.base_url, "lanhdao", "tong-quan")
    outside = {}
    for url, title in leadership_urls():
        page.goto(f"{server.base_url}/{url}")
        settle(page)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_test_id("stSkeleton")).to_have_count(0)  # charts drawn
        if cut := page.evaluate(LEGENDS_OUTSIDE):
            outside[title] = cut
    assert outside == {}
