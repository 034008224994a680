"""Tra cứu, xuất dữ liệu: the filtered table at unit, province or agency level, and its export."""

import streamlit as st

from data_access.analytics import exports
from data_access.queries.aggregate import female_pct_columns
from data_access.reporting import documents_issued
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
st.caption(
    f"{fmt.num(len(result))} dòng"
    + " · mỗi dòng là một "
    + LEVELS[level].lower()
    + " trong một kỳ báo cáo"
)
ints = [c for c in chosen if catalogue.by_code[c].value_type == "int"]
shown = fmt.table(result, pcts=pct, ints=ints, decimals={c: 1 for c in chosen if c not in ints})
st.dataframe(exports.vietnamese_frame(shown, catalogue), hide_index=True, width="stretch")

left, right, documents = st.columns(3)
# The files are built (and the export audited) only when a button is pressed; downloads do not
# rerun the page (a rerun during the other button's download could drop it).
left.download_button(
    "Tải CSV",
    lambda: exports.export(
        data.engine(), level, f, "csv", indicators=chosen, identity=who, headings="vi"
    )[0],
    f"du_lieu_{level}.csv",
    mime="text/csv",
    icon="⬇️",
    on_click="ignore",
)
right.download_button(
    "Tải Excel (.xlsx)",
    lambda: documents_issued.xlsx_export(data.engine(), level, f, identity=who, indicators=chosen),
    f"du_lieu_{level}.xlsx",
    icon="⬇️",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
)
# I.1's lists of documents issued, by unit: also a sheet of the Excel file.
documents.download_button(
    "Tải CSV văn bản ban hành",
    lambda: documents_issued.to_csv(data.engine(), f, identity=who)[0],
    "van_ban_ban_hanh.csv",
    mime="text/csv",
    icon="⬇️",
    on_click="ignore",
    help="Danh sách văn bản ban hành (số, ngày, trích yếu) các đơn vị kê trong mục I.1 của "
    "báo cáo, theo bộ lọc đang chọn; cũng có trong trang tính “Văn bản ban hành” của file Excel.",
)
