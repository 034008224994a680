"""Quản lý đơn vị (issue #14, item 2) under AppTest on the sample database: find a unit, preview
and confirm a change, see the refusal inline, roll the batch back from the history page, the
63 → 34 ready action; viewers and other agencies' secretaries refused by URL and by widget."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select
from streamlit.testing.v1 import AppTest

from data_access.auth import Identity, PermissionDenied
from data_access.db.models import Agency, Province, Unit, UploadBatch
from data_access.domain.province_sets import REFORM_DATE, ProvinceSet
from data_access.registry import unit_admin
from tests.apptest import ADMIN, APP, ROOT, SECRETARIAT_BHXH, TIMEOUT, VIEWER, open_app

PAGE = "pages/units_admin.py"
HISTORY = "pages/history.py"
THADS_UNIT = "THADS-HANOI"


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _page(identity: Identity, query: dict[str, str] | None = None) -> AppTest:
    if query is None:
        at = open_app(identity, PAGE)
    else:  # a link opened in a new tab: this page is the first the session runs
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.session_state["identity"] = identity
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(str(ROOT / PAGE)).run()
    _ok(at)
    assert at.title[0].value == "Quản lý đơn vị"
    return at


def _choose(at: AppTest, code: str) -> AppTest:
    at.text_input(key="unit_search").set_value(code).run()
    at.selectbox(key="unit_code").set_value(code).run()
    return _ok(at)


def _operation(at: AppTest, operation: str) -> AppTest:
    at.segmented_control(key="unit_operation").set_value(operation).run()
    return _ok(at)


def _preview(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Xem trước thay đổi").click().run()
    return _ok(at)


def _shown(at: AppTest) -> str:
    parts: list[str] = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "error", "success"):
        parts.extend(str(getattr(e, "value", "")) for e in at.get(kind))
    for frame in at.dataframe:
        parts.append(pd.DataFrame(frame.value).to_csv())
    for box in [*at.selectbox, *at.multiselect]:
        parts.extend(map(str, box.options))
    return "\n".join(parts).replace("\\", "")  # Markdown escapes of users' text (fmt.literal)


def _plain(markdown: str) -> str:
    return markdown.replace("\\", "")


def _name(engine: Engine, code: str) -> str:
    with engine.connect() as conn:
        return str(conn.execute(select(Unit.name).where(Unit.code == code)).scalar_one())


def _batches(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(UploadBatch)).scalar_one())


def test_rename_is_previewed_confirmed_and_rolled_back_from_history(app_db: Engine) -> None:
    old = _name(app_db, "BHXH-HANOI")
    at = _operation(_choose(_page(ADMIN), "BHXH-HANOI"), "rename")
    at.text_input(key="rename_name").set_value("Bảo hiểm xã hội Thủ đô")
    at.date_input(key="rename_day").set_value(REFORM_DATE)
    _preview(at)
    text = _shown(at)
    assert "mang tên mới “Bảo hiểm xã hội Thủ đô” từ 01/07/2025" in text
    assert "dùng đến 30/06/2025" in text
    assert _name(app_db, "BHXH-HANOI") == old and _batches(app_db) == 0  # the preview wrote nothing

    at.button(key="unit_confirm").click().run()
    _ok(at)
    assert _name(app_db, "BHXH-HANOI") == "Bảo hiểm xã hội Thủ đô"
    with app_db.connect() as conn:
        batch = conn.execute(select(UploadBatch.id, UploadBatch.kind)).one()
    assert batch.kind == "registry"
    assert f"lô {batch.id}" in _plain(at.success[0].value)
    assert at.get("page_link")[0].proto.page == "lich-su"  # the history page
    # The card shows the former name with its last day.
    former = at.dataframe[-1].value
    assert former.values.tolist() == [[old, "30/06/2025"]]

    at.switch_page(str(ROOT / HISTORY)).run()
    _ok(at)
    assert "Danh mục đơn vị" in at.dataframe[0].value["kind"].tolist()
    at.selectbox(key="rollback_batch").set_value(batch.id)
    next(c for c in at.checkbox if c.label.startswith("Tôi xác nhận")).check().run()
    next(b for b in at.button if b.label == "Hoàn tác").click().run()
    _ok(at)
    assert f"Đã hoàn tác lô {batch.id}" in _plain(at.success[0].value)
    assert _name(app_db, "BHXH-HANOI") == old


def test_split_opens_the_new_units_and_the_card_shows_the_lineage(app_db: Engine) -> None:
    at = _operation(_choose(_page(ADMIN), "BHXH-HANOI"), "split")
    at.text_area(key="split_units").set_value(
        "BHXH-HN-BAC; BHXH khu vực Bắc Hà Nội\nBHXH-HN-NAM; BHXH khu vực Nam Hà Nội"
    )
    _preview(at)
    text = _shown(at)
    assert "Mở đơn vị BHXH-HN-BAC – BHXH khu vực Bắc Hà Nội từ 01/07/2025" in text
    assert "3 đơn vị được mở hoặc thay đổi" in text
    at.button(key="unit_confirm").click().run()
    _ok(at)
    assert "Đã chia tách BHXH-HANOI thành 2 đơn vị" in _plain(at.success[0].value)
    _choose(at, "BHXH-HN-NAM")
    assert "Kế thừa từ:** BHXH-HANOI" in _shown(at)


@pytest.mark.parametrize(
    ("others", "refusal"),
    [
        (THADS_UNIT, "Chỉ hợp nhất được các đơn vị cùng một ngành."),
        ("KHONG-CO", "Không có đơn vị mã KHONG-CO."),
    ],
    ids=["other-agency", "unknown"],
)
def test_a_refused_merge_is_shown_inline_and_writes_nothing(
    app_db: Engine, others: str, refusal: str
) -> None:
    at = _operation(_choose(_page(ADMIN), "BHXH-HANOI"), "merge")
    at.text_area(key="merge_others").set_value(others)
    at.text_input(key="merge_new_code").set_value("BHXH-GOP")
    at.text_input(key="merge_new_name").set_value("Đơn vị hợp nhất")
    _preview(at)
    assert refusal in [e.value for e in at.error]
    assert not [b for b in at.button if b.key == "unit_confirm"]
    assert _batches(app_db) == 0


def _legacy_units(engine: Engine, province: str, agency: str = "BHXH") -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(Unit)
                .join(Province, Province.id == Unit.province_id)
                .join(Agency, Agency.id == Unit.agency_id)
                .where(
                    Province.code_set == ProvinceSet.LEGACY.value,
                    Province.code == province,
                    Agency.code == agency,
                    Unit.active_from < REFORM_DATE,
                    (Unit.active_to.is_(None)) | (Unit.active_to >= REFORM_DATE),
                )
            ).scalar_one()
        )


def test_the_province_merger_moves_the_secretarys_units_only(app_db: Engine) -> None:
    expected = _legacy_units(app_db, "01")
    thads_before = _legacy_units(app_db, "01", "THADS")
    assert expected > 1
    at = _page(SECRETARIAT_BHXH)
    box = at.multiselect(key="merger_provinces")
    assert any(f"({expected} đơn vị)" in o for o in box.options if o.startswith("Hà Nội"))
    box.set_value(["01"]).run()
    assert f"Sẽ chuyển **{expected} đơn vị**" in _shown(at)
    at.checkbox(key="merger_sure").check().run()
    at.button(key="merger_go").click().run()
    _ok(at)
    assert f"Đã chuyển {expected} đơn vị sang tỉnh mới từ 01/07/2025" in _plain(at.success[0].value)
    assert _legacy_units(app_db, "01") == 0
    # Other agencies' units in Hà Nội stay as they were.
    assert _legacy_units(app_db, "01", "THADS") == thads_before > 0
    assert "01" not in at.multiselect(key="merger_provinces").options


# --- refusals -------------------------------------------------------------------------------------


def test_a_viewer_is_refused_by_url_and_by_the_page_itself(app_db: Engine) -> None:
    at = open_app(VIEWER)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(str(ROOT / PAGE))
    direct = AppTest.from_file(str(ROOT / PAGE), default_timeout=TIMEOUT)
    direct.session_state["identity"] = VIEWER
    direct.run()
    assert "không có quyền" in direct.error[0].value
    assert not direct.text_input and not direct.selectbox
    with pytest.raises(PermissionDenied):
        unit_admin.find(app_db, "", identity=VIEWER)


@pytest.mark.parametrize("by", ["url", "search"])
def test_a_bhxh_secretary_does_not_see_a_thads_unit(app_db: Engine, by: str) -> None:
    thads_name = _name(app_db, THADS_UNIT)
    if by == "url":
        at = _page(SECRETARIAT_BHXH, {"don_vi": THADS_UNIT})
        assert at.text_input(key="unit_search").value == THADS_UNIT  # the link was read
    else:
        at = _page(SECRETARIAT_BHXH)
        at.text_input(key="unit_search").set_value("THADS").run()
    text = _shown(at)
    assert THADS_UNIT not in text
    assert thads_name not in text
    assert "Không tìm thấy đơn vị nào thuộc phạm vi ngành được giao" in text
    assert unit_admin.card(app_db, THADS_UNIT, identity=SECRETARIAT_BHXH) is None


def test_a_bhxh_secretary_cannot_merge_a_thads_unit_by_typing_its_code(app_db: Engine) -> None:
    at = _operation(_choose(_page(SECRETARIAT_BHXH), "BHXH-HANOI"), "close")
    at.text_input(key="close_successor").set_value(THADS_UNIT)
    _preview(at)
    assert "ngoài phạm vi được giao" in at.error[0].value
    assert _batches(app_db) == 0
    with pytest.raises(PermissionDenied):
        unit_admin.apply(
            app_db,
            unit_admin.Change("rename", codes=(THADS_UNIT,), name="Tên khác"),
            identity=SECRETARIAT_BHXH,
        )
