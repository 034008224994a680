"""ui.server.StaticMemo: Streamlit's front-end files answered from memory after their first
request, and nothing else (issue 18: a new browser's ~150 files cost the server more CPU than
the sign-in). Driven as ASGI, in front of a stand-in for Streamlit's static handler."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ui.server import Message, StaticMemo

IMMUTABLE = [
    (b"content-type", b"text/javascript; charset=utf-8"),
    (b"cache-control", b"public, immutable, max-age=31536000"),
    (b"x-frame-options", b"SAMEORIGIN"),
]
NO_CACHE = [(b"content-type", b"text/html; charset=utf-8"), (b"cache-control", b"no-cache")]


class Streamlit:
    """Answers every request with `headers` and a body in two chunks; counts what it answered."""

    def __init__(self, headers: list[tuple[bytes, bytes]], status: int = 200) -> None:
        self.headers, self.status, self.calls = headers, status, 0
        self.finish = True  # False: the client went away before the last chunk

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.calls += 1
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": b"first ", "more_body": True})
        if self.finish:
            await send({"type": "http.response.body", "body": b"second", "more_body": False})


def _get(
    memo: StaticMemo,
    path: str = "/static/js/index.abc123.js",
    method: str = "GET",
    headers: list[tuple[bytes, bytes]] | None = None,
    query: bytes = b"",
) -> tuple[Message, bytes]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query,
        "headers": headers or [],
    }
    asyncio.run(memo(scope, receive, send))
    return sent[0], b"".join(m.get("body", b"") for m in sent[1:])


@pytest.fixture(autouse=True)
def _no_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit import config

    monkeypatch.setattr(
        config, "get_option", lambda name: "" if name == "server.baseUrlPath" else None
    )


def test_a_bundle_is_answered_from_memory_after_its_first_request() -> None:
    streamlit = Streamlit(IMMUTABLE)
    memo = StaticMemo(streamlit)
    first = _get(memo)
    again = _get(memo)
    assert streamlit.calls == 1
    assert again == (
        {"type": "http.response.start", "status": 200, "headers": IMMUTABLE},
        b"first second",
    )
    assert first[1] == b"first second"


def test_under_a_base_url_its_static_path_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit import config

    monkeypatch.setattr(config, "get_option", lambda name: "/vstbpn/")
    streamlit = Streamlit(IMMUTABLE)
    memo = StaticMemo(streamlit)
    for _ in range(2):
        _get(memo, "/vstbpn/static/js/index.abc123.js")
    assert streamlit.calls == 1


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        (NO_CACHE, 200),  # Streamlit's index.html for a path that is no file
        (IMMUTABLE, 404),
        ([*IMMUTABLE, (b"set-cookie", b"session=x")], 200),  # something of one client
    ],
    ids=["no-cache", "not-found", "cookie"],
)
def test_what_is_not_an_immutable_file_goes_to_streamlit_every_time(
    headers: list[tuple[bytes, bytes]], status: int
) -> None:
    streamlit = Streamlit(headers, status)
    memo = StaticMemo(streamlit)
    for _ in range(3):
        _get(memo)
    assert streamlit.calls == 3


@pytest.mark.parametrize(
    "request_",
    [
        {"path": "/tong-quan"},
        {"path": "/_stcore/host-config"},
        # Other spellings of a file's path: kept, each would be one more copy of it.
        {"path": "/static/js//index.abc123.js"},
        {"path": "/static/js/./index.abc123.js"},
        {"path": "/static/./js/index.abc123.js"},
        {"path": "/static/js/index.abc123.js/"},
        {"method": "HEAD"},
        {"query": b"v=2"},
        {"headers": [(b"range", b"bytes=0-9")]},
        {"headers": [(b"if-none-match", b'"abc"')]},
        {"headers": [(b"if-modified-since", b"Tue, 24 Nov 2026 00:00:00 GMT")]},
    ],
    ids=[
        "page",
        "stcore",
        "double-slash",
        "dot",
        "dot-dir",
        "slash",
        "head",
        "query",
        "range",
        "etag",
        "since",
    ],
)
def test_other_requests_go_to_streamlit(request_: dict[str, Any]) -> None:
    streamlit = Streamlit(IMMUTABLE)
    memo = StaticMemo(streamlit)
    for _ in range(2):
        _get(memo, **request_)
    assert streamlit.calls == 2 and memo.kept == {}


def test_a_file_cut_short_is_not_kept() -> None:
    streamlit = Streamlit(IMMUTABLE)
    streamlit.finish = False
    memo = StaticMemo(streamlit)
    _get(memo)
    streamlit.finish = True
    assert _get(memo)[1] == b"first second"
    assert streamlit.calls == 2


def test_the_memory_kept_has_a_ceiling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StaticMemo, "MAX_KEPT_BYTES", len(b"first second") + 5)
    streamlit = Streamlit(IMMUTABLE)
    memo = StaticMemo(streamlit)
    for path in ["/static/js/a.1.js", "/static/js/b.2.js"] * 2:
        assert _get(memo, path)[1] == b"first second"
    assert list(memo.kept) == ["/static/js/a.1.js"] and streamlit.calls == 3
