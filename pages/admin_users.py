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
DONE_KEY = "account_change_done"  # what the last change did, shown after its rerun
ADDED_KEY = "account_added"  # the same for a new account
# The add form's fields as they start. Emptied by setting these values, not by dropping the
# keys: a dropped key leaves the browser's widget showing, and sending back, the old value.
ADD_EMPTY: dict[str, object] = {
    "add_username": "",
    "add_display_name": "",
    "add_email": "",
    "add_role": ROLES[0],
    "add_agencies": [],
    "add_unit_agency": None,
    "add_unit": None,
    "add_password": "",
}
ADD_CLEAR_KEY = "add_user_clear"  # the add form starts empty after an account is made
RESET_CLEAR_KEY = "reset_password_clear"  # the account whose new password field is emptied


def forget_pending() -> None:
    st.session_state.pop(PENDING_KEY, None)


def forget_unit() -> None:
    st.session_state.pop("add_unit", None)


def _scope(agencies: tuple[str, ...]) -> str:
    return "phạm vi ngành " + (", ".join(agencies) or EVERY_AGENCY_VI)


st.title("Tài khoản và phân quyền")
st.caption(
    "Lãnh đạo: xem và xuất dữ liệu · Thư ký: thêm tải dữ liệu lên, theo dõi báo cáo, hoàn tác · "
    "Quản trị: thêm quản lý tài khoản · Đơn vị báo cáo: nhập báo cáo của chính đơn vị mình. "
    "Phạm vi ngành giới hạn dữ liệu người dùng được xem và sửa."
)

users = auth.list_users(data.engine(), by=who)
LOCKED_VI = " · tạm khoá do đăng nhập sai nhiều lần"
st.dataframe(
    pd.DataFrame(
        {
            "Tên đăng nhập": users["username"],
            "Họ tên": users["display_name"].fillna(""),
            "E-mail": users["email"].fillna(""),
            "Vai trò": users["role"].map(ROLE_LABELS_VI),
            "Phạm vi": users["agencies"].replace("", EVERY_AGENCY_VI),
            "Đơn vị": users["unit"],
            "Trạng thái": users["active"].map(ACTIVE_LABELS_VI)
            + users["locked"].map({True: LOCKED_VI, False: ""}),
            "Ngày tạo": users["created_at"],
        }
    ),
    hide_index=True,
    width="stretch",
    column_config={"Ngày tạo": st.column_config.DatetimeColumn(format="DD/MM/YYYY")},
)
agency_table = data.agencies(data.version())
agency_codes = agency_table["code"].tolist()
# A unit account is made for a unit of an agency that still exists, within the admin's scope.
unit_agencies = {
    row.code: f"{row.name} ({row.code})"
    for row in agency_table.itertuples()
    if pd.isna(row.active_to) and who.reaches(row.code)
}

