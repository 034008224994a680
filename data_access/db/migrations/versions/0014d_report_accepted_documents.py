"""reports.accepted_documents: the documents as last accepted, so a reopened report's stay in
the exports (as its accepted figures stay on the dashboards) until it is accepted again

Accepted reports take their documents; a report reopened before this revision has no accepted
documents kept (they were overwritten as the unit corrected it) and lists none until accepted.

Revision ID: 0014d
Revises: 0014l
Create Date: 2026-11-30 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014d"
down_revision: str | None = "0014l"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE on both backends (SQLite has dropped columns since 3.35): a batch copy of
# `reports` cannot drop the table report_events refers to while foreign keys are enforced.
def upgrade() -> None:
    op.add_column("reports", sa.Column("accepted_documents", sa.JSON(), nullable=True))
    op.execute("UPDATE reports SET accepted_documents = documents WHERE state = 'accepted'")


def downgrade() -> None:
    op.drop_column("reports", "accepted_documents")
