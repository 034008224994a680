"""Staying signed in (data_access.sessions): hashed tokens, expiry, and the four revocations."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select

from data_access import auth, sessions
from data_access.auth import Identity
from data_access.db.models import UserSession, utcnow
from tests.apptest import open_app

PASSWORD = "mat-khau-cu-1"
IDLE = dt.timedelta(minutes=30)
USER = Identity("nguyenvana", "secretariat", ("BHXH",))
ADMIN = Identity("quantri", "admin")


@pytest.fixture
def signed_in(sample_engine: Engine) -> tuple[Engine, str, int]:
    """An account signed in with its cookie written: (engine, the cookie's token, session id)."""
    auth.create_user(sample_engine, USER.username, USER.role, PASSWORD, USER.agencies)
    started = sessions.start(sample_engine, USER)
    token = sessions.redeem(sample_engine, started.handoff_code)
    assert token is not None
    return sample_engine, token, started.session_id


def test_only_hashes_are_stored_and_a_code_is_redeemed_once(
    signed_in: tuple[Engine, str, int],
) -> None:
    engine, token, session_id = signed_in
    with engine.connect() as conn:
        row = conn.execute(select(UserSession.__table__).where(UserSession.id == session_id)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {row.token_hash, row.handoff_hash}
    assert row.handoff_hash is None  # the code was used
    resumed = sessions.resume(engine, token, IDLE)
    assert resumed is not None and resumed.identity == USER
    assert sessions.resume(engine, token + "x", IDLE) is None
    assert sessions.redeem(engine, "not-a-code") is None


def test_a_handoff_code_works_once_and_only_briefly(sample_engine: Engine) -> None:
    auth.create_user(sample_engine, USER.username, USER.role, PASSWORD, USER.agencies)
    now = utcnow()
    started = sessions.start(sample_engine, USER, now=now)
    late = now + sessions.HANDOFF_WINDOW + dt.timedelta(seconds=1)
    assert sessions.redeem(sample_engine, started.handoff_code, now=late) is None
    fresh = sessions.start(sample_engine, USER, now=now)
    assert sessions.redeem(sample_engine, fresh.handoff_code, now=now) is not None
    assert sessions.redeem(sample_engine, fresh.handoff_code, now=now) is None


def test_expiry_and_idle_end_a_session(signed_in: tuple[Engine, str, int]) -> None:
    engine, token, session_id = signed_in
    now = utcnow()
    after_lifetime = now + sessions.SESSION_LIFETIME + dt.timedelta(seconds=1)
    assert sessions.resume(engine, token, IDLE, now=after_lifetime) is None
    assert sessions.check(engine, session_id, IDLE, now=after_lifetime) == sessions.SESSION_EXPIRED
    idle_later = now + IDLE + dt.timedelta(seconds=1)
    assert sessions.resume(engine, token, IDLE, now=idle_later) is None
    assert sessions.check(engine, session_id, IDLE, now=now) is None


def _change_own(engine: Engine) -> None:
    sessions.change_own_password(engine, USER, PASSWORD, "mat-khau-moi-2", "mat-khau-moi-2")


REVOCATIONS: dict[str, Callable[[Engine, int], object]] = {
    "sign-out": lambda engine, session_id: sessions.end(engine, session_id),
    "disabling": lambda engine, _: auth.set_active(engine, USER.username, False, actor="quantri"),
    "password reset": lambda engine, _: auth.set_password(
        engine, USER.username, "mat-khau-moi-2", actor="quantri", must_change=True
    ),
    "own password change": lambda engine, _: _change_own(engine),
    "role change": lambda engine, _: auth.change_account(
        engine, USER.username, role="viewer", by=ADMIN
    ),
    "scope change": lambda engine, _: auth.change_account(
        engine, USER.username, agencies=["BHXH", "THADS"], by=ADMIN
    ),
}


@pytest.mark.parametrize("event", list(REVOCATIONS))
def test_each_event_revokes_the_session(signed_in: tuple[Engine, str, int], event: str) -> None:
    engine, token, session_id = signed_in
    REVOCATIONS[event](engine, session_id)
    assert sessions.resume(engine, token, IDLE) is None  # a reload does not bring it back
    assert sessions.check(engine, session_id, IDLE) == sessions.SESSION_ENDED  # other tabs end


def test_own_password_change_checks_the_current_one_and_starts_a_new_session(
    signed_in: tuple[Engine, str, int],
) -> None:
    engine, _, _ = signed_in
    with pytest.raises(ValueError, match=sessions.WRONG_CURRENT_PASSWORD):
        sessions.change_own_password(
            engine, USER, "sai-mat-khau", "mat-khau-moi-2", "mat-khau-moi-2"
        )
    with pytest.raises(ValueError, match=sessions.PASSWORDS_DIFFER):
        sessions.change_own_password(engine, USER, PASSWORD, "mat-khau-moi-2", "mat-khau-moi-3")
    with pytest.raises(ValueError, match="ít nhất 8 ký tự"):
        sessions.change_own_password(engine, USER, PASSWORD, "ngan", "ngan")
    started = sessions.change_own_password(
        engine, USER, PASSWORD, "mat-khau-moi-2", "mat-khau-moi-2"
    )
    assert sessions.check(engine, started.session_id, IDLE) is None
    assert auth.authenticate(engine, USER.username, "mat-khau-moi-2") == USER


@pytest.mark.parametrize(
    ("make", "must_change"),
    [
        (lambda e: auth.create_user(e, "moi", "viewer", PASSWORD, must_change=True), True),
        (lambda e: auth.create_user(e, "moi", "viewer", PASSWORD), False),
    ],
)
def test_an_initial_password_must_be_changed(
    sample_engine: Engine, make: Callable[[Engine], object], must_change: bool
) -> None:
    make(sample_engine)
    assert sessions.must_change_password(sample_engine, "moi") is must_change
    if must_change:
        sessions.change_own_password(
            sample_engine, Identity("moi", "viewer"), PASSWORD, "mat-khau-moi-2", "mat-khau-moi-2"
        )
        assert not sessions.must_change_password(sample_engine, "moi")
    auth.set_password(sample_engine, "moi", "mat-khau-dat-lai", actor="quantri", must_change=True)
    assert sessions.must_change_password(sample_engine, "moi")


def test_the_app_shows_only_the_change_form_until_it_is_done(app_db: Engine) -> None:
    auth.set_password(app_db, "thuky", "mat-khau-tam-1", actor="quantri", must_change=True)
    at = open_app(None)
    at.text_input(key="login_user").set_value("thuky")
    at.text_input(key="login_password").set_value("mat-khau-tam-1")
    at.button[0].click().run()
    at.run()
    assert [t.value for t in at.title] == ["Đổi mật khẩu"]
    assert "do quản trị viên đặt" in at.warning[0].value
    current, new, repeated = at.text_input
    current.set_value("mat-khau-tam-1")
    new.set_value("mat-khau-rieng-2")
    repeated.set_value("mat-khau-rieng-2")
    next(b for b in at.button if b.label == "Đổi mật khẩu").click().run()
    assert not at.exception, [e.value for e in at.exception]
    # Done: the address now opens the page it names, with the whole menu.
    assert [t.value for t in at.title] == ["Tổng quan bình đẳng giới"]
    assert not sessions.must_change_password(app_db, "thuky")