add, change = st.tabs(["Thêm tài khoản", "Sửa tài khoản"])
# Not an st.form: choosing the reporter role must bring up the unit picker at once, and a
# refused account keeps everything typed (the fields are emptied only once it is made).
with add:
    if st.session_state.pop(ADD_CLEAR_KEY, False):
        st.session_state.update(ADD_EMPTY)
    if added := st.session_state.pop(ADDED_KEY, None):
        st.success(added, icon=":material/check_circle:")
    username = st.text_input("Tên đăng nhập", key="add_username")
    display_name = st.text_input("Họ tên", key="add_display_name")
    email = st.text_input("E-mail (dùng cho đăng nhập một lần, nếu có)", key="add_email")
    role = st.selectbox("Vai trò", ROLES, format_func=ROLE_LABELS_VI.__getitem__, key="add_role")
    agencies: list[str] = []
    unit: str | None = None
    if role == "reporter":
        unit_agency = st.selectbox(
            "Ngành của đơn vị",
            list(unit_agencies),
            format_func=unit_agencies.__getitem__,
            index=None,
            placeholder="Chọn ngành",
            key="add_unit_agency",
            on_change=forget_unit,
        )
        units = data.reporter_units(unit_agency, who, data.version()) if unit_agency else []
        unit_labels = {u.code: u.label for u in units}
        unit = st.selectbox(
            "Đơn vị",
            list(unit_labels),
            format_func=unit_labels.__getitem__,
            index=None,
            placeholder="Gõ tên đơn vị để tìm" if unit_agency else "Chọn ngành trước",
            key="add_unit",
            disabled=not unit_labels,
        )
        st.caption(
            "Tài khoản đơn vị chỉ xem và nhập báo cáo của đơn vị này; phạm vi ngành là ngành "
            "của đơn vị. Danh sách chỉ gồm các đơn vị đang hoạt động."
        )
    else:
        agencies = st.multiselect(
            "Phạm vi ngành", agency_codes, placeholder=EVERY_AGENCY_VI, key="add_agencies"
        )
    password = st.text_input(
        f"Mật khẩu (ít nhất {auth.MIN_PASSWORD_LENGTH} ký tự)", type="password", key="add_password"
    )
    if st.button("Tạo tài khoản", type="primary", key="add_submit"):
        try:
            made = auth.create_user(
                data.engine(),
                username,
                role or "",
                password,
                agencies,
                by=who,
                display_name=display_name or None,
                email=email or None,
                unit=unit,
                must_change=True,
            )
        except (ValueError, auth.PermissionDenied) as error:
            st.error(str(error))
        else:
            where = f"đơn vị {unit_labels[unit]}" if unit else _scope(made.agencies)
            st.session_state[ADDED_KEY] = (
                f"Đã tạo tài khoản {made.username} ({ROLE_LABELS_VI[made.role]}, {where}). "
                "Người dùng đổi mật khẩu ở lần đăng nhập đầu tiên."
            )
            st.session_state[ADD_CLEAR_KEY] = True
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
        st.success(done, icon=":material/check_circle:")
    state = ACTIVE_LABELS_VI[account.active] + (
        ", tạm khoá do đăng nhập sai nhiều lần" if account.locked else ""
    )
    unit_note = f" · đơn vị **{account.unit.label}**" if account.unit else ""
    st.markdown(
        f"Hiện tại: **{ROLE_LABELS_VI[account.role]}**{unit_note}"
        f" · phạm vi **{', '.join(account.agencies) or EVERY_AGENCY_VI}** · **{state}**"
    )
    own = target == who.username
    # A unit's account keeps the role and scope of its unit (data_access refuses to change them);
    # another account becomes a unit's only through "Thêm tài khoản", where its unit is chosen.
    unit_account = account.role == "reporter"
    roles = ROLES if unit_account else [r for r in ROLES if r != "reporter"]
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
    password_key = f"edit_password:{target}"
    if st.session_state.pop(RESET_CLEAR_KEY, None) == target:
        st.session_state[password_key] = ""  # (set, not dropped: see ADD_EMPTY)
    left, right = st.columns(2)
    with left:
        new_role = st.selectbox(
            "Vai trò",
            roles,
            format_func=ROLE_LABELS_VI.__getitem__,
            key=keys["role"],
            disabled=own or unit_account,
            on_change=forget_pending,
        )
        new_agencies = st.multiselect(
            "Phạm vi ngành",
            agency_codes,
            placeholder=EVERY_AGENCY_VI,
            key=keys["agencies"],
            disabled=own or unit_account,
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
        elif unit_account:
            st.caption(
                "Tài khoản đơn vị giữ vai trò và phạm vi ngành của đơn vị mình; "
                "để chuyển cho đơn vị khác, hãy vô hiệu hoá và tạo tài khoản mới."
            )
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
            lines += "\n\nCác phiên đăng nhập đang mở của tài khoản này sẽ kết thúc" + (
                " và tài khoản không đăng nhập được nữa." if not p_active else "."
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
                        f"Đã lưu thay đổi tài khoản {target}: "
                        + "; ".join(str(c) for c in changes)
                        + "."
                    )
                    st.rerun()
            if cancel.button("Huỷ", key="cancel_change", width="stretch"):
                forget_pending()
                st.rerun()
    with right:
        new_password = st.text_input("Mật khẩu mới", type="password", key=password_key)
        if st.button("Đặt lại mật khẩu và mở khoá", key=f"reset_password:{target}"):
            try:
                auth.set_password(data.engine(), target, new_password, by=who, must_change=True)
            except (ValueError, auth.PermissionDenied) as error:
                st.error(str(error))
            else:
                st.session_state[DONE_KEY] = (
                    f"Đã đặt lại mật khẩu và mở khoá tài khoản {target}. "
                    "Người dùng đổi mật khẩu ở lần đăng nhập tới."
                )
                st.session_state[RESET_CLEAR_KEY] = target
                st.rerun()
