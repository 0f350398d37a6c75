"""SQLite store: the embedded source of truth (WAL mode), one file in the archive directory.

Originals are kept compressed (store/blobs.py) with their SHA-256; articles keep the blocks their body was
built from so site chrome can be re-applied without re-parsing. Every batch is one transaction,
so a kill at any moment leaves either all of a batch or none of it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.errors import ArchiveError, DamagedCaptureError, StorageError
from newsarchive.model import Article, Capture, CaptureRef, Reject, Skip
from newsarchive.store import blobs
from newsarchive.store.base import (
    ArticleDraft,
    CaptureInfo,
    ExportRow,
    Store,
    StoredCapture,
    printable,
    renormalised,
)
from newsarchive.store.sqlite_dedup import DEDUP_SCHEMA, LEGACY_TABLES, DedupTables
from newsarchive.store.sqlite_enrichment import EnrichmentTables

log = logging.getLogger(__name__)

SCHEMA_VERSION = 5
_ABOVE_ANY = "\U0010ffff"
"""Sorts after every character (UTF-8 byte order): ``[p, p + _ABOVE_ANY)`` holds the ids starting with ``p``."""

_ADDED_COLUMNS = {
    # version 2: enrichment flag per article, stale flag per site
    ("articles", "enrich_wanted"): "INTEGER NOT NULL DEFAULT 0",
    ("sites", "stale"): "INTEGER NOT NULL DEFAULT 0",
    # version 3: clusters from verified pairs, versions of one URL
    ("articles", "representative"): "INTEGER NOT NULL DEFAULT 1",
    ("articles", "url_key"): "TEXT",
    ("articles", "latest"): "INTEGER NOT NULL DEFAULT 1",
    ("signatures", "shingles"): "INTEGER NOT NULL DEFAULT 0",
    ("signatures", "bands"): "BLOB",
    # version 4: publication dates normalised, with the time and the value as given
    ("articles", "published_time"): "TEXT",
    ("articles", "published_raw"): "TEXT",
    ("articles", "body_offset"): "INTEGER NOT NULL DEFAULT 0",
    # version 5: mentions resolved by coreference (pronouns, descriptions, speakers) beside names;
    # the entity_links table of names linked across articles is created with the others
    ("mentions", "kind"): "TEXT NOT NULL DEFAULT 'name'",
}
"""Columns added since version 1; an older archive gets them with ALTER TABLE at open."""

_INDEXES_ON_ADDED = """
CREATE INDEX IF NOT EXISTS articles_url_key ON articles(url_key);
"""
"""Indexes over added columns: created once the columns exist (after a migration)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS captures (
    sha256 TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    url TEXT,
    fetched_at TEXT,
    content_type TEXT,
    format TEXT NOT NULL,
    hints TEXT NOT NULL,
    raw BLOB NOT NULL,
    raw_size INTEGER NOT NULL,
    ingested_at TEXT NOT NULL,
    article_id TEXT
);
CREATE INDEX IF NOT EXISTS captures_article ON captures(article_id);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    url TEXT,
    source TEXT NOT NULL,
    site TEXT NOT NULL,
    title TEXT NOT NULL,
    authors TEXT NOT NULL,
    published TEXT,
    published_from TEXT,
    section TEXT,
    language TEXT,
    captions TEXT NOT NULL,
    media_ids TEXT NOT NULL,
    word_count INTEGER NOT NULL,
    body_hash TEXT NOT NULL,
    cluster_id TEXT,
    representative INTEGER NOT NULL DEFAULT 1,
    url_key TEXT,
    latest INTEGER NOT NULL DEFAULT 1,
    published_time TEXT,
    published_raw TEXT,
    body_offset INTEGER NOT NULL DEFAULT 0,
    indexed INTEGER NOT NULL DEFAULT 0,
    deduped INTEGER NOT NULL DEFAULT 0,
    enrich_wanted INTEGER NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL,
    -- the big columns last: SQLite walks a row's overflow pages to reach any column after them
    body TEXT NOT NULL,
    removed TEXT NOT NULL,
    blocks BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_seq ON articles(seq);
