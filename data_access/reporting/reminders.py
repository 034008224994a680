"""Reminder e-mails to the contacts of units that have not reported for a period.

"Not reported" is what the tracking page calls missing (`tracking.unit_status`), so reminders
follow whatever tracking counts as received. Only who may track (secretariat, administrators)
may send, within their agency scope; a CLI run under no account is an operator on the server.

At most one e-mail a unit a day: before a message goes out its row in `reminders` is claimed as
`sending` (a partial unique index allows one sending-or-sent row per unit and day), then marked
`sent` or `failed`. A retry, or a second sender at the same moment, finds the claim and skips the
unit. The SMTP connection is opened before anything is claimed, so an unreachable server sends
and records nothing. A message whose fate is unknown (the connection dropped while it was being
sent) keeps its claim: the unit may miss one reminder, never get two.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import smtplib
import ssl
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from data_access.auth import Identity
from data_access.db import audit
from data_access.db.config import SECRETS_PATH
from data_access.db.models import Reminder, Unit, utcnow
from data_access.domain.filters import Filters
from data_access.domain.formats import date as vi_date
from data_access.domain.periods import parse_period
from data_access.queries import tracking

# Vietnam keeps UTC+7 all year (no daylight saving): "one a day" is the recipients' day.
VIETNAM_TIME = dt.timezone(dt.timedelta(hours=7))
SMTP_TIMEOUT_SECONDS = 20  # a silent server fails the run instead of hanging the page or cron
ERROR_TEXT_LENGTH = 500  # = reminders.error
CONTACT_QUERY_CHUNK = 1000  # unit codes per IN (…): below every backend's bound-parameter limit
DEFAULT_SMTP_PORT = 587  # submission port, with STARTTLS
# One address, no display name: the registry stores the address alone.
_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")

SMTP_ENV = {
    "host": "VSTBPN_SMTP_HOST",
    "port": "VSTBPN_SMTP_PORT",
    "user": "VSTBPN_SMTP_USER",
    "password": "VSTBPN_SMTP_PASSWORD",
    "starttls": "VSTBPN_SMTP_STARTTLS",
    "sender": "VSTBPN_SMTP_SENDER",
}
SIGN_IN_URL_ENV = "VSTBPN_SIGN_IN_URL"
SENDER_NAME = "Ban Vì sự tiến bộ của phụ nữ"


class ReminderError(RuntimeError):
    """The run could not send (no settings, server unreachable); the message is Vietnamese."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = DEFAULT_SMTP_PORT
    user: str | None = None
    password: str | None = None
    starttls: bool = True
    sender: str = ""


def _secrets(path: Path) -> dict[str, object]:
    if not path.exists():
        return {}
    with path.open("rb") as f:
        return tomllib.load(f)


def smtp_settings(secrets_path: Path = SECRETS_PATH) -> SmtpSettings:
    """VSTBPN_SMTP_* environment variables, else `[smtp]` in .streamlit/secrets.toml."""
    section = _secrets(secrets_path).get("smtp", {})
    stored = section if isinstance(section, dict) else {}

    def value(key: str) -> str | None:
        found = os.environ.get(SMTP_ENV[key])
        if found is None and stored.get(key) is not None:
            found = str(stored[key])
        return found or None

    host = value("host")
    sender = value("sender") or value("user")
    if not host or not sender:
        raise ReminderError(
            "Chưa cấu hình máy chủ thư: cần host và sender trong mục [smtp] của "
            f".streamlit/secrets.toml hoặc biến môi trường {SMTP_ENV['host']}, "
            f"{SMTP_ENV['sender']}."
        )
    starttls = (value("starttls") or "true").strip().lower() not in ("0", "false", "no", "")
    return SmtpSettings(
        host,
        int(value("port") or DEFAULT_SMTP_PORT),
        value("user"),
        value("password"),
        starttls,
        sender,
    )


def sign_in_url(secrets_path: Path = SECRETS_PATH) -> str:
    """The address people sign in at, for the text: VSTBPN_SIGN_IN_URL, else `[app] url`."""
    app = _secrets(secrets_path).get("app", {})
    url = os.environ.get(SIGN_IN_URL_ENV) or (app.get("url") if isinstance(app, dict) else None)
    if not url:
        raise ReminderError(
            "Chưa cấu hình địa chỉ đăng nhập cho thư nhắc: đặt url trong mục [app] của "
            f".streamlit/secrets.toml hoặc biến môi trường {SIGN_IN_URL_ENV}."
        )
    return str(url)


