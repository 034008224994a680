"""The page bench times a page as the server runs it, not through Streamlit's old pages-folder mode
that AppTest switches back on before every run."""

import pytest
from sqlalchemy import Engine
from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import app_test

from devtools import bench_pages
from tests.apptest import ADMIN, open_app


def test_as_served_runs_the_router_alone_and_draws_the_page(
    app_db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered: list[str] = []
    old_mode = script_runner._mpa_v1

    def spy(main_script_path: str) -> None:
        entered.append(main_script_path)
        old_mode(main_script_path)

    monkeypatch.setattr(script_runner, "_mpa_v1", spy)
    monkeypatch.setattr(app_test, "PagesManager", app_test.PagesManager)  # put back afterwards
    open_app(ADMIN)
    assert entered, "plain AppTest goes through the pages-folder mode (what as_served undoes)"

    entered.clear()
    bench_pages.as_served()
    at = open_app(ADMIN, "pages/leadership.py")
    at.run()  # a cached rerun, as the bench times it
    assert not at.exception
    assert not entered
    assert at.title[0].value == "Phụ nữ trong lãnh đạo, quản lý"
    assert len(at.dataframe) == 2
