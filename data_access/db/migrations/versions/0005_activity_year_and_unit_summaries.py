"""activity summaries by year and by unit

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 09:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUMS = ["activities", "participants_female", "participants_male"]
COLUMNS = ["year", "unit_id", *SUMS]
YEAR_KEYS = ["year", "campaign", "agency_id", "province_id", "level", "current_province_id"]


def upgrade() -> None:
    op.create_table(
        "activity_year_summary",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("campaign", sa.String(length=20), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("current_province_id", sa.Integer(), nullable=False),
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.Column("participants_female", sa.Integer(), nullable=False),
        sa.Column("participants_male", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"]),
        sa.ForeignKeyConstraint(["current_province_id"], ["provinces.id"]),
        sa.ForeignKeyConstraint(["province_id"], ["provinces.id"]),
        sa.PrimaryKeyConstraint("year", "campaign", "agency_id", "province_id", "level"),
    )
    op.create_table(
        "unit_activity_summary",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.Column("participants_female", sa.Integer(), nullable=False),
        sa.Column("participants_male", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("year", "unit_id"),
    )
    op.create_index(
        "ix_unit_activity_year_activities",
        "unit_activity_summary",
        ["year", "activities"],
        unique=False,
    )
    # Fill it for databases that already hold activities (the application refreshes it on write);
    # tables described here, not imported from the models, so later model changes cannot break it.
    activity = sa.table(
        "campaign_activities",
        sa.column("unit_id", sa.Integer),
        sa.column("start_date", sa.Date),
        sa.column("participants_female", sa.Integer),
        sa.column("participants_male", sa.Integer),
    )
    summary = sa.table("unit_activity_summary", *(sa.column(name) for name in COLUMNS))
    year = sa.cast(sa.extract("year", activity.c.start_date), sa.Integer)
    query = sa.select(
        year,
        activity.c.unit_id,
        sa.func.count(),
        sa.func.sum(activity.c.participants_female),
        sa.func.sum(activity.c.participants_male),
    ).group_by(year, activity.c.unit_id)
    op.get_bind().execute(sa.insert(summary).from_select(COLUMNS, query))
    day = sa.table("activity_summary", *(sa.column(name) for name in [*YEAR_KEYS, *SUMS, "day"]))
    year_summary = sa.table(
        "activity_year_summary", *(sa.column(name) for name in [*YEAR_KEYS, *SUMS])
    )
    group = [day.c[name] for name in YEAR_KEYS]
    folded = sa.select(*group, *(sa.func.sum(day.c[name]) for name in SUMS)).group_by(*group)
    op.get_bind().execute(sa.insert(year_summary).from_select([*YEAR_KEYS, *SUMS], folded))


def downgrade() -> None:
    op.drop_index("ix_unit_activity_year_activities", table_name="unit_activity_summary")
    op.drop_table("unit_activity_summary")
    op.drop_table("activity_year_summary")
