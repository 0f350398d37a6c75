"""What the Spark job's tasks run: plain Python over plain records, no Spark in here.

Each function is one step of ingest applied to a partition or a group (a site, a body hash, a URL,
an LSH bucket), calling the same code ingest calls (``process``, ``dedup``, ``SiteChrome``), so the
job's answers are ingest's. Kept apart from ``spark_job`` so it can be tested without a JVM.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsarchive import dedup, process
from newsarchive.clustering import MAX_VERIFIED, PREFILTER
from newsarchive.dedup.given_boilerplate import SiteEdges
from newsarchive.dedup.versions import latest_key
from newsarchive.extract.chrome import SiteChrome
from newsarchive.model import Capture, Enrichment, Entity, Event, Extracted, Mention, Quote, Reject, Role
from newsarchive.settings import Settings
from newsarchive.sources.detect import read_path
from newsarchive.sources.files import display_origin
from newsarchive.sources.stream import read_stream, renamed
from newsarchive.store.base import CopyPair

Order = tuple[int, int]
"""(input number, record number in it): the order ingest meets captures in."""


@dataclass(slots=True, frozen=True)
class CaptureMeta:
    """A capture without its bytes: what every later step needs of it."""

    order: Order
    sha256: str
    origin: str
    format: str
    url: str | None
    fetched_at: str | None
    content_type: str | None
    hints: dict[str, str]

    @property
    def own_id(self) -> str:
        """The id of the article this capture makes (before exact duplicates are merged)."""
        return self.sha256[:16]

    @classmethod
    def of(cls, capture: Capture, order: Order) -> CaptureMeta:
        return cls(
            order,
            capture.sha256,
            capture.origin,
            capture.format,
            capture.url,
            capture.fetched_at,
            capture.content_type,
            dict(capture.hints),
        )


@dataclass(slots=True, frozen=True)
class ReadCapture:
    """A capture read from an input: extracted (``page``, or the reason extraction gave) or with
    its bytes (``raw``), as the reading asked."""

    meta: CaptureMeta
    raw: bytes
    page: Extracted | str


@dataclass(slots=True, frozen=True)
class ReadReject:
    """An input or a record a reader could not read."""

    order: Order
    reject: Reject


Read = ReadCapture | ReadReject


# -- reading and extraction -----------------------------------------------------------------
def read_local(
    files: Iterable[tuple[int, str, str]],
    settings: Settings,
    extract: bool = True,
    repeats: Collection[tuple[str, Order]] = (),
) -> Iterator[Read]:
    """(input number, path to open, origin to record) -> captures and rejects.

    With ``extract`` each capture comes with its extraction and without its bytes (what every
    later step needs); without, with its bytes only (for the captures table: reading an input
    again costs a small share of extracting it, and keeps the bytes out of every shuffle).
    ``repeats``: (sha256, place) of captures read before elsewhere, which ingest skips: they come
    unextracted (``page`` is ``REPEATED``).
    """
    for number, path, origin in files:
        local = display_origin(path)
        records = read_path(Path(path), settings)
        renamed_records = (renamed(r, local, origin) if local != origin else r for r in records)
        yield from _numbered(number, renamed_records, settings, extract, repeats)


def read_blobs(
    blobs: Iterable[tuple[int, str, bytes]],
    settings: Settings,
    extract: bool = True,
    repeats: Collection[tuple[str, Order]] = (),
) -> Iterator[Read]:
    """(input number, URL, the file's bytes) of files on a Hadoop filesystem -> captures and rejects."""
    for number, url, content in blobs:
        yield from _numbered(
            number, read_stream(io.BytesIO(content), url, settings), settings, extract, repeats
        )


REPEATED = "read before (same bytes); skipped"
"""The ``page`` of a capture read again, left unextracted (ingest skips it as already archived)."""


def _numbered(
    number: int,
    records: Iterable[Capture | Reject],
    settings: Settings,
    extract: bool,
    repeats: Collection[tuple[str, Order]] = (),
) -> Iterator[Read]:
    for i, record in enumerate(records):
        if isinstance(record, Reject):
            yield ReadReject((number, i), record)
        elif extract and (record.sha256, (number, i)) in repeats:
            yield ReadCapture(CaptureMeta.of(record, (number, i)), b"", REPEATED)
        elif extract:
            yield ReadCapture(CaptureMeta.of(record, (number, i)), b"", process.extract(record, settings))
        else:
            yield ReadCapture(CaptureMeta.of(record, (number, i)), record.raw, "")


def first_seen(orders: Iterable[Order]) -> list[Order]:
    """Of the places one capture's bytes were read from, every one but the first (ingest skips those)."""
    return sorted(orders)[1:]


# -- site chrome ----------------------------------------------------------------------------
def chrome_partials(pages: Iterable[tuple[str, list[str]]]) -> Iterator[tuple[str, SiteChrome]]:
    """(site, blocks) of a partition's pages -> each site's chrome counted over them."""
    found: dict[str, SiteChrome] = {}
    for site, blocks in pages:
        found.setdefault(site, SiteChrome(site=site)).add_page(blocks)
    yield from found.items()


def merge_chrome(a: SiteChrome, b: SiteChrome) -> SiteChrome:
    """Two counts of one site's chrome as one: what ``add_page`` over both sets of pages gives
    (block keys and story-river layouts alike)."""
    return a.merged(b)


def clean(
    meta: CaptureMeta, page: Extracted, chrome: SiteChrome | None, settings: Settings
) -> process.Processed | str:
    """The capture's article with its site's chrome removed, as ingest stores it (the copy inputs
    wait for the site's boilerplate)."""
    return process.process_page(meta.sha256, meta.format, page, settings, chrome, boilerplate=None)


# -- given-text boilerplate ------------------------------------------------------------------
def given_edge_partials(texts: Iterable[tuple[str, str]]) -> Iterator[tuple[str, SiteEdges]]:
    """(site, given text) of a partition's text captures -> each site's edge lines counted over them."""
    found: dict[str, SiteEdges] = {}
    for site, text in texts:
        found.setdefault(site, SiteEdges(site)).add_text(text)
    yield from found.items()


def merge_given_edges(a: SiteEdges, b: SiteEdges) -> SiteEdges:
    """Two counts of one site's given-text edge lines as one."""
    return a.merged(b)


def clean_given(
    meta: CaptureMeta, page: Extracted, boilerplate: frozenset[int] | None, settings: Settings
) -> process.Processed | str:
    """The article of a given text with its site's boilerplate lines trimmed, as ingest stores it."""
    return process.process_page(
        meta.sha256, meta.format, page, settings, None, boilerplate=None, given_boilerplate=boilerplate or ()
    )


# -- exact duplicates and versions ----------------------------------------------------------
def survivor(members: Iterable[dedup.Member]) -> str:
    """The id kept of articles with one body (the exact-duplicate survivor rule)."""
    return dedup.best(members).id


def latest_version(versions: Iterable[tuple[str, str | None, str | None]]) -> str:
    """Of (id, last capture time, published) of one URL's versions, the latest: captured last, then
    published last, then the larger id (``dedup.versions.latest_key``, as ingest)."""
    return max(versions, key=lambda v: latest_key(*v))[0]


def site_boilerplate(counts: Iterable[tuple[int, int]]) -> frozenset[int]:
    """A site's boilerplate line keys from (key, articles with it at an edge)."""
    return frozenset(k for k, n in counts if n >= dedup.boilerplate.MIN_ARTICLES)


# -- candidates and copy pairs ----------------------------------------------------------------
def bucket_pairs(members: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Every pair of the articles sharing one LSH bucket (smaller id first)."""
    ids = sorted(set(members))
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            yield a, b


def estimated(
    a: str, sig_a: tuple[bytes, int], b: str, sig_b: tuple[bytes, int]
) -> Iterator[tuple[tuple[str, str], float]]:
    """The pair with its estimated resemblance or containment (the larger), when it passes the
    prefilter: the estimate ``CopyFinder._find_pairs`` computes from signatures and shingle counts."""
    (values_a, n_a), (values_b, n_b) = sig_a, sig_b
    estimate = max(
        dedup.similarity(values_a, values_b), dedup.estimated_containment(values_a, n_a, values_b, n_b)
    )
    if estimate >= PREFILTER:
        yield (a, b), estimate


def best_candidates(article_id: str, scored: Iterable[tuple[float, str]]) -> list[tuple[str, str]]:
    """The pairs of one article's candidates worth verifying: the MAX_VERIFIED best estimates."""
    ranked = sorted((-estimate, other) for estimate, other in scored)[:MAX_VERIFIED]
    return [(min(article_id, other), max(article_id, other)) for _, other in ranked]


class Verifier:
    """Verifies candidate pairs on exact shingle sets, keeping recent fingerprints (an article is
    often in several pairs of one partition)."""

    def __init__(self, size: int = 2000) -> None:
        self._fingerprints: OrderedDict[str, dedup.Fingerprint] = OrderedDict()
        self._size = size

    def pair(self, a: str, text_a: str, b: str, text_b: str) -> CopyPair | None:
        match = dedup.copy_match(self._fingerprint(a, text_a), self._fingerprint(b, text_b))
        return None if match is None else CopyPair(a, b, match.resemblance, match.containment)

    def _fingerprint(self, article_id: str, text: str) -> dedup.Fingerprint:
        found = self._fingerprints.get(article_id)
        if found is None:
            found = self._fingerprints[article_id] = dedup.Fingerprint.of(text)
            if len(self._fingerprints) > self._size:
                self._fingerprints.popitem(last=False)
        else:
            self._fingerprints.move_to_end(article_id)
        return found


# -- enrichment -------------------------------------------------------------------------------
def enrich(
    articles: Iterable[tuple[str, str, str | None, str, str | None]], settings: Settings
) -> Iterator[Enrichment | tuple[str, str, str]]:
    """(id, body, published, body hash, language) -> enrichments, and (id, body hash, reason) for those skipped.

    spaCy is loaded once per executor process (``load_nlp`` is cached per process and PySpark
    reuses its Python workers); batches go through ingest's own batch function. Each executor
    runs one Python worker per core, so each keeps its BLAS to one thread.
    """
    from newsarchive.enrich.matrix_ops import one_blas_thread
    from newsarchive.enrich.nlp import load_nlp

    one_blas_thread()
    nlp = load_nlp(settings.spacy_model)
    batch: list[tuple[str, str, str | None, str, str | None]] = []
    for item in articles:
        batch.append(item)
        if len(batch) >= settings.batch_size:
            yield from _enriched(batch, nlp)
            batch = []
    if batch:
        yield from _enriched(batch, nlp)


def _enriched(
    batch: list[tuple[str, str, str | None, str, str | None]], nlp: Any
) -> Iterator[Enrichment | tuple[str, str, str]]:
    from newsarchive.ingest import _enrich_batch
    from newsarchive.store.base import EnrichmentTask

    results, skipped = _enrich_batch([EnrichmentTask(*item) for item in batch], nlp)
    hashes = {item[0]: item[3] for item in batch}
    yield from results
    answered = {e.article_id for e in results} | set(skipped)
    for article_id in hashes.keys() - answered:
        skipped[article_id] = "enrichment gave no result for this article; skipped - please report this"
    for article_id, reason in skipped.items():
        yield (article_id, hashes[article_id], reason)


def enrichment_json(enrichment: Enrichment) -> str:
    """Every field of an enrichment (more than the export's JSON: quote spans, direct, roles)."""
    return json.dumps(dataclasses.asdict(enrichment), ensure_ascii=False)


def enrichment_from_json(text: str) -> Enrichment:
    data = json.loads(text)
    return Enrichment(
        article_id=data["article_id"],
        mentions=[Mention(**m) for m in data["mentions"]],
        entities=[Entity(**{**e, "roles": [Role(**r) for r in e["roles"]]}) for e in data["entities"]],
        quotes=[Quote(**q) for q in data["quotes"]],
        events=[Event(**e) for e in data["events"]],
    )


def local_path(location: str) -> str | None:
    """The local path a location names (a plain path or a file: URL), None for another filesystem."""
    if location.startswith("file://"):
        return location[len("file://") :] or "/"
    if location.startswith("file:"):
        return location[len("file:") :]
    scheme = location.split(":", 1)[0] if ":" in location else ""
    if scheme and "/" not in scheme and len(scheme) > 1 and location[len(scheme) :].startswith("://"):
        return None
    return os.fspath(location)
