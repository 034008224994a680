"""Hoạt động, chiến dịch: activities and people reached in each campaign, and men taking part."""

import streamlit as st

from data_access.ingest.activities import CAMPAIGN_LABELS_VI
from ui import charts, data, fmt, page
from ui.auth import require

who = require("view")  # before anything else: see ui.auth.require

SHORT = {
    "ACTION_MONTH_GE": "Tháng hành động BĐG",
    "DV_MONTH": "Tháng phòng, chống BLGĐ",
    "IWD_0803": "Ngày 8/3",
    "VWD_2010": "Ngày 20/10",
    "OTHER": "Khác",
}

f = page.start("Hoạt động hưởng ứng các đợt truyền thông")
by_campaign = data.view("activities", f, ("campaign",))
page.stop_if_empty(by_campaign)

cols = st.columns(4)
cols[0].metric("Số hoạt động", fmt.num(by_campaign["activities"].sum()))
cols[1].metric("Lượt người tham gia", fmt.num(by_campaign["participants"].sum()))
men = 100 * by_campaign["participants_male"].sum() / max(by_campaign["participants"].sum(), 1)
cols[2].metric(
    "Tỷ lệ nam giới tham gia",
    fmt.pct(men),
    help="Công văn 574 đề nghị thu hút nam giới tham gia các hoạt động.",
)
by_year = data.view("activities", f, ("year",))
if len(by_year) > 1:
    change = by_year.iloc[-1]["male_pct"] - by_year.iloc[-2]["male_pct"]
    cols[3].metric(
        f"Nam giới tham gia năm {int(by_year.iloc[-1]['year'])}",
        fmt.pct(by_year.iloc[-1]["male_pct"]),
        fmt.pct_points(change),
    )

st.subheader("Người tham gia theo đợt và giới")
view = by_campaign.assign(label=by_campaign["campaign"].map(SHORT))
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
yearly = data.view("activities", f, ("year", "campaign"))
yearly = yearly.assign(label=yearly["campaign"].map(SHORT), year=yearly["year"].astype(str))
charts.show(
    charts.sex_stacked,
    yearly.groupby("year", as_index=False)[["participants_female", "participants_male"]].sum(),
    "year",
    "Năm",
    "participants_female",
    "participants_male",
    "Lượt người tham gia",
)
page.csv_download(yearly, "hoat_dong_theo_nam")

st.subheader("Trong năm: Tháng hành động (15/11–15/12) và tháng 6 nổi bật")
days = data.view("activity_days", f)
charts.show(charts.timeline, days, SHORT)


def activity_table(frame, name: str, label: str) -> None:  # type: ignore[no-untyped-def]
    """Activities, participants and men's share, by agency, unit or province."""
    shown = fmt.table(frame, pcts=["male_pct"], ints=["activities", "participants"])
    st.dataframe(
        shown[[name, "activities", "participants", "male_pct"]],
        hide_index=True,
        width="stretch",
        column_config={
            name: label,
            "activities": "Hoạt động",
            "participants": "Người tham gia",
            "male_pct": "Tỷ lệ nam",
        },
    )


left, right = st.columns(2)
with left:
    st.subheader("Theo ngành")
    activity_table(data.view("activities", f, ("agency",)), "agency_name", "Ngành")
with right:
    st.subheader("Đơn vị tích cực nhất" + (f" năm {f.year_to}" if f.year_to else ""))
    activity_table(data.view("activities", f, ("unit",), top=10), "unit_name", "Đơn vị")
st.subheader("Theo tỉnh, thành phố")
provinces = data.view("activities", f, ("province",)).sort_values("activities", ascending=False)
activity_table(provinces, "province_name", "Tỉnh, thành phố")
st.caption(" · ".join(f"{SHORT[c]}: {label}" for c, label in CAMPAIGN_LABELS_VI.items()))
