"""Account administration (`set_password`, `set_role`) and the single sign-on e-mail → account
mapping, on both backends: what changes, what is refused, what the audit log keeps."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select, update

from data_access import auth
from data_access.db.models import AuditLog, User

NEW_PASSWORD = "mat-khau-moi-2026"


@pytest.fixture
def engine(sample_engine: Engine) -> Engine:
    """The sample database: accounts are scoped to agencies, which only the sample holds."""
    return sample_engine


def _audit(engine: Engine, action: str) -> list[tuple[str, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(AuditLog.user_name, AuditLog.target)
            .where(AuditLog.action == action)
            .order_by(AuditLog.id)
        )
        return [(r.user_name, r.target) for r in rows]


def _sign_in(engine: Engine, username: str, password: str) -> auth.Identity:
    return auth.authenticate(engine, username, password, client="test-client")


def test_set_password_replaces_the_password_and_lifts_a_lock(engine: Engine) -> None:
    auth.create_user(engine, "thuky.bhxh", "secretariat", "mat-khau-cu-2026", ["BHXH"])
    with engine.begin() as conn:
        conn.execute(
            update(User)
            .where(User.username == "thuky.bhxh")
            .values(failed_attempts=auth.MAX_FAILED_ATTEMPTS, locked_until=dt.datetime(2099, 1, 1))
        )
    auth.set_password(engine, "thuky.bhxh", NEW_PASSWORD, actor="quantri")
    with engine.connect() as conn:
        lock = conn.execute(
            select(User.failed_attempts, User.locked_until).where(User.username == "thuky.bhxh")
        ).one()
    assert tuple(lock) == (0, None)
    assert _sign_in(engine, "thuky.bhxh", NEW_PASSWORD).agencies == ("BHXH",)
    with pytest.raises(auth.AuthError):
        _sign_in(engine, "thuky.bhxh", "mat-khau-cu-2026")
    assert _audit(engine, "user_reset_password") == [("quantri", "thuky.bhxh")]


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("thuky.bhxh", "x" * (auth.MIN_PASSWORD_LENGTH - 1), str(auth.MIN_PASSWORD_LENGTH)),
        ("khong.co", NEW_PASSWORD, "Không có tài khoản khong.co"),
    ],
    ids=["too-short", "no-such-account"],
)
def test_set_password_refuses_and_writes_nothing(
    engine: Engine, username: str, password: str, message: str
) -> None:
    auth.create_user(engine, "thuky.bhxh", "secretariat", "mat-khau-cu-2026", ["BHXH"])
    with pytest.raises(ValueError, match=message):
        auth.set_password(engine, username, password, actor="quantri")
    assert _sign_in(engine, "thuky.bhxh", "mat-khau-cu-2026").username == "thuky.bhxh"
    assert _audit(engine, "user_reset_password") == []


@pytest.mark.parametrize(
    ("role", "agencies", "identity"),
    [
        ("viewer", [], ("viewer", ())),
        ("secretariat", ["THADS", "BHXH"], ("secretariat", ("BHXH", "THADS"))),
        ("admin", [], ("admin", ())),
    ],
)
def test_set_role_changes_role_and_scope_and_is_audited(
    engine: Engine, role: str, agencies: list[str], identity: tuple[str, tuple[str, ...]]
) -> None:
    auth.create_user(engine, "canbo", "secretariat", NEW_PASSWORD, ["LDTBXH"])
    auth.set_role(engine, "canbo", role, agencies, actor="quantri")
    found = auth.identity_for(engine, "canbo")
    assert found is not None and (found.role, found.agencies) == identity
    assert _audit(engine, "user_change") == [("quantri", "canbo")]


def test_set_role_refuses_an_unknown_role(engine: Engine) -> None:
    auth.create_user(engine, "canbo", "viewer", NEW_PASSWORD)
    with pytest.raises(ValueError, match="Vai trò"):
        auth.set_role(engine, "canbo", "superuser", [], actor="quantri")
    found = auth.identity_for(engine, "canbo")
    assert found is not None and found.role == "viewer"
    assert _audit(engine, "user_change") == []


@pytest.mark.parametrize(
    "email",
    ["thuky@bhxh.gov.vn", "  ThuKy@BHXH.gov.vn ", "THUKY@BHXH.GOV.VN"],
    ids=["as-stored", "spaces-and-case", "upper-case"],
)
def test_sso_email_maps_to_its_account(engine: Engine, email: str) -> None:
    auth.create_user(
        engine, "thuky.sso", "secretariat", NEW_PASSWORD, ["BHXH"], email="thuky@bhxh.gov.vn"
    )
    identity = auth.identity_for_email(engine, email)
    assert identity is not None
    assert (identity.username, identity.role, identity.agencies) == (
        "thuky.sso",
        "secretariat",
        ("BHXH",),
    )
    assert _audit(engine, "sign_in")[-1] == ("thuky.sso", None)


def test_sso_email_without_an_active_account_signs_nobody_in(engine: Engine) -> None:
    auth.create_user(engine, "nghi.viec", "viewer", NEW_PASSWORD, email="nghi@bhxh.gov.vn")
    auth.set_active(engine, "nghi.viec", False, actor="quantri")
    assert auth.identity_for_email(engine, "nghi@bhxh.gov.vn") is None
    assert auth.identity_for_email(engine, "la@example.com") is None
    assert _audit(engine, "sign_in_failed") == [
        ("nghi@bhxh.gov.vn", None),
        ("la@example.com", None),
    ]
