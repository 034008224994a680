"""Who is signed in. Everything asks `current_identity()`; tests set `st.session_state["identity"]`.

Local accounts sign in with a password (data_access.auth); where the organisation has an OIDC
provider configured in `[auth]` of secrets.toml, `st.login` signs in and the e-mail is mapped to
an account's role and scope.
"""

from __future__ import annotations

import os
import time

import streamlit as st

from data_access import auth
from data_access.auth import Identity
from ui import data

IDENTITY_KEY = "identity"
LAST_SEEN_KEY = "last_seen"
DEFAULT_IDLE_MINUTES = 30


def idle_minutes() -> int:
    """Sessions end after this much inactivity: VSTBPN_IDLE_MINUTES, else 30."""
    return int(os.environ.get("VSTBPN_IDLE_MINUTES", DEFAULT_IDLE_MINUTES))


def sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def current_identity() -> Identity | None:
    identity: Identity | None = st.session_state.get(IDENTITY_KEY)
    now = time.monotonic()
    if identity is not None:
        last = st.session_state.get(LAST_SEEN_KEY, now)
        if now - last > idle_minutes() * 60:
            sign_out(expired=True)
            return None
        st.session_state[LAST_SEEN_KEY] = now
        return identity
    if sso_configured() and getattr(st.user, "is_logged_in", False):
        identity = auth.identity_for_email(data.engine(), str(st.user.email))
        if identity is not None:
            _start(identity)
        return identity
    return None


def _start(identity: Identity) -> None:
    st.session_state[IDENTITY_KEY] = identity
    st.session_state[LAST_SEEN_KEY] = time.monotonic()


def sign_in(username: str, password: str) -> Identity:
    identity = auth.authenticate(data.engine(), username, password)
    _start(identity)
    return identity


def sign_out(expired: bool = False) -> None:
    for key in list(st.session_state):
        del st.session_state[key]
    if expired:
        st.session_state["signed_out_reason"] = (
            "Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại."
        )
    if sso_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def require(action: str = "view") -> Identity:
    """First line of every page: the signed-in identity, allowed to `action`, or the page stops.

    The router only registers a role's pages, but Streamlit may still run a file of pages/
    directly (its old multipage mode, for the first session of a fresh server), so every page
    checks for itself before it reads any data.
    """
    identity = current_identity()
    if identity is None:
        st.info("Vui lòng đăng nhập để xem trang này.")
        st.stop()
    if not identity.can(action):
        st.error("Tài khoản của bạn không có quyền xem trang này.")
        st.stop()
    return identity
