"""The append-only audit log: uploads, rollbacks, exports, sign-ins and user changes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, insert

from data_access.db.models import AuditLog


def record(
    conn: Connection, user: str, action: str, target: str | None = None, **detail: Any
) -> None:
    """Add an entry in the caller's transaction, so it lands exactly when the change does."""
    conn.execute(
        insert(AuditLog).values(user_name=user, action=action, target=target, detail=detail or None)
    )


def record_now(
    engine: Engine, user: str, action: str, target: str | None = None, **detail: Any
) -> None:
    with engine.begin() as conn:
        record(conn, user, action, target, **detail)
