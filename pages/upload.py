"""Tải dữ liệu lên: templates, dry run with every problem listed, then one confirmed commit."""

import hashlib

import streamlit as st

from data_access import ingest
from data_access.analytics.exports import to_csv_vi
from data_access.ingest.errors import error_report_name
from data_access.ingest.templates import UNIT_NAME_HINT, template_csv, template_xlsx
from data_access.queries.lookups import load_catalogue
from ui import data, fmt, page, uploads
from ui.auth import require

who = require("upload")  # before anything else: see ui.auth.require

KIND_LABELS = {
    "submissions": "Báo cáo định kỳ của đơn vị",
    "activities": "Hoạt động hưởng ứng các đợt truyền thông",
}

st.title("Tải dữ liệu lên")
kind = st.radio("Loại dữ liệu", list(KIND_LABELS), format_func=KIND_LABELS.get, horizontal=True)

with st.expander("Tải file mẫu", expanded=False):
    st.write(
        "File mẫu có tiêu đề tiếng Việt kèm mã chỉ tiêu, một dòng ví dụ (bắt đầu bằng #, được bỏ qua) và "
        "hướng dẫn. Mẫu CSV dùng dấu chấm phẩy, mở thẳng bằng Excel tiếng Việt. Nhận file CSV (UTF-8, "
        "UTF-16, Windows-1258; phân cách bằng dấu phẩy, chấm phẩy hoặc tab) hoặc Excel .xlsx."
    )
    st.caption(UNIT_NAME_HINT)
    catalogue = load_catalogue(data.engine())
    left, right = st.columns(2)
    left.download_button(
        "Mẫu Excel (.xlsx)",
        template_xlsx(kind, catalogue),
        f"mau_{kind}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
    )
    right.download_button(
        "Mẫu CSV (.csv)",
        template_csv(kind, catalogue),
        f"mau_{kind}.csv",
        mime="text/csv",
        on_click="ignore",
    )

uploaded = uploads.file_uploader(
    "Chọn file dữ liệu", ["csv", "txt", "tsv", "xlsx"], key=f"file_{kind}"
)
if uploaded is None:
    st.info(
        "Chọn một file để kiểm tra. Dữ liệu chỉ được ghi sau khi bạn xem kết quả kiểm tra và xác nhận."
    )
    st.stop()

content = uploaded.getvalue()
state_key = f"report_{kind}_{hashlib.sha256(content).hexdigest()}"
if state_key not in st.session_state:
    bar = st.progress(0.0, text="Đang kiểm tra…")
    st.session_state[state_key] = ingest.dry_run(
        data.engine(),
        uploaded.name,
        content,
        kind,
        identity=who,
        progress=page.progress_to(bar),
    )
    bar.empty()
report: ingest.UploadReport = st.session_state[state_key]

st.subheader("Kết quả kiểm tra")
cols = st.columns(4)
cols[0].metric("Dòng mới", fmt.num(report.inserted))
cols[1].metric("Dòng thay đổi", fmt.num(report.updated))
cols[2].metric("Dòng giữ nguyên", fmt.num(report.unchanged))
cols[3].metric("Dòng bị từ chối", fmt.num(report.rejected))

if report.problems:
    table = ingest.problems_frame(report.problems)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={"Dòng": st.column_config.NumberColumn(format="%d")},
    )
    st.download_button(
        "Tải báo cáo lỗi (CSV)",
        to_csv_vi(table),
        error_report_name(uploaded.name),
        mime="text/csv",
        on_click="ignore",
    )
if report.truncated:
    st.caption(
        f"Chỉ liệt kê {fmt.num(len(report.problems))} vấn đề đầu tiên theo dòng trong tổng số "
        f"{fmt.num(report.error_count + report.warning_count)}. Số lượng theo cột và nội dung:"
    )
    st.dataframe(ingest.counts_frame(report.problem_counts), hide_index=True, width="stretch")

if report.errors:
    st.error(fmt.literal(report.message))
    st.stop()
if report.committed:
    st.success(fmt.literal(report.message))
    st.stop()
if not report.inserted and not report.updated:
    st.info(fmt.literal(report.message))
    st.stop()

st.markdown(fmt.literal(report.message))
confirmed = True
if report.warnings:
    confirmed = st.checkbox(
        f"Tôi đã xem {fmt.num(report.warning_count)} cảnh báo và xác nhận số liệu là đúng."
    )
if st.button("Ghi dữ liệu", type="primary", disabled=not confirmed):
    bar = st.progress(0.0, text="Đang ghi…")
    result = ingest.commit(
        data.engine(),
        uploaded.name,
        content,
        kind,
        identity=who,
        accept_warnings=True,
        progress=page.progress_to(bar),
    )
    bar.empty()
    st.session_state[state_key] = result
    if result.committed:
        data.data_changed()
    st.rerun()
