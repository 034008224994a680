"""Đào tạo, phát triển: are women trained, promoted and recruited in proportion to their share?"""

import streamlit as st

from data_access.domain import glossary
from data_access.views import takeaways
from ui import briefing, charts, data, fmt, page
from ui.auth import require

who = require("view")  # before anything else: see ui.auth.require

f = page.start(
    "Đào tạo, bồi dưỡng và phát triển",
    "dòng (đào tạo, tuyển dụng) cộng trong các năm đã chọn; "
    "số lượng (thạc sĩ, tiến sĩ, đảng viên) lấy kỳ mới nhất",
)
briefing.offer(f)  # “Tải bản tóm tắt” in the sidebar
v = data.version()
overall = data.capacity_overall(f, v)
if overall["female_pct"].isna().all():
    page.stop_empty()

cols = st.columns(3)
for col, row in zip(cols * 2, overall.to_dict("records"), strict=False):
    col.metric(
        row["label"],
        fmt.pct(row["female_pct"]),
        help=f"Nữ {fmt.num(row['female'])} / {fmt.num(row['total'])}; hệ số đại diện "
        f"{fmt.num(row['representation'], fmt.RATIO_DECIMAL_PLACES)}.\n\n"
        + glossary.help_text("representation"),
    )

st.subheader("Hệ số đại diện của phụ nữ")
st.caption(
    "Tỷ lệ nữ của từng chỉ tiêu chia cho tỷ lệ nữ trong CCVC, người lao động: 1,0 là tương xứng; "
    "dưới 1,0 là phụ nữ ít được cử đi, tuyển dụng hoặc có bằng cấp hơn tỷ lệ của họ."
)
page.takeaway(takeaways.representation(overall))
charts.show(charts.representation, overall)
page.csv_download(overall, "he_so_dai_dien")

st.subheader("Theo ngành")
by_agency = data.capacity_by_agency(f, v)
if by_agency is not None:
    st.dataframe(
        fmt.grid(
            by_agency.wide,
            by_agency.wide.columns,
            decimals=dict.fromkeys(by_agency.pairs, fmt.RATIO_DECIMAL_PLACES),
        ),
        hide_index=True,
        width="stretch",
        column_config={"agency_name": "Ngành", **{p: data.pair_label(p) for p in by_agency.pairs}},
    )
    page.csv_download(lambda: data.capacity(f, "agency", v), "he_so_dai_dien_theo_nganh")
    if by_agency.older:
        st.caption(
            "Số liệu tại kỳ báo cáo mới nhất của mỗi ngành; khác kỳ mới nhất của lựa chọn: "
            + fmt.literal(
                "; ".join(f"{n} ({fmt.period(p).lower()})" for n, p in by_agency.older.items())
            )
            + ". Hệ số đại diện tính trên cùng kỳ đó."
        )
