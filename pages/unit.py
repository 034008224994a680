"""Đơn vị: one unit's figures over time, its latest report with the narrative texts, and its
campaign activities."""

import streamlit as st

from data_access.db.catalogue import PairGroup
from data_access.domain.filters import LEVEL_LABELS_VI
from data_access.domain.province_sets import ProvinceSet
from data_access.domain.safe_text import clean_text
from data_access.ingest.activities import CAMPAIGN_LABELS_VI
from ui import charts, data, fmt, page
from ui.auth import require

who = require("view")  # before anything else: see ui.auth.require
MAX_CHOICES = 500  # a selectbox of fifty thousand units helps nobody: search narrows it

f = page.start("Hồ sơ đơn vị")
search = st.text_input(
    "Tìm đơn vị (tên hoặc mã)", placeholder="VD: Quảng Trị, BHXH-QUANGTRI", key="unit_search"
)
choices = data.unit_choices(search.strip() or None, who.agencies, MAX_CHOICES, data.version())
labels, total = choices.labels, choices.total
if not labels:
    st.info("Không tìm thấy đơn vị nào. Thử một phần tên, ví dụ “Quảng Trị”.")
    st.stop()
if total > MAX_CHOICES:
    st.caption(
        f"{fmt.num(total)} đơn vị khớp; hiển thị {fmt.num(MAX_CHOICES)} đầu tiên — gõ thêm để thu hẹp."
    )
code = st.selectbox(
    f"Đơn vị ({fmt.num(total)} kết quả; gõ vào ô để lọc)",
    list(labels),
    format_func=labels.__getitem__,
    key="unit_code",
)
profile = data.unit_profile(code or "", f, data.version())
if profile is None:
    st.warning("Không xem được đơn vị này.")
    st.stop()
unit = profile.unit
st.markdown(
    f"**{fmt.literal(unit['name'])}** · {unit['agency_code']} · {LEVEL_LABELS_VI.get(unit['level'], unit['level'])} · "
    f"{fmt.literal(unit['province_name'])} ({ProvinceSet(unit['province_set']).short_label_vi})"
)
series = profile.series
page.stop_if_empty(series, "Đơn vị này chưa có báo cáo nào.")

last = series.iloc[-1]
headline = data.catalogue(data.version()).group(PairGroup.HEADLINE)
cols = st.columns(len(headline))
for col, pair in zip(cols, headline, strict=True):
    col.metric(f"Tỷ lệ nữ – {data.pair_label(pair)}", fmt.pct(last[f"{pair}_female_pct"]))
    col.caption(
        f"{fmt.num(last[f'{pair}_female'])}/{fmt.num(last[f'{pair}_total'])} người · "
        f"{fmt.period(last['period'])}"
    )

st.subheader("Qua các kỳ báo cáo")
charts.show(charts.share_trend, profile.trend, "year", "series", "share", "Tỷ lệ nữ (%)")
page.csv_download(series, f"don_vi_{code}")

latest = profile.latest
if latest is not None:
    st.subheader(f"Báo cáo mới nhất: {fmt.period(latest['period'])}")
    st.caption(
        f"Ngày báo cáo {fmt.date(latest['report_date'])} · nhận ngày "
        f"{fmt.date(latest['received_at'].date() if latest['received_at'] is not None else None)}"
    )
    for key, title in (
        ("assessment", "Đánh giá chung"),
        ("limitations", "Hạn chế, nguyên nhân"),
        ("plan", "Phương hướng kỳ tới"),
        ("recommendations", "Kiến nghị, đề xuất"),
    ):
        text = latest.get(key)
        with st.expander(title, expanded=key == "assessment"):
            # Users' text as plain text: no Markdown (no image fetched, no link, no heading).
            if text:
                st.text(clean_text(text), width="stretch")
            else:
                st.caption("Không có nội dung.")

st.subheader("Hoạt động hưởng ứng")
acts = profile.activities
if acts.empty:
    st.caption("Chưa có hoạt động nào được ghi nhận.")
else:
    acts = acts.assign(
        campaign=acts["campaign"].map(CAMPAIGN_LABELS_VI),
        start_date=acts["start_date"].map(fmt.date),
    )
    st.dataframe(
        fmt.grid(
            acts,
            [
                "start_date",
                "campaign",
                "activity_type",
                "title",
                "participants_female",
                "participants_male",
            ],
            ints=["participants_female", "participants_male"],
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "start_date": "Ngày",
            "campaign": "Đợt",
            "activity_type": "Hình thức",
            "title": "Hoạt động",
            "participants_female": "Nữ",
            "participants_male": "Nam",
        },
    )
