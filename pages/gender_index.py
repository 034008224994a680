"""Chỉ số bình đẳng giới: provinces and agencies ranked on a 1–100 index (100 = full equality)."""

import streamlit as st

from data_access import gender_index as gi
from ui import charts, data, fmt, page
from ui.auth import require

who = require("view")  # before anything else: see ui.auth.require

f = page.start("Chỉ số bình đẳng giới", "thang điểm 1–100, 100 là bình đẳng hoàn toàn")
by = page.group_choice("Xếp hạng", key="idx_by", options=("province", "agency"))
v = data.version()
table = data.gender_index_table(by, f, v)
page.stop_if_empty(table.dropna(subset=["index"]) if len(table) else table)
year = int(table["year"].max())
latest = table[table["year"] == year].sort_values("rank")
st.caption(
    f"Năm {year} · trọng số: "
    + " · ".join(
        f"{gi.DOMAINS[d]} {fmt.num(100 * w, 0)}%" for d, w in data.gender_index_weights(v).items()
    )
)

shown = latest.assign(
    index_text=latest["index"].map(lambda v: fmt.num(v, 1)),
    change_text=latest["change"].map(lambda v: fmt.num(v, 1) if v == v else "–"),
    equal_text=latest["index_equal_weights"].map(lambda v: fmt.num(v, 1)),
    flags=latest["missing"].map(
        lambda m: "Thiếu dữ liệu: " + ", ".join(gi.DOMAINS[d] for d in m) if m else ""
    ),
)
st.dataframe(
    shown[
        ["rank", "name", "index_text", "change_text", "rank_equal_weights", "equal_text", "flags"]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "rank": "Hạng",
        "name": page.GROUP_LABELS[by],
        "index_text": "Chỉ số",
        "change_text": "Thay đổi so với năm trước",
        "rank_equal_weights": "Hạng nếu trọng số bằng nhau",
        "equal_text": "Chỉ số (trọng số bằng nhau)",
        "flags": "Ghi chú",
    },
)
page.csv_download(latest.drop(columns="missing"), f"chi_so_bdg_{by}_{year}")

st.subheader("Điểm theo lĩnh vực")
names = latest.dropna(subset=["index"])["name"].tolist()
chosen = st.multiselect("So sánh", names, default=names[:3], key="idx_pick")
domains = latest[latest["name"].isin(chosen)].melt(
    id_vars=["name"],
    value_vars=[f"domain_{d}" for d in gi.DOMAINS],
    var_name="domain",
    value_name="score",
)
domains["domain"] = domains["domain"].str.removeprefix("domain_").map(gi.DOMAINS)
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
