"""The pipeline: sources -> extract -> site chrome -> exact dedup -> store -> near dedup -> index.

Work goes in batches; each batch is one store transaction, and the index follows the store
(articles carry an ``indexed`` flag), so a kill at any moment loses at most the batch in flight
and the next run heals the index. Re-ingesting the same capture is a no-op (SHA-256 identity).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from newsarchive import dedup
from newsarchive.errors import InputError
from newsarchive.extract import extract_capture
from newsarchive.extract.chrome import SiteChrome, apply_chrome
from newsarchive.extract.clean import body_hash
from newsarchive.extract.language import detect_language
from newsarchive.index.tantivy_index import IndexEntry, TantivyIndex
from newsarchive.model import Article, Capture, Extracted, IngestReport, Reject
from newsarchive.settings import Settings
from newsarchive.sources.detect import iter_input_files, read_path
from newsarchive.sources.fetch import fetch_urls
from newsarchive.store.base import ArticleDraft, Store

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

_PAGE_FORMATS = ("html", "textdump")
"""Formats that carry a site's page template; given texts (JSONL/CSV, Reuters) are kept as they are."""

ProgressHook = Callable[[str, int], None]
"""Called as hook(event, amount): events are 'files_total', 'file', 'record', 'article', 'reject'."""


@dataclass(slots=True)
class _Counts:
    inputs: int = 0
    captures_new: int = 0
    captures_seen: int = 0
    articles_new: int = 0
    duplicates: int = 0
    rejects: list[Reject] = field(default_factory=list)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Pipeline:
    """Runs ingest, chrome re-learning, near-dedup and index sync over one store and index."""

    def __init__(self, store: Store, index: TantivyIndex, settings: Settings) -> None:
        self.store = store
        self.index = index
        self.settings = settings
        self._nlp_model: Language | None = None
        self._warned_nlp = False

    # -- ingest -----------------------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[Path],
        progress: ProgressHook | None = None,
        urls: Iterable[str] = (),
        names: Mapping[Path, str] | None = None,
    ) -> IngestReport:
        """Ingest files, directories and web pages; bad inputs become rejects and the rest goes on.

        ``names`` gives some files the origin to record instead of their path (uploads saved to a
        temporary folder keep the name they were uploaded as).
        """
        hook = progress or (lambda _event, _n: None)
        files = list(iter_input_files(paths))
        pages = list(urls)
        hook("files_total", len(files) + len(pages))
        records = self._records(files, pages, hook)
        if names:
            records = _renamed(records, {str(path): name for path, name in names.items()})
        return self._ingest_records(records, len(files) + len(pages), hook)

    def _ingest_records(
        self, records: Iterable[Capture | Reject], inputs: int, hook: ProgressHook
    ) -> IngestReport:
        """The pipeline proper, over captures from any source, in batches."""
        counts = _Counts(inputs=inputs)
        batch: list[Capture] = []
        for item in records:
            if isinstance(item, Reject):
                self._reject(item, counts, hook)
                continue
            batch.append(item)
            if len(batch) >= self.settings.batch_size:
                self._ingest_batch(batch, counts, hook)
                batch = []
        if batch:
            self._ingest_batch(batch, counts, hook)
        self.reclean_stale_sites()
        self.sync()
        return IngestReport(
            inputs=counts.inputs,
            captures_new=counts.captures_new,
            captures_seen=counts.captures_seen,
            articles_new=counts.articles_new,
            duplicates=counts.duplicates,
            rejects=counts.rejects,
        )

    def _records(self, files: list[Path], urls: list[str], hook: ProgressHook) -> Iterator[Capture | Reject]:
        for path in files:
            yield from read_path(path, self.settings)
            hook("file", 1)
        for record in fetch_urls(urls, self.settings):
            yield record
            hook("file", 1)

    def _reject(self, reject: Reject, counts: _Counts, hook: ProgressHook) -> None:
        """Record a reject (joins the batch's transaction when one is open)."""
        log.warning("%s: %s", reject.origin, reject.reason)
        counts.rejects.append(reject)
        with self.store.transaction():
            self.store.add_reject(reject)
        hook("reject", 1)

    def _reject_capture(
        self, capture: Capture, reason: str, ingested_at: str, counts: _Counts, hook: ProgressHook
    ) -> None:
        """A capture that gave no article: its bytes are kept (for reextract) and the reason recorded."""
        self.store.add_capture(capture, None, ingested_at)
        counts.captures_new += 1
        self._reject(Reject(capture.origin, reason), counts, hook)

    def _ingest_batch(self, batch: list[Capture], counts: _Counts, hook: ProgressHook) -> None:
        ingested_at = now_iso()
        with self.store.transaction():
            fresh: list[tuple[Capture, Extracted]] = []
            seen_in_batch: set[str] = set()
            for capture in batch:
                hook("record", 1)
                sha = capture.sha256
                if sha in seen_in_batch or self.store.capture_article(sha) is not False:
                    counts.captures_seen += 1
                    continue
                seen_in_batch.add(sha)
                try:
                    extracted = extract_capture(capture, self.settings)
                except InputError as exc:
                    self._reject_capture(capture, exc.reason, ingested_at, counts, hook)
                    continue
                fresh.append((capture, extracted))
            chromes = self._learn_chrome([e for c, e in fresh if c.format in _PAGE_FORMATS])
            for capture, extracted in fresh:
                base_removed = list(extracted.removed)
                chrome = chromes.get(extracted.site) if capture.format in _PAGE_FORMATS else None
                cleaned = apply_chrome(extracted, chrome, self.settings)
                if not cleaned.body.strip():
                    reason = "no article text left after removing page chrome; skipped"
                    self._reject_capture(capture, reason, ingested_at, counts, hook)
                    continue
                counts.captures_new += 1
                article = _to_article(capture.sha256[:16], cleaned)
                existing = self.store.article_by_body_hash(article.body_hash)
                if existing is not None:
                    self.store.add_capture(capture, existing, ingested_at)
                    counts.duplicates += 1
                    continue
                self.store.insert_article(
                    ArticleDraft(article, list(extracted.blocks), base_removed), enrich=self.settings.enrich
                )
                self.store.add_capture(capture, article.id, ingested_at)
                counts.articles_new += 1
                hook("article", 1)
        self.sync()

    def _learn_chrome(self, pages: list[Extracted]) -> dict[str, SiteChrome]:
        """Add the batch's pages to their sites' chrome and re-clean older pages whose template changed."""
        by_site: dict[str, list[Extracted]] = {}
        for page in pages:
            by_site.setdefault(page.site, []).append(page)
        learned: dict[str, SiteChrome] = {}
        for site, site_pages in by_site.items():
            stored = self.store.get_site_chrome(site)
            chrome = SiteChrome.from_json(stored) if stored else SiteChrome(site=site)
            before = chrome.chrome_keys(self.settings)
            for page in site_pages:
                chrome.add_page(list(page.blocks))
            changed = stored is not None and chrome.chrome_keys(self.settings) != before
            self.store.put_site_chrome(site, chrome.to_json(), stale=changed)
            learned[site] = chrome
        return learned

    def reclean_stale_sites(self) -> None:
        """Re-clean, once per run, the sites whose learned template changed after their pages were stored.

        Deferred to the end of a run so a big site is re-cleaned once, not once per batch.
        """
        for site in self.store.stale_sites():
            stored = self.store.get_site_chrome(site)
            if stored is None:
                continue
            with self.store.transaction():
                self._reapply_chrome(site, SiteChrome.from_json(stored))
                self.store.mark_site_fresh(site)

    def _reapply_chrome(self, site: str, chrome: SiteChrome) -> None:
        """Re-clean a site's stored articles from their kept blocks; merge those that became identical."""
        for draft in self.store.site_drafts(site):
            old = draft.article
            base = Extracted(
                title=old.title,
                body="\n\n".join(draft.blocks),
                source=old.source,
                site=old.site,
                url=old.url,
                authors=old.authors,
                published=old.published,
                published_from=old.published_from,
                section=old.section,
                language=old.language,
                captions=old.captions,
                media_ids=old.media_ids,
                blocks=list(draft.blocks),
                removed=list(draft.base_removed),
            )
            cleaned = apply_chrome(base, chrome, self.settings)
            if cleaned.body == old.body or not cleaned.body.strip():
                continue
            article = _to_article(old.id, cleaned)
            article.cluster_id = old.cluster_id
            twin = self.store.article_by_body_hash(article.body_hash)
            if twin is not None and twin != old.id:
                self.store.delete_article(old.id, merged_into=twin)
                continue
            self.store.replace_article(ArticleDraft(article, draft.blocks, draft.base_removed))

    # -- near duplicates and index ----------------------------------------------------------
    def sync(self) -> None:
        """Bring clusters, enrichment and the index up to date with the store (also heals after a crash).

        Ingest enriches only articles stored while enrichment was on (a persistent flag, so a killed
        ingest resumes them); opening an archive never enriches a backlog ingested without it.
        """
        self._dedup_pending()
        if self.settings.enrich:
            self.enrich_pending(wanted_only=True)
        self._index_pending()

    def enrich_pending(self, progress: ProgressHook | None = None, wanted_only: bool = False) -> int:
        """Entities, quotes and events for articles not yet enriched (or whose body changed); resumable."""
        hook = progress or (lambda _event, _n: None)
        nlp = self._nlp()
        if nlp is None:
            return 0
        from newsarchive.enrich.pipeline import enrich_many

        done = 0
        while True:
            pending = self.store.pending_enrichment(self.settings.batch_size, wanted_only)
            if not pending:
                return done
            hashes = {aid: h for aid, _, _, h in pending}
            at = now_iso()
            with self.store.transaction():
                # small pipe batches: spaCy holds every token of a batch in memory at once
                items = ((aid, body, pub) for aid, body, pub, _ in pending)
                for enrichment in enrich_many(items, nlp, batch_size=8):
                    self.store.put_enrichment(enrichment, hashes[enrichment.article_id], at)
                    self.store.mark_unindexed(enrichment.article_id)
                    done += 1
                    hook("enriched", 1)

    def _nlp(self) -> Language | None:
        if self._nlp_model is None:
            from newsarchive.enrich.nlp import ModelNotInstalledError, load_nlp

            try:
                self._nlp_model = load_nlp(self.settings.spacy_model)
            except ModelNotInstalledError as exc:
                if not self._warned_nlp:
                    log.warning("enrichment skipped: %s", exc)
                    self._warned_nlp = True
                return None
        return self._nlp_model

    def _dedup_pending(self) -> None:
        threshold = self.settings.near_dup_threshold
        while True:
            pending = self.store.pending_dedup(self.settings.batch_size)
            if not pending:
                return
            with self.store.transaction():
                for article_id, body in pending:
                    sig = dedup.signature(body)
                    current = self.store.cluster_of(article_id)
                    if sig is None:
                        self.store.set_cluster(article_id, current or article_id)
                        continue
                    best_id, best_sim = None, 0.0
                    candidates = self.store.lsh_candidates(sig.bands) - {article_id}
                    for other, other_sig in self.store.get_signatures(candidates).items():
                        sim = dedup.similarity(sig.hashvalues, other_sig)
                        if sim > best_sim:
                            best_id, best_sim = other, sim
                    self.store.put_signature(article_id, sig.hashvalues, sig.bands)
                    if best_id is not None and best_sim >= threshold and current in (None, article_id):
                        # joining a cluster re-indexes its members too: their duplicate counts change
                        self.store.set_cluster(article_id, self.store.cluster_of(best_id) or best_id)
                    else:
                        self.store.set_cluster(article_id, current or article_id)

    def _index_pending(self) -> None:
        while True:
            pending = self.store.pending_index(self.settings.batch_size)
            deleted = self.store.pending_index_deletes()
            if not pending and not deleted:
                return
            self.index.write(index_entries(self.store, pending), deleted)
            with self.store.transaction():
                self.store.mark_indexed([a.id for a in pending], deleted)

    def heal_index(self) -> None:
        """At open: finish interrupted chrome and index work; rebuild when the index and store disagree."""
        self.reclean_stale_sites()
        self.sync()
        if self.index.doc_count() != self.store.count_indexed():
            log.warning("search index out of step with the database; rebuilding it")
            self.reindex()

    def reindex(self) -> None:
        self.index.clear()
        with self.store.transaction():
            self.store.mark_all_unindexed()
        self._index_pending()

    def reextract(self, progress: ProgressHook | None = None) -> int:
        """Re-run extraction from the kept originals (after an extractor upgrade); returns articles updated."""
        hook = progress or (lambda _event, _n: None)
        updated = 0
        for stored in list(self.store.iter_captures()):
            if stored.article_id is None:
                continue
            capture = Capture(
                origin=stored.ref.origin,
                raw=stored.raw,
                format=stored.format,  # type: ignore[arg-type]
                url=stored.ref.url,
                fetched_at=stored.ref.fetched_at,
                content_type=stored.content_type,
                hints=stored.hints,
            )
            hook("record", 1)
            try:
                extracted = extract_capture(capture, self.settings)
            except InputError as exc:
                log.warning("%s: %s (kept the previous extraction)", capture.origin, exc.reason)
                continue
            stored_chrome = (
                self.store.get_site_chrome(extracted.site) if capture.format in _PAGE_FORMATS else None
            )
            chrome = SiteChrome.from_json(stored_chrome) if stored_chrome else None
            base_removed = list(extracted.removed)
            cleaned = apply_chrome(extracted, chrome, self.settings)
            old = self.store.get_article(stored.article_id)
            if old is None or not cleaned.body.strip():
                continue
            article = _to_article(old.id, cleaned)
            article.cluster_id = old.cluster_id
            if (article.body, article.title) == (old.body, old.title):
                continue
            with self.store.transaction():
                self.store.replace_article(ArticleDraft(article, list(extracted.blocks), base_removed))
            updated += 1
        self.sync()
        return updated


