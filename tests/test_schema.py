"""Migrations and schema on both backends."""

import sqlite3

from sqlalchemy import Engine, inspect, text

from data_access import schema
from data_access.db.config import database_url
from data_access.db.engine import get_engine
from data_access.seed import has_units
from tests.conftest import Databases

TABLES = {
    "agencies",
    "units",
    "provinces",
    "periods",
    "indicators",
    "submissions",
    "submission_summary",
    "submission_revisions",
    "campaign_activities",
    "upload_batches",
    "audit_log",
    "users",
    "user_agencies",
    "targets",
    "alembic_version",
}


def test_migrations_create_every_table_and_downgrade_cleanly(databases: Databases) -> None:
    engine = databases.fresh("empty")
    schema.upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES
    schema.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    schema.upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES


def test_init_db_is_idempotent_and_creates_value_columns(databases: Databases) -> None:
    engine = databases.fresh("empty")
    assert schema.init_db(engine) == {}
    assert schema.init_db(engine) == {}
    columns = {c["name"] for c in inspect(engine).get_columns("submissions")}
    assert {"staff_total", "staff_female", "thads_money_completed_bn"} <= columns
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM provinces")).scalar_one() == 97
        assert conn.execute(text("SELECT count(*) FROM indicators")).scalar_one() == 38
        periods = conn.execute(
            text("SELECT due_date FROM periods WHERE code = '2025-H1'")
        ).scalar_one()
        assert str(periods) == "2025-06-15"
    assert not has_units(engine)  # no sample without --sample


def test_sample_loads_once(sample_engine: Engine) -> None:
    assert schema.init_db(sample_engine, sample=True) == {}  # already loaded: nothing added
    with sample_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM units")).scalar_one() == 653
        assert conn.execute(text("SELECT count(*) FROM submissions")).scalar_one() > 7000
        assert conn.execute(text("SELECT count(*) FROM campaign_activities")).scalar_one() > 5000
        actions = conn.execute(text("SELECT action FROM audit_log ORDER BY id")).scalars().all()
    assert actions[0] == "seed" and actions.count("user_add") == 3  # the demo accounts


def test_sqlite_runs_with_wal_and_a_busy_timeout(tmp_path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    assert sqlite3.connect(tmp_path / "x.db").execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_database_url_precedence(tmp_path, monkeypatch) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('DATABASE_URL = "postgresql://u@db/x"\n')
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url(tmp_path / "none.toml").startswith("sqlite:///")
    assert database_url(secrets) == "postgresql+psycopg://u@db/x"
    monkeypatch.setenv("DATABASE_URL", "postgres://env@host/y")
    assert database_url(secrets) == "postgresql+psycopg://env@host/y"


def test_models_and_migrations_agree(databases: Databases) -> None:
    """Autogenerate finds nothing to do: no model change is missing its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from data_access.db.models import Base
    from data_access.db.value_tables import include_object

    engine = databases.fresh("schema")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []
