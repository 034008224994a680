"""The accounts list: an administrator scoped to agencies sees only the accounts it may change
(the rule of auth._require_covers), in data_access and on the Tài khoản page; an administrator
of every agency and the CLI see them all; nobody else lists accounts."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from data_access import auth
from data_access.auth import Identity, PermissionDenied
from tests.apptest import open_app

PASSWORD = "mat-khau-2026-dai"
# username → (role, agencies, listed for the BHXH administrator)
ACCOUNTS = {
    "tk.bhxh": ("secretariat", ["BHXH"], True),
    "tk.thads": ("secretariat", ["THADS"], False),
    "tk.hai.nganh": ("secretariat", ["BHXH", "THADS"], False),
    "ld.moi.nganh": ("viewer", [], False),
}
BHXH_ADMIN = "qt.bhxh"


def _make(engine: Engine) -> Identity:
    for name, (role, agencies, _) in ACCOUNTS.items():
        auth.create_user(engine, name, role, PASSWORD, agencies)
    return auth.create_user(engine, BHXH_ADMIN, "admin", PASSWORD, ["BHXH"])


def test_a_scoped_administrator_lists_only_the_accounts_it_covers(sample_engine: Engine) -> None:
    scoped = _make(sample_engine)
    listed = set(auth.list_users(sample_engine, by=scoped)["username"])
    covered = {name for name, (_, _, mine) in ACCOUNTS.items() if mine}
    others = set(ACCOUNTS) - covered
    assert covered | {BHXH_ADMIN} <= listed
    assert not listed & others
    # The sample's own accounts: thuky (BHXH) is covered, lanhdao and quantri (every agency) not.
    assert "thuky" in listed and not {"lanhdao", "quantri"} & listed


def test_every_agency_and_the_cli_list_every_account(sample_engine: Engine) -> None:
    _make(sample_engine)
    everywhere = set(auth.list_users(sample_engine, by=Identity("quantri", "admin"))["username"])
    assert set(ACCOUNTS) | {BHXH_ADMIN, "lanhdao", "quantri", "thuky"} <= everywhere
    assert set(auth.list_users(sample_engine)["username"]) == everywhere


@pytest.mark.parametrize(
    "who",
    [Identity("thuky", "secretariat", ("BHXH",)), Identity("lanhdao", "viewer")],
    ids=["secretariat", "viewer"],
)
def test_other_roles_do_not_list_accounts(sample_engine: Engine, who: Identity) -> None:
    with pytest.raises(PermissionDenied):
        auth.list_users(sample_engine, by=who)


def test_the_accounts_page_of_a_scoped_administrator_shows_only_its_accounts(
    app_db: Engine,
) -> None:
    scoped = _make(app_db)
    at = open_app(scoped, "pages/admin_users.py")
    shown = set(at.dataframe[0].value["Tên đăng nhập"])
    assert "tk.bhxh" in shown and "thuky" in shown
    assert not shown & {"tk.thads", "tk.hai.nganh", "ld.moi.nganh", "lanhdao", "quantri"}
    # Nor can it pick one of them to edit.
    assert not set(at.selectbox(key="edit_user").options) & {"tk.thads", "lanhdao"}
