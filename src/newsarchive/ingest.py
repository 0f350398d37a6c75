"""The pipeline: sources -> extract -> site chrome -> exact dedup -> store -> near dedup -> index.

Work goes in batches; each batch is one store transaction, and the index follows the store
(articles carry an ``indexed`` flag), so a kill at any moment loses at most the batch in flight
and the next run heals the index. Re-ingesting the same capture is a no-op (SHA-256 identity).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive import dedup
from newsarchive.clustering import CopyFinder
from newsarchive.dedup.given_boilerplate import FORMAT as GIVEN_FORMAT
from newsarchive.dedup.given_boilerplate import SiteEdges, site_of, store_key, trim_given
from newsarchive.dedup.given_boilerplate import trims as trims_given
from newsarchive.errors import ArchiveBusyError, ArchiveError, DamagedCaptureError
from newsarchive.extract.chrome import SiteChrome, apply_chrome
from newsarchive.extract.nonarticle import (
    RECURRING_MAX_WORDS,
    RECURRING_PAGES,
    PageKey,
    not_an_article,
    recurring_reason,
    reject_reason,
    word_size,
)
from newsarchive.index.base import Index, IndexEntry
from newsarchive.lock import Lock
from newsarchive.model import Article, Capture, Enrichment, Extracted, IngestReport, Reject, Skip
from newsarchive.process import NO_TEXT_AFTER_CHROME, cleaned_page
from newsarchive.process import extract as _extract
from newsarchive.process import failure as _failure
from newsarchive.process import printable_draft as _printable_draft
from newsarchive.process import to_article as _to_article
from newsarchive.settings import Settings
from newsarchive.sources.detect import iter_input_files, read_path
from newsarchive.sources.fetch import fetch_urls
from newsarchive.sources.files import display_origin
from newsarchive.store.base import ArticleDraft, EnrichmentTask, Store, StoredCapture

if TYPE_CHECKING:
    from concurrent.futures import Future

    from spacy.language import Language

    from newsarchive.enrich.pipeline import WorkerPool

log = logging.getLogger(__name__)

_PAGE_FORMATS = ("html", "textdump")
"""Formats that carry a site's page template; given texts (JSONL/CSV, Reuters) are kept as they are."""

ProgressHook = Callable[[str, int], None]
"""Called as hook(event, amount): events are 'files_total', 'file', 'record', 'article', 'reject',
and 'enriched' / 'skipped' as enrichment stores its results."""


@dataclass(slots=True)
class _Counts:
    inputs: int = 0
    captures_new: int = 0
    captures_seen: int = 0
    articles_new: int = 0
    duplicates: int = 0
    rejects: list[Reject] = field(default_factory=list)
    stamps: set[str] = field(default_factory=set)
    """The ``ingested_at`` of this run's batches (which stored captures are the run's)."""
    notices: list[Reject] = field(default_factory=list)


LANE_BATCH = 64
"""Captures per stored batch while enrichment workers run beside the ingest: they start on the first
articles sooner and little is left to parse once extraction ends (2.51x the core's time against
2.93x with 500-capture batches on the bench's 389 pages, docs/benchmarks.md). Costs the core nothing measurable (CPU
15.2 s at 64, 15.0 s at 500), and the articles are the same for any batch size (chrome re-applied,
merged duplicates split, emptied pages retried at the run's end)."""


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class _Lane:
    """Enrichment handed to worker processes and not yet stored."""

    pool: WorkerPool
    running: deque[tuple[Future[Any], list[EnrichmentTask]]] = field(default_factory=deque)
    busy: set[str] = field(default_factory=set)
    """Ids of the articles in ``running``."""


