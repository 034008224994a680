"""Thiết lập: what a new database has and lacks, the registry import, secretariat accounts."""

import hashlib

import pandas as pd
import streamlit as st

from data_access import ingest, registry
from data_access.registry import accounts, files, setup
from ui import data, fmt, uploads
from ui.auth import require

who = require("admin")  # before anything else: see ui.auth.require

KIND_LABELS = {"units": "Danh mục đơn vị", "agencies": "Danh mục ngành"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

st.title("Thiết lập")
st.caption("Những gì cơ sở dữ liệu đã có và còn thiếu để đưa vào sử dụng cho tổ chức của bạn.")

steps = setup.status(data.engine(), identity=who)
for row in (steps[:3], steps[3:]):
    for column, step in zip(st.columns(3), row, strict=True):
        with column.container(border=True):
            st.metric(step.label, fmt.num(step.count))
            if step.done:
                st.caption(":green[:material/check_circle: Đã có]")
            else:
                st.caption(f":orange[:material/pending: Còn thiếu] · {step.hint}")

st.subheader("Nhập danh mục ngành, đơn vị")
st.write(
    "Nhận file CSV (UTF-8, UTF-16, Windows-1258; phân cách bằng dấu phẩy, chấm phẩy hoặc tab) "
    "hoặc Excel .xlsx, có thể có dòng tiêu đề phía trên bảng và dòng “Tổng cộng” ở cuối. "
    "File được kiểm tra trước; chỉ ghi khi không có lỗi và bạn xác nhận."
)
left, middle, right = st.columns(3)
left.download_button(
    "Mẫu danh mục đơn vị (.xlsx)",
    files.template("units", "xlsx"),
    "mau_danh_muc_don_vi.xlsx",
    mime=XLSX,
    on_click="ignore",
)
middle.download_button(
    "Mẫu danh mục đơn vị (.csv)",
    files.template("units", "csv"),
    "mau_danh_muc_don_vi.csv",
    mime="text/csv",
    on_click="ignore",
)
right.download_button(
    "Mẫu danh mục ngành (.csv)",
    files.template("agencies", "csv"),
    "mau_danh_muc_nganh.csv",
    mime="text/csv",
    on_click="ignore",
)

uploaded = uploads.file_uploader(
    "Chọn file danh mục", ["csv", "txt", "tsv", "xlsx"], key="registry_file"
)
if uploaded is not None:
    content = uploaded.getvalue()
    state_key = f"registry_{hashlib.sha256(content).hexdigest()}"
    if state_key not in st.session_state:
        with st.spinner("Đang kiểm tra…"):
            st.session_state[state_key] = registry.dry_run(
                data.engine(), uploaded.name, content, identity=who
            )
    report: registry.RegistryReport = st.session_state[state_key]
    st.caption(f"{KIND_LABELS.get(report.kind, 'Danh mục')} · {fmt.num(report.total_rows)} dòng")
    cols = st.columns(3)
    cols[0].metric("Mục mới", fmt.num(report.inserted))
    cols[1].metric("Mục thay đổi", fmt.num(report.updated))
    cols[2].metric("Mục giữ nguyên", fmt.num(report.unchanged))
    if report.problems:
        st.dataframe(
            ingest.problems_frame(report.problems),
            hide_index=True,
            width="stretch",
            column_config={"Dòng": st.column_config.NumberColumn(format="%d")},
        )
    if report.errors:
        st.error(report.message)
    elif report.committed:
        st.success(report.message)
    elif not report.inserted and not report.updated:
        st.info(report.message)
    else:
        st.write(report.message)
        if st.button("Ghi danh mục", type="primary"):
            result = registry.commit(data.engine(), uploaded.name, content, identity=who)
            st.session_state[state_key] = result
            if result.committed:
                data.data_changed()
            st.rerun()

if any(s.key == "units" and s.done for s in steps):
    st.download_button(
        "Tải danh mục đơn vị hiện có (.xlsx)",
        files.export(data.engine(), "xlsx", identity=who),
        "danh_muc_don_vi.xlsx",
        mime=XLSX,
        on_click="ignore",
    )

st.subheader("Tài khoản thư ký của ngành")
agencies = data.agencies(data.version())
if agencies.empty:
    st.caption("Nhập danh mục ngành hoặc đơn vị trước, rồi tạo tài khoản thư ký cho từng ngành.")
else:
    names = dict(zip(agencies["code"], agencies["name"], strict=True))
    with st.form("secretariat_accounts"):
        agency = st.selectbox("Ngành", list(names), format_func=lambda c: f"{names[c]} ({c})")
        count = st.number_input(
            "Số tài khoản", min_value=1, max_value=accounts.MAX_ACCOUNTS_AT_ONCE, value=1
        )
        made = None
        if st.form_submit_button("Tạo tài khoản", type="primary"):
            try:
                made = accounts.create_secretariat_accounts(
                    data.engine(), agency, int(count), identity=who
                )
            except ValueError as error:
                st.error(str(error))
    if made:
        # Shown in this run only: the passwords are stored hashed and never shown again.
        st.warning(
            "Mật khẩu chỉ hiện một lần. Hãy ghi lại và trao tận tay từng thư ký; "
            "họ nên đổi mật khẩu sau lần đăng nhập đầu tiên.",
            icon=":material/key:",
        )
        st.dataframe(
            pd.DataFrame(
                {
                    "Tên đăng nhập": [a.username for a in made],
                    "Mật khẩu dùng một lần": [a.password for a in made],
                }
            ),
            hide_index=True,
            width="stretch",
        )

st.subheader("Báo cáo đầu tiên")
st.page_link(
    "pages/upload.py", label="Tải báo cáo của các đơn vị lên", icon=":material/upload_file:"
)
