"""Archive: one directory holding the SQLite source of truth and its derived tantivy index.

This is what the faces (CLI, Python API, web) call; it wires store, index and pipeline together
so none of them needs to know how the others are stored.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from newsarchive.backends import ArchiveParts, backend_for
from newsarchive.backends.directory import DB_NAME, INDEX_DIR
from newsarchive.clustering import CopyFinder
from newsarchive.dedup.versions import word_diff
from newsarchive.errors import ArchiveError, NotFoundError, QueryError
from newsarchive.index.base import IndexQuery, RelatedIndex
from newsarchive.ingest import Pipeline, ProgressHook
from newsarchive.lock import WaitNotice
from newsarchive.model import (
    Article,
    ClusterMember,
    DiffPart,
    Enrichment,
    Entity,
    EntityDetail,
    Event,
    IngestReport,
    Mention,
    Neighbours,
    Quote,
    Role,
    SearchHit,
    SearchResult,
)
from newsarchive.query import SearchRequest, parse_day, run_search
from newsarchive.research import export as query_export
from newsarchive.research import parallel_export
from newsarchive.research.export import spreadsheet_safe
from newsarchive.research.terms import SAMPLE, QueryTerms, top_terms
from newsarchive.research.timeline import Timeline, build_timeline
from newsarchive.settings import Settings
from newsarchive.sources.fetch import is_url
from newsarchive.store.base import CaptureInfo, StoredCapture

__all__ = [
    "DB_NAME",
    "EXPORT_FORMATS",
    "EXPORT_WHATS",
    "INDEX_DIR",
    "Archive",
    "SourceSummary",
    "spreadsheet_safe",
]
EXPORT_FORMATS = ("jsonl", "csv", "parquet")
EXPORT_WHATS = ("articles", "mentions", "entities", "events", "quotes")


@dataclass(slots=True, frozen=True)
class SourceSummary:
    """One publisher in the archive: how much of it there is, over time and by section."""

    name: str
    articles: int
    months: dict[str, int]
    sections: dict[str, int]
    latest: list[Article]


class Archive:
    """An archive: a directory (SQLite + tantivy) or a ``postgresql://`` URL (server mode).

    Open it with ``Archive.open(location)`` and close it (or use ``with``); which backend serves
    a location is found through the registry in backends/.
    """

    def __init__(self, location: str, parts: ArchiveParts, settings: Settings, readonly: bool) -> None:
        self.location = location
        self.label = parts.label
        self.settings = settings
        self.readonly = readonly
        self.store = parts.store
        self.index = parts.index
        self.lock = parts.lock
        self._pipeline = Pipeline(self.store, self.index, settings, self.lock)
        self._overview: tuple[str, dict[str, Any]] | None = None
        self._overview_lock = threading.Lock()
        if not readonly:
            try:
                self._pipeline.heal_index()
            except Exception:
                self.close()
                raise

    @property
    def path(self) -> Path:
        """The archive directory (directory archives only)."""
        return Path(self.label)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        settings: Settings | None = None,
        *,
        create: bool | None = None,
        readonly: bool = False,
        wait_notice: WaitNotice | None = None,
    ) -> Archive:
        """Open an archive: a directory, or a ``postgresql://`` URL.

        A writable open creates the archive when absent (as ``ingest`` does) unless ``create=False``,
        and brings the search index up to date when no other writer is busy. A read-only open never
        creates one and says how to. ``wait_notice`` is told when a write waits for another writer.
        """
        location = os.fspath(path)
        settings = settings or Settings.load()
        backend = backend_for(location)
        should_create = (not readonly) if create is None else create
        if not backend.exists(location, settings):
            label = backend.label(location)
            if not should_create:
                raise ArchiveError(
                    f"{label}: no archive here; create one with `newsarchive --archive {label} ingest FILES`"
                )
            if readonly:
                raise ArchiveError(f"{label}: cannot create an archive read-only")
            backend.create(location, settings)
        return cls(location, backend.open(location, settings, readonly, wait_notice), settings, readonly)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.index.close()
        self.store.close()
        closer = getattr(self.lock, "close", None)
        if closer is not None:  # a server lock holds a connection
            closer()

    def _writable(self) -> None:
        if self.readonly:
            raise ArchiveError(f"{self.label}: archive opened read-only")

    # -- writing ----------------------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[str | os.PathLike[str]],
        progress: ProgressHook | None = None,
        *,
        enrich: bool | None = None,
    ) -> IngestReport:
        """Ingest files and directories (WARC/ARC, HTML, text dumps, JSONL/CSV, feeds, Reuters SGML).

        Inputs that are http(s):// URLs are fetched (public addresses only unless the settings allow).

        ``enrich`` overrides the setting for this call (False: enrich later with ``enrich()``).
        """
        self._writable()
        pipeline = self._pipeline
        if enrich is not None and enrich != self.settings.enrich:
            pipeline = Pipeline(self.store, self.index, replace(self.settings, enrich=enrich), self.lock)
        inputs = [str(p) if isinstance(p, str) else os.fspath(p) for p in paths]
        urls = [i for i in inputs if is_url(i)]
        return pipeline.ingest([Path(i) for i in inputs if not is_url(i)], progress, urls=urls)

    def ingest_urls(self, urls: Iterable[str], progress: ProgressHook | None = None) -> IngestReport:
        """Fetch web pages (public addresses only, unless the settings allow private ones) and ingest them.

        Only ``http``/``https`` URLs are taken (scheme in any case): a string that is not one is never
        opened as a local path, since callers such as the web API pass what a client sent.
        """
        self._writable()
        pages = list(urls)
        for url in pages:
            if not is_url(url):
                raise QueryError(f"{url!r} is not an http:// or https:// URL; only web pages can be fetched")
        return self._pipeline.ingest([], progress, urls=pages)

    def ingest_uploads(
        self, files: Iterable[tuple[Path, str]], progress: ProgressHook | None = None
    ) -> IngestReport:
        """Ingest files saved from an upload, each recorded under the name it was given (not its temp path).

        ``files`` pairs the saved file with its display origin, e.g. ``upload:editor/report.html``.
        """
        self._writable()
        names = {Path(path): name for path, name in files}
        return self._pipeline.ingest(list(names), progress, names=names)

    def unsearchable(self) -> int:
        """How many stored articles a search cannot find yet (an interrupted or running ingest).

        Cheap enough for every search page: it counts the store's not-yet-indexed flags only.
        """
        return self.store.count_unindexed()

    def reindex(self) -> int:
        """Rebuild the search index from the database; returns the number of documents indexed."""
        self._writable()
        self._pipeline.reindex()
        return self.index.doc_count()

    def reextract(self, progress: ProgressHook | None = None) -> int:
        """Re-run extraction on every kept original; returns how many articles changed."""
        self._writable()
        return self._pipeline.reextract(progress)

    def enrich(self, progress: ProgressHook | None = None) -> int:
        """Entities, quotes and events for every article not yet enriched; resumable after a kill."""
        self._writable()
        done = self._pipeline.enrich_pending(progress)
        self._pipeline.sync()
        return done

    # -- enrichment ---------------------------------------------------------------------------
    def enrichment(self, article_id: str) -> Enrichment:
        """The mentions, entities, quotes and events found in one article."""
        self.article(article_id)
        return self.store.enrichment_of(article_id)

    def entities(self, top: int = 50, type_: str | None = None) -> list[Entity]:
        """The most mentioned canonical entities (by number of articles)."""
        return self.store.entities(top, type_)

    def entity(self, name: str) -> EntityDetail:
        """An entity's aliases, roles timeline, mentions per month, co-occurrences, quotes and events."""
        found = self.store.entity_detail(name)
        if found is None:
            raise NotFoundError(f"no entity named {name!r}; list them with `newsarchive entities`")
        return found

    def events(
        self,
        actors: Iterable[str] = (),
        date_from: str | None = None,
        date_to: str | None = None,
        types: Iterable[str] = (),
        limit: int = 1000,
    ) -> list[Event]:
        """Events involving all the given actors (as source or target), optionally within dates.

        Actors may be given by any alias ("Putin"); they are resolved to their canonical names.
        """
        names = [self.store.resolve_entity(actor) or actor for actor in actors]
        return self.store.find_events(names, date_from, date_to, list(types), limit)

    def quotes(self, speaker: str | None = None, limit: int = 1000) -> list[Quote]:
        return self.store.find_quotes(speaker, limit)

    # -- reading ----------------------------------------------------------------------------
    def search(self, query: str = "", **filters: Any) -> SearchResult:
        """Search with the query syntax; filters are SearchRequest fields (date_from, entity, page…)."""
        return run_search(self.index, _request(query, filters))

    def timeline(self, query: str = "", by: str = "month", **filters: Any) -> dict[str, int]:
        """Dated hits per month (``YYYY-MM``; or per ``day``/``year``) for a query and filters
        (paging and sort do not apply); periods without hits are absent. See ``timelines``."""
        return self.index.histogram(_match_query(query, filters), by)

    def timelines(
        self,
        queries: Iterable[str],
        by: str = "month",
        normalize: bool = False,
        split_by_source: bool = False,
        **filters: Any,
    ) -> Timeline:
        """Matches per day, week, month or year for each query, every period given (0 when none);
        with ``normalize`` also the share of everything the same sources published then.

        ``split_by_source``: one query, one series per source among its matches (the top ones, or
        those of the ``source`` filter).
        """
        asked = [queries] if isinstance(queries, str) else list(dict.fromkeys(queries))
        if split_by_source:
            asked_queries = self._split_by_source(asked, filters)
        else:
            asked_queries = [(q, _match_query(q, dict(filters))) for q in asked]
        bounds = (
            parse_day(filters.get("date_from"), "from", end=False),
            parse_day(filters.get("date_to"), "to", end=True),
        )
        return build_timeline(self.index, asked_queries, by, normalize, bounds)

    def _split_by_source(self, queries: list[str], filters: dict[str, Any]) -> list[tuple[str, IndexQuery]]:
        if len(queries) != 1:
            raise QueryError("split by source takes one query")
        base = _match_query(queries[0], dict(filters))
        sources = list(base.sources) or list(self.index.facet_counts(base, "source", MAX_SPLIT))
        return [(f"{queries[0]} · {name}" if queries[0] else name, replace(base, sources=(name,)))
                for name in sources[:MAX_SPLIT]]  # fmt: skip

    def terms(
        self, query: str = "", top: int = 30, sample: int = SAMPLE, entities: int = 10, **filters: Any
    ) -> QueryTerms:
        """The words typical of a query's matches against the whole archive (from the ``sample``
        most relevant matches) and the people, places and organisations they name most."""
        if not 1 <= top <= 200 or not 1 <= sample <= 5000 or not 1 <= entities <= 100:
            raise QueryError("top must be 1 to 200, sample 1 to 5000 and entities 1 to 100")
        return top_terms(
            self.index,
            self.store,
            query,
            _match_query(query, filters),
            top=top,
            sample=sample,
            entities=entities,
        )

    def matches(self, query: str = "", batch: int = query_export.BATCH, **filters: Any) -> Iterator[Article]:
        """Every article matching a query and filters, oldest first (undated last), streamed from
        one snapshot of the index, with no depth limit (``search`` pages stop at 10,000)."""
        return query_export.matching_articles(self.index, self.store, _match_query(query, filters), batch)

    def export_stream(
        self,
        query: str = "",
        fmt: str = "csv",
        fields: Sequence[str] | str | None = None,
        *,
        limit: int | None = None,
        count: query_export.ExportCount | None = None,
        batch: int = query_export.BATCH,
        redact: Callable[[Any], Any] | None = None,
        workers: int = 1,
        **filters: Any,
    ) -> Iterator[bytes]:
        """A query's matches as a CSV, JSONL or Parquet file, piece by piece (constant memory).

        The query, filters and fields are checked before the first piece, so a bad request fails
        before anything is sent. ``count.rows`` tells how many rows were written. ``redact`` maps
        each export row (a NamedTuple) to the row written: the server blanks what its source rights
        withhold. ``workers`` above one reads and formats an export of ``PARALLEL_MIN`` matches or
        more in that many processes (the same bytes; not with ``redact`` or ``limit``, which the
        server uses).
        """
        columns = query_export.export_fields(fields)
        index_query = _match_query(query, filters)
        if fmt not in query_export.QUERY_EXPORT_FORMATS:
            raise QueryError(
                f"export format must be one of {', '.join(query_export.QUERY_EXPORT_FORMATS)}, not {fmt!r}"
            )
        batches: Iterator[list[str]] = iter(self.index.match_ids(index_query, batch))
        if workers > 1 and redact is None and limit is None:
            head = _take_ids(batches, parallel_export.PARALLEL_MIN)
            batches = itertools.chain(head, batches)
            if sum(map(len, head)) >= parallel_export.PARALLEL_MIN:
                counter = count if count is not None else query_export.ExportCount()
                return parallel_export.parallel_chunks(
                    self.location, self.settings, batches, fmt, columns, counter, workers
                )
        rows: Iterator[Any] = (row for ids in batches for row in self.store.export_rows(ids))
        if redact is not None:
            rows = map(redact, rows)
        return query_export.export_chunks(rows, fmt, columns, count, limit, batch)

    def export_query(
        self,
        query: str = "",
        out: str | os.PathLike[str] | io.BufferedIOBase | None = None,
        fmt: str = "parquet",
        fields: Sequence[str] | str | None = None,
        *,
        workers: int = 1,
        **filters: Any,
    ) -> Any:
        """Every match of a query, as a pandas DataFrame (``out`` None) or written to ``out`` (a path
        or binary file) as Parquet, CSV or JSONL; returns the DataFrame or the number of rows.
        ``workers`` as for ``export_stream`` (worker processes are fresh interpreters, so a script
        needs no ``__main__`` guard for them)."""
        count = query_export.ExportCount()
        if out is None:
            import pyarrow as pa
            import pyarrow.parquet as pq

            buffer = pa.BufferOutputStream()
            for piece in self.export_stream(
                query, "parquet", fields, count=count, workers=workers, **filters
            ):
                buffer.write(piece)
            return pq.read_table(pa.BufferReader(buffer.getvalue())).to_pandas(date_as_object=False)
        pieces = self.export_stream(query, fmt, fields, count=count, workers=workers, **filters)
        if isinstance(out, str | os.PathLike):
            with open(out, "wb") as fh:
                for piece in pieces:
                    fh.write(piece)
        else:
            for piece in pieces:
                out.write(piece)
        return count.rows

    def article(self, article_id: str) -> Article:
        """The article; an id merged into another (an exact duplicate) gives the one it was merged into."""
        found = self.store.get_article(article_id)
        if found is None:
            merged = self.store.resolve_merged(article_id)
            found = self.store.get_article(merged) if merged else None
        if found is None:
            raise NotFoundError(f"no article with id {article_id!r}; find ids with `newsarchive search`")
        return found

    def short_id(self, article_id: str, minimum: int = 8) -> str:
        """The shortest prefix of an article's id, at least ``minimum`` characters, that no other
        article's id starts with (what a readable permalink carries)."""
        sharing = self.store.ids_with_prefix(article_id[:minimum], _PREFIX_PEERS)
        if len(sharing) >= _PREFIX_PEERS:  # a crowd on this prefix: ask longer ones
            for length in range(minimum, len(article_id)):
                if self.store.ids_with_prefix(article_id[:length], 2) == [article_id]:
                    return article_id[:length]
            return article_id
        common = max(
            (_common_prefix(article_id, other) for other in sharing if other != article_id), default=0
        )
        return article_id[: min(len(article_id), max(minimum, common + 1))]

    def ids_with_prefix(self, prefix: str, limit: int = 20, *, merged: bool = False) -> list[str]:
        """Ids of the articles whose id starts with ``prefix``, in id order, at most ``limit``;
        ``merged``: the ids of duplicates merged away instead (``article()`` gives their survivor)."""
        if not prefix:
            raise QueryError("an id prefix must not be empty")
        if merged:
            return self.store.merged_ids_with_prefix(prefix, limit)
        return self.store.ids_with_prefix(prefix, limit)

    def neighbours(self, article_id: str, **filters: Any) -> Neighbours:
        """The articles listed just before (newer) and after (older) this one by a newest-first
        search with these filters (``section=``, ``source=``: a section page's), one per cluster as
        search shows them; ties on a day come in one stable order."""
        article = self.article(article_id)
        return self.index.neighbours(_match_query("", filters), article)

    def copies(self, article_id: str) -> list[ClusterMember]:
        """Every copy in the article's cluster (the one shown first), with its resemblance to it
        and containment: why they were grouped."""
        article = self.article(article_id)
        explained = CopyFinder(self.store).explain(article.cluster_id or article.id)
        found = self.store.get_articles(item.id for item, _ in explained)
        return [
            ClusterMember(
                id=item.id,
                title=found[item.id].title if item.id in found else "",
                source=found[item.id].source if item.id in found else "",
                url=item.url,
                published=item.published,
                representative=item.representative,
                resemblance=match.resemblance,
                containment=match.containment,
            )
            for item, match in explained
        ]

    def versions(self, article_id: str) -> list[Article]:
        """Every version of the article's URL (itself included), oldest first; empty without a URL."""
        article = self.article(article_id)
        return self.store.url_versions(article.id)

    def version_diff(self, article_id: str, other_id: str) -> list[DiffPart]:
        """Word-level changes from ``other_id`` (the older text) to ``article_id``."""
        new, old = self.article(article_id), self.article(other_id)
        return word_diff(old.body, new.body)

    def related(self, article_id: str, limit: int = 5) -> list[SearchHit]:
        """More-like-this: articles sharing the most distinctive terms, one per cluster."""
        article = self.article(article_id)
        if not isinstance(self.index, RelatedIndex):  # an optional capability of a backend
            return []
        ids = self.index.more_like_this(article, limit + 5)
        found = self.store.get_articles(ids)
        hits = []
        for i in ids:
            a = found.get(i)
            if a is None or a.cluster_id == article.cluster_id:
                continue
            hits.append(
                SearchHit(
                    a.id,
                    0.0,
                    a.title,
                    a.url,
                    a.source,
                    a.published,
                    a.section,
                    a.language,
                    "",
                    0,
                    a.cluster_id,
                )
            )
        return hits[:limit]

    def capture(self, sha256: str) -> StoredCapture:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise NotFoundError(f"{sha256!r} is not a SHA-256 (64 lowercase hex digits)")
        found = self.store.get_capture(sha256)
        if found is None:
            raise NotFoundError(f"no capture with SHA-256 {sha256}")
        return found

    def capture_infos(self, shas: Iterable[str]) -> dict[str, CaptureInfo]:
        """Format, media type and size of captures, without reading their bytes."""
        return self.store.capture_infos(shas)

    def sources(self) -> dict[str, int]:
        by_source = self.store.stats()["by_source"]
        assert isinstance(by_source, dict)
        return dict(by_source)

    def source(self, name: str, latest: int = 20) -> SourceSummary:
        counts = self.sources()
        if name not in counts:
            raise NotFoundError(f"no source named {name!r}; list them with `newsarchive stats`")
        return SourceSummary(
            name=name,
            articles=counts[name],
            months=self.store.source_months(name),
            sections=self.store.source_sections(name),
            latest=self.store.source_latest(name, latest),
        )

    def stats(self) -> dict[str, Any]:
        """Counts, rejects and skipped work; ``unindexed`` says how many articles search cannot find yet."""
        from newsarchive.index.analyzers import analyzer_for

        data = self.store.stats()
        data["unindexed"] = data["unindexed"] + max(0, data["indexed"] - self.index.doc_count())
        data["analyzers"] = {
            lang: analyzer_for(None if lang in ("", "unknown", "und") else lang)
            for lang in data["by_language"]
        }
        return data

    def overview(self) -> dict[str, Any]:
        """``stats()`` as of the current ``generation()``, counted once per generation.

        A public home page shows these counts on every view and they take seconds at a million
        articles (grouped counts over every row); they change only when the generation does. One
        caller counts while the others wait for its result instead of counting too. Rejects and
        skipped inputs that stored no article wait for the next change of articles to show here
        (``stats()`` is always fresh). The dict is shared: read it, do not change it.
        """
        token = self.generation()
        with self._overview_lock:
            if self._overview is None or self._overview[0] != token:
                self._overview = (token, self.stats())
            return self._overview[1]

    def articles(self) -> Iterator[Article]:
        """Every article, in ingest order, streamed."""
        return self.store.iter_articles()

    def generation(self) -> str:
        """A short token that changes when what readers see changes (articles stored, merged away,
        indexed, rewritten in place by a re-extraction or re-cleaning, which the index commits):
        the web's ETags derive from it. Cheap (two counts and the index's commit stamp), so a
        server can ask often."""
        return f"{self.store.article_count()}.{self.index.version()}.{self.store.count_unindexed()}"

    # -- export -----------------------------------------------------------------------------
    def export(self, out: TextIO | io.BufferedIOBase, fmt: str = "jsonl", what: str = "articles") -> int:
        """Write every article (or mention, entity, event, quote) as JSONL, CSV or Parquet; returns the count."""
        if what != "articles":
            return self._export_enrichment(out, fmt, what)
        if fmt == "jsonl":
            assert isinstance(out, io.TextIOBase) or hasattr(out, "write")
            n = 0
            for article in self.articles():
                out.write(json.dumps(article.to_json(), ensure_ascii=False) + "\n")  # type: ignore[arg-type]
                n += 1
            return n
        if fmt == "csv":
            writer = csv.writer(out)  # type: ignore[arg-type]
            writer.writerow(_FLAT_COLUMNS)
            n = 0
            for article in self.articles():
                writer.writerow([spreadsheet_safe(v) for v in _flat_row(article)])
                n += 1
            return n
        if fmt == "parquet":
            return _write_parquet(self.articles(), out)  # type: ignore[arg-type]
        raise QueryError(f"export format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")

    def _export_enrichment(self, out: TextIO | io.BufferedIOBase, fmt: str, what: str) -> int:
        if what not in EXPORT_WHATS:
            raise QueryError(f"export --what must be one of {', '.join(EXPORT_WHATS)}, not {what!r}")
        rows = self.store.iter_enrichment_rows(what)
        if fmt == "jsonl":
            n = 0
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")  # type: ignore[arg-type]
                n += 1
            return n
        columns = list(_flatten(_ENRICHMENT_SAMPLES[what].to_json()))
        if fmt in ("csv", "tsv"):
            writer = csv.DictWriter(out, fieldnames=columns, delimiter="\t" if fmt == "tsv" else ",")  # type: ignore[arg-type]
            writer.writeheader()  # an empty export still names its columns
            n = 0
            for row in rows:
                writer.writerow({k: spreadsheet_safe(_flat_value(v)) for k, v in _flatten(row).items()})
                n += 1
            return n
        if fmt == "parquet":
            return _write_enrichment_parquet(what, rows, out)  # type: ignore[arg-type]
        raise QueryError(f"export format must be one of {', '.join((*EXPORT_FORMATS, 'tsv'))}, not {fmt!r}")