class Pipeline:
    """Runs ingest, chrome re-learning, near-dedup and index sync over one store and index.

    Every unit of write work holds the archive's writer lock (lock.py), so two pipelines on one
    archive (two CLI runs, or a run and the server) take turns batch by batch. One item that fails
    on its content (a capture, an article to enrich or index) is rejected or recorded as skipped;
    the rest of its batch goes on.
    """

    def __init__(self, store: Store, index: Index, settings: Settings, lock: Lock) -> None:
        self.store = store
        self.index = index
        self.settings = settings
        self.lock = lock
        self._nlp_model: Language | None = None
        self._warned_nlp = False
        self._walls: dict[str, str] = {}
        """Body hashes found to be no article (the recurrence rule), with their reject reason."""
        self._recurring: set[str] = set()
        """Body hashes of short texts that got an exact duplicate, to judge at the end of the run."""
        self._hook: ProgressHook | None = None
        """The running ingest's progress hook, which enrichment reports to as well."""
        self._lane: _Lane | None = None
        """Enrichment workers parsing stored batches while the run extracts the next (ingest only)."""
        self._seen_templates: dict[str, set[str]] = {}
        """Every chrome key (or given-text edge line) a site had at any point of this run, by the
        site's chrome key: captures merged while one held must be looked at again if it no longer does."""
        self._emptied: dict[str, list[str]] = {}
        """Captures of this run rejected as all chrome, by the site's chrome key: tried again if the
        site's chrome loses lines by the run's end."""
        self._batching = False
        """Inside an ingest's batch loop: names are linked once at the run's end, not per batch
        (linking reads every name of the archive)."""

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
            records = _renamed(records, {display_origin(path): name for path, name in names.items()})
        return self._ingest_records(records, len(files) + len(pages), hook)

    def _ingest_records(
        self, records: Iterable[Capture | Reject], inputs: int, hook: ProgressHook
    ) -> IngestReport:
        """The pipeline proper, over captures from any source, in batches.

        When another writer holds the archive past the wait limit the run stops between batches:
        what was stored is complete (stored, deduplicated, indexed), the rest is not started.
        """
        counts = _Counts(inputs=inputs)
        stopped: str | None = None
        batch: list[Capture | Reject] = []
        self._lane = self._open_lane()
        self._hook = hook
        self._batching = True
        size = (
            min(self.settings.batch_size, LANE_BATCH) if self._lane is not None else self.settings.batch_size
        )
        try:
            for item in records:
                batch.append(item)
                if len(batch) >= size:
                    self._ingest_batch(batch, counts, hook)
                    batch = []
            if batch:
                self._ingest_batch(batch, counts, hook)
            self.reclean_stale_sites(counts)
            self._judge_recurring(counts, hook)
            self._drain_lane()
            self._batching = False
            self.sync()
        except ArchiveBusyError as exc:
            stopped = str(exc)
        finally:
            self._hook = None
            self._batching = False
            lane, self._lane = self._lane, None
            if lane is not None:
                lane.pool.close()
        return IngestReport(
            inputs=counts.inputs,
            captures_new=counts.captures_new,
            captures_seen=counts.captures_seen,
            articles_new=counts.articles_new,
            duplicates=counts.duplicates,
            rejects=counts.rejects,
            stopped=stopped,
            notices=counts.notices,
        )

    def _records(self, files: list[Path], urls: list[str], hook: ProgressHook) -> Iterator[Capture | Reject]:
        for path in files:
            yield from read_path(path, self.settings)
            hook("file", 1)
        for record in fetch_urls(urls, self.settings):
            yield record
            hook("file", 1)

    def _reject(self, reject: Reject, counts: _Counts, hook: ProgressHook) -> None:
        """Record a reject inside the batch's transaction."""
        log.warning("%s: %s", reject.origin, reject.reason)
        counts.rejects.append(reject)
        self.store.add_reject(reject)
        hook("reject", 1)

    def _notice(self, notice: Reject, counts: _Counts) -> None:
        """Record a notice (the capture was stored; its input has something to fix) in the rejects' log."""
        log.info("%s: %s", notice.origin, notice.reason)
        counts.notices.append(notice)
        self.store.add_reject(notice)

    def _reject_capture(
        self, capture: Capture, reason: str, ingested_at: str, counts: _Counts, hook: ProgressHook
    ) -> None:
        """A capture that gave no article: its bytes are kept (for reextract) when they can be stored,
        and the reason recorded either way."""
        try:
            with self.store.savepoint():
                self.store.add_capture(capture, None, ingested_at)
            counts.captures_new += 1
        except ArchiveError:
            raise
        except Exception:
            log.exception("cannot keep the bytes of %s either", capture.origin)
        self._reject(Reject(capture.origin, reason), counts, hook)

    def _ingest_batch(self, batch: list[Capture | Reject], counts: _Counts, hook: ProgressHook) -> None:
        """Extract a batch (no lock needed: pure work), then store it in one locked transaction."""
        extracted: list[tuple[Capture, Extracted | str]] = []
        seen = self.store.known_captures(c.sha256 for c in batch if isinstance(c, Capture))
        for item in batch:
            if isinstance(item, Reject):
                continue
            hook("record", 1)
            if item.sha256 in seen:
                counts.captures_seen += 1
                continue
            seen.add(item.sha256)
            extracted.append((item, _extract(item, self.settings)))
        ingested_at = now_iso()
        counts.stamps.add(ingested_at)
        with self.lock.hold(), self.store.transaction():
            for item in batch:
                if isinstance(item, Reject):
                    self._reject(item, counts, hook)
            fresh: list[tuple[Capture, Extracted]] = []
            stored_meanwhile = self.store.known_captures(c.sha256 for c, _ in extracted)
            for capture, result in extracted:
                if capture.sha256 in stored_meanwhile:
                    counts.captures_seen += 1  # another writer stored it while we extracted
                elif isinstance(result, str):
                    self._reject_capture(capture, result, ingested_at, counts, hook)
                else:
                    for notice in result.notices:
                        self._notice(Reject(capture.origin, notice), counts)
                    fresh.append((capture, result))
            chromes = self._learn_chrome([e for c, e in fresh if c.format in _PAGE_FORMATS])
            given = self._learn_given_edges([e for c, e in fresh if trims_given(c.format)])
            for capture, page in fresh:
                chrome = chromes.get(page.site) if capture.format in _PAGE_FORMATS else None
                edges = given.get(page.site, frozenset()) if trims_given(capture.format) else frozenset()
                try:
                    with self.store.savepoint():
                        self._store_capture(capture, page, chrome, ingested_at, counts, hook, edges)
                except ArchiveError:
                    raise  # the disk or the database failed, not this capture: stop the batch
                except Exception as exc:  # this capture is rejected with the reason
                    log.exception("unexpected error storing %s", capture.origin)
                    self._reject_capture(capture, _failure("storing", exc), ingested_at, counts, hook)
        if self._lane is None:
            self.sync()
            return
        self._dedup_pending()
        self._collect_lane(wait=False)
        self._feed_lane()
        # articles in the workers are indexed once their entities are stored, not twice
        self._index_pending(waiting=self._lane.busy if self._lane is not None else frozenset())

    def _store_capture(
        self,
        capture: Capture,
        page: Extracted,
        chrome: SiteChrome | None,
        ingested_at: str,
        counts: _Counts,
        hook: ProgressHook,
        given_boilerplate: frozenset[int] = frozenset(),
    ) -> None:
        base_removed = list(page.removed)
        cleaned = cleaned_page(page, capture.format, self.settings, chrome, given_boilerplate)
        if isinstance(cleaned, str):
            self._reject_capture(capture, cleaned, ingested_at, counts, hook)
            if cleaned == NO_TEXT_AFTER_CHROME:  # the chrome of a few pages may not be the site's
                key = page.site if capture.format in _PAGE_FORMATS else store_key(page.site)
                self._emptied.setdefault(key, []).append(capture.sha256)
            return
        article = _to_article(capture.sha256[:16], cleaned)
        if article.body_hash in self._walls:
            self._reject_capture(capture, self._walls[article.body_hash], ingested_at, counts, hook)
            return
        existing = self.store.article_by_body_hash(article.body_hash)
        kept = self.store.get_article(existing) if existing is not None else None
        if kept is not None and word_size(article.body) < RECURRING_MAX_WORDS:
            self._recurring.add(article.body_hash)
        if kept is not None and _ranks_before(kept, article):
            self.store.add_capture(capture, kept.id, ingested_at)
            counts.captures_new += 1
            counts.duplicates += 1
            return
        draft = ArticleDraft(article, list(page.blocks), base_removed)
        try:
            self.store.insert_article(draft, enrich=self.settings.enrich)
        except UnicodeEncodeError:  # lone surrogates (from JSON \\ud800 escapes): keep the rest as given
            draft = _printable_draft(draft)
            self.store.insert_article(draft, enrich=self.settings.enrich)
        self.store.add_capture(capture, article.id, ingested_at)
        counts.captures_new += 1
        if kept is not None:  # the new capture is the better survivor of an exact duplicate
            self._merge_exact(kept.id, into=article.id)
            counts.duplicates += 1
            return
        counts.articles_new += 1
        hook("article", 1)

    def _merge_exact(self, article_id: str, into: str) -> None:
        """Fold an exact duplicate into its survivor: captures move, its id resolves to the survivor,
        and the cluster it was in is recomputed without it."""
        self._remove_article(article_id, into)

    def _remove_non_article(self, article: Article, reason: str) -> list[Reject]:
        """Remove an article that turned out to be no article: its captures stay, each rejected."""
        self._remove_article(article.id, None)
        rejects = [Reject(ref.origin, reason) for ref in article.captures]
        for reject in rejects:
            log.warning("%s: %s", reject.origin, reject.reason)
            self.store.add_reject(reject)
        return rejects

    def _remove_article(self, article_id: str, into: str | None) -> None:
        finder = CopyFinder(self.store)
        gone = self.store.dedup_items([article_id]).get(article_id)
        if gone is None:
            return
        finder.forget_edges(gone)
        others = [i for i in self.store.cluster_members([gone.cluster_id or gone.id]) if i != article_id]
        # no survivor (into None): its captures are kept unlinked, the index delete is queued
        self.store.delete_article(article_id, merged_into=into)
        if gone.url_key is not None:
            self.store.mark_undeduped(v.id for v in self.store.version_infos(gone.url_key))
        finder.recluster(others, changed=True)

    def _judge_recurring(self, counts: _Counts, hook: ProgressHook) -> None:
        """The recurrence rule, once the run's captures are all in: a short text on many unrelated
        pages of one site (a soft-404 or wall the phrases missed) is no article; its article goes and
        its captures stay, each rejected. Judged over every capture of the text, whatever came first,
        so the answer and its count are those of any other order (and of the Spark job)."""
        if not self._recurring:
            return
        with self.lock.hold(), self.store.transaction():
            for text_hash in sorted(self._recurring):
                article_id = self.store.article_by_body_hash(text_hash)
                article = self.store.get_article(article_id) if article_id is not None else None
                if article is None or len(article.captures) < RECURRING_PAGES:
                    continue
                size = word_size(article.body)
                if size >= RECURRING_MAX_WORDS:
                    continue
                reason = recurring_reason(size, self._page_keys(article))
                if reason is None:
                    continue
                self._walls[text_hash] = reject_reason(reason)
                run = sum(1 for ref in article.captures if ref.ingested_at in counts.stamps)
                if run == len(article.captures):  # made this run: the article and its copies are rejects now
                    counts.articles_new -= 1
                    counts.duplicates -= run - 1
                else:
                    counts.duplicates -= run
                for reject in self._remove_non_article(article, self._walls[text_hash]):
                    counts.rejects.append(reject)
                    hook("reject", 1)
        self._recurring.clear()

    def _page_keys(self, article: Article) -> list[PageKey]:
        """Site, URL key and title of each capture of an article's text (the others re-extracted
        from their kept bytes: only the survivor's are stored)."""
        keys = [PageKey(article.site, dedup.url_key(article.url), article.title)]
        for ref in article.captures:
            try:
                stored = self.store.get_capture(ref.sha256) if ref.sha256[:16] != article.id else None
            except DamagedCaptureError as exc:  # judged on the other captures
                log.error("%s", exc)
                continue
            if stored is None:
                continue
            capture = stored.to_capture()
            page = _extract(capture, self.settings)
            if not isinstance(page, str):
                other = _to_article(ref.sha256[:16], page)
                keys.append(PageKey(other.site, dedup.url_key(other.url), other.title))
        return keys

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
            after = chrome.chrome_keys(self.settings)
            self._seen_templates.setdefault(site, set()).update(before | after)
            changed = stored is not None and after != before
            self.store.put_site_chrome(site, chrome.to_json(), stale=changed)
            learned[site] = chrome
        return learned

    def _learn_given_edges(self, pages: list[Extracted]) -> dict[str, frozenset[int]]:
        """Count the batch's given texts into their sites' edge lines; returns each site's boilerplate.

        Counted over the given text, never the trimmed body, each new capture once; a site whose
        boilerplate changed is marked stale, and its earlier rows are trimmed again at the run's end.
        """
        by_site: dict[str, list[Extracted]] = {}
        for page in pages:
            by_site.setdefault(page.site, []).append(page)
        learned: dict[str, frozenset[int]] = {}
        for site, site_pages in by_site.items():
            stored = self.store.get_site_chrome(store_key(site))
            edges = SiteEdges.from_json(stored) if stored else SiteEdges(site)
            before = edges.boilerplate()
            for page in site_pages:
                edges.add_text(page.body)
            learned[site] = edges.boilerplate()
            self._seen_templates.setdefault(store_key(site), set()).update(map(str, before | learned[site]))
            changed = stored is not None and learned[site] != before
            self.store.put_site_chrome(store_key(site), edges.to_json(), stale=changed)
        return learned

    def _given_boilerplate(self, site: str) -> frozenset[int]:
        stored = self.store.get_site_chrome(store_key(site))
        return SiteEdges.from_json(stored).boilerplate() if stored else frozenset()

    def reclean_stale_sites(self, counts: _Counts | None = None) -> None:
        """Re-clean, once per run, the sites whose learned template changed after their pages were stored.

        Deferred to the end of a run so a big site is re-cleaned once, not once per batch. Where a
        template line of this run is no template any more, the exact duplicates merged under it are
        cleaned again from their own bytes and split off when their text differs now, and this run's
        captures rejected as all chrome are tried again (``counts`` follows both).
        """
        with self.lock.hold():
            for site in self.store.stale_sites():
                stored = self.store.get_site_chrome(site)
                if stored is None:
                    continue
                given_site = site_of(site)  # a site's given-text edge lines, kept beside its chrome
                with self.store.transaction():
                    if given_site is not None:
                        boilerplate = SiteEdges.from_json(stored).boilerplate()
                        self._retrim_given(given_site, boilerplate)
                        if self._seen_templates.get(site, set()) - set(map(str, boilerplate)):
                            self._split_merged(given_site, None, boilerplate, counts, (GIVEN_FORMAT,))
                            self._retry_emptied(site, None, boilerplate, counts)
                    else:
                        chrome = SiteChrome.from_json(stored)
                        self._reapply_chrome(site, chrome)
                        if self._seen_templates.get(site, set()) - chrome.chrome_keys(self.settings):
                            self._split_merged(site, chrome, frozenset(), counts, _PAGE_FORMATS)
                            self._retry_emptied(site, chrome, frozenset(), counts)
                    self.store.mark_site_fresh(site)
        self._seen_templates.clear()
        self._emptied.clear()

    def _split_merged(
        self,
        site: str,
        chrome: SiteChrome | None,
        given: frozenset[int],
        counts: _Counts | None,
        formats: tuple[str, ...],
    ) -> None:
        """Clean each exact duplicate of the site's articles again from its kept bytes, and give the
        ones whose text no longer is their survivor's their own article (or the one with that text),
        so the articles are those of one batch holding every page, whatever the batch size."""
        ids = [d.article.id for d in self.store.site_drafts(site)]
        checked = moved = 0
        for start in range(0, len(ids), 500):
            for article in self.store.get_articles(ids[start : start + 500]).values():
                for ref in article.captures:
                    if ref.sha256.startswith(article.id):
                        continue  # the survivor's own capture: re-cleaned from its kept blocks
                    try:
                        with self.store.savepoint():
                            split = self._split_one(article, ref.sha256, chrome, given, formats)
                    except DamagedCaptureError as exc:  # that capture stays where it is; the rest go on
                        log.error("%s", exc)
                        continue
                    except ArchiveError:
                        raise
                    except Exception as exc:  # the capture stays with the article it was merged into
                        log.warning("%s: could not check its duplicate again (%s)", ref.origin, exc)
                        continue
                    checked += 1
                    moved += int(split is not None)
                    if self._hook is not None:
                        self._hook("rechecked", 1)  # re-extraction: slow on a big site, so shown
                    if split == "new" and counts is not None and ref.ingested_at in counts.stamps:
                        counts.duplicates -= 1  # its own article now (moved to another: still a duplicate)
                        counts.articles_new += 1
                        if self._hook is not None:
                            self._hook("article", 1)
        if checked:
            log.info("%s: %d duplicates checked against the site's chrome, %d moved", site, checked, moved)

    def _split_one(
        self,
        article: Article,
        sha256: str,
        chrome: SiteChrome | None,
        given: frozenset[int],
        formats: tuple[str, ...],
    ) -> str | None:
        """Move one duplicate capture where its text now belongs: "new" (its own article), "moved"
        (an article with that text), or None (it stays)."""
        stored = self.store.get_capture(sha256)
        if stored is None or stored.format not in formats:
            return None  # a format the other rule cleans (a page's chrome, a given text's edge lines)
        again = self._cleaned_again(stored, chrome, given)
        if again is None or again[1].body_hash == article.body_hash:
            return None  # no article on its own (it stays a copy of the one it matched), or the same
        self.store.mark_unindexed(article.id)  # its list of captures changes
        page, own = again
        return self._place(sha256, own, page)

    def _cleaned_again(
        self, stored: StoredCapture, chrome: SiteChrome | None, given: frozenset[int]
    ) -> tuple[Extracted, Article] | None:
        """A stored capture extracted again from its bytes and cleaned with the site's chrome (or
        given-text edge lines) as the run ends: its page and article, None when it gives none."""
        page = _extract(stored.to_capture(), self.settings)
        if isinstance(page, str):
            return None
        cleaned = cleaned_page(page, stored.format, self.settings, chrome, given)
        if isinstance(cleaned, str):
            return None
        own = _to_article(stored.ref.sha256[:16], cleaned)
        return None if own.body_hash in self._walls else (page, own)

    def _place(self, sha256: str, own: Article, page: Extracted) -> str:
        """Give a stored capture the article of its text: "moved" when an article with that text
        stays the survivor (or is folded into this one), "new" when its own article is made."""
        twin_id = self.store.article_by_body_hash(own.body_hash)
        twin = self.store.get_article(twin_id) if twin_id is not None else None
        if twin is not None and _ranks_before(twin, own):
            self.store.move_capture(sha256, twin.id)
            self.store.mark_unindexed(twin.id)
            return "moved"
        self.store.insert_article(
            ArticleDraft(own, list(page.blocks), list(page.removed)), self.settings.enrich
        )
        self.store.move_capture(sha256, own.id)
        if twin is not None:
            self._merge_exact(twin.id, into=own.id)
            return "moved"
        return "new"

    def _retry_emptied(
        self, key: str, chrome: SiteChrome | None, given: frozenset[int], counts: _Counts | None
    ) -> None:
        """Clean this run's captures rejected as all chrome again with the site's chrome as it ends
        the run; those with text now become articles and leave the rejects."""
        for sha256 in self._emptied.get(key, []):
            try:
                stored = self.store.get_capture(sha256)
            except DamagedCaptureError as exc:  # it stays rejected; the rest go on
                log.error("%s", exc)
                continue
            if stored is None or stored.article_id is not None:
                continue
            again = self._cleaned_again(stored, chrome, given)
            if again is None:
                continue  # still no article: its reject holds
            page, own = again
            reject = Reject(stored.ref.origin, NO_TEXT_AFTER_CHROME)
            try:
                with self.store.savepoint():
                    placed = self._place(sha256, own, page)
                    self.store.drop_reject(reject)
            except ArchiveError:
                raise
            except Exception as exc:  # it stays rejected
                log.warning("%s: could not be stored after all (%s)", reject.origin, exc)
                continue
            log.info("%s: has article text under the site's chrome at the end of the run", reject.origin)
            if counts is not None:
                if reject in counts.rejects:
                    counts.rejects.remove(reject)
                counts.articles_new += int(placed == "new")
                counts.duplicates += int(placed == "moved")
            if self._hook is not None:  # the bar's counts follow the report's
                self._hook("reject", -1)
                self._hook("article", int(placed == "new"))

    def _reapply_chrome(self, site: str, chrome: SiteChrome) -> None:
        """Re-clean a site's stored pages from their kept blocks; merge those that became identical."""
        self._reclean(site, lambda page: apply_chrome(page, chrome, self.settings), _PAGE_FORMATS)

    def _retrim_given(self, site: str, boilerplate: frozenset[int]) -> None:
        """Trim a site's stored given texts again with the boilerplate its rows show now (lines
        learned since go, lines no longer frequent enough come back); merge those now identical."""
        self._reclean(site, lambda page: trim_given(page, boilerplate), (GIVEN_FORMAT,))

    def _reclean(self, site: str, clean: Callable[[Extracted], Extracted], formats: tuple[str, ...]) -> None:
        """Clean again, from their kept blocks, a site's articles made from captures of these formats
        (a site's page chrome is not its given texts' boilerplate, nor the other way round)."""
        drafts = list(self.store.site_drafts(site))
        made_from = self._own_formats([d.article.id for d in drafts])
        for draft in drafts:
            made = made_from.get(draft.article.id)
            if made is not None and made not in formats:
                continue
            try:
                with self.store.savepoint():
                    self._reapply_one(draft, clean)
            except ArchiveError:
                raise
            except Exception as exc:  # this article keeps its previous cleaning
                log.warning(
                    "%s: could not re-clean with what its site shows (%s); kept as it was",
                    draft.article.id,
                    exc,
                )

    def _own_formats(self, ids: list[str]) -> dict[str, str]:
        """The format of the capture each article was made from (the one its id is the hash prefix of)."""
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            own: dict[str, str] = {}
            for article in self.store.get_articles(ids[start : start + 500]).values():
                sha = next((c.sha256 for c in article.captures if c.sha256.startswith(article.id)), None)
                if sha is not None:
                    own[sha] = article.id
            for sha, info in self.store.capture_infos(own).items():
                found[own[sha]] = info.format
        return found

    def _reapply_one(self, draft: ArticleDraft, clean: Callable[[Extracted], Extracted]) -> None:
        old = draft.article
        single_page = set(draft.base_removed)
        base = Extracted(
            title=old.title,
            # the body as extracted: its blocks less what the page's own rules removed (a byline, a
            # dateline, menu lines of a text dump), so re-cleaning starts where the first cleaning did
            body="\n\n".join(b for b in draft.blocks if b not in single_page),
            source=old.source,
            site=old.site,
            url=old.url,
            authors=old.authors,
            published=old.published,
            published_from=old.published_from,
            published_time=old.published_time,
            published_raw=old.published_raw,
            section=old.section,
            language=old.language,
            captions=old.captions,
            media_ids=old.media_ids,
            blocks=list(draft.blocks),
            removed=list(draft.base_removed),
        )  # a given text is one block, whole (body_offset 0)
        cleaned = clean(base)
        if cleaned.body == old.body or not cleaned.body.strip():
            return
        article = _to_article(old.id, cleaned)
        article.cluster_id = old.cluster_id
        wall = not_an_article(article.title, article.body, article.url)
        stored = self.store.get_article(old.id) if wall is not None else None
        if wall is not None and stored is not None:  # the site's template was all its story had
            self._remove_non_article(stored, reject_reason(wall))
            return
        twin_id = self.store.article_by_body_hash(article.body_hash)
        twin = self.store.get_article(twin_id) if twin_id not in (None, old.id) else None
        if twin is not None and word_size(article.body) < RECURRING_MAX_WORDS:
            self._recurring.add(article.body_hash)
        if twin is not None and _ranks_before(twin, article):
            self._merge_exact(old.id, into=twin.id)
            return
        self.store.replace_article(ArticleDraft(article, draft.blocks, draft.base_removed))
        if twin is not None:
            self._merge_exact(twin.id, into=old.id)

    # -- near duplicates and index ----------------------------------------------------------
    def sync(self) -> None:
        """Bring clusters, enrichment and the index up to date with the store (also heals after a crash).

        Ingest enriches only articles stored while enrichment was on (a persistent flag, so a killed
        ingest resumes them); opening an archive never enriches a backlog ingested without it.
        """
        self._dedup_pending()
        if self.settings.enrich:
            self.enrich_pending(self._hook, wanted_only=True)
        self._index_pending()

    def enrich_pending(self, progress: ProgressHook | None = None, wanted_only: bool = False) -> int:
        """Entities, quotes and events for articles not yet enriched (or whose body changed); resumable.

        An article that cannot be enriched (too long, or the parser fails on it) is recorded as
        skipped with its reason, shown by ``stats``, and not tried again until its body changes.
        """
        hook = progress or (lambda _event, _n: None)
        nlp = self._nlp()
        if nlp is None:
            return 0
        done = 0
        while True:
            # parsing runs without the writer lock (it is the slow part); only the writes take it
            pending = self.store.pending_enrichment(self.settings.batch_size, wanted_only)
            if not pending:
                if not self._batching:  # names of the whole archive linked again when any changed
                    from newsarchive.enrich.coreference import relink_archive

                    with self.lock.hold():
                        relink_archive(self.store, only_if_stale=True)
                return done
            results, skipped = _enrich_batch(pending, nlp)
            done += self._write_enrichment(pending, results, skipped, hook)

    def _write_enrichment(
        self,
        tasks: list[EnrichmentTask],
        results: list[Enrichment],
        skipped: dict[str, str],
        hook: ProgressHook | None = None,
    ) -> int:
        """Store what enriching ``tasks`` gave, in one locked transaction; returns how many were stored.

        A result is kept only while its article still has the body it was made from: an article
        replaced or merged meanwhile (another writer, a later batch of this run) stays pending or
        gone, never gets rows from a body it no longer has.
        """
        hook = hook or self._hook or (lambda _event, _n: None)
        hashes = {task.article_id: task.body_hash for task in tasks}
        answered = {e.article_id for e in results} | set(skipped)
        for article_id in hashes.keys() - answered:  # never loop on an article spaCy gave nothing for
            skipped[article_id] = "enrichment gave no result for this article; skipped - please report this"
        at = now_iso()
        done = 0
        with self.lock.hold(), self.store.transaction():
            current = self.store.get_articles(hashes)
            for enrichment in results:
                article = current.get(enrichment.article_id)
                if article is None or article.body_hash != hashes[enrichment.article_id]:
                    continue
                self.store.put_enrichment(enrichment, hashes[enrichment.article_id], at)
                self.store.mark_unindexed(enrichment.article_id)
                done += 1
                hook("enriched", 1)
            for article_id, reason in skipped.items():
                log.warning("%s: %s", article_id, reason)
                self.store.put_skip(Skip(article_id, "enrich", hashes[article_id], reason, at))
                hook("skipped", 1)
        return done

    # -- the enrichment lane: workers parse batch k while ingest extracts batch k+1 -------------
    def _open_lane(self) -> _Lane | None:
        """Workers for the run when enrichment is on and this process may fork one per core."""
        if not self.settings.enrich:
            return None
        from newsarchive.enrich.pipeline import WorkerPool, worker_processes

        processes = worker_processes()
        if processes < 2:
            return None
        nlp = self._nlp()
        if nlp is None:
            return None
        try:
            return _Lane(WorkerPool(nlp, processes))
        except ArchiveError:
            raise
        except Exception as exc:  # no fork here: enrichment runs at sync, as without a lane
            log.info("enrichment runs after each batch: %s", exc)
            return None

    def _feed_lane(self) -> None:
        """Hand the articles waiting for enrichment (not already in the workers) to the lane."""
        lane = self._lane
        if lane is None:
            return
        from newsarchive.enrich.pipeline import ARTICLES_PER_TASK

        limit = self.settings.batch_size + len(lane.busy)
        waiting = [
            t for t in self.store.pending_enrichment(limit, wanted_only=True) if t.article_id not in lane.busy
        ]
        tasks, too_long = _within_limit(waiting)
        if too_long:
            self._write_enrichment([t for t in waiting if t.article_id in too_long], [], too_long)
        for start in range(0, len(tasks), ARTICLES_PER_TASK):
            chunk = tasks[start : start + ARTICLES_PER_TASK]
            try:
                (future,) = lane.pool.submit([(t.article_id, t.body, t.published, t.language) for t in chunk])
            except Exception as exc:  # a broken pool: what is not handed over is enriched at sync
                log.warning("enrichment workers stopped (%s); the rest is enriched after the batch", exc)
                self._lane = None
                lane.pool.close()
                return
            lane.running.append((future, chunk))
            lane.busy.update(t.article_id for t in chunk)

    def _collect_lane(self, wait: bool) -> None:
        """Store what the workers finished (all of it when ``wait``), in one transaction."""
        lane = self._lane
        if lane is None:
            return
        from newsarchive.enrich.pipeline import worker_results

        tasks: list[EnrichmentTask] = []
        results: list[Enrichment] = []
        skipped: dict[str, str] = {}
        while lane.running and (wait or lane.running[0][0].done()):
            future, chunk = lane.running.popleft()
            try:
                results += worker_results(future)
            except Exception as exc:  # redone here, one by one, so only a failing article is skipped
                log.warning(
                    "enrichment in a worker failed (%s); redoing its %d articles here", exc, len(chunk)
                )
                nlp = self._nlp()
                redone, failed = _enrich_batch(chunk, nlp) if nlp is not None else ([], {})
                results += redone
                skipped.update(failed)
            tasks += chunk
        if tasks:
            self._write_enrichment(tasks, results, skipped)
            lane.busy.difference_update(t.article_id for t in tasks)

    def _drain_lane(self) -> None:
        """The run's last batch: hand over what waits, then store everything the workers give back."""
        self._feed_lane()
        self._collect_lane(wait=True)

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
        with self.lock.hold():
            CopyFinder(self.store).run(self.settings.batch_size)

    def _index_pending(self, waiting: AbstractSet[str] = frozenset()) -> None:
        """Index what the store holds unindexed, but for the ``waiting`` ids (being enriched: their
        entities would have them written again as soon as they are stored)."""
        with self.lock.hold():
            while True:
                pending = [
                    a for a in self.store.pending_index(self.settings.batch_size) if a.id not in waiting
                ]
                deleted = self.store.pending_index_deletes()
                if not pending and not deleted:
                    return
                failed = self.index.write(index_entries(self.store, pending), deleted)
                at = now_iso()
                with self.store.transaction():
                    self.store.mark_indexed([a.id for a in pending if a.id not in failed], deleted)
                    for article in pending:
                        if article.id in failed:
                            log.warning("%s: %s", article.id, failed[article.id])
                            self.store.put_skip(
                                Skip(article.id, "index", article.body_hash, failed[article.id], at)
                            )

    def heal_index(self) -> bool:
        """At a writable open: finish interrupted index work, rebuild when index and store disagree.

        Only index work runs here (it cannot fail on an article's content), and only when no other
        writer is busy; returns whether it ran. Enrichment and dedup catch up at the next ingest.
        """
        if not self.lock.try_hold():
            return False
        try:
            self._index_pending()
            if self.index.doc_count() != self.store.count_indexed():
                log.warning("search index out of step with the database; rebuilding it")
                self.reindex()
        finally:
            self.lock.release()
        return True

    def reindex(self) -> None:
        """Rebuild the index from the store in one index commit (a kill half-way keeps the old one)."""
        with self.lock.hold():
            size = self.settings.batch_size
            batches = (index_entries(self.store, b) for b in self.store.iter_index_batches(size))
            failed = self.index.rebuild(batches)
            at = now_iso()
            with self.store.transaction():
                self.store.mark_all_indexed(failed)
                bodies = self.store.get_articles(failed)
                for article_id, reason in failed.items():
                    body_hash_ = bodies[article_id].body_hash if article_id in bodies else ""
                    self.store.put_skip(Skip(article_id, "index", body_hash_, reason, at))

    def reextract(self, progress: ProgressHook | None = None) -> int:
        """Re-run extraction from the kept originals (after an extractor upgrade); returns articles updated."""
        hook = progress or (lambda _event, _n: None)
        updated = 0
        for stored in self.store.iter_captures():
            if stored.article_id is None or not stored.ref.sha256.startswith(stored.article_id):
                continue  # no article, or an exact duplicate: its survivor is made from its own capture
            capture = stored.to_capture()
            hook("record", 1)
            extracted = _extract(capture, self.settings)
            if isinstance(extracted, str):
                log.warning("%s: %s (kept the previous extraction)", capture.origin, extracted)
                continue
            with self.lock.hold():
                stored_chrome = (
                    self.store.get_site_chrome(extracted.site) if capture.format in _PAGE_FORMATS else None
                )
                chrome = SiteChrome.from_json(stored_chrome) if stored_chrome else None
                base_removed = list(extracted.removed)
                cleaned = apply_chrome(extracted, chrome, self.settings)
                if trims_given(capture.format):
                    cleaned = trim_given(cleaned, self._given_boilerplate(extracted.site))
                old = self.store.get_article(stored.article_id)
                if old is None or not cleaned.body.strip():
                    continue
                article = _to_article(old.id, cleaned)
                article.cluster_id = old.cluster_id
                if _same_extraction(article, old):
                    continue
                with self.store.transaction():
                    self.store.replace_article(ArticleDraft(article, list(extracted.blocks), base_removed))
            updated += 1
        self.sync()
        return updated


