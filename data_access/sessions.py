"""Staying signed in: a reload or a new tab of the same browser keeps the session.

A signed-in browser holds a random token in an HttpOnly cookie; the database keeps only its
SHA-256 (the token is 256 random bits, so a plain hash is enough: nothing to guess from it).
A session ends at its expiry (SESSION_LIFETIME), after the idle time the caller gives, at
sign-out, and for every session of the account when it is disabled, its password changes or an
administrator changes its role or scope (data_access.auth deletes them in the same transaction).

How the cookie is written without the token ever reaching the page: signing in creates the
session row with a one-time *handoff code* (hash stored, valid HANDOFF_WINDOW); the page passes
that code to the app's own cookie route (ui/server.py), which redeems it here (once), creates the
token, stores its hash and answers with Set-Cookie. A code seen later in the page is worthless.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, insert, select, update

from data_access import auth
from data_access.auth import Identity
from data_access.db import audit
from data_access.db.models import User, UserSession, utcnow

COOKIE_NAME = "vstbpn_session"
SESSION_LIFETIME = dt.timedelta(hours=12)  # a working day: sign in again each morning
HANDOFF_WINDOW = dt.timedelta(minutes=2)  # the page hands its code to the cookie route at once
TOUCH_EVERY = dt.timedelta(minutes=1)  # last_seen_at is written at most this often per session
TOKEN_BYTES = 32  # 256 bits

SESSION_ENDED = (
    "Phiên làm việc đã kết thúc (đăng xuất, đổi mật khẩu, hoặc tài khoản vừa được quản trị viên "
    "thay đổi). Vui lòng đăng nhập lại."
)
SESSION_EXPIRED = "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."
WRONG_CURRENT_PASSWORD = "Mật khẩu hiện tại không đúng."
SAME_PASSWORD = "Mật khẩu mới phải khác mật khẩu hiện tại."
PASSWORDS_DIFFER = "Hai lần nhập mật khẩu mới không khớp nhau."


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Started:
    session_id: int
    handoff_code: str  # for the cookie route, once


@dataclass(frozen=True)
class Resumed:
    identity: Identity
    session_id: int


def _user_id(engine: Engine, username: str) -> int:
    with engine.connect() as conn:
        user_id: int = conn.execute(select(User.id).where(User.username == username)).scalar_one()
    return user_id


def start(engine: Engine, identity: Identity, now: dt.datetime | None = None) -> Started:
    """A new session for a signed-in identity, with the one-time code for its cookie."""
    now = now or utcnow()
    user_id = _user_id(engine, identity.username)
    with engine.begin() as conn:
        return _start(conn, user_id, now)


def _start(conn: Connection, user_id: int, now: dt.datetime) -> Started:
    code = secrets.token_urlsafe(TOKEN_BYTES)
    # Expired sessions of this account go when it signs in again: the table stays small.
    conn.execute(
        delete(UserSession).where(UserSession.user_id == user_id, UserSession.expires_at <= now)
    )
    session_id: int = conn.execute(
        insert(UserSession)
        .values(
            user_id=user_id,
            handoff_hash=_hash(code),
            handoff_until=now + HANDOFF_WINDOW,
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
            last_seen_at=now,
        )
        .returning(UserSession.id)
    ).scalar_one()
    return Started(session_id, code)


def redeem(engine: Engine, code: str, now: dt.datetime | None = None) -> str | None:
    """The cookie's token for a handoff code (once; None for an unknown, used or stale code)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with engine.begin() as conn:
        done = conn.execute(
            update(UserSession)
            .where(
                UserSession.handoff_hash == _hash(code),
                UserSession.handoff_until > now,
                UserSession.expires_at > now,
            )
            .values(token_hash=_hash(token), handoff_hash=None, handoff_until=None)
            .returning(UserSession.id)
        ).first()
    return token if done is not None else None


def resume(
    engine: Engine, token: str, idle: dt.timedelta, now: dt.datetime | None = None
) -> Resumed | None:
    """The identity a cookie's token stands for, while its session lives and its account is
    enabled; None otherwise."""
    now = now or utcnow()
    with engine.connect() as conn:
        row = conn.execute(
            select(UserSession.id, User.username, User.active)
            .join(User, User.id == UserSession.user_id)
            .where(
                UserSession.token_hash == _hash(token),
                UserSession.expires_at > now,
                UserSession.last_seen_at > now - idle,
            )
        ).first()
    if row is None or not row.active:
        return None
    identity = auth.identity_for(engine, row.username)
    if identity is None:
        return None
    touch(engine, row.id, now)
    return Resumed(identity, row.id)


def check(
    engine: Engine, session_id: int, idle: dt.timedelta, now: dt.datetime | None = None
) -> str | None:
    """For an open session, on every rerun: None while it lives, else why it ended."""
    now = now or utcnow()
    with engine.connect() as conn:
        row = conn.execute(
            select(UserSession.expires_at, UserSession.last_seen_at).where(
                UserSession.id == session_id
            )
        ).first()
    if row is None:
        return SESSION_ENDED
    if row.expires_at <= now or row.last_seen_at <= now - idle:
        return SESSION_EXPIRED
    return None


def touch(engine: Engine, session_id: int, now: dt.datetime | None = None) -> None:
    """Record activity (a reload after the idle time must not bring the session back)."""
    now = now or utcnow()
    with engine.begin() as conn:
        conn.execute(
            update(UserSession)
            .where(UserSession.id == session_id, UserSession.last_seen_at < now - TOUCH_EVERY)
            .values(last_seen_at=now)
        )


def end(engine: Engine, session_id: int) -> None:
    """Sign-out: the session's cookie is worthless from now on, in every tab."""
    with engine.begin() as conn:
        conn.execute(delete(UserSession).where(UserSession.id == session_id))


def must_change_password(engine: Engine, username: str) -> bool:
    with engine.connect() as conn:
        flag = conn.execute(
            select(User.must_change_password).where(User.username == username)
        ).scalar_one_or_none()
    return bool(flag)


def change_own_password(
    engine: Engine,
    identity: Identity,
    current: str,
    new: str,
    repeated: str,
    now: dt.datetime | None = None,
) -> Started:
    """A user changes their own password: the current one is asked for, every session of the
    account ends (other tabs and browsers too) and a new one starts for this browser."""
    now = now or utcnow()
    if new != repeated:
        raise ValueError(PASSWORDS_DIFFER)
    if len(new) < auth.MIN_PASSWORD_LENGTH:
        raise ValueError(f"Mật khẩu phải có ít nhất {auth.MIN_PASSWORD_LENGTH} ký tự.")
    if new == current:
        raise ValueError(SAME_PASSWORD)
    with engine.connect() as conn:
        user = conn.execute(
            select(User.id, User.password_hash, User.active).where(
                User.username == identity.username
            )
        ).one()
    correct = bool(user.password_hash) and auth.verify_password(user.password_hash, current)
    if not correct or not user.active:
        raise ValueError(WRONG_CURRENT_PASSWORD)
    new_hash = auth.hash_password(new)  # outside the transaction: Argon2 takes a while
    with engine.begin() as conn:
        conn.execute(
            update(User)
            .where(User.id == user.id)
            .values(password_hash=new_hash, must_change_password=False, failed_attempts=0)
        )
        conn.execute(delete(UserSession).where(UserSession.user_id == user.id))
        audit.record(conn, identity.username, "password_change", identity.username)
        return _start(conn, user.id, now)
