"""Tỷ lệ giới: female share of staff by agency and province, over time, and across units.

Clicking an agency drills down to its provinces, and a province to its units."""

import streamlit as st

from data_access.db.catalogue import PARITY_BAND
from data_access.views import takeaways
from ui import briefing, charts, data, fmt, page
from ui.auth import require

who = require("view")  # before anything else: see ui.auth.require

f = page.start("Tỷ lệ giới trong đội ngũ CCVC, người lao động")
briefing.offer(f)  # “Tải bản tóm tắt” in the sidebar
v = data.version()
period = data.ratio_latest_period(f, v)
if period is None:
    page.stop_empty()
latest = f.with_(periods=(period,))
at_latest = data.ratio_at_latest(f, period, v)  # the provinces and the units' spread, read at once

st.subheader(f"Theo ngành – {fmt.period(period)}")
by_agency = data.ratio_at(f, "agency", period, v)  # from the years' chart's figures
page.takeaway_of(
    takeaways.share_bars, by_agency, "agency_name", "staff_female_pct", "trong CCVC, người lao động"
)
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
by_province = data.ratio_over_time(drill, "province", v) if codes else at_latest.by_province
page.stop_if_empty(by_province)
page.takeaway_of(
    takeaways.share_bars,
    by_province,
    "province_name",
    "staff_female_pct",
    "trong CCVC, người lao động",
)
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
    units = data.unit_distribution(drill.with_(provinces=tuple(province_codes)), v)
    st.markdown(f"**Đơn vị ở {', '.join(province_names)}**")
    st.dataframe(
        fmt.grid(
            units.sort_values("staff_female_pct"),
            [
                "unit_name",
                "agency_code",
                "level",
                "staff_total",
                "staff_female",
                "staff_female_pct",
            ],
            pcts=["staff_female_pct"],
            ints=["staff_total", "staff_female"],
        ),
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
over_time = data.ratio_over_time(f, "agency", v)
lines = over_time.assign(series=over_time["agency_name"])
charts.show(charts.share_trend, lines, "year", "series", "staff_female_pct", "Tỷ lệ nữ (%)")
page.csv_download(over_time, "ty_le_nu_theo_nganh_theo_nam")

st.subheader(f"Phân bố các đơn vị theo tỷ lệ nữ – {fmt.period(period)}")
spread = at_latest.spread
left, right = st.columns([2, 1])
charts.show(charts.binned_histogram, spread.bins, "Tỷ lệ nữ trong CCVC (%)", where=left)
right.metric("Số đơn vị", fmt.num(len(spread.units)))
low, high = PARITY_BAND
right.metric(
    f"Đơn vị trong vùng cân bằng {fmt.num(low)}–{fmt.pct(high, 0)}", fmt.pct(spread.balanced_pct)
)
right.metric("Trung vị tỷ lệ nữ", fmt.pct(spread.median_pct))
