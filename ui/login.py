"""Đăng nhập: what every address of the app shows before signing in."""

import streamlit as st

from data_access.auth import AuthError
from ui import auth


def render() -> None:
    """The sign-in form; on success the same address reruns as the page it names."""
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        _form()


def _form() -> None:
    st.title("Đăng nhập")
    st.caption("Hệ thống theo dõi công tác bình đẳng giới và vì sự tiến bộ của phụ nữ – Ban VSTBPN")
    if reason := st.session_state.pop(auth.SIGNED_OUT_REASON_KEY, None):
        st.warning(reason)
    with st.form("sign_in"):
        username = st.text_input("Tên đăng nhập", key="login_user", autocomplete="username")
        password = st.text_input(
            "Mật khẩu", type="password", key="login_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button("Đăng nhập", type="primary", width="stretch")
    if submitted:
        try:
            auth.sign_in(username, password)
        except AuthError as error:
            st.error(str(error))
        else:
            st.rerun()
    if auth.sso_configured():
        st.divider()
        if st.button("Đăng nhập bằng tài khoản của cơ quan", width="stretch"):
            st.login()
