"""Passwords are hashed with Argon2id at OWASP's first recommended setting (46 MiB, t=1, p=1); a
hash made with other parameters (the library default of earlier versions) still signs in and is
rehashed to the current ones at that sign-in."""

from __future__ import annotations

from argon2 import PasswordHasher
from sqlalchemy import Engine, select, update

from data_access import auth
from data_access.db.models import User

PASSWORD = "mat-khau-dai-2026"
CURRENT = "$argon2id$v=19$m=47104,t=1,p=1$"


def _stored(engine: Engine, username: str) -> str:
    with engine.connect() as conn:
        return str(
            conn.execute(select(User.password_hash).where(User.username == username)).scalar_one()
        )


def test_new_passwords_use_the_current_parameters(engine: Engine) -> None:
    auth.create_user(engine, "lanhdao", "viewer", PASSWORD)
    assert _stored(engine, "lanhdao").startswith(CURRENT)


def test_an_older_hash_signs_in_and_is_rehashed(engine: Engine) -> None:
    auth.create_user(engine, "lanhdao", "viewer", PASSWORD)
    older = PasswordHasher().hash(PASSWORD)  # 64 MiB, t=3, p=4
    assert not older.startswith(CURRENT)
    with engine.begin() as conn:
        conn.execute(update(User).where(User.username == "lanhdao").values(password_hash=older))
    auth.authenticate(engine, "lanhdao", PASSWORD, client="t")
    rehashed = _stored(engine, "lanhdao")
    assert rehashed.startswith(CURRENT) and PasswordHasher().verify(rehashed, PASSWORD)
    # And it still signs in with the new hash.
    assert auth.authenticate(engine, "lanhdao", PASSWORD, client="t").username == "lanhdao"
