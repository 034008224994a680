"""Accounts, roles and agency scope, and sign-in. No Streamlit here: the app and the CLI both go
through it.

Roles: `viewer` (leadership: dashboards and exports), `secretariat` (+ upload, tracking, history,
rollback), `admin` (+ users, units, targets, catalogue). A user may be scoped to agencies; the
query, export and ingestion functions apply the scope of the identity they are given.
Passwords are hashed with Argon2id (argon2-cffi) and never stored or logged in plain text.

Sign-in throttling, so that guessing is slow and a stranger cannot lock the owner out:

- A *client* is what the caller says is asking: the app passes the browser's address (as the
  trusted reverse proxy reports it, or the connection's; connections from the server machine
  itself are one client). Its record is in `sign_in_clients`.
- Per client: one password check at a time (a check in flight makes the client's other attempts
  wait), and after CLIENT_FREE_FAILURES failed attempts a wait before each further check that
  doubles with every failure, up to CLIENT_BACKOFF_MAX. A success from the client clears its
  record; failures are forgotten after CLIENT_FAILURE_MEMORY without one.
- Per account: failures are counted atomically (`UPDATE … SET failed_attempts =
  failed_attempts + 1 … RETURNING`), so concurrent attempts lose no update. At
  MAX_FAILED_ATTEMPTS the account is locked for LOCKOUT **for clients with failures on record**;
  a client with none (the owner at their usual machine) still has its password checked, and a
  correct one signs in and lifts the lock. A failed check during the lock restarts it. So five
  guesses from a stranger lock the stranger out, not the owner; an attacker with many addresses
  gets one guess per address per lock, then each address's own backoff.
- A refusal never tells whether a name exists: an unknown name verifies a dummy Argon2 hash
  (the same work as a known one), and a disabled account is named only after its right password.
- Demo accounts: the published demo password (sample database) is accepted only when the server
  listens on the loopback; the caller passes the listen address (the app: `server.address`).
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    Connection,
    Engine,
    and_,
    case,
    delete,
    func,
    insert,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from data_access.db import audit
from data_access.db.models import (
    ROLES,
    Agency,
    Province,
    SignInClient,
    Unit,
    User,
    UserAgency,
    UserSession,
    utcnow,
)

MAX_FAILED_ATTEMPTS = 5  # failed checks in a row that lock an account
LOCKOUT = dt.timedelta(minutes=15)  # how long, for clients with failures on record
CLIENT_FREE_FAILURES = 3  # a person who mistypes retries at once this many times
CLIENT_BACKOFF_BASE = dt.timedelta(seconds=2)  # then waits 2, 4, 8 … seconds between checks
CLIENT_BACKOFF_MAX = dt.timedelta(minutes=15)  # never longer than an account lock
CLIENT_FAILURE_MEMORY = dt.timedelta(days=1)  # a client's failures are forgotten after a quiet day
CHECK_IN_FLIGHT = dt.timedelta(seconds=30)  # a check that died frees its client after this
MIN_PASSWORD_LENGTH = 8  # with Argon2 and the throttling above, length matters most
CLIENT_KEY_LENGTH = 200  # = sign_in_clients.client
DEMO_PASSWORD = "demo-2026"  # only ever set on the sample database (README lists the accounts)
DEMO_ACCOUNTS = (
    ("lanhdao", "viewer", ()),
    ("thuky", "secretariat", ("BHXH",)),
    ("quantri", "admin", ()),
)
ROLE_LABELS_VI = {
    "viewer": "Lãnh đạo (xem)",
    "secretariat": "Thư ký",
    "admin": "Quản trị",
    "reporter": "Đơn vị báo cáo",
}
ACTIVE_LABELS_VI = {True: "Đang hoạt động", False: "Đã vô hiệu hoá"}
EVERY_AGENCY_VI = "Mọi ngành"
# What each role may do, beyond seeing the dashboards.
PERMISSIONS = {
    "viewer": {"view", "export"},
    "secretariat": {"view", "export", "upload", "track", "history", "rollback", "approve"},
    "admin": {"view", "export", "upload", "track", "history", "rollback", "approve", "admin"},
    # A unit's reporter enters its own unit's report, and sees nothing of other units.
    "reporter": {"report"},
}

WRONG_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."
ACCOUNT_DISABLED = "Tài khoản này đã bị vô hiệu hoá. Vui lòng liên hệ quản trị viên."
DEMO_OFF_LOOPBACK = (
    "Mật khẩu mẫu chỉ dùng được khi ứng dụng chạy thử trên chính máy chủ (địa chỉ 127.0.0.1). "
    "Quản trị viên cần đặt mật khẩu riêng cho tài khoản này."
)
SESSION_DISABLED = (
    "Tài khoản của bạn đã bị vô hiệu hoá nên phiên làm việc đã kết thúc. "
    "Vui lòng liên hệ quản trị viên."
)
SESSION_CHANGED = "Vai trò hoặc phạm vi ngành của tài khoản vừa thay đổi. Vui lòng đăng nhập lại."

# Argon2id at OWASP's first recommended setting (46 MiB, one pass, one lane): still memory-hard,
# and ~37 ms of CPU a sign-in instead of the library default's ~145 ms (64 MiB, three passes,
# four lanes), which alone was half of what one sign-in cost the server (issue #18: ≤ 300 ms).
# Hashes made with the default are rehashed at their next successful sign-in.
_hasher = PasswordHasher(time_cost=1, memory_cost=47_104, parallelism=1)
# A row of the users table (attribute access like the model), read on a Core connection.
UserRow = Any


@dataclass(frozen=True)
class Identity:
    username: str
    role: str
    agencies: tuple[str, ...] = ()  # empty: every agency
    display_name: str | None = None
    unit: str | None = None  # a reporter's unit code

    def can(self, action: str) -> bool:
        return action in PERMISSIONS.get(self.role, set())

    def reaches(self, agency: str) -> bool:
        """Whether the agency is within this identity's scope (empty scope: every agency)."""
        return not self.agencies or agency in self.agencies

    def require(self, action: str) -> None:
        if not self.can(action):
            raise PermissionDenied(
                f"Tài khoản {self.username} ({ROLE_LABELS_VI.get(self.role, self.role)}) không có quyền này."
            )

    @property
    def label(self) -> str:
        return self.display_name or self.username


