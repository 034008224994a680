"""Đổi mật khẩu: the signed-in user changes their own password (required at first sign-in after
an initial or reset password)."""

from __future__ import annotations

import streamlit as st

from data_access.auth import MIN_PASSWORD_LENGTH
from ui import auth

URL_PATH = "doi-mat-khau"
TITLE = "Đổi mật khẩu"


def render() -> None:
    st.title(TITLE)
    if auth.must_change_password():
        st.warning(
            "Mật khẩu của bạn do quản trị viên đặt. Vui lòng đổi mật khẩu trước khi tiếp tục."
        )
    if done := st.session_state.pop("password_changed", None):
        st.success(done)
    with st.form("change_password", clear_on_submit=True):
        current = st.text_input(
            "Mật khẩu hiện tại", type="password", autocomplete="current-password"
        )
        new = st.text_input(
            f"Mật khẩu mới (ít nhất {MIN_PASSWORD_LENGTH} ký tự)",
            type="password",
            autocomplete="new-password",
        )
        repeated = st.text_input(
            "Nhập lại mật khẩu mới", type="password", autocomplete="new-password"
        )
        submitted = st.form_submit_button("Đổi mật khẩu", type="primary")
    if submitted:
        try:
            auth.change_password(current, new, repeated)
        except ValueError as error:
            st.error(str(error))
        else:
            st.session_state["password_changed"] = (
                "Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản này đã kết thúc."
            )
            st.rerun()
