"""Backends for the contract suite: every test taking ``store`` runs once on SQLite and once on PostgreSQL.

The PostgreSQL cluster is started once per session (tests/postgres_server.py); each test gets a
fresh empty database on it, so no test sees another's rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsarchive.store.base import Store
from newsarchive.store.sqlite import SQLiteStore
from tests.postgres_server import PostgresServer, start_server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    yield from start_server()


@pytest.fixture(scope="session")
def postgres_dsn(postgres_server: PostgresServer) -> str:
    """The DSN of the session cluster's maintenance database (``postgres``)."""
    return postgres_server.dsn("postgres")


@pytest.fixture
def postgres_database(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh empty database for one test, dropped after it; yields its DSN."""
    dsn = postgres_server.create_database()
    yield dsn
    postgres_server.drop_database(dsn)


StoreFactory = Callable[[], Store]
"""Opens another store on the same archive (a second writer, a reopen)."""


@pytest.fixture(params=["sqlite", "postgres"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """Opens stores on one archive of the backend under test; each one opened is closed at the end."""
    opened: list[Store] = []
    if request.param == "sqlite":
        path = tmp_path / "a.sqlite"

        def factory() -> Store:
            opened.append(SQLiteStore(path))
            return opened[-1]

    else:
        dsn: str = request.getfixturevalue("postgres_database")
        from newsarchive.store.postgres import PostgresStore

        def factory() -> Store:
            opened.append(PostgresStore(dsn))
            return opened[-1]

    yield factory
    for store in reversed(opened):
        store.close()


@pytest.fixture
def store(open_store: StoreFactory) -> Store:
    """The store under test, on a new empty archive."""
    return open_store()
