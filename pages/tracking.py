"""Tình hình báo cáo: who reported for a period, on time or late, and who is missing."""

import datetime as dt
from typing import Any

import streamlit as st

from data_access.analytics.exports import to_csv_vi
from data_access.domain.filters import Filters
from data_access.domain.periods import latest_due, parse_period
from ui import data, fmt, reminders
from ui.auth import require

who = require("track")  # before anything else: see ui.auth.require

st.title("Tình hình báo cáo")
v = data.version()
periods = data.periods(None, v)["code"].tolist()
default = str(latest_due(dt.date.today()))
options = sorted(set(periods) | {default}, reverse=True)
period = st.selectbox(
    "Kỳ báo cáo",
    options,
    index=options.index(default),
    format_func=lambda p: parse_period(p).label_vi,
)
code = parse_period(period)
st.caption(
    f"Hạn nộp: {fmt.date(code.due_date)}. Đơn vị phải báo cáo: đơn vị đang hoạt động vào ngày hạn nộp."
)
filters = Filters(scope=who.agencies)

summary = data.reporting_overview(period, filters, v)
total = summary.total
if total.empty or not total.at[0, "expected"]:
    st.info("Không có đơn vị nào phải báo cáo trong kỳ này.")
    st.stop()
row = total.iloc[0]
cols = st.columns(5)
cols[0].metric("Phải báo cáo", fmt.num(row["expected"]))
cols[1].metric(
    "Đã nhận",
    fmt.num(row["received"]),
    f"{fmt.pct(row['reporting_rate'])} đơn vị",
    delta_color="off",
    delta_arrow="off",  # a share beside the count, not a change: no arrow
)
cols[2].metric(
    "Đúng hạn",
    fmt.num(row["on_time"]),
    f"{fmt.pct(row['on_time_rate'])} số đã nhận",
    delta_color="off",
    delta_arrow="off",
)
cols[3].metric("Muộn", fmt.num(row["late"]))
cols[4].metric("Chưa báo cáo", fmt.num(row["missing"]))

RATE_COLUMNS: dict[str, Any] = {
    "expected": "Phải báo cáo",
    "received": "Đã nhận",
    "on_time": "Đúng hạn",
    "late": "Muộn",
    "missing": "Chưa báo cáo",
    "reporting_rate": "Tỷ lệ báo cáo",
    "on_time_rate": "Tỷ lệ đúng hạn",
    "agency_name": "Ngành",
    "province_name": "Tỉnh, thành phố",
}
for tab, group in zip(
    st.tabs(["Theo ngành", "Theo tỉnh, thành phố"]), ("agency", "province"), strict=True
):
    with tab:
        st.dataframe(
            data.reporting_rates_shown(period, filters, group, v),
            hide_index=True,
            width="stretch",
            column_config=RATE_COLUMNS,
        )

st.subheader("Đơn vị chưa báo cáo hoặc báo cáo muộn")
rv = data.reports_version()
chase = data.units_to_chase(period, filters, who, rv)
if chase.empty:
    st.success("Tất cả đơn vị đã báo cáo đúng hạn.")
else:
    st.dataframe(
        data.units_to_chase_shown(period, filters, who, rv),
        hide_index=True,
        width="stretch",
        column_config={
            "unit_code": "Mã đơn vị",
            "unit_name": "Đơn vị",
            "agency_code": "Ngành",
            "province_name": "Tỉnh, thành phố",
            "status_vi": "Tình trạng",
            "report_state_vi": "Báo cáo trên biểu mẫu",
            "received_at": "Ngày nhận",
            "days_late": "Số ngày muộn",
        },
    )
    st.download_button(
        "Tải danh sách (CSV)",
        lambda: to_csv_vi(chase),  # written when clicked, not on every rerun
        f"don_vi_can_nhac_{period}.csv",
        mime="text/csv",
        on_click="ignore",
    )
    reminders.panel(who, period, data.units_missing(period, filters, who, rv))
