"""Every page under AppTest, and the behaviour leaders rely on: Vietnamese formats, filters that
survive page switches and links, empty states, exports of exactly the filtered rows."""

from collections.abc import Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_access.analytics.exports import export_frame
from data_access.domain.periods import period_label
from tests.apptest import ADMIN, ROOT, open_app
from ui.filters import Selection

# The administrator's pages; a unit's form is a reporter's only (tests/test_report_form_page.py).
PAGES = sorted(
    str(p.relative_to(ROOT))
    for p in (ROOT / "pages").glob("*.py")
    if p.name not in ("login.py", "report_form.py")
)
# BHXH tỉnh Quảng Trị in 2022: legacy province 45, the only provincial BHXH unit there.
SEED_QUERY = {
    "ky": "Y",
    "tu": "2022",
    "den": "2022",
    "nganh": "BHXH",
    "bo_ma": "legacy",
    "tinh": "45",
    "cap": "provincial",
}


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One sample database for these read-only page tests."""
    from data_access.db.engine import get_engine
    from data_access.schema import init_db

    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'pages.db'}"
    init_db(get_engine(url), sample=True)
    return url


@pytest.fixture
def app(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", db_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def _run(page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    return open_app(ADMIN, page, query)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(app: None, page: str) -> None:
    at = _run(page)
    assert at.title, page


def test_seed_facts_appear_formatted_the_vietnamese_way(app: None) -> None:
    at = _run(query=SEED_QUERY)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tỷ lệ nữ – CCVC, người lao động"] == "53,6%"
    assert metrics["Tỷ lệ nữ – Lãnh đạo, quản lý"] == "35,4%"


def test_unit_profile_shows_the_seed_facts(app: None) -> None:
    at = _run("pages/unit.py", query={"tu": "2018", "den": "2022"})
    at.text_input(key="unit_search").set_value("BHXH-QUANGTRI").run()
    at.selectbox(key="unit_code").set_value("BHXH-QUANGTRI").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tỷ lệ nữ – Công chức, viên chức, người lao động"] == "53,6%"
    assert metrics["Tỷ lệ nữ – Lãnh đạo, quản lý (mọi cấp)"] == "35,4%"


def test_filters_round_trip_through_the_query_string(app: None) -> None:
    at = _run(query=SEED_QUERY)
    assert at.query_params["nganh"] == ["BHXH"] or at.query_params["nganh"] == "BHXH"
    assert Selection.from_query(SEED_QUERY).to_query() == SEED_QUERY
    assert at.multiselect(key="f_agencies").value == ["BHXH"]
    assert at.multiselect(key="f_provinces_legacy").value == ["45"]
    assert at.slider(key="f_years_Y").value == (2022, 2022)


def test_filters_survive_a_page_switch(app: None) -> None:
    at = _run()
    at.multiselect(key="f_agencies").set_value(["THADS"]).run()
    at.switch_page(str(ROOT / "pages/tracking.py")).run()  # a page without the filters
    at.switch_page(str(ROOT / "pages/leadership.py")).run()
    assert not at.exception
    assert at.multiselect(key="f_agencies").value == ["THADS"]
    assert "THADS" in at.caption[0].value


def test_clear_filters(app: None) -> None:
    at = _run(query=SEED_QUERY)
    next(b for b in at.button if b.label == "Xoá bộ lọc").click().run()
    assert at.multiselect(key="f_agencies").value == []
    assert at.radio(key="f_set").value == "2025"


@pytest.mark.parametrize(
    "page",
    [
        "pages/overview.py",
        "pages/gender_ratio.py",
        "pages/leadership.py",
        "pages/campaigns.py",
        "pages/capacity.py",
        "pages/provinces.py",
        "pages/explore.py",
    ],
)
def test_an_empty_selection_shows_a_message_not_an_exception(app: None, page: str) -> None:
    # LĐ-TBXH's units closed on 28/02/2025: it has no 2025 annual report.
    at = _run(page, query={"ky": "Y", "nganh": "LDTBXH", "tu": "2025", "den": "2025"})
    assert at.info, page
    assert "Không có" in at.info[0].value or "Chưa có" in at.info[0].value


def test_export_of_a_filtered_view_contains_exactly_the_filtered_rows(
    app: None, db_url: str
) -> None:
    from data_access.db.engine import get_engine

    selection = Selection.from_query(
        {
            "ky": "Y",
            "tu": "2023",
            "den": "2024",
            "nganh": "THADS",
            "tinh": "44,45",
            "bo_ma": "legacy",
        }
    )
    frame = export_frame(get_engine(db_url), "unit", selection.filters()).frame
    assert len(frame) > 0
    assert set(frame["agency_code"]) == {"THADS"}
    assert set(frame["province_code"]) == {"44", "45"} and set(frame["province_set"]) == {"legacy"}
    assert set(frame["period"]) == {"2023-Y", "2024-Y"}
    at = _run(
        "pages/explore.py",
        query={
            "ky": "Y",
            "tu": "2023",
            "den": "2024",
            "nganh": "THADS",
            "tinh": "44,45",
            "bo_ma": "legacy",
        },
    )
    at.segmented_control(key="ex_level").set_value("unit").run()
    shown = at.dataframe[0].value
    assert len(shown) == len(frame)
    # The table reads in Vietnamese (#17): its headings, and periods in words.
    assert sorted(zip(shown["Mã đơn vị"], shown["Kỳ báo cáo"], strict=True)) == sorted(
        zip(frame["unit_code"], frame["period"].map(period_label), strict=True)
    )
