"""Where the database is: `DATABASE_URL`, else `.streamlit/secrets.toml`, else embedded SQLite."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DATA_DIR = PROJECT_ROOT / "sample_data"
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "vstbpn.db"
DEFAULT_DATABASE_URL = f"sqlite:///{DEFAULT_SQLITE_PATH}"
SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"


def database_url(secrets_path: Path = SECRETS_PATH) -> str:
    """The configured database URL, normalised for SQLAlchemy (psycopg 3 for PostgreSQL)."""
    url = os.environ.get("DATABASE_URL") or _url_from_secrets(secrets_path)
    if not url:
        return DEFAULT_DATABASE_URL
    return normalise_url(url)


def normalise_url(url: str) -> str:
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy needs the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _url_from_secrets(path: Path) -> str | None:
    if not path.exists():
        return None
    with path.open("rb") as f:
        secrets = tomllib.load(f)
    return secrets.get("DATABASE_URL") or secrets.get("database", {}).get("url")
