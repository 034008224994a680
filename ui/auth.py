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

import datetime as dt
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import streamlit as st

from data_access import auth, seed, sessions
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
SESSION_ID_KEY = "session_id"  # the user_sessions row behind this tab (data_access.sessions)
HANDOFF_KEY = "session_handoff"  # a one-time code the page still has to hand to the cookie route
CLEAR_COOKIE_KEY = "session_clear_cookie"
MUST_CHANGE_KEY = "must_change_password"
LAST_TOUCH_KEY = "session_last_touch"
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


def _idle() -> dt.timedelta:
    return dt.timedelta(minutes=idle_minutes())


def _end_reason(identity: Identity) -> str | None:
    """Why an open session must end now, or None."""
    last = st.session_state.get(LAST_SEEN_KEY, time.monotonic())
    if time.monotonic() - last > idle_minutes() * 60:
        return IDLE_MESSAGE
    if reason := auth.session_check(data.engine(), identity):
        return reason
    # Signed out, password changed or account changed in another tab or browser: this tab too.
    session_id: int | None = st.session_state.get(SESSION_ID_KEY)
    if session_id is not None:
        return sessions.check(data.engine(), session_id, _idle())
    return None


def _cookie() -> str | None:
    try:
        value = st.context.cookies.get(sessions.COOKIE_NAME)
    except Exception:  # no request (AppTest)
        return None
    return value if isinstance(value, str) and value else None


def _touch() -> None:
    """Tell the database the session is in use, at most every TOUCH_EVERY (a reload after the
    idle time must not bring it back)."""
    session_id: int | None = st.session_state.get(SESSION_ID_KEY)
    last = st.session_state.get(LAST_TOUCH_KEY, 0.0)
    if session_id is not None and time.monotonic() - last > sessions.TOUCH_EVERY.total_seconds():
        sessions.touch(data.engine(), session_id)
        st.session_state[LAST_TOUCH_KEY] = time.monotonic()


def current_identity() -> Identity | None:
    identity: Identity | None = st.session_state.get(IDENTITY_KEY)
    if identity is not None:
        if reason := _end_reason(identity):
            sign_out(reason)
            return None
        st.session_state[LAST_SEEN_KEY] = time.monotonic()
        _touch()
        return identity
    # A reload or a new tab: the browser's cookie brings the session back.
    if (token := _cookie()) and (resumed := sessions.resume(data.engine(), token, _idle())):
        _start(resumed.identity)
        st.session_state[SESSION_ID_KEY] = resumed.session_id
        st.session_state[LAST_TOUCH_KEY] = time.monotonic()
        return resumed.identity
    if sso_configured() and getattr(st.user, "is_logged_in", False):
        identity = auth.identity_for_email(data.engine(), str(st.user.email))
        if identity is not None:
            _start(identity)
        return identity
    return None


# The identity the router checked at the top of the run now under way: the page's require()
# calls (a leadership page made four: its own and its filters') and the session watch drawn in
# the same run take it instead of asking the database again. Set only around the routed run's
# own code (checked_this_run), so a page run without the router and a fragment's own rerun (the
# watch's timer) check for themselves.
_CHECKED: ContextVar[Identity | None] = ContextVar("identity_checked_this_run", default=None)


@contextmanager
def checked_this_run(identity: Identity | None) -> Iterator[None]:
    """The router, around the rest of a run after current_identity(): `identity` is the answer
    for that run."""
    token = _CHECKED.set(identity)
    try:
        yield
    finally:
        _CHECKED.reset(token)


def _watch() -> None:
    if _CHECKED.get() is not None:
        return  # drawn by a run the router has just checked; its timer reruns check
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
    st.session_state[MUST_CHANGE_KEY] = sessions.must_change_password(
        data.engine(), identity.username
    )


def _remember(started: sessions.Started) -> None:
    """This tab's session row, and its cookie to be written by the next page (cookie_bridge)."""
    st.session_state[SESSION_ID_KEY] = started.session_id
    st.session_state[HANDOFF_KEY] = started.handoff_code
    st.session_state[LAST_TOUCH_KEY] = time.monotonic()


def cookie_bridge() -> None:
    """Hand a fresh session's one-time code to the cookie route (ui/server.py), or have it drop
    the cookie after a sign-out. The route answers with an HttpOnly cookie: the page's script
    never sees the token."""
    route = json.dumps(server_route())
    if code := st.session_state.pop(HANDOFF_KEY, None):
        body = json.dumps(code)
        st.html(
            f"<script>fetch({route}, {{method: 'POST', body: {body}, "
            "credentials: 'same-origin'});</script>",
            unsafe_allow_javascript=True,
        )
    elif st.session_state.pop(CLEAR_COOKIE_KEY, False):
        st.html(
            f"<script>fetch({route}, {{method: 'DELETE', credentials: 'same-origin'}});</script>",
            unsafe_allow_javascript=True,
        )


def server_route() -> str:
    from ui.server import SESSION_ROUTE

    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}{SESSION_ROUTE}" if base else SESSION_ROUTE


def must_change_password() -> bool:
    return bool(st.session_state.get(MUST_CHANGE_KEY, False))


def change_password(current: str, new: str, repeated: str) -> None:
    """The signed-in user's own change: every other session of the account ends; this tab gets
    a new one (and a new cookie). ValueError with a message to show otherwise."""
    identity: Identity | None = st.session_state.get(IDENTITY_KEY)
    if identity is None:
        raise ValueError("Vui lòng đăng nhập lại.")
    started = sessions.change_own_password(data.engine(), identity, current, new, repeated)
    _remember(started)
    st.session_state[MUST_CHANGE_KEY] = False


def sign_in(username: str, password: str) -> Identity:
    identity = auth.authenticate(
        data.engine(),
        username,
        password,
        client=client_key(),
        listen_address=listen_address(),
    )
    _start(identity)
    _remember(sessions.start(data.engine(), identity))
    return identity


def sign_out(reason: str | None = None) -> None:
    """End the session (every key of it, its row, its cookie); `reason` is shown above the
    sign-in form."""
    session_id: int | None = st.session_state.get(SESSION_ID_KEY)
    if session_id is not None:
        sessions.end(data.engine(), session_id)
    for key in list(st.session_state):
        del st.session_state[key]
    st.session_state[CLEAR_COOKIE_KEY] = True
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


def require(action: str | None = "view") -> Identity:
    """First line of every page: the signed-in identity, allowed to `action` (None: any signed-in
    identity, for a page with no data such as the glossary), or the page stops.

    The router only registers a role's pages; every page checks for itself too, before it reads
    any data, so a page run some other way (AppTest, a future router) shows nothing.
    """
    identity = _CHECKED.get() or current_identity()
    if identity is None:
        st.info("Vui lòng đăng nhập để xem trang này.")
        st.stop()
    if action is not None and not identity.can(action):
        st.error("Tài khoản của bạn không có quyền xem trang này.")
        st.stop()
    return identity
