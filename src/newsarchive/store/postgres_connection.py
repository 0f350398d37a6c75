"""Connections of the PostgreSQL store: a psycopg pool owned by the store, transactions pinned to one connection.

Nothing above the store knows the connection rules (as Datasette's ``Database`` owns its own):
a read outside a transaction borrows a pooled connection (autocommit) for one statement, so
the web's request threads share a few connections; ``transaction()`` pins one connection to the
calling thread until it commits, and every statement the thread runs meanwhile goes through it.
Server failures become our ArchiveError/StorageError naming the server and what to do.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolTimeout

from newsarchive.errors import ArchiveError, StorageError

Row = tuple[Any, ...]
Connection = psycopg.Connection[Row]

_CONNECT_TIMEOUT = 10
"""Seconds to reach the server at open before saying it cannot be reached."""

_WAIT_FOR_CONNECTION = 60.0
"""Seconds a call waits for a free pooled connection (all busy in other threads' transactions)."""

_DATA_ERRORS = (pg_errors.IntegrityError, pg_errors.DataError)
"""One item's data refused (as sqlite3.IntegrityError is): inside a savepoint the caller can
reject that item and go on; every other server error stops the batch."""


def server_name(dsn: str) -> str:
    """How messages name the server: ``postgresql://host:port/database``, never the password."""
    try:
        info = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "PostgreSQL (unparsable URL)"
    host = str(info.get("host") or info.get("hostaddr") or "localhost")
    return f"postgresql://{host}:{info.get('port') or 5432}/{info.get('dbname') or ''}"


def first_line(exc: BaseException) -> str:
    """The server's reason without the SQL it quotes on the following lines."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def archive_error(server: str, exc: BaseException) -> ArchiveError:
    """Our error for a failed server call: what happened, what was kept, what to do."""
    reason = first_line(exc)
    sqlstate = getattr(exc, "sqlstate", None) or ""
    kept = "the transaction in flight was rolled back, everything committed before is intact"
    if isinstance(exc, PoolTimeout):
        return ArchiveError(
            f"{server}: no database connection became free within {_WAIT_FOR_CONNECTION:.0f} s ({reason}); "
            "the server may be overloaded or unreachable: check it and re-run"
        )
    if sqlstate in ("53100", "58030", "XX001", "XX002"):  # disk full, I/O error, damaged pages
        return StorageError(
            f"{server}: the server could not write ({reason}); {kept}. Free disk space on the database "
            "server (or repair its disk) and re-run"
        )
    if sqlstate.startswith("53"):  # memory, connections, a configured limit
        return StorageError(
            f"{server}: the server ran out of a resource ({reason}); {kept}. Raise the limit it names "
            "on the database server, or retry when it is less busy"
        )
    if sqlstate == "25006":
        return StorageError(
            f"{server}: the archive was opened read-only ({reason}); open it writable to change it"
        )
    if sqlstate in ("40P01", "40001"):
        return ArchiveError(
            f"{server}: another writer took the same rows at the same moment ({reason}); {kept}. Re-run: "
            "what is already archived is skipped"
        )
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError) and (
        not sqlstate or sqlstate.startswith(("08", "57P"))  # 57P: the server shut down or dropped us
    ):
        return ArchiveError(
            f"{server}: lost the connection to the database server ({reason}); {kept}. Check that the "
            "server is running and reachable, then re-run"
        )
    return ArchiveError(f"{server}: database error ({reason}); {kept}")


class _Pinned(threading.local):
    """The connection a thread's open transaction runs on (None outside a transaction)."""

    def __init__(self) -> None:
        self.conn: Connection | None = None


class PostgresConnections:
    """The store's pool and the statement helpers every table mixin uses."""

    def __init__(self, dsn: str, readonly: bool = False, max_connections: int = 8) -> None:
        self.dsn = dsn
        self.readonly = readonly
        self.server = server_name(dsn)
        self._pinned = _Pinned()
        options = "-c default_transaction_read_only=on" if readonly else ""
        self._connect_kwargs: dict[str, Any] = {
            "autocommit": True,
            "client_encoding": "UTF8",
            "application_name": "newsarchive",
            "connect_timeout": _CONNECT_TIMEOUT,
            "options": options,
        }
        self._pool: ConnectionPool[Connection] = ConnectionPool(
            dsn,
            kwargs=self._connect_kwargs,
            min_size=1,
            max_size=max(1, max_connections),
            timeout=_WAIT_FOR_CONNECTION,
            open=False,
            name="newsarchive",
        )

    def connect_once(self) -> Connection:
        """A connection of our own outside the pool (schema work at open): the server's own refusal
        ("connection refused", "database does not exist") is kept in the message."""
        try:
            return psycopg.connect(self.dsn, **self._connect_kwargs)
        except psycopg.Error as exc:
            reason = " ".join(str(exc).split())
            raise ArchiveError(
                f"{self.server}: cannot connect to the database server ({reason}); start PostgreSQL, create "
                "the database or fix the URL, then retry"
            ) from exc

    def open_pool(self) -> None:
        try:
            self._pool.open(wait=True, timeout=_CONNECT_TIMEOUT + 5)
        except psycopg.Error as exc:
            self._pool.close()
            raise archive_error(self.server, exc) from exc

    def close(self) -> None:
        self._pool.close()

    # -- transactions -------------------------------------------------------------------------
    def in_transaction(self) -> bool:
        return self._pinned.conn is not None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work on one connection; nested calls join the outer transaction.

        Any database error inside it, or at COMMIT, rolls it all back and surfaces as one
        ArchiveError (as SQLiteStore's transaction does).
        """
        if self._pinned.conn is not None:
            yield
            return
        try:
            with self._pool.connection() as conn:
                self._pinned.conn = conn
                try:
                    with conn.transaction():
                        yield
                finally:
                    self._pinned.conn = None
        except psycopg.Error as exc:
            raise archive_error(self.server, exc) from exc

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo just one item's writes when it fails, keeping the rest of the batch's transaction.

        An item's refused data (integrity, bad value) is re-raised as is for the caller to reject
        the item; a server failure stops the batch as an ArchiveError.
        """
        conn = self._pinned.conn
        if conn is None:
            with self.transaction(), self.savepoint():
                yield
            return
        try:
            with conn.transaction():
                yield
        except psycopg.Error as exc:
            if isinstance(exc, _DATA_ERRORS):
                raise
            raise archive_error(self.server, exc) from exc

    # -- statements ---------------------------------------------------------------------------
    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        """The thread's transaction connection, or a pooled one for this one call."""
        pinned = self._pinned.conn
        if pinned is not None:
            try:
                yield pinned
            except psycopg.Error as exc:
                if isinstance(exc, _DATA_ERRORS):
                    raise
                raise archive_error(self.server, exc) from exc
            return
        try:
            with self._pool.connection() as conn:
                yield conn
        except psycopg.Error as exc:
            if isinstance(exc, _DATA_ERRORS):
                raise
            raise archive_error(self.server, exc) from exc

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._connection() as conn:
            return conn.execute(sql, _storable(params)).fetchall()

    def _row(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        with self._connection() as conn:
            return conn.execute(sql, _storable(params)).fetchone()

    def _value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self._row(sql, params)
        return None if row is None else row[0]

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one write; returns the rows it touched."""
        with self._connection() as conn:
            return conn.execute(sql, _storable(params)).rowcount

    def _execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """One statement over many rows, pipelined by psycopg (one round trip, not one per row)."""
        rows = list(rows)
        if not rows:
            return
        with self._connection() as conn, conn.cursor() as cur:
            cur.executemany(sql, [_storable(row) for row in rows])

    @contextmanager
    def _batch(self) -> Iterator[None]:
        """Several writes as one unit sent in one pipeline (inside the caller's transaction, or a new one)."""
        with self.transaction(), self._connection() as conn, conn.pipeline():
            yield

    def _hold(self, kind: str, key: str) -> None:
        """Inside a transaction, wait for and hold a lock on one key until commit.

        Where SQLite relied on a single writer, a read that a write is based on (is this body
        stored? which lines reach the threshold?) takes this first: a second writer waits for the
        first one's commit, then its next statement sees the first one's rows.
        """
        if self._pinned.conn is not None:
            self._execute(_LOCK, (f"{kind}:{key}",))

    def _held_value(self, kind: str, key: str, sql: str, params: Sequence[Any]) -> Any:
        """``_hold`` then a one-value read, sent in one pipeline (one round trip, not two); the read
        still starts after the lock is granted, so it sees what the previous holder committed."""
        conn = self._pinned.conn
        if conn is None:
            return self._value(sql, params)
        with self._connection() as pinned, pinned.pipeline():
            pinned.execute(_LOCK, (f"{kind}:{key}",))
            row = pinned.execute(sql, _storable(params)).fetchone()
        return None if row is None else row[0]


_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))"


def _storable(params: Sequence[Any]) -> list[Any]:
    """Parameters PostgreSQL accepts: a NUL in text (which SQLite keeps and PostgreSQL refuses)
    becomes U+FFFD, so lengths and offsets into the text stay as they were, and a look-up by a
    key with a NUL finds nothing instead of failing."""
    return [_nul_free(p) if isinstance(p, str | list) else p for p in params]


def _nul_free(value: str | list[Any]) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    return [_nul_free(v) if isinstance(v, str) else v for v in value]