def _same_extraction(new: Article, old: Article) -> bool:
    """Whether re-extraction changed nothing a reader sees (text, title, dates)."""
    fields = ("body", "title", "published", "published_time", "published_raw", "authors", "source")
    return all(getattr(new, f) == getattr(old, f) for f in fields)


def _within_limit(tasks: list[EnrichmentTask]) -> tuple[list[EnrichmentTask], dict[str, str]]:
    """The tasks enrichment takes, and {article_id: reason} for bodies over its length limit."""
    from newsarchive.enrich.pipeline import MAX_BODY_CHARS

    fit = [t for t in tasks if len(t.body) <= MAX_BODY_CHARS]
    over = {
        t.article_id: f"body has {len(t.body):,} characters, over the {MAX_BODY_CHARS:,} enrichment limit; "
        "not enriched"
        for t in tasks
        if len(t.body) > MAX_BODY_CHARS
    }
    return fit, over


def _enrich_batch(pending: list[EnrichmentTask], nlp: Language) -> tuple[list[Enrichment], dict[str, str]]:
    """Enrich a batch outside any transaction; failures come back as {article_id: reason}.

    The batch goes through spaCy's pipe at once (fast); if anything in it fails, it is redone one
    article at a time so only the article that fails is skipped.
    """
    from newsarchive.enrich.pipeline import enrich_many, enrich_text

    fit, skipped = _within_limit(pending)
    items = [(task.article_id, task.body, task.published, task.language) for task in fit]
    try:
        # small pipe batches: spaCy holds every token of a batch in memory at once
        return list(enrich_many(items, nlp, batch_size=8)), skipped
    except Exception:  # any failure inside spaCy or our rules: find the article below
        log.warning("enrichment of a batch failed; retrying its %d articles one by one", len(items))
    results: list[Enrichment] = []
    for article_id, body, published, language in items:
        try:
            results.append(enrich_text(article_id, body, published, nlp, language))
        except Exception as exc:  # recorded as a skip with its reason, shown by stats
            skipped[article_id] = _failure("enrichment", exc)
    return results, skipped


