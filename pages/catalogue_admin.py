"""Chỉ tiêu: the indicator catalogue (list, add, deactivate) and targets per agency and year,
beside the national ones. Administrators only."""

import pandas as pd
import streamlit as st

from data_access.auth import PermissionDenied
from data_access.db.catalogue import PAIR_SUFFIX_VI, CatalogueError
from data_access.registry import catalogue_admin, targets
from ui import data, fmt
from ui.auth import require

who = require("admin")  # before anything else: see ui.auth.require

EVERY_AGENCY = ""  # the select boxes' choice for "every agency" / "national"
YES_NO = {True: "Có", False: "Không"}

st.title("Chỉ tiêu")
st.caption(
    "Danh mục chỉ tiêu báo cáo và mục tiêu theo ngành. Chỉ tiêu thêm ở đây có ngay trong "
    "file mẫu, kiểm tra dữ liệu, các trang và file xuất; chỉ tiêu ngừng dùng giữ nguyên số liệu đã có."
)
v = data.version()
agencies = data.agencies(v)
agency_names = dict(zip(agencies["code"], agencies["name"], strict=True))


def _agency(code: str | None) -> str:
    if not code or pd.isna(code):
        return "Mọi ngành"
    return f"{agency_names.get(code, code)} ({code})"


for message in st.session_state.pop("catalogue_done", []):
    st.success(message)

# --- the catalogue --------------------------------------------------------------------------------

st.subheader("Danh mục chỉ tiêu")
listing = data.indicator_listing(v)
left, right = st.columns(2)
only_active = left.toggle("Chỉ chỉ tiêu đang dùng", value=True, key="only_active")
agency_filter = right.selectbox(
    "Ngành",
    [EVERY_AGENCY, *agency_names],
    format_func=lambda c: "Tất cả" if c == EVERY_AGENCY else _agency(c),
    key="listing_agency",
)
shown = listing[listing["active"]] if only_active else listing
if agency_filter:
    shown = shown[shown["agency_code"].isna() | (shown["agency_code"] == agency_filter)]
st.dataframe(
    pd.DataFrame(
        {
            "Mã": shown["code"],
            "Tên chỉ tiêu": [
                f"{label} - {PAIR_SUFFIX_VI[role]}" if role in PAIR_SUFFIX_VI else label
                for label, role in zip(shown["label_vi"], shown["role"], strict=True)
            ],
            "Mục": shown["section"],
            "Dạng": ["Cặp tổng số – nữ" if p else "Đơn lẻ" for p in shown["pair"].notna()],
            "Kiểu giá trị": shown["value_type"].map(catalogue_admin.VALUE_TYPES_VI),
            "Loại": shown["kind"].map(catalogue_admin.KINDS_VI),
            "Ngành": shown["agency_code"].map(_agency),
            "Đang dùng": shown["active"].map(YES_NO),
        }
    ),
    hide_index=True,
    width="stretch",
    column_config={"Tên chỉ tiêu": st.column_config.TextColumn(width="large")},
)
st.caption(f"{fmt.num(len(shown))} chỉ tiêu.")

with st.form("add_indicator", clear_on_submit=False):
    st.markdown("**Thêm chỉ tiêu**")
    left, right = st.columns(2)
    code = left.text_input(
        "Mã chỉ tiêu (chữ thường, không dấu)", placeholder="VD: dao_tao_so", key="add_code"
    )
    label = right.text_input("Tên chỉ tiêu", key="add_label")
    pair = left.radio(
        "Dạng",
        [True, False],
        format_func=lambda p: "Cặp tổng số – nữ" if p else "Đơn lẻ",
        horizontal=True,
        key="add_pair",
    )
    value_type = right.radio(
        "Kiểu giá trị",
        list(catalogue_admin.VALUE_TYPES_VI),
        format_func=catalogue_admin.VALUE_TYPES_VI.__getitem__,
        horizontal=True,
        key="add_value_type",
    )
    kind = left.radio(
        "Loại",
        list(catalogue_admin.KINDS_VI),
        format_func=catalogue_admin.KINDS_VI.__getitem__,
        index=1,
        key="add_kind",
    )
    section = right.text_input("Mục trong đề cương", placeholder="VD: 2.1", key="add_section")
    agency = left.selectbox(
        "Ngành", [EVERY_AGENCY, *agency_names], format_func=_agency, key="add_agency"
    )
    unit_vi = right.text_input("Đơn vị tính (nếu có)", placeholder="VD: người", key="add_unit")
    if st.form_submit_button("Thêm chỉ tiêu", type="primary"):
        try:
            rows = catalogue_admin.definitions(
                code,
                label,
                section,
                pair=bool(pair),
                value_type=str(value_type),
                kind=str(kind),
                agency_code=agency or None,
                unit_vi=unit_vi.strip() or None,
            )
            catalogue_admin.add(data.engine(), rows, identity=who)
        except (CatalogueError, PermissionDenied) as error:
            st.error(str(error), icon=":material/block:")
        else:
            st.session_state["catalogue_done"] = [
                f"Đã thêm chỉ tiêu {', '.join(r.code for r in rows)}."
            ]
            data.data_changed()
            st.rerun()