_PREFIX_PEERS = 64


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


MAX_SPLIT = 5
"""Series of a query split by source, at most (the chart's colours stay distinct)."""


def _take_ids(batches: Iterator[list[str]], at_least: int) -> list[list[str]]:
    """The first batches of ids, until they hold ``at_least`` ids or there are no more."""
    taken: list[list[str]] = []
    held = 0
    for ids in batches:
        taken.append(ids)
        held += len(ids)
        if held >= at_least:
            break
    return taken


def _match_query(query: str, filters: dict[str, Any]) -> IndexQuery:
    """The parsed query and filters of a search whose every match counts (paging and sort do not apply)."""
    for key in ("page", "per_page", "sort", "facets"):
        filters.pop(key, None)
    return _request(query, filters).to_index_query()


def _request(query: str, filters: dict[str, Any]) -> SearchRequest:
    """A SearchRequest from keyword filters; one source/section/language/entity may be a plain string."""
    for key in ("source", "section", "language", "entity"):
        value = filters.get(key)
        if isinstance(value, str):
            filters[key] = (value,)
        elif value is None:
            filters.pop(key, None)
        else:
            filters[key] = tuple(value)
    try:
        return SearchRequest(query=query, **filters)
    except TypeError as exc:
        raise QueryError(f"unknown search option: {exc}") from exc


