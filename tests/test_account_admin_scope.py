"""An administrator scoped to agencies changes only the accounts its scope covers, on every
account-writing call (create, reset password, role, scope, state, bulk accounts), on both
backends; a refused change writes nothing and audits nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select

from data_access import auth
from data_access.auth import Identity, PermissionDenied
from data_access.db.models import AuditLog
from data_access.registry import accounts

OLD = "mat-khau-cu-2026"
NEW = "mat-khau-moi-2026"
EVERYWHERE = Identity("quantri", "admin")
# Accounts by who may touch them: a BHXH administrator covers only BHXH-only accounts.
TARGETS = {
    "tk.bhxh": ("secretariat", ["BHXH"], True),
    "tk.thads": ("secretariat", ["THADS"], False),
    "tk.hai.nganh": ("secretariat", ["BHXH", "THADS"], False),
    "ld.moi.nganh": ("viewer", [], False),
    "qt.moi.nganh": ("admin", [], False),
}


@pytest.fixture
def scoped(sample_engine: Engine) -> Identity:
    """The BHXH administrator, with the target accounts made."""
    for name, (role, agencies, _) in TARGETS.items():
        auth.create_user(sample_engine, name, role, OLD, agencies)
    return auth.create_user(sample_engine, "qt.bhxh", "admin", OLD, ["BHXH"])


def _audited(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(AuditLog)).scalar_one())


CHANGES: dict[str, Callable[[Engine, str, Identity], object]] = {
    "reset password": lambda e, name, by: auth.set_password(e, name, NEW, by=by, must_change=True),
    "disable": lambda e, name, by: auth.change_account(e, name, active=False, by=by),
    "role": lambda e, name, by: auth.change_account(e, name, role="viewer", by=by),
    "scope": lambda e, name, by: auth.change_account(e, name, agencies=["BHXH"], by=by),
}


@pytest.mark.parametrize("change", list(CHANGES))
@pytest.mark.parametrize("target", list(TARGETS))
def test_a_change_outside_the_scope_is_refused_and_writes_nothing(
    sample_engine: Engine, scoped: Identity, target: str, change: str
) -> None:
    covered = TARGETS[target][2]
    before = auth.account(sample_engine, target)
    audited = _audited(sample_engine)
    if covered:
        CHANGES[change](sample_engine, target, scoped)
        return
    with pytest.raises(PermissionDenied, match="ngoài phạm vi ngành"):
        CHANGES[change](sample_engine, target, scoped)
    assert auth.account(sample_engine, target) == before
    assert _audited(sample_engine) == audited
    auth.authenticate(sample_engine, target, OLD, client=f"test-{target}")  # password kept


@pytest.mark.parametrize("change", list(CHANGES))
def test_an_administrator_of_every_agency_changes_any_account(
    sample_engine: Engine, scoped: Identity, change: str
) -> None:
    for target in ("tk.thads", "tk.hai.nganh"):
        CHANGES[change](sample_engine, target, EVERYWHERE)


@pytest.mark.parametrize("agencies", [[], ["THADS"], ["BHXH", "THADS"]])
def test_a_scoped_administrator_cannot_widen_an_account_beyond_its_scope(
    sample_engine: Engine, scoped: Identity, agencies: list[str]
) -> None:
    with pytest.raises(PermissionDenied, match="ngoài phạm vi ngành"):
        auth.change_account(sample_engine, "tk.bhxh", agencies=agencies, by=scoped)
    with pytest.raises(PermissionDenied, match="ngoài phạm vi ngành"):
        auth.create_user(sample_engine, "tk.moi", "secretariat", OLD, agencies, by=scoped)
    assert auth.account(sample_engine, "tk.bhxh").agencies == ("BHXH",)
    with pytest.raises(ValueError, match="Không có tài khoản"):
        auth.account(sample_engine, "tk.moi")
    # Within the scope, both go through.
    auth.create_user(sample_engine, "tk.moi", "secretariat", OLD, ["BHXH"], by=scoped)


def test_bulk_secretariat_accounts_stay_within_the_scope(
    sample_engine: Engine, scoped: Identity
) -> None:
    with pytest.raises(PermissionDenied, match="ngoài phạm vi ngành"):
        accounts.create_secretariat_accounts(sample_engine, "THADS", 1, identity=scoped)
    made = accounts.create_secretariat_accounts(sample_engine, "BHXH", 1, identity=scoped)
    assert auth.account(sample_engine, made[0].username).agencies == ("BHXH",)
