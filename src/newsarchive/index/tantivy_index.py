"""Full-text index on tantivy, derived from the store and rebuildable at any time.

Text fields are stemmed for matching, each article's title and body in the fields of its
language's family (``analyzers``: English and the rest in ``title``/``body``, a Snowball language
in ``title_fr``…, Arabic in ``title_ar``/``body_ar`` from our normaliser); facet fields are raw fast fields so counts come from
tantivy aggregations in one pass. Queries arrive parsed (``index.base``) and are compiled by
``tantivy_query``; highlights leave as character ranges for ``query.py`` to turn into HTML. Stored are the body (for snippets) and a compact hit record
(what a search hit shows, with its cluster's size), so a search page needs no store read. The
store stays the source of truth: the pipeline re-indexes every member of a cluster whose
membership changes, and ``reindex`` rebuilds all of it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import tantivy

from newsarchive.errors import ArchiveError, QueryError, StorageError
from newsarchive.index import analyzers
from newsarchive.index.analyzers import (
    DEFAULT_FAMILY,
    FAMILIES,
    OWN_ANALYSIS,
    QueryAnalyzers,
    family_of,
    field_of,
)
from newsarchive.index.base import (
    BUCKETS,
    FACETS,
    Excerpt,
    HiddenText,
    IndexEntry,
    IndexHit,
    IndexQuery,
    IndexResult,
    QueryNode,
)
from newsarchive.index.tantivy_query import QueryCompiler
from newsarchive.model import Article, Neighbours, SearchHit

__all__ = ["FACET_FIELDS", "SCHEMA_VERSION", "TEXT_FIELDS", "IndexEntry", "IndexQuery", "TantivyIndex"]

SCHEMA_VERSION = "10"
FACET_FIELDS = {
    "source": "f_source",
    "section": "f_section",
    "language": "f_lang",
    "year": "year",
    "entity": "entity_shown",
}
TEXT_FIELDS = ["title", "body"]
_MAX_SNIPPET_CHARS = 240
_JSON = json.JSONDecoder()
_MAX_BUCKETS = 65_000
"""tantivy's own limit on the buckets of one aggregation (178 years of days)."""
_FAMILIES_FILE = "newsarchive-families"
"""The language families the index has documents in (one per line): what a query is analysed for."""


log = logging.getLogger(__name__)