def today_in_vietnam(now: dt.datetime | None = None) -> dt.date:
    return (now or dt.datetime.now(dt.UTC)).astimezone(VIETNAM_TIME).date()


def days_phrase(due: dt.date, today: dt.date) -> str:
    left = (due - today).days
    if left > 0:
        return f"còn {left} ngày nữa là đến hạn"
    if left == 0:
        return "hôm nay là ngày cuối cùng của hạn nộp"
    return f"đã quá hạn {-left} ngày"


@dataclass(frozen=True)
class Message:
    unit_code: str
    unit_name: str
    contact_name: str | None
    address: str
    subject: str
    body: str


@dataclass(frozen=True)
class UnitRef:
    unit_code: str
    unit_name: str


@dataclass
class Result:
    """What a run would do (dry run, preview) or did."""

    period: str
    due: dt.date
    today: dt.date
    messages: list[Message] = field(default_factory=list)  # to send, or sent by this run
    no_address: list[UnitRef] = field(default_factory=list)  # no valid contact e-mail
    already_today: list[UnitRef] = field(default_factory=list)  # reminded today already
    failed: list[tuple[Message, str]] = field(default_factory=list)
    sent: bool = False
    not_yet: bool = False  # --days-before: the deadline is still further away

    def summary(self) -> dict[str, object]:
        return {
            "period": self.period,
            "due": vi_date(self.due),
            "sent" if self.sent else "to_send": [m.unit_code for m in self.messages],
            "no_address": [u.unit_code for u in self.no_address],
            "already_today": [u.unit_code for u in self.already_today],
            "failed": {m.unit_code: reason for m, reason in self.failed},
            "not_yet": self.not_yet,
        }


def compose(
    unit_name: str,
    contact_name: str | None,
    period: str,
    today: dt.date,
    url: str,
) -> tuple[str, str]:
    """Subject and text of one reminder."""
    code = parse_period(period)
    due = vi_date(code.due_date)
    subject = f"Nhắc nộp báo cáo {code.label_vi} – hạn {due}"
    greeting = f"Kính gửi {contact_name}," if contact_name else "Kính gửi đồng chí phụ trách,"
    body = "\n".join(
        [
            greeting,
            "",
            f"Đơn vị {unit_name} chưa gửi báo cáo công tác bình đẳng giới và vì sự tiến bộ của "
            f"phụ nữ kỳ {code.label_vi}.",
            f"Hạn nộp: {due} ({days_phrase(code.due_date, today)}).",
            "",
            f"Xin đồng chí đăng nhập tại {url} để gửi báo cáo, hoặc gửi báo cáo cho thư ký "
            "Ban Vì sự tiến bộ của phụ nữ.",
            "Nếu đơn vị đã gửi báo cáo, xin bỏ qua thư này.",
            "",
            "Trân trọng,",
            SENDER_NAME,
            "",
            "(Thư gửi tự động, mỗi đơn vị nhận nhiều nhất một thư mỗi ngày.)",
        ]
    )
    return subject, body


def _claimed_today(engine: Engine, unit_ids: list[int], today: dt.date) -> set[int]:
    found: set[int] = set()
    with engine.connect() as conn:
        for start in range(0, len(unit_ids), CONTACT_QUERY_CHUNK):
            chunk = unit_ids[start : start + CONTACT_QUERY_CHUNK]
            found |= set(
                conn.execute(
                    select(Reminder.unit_id).where(
                        Reminder.unit_id.in_(chunk),
                        Reminder.day == today,
                        Reminder.status.in_(("sending", "sent")),
                    )
                ).scalars()
            )
    return found