_ENRICHMENT_SAMPLES: dict[str, Mention | Entity | Quote | Event] = {
    "mentions": Mention("a", 0, 1, "t", "PERSON", "e"),
    "entities": Entity("n", "PERSON", ["a"], [Role("n", "t", "o", "2016-01-01", "a", 0, 1)], 1, 1),
    "quotes": Quote("s", "s", "said", "t", "a", 0, 1),
    "events": Event("i", "MEET", "s", "t", "l", "2016-01-01", "happened", "a", "e", 0, 1),
}
"""One filled record per enrichment export: its columns and Parquet types, also for an empty export."""


def _write_enrichment_parquet(what: str, rows: Iterable[dict[str, Any]], out: io.BufferedIOBase) -> int:
    """Enrichment rows as Parquet, streamed in row groups, with the same columns and types every time."""
    import pyarrow as pa

    schema = pa.Table.from_pylist([_flatten(_ENRICHMENT_SAMPLES[what].to_json())]).schema
    return _write_parquet_rows((_flatten(row) for row in rows), schema, out, group=5000)


def _write_parquet_rows(
    rows: Iterable[dict[str, Any]], schema: Any, out: io.BufferedIOBase, group: int
) -> int:
    """Rows as Parquet in row groups of ``group`` (constant memory); an empty export keeps the schema."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= group:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def _flatten(row: dict[str, Any]) -> dict[str, Any]:
    """Nested objects become prefixed columns (evidence.text -> evidence_text) for tables."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            for sub, inner in value.items():
                flat[f"{key}_{sub}"] = inner
        else:
            flat[key] = value
    return flat


