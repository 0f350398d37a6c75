"""The Store protocol: what the pipeline and the query layer need from the source of truth.

SQLite implements it for the embedded default; a server backend (PostgreSQL) must pass the
same contract tests in tests/store/.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from newsarchive.model import (
    Article,
    Capture,
    CaptureRef,
    Enrichment,
    Entity,
    EntityDetail,
    Event,
    Quote,
    Reject,
    Skip,
)


@dataclass(slots=True, frozen=True)
class StoredCapture:
    """A capture as kept in the store: its link, the article it feeds and the original bytes."""

    ref: CaptureRef
    article_id: str | None
    format: str
    content_type: str | None
    hints: dict[str, str]
    raw: bytes

    def to_capture(self) -> Capture:
        """The capture as a reader gave it, to extract again from the kept bytes."""
        return Capture(
            origin=self.ref.origin,
            raw=self.raw,
            format=self.format,  # type: ignore[arg-type]
            url=self.ref.url,
            fetched_at=self.ref.fetched_at,
            content_type=self.content_type,
            hints=self.hints,
        )


@dataclass(slots=True, frozen=True)
class CaptureInfo:
    """What a page lists about a capture without reading (and decompressing) its bytes."""

    sha256: str
    format: str
    content_type: str | None
    raw_size: int


@dataclass(slots=True, frozen=True)
class ArticleDraft:
    """An article before it is stored: the record plus the blocks chrome learning works on."""

    article: Article
    blocks: list[str]
    base_removed: list[str] = field(default_factory=list)
    """What single-page rules removed; site chrome removals are added on top of it."""


@dataclass(slots=True, frozen=True)
class DedupItem:
    """What the duplicate step reads of an article."""

    id: str
    site: str
    url: str | None
    published: str | None
    body: str
    cluster_id: str | None
    url_key: str | None
    representative: bool
    body_hash: str

    def key(self) -> tuple[str, str]:
        """Which text this is: the article and its body's hash."""
        return (self.id, self.body_hash)

    COLUMNS = (
        "id, site, url, COALESCE(published_time, published), body, cluster_id, url_key, representative, "
        "body_hash"
    )
    """The article columns a row for ``from_row`` holds, in order (both stores select these);
    ``published`` is the most precise time known, as the representative rule compares times."""

    @classmethod
    def from_row(cls, row: Sequence[object]) -> DedupItem:
        article_id, site, url, published, body, cluster_id, url_key, representative, body_hash = row
        return cls(
            id=str(article_id),
            site=str(site),
            url=None if url is None else str(url),
            published=None if published is None else str(published),
            body=str(body),
            cluster_id=None if cluster_id is None else str(cluster_id),
            url_key=None if url_key is None else str(url_key),
            representative=bool(representative),
            body_hash=str(body_hash),
        )


@dataclass(slots=True, frozen=True)
class DedupHead:
    """Enough of a candidate to tell whether its cached fingerprint still holds."""

    id: str
    body_hash: str
    url_key: str | None


@dataclass(slots=True, frozen=True)
class EnrichmentTask:
    """An article waiting for enrichment: its text, the date its relative dates resolve against,
    and the body hash the result will be stored under."""

    article_id: str
    body: str
    published: str | None
    body_hash: str
    language: str | None = None
    """The article's detected language: text in another language than the pipeline's is not parsed."""


@dataclass(slots=True, frozen=True)
class StoredSignature:
    """A MinHash signature as stored, with the number of shingles it was made from."""

    hashvalues: bytes
    shingles: int


@dataclass(slots=True, frozen=True)
class CopyPair:
    """Two articles verified as copies of one story, and by how much (``a`` < ``b``)."""

    a: str
    b: str
    resemblance: float
    containment: float


@dataclass(slots=True, frozen=True)
class ClusterAssignment:
    """An article's cluster and whether it is the member shown for it."""

    article_id: str
    cluster_id: str
    representative: bool


@dataclass(slots=True, frozen=True)
class VersionInfo:
    """One version of a URL: when its text was last captured, and whether it is the latest."""

    id: str
    published: str | None
    seen_at: str | None
    latest: bool


