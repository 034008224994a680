"""units.reports_via_parent: a child unit whose report its parent's reporter enters

A unit reporter is scoped to its unit and to the active children flagged here (one level down):
small units that do not report separately. Existing units report separately (false).

Revision ID: 0012p
Revises: 0011d
Create Date: 2026-11-28 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012p"
down_revision: str | None = "0011d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE on both backends (a constant default, so NOT NULL is fine on SQLite).
    op.add_column(
        "units",
        sa.Column("reports_via_parent", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): a batch copy would drop and recreate
    # `units`, which the foreign keys of a populated database refuse.
    op.drop_column("units", "reports_via_parent")
