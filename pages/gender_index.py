"""Chỉ số bình đẳng giới: provinces and agencies ranked on a 1–100 index (100 = full equality),
each rank with its interval from the uncertainty analysis."""

import streamlit as st

from data_access.analytics import gender_index as gi
from data_access.analytics import index_uncertainty as iu
from data_access.domain import glossary
from ui import briefing, charts, data, fmt, page
from ui.auth import require

who = require("view")  # before anything else: see ui.auth.require

f = page.start("Chỉ số bình đẳng giới", "thang điểm 1–100, 100 là bình đẳng hoàn toàn")
briefing.offer(f)  # “Tải bản tóm tắt” in the sidebar
by = page.group_choice("Xếp hạng", key="idx_by", options=("province", "agency"))
v = data.version()
ranking = data.gender_index_ranking(by, f, v)
if ranking is None:
    page.stop_empty()
year = ranking.year
st.caption(
    f"Năm {year} · trung bình nhân có trọng số của các lĩnh vực (như EIGE) · trọng số: "
    + " · ".join(
        f"{gi.DOMAINS[d]} {fmt.num(100 * w, 0)}%" for d, w in data.gender_index_weights(v).items()
    )
)
st.caption(
    f"Khoảng hạng: trong {fmt.num(iu.INTERVAL[1] - iu.INTERVAL[0], 0)}% số lần mô phỏng "
    f"({fmt.num(iu.DRAWS, 0)} lần, mỗi trọng số thay đổi ±{fmt.num(100 * iu.WEIGHT_SPREAD, 0)}%, "
    "số liệu lấy từ năm gần nhất được giữ hoặc bỏ), hạng nằm trong khoảng này. "
    f"Không xếp hạng khi có dưới {gi.MIN_REPORTING_UNITS} đơn vị báo cáo."
)
page.takeaway(ranking.takeaway)
st.dataframe(
    ranking.shown[
        [
            "rank_text",
            "interval_text",
            "name",
            "index_text",
            "change_text",
            "arithmetic_rank",
            "arithmetic_text",
            "units_text",
            "flags",
        ]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "rank_text": "Hạng",
        "interval_text": "Khoảng hạng",
        "name": page.GROUP_LABELS[by],
        "index_text": st.column_config.Column("Chỉ số", help=glossary.help_text("gender_index")),
        "change_text": "Thay đổi so với năm trước",
        "arithmetic_rank": "Hạng (trung bình cộng)",
        "arithmetic_text": "Chỉ số (trung bình cộng)",
        "units_text": st.column_config.Column("Đơn vị báo cáo", help=glossary.help_text("small")),
        "flags": st.column_config.TextColumn("Ghi chú", width="large"),
    },
)
rows = ranking.latest
page.csv_download(lambda: rows.drop(columns=["missing", "imputed"]), f"chi_so_bdg_{by}_{year}")

st.subheader("Điểm theo lĩnh vực")
chosen = st.multiselect("So sánh", ranking.ranked, default=ranking.ranked[:3], key="idx_pick")
domains = data.gender_index_domains(by, f, tuple(chosen), v)
if not domains.empty:
    charts.show(charts.domain_scores, domains)

with st.expander("Phương pháp tính"):
    st.markdown(data.gender_index_methodology())

if who.can("admin"):
    with st.expander("Trọng số các lĩnh vực (quản trị)"):
        current = data.gender_index_weights(v)
        new = {
            d: st.number_input(label, 0.0, 1.0, float(current[d]), 0.05, key=f"w_{d}")
            for d, label in gi.DOMAINS.items()
        }
        if st.button("Lưu trọng số"):
            gi.set_weights(data.engine(), new, who.username)
            data.data_changed()
            st.rerun()
