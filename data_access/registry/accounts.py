"""Accounts from the registry: secretariat accounts for an agency, in bulk, each with a one-time
password returned once to be handed over, and stored only as its hash.

(One account per unit contact comes with the reporting issue, which gives units a role.)
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, insert, select

from data_access.auth import Identity, generate_password, hash_password
from data_access.db import audit
from data_access.db.models import Agency, User, UserAgency

# More at once is a typo, not a secretariat: an agency's secretariat is a handful of people.
MAX_ACCOUNTS_AT_ONCE = 50


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
