"""Thiết lập (issue #14, item 4) under AppTest, on an empty database: an administrator lands on
it, sees what is missing, imports a registry, creates secretariat accounts; the secretariat and
viewers are refused by URL, by the page itself and inside data_access."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import Engine, func, select
from streamlit.testing.v1 import AppTest

from data_access import auth
from data_access.auth import Identity, PermissionDenied
from data_access.db.models import Unit, User
from data_access.registry import setup
from tests.apptest import ADMIN, ROOT, open_app

DATA = Path(__file__).resolve().parent / "data" / "registry"
PAGE = "pages/setup.py"
SECRETARY = Identity("thuky", "secretariat", ())
VIEWER = Identity("lanhdao", "viewer", ())


@pytest.fixture
def empty_app(_sqlite_databases, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The app on a database made by init-db without --sample, with its first accounts."""
    engine = _sqlite_databases.fresh("schema")
    for who in (ADMIN, SECRETARY, VIEWER):
        auth.create_user(engine, who.username, who.role, "mat-khau-dai-du")
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield engine
    st.cache_data.clear()
    st.cache_resource.clear()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_an_admin_lands_on_setup_and_imports_the_registry(empty_app: Engine) -> None:
    at = open_app(ADMIN)
    assert at.title[0].value == "Thiết lập"  # the landing page while there is no unit
    metrics = _metrics(at)
    assert (metrics["Ngành"], metrics["Đơn vị"], metrics["Báo cáo đầu tiên"]) == ("0", "0", "0")
    assert metrics["Chỉ tiêu"] == "38"
    assert "Còn thiếu" in " ".join(c.value for c in at.caption)
    assert not [f for f in at.selectbox if f.label == "Ngành"]  # no agency yet: no account form

    at.file_uploader(key="registry_file").set_value(
        ("nhnn_units.csv", (DATA / "nhnn_units.csv").read_bytes(), "text/csv")
    ).run()
    assert not at.exception
    assert _metrics(at)["Mục mới"] == "37"
    _button(at, "Ghi danh mục").click().run()
    assert not at.exception
    assert "Đã ghi lô 1" in at.success[0].value
    with empty_app.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Unit)).scalar_one() == 36
    assert _metrics(at)["Đơn vị"] == "36"

    form_agency = next(s for s in at.selectbox if s.label == "Ngành")
    form_agency.set_value("NHNN")
    next(n for n in at.number_input if n.label == "Số tài khoản").set_value(2)
    next(b for b in at.button if b.label == "Tạo tài khoản").click().run()
    assert not at.exception
    shown = at.dataframe[-1].value
    assert shown["Tên đăng nhập"].tolist() == ["thuky.nhnn.1", "thuky.nhnn.2"]
    with empty_app.connect() as conn:
        stored = conn.execute(select(User.password_hash).where(User.username == "thuky.nhnn.1"))
        assert shown["Mật khẩu dùng một lần"][0] not in (stored.scalar_one() or "")
    at.run()  # the next rerun: the passwords are gone from the page
    assert not any("Mật khẩu dùng một lần" in d.value.columns for d in at.dataframe)


def test_a_rejected_registry_lists_row_and_column_and_writes_nothing(empty_app: Engine) -> None:
    at = open_app(ADMIN)
    at.file_uploader(key="registry_file").set_value(
        ("loi.csv", (DATA / "err_bad_email.csv").read_bytes(), "text/csv")
    ).run()
    assert "từ chối" in at.error[0].value
    problems = at.dataframe[0].value
    assert list(zip(problems["Dòng"], problems["Cột"], strict=True)) == [(3, "Email")]
    assert not [b for b in at.button if b.label == "Ghi danh mục"]
    assert setup.is_empty(empty_app)


@pytest.mark.parametrize("who", [SECRETARY, VIEWER], ids=["secretariat", "viewer"])
def test_setup_is_refused_to_the_secretariat_and_viewers(empty_app: Engine, who: Identity) -> None:
    at = open_app(who)
    assert at.title[0].value != "Thiết lập"  # they land on the overview, not on setup
    # By URL: the page is not registered for them (the menu has no link to it either).
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(str(ROOT / PAGE))
    assert not at.file_uploader
    # The page run by itself refuses them, and so does data_access.
    direct = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    direct.session_state["identity"] = who
    direct.run()
    assert "không có quyền" in direct.error[0].value and not direct.file_uploader
    with pytest.raises(PermissionDenied):
        setup.status(empty_app, identity=who)