def _build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=False, tokenizer_name="raw")
    sb.add_text_field("title", stored=False, tokenizer_name="en_stem")
    sb.add_text_field("body", stored=True, tokenizer_name="en_stem")
    for family in FAMILIES[1:]:
        tokenizer = analyzers.analyzer_name(family)
        sb.add_text_field(field_of("title", family), stored=False, tokenizer_name=tokenizer)
        # our families' fields hold our terms, not the text: the body is kept as written in "text"
        sb.add_text_field(
            field_of("body", family), stored=family not in OWN_ANALYSIS, tokenizer_name=tokenizer
        )
    sb.add_bytes_field("text", stored=True, indexed=False, fast=False)
    sb.add_text_field("family", stored=True, tokenizer_name="raw")  # absent for the default family
    sb.add_text_field("source", stored=False, tokenizer_name="default")
    sb.add_text_field("section", stored=False, tokenizer_name="default")
    sb.add_text_field("lang", stored=False, tokenizer_name="raw")
    sb.add_text_field("author", stored=False, tokenizer_name="default")
    sb.add_text_field("url", stored=False, tokenizer_name="default")
    sb.add_text_field("f_source", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("f_section", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("f_lang", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("entity", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("entity_shown", stored=False, tokenizer_name="raw", fast=True)
    sb.add_integer_field("year", stored=False, indexed=True, fast=True)
    sb.add_integer_field("month", stored=False, indexed=True, fast=True)
    sb.add_integer_field("day", stored=False, indexed=True, fast=True)
    sb.add_boolean_field("canonical", stored=False, indexed=True, fast=True)
    # newest-first order with a stable tie-break (see _date_order): what sort="date" sorts by
    sb.add_unsigned_field("order", stored=False, indexed=True, fast=True)
    sb.add_bytes_field("hit", stored=True, indexed=False, fast=False)
    # the id again as a number in a fast column: an export reads every match's id from it, where
    # reading each stored document (whose block holds bodies) was a fifth of the export's time
    sb.add_integer_field("id_key", stored=False, indexed=False, fast=True)
    return sb.build()


class TantivyIndex:
    """The embedded Index: a tantivy directory inside the archive."""

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = path
        self.schema = _build_schema()
        self._compiler = QueryCompiler(self.schema)
        version_file = path / "newsarchive-index-version"
        if readonly and (not version_file.exists() or version_file.read_text() != SCHEMA_VERSION):
            raise ArchiveError(
                f"{path}: the search index is missing or from another newsarchive version; "
                "rebuild it with `newsarchive reindex` (or any writable open)"
            )
        if not readonly:
            if path.exists() and (not version_file.exists() or version_file.read_text() != SCHEMA_VERSION):
                shutil.rmtree(path)  # derived data of another layout: rebuilt from the store
            path.mkdir(parents=True, exist_ok=True)
            if not version_file.exists():
                version_file.write_text(SCHEMA_VERSION)
        try:
            self._index = tantivy.Index(self.schema, path=str(path), reuse=True)
        except ValueError as exc:
            raise ArchiveError(
                f"{path}: cannot open the search index ({exc}); run `newsarchive reindex`"
            ) from exc
        analyzers.register(self._index)
        self._families_file = path / _FAMILIES_FILE
        self._families_seen: tuple[int, tuple[str, ...]] = (-1, (DEFAULT_FAMILY,))
        self._writer: Any = None
        self._pool: ThreadPoolExecutor | None = None

    def _facet_pool(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="newsarchive-facets")
        return self._pool

    @property
    def was_reset(self) -> bool:
        return self.doc_count() == 0

    def _get_writer(self) -> Any:
        if self._writer is None:
            try:
                self._writer = self._index.writer(heap_size=128_000_000, num_threads=1)
            except ValueError as exc:
                raise ArchiveError(
                    f"{self.path}: the search index is locked by another writer ({exc}); "
                    "wait for the other ingest to finish"
                ) from exc
        return self._writer

    def families(self) -> tuple[str, ...]:
        """The language families documents were indexed in, the default first (read again when the
        file changes, so a reader sees a family another process's ingest added)."""
        try:
            stamp = os.stat(self._families_file).st_mtime_ns
        except FileNotFoundError:
            return (DEFAULT_FAMILY,)
        if stamp != self._families_seen[0]:
            named = set(self._families_file.read_text(encoding="utf-8").split())
            self._families_seen = (stamp, tuple(f for f in FAMILIES if f in named or f == DEFAULT_FAMILY))
        return self._families_seen[1]

    def _note_families(self, entries: list[IndexEntry]) -> None:
        """Record new families before their documents are committed, so no query misses them."""
        known = set(self.families())
        new = {family_of(entry.article.language, entry.article.body) for entry in entries} - known
        if not new:
            return
        scratch = self._families_file.with_suffix(".tmp")
        scratch.write_text("\n".join(f for f in FAMILIES if f in known | new) + "\n", encoding="utf-8")
        scratch.replace(self._families_file)

    def write(self, entries: Iterable[IndexEntry], deleted: Iterable[str] = ()) -> dict[str, str]:
        """Replace these documents and drop the deleted ones, then commit (one tantivy commit per batch).

        Returns the articles that could not be indexed, with the reason: one bad document must
        not keep the rest of its batch (and every later open) from being indexed.
        """
        writer = self._get_writer()
        failed: dict[str, str] = {}
        try:
            for article_id in deleted:
                writer.delete_documents_by_term("id", article_id)
            entries = list(entries)
            self._note_families(entries)
            for entry in entries:
                writer.delete_documents_by_term("id", entry.article.id)
                self._add(writer, entry, failed)
            self._commit(writer)
        finally:
            self._writer = None
        return failed

    def rebuild(self, batches: Iterable[list[IndexEntry]]) -> dict[str, str]:
        """Replace the whole index in one commit: a rebuild killed half-way leaves the old index whole."""
        writer = self._get_writer()
        failed: dict[str, str] = {}
        try:
            writer.delete_all_documents()
            for entries in batches:
                self._note_families(entries)
                for entry in entries:
                    self._add(writer, entry, failed)
            self._commit(writer)
        finally:
            self._writer = None
        return failed

    def clear(self) -> None:
        writer = self._get_writer()
        try:
            writer.delete_all_documents()
            self._commit(writer)
        finally:
            self._writer = None

    def _add(self, writer: Any, entry: IndexEntry, failed: dict[str, str]) -> None:
        try:
            writer.add_document(self._document(entry))
        except (ValueError, TypeError, OverflowError) as exc:
            failed[entry.article.id] = f"cannot be indexed ({type(exc).__name__}: {exc})"

    def _commit(self, writer: Any) -> None:
        """Commit and reopen the searcher; a failed commit (full disk) leaves the last commit in place."""
        try:
            writer.commit()
            writer.wait_merging_threads()
        except (ValueError, OSError) as exc:
            with contextlib.suppress(ValueError, OSError):  # an unusable writer: dropping it frees the lock
                writer.rollback()
            raise StorageError(
                f"{self.path}: the search index could not be written ({exc}); the database is intact and "
                "the articles not yet indexed are indexed at the next writable open. Free disk space and re-run"
            ) from exc
        self._index.reload()

    def _document(self, entry: IndexEntry) -> tantivy.Document:
        a = entry.article
        doc = tantivy.Document()
        doc.add_text("id", a.id)
        key = _id_key(a.id)
        if key is not None:
            doc.add_integer("id_key", key)
        family = family_of(a.language, a.body)
        doc.add_text(field_of("title", family), analyzers.index_text(family, a.title))
        doc.add_text(field_of("body", family), analyzers.index_text(family, a.body))
        if family in OWN_ANALYSIS:
            doc.add_bytes("text", a.body.encode("utf-8"))
        if family != DEFAULT_FAMILY:
            doc.add_text("family", family)
        doc.add_text("source", a.source)
        doc.add_text("f_source", a.source)
        if a.section:
            doc.add_text("section", a.section)
            doc.add_text("f_section", a.section)
        if a.language:
            doc.add_text("lang", a.language)
            doc.add_text("f_lang", a.language)
        for author in a.authors:
            doc.add_text("author", author)
        if a.url:
            doc.add_text("url", a.url)
        day = _day_number(a.published)
        if day is not None:
            doc.add_integer("day", day)
            doc.add_integer("year", day // 10000)
            doc.add_integer("month", day // 100)
        doc.add_unsigned("order", _date_order(a.published, a.id))
        for name in entry.entities:
            doc.add_text("entity", name)
        for name in entry.entities if entry.shown_entities is None else entry.shown_entities:
            doc.add_text("entity_shown", name)
        doc.add_boolean("canonical", entry.canonical)
        doc.add_bytes("hit", _pack_hit(a, entry.cluster_size, entry.versions))
        return doc

    def doc_count(self) -> int:
        return int(self._index.searcher().num_docs)

    def version(self) -> str:
        """The index's commit stamp (tantivy's ``opstamp`` in meta.json): it grows with every commit,
        so an article rewritten in place (a re-extraction, a merge) changes it where no count does.
        The stamp is read from disk first and this reader reloaded after, so what this process
        searches is never older than the stamp it names (a page labelled with it is not stale)."""
        try:
            meta = json.loads((self.path / "meta.json").read_bytes())
        except FileNotFoundError:
            return "0"  # nothing committed yet
        except (OSError, ValueError) as exc:
            raise ArchiveError(
                f"{self.path}: cannot read the index's meta.json ({exc}); run `newsarchive reindex`"
            ) from exc
        self._index.reload()
        return str(meta.get("opstamp", 0))

    def _query(self, q: IndexQuery) -> tantivy.Query:
        parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
        if q.query is not None:
            parts.append((tantivy.Occur.Must, self._text_query(q.query, q.text_hidden)))
        if q.date_from or q.date_to:
            low = _date_number(q.date_from) if q.date_from else None
            high = _date_number(q.date_to) if q.date_to else None
            parts.append(
                (
                    tantivy.Occur.Must,
                    tantivy.Query.range_query(self.schema, "day", tantivy.FieldType.Integer, low, high),
                )
            )
        for field, values in (("f_source", q.sources), ("f_section", q.sections), ("f_lang", q.languages)):
            if values:
                parts.append(
                    (
                        tantivy.Occur.Must,
                        tantivy.Query.term_set_query(self.schema, field, list(values)),
                    )
                )
        for name in q.entities:  # every one named, as entity:"…" clauses side by side would ask
            parts.append((tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "entity", name)))
        if q.canonical_only:
            parts.append((tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "canonical", True)))
        if not parts:
            return tantivy.Query.all_query()
        if q.query is None:
            parts.append((tantivy.Occur.Should, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(parts)

    def _text_query(self, node: QueryNode, hidden: HiddenText | None) -> tantivy.Query:
        """The query's words; with hidden sources, matched against their titles only: (words, not
        a hidden source) or (words without the body, a hidden source)."""
        families = self.families()
        query = self._compiler.compile(node, families)
        if hidden is None or (not hidden.sources and not hidden.all_but):
            return query
        bare = self._compiler.compile(node, families, without_body=True)
        named = (
            tantivy.Query.term_set_query(self.schema, "f_source", list(hidden.sources))
            if hidden.sources
            else tantivy.Query.empty_query()
        )
        # all_but: the hidden ones are those *not* named
        hidden_occur, open_occur = (
            (tantivy.Occur.MustNot, tantivy.Occur.Must)
            if hidden.all_but
            else (tantivy.Occur.Must, tantivy.Occur.MustNot)
        )
        open_part = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (open_occur, named)])
        hidden_part = tantivy.Query.boolean_query([(tantivy.Occur.Must, bare), (hidden_occur, named)])
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, open_part), (tantivy.Occur.Should, hidden_part)]
        )

    def search(
        self,
        q: IndexQuery,
        *,
        limit: int,
        offset: int,
        sort: str = "relevance",
        facets: bool = True,
        snippets: bool = True,
    ) -> IndexResult:
        """Total count, one page of hits (from the stored hit records) and facet counts for a query.

        A hit's score is its rounded relevance, or 0 when sorted by date. Its excerpt is the best
        stretch of the body with the matches (tantivy's SnippetGenerator), else the body's start.
        """
        searcher = self._index.searcher()
        query = self._query(q)
        # with facets, the aggregation pass also counts the matches, so the search can skip its own
        # counting pass (which also stops tantivy from pruning the top-k); tantivy releases the GIL,
        # so the aggregation runs on another core while this thread collects hits and snippets
        count = not facets
        facet_future = self._facet_pool().submit(self._facets, searcher, query) if facets else None
        try:
            if sort == "date":
                result = searcher.search(query, limit, count=count, order_by_field="order", offset=offset)
            elif sort == "date_asc":
                result = searcher.search(
                    query, limit, count=count, order_by_field="day", offset=offset, order=tantivy.Order.Asc
                )
            else:
                result = searcher.search(query, limit, count=count, offset=offset)
        except ValueError as exc:
            raise QueryError(f"search failed: {exc}") from exc
        excerpts = _Excerpts(self, searcher, query, q) if snippets and q.query is not None else None
        relevance = sort == "relevance"
        hits: list[IndexHit] = []
        for key, address in result.hits:
            doc = searcher.doc(address)
            # date-sorted hits carry the day as key (no key at all when the article is undated)
            score = round(float(key), 4) if relevance and isinstance(key, int | float) else 0.0
            hit = _unpack_hit(doc.get_first("hit"), score, "")
            family = doc.get_first("family") or DEFAULT_FAMILY
            excerpt = excerpts.of(doc, family) if excerpts is not None else None
            if excerpt is None:
                excerpt = Excerpt(_lead(_stored_body(doc, family)))
            hits.append(IndexHit(hit, excerpt))
        if facet_future is not None:
            total, facet_counts = facet_future.result()
        else:
            total, facet_counts = int(getattr(result, "count", 0) or 0), {}
        return IndexResult(total, hits, facet_counts)

    def _facets(self, searcher: Any, query: tantivy.Query) -> tuple[int, dict[str, dict[str, int]]]:
        """The number of matches and the facet counts, in one aggregation pass."""
        spec: dict[str, Any] = {
            name: {"terms": {"field": field, "size": 20}} for name, field in FACET_FIELDS.items()
        }
        spec["_total"] = {"value_count": {"field": "canonical"}}
        raw = searcher.aggregate(query, spec)
        total = int(raw.get("_total", {}).get("value") or 0)
        out: dict[str, dict[str, int]] = {}
        for name in FACET_FIELDS:
            buckets = raw.get(name, {}).get("buckets", [])
            out[name] = {str(b["key"]): int(b["doc_count"]) for b in buckets}
        return total, out

    def neighbours(self, q: IndexQuery, article: Article) -> Neighbours:
        """The matches listed just before (newer) and after (older) ``article`` in ``sort="date"``
        order: by ``order`` (the day, then a hash of the id), the id itself breaking the rare tie of
        two equal keys. The article need not match ``q`` (a copy folded into another is placed by
        its own date). Two searches of a few hits each, whatever the depth."""
        searcher = self._index.searcher()
        query = self._query(q)
        here = (_date_order(article.published, article.id), article.id)
        return Neighbours(
            newer=self._beside(searcher, query, here, newer=True),
            older=self._beside(searcher, query, here, newer=False),
        )

    def _beside(
        self, searcher: Any, query: tantivy.Query, here: tuple[int, str], newer: bool
    ) -> SearchHit | None:
        key = here[0]
        low, high = (key, None) if newer else (None, key)
        side = tantivy.Query.range_query(self.schema, "order", tantivy.FieldType.Unsigned, low, high)
        within = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, side)])
        direction = tantivy.Order.Asc if newer else tantivy.Order.Desc
        limit = 4  # this article and any sharing its key come back too: ask for more until past them
        while True:
            result = searcher.search(within, limit, count=False, order_by_field="order", order=direction)
            found: list[tuple[tuple[int, str], SearchHit]] = []
            for value, address in result.hits:
                hit = _unpack_hit(searcher.doc(address).get_first("hit"), 0.0, "")
                place = (int(value), hit.id)
                if (place > here) if newer else (place < here):
                    found.append((place, hit))
            if found:
                return (min if newer else max)(found, key=lambda pair: pair[0])[1]
            if len(result.hits) < limit:
                return None
            limit *= 4

    def histogram(self, q: IndexQuery, by: str = "month") -> dict[str, int]:
        """Dated matches per day (``YYYY-MM-DD``), month (``YYYY-MM``) or year (``YYYY``), in order."""
        if by not in BUCKETS:
            raise QueryError(f"histogram by must be one of {', '.join(BUCKETS)}, not {by!r}")
        counts = self._bucket_counts(self._index.searcher(), self._query(q), by)
        return {_bucket_label(key, by): n for key, n in sorted(counts.items())}

    def _bucket_counts(self, searcher: Any, query: tantivy.Query, field: str) -> dict[int, int]:
        """Matches per value of the integer fast field ``day``, ``month`` or ``year``."""
        spec = {"b": {"terms": {"field": field, "size": _MAX_BUCKETS}}}
        try:
            raw = searcher.aggregate(query, spec)
        except ValueError as exc:
            raise QueryError(f"counting failed: {exc}") from exc
        return {int(b["key"]): int(b["doc_count"]) for b in raw.get("b", {}).get("buckets", [])}

    def match_ids(self, q: IndexQuery, batch: int = 5000) -> Iterator[list[str]]:
        """Every match's id, oldest first, ``batch`` at a time, from one searcher (one snapshot).

        tantivy collects ``offset + limit`` hits to serve a page, so deep paging costs memory and
        time growing with the depth. Instead the matches are counted per month (and per day where a
        month holds more than a batch), consecutive periods are grouped into windows of at most a
        batch, and each window is one search restricted to its days: every call collects at most a
        batch. Only a single day (or the undated) holding more than a batch is paged by offset.
        """
        batch = max(1, batch)
        searcher = self._index.searcher()
        query = self._query(q)
        total = self._count(searcher, query)
        if total == 0:
            return
        windows: list[tuple[int, int, int]] = []  # (first day, last day, matches)
        for month, n in sorted(self._bucket_counts(searcher, query, "month").items()):
            if n > batch:
                in_month = self._within(query, month * 100 + 1, month * 100 + 31)
                for day, m in sorted(self._bucket_counts(searcher, in_month, "day").items()):
                    _add_window(windows, day, day, m, batch)
            else:
                _add_window(windows, month * 100 + 1, month * 100 + 31, n, batch)
        undated = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, query), (tantivy.Occur.MustNot, tantivy.Query.exists_query("day"))]
        )
        undated_n = self._count(searcher, undated)
        if sum(w[2] for w in windows) + undated_n != total:  # buckets cut short: never miss a match
            log.warning("match counts per period do not add up to %d; paging by offset instead", total)
            yield from self._paged_ids(searcher, query, total, batch, by_day=False)
            return
        for low, high, n in windows:
            yield from self._paged_ids(searcher, self._within(query, low, high), n, batch, by_day=True)
        if undated_n:
            yield from self._paged_ids(searcher, undated, undated_n, batch, by_day=False)

    def _within(self, query: tantivy.Query, low: int, high: int) -> tantivy.Query:
        days = tantivy.Query.range_query(self.schema, "day", tantivy.FieldType.Integer, low, high)
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, days)])

    @staticmethod
    def _count(searcher: Any, query: tantivy.Query) -> int:
        try:
            return int(searcher.search(query, 1, count=True).count or 0)
        except ValueError as exc:
            raise QueryError(f"search failed: {exc}") from exc

    @staticmethod
    def _paged_ids(
        searcher: Any, query: tantivy.Query, n: int, batch: int, by_day: bool
    ) -> Iterator[list[str]]:
        order: dict[str, Any] = {"order_by_field": "day", "order": tantivy.Order.Asc} if by_day else {}
        for offset in range(0, n, batch):
            result = searcher.search(query, min(batch, n - offset), count=False, offset=offset, **order)
            addresses = [address for _, address in result.hits]
            keys = searcher.fast_field_values("id_key", addresses)
            ids = [
                _key_id(key) if key is not None else _hit_id(searcher.doc(address).get_first("hit"))
                for key, address in zip(keys, addresses, strict=True)
            ]
            if ids:
                yield ids

    def facet_counts(self, q: IndexQuery, facet: str, size: int) -> dict[str, int]:
        """The ``size`` most frequent values of a facet among the matches."""
        if facet not in FACETS:
            raise QueryError(f"facet must be one of {', '.join(FACETS)}, not {facet!r}")
        spec = {"f": {"terms": {"field": FACET_FIELDS[facet], "size": max(1, min(size, _MAX_BUCKETS))}}}
        raw = self._index.searcher().aggregate(self._query(q), spec)
        return {str(b["key"]): int(b["doc_count"]) for b in raw.get("f", {}).get("buckets", [])}

    def doc_frequencies(self, language: str | None, words: Iterable[str]) -> dict[str, int]:
        """Documents whose body holds each word, analysed as a body in ``language`` is; a word
        that analyses into several terms (or none) gets the rarest term's count (or 0)."""
        family = family_of(language)
        field = field_of("body", family)
        searcher = self._index.searcher()
        analysis = QueryAnalyzers()
        out: dict[str, int] = {}
        for word in words:
            terms = analysis.terms(family, word)
            out[word] = min((int(searcher.doc_freq(field, t)) for t in terms), default=0)
        return out

    def more_like_this(self, article: Article, limit: int) -> list[str]:
        """Ids of articles sharing the most distinctive terms with this one."""
        searcher = self._index.searcher()
        family = family_of(article.language, article.body)
        mlt = (
            tantivy.Query.more_like_this_document_fields_query(
                self.schema,
                {
                    field_of("body", family): [analyzers.index_text(family, article.body[:20000])],
                    field_of("title", family): [analyzers.index_text(family, article.title)],
                },
                min_doc_frequency=1,
                max_doc_frequency=None,
                min_term_frequency=1,
                max_query_terms=25,
                min_word_length=3,
            )
            if hasattr(tantivy.Query, "more_like_this_document_fields_query")
            else None
        )
        if mlt is None:
            return []
        try:
            result = searcher.search(self._related_query(article, mlt), limit, count=False)
        except BaseException as exc:  # a Rust panic arrives as pyo3's PanicException (a BaseException)
            if type(exc).__name__ != "PanicException":
                raise
            # tantivy's MoreLikeThis counts deleted documents in a term's frequency and panics when
            # that exceeds the live documents (after duplicates are merged away); pick terms ourselves
            log.warning("more-like-this fell back to frequent terms (%s)", exc)
            fallback = self._frequent_terms_query(article)
            if fallback is None:
                return []
            result = searcher.search(self._related_query(article, fallback), limit, count=False)
        return [_unpack_hit(searcher.doc(addr).get_first("hit"), 0.0, "").id for _, addr in result.hits]

    def _related_query(self, article: Article, terms: tantivy.Query) -> tantivy.Query:
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, terms),
                (tantivy.Occur.MustNot, tantivy.Query.term_query(self.schema, "id", article.id)),
                (tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "canonical", True)),
            ]
        )

    def _frequent_terms_query(self, article: Article) -> tantivy.Query | None:
        """The article's 25 most frequent words of 5 letters or more, any of them."""
        counts: dict[str, int] = {}
        family = family_of(article.language, article.body)
        words = analyzers.index_text(family, f"{article.title} {article.body[:20000]}")
        for word in re.findall(r"[^\W\d_]{5,}", words.casefold()):
            counts[word] = counts.get(word, 0) + 1
        top = sorted(counts, key=lambda w: (-counts[w], w))[:25]
        if not top:
            return None
        return self._index.parse_query(" ".join(top), [field_of("title", family), field_of("body", family)])

    def close(self) -> None:
        self._writer = None
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None


