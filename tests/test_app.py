"""The app under Streamlit's AppTest, on a seeded database."""

import pytest
import streamlit as st
from sqlalchemy import Engine

from data_access import auth
from tests.apptest import ADMIN, open_app


def test_app_starts_and_shows_the_overview(app_db: Engine) -> None:
    at = open_app(ADMIN)
    assert not at.exception
    assert at.title[0].value == "Tổng quan bình đẳng giới"
    metrics = {m.label: m.value for m in at.metric}
    staff = metrics["Tỷ lệ nữ – CCVC, người lao động"]
    assert staff.endswith("%") and "," in staff and "." not in staff  # Vietnamese decimal comma


def test_app_shows_an_empty_state_on_an_empty_database(
    _sqlite_databases, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _sqlite_databases.fresh("schema")
    # The session's account must exist: every rerun checks it is still enabled, role and scope.
    auth.create_user(engine, ADMIN.username, ADMIN.role, "mat-khau-quan-tri")
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    st.cache_data.clear()
    st.cache_resource.clear()
    # An administrator lands on Thiết lập (tests/test_setup_page.py); the overview is empty.
    at = open_app(ADMIN, "pages/overview.py")
    assert not at.exception
    assert "Chưa có báo cáo nào" in at.info[0].value
