"""Tra cứu, xuất dữ liệu: the filtered table at unit, province or agency level, and its export."""

import streamlit as st

from data_access.analytics import exports
from data_access.queries.aggregate import female_pct_columns
from ui import data, fmt, page
from ui.auth import require

who = require("view")  # before anything else: see ui.auth.require

LEVELS = {"agency": "Ngành", "province": "Tỉnh, thành phố", "unit": "Đơn vị"}

f = page.start("Tra cứu và xuất dữ liệu")
v = data.version()
catalogue = data.catalogue(v)
level = page.group_choice(
    "Cấp tổng hợp", key="ex_level", options=("province", "agency", "unit"), labels=LEVELS
)
default = [
    c
    for c in ("staff_total", "staff_female", "managers_total", "managers_female")
    if c in catalogue
]
chosen = st.multiselect(
    "Chỉ tiêu",
    catalogue.codes,
    default=default,
    key="ex_indicators",
    format_func=lambda c: catalogue.by_code[c].heading_vi,
)
if not chosen:
    st.info("Chọn ít nhất một chỉ tiêu.")
    st.stop()
result = data.export_table(level, f, tuple(chosen), v)
page.stop_if_empty(result)
pct = female_pct_columns(catalogue, chosen)
labels = {c: catalogue.by_code[c].heading_vi for c in chosen} | {
    p.pct_column: f"Tỷ lệ nữ – {p.label_vi} (%)"
    for p in catalogue.pairs.values()
    if p.pct_column in pct
}
st.caption(
    f"{fmt.num(len(result))} dòng"
    + " · mỗi dòng là một "
    + LEVELS[level].lower()
    + " trong một kỳ báo cáo"
)
st.dataframe(
    result,
    hide_index=True,
    width="stretch",
    column_config={
        **labels,
        "agency_code": "Mã ngành",
        "agency_name": "Ngành",
        "province_code": "Mã tỉnh",
        "province_set": "Bộ mã",
        "province_name": "Tỉnh, thành phố",
        "unit_code": "Mã đơn vị",
        "unit_name": "Đơn vị",
        "period": "Kỳ",
    },
)

left, right = st.columns(2)
# The files are built (and the export audited) only when a button is pressed; downloads do not
# rerun the page (a rerun during the other button's download could drop it).
left.download_button(
    "Tải CSV",
    lambda: exports.export(data.engine(), level, f, "csv", indicators=chosen, identity=who)[0],
    f"du_lieu_{level}.csv",
    mime="text/csv",
    icon="⬇️",
    on_click="ignore",
)
right.download_button(
    "Tải Excel (.xlsx)",
    lambda: exports.export(data.engine(), level, f, "xlsx", indicators=chosen, identity=who)[0],
    f"du_lieu_{level}.xlsx",
    icon="⬇️",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
)
