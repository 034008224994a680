"""What `streamlit run app.py` serves around the app: security headers on every HTTP response, and
start-up steps before the first session: Streamlit's pages/ auto-discovery turned off, and the
objects the app's modules made put out of the garbage collector's reach.

app.py hands both to `st.App` (Streamlit's ASGI server, which takes middleware and a lifespan);
`streamlit run` finds that app in app.py and serves it. A reverse proxy should send the same
headers (docs/deploy.md).
"""

from __future__ import annotations

import gc
import re
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Scripts and styles are not restricted: Streamlit's front end injects styles and its charts
# (Vega) compile expressions at run time; these directives break nothing it does.
CONTENT_SECURITY_POLICY = (
    "frame-ancestors 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)
SECURITY_HEADERS = {
    # Other sites may not frame the app (clickjacking); its own frames (components) still load.
    "x-frame-options": "SAMEORIGIN",
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


class SecurityHeaders:
    """ASGI middleware: adds SECURITY_HEADERS to every HTTP response that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # the WebSocket carries no page
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [
                    (name.encode(), value.encode())
                    for name, value in SECURITY_HEADERS.items()
                    if name.encode() not in present
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class StaticMemo:
    """ASGI middleware: Streamlit's own front-end files answered from memory after their first
    request.

    A new browser fetches ~150 of them (5,5 MB); Streamlit's static handler stats, opens and
    reads each one in 64 KB chunks through worker threads, behind five middleware layers, which
    cost the server more CPU than the sign-in itself (issue #18). Only what Streamlit itself
    answered is kept: a complete 200 under /static/ marked immutable (content-hashed bundles;
    its index.html fallback for an unknown path is no-cache, so is never kept). So the memory is
    bounded by the package's static directory, and its security checks have run on each path
    once. Requests with a query, a range or a condition go to Streamlit as before."""

    # Request headers that change the answer for the same path.
    PASS_THROUGH = frozenset({b"range", b"if-range", b"if-none-match", b"if-modified-since"})
    # One spelling per file: plain names, no empty, "." or ".." segment, so "js//a.js" or
    # "js/./a.js" (the same file to the file system) cannot fill the memory with copies.
    PLAIN_PATH = re.compile(r"(?:[\w-][\w.-]*/)*[\w-][\w.-]*", re.ASCII)
    # And never more than this in all (Streamlit's whole static directory is 26 MB; a browser
    # fetches 5,5 MB of it): past it, files are served by Streamlit as before.
    MAX_KEPT_BYTES = 32 * 2**20

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.kept: dict[str, tuple[list[tuple[bytes, bytes]], bytes]] = {}
        self.kept_bytes = 0
        self._prefix: str | None = None

    def prefix(self) -> str:
        if self._prefix is None:
            from streamlit import config

            base = str(config.get_option("server.baseUrlPath") or "").strip("/")
            self._prefix = f"/{base}/static/" if base else "/static/"
        return self._prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope.get("query_string")
            or not path.startswith(self.prefix())
            or not self.PLAIN_PATH.fullmatch(path, len(self.prefix()))
            or any(name in self.PASS_THROUGH for name, _ in scope["headers"])
        ):
            await self.app(scope, receive, send)
            return
        if (kept := self.kept.get(path)) is not None:
            headers, body = kept
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and _immutable(start):
                    self._keep(path, list(start.get("headers", [])), b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)

    def _keep(self, path: str, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        if path not in self.kept and self.kept_bytes + len(body) <= self.MAX_KEPT_BYTES:
            self.kept[path] = (headers, body)
            self.kept_bytes += len(body)


def _immutable(start: Message) -> bool:
    """A 200 that the browser may keep for ever, with nothing per client (no cookie)."""
    if start.get("status") != 200:
        return False
    headers = {name.lower(): value for name, value in start.get("headers", [])}
    return b"immutable" in headers.get(b"cache-control", b"") and b"set-cookie" not in headers


@asynccontextmanager
async def lifespan(_app: object) -> AsyncIterator[None]:
    """Before any session: Streamlit runs its old pages/ mode (the page file names as a menu,
    pages run by file name, "Page not found" for the app's own addresses and no sign-in form)
    until some session has called st.navigation, which then turns it off for every session. At
    start-up none has, so the first visitor after a restart met it; this does what that call
    does, before anyone comes. (PagesManager.uses_pages_directory is Streamlit's own switch;
    tests/e2e/test_session_security.py opens a fresh server's first session to hold it.)"""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    freeze_start_up_objects()
    yield


def freeze_start_up_objects() -> None:
    """Python's full garbage collection walks every object the process tracks: about 200,000
    once the app's modules are imported (pandas, Altair, SQLAlchemy, Streamlit), 100–175 ms of
    CPU holding the GIL, so every session stalls, and it fell inside page runs (an uncached
    overview 500 → 680 ms). What exists at start-up lives as long as the process: gc.freeze()
    (the standard library's way) keeps it out of every later collection, which then walks only
    what sessions made since. Frozen objects are still freed by their reference counts; only a
    cycle among them would outlive its use, and start-up objects (modules, their tables and
    registries) are used as long as the process runs."""
    gc.freeze()


# --- the session cookie (data_access.sessions) ---------------------------------------------------
#
# Why a route of our own: Streamlit 1.67 reads cookies on the server (`st.context.cookies`) but
# has no call that writes one, and anything written from the page's JavaScript (st.html with
# unsafe_allow_javascript, components) is readable by JavaScript, i.e. not HttpOnly. `st.App`
# takes Starlette routes, so this endpoint answers with a real Set-Cookie: HttpOnly (no script
# can read the token), SameSite=Strict (never sent from another site), Secure over https. The
# page only POSTs a one-time handoff code here; the token itself never reaches the page.
SESSION_ROUTE = "/_phien"
HANDOFF_CODE_LENGTH = 100  # a token_urlsafe(32) is 43 characters: anything longer is not a code


def _secure(request: Any) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return bool(request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https")


async def session_cookie(request: Any) -> Any:
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response

    from data_access import sessions
    from data_access.db.config import database_url
    from data_access.db.engine import get_engine

    response = Response(status_code=204)
    options: dict[str, Any] = {
        "path": "/",
        "httponly": True,
        "samesite": "strict",
        "secure": _secure(request),
    }
    if request.method == "DELETE":  # sign-out: the row is already gone, the cookie goes too
        response.delete_cookie(sessions.COOKIE_NAME, **options)
        return response
    code = (await request.body())[:HANDOFF_CODE_LENGTH].decode(errors="replace")
    engine = get_engine(database_url())
    token = await run_in_threadpool(sessions.redeem, engine, code)
    if token is None:
        return Response(status_code=403)
    lifetime = int(sessions.SESSION_LIFETIME.total_seconds())
    response.set_cookie(sessions.COOKIE_NAME, token, max_age=lifetime, **options)
    return response


def routes() -> list[Any]:
    from starlette.routing import Route

    return [Route(SESSION_ROUTE, session_cookie, methods=["POST", "DELETE"])]
