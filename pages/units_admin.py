"""Quản lý đơn vị: find a unit, its lineage, and each change over time (previewed, confirmed,
rolled back from the history page); the 63 → 34 province merger as a ready action."""

import datetime as dt

import pandas as pd
import streamlit as st

from data_access.auth import PermissionDenied
from data_access.domain.province_sets import REFORM_DATE, ProvinceSet
from data_access.registry import unit_admin
from data_access.registry.changes import LEVEL_VI, NewUnit, UnitChangeError
from ui import data, fmt
from ui.auth import require

who = require("upload")  # before anything else: see ui.auth.require

HISTORY_PAGE = "pages/history.py"
PREVIEW_KEY = "unit_change_preview"  # (Change, Preview) the user is asked to confirm
DONE_KEY = "unit_change_done"  # the last result, shown after the rerun that clears the form


def _related(units: list[unit_admin.Related]) -> str:
    return "; ".join(
        f"{u.code} – {u.name} ({fmt.date(u.active_from)}–{fmt.date(u.active_to) if u.active_to else 'nay'})"
        for u in units
    )


def _done(result: object) -> None:
    st.session_state[DONE_KEY] = result
    st.session_state.pop(PREVIEW_KEY, None)
    data.data_changed()
    st.rerun()


st.title("Quản lý đơn vị")
st.caption(
    "Mở, đổi tên, chuyển cấp trên, đặt cách báo cáo, ngừng hoạt động, hợp nhất, chia tách đơn vị"
    + (f" của ngành {', '.join(who.agencies)}." if who.agencies else " của mọi ngành.")
    + " Mỗi thao tác là một lô danh mục, hoàn tác được ở trang Lịch sử tải lên."
)
v = data.version()

if done := st.session_state.pop(DONE_KEY, None):
    if done.batch_id is None:
        st.info(fmt.literal(done.message))
    else:
        st.success(fmt.literal(done.message))
        st.page_link(
            HISTORY_PAGE,
            label=f"Xem hoặc hoàn tác lô {done.batch_id} ở trang Lịch sử tải lên",
            icon=":material/history:",
        )

# --- find a unit ----------------------------------------------------------------------------------

# A link may name the unit: ?don_vi=BHXH-QUANGTRI (data_access applies the scope).
search = st.text_input(
    "Tìm đơn vị theo tên hoặc mã",
    value=st.query_params.get("don_vi", ""),
    placeholder="VD: Quảng Trị hoặc BHXH-QUANGTRI",
    key="unit_search",
)
found = data.units_found(search.strip(), who, v)
chosen: str | None = None
if found.total == 0:
    st.info(
        "Không tìm thấy đơn vị nào"
        + (" thuộc phạm vi ngành được giao." if who.agencies else ".")
        + " Thử tìm bằng một phần tên hoặc mã."
    )
else:
    shown = found.units
    st.caption(
        f"{fmt.num(found.total)} đơn vị phù hợp"
        + (
            f"; hiện {fmt.num(len(shown))} đơn vị đầu tiên theo tên."
            if found.total > len(shown)
            else "."
        )
    )
    names = dict(zip(shown["code"], shown["name"], strict=True))
    chosen = st.selectbox(
        "Đơn vị",
        list(names),
        format_func=lambda c: f"{names[c]} ({c})",
        key="unit_code",
    )