class AuthError(ValueError):
    """Sign-in refused; the message is safe to show (it never says whether the user exists)."""


class PermissionDenied(PermissionError):
    pass


class AccountDisabled(PermissionDenied):
    """A disabled account named where an identity is needed (the CLI's --user)."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_password_length(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.")


def _agency_ids(conn: Connection, codes: Sequence[str]) -> list[int]:
    found = dict(
        conn.execute(select(Agency.code, Agency.id).where(Agency.code.in_(list(codes)))).all()
    )
    if unknown := set(codes) - set(found):
        raise ValueError(f"Không có ngành: {', '.join(sorted(unknown))}")
    return [found[c] for c in codes]


def _agency_codes(conn: Connection, user_id: int) -> tuple[str, ...]:
    return tuple(
        conn.execute(
            select(Agency.code)
            .join(UserAgency, UserAgency.agency_id == Agency.id)
            .where(UserAgency.user_id == user_id)
            .order_by(Agency.code)
        )
        .scalars()
        .all()
    )


def _identity(conn: Connection, user: UserRow) -> Identity:
    unit = None
    if user.unit_id is not None:
        unit = conn.execute(select(Unit.code).where(Unit.id == user.unit_id)).scalar_one()
    return Identity(user.username, user.role, _agency_codes(conn, user.id), user.display_name, unit)


def _user(conn: Connection, username: str) -> UserRow | None:
    return conn.execute(
        select(User.__table__).where(func.lower(User.username) == username.strip().lower())
    ).first()


def create_user(
    engine: Engine,
    username: str,
    role: str,
    password: str,
    agencies: Sequence[str] = (),
    *,
    actor: str = "system",
    by: Identity | None = None,
    display_name: str | None = None,
    email: str | None = None,
    unit: str | None = None,
    must_change: bool = False,
) -> Identity:
    """A new account; a reporter names its `unit` (the code of one active unit) and is scoped to
    the unit's agency. `by`: the administrator creating it (the app), who must be one and may
    only give a unit within their agency scope; without it `actor` (the CLI, the seed) is
    recorded. `must_change`: the password is an initial one someone else chose (changed at
    first sign-in)."""
    if by is not None:
        by.require("admin")
        actor = by.username
    if role not in ROLES:
        raise ValueError(f"Vai trò phải là một trong {', '.join(ROLES)}")
    unit = unit.strip() if unit else None
    if role == "reporter" and unit is None:
        raise ValueError(REPORTER_NEEDS_UNIT)
    if role != "reporter" and unit is not None:
        raise ValueError("Chỉ tài khoản đơn vị báo cáo mới gắn với một đơn vị.")
    _check_password_length(password)
    with engine.begin() as conn:
        if _user(conn, username) is not None:
            raise ValueError(f"Tài khoản {username} đã tồn tại.")
        unit_id = None
        if unit is not None:
            unit_id, agency = _reporter_unit(conn, unit, by)
            agencies = (agency,)
        if by is not None:
            _require_covers(by, username, agencies, new=True)
        user_id = conn.execute(
            insert(User)
            .values(
                username=username.strip(),
                role=role,
                password_hash=hash_password(password),
                display_name=display_name,
                email=email,
                unit_id=unit_id,
                must_change_password=must_change,
            )
            .returning(User.id)
        ).scalar_one()
        for agency_id in _agency_ids(conn, agencies):
            conn.execute(insert(UserAgency).values(user_id=user_id, agency_id=agency_id))
        audit.record(
            conn, actor, "user_add", username, role=role, agencies=list(agencies), unit=unit
        )
    return Identity(username, role, tuple(sorted(agencies)), display_name, unit)


REPORTER_NEEDS_UNIT = "Tài khoản đơn vị báo cáo phải gắn với đúng một đơn vị đang hoạt động."


def _require_covers(
    by: Identity, username: str, agencies: Sequence[str], *, new: bool = False
) -> None:
    """An administrator scoped to agencies writes only accounts whose agency scope lies within
    its own: not an account of another agency, of several with one outside, or of every agency
    (empty scope), which would reach past it. An administrator of every agency covers all."""
    if not by.agencies:
        return
    if not agencies or not set(agencies) <= set(by.agencies):
        scope = _scope_label(sorted(agencies))
        what = (
            f"Phạm vi mới ({scope}) của tài khoản {username}"
            if new
            else (f"Tài khoản {username} (phạm vi {scope})")
        )
        raise PermissionDenied(
            f"{what} ngoài phạm vi ngành của tài khoản {by.username} ({_scope_label(by.agencies)})."
        )


def _reporter_unit(conn: Connection, unit_code: str, by: Identity | None) -> tuple[int, str]:
    """The id and agency of the unit a reporter account is made for: an existing unit, active
    now (a closed unit reports no more), within the creator's agency scope."""
    row = conn.execute(
        select(Unit.id, Unit.name, Unit.active_to, Agency.code)
        .join(Agency, Agency.id == Unit.agency_id)
        .where(Unit.code == unit_code)
    ).first()
    if row is None:
        raise ValueError(f"Không có đơn vị mã “{unit_code}”. {REPORTER_NEEDS_UNIT}")
    if row.active_to is not None:
        raise ValueError(
            f"Đơn vị “{row.name}” ({unit_code}) đã ngừng hoạt động. {REPORTER_NEEDS_UNIT}"
        )
    if by is not None and not by.reaches(row.code):
        raise PermissionDenied(
            f"Đơn vị “{row.name}” thuộc ngành {row.code}, ngoài phạm vi ngành của tài khoản "
            f"{by.username} ({_scope_label(by.agencies)})."
        )
    return int(row.id), str(row.code)


