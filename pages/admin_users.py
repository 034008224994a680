"""Tài khoản: accounts, roles and agency scope (administrators only)."""

import streamlit as st

from data_access import auth
from data_access.auth import ROLE_LABELS_VI
from data_access.models import ROLES
from ui import data
from ui.auth import require

who = require("admin")  # before anything else: see ui.auth.require

st.title("Tài khoản và phân quyền")
st.caption("Lãnh đạo: xem và xuất dữ liệu · Thư ký: thêm tải dữ liệu lên, theo dõi báo cáo, hoàn tác · "
           "Quản trị: thêm quản lý tài khoản. Phạm vi ngành giới hạn dữ liệu người dùng được xem và sửa.")  # fmt: skip

users = auth.list_users(data.engine())
st.dataframe(
    users.assign(role=users["role"].map(ROLE_LABELS_VI), active=users["active"].map({True: "Đang dùng", False: "Đã khoá"}),
                 agencies=users["agencies"].replace("", "Mọi ngành")),
    hide_index=True, width="stretch",
    column_config={"username": "Tên đăng nhập", "display_name": "Họ tên", "email": "E-mail", "role": "Vai trò",
                   "agencies": "Phạm vi", "active": "Trạng thái",
                   "locked_until": st.column_config.DatetimeColumn("Khoá đến", format="DD/MM/YYYY HH:mm"),
                   "created_at": st.column_config.DatetimeColumn("Ngày tạo", format="DD/MM/YYYY")},
)  # fmt: skip
agency_codes = data.agencies()["code"].tolist()

add, change = st.tabs(["Thêm tài khoản", "Sửa tài khoản"])
with add, st.form("add_user", clear_on_submit=True):
    username = st.text_input("Tên đăng nhập")
    display_name = st.text_input("Họ tên")
    email = st.text_input("E-mail (dùng cho đăng nhập một lần, nếu có)")
    role = st.selectbox("Vai trò", ROLES, format_func=ROLE_LABELS_VI.get)
    agencies = st.multiselect("Phạm vi ngành", agency_codes, placeholder="Mọi ngành")
    password = st.text_input("Mật khẩu (ít nhất 8 ký tự)", type="password")
    if st.form_submit_button("Tạo tài khoản", type="primary"):
        try:
            auth.create_user(data.engine(), username, role, password, agencies, actor=who.username,
                             display_name=display_name or None, email=email or None)  # fmt: skip
        except ValueError as error:
            st.error(str(error))
        else:
            st.success(f"Đã tạo tài khoản {username}.")
            st.rerun()

with change:
    if users.empty:
        st.caption("Chưa có tài khoản nào.")
    else:
        target = st.selectbox("Tài khoản", users["username"].tolist(), key="edit_user")
        row = users.set_index("username").loc[target]
        left, right = st.columns(2)
        with left:
            new_role = st.selectbox("Vai trò", ROLES, index=list(ROLES).index(row["role"]), format_func=ROLE_LABELS_VI.get,
                                    key="edit_role")  # fmt: skip
            current = [a for a in str(row["agencies"]).split(", ") if a]
            new_agencies = st.multiselect("Phạm vi ngành", agency_codes, default=current, placeholder="Mọi ngành",
                                          key="edit_agencies")  # fmt: skip
            if st.button("Lưu vai trò và phạm vi", key="save_role"):
                auth.set_role(data.engine(), target, new_role, new_agencies, actor=who.username)
                st.success("Đã lưu.")
                st.rerun()
        with right:
            new_password = st.text_input("Mật khẩu mới", type="password", key="edit_password")
            if st.button("Đặt lại mật khẩu và mở khoá", key="reset_password"):
                try:
                    auth.set_password(data.engine(), target, new_password, actor=who.username)
                except ValueError as error:
                    st.error(str(error))
                else:
                    st.success("Đã đặt lại mật khẩu.")
            if target != who.username:
                label = "Khoá tài khoản" if row["active"] else "Mở lại tài khoản"
                if st.button(label, key="toggle_active"):
                    auth.set_active(data.engine(), target, not row["active"], actor=who.username)
                    st.rerun()