card = data.unit_card(chosen, who, v) if chosen else None
if card is not None:
    with st.container(border=True):
        st.subheader(fmt.literal(card.name))
        left, right = st.columns(2)
        left.markdown(
            f"**Mã:** {fmt.literal(card.code)}  \n"
            f"**Ngành:** {fmt.literal(card.agency_name)} ({fmt.literal(card.agency_code)})  \n"
            f"**Cấp:** {card.level_vi}  \n"
            f"**Tỉnh, thành phố:** {fmt.literal(card.province_vi)}"
        )
        right.markdown(
            f"**Hoạt động:** từ {fmt.date(card.active_from)}"
            + (f" đến {fmt.date(card.active_to)}" if card.active_to else " (đang hoạt động)")
            + "  \n**Cấp trên:** "
            + (
                fmt.literal(f"{card.parent.code} – {card.parent.name}")
                if card.parent
                else "không có"
            )
            + f"  \n**{unit_admin.REPORTS_VIA_PARENT_VI}:** "
            + ("có" if card.reports_via_parent else "không (tự báo cáo)")
        )
        if card.predecessors:
            st.markdown("**Kế thừa từ:** " + fmt.literal(_related(card.predecessors)))
        if card.successors:
            st.markdown("**Được kế thừa bởi:** " + fmt.literal(_related(card.successors)))
        if card.former_names:
            st.markdown("**Tên cũ:**")
            st.dataframe(
                pd.DataFrame(
                    {
                        "Tên": [n for n, _ in card.former_names],
                        "Dùng đến ngày": [fmt.date(d) for _, d in card.former_names],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        if not (card.predecessors or card.successors or card.former_names):
            st.caption("Chưa có thay đổi tên, hợp nhất hay chia tách.")

# --- change a unit --------------------------------------------------------------------------------

st.subheader("Thay đổi đơn vị")
operation = st.segmented_control(
    "Thao tác",
    list(unit_admin.OPERATIONS_VI),
    format_func=unit_admin.OPERATIONS_VI.__getitem__,
    default="rename",
    key="unit_operation",
)
agencies = data.agencies(v)
if who.agencies:
    agencies = agencies[agencies["code"].isin(who.agencies)]
change: unit_admin.Change | None = None
if operation and operation != "create" and card is None:
    st.caption("Tìm và chọn đơn vị ở trên trước.")
elif operation:
    with st.form(f"unit_form_{operation}"):
        codes = (card.code,) if card else ()
        try:
            if operation == "create":
                agency_names = dict(zip(agencies["code"], agencies["name"], strict=True))
                provinces = data.provinces(ProvinceSet.CURRENT, v)
                province_names = dict(zip(provinces["code"], provinces["name"], strict=True))
                code = st.text_input("Mã đơn vị mới", key="new_code")
                name = st.text_input("Tên đơn vị", key="new_name")
                agency = st.selectbox(
                    "Ngành",
                    list(agency_names),
                    format_func=lambda c: f"{agency_names[c]} ({c})",
                    key="new_agency",
                )
                level = st.selectbox(
                    "Cấp", list(LEVEL_VI), format_func=LEVEL_VI.__getitem__, key="new_level"
                )
                province = st.selectbox(
                    "Tỉnh, thành phố (34 tỉnh)",
                    list(province_names),
                    format_func=province_names.__getitem__,
                    key="new_province",
                )
                parent = st.text_input("Mã đơn vị cấp trên (nếu có)", key="new_parent")
                day = st.date_input(
                    "Hoạt động từ ngày", value=dt.date.today(), format="DD/MM/YYYY", key="new_day"
                )
                new = NewUnit(
                    code=code,
                    name=name,
                    province_code=province,
                    level=level,
                    parent_code=parent.strip() or None,
                )
                change = unit_admin.Change(
                    "create", effective=day, new_units=(new,), agency_code=agency or ""
                )
            elif operation == "rename":
                name = st.text_input("Tên mới", key="rename_name")
                day = st.date_input(
                    "Dùng tên mới từ ngày",
                    value=dt.date.today(),
                    format="DD/MM/YYYY",
                    key="rename_day",
                )
                change = unit_admin.Change("rename", codes=codes, name=name, effective=day)
            elif operation == "move":
                parent = st.text_input(
                    "Mã đơn vị cấp trên mới (để trống: không có cấp trên)", key="move_parent"
                )
                change = unit_admin.Change("move", codes=codes, parent_code=parent.strip() or None)
            elif operation == "reporting":
                via_parent = st.checkbox(
                    unit_admin.REPORTS_VIA_PARENT_VI,
                    value=card.reports_via_parent if card else False,
                    help="Đơn vị không báo cáo riêng: tài khoản báo cáo của đơn vị cấp trên "
                    "nhập báo cáo của đơn vị này. Để trống nếu đơn vị tự báo cáo.",
                    key=f"reporting_via_parent_{codes[0] if codes else ''}",
                )
                change = unit_admin.Change("reporting", codes=codes, reports_via_parent=via_parent)
            elif operation == "close":
                day = st.date_input(
                    "Ngừng hoạt động từ ngày (ngày đầu tiên không còn hoạt động)",
                    value=dt.date.today(),
                    format="DD/MM/YYYY",
                    key="close_day",
                )
                successor = st.text_input("Mã đơn vị kế thừa (nếu có)", key="close_successor")
                change = unit_admin.Change(
                    "close", codes=codes, effective=day, successor_code=successor.strip() or None
                )
            elif operation == "merge":
                others = st.text_area(
                    "Mã các đơn vị hợp nhất cùng đơn vị này (cách nhau bởi dấu phẩy hoặc xuống dòng)",
                    key="merge_others",
                )
                successor = st.text_input(
                    "Mã đơn vị đã có nhận hợp nhất (để trống nếu mở đơn vị mới)",
                    key="merge_successor",
                )
                new_code = st.text_input("Hoặc: mã đơn vị mới", key="merge_new_code")
                new_name = st.text_input("Tên đơn vị mới", key="merge_new_name")
                day = st.date_input(
                    "Hợp nhất từ ngày", value=REFORM_DATE, format="DD/MM/YYYY", key="merge_day"
                )
                change = unit_admin.Change(
                    "merge",
                    codes=(*codes, *unit_admin.parse_codes(others)),
                    effective=day,
                    successor_code=successor.strip() or None,
                    new_units=(NewUnit(new_code, new_name),) if new_code.strip() else (),
                )
            else:
                lines = st.text_area(
                    "Các đơn vị mới, mỗi dòng một đơn vị: mã; tên", key="split_units"
                )
                day = st.date_input(
                    "Chia tách từ ngày", value=REFORM_DATE, format="DD/MM/YYYY", key="split_day"
                )
                change = unit_admin.Change(
                    "split",
                    codes=codes,
                    effective=day,
                    new_units=unit_admin.parse_new_units(lines),
                )
        except UnitChangeError as error:
            st.error(str(error))
            change = None
        asked = st.form_submit_button("Xem trước thay đổi")
    if asked and change is not None:
        try:
            st.session_state[PREVIEW_KEY] = (
                change,
                unit_admin.preview(data.engine(), change, identity=who),
            )
        except (UnitChangeError, PermissionDenied) as error:
            st.session_state.pop(PREVIEW_KEY, None)
            st.error(str(error), icon=":material/block:")

if pending := st.session_state.get(PREVIEW_KEY):
    planned, preview = pending
    with st.container(border=True):
        if not preview.units:
            st.info(fmt.literal(preview.message))
        else:
            st.markdown("**Sẽ thay đổi:**")
            for line in preview.lines:
                st.markdown(f"- {fmt.literal(line)}")
            st.caption(f"{fmt.num(preview.units)} đơn vị được mở hoặc thay đổi.")
            if st.button("Xác nhận thay đổi", type="primary", key="unit_confirm"):
                try:
                    result = unit_admin.apply(data.engine(), planned, identity=who)
                except (UnitChangeError, PermissionDenied) as error:
                    st.error(str(error), icon=":material/block:")
                else:
                    _done(result)

# --- the 63 → 34 province merger ------------------------------------------------------------------

st.subheader("Sáp nhập tỉnh từ 01/07/2025")
pending_provinces = data.legacy_pending(who, v)
if pending_provinces.empty:
    st.caption("Không còn đơn vị nào ghi theo 63 tỉnh cũ cần chuyển sang 34 tỉnh mới.")
else:
    st.caption(
        "Các đơn vị còn hoạt động nhưng vẫn ghi theo tỉnh cũ: mỗi đơn vị ngừng hoạt động ngày "
        "30/06/2025 và một đơn vị cùng tên, cùng cấp mở ở tỉnh mới từ 01/07/2025 (mã thêm "
        "“-2025”); số liệu trước đó vẫn thuộc đơn vị cũ và được cộng theo đơn vị kế thừa."
    )
    counts = dict(zip(pending_provinces["code"], pending_provinces["units"], strict=True))
    labels = dict(zip(pending_provinces["code"], pending_provinces["name"], strict=True))
    picked = st.multiselect(
        "Tỉnh cũ",
        list(counts),
        format_func=lambda c: f"{labels[c]} ({fmt.num(counts[c])} đơn vị)",
        placeholder="Chọn tỉnh",
        key="merger_provinces",
    )
    moving = sum(int(counts[c]) for c in picked)
    if picked:
        st.markdown(
            f"Sẽ chuyển **{fmt.num(moving)} đơn vị** của {fmt.num(len(picked))} tỉnh sang tỉnh mới."
        )
        sure = st.checkbox(f"Tôi xác nhận chuyển {fmt.num(moving)} đơn vị.", key="merger_sure")
        if st.button("Chuyển sang tỉnh mới", type="primary", disabled=not sure, key="merger_go"):
            try:
                with st.spinner(f"Đang chuyển {fmt.num(moving)} đơn vị…"):
                    result = unit_admin.merge_provinces(data.engine(), picked, identity=who)
            except (UnitChangeError, PermissionDenied) as error:
                st.error(str(error), icon=":material/block:")
            else:
                _done(result)
