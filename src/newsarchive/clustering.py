"""The duplicate step of the pipeline: copy pairs, clusters and versions kept up to date in the store.

For each article waiting (``deduped = 0``): record the lines at its edges (the source's
boilerplate is learned from them), settle which version of its URL is the latest, find copy
candidates through the LSH buckets, verify them (dedup/compare.py), store the verified pairs and
recompute the clusters they touch from the pairs alone (dedup/clusters.py). Whatever the
ingest order or batching, the same articles give the same pairs and so the same clusters.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np

from newsarchive import dedup
from newsarchive.dedup.boilerplate import MIN_ARTICLES
from newsarchive.dedup.signature import shingles, signature_of, similarities
from newsarchive.dedup.versions import latest_key
from newsarchive.errors import ArchiveError
from newsarchive.store.base import ClusterAssignment, CopyPair, DedupItem, Store, StoredSignature

log = logging.getLogger(__name__)

PREFILTER = 0.5
"""Candidates whose estimated resemblance and containment are both below this are not verified."""
MAX_VERIFIED = 2000
"""At most this many candidates per article are verified, best estimates first (a bound for
template-made texts, where every article is a candidate of every other)."""
_FINGERPRINTS = 5000


class CopyFinder:
    """Works one store's duplicate queue; one instance per pipeline run (it caches per-site data)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._boilerplate: dict[str, frozenset[int]] = {}
        self._fingerprints: OrderedDict[str, tuple[str, dedup.Fingerprint]] = OrderedDict()
        # signatures of this batch, written together at its end (bucket order: one pass over the
        # B-tree instead of a random insert per row), and seen by the batch's later articles
        self._queued: dict[str, tuple[StoredSignature, list[int]]] = {}
        self._queued_buckets: dict[int, set[str]] = {}

    # -- the queue ---------------------------------------------------------------------------
    def run(self, batch_size: int) -> int:
        """Work the queue to the end, one transaction per batch; returns articles processed."""
        done = 0
        while True:
            pending = self.store.pending_dedup(batch_size)
            if not pending:
                return done
            with self.store.transaction():
                for item in pending:
                    try:
                        with self.store.savepoint():
                            self.settle(item)
                    except ArchiveError:
                        raise
                    except Exception as exc:  # it keeps the cluster it had; the rest goes on
                        log.warning("%s: duplicate check failed (%s); kept in its cluster", item.id, exc)
                        self._unqueue(item.id)
                        self.store.mark_deduped(item.id)
                    done += 1
                self.flush()

    def flush(self) -> None:
        """Write the signatures queued by this batch."""
        if self._queued:
            self.store.put_signatures([(i, sig, bands) for i, (sig, bands) in self._queued.items()])
        self._queued.clear()
        self._queued_buckets.clear()

    def _queue(self, article_id: str, signature: StoredSignature, bands: list[int]) -> None:
        self._queued[article_id] = (signature, bands)
        for band in bands:
            self._queued_buckets.setdefault(band, set()).add(article_id)

    def _unqueue(self, article_id: str) -> None:
        queued = self._queued.pop(article_id, None)
        for band in queued[1] if queued else ():
            self._queued_buckets.get(band, set()).discard(article_id)

    def settle(self, item: DedupItem) -> None:
        """Edge lines, version status, copy pairs and clusters of one article."""
        self._record_edges(item)
        key = dedup.url_key(item.url)
        if key != item.url_key:
            self.store.set_url_key(item.id, key)
            self._settle_versions(item.url_key)
        latest = self._settle_versions(key, item.id)
        self._unqueue(item.id)
        self.store.drop_signature(item.id)
        pairs, signature = self._find_pairs(item, key) if latest else ([], None)
        self.store.mark_deduped(item.id)
        if item.cluster_id is None and not pairs:
            # first time, no copies: it has no stored pairs and no one else has pairs with it yet
            self.store.set_clusters([ClusterAssignment(item.id, item.id, True)], reindex=())
        else:
            self.store.replace_pairs(item.id, pairs)
            partners = {p.a for p in pairs} | {p.b for p in pairs}
            self.recluster({item.id, *partners}, also=[item.cluster_id])
        if signature is not None:
            self._queue(item.id, *signature)

    # -- boilerplate -------------------------------------------------------------------------
    def _record_edges(self, item: DedupItem) -> None:
        affected = self.store.set_edge_lines(item.id, item.site, dedup.edge_keys(item.body), MIN_ARTICLES)
        if affected:  # the site's boilerplate changed: those articles are compared again
            self._boilerplate_changed(item.site, affected | {item.id})
            self.store.mark_undeduped(affected)

    def forget_edges(self, item: DedupItem) -> None:
        """Before an article is deleted: its edge lines no longer count for its site."""
        affected = self.store.set_edge_lines(item.id, item.site, (), MIN_ARTICLES)
        if affected:
            self._boilerplate_changed(item.site, affected | {item.id})
            self.store.mark_undeduped(affected)

    def _site_boilerplate(self, site: str) -> frozenset[int]:
        found = self._boilerplate.get(site)
        if found is None:
            found = self._boilerplate[site] = frozenset(self.store.site_boilerplate(site))
        return found

    def compared_text(self, item: DedupItem) -> str:
        """The text compared for copies: the body without its site's boilerplate edge lines."""
        return dedup.compared_text(item.body, self._site_boilerplate(item.site))

    def fingerprint(self, item: DedupItem) -> dedup.Fingerprint:
        """The fingerprint of an article's compared text, kept for a while: one article is often a
        candidate of many (keyed by its body hash; dropped when its site's boilerplate changes)."""
        found = self._cached(item.id, item.body_hash)
        return found or self._remember(item.key(), dedup.Fingerprint.of(self.compared_text(item)))

    def _cached(self, article_id: str, body_hash: str) -> dedup.Fingerprint | None:
        found = self._fingerprints.get(article_id)
        if found is None or found[0] != body_hash:
            return None
        self._fingerprints.move_to_end(article_id)
        return found[1]

    def _remember(self, key: tuple[str, str], fingerprint: dedup.Fingerprint) -> dedup.Fingerprint:
        article_id, body_hash = key
        self._fingerprints[article_id] = (body_hash, fingerprint)
        self._fingerprints.move_to_end(article_id)
        if len(self._fingerprints) > _FINGERPRINTS:
            self._fingerprints.popitem(last=False)
        return fingerprint

    def _boilerplate_changed(self, site: str, affected: set[str]) -> None:
        """The site's boilerplate changed: only the articles holding the line compare another text."""
        self._boilerplate.pop(site, None)
        for article_id in affected:
            self._fingerprints.pop(article_id, None)

    # -- versions ----------------------------------------------------------------------------
    def _settle_versions(self, url_key: str | None, article_id: str | None = None) -> bool:
        """Flag the latest version of a URL; versions whose flag changed are compared again.

        Latest means the text captured last (then: published last, then the larger id, so that
        versions without capture times still have one answer). Returns whether ``article_id``
        is the latest.
        """
        if url_key is None:
            return True
        versions = self.store.version_infos(url_key)
        if not versions:
            return True
        newest = max(versions, key=lambda v: latest_key(v.id, v.seen_at, v.published))
        changed = []
        for version in versions:
            wanted = version.id == newest.id
            if version.latest != wanted:
                self.store.set_latest(version.id, wanted)
                changed.append(version.id)
        self.store.mark_undeduped(i for i in changed if i != article_id)
        if len(versions) > 1:  # the latest's hit shows how many versions there are
            self.store.mark_unindexed(newest.id)
        return article_id is None or newest.id == article_id

    # -- pairs and clusters ------------------------------------------------------------------
    def _find_pairs(
        self, item: DedupItem, url_key: str | None
    ) -> tuple[list[CopyPair], tuple[StoredSignature, list[int]] | None]:
        """The article's verified copy pairs, and its signature to store (None: too little text)."""
        text = self.compared_text(item)
        grams = shingles(text)
        sig = signature_of(grams)
        if sig is None:
            return [], None
        mine = (StoredSignature(sig.hashvalues, sig.shingles), sig.bands)
        candidates = self.store.lsh_candidates(sig.bands)
        for band in sig.bands:
            candidates |= self._queued_buckets.get(band, set())
        candidates.discard(item.id)
        signatures = self.store.get_signatures(c for c in candidates if c not in self._queued)
        signatures.update((c, self._queued[c][0]) for c in candidates if c in self._queued)
        ids = list(signatures)
        resemblance = similarities(sig.hashvalues, [signatures[i].hashvalues for i in ids])
        sizes = np.array([signatures[i].shingles for i in ids], dtype=float)
        # containment of the smaller from Jaccard and sizes: |A∩B| = J(|A|+|B|)/(1+J)
        smaller = np.maximum(np.minimum(sizes, sig.shingles), 1.0)
        containment = np.minimum(1.0, resemblance * (sizes + sig.shingles) / ((1.0 + resemblance) * smaller))
        estimate = np.maximum(resemblance, containment)
        scored = sorted((-float(e), i) for e, i in zip(estimate, ids, strict=True) if e >= PREFILTER)
        if not scored:
            return [], mine
        fingerprint = self._remember(item.key(), dedup.Fingerprint.of(text, grams))
        heads = self.store.dedup_heads(other_id for _, other_id in scored[:MAX_VERIFIED])
        heads = {i: h for i, h in heads.items() if url_key is None or h.url_key != url_key}
        # versions of one URL are linked as versions, not as copies (skipped above)
        missing = [i for i, h in heads.items() if not self._cached(i, h.body_hash)]
        for other in self.store.dedup_items(missing).values():
            self._remember(other.key(), dedup.Fingerprint.of(self.compared_text(other)))
        pairs = []
        for other_id, head in heads.items():
            cached = self._cached(other_id, head.body_hash)
            if cached is None:
                continue  # deleted meanwhile
            match = dedup.copy_match(fingerprint, cached)
            if match is not None:
                a, b = sorted((item.id, other_id))
                pairs.append(CopyPair(a, b, match.resemblance, match.containment))
        return pairs, mine

    def recluster(self, seeds: Iterable[str], also: Iterable[str | None] = (), changed: bool = False) -> None:
        """Recompute, from the stored pairs, the clusters of ``seeds`` and of the clusters in ``also``.

        A cluster whose members or representative changed is re-indexed whole; ``changed`` says
        a member was deleted, so every cluster touched is.
        """
        wanted = set(seeds)
        items = self.store.dedup_items(wanted)
        cluster_ids = {i.cluster_id or i.id for i in items.values()} | {c for c in also if c}
        members = self.store.dedup_items(set(self.store.cluster_members(cluster_ids)) | wanted)
        pairs = [(p.a, p.b) for p in self.store.pairs_among(members)]
        found = dedup.clusters(
            (dedup.Member(m.id, m.published, len(m.body)) for m in members.values()), pairs
        )
        before: dict[str, set[str]] = {}
        for m in members.values():
            before.setdefault(m.cluster_id or m.id, set()).add(m.id)
        shown_before = {m.id for m in members.values() if m.representative}
        reindex: list[str] = []
        for cluster in found:
            same = before.get(cluster.id) == set(cluster.members) and cluster.representative in shown_before
            if changed or not same:
                reindex += cluster.members
        self.store.set_clusters(
            (
                ClusterAssignment(member, cluster.id, member == cluster.representative)
                for cluster in found
                for member in cluster.members
            ),
            reindex,
        )

    def explain(self, cluster_id: str, limit: int = 500) -> list[tuple[DedupItem, dedup.Match]]:
        """Each member of a cluster (representative first) with its resemblance to, and the
        containment of the smaller text in, the representative."""
        members = self.store.dedup_items(self.store.cluster_members([cluster_id])[:limit])
        if not members:
            return []
        shown = next(
            (m for m in members.values() if m.representative), min(members.values(), key=lambda m: m.id)
        )
        reference = self.fingerprint(shown)
        out = []
        for member in sorted(members.values(), key=lambda m: (m.id != shown.id, m.id)):
            fingerprint = self.fingerprint(member)
            out.append((member, dedup.measure(reference, fingerprint)))
        return out
