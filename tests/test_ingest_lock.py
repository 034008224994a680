"""A commit validates outside the write lock and takes it only to re-check and write (item 8):
on SQLite, sign-ins and exports go on while an upload is being validated."""

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, text

from data_access import auth, ingest
from data_access.analytics import exports
from data_access.domain.filters import Filters

TODAY = dt.date(2026, 11, 22)
HEADER = "unit_code,period,staff_total,staff_female\n"
CLEAN = HEADER + "BHXH-HANOI,2026-Y,1000,600\nTHADS-HANOI,2026-Y,300,100\n"
REJECTED = HEADER + "BHXH-HANOI,2026-Y,1000,1600\nTHADS-HANOI,2026-Y,300,100\n"
WAIT = 60  # seconds before a stuck handshake fails the test instead of hanging it


def _commit_pausing_at_validation(
    engine: Engine, content: str, while_validating: Callable[[], None]
) -> ingest.UploadReport:
    """Commit `content` in a thread (as a Streamlit session would), and run `while_validating`
    here while the commit is validating; returns the commit's report."""
    validating, resume = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def progress(_fraction: float, message: str) -> None:
        if message.startswith("Đang kiểm tra") and not validating.is_set():
            validating.set()
            resume.wait(WAIT)

    def upload() -> None:
        try:
            outcome["report"] = ingest.commit(
                engine,
                "lon.csv",
                content.encode(),
                user="thuky",
                accept_warnings=True,
                today=TODAY,
                progress=progress,
            )
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=upload)
    thread.start()
    try:
        assert validating.wait(WAIT)
        while_validating()
    finally:
        resume.set()
        thread.join(WAIT)
    assert "error" not in outcome, outcome.get("error")
    report = outcome["report"]
    assert isinstance(report, ingest.UploadReport)
    return report


@pytest.mark.parametrize(
    ("content", "committed"), [(CLEAN, True), (REJECTED, False)], ids=["clean", "rejected"]
)
def test_sign_in_and_export_succeed_while_an_upload_validates(
    sqlite_sample_engine: Engine, content: str, committed: bool
) -> None:
    done: dict[str, object] = {}

    def sign_in_and_export() -> None:
        done["identity"] = auth.authenticate(
            sqlite_sample_engine,
            "lanhdao",
            auth.DEMO_PASSWORD,
            client="ip:127.0.0.1",
            listen_address="127.0.0.1",
        )
        done["export"] = exports.export(
            sqlite_sample_engine, "province", Filters(periods=("2025-Y",)), "csv", user="lanhdao"
        )

    report = _commit_pausing_at_validation(sqlite_sample_engine, content, sign_in_and_export)
    identity = done["identity"]
    assert isinstance(identity, auth.Identity) and identity.username == "lanhdao"
    export = done["export"]
    assert isinstance(export, tuple)
    data, rows = export
    assert rows > 0 and data
    assert report.committed is committed


def test_a_batch_committed_during_validation_is_seen_before_writing(sample_engine: Engine) -> None:
    """Both files insert BHXH-HANOI's 2026-Y report: the second to finish must update it."""
    first: dict[str, ingest.UploadReport] = {}

    def upload() -> None:
        first["report"] = ingest.commit(
            sample_engine,
            "khac.csv",
            (HEADER + "BHXH-HANOI,2026-Y,900,500\n").encode(),
            user="thuky",
            accept_warnings=True,
            today=TODAY,
        )

    def other_upload() -> None:  # in its own thread: it must not wait for the paused commit
        thread = threading.Thread(target=upload)
        thread.start()
        thread.join(WAIT)

    report = _commit_pausing_at_validation(sample_engine, CLEAN, other_upload)
    assert first["report"].committed and first["report"].inserted == 1
    assert report.committed and (report.inserted, report.updated) == (1, 1)
    with sample_engine.connect() as conn:
        staff = conn.execute(
            text(
                "SELECT s.staff_total FROM submissions s JOIN units u ON u.id = s.unit_id "
                "JOIN periods p ON p.id = s.period_id "
                "WHERE u.code = 'BHXH-HANOI' AND p.code = '2026-Y'"
            )
        ).scalar_one()
    assert staff == 1000
    history = ingest.revisions(sample_engine, "BHXH-HANOI", "2026-Y")
    assert len(history) == 1 and history.iloc[0]["previous"]["staff_total"] == 900