class ExportRow(NamedTuple):
    """One article as a query export writes it: the export's columns, lists as JSON text.

    The shape of a million-row export's hot path, so a tuple (built from the database row in one
    call) rather than a dataclass. ``authors``, ``captions``, ``media_ids`` and ``captures`` are
    JSON text exactly as ``json.dumps(value, ensure_ascii=False)`` writes the article contract's
    value (``captures`` as ``CaptureRef.to_json`` records): CSV and JSONL write them as they are.
    """

    id: str
    url: str | None
    source: str
    title: str
    authors: str
    published: str | None
    published_time: str | None
    published_raw: str | None
    published_from: str | None
    section: str | None
    language: str | None
    body: str
    body_offset: int
    captions: str
    media_ids: str
    word_count: int
    cluster_id: str | None
    representative: bool
    latest: bool
    captures: str

    @classmethod
    def of(cls, article: Article) -> ExportRow:
        """The row of an article record: what every store's ``export_rows`` must give."""

        def text(value: Any) -> str:
            return json.dumps(value, ensure_ascii=False)

        a = article
        return cls(
            a.id, a.url, a.source, a.title, text(a.authors), a.published, a.published_time,
            a.published_raw, a.published_from, a.section, a.language, a.body, a.body_offset,
            text(a.captions), text(a.media_ids), a.word_count, a.cluster_id, a.representative,
            a.latest, text([c.to_json() for c in a.captures]),
        )  # fmt: skip


def renormalised(value: str) -> tuple[str | None, str | None, str | None]:
    """(published, published_time, published_raw) for a date an older version stored as typed;
    an unreadable one becomes (None, None, value): kept as given, out of date filters and sorting."""
    # the date rule is a leaf module (stdlib and dateparser only), shared with extraction
    from newsarchive.extract.published import PublishedDate, normalise_published

    found = normalise_published(value)
    if not isinstance(found, PublishedDate):
        return None, None, value
    return found.date, found.time, value if value != found.date else None


def printable(text: str) -> str:
    """Text SQLite can store: lone surrogates (from undecodable file names or JSON escapes) as ``\\xNN``.

    Checked by encoding, which is fast for the usual valid text; only broken text is rewritten.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


class CaptureStore(Protocol):
    """The original bytes of every capture, by SHA-256."""

    def known_captures(self, shas: Iterable[str]) -> set[str]: ...
    def add_capture(self, capture: Capture, article_id: str | None, ingested_at: str) -> None: ...
    def get_capture(self, sha256: str) -> StoredCapture | None: ...
    def iter_captures(self) -> Iterator[StoredCapture]: ...
    def capture_infos(self, shas: Iterable[str]) -> dict[str, CaptureInfo]: ...
    def move_capture(self, sha256: str, article_id: str) -> None: ...  # one capture to another article


class ArticleStore(Protocol):
    """Articles, their kept blocks, URL versions and the ids merged into survivors."""

    def article_by_body_hash(self, body_hash: str) -> str | None: ...
    def insert_article(self, draft: ArticleDraft, enrich: bool = False) -> None: ...
    def replace_article(self, draft: ArticleDraft) -> None: ...
    def delete_article(self, article_id: str, merged_into: str | None) -> None: ...
    def get_article(self, article_id: str) -> Article | None: ...
    def get_articles(self, ids: Iterable[str]) -> dict[str, Article]: ...
    def export_rows(
        self, ids: Sequence[str]
    ) -> list[ExportRow]: ...  # in the order asked; absent ids left out
    def iter_articles(self, site: str | None = None, with_captures: bool = True) -> Iterator[Article]: ...
    def site_drafts(self, site: str) -> Iterator[ArticleDraft]: ...
    def article_count(self) -> int: ...
    def url_versions(self, article_id: str) -> list[Article]: ...
    def resolve_merged(self, article_id: str) -> str | None: ...
    def ids_with_prefix(
        self, prefix: str, limit: int
    ) -> list[str]: ...  # articles whose id starts with prefix, in id order (short-id permalinks)
    def merged_ids_with_prefix(
        self, prefix: str, limit: int
    ) -> list[str]: ...  # merged-away duplicates' ids starting with prefix (their old permalinks)


class ChromeStore(Protocol):
    """Each site's learned template (chrome) and whether its pages need re-cleaning."""

    def get_site_chrome(self, site: str) -> dict[str, Any] | None: ...
    def put_site_chrome(self, site: str, chrome: dict[str, Any], stale: bool = False) -> None: ...
    def stale_sites(self) -> list[str]: ...
    def mark_site_fresh(self, site: str) -> None: ...


