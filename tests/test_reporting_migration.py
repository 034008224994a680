"""Migration 0009r on a populated database: the users table is rebuilt, no scope is lost."""

from __future__ import annotations

from sqlalchemy import Engine

from data_access import auth, schema


def test_0009r_up_and_down_keeps_accounts_and_their_scopes(sample_engine: Engine) -> None:
    before = auth.list_users(sample_engine)[["username", "role", "agencies"]]
    assert "BHXH" in set(before["agencies"])  # the sample's secretary is scoped
    schema.downgrade(sample_engine, "0009u")  # the revision before 0009r
    schema.upgrade(sample_engine)
    after = auth.list_users(sample_engine)[["username", "role", "agencies"]]
    assert after.equals(before)