@dataclass(frozen=True)
class UnitChoice:
    """A unit as the accounts page offers it: its name, with its province and code beside."""

    code: str
    name: str
    province: str

    @property
    def label(self) -> str:
        return f"{self.name} — {self.province} · {self.code}"


def reporter_units(engine: Engine, agency_code: str, *, by: Identity) -> list[UnitChoice]:
    """The active units of `agency_code` a reporter account may be made for by `by` (an
    administrator; none outside their agency scope), by name. The province is the one the
    unit belongs to now."""
    by.require("admin")
    if not by.reaches(agency_code):
        return []
    with engine.connect() as conn:
        rows = conn.execute(
            select(Unit.code, Unit.name, Province.short_name)
            .join(Agency, Agency.id == Unit.agency_id)
            .join(Province, Province.id == Unit.current_province_id)
            .where(Agency.code == agency_code, Unit.active_to.is_(None))
            .order_by(Unit.name, Unit.code)
        ).all()
    return [UnitChoice(code, name, province) for code, name, province in rows]


def set_password(
    engine: Engine,
    username: str,
    password: str,
    *,
    actor: str = "system",
    by: Identity | None = None,
    must_change: bool = False,
) -> None:
    """Set (reset) a password and unlock; the account's open sessions end. `by`: the
    administrator doing it (the app), who must be one and whose agency scope must cover the
    account; without it `actor` (the CLI, on the server) is recorded. `must_change`: a reset by
    someone else, changed by its owner at the next sign-in."""
    if by is not None:
        by.require("admin")
        actor = by.username
    _check_password_length(password)
    with engine.begin() as conn:
        user = _require_user(conn, username)
        if by is not None:
            _require_covers(by, user.username, _agency_codes(conn, user.id))
        conn.execute(
            update(User)
            .where(User.id == user.id)
            .values(
                password_hash=hash_password(password),
                failed_attempts=0,
                locked_until=None,
                must_change_password=must_change,
            )
        )
        conn.execute(delete(UserSession).where(UserSession.user_id == user.id))
        audit.record(conn, actor, "user_reset_password", user.username)


