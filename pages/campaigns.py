"""Hoạt động, chiến dịch: activities and people reached in each campaign, and men taking part."""

import streamlit as st

from data_access.ingest.activities import CAMPAIGN_LABELS_VI
from data_access.views import takeaways
from data_access.views.campaigns import SHORT_LABELS_VI
from ui import briefing, charts, data, fmt, page
from ui.auth import require

who = require("view")  # before anything else: see ui.auth.require

# The most active units listed, most first.
MOST_ACTIVE_SHOWN = 10

f = page.start("Hoạt động hưởng ứng các đợt truyền thông")
briefing.offer(f)  # “Tải bản tóm tắt” in the sidebar
v = data.version()
by_campaign = data.activities(f, ("campaign",), None, v)
page.stop_if_empty(by_campaign)

summary = data.campaign_summary(f, v)
cols = st.columns(4)
cols[0].metric("Số hoạt động", fmt.num(summary.activities))
cols[1].metric("Lượt người tham gia", fmt.num(summary.participants))
cols[2].metric(
    "Tỷ lệ nam giới tham gia",
    fmt.pct(summary.male_pct),
    help="Công văn 574 đề nghị thu hút nam giới tham gia các hoạt động.",
)
if summary.latest_year is not None:
    cols[3].metric(
        f"Nam giới tham gia năm {summary.latest_year}",
        fmt.pct(summary.latest_male_pct),
        fmt.pct_points(summary.male_pct_change) if summary.male_pct_change is not None else None,
    )

st.subheader("Người tham gia theo đợt và giới")
view = data.labelled_activities(f, ("campaign",), v)
page.takeaway(
    takeaways.sex_stacked(
        view, "label", "participants_female", "participants_male", "lượt người tham gia"
    )
)
charts.show(
    charts.sex_stacked,
    view,
    "label",
    "Đợt",
    "participants_female",
    "participants_male",
    "Lượt người tham gia",
)
page.csv_download(by_campaign, "hoat_dong_theo_dot")

st.subheader("Theo năm")
charts.show(
    charts.sex_stacked,
    data.participants_by_year(f, v),
    "year",
    "Năm",
    "participants_female",
    "participants_male",
    "Lượt người tham gia",
)
page.csv_download(
    lambda: data.labelled_activities(f, ("year", "campaign"), v), "hoat_dong_theo_nam"
)

st.subheader("Trong năm: Tháng hành động (15/11–15/12) và tháng 6 nổi bật")
days = data.activity_days(f, v)
charts.show(charts.timeline, days, SHORT_LABELS_VI)


def activity_table(by: str, label: str, top: int | None = None) -> None:
    """Activities, participants and men's share, by agency, unit or province."""
    st.dataframe(
        data.activity_table(f, by, top, v),
        hide_index=True,
        width="stretch",
        column_config={
            f"{by}_name": label,
            "activities": "Hoạt động",
            "participants": "Người tham gia",
            "male_pct": "Tỷ lệ nam",
        },
    )


left, right = st.columns(2)
with left:
    st.subheader("Theo ngành")
    activity_table("agency", "Ngành")
with right:
    st.subheader("Đơn vị tích cực nhất" + (f" năm {f.year_to}" if f.year_to else ""))
    activity_table("unit", "Đơn vị", MOST_ACTIVE_SHOWN)
st.subheader("Theo tỉnh, thành phố")
activity_table("province", "Tỉnh, thành phố")
st.caption(" · ".join(f"{SHORT_LABELS_VI[c]}: {label}" for c, label in CAMPAIGN_LABELS_VI.items()))
