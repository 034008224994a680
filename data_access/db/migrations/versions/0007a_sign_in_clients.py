"""sign_in_clients: failed sign-ins per client, for the per-client backoff

Revision ID: 0007a
Revises: 0006
Create Date: 2026-11-23 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007a"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_clients",
        sa.Column("client", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_failure_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("client"),
    )
    op.create_index(
        "ix_sign_in_clients_last_failure_at", "sign_in_clients", ["last_failure_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_sign_in_clients_last_failure_at", table_name="sign_in_clients")
    op.drop_table("sign_in_clients")
