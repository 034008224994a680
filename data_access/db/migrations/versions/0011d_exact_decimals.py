"""decimal indicators stored exactly: numeric(18, 3) instead of float

Money columns (tỷ đồng) were floats: 113,42 was stored as 113.41999999999999 and a sum of 0,1 and
0,2 as 0.30000000000000004. They become numeric(18, 3) (the summary's sums numeric(24, 3)), the places exports show. PostgreSQL
converts each value to its decimal (float8 → numeric keeps 15 significant digits, so 113.42 and
113.41999999999999 both become 113.420) and sums exactly from then on. SQLite has no decimal
storage: the column is declared NUMERIC (a table copy, batch mode) and keeps its REAL values, which
the app reads back rounded half up to 3 places.

The value columns are not in the models (they follow the catalogue): the columns converted are
those of every catalogue row of type decimal, active or not, that the two value tables have.

Revision ID: 0011d
Revises: 0010r
Create Date: 2026-11-27 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011d"
down_revision: str | None = "0010r"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As data_access.db.value_tables.decimal_type() was at this revision (a migration never follows
# later code): a unit's figure, and the summary's sums with 6 digits more.
TABLES = {"submissions": sa.Numeric(18, 3), "submission_summary": sa.Numeric(24, 3)}


def _decimal_columns(table: str) -> list[str]:
    bind = op.get_bind()
    indicators = sa.table("indicators", sa.column("code"), sa.column("value_type"))
    codes = set(
        bind.execute(
            sa.select(indicators.c.code).where(indicators.c.value_type == "decimal")
        ).scalars()
    )
    present = {c["name"] for c in sa.inspect(bind).get_columns(table)}
    return sorted(codes & present)


def _retype(to_exact: bool) -> None:
    for table, exact in TABLES.items():
        to, previous = (exact, sa.Float()) if to_exact else (sa.Float(), exact)
        columns = _decimal_columns(table)
        if not columns:
            continue
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, type_=to, existing_type=previous, existing_nullable=True)


def upgrade() -> None:
    _retype(to_exact=True)


def downgrade() -> None:
    _retype(to_exact=False)
