"""Tài khoản (#17 item 7): every change is confirmed by a visible message after its rerun, a
refused new account keeps everything typed, and disabling an account or changing its role waits
for a confirmation that says what will happen."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from data_access import auth
from tests.apptest import ADMIN, open_app

PAGE = "pages/admin_users.py"
PASSWORD_LABEL = f"Mật khẩu (ít nhất {auth.MIN_PASSWORD_LENGTH} ký tự)"
# What an administrator types into "Thêm tài khoản" (label → value).
TYPED = {
    "Tên đăng nhập": "nguoi.moi",
    "Họ tên": "Nguyễn Thị Mới",
    "E-mail (dùng cho đăng nhập một lần, nếu có)": "moi@bhxh.gov.vn",
    PASSWORD_LABEL: "mat-khau-du-dai",
}


def _text(at: AppTest, label: str) -> Any:
    return next(w for w in at.text_input if w.label == label)


def _button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


def _fill(at: AppTest, typed: dict[str, str]) -> None:
    for label, value in typed.items():
        _text(at, label).set_value(value)
    next(w for w in at.selectbox if w.label == "Vai trò").set_value("secretariat")
    next(w for w in at.multiselect if w.label == "Phạm vi ngành").set_value(["BHXH"])


def test_creating_an_account_says_so_after_the_rerun_and_empties_the_form(app_db: Engine) -> None:
    at = open_app(ADMIN, PAGE)
    _fill(at, TYPED)
    _button(at, "Tạo tài khoản").click().run()
    assert not at.exception and not at.error
    assert auth.account(app_db, "nguoi.moi").agencies == ("BHXH",)
    assert any("Đã tạo tài khoản nguoi.moi" in s.value for s in at.success)
    assert all(_text(at, label).value == "" for label in TYPED)
    at.run()  # the message is said once
    assert not any("Đã tạo" in s.value for s in at.success)


REFUSALS = {
    "password too short": ({PASSWORD_LABEL: "ngan"}, "ít nhất"),
    "name taken": ({"Tên đăng nhập": "lanhdao"}, "đã tồn tại"),
}


@pytest.mark.parametrize(("wrong", "words"), REFUSALS.values(), ids=REFUSALS)
def test_a_refused_account_keeps_everything_typed(
    app_db: Engine, wrong: dict[str, str], words: str
) -> None:
    typed = TYPED | wrong
    at = open_app(ADMIN, PAGE)
    _fill(at, typed)
    _button(at, "Tạo tài khoản").click().run()
    assert words in at.error[0].value
    assert {label: _text(at, label).value for label in typed} == typed
    assert next(w for w in at.selectbox if w.label == "Vai trò").value == "secretariat"
    assert next(w for w in at.multiselect if w.label == "Phạm vi ngành").value == ["BHXH"]
    assert not at.success
    # An st.form(clear_on_submit=True) empties its fields in the browser, where AppTest cannot
    # see it: the fields must not be in a form at all.
    assert all(not _text(at, label).proto.form_id for label in typed)


def test_resetting_a_password_says_so_and_empties_the_field(app_db: Engine) -> None:
    at = open_app(ADMIN, PAGE)
    at.selectbox(key="edit_user").set_value("thuky").run()
    _text(at, "Mật khẩu mới").set_value("mat-khau-moi-2026")
    _button(at, "Đặt lại mật khẩu và mở khoá").click().run()
    assert not at.exception and not at.error
    assert any("Đã đặt lại mật khẩu" in s.value and "thuky" in s.value for s in at.success)
    assert _text(at, "Mật khẩu mới").value == ""


CONFIRMED = {
    "disable": ("edit_active", False, "Trạng thái: Đang hoạt động → Đã vô hiệu hoá", "đăng nhập"),
    "role": ("edit_role", "viewer", "Vai trò: Thư ký → Lãnh đạo (xem)", "phiên đăng nhập"),
}


@pytest.mark.parametrize(
    ("widget", "value", "change", "consequence"), CONFIRMED.values(), ids=CONFIRMED
)
def test_disabling_or_changing_a_role_waits_for_confirmation_then_says_so(
    app_db: Engine, widget: str, value: object, change: str, consequence: str
) -> None:
    before = auth.account(app_db, "thuky")
    at = open_app(ADMIN, PAGE)
    at.selectbox(key="edit_user").set_value("thuky").run()
    at.selectbox(key=f"{widget}:thuky").set_value(value).run()
    _button(at, "Lưu thay đổi").click().run()
    # Asked, with what will happen to the account's open sessions; nothing written yet.
    [question] = [w.value for w in at.warning]
    assert change in question and consequence in question
    assert auth.account(app_db, "thuky") == before
    at.run()
    assert auth.account(app_db, "thuky") == before  # a rerun is no confirmation
    _button(at, "Xác nhận").click().run()
    assert not at.exception and not at.error
    assert auth.account(app_db, "thuky") != before
    assert any(change in s.value and "thuky" in s.value for s in at.success)
