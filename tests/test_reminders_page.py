"""The tracking page's "Gửi nhắc nhở": preview, then send, under AppTest with a loopback SMTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, update

from data_access.db.models import Unit
from data_access.domain.filters import Filters
from data_access.queries import tracking
from tests.apptest import SECRETARIAT_BHXH, open_app
from tests.test_reminders import Inbox, _free_port

PERIOD = "2026-H1"


@pytest.fixture
def inbox(app_db: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    received = Inbox()
    controller = Controller(received, hostname="127.0.0.1", port=_free_port())
    controller.start()
    for name, value in {
        "HOST": "127.0.0.1",
        "PORT": str(controller.port),
        "STARTTLS": "false",
        "SENDER": "bantk@example.vn",
    }.items():
        monkeypatch.setenv(f"VSTBPN_SMTP_{name}", value)
    monkeypatch.setenv("VSTBPN_SIGN_IN_URL", "https://baocao.example.vn")
    yield received
    controller.stop()


def test_preview_then_send_to_the_selected_units(app_db: Engine, inbox: Inbox) -> None:
    missing = tracking.unit_status(app_db, PERIOD, Filters(scope=("BHXH",)), ("missing",))
    codes = missing["unit_code"].tolist()[:2]
    with app_db.begin() as conn:
        for code in codes:
            conn.execute(
                update(Unit).where(Unit.code == code).values(contact_email=f"{code}@example.vn")
            )
    at = open_app(SECRETARIAT_BHXH, "pages/tracking.py")
    at.selectbox[0].set_value(PERIOD).run()
    at.multiselect(key=f"reminder_units_{PERIOD}").set_value(codes).run()
    at.button(key="reminder_preview_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert inbox.messages == []  # a preview sends nothing
    preview = next(d.value for d in at.dataframe if "Địa chỉ thư" in d.value.columns)
    assert sorted(preview["Địa chỉ thư"]) == sorted(f"{c}@example.vn" for c in codes)
    send = at.button(key="reminder_send")
    assert send.label == "Gửi nhắc nhở (2 thư)"
    send.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert sorted(str(m["To"]) for m in inbox.messages) == sorted(f"{c}@example.vn" for c in codes)
    assert [s.value for s in at.success] == ["Đã gửi 2 thư nhắc."]
