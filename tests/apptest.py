"""Running the real app under AppTest as a given user."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from data_access.auth import Identity

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 90
ADMIN = Identity("quantri", "admin")
VIEWER = Identity("lanhdao", "viewer")
SECRETARIAT_BHXH = Identity("thuky", "secretariat", ("BHXH",))


def open_app(
    identity: Identity | None = ADMIN, page: str | None = None, query: dict[str, str] | None = None
) -> AppTest:
    """The app as `identity` (None: signed out), optionally on `page` (a path under the root)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if identity is not None:
        at.session_state["identity"] = identity
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(str(ROOT / page)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at
