"""Lãnh đạo, quản lý: women in leadership, where they drop out, and the Strategy target."""

import functools

import streamlit as st

from data_access.db.catalogue import PairGroup
from data_access.domain import completeness, glossary
from data_access.queries.aggregate import FEMALE_LEADER_PCT
from data_access.views import takeaways
from ui import briefing, charts, data, fmt, page
from ui.auth import require

who = require("view")  # before anything else: see ui.auth.require

f = page.start("Phụ nữ trong lãnh đạo, quản lý")
briefing.offer(f)  # “Tải bản tóm tắt” in the sidebar
v = data.version()
pipeline = data.pipeline_labelled(f, v)
if pipeline["female_pct"].isna().all():
    page.stop_empty()

st.subheader("Đường ống lãnh đạo: phụ nữ rơi rụng ở đâu")
page.takeaway_of(takeaways.pipeline, pipeline)
charts.show(charts.pipeline_chart, pipeline)

st.subheader("Đơn vị có lãnh đạo chủ chốt là nữ so với mục tiêu")
trend = data.female_leader_trend(f, v)
charts.show(charts.target_trend, trend, FEMALE_LEADER_PCT, "Tỷ lệ đơn vị (%)")
st.caption(
    f"Mục tiêu Chiến lược quốc gia về bình đẳng giới 2021–2030: {fmt.targets(data.targets(v))} "
    "(tỷ lệ cơ quan, đơn vị có lãnh đạo chủ chốt là nữ)."
)
page.csv_download(trend, "don_vi_co_lanh_dao_chu_chot_nu")

st.subheader("Tỷ lệ nữ theo vị trí")
by = page.group_choice("Theo", key="lead_by")
shares = data.leadership_shares(f, by, v)
name = f"{by}_name"
pairs = data.catalogue(v).group(PairGroup.LEADERSHIP)
columns = [f"{p}_female_pct" for p in pairs]
st.dataframe(
    fmt.grid(
        shares,
        [name, *columns, FEMALE_LEADER_PCT, "completeness", "note"],
        pcts=[*columns, FEMALE_LEADER_PCT],
    ),
    hide_index=True,
    width="stretch",
    column_config={
        name: page.GROUP_LABELS[by],
        **{f"{p}_female_pct": data.pair_label(p) for p in pairs},
        FEMALE_LEADER_PCT: st.column_config.Column(
            "Đơn vị có LĐCC nữ", help=glossary.help_text("ldcc")
        ),
        "completeness": st.column_config.Column(
            "Đã báo cáo / phải báo cáo", help=glossary.help_text("completeness")
        ),
        "note": "Ghi chú",
    },
)
st.caption(
    f"Mỗi {page.GROUP_LABELS[by].lower()} theo báo cáo mới nhất của mình trong lựa chọn "
    "(ghi chú kỳ số liệu khi cũ hơn). "
    f"{completeness.low_note_vi()}. {completeness.small_note_vi()} (xếp cuối bảng)."
)
page.csv_download(shares, f"ty_le_nu_lanh_dao_theo_{by}")

st.subheader("Đơn vị chưa có lãnh đạo chủ chốt là nữ")
missing = data.units_without_female_leader(f, page.TABLE_ROWS_SHOWN, v)
if missing.empty:
    st.success("Mọi đơn vị trong lựa chọn đều có lãnh đạo chủ chốt là nữ.")
else:
    count = data.count_without_female_leader(f, v)
    st.caption(f"{fmt.num(count)} đơn vị, theo báo cáo mới nhất trong lựa chọn.")
    page.rows_cut(len(missing), count)
    st.dataframe(
        data.units_without_female_leader_shown(f, page.TABLE_ROWS_SHOWN, v),
        hide_index=True,
        width="stretch",
        column_config={
            "unit_name": "Đơn vị",
            "agency_code": "Ngành",
            "province_name": "Tỉnh, thành phố",
            "key_leaders_total": "Số lãnh đạo chủ chốt",
            "managers_female_pct": "Nữ lãnh đạo, quản lý",
        },
    )
    page.csv_download(
        functools.partial(data.units_without_female_leader, f, None, v),
        "don_vi_chua_co_lanh_dao_chu_chot_nu",
    )