def _require_user(conn: Connection, username: str) -> UserRow:
    user = _user(conn, username)
    if user is None:
        raise ValueError(f"Không có tài khoản {username}.")
    return user


# --- editing an account: see what it is, change only what differs, audit before and after ------


@dataclass(frozen=True)
class Account:
    """An account as it is now (what the Tài khoản page shows before any change)."""

    username: str
    role: str
    agencies: tuple[str, ...]  # sorted; empty: every agency
    active: bool
    display_name: str | None = None
    email: str | None = None
    locked_until: dt.datetime | None = None
    unit: UnitChoice | None = None  # a reporter's unit

    @property
    def access(self) -> tuple[str, tuple[str, ...], bool]:
        """What an edit may change: role, scope, state."""
        return self.role, self.agencies, self.active

    @property
    def locked(self) -> bool:
        """Locked now after failed sign-ins (for clients with failures on record)."""
        return self.locked_until is not None and self.locked_until > utcnow()


@dataclass(frozen=True)
class Change:
    field: str  # role | agencies | active
    label: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.label}: {self.before} → {self.after}"


def _scope_label(agencies: Sequence[str]) -> str:
    return ", ".join(agencies) or EVERY_AGENCY_VI


def _unit_choice(conn: Connection, unit_id: int | None) -> UnitChoice | None:
    if unit_id is None:
        return None
    row = conn.execute(
        select(Unit.code, Unit.name, Province.short_name)
        .join(Province, Province.id == Unit.current_province_id)
        .where(Unit.id == unit_id)
    ).one()
    return UnitChoice(row[0], row[1], row[2])


def _account(conn: Connection, user: UserRow) -> Account:
    return Account(
        user.username,
        user.role,
        _agency_codes(conn, user.id),
        bool(user.active),
        user.display_name,
        user.email,
        user.locked_until,
        _unit_choice(conn, user.unit_id),
    )


def account(engine: Engine, username: str) -> Account:
    with engine.connect() as conn:
        return _account(conn, _require_user(conn, username))


def account_changes(
    current: Account,
    role: str | None = None,
    agencies: Sequence[str] | None = None,
    active: bool | None = None,
) -> list[Change]:
    """What would change (None: leave as it is), with Vietnamese labels for the confirmation."""
    changes = []
    if role is not None and role != current.role:
        labels = ROLE_LABELS_VI
        changes.append(Change("role", "Vai trò", labels[current.role], labels.get(role, role)))
    if agencies is not None and tuple(sorted(agencies)) != current.agencies:
        changes.append(
            Change(
                "agencies",
                "Phạm vi ngành",
                _scope_label(current.agencies),
                _scope_label(sorted(agencies)),
            )
        )
    if active is not None and active != current.active:
        changes.append(
            Change(
                "active", "Trạng thái", ACTIVE_LABELS_VI[current.active], ACTIVE_LABELS_VI[active]
            )
        )
    return changes


