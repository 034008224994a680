"""activity summaries: participants as 64-bit sums

Two activities at the largest participants count an activity stores (2³¹ − 1) overflowed the
32-bit summary columns on PostgreSQL after a clean dry run. SQLite's INTEGER is 64-bit already.

Revision ID: 0008s
Revises: 0008g
Create Date: 2026-11-23 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008s"
down_revision: str | None = "0008g"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("activity_summary", "activity_year_summary", "unit_activity_summary")
COLUMNS = ("participants_female", "participants_male")


def _retype(to: sa.types.TypeEngine[int], previous: sa.types.TypeEngine[int]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: same storage, and a batch copy would fight the foreign keys
    for table in TABLES:
        for column in COLUMNS:
            op.alter_column(table, column, type_=to, existing_type=previous)


def upgrade() -> None:
    _retype(sa.BigInteger(), sa.Integer())


def downgrade() -> None:
    _retype(sa.Integer(), sa.BigInteger())
