"""Alembic environment: runs on the connection handed over by `data_access.schema`, or on the
URL of alembic.ini / DATABASE_URL when called as `alembic …` by a developer."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from data_access.db.config import database_url
from data_access.db.engine import get_engine
from data_access.db.models import Base
from data_access.db.value_tables import include_object

target_metadata = Base.metadata


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=True,  # SQLite can only ALTER through table copies
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    with get_engine(
        context.config.get_main_option("sqlalchemy.url") or database_url()
    ).begin() as conn:
        run(conn)