def change_account(
    engine: Engine,
    username: str,
    *,
    role: str | None = None,
    agencies: Sequence[str] | None = None,
    active: bool | None = None,
    by: Identity,
    expected: Account | None = None,
) -> list[Change]:
    """Change an account's role, agency scope or state (None: leave as it is); only what differs
    is written, in one transaction with an audit entry holding before and after. `expected` is
    the account as the administrator saw it when confirming: if someone changed it meanwhile,
    nothing is written. Returns the changes (none: nothing written, nothing audited). `by`'s
    agency scope must cover the account, before and after."""
    by.require("admin")
    if role is not None and role not in ROLES:
        raise ValueError(f"Vai trò phải là một trong {', '.join(ROLES)}")
    with engine.begin() as conn:
        user = _require_user(conn, username)
        current = _account(conn, user)
        if expected is not None and expected.access != current.access:
            raise ValueError(
                f"Tài khoản {current.username} vừa được thay đổi ở nơi khác. "
                "Hãy xem lại trước khi lưu."
            )
        # Checked before anything else: an account outside the scope is not even compared.
        _require_covers(by, current.username, current.agencies)
        changes = account_changes(current, role, agencies, active)
        if not changes:
            return []
        if agencies is not None:
            _require_covers(by, current.username, sorted(agencies), new=True)
        _check_reporter_change(current, role, changes)
        if by.username.lower() == current.username.lower():
            raise PermissionDenied(
                "Không thể tự đổi vai trò, phạm vi ngành hay trạng thái của chính mình."
            )
        before: dict[str, object] = {}
        after: dict[str, object] = {}
        for change in changes:
            if change.field == "role":
                conn.execute(update(User).where(User.id == user.id).values(role=role))
                before["role"], after["role"] = current.role, role
            elif change.field == "agencies":
                assert agencies is not None
                new_scope = sorted(agencies)
                ids = _agency_ids(conn, new_scope)
                conn.execute(delete(UserAgency).where(UserAgency.user_id == user.id))
                for agency_id in ids:
                    conn.execute(insert(UserAgency).values(user_id=user.id, agency_id=agency_id))
                before["agencies"], after["agencies"] = list(current.agencies), new_scope
            else:
                conn.execute(update(User).where(User.id == user.id).values(active=active))
                before["active"], after["active"] = current.active, active
        # Whatever changed, the account's browsers sign in again (data_access.sessions).
        conn.execute(delete(UserSession).where(UserSession.user_id == user.id))
        action = "user_change"
        if [c.field for c in changes] == ["active"]:
            action = "user_enable" if active else "user_disable"
        audit.record(conn, by.username, action, current.username, before=before, after=after)
    return changes


def _check_reporter_change(current: Account, role: str | None, changes: Sequence[Change]) -> None:
    """A reporter account belongs to its unit: its role and scope follow from the unit, so they
    are not edited (disable it and create another), and no account becomes one without a unit."""
    fields = {c.field for c in changes}
    if current.role == "reporter" and fields & {"role", "agencies"}:
        unit = f" của đơn vị “{current.unit.name}”" if current.unit else " đơn vị báo cáo"
        raise ValueError(
            f"Tài khoản {current.username} là tài khoản{unit}: không đổi được vai trò hay phạm vi "
            "ngành. Hãy vô hiệu hoá tài khoản này và tạo tài khoản mới."
        )
    if role == "reporter" and "role" in fields:
        raise ValueError(
            "Tài khoản đơn vị báo cáo được tạo ở mục “Thêm tài khoản”, cùng với đơn vị của nó."
        )


def set_active(engine: Engine, username: str, active: bool, *, actor: str = "system") -> None:
    change_account(engine, username, active=active, by=Identity(actor, "admin"))


def set_role(
    engine: Engine, username: str, role: str, agencies: Sequence[str], *, actor: str = "system"
) -> None:
    change_account(engine, username, role=role, agencies=agencies, by=Identity(actor, "admin"))