class _Excerpts:
    """Each hit's excerpt from its family's body field: tantivy's snippets for the fields tantivy
    analyses, ours from the stored text for our families (their fields hold terms, not the text)."""

    def __init__(self, index: TantivyIndex, searcher: Any, query: tantivy.Query, q: IndexQuery) -> None:
        self._index, self._searcher, self._query, self._q = index, searcher, query, q
        self._generators: dict[str, Any] = {}
        self._wanted: dict[str, set[str]] = {}

    def of(self, doc: Any, family: str) -> Excerpt | None:
        if family in OWN_ANALYSIS:
            wanted = self._wanted.get(family)
            if wanted is None:
                assert self._q.query is not None
                wanted = self._wanted[family] = self._index._compiler.highlight_terms(self._q.query, family)
            return analyzers.word_excerpt(family, _stored_body(doc, family), wanted, _MAX_SNIPPET_CHARS)
        generator = self._generators.get(family)
        if generator is None:
            generator = tantivy.SnippetGenerator.create(
                self._searcher, self._query, self._index.schema, field_of("body", family)
            )
            generator.set_max_num_chars(_MAX_SNIPPET_CHARS)
            self._generators[family] = generator
        return _excerpt(generator.snippet_from_doc(doc))


def _stored_body(doc: Any, family: str) -> str:
    if family in OWN_ANALYSIS:
        raw = doc.get_first("text")
        return raw.decode("utf-8") if raw else ""
    return str(doc.get_first(field_of("body", family)) or "")