def _flat_value(value: Any) -> Any:
    """Lists as JSON, None as empty, text on one line (tabs and newlines would break TSV rows)."""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return " ".join(value.split())
    return "" if value is None else value


_FLAT_COLUMNS = [
    "id", "url", "source", "title", "authors", "published", "published_time", "published_raw",
    "published_from", "section", "language", "body", "body_offset", "captions", "media_ids", "word_count",
    "cluster_id", "representative", "latest", "captures",
]  # fmt: skip


def _flat_row(article: Article) -> list[Any]:
    data = article.to_json()
    row = []
    for col in _FLAT_COLUMNS:
        value = data[col]
        if isinstance(value, list):
            value = json.dumps(value, ensure_ascii=False)
        row.append("" if value is None else value)
    return row


def _write_parquet(articles: Iterator[Article], out: io.BufferedIOBase) -> int:
    import pyarrow as pa

    schema = pa.schema(
        [
            ("id", pa.string()), ("url", pa.string()), ("source", pa.string()), ("title", pa.string()),
            ("authors", pa.list_(pa.string())), ("published", pa.string()), ("published_time", pa.string()),
            ("published_raw", pa.string()), ("published_from", pa.string()),
            ("section", pa.string()), ("language", pa.string()), ("body", pa.string()),
            ("body_offset", pa.int64()),
            ("captions", pa.list_(pa.string())), ("media_ids", pa.list_(pa.string())),
            ("word_count", pa.int64()), ("cluster_id", pa.string()),
            ("representative", pa.bool_()), ("latest", pa.bool_()),
            ("captures", pa.list_(pa.struct([("sha256", pa.string()), ("origin", pa.string()),
                                              ("ingested_at", pa.string())]))),
        ]
    )  # fmt: skip
    return _write_parquet_rows((a.to_json() for a in articles), schema, out, group=1000)
