"""Địa phương: a map of the provinces coloured by a chosen indicator, a ranking with trends, and a
side-by-side comparison of two provinces or agencies."""

import streamlit as st

from data_access.db.catalogue import PairGroup
from data_access.domain import completeness, glossary
from data_access.domain.province_sets import ProvinceSet
from data_access.queries.aggregate import FEMALE_LEADER_PCT
from data_access.views import takeaways
from ui import briefing, charts, data, fmt, page
from ui.auth import require

who = require("view")  # before anything else: see ui.auth.require

f = page.start("Bình đẳng giới theo địa phương")
briefing.offer(f)  # “Tải bản tóm tắt” in the sidebar
v = data.version()
measures = data.province_measures(v)
measure = st.selectbox(
    "Chỉ tiêu tô màu", list(measures), format_func=measures.__getitem__, key="prov_measure"
)
ranking = data.province_ranking(f, measure, v)
if not ranking.num_rows:  # no province has a value
    page.stop_empty()
mapped = data.province_map(f, measure, v)  # the values without their sparklines
label = measures[measure]
st.caption(
    f"{fmt.period(mapped['period'].iloc[0])} · "
    + (
        "34 tỉnh, thành phố"
        if f.province_set is ProvinceSet.CURRENT
        else "63 tỉnh, thành phố (địa giới cũ)"
    )
)

page.takeaway(takeaways.province_map(mapped, label))
left, right = st.columns([1, 1])
with left:
    if f.province_set is ProvinceSet.CURRENT:
        charts.show(charts.tile_map, mapped, label, width="content")
    else:
        charts.show(charts.dot_map, mapped, label, width="content")
with right:
    st.dataframe(
        ranking,
        hide_index=True,
        height=640,
        column_config={
            "province_name": "Tỉnh, thành phố",
            "value": st.column_config.TextColumn("Giá trị", help=label, width="small"),
            "trend": st.column_config.LineChartColumn(
                "Xu hướng theo năm", y_min=0, y_max=100, width="medium"
            ),
            "rank": st.column_config.TextColumn("Hạng", width="small"),
            "n_units": st.column_config.TextColumn("Số đơn vị", width="small"),
            "completeness": "Đã báo cáo / phải báo cáo",
        },
    )
    st.caption(f"{completeness.low_note_vi()}. {completeness.small_note_vi()}.")
page.csv_download(
    lambda: data.province_values(f, measure, v).drop(columns="trend"), f"dia_phuong_{measure}"
)

st.subheader("So sánh")
kind = page.group_choice(
    "So sánh hai",
    key="cmp_kind",
    options=("province", "agency"),
    labels={k: label.lower() for k, label in page.GROUP_LABELS.items()},
)
if kind == "province":
    options = dict(zip(mapped["province_code"], mapped["province_name"], strict=True))
else:
    options = data.agency_names((), v)
codes = list(options)
if len(codes) < 2:
    st.info("Cần ít nhất hai lựa chọn để so sánh.")
    st.stop()
a_col, b_col = st.columns(2)
first = a_col.selectbox(
    "Thứ nhất", codes, index=0, format_func=options.__getitem__, key=f"cmp_a_{kind}"
)
second = b_col.selectbox(
    "Thứ hai", codes, index=1, format_func=options.__getitem__, key=f"cmp_b_{kind}"
)
catalogue = data.catalogue(v)
headline = catalogue.group(PairGroup.HEADLINE)
for col, code in ((a_col, first), (b_col, second)):
    selection = f.with_(provinces=(code,)) if kind == "province" else f.with_(agencies=(code,))
    trend = data.aggregate(selection, ("period",), tuple(catalogue.pair_codes(headline)), v)
    if trend.empty:
        col.info("Không có số liệu.")
        continue
    last = trend.iloc[-1]
    col.markdown(f"**{options[code]}** · {fmt.period(last['period'])}")
    for pair in headline:
        col.metric(
            f"Tỷ lệ nữ – {data.pair_label(pair)}",
            fmt.pct(last[f"{pair}_female_pct"]),
            help=glossary.help_text("female_share"),
        )
    col.metric(
        "Đơn vị có LĐCC nữ", fmt.pct(last[FEMALE_LEADER_PCT]), help=glossary.help_text("ldcc")
    )
