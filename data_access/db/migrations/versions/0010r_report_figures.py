"""reports.figures: the numbers of a submitted report, for the switch "gồm báo cáo chưa duyệt"

Revision ID: 0010r
Revises: 0009s
Create Date: 2026-11-26 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010r"
down_revision: str | None = "0009s"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Reports submitted before this revision get their figures when next submitted.
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("figures", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("figures")
