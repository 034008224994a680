"""Who is signed in. Everything asks `current_identity()`; tests set `st.session_state["identity"]`.

Local accounts sign in with a password (data_access.auth, which throttles per client: the app
passes the browser's address and the server's listen address); where the organisation has an
OIDC provider configured in `[auth]` of secrets.toml, `st.login` signs in and the e-mail is mapped
to an account's role and scope.

An open session is checked on every rerun: idle too long, or its account disabled or given
another role or scope, and it is signed out with the reason. A fragment repeats the check on its
own every SESSION_WATCH_SECONDS, so data do not stay on screen until the next click.
"""

from __future__ import annotations

import os
import time

import streamlit as st

from data_access import auth, seed
from data_access.auth import Identity
from data_access.db.config import database_url
from ui import data

IDENTITY_KEY = "identity"
LAST_SEEN_KEY = "last_seen"
SIGNED_OUT_REASON_KEY = "signed_out_reason"
DEFAULT_IDLE_MINUTES = 30
# Data stay on screen at most this long after the session ended without a click.
SESSION_WATCH_SECONDS = 30
# Set to the header in which the reverse proxy passes the browser's address (docs/deploy.md);
# without it, the connection's address is used (the proxy's own, behind one).
CLIENT_ADDRESS_HEADER_ENV = "VSTBPN_CLIENT_ADDRESS_HEADER"
# Headers that show a request came through a proxy: the app is then reachable from elsewhere.
PROXY_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")
IDLE_MESSAGE = "Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại."


def idle_minutes() -> float:
    """Sessions end after this much inactivity: VSTBPN_IDLE_MINUTES, else 30."""
    return float(os.environ.get("VSTBPN_IDLE_MINUTES", DEFAULT_IDLE_MINUTES))


def sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def _header(name: str) -> str | None:
    try:
        value = st.context.headers.get(name)
    except Exception:  # no request (AppTest)
        return None
    return value if isinstance(value, str) and value else None


def client_address() -> str | None:
    """The browser's address: from the trusted proxy's header when one is configured, else the
    connection's (None for connections from this machine)."""
    if header := os.environ.get(CLIENT_ADDRESS_HEADER_ENV):
        forwarded = _header(header)
        if forwarded:
            return forwarded.split(",")[0].strip()
    address = st.context.ip_address
    return address if isinstance(address, str) else None  # AppTest has no connection


def client_key() -> str:
    """Who is asking, for the sign-in throttling: the browser's address."""
    return f"ip:{client_address() or 'loopback'}"


def listen_address() -> str | None:
    """The server's listen address for the demo-account rule; None behind a proxy (reachable
    from elsewhere whatever the server listens on)."""
    if any(_header(h) for h in PROXY_HEADERS):
        return None
    address = st.get_option("server.address")
    return address if isinstance(address, str) else None


def _end_reason(identity: Identity) -> str | None:
    """Why an open session must end now, or None."""
    last = st.session_state.get(LAST_SEEN_KEY, time.monotonic())
    if time.monotonic() - last > idle_minutes() * 60:
        return IDLE_MESSAGE
    return auth.session_check(data.engine(), identity)


def current_identity() -> Identity | None:
    identity: Identity | None = st.session_state.get(IDENTITY_KEY)
    if identity is not None:
        if reason := _end_reason(identity):
            sign_out(reason)
            return None
        st.session_state[LAST_SEEN_KEY] = time.monotonic()
        return identity
    if sso_configured() and getattr(st.user, "is_logged_in", False):
        identity = auth.identity_for_email(data.engine(), str(st.user.email))
        if identity is not None:
            _start(identity)
        return identity
    return None


def _watch() -> None:
    # A rerun of this fragment is not activity: it reads LAST_SEEN_KEY, never sets it.
    identity: Identity | None = st.session_state.get(IDENTITY_KEY)
    if identity is not None and (reason := _end_reason(identity)):
        sign_out(reason)
        st.rerun(scope="app")


def watch_session() -> None:
    """Re-check the open session on its own, with no click (the page then shows the sign-in)."""
    every = max(1.0, min(SESSION_WATCH_SECONDS, idle_minutes() * 60))
    st.fragment(_watch, run_every=every)()


def _start(identity: Identity) -> None:
    st.session_state[IDENTITY_KEY] = identity
    st.session_state[LAST_SEEN_KEY] = time.monotonic()


def sign_in(username: str, password: str) -> Identity:
    identity = auth.authenticate(
        data.engine(),
        username,
        password,
        client=client_key(),
        listen_address=listen_address(),
    )
    _start(identity)
    return identity


def sign_out(reason: str | None = None) -> None:
    """End the session (every key of it); `reason` is shown above the sign-in form."""
    for key in list(st.session_state):
        del st.session_state[key]
    if reason:
        st.session_state[SIGNED_OUT_REASON_KEY] = reason
    if sso_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


@st.cache_data(ttl=data.CACHE_TTL_SECONDS, show_spinner=False)
def _is_sample(url: str) -> bool:
    return seed.is_sample_database(data.engine())


def sample_notice() -> None:
    """On every page of the sample database: its figures and demo accounts are not real."""
    if _is_sample(database_url()):
        st.badge(
            "Dữ liệu mẫu – số liệu và tài khoản chỉ để chạy thử",
            icon=":material/science:",
            color="orange",
        )


def require(action: str = "view") -> Identity:
    """First line of every page: the signed-in identity, allowed to `action`, or the page stops.

    The router only registers a role's pages; every page checks for itself too, before it reads
    any data, so a page run some other way (AppTest, a future router) shows nothing.
    """
    identity = current_identity()
    if identity is None:
        st.info("Vui lòng đăng nhập để xem trang này.")
        st.stop()
    if not identity.can(action):
        st.error("Tài khoản của bạn không có quyền xem trang này.")
        st.stop()
    return identity
