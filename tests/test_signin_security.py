"""Sign-in under attack and open sessions of changed accounts (security issue #12: items 2, 6, 13
and the sign-in parts of 14), on both backends where a database is involved."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, select

from data_access import auth
from data_access.auth import AuthError, Identity
from data_access.cli import main
from data_access.db.models import AuditLog, User, utcnow
from tests.apptest import ADMIN, ROOT, SECRETARIAT_BHXH, VIEWER, open_app

DATA = Path(__file__).resolve().parent / "data"
PASSWORD = "mat-khau-that-dai-2026"
WRONG = "sai-mat-khau"
STRANGER = "ip:203.0.113.9"
REAL_USER = "ip:198.51.100.20"
THREADS = 10


def _sign_in(
    engine: Engine, password: str, client: str, now: dt.datetime, username: str = "lanhdao"
) -> str:
    """ "ok" or the refusal's message."""
    try:
        auth.authenticate(engine, username, password, client=client, now=now)
    except AuthError as error:
        return str(error)
    return "ok"


def _account(engine: Engine, username: str = "lanhdao") -> tuple[int, dt.datetime | None]:
    with engine.connect() as conn:
        row = conn.execute(
            select(User.failed_attempts, User.locked_until).where(User.username == username)
        ).one()
    return row.failed_attempts, row.locked_until


def _checked(engine: Engine, username: str = "lanhdao") -> int:
    """Attempts whose password was actually verified and found wrong (one audit entry each)."""
    with engine.connect() as conn:
        details = conn.execute(
            select(AuditLog.detail).where(
                AuditLog.user_name == username, AuditLog.action == "sign_in_failed"
            )
        ).scalars()
        return sum(1 for d in details if d and d.get("reason") == "password")


def _concurrently(attempt, arguments: list[str]) -> list[str]:
    barrier = threading.Barrier(len(arguments))

    def run(argument: str) -> str:
        barrier.wait()
        return attempt(argument)

    with ThreadPoolExecutor(len(arguments)) as pool:
        return list(pool.map(run, arguments))


# --- item 2: the lockout under concurrent attempts ------------------------------------------------


def test_ten_concurrent_wrong_passwords_lock_the_account(engine: Engine) -> None:
    """Ten sessions from ten addresses at once (each thread its own connection): every check is
    counted, the counter is exactly the number of checks, and the account ends locked."""
    auth.create_user(engine, "lanhdao", "viewer", PASSWORD)
    now = utcnow()
    clients = [f"ip:192.0.2.{i}" for i in range(THREADS)]
    messages = _concurrently(lambda client: _sign_in(engine, WRONG, client, now), clients)
    assert "ok" not in messages
    failures, locked_until = _account(engine)
    assert failures == _checked(engine) == THREADS
    assert locked_until is not None and locked_until > now
    # The lock holds for those clients, even with the right password.
    assert "tạm khoá" in _sign_in(engine, PASSWORD, clients[0], now + dt.timedelta(minutes=1))


def test_one_client_is_checked_one_attempt_at_a_time_then_waits(engine: Engine) -> None:
    """Ten sessions of one client at once: at most the free failures are checked, the rest are
    told to wait, and the account counter is exactly the number checked (nothing lost)."""
    auth.create_user(engine, "lanhdao", "viewer", PASSWORD)
    now = utcnow()
    messages = _concurrently(lambda _: _sign_in(engine, WRONG, STRANGER, now), [""] * THREADS)
    checked = _checked(engine)
    assert 1 <= checked <= auth.CLIENT_FREE_FAILURES
    assert _account(engine) == (checked, None)
    assert sum("Vui lòng thử lại sau" in m for m in messages) == THREADS - checked


@pytest.mark.parametrize(
    ("failures", "wait_seconds"),
    [(0, 0), (1, 0), (2, 0), (3, 2), (4, 4), (5, 8), (9, 128), (12, 900), (40, 900)],
)
def test_a_clients_backoff_grows_after_the_free_failures(failures: int, wait_seconds: int) -> None:
    assert auth.CLIENT_FREE_FAILURES == 3
    assert auth.client_backoff(failures) == dt.timedelta(seconds=wait_seconds)


def test_a_client_waits_its_backoff_before_its_next_check(engine: Engine) -> None:
    auth.create_user(engine, "lanhdao", "viewer", PASSWORD)
    now = utcnow()
    for _ in range(auth.CLIENT_FREE_FAILURES):
        assert "không đúng" in _sign_in(engine, WRONG, STRANGER, now)
    wait = auth.client_backoff(auth.CLIENT_FREE_FAILURES)
    refused = _sign_in(engine, PASSWORD, STRANGER, now)  # even the right password is not checked
    assert refused.endswith(f"Vui lòng thử lại sau {int(wait.total_seconds())} giây.")
    assert _checked(engine) == auth.CLIENT_FREE_FAILURES
    # Another client is not slowed down by the stranger's failures.
    assert _sign_in(engine, PASSWORD, REAL_USER, now) == "ok"
    assert _sign_in(engine, PASSWORD, STRANGER, now + wait) == "ok"