def _renamed(records: Iterable[Capture | Reject], names: dict[str, str]) -> Iterator[Capture | Reject]:
    """Records whose origin starts with a renamed file's path, with that path replaced by its name."""
    for record in records:
        path, sep, rest = record.origin.partition("#")
        name = names.get(path)
        if name is None:
            yield record
        elif isinstance(record, Reject):
            yield Reject(name + sep + rest, record.reason.replace(path, name))
        else:
            yield replace(record, origin=name + sep + rest)


def index_entries(store: Store, articles: list[Article]) -> list[IndexEntry]:
    """What the index keeps of these articles: cluster representative or not, cluster size, entities."""
    sizes = store.cluster_sizes(a.cluster_id for a in articles if a.cluster_id)
    entities = store.article_entities(a.id for a in articles)
    return [
        IndexEntry(
            article=a,
            canonical=a.cluster_id in (None, a.id),
            cluster_size=sizes.get(a.cluster_id, 1) if a.cluster_id else 1,
            entities=tuple(entities.get(a.id, ())),
        )
        for a in articles
    ]


def _to_article(article_id: str, e: Extracted) -> Article:
    source = e.source.strip() or e.site or "unknown"
    return Article(
        id=article_id,
        title=e.title,
        body=e.body,
        source=source,
        site=e.site or "-".join(source.casefold().split()),
        url=e.url,
        authors=list(e.authors),
        published=e.published,
        published_from=e.published_from,
        section=e.section,
        language=e.language or detect_language(e.body),
        captions=list(e.captions),
        media_ids=list(e.media_ids),
        word_count=len(e.body.split()),
        body_hash=body_hash(e.body),
        removed=list(e.removed),
    )
