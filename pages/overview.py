"""Tổng quan: where the female shares stand and how they move."""

import streamlit as st

from data_access.queries import FEMALE_LEADER_PCT, Filters
from ui import charts, data, fmt

st.title("Tổng quan bình đẳng giới")

PAIRS = {
    "staff": "Công chức, viên chức, người lao động",
    "managers": "Lãnh đạo, quản lý",
    "key_leaders": "Lãnh đạo chủ chốt",
    "heads": "Người đứng đầu",
}
indicators = tuple(code for pair in PAIRS for code in (f"{pair}_total", f"{pair}_female"))
trend = data.aggregate(Filters(period_kind="Y"), ("period",), indicators)

if trend.empty:
    st.info("Chưa có báo cáo nào trong cơ sở dữ liệu. Hãy tải dữ liệu lên để bắt đầu.")
    st.stop()

latest = trend.iloc[-1]
previous = trend.iloc[-2] if len(trend) > 1 else None
st.caption(f"Báo cáo năm {latest['year']} · {fmt.num(latest['n_units'])} đơn vị đã báo cáo")
columns = st.columns(len(PAIRS) + 1)
for column, (pair, label) in zip(columns, PAIRS.items(), strict=False):
    value = latest[f"{pair}_female_pct"]
    delta = value - previous[f"{pair}_female_pct"] if previous is not None else None
    column.metric(
        f"Tỷ lệ nữ – {label}", fmt.pct(value), fmt.pct_points(delta) if delta is not None else None
    )
columns[-1].metric(
    "Đơn vị có lãnh đạo chủ chốt là nữ",
    fmt.pct(latest[FEMALE_LEADER_PCT]),
    help="Chỉ tiêu Chiến lược quốc gia về bình đẳng giới: 60% năm 2025, 75% năm 2030.",
)

long = trend.melt(
    id_vars=["year"],
    value_vars=[f"{p}_female_pct" for p in PAIRS],
    var_name="pair",
    value_name="share",
)
long["series"] = long["pair"].str.removesuffix("_female_pct").map(PAIRS)
st.subheader("Tỷ lệ nữ theo năm")
st.altair_chart(
    charts.themed(charts.share_trend(long, "year", "series", "share", "Tỷ lệ nữ (%)")),
    width="stretch",
)
