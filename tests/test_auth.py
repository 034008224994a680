"""Accounts, sign-in, lockout, roles and agency scope — enforced in data_access, not only hidden."""

import datetime as dt
import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from data_access import auth, ingest
from data_access.analytics.exports import export_frame
from data_access.auth import AuthError, Identity, PermissionDenied
from data_access.cli import main
from data_access.db.models import utcnow
from data_access.domain.filters import Filters, scoped
from data_access.queries.aggregate import aggregate
from tests.apptest import ADMIN, ROOT, SECRETARIAT_BHXH, VIEWER, open_app

DATA = Path(__file__).resolve().parent / "data"
TODAY = dt.date(2026, 11, 22)
LEADERSHIP = [
    "overview",
    "gender_ratio",
    "leadership",
    "campaigns",
    "capacity",
    "provinces",
    "gender_index",
    "unit",
    "explore",
    "report",
]
SECRETARIAT = ["upload", "tracking", "history"]


def test_sample_database_has_the_demo_accounts(sample_engine: Engine) -> None:
    loopback: dict[str, Any] = {
        "listen_address": "127.0.0.1"
    }  # demo accounts sign in on the loopback only
    for username, role in (("lanhdao", "viewer"), ("thuky", "secretariat"), ("quantri", "admin")):
        identity = auth.authenticate(sample_engine, username, "demo-2026", **loopback)
        assert identity.role == role
    assert auth.authenticate(sample_engine, "thuky", "demo-2026", **loopback).agencies == ("BHXH",)


def test_init_db_without_sample_creates_no_account(engine: Engine) -> None:
    assert auth.list_users(engine).empty
    with pytest.raises(AuthError):
        auth.authenticate(engine, "quantri", "demo-2026")


def test_passwords_are_hashed_and_never_in_the_database_or_logs(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "Mat-khau-Rat-Rieng-2026"
    caplog.set_level(logging.DEBUG)
    auth.create_user(engine, "nguyenvana", "viewer", secret)
    auth.authenticate(engine, "nguyenvana", secret)
    with pytest.raises(AuthError):
        auth.authenticate(engine, "nguyenvana", secret + "x")
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT password_hash FROM users WHERE username = 'nguyenvana'")
        ).scalar_one()
        audit = " ".join(str(r) for r in conn.execute(text("SELECT * FROM audit_log")).all())
    assert stored.startswith("$argon2") and secret not in stored
    assert secret not in audit and secret not in caplog.text


def test_five_failures_lock_the_account_for_fifteen_minutes(engine: Engine) -> None:
    """For the clients that failed (five addresses here: one address is slowed down sooner, see
    tests/test_signin_security.py)."""
    auth.create_user(engine, "khoa", "viewer", "dung-mat-khau")
    now = utcnow()
    clients = [f"ip:192.0.2.{i}" for i in range(5)]
    for client in clients[:4]:
        with pytest.raises(AuthError, match="không đúng"):
            auth.authenticate(engine, "khoa", "sai", client=client, now=now)
    with pytest.raises(AuthError, match="tạm khoá 15 phút"):
        auth.authenticate(engine, "khoa", "sai", client=clients[4], now=now)
    with pytest.raises(AuthError, match="tạm khoá"):  # even the right password, while locked
        auth.authenticate(
            engine, "khoa", "dung-mat-khau", client=clients[0], now=now + dt.timedelta(minutes=14)
        )
    identity = auth.authenticate(
        engine, "khoa", "dung-mat-khau", client=clients[0], now=now + dt.timedelta(minutes=16)
    )
    assert identity.role == "viewer"
    with engine.connect() as conn:
        actions = [
            r[0]
            for r in conn.execute(
                text("SELECT action FROM audit_log WHERE user_name = 'khoa' ORDER BY id")
            )
        ]
    assert actions.count("sign_in_failed") == 6 and actions[-1] == "sign_in"


def test_disabled_account_cannot_sign_in(engine: Engine) -> None:
    auth.create_user(engine, "nghi", "viewer", "mat-khau-123")
    auth.set_active(engine, "nghi", False, actor="quantri")
    with pytest.raises(AuthError):
        auth.authenticate(engine, "nghi", "mat-khau-123")


