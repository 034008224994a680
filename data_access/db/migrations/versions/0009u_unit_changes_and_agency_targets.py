"""units over time and agency targets: successions (merge, split), earlier names, targets by agency

Revision ID: 0009u
Revises: 0008s
Create Date: 2026-11-25 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009u"
down_revision: str | None = "0008s"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite reflects 0001's unnamed unique constraint under this convention's name, so the batch
# copy of `targets` (nothing references it) can drop it; PostgreSQL named it itself.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _old_unique() -> str:
    return (
        "targets_measure_year_key"
        if op.get_bind().dialect.name == "postgresql"
        else ("uq_targets_measure")
    )


def upgrade() -> None:
    op.create_table(
        "unit_successions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("predecessor_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["upload_batches.id"]),
        sa.ForeignKeyConstraint(["predecessor_id"], ["units.id"]),
        sa.ForeignKeyConstraint(["successor_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("predecessor_id", "successor_id", name="uq_unit_successions_pair"),
    )
    op.create_index("ix_unit_successions_batch_id", "unit_successions", ["batch_id"])
    op.create_index("ix_unit_successions_successor", "unit_successions", ["successor_id"])
    op.create_table(
        "unit_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["upload_batches.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_unit_names_batch_id", "unit_names", ["batch_id"])
    op.create_index("ix_unit_names_unit_id", "unit_names", ["unit_id"])
    with op.batch_alter_table("targets", naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column("agency_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_targets_agency_id", "agencies", ["agency_id"], ["id"])
        batch_op.drop_constraint(_old_unique(), type_="unique")
        batch_op.create_unique_constraint(
            "uq_targets_measure_year_agency", ["measure", "year", "agency_id"]
        )


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM targets WHERE agency_id IS NOT NULL"))
    with op.batch_alter_table("targets", naming_convention=NAMING) as batch_op:
        batch_op.drop_constraint("uq_targets_measure_year_agency", type_="unique")
        batch_op.drop_constraint("fk_targets_agency_id", type_="foreignkey")
        batch_op.drop_column("agency_id")
        batch_op.create_unique_constraint(_old_unique(), ["measure", "year"])
    op.drop_index("ix_unit_names_unit_id", table_name="unit_names")
    op.drop_index("ix_unit_names_batch_id", table_name="unit_names")
    op.drop_table("unit_names")
    op.drop_index("ix_unit_successions_successor", table_name="unit_successions")
    op.drop_index("ix_unit_successions_batch_id", table_name="unit_successions")
    op.drop_table("unit_successions")
