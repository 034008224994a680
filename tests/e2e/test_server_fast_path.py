"""`streamlit run` serves the app on uvicorn's compiled fast path: uvloop's event loop and the
httptools HTTP parser (requirements.txt). Without them uvicorn falls back to asyncio's pure-Python
loop and h11, and each of the ~150 static files a new browser fetches cost the server 1,6 ms of
CPU instead of 0,6 (issue 18: server CPU per sign-in plus first page ≤ 300 ms)."""

from __future__ import annotations

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
