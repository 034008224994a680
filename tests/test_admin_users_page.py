"""Tài khoản (security issue #12, item 4): the edit form shows the selected account as it is, saves
only what changed, asks before changing a role, scope or state, and audits before and after."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from data_access import auth
from data_access.db.models import AuditLog
from tests.apptest import ADMIN, open_app

PAGE = "pages/admin_users.py"
# The sample's accounts as they are (README): role, agency scope, state.
ACCOUNTS = [
    ("lanhdao", "viewer", [], True),
    ("quantri", "admin", [], True),
    ("thuky", "secretariat", ["BHXH"], True),
]
USER_ACTIONS = ("user_change", "user_enable", "user_disable")


def _audit(engine: Engine) -> list[tuple[str, str | None, dict | None]]:
    with engine.connect() as conn:
        return [
            (r.action, r.target, r.detail)
            for r in conn.execute(
                select(AuditLog.action, AuditLog.target, AuditLog.detail)
                .where(AuditLog.action.in_(USER_ACTIONS))
                .order_by(AuditLog.id)
            )
        ]


def _open(username: str):
    at = open_app(ADMIN, PAGE)
    at.selectbox(key="edit_user").set_value(username).run()
    assert not at.exception
    return at


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def _labels(at) -> list[str]:
    return [b.label for b in at.button]


@pytest.mark.parametrize(("username", "role", "agencies", "active"), ACCOUNTS)
def test_selecting_an_account_shows_its_real_role_scope_and_state(
    app_db: Engine, username: str, role: str, agencies: list[str], active: bool
) -> None:
    at = _open(username)
    assert at.selectbox(key=f"edit_role:{username}").value == role
    assert at.multiselect(key=f"edit_agencies:{username}").value == agencies
    assert at.selectbox(key=f"edit_active:{username}").value is active
    summary = next(m.value for m in at.markdown if m.value.startswith("Hiện tại"))
    assert auth.ROLE_LABELS_VI[role] in summary
    assert (", ".join(agencies) or "Mọi ngành") in summary


def test_selecting_accounts_one_after_another_shows_each_ones_own_values(app_db: Engine) -> None:
    """The red team's case: lanhdao first, then thuky must not inherit lanhdao's values."""
    at = _open("lanhdao")
    at.selectbox(key="edit_user").set_value("thuky").run()
    assert at.selectbox(key="edit_role:thuky").value == "secretariat"
    assert at.multiselect(key="edit_agencies:thuky").value == ["BHXH"]


@pytest.mark.parametrize("username", [a[0] for a in ACCOUNTS if a[0] != ADMIN.username])
def test_saving_unchanged_changes_nothing(app_db: Engine, username: str) -> None:
    before = auth.account(app_db, username)
    at = _open(username)
    _button(at, "Lưu thay đổi").click().run()
    assert not at.exception
    assert "Xác nhận" not in _labels(at)
    assert [i.value for i in at.info] == ["Không có gì thay đổi."]
    assert auth.account(app_db, username) == before
    assert _audit(app_db) == []


@pytest.mark.parametrize(
    ("widget", "value", "shown", "after"),
    [
        ("edit_role", "admin", "Vai trò: Thư ký → Quản trị", {"role": "admin"}),
        ("edit_agencies", [], "Phạm vi ngành: BHXH → Mọi ngành", {"agencies": []}),
        (
            "edit_agencies",
            ["BHXH", "THADS"],
            "Phạm vi ngành: BHXH → BHXH, THADS",
            {"agencies": ["BHXH", "THADS"]},
        ),
        ("edit_active", False, "Trạng thái: Đang hoạt động → Đã vô hiệu hoá", {"active": False}),
    ],
    ids=["role", "scope-all", "scope-more", "state"],
)
def test_a_change_asks_for_confirmation_and_is_audited_before_and_after(
    app_db: Engine, widget: str, value: object, shown: str, after: dict[str, object]
) -> None:
    before = auth.account(app_db, "thuky")
    at = _open("thuky")
    element = (at.multiselect if widget == "edit_agencies" else at.selectbox)(key=f"{widget}:thuky")
    element.set_value(value).run()
    _button(at, "Lưu thay đổi").click().run()
    # Nothing is written before the confirmation, which lists the change.
    assert auth.account(app_db, "thuky") == before and _audit(app_db) == []
    assert shown in at.warning[0].value
    _button(at, "Xác nhận").click().run()
    assert not at.exception
    changed = auth.account(app_db, "thuky")
    assert {k: getattr(changed, k) for k in after} == {
        k: tuple(v) if isinstance(v, list) else v for k, v in after.items()
    }
    [(action, target, detail)] = _audit(app_db)
    assert target == "thuky" and action in USER_ACTIONS
    assert detail is not None
    assert detail["after"] == after
    assert detail["before"] == {
        k: list(before.agencies) if k == "agencies" else getattr(before, k) for k in after
    }
    # The form now shows the saved values.
    at.run()
    assert at.selectbox(key="edit_user").value == "thuky"


def test_cancelling_the_confirmation_writes_nothing(app_db: Engine) -> None:
    before = auth.account(app_db, "thuky")
    at = _open("thuky")
    at.selectbox(key="edit_role:thuky").set_value("viewer").run()
    _button(at, "Lưu thay đổi").click().run()
    _button(at, "Huỷ").click().run()
    assert "Xác nhận" not in _labels(at)
    assert auth.account(app_db, "thuky") == before and _audit(app_db) == []


def test_an_administrator_cannot_change_their_own_role_or_state(app_db: Engine) -> None:
    at = _open("quantri")
    assert at.selectbox(key="edit_role:quantri").disabled
    assert at.selectbox(key="edit_active:quantri").disabled
    assert _button(at, "Lưu thay đổi").disabled
    with pytest.raises(auth.PermissionDenied):
        auth.change_account(app_db, "quantri", role="viewer", by=ADMIN)


def test_only_an_administrator_may_change_an_account(app_db: Engine) -> None:
    with pytest.raises(auth.PermissionDenied):
        auth.change_account(
            app_db, "lanhdao", role="admin", by=auth.Identity("thuky", "secretariat", ("BHXH",))
        )
    assert auth.account(app_db, "lanhdao").role == "viewer"


def test_a_confirmation_is_refused_if_someone_else_changed_the_account_meanwhile(
    app_db: Engine,
) -> None:
    at = _open("thuky")
    at.selectbox(key="edit_role:thuky").set_value("admin").run()
    _button(at, "Lưu thay đổi").click().run()
    auth.set_active(app_db, "thuky", False, actor="quantri2")  # another administrator, meanwhile
    _button(at, "Xác nhận").click().run()
    assert "vừa được thay đổi" in at.error[0].value
    assert auth.account(app_db, "thuky").role == "secretariat"
