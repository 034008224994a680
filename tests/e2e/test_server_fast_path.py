"""`streamlit run` serves the app on uvicorn's compiled fast path: uvloop's event loop and the
httptools HTTP parser (requirements.txt). Without them uvicorn falls back to asyncio's pure-Python
loop and h11, and each of the ~150 static files a new browser fetches cost the server 1,6 ms of
CPU instead of 0,6 (issue 18: server CPU per sign-in plus first page ≤ 300 ms)."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.server import StreamlitServer


def _loaded_libraries(pid: int) -> str:
    """The shared objects mapped into process `pid`: an extension module is one once imported."""
    return Path(f"/proc/{pid}/maps").read_text()


@pytest.mark.parametrize("package", ["uvloop", "httptools"])
def test_the_served_app_runs_on_the_compiled_loop_and_parser(
    server: StreamlitServer, package: str
) -> None:
    assert server.process is not None
    libraries = _loaded_libraries(server.process.pid)
    assert f"/{package}/" in libraries, f"{package} is not loaded by the app server"


def _fetch(url: str) -> tuple[dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return {k.lower(): v for k, v in response.headers.items() if k.lower() != "date"}, (
            response.read()
        )


def test_a_bundle_from_memory_is_the_answer_streamlit_gave(server: StreamlitServer) -> None:
    # ui.server.StaticMemo answers a static file from memory after its first request (each new
    # browser fetches ~150): the same bytes and headers as Streamlit's, security headers too.
    _, index = _fetch(server.base_url)
    bundle = re.search(rb'src="\.?(/static/js/[^"]+\.js)"', index)
    assert bundle is not None, index[:500]
    url = server.base_url + bundle.group(1).decode()
    first, again = _fetch(url), _fetch(url)
    assert again == first and len(first[1]) > 1000
    assert "immutable" in first[0]["cache-control"]
    assert first[0]["x-frame-options"] == "SAMEORIGIN"
