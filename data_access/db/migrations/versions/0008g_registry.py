"""registry: unit contacts, and registry revisions so a registry batch can be rolled back

Revision ID: 0008g
Revises: 0007o
Create Date: 2026-11-24 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008g"
down_revision: str | None = "0007o"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("contact_email", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("contact_phone", sa.String(length=50), nullable=True))
    op.create_table(
        "registry_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=8), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=True),
        sa.CheckConstraint("entity IN ('agency', 'unit')", name="ck_registry_revision_entity"),
        sa.ForeignKeyConstraint(["batch_id"], ["upload_batches.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_registry_revisions_batch_id", "registry_revisions", ["batch_id"], unique=False
    )
    op.create_index(
        "ix_registry_revisions_entity", "registry_revisions", ["entity", "entity_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_registry_revisions_entity", table_name="registry_revisions")
    op.drop_index("ix_registry_revisions_batch_id", table_name="registry_revisions")
    op.drop_table("registry_revisions")
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): a batch copy would drop and recreate
    # `units`, which the foreign keys of a populated database refuse.
    for column in ("contact_phone", "contact_email", "contact_name"):
        op.drop_column("units", column)