class DuplicateStore(Protocol):
    """Signatures and buckets, verified copy pairs, clusters, site boilerplate, version flags."""

    def pending_dedup(self, limit: int) -> list[DedupItem]: ...
    def dedup_items(self, ids: Iterable[str]) -> dict[str, DedupItem]: ...
    def dedup_heads(self, ids: Iterable[str]) -> dict[str, DedupHead]: ...
    def mark_deduped(self, article_id: str) -> None: ...
    def mark_undeduped(self, ids: Iterable[str]) -> None: ...
    def lsh_candidates(self, bands: list[int]) -> set[str]: ...
    def put_signatures(self, signatures: list[tuple[str, StoredSignature, list[int]]]) -> None: ...
    def drop_signature(self, article_id: str) -> None: ...
    def get_signatures(self, ids: Iterable[str]) -> dict[str, StoredSignature]: ...
    def replace_pairs(self, article_id: str, pairs: Iterable[CopyPair]) -> None: ...
    def pairs_among(self, ids: Iterable[str]) -> list[CopyPair]: ...
    def cluster_members(self, cluster_ids: Iterable[str]) -> list[str]: ...
    def set_clusters(self, assignments: Iterable[ClusterAssignment], reindex: Iterable[str]) -> None: ...
    def cluster_sizes(self, cluster_ids: Iterable[str]) -> dict[str, int]: ...
    def set_edge_lines(
        self, article_id: str, site: str, keys: Iterable[int], min_articles: int
    ) -> set[str]: ...
    def site_boilerplate(self, site: str) -> set[int]: ...
    def set_url_key(self, article_id: str, url_key: str | None) -> None: ...
    def version_infos(self, url_key: str) -> list[VersionInfo]: ...
    def set_latest(self, article_id: str, latest: bool) -> None: ...
    def version_counts(self, ids: Iterable[str]) -> dict[str, int]: ...


class OutboxStore(Protocol):
    """Work the store owes the search index: articles to (re)index and ids to delete from it."""

    def pending_index(self, limit: int) -> list[Article]: ...
    def pending_index_deletes(self) -> list[str]: ...
    def mark_indexed(self, ids: Iterable[str], deleted: Iterable[str]) -> None: ...
    def mark_unindexed(self, article_id: str) -> None: ...
    def mark_cluster_unindexed(self, cluster_id: str) -> None: ...
    def count_indexed(self) -> int: ...
    def count_unindexed(self) -> int: ...
    def iter_index_batches(self, size: int) -> Iterator[list[Article]]: ...
    def mark_all_indexed(self, except_ids: Iterable[str] = ()) -> None: ...


def unique_per_key(rows: Iterable[tuple[Any, Any]]) -> dict[str, list[str]]:
    """(key, value) rows as each key's values in their first order, each once (both stores' helper)."""
    out: dict[str, list[str]] = {}
    for key, value in rows:
        values = out.setdefault(str(key), [])
        if str(value) not in values:
            values.append(str(value))
    return out


class EnrichmentStore(Protocol):
    """Mentions, entities, roles, quotes and events of each article, and the queries over them."""

    def pending_enrichment(self, limit: int, wanted_only: bool = False) -> list[EnrichmentTask]: ...
    def put_enrichment(self, enrichment: Enrichment, body_hash: str, at: str) -> None: ...
    def enrichment_of(self, article_id: str) -> Enrichment: ...
    def article_entities(self, ids: Iterable[str]) -> dict[str, list[str]]: ...
    def article_entities_shown(self, ids: Iterable[str]) -> dict[str, list[str]]: ...
    def entity_types(self, names: Iterable[str]) -> dict[str, str]: ...
    def entities(self, limit: int, type_: str | None = None) -> list[Entity]: ...
    def resolve_entity(self, name: str) -> str | None: ...
    def entity_detail(self, name: str) -> EntityDetail | None: ...
    def find_events(
        self, actors: list[str], date_from: str | None, date_to: str | None, types: list[str], limit: int
    ) -> list[Event]: ...
    def find_quotes(self, speaker: str | None, limit: int) -> list[Quote]: ...
    def iter_enrichment_rows(self, what: str) -> Iterable[dict[str, Any]]: ...
    def entity_name_counts(self) -> list[tuple[str, str, int]]: ...
    def put_entity_links(self, links: Mapping[str, str]) -> None: ...
    def entity_links(self) -> dict[str, str]: ...
    def entity_links_stale(self) -> bool: ...


class ReportStore(Protocol):
    """What went wrong (rejects, skipped work) and the summaries pages and ``stats`` show."""

    def add_reject(self, reject: Reject) -> None: ...
    def drop_reject(self, reject: Reject) -> None: ...
    def rejects(self) -> list[Reject]: ...
    def put_skip(self, skip: Skip) -> None: ...
    def skips(self) -> list[Skip]: ...
    def stats(self) -> dict[str, Any]: ...
    def source_months(self, source: str) -> dict[str, int]: ...
    def source_sections(self, source: str) -> dict[str, int]: ...
    def source_latest(self, source: str, limit: int) -> list[Article]: ...


class Store(
    CaptureStore,
    ArticleStore,
    ChromeStore,
    DuplicateStore,
    OutboxStore,
    EnrichmentStore,
    ReportStore,
    Protocol,
):
    """Source of truth for captures, articles, reports, site chrome, duplicates and enrichment:
    the small protocols above, plus transactions.

    Every method the pipeline, the query layer and ``Archive`` call; each backend's store is
    checked against it by mypy (see the bottom of store/sqlite.py) and must pass tests/contract.
    """

    def transaction(self) -> AbstractContextManager[None]: ...
    def savepoint(self) -> AbstractContextManager[None]: ...
    def close(self) -> None: ...
