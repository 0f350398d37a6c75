"""PostgreSQL store: the server-mode source of truth, for many users and several writers at once.

Same meaning as SQLiteStore, method for method (tests/contract runs one suite on both), with
what a shared server needs: a psycopg pool owned by the store (store/postgres_connection.py),
transactions pinned to one connection, and writes that stay right when two ingests and the
web's uploads run at once, where SQLite relied on its single writer: ``seq`` from identity
columns, ``INSERT … ON CONFLICT`` for everything stored once (captures, articles, rejects,
pairs, buckets), and a transaction-scoped advisory lock on the key a read-then-write is based
on (a body hash, a site's edge lines, an article's enrichment), so the second writer waits for
the first one's commit and then sees its rows. Capture bytes are ``bytea`` compressed by
store/blobs.py, keyed by SHA-256, so an archive reads the same on either backend.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from newsarchive.errors import ArchiveError, DamagedCaptureError
from newsarchive.model import Article, Capture, CaptureRef, Reject, Skip
from newsarchive.store import blobs
from newsarchive.store.base import ArticleDraft, CaptureInfo, ExportRow, Store, StoredCapture, printable
from newsarchive.store.postgres_connection import Row, first_line
from newsarchive.store.postgres_dedup import PostgresDedup
from newsarchive.store.postgres_enrichment import PostgresEnrichment
from newsarchive.store.postgres_schema import prepare

log = logging.getLogger(__name__)

_ARTICLE_COLUMNS = (
    "id, url, source, site, title, authors, published, published_from, section, language, body, "
    "captions, media_ids, word_count, body_hash, cluster_id, removed, published_time, published_raw, body_offset"
)
_READ_COLUMNS = _ARTICLE_COLUMNS + ", representative, latest"
_CAPTURE_COLUMNS = (
    "sha256, origin, ingested_at, url, fetched_at, article_id, format, content_type, hints, raw"
)
_CAPTURE_REFS = (
    "(SELECT json_agg(json_build_array(c.sha256, c.origin, c.ingested_at, c.url, c.fetched_at) ORDER BY c.seq) "
    "FROM captures c WHERE c.article_id = a.id)"
)
"""An article's capture links, oldest first, as one JSON column of its row."""
_PAGE = 500
"""Rows per page of a walk over a table: the caller may write between pages, memory stays flat."""


