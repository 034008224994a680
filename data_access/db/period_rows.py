"""The periods table: create the reporting periods a load or an upload refers to."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, insert, select

from data_access.db.models import Period
from data_access.domain.periods import PeriodCode


def ensure_periods(conn: Connection, periods: Iterable[PeriodCode]) -> dict[str, int]:
    """Create the periods that do not exist yet; return the id of every period by code."""
    existing = dict(conn.execute(select(Period.code, Period.id)).all())
    new = [p for p in periods if str(p) not in existing]
    if new:
        conn.execute(
            insert(Period),
            [
                {
                    "code": str(p),
                    "year": p.year,
                    "kind": p.kind,
                    "start_date": p.start_date,
                    "end_date": p.end_date,
                    "due_date": p.due_date,
                }
                for p in new
            ],
        )
        existing = dict(conn.execute(select(Period.code, Period.id)).all())
    return existing