active = listing[listing["active"]]
if not active.empty:
    with st.form("deactivate_indicator"):
        st.markdown("**Ngừng dùng chỉ tiêu**")
        labels = dict(zip(active["code"], active["label_vi"], strict=True))
        off = st.selectbox(
            "Chỉ tiêu",
            list(labels),
            format_func=lambda c: f"{labels[c]} ({c})",
            key="off_code",
        )
        st.caption(
            "Chỉ tiêu ngừng dùng không còn trong file mẫu và các trang; số liệu đã có được giữ "
            "nguyên. Với chỉ tiêu dạng cặp, cả tổng số và nữ cùng ngừng dùng."
        )
        sure = st.checkbox("Tôi xác nhận ngừng dùng chỉ tiêu này.", key="off_sure")
        if st.form_submit_button("Ngừng dùng"):
            if not sure:
                st.error("Hãy đánh dấu xác nhận trước khi ngừng dùng chỉ tiêu.")
            else:
                try:
                    done = catalogue_admin.deactivate(data.engine(), off, identity=who)
                except (CatalogueError, PermissionDenied) as error:
                    st.error(str(error), icon=":material/block:")
                else:
                    st.session_state["catalogue_done"] = [
                        f"Đã ngừng dùng chỉ tiêu {', '.join(done)}."
                        if done
                        else "Chỉ tiêu này đã ngừng dùng trước đó."
                    ]
                    data.data_changed()
                    st.rerun()

# --- targets --------------------------------------------------------------------------------------

st.subheader("Mục tiêu theo ngành")
st.caption(
    f"{targets.MEASURE_LABELS_VI[targets.TARGET_MEASURE]}. Theo Quyết định 2282, ngành có dưới 30% "
    "nữ trong tổng số cán bộ có thể đặt mục tiêu riêng; biểu đồ của ngành dùng mục tiêu riêng "
    "thay cho mục tiêu chung toàn quốc."
)
if not agency_names:
    st.info("Chưa có ngành nào. Nhập danh mục ngành ở trang Thiết lập trước.")
    st.stop()
target_agency = st.selectbox("Ngành", list(agency_names), format_func=_agency, key="target_agency")
compared = data.target_comparison(target_agency, v)
if compared.empty:
    st.caption("Chưa có mục tiêu nào.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Năm": compared["year"].astype(str),
                "Mục tiêu chung toàn quốc": compared["national_pct"].map(lambda x: fmt.pct(x, 0)),
                "Mục tiêu riêng của ngành": compared["agency_pct"].map(lambda x: fmt.pct(x, 0)),
            }
        ),
        hide_index=True,
        width="stretch",
    )

with st.form("set_target"):
    left, right = st.columns(2)
    year = left.number_input(
        "Năm",
        min_value=targets.FIRST_YEAR,
        max_value=targets.LAST_YEAR,
        value=2030,
        step=1,
        key="target_year",
    )
    # Whole percentages: the number box would write a decimal with a point, not a comma.
    value = right.number_input(
        "Mục tiêu (%)", min_value=0, max_value=100, value=60, step=1, key="target_value"
    )
    if st.form_submit_button("Đặt mục tiêu riêng", type="primary"):
        try:
            changed = targets.set_target(
                data.engine(), int(year), float(value), target_agency, identity=who
            )
        except (targets.TargetError, PermissionDenied) as error:
            st.error(str(error), icon=":material/block:")
        else:
            st.session_state["catalogue_done"] = [
                f"Đã đặt mục tiêu {fmt.pct(value, 0)} năm {int(year)} cho ngành {target_agency}."
                if changed
                else "Mục tiêu này đã có; không có thay đổi."
            ]
            data.data_changed()
            st.rerun()

own_years = compared.loc[compared["agency_pct"].notna(), "year"].tolist()
if own_years:
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    drop = left.selectbox(
        "Bỏ mục tiêu riêng của năm",
        own_years,
        format_func=lambda y: f"Năm {y}",
        key="target_drop_year",
    )
    if right.button("Bỏ mục tiêu riêng", key="target_drop"):
        targets.remove_target(data.engine(), int(drop), target_agency, identity=who)
        st.session_state["catalogue_done"] = [
            f"Đã bỏ mục tiêu riêng năm {drop} của ngành {target_agency}; "
            "mục tiêu chung toàn quốc được áp dụng lại."
        ]
        data.data_changed()
        st.rerun()
