"""Twenty sessions at once (the deadline rush) each get a database connection, on both backends:
the pool does not make the twentieth wait for one to come back."""

from __future__ import annotations

from contextlib import ExitStack

from sqlalchemy import Engine, text

from data_access.db.engine import POOL_SIZE

SESSIONS = 20  # issue #15's deadline rush


def test_twenty_sessions_hold_a_connection_each(engine: Engine) -> None:
    assert POOL_SIZE >= SESSIONS
    with ExitStack() as stack:
        held = [stack.enter_context(engine.connect()) for _ in range(SESSIONS)]
        assert [c.execute(text("SELECT 1")).scalar_one() for c in held] == [1] * SESSIONS
