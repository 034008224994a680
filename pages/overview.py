"""Tổng quan: where the female shares stand, whether they improve, and who lags."""

import streamlit as st

from data_access.domain import completeness, glossary
from data_access.queries.aggregate import FEMALE_LEADER_PCT
from data_access.views import takeaways
from data_access.views.overview import LAGGARDS_SHOWN
from ui import briefing, charts, data, fmt, page
from ui.auth import require

who = require("view")  # before anything else: see ui.auth.require

f = page.start("Tổng quan bình đẳng giới")
briefing.offer(f)  # “Tải bản tóm tắt” in the sidebar
by = page.group_choice("Xếp hạng theo", key="ov_by")
v = data.version()
overview = data.overview(f, by, v)
latest, previous = overview.latest, overview.previous
if latest is None:
    page.stop_empty(
        "Chưa có báo cáo nào cho lựa chọn này. Hãy nới rộng bộ lọc hoặc tải dữ liệu lên."
    )
comparison = f"so với {fmt.period(previous['period']).lower()}" if previous is not None else ""
st.caption(
    f"Kỳ mới nhất trong lựa chọn: **{fmt.period(latest['period'])}** · {fmt.num(latest['n_units'])} đơn vị báo cáo"
)

if overview.comparison is not None:
    st.caption(f"Thay đổi {overview.comparison.note_vi()}.")

labels = overview.labels
cols = st.columns(len(labels))
for col, (pair, label) in zip(cols, labels.items(), strict=True):
    delta = overview.changes[pair]
    col.metric(
        f"Tỷ lệ nữ – {label}",
        fmt.pct(latest[f"{pair}_female_pct"]),
        fmt.pct_points(delta) if delta is not None else None,
        help=f"Nữ {fmt.num(latest[f'{pair}_female'])} / tổng số {fmt.num(latest[f'{pair}_total'])}; thay đổi {comparison} trên cùng đơn vị.\n\n"
        + glossary.help_text("female_share", "like_for_like"),
    )

left, right = st.columns(2)
target, gap, change = overview.target, overview.target_gap, overview.leader_share_change
left.metric(
    "Đơn vị có lãnh đạo chủ chốt là nữ",
    fmt.pct(latest[FEMALE_LEADER_PCT]),
    fmt.pct_points(change) if change is not None else None,
    help=glossary.help_text("ldcc")
    + "\n\nChiến lược quốc gia về bình đẳng giới 2021–2030 (Nghị quyết 28/NQ-CP): "
    f"{fmt.targets(data.targets(v))}.",
)
if target is not None and gap is not None:
    left.caption(
        f"Mục tiêu {fmt.pct(target, 0)}: "
        + ("**đã đạt**" if gap >= 0 else f"còn thiếu **{fmt.num(-gap, 1)} điểm %**")
    )
reporting = overview.reporting
if reporting is not None:  # present whenever a latest period is
    right.metric(
        "Tỷ lệ đơn vị đã báo cáo",
        fmt.pct(reporting["reporting_rate"]),
        help=f"{fmt.num(reporting['received'])} / {fmt.num(reporting['expected'])} đơn vị phải báo cáo kỳ {fmt.period(latest['period']).lower()}; "
        f"đúng hạn {fmt.pct(reporting['on_time_rate'])} số đã nhận.\n\n"
        + glossary.help_text("completeness"),
    )

st.subheader("Xu hướng tỷ lệ nữ")
page.takeaway(takeaways.share_trend(latest, previous, labels, overview.changes))
charts.show(charts.share_trend, overview.lines, "year", "series", "share", "Tỷ lệ nữ (%)")
page.csv_download(overview.trend, "xu_huong_ty_le_nu")

name_col = f"{by}_name"
st.subheader(f"{LAGGARDS_SHOWN} {page.GROUP_LABELS[by].lower()} cần quan tâm nhất")
st.caption(
    "Xa mục tiêu nhất về tỷ lệ đơn vị có lãnh đạo chủ chốt là nữ, rồi xa cân bằng giới nhất về lãnh đạo, quản lý."
)
laggards = overview.laggards
st.dataframe(
    fmt.grid(
        laggards,
        [
            name_col,
            FEMALE_LEADER_PCT,
            "managers_female_pct",
            "key_leaders_female_pct",
            "n_units",
            "completeness",
            "note",
        ],
        pcts=[FEMALE_LEADER_PCT, "managers_female_pct", "key_leaders_female_pct"],
        ints=["n_units"],
    ),
    hide_index=True,
    width="stretch",
    column_config={
        name_col: page.GROUP_LABELS[by],
        FEMALE_LEADER_PCT: st.column_config.Column(
            "Đơn vị có LĐCC nữ", help=glossary.help_text("ldcc")
        ),
        "managers_female_pct": "Nữ lãnh đạo, quản lý",
        "key_leaders_female_pct": "Nữ lãnh đạo chủ chốt",
        "n_units": "Số đơn vị",
        "completeness": st.column_config.Column(
            "Đã báo cáo / phải báo cáo", help=glossary.help_text("completeness")
        ),
        "note": "Ghi chú",
    },
)
st.caption(
    f"Mỗi {page.GROUP_LABELS[by].lower()} theo báo cáo mới nhất của mình trong lựa chọn "
    "(ghi chú kỳ số liệu khi cũ hơn). "
    f"{completeness.low_note_vi()}. {completeness.small_note_vi()}."
)
if overview.small:
    st.caption(
        f"{completeness.SMALL_NOTE.capitalize()}: " + fmt.literal(", ".join(overview.small)) + "."
    )
