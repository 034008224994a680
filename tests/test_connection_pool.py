"""Twenty sessions writing at once (the deadline rush, issue #15) each get a connection from the
app's engine without waiting for another session to let one go, on either backend (SQLite's
default pool of 5 + 10 failed the rush too: data_access/db/engine.py POOL_SIZE)."""

from __future__ import annotations

from contextlib import ExitStack

from sqlalchemy import Engine, text

from data_access.db.engine import get_engine
from devtools.bench_submit_rush import SESSIONS


def test_the_rush_sessions_hold_a_connection_each_at_once(engine: Engine) -> None:
    app_engine = get_engine(engine.url.render_as_string(hide_password=False))
    with ExitStack() as held:
        connections = [held.enter_context(app_engine.connect()) for _ in range(SESSIONS)]
        assert [c.execute(text("SELECT 1")).scalar() for c in connections] == [1] * SESSIONS
        assert app_engine.pool.checkedout() == SESSIONS  # type: ignore[attr-defined]