def plan(
    engine: Engine,
    period: str,
    *,
    identity: Identity | None,
    url: str,
    units: Sequence[str] = (),
    today: dt.date | None = None,
) -> tuple[Result, dict[str, int]]:
    """Who would be reminded now (and who cannot be, and why); with the units' ids by code.
    `units` narrows to those codes; it never widens past the missing units in scope."""
    if identity is not None:
        identity.require("track")
    period = str(parse_period(period))
    today = today or today_in_vietnam()
    code = parse_period(period)
    scope = identity.agencies if identity is not None else ()
    missing = tracking.unit_status(
        engine, period, Filters(scope=scope, units=tuple(units)), ("missing",)
    )
    codes = missing["unit_code"].tolist()
    rows: list[Any] = []
    with engine.connect() as conn:
        for start in range(0, len(codes), CONTACT_QUERY_CHUNK):
            rows += conn.execute(
                select(Unit.id, Unit.code, Unit.name, Unit.contact_name, Unit.contact_email)
                .where(Unit.code.in_(codes[start : start + CONTACT_QUERY_CHUNK]))
                .order_by(Unit.code)
            ).all()
    result = Result(period, code.due_date, today)
    ids = {row.code: row.id for row in rows}
    claimed = _claimed_today(engine, list(ids.values()), today)
    for row in rows:
        address = (row.contact_email or "").strip()
        if not _ADDRESS.match(address):
            result.no_address.append(UnitRef(row.code, row.name))
        elif row.id in claimed:
            result.already_today.append(UnitRef(row.code, row.name))
        else:
            subject, body = compose(row.name, row.contact_name, period, today, url)
            result.messages.append(
                Message(row.code, row.name, row.contact_name, address, subject, body)
            )
    return result, ids


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    try:
        server = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS)
        if settings.starttls:
            server.starttls(context=ssl.create_default_context())
        if settings.user and settings.password:
            server.login(settings.user, settings.password)
    except (OSError, smtplib.SMTPException) as error:
        raise ReminderError(
            f"Không kết nối được máy chủ thư {settings.host}:{settings.port} ({error}). "
            "Chưa gửi thư nào. Hãy kiểm tra cấu hình [smtp] rồi gửi lại: đơn vị nào đã nhận thư "
            "hôm nay sẽ không nhận lần nữa."
        ) from error
    return server


def _email(message: Message, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = formataddr((SENDER_NAME, sender))
    email["To"] = message.address
    email["Subject"] = message.subject
    email.set_content(message.body)
    return email


def remind(
    engine: Engine,
    period: str,
    *,
    identity: Identity | None,
    user: str,
    url: str,
    settings: SmtpSettings | None = None,
    units: Sequence[str] = (),
    days_before: int | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> Result:
    """E-mail the contacts of the units still missing for `period` (or say who would be, with
    `dry_run`: nothing sent, nothing recorded). `days_before`: send only from that many days
    before the due date on. Raises ReminderError when the SMTP server cannot be reached."""
    result, ids = plan(engine, period, identity=identity, url=url, units=units, today=today)
    if days_before is not None and (result.due - result.today).days > days_before:
        result.not_yet = True
        result.messages = []
        return result
    if dry_run or not result.messages:
        return result
    if settings is None:
        raise ReminderError("Chưa cấu hình máy chủ thư.")
    server = _connect(settings)  # before any claim: an unreachable server records nothing
    to_send, result.messages = result.messages, []
    try:
        for message in to_send:
            unit_id = ids[message.unit_code]
            try:
                with engine.begin() as conn:
                    reminder_id = conn.execute(
                        insert(Reminder)
                        .values(
                            day=result.today,
                            at=utcnow(),
                            user_name=user,
                            unit_id=unit_id,
                            period_code=result.period,
                            address=message.address,
                            status="sending",
                        )
                        .returning(Reminder.id)
                    ).scalar_one()
            except IntegrityError:  # another run reminded it since the plan was made
                result.already_today.append(UnitRef(message.unit_code, message.unit_name))
                continue
            status, error = _send_one(server, message, settings.sender)
            with engine.begin() as conn:
                conn.execute(
                    update(Reminder)
                    .where(Reminder.id == reminder_id)
                    .values(status=status, error=error and error[:ERROR_TEXT_LENGTH])
                )
            if status == "sent":
                result.messages.append(message)
            else:
                result.failed.append((message, error or ""))
            if status == "sending":  # the connection is gone: stop, the rest are unclaimed
                break
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):  # already closed
            server.quit()
        result.sent = True
        audit.record_now(
            engine,
            user,
            "reminders_sent",
            result.period,
            sent=[m.unit_code for m in result.messages],
            failed={m.unit_code: reason for m, reason in result.failed},
        )
    return result


def _send_one(server: smtplib.SMTP, message: Message, sender: str) -> tuple[str, str | None]:
    """`sent`; `failed` when the server refused it (safe to retry); `sending` (kept claimed)
    when the connection failed mid-way and the message may or may not have gone."""
    try:
        server.send_message(_email(message, sender))
    except (
        smtplib.SMTPRecipientsRefused,
        smtplib.SMTPSenderRefused,
        smtplib.SMTPDataError,
    ) as error:
        return "failed", f"Máy chủ thư từ chối: {error}"
    except (OSError, smtplib.SMTPException) as error:
        return "sending", f"Mất kết nối khi gửi, không rõ thư đã đi chưa: {error}"
    return "sent", None
