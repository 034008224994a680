"""Create or upgrade a database: Alembic migrations, then reference data, then (optionally) sample."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from data_access import seed
from data_access.db.config import SAMPLE_DATA_DIR

MIGRATIONS_DIR = Path(__file__).resolve().parent / "db" / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def init_db(
    engine: Engine, *, sample: bool = False, sample_dir: Path = SAMPLE_DATA_DIR
) -> dict[str, int]:
    """Bring the schema to the latest revision and load reference data; with `sample`, load the
    sample data too unless the database already has units. Returns the sample's row counts."""
    upgrade(engine)
    with engine.begin() as conn:
        seed.load_reference(conn)
    if sample and not seed.has_units(engine):
        return seed.load_sample(engine, sample_dir)
    return {}
