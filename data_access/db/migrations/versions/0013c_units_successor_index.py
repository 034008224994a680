"""units.successor_id indexed: the like-for-like comparison asks of each unit whether another
closed into it

Without the index SQLite builds a list of every unit's successor for each period compared (a
third of the comparison's query at a million submissions, issue #18), and PostgreSQL hashes it.

Revision ID: 0013c
Revises: 0013t
Create Date: 2026-11-29 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013c"
down_revision: str | None = "0013t"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_units_successor", "units", ["successor_id"])


def downgrade() -> None:
    op.drop_index("ix_units_successor", table_name="units")
