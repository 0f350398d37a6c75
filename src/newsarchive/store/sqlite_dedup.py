"""SQLite tables for duplicates: signatures and LSH buckets, verified copy pairs, the lines each
source repeats at its articles' edges, and versions of one URL.

Clusters are kept as a column (``cluster_id``, ``representative``) recomputed by the pipeline
from the pairs (dedup/clusters.py); the tables here are what that computation reads, so a
cluster is always a function of the stored pairs, not of the order articles arrived in.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from newsarchive.store.base import (
    ClusterAssignment,
    CopyPair,
    DedupHead,
    DedupItem,
    StoredSignature,
    VersionInfo,
)

DEDUP_SCHEMA = """
CREATE TABLE IF NOT EXISTS signatures (
    article_id TEXT PRIMARY KEY, signature BLOB NOT NULL, shingles INTEGER NOT NULL DEFAULT 0, bands BLOB
);
CREATE TABLE IF NOT EXISTS lsh_buckets (
    bucket INTEGER NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (bucket, article_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS copy_pairs (
    a TEXT NOT NULL, b TEXT NOT NULL, resemblance REAL NOT NULL, containment REAL NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS copy_pairs_b ON copy_pairs(b);
CREATE TABLE IF NOT EXISTS edge_lines (
    site TEXT NOT NULL, line_key INTEGER NOT NULL, article_id TEXT NOT NULL,
    PRIMARY KEY (site, line_key, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edge_lines_article ON edge_lines(article_id);
CREATE TABLE IF NOT EXISTS boilerplate (
    site TEXT NOT NULL, line_key INTEGER NOT NULL, PRIMARY KEY (site, line_key)
) WITHOUT ROWID;
"""
LEGACY_TABLES = ("lsh",)
"""Tables of earlier versions whose content the current one rebuilds (dropped at migration)."""

_DEDUP_ITEM = DedupItem.COLUMNS


class DedupTables:
    """Mixed into SQLiteStore; every method runs inside the caller's transaction."""

    if TYPE_CHECKING:

        @property
        def _db(self) -> sqlite3.Connection: ...

    # -- work queue -------------------------------------------------------------------------
    def pending_dedup(self, limit: int) -> list[DedupItem]:
        """Articles whose copies and versions are not yet worked out, oldest first."""
        rows = self._db.execute(
            f"SELECT {_DEDUP_ITEM} FROM articles WHERE deduped = 0 ORDER BY seq LIMIT ?", (limit,)
        ).fetchall()
        return [DedupItem.from_row(r) for r in rows]

    def dedup_items(self, ids: Iterable[str]) -> dict[str, DedupItem]:
        out: dict[str, DedupItem] = {}
        for chunk in _chunks(list(dict.fromkeys(ids)), 500):
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(f"SELECT {_DEDUP_ITEM} FROM articles WHERE id IN ({marks})", chunk):
                out[str(row[0])] = DedupItem.from_row(row)
        return out

    def dedup_heads(self, ids: Iterable[str]) -> dict[str, DedupHead]:
        out: dict[str, DedupHead] = {}
        for chunk in _chunks(list(dict.fromkeys(ids)), 500):
            marks = ",".join("?" * len(chunk))
            for article_id, body_hash, url_key in self._db.execute(
                f"SELECT id, body_hash, url_key FROM articles WHERE id IN ({marks})", chunk
            ):
                out[str(article_id)] = DedupHead(str(article_id), str(body_hash), url_key)
        return out

    def mark_deduped(self, article_id: str) -> None:
        self._db.execute("UPDATE articles SET deduped = 1 WHERE id = ?", (article_id,))

    def mark_undeduped(self, ids: Iterable[str]) -> None:
        self._db.executemany(
            "UPDATE articles SET deduped = 0 WHERE id = ? AND deduped = 1", [(i,) for i in ids]
        )

    # -- signatures and buckets -------------------------------------------------------------
    def lsh_candidates(self, bands: list[int]) -> set[str]:
        if not bands:
            return set()
        marks = ",".join("?" * len(bands))
        rows = self._db.execute(
            f"SELECT DISTINCT article_id FROM lsh_buckets WHERE bucket IN ({marks})", bands
        )
        return {str(r[0]) for r in rows}

    def put_signatures(self, signatures: list[tuple[str, StoredSignature, list[int]]]) -> None:
        """Store signatures and their buckets, replacing earlier ones. Bucket keys are kept with
        each signature (so removing them needs no second index) and inserted in key order."""
        for article_id, _, _ in signatures:
            self.drop_signature(article_id)
        self._db.executemany(
            "INSERT INTO signatures(article_id, signature, shingles, bands) VALUES (?, ?, ?, ?)",
            [(i, sig.hashvalues, sig.shingles, _pack_bands(bands)) for i, sig, bands in signatures],
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO lsh_buckets(bucket, article_id) VALUES (?, ?)",
            sorted((b, i) for i, _, bands in signatures for b in bands),
        )

    def drop_signature(self, article_id: str) -> None:
        row = self._db.execute("SELECT bands FROM signatures WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            return
        self._db.executemany(
            "DELETE FROM lsh_buckets WHERE bucket = ? AND article_id = ?",
            [(b, article_id) for b in _unpack_bands(row[0])],
        )
        self._db.execute("DELETE FROM signatures WHERE article_id = ?", (article_id,))

    def get_signatures(self, ids: Iterable[str]) -> dict[str, StoredSignature]:
        out: dict[str, StoredSignature] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for article_id, blob, count in self._db.execute(
                f"SELECT article_id, signature, shingles FROM signatures WHERE article_id IN ({marks})", chunk
            ):
                out[str(article_id)] = StoredSignature(bytes(blob), int(count))
        return out

    # -- verified pairs and clusters --------------------------------------------------------
    def replace_pairs(self, article_id: str, pairs: Iterable[CopyPair]) -> None:
        """The article's copy pairs, as verified now (its earlier pairs go)."""
        self._db.execute("DELETE FROM copy_pairs WHERE a = ? OR b = ?", (article_id, article_id))
        self._db.executemany(
            "INSERT OR REPLACE INTO copy_pairs(a, b, resemblance, containment) VALUES (?, ?, ?, ?)",
            [(*sorted((p.a, p.b)), p.resemblance, p.containment) for p in pairs],
        )

    def pairs_among(self, ids: Iterable[str]) -> list[CopyPair]:
        """Every stored pair with both ends in ``ids``."""
        wanted = set(ids)
        found: dict[tuple[str, str], CopyPair] = {}
        for chunk in _chunks(sorted(wanted), 400):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT a, b, resemblance, containment FROM copy_pairs WHERE a IN ({marks}) OR b IN ({marks})",
                chunk + chunk,
            )
            for a, b, resemblance, containment in rows:
                if a in wanted and b in wanted:
                    found[(a, b)] = CopyPair(str(a), str(b), float(resemblance), float(containment))
        return [found[k] for k in sorted(found)]

    def cluster_members(self, cluster_ids: Iterable[str]) -> list[str]:
        wanted = list(dict.fromkeys(c for c in cluster_ids if c))
        out: list[str] = []
        for chunk in _chunks(wanted, 500):
            marks = ",".join("?" * len(chunk))
            out += [
                str(r[0])
                for r in self._db.execute(
                    f"SELECT id FROM articles WHERE cluster_id IN ({marks}) ORDER BY id", chunk
                )
            ]
        return out

    def set_clusters(self, assignments: Iterable[ClusterAssignment], reindex: Iterable[str]) -> None:
        """Place articles in clusters and re-index ``reindex`` (the index keeps each hit's cluster
        size and whether it is the one shown, so every member of a changed cluster is re-indexed)."""
        self._db.executemany(
            "UPDATE articles SET cluster_id = ?, representative = ? WHERE id = ? "
            "AND (cluster_id IS NOT ? OR representative != ?)",
            [
                (a.cluster_id, int(a.representative), a.article_id, a.cluster_id, int(a.representative))
                for a in assignments
            ],
        )
        self._db.executemany(
            "UPDATE articles SET indexed = 0 WHERE id = ? AND indexed = 1", [(i,) for i in reindex]
        )

    # -- lines a source repeats -------------------------------------------------------------
    def set_edge_lines(self, article_id: str, site: str, keys: Iterable[int], min_articles: int) -> set[str]:
        """Record the article's edge lines; returns the other articles whose site boilerplate
        changed because of it (a line reached or fell below ``min_articles``), to be compared again."""
        new = set(keys)
        old = {
            (str(s), int(k))
            for s, k in self._db.execute(
                "SELECT site, line_key FROM edge_lines WHERE article_id = ?", (article_id,)
            )
        }
        wanted = {(site, k) for k in new}
        if old == wanted:
            return set()
        self._db.executemany(
            "DELETE FROM edge_lines WHERE site = ? AND line_key = ? AND article_id = ?",
            [(s, k, article_id) for s, k in old - wanted],
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO edge_lines(site, line_key, article_id) VALUES (?, ?, ?)",
            [(s, k, article_id) for s, k in wanted - old],
        )
        changed = old ^ wanted  # one site: an article's site is fixed
        keys = sorted({k for _, k in changed})
        marks = ",".join("?" * len(keys))
        counts = dict(
            self._db.execute(
                f"SELECT line_key, COUNT(*) FROM edge_lines WHERE site = ? AND line_key IN ({marks}) GROUP BY line_key",
                [site, *keys],
            ).fetchall()
        )
        known = {
            int(r[0])
            for r in self._db.execute(
                f"SELECT line_key FROM boilerplate WHERE site = ? AND line_key IN ({marks})", [site, *keys]
            )
        }
        affected: set[str] = set()
        for key in keys:
            now = counts.get(key, 0) >= min_articles
            if now == (key in known):
                continue
            if now:
                self._db.execute("INSERT INTO boilerplate(site, line_key) VALUES (?, ?)", (site, key))
            else:
                self._db.execute("DELETE FROM boilerplate WHERE site = ? AND line_key = ?", (site, key))
            affected |= {
                str(r[0])
                for r in self._db.execute(
                    "SELECT article_id FROM edge_lines WHERE site = ? AND line_key = ?", (site, key)
                )
            }
        return affected - {article_id}

    def site_boilerplate(self, site: str) -> set[int]:
        return {
            int(r[0]) for r in self._db.execute("SELECT line_key FROM boilerplate WHERE site = ?", (site,))
        }

    # -- versions of one URL ----------------------------------------------------------------
    def set_url_key(self, article_id: str, url_key: str | None) -> None:
        self._db.execute("UPDATE articles SET url_key = ? WHERE id = ?", (url_key, article_id))

    def version_infos(self, url_key: str) -> list[VersionInfo]:
        """Every article captured at this URL, with the time its text was last seen."""
        rows = self._db.execute(
            "SELECT a.id, COALESCE(a.published_time, a.published), a.latest, MAX(c.fetched_at) FROM articles a "
            "LEFT JOIN captures c ON c.article_id = a.id WHERE a.url_key = ? GROUP BY a.id ORDER BY a.id",
            (url_key,),
        ).fetchall()
        return [VersionInfo(str(i), p, s, bool(latest)) for i, p, latest, s in rows]

    def version_counts(self, ids: Iterable[str]) -> dict[str, int]:
        """How many versions the URL of each of these articles has (absent: one, or no URL)."""
        out: dict[str, int] = {}
        for chunk in _chunks(list(dict.fromkeys(ids)), 500):
            marks = ",".join("?" * len(chunk))
            for article_id, count in self._db.execute(
                "SELECT a.id, (SELECT COUNT(*) FROM articles b WHERE b.url_key = a.url_key) FROM articles a "
                f"WHERE a.id IN ({marks}) AND a.url_key IS NOT NULL",
                chunk,
            ):
                if count > 1:
                    out[str(article_id)] = int(count)
        return out

    def set_latest(self, article_id: str, latest: bool) -> None:
        self._db.execute(
            "UPDATE articles SET latest = ?, indexed = 0 WHERE id = ? AND latest != ?",
            (int(latest), article_id, int(latest)),
        )

    def forget_dedup(self, article_id: str) -> None:
        """Everything dedup keeps of an article that is being deleted."""
        self.drop_signature(article_id)
        self._db.execute("DELETE FROM copy_pairs WHERE a = ? OR b = ?", (article_id, article_id))


def _pack_bands(bands: list[int]) -> bytes:
    return b"".join(b.to_bytes(8, "little") for b in bands)


def _unpack_bands(blob: bytes | None) -> list[int]:
    data = bytes(blob or b"")
    return [int.from_bytes(data[i : i + 8], "little") for i in range(0, len(data), 8)]


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