def test_a_strangers_guesses_do_not_lock_the_real_user_out(engine: Engine) -> None:
    """Five wrong guesses from one address lock the account for that address (and any other with
    failures), but the owner, signing in from a client with no failures, still gets in."""
    auth.create_user(engine, "lanhdao", "viewer", PASSWORD)
    start = utcnow()
    minute = dt.timedelta(minutes=1)
    for i in range(auth.MAX_FAILED_ATTEMPTS):  # spaced out: past the client's backoff each time
        _sign_in(engine, WRONG, STRANGER, start + i * minute)
    assert _account(engine)[1] is not None  # locked
    later = start + auth.MAX_FAILED_ATTEMPTS * minute
    assert "tạm khoá" in _sign_in(engine, PASSWORD, STRANGER, later)
    assert _sign_in(engine, PASSWORD, REAL_USER, later) == "ok"
    assert _account(engine) == (0, None)


# --- item 6 and 14: what a refusal reveals --------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        (WRONG, "Tên đăng nhập hoặc mật khẩu không đúng."),
        (PASSWORD, "Tài khoản này đã bị vô hiệu hoá. Vui lòng liên hệ quản trị viên."),
    ],
)
def test_a_disabled_account_is_named_only_after_the_right_password(
    engine: Engine, password: str, expected: str
) -> None:
    auth.create_user(engine, "lanhdao", "viewer", PASSWORD)
    auth.set_active(engine, "lanhdao", False)
    now = utcnow()
    assert _sign_in(engine, password, REAL_USER, now) == expected
    # A wrong password says exactly what it says for a name that does not exist.
    assert _sign_in(engine, WRONG, REAL_USER, now, username="khong-ton-tai") == (
        "Tên đăng nhập hoặc mật khẩu không đúng."
    )


class CountingHasher(PasswordHasher):
    """The real Argon2 hasher, counting the hashes it verifies."""

    def __init__(self) -> None:
        super().__init__()
        self.verified: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.verified.append(str(hash))
        return super().verify(hash, password)


