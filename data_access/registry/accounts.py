"""Accounts from the registry, in bulk, each with a one-time password returned once to be handed
over, stored only as its hash and to be changed at first sign-in: secretariat accounts for an
agency, and one reporter account per unit that has a contact in the registry.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, insert, or_, select

from data_access.auth import Identity, PermissionDenied, generate_password, hash_password
from data_access.db import audit
from data_access.db.models import Agency, Unit, User, UserAgency

# More at once is a typo, not a secretariat: an agency's secretariat is a handful of people.
MAX_ACCOUNTS_AT_ONCE = 50
# Each password is hashed with Argon2 (about 0.2 s here): 500 keep one transaction near a minute
# and a half; the CLI runs batch after batch until every unit with a contact has its account.
MAX_UNIT_ACCOUNTS_AT_ONCE = 500
UNIT_PREFIX = "donvi."  # a unit account's name: donvi.<unit code>, as the demo reporter's


@dataclass(frozen=True)
class NewAccount:
    username: str
    password: str  # shown once; only its hash is stored


def create_secretariat_accounts(
    engine: Engine, agency_code: str, count: int, *, identity: Identity
) -> list[NewAccount]:
    """`count` secretariat accounts scoped to `agency_code`, named thuky.<agency>.<n> after the
    agency's existing ones, in one transaction. Administrators only."""
    identity.require("admin")
    if not identity.reaches(agency_code):
        raise PermissionDenied(
            f"Ngành {agency_code} ngoài phạm vi ngành của tài khoản {identity.username} "
            f"({', '.join(identity.agencies)})."
        )
    if not 1 <= count <= MAX_ACCOUNTS_AT_ONCE:
        raise ValueError(f"Số tài khoản phải từ 1 đến {MAX_ACCOUNTS_AT_ONCE}.")
    prefix = f"thuky.{agency_code.lower()}."
    with engine.begin() as conn:
        agency_id = conn.execute(
            select(Agency.id).where(Agency.code == agency_code)
        ).scalar_one_or_none()
        if agency_id is None:
            raise ValueError(f"Không có ngành mã “{agency_code}”.")
        taken = set(
            conn.execute(
                select(func.lower(User.username)).where(
                    func.lower(User.username).like(f"{prefix}%")
                )
            ).scalars()
        )
        created: list[NewAccount] = []
        n = 0
        while len(created) < count:
            n += 1
            if f"{prefix}{n}" in taken:
                continue
            account = NewAccount(f"{prefix}{n}", generate_password())
            user_id = conn.execute(
                insert(User)
                .values(
                    username=account.username,
                    role="secretariat",
                    password_hash=hash_password(account.password),
                    display_name=f"Thư ký ngành {agency_code} ({n})",
                    must_change_password=True,  # a one-time password: changed at first sign-in
                )
                .returning(User.id)
            ).scalar_one()
            conn.execute(insert(UserAgency).values(user_id=user_id, agency_id=agency_id))
            audit.record(
                conn,
                identity.username,
                "user_add",
                account.username,
                role="secretariat",
                agencies=[agency_code],
                source="registry",
            )
            created.append(account)
    return created


@dataclass(frozen=True)
class NewUnitAccount:
    username: str
    password: str  # shown once; only its hash is stored
    unit_code: str
    unit_name: str
    email: str | None


@dataclass(frozen=True)
class UnitAccounts:
    created: list[NewUnitAccount]
    remaining: int  # units with a contact still without an account (run again)


def create_unit_accounts(
    engine: Engine,
    *,
    identity: Identity,
    agency_code: str | None = None,
    limit: int = MAX_UNIT_ACCOUNTS_AT_ONCE,
) -> UnitAccounts:
    """A reporter account for each active unit with a contact (e-mail or name) in the registry
    and no reporter account yet (of `agency_code`, or of every agency in the administrator's
    scope), at most `limit` in one transaction. Run again, it creates only what is missing.
    Administrators only."""
    identity.require("admin")
    if not 1 <= limit <= MAX_UNIT_ACCOUNTS_AT_ONCE:
        raise ValueError(f"Mỗi lần tạo từ 1 đến {MAX_UNIT_ACCOUNTS_AT_ONCE} tài khoản đơn vị.")
    has_account = select(User.id).where(User.unit_id == Unit.id, User.role == "reporter").exists()
    query = (
        select(Unit.id, Unit.code, Unit.name, Unit.contact_name, Unit.contact_email, Agency.code)
        .join(Agency, Agency.id == Unit.agency_id)
        .where(
            Unit.active_to.is_(None),
            or_(Unit.contact_email.is_not(None), Unit.contact_name.is_not(None)),
            ~has_account,
        )
        .order_by(Agency.code, Unit.code)
    )
    if agency_code is not None:
        query = query.where(Agency.code == agency_code)
    if identity.agencies:
        query = query.where(Agency.code.in_(list(identity.agencies)))
    with engine.begin() as conn:
        if agency_code is not None:
            known = conn.execute(select(Agency.id).where(Agency.code == agency_code)).first()
            if known is None:
                raise ValueError(f"Không có ngành mã “{agency_code}”.")
        waiting = conn.execute(query).all()
        agency_ids = {code: id_ for code, id_ in conn.execute(select(Agency.code, Agency.id))}
        taken = set(conn.execute(select(func.lower(User.username))).scalars())
        created: list[NewUnitAccount] = []
        for unit_id, code, name, contact, email, agency in waiting[:limit]:
            username = _free_name(f"{UNIT_PREFIX}{code.lower()}", taken)
            taken.add(username)
            account = NewUnitAccount(username, generate_password(), code, name, email)
            user_id = conn.execute(
                insert(User)
                .values(
                    username=username,
                    role="reporter",
                    password_hash=hash_password(account.password),
                    display_name=contact or name,
                    email=email,
                    unit_id=unit_id,
                    must_change_password=True,  # a one-time password: changed at first sign-in
                )
                .returning(User.id)
            ).scalar_one()
            conn.execute(insert(UserAgency).values(user_id=user_id, agency_id=agency_ids[agency]))
            audit.record(
                conn,
                identity.username,
                "user_add",
                username,
                role="reporter",
                agencies=[agency],
                unit=code,
                source="registry",
            )
            created.append(account)
    return UnitAccounts(created, len(waiting) - len(created))


def _free_name(name: str, taken: set[str]) -> str:
    """`name`, or name.2, name.3… when an account (of another unit, or typed by hand) has it."""
    n, candidate = 1, name
    while candidate in taken:
        n += 1
        candidate = f"{name}.{n}"
    return candidate
