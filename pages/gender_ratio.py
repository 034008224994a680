"""Tỷ lệ giới: female share of staff by agency and province, over time, and across units.

Clicking an agency drills down to its provinces, and a province to its units."""

import streamlit as st

from ui import charts, data, fmt, page
from ui.auth import require

who = require("view")  # before anything else: see ui.auth.require

f = page.start("Tỷ lệ giới trong đội ngũ CCVC, người lao động")
period = data.view("latest_period", f)
if period is None:
    page.stop_if_empty(None)
latest = f.with_(periods=(period,))

st.subheader(f"Theo ngành – {period}")
by_agency = data.view("ratio_over_time", latest, "agency")
event = charts.show(
    charts.share_bars,
    by_agency,
    "agency_name",
    "Ngành",
    "staff_female_pct",
    select_name="agency_pick",
    count_tooltip=("staff_total", "Tổng số CCVC"),
    key="ratio_agency",
    select=True,
)
picked = (
    [p["agency_name"] for p in event.selection.get("agency_pick", [])]
    if event and event.selection
    else []
)
codes = by_agency.loc[by_agency["agency_name"].isin(picked), "agency_code"].tolist()

drill = latest.with_(agencies=tuple(codes)) if codes else latest
title = f"Theo tỉnh, thành phố – {', '.join(picked)}" if picked else "Theo tỉnh, thành phố"
st.subheader(title)
st.caption(
    "Bấm vào một ngành ở biểu đồ trên để xem các tỉnh của ngành đó; bấm vào một tỉnh để xem các đơn vị."
)
by_province = data.view("ratio_over_time", drill, "province")
page.stop_if_empty(by_province)
event = charts.show(
    charts.share_bars,
    by_province,
    "province_name",
    "Tỉnh, thành phố",
    "staff_female_pct",
    select_name="province_pick",
    key="ratio_province",
    select=True,
)
province_names = (
    [p["province_name"] for p in event.selection.get("province_pick", [])]
    if event and event.selection
    else []
)
if province_names:
    province_codes = by_province.loc[
        by_province["province_name"].isin(province_names), "province_code"
    ].tolist()
    units = data.view("unit_distribution", drill.with_(provinces=tuple(province_codes)))
    st.markdown(f"**Đơn vị ở {', '.join(province_names)}**")
    shown = fmt.table(
        units.sort_values("staff_female_pct"),
        pcts=["staff_female_pct"],
        ints=["staff_total", "staff_female"],
    )
    st.dataframe(
        shown[
            ["unit_name", "agency_code", "level", "staff_total", "staff_female", "staff_female_pct"]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "unit_name": "Đơn vị",
            "agency_code": "Ngành",
            "level": "Cấp",
            "staff_total": "Tổng số",
            "staff_female": "Nữ",
            "staff_female_pct": "Tỷ lệ nữ",
        },
    )

st.subheader("Qua các năm")
over_time = data.view("ratio_over_time", f, "agency")
lines = over_time.assign(series=over_time["agency_name"])
charts.show(charts.share_trend, lines, "year", "series", "staff_female_pct", "Tỷ lệ nữ (%)")
page.csv_download(over_time, "ty_le_nu_theo_nganh_theo_nam")

st.subheader(f"Phân bố các đơn vị theo tỷ lệ nữ – {period}")
spread = data.view("unit_distribution", latest)
left, right = st.columns([2, 1])
charts.show(charts.histogram, spread["staff_female_pct"], "Tỷ lệ nữ trong CCVC (%)", where=left)
right.metric("Số đơn vị", fmt.num(len(spread)))
right.metric(
    "Đơn vị trong vùng cân bằng 40–60%",
    fmt.pct(100 * spread["staff_female_pct"].between(40, 60).mean() if len(spread) else None),
)
right.metric(
    "Trung vị tỷ lệ nữ", fmt.pct(spread["staff_female_pct"].median() if len(spread) else None)
)
