"""Báo cáo tổng hợp: the committee's consolidated report (Công văn 574 outline), previewed, then
downloaded as a Word document."""

import datetime as dt
import logging

import streamlit as st

from data_access.documents.report import (
    ALL_AGENCIES,
    MISSING_HEADING,
    ReportError,
    default_meta,
    default_texts,
    heading_levels,
)
from data_access.domain.periods import latest_due, parse_period
from data_access.domain.safe_text import clean_text
from ui import data, fmt
from ui.auth import require

who = require("view")  # before anything else: see ui.auth.require

st.title("Báo cáo tổng hợp")
st.caption(
    "Theo đề cương kèm Công văn 574/BHXH-BVSTBPN: kết quả thực hiện, đánh giá chung, phương hướng, "
    "kiến nghị và danh sách đơn vị chưa báo cáo."
)
names = data.agency_names(tuple(who.agencies), data.version())
if not who.agencies:  # the national report: every agency, for accounts scoped to all of them
    names = {"": f"{ALL_AGENCIES.capitalize()} (báo cáo toàn quốc)", **names}
left, right = st.columns(2)
agency = left.selectbox("Ngành", list(names), format_func=names.__getitem__, key="rep_agency")
periods = sorted(
    set(data.periods(None, data.version())["code"]) | {str(latest_due(dt.date.today()))},
    reverse=True,
)
period = right.selectbox(
    "Kỳ báo cáo", periods, format_func=lambda p: parse_period(p).label_vi, key="rep_period"
)

v = data.version()
try:
    content = data.report_content(agency or None, period, tuple(who.agencies), v)
except ReportError as error:
    st.info(str(error))
    st.stop()

meta = default_meta(content, dt.date.today())
texts = default_texts(content)
with st.expander("Thể thức văn bản, người ký và nội dung (sửa trước khi tải)"):
    st.caption("Theo Nghị định 30/2020/NĐ-CP. Mỗi đoạn cách nhau một dòng trống.")
    a, b = st.columns(2)
    meta.parent_body = a.text_input("Cơ quan chủ quản", meta.parent_body)
    meta.issuing_body = a.text_input("Cơ quan ban hành", meta.issuing_body)
    meta.number = a.text_input("Số", meta.number, placeholder="để trống khi chưa vào sổ")
    meta.symbol = a.text_input("Ký hiệu", meta.symbol)
    meta.place = b.text_input("Địa danh", meta.place)
    meta.date = b.date_input("Ngày ban hành", meta.date, format="DD/MM/YYYY")
    meta.signer_capacity = b.text_input("Thẩm quyền ký (TM., KT. …)", meta.signer_capacity)
    meta.signer_position = b.text_input("Chức vụ người ký", meta.signer_position)
    meta.signer_name = b.text_input("Họ và tên người ký", meta.signer_name)
    meta.summary = st.text_input("Trích yếu", meta.summary)
    meta.recipients = st.text_area(
        "Nơi nhận (mỗi dòng một nơi)", "\n".join(meta.recipients)
    ).splitlines()
    for _level, title, key in heading_levels():
        if key is not None:
            # Keyed by the report: another agency or period starts from its own texts.
            texts[key] = st.text_area(
                title, texts[key], height=160, key=f"rep_text_{key}_{agency}_{period}"
            )

# The file is built on request (about a second at national scale, most of the page's time) and
# in this run, not in a deferred download, so a failure can be said on the page. Once asked for,
# it is rebuilt as the selection, heading and texts change (cached per edit).
WORD_ASKED = "rep_word_asked"
if not st.session_state.get(WORD_ASKED):
    st.button(
        "Tạo báo cáo Word",
        type="primary",
        icon=":material/description:",
        on_click=lambda: st.session_state.update({WORD_ASKED: True}),
    )
    st.caption("Lập file Word theo thể thức và nội dung ở mục trên.")
else:
    try:
        with st.spinner("Đang tạo file Word…"):
            document = data.report_docx(
                agency or None, period, tuple(who.agencies), meta, tuple(texts.items()), v
            )
    except Exception:  # any failure: the user is told, the details go to the server log
        logging.getLogger(__name__).exception("Word report %s %s", agency, period)
        st.error(
            "Không tạo được file Word cho báo cáo này. Bản xem trước bên dưới vẫn dùng được; "
            "hãy báo quản trị viên kèm tên ngành và kỳ báo cáo."
        )
    else:
        st.download_button(
            "Tải báo cáo (Word)",
            document,
            f"bao_cao_tong_hop_{agency or 'toan_quoc'}_{period}.docx",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            type="primary",
            on_click="ignore",
        )
st.subheader(fmt.literal(content.title))
st.caption(
    f"{fmt.num(content.n_units)} đơn vị báo cáo · so sánh với cùng kỳ {content.previous.label_vi.lower()}"
)
if content.comparison_note:
    st.caption(content.comparison_note)
*section_grids, unit_grid = data.report_grids(agency or None, period, tuple(who.agencies), v)
st.markdown("### I. KẾT QUẢ THỰC HIỆN")
for section, grid in zip(content.sections, section_grids, strict=True):
    st.markdown(f"**{section.title}**")
    st.table(grid, hide_index=True)
rows_are = "ngành" if content.national else "đơn vị"
with st.expander(f"Số liệu theo {rows_are} ({fmt.num(len(content.unit_table) - 1)} {rows_are})"):
    st.dataframe(unit_grid, hide_index=True, width="stretch")
for level, title, key in heading_levels():
    st.markdown(f"{'###' if level == 1 else '####'} {title}")
    if key is None:
        continue
    groups = content.narratives.get(key, [])
    if not groups:
        st.caption("Không có đơn vị nào nêu nội dung này.")
    for text, units in groups[:10]:
        # Narratives and unit names are users' text: plain text, no Markdown (no image fetched,
        # no link, no heading).
        named = ", ".join(units[:4]) + ("…" if len(units) > 4 else "")
        st.text(clean_text(f"• {text} ({named}; {fmt.num(len(units))} đơn vị)"), width="stretch")
st.markdown(f"### {MISSING_HEADING}")
st.markdown(
    fmt.literal(", ".join(content.missing_units))
    if content.missing_units
    else "Tất cả đơn vị đã báo cáo."
)
