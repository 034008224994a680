"""reporting: unit reporters, reports entered in the form and their history

Revision ID: 0009r
Revises: 0009u
Create Date: 2026-11-26 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009r"
down_revision: str | None = "0009u"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = "role IN ('viewer', 'secretariat', 'admin')"
NEW_ROLES = "role IN ('viewer', 'secretariat', 'admin', 'reporter')"


def _roles(check: str, with_unit: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # SQLite changes a CHECK only by copying the table, and dropping the old `users` counts
        # every `user_agencies` row as a broken foreign key even once the copy takes its place:
        # the scopes are set aside while the table is copied, then put back.
        scopes = bind.execute(sa.text("SELECT user_id, agency_id FROM user_agencies")).all()
        op.execute("DELETE FROM user_agencies")
        with op.batch_alter_table("users", recreate="always") as batch_op:
            batch_op.drop_constraint("ck_user_role", type_="check")
            batch_op.create_check_constraint("ck_user_role", check)
            if with_unit:
                batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
                batch_op.create_foreign_key("fk_users_unit_id", "units", ["unit_id"], ["id"])
            else:
                batch_op.drop_column("unit_id")
        for user_id, agency_id in scopes:
            bind.execute(
                sa.text("INSERT INTO user_agencies (user_id, agency_id) VALUES (:u, :a)"),
                {"u": user_id, "a": agency_id},
            )
        return
    op.drop_constraint("ck_user_role", "users", type_="check")
    op.create_check_constraint("ck_user_role", "users", check)
    if with_unit:
        op.add_column("users", sa.Column("unit_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_users_unit_id", "users", "units", ["unit_id"], ["id"])
    else:
        op.drop_constraint("fk_users_unit_id", "users", type_="foreignkey")
        op.drop_column("users", "unit_id")


def upgrade() -> None:
    _roles(NEW_ROLES, with_unit=True)
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "state IN ('draft', 'submitted', 'returned', 'accepted')", name="ck_report_state"
        ),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "period_id", name="uq_report_unit_period"),
    )
    op.create_index("ix_reports_state_period", "reports", ["state", "period_id"], unique=False)
    op.create_table(
        "report_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_events_report_id", "report_events", ["report_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_report_events_report_id", table_name="report_events")
    op.drop_table("report_events")
    op.drop_index("ix_reports_state_period", table_name="reports")
    op.drop_table("reports")
    op.execute(
        "DELETE FROM user_agencies WHERE user_id IN (SELECT id FROM users WHERE role = 'reporter')"
    )
    op.execute("DELETE FROM users WHERE role = 'reporter'")
    _roles(OLD_ROLES, with_unit=False)