def _pack_hit(a: Article, cluster_size: int, versions: int) -> bytes:
    """The stored hit record: a JSON array (field names would be most of its bytes)."""
    values = [a.id, a.title, a.url, a.source, a.published, a.section, a.language, a.cluster_id]
    return json.dumps([*values, cluster_size, versions], ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def _unpack_hit(record: bytes | None, score: float, snippet: str) -> SearchHit:
    """A SearchHit from a stored hit record; runs per hit on the search path, so kept lean."""
    try:
        if record is None:
            raise ValueError("no hit record")
        # raw_decode of the str skips json.loads' bytes sniffing and whitespace check: 4 µs -> 1 µs
        fields: Any = _JSON.raw_decode(record.decode("utf-8"))[0]
        if len(fields) == 9:  # written before versions were counted
            fields = [*fields, 1]
        (article_id, title, url, source, published, section, language, cluster_id, size, versions) = fields
    except (ValueError, TypeError) as exc:  # missing, truncated or foreign record
        raise ArchiveError(
            "the search index holds a document without a readable hit record; run `newsarchive reindex`"
        ) from exc
    return SearchHit(
        article_id,
        score,
        title,
        url,
        source,
        published,
        section,
        language,
        snippet,
        max(0, size - 1),
        cluster_id,
        versions,
    )


def _hit_id(record: bytes | None) -> str:
    """The article id at the head of a stored hit record (``["<id>",…``), read without decoding
    the rest; an id holding an escape is decoded properly."""
    if record is not None and record.startswith(b'["'):
        end = record.find(b'"', 2)
        if end > 2 and b"\\" not in record[2:end]:
            return record[2:end].decode("utf-8")
    return _unpack_hit(record, 0.0, "").id


_HEX_ID = re.compile(r"[0-9a-f]{16}")
_KEY_SHIFT = 1 << 63


def _id_key(article_id: str) -> int | None:
    """An article id of 16 lowercase hex digits (a capture's SHA-256 prefix, what ingest gives)
    as a signed 64-bit number; None for any other id, read from the stored document instead."""
    if _HEX_ID.fullmatch(article_id) is None:
        return None
    return int(article_id, 16) - _KEY_SHIFT


def _key_id(key: int) -> str:
    return format(key + _KEY_SHIFT, "016x")


def _add_window(windows: list[tuple[int, int, int]], low: int, high: int, n: int, batch: int) -> None:
    """Extend the last window of days by this period while it stays within a batch, else start one."""
    if windows and windows[-1][2] + n <= batch:
        windows[-1] = (windows[-1][0], high, windows[-1][2] + n)
    else:
        windows.append((low, high, n))


def _bucket_label(key: int, by: str) -> str:
    if by == "day":
        return f"{key // 10000:04d}-{key // 100 % 100:02d}-{key % 100:02d}"
    if by == "month":
        return f"{key // 100:04d}-{key % 100:02d}"
    return f"{key:04d}"


def _lead(body: str) -> str:
    text = " ".join(body.split())
    if len(text) <= _MAX_SNIPPET_CHARS:
        return text
    cut = text[:_MAX_SNIPPET_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


def _excerpt(snippet: Any) -> Excerpt | None:
    """tantivy's fragment with its highlights as character ranges (None when nothing matched the body).

    tantivy reports UTF-8 byte offsets into the fragment, so non-ASCII fragments (curly quotes,
    dashes, any non-Latin script) are counted back into characters.
    """
    fragment: str = snippet.fragment()
    if not fragment:
        return None
    ranges = sorted((r.start, r.end) for r in snippet.highlighted())
    if fragment.isascii():
        return Excerpt(fragment, tuple(ranges))
    raw = fragment.encode("utf-8")

    def chars(offset: int) -> int:
        return len(raw[:offset].decode("utf-8", errors="ignore"))

    return Excerpt(fragment, tuple((chars(start), chars(end)) for start, end in ranges))


def _day_number(published: str | None) -> int | None:
    if not published or len(published) < 10 or not published[:4].isdigit():
        return None
    try:
        day = dt.date.fromisoformat(published[:10])
    except ValueError:
        return None
    return _date_number(day)


_TIE_BITS = 42
"""Bits of ``order`` below the day: a day's ordinal (under 2**22 until the year 9999) fits above."""


def _date_order(published: str | None, article_id: str) -> int:
    """The newest-first key: the publication day's ordinal (0 when undated or only a month or year
    is known, so those come last, as without a day) above 42 bits of a hash of the id, so the
    articles of one day have one order on every page, in every process, after every merge."""
    day = _day_number(published)
    ordinal = dt.date(day // 10000, day // 100 % 100, day % 100).toordinal() if day else 0
    tie = int.from_bytes(hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest(), "big")
    return ordinal << _TIE_BITS | tie >> (64 - _TIE_BITS)


def _date_number(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day
