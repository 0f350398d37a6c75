"""Server mode: the store in PostgreSQL, the search index derived from it on the server's disk.

``postgresql://user@host:5432/news?index=/srv/news-index`` — the ``index`` parameter (or the
``index_dir`` setting, or a folder under the user's data directory named after the database)
says where the tantivy index lives; it is rebuilt from the store whenever it is missing. Writers
take turns through a PostgreSQL advisory lock, held per unit of work like the directory's
``flock``: two ingests and the web's uploads at once lose nothing and double nothing, and a writer
that dies releases it with its connection.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newsarchive.backends import ArchiveParts
from newsarchive.errors import ArchiveBusyError, ArchiveError
from newsarchive.lock import ReentrantLock, WaitNotice
from newsarchive.settings import Settings

SCHEMES = ("postgresql://", "postgres://")
_LOCK_KEY = int.from_bytes(hashlib.blake2b(b"newsarchive writer", digest_size=8).digest(), "big", signed=True)
_POLL_S = 0.1


class PostgresBackend:
    """Archives in a PostgreSQL database (psycopg 3; the ``postgres`` extra)."""

    name = "postgresql"

    def handles(self, location: str) -> bool:
        return location.startswith(SCHEMES)

    def label(self, location: str) -> str:
        return redact(split_location(location)[0])

    def exists(self, location: str, settings: Settings) -> bool:
        dsn, _ = split_location(location)
        psycopg = _psycopg()
        try:
            with psycopg.connect(dsn, connect_timeout=10) as conn:
                row = conn.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()
                return bool(row and row[0])
        except psycopg.Error as exc:
            raise ArchiveError(_cannot_connect(dsn, exc)) from exc

    def create(self, location: str, settings: Settings) -> None:
        """Nothing to make outside the database: a writable open creates the tables."""

    def open(
        self, location: str, settings: Settings, readonly: bool, wait_notice: WaitNotice | None
    ) -> ArchiveParts:
        from newsarchive.index.tantivy_index import TantivyIndex
        from newsarchive.store.postgres import PostgresStore

        dsn, index_dir = split_location(location)
        folder = Path(index_dir or settings.index_dir or default_index_dir(dsn))
        lock = AdvisoryLock(dsn, settings.writer_wait, wait_notice)
        with lock.hold() if not readonly else _nothing():
            store = PostgresStore(dsn, readonly=readonly)
            try:
                if not readonly:
                    folder.mkdir(parents=True, exist_ok=True)
                index = TantivyIndex(folder, readonly=readonly)
            except Exception:
                store.close()
                raise
        return ArchiveParts(store, index, lock, redact(dsn))


def split_location(location: str) -> tuple[str, str | None]:
    """The connection string without our ``index`` parameter, and that parameter."""
    parts = urlsplit(location)
    query = parse_qsl(parts.query, keep_blank_values=True)
    index = next((v for k, v in query if k == "index"), None)
    rest = urlencode([(k, v) for k, v in query if k != "index"])
    return urlunsplit(parts._replace(query=rest)), index


def redact(dsn: str) -> str:
    """The connection string as messages may show it: no password."""
    parts = urlsplit(dsn)
    if parts.password is None:
        return dsn
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def default_index_dir(dsn: str) -> Path:
    """Where a server archive's index lives when not told: the user's data directory, one folder
    per database (named after it, plus a hash so two servers' databases of one name differ)."""
    parts = urlsplit(dsn)
    name = (parts.path.strip("/") or "newsarchive").replace("/", "_")
    key = hashlib.sha256(f"{parts.hostname}:{parts.port}/{name}".encode()).hexdigest()[:10]
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "newsarchive" / f"{name}-{key}-index"


class AdvisoryLock(ReentrantLock):
    """The archive's writer lock as a PostgreSQL session advisory lock on its own connection."""

    def __init__(self, dsn: str, wait: float | None = None, notice: WaitNotice | None = None) -> None:
        super().__init__(wait, notice)
        self.dsn = dsn
        self._conn: Any = None

    def _connection(self) -> Any:
        psycopg = _psycopg()
        if self._conn is None or self._conn.closed:
            try:
                self._conn = psycopg.connect(
                    self.dsn, autocommit=True, connect_timeout=10, application_name="newsarchive writer"
                )
            except psycopg.Error as exc:
                raise ArchiveError(_cannot_connect(self.dsn, exc)) from exc
        return self._conn

    def _acquire(self, wait: float | None) -> None:
        conn = self._connection()
        deadline = None if wait is None else time.monotonic() + wait
        told = False
        while True:
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", (_LOCK_KEY,)).fetchone()
            if row and row[0]:
                return
            if deadline is not None and time.monotonic() >= deadline:
                raise ArchiveBusyError(
                    f"{redact(self.dsn)}: another writer ({self._holder()}) still holds the archive after "
                    f"{wait:g} s; stopped before writing anything more. Re-run later (or with a longer "
                    "--wait) to continue: inputs already stored are skipped"
                )
            if not told and self.notice is not None:
                self.notice(f"waiting for another writer ({self._holder()}) to finish a batch…")
                told = True
            time.sleep(_POLL_S)

    def _release(self) -> None:
        if self._conn is not None and not self._conn.closed:
            self._conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))

    def _holder(self) -> str:
        """Who holds the lock: the other session's pid, client address and start of its query."""
        try:
            row = (
                self._connection()
                .execute(
                    "SELECT a.pid, a.client_addr FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s::bigint::oid "
                    "AND l.objid = %s::bigint::oid AND l.objsubid = 1 AND l.pid <> pg_backend_pid() LIMIT 1",
                    ((_LOCK_KEY >> 32) & 0xFFFFFFFF, _LOCK_KEY & 0xFFFFFFFF),
                )
                .fetchone()
            )
        except Exception:  # best effort: the message still says the archive is busy
            return "another session"
        if row is None:
            return "another session"
        return f"server pid {row[0]} from {row[1] or 'a local socket'}"

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:  # the extra is not installed
        raise ArchiveError("server mode needs psycopg: pip install 'newsarchive[postgres]'") from exc
    return psycopg


def _cannot_connect(dsn: str, exc: BaseException) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (
        f"{redact(dsn)}: cannot connect to PostgreSQL ({first}); check that the server runs, the "
        "database exists (createdb) and the user may connect"
    )
