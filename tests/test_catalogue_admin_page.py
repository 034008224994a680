"""Chỉ tiêu (issue #14, item 3) under AppTest on the sample database: the catalogue in
Vietnamese, adding and deactivating an indicator, an agency's targets beside the national ones;
the secretariat and viewers refused by URL, by the page itself and inside data_access. And the
data version follows catalogue and target edits, so other processes' caches do too."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from data_access.auth import Identity, PermissionDenied
from data_access.db.models import Indicator, Target
from data_access.queries.lookups import data_version
from data_access.registry import catalogue_admin, targets
from tests.apptest import ADMIN, ROOT, SECRETARIAT_BHXH, TIMEOUT, VIEWER, open_app

PAGE = "pages/catalogue_admin.py"


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _page() -> AppTest:
    at = _ok(open_app(ADMIN, PAGE))
    assert at.title[0].value == "Chỉ tiêu"
    return at


def _submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    return _ok(at)


def _active(engine: Engine, code: str) -> bool | None:
    with engine.connect() as conn:
        return conn.execute(select(Indicator.active).where(Indicator.code == code)).scalar()


def test_the_catalogue_is_listed_in_vietnamese(app_db: Engine) -> None:
    table = _page().dataframe[0].value
    assert list(table.columns) == [
        "Mã",
        "Tên chỉ tiêu",
        "Mục",
        "Dạng",
        "Kiểu giá trị",
        "Loại",
        "Ngành",
        "Đang dùng",
    ]
    staff = table.set_index("Mã").loc["staff_female"]
    assert staff["Tên chỉ tiêu"].endswith(" - Nữ")
    assert staff["Dạng"] == "Cặp tổng số – nữ" and staff["Ngành"] == "Mọi ngành"
    text = table.to_csv()
    for raw in ("None", "nan", ",int,", ",flow,", ",stock,", "True", "False"):
        assert raw not in text, raw


def test_an_admin_adds_an_agency_indicator_then_deactivates_it(app_db: Engine) -> None:
    at = _page()
    at.text_input(key="add_code").set_value("tap_huan_so")
    at.text_input(key="add_label").set_value("Cán bộ được tập huấn chuyển đổi số")
    at.text_input(key="add_section").set_value("2.4")
    at.selectbox(key="add_agency").set_value("BHXH")
    _submit(at, "Thêm chỉ tiêu")
    assert "Đã thêm chỉ tiêu tap_huan_so_total, tap_huan_so_female." in at.success[0].value
    assert _active(app_db, "tap_huan_so_female") is True
    listed = at.dataframe[0].value.set_index("Mã")
    assert listed.at["tap_huan_so_total", "Ngành"] == "Bảo hiểm xã hội Việt Nam (BHXH)"
    assert listed.at["tap_huan_so_total", "Mục"] == "2.4"

    at.selectbox(key="off_code").set_value("tap_huan_so_total")
    _submit(at, "Ngừng dùng")
    assert "Hãy đánh dấu xác nhận" in at.error[0].value  # not without the confirmation
    assert _active(app_db, "tap_huan_so_total") is True
    at.checkbox(key="off_sure").check()
    _submit(at, "Ngừng dùng")
    assert "Đã ngừng dùng chỉ tiêu tap_huan_so_female, tap_huan_so_total." in at.success[0].value
    assert _active(app_db, "tap_huan_so_total") is False
    assert "tap_huan_so_total" not in at.dataframe[0].value["Mã"].tolist()  # active only


@pytest.mark.parametrize(
    ("code", "label", "refusal"),
    [
        ("staff", "Trùng mã", "Mã chỉ tiêu đã có: staff_total, staff_female."),
        ("moi", "", "Tên chỉ tiêu phải có từ 1 đến"),
    ],
    ids=["taken", "no-label"],
)
def test_a_refused_indicator_is_shown_inline(
    app_db: Engine, code: str, label: str, refusal: str
) -> None:
    at = _page()
    at.text_input(key="add_code").set_value(code)
    at.text_input(key="add_label").set_value(label)
    at.text_input(key="add_section").set_value("2.1")
    _submit(at, "Thêm chỉ tiêu")
    assert refusal in at.error[0].value
    assert _active(app_db, "moi_total") is None


def test_an_agency_target_is_set_beside_the_national_one_and_removed(app_db: Engine) -> None:
    at = _page()
    at.selectbox(key="target_agency").set_value("BHXH").run()
    at.number_input(key="target_year").set_value(2030)
    at.number_input(key="target_value").set_value(50)
    _submit(at, "Đặt mục tiêu riêng")
    assert "Đã đặt mục tiêu 50% năm 2030 cho ngành BHXH." in at.success[0].value
    table = at.dataframe[-1].value.set_index("Năm")
    assert table.loc["2030"].tolist() == ["75%", "50%"]
    assert table.loc["2025", "Mục tiêu riêng của ngành"] == "–"

    at.selectbox(key="target_drop_year").set_value(2030)
    next(b for b in at.button if b.key == "target_drop").click().run()
    _ok(at)
    assert "mục tiêu chung toàn quốc được áp dụng lại" in at.success[0].value
    assert targets.list_targets(app_db, "BHXH").empty


@pytest.mark.parametrize("who", [SECRETARIAT_BHXH, VIEWER], ids=["secretariat", "viewer"])
def test_the_catalogue_page_is_refused_to_others(app_db: Engine, who: Identity) -> None:
    at = open_app(who)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(str(ROOT / PAGE))
    direct = AppTest.from_file(str(ROOT / PAGE), default_timeout=TIMEOUT)
    direct.session_state["identity"] = who
    direct.run()
    assert "không có quyền" in direct.error[0].value
    assert not direct.dataframe and not direct.text_input and not direct.button
    with pytest.raises(PermissionDenied):
        catalogue_admin.add(
            app_db, catalogue_admin.definitions("x", "X", "2.1", pair=False), identity=who
        )
    with pytest.raises(PermissionDenied):
        catalogue_admin.deactivate(app_db, "staff_total", identity=who)
    with pytest.raises(PermissionDenied):
        targets.set_target(app_db, 2030, 10.0, "BHXH", identity=who)
    with pytest.raises(PermissionDenied):
        targets.remove_target(app_db, 2030, "BHXH", identity=who)


EDITS: dict[str, Callable[[Engine], object]] = {
    "indicator added": lambda e: catalogue_admin.add(
        e, catalogue_admin.definitions("moi", "Chỉ tiêu mới", "2.1", pair=False), user="t"
    ),
    "indicator deactivated": lambda e: catalogue_admin.deactivate(e, "staff_total", user="t"),
    "target set": lambda e: targets.set_target(e, 2030, 50.0, "BHXH", user="t"),
    "national target changed": lambda e: targets.set_target(e, 2030, 80.0, user="t"),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_the_data_version_follows_catalogue_and_target_edits(
    sqlite_sample_engine: Engine, edit: str
) -> None:
    before = data_version(sqlite_sample_engine)
    EDITS[edit](sqlite_sample_engine)
    assert data_version(sqlite_sample_engine) != before


def test_removing_an_agency_target_changes_the_data_version(sqlite_sample_engine: Engine) -> None:
    targets.set_target(sqlite_sample_engine, 2030, 50.0, "BHXH", user="t")
    before = data_version(sqlite_sample_engine)
    targets.remove_target(sqlite_sample_engine, 2030, "BHXH", user="t")
    assert data_version(sqlite_sample_engine) != before
    with sqlite_sample_engine.connect() as conn:
        assert not conn.execute(select(Target.id).where(Target.agency_id.is_not(None))).all()


def test_target_comparison_lists_every_year_of_either(sqlite_sample_engine: Engine) -> None:
    targets.set_target(sqlite_sample_engine, 2027, 40.0, "BHXH", user="t")
    table = targets.comparison(sqlite_sample_engine, "BHXH")
    rows = {r.year: (r.national_pct, r.agency_pct) for r in table.itertuples()}
    assert pd.isna(rows[2027][0]) and rows[2027][1] == 40.0
    assert rows[2030][0] == 75.0 and pd.isna(rows[2030][1])
