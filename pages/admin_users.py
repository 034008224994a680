"""Tài khoản: accounts, roles and agency scope (administrators only)."""

import pandas as pd
import streamlit as st

from data_access import auth
from data_access.auth import ACTIVE_LABELS_VI, EVERY_AGENCY_VI, ROLE_LABELS_VI
from data_access.db.models import ROLES
from ui import data
from ui.auth import require

who = require("admin")  # before anything else: see ui.auth.require
PENDING_KEY = "account_change_pending"  # (username, role, agencies, active, account as seen)
DONE_KEY = "account_change_done"


def forget_pending() -> None:
    st.session_state.pop(PENDING_KEY, None)


st.title("Tài khoản và phân quyền")
st.caption(
    "Lãnh đạo: xem và xuất dữ liệu · Thư ký: thêm tải dữ liệu lên, theo dõi báo cáo, hoàn tác · "
    "Quản trị: thêm quản lý tài khoản. Phạm vi ngành giới hạn dữ liệu người dùng được xem và sửa."
)

users = auth.list_users(data.engine())
LOCKED_VI = " · tạm khoá do đăng nhập sai nhiều lần"
st.dataframe(
    pd.DataFrame(
        {
            "Tên đăng nhập": users["username"],
            "Họ tên": users["display_name"].fillna(""),
            "E-mail": users["email"].fillna(""),
            "Vai trò": users["role"].map(ROLE_LABELS_VI),
            "Phạm vi": users["agencies"].replace("", EVERY_AGENCY_VI),
            "Trạng thái": users["active"].map(ACTIVE_LABELS_VI)
            + users["locked"].map({True: LOCKED_VI, False: ""}),
            "Ngày tạo": users["created_at"],
        }
    ),
    hide_index=True,
    width="stretch",
    column_config={"Ngày tạo": st.column_config.DatetimeColumn(format="DD/MM/YYYY")},
)
agency_codes = data.agencies(data.version())["code"].tolist()

add, change = st.tabs(["Thêm tài khoản", "Sửa tài khoản"])
with add, st.form("add_user", clear_on_submit=True):
    username = st.text_input("Tên đăng nhập")
    display_name = st.text_input("Họ tên")
    email = st.text_input("E-mail (dùng cho đăng nhập một lần, nếu có)")
    role = st.selectbox("Vai trò", ROLES, format_func=ROLE_LABELS_VI.__getitem__)
    agencies = st.multiselect("Phạm vi ngành", agency_codes, placeholder=EVERY_AGENCY_VI)
    password = st.text_input(
        f"Mật khẩu (ít nhất {auth.MIN_PASSWORD_LENGTH} ký tự)", type="password"
    )
    if st.form_submit_button("Tạo tài khoản", type="primary"):
        try:
            auth.create_user(
                data.engine(),
                username,
                role or "",
                password,
                agencies,
                actor=who.username,
                display_name=display_name or None,
                email=email or None,
                must_change=True,
            )
        except ValueError as error:
            st.error(str(error))
        else:
            st.success(f"Đã tạo tài khoản {username}.")
            st.rerun()

with change:
    if users.empty:
        st.caption("Chưa có tài khoản nào.")
        st.stop()
    target = st.selectbox(
        "Tài khoản", users["username"].tolist(), key="edit_user", on_change=forget_pending
    )
    account = auth.account(data.engine(), target)
    if done := st.session_state.pop(DONE_KEY, None):
        st.success(done)
    state = ACTIVE_LABELS_VI[account.active] + (
        ", tạm khoá do đăng nhập sai nhiều lần" if account.locked else ""
    )
    st.markdown(
        f"Hiện tại: **{ROLE_LABELS_VI[account.role]}** · phạm vi **{', '.join(account.agencies) or EVERY_AGENCY_VI}**"
        f" · **{state}**"
    )
    own = target == who.username
    # Keys name the account, and start from its stored values (again whenever those change, here
    # or elsewhere): the form never shows another account's, or stale, values.
    keys = {field: f"edit_{field}:{target}" for field in ("role", "agencies", "active")}
    if st.session_state.get(f"edit_seen:{target}") != account.access:
        st.session_state.update(
            {
                keys["role"]: account.role,
                keys["agencies"]: list(account.agencies),
                keys["active"]: account.active,
                f"edit_seen:{target}": account.access,
            }
        )
    left, right = st.columns(2)
    with left:
        new_role = st.selectbox(
            "Vai trò",
            ROLES,
            format_func=ROLE_LABELS_VI.__getitem__,
            key=keys["role"],
            disabled=own,
            on_change=forget_pending,
        )
        new_agencies = st.multiselect(
            "Phạm vi ngành",
            agency_codes,
            placeholder=EVERY_AGENCY_VI,
            key=keys["agencies"],
            disabled=own,
            on_change=forget_pending,
        )
        new_active = st.selectbox(
            "Trạng thái",
            [True, False],
            format_func=ACTIVE_LABELS_VI.__getitem__,
            key=keys["active"],
            disabled=own,
            on_change=forget_pending,
        )
        if own:
            st.caption("Không thể tự đổi vai trò, phạm vi ngành hay trạng thái của chính mình.")
        if st.button("Lưu thay đổi", key=f"save:{target}", disabled=own):
            if auth.account_changes(account, new_role, new_agencies, new_active):
                st.session_state[PENDING_KEY] = (
                    target,
                    new_role,
                    tuple(new_agencies),
                    new_active,
                    account,
                )
            else:
                forget_pending()
                st.info("Không có gì thay đổi.")
        pending = st.session_state.get(PENDING_KEY)
        if pending and pending[0] == target:
            _, p_role, p_agencies, p_active, seen = pending
            lines = "\n".join(
                f"- {c}" for c in auth.account_changes(seen, p_role, p_agencies, p_active)
            )
            st.warning(
                f"Xác nhận thay đổi tài khoản **{target}**:\n\n{lines}", icon=":material/warning:"
            )
            confirm, cancel = st.columns(2)
            if confirm.button("Xác nhận", type="primary", key="confirm_change", width="stretch"):
                forget_pending()
                try:
                    changes = auth.change_account(
                        data.engine(),
                        target,
                        role=p_role,
                        agencies=p_agencies,
                        active=p_active,
                        by=who,
                        expected=seen,
                    )
                except (ValueError, auth.PermissionDenied) as error:
                    st.error(str(error))
                else:
                    st.session_state[DONE_KEY] = (
                        "Đã lưu: " + "; ".join(str(c) for c in changes) + "."
                    )
                    st.rerun()
            if cancel.button("Huỷ", key="cancel_change", width="stretch"):
                forget_pending()
                st.rerun()
    with right:
        new_password = st.text_input("Mật khẩu mới", type="password", key=f"edit_password:{target}")
        if st.button("Đặt lại mật khẩu và mở khoá", key=f"reset_password:{target}"):
            try:
                auth.set_password(
                    data.engine(), target, new_password, actor=who.username, must_change=True
                )
            except ValueError as error:
                st.error(str(error))
            else:
                st.success("Đã đặt lại mật khẩu.")
