"""ui.auth: an open session is checked once per run of the app (issue 18). The router checks it
and hands the answer to the page's require() calls and the session watch drawn in that run; a
leadership page used to ask the database five times a run (the router, the page, its filters
twice, the watch)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from data_access import auth as data_auth
from data_access.auth import Identity
from tests.apptest import VIEWER, open_app
from ui import auth


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The usernames data_access.auth.session_check is asked about, in order."""
    asked: list[str] = []
    check = data_auth.session_check

    def counted(engine: Engine, identity: Identity) -> str | None:
        asked.append(identity.username)
        return check(engine, identity)

    monkeypatch.setattr(data_auth, "session_check", counted)
    return asked


def test_a_leadership_page_checks_the_session_once_a_run(app_db: Engine, checks: list[str]) -> None:
    at = open_app(VIEWER)
    assert at.title[0].value == "Tổng quan bình đẳng giới"
    checks.clear()
    at.multiselect(key="f_agencies").set_value(["BHXH"]).run()
    assert not at.exception and at.title[0].value == "Tổng quan bình đẳng giới"
    assert checks == ["lanhdao"]


def test_the_answer_holds_for_its_run_only() -> None:
    identity = Identity("lanhdao", "viewer")
    with pytest.raises(RuntimeError), auth.checked_this_run(identity):
        assert auth._CHECKED.get() is identity
        raise RuntimeError  # st.rerun() and st.stop() end a run this way
    # A fragment's own rerun (the session watch's timer) or a page run without the router
    # checks for itself.
    assert auth._CHECKED.get() is None
