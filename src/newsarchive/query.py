"""The query layer: validates a search and asks the index for a page of hits, totals and facets.

Interfaces (CLI, API, web pages) call this through ``Archive``; they never see the index or
the store directly.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from newsarchive.errors import QueryError
from newsarchive.index.tantivy_index import IndexQuery, TantivyIndex
from newsarchive.model import SearchResult

SORTS = ("relevance", "date", "date_asc")
MAX_PER_PAGE = 100
MAX_QUERY_CHARS = 1000
MAX_DEPTH = 10_000
"""Deepest hit a page may reach: the index collects page x per_page hits to serve one page."""


@dataclass(slots=True, frozen=True)
class SearchRequest:
    """What a user asked for, in the same terms as the CLI flags and the URL parameters."""

    query: str = ""
    date_from: str | None = None
    date_to: str | None = None
    source: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    all_versions: bool = False
    facets: bool = True

    def to_index_query(self) -> IndexQuery:
        if len(self.query) > MAX_QUERY_CHARS:
            raise QueryError(f"query is {len(self.query)} characters long; the limit is {MAX_QUERY_CHARS}")
        if self.sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}")
        if self.page < 1:
            raise QueryError(f"page must be 1 or more, not {self.page}")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise QueryError(f"per_page must be between 1 and {MAX_PER_PAGE}, not {self.per_page}")
        if self.page * self.per_page > MAX_DEPTH:
            raise QueryError(
                f"page {self.page} goes past the first {MAX_DEPTH:,} hits; narrow the search with filters instead"
            )
        low = parse_day(self.date_from, "from", end=False)
        high = parse_day(self.date_to, "to", end=True)
        if low and high and low > high:
            raise QueryError(f"from {self.date_from} is after to {self.date_to}")
        return IndexQuery(
            text=self.query,
            date_from=low,
            date_to=high,
            sources=self.source,
            sections=self.section,
            languages=self.language,
            canonical_only=not self.all_versions,
        )


def parse_day(value: str | None, name: str, end: bool) -> dt.date | None:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD; a partial date covers its whole year or month."""
    if value is None or value == "":
        return None
    text = value.strip()
    try:
        if len(text) == 4 and text.isdigit():
            return dt.date(int(text), 12, 31) if end else dt.date(int(text), 1, 1)
        if len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            first = dt.date(year, month, 1)
            if not end:
                return first
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise QueryError(f"{name} date {value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD") from exc


def run_search(index: TantivyIndex, request: SearchRequest) -> SearchResult:
    """One page of results with totals, facets and duplicate counts, all from the index.

    The index keeps each hit's record and cluster size (re-indexed whenever a cluster changes),
    so the hot path reads no store rows.
    """
    started = time.perf_counter()
    index_query = request.to_index_query()
    offset = (request.page - 1) * request.per_page
    total, hits, facets = index.search(
        index_query, limit=request.per_page, offset=offset, sort=request.sort, facets=request.facets
    )
    took = (time.perf_counter() - started) * 1000
    return SearchResult(
        total=total,
        hits=hits,
        facets=facets,
        took_ms=took,
        page=request.page,
        per_page=request.per_page,
    )
