"""Nhập báo cáo: a unit's own report, generated from the catalogue in the outline's order; the
upload's checks shown next to each field; a draft saved at any time, submitted when clean."""

import pandas as pd
import streamlit as st

from data_access.ingest.errors import ERROR
from data_access.reporting import form, workflow
from ui import data, fmt
from ui.auth import require

who = require("report")  # before anything else: see ui.auth.require
assert who.unit is not None  # a reporter always has its unit (auth.create_user)

# The units whose report this account enters: its own, and the children reporting through it.
# Only those are offered (no address names a unit); data_access checks the unit on every call.
v = data.version()
open_periods = data.report_periods()
scope = data.reporting_units(who, tuple(open_periods), v)
unit_names = {u.code: u.name for u in scope} or {who.unit: who.unit}
unit_code = who.unit
if len(unit_names) > 1:
    chosen = st.selectbox(
        "Đơn vị báo cáo",
        list(unit_names),
        format_func=lambda code: fmt.literal(unit_names.get(code, "")),
        key="report_unit",
    )
    # A value that is not on offer (a stale session): the account's own unit.
    unit_code = chosen if chosen in unit_names else who.unit
# A child closed since reports only for the periods it was open on the due date of.
chosen_unit = next((u for u in scope if u.code == unit_code), None)
periods = list(chosen_unit.periods) if chosen_unit else open_periods
if chosen_unit and chosen_unit.closed_note_vi:
    st.caption(chosen_unit.closed_note_vi)
period = st.selectbox("Kỳ báo cáo", periods, format_func=fmt.period, key="period")
report = data.report(unit_code, period, who, data.reports_version())
catalogue = data.catalogue(v)

st.title("Nhập báo cáo")
st.caption(f"{fmt.literal(report.unit_name)} · {fmt.period(period)}")
st.markdown(f"Trạng thái: **{report.state_vi}**")
if notice := st.session_state.pop("report_notice", None):
    st.success(notice)
if report.state == "returned" and report.comment:
    st.warning(f"Ban thư ký trả lại báo cáo: {fmt.literal(report.comment)}", icon="↩️")
if report.state == "submitted":
    st.info("Báo cáo đã gửi, đang chờ Ban thư ký duyệt.")
if report.state == "accepted":
    st.success("Báo cáo đã được duyệt và khoá. Muốn sửa, hãy liên hệ Ban thư ký để mở lại.")
if report.prefilled_from:
    st.caption(
        "Các chỉ tiêu thời điểm (số người…) đã được điền sẵn từ "
        f"báo cáo {fmt.period(report.prefilled_from).lower()} của đơn vị; hãy sửa nếu đã thay đổi."
    )

locked = not report.editable
# A new version (saved elsewhere, returned) or another unit redraws the form.
key = f"{report.unit_code}_{period}_{report.version}"


slots = {}  # field → the place under it where its problems are shown, once checked


def field(code: str, label: str, where: object = st) -> str:
    value: str = where.text_input(  # type: ignore[attr-defined]
        label, report.fields.get(code, ""), key=f"f_{code}_{key}", disabled=locked
    )
    slots[code] = where.container()  # type: ignore[attr-defined]
    return value


typed: dict[str, str] = {}
documents: list[dict[str, str]] = list(report.documents)
for section in form.sections(catalogue, report.agency_code):
    st.subheader(section.title_vi)
    for ind in section.singles:
        unit = f" ({ind.unit_vi})" if ind.unit_vi else ""
        typed[ind.code] = field(ind.code, f"{ind.label_vi}{unit}")
    for pair in section.pairs:
        st.markdown(f"**{pair.label_vi}**")
        total_col, female_col, share_col = st.columns([2, 2, 1])
        typed[pair.total] = field(pair.total, "Tổng số", total_col)
        typed[pair.female] = field(pair.female, "Nữ", female_col)
        share = form.female_share(typed[pair.total], typed[pair.female])
        share_col.metric("Tỷ lệ nữ", fmt.pct(share))
    if section.documents:
        st.markdown("**Danh sách văn bản ban hành**")
        edited = st.data_editor(
            pd.DataFrame(documents, columns=list(form.DOCUMENT_FIELDS_VI), dtype=object),
            column_config={
                k: st.column_config.TextColumn(v) for k, v in form.DOCUMENT_FIELDS_VI.items()
            },
            num_rows="fixed" if locked else "dynamic",
            disabled=locked,
            hide_index=True,
            key=f"documents_{key}",
            width="stretch",
        )
        documents = [
            {k: "" if pd.isna(v) else str(v) for k, v in row.items()}
            for row in edited.to_dict("records")
        ]
        slots[workflow.DOCUMENTS_FIELD] = st.container()

st.subheader("II–IV. Đánh giá, phương hướng, kiến nghị")
for code, label in form.NARRATIVES_VI.items():
    typed[code] = st.text_area(
        label, report.fields.get(code, ""), key=f"f_{code}_{key}", disabled=locked
    )
    slots[code] = st.container()

found = data.report_check(unit_code, period, typed, documents, who, v)
for name, problems in found.by_field.items():
    where = slots.get(name, st)
    for severity, message in problems:
        (where.error if severity == ERROR else where.warning)(message)

if locked:
    st.stop()
if found.errors:
    st.error(f"Còn {fmt.num(len(found.errors))} lỗi: sửa các ô báo đỏ rồi mới gửi duyệt được.")
elif found.warnings:
    st.warning(f"{fmt.num(len(found.warnings))} cảnh báo: kiểm tra lại trước khi gửi.")
save_col, submit_col = st.columns(2)
try:
    if save_col.button("Lưu nháp", icon=":material/save:", key="save", width="stretch"):
        workflow.save_draft(
            data.engine(), unit_code, period, typed, documents, version=report.version, identity=who
        )
        data.reports_changed()
        st.session_state["report_notice"] = "Đã lưu bản nháp."
        st.rerun()
    if submit_col.button(
        "Gửi duyệt",
        icon=":material/send:",
        key="submit",
        type="primary",
        disabled=bool(found.errors),
        width="stretch",
    ):
        result = workflow.submit(
            data.engine(), unit_code, period, typed, documents, version=report.version, identity=who
        )
        data.reports_changed()
        if not result.errors:
            st.session_state["report_notice"] = "Đã gửi báo cáo cho Ban thư ký."
            st.rerun()
except workflow.ReportRefused as refusal:
    st.error(str(refusal))
