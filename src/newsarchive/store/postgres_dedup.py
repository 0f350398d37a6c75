"""PostgreSQL tables for duplicates: signatures and LSH buckets, verified copy pairs, the lines each
source repeats at its articles' edges, and versions of one URL (the meaning of store/sqlite_dedup.py).

Set-shaped where SQLite looped: one statement over arrays (``= ANY(%s)``, ``unnest``) instead
of one per row, since every statement is a round trip to the server. Writes another writer
may make at the same moment are ``ON CONFLICT``; the edge-line threshold (count, then cross) is
worked out under a lock on the site so two writers do not both miss or both cross it.
"""

from __future__ import annotations

from collections.abc import Iterable

from newsarchive.store.base import (
    ClusterAssignment,
    CopyPair,
    DedupHead,
    DedupItem,
    StoredSignature,
    VersionInfo,
)
from newsarchive.store.postgres_connection import PostgresConnections

_DEDUP_ITEM = DedupItem.COLUMNS


class PostgresDedup(PostgresConnections):
    """Mixed into PostgresStore; every method runs inside the caller's transaction when there is one."""

    # -- work queue -------------------------------------------------------------------------
    def pending_dedup(self, limit: int) -> list[DedupItem]:
        """Articles whose copies and versions are not yet worked out, oldest first."""
        rows = self._rows(
            f"SELECT {_DEDUP_ITEM} FROM articles WHERE NOT deduped ORDER BY seq LIMIT %s",
            (None if limit < 0 else limit,),
        )
        return [DedupItem.from_row(r) for r in rows]

    def dedup_items(self, ids: Iterable[str]) -> dict[str, DedupItem]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        rows = self._rows(f"SELECT {_DEDUP_ITEM} FROM articles WHERE id = ANY(%s::text[])", (wanted,))
        return {str(r[0]): DedupItem.from_row(r) for r in rows}

    def dedup_heads(self, ids: Iterable[str]) -> dict[str, DedupHead]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        rows = self._rows("SELECT id, body_hash, url_key FROM articles WHERE id = ANY(%s::text[])", (wanted,))
        return {str(i): DedupHead(str(i), str(h), k) for i, h, k in rows}

    def mark_deduped(self, article_id: str) -> None:
        self._execute("UPDATE articles SET deduped = true WHERE id = %s", (article_id,))

    def mark_undeduped(self, ids: Iterable[str]) -> None:
        wanted = list(dict.fromkeys(ids))
        if wanted:
            self._execute(
                "UPDATE articles SET deduped = false WHERE id = ANY(%s::text[]) AND deduped", (wanted,)
            )

    # -- signatures and buckets -------------------------------------------------------------
    def lsh_candidates(self, bands: list[int]) -> set[str]:
        if not bands:
            return set()
        rows = self._rows(
            "SELECT DISTINCT article_id FROM lsh_buckets WHERE bucket = ANY(%s::bigint[])", (bands,)
        )
        return {str(r[0]) for r in rows}

    def put_signatures(self, signatures: list[tuple[str, StoredSignature, list[int]]]) -> None:
        """Store signatures and their buckets, replacing earlier ones; bucket keys are kept with
        each signature, so removing them needs no second index."""
        if not signatures:
            return
        latest = {article_id: (sig, bands) for article_id, sig, bands in signatures}
        ids = list(latest)
        buckets = sorted({(b, i) for i, (_, bands) in latest.items() for b in bands})
        with self._batch():
            self._drop_signatures(ids)
            self._execute_many(
                "INSERT INTO signatures(article_id, signature, shingles, bands) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (article_id) DO UPDATE SET signature = excluded.signature, "
                "shingles = excluded.shingles, bands = excluded.bands",
                [(i, sig.hashvalues, sig.shingles, bands) for i, (sig, bands) in latest.items()],
            )
            if buckets:
                self._execute(
                    "INSERT INTO lsh_buckets(bucket, article_id) "
                    "SELECT * FROM unnest(%s::bigint[], %s::text[]) ON CONFLICT DO NOTHING",
                    ([b for b, _ in buckets], [i for _, i in buckets]),
                )

    def drop_signature(self, article_id: str) -> None:
        self._drop_signatures([article_id])

    def _drop_signatures(self, ids: list[str]) -> None:
        self._execute(
            "DELETE FROM lsh_buckets l USING (SELECT article_id, unnest(bands) AS bucket FROM signatures "
            "WHERE article_id = ANY(%s::text[])) old WHERE l.bucket = old.bucket AND l.article_id = old.article_id",
            (ids,),
        )
        self._execute("DELETE FROM signatures WHERE article_id = ANY(%s::text[])", (ids,))

    def get_signatures(self, ids: Iterable[str]) -> dict[str, StoredSignature]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        rows = self._rows(
            "SELECT article_id, signature, shingles FROM signatures WHERE article_id = ANY(%s::text[])",
            (wanted,),
        )
        return {str(i): StoredSignature(bytes(blob), int(n)) for i, blob, n in rows}

    # -- verified pairs and clusters --------------------------------------------------------
    def replace_pairs(self, article_id: str, pairs: Iterable[CopyPair]) -> None:
        """The article's copy pairs, as verified now (its earlier pairs go)."""
        rows = {tuple(sorted((p.a, p.b))): (p.resemblance, p.containment) for p in pairs}
        with self._batch():
            self._execute("DELETE FROM copy_pairs WHERE a = %s OR b = %s", (article_id, article_id))
            if rows:
                self._execute(
                    "INSERT INTO copy_pairs(a, b, resemblance, containment) "
                    "SELECT * FROM unnest(%s::text[], %s::text[], %s::float8[], %s::float8[]) "
                    "ON CONFLICT (a, b) DO UPDATE SET resemblance = excluded.resemblance, "
                    "containment = excluded.containment",
                    (
                        [k[0] for k in rows],
                        [k[1] for k in rows],
                        [v[0] for v in rows.values()],
                        [v[1] for v in rows.values()],
                    ),
                )

    def pairs_among(self, ids: Iterable[str]) -> list[CopyPair]:
        """Every stored pair with both ends in ``ids``."""
        wanted = sorted(set(ids))
        if not wanted:
            return []
        rows = self._rows(
            "SELECT a, b, resemblance, containment FROM copy_pairs "
            "WHERE a = ANY(%s::text[]) AND b = ANY(%s::text[]) ORDER BY a, b",
            (wanted, wanted),
        )
        return [CopyPair(str(a), str(b), float(r), float(c)) for a, b, r, c in rows]

    def cluster_members(self, cluster_ids: Iterable[str]) -> list[str]:
        wanted = list(dict.fromkeys(c for c in cluster_ids if c))
        if not wanted:
            return []
        rows = self._rows("SELECT id FROM articles WHERE cluster_id = ANY(%s::text[]) ORDER BY id", (wanted,))
        return [str(r[0]) for r in rows]

    def set_clusters(self, assignments: Iterable[ClusterAssignment], reindex: Iterable[str]) -> None:
        """Place articles in clusters and re-index ``reindex`` (the index keeps each hit's cluster
        size and whether it is the one shown, so every member of a changed cluster is re-indexed)."""
        latest = {a.article_id: a for a in assignments}  # the last word on an article wins, as in a loop
        again = list(dict.fromkeys(reindex))
        with self._batch():
            if latest:
                self._execute(
                    "UPDATE articles a SET cluster_id = v.cluster_id, representative = v.representative "
                    "FROM unnest(%s::text[], %s::text[], %s::boolean[]) AS v(id, cluster_id, representative) "
                    "WHERE a.id = v.id AND (a.cluster_id IS DISTINCT FROM v.cluster_id "
                    "OR a.representative <> v.representative)",
                    (
                        list(latest),
                        [a.cluster_id for a in latest.values()],
                        [a.representative for a in latest.values()],
                    ),
                )
            if again:
                self._execute(
                    "UPDATE articles SET indexed = 0 WHERE id = ANY(%s::text[]) AND indexed = 1", (again,)
                )

    # -- lines a source repeats -------------------------------------------------------------
    def set_edge_lines(self, article_id: str, site: str, keys: Iterable[int], min_articles: int) -> set[str]:
        """Record the article's edge lines; returns the other articles whose site boilerplate
        changed because of it (a line reached or fell below ``min_articles``), to be compared again."""
        new = set(keys)
        old_rows = self._rows("SELECT site, line_key FROM edge_lines WHERE article_id = %s", (article_id,))
        old = {(str(s), int(k)) for s, k in old_rows}
        wanted = {(site, k) for k in new}
        if old == wanted:
            return set()
        self._hold("edges", site)  # the counts below must include the other writers' lines
        gone, added = sorted(old - wanted), sorted(wanted - old)
        if gone:
            self._execute(
                "DELETE FROM edge_lines e USING unnest(%s::text[], %s::bigint[]) AS g(site, line_key) "
                "WHERE e.site = g.site AND e.line_key = g.line_key AND e.article_id = %s",
                ([s for s, _ in gone], [k for _, k in gone], article_id),
            )
        if added:
            self._execute(
                "INSERT INTO edge_lines(site, line_key, article_id) "
                "SELECT s, k, %s FROM unnest(%s::text[], %s::bigint[]) AS n(s, k) ON CONFLICT DO NOTHING",
                (article_id, [s for s, _ in added], [k for _, k in added]),
            )
        changed = sorted({k for _, k in old ^ wanted})  # one site: an article's site is fixed
        counts = {
            int(k): int(n)
            for k, n in self._rows(
                "SELECT line_key, COUNT(*) FROM edge_lines WHERE site = %s AND line_key = ANY(%s::bigint[]) "
                "GROUP BY line_key",
                (site, changed),
            )
        }
        known = {
            int(r[0])
            for r in self._rows(
                "SELECT line_key FROM boilerplate WHERE site = %s AND line_key = ANY(%s::bigint[])",
                (site, changed),
            )
        }
        crossed = [k for k in changed if (counts.get(k, 0) >= min_articles) != (k in known)]
        if not crossed:
            return set()
        rising = [k for k in crossed if k not in known]
        falling = [k for k in crossed if k in known]
        if rising:
            self._execute(
                "INSERT INTO boilerplate(site, line_key) SELECT %s, unnest(%s::bigint[]) ON CONFLICT DO NOTHING",
                (site, rising),
            )
        if falling:
            self._execute(
                "DELETE FROM boilerplate WHERE site = %s AND line_key = ANY(%s::bigint[])", (site, falling)
            )
        rows = self._rows(
            "SELECT DISTINCT article_id FROM edge_lines WHERE site = %s AND line_key = ANY(%s::bigint[])",
            (site, crossed),
        )
        return {str(r[0]) for r in rows} - {article_id}

    def site_boilerplate(self, site: str) -> set[int]:
        return {int(r[0]) for r in self._rows("SELECT line_key FROM boilerplate WHERE site = %s", (site,))}

    # -- versions of one URL ----------------------------------------------------------------
    def set_url_key(self, article_id: str, url_key: str | None) -> None:
        self._execute("UPDATE articles SET url_key = %s WHERE id = %s", (url_key, article_id))

    def version_infos(self, url_key: str) -> list[VersionInfo]:
        """Every article captured at this URL, with the time its text was last seen."""
        rows = self._rows(
            "SELECT a.id, COALESCE(a.published_time, a.published), a.latest, MAX(c.fetched_at) FROM articles a "
            "LEFT JOIN captures c ON c.article_id = a.id WHERE a.url_key = %s GROUP BY a.id ORDER BY a.id",
            (url_key,),
        )
        return [VersionInfo(str(i), p, s, bool(latest)) for i, p, latest, s in rows]

    def version_counts(self, ids: Iterable[str]) -> dict[str, int]:
        """How many versions the URL of each of these articles has (absent: one, or no URL)."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        rows = self._rows(
            "SELECT a.id, COUNT(*) FROM articles a JOIN articles b ON b.url_key = a.url_key "
            "WHERE a.id = ANY(%s::text[]) GROUP BY a.id HAVING COUNT(*) > 1",
            (wanted,),
        )
        return {str(i): int(n) for i, n in rows}

    def set_latest(self, article_id: str, latest: bool) -> None:
        self._execute(
            "UPDATE articles SET latest = %s, indexed = 0 WHERE id = %s AND latest <> %s",
            (latest, article_id, latest),
        )

    def forget_dedup(self, article_id: str) -> None:
        """Everything dedup keeps of an article that is being deleted."""
        self.drop_signature(article_id)
        self._execute("DELETE FROM copy_pairs WHERE a = %s OR b = %s", (article_id, article_id))