def test_an_unknown_username_verifies_a_dummy_argon2_hash(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sign-in time must not tell which usernames exist: an unknown name costs one Argon2
    verification like a known one (the code path is tested, not the time)."""
    hasher = CountingHasher()
    monkeypatch.setattr(auth, "_hasher", hasher)
    auth.create_user(engine, "lanhdao", "viewer", PASSWORD)
    _sign_in(engine, WRONG, REAL_USER, utcnow(), username="khong-ton-tai")
    assert len(hasher.verified) == 1 and hasher.verified[0].startswith("$argon2id$")
    _sign_in(engine, WRONG, REAL_USER, utcnow())
    assert len(hasher.verified) == 2


# --- item 13: demo accounts only on the loopback --------------------------------------------------


@pytest.mark.parametrize(
    ("listen_address", "allowed"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("", False),
        (None, False),
        ("10.1.2.3", False),
    ],
)
def test_demo_accounts_sign_in_only_on_a_loopback_server(
    sample_engine: Engine, listen_address: str | None, allowed: bool
) -> None:
    sign_in = lambda: auth.authenticate(  # noqa: E731
        sample_engine,
        "quantri",
        auth.DEMO_PASSWORD,
        client=REAL_USER,
        listen_address=listen_address,
    )
    if allowed:
        assert sign_in().role == "admin"
    else:
        with pytest.raises(AuthError, match="Mật khẩu mẫu chỉ dùng được"):
            sign_in()


def test_an_account_with_its_own_password_signs_in_on_any_address(sample_engine: Engine) -> None:
    auth.set_password(sample_engine, "quantri", PASSWORD)
    identity = auth.authenticate(
        sample_engine, "quantri", PASSWORD, client=REAL_USER, listen_address="0.0.0.0"
    )
    assert identity.role == "admin"


# --- item 6: the command line ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["ingest", str(DATA / "ok_utf8_comma.csv"), "--dry-run", "--user", "thuky"],
        ["rollback", "1", "--user", "thuky"],
        ["export", "--level", "agency", "--format", "csv", "-o", "{tmp}/x.csv", "--user", "thuky"],
    ],
    ids=["ingest", "rollback", "export"],
)
def test_the_cli_refuses_a_user_that_names_a_disabled_account(
    sample_engine: Engine,
    command: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    auth.set_active(sample_engine, "thuky", False)
    url = sample_engine.url.render_as_string(hide_password=False)
    argv = ["--database-url", url, *(a.replace("{tmp}", str(tmp_path)) for a in command)]
    assert main(argv) == 1
    assert "thuky đã bị vô hiệu hoá" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


# --- item 6: open sessions of a changed account (the app under AppTest) ---------------------------


def _signed_out_with(at, message: str) -> None:
    assert at.title[0].value == "Đăng nhập"
    assert "identity" not in at.session_state
    assert [w.value for w in at.warning] == [message]
    assert not at.metric and not at.dataframe


def _click(at) -> None:
    """What the user does next: change a filter."""
    at.multiselect(key="f_agencies").set_value(["BHXH"]).run()


def test_a_disabled_accounts_open_session_is_signed_out_at_its_next_rerun(app_db: Engine) -> None:
    at = open_app(SECRETARIAT_BHXH)
    assert at.title[0].value == "Tổng quan bình đẳng giới"
    auth.set_active(app_db, "thuky", False, actor="quantri")
    _click(at)
    _signed_out_with(
        at,
        "Tài khoản của bạn đã bị vô hiệu hoá nên phiên làm việc đã kết thúc. "
        "Vui lòng liên hệ quản trị viên.",
    )


@pytest.mark.parametrize(
    ("role", "agencies"),
    [("viewer", ("BHXH",)), ("secretariat", ("THADS",)), ("secretariat", ())],
    ids=["role", "scope", "scope-widened"],
)
def test_a_changed_role_or_scope_signs_the_open_session_out(
    app_db: Engine, role: str, agencies: tuple[str, ...]
) -> None:
    at = open_app(SECRETARIAT_BHXH)
    auth.set_role(app_db, "thuky", role, agencies, actor="quantri")
    _click(at)
    _signed_out_with(
        at, "Vai trò hoặc phạm vi ngành của tài khoản vừa thay đổi. Vui lòng đăng nhập lại."
    )


def test_an_unchanged_account_stays_signed_in(app_db: Engine) -> None:
    at = open_app(SECRETARIAT_BHXH)
    auth.set_password(app_db, "quantri", PASSWORD)  # another account changes
    _click(at)
    assert at.title[0].value == "Tổng quan bình đẳng giới"
    assert at.session_state["identity"].username == "thuky"


def _sign_in_form(at, username: str, password: str) -> None:
    at.text_input(key="login_user").input(username)
    at.text_input(key="login_password").input(password)
    at.button[0].click().run()


@pytest.fixture
def listening_on_every_interface() -> Iterator[None]:
    from streamlit import config

    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    yield
    config.set_option("server.address", before)


def test_the_app_refuses_demo_accounts_when_it_listens_beyond_the_loopback(
    app_db: Engine, listening_on_every_interface: None
) -> None:
    at = open_app(None)
    _sign_in_form(at, "quantri", auth.DEMO_PASSWORD)
    assert "Mật khẩu mẫu chỉ dùng được" in at.error[0].value
    assert "identity" not in at.session_state


def test_the_app_lets_demo_accounts_in_on_the_loopback(app_db: Engine) -> None:
    at = open_app(None)
    _sign_in_form(at, "quantri", auth.DEMO_PASSWORD)
    assert not at.error
    assert at.session_state["identity"].username == "quantri"


def test_a_disabled_user_signing_in_is_told_after_the_right_password(app_db: Engine) -> None:
    auth.set_active(app_db, "lanhdao", False)
    at = open_app(None)
    _sign_in_form(at, "lanhdao", WRONG)
    assert at.error[0].value == "Tên đăng nhập hoặc mật khẩu không đúng."
    _sign_in_form(at, "lanhdao", auth.DEMO_PASSWORD)
    assert "vô hiệu hoá" in at.error[0].value


# --- item 13: "Dữ liệu mẫu" on every page of the sample database ----------------------------------


def _shows_sample_notice(at) -> bool:
    return any("Dữ liệu mẫu" in str(e.value) for e in [*at.markdown, *at.caption])


def _every_page(at) -> Iterator[str]:
    for page in sorted((ROOT / "pages").glob("*.py")):
        if page.name == "report_form.py":  # a reporter's only: tests/test_report_form_page.py
            continue
        at.switch_page(str(page)).run()
        assert not at.exception, page.name
        yield page.name


def test_every_page_of_the_sample_database_says_it_is_sample_data(app_db: Engine) -> None:
    assert _shows_sample_notice(open_app(None))  # the sign-in form too
    at = open_app(ADMIN)
    for page in _every_page(at):
        assert _shows_sample_notice(at), page


def test_a_real_database_shows_no_sample_notice(
    _sqlite_databases, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    engine = _sqlite_databases.fresh("schema")
    auth.create_user(engine, ADMIN.username, ADMIN.role, PASSWORD)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    st.cache_data.clear()
    st.cache_resource.clear()
    assert not _shows_sample_notice(open_app(None))
    at = open_app(ADMIN)
    for page in _every_page(at):
        assert not _shows_sample_notice(at), page
    st.cache_data.clear()
    st.cache_resource.clear()


def test_viewer_identity_is_a_real_account_of_the_sample(sample_engine: Engine) -> None:
    """The AppTest identities (tests/apptest.py) are the sample's accounts as they are, so that
    the per-rerun check of the account keeps them signed in."""
    for identity in (ADMIN, VIEWER, SECRETARIAT_BHXH):
        assert auth.session_check(sample_engine, identity) is None
    assert auth.session_check(sample_engine, Identity("thuky", "admin")) is not None
