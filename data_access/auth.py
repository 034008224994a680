"""Accounts, roles and agency scope. No Streamlit here: the app and the CLI both go through it.

Roles: `viewer` (leadership: dashboards and exports), `secretariat` (+ upload, tracking, history,
rollback), `admin` (+ users, units, targets, catalogue). A user may be scoped to agencies; the
query, export and ingestion functions apply the scope of the identity they are given.
Passwords are hashed with Argon2 (argon2-cffi) and never stored or logged in plain text.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from data_access import audit
from data_access.models import ROLES, Agency, User, UserAgency, utcnow

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = dt.timedelta(minutes=15)
DEMO_PASSWORD = "demo-2026"  # only ever set on the sample database (README lists the accounts)
DEMO_ACCOUNTS = (
    ("lanhdao", "viewer", ()),
    ("thuky", "secretariat", ("BHXH",)),
    ("quantri", "admin", ()),
)
ROLE_LABELS_VI = {"viewer": "Lãnh đạo (xem)", "secretariat": "Thư ký", "admin": "Quản trị"}
# What each role may do, beyond seeing the dashboards.
PERMISSIONS = {
    "viewer": {"view", "export"},
    "secretariat": {"view", "export", "upload", "track", "history", "rollback"},
    "admin": {"view", "export", "upload", "track", "history", "rollback", "admin"},
}

_hasher = PasswordHasher()
# A row of the users table (attribute access like the model), read on a Core connection.
UserRow = Any


@dataclass(frozen=True)
class Identity:
    username: str
    role: str
    agencies: tuple[str, ...] = ()  # empty: every agency
    display_name: str | None = None

    def can(self, action: str) -> bool:
        return action in PERMISSIONS.get(self.role, set())

    def require(self, action: str) -> None:
        if not self.can(action):
            raise PermissionDenied(
                f"Tài khoản {self.username} ({ROLE_LABELS_VI.get(self.role, self.role)}) không có quyền này."
            )

    @property
    def label(self) -> str:
        return self.display_name or self.username


SYSTEM = Identity("system", "admin")


class AuthError(ValueError):
    """Sign-in refused; the message is safe to show (it never says whether the user exists)."""


class PermissionDenied(PermissionError):
    pass


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _agency_ids(conn: Connection, codes: Sequence[str]) -> list[int]:
    found = dict(
        conn.execute(select(Agency.code, Agency.id).where(Agency.code.in_(list(codes)))).all()
    )
    if unknown := set(codes) - set(found):
        raise ValueError(f"Không có ngành: {', '.join(sorted(unknown))}")
    return [found[c] for c in codes]


def _identity(conn: Connection, user: UserRow) -> Identity:
    codes = (
        conn.execute(
            select(Agency.code)
            .join(UserAgency, UserAgency.agency_id == Agency.id)
            .where(UserAgency.user_id == user.id)
            .order_by(Agency.code)
        )
        .scalars()
        .all()
    )
    return Identity(user.username, user.role, tuple(codes), user.display_name)


def _user(conn: Connection, username: str) -> UserRow | None:
    return conn.execute(
        select(User.__table__).where(func.lower(User.username) == username.strip().lower())
    ).first()


def create_user(
    engine: Engine,
    username: str,
    role: str,
    password: str,
    agencies: Sequence[str] = (),
    *,
    actor: str = "system",
    display_name: str | None = None,
    email: str | None = None,
) -> Identity:
    if role not in ROLES:
        raise ValueError(f"Vai trò phải là một trong {', '.join(ROLES)}")
    if len(password) < 8:
        raise ValueError("Mật khẩu phải có ít nhất 8 ký tự.")
    with engine.begin() as conn:
        if _user(conn, username) is not None:
            raise ValueError(f"Tài khoản {username} đã tồn tại.")
        user_id = conn.execute(
            insert(User)
            .values(
                username=username.strip(),
                role=role,
                password_hash=hash_password(password),
                display_name=display_name,
                email=email,
            )
            .returning(User.id)
        ).scalar_one()
        for agency_id in _agency_ids(conn, agencies):
            conn.execute(insert(UserAgency).values(user_id=user_id, agency_id=agency_id))
        audit.record(conn, actor, "user_add", username, role=role, agencies=list(agencies))
    return Identity(username, role, tuple(sorted(agencies)), display_name)


def set_password(engine: Engine, username: str, password: str, *, actor: str = "system") -> None:
    if len(password) < 8:
        raise ValueError("Mật khẩu phải có ít nhất 8 ký tự.")
    with engine.begin() as conn:
        user = _require_user(conn, username)
        conn.execute(
            update(User)
            .where(User.id == user.id)
            .values(password_hash=hash_password(password), failed_attempts=0, locked_until=None)
        )
        audit.record(conn, actor, "user_reset_password", user.username)


def set_active(engine: Engine, username: str, active: bool, *, actor: str = "system") -> None:
    with engine.begin() as conn:
        user = _require_user(conn, username)
        conn.execute(update(User).where(User.id == user.id).values(active=active))
        audit.record(conn, actor, "user_enable" if active else "user_disable", user.username)


def set_role(
    engine: Engine, username: str, role: str, agencies: Sequence[str], *, actor: str = "system"
) -> None:
    if role not in ROLES:
        raise ValueError(f"Vai trò phải là một trong {', '.join(ROLES)}")
    with engine.begin() as conn:
        user = _require_user(conn, username)
        conn.execute(update(User).where(User.id == user.id).values(role=role))
        conn.execute(delete(UserAgency).where(UserAgency.user_id == user.id))
        for agency_id in _agency_ids(conn, agencies):
            conn.execute(insert(UserAgency).values(user_id=user.id, agency_id=agency_id))
        audit.record(conn, actor, "user_change", user.username, role=role, agencies=list(agencies))


def _require_user(conn: Connection, username: str) -> UserRow:
    user = _user(conn, username)
    if user is None:
        raise ValueError(f"Không có tài khoản {username}.")
    return user


def list_users(engine: Engine) -> pd.DataFrame:
    """username, display_name, email, role, agencies, active, locked_until, created_at."""
    with engine.connect() as conn:
        users = conn.execute(select(User.__table__).order_by(User.username)).all()
        rows = [
            {
                "username": u.username,
                "display_name": u.display_name,
                "email": u.email,
                "role": u.role,
                "agencies": ", ".join(_identity(conn, u).agencies),
                "active": u.active,
                "locked_until": u.locked_until,
                "created_at": u.created_at,
            }
            for u in users
        ]
    return pd.DataFrame(
        rows,
        columns=[
            "username",
            "display_name",
            "email",
            "role",
            "agencies",
            "active",
            "locked_until",
            "created_at",
        ],
    )


def authenticate(
    engine: Engine, username: str, password: str, now: dt.datetime | None = None
) -> Identity:
    """The identity of a correct sign-in; AuthError otherwise. Five failures in a row lock the
    account for fifteen minutes. Every attempt is in the audit log (never the password)."""
    # The failure count and the audit entry must be committed even when sign-in is refused, so
    # the transaction decides the outcome and the error is raised after it.
    with engine.begin() as conn:
        outcome = _attempt(conn, username, password, now or utcnow())
    if isinstance(outcome, AuthError):
        raise outcome
    return outcome


def _attempt(
    conn: Connection, username: str, password: str, now: dt.datetime
) -> Identity | AuthError:
    refused = AuthError("Tên đăng nhập hoặc mật khẩu không đúng.")
    user = _user(conn, username)
    if user is None or not user.active or not user.password_hash:
        audit.record(
            conn, username.strip()[:100] or "?", "sign_in_failed", reason="unknown or disabled"
        )
        return refused
    if user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        audit.record(conn, user.username, "sign_in_failed", reason="locked")
        return AuthError(
            f"Tài khoản tạm khoá do đăng nhập sai nhiều lần. Thử lại sau {minutes} phút."
        )
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        failures = user.failed_attempts + 1
        locked = now + LOCKOUT if failures >= MAX_FAILED_ATTEMPTS else None
        conn.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_attempts=0 if locked else failures, locked_until=locked)
        )
        audit.record(conn, user.username, "sign_in_failed", reason="password", locked=bool(locked))
        return (
            AuthError("Đăng nhập sai 5 lần: tài khoản bị tạm khoá 15 phút.") if locked else refused
        )
    values: dict[str, object] = {"failed_attempts": 0, "locked_until": None}
    if _hasher.check_needs_rehash(user.password_hash):
        values["password_hash"] = hash_password(password)
    conn.execute(update(User).where(User.id == user.id).values(**values))
    audit.record(conn, user.username, "sign_in")
    return _identity(conn, user)


def identity_for_email(engine: Engine, email: str) -> Identity | None:
    """Single sign-on: the active account whose e-mail the identity provider vouched for."""
    with engine.begin() as conn:
        user = conn.execute(
            select(User.__table__).where(
                func.lower(User.email) == email.strip().lower(), User.active.is_(True)
            )
        ).first()
        if user is None:
            audit.record(conn, email, "sign_in_failed", reason="sso: no account")
            return None
        audit.record(conn, user.username, "sign_in", method="sso")
        return _identity(conn, user)


def identity_for(engine: Engine, username: str) -> Identity | None:
    """The identity of an existing account (the CLI's --user), or None."""
    with engine.connect() as conn:
        user = _user(conn, username)
        return _identity(conn, user) if user is not None and user.active else None


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_demo_accounts(engine: Engine) -> None:
    """The sample database's demo accounts (README); never called for a real database."""
    for username, role, agencies in DEMO_ACCOUNTS:
        with engine.connect() as conn:
            exists = _user(conn, username) is not None
        if not exists:
            create_user(
                engine,
                username,
                role,
                DEMO_PASSWORD,
                agencies,
                display_name=f"Tài khoản mẫu {username}",
            )