def _renamed(records: Iterable[Capture | Reject], names: dict[str, str]) -> Iterator[Capture | Reject]:
    """Records whose origin starts with a renamed file's path, with that path replaced by its name."""
    for record in records:
        path, sep, rest = record.origin.partition("#")
        name = names.get(path)
        if name is None:
            yield record
        elif isinstance(record, Reject):
            yield Reject(name + sep + rest, record.reason.replace(path, name))
        else:  # the temporary folder it was saved in names no site
            hints = {k: v for k, v in record.hints.items() if k != "site_dir"}
            yield replace(record, origin=name + sep + rest, hints=hints)


def index_entries(store: Store, articles: list[Article]) -> list[IndexEntry]:
    """What the index keeps of these articles: cluster representative or not, cluster size, entities."""
    sizes = store.cluster_sizes(a.cluster_id for a in articles if a.cluster_id)
    entities = store.article_entities(a.id for a in articles)
    shown = store.article_entities_shown(a.id for a in articles)
    versions = store.version_counts(a.id for a in articles if a.url)
    return [
        IndexEntry(
            article=a,
            canonical=a.representative and a.latest,
            cluster_size=sizes.get(a.cluster_id, 1) if a.cluster_id else 1,
            entities=tuple(entities.get(a.id, ())),
            versions=versions.get(a.id, 1),
            shown_entities=tuple(shown.get(a.id, ())),
        )
        for a in articles
    ]


def _ranks_before(kept: Article, new: Article) -> bool:
    """Whether the stored article stays the survivor of an exact duplicate (the rule of clusters:
    earliest published, then longest body, then smallest id), whatever arrived first."""

    def member(a: Article) -> dedup.Member:
        return dedup.Member(a.id, a.published_at, len(a.body))

    return dedup.rank(member(kept)) <= dedup.rank(member(new))