def test_cli_users(
    sample_engine: Engine, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = sample_engine.url.render_as_string(hide_password=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-dai-hon\n"))
    assert (
        main(
            ["--database-url", url, "users", "add", "admin1", "--role", "admin", "--password-stdin"]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out) == {
        "created": "admin1",
        "role": "admin",
        "agencies": [],
    }
    assert (
        main(
            [
                "--database-url",
                url,
                "users",
                "add",
                "tk",
                "--role",
                "secretariat",
                "--agency",
                "THADS",
            ]
        )
        == 0
    )
    generated = json.loads(capsys.readouterr().out)["password"]
    assert auth.authenticate(sample_engine, "tk", generated).agencies == ("THADS",)
    assert main(["--database-url", url, "users", "disable", "tk"]) == 0
    with pytest.raises(AuthError):
        auth.authenticate(sample_engine, "tk", generated)
    assert main(["--database-url", url, "users", "list"]) == 0
    assert "admin1" in capsys.readouterr().out
    with sample_engine.connect() as conn:
        actions = [r[0] for r in conn.execute(text("SELECT action FROM audit_log ORDER BY id"))]
    assert {"user_add", "user_disable"} <= set(actions)


def test_a_viewer_calling_the_ingestion_function_is_refused(sample_engine: Engine) -> None:
    content = (DATA / "ok_utf8_comma.csv").read_bytes()
    with pytest.raises(PermissionDenied):
        ingest.commit(
            sample_engine, "x.csv", content, identity=VIEWER, accept_warnings=True, today=TODAY
        )
    with pytest.raises(PermissionDenied):
        ingest.rollback(sample_engine, 1, identity=VIEWER)
    assert ingest.batches(sample_engine).empty


def test_scoped_user_sees_and_exports_only_its_agency(shared_sample_engine: Engine) -> None:
    f = scoped(Filters(periods=("2022-Y",)), SECRETARIAT_BHXH)
    assert set(aggregate(shared_sample_engine, f, by=("unit",))["agency_code"]) == {"BHXH"}
    assert (
        set(
            aggregate(shared_sample_engine, f.with_(agencies=("THADS",)), by=("unit",))[
                "agency_code"
            ]
        )
        == set()
    )
    exported = export_frame(shared_sample_engine, "unit", f).frame
    assert len(exported) > 0 and set(exported["agency_code"]) == {"BHXH"}


def test_scoped_upload_of_another_agencys_unit_is_rejected(sample_engine: Engine) -> None:
    content = b"unit_code,period,staff_total,staff_female\nTHADS-HANOI,2026-Y,100,40\n"
    report = ingest.commit(
        sample_engine,
        "t.csv",
        content,
        identity=SECRETARIAT_BHXH,
        accept_warnings=True,
        today=TODAY,
    )
    assert not report.committed
    assert [(p.row, p.column) for p in report.errors] == [(2, "unit_code")]
    assert "ngoài phạm vi được giao (BHXH)" in report.errors[0].message


# --- the app ------------------------------------------------------------------------------------


def _registered(at, name: str) -> bool:
    try:
        at.switch_page(str(ROOT / "pages" / f"{name}.py"))
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    ("identity", "pages"),
    [
        (VIEWER, LEADERSHIP),
        (SECRETARIAT_BHXH, LEADERSHIP + SECRETARIAT),
        (ADMIN, [*LEADERSHIP, *SECRETARIAT, "admin_users"]),
    ],
)
def test_each_role_sees_exactly_its_pages(
    app_db: Engine, identity: Identity, pages: list[str]
) -> None:
    at = open_app(identity)
    every = [*LEADERSHIP, *SECRETARIAT, "admin_users"]
    assert [p for p in every if _registered(at, p)] == pages


def test_a_url_to_a_page_outside_the_role_does_not_render_it(app_db: Engine) -> None:
    at = open_app(VIEWER)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(str(ROOT / "pages/upload.py"))
    assert at.title[0].value == "Tổng quan bình đẳng giới"


def test_signed_out_users_only_get_the_sign_in_page(app_db: Engine) -> None:
    at = open_app(None)
    assert at.title[0].value == "Đăng nhập"
    assert not at.metric
    at.text_input(key="login_user").input("lanhdao")
    at.text_input(key="login_password").input("sai-mat-khau")
    at.button[0].click().run()
    assert "không đúng" in at.error[0].value
    at.text_input(key="login_password").input("demo-2026")
    at.button[0].click().run()
    assert at.session_state["identity"].username == "lanhdao"
    at.run()  # the page's st.rerun(), which AppTest does not follow by itself
    assert at.title[0].value == "Tổng quan bình đẳng giới"
    next(b for b in at.button if b.label == "Đăng xuất").click().run()
    at.run()
    assert at.title[0].value == "Đăng nhập"
    assert "identity" not in at.session_state


def test_an_idle_session_ends(app_db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_app(VIEWER)
    assert at.title[0].value == "Tổng quan bình đẳng giới"
    monkeypatch.setenv("VSTBPN_IDLE_MINUTES", "-1")
    at.run()
    assert at.title[0].value == "Đăng nhập"
    assert "hết hạn" in at.warning[0].value


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "pages").glob("*.py")))
def test_a_page_run_directly_checks_the_identity_itself(app_db: Engine, page: str) -> None:
    """Streamlit can run a file of pages/ without the router (its old multipage mode, for the
    first session of a fresh server): each page must refuse by itself."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=60).run()
    assert not at.exception
    assert [i.value for i in at.info] == ["Vui lòng đăng nhập để xem trang này."]
    assert not at.metric and not at.dataframe and not at.title
    if page in ("upload.py", "tracking.py", "history.py", "admin_users.py"):
        viewer = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=60)
        viewer.session_state["identity"] = VIEWER
        viewer.run()
        assert "không có quyền" in viewer.error[0].value and not viewer.dataframe
