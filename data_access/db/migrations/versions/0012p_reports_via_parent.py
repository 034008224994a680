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
    with op.batch_alter_table("units") as batch:
        batch.add_column(
            sa.Column("reports_via_parent", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.drop_column("reports_via_parent")
