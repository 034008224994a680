"""What `streamlit run app.py` serves around the app: security headers on every HTTP response, and
a start-up step that turns off Streamlit's pages/ auto-discovery before the first session.

app.py hands both to `st.App` (Streamlit's ASGI server, which takes middleware and a lifespan);
`streamlit run` finds that app in app.py and serves it. A reverse proxy should send the same
headers (docs/deploy.md).
"""

from __future__ import annotations

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
    yield


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