def list_users(engine: Engine, *, by: Identity | None = None) -> pd.DataFrame:
    """username, display_name, email, role, agencies, unit (a reporter's unit, as the picker
    labels it), active, locked (now, after failed sign-ins), locked_until, created_at.

    `by`: the administrator asking (the app), who sees only the accounts it may change (see
    _require_covers); without it, every account (the CLI, run by whoever runs the server)."""
    if by is not None:
        by.require("admin")
    now = utcnow()
    with engine.connect() as conn:
        users = conn.execute(
            select(User.__table__, Unit.code.label("unit_code"), Unit.name.label("unit_name"))
            .outerjoin(Unit, Unit.id == User.unit_id)
            .order_by(User.username)
        ).all()
        # One query for every account's scope: a unit account per unit makes thousands of rows.
        scopes: dict[int, list[str]] = {}
        for user_id, code in conn.execute(
            select(UserAgency.user_id, Agency.code)
            .join(Agency, Agency.id == UserAgency.agency_id)
            .order_by(Agency.code)
        ):
            scopes.setdefault(user_id, []).append(code)
    if by is not None and by.agencies:
        mine = set(by.agencies)
        users = [u for u in users if scopes.get(u.id) and set(scopes[u.id]) <= mine]
    rows = [
        {
            "username": u.username,
            "display_name": u.display_name,
            "email": u.email,
            "role": u.role,
            "agencies": ", ".join(scopes.get(u.id, [])),
            "unit": f"{u.unit_name} ({u.unit_code})" if u.unit_code else "",
            "active": u.active,
            "locked": u.locked_until is not None and u.locked_until > now,
            "locked_until": u.locked_until,
            "created_at": u.created_at,
        }
        for u in users
    ]
    columns = ["username", "display_name", "email", "role", "agencies", "unit", "active"]
    return pd.DataFrame(rows, columns=[*columns, "locked", "locked_until", "created_at"])


# --- sign-in ------------------------------------------------------------------------------------


def client_backoff(failures: int) -> dt.timedelta:
    """How long a client with `failures` failed attempts on record waits before its next check."""
    if failures < CLIENT_FREE_FAILURES:
        return dt.timedelta(0)
    doublings = failures - CLIENT_FREE_FAILURES
    if CLIENT_BACKOFF_BASE * 2 ** min(doublings, 32) >= CLIENT_BACKOFF_MAX:
        return CLIENT_BACKOFF_MAX
    return CLIENT_BACKOFF_BASE * 2**doublings


def is_loopback(address: str | None) -> bool:
    """Whether a server listening on `address` is reachable from this machine only."""
    if not address:
        return False  # empty: every interface
    text = address.strip().strip("[]").lower()
    if text == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


