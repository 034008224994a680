"""Duyệt báo cáo: the reports units submitted in the secretariat's agencies; accept one, or
return it with a comment the unit sees; reopen an accepted one, with a reason."""

import pandas as pd
import streamlit as st

from data_access.db.catalogue import PAIR_SUFFIX_VI
from data_access.ingest.errors import ERROR
from data_access.reporting import form, workflow
from ui import data, fmt
from ui.auth import require

who = require("approve")  # before anything else: see ui.auth.require

st.title("Duyệt báo cáo")
if notice := st.session_state.pop("approval_notice", None):
    st.success(notice)
mode = (
    st.segmented_control(
        "Danh sách",
        ["submitted", "accepted"],
        default="submitted",
        format_func={"submitted": "Chờ duyệt", "accepted": "Đã duyệt"}.__getitem__,
        key="approval_mode",
    )
    or "submitted"
)
rv = data.reports_version()
waiting = data.report_queue(who, (mode,), rv)
if waiting.empty:
    st.info(
        "Không có báo cáo nào chờ duyệt."
        if mode == "submitted"
        else "Chưa có báo cáo nào được duyệt."
    )
    st.stop()


def label(i: int) -> str:
    row = waiting.iloc[i]
    sent = fmt.date(row["submitted_at"].date()) if pd.notna(row["submitted_at"]) else fmt.MISSING
    return f"{row['unit_name']} ({row['unit_code']}) · {fmt.period(row['period'])} · gửi {sent}"


st.caption(
    f"{fmt.num(len(waiting))} báo cáo trong phạm vi {', '.join(who.agencies) or 'mọi ngành'}."
)
chosen = waiting.iloc[st.selectbox("Báo cáo", range(len(waiting)), format_func=label, key="chosen")]
report = data.report(chosen["unit_code"], chosen["period"], who, rv)
v = data.version()
catalogue = data.catalogue(v)
found = data.report_check(report.unit_code, report.period, report.fields, report.documents, who, v)


def shown(code: str) -> str:
    text = report.fields.get(code, "")
    return fmt.num(int(text)) if text.isdigit() else (text or fmt.MISSING)


rows = []
for section in form.sections(catalogue, report.agency_code):
    for ind in section.singles:
        rows.append((section.title_vi, ind.label_vi, shown(ind.code)))
    for pair in section.pairs:
        for role, code in (("total", pair.total), ("female", pair.female)):
            rows.append(
                (section.title_vi, f"{pair.label_vi} - {PAIR_SUFFIX_VI[role]}", shown(code))
            )
st.dataframe(
    pd.DataFrame(rows, columns=["Mục", "Chỉ tiêu", "Số liệu"]), hide_index=True, width="stretch"
)
documents = data.report_documents(report.unit_code, report.period, who, rv)
if not documents.empty:
    st.markdown("**Danh sách văn bản ban hành**")
    st.dataframe(fmt.documents(documents), hide_index=True, width="stretch")
for code, title in form.NARRATIVES_VI.items():
    if text := report.fields.get(code):
        st.markdown(f"**{title}**")
        st.markdown(fmt.literal(text))
for name, problems in found.by_field.items():
    for severity, message in problems:
        where = catalogue.by_code[name].heading_vi if name in catalogue else ""
        text = f"{where}: {message}" if where else message
        (st.error if severity == ERROR else st.warning)(text)

with st.expander("Lịch sử báo cáo"):
    steps = data.report_history(int(chosen["id"]), who, rv)
    st.dataframe(
        pd.DataFrame(
            {
                "Thời điểm": steps["at"].map(lambda t: t.strftime("%d/%m/%Y %H:%M")),
                "Người thực hiện": steps["user_name"],
                "Thao tác": steps["action_vi"],
                "Ghi chú": steps["comment"].fillna(""),
            }
        ),
        hide_index=True,
        width="stretch",
    )

version = int(chosen["version"])
try:
    if mode == "submitted":
        comment = st.text_area("Ý kiến khi trả lại (đơn vị sẽ thấy trên biểu mẫu)", key="comment")
        accept_col, return_col = st.columns(2)
        if accept_col.button(
            "Duyệt", icon=":material/check:", type="primary", key="accept", width="stretch"
        ):
            workflow.accept(data.engine(), int(chosen["id"]), version=version, identity=who)
            data.reports_changed()  # the dashboards now read the accepted figures
            st.session_state["approval_notice"] = f"Đã duyệt báo cáo của {report.unit_name}."
            st.rerun()
        if return_col.button("Trả lại", icon=":material/undo:", key="return", width="stretch"):
            workflow.return_report(
                data.engine(), int(chosen["id"]), comment, version=version, identity=who
            )
            data.reports_changed()
            st.session_state["approval_notice"] = f"Đã trả lại báo cáo của {report.unit_name}."
            st.rerun()
    else:
        reason = st.text_area("Lý do mở lại (đơn vị sẽ thấy trên biểu mẫu)", key="reason")
        if st.button("Mở lại để đơn vị sửa", icon=":material/lock_open:", key="reopen"):
            workflow.reopen(data.engine(), int(chosen["id"]), reason, version=version, identity=who)
            data.reports_changed()
            st.session_state["approval_notice"] = f"Đã mở lại báo cáo của {report.unit_name}."
            st.rerun()
except workflow.ReportRefused as refusal:
    st.error(str(refusal))
