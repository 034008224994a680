"""Fixtures: real SQLite files and a real PostgreSQL server, with template databases so each
test gets a fresh copy in milliseconds instead of re-running migrations and the sample load."""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from data_access.db.engine import dispose_engine, get_engine
from data_access.schema import init_db
from tests.pg_server import PgServer, find_bin_dir

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
_NO_PG_MESSAGE = (
    "!!! PostgreSQL server binaries not found: PostgreSQL tests are SKIPPED. "
    "Install the server (apt-get install postgresql) to run them. !!!"
)


def pytest_report_header(config: pytest.Config) -> str:
    bin_dir = find_bin_dir()
    return f"postgresql: {bin_dir}" if bin_dir else _NO_PG_MESSAGE


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if find_bin_dir() is None:
        terminalreporter.write_sep("!", _NO_PG_MESSAGE, red=True, bold=True)


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PgServer]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests, but no server binary was found")
        pytest.skip(_NO_PG_MESSAGE)
    server = PgServer(Path("/tmp") / f"vstbpn-pg-{os.getpid()}", bin_dir)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.base_dir, ignore_errors=True)


class Databases:
    """Makes fresh databases of one backend from templates built once per session."""

    _counter = itertools.count()

    def __init__(self, backend: str, tmp: Path, pg: PgServer | None):
        self.backend = backend
        self.tmp = tmp
        self.pg = pg
        self._templates: dict[str, str] = {}
        self.urls: list[str] = []

    def _template(self, kind: str) -> str:
        if kind not in self._templates:
            name = f"template_{kind}"
            url = self._new_empty(name)
            engine = get_engine(url)
            init_db(engine, sample=(kind == "sample"))
            dispose_engine(url)
            if self.backend == "sqlite":
                with sqlite3.connect(self._path(name)) as conn:
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._templates[kind] = name
        return self._templates[kind]

    def _path(self, name: str) -> Path:
        return self.tmp / f"{name}.db"

    def _new_empty(self, name: str) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self._path(name)}"
        assert self.pg is not None
        return self.pg.create_database(name)

    def fresh(self, kind: str = "schema", *, shared: bool = False) -> Engine:
        """A new database: `schema` (migrated, reference data) or `sample` (with sample data).
        Its engine is disposed after the test unless `shared` (session-wide)."""
        template = self._template(kind) if kind != "empty" else None
        name = f"db_{next(self._counter)}"
        if template is None:
            url = self._new_empty(name)
        elif self.backend == "sqlite":
            shutil.copyfile(self._path(template), self._path(name))
            url = f"sqlite:///{self._path(name)}"
        else:
            assert self.pg is not None
            url = self.pg.create_database(name, template=template)
        self.urls.append(url)
        if not shared:
            _PER_TEST_URLS.append(url)
        return get_engine(url)

    def close(self) -> None:
        for url in self.urls:
            dispose_engine(url)


# Engines of the databases made for the running test: disposed when it ends, so that pooled
# connections do not pile up over the suite (PostgreSQL refuses past max_connections).
_PER_TEST_URLS: list[str] = []


@pytest.fixture(autouse=True)
def _release_test_databases() -> Iterator[None]:
    yield
    while _PER_TEST_URLS:
        dispose_engine(_PER_TEST_URLS.pop())


@pytest.fixture(scope="session")
def _sqlite_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases("sqlite", tmp_path_factory.mktemp("sqlite"), None)
    yield dbs
    dbs.close()


@pytest.fixture(scope="session")
def _pg_databases(
    tmp_path_factory: pytest.TempPathFactory, pg_server: PgServer
) -> Iterator[Databases]:
    dbs = Databases("postgresql", tmp_path_factory.mktemp("pg"), pg_server)
    yield dbs
    dbs.close()


@pytest.fixture(params=BACKENDS)
def databases(request: pytest.FixtureRequest) -> Databases:
    """The database factory of each backend in turn (tests using it run on both)."""
    fixture = "_sqlite_databases" if request.param == "sqlite" else "_pg_databases"
    return request.getfixturevalue(fixture)


@pytest.fixture
def engine(databases: Databases) -> Engine:
    """A fresh migrated database with reference data and no sample data, on each backend."""
    return databases.fresh("schema")


@pytest.fixture
def sample_engine(databases: Databases) -> Engine:
    """A fresh database with the sample data, on each backend; the test may write to it."""
    return databases.fresh("sample")


@pytest.fixture(scope="session", params=BACKENDS)
def shared_sample_engine(request: pytest.FixtureRequest) -> Engine:
    """One sample database per backend shared by read-only tests (do not write to it)."""
    fixture = "_sqlite_databases" if request.param == "sqlite" else "_pg_databases"
    return request.getfixturevalue(fixture).fresh("sample", shared=True)


@pytest.fixture
def sqlite_sample_engine(_sqlite_databases: Databases) -> Engine:
    return _sqlite_databases.fresh("sample")


@pytest.fixture
def app_db(sqlite_sample_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The app (under AppTest) pointed at a fresh sample database, from empty Streamlit caches:
    AppTest runs in this process, so caches would otherwise carry over between tests."""
    import streamlit as st

    monkeypatch.setenv(
        "DATABASE_URL", sqlite_sample_engine.url.render_as_string(hide_password=False)
    )
    st.cache_data.clear()
    st.cache_resource.clear()
    yield sqlite_sample_engine
    st.cache_data.clear()
    st.cache_resource.clear()
