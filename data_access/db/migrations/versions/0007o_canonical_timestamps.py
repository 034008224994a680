"""timestamps stored in one text form on SQLite

SQLite keeps DATETIME as text, and rows came in several forms: "2024-12-01 00:00:00" (the seed
and bulk uploads), "2024-12-01 00:00:00.000000" (SQLAlchemy: rollbacks, the ORM), sometimes with
a "T" or as a bare date. Text comparison then ranked the same instant differently. Every stored
timestamp is rewritten in SQLAlchemy's form, which all writers now use. PostgreSQL stores real
timestamps: nothing to do there.

Revision ID: 0007o
Revises: 0007a
Create Date: 2026-11-23 12:00:00
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007o"
down_revision: str | None = "0007a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What SQLAlchemy's DateTime writes on SQLite (data_access.db.bulk.SQLITE_TIMESTAMP).
CANONICAL = "%Y-%m-%d %H:%M:%S.%f"
CANONICAL_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]"
TIMESTAMP_COLUMNS = {
    "audit_log": ("at",),
    "sign_in_clients": ("next_attempt_at", "last_failure_at"),
    "upload_batches": ("created_at", "rolled_back_at"),
    "users": ("locked_until", "created_at"),
    "activity_revisions": ("created_at",),
    "submission_revisions": ("created_at",),
    "submissions": ("received_at",),
}


def _canonical(text: str) -> str | None:
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None  # not a timestamp at all: left as it is rather than guessed
    return value.replace(tzinfo=None).strftime(CANONICAL)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    tables = set(sa.inspect(conn).get_table_names())
    for table, columns in TIMESTAMP_COLUMNS.items():
        if table not in tables:
            continue
        for column in columns:
            # Names come from the dictionary above, never from users.
            rows = conn.exec_driver_sql(
                f"SELECT rowid, {column} FROM {table} WHERE typeof({column}) = 'text' "  # noqa: S608
                f"AND {column} NOT GLOB '{CANONICAL_GLOB}'"
            ).all()
            fixed = [(new, rowid) for rowid, old in rows if (new := _canonical(old)) is not None]
            if fixed:
                conn.exec_driver_sql(
                    f"UPDATE {table} SET {column} = ? WHERE rowid = ?",  # noqa: S608
                    fixed,
                )


def downgrade() -> None:
    pass  # the canonical form is valid for every earlier revision