CREATE INDEX IF NOT EXISTS articles_body_hash ON articles(body_hash);
CREATE INDEX IF NOT EXISTS articles_site ON articles(site, seq);
CREATE INDEX IF NOT EXISTS articles_url ON articles(url);
CREATE INDEX IF NOT EXISTS articles_cluster ON articles(cluster_id);
CREATE INDEX IF NOT EXISTS articles_indexed ON articles(indexed) WHERE indexed = 0;
CREATE INDEX IF NOT EXISTS articles_deduped ON articles(deduped) WHERE deduped = 0;
CREATE TABLE IF NOT EXISTS index_deletes (article_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS rejects (
    origin TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (origin, reason)
);
CREATE TABLE IF NOT EXISTS skipped (
    article_id TEXT NOT NULL, stage TEXT NOT NULL, body_hash TEXT NOT NULL, reason TEXT NOT NULL,
    at TEXT NOT NULL, PRIMARY KEY (article_id, stage)
);
CREATE TABLE IF NOT EXISTS sites (site TEXT PRIMARY KEY, chrome TEXT NOT NULL, stale INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS merged_ids (old_id TEXT PRIMARY KEY, into_id TEXT NOT NULL);
"""

_ARTICLE_COLUMNS = (
    "id, url, source, site, title, authors, published, published_from, section, language, body, "
    "captions, media_ids, word_count, body_hash, cluster_id, removed, published_time, published_raw, body_offset"
)
_READ_COLUMNS = _ARTICLE_COLUMNS + ", representative, latest"
"""What a read returns: the written columns plus the flags the duplicate step sets."""


class SQLiteStore(EnrichmentTables, DedupTables):
    """The default Store: one SQLite file, WAL mode, batches as transactions.

    The store owns its connections: a writable store has one (writers take turns through the
    archive's lock); a read-only store opens one per thread on first use, so the web's request
    threads share one store and their queries run side by side (SQLite releases the GIL while it
    works, and a connection is not meant for two threads at once).
    """

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._writer: sqlite3.Connection | None = None
        try:
            if readonly:
                self._db.execute("SELECT 1 FROM meta LIMIT 1")  # a damaged or foreign file fails here
            else:
                self._writer = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
                self._db.execute("PRAGMA busy_timeout = 30000")
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                # 64 MB of page cache: LSH buckets are written at random keys, and a miss per row
                # made the duplicate step 2x slower on a 5,000-article ingest
                self._db.execute("PRAGMA cache_size = -65536")
                self._db.executescript(_SCHEMA)
                self._db.executescript(DEDUP_SCHEMA)
                self.create_enrichment_tables()
                self._check_version()
                self._db.executescript(_INDEXES_ON_ADDED)
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"{path}: cannot open the archive database ({exc})") from exc
        self._in_tx = False

    def _check_version(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is not None and int(row[0]) < SCHEMA_VERSION:
            self._migrate(int(row[0]))
            row = None
        if row is None:
            self._db.execute(
                "INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (str(SCHEMA_VERSION),),
            )
        elif int(row[0]) != SCHEMA_VERSION:
            raise ArchiveError(
                f"{self.path}: archive schema version {row[0]} is not supported by this newsarchive "
                f"(expects {SCHEMA_VERSION}); use a matching newsarchive version or re-ingest"
            )

    def _migrate(self, version: int) -> None:
        """Bring an older archive's tables up to this version in place (only additive changes so far).

        Before version 3 clusters were grown greedily in arrival order: every article is compared
        again under the pair rule at the next ingest (``deduped`` reset), keeping the old
        clusters until then.
        """
        for (table, column), decl in _ADDED_COLUMNS.items():
            present = {r[1] for r in self._db.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
        if version < 3:
            for table in LEGACY_TABLES:
                self._db.execute(f"DROP TABLE IF EXISTS {table}")
            self._db.execute("DELETE FROM signatures")
            self._db.execute("UPDATE articles SET deduped = 0")
        if version < 4:
            self._renormalise_dates()

    def _renormalise_dates(self) -> None:
        """Version 4 stores ``published`` as an ISO date with the time and the given value beside
        it: dates stored as typed by older versions ("15 May 2025", epoch seconds, timestamps) are
        read again by the one date rule, in one transaction, and re-indexed (filters and sorting
        see them) and re-enriched (relative dates in the text are resolved against the date)."""
        rows = self._db.execute(
            "SELECT id, published FROM articles WHERE published IS NOT NULL AND published_time IS NULL"
        ).fetchall()
        updates = []
        for article_id, value in rows:
            date, time, raw = renormalised(value)
            if (date, time) != (value, None):
                updates.append((date, time, raw, article_id))
        if not updates:
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(
                "UPDATE articles SET published = ?, published_time = ?, published_raw = ?, indexed = 0 "
                "WHERE id = ?",
                updates,
            )
            self._db.executemany("DELETE FROM enriched WHERE article_id = ?", [(u[3],) for u in updates])
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        log.info("%s: %d publication dates read again as ISO 8601", self.path, len(updates))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work; nested calls join the outer transaction.

        A full disk makes SQLite roll the transaction back by itself, so ROLLBACK is only sent
        while one is still open, and the failure surfaces as one StorageError, not two tracebacks.
        """
        if self._in_tx:
            yield
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _storage_error(self.path, exc) from exc
        self._in_tx = True
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException as exc:
            if self._db.in_transaction:
                # a failing ROLLBACK means SQLite already undid it: nothing was committed either way
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise _storage_error(self.path, exc) from exc
            raise
        finally:
            self._in_tx = False

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo just one item's writes when it fails, keeping the rest of the batch's transaction."""
        if not self._in_tx:
            with self.transaction(), self.savepoint():
                yield
            return
        self._db.execute("SAVEPOINT item")
        try:
            yield
        except BaseException as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK TO item")
                self._db.execute("RELEASE item")
            if isinstance(exc, sqlite3.OperationalError):  # the database, not the item: stop the batch
                raise _storage_error(self.path, exc) from exc
            raise
        else:
            self._db.execute("RELEASE item")

    @property
    def _db(self) -> sqlite3.Connection:
        """This thread's connection (read-only stores), or the writer's."""
        if self._writer is not None:
            return self._writer
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                f"file:{self.path}?mode=ro", uri=True, check_same_thread=False, isolation_level=None
            )
            conn.execute("PRAGMA busy_timeout = 30000")
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
        self._local = threading.local()

    # -- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- captures ---------------------------------------------------------------------------
    def known_captures(self, shas: Iterable[str]) -> set[str]:
        """Which of these captures are stored already (one query per 500, not one per capture)."""
        known: set[str] = set()
        for chunk in _chunks(list(dict.fromkeys(shas)), 500):
            known.update(
                str(row[0])
                for row in self._db.execute(
                    f"SELECT sha256 FROM captures WHERE sha256 IN ({','.join('?' * len(chunk))})", chunk
                )
            )
        return known

    def add_capture(self, capture: Capture, article_id: str | None, ingested_at: str) -> None:
        """Keep a capture's bytes; its origin is stored in a printable form even if not valid UTF-8."""
        self._db.execute(
            "INSERT OR IGNORE INTO captures(sha256, origin, url, fetched_at, content_type, format, hints, "
            "raw, raw_size, ingested_at, article_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                capture.sha256,
                printable(capture.origin),
                capture.url and printable(capture.url),
                capture.fetched_at,
                capture.content_type,
                capture.format,
                json.dumps(_kept_hints(capture)),
                blobs.pack(capture.raw),
                len(capture.raw),
                ingested_at,
                article_id,
            ),
        )

    def get_capture(self, sha256: str) -> StoredCapture | None:
        row = self._db.execute(
            "SELECT sha256, origin, ingested_at, url, fetched_at, article_id, format, content_type, hints, raw "
            "FROM captures WHERE sha256 = ?",
            (sha256,),
        ).fetchone()
        return None if row is None else _stored_capture(row)

    def capture_infos(self, shas: Iterable[str]) -> dict[str, CaptureInfo]:
        """Format, type and size of captures, from their columns (the bytes stay compressed)."""
        found: dict[str, CaptureInfo] = {}
        for chunk in _chunks(list(shas), 500):
            for sha, fmt, content_type, size in self._db.execute(
                f"SELECT sha256, format, content_type, raw_size FROM captures "
                f"WHERE sha256 IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                found[str(sha)] = CaptureInfo(str(sha), str(fmt), content_type, int(size))
        return found

    def iter_captures(self) -> Iterator[StoredCapture]:
        """Every capture in ingest order, read a page at a time: the caller may write between pages
        (reextract does), and a whole crawl's originals never sit in memory at once."""
        last = 0
        while True:
            rows = self._db.execute(
                "SELECT rowid, sha256, origin, ingested_at, url, fetched_at, article_id, format, content_type, "
                "hints, raw FROM captures WHERE rowid > ? ORDER BY rowid LIMIT 200",
                (last,),
            ).fetchall()
            if not rows:
                return
            last = int(rows[-1][0])
            for row in rows:
                try:
                    yield _stored_capture(row[1:])
                except ArchiveError as exc:  # one damaged capture must not end a walk over all of them
                    log.error("%s", exc)

    def relink_captures(self, from_article: str, to_article: str) -> None:
        self._db.execute(
            "UPDATE captures SET article_id = ? WHERE article_id = ?", (to_article, from_article)
        )

    def move_capture(self, sha256: str, article_id: str) -> None:
        """Give one capture to another article (a duplicate that turned out to be its own story)."""
        self._db.execute("UPDATE captures SET article_id = ? WHERE sha256 = ?", (article_id, sha256))

    # -- articles ---------------------------------------------------------------------------
    def article_by_body_hash(self, body_hash: str) -> str | None:
        row = self._db.execute(
            "SELECT id FROM articles WHERE body_hash = ? ORDER BY seq LIMIT 1", (body_hash,)
        ).fetchone()
        return None if row is None else str(row[0])

    def insert_article(self, draft: ArticleDraft, enrich: bool = False) -> None:
        """Store a new article; ``enrich`` flags it for enrichment by the ingest that stored it."""
        a = draft.article
        seq = self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0]
        self._db.execute(
            f"INSERT INTO articles({_ARTICLE_COLUMNS}, blocks, indexed, deduped, enrich_wanted, seq) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,0,?,?)",
            (*_article_values(a), _pack(draft), int(enrich), seq),
        )
        self._db.execute("DELETE FROM merged_ids WHERE old_id = ?", (a.id,))  # it is an article again

    def replace_article(self, draft: ArticleDraft) -> None:
        """Rewrite an article's extracted fields (after chrome learning); it must be re-deduped and re-indexed."""
        a = draft.article
        values = _article_values(a)
        self._db.execute(
            "UPDATE articles SET url=?, source=?, site=?, title=?, authors=?, published=?, published_from=?, "
            "section=?, language=?, body=?, captions=?, media_ids=?, word_count=?, body_hash=?, cluster_id=?, "
            "removed=?, published_time=?, published_raw=?, body_offset=?, blocks=?, indexed=0, deduped=0 WHERE id=?",
            (*values[1:], _pack(draft), a.id),
        )
        self.drop_signature(a.id)
        self.delete_enrichment(a.id)  # its offsets point into the old body
        self._db.execute("DELETE FROM skipped WHERE article_id = ?", (a.id,))

    def delete_article(self, article_id: str, merged_into: str | None) -> None:
        """Remove an article that turned out to be an exact duplicate; its captures move to the
        survivor and its id keeps resolving to it (links and citations stay valid). With no
        survivor (``None``: it was no article) its captures are kept unlinked and nothing resolves
        to it any more.

        The caller re-clusters the members of the cluster it left.
        """
        if merged_into is None:
            self._db.execute("UPDATE captures SET article_id = NULL WHERE article_id = ?", (article_id,))
            self._db.execute("DELETE FROM merged_ids WHERE into_id = ?", (article_id,))
            merged_into = article_id  # the merged_ids statements below then leave no row for it
        self.relink_captures(article_id, merged_into)
        self._db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        self.forget_dedup(article_id)
        self._db.execute("DELETE FROM edge_lines WHERE article_id = ?", (article_id,))
        self.delete_enrichment(article_id)
        self._db.execute("DELETE FROM skipped WHERE article_id = ?", (article_id,))
        self._db.execute("INSERT OR IGNORE INTO index_deletes(article_id) VALUES (?)", (article_id,))
        self._db.execute("UPDATE merged_ids SET into_id = ? WHERE into_id = ?", (merged_into, article_id))
        self._db.execute(
            "INSERT OR REPLACE INTO merged_ids(old_id, into_id) VALUES (?, ?)", (article_id, merged_into)
        )
        self._db.execute("DELETE FROM merged_ids WHERE old_id = ?", (merged_into,))

    def resolve_merged(self, article_id: str) -> str | None:
        """The article a deleted duplicate was merged into, if it was."""
        row = self._db.execute("SELECT into_id FROM merged_ids WHERE old_id = ?", (article_id,)).fetchone()
        return None if row is None else str(row[0])

    def merged_ids_with_prefix(self, prefix: str, limit: int) -> list[str]:
        """Ids of merged-away duplicates starting with ``prefix`` (old links), in id order."""
        return self._keys_with_prefix("merged_ids", "old_id", prefix, limit)

    def ids_with_prefix(self, prefix: str, limit: int) -> list[str]:
        """Ids starting with ``prefix``, in id order, at most ``limit``: a range of the primary key."""
        return self._keys_with_prefix("articles", "id", prefix, limit)

    def _keys_with_prefix(self, table: str, column: str, prefix: str, limit: int) -> list[str]:
        rows = self._db.execute(
            f"SELECT {column} FROM {table} WHERE {column} >= ? AND {column} < ? ORDER BY {column} LIMIT ?",
            (prefix, prefix + _ABOVE_ANY, limit),
        ).fetchall()
        return [str(r[0]) for r in rows if str(r[0]).startswith(prefix)]

    def get_article(self, article_id: str) -> Article | None:
        found = self.get_articles([article_id])
        return found.get(article_id)

    def get_articles(self, ids: Iterable[str]) -> dict[str, Article]:
        wanted = list(dict.fromkeys(ids))
        out: dict[str, Article] = {}
        for chunk in _chunks(wanted, 500):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT {_READ_COLUMNS} FROM articles WHERE id IN ({marks})", chunk
            ).fetchall()
            for row in rows:
                out[row[0]] = _article(row)
        self._attach_captures(out)
        return out

    def export_rows(self, ids: Sequence[str]) -> list[ExportRow]:
        """One query a chunk, captures folded into JSON text by SQLite itself: a second query and a
        record per capture were a third of an export's time."""
        found: dict[str, ExportRow] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for values in self._db.execute(f"{_EXPORT_SELECT} WHERE a.id IN ({marks})", chunk):
                row = ExportRow._make((*values[:17], values[17] == 1, values[18] == 1, values[19]))
                if "\\u" in row.authors or "\\u" in row.captions or "\\u" in row.media_ids:
                    row = _unescaped(row)
                found[row.id] = row
        return [found[i] for i in ids if i in found]

    def _attach_captures(self, articles: dict[str, Article]) -> None:
        ids = list(articles)
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                "SELECT article_id, sha256, origin, ingested_at, url, fetched_at FROM captures "
                f"WHERE article_id IN ({marks}) ORDER BY rowid",
                chunk,
            ).fetchall()
            for article_id, sha, origin, ingested_at, url, fetched_at in rows:
                articles[article_id].captures.append(CaptureRef(sha, origin, ingested_at, url, fetched_at))

    def iter_articles(self, site: str | None = None, with_captures: bool = True) -> Iterator[Article]:
        """All articles in ingest order, streamed in pages so a big archive never sits in memory."""
        last = 0
        while True:
            where = "seq > ?" + (" AND site = ?" if site is not None else "")
            params: tuple[Any, ...] = (last, site) if site is not None else (last,)
            rows = self._db.execute(
                f"SELECT {_READ_COLUMNS}, seq FROM articles WHERE {where} ORDER BY seq LIMIT 500", params
            ).fetchall()
            if not rows:
                return
            page = {row[0]: _article(row[:-1]) for row in rows}
            if with_captures:
                self._attach_captures(page)
            yield from page.values()
            last = rows[-1][-1]

    def cluster_sizes(self, cluster_ids: Iterable[str]) -> dict[str, int]:
        """How many articles each of these near-duplicate clusters holds (absent: none)."""
        wanted = list(dict.fromkeys(cluster_ids))
        sizes: dict[str, int] = {}
        for chunk in _chunks(wanted, 500):
            marks = ",".join("?" * len(chunk))
            sizes.update(
                (str(cluster), int(n))
                for cluster, n in self._db.execute(
                    f"SELECT cluster_id, COUNT(*) FROM articles WHERE cluster_id IN ({marks}) GROUP BY cluster_id",
                    chunk,
                )
            )
        return sizes

    def article_blocks(self, article_id: str) -> list[str]:
        row = self._db.execute("SELECT blocks FROM articles WHERE id = ?", (article_id,)).fetchone()
        return [] if row is None else _unpack(row[0])[0]

    def site_drafts(self, site: str) -> Iterator[ArticleDraft]:
        """A site's articles with their blocks, streamed in pages, for re-applying learned chrome."""
        last = 0
        while True:
            rows = self._db.execute(
                f"SELECT {_READ_COLUMNS}, blocks, seq FROM articles WHERE site = ? AND seq > ? "
                "ORDER BY seq LIMIT 500",
                (site, last),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                blocks, base_removed = _unpack(row[-2])
                yield ArticleDraft(_article(row[:-2]), blocks, base_removed)
            last = rows[-1][-1]

    def url_versions(self, article_id: str) -> list[Article]:
        """Every version of the article's URL (itself included), oldest capture first."""
        row = self._db.execute("SELECT url_key FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None or row[0] is None:
            return []
        ids = [
            str(r[0])
            for r in self._db.execute(
                "SELECT a.id FROM articles a LEFT JOIN captures c ON c.article_id = a.id "
                "WHERE a.url_key = ? GROUP BY a.id ORDER BY COALESCE(MAX(c.fetched_at), a.published, ''), a.id "
                "LIMIT 500",
                (row[0],),
            )
        ]
        found = self.get_articles(ids)
        return [found[i] for i in ids if i in found]

    def article_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    # -- rejects ----------------------------------------------------------------------------
    def add_reject(self, reject: Reject) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO rejects(origin, reason) VALUES (?, ?)",
            (printable(reject.origin), printable(reject.reason)),
        )

    def drop_reject(self, reject: Reject) -> None:
        """Forget a reject that no longer holds (a page the site's chrome emptied only for a while)."""
        self._db.execute(
            "DELETE FROM rejects WHERE origin = ? AND reason = ?",
            (printable(reject.origin), printable(reject.reason)),
        )

    # -- skipped work -----------------------------------------------------------------------
    def put_skip(self, skip: Skip) -> None:
        """Record that one article's enrichment or indexing failed, so it is not retried on every run.

        Keyed by body hash: an article whose body changes (re-extraction, chrome) is tried again.
        """
        self._db.execute(
            "INSERT INTO skipped(article_id, stage, body_hash, reason, at) VALUES (?,?,?,?,?) "
            "ON CONFLICT(article_id, stage) DO UPDATE SET body_hash = excluded.body_hash, "
            "reason = excluded.reason, at = excluded.at",
            (skip.article_id, skip.stage, skip.body_hash, printable(skip.reason), skip.at),
        )
        if skip.stage == "index":
            self._db.execute("UPDATE articles SET indexed = 2 WHERE id = ?", (skip.article_id,))

    def skips(self) -> list[Skip]:
        try:
            rows = self._db.execute(
                "SELECT article_id, stage, body_hash, reason, at FROM skipped ORDER BY at, article_id"
            ).fetchall()
        except sqlite3.OperationalError:  # an archive from before this table, opened read-only
            return []
        return [Skip(*map(str, row)) for row in rows]  # type: ignore[arg-type]

    def rejects(self) -> list[Reject]:
        return [
            Reject(o, r)
            for o, r in self._db.execute("SELECT origin, reason FROM rejects ORDER BY at, origin")
        ]

    # -- site chrome ------------------------------------------------------------------------
    def get_site_chrome(self, site: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT chrome FROM sites WHERE site = ?", (site,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def put_site_chrome(self, site: str, chrome: dict[str, Any], stale: bool = False) -> None:
        """Save a site's learned chrome; ``stale`` marks its older articles as needing re-cleaning."""
        self._db.execute(
            "INSERT INTO sites(site, chrome, stale) VALUES (?, ?, ?) ON CONFLICT(site) DO UPDATE SET "
            "chrome = excluded.chrome, stale = MAX(sites.stale, excluded.stale)",
            (site, json.dumps(chrome), int(stale)),
        )

    def stale_sites(self) -> list[str]:
        return [str(r[0]) for r in self._db.execute("SELECT site FROM sites WHERE stale = 1 ORDER BY site")]

    def mark_site_fresh(self, site: str) -> None:
        self._db.execute("UPDATE sites SET stale = 0 WHERE site = ?", (site,))

    # -- index bookkeeping ------------------------------------------------------------------
    def pending_index(self, limit: int) -> list[Article]:
        ids = [
            str(r[0])
            for r in self._db.execute(
                "SELECT id FROM articles WHERE indexed = 0 ORDER BY seq LIMIT ?", (limit,)
            )
        ]
        found = self.get_articles(ids)
        return [found[i] for i in ids if i in found]

    def pending_index_deletes(self) -> list[str]:
        return [str(r[0]) for r in self._db.execute("SELECT article_id FROM index_deletes")]

    def mark_indexed(self, ids: Iterable[str], deleted: Iterable[str]) -> None:
        self._db.executemany("UPDATE articles SET indexed = 1 WHERE id = ?", [(i,) for i in ids])
        self._db.executemany("DELETE FROM index_deletes WHERE article_id = ?", [(i,) for i in deleted])

    def mark_unindexed(self, article_id: str) -> None:
        self._db.execute("UPDATE articles SET indexed = 0 WHERE id = ?", (article_id,))

    def mark_cluster_unindexed(self, cluster_id: str) -> None:
        self._db.execute("UPDATE articles SET indexed = 0 WHERE cluster_id = ?", (cluster_id,))

    def count_indexed(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles WHERE indexed = 1").fetchone()[0])

    def count_unindexed(self) -> int:
        """Articles stored but not yet searchable (an interrupted or running ingest); skipped ones excluded."""
        return int(self._db.execute("SELECT COUNT(*) FROM articles WHERE indexed = 0").fetchone()[0])

    def iter_index_batches(self, size: int) -> Iterator[list[Article]]:
        """Every article that can be indexed, in batches (a rebuild reads them all once)."""
        last = -1
        while True:
            rows = self._db.execute(
                "SELECT id, seq FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (last, size)
            ).fetchall()
            if not rows:
                return
            last = int(rows[-1][1])
            ids = [str(r[0]) for r in rows]
            found = self.get_articles(ids)
            yield [found[i] for i in ids if i in found]

    def mark_all_indexed(self, except_ids: Iterable[str] = ()) -> None:
        """After a rebuild: every article is in the index but those that could not be indexed."""
        self._db.execute("UPDATE articles SET indexed = 1")
        self._db.execute("DELETE FROM index_deletes")
        self._db.executemany("UPDATE articles SET indexed = 2 WHERE id = ?", [(i,) for i in except_ids])

    # -- summaries --------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        q = self._db.execute

        def grouped(sql: str) -> dict[str, int]:
            return {("unknown" if k is None else str(k)): int(n) for k, n in q(sql)}

        return {
            "articles": int(q("SELECT COUNT(*) FROM articles").fetchone()[0]),
            "indexed": self.count_indexed(),
            "unindexed": self.count_unindexed(),
            "captures": int(q("SELECT COUNT(*) FROM captures").fetchone()[0]),
            "stories": int(
                q("SELECT COUNT(*) FROM articles WHERE representative = 1 AND latest = 1").fetchone()[0]
            ),
            "clusters": int(
                q(
                    "SELECT COUNT(*) FROM (SELECT cluster_id FROM articles WHERE latest = 1 "
                    "GROUP BY cluster_id HAVING COUNT(*) > 1)"
                ).fetchone()[0]
            ),
            "copies": int(
                q("SELECT COUNT(*) FROM articles WHERE representative = 0 AND latest = 1").fetchone()[0]
            ),
            "versions": int(q("SELECT COUNT(*) FROM articles WHERE latest = 0").fetchone()[0]),
            "rejects": [{"origin": r.origin, "reason": r.reason} for r in self.rejects()],
            "skipped": [
                {"article_id": k.article_id, "stage": k.stage, "reason": k.reason, "at": k.at}
                for k in self.skips()
            ],
            "by_source": grouped("SELECT source, COUNT(*) FROM articles GROUP BY source ORDER BY 2 DESC"),
            "by_section": grouped("SELECT section, COUNT(*) FROM articles GROUP BY section ORDER BY 2 DESC"),
            "by_year": grouped(
                "SELECT substr(published, 1, 4), COUNT(*) FROM articles GROUP BY 1 ORDER BY 1"
            ),
            "by_language": grouped(
                "SELECT language, COUNT(*) FROM articles GROUP BY language ORDER BY 2 DESC"
            ),
        }

    def source_months(self, source: str) -> dict[str, int]:
        return {
            str(m): int(n)
            for m, n in self._db.execute(
                "SELECT substr(published, 1, 7), COUNT(*) FROM articles WHERE source = ? AND published IS NOT NULL "
                "GROUP BY 1 ORDER BY 1",
                (source,),
            )
        }

    def source_sections(self, source: str) -> dict[str, int]:
        return {
            ("unknown" if s is None else str(s)): int(n)
            for s, n in self._db.execute(
                "SELECT section, COUNT(*) FROM articles WHERE source = ? GROUP BY 1 ORDER BY 2 DESC LIMIT 50",
                (source,),
            )
        }

    def source_latest(self, source: str, limit: int) -> list[Article]:
        ids = [
            str(r[0])
            for r in self._db.execute(
                "SELECT id FROM articles WHERE source = ? ORDER BY published DESC, seq DESC LIMIT ?",
                (source, limit),
            )
        ]
        found = self.get_articles(ids)
        return [found[i] for i in ids if i in found]


def _storage_error(path: Path, exc: sqlite3.Error) -> ArchiveError:
    """Our error for a failed write: a full disk is said plainly, others name SQLite's reason."""
    message = str(exc)
    if "full" in message or "I/O" in message or "readonly" in message or "read-only" in message:
        return StorageError(
            f"{path}: the database could not be written ({message}); nothing of the batch in flight was "
            "kept, everything committed before is intact. Free disk space (or fix permissions) and re-run"
        )
    return ArchiveError(f"{path}: database error ({message}); the batch in flight was rolled back")


def _kept_hints(capture: Capture) -> dict[str, str]:
    """Hints to keep with a capture; an ``html`` hint is dropped only when it is the raw bytes again."""
    hints = dict(capture.hints)
    html = hints.get("html")
    if html is not None and html.encode("utf-8", "surrogatepass") == capture.raw:
        del hints["html"]
    return hints


def _pack(draft: ArticleDraft) -> bytes:
    data = {"blocks": draft.blocks, "removed": draft.base_removed}
    return blobs.pack(json.dumps(data).encode("utf-8"))


def _unpack(blob: bytes) -> tuple[list[str], list[str]]:
    data = json.loads(blobs.unpack(blob).decode("utf-8"))
    return list(data["blocks"]), list(data["removed"])


def _article_values(a: Article) -> tuple[Any, ...]:
    return (
        a.id,
        a.url,
        a.source,
        a.site,
        a.title,
        json.dumps(a.authors),
        a.published,
        a.published_from,
        a.section,
        a.language,
        a.body,
        json.dumps(a.captions),
        json.dumps(a.media_ids),
        a.word_count,
        a.body_hash,
        a.cluster_id,
        json.dumps(a.removed),
        a.published_time,
        a.published_raw,
        a.body_offset,
    )


def _list(text: str) -> list[Any]:
    """A stored JSON list; most are empty, and ``json.loads`` costs a microsecond even then."""
    return [] if text == "[]" else list(json.loads(text))


def _article(row: tuple[Any, ...]) -> Article:
    return Article(
        id=row[0],
        url=row[1],
        source=row[2],
        site=row[3],
        title=row[4],
        authors=_list(row[5]),
        published=row[6],
        published_from=row[7],
        section=row[8],
        language=row[9],
        body=row[10],
        captions=_list(row[11]),
        media_ids=_list(row[12]),
        word_count=row[13],
        body_hash=row[14],
        cluster_id=row[15],
        removed=_list(row[16]),
        published_time=row[17],
        published_raw=row[18],
        body_offset=row[19] or 0,
        representative=bool(row[20]),
        latest=bool(row[21]),
    )


_CAPTURES_JSON = (
    # CaptureRef.to_json as json.dumps writes it (json_quote escapes as it does)
    "coalesce((SELECT '[' || group_concat('{\"sha256\": ' || json_quote(sha256) || ', \"origin\": ' || "
    "json_quote(origin) || ', \"ingested_at\": ' || json_quote(ingested_at) || '}', ', ') || ']' "
    "FROM (SELECT sha256, origin, ingested_at FROM captures c WHERE c.article_id = a.id ORDER BY c.rowid)), '[]')"
)
_EXPORT_SELECT = (
    "SELECT id, url, source, title, authors, published, published_time, published_raw, published_from, "
    "section, language, body, coalesce(body_offset, 0), captions, media_ids, word_count, cluster_id, "
    f"representative, latest, {_CAPTURES_JSON} FROM articles a"
)
"""Export rows in ``ExportRow`` order; the stored JSON lists stay text."""


def _unescaped(row: ExportRow) -> ExportRow:
    """The row's lists as ``json.dumps(…, ensure_ascii=False)`` writes them: the store wrote them
    ASCII-escaped, so text holding an escape takes a round trip."""

    def text(stored: str) -> str:
        return json.dumps(json.loads(stored), ensure_ascii=False) if "\\u" in stored else stored

    return row._replace(authors=text(row.authors), captions=text(row.captions), media_ids=text(row.media_ids))


def _stored_capture(row: tuple[Any, ...]) -> StoredCapture:
    sha, origin, ingested_at, url, fetched_at, article_id, fmt, content_type, hints, raw = row
    try:
        original = blobs.unpack(raw)
    except blobs.DamagedBlob as exc:  # damaged on disk: say which capture
        raise DamagedCaptureError(
            f"capture {sha} ({origin}) is damaged in the database ({exc}); restore the archive from a "
            "backup or ingest its source again"
        ) from exc
    return StoredCapture(
        ref=CaptureRef(sha, origin, ingested_at, url, fetched_at),
        article_id=article_id,
        format=fmt,
        content_type=content_type,
        hints=json.loads(hints),
        raw=original,
    )


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


if TYPE_CHECKING:  # mypy checks that SQLiteStore implements every method of the Store protocol
    _implements_store: type[Store] = SQLiteStore