class PostgresStore(PostgresEnrichment, PostgresDedup):
    """The server Store: tables in one PostgreSQL database, reached through the store's own pool.

    ``dsn`` is a libpq URL or key=value string; ``readonly`` opens every session read-only (and
    never creates or migrates tables); ``max_connections`` bounds the pool, shared by all threads.
    """

    def __init__(self, dsn: str, readonly: bool = False, max_connections: int = 8) -> None:
        super().__init__(dsn, readonly, max_connections)
        conn = self.connect_once()
        try:
            prepare(conn, self.server, readonly)
        except ArchiveError:
            raise
        except Exception as exc:
            raise ArchiveError(
                f"{self.server}: cannot create or check the archive tables ({first_line(exc)}); "
                "the database user needs CREATE on the database's schema for a writable open"
            ) from exc
        finally:
            conn.close()
        self.open_pool()

    # -- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        value = self._value("SELECT value FROM meta WHERE key = %s", (key,))
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        self._execute(
            "INSERT INTO meta(key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- captures ---------------------------------------------------------------------------
    def known_captures(self, shas: Iterable[str]) -> set[str]:
        """Which of these captures are stored already, in one query."""
        wanted = list(dict.fromkeys(shas))
        if not wanted:
            return set()
        rows = self._rows("SELECT sha256 FROM captures WHERE sha256 = ANY(%s::text[])", (wanted,))
        return {str(r[0]) for r in rows}

    def add_capture(self, capture: Capture, article_id: str | None, ingested_at: str) -> None:
        """Keep a capture's bytes once: a second writer storing the same capture changes nothing."""
        self._execute(
            "INSERT INTO captures(sha256, origin, url, fetched_at, content_type, format, hints, raw, raw_size, "
            "ingested_at, article_id) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (sha256) DO NOTHING",
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
        row = self._row(f"SELECT {_CAPTURE_COLUMNS} FROM captures WHERE sha256 = %s", (sha256,))
        return None if row is None else _stored_capture(row)

    def capture_infos(self, shas: Iterable[str]) -> dict[str, CaptureInfo]:
        """Format, type and size of captures, from their columns (the bytes stay on the server)."""
        wanted = list(dict.fromkeys(shas))
        if not wanted:
            return {}
        rows = self._rows(
            "SELECT sha256, format, content_type, raw_size FROM captures WHERE sha256 = ANY(%s::text[])",
            (wanted,),
        )
        return {str(s): CaptureInfo(str(s), str(f), t, int(n)) for s, f, t, n in rows}

    def iter_captures(self) -> Iterator[StoredCapture]:
        """Every capture in ingest order, a page at a time (no connection is held between pages)."""
        last = 0
        while True:
            rows = self._rows(
                f"SELECT seq, {_CAPTURE_COLUMNS} FROM captures WHERE seq > %s ORDER BY seq LIMIT 200", (last,)
            )
            if not rows:
                return
            last = int(rows[-1][0])
            for row in rows:
                try:
                    yield _stored_capture(row[1:])
                except ArchiveError as exc:  # one damaged capture must not end a walk over all of them
                    log.error("%s", exc)

    def relink_captures(self, from_article: str, to_article: str) -> None:
        self._execute("UPDATE captures SET article_id = %s WHERE article_id = %s", (to_article, from_article))

    def move_capture(self, sha256: str, article_id: str) -> None:
        """Give one capture to another article (a duplicate that turned out to be its own story)."""
        self._execute("UPDATE captures SET article_id = %s WHERE sha256 = %s", (article_id, sha256))

    # -- articles ---------------------------------------------------------------------------
    def article_by_body_hash(self, body_hash: str) -> str | None:
        """The first stored article with this body. Inside a transaction the body hash stays held
        until commit, so two writers storing one text at once keep one article, not two."""
        value = self._held_value(
            "body",
            body_hash,
            "SELECT id FROM articles WHERE body_hash = %s ORDER BY seq LIMIT 1",
            (body_hash,),
        )
        return None if value is None else str(value)

    def insert_article(self, draft: ArticleDraft, enrich: bool = False) -> None:
        """Store a new article (once: the same article from a concurrent writer is not doubled);
        ``enrich`` flags it for enrichment by the ingest that stored it."""
        self._execute(
            f"INSERT INTO articles({_ARTICLE_COLUMNS}, blocks, indexed, deduped, enrich_wanted) "
            "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,0,false,%s) "
            "ON CONFLICT (id) DO NOTHING",
            (*_article_values(draft.article), _pack(draft), enrich),
        )
        self._execute("DELETE FROM merged_ids WHERE old_id = %s", (draft.article.id,))  # an article again

    def replace_article(self, draft: ArticleDraft) -> None:
        """Rewrite an article's extracted fields (after chrome learning); it must be re-deduped and re-indexed."""
        a = draft.article
        values = _article_values(a)
        with self._batch():
            self._execute(
                "UPDATE articles SET url=%s, source=%s, site=%s, title=%s, authors=%s, published=%s, "
                "published_from=%s, section=%s, language=%s, body=%s, captions=%s, media_ids=%s, word_count=%s, "
                "body_hash=%s, cluster_id=%s, removed=%s, published_time=%s, published_raw=%s, body_offset=%s, "
                "blocks=%s, indexed=0, deduped=false WHERE id=%s",
                (*values[1:], _pack(draft), a.id),
            )
            self.drop_signature(a.id)
            self.delete_enrichment(a.id)  # its offsets point into the old body
            self._execute("DELETE FROM skipped WHERE article_id = %s", (a.id,))

    def delete_article(self, article_id: str, merged_into: str | None) -> None:
        """Remove an article that turned out to be an exact duplicate; its captures move to the
        survivor and its id keeps resolving to it (links and citations stay valid).

        The caller re-clusters the members of the cluster it left. With no survivor (``None``: it
        was no article) its captures are kept unlinked and nothing resolves to it any more.
        """
        with self._batch():
            if merged_into is None:
                self._execute("UPDATE captures SET article_id = NULL WHERE article_id = %s", (article_id,))
                self._execute("DELETE FROM merged_ids WHERE into_id = %s", (article_id,))
                merged_into = article_id  # the merged_ids statements below then leave no row for it
            self.relink_captures(article_id, merged_into)
            self._execute("DELETE FROM articles WHERE id = %s", (article_id,))
            self.forget_dedup(article_id)
            self._execute("DELETE FROM edge_lines WHERE article_id = %s", (article_id,))
            self.delete_enrichment(article_id)
            self._execute("DELETE FROM skipped WHERE article_id = %s", (article_id,))
            self._execute(
                "INSERT INTO index_deletes(article_id) VALUES (%s) ON CONFLICT DO NOTHING", (article_id,)
            )
            self._execute("UPDATE merged_ids SET into_id = %s WHERE into_id = %s", (merged_into, article_id))
            self._execute(
                "INSERT INTO merged_ids(old_id, into_id) VALUES (%s, %s) "
                "ON CONFLICT (old_id) DO UPDATE SET into_id = excluded.into_id",
                (article_id, merged_into),
            )
            self._execute("DELETE FROM merged_ids WHERE old_id = %s", (merged_into,))

    def resolve_merged(self, article_id: str) -> str | None:
        """The article a deleted duplicate was merged into, if it was."""
        value = self._value("SELECT into_id FROM merged_ids WHERE old_id = %s", (article_id,))
        return None if value is None else str(value)

    def merged_ids_with_prefix(self, prefix: str, limit: int) -> list[str]:
        """Ids of merged-away duplicates starting with ``prefix`` (old links), in id order."""
        return self._keys_with_prefix("merged_ids", "old_id", prefix, limit)

    def ids_with_prefix(self, prefix: str, limit: int) -> list[str]:
        """Ids starting with ``prefix``, in id order, at most ``limit``: a range of the primary key
        (``C`` collation, so byte order as in SQLite)."""
        return self._keys_with_prefix("articles", "id", prefix, limit)

    def _keys_with_prefix(self, table: str, column: str, prefix: str, limit: int) -> list[str]:
        rows = self._rows(
            f"SELECT {column} FROM {table} WHERE {column} >= %s AND {column} < %s ORDER BY {column} LIMIT %s",
            (prefix, prefix + "\U0010ffff", limit),
        )
        return [str(r[0]) for r in rows if str(r[0]).startswith(prefix)]

    def get_article(self, article_id: str) -> Article | None:
        return self.get_articles([article_id]).get(article_id)

    def get_articles(self, ids: Iterable[str]) -> dict[str, Article]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        return {a.id: a for a, _ in self._select_articles("id = ANY(%s::text[])", (wanted,))}

    def export_rows(self, ids: Sequence[str]) -> list[ExportRow]:
        """The articles' rows from one query (captures included); the lists come back as arrays and
        are written as JSON here, so both stores give the same text."""
        found = self.get_articles(ids)
        return [ExportRow.of(found[i]) for i in ids if i in found]

    def _select_articles(
        self, where: str, params: tuple[Any, ...], tail: str = "", with_captures: bool = True
    ) -> list[tuple[Article, int]]:
        """Articles with their capture links in one query (a round trip saved per read), and each one's
        ``seq`` for paging."""
        refs = _CAPTURE_REFS if with_captures else "NULL"
        rows = self._rows(f"SELECT {_READ_COLUMNS}, seq, {refs} FROM articles a WHERE {where} {tail}", params)
        found = []
        for row in rows:
            article = _article(row)
            article.captures = [CaptureRef(*ref) for ref in row[-1] or ()]
            found.append((article, int(row[-2])))
        return found

    def iter_articles(self, site: str | None = None, with_captures: bool = True) -> Iterator[Article]:
        """All articles in ingest order, streamed in pages so a big archive never sits in memory."""
        last = 0
        while True:
            if site is None:
                page = self._select_articles(
                    "seq > %s", (last,), f"ORDER BY seq LIMIT {_PAGE}", with_captures
                )
            else:
                page = self._select_articles(
                    "site = %s AND seq > %s", (site, last), f"ORDER BY seq LIMIT {_PAGE}", with_captures
                )
            if not page:
                return
            yield from (a for a, _ in page)
            last = page[-1][1]

    def cluster_sizes(self, cluster_ids: Iterable[str]) -> dict[str, int]:
        """How many articles each of these near-duplicate clusters holds (absent: none)."""
        wanted = list(dict.fromkeys(cluster_ids))
        if not wanted:
            return {}
        rows = self._rows(
            "SELECT cluster_id, COUNT(*) FROM articles WHERE cluster_id = ANY(%s::text[]) GROUP BY cluster_id",
            (wanted,),
        )
        return {str(c): int(n) for c, n in rows}

    def article_blocks(self, article_id: str) -> list[str]:
        value = self._value("SELECT blocks FROM articles WHERE id = %s", (article_id,))
        return [] if value is None else _unpack(value)[0]

    def site_drafts(self, site: str) -> Iterator[ArticleDraft]:
        """A site's articles with their blocks, streamed in pages, for re-applying learned chrome."""
        last = 0
        while True:
            rows = self._rows(
                f"SELECT {_READ_COLUMNS}, blocks, seq FROM articles WHERE site = %s AND seq > %s "
                f"ORDER BY seq LIMIT {_PAGE}",
                (site, last),
            )
            if not rows:
                return
            for row in rows:
                blocks, base_removed = _unpack(row[-2])
                yield ArticleDraft(_article(row[:-2]), blocks, base_removed)
            last = int(rows[-1][-1])

    def url_versions(self, article_id: str) -> list[Article]:
        """Every version of the article's URL (itself included), oldest capture first."""
        found = self._select_articles(
            "url_key = (SELECT url_key FROM articles WHERE id = %s)",
            (article_id,),
            "ORDER BY COALESCE((SELECT MAX(c.fetched_at) FROM captures c WHERE c.article_id = a.id), a.published, ''), "
            "a.id LIMIT 500",
        )
        return [a for a, _ in found]

    def article_count(self) -> int:
        return int(self._value("SELECT COUNT(*) FROM articles"))

    # -- rejects ----------------------------------------------------------------------------
    def add_reject(self, reject: Reject) -> None:
        self._execute(
            "INSERT INTO rejects(origin, reason) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (printable(reject.origin), printable(reject.reason)),
        )

    def drop_reject(self, reject: Reject) -> None:
        """Forget a reject that no longer holds (a page the site's chrome emptied only for a while)."""
        self._execute(
            "DELETE FROM rejects WHERE origin = %s AND reason = %s",
            (printable(reject.origin), printable(reject.reason)),
        )

    def rejects(self) -> list[Reject]:
        return [Reject(o, r) for o, r in self._rows("SELECT origin, reason FROM rejects ORDER BY at, origin")]

    # -- skipped work -----------------------------------------------------------------------
    def put_skip(self, skip: Skip) -> None:
        """Record that one article's enrichment or indexing failed, so it is not retried on every run.

        Keyed by body hash: an article whose body changes (re-extraction, chrome) is tried again.
        """
        self._execute(
            "INSERT INTO skipped(article_id, stage, body_hash, reason, at) VALUES (%s,%s,%s,%s,%s) "
            "ON CONFLICT (article_id, stage) DO UPDATE SET body_hash = excluded.body_hash, "
            "reason = excluded.reason, at = excluded.at",
            (skip.article_id, skip.stage, skip.body_hash, printable(skip.reason), skip.at),
        )
        if skip.stage == "index":
            self._execute("UPDATE articles SET indexed = 2 WHERE id = %s", (skip.article_id,))

    def skips(self) -> list[Skip]:
        rows = self._rows(
            "SELECT article_id, stage, body_hash, reason, at FROM skipped ORDER BY at, article_id"
        )
        return [Skip(str(a), s, str(h), str(r), str(t)) for a, s, h, r, t in rows]

    # -- site chrome ------------------------------------------------------------------------
    def get_site_chrome(self, site: str) -> dict[str, Any] | None:
        """A site's learned chrome. Inside a transaction the site stays held until commit: chrome is
        read, learned from and written back, and two writers must not lose each other's pages."""
        value = self._held_value("chrome", site, "SELECT chrome FROM sites WHERE site = %s", (site,))
        return None if value is None else dict(json.loads(value))

    def put_site_chrome(self, site: str, chrome: dict[str, Any], stale: bool = False) -> None:
        """Save a site's learned chrome; ``stale`` marks its older articles as needing re-cleaning."""
        self._execute(
            "INSERT INTO sites(site, chrome, stale) VALUES (%s, %s, %s) ON CONFLICT (site) DO UPDATE SET "
            "chrome = excluded.chrome, stale = sites.stale OR excluded.stale",
            (site, json.dumps(chrome), stale),
        )

    def stale_sites(self) -> list[str]:
        return [str(r[0]) for r in self._rows("SELECT site FROM sites WHERE stale ORDER BY site")]

    def mark_site_fresh(self, site: str) -> None:
        self._execute("UPDATE sites SET stale = false WHERE site = %s", (site,))

    # -- index bookkeeping ------------------------------------------------------------------
    def pending_index(self, limit: int) -> list[Article]:
        return [a for a, _ in self._select_articles("indexed = 0", (_limit(limit),), "ORDER BY seq LIMIT %s")]

    def pending_index_deletes(self) -> list[str]:
        return [str(r[0]) for r in self._rows("SELECT article_id FROM index_deletes ORDER BY article_id")]

    def mark_indexed(self, ids: Iterable[str], deleted: Iterable[str]) -> None:
        done, gone = list(ids), list(deleted)
        with self._batch():
            if done:
                self._execute("UPDATE articles SET indexed = 1 WHERE id = ANY(%s::text[])", (done,))
            if gone:
                self._execute("DELETE FROM index_deletes WHERE article_id = ANY(%s::text[])", (gone,))

    def mark_unindexed(self, article_id: str) -> None:
        self._execute("UPDATE articles SET indexed = 0 WHERE id = %s", (article_id,))

    def mark_cluster_unindexed(self, cluster_id: str) -> None:
        self._execute("UPDATE articles SET indexed = 0 WHERE cluster_id = %s", (cluster_id,))

    def count_indexed(self) -> int:
        return int(self._value("SELECT COUNT(*) FROM articles WHERE indexed = 1"))

    def count_unindexed(self) -> int:
        """Articles stored but not yet searchable (an interrupted or running ingest); skipped ones excluded."""
        return int(self._value("SELECT COUNT(*) FROM articles WHERE indexed = 0"))

    def iter_index_batches(self, size: int) -> Iterator[list[Article]]:
        """Every article that can be indexed, in batches (a rebuild reads them all once)."""
        last = -1
        while True:
            batch = self._select_articles("seq > %s", (last, size), "ORDER BY seq LIMIT %s")
            if not batch:
                return
            last = batch[-1][1]
            yield [a for a, _ in batch]

    def mark_all_indexed(self, except_ids: Iterable[str] = ()) -> None:
        """After a rebuild: every article is in the index but those that could not be indexed."""
        failed = list(except_ids)
        with self._batch():
            self._execute("UPDATE articles SET indexed = 1 WHERE indexed <> 1")
            self._execute("DELETE FROM index_deletes")
            if failed:
                self._execute("UPDATE articles SET indexed = 2 WHERE id = ANY(%s::text[])", (failed,))

    # -- summaries --------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        def count(sql: str) -> int:
            return int(self._value(sql))

        def grouped(sql: str) -> dict[str, int]:
            return {("unknown" if k is None else str(k)): int(n) for k, n in self._rows(sql)}

        return {
            "articles": count("SELECT COUNT(*) FROM articles"),
            "indexed": self.count_indexed(),
            "unindexed": self.count_unindexed(),
            "captures": count("SELECT COUNT(*) FROM captures"),
            "stories": count("SELECT COUNT(*) FROM articles WHERE representative AND latest"),
            "clusters": count(
                "SELECT COUNT(*) FROM (SELECT cluster_id FROM articles WHERE latest "
                "GROUP BY cluster_id HAVING COUNT(*) > 1) c"
            ),
            "copies": count("SELECT COUNT(*) FROM articles WHERE NOT representative AND latest"),
            "versions": count("SELECT COUNT(*) FROM articles WHERE NOT latest"),
            "rejects": [{"origin": r.origin, "reason": r.reason} for r in self.rejects()],
            "skipped": [
                {"article_id": k.article_id, "stage": k.stage, "reason": k.reason, "at": k.at}
                for k in self.skips()
            ],
            "by_source": grouped(
                "SELECT source, COUNT(*) FROM articles GROUP BY source ORDER BY 2 DESC, 1 NULLS FIRST"
            ),
            "by_section": grouped(
                "SELECT section, COUNT(*) FROM articles GROUP BY section ORDER BY 2 DESC, 1 NULLS FIRST"
            ),
            "by_year": grouped(
                "SELECT substr(published, 1, 4), COUNT(*) FROM articles GROUP BY 1 ORDER BY 1 NULLS FIRST"
            ),
            "by_language": grouped(
                "SELECT language, COUNT(*) FROM articles GROUP BY language ORDER BY 2 DESC, 1 NULLS FIRST"
            ),
        }

    def source_months(self, source: str) -> dict[str, int]:
        rows = self._rows(
            "SELECT substr(published, 1, 7), COUNT(*) FROM articles WHERE source = %s AND published IS NOT NULL "
            "GROUP BY 1 ORDER BY 1",
            (source,),
        )
        return {str(m): int(n) for m, n in rows}

    def source_sections(self, source: str) -> dict[str, int]:
        rows = self._rows(
            "SELECT section, COUNT(*) FROM articles WHERE source = %s GROUP BY 1 "
            "ORDER BY 2 DESC, 1 NULLS FIRST LIMIT 50",
            (source,),
        )
        return {("unknown" if s is None else str(s)): int(n) for s, n in rows}

    def source_latest(self, source: str, limit: int) -> list[Article]:
        found = self._select_articles(
            "source = %s", (source, _limit(limit)), "ORDER BY published DESC NULLS LAST, seq DESC LIMIT %s"
        )
        return [a for a, _ in found]


def _limit(limit: int) -> int | None:
    """SQLite's "no limit" (a negative LIMIT) as PostgreSQL's (LIMIT NULL)."""
    return None if limit < 0 else limit


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
        a.id, a.url, a.source, a.site, a.title, a.authors, a.published, a.published_from, a.section,
        a.language, a.body, a.captions, a.media_ids, a.word_count, a.body_hash, a.cluster_id, a.removed,
        a.published_time, a.published_raw, a.body_offset,
    )  # fmt: skip


def _article(row: Row) -> Article:
    return Article(
        id=row[0],
        url=row[1],
        source=row[2],
        site=row[3],
        title=row[4],
        authors=list(row[5]),
        published=row[6],
        published_from=row[7],
        section=row[8],
        language=row[9],
        body=row[10],
        captions=list(row[11]),
        media_ids=list(row[12]),
        word_count=row[13],
        body_hash=row[14],
        cluster_id=row[15],
        removed=list(row[16]),
        published_time=row[17],
        published_raw=row[18],
        body_offset=row[19] or 0,
        representative=bool(row[20]),
        latest=bool(row[21]),
    )


def _stored_capture(row: Row) -> StoredCapture:
    sha, origin, ingested_at, url, fetched_at, article_id, fmt, content_type, hints, raw = row
    try:
        original = blobs.unpack(raw)
    except blobs.DamagedBlob as exc:  # damaged on the server: say which capture
        raise DamagedCaptureError(
            f"capture {sha} ({origin}) is damaged in the database ({exc}); restore the database from a "
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


if TYPE_CHECKING:  # mypy checks that PostgresStore implements every method of the Store protocol
    _implements_store: type[Store] = PostgresStore
