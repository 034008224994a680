"""Twenty sessions writing at once (the deadline rush, issue #15) each get a PostgreSQL
connection from the app's engine without waiting for another session to let one go."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from sqlalchemy import Engine, text

from data_access.db.engine import get_engine
from devtools.bench_submit_rush import SESSIONS


def test_the_rush_sessions_hold_a_connection_each_at_once(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite opens a connection per checkout; no pool to run dry")
    app_engine = get_engine(engine.url.render_as_string(hide_password=False))
    with ExitStack() as held:
        connections = [held.enter_context(app_engine.connect()) for _ in range(SESSIONS)]
        assert [c.execute(text("SELECT 1")).scalar() for c in connections] == [1] * SESSIONS
