"""submission_summary.n_late: the submissions of each cell received after the period's due date;
units indexed on their dates of activity and cell

Tracking counted the late reports of every period it shows from the submissions (the index on
period, received_at, unit, then each report's unit): 90 ms of the gender index page at a
million submissions on SQLite, issue #18. The summary now keeps the count, by the difference
each write makes as for its other counts (db.value_tables).

ix_units_activity (active_from, active_to, then the unit's cell): the units not active on a due
date are two index ranges (opened after it: this index; closed before it: ix_units_active_to)
instead of a pass over every unit for every period (100 ms of the same page), and the units
active on each due date are counted from this index alone (19 ms against 64 ms for a pass over
the rows of 53,000 units).

Revision ID: 0014l
Revises: 0013c
Create Date: 2026-11-30 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014l"
down_revision: str | None = "0013c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CELL = ("period_id", "agency_id", "province_id", "level")


def upgrade() -> None:
    op.create_index(
        "ix_units_activity",
        "units",
        ["active_from", "active_to", "agency_id", "province_id", "current_province_id", "level"],
    )
    # Plain ALTER TABLE on both backends (a constant default, so NOT NULL is fine on SQLite).
    op.add_column(
        "submission_summary",
        sa.Column("n_late", sa.Integer(), nullable=False, server_default="0"),
    )
    # As the migration sees the tables (not the models, which move on).
    submissions = sa.table(
        "submissions", sa.column("period_id"), sa.column("unit_id"), sa.column("received_at")
    )
    units = sa.table(
        "units",
        sa.column("id"),
        sa.column("agency_id"),
        sa.column("province_id"),
        sa.column("level"),
    )
    periods = sa.table("periods", sa.column("id"), sa.column("due_date", sa.Date()))
    summary = sa.table("submission_summary", *(sa.column(c) for c in (*CELL, "n_late")))
    # Late as tracking counts it: received on a day after the due date, compared as dates.
    late = (
        sa.select(
            submissions.c.period_id,
            units.c.agency_id,
            units.c.province_id,
            units.c.level,
            sa.func.count().label("n"),
        )
        .join_from(submissions, units, units.c.id == submissions.c.unit_id)
        .join(periods, periods.c.id == submissions.c.period_id)
        .where(sa.func.date(submissions.c.received_at, type_=sa.Date) > periods.c.due_date)
        .group_by(submissions.c.period_id, units.c.agency_id, units.c.province_id, units.c.level)
        .subquery()
    )
    op.get_bind().execute(
        sa.update(summary).values(n_late=late.c.n).where(*(summary.c[c] == late.c[c] for c in CELL))
    )


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35), as 0012p.
    op.drop_column("submission_summary", "n_late")
    op.drop_index("ix_units_activity", table_name="units")
