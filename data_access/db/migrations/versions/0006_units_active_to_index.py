"""index on units.active_to

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 10:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_units_active_to", "units", ["active_to"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_units_active_to", table_name="units")
