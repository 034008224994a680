"""Reminder e-mails against a real SMTP server on the loopback (aiosmtpd), reading what it got."""

from __future__ import annotations

import datetime as dt
import email
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, select, update

from data_access.auth import Identity, PermissionDenied
from data_access.cli import main
from data_access.db.models import Reminder, Unit
from data_access.domain.filters import Filters
from data_access.queries import tracking
from data_access.reporting import reminders

PERIOD = "2026-H1"
WEEK_BEFORE = dt.date(2026, 6, 8)
URL = "https://baocao.example.vn"
SECRETARIAT = Identity("thuky", "secretariat", ("BHXH",))
ADMIN = Identity("quantri", "admin")
REFUSED = "tu-choi@example.vn"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Inbox:
    """aiosmtpd handler: keeps every message accepted; refuses REFUSED as a recipient."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address == REFUSED:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(message, EmailMessage)  # the default policy makes one
        self.messages.append(message)
        return "250 OK"

    def to(self) -> list[str]:
        return sorted(str(m["To"]) for m in self.messages)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, reminders.SmtpSettings]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield (
        inbox,
        reminders.SmtpSettings(
            "127.0.0.1", controller.port, starttls=False, sender="bantk@example.vn"
        ),
    )
    controller.stop()


def _missing(engine: Engine, agency: str, count: int) -> list[str]:
    units = tracking.unit_status(engine, PERIOD, statuses=("missing",))
    codes = units.loc[units["agency_code"] == agency, "unit_code"].tolist()
    assert len(codes) >= count, f"the sample needs {count} missing units of {agency}"
    return codes[:count]


def _give_contacts(engine: Engine, codes: list[str]) -> dict[str, str]:
    addresses = {code: f"lienhe.{code.lower()}@example.vn" for code in codes}
    with engine.begin() as conn:
        for code, address in addresses.items():
            conn.execute(
                update(Unit)
                .where(Unit.code == code)
                .values(contact_name=f"Chị Lan {code}", contact_email=address)
            )
    return addresses


@pytest.fixture
def contacts(sample_engine: Engine) -> dict[str, dict[str, str]]:
    """Three missing BHXH units and one missing unit of another agency with an address; one
    more BHXH unit without any."""
    bhxh = _missing(sample_engine, "BHXH", 4)
    other_agency = (
        tracking.unit_status(sample_engine, PERIOD, statuses=("missing",))
        .query("agency_code != 'BHXH'")["unit_code"]
        .iloc[0]
    )
    return {
        "bhxh": _give_contacts(sample_engine, bhxh[:3]),
        "other": _give_contacts(sample_engine, [other_agency]),
        "no_address": {bhxh[3]: ""},
    }


def _send(engine: Engine, settings: reminders.SmtpSettings, **kwargs: Any) -> reminders.Result:
    options: dict[str, Any] = {"identity": SECRETARIAT, "user": "thuky", "today": WEEK_BEFORE}
    return reminders.remind(engine, PERIOD, url=URL, settings=settings, **(options | kwargs))


def _rows(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(Reminder).order_by(Reminder.id)).all())


def test_the_missing_units_in_scope_get_the_right_text(
    sample_engine: Engine, smtp: tuple[Inbox, reminders.SmtpSettings], contacts: Any
) -> None:
    inbox, settings = smtp
    result = _send(sample_engine, settings)
    assert inbox.to() == sorted(contacts["bhxh"].values())  # not the other agency's unit
    missing = tracking.unit_status(sample_engine, PERIOD, Filters(scope=("BHXH",)), ("missing",))
    without = set(missing["unit_code"]) - set(contacts["bhxh"])
    assert {u.unit_code for u in result.no_address} == without
    assert set(contacts["no_address"]) <= without
    message = inbox.messages[0]
    text = message.get_content()
    code = next(c for c, a in contacts["bhxh"].items() if a == message["To"])
    assert message["Subject"] == "Nhắc nộp báo cáo 6 tháng đầu năm 2026 – hạn 15/06/2026"
    assert f"Kính gửi Chị Lan {code}," in text
    assert "kỳ 6 tháng đầu năm 2026" in text
    assert "Hạn nộp: 15/06/2026 (còn 7 ngày nữa là đến hạn)." in text
    assert URL in text
    assert message["From"].addresses[0].addr_spec == "bantk@example.vn"
    rows = _rows(sample_engine)
    assert sorted(r.address for r in rows) == sorted(contacts["bhxh"].values())
    assert {(r.status, r.user_name, r.day, r.period_code) for r in rows} == {
        ("sent", "thuky", WEEK_BEFORE, PERIOD)
    }


@pytest.mark.parametrize(
    ("today", "phrase"),
    [
        (dt.date(2026, 6, 14), "còn 1 ngày nữa là đến hạn"),
        (dt.date(2026, 6, 15), "hôm nay là ngày cuối cùng của hạn nộp"),
        (dt.date(2026, 6, 20), "đã quá hạn 5 ngày"),
    ],
)
def test_days_left_or_late(today: dt.date, phrase: str) -> None:
    _, body = reminders.compose("Ban Thu", None, PERIOD, today, URL)
    assert f"Hạn nộp: 15/06/2026 ({phrase})." in body
    assert body.startswith("Kính gửi đồng chí phụ trách,")


def test_never_twice_a_day_to_the_same_unit(
    sample_engine: Engine, smtp: tuple[Inbox, reminders.SmtpSettings], contacts: Any
) -> None:
    inbox, settings = smtp
    _send(sample_engine, settings)
    again = _send(sample_engine, settings)
    assert len(inbox.messages) == 3
    assert again.messages == []
    assert sorted(u.unit_code for u in again.already_today) == sorted(contacts["bhxh"])
    # An administrator (every agency) the same day: only the unit not reminded yet.
    _send(sample_engine, settings, identity=ADMIN, user="quantri")
    assert inbox.to() == sorted([*contacts["bhxh"].values(), *contacts["other"].values()])
    _send(sample_engine, settings, today=WEEK_BEFORE + dt.timedelta(days=1))
    assert len(inbox.messages) == 3 + 1 + 3  # the next day, once more


def test_dry_run_sends_and_records_nothing(
    sample_engine: Engine, smtp: tuple[Inbox, reminders.SmtpSettings], contacts: Any
) -> None:
    inbox, settings = smtp
    result = _send(sample_engine, settings, dry_run=True)
    assert sorted(m.unit_code for m in result.messages) == sorted(contacts["bhxh"])
    assert inbox.messages == [] and _rows(sample_engine) == []


def test_an_unreachable_server_sends_nothing_then_a_retry_sends_each_once(
    sample_engine: Engine, smtp: tuple[Inbox, reminders.SmtpSettings], contacts: Any
) -> None:
    inbox, settings = smtp
    nowhere = reminders.SmtpSettings("127.0.0.1", _free_port(), starttls=False, sender="a@b.vn")
    with pytest.raises(
        reminders.ReminderError, match=r"Không kết nối được máy chủ thư 127\.0\.0\.1"
    ):
        _send(sample_engine, nowhere)
    assert _rows(sample_engine) == []
    _send(sample_engine, settings)
    _send(sample_engine, settings)
    assert inbox.to() == sorted(contacts["bhxh"].values())


def test_a_refused_address_is_recorded_and_may_be_retried(
    sample_engine: Engine, smtp: tuple[Inbox, reminders.SmtpSettings], contacts: Any
) -> None:
    inbox, settings = smtp
    code = sorted(contacts["bhxh"])[0]
    with sample_engine.begin() as conn:
        conn.execute(update(Unit).where(Unit.code == code).values(contact_email=REFUSED))
    result = _send(sample_engine, settings)
    assert [m.unit_code for m, _ in result.failed] == [code]
    assert len(inbox.messages) == 2
    statuses = sorted(r.status for r in _rows(sample_engine))
    assert statuses == ["failed", "sent", "sent"]
    retry = _send(sample_engine, settings)  # a failed message does not count as reminded
    assert [m.unit_code for m, _ in retry.failed] == [code]


def test_only_the_secretariat_and_administrators_may_send(
    sample_engine: Engine, smtp: tuple[Inbox, reminders.SmtpSettings], contacts: Any
) -> None:
    inbox, settings = smtp
    with pytest.raises(PermissionDenied):
        _send(sample_engine, settings, identity=Identity("lanhdao", "viewer"), user="lanhdao")
    # Naming another agency's unit does not widen a secretariat's scope.
    result = _send(sample_engine, settings, units=list(contacts["other"]))
    assert result.messages == [] and inbox.messages == []


def test_days_before_waits_for_the_window(
    sample_engine: Engine, smtp: tuple[Inbox, reminders.SmtpSettings], contacts: Any
) -> None:
    inbox, settings = smtp
    early = _send(sample_engine, settings, days_before=7, today=dt.date(2026, 6, 1))
    assert early.not_yet and inbox.messages == []
    _send(sample_engine, settings, days_before=7)
    assert len(inbox.messages) == 3


def test_the_command_line(
    sample_engine: Engine,
    smtp: tuple[Inbox, reminders.SmtpSettings],
    contacts: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, settings = smtp
    url = sample_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("VSTBPN_SMTP_HOST", settings.host)
    monkeypatch.setenv("VSTBPN_SMTP_PORT", str(settings.port))
    monkeypatch.setenv("VSTBPN_SMTP_STARTTLS", "false")
    monkeypatch.setenv("VSTBPN_SMTP_SENDER", "bantk@example.vn")
    monkeypatch.setenv("VSTBPN_SIGN_IN_URL", URL)
    command = ["--database-url", url, "remind", "--period", PERIOD, "--user", "thuky"]
    assert main([*command, "--dry-run"]) == 0
    assert inbox.messages == []
    assert main(command) == 0
    assert inbox.to() == sorted(contacts["bhxh"].values())
    capsys.readouterr()
    monkeypatch.setenv("VSTBPN_SMTP_PORT", str(_free_port()))
    assert main(["--database-url", url, "remind", "--period", PERIOD]) == 1
    assert "Không kết nối được máy chủ thư" in capsys.readouterr().err
