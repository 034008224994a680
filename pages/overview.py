"""Tổng quan: where the female shares stand, whether they improve, and who lags."""

import streamlit as st

from data_access.queries import FEMALE_LEADER_PCT
from ui import charts, data, fmt, page
from ui.auth import require

who = require("view")  # before anything else: see ui.auth.require

HEADLINE = {
    "staff": "CCVC, người lao động",
    "managers": "Lãnh đạo, quản lý",
    "key_leaders": "Lãnh đạo chủ chốt",
    "heads": "Người đứng đầu",
}

f = page.start("Tổng quan bình đẳng giới")
by = (
    st.segmented_control(
        "Xếp hạng theo",
        ["agency", "province"],
        default="agency",
        format_func={"agency": "Ngành", "province": "Tỉnh, thành phố"}.get,
        key="ov_by",
    )
    or "agency"
)
overview = data.view("overview", f, laggards_by=by)
if overview.latest is None:
    page.stop_if_empty(
        None, "Chưa có báo cáo nào cho lựa chọn này. Hãy nới rộng bộ lọc hoặc tải dữ liệu lên."
    )

latest, previous = overview.latest, overview.previous
comparison = f"so với {previous['period']}" if previous is not None else ""
st.caption(
    f"Kỳ mới nhất trong lựa chọn: **{latest['period']}** · {fmt.num(latest['n_units'])} đơn vị báo cáo"
)

cols = st.columns(len(HEADLINE))
for col, (pair, label) in zip(cols, HEADLINE.items(), strict=True):
    value = latest[f"{pair}_female_pct"]
    delta = value - previous[f"{pair}_female_pct"] if previous is not None else None
    col.metric(
        f"Tỷ lệ nữ – {label}",
        fmt.pct(value),
        fmt.pct_points(delta) if delta is not None else None,
        help=f"Nữ {fmt.num(latest[f'{pair}_female'])} / tổng số {fmt.num(latest[f'{pair}_total'])}; thay đổi {comparison}.",
    )

left, right = st.columns(2)
share = latest[FEMALE_LEADER_PCT]
prev_share = previous[FEMALE_LEADER_PCT] if previous is not None else None
target = overview.target
left.metric(
    "Đơn vị có lãnh đạo chủ chốt là nữ",
    fmt.pct(share),
    fmt.pct_points(share - prev_share) if prev_share is not None else None,
    help="Chiến lược quốc gia về bình đẳng giới 2021–2030 (Nghị quyết 28/NQ-CP): 60% năm 2025, 75% năm 2030.",
)
if target is not None:
    gap = share - target
    left.caption(
        f"Mục tiêu {fmt.pct(target, 0)}: "
        + ("**đã đạt**" if gap >= 0 else f"còn thiếu **{fmt.num(-gap, 1)} điểm %**")
    )
reporting = overview.reporting
right.metric(
    "Tỷ lệ đơn vị đã báo cáo",
    fmt.pct(reporting["reporting_rate"]),
    help=f"{fmt.num(reporting['received'])} / {fmt.num(reporting['expected'])} đơn vị phải báo cáo kỳ {latest['period']}; "
    f"đúng hạn {fmt.pct(reporting['on_time_rate'])} số đã nhận.",
)

st.subheader("Xu hướng tỷ lệ nữ")
long = overview.trend.melt(
    id_vars=["year"],
    value_vars=[f"{p}_female_pct" for p in HEADLINE],
    var_name="pair",
    value_name="share",
)
long["series"] = long["pair"].str.removesuffix("_female_pct").map(HEADLINE)
charts.show(charts.share_trend, long, "year", "series", "share", "Tỷ lệ nữ (%)")
page.csv_download(overview.trend, "xu_huong_ty_le_nu")

name_col = "agency_name" if by == "agency" else "province_name"
st.subheader("5 " + ("ngành" if by == "agency" else "tỉnh, thành phố") + " cần quan tâm nhất")
st.caption(
    "Xa mục tiêu nhất về tỷ lệ đơn vị có lãnh đạo chủ chốt là nữ, rồi xa cân bằng giới nhất về lãnh đạo, quản lý."
)
laggards = overview.laggards
shown = fmt.table(
    laggards,
    pcts=[FEMALE_LEADER_PCT, "managers_female_pct", "key_leaders_female_pct"],
    ints=["n_units"],
)
st.dataframe(
    shown[
        [name_col, FEMALE_LEADER_PCT, "managers_female_pct", "key_leaders_female_pct", "n_units"]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        name_col: "Ngành" if by == "agency" else "Tỉnh, thành phố",
        FEMALE_LEADER_PCT: "Đơn vị có LĐCC nữ",
        "managers_female_pct": "Nữ lãnh đạo, quản lý",
        "key_leaders_female_pct": "Nữ lãnh đạo chủ chốt",
        "n_units": "Số đơn vị",
    },
)