@cache
def _dummy_hash() -> str:
    """A hash of nothing anyone knows: unknown names cost one verification like known ones."""
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash` (made with any Argon2 setting); never raises."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _wait_text(wait: dt.timedelta) -> str:
    seconds = max(1, math.ceil(wait.total_seconds()))
    return f"{seconds} giây" if seconds < 60 else f"{math.ceil(seconds / 60)} phút"


def _reserve(conn: Connection, client: str, now: dt.datetime) -> int | None:
    """Claim the client's turn to have a password checked: its failures on record, or None while
    it must wait (its backoff, or another check of the client in flight). One statement, so two
    attempts of one client cannot both claim it."""
    upsert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    statement = (
        upsert(SignInClient)
        .values(client=client, failures=0, next_attempt_at=now + CHECK_IN_FLIGHT)
        .on_conflict_do_update(
            index_elements=[SignInClient.client],
            set_={
                "failures": case(
                    (SignInClient.last_failure_at < now - CLIENT_FAILURE_MEMORY, 0),
                    else_=SignInClient.failures,
                ),
                "next_attempt_at": now + CHECK_IN_FLIGHT,
            },
            where=or_(SignInClient.next_attempt_at.is_(None), SignInClient.next_attempt_at <= now),
        )
        .returning(SignInClient.failures)
    )
    failures: int | None = conn.execute(statement).scalar_one_or_none()
    return failures


def _throttled(conn: Connection, client: str, now: dt.datetime) -> AuthError:
    row = conn.execute(
        select(SignInClient.failures, SignInClient.next_attempt_at).where(
            SignInClient.client == client
        )
    ).one()
    if row.failures >= CLIENT_FREE_FAILURES and row.next_attempt_at is not None:
        return AuthError(
            "Đăng nhập sai nhiều lần từ máy này. "
            f"Vui lòng thử lại sau {_wait_text(row.next_attempt_at - now)}."
        )
    return AuthError(
        "Một lần đăng nhập khác từ máy này đang được kiểm tra. Vui lòng thử lại sau giây lát."
    )


def _client_failed(conn: Connection, client: str, now: dt.datetime) -> None:
    failures = conn.execute(
        update(SignInClient)
        .where(SignInClient.client == client)
        .values(failures=SignInClient.failures + 1, last_failure_at=now)
        .returning(SignInClient.failures)
    ).scalar_one()
    conn.execute(
        update(SignInClient)
        .where(SignInClient.client == client)
        .values(next_attempt_at=now + client_backoff(failures))
    )
    # Forget clients quiet for a day, so the table stays as small as the attacks are recent.
    conn.execute(
        delete(SignInClient).where(
            SignInClient.last_failure_at < now - CLIENT_FAILURE_MEMORY,
            or_(SignInClient.next_attempt_at.is_(None), SignInClient.next_attempt_at <= now),
        )
    )


def _client_released(conn: Connection, client: str) -> None:
    conn.execute(
        update(SignInClient).where(SignInClient.client == client).values(next_attempt_at=None)
    )


def _account_failed(conn: Connection, user_id: int, now: dt.datetime) -> int:
    """Count a failed check atomically (no lost update between concurrent attempts) and lock
    the account at MAX_FAILED_ATTEMPTS; an expired lock starts the count afresh."""
    expired = and_(User.locked_until.is_not(None), User.locked_until <= now)
    count = case((expired, 1), else_=User.failed_attempts + 1)
    failures: int = conn.execute(
        update(User)
        .where(User.id == user_id)
        .values(
            failed_attempts=count,
            locked_until=case(
                (count >= MAX_FAILED_ATTEMPTS, now + LOCKOUT),
                (expired, null()),
                else_=User.locked_until,
            ),
        )
        .returning(User.failed_attempts)
    ).scalar_one()
    return failures


def authenticate(
    engine: Engine,
    username: str,
    password: str,
    *,
    client: str = "?",
    listen_address: str | None = None,
    now: dt.datetime | None = None,
) -> Identity:
    """The identity of a correct sign-in; AuthError otherwise (see the module docstring for the
    throttling). `client` names who asks (the browser's address); `listen_address` is the
    server's (the demo password is refused unless it is the loopback). Every attempt is in the
    audit log, never the password."""
    now = now or utcnow()
    client = client[:CLIENT_KEY_LENGTH]
    name = username.strip()[:100]
    refusal = None
    with engine.begin() as conn:
        client_failures = _reserve(conn, client, now)
        if client_failures is None:
            refusal = _throttled(conn, client, now)
            audit.record(conn, name or "?", "sign_in_failed", reason="throttled", client=client)
    if refusal is not None or client_failures is None:
        raise refusal or AuthError(WRONG_CREDENTIALS)
    try:
        outcome = _attempt(engine, name, password, client, client_failures, listen_address, now)
    except BaseException:
        with engine.begin() as conn:
            _client_released(conn, client)
        raise
    if isinstance(outcome, AuthError):
        raise outcome
    return outcome


def _attempt(
    engine: Engine,
    name: str,
    password: str,
    client: str,
    client_failures: int,
    listen_address: str | None,
    now: dt.datetime,
) -> Identity | AuthError:
    dummy = _dummy_hash()  # made on the first attempt of the process, whatever the name
    with engine.connect() as conn:
        user = _user(conn, name)
    if user is None or not user.password_hash:
        verify_password(dummy, password)  # the same work as for a known name: time tells nothing
        with engine.begin() as conn:
            _client_failed(conn, client, now)
            audit.record(conn, name or "?", "sign_in_failed", reason="unknown", client=client)
        return AuthError(WRONG_CREDENTIALS)
    if user.locked_until is not None and user.locked_until > now and client_failures:
        minutes = max(1, math.ceil((user.locked_until - now).total_seconds() / 60))
        with engine.begin() as conn:
            _client_failed(conn, client, now)
            audit.record(conn, user.username, "sign_in_failed", reason="locked", client=client)
        return AuthError(
            f"Tài khoản tạm khoá do đăng nhập sai nhiều lần. Thử lại sau {minutes} phút."
        )
    # Verified outside any transaction: Argon2 takes a while and needs no lock.
    correct = verify_password(user.password_hash, password)
    with engine.begin() as conn:
        if not correct:
            _client_failed(conn, client, now)
            failures = _account_failed(conn, user.id, now)
            locked = failures >= MAX_FAILED_ATTEMPTS
            audit.record(
                conn,
                user.username,
                "sign_in_failed",
                reason="password",
                locked=locked,
                client=client,
            )
            if locked:
                return AuthError(
                    f"Đăng nhập sai {MAX_FAILED_ATTEMPTS} lần: tài khoản bị tạm khoá "
                    f"{int(LOCKOUT.total_seconds() // 60)} phút."
                )
            return AuthError(WRONG_CREDENTIALS)
        if not user.active:
            _client_released(conn, client)
            audit.record(conn, user.username, "sign_in_failed", reason="disabled", client=client)
            return AuthError(ACCOUNT_DISABLED)
        if hmac.compare_digest(password, DEMO_PASSWORD) and not is_loopback(listen_address):
            _client_released(conn, client)
            audit.record(
                conn, user.username, "sign_in_failed", reason="demo password", client=client
            )
            return AuthError(DEMO_OFF_LOOPBACK)
        values: dict[str, object] = {"failed_attempts": 0, "locked_until": None}
        if _hasher.check_needs_rehash(user.password_hash):
            values["password_hash"] = hash_password(password)
        conn.execute(update(User).where(User.id == user.id).values(**values))
        conn.execute(delete(SignInClient).where(SignInClient.client == client))
        audit.record(conn, user.username, "sign_in", client=client)
        return _identity(conn, user)


def session_check(engine: Engine, identity: Identity) -> str | None:
    """For an open session, on every rerun: None while its account is enabled with the role and
    scope it signed in with, otherwise why the session ends. One indexed query."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(User.active, User.role, Agency.code)
            .select_from(User)
            .outerjoin(UserAgency, UserAgency.user_id == User.id)
            .outerjoin(Agency, Agency.id == UserAgency.agency_id)
            .where(User.username == identity.username)
        ).all()
    if not rows or not rows[0].active:
        return SESSION_DISABLED
    scope = sorted(r.code for r in rows if r.code is not None)
    if rows[0].role != identity.role or scope != sorted(identity.agencies):
        return SESSION_CHANGED
    return None


def identity_for_email(engine: Engine, email: str) -> Identity | None:
    """Single sign-on: the active account whose e-mail the identity provider vouched for."""
    with engine.begin() as conn:
        user = conn.execute(
            select(User.__table__).where(
                func.lower(User.email) == email.strip().lower(), User.active.is_(True)
            )
        ).first()
        if user is None:
            audit.record(conn, email, "sign_in_failed", reason="sso: no account")
            return None
        audit.record(conn, user.username, "sign_in", method="sso")
        return _identity(conn, user)


def identity_for(engine: Engine, username: str) -> Identity | None:
    """The identity of an account (the CLI's --user); None for a name that is no account (an
    operator on the server, recorded as given). A disabled account is refused."""
    with engine.connect() as conn:
        user = _user(conn, username)
        if user is None:
            return None
        if not user.active:
            raise AccountDisabled(
                f"Tài khoản {user.username} đã bị vô hiệu hoá: không thể dùng cho --user."
            )
        return _identity(conn, user)


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_demo_accounts(engine: Engine) -> None:
    """The sample database's demo accounts (README); never called for a real database."""
    for username, role, agencies in DEMO_ACCOUNTS:
        with engine.connect() as conn:
            exists = _user(conn, username) is not None
        if not exists:
            create_user(
                engine,
                username,
                role,
                DEMO_PASSWORD,
                agencies,
                display_name=f"Tài khoản mẫu {username}",
            )
