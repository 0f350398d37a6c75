"""The JSON API: the same search parameters as the UI, the core's JSON contracts, errors as JSON.

Read endpoints are sync functions (FastAPI runs them in its thread pool, bounded by
``create_app(threads=…)``), each borrowing a read-only ``Archive`` from the app's pool. ``POST /api/ingest`` opens a writable archive for
the request, one ingest at a time, after checking the write token and before reading the body.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from newsarchive.archive import Archive
from newsarchive.errors import NotFoundError, QueryError
from newsarchive.model import EVENT_TYPES, Article, DiffPart, EntityDetail, Event, IngestReport, diff_stats
from newsarchive.query import MAX_PER_PAGE, parse_day
from newsarchive.research.export import EXPORT_FIELDS
from newsarchive.research.timeline import Timeline
from newsarchive.web.rights import public_filters, public_rights
from newsarchive.web.sanitize import capture_extension, capture_media_type
from newsarchive.web.security import DOWNLOAD_CSP, TokenProblem, check_write_token

router = APIRouter(prefix="/api", tags=["api"])

MAX_RESULT_WINDOW = 10_000
"""Deepest hit a page may reach: deeper pages make the index collect (page × per_page) hits."""
SEARCH_CACHE = "public, max-age=30"
IMMUTABLE = "public, max-age=31536000, immutable"
MAX_UPLOAD_FILES = 200


# -- parameters shared with the HTML pages ----------------------------------------------------


@dataclass(slots=True, frozen=True)
class SearchParams:
    """A search as it appears in a URL; ``filters()`` gives ``Archive.search`` keyword arguments."""

    q: str = ""
    date_from: str | None = None
    date_to: str | None = None
    source: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    lang: tuple[str, ...] = ()
    entity: tuple[str, ...] = ()
    """Articles naming every one of these entities (a filter beside ``q``, which keeps what was typed)."""
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    all_versions: bool = False

    def filters(self) -> dict[str, Any]:
        """Checked here first so the messages name the URL parameters (``from``, not ``--from``) and a
        ``per_page`` out of range is said as such, not as a page too deep."""
        if self.page < 1:
            raise QueryError(f"page must be 1 or more, not {self.page}")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise QueryError(f"per_page must be between 1 and {MAX_PER_PAGE}, not {self.per_page}")
        if self.page * self.per_page > MAX_RESULT_WINDOW:
            raise QueryError(
                f"page {self.page} is too deep (only the first {MAX_RESULT_WINDOW} hits can be paged); "
                "narrow the search with filters or sort by date"
            )
        return {**self.timeline_filters(), "sort": self.sort, "page": self.page, "per_page": self.per_page}

    def timeline_filters(self) -> dict[str, Any]:
        check_date_range(self.date_from, self.date_to)
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "source": self.source,
            "section": self.section,
            "language": self.lang,
            "entity": self.entity,
            "all_versions": self.all_versions,
        }

    def query_items(self, **changes: Any) -> list[tuple[str, str]]:
        """The URL parameters of this search with some changed, in a stable order (shareable URLs)."""
        values = {
            "q": self.q,
            "from": self.date_from or "",
            "to": self.date_to or "",
            "source": self.source,
            "section": self.section,
            "lang": self.lang,
            "entity": self.entity,
            "sort": self.sort,
            "page": self.page,
            "all_versions": self.all_versions,
        }
        values.update(changes)
        items: list[tuple[str, str]] = []
        for key, value in values.items():
            if isinstance(value, tuple | list):
                items.extend((key, str(v)) for v in value)
            elif (key == "sort" and value == "relevance") or (key == "page" and value == 1):
                continue
            elif key == "all_versions":
                if value:
                    items.append((key, "true"))
            elif value not in ("", None):
                items.append((key, str(value)))
        return items


def check_date_range(date_from: str | None, date_to: str | None) -> None:
    """QueryError naming ``from``/``to`` (the URL parameters) when a bound is no date or they are crossed."""
    low = parse_day(date_from, "from", end=False)
    high = parse_day(date_to, "to", end=True)
    if low and high and low > high:
        raise QueryError(f"from {date_from} is after to {date_to}; swap them or widen the range")


def _clean(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v for v in (values or []) if v.strip())


def search_params(
    q: Annotated[
        str,
        Query(
            description='Query: words (all must match), "phrases", AND/OR/NOT or -word, parentheses, '
            "title:/body:/source:/section:/lang:/author:/url:/entity:"
        ),
    ] = "",
    date_from: Annotated[
        str | None, Query(alias="from", description="Earliest publication date: YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    date_to: Annotated[str | None, Query(alias="to", description="Latest publication date")] = None,
    source: Annotated[list[str] | None, Query(description="Only these sources (repeatable)")] = None,
    section: Annotated[list[str] | None, Query(description="Only these sections (repeatable)")] = None,
    lang: Annotated[list[str] | None, Query(description="Only these language codes (repeatable)")] = None,
    entity: Annotated[
        list[str] | None,
        Query(description="Only articles naming this entity, by canonical name (repeatable: all)"),
    ] = None,
    sort: Annotated[str, Query(description="relevance, date (newest first) or date_asc")] = "relevance",
    page: Annotated[int, Query(description="1-based page number")] = 1,
    per_page: Annotated[int, Query(description=f"Hits per page, 1 to {MAX_PER_PAGE}")] = 10,
    all_versions: Annotated[
        bool, Query(description="Every copy and every older version, not one hit per story")
    ] = False,
) -> SearchParams:
    return SearchParams(
        q=q,
        date_from=date_from or None,
        date_to=date_to or None,
        source=_clean(source),
        section=_clean(section),
        lang=_clean(lang),
        entity=_clean(entity),
        sort=sort or "relevance",
        page=page,
        per_page=per_page,
        all_versions=all_versions,
    )


Search = Annotated[SearchParams, Depends(search_params)]


def pool(request: Request) -> Any:
    return request.app.state.pool


# -- documentation models (responses are built from the core's to_json contracts) --------------


class ErrorBody(BaseModel):
    error: str = Field(description="What went wrong and how to fix it")
    status: int


class HitBody(BaseModel):
    id: str
    score: float
    title: str
    url: str | None
    source: str
    published: str | None
    section: str | None
    language: str | None
    snippet: str = Field(description="HTML-escaped text with <b> highlights")
    duplicates: int = Field(description="Other copies of this story (its cluster) folded into this hit")
    versions: int = Field(description="Versions of its URL kept in the archive; this hit is the latest")


class SearchBody(BaseModel):
    total: int
    took_ms: float
    page: int
    per_page: int
    hits: list[HitBody]
    facets: dict[str, dict[str, int]]


class CaptureRefBody(BaseModel):
    sha256: str
    origin: str
    ingested_at: str


class ArticleBody(BaseModel):
    id: str
    url: str | None
    source: str
    title: str
    authors: list[str]
    published: str | None
    published_from: str | None
    section: str | None
    language: str | None
    body: str
    captions: list[str]
    media_ids: list[str]
    word_count: int
    cluster_id: str | None = Field(description="Its copy cluster (see /api/articles/{id}/copies)")
    rights: str | None = Field(
        None,
        description="Only on a server with source rights: full, snippet (body is a short excerpt) or "
        "metadata (body empty); captions are empty unless full",
    )
    representative: bool = Field(description="The copy of its cluster that searches show")
    latest: bool = Field(description="The latest version of its URL (see /api/articles/{id}/versions)")
    captures: list[CaptureRefBody]


class CopyBody(BaseModel):
    id: str
    title: str
    source: str
    url: str | None
    published: str | None
    representative: bool = Field(description="The copy searches show; listed first")
    resemblance: float = Field(
        description="0 to 1: how much of the wording it shares with the representative (both texts together)"
    )
    containment: float = Field(
        description="0 to 1: how much of the shorter of it and the representative is found in the other"
    )


class DiffPartBody(BaseModel):
    op: str = Field(description="same, added (only in the newer text) or removed (only in the older)")
    text: str = Field(description="The words, spacing kept: joining same+removed gives the old text")


class DiffBody(BaseModel):
    from_: str = Field(alias="from", description="The version compared from (the older text)")
    to: str = Field(description="The version compared to")
    added: int = Field(description="Words added")
    removed: int = Field(description="Words removed")
    parts: list[DiffPartBody]


class RejectBody(BaseModel):
    origin: str
    reason: str


class IngestBody(BaseModel):
    inputs: int
    captures_new: int
    captures_seen: int
    articles_new: int
    duplicates: int
    rejects: list[RejectBody]
    already_archived: bool = Field(description="Nothing new, nothing wrong: every input was stored before")
    stopped: str | None = Field(
        description="Why the run stopped early (another writer); then the status is 503"
    )


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad parameter or query syntax"},
    503: {"model": ErrorBody, "description": "Archive unavailable"},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "No such record"}}
_NOT_VERSIONS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "`from` missing, or not another version of this article's URL"}
}


# -- read endpoints ---------------------------------------------------------------------------


@router.get("/search", response_model=None, responses={200: {"model": SearchBody}, **_ERRORS})
def api_search(request: Request, params: Search) -> Response:
    """Search: one page of hits with snippets, the total, facet counts and the time taken."""
    filters = public_filters(request, params.filters())
    with pool(request).borrow() as archive:
        result = archive.search(params.q, **filters)
    result = public_rights(request).result(result)
    return JSONResponse(result.to_json(), headers={"Cache-Control": SEARCH_CACHE})


class TimelineRowBody(BaseModel):
    query: str
    period: str = Field(description="2016-03-05 (day), 2016-W09 (ISO week), 2016-03 (month) or 2016 (year)")
    start: str = Field(description="The period's first day")
    count: int
    total: int | None = Field(
        None, description="With normalize: every article of the same sources (and other filters) then"
    )
    share: float | None = Field(None, description="With normalize: count / total (null when total is 0)")


class TimelineQueryBody(BaseModel):
    query: str
    matches: int = Field(description="Every match, as a search counts them")
    undated: int = Field(description="Matches without a date, in no period: counts + undated = matches")


class TimelineBody(BaseModel):
    by: str
    normalize: bool
    queries: list[TimelineQueryBody]
    rows: list[TimelineRowBody]


MAX_COMPARE = 5
"""Queries one chart compares (the page and the API alike)."""


def search_queries(request: Request) -> list[str]:
    """Every ``q`` of the URL, in order, blank ones dropped, repeats once (the first kept)."""
    return list(dict.fromkeys(q.strip() for q in request.query_params.getlist("q") if q.strip()))


@router.get(
    "/timeline",
    response_model=None,
    responses={
        200: {
            "model": TimelineBody,
            "description": "With `by`, several `q`, `normalize` or `split`: counts per period for each "
            "query (every period, 0 when none). With one `q` alone: hits per month as {YYYY-MM: n}, as "
            "the search page's chart draws them (kept for existing callers).",
            "content": {"text/csv": {}},
        },
        **_ERRORS,
    },
)
def api_timeline(
    request: Request,
    params: Search,
    by: Annotated[str | None, Query(description="day, week, month or year")] = None,
    normalize: Annotated[
        bool, Query(description="Also the share of every article of the same sources in each period")
    ] = False,
    split: Annotated[str | None, Query(description="`source`: one series per source of one query")] = None,
    format: Annotated[str, Query(description="json or csv")] = "json",
) -> Response:
    """Attention over time: matches per period for up to 5 queries (repeat `q`), optionally normalised."""
    queries = search_queries(request)
    if by is None and not normalize and split is None and len(queries) <= 1 and format == "json":
        with pool(request).borrow() as archive:
            counts = archive.timeline(params.q, **public_filters(request, params.timeline_filters()))
        return JSONResponse(counts, headers={"Cache-Control": SEARCH_CACHE})
    timeline = compare_timeline(request, params, queries, by or "month", normalize, split)
    if format == "csv":
        return Response(
            timeline.to_csv(),
            media_type="text/csv; charset=utf-8",
            headers={"Cache-Control": SEARCH_CACHE, "Content-Disposition": 'inline; filename="timeline.csv"'},
        )
    if format != "json":
        raise QueryError(f"format must be json or csv, not {format!r}")
    return JSONResponse(timeline.to_json(), headers={"Cache-Control": SEARCH_CACHE})


def compare_timeline(
    request: Request, params: SearchParams, queries: list[str], by: str, normalize: bool, split: str | None
) -> Timeline:
    """The timelines of up to MAX_COMPARE queries (or one split by source), checked as the URL says."""
    if split not in (None, "", "source"):
        raise QueryError(f"split must be source, not {split!r}")
    if len(queries) > MAX_COMPARE:
        raise QueryError(f"compare at most {MAX_COMPARE} queries at once, not {len(queries)}")
    with pool(request).borrow() as archive:
        timeline: Timeline = archive.timelines(
            queries or [""],
            by=by,
            normalize=normalize,
            split_by_source=split == "source",
            **public_filters(request, params.timeline_filters()),
        )
    return timeline


class TermBody(BaseModel):
    word: str
    score: float = Field(description="log-odds ratio (matches vs the archive) over its standard error")
    in_sample: int = Field(description="Sampled matches holding the word")
    in_archive: int = Field(description="Articles of the archive holding it")


class EntityCountBody(BaseModel):
    name: str
    type: str
    articles: int = Field(description="Matching articles naming it (all matches, not the sample)")


class TermsBody(BaseModel):
    query: str
    matches: int
    sample: int = Field(description="Matches the words were read from: the most relevant ones")
    archive: int = Field(description="Articles the words were compared with")
    terms: list[TermBody]
    entities: dict[str, list[EntityCountBody]] = Field(description="people, places, organisations, other")


@router.get("/terms", response_model=None, responses={200: {"model": TermsBody}, **_ERRORS})
def api_terms(
    request: Request,
    params: Search,
    top: Annotated[int, Query(description="Words, 1 to 200")] = 30,
    sample: Annotated[int, Query(description="Most relevant matches read for the words, 1 to 5000")] = 500,
) -> Response:
    """What a search is about: its matches' most typical words against the whole archive, and the
    people, places and organisations they name most."""
    with pool(request).borrow() as archive:
        found = archive.terms(
            params.q, top=top, sample=sample, **public_filters(request, params.timeline_filters())
        )
    return JSONResponse(found.to_json(), headers={"Cache-Control": SEARCH_CACHE})


EXPORT_MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}


@router.get(
    "/export",
    response_class=Response,
    responses={
        200: {
            "content": {t.split(";")[0]: {} for t in EXPORT_MEDIA_TYPES.values()},
            "description": "Every match (oldest first), streamed as an attachment; `X-Total-Matches` says "
            "how many match and `X-Export-Rows` how many are sent (fewer only when the server limits rows)",
        },
        **_ERRORS,
    },
)
def api_export(
    request: Request,
    params: Search,
    format: Annotated[str, Query(description="csv, jsonl or parquet")] = "csv",
    fields: Annotated[
        str | None, Query(description=f"Columns, comma-separated (default all: {','.join(EXPORT_FIELDS)})")
    ] = None,
) -> Response:
    """Every article matching a search, streamed as CSV, JSONL or Parquet (no 10,000-hit limit)."""
    limit: int | None = request.app.state.settings.export_row_limit
    filters = public_filters(request, params.timeline_filters())
    rights = public_rights(request)
    redact = rights.export_row if rights.restricts else None
    with pool(request).borrow() as archive:
        total = archive.search(params.q, per_page=1, facets=False, **filters).total
        pieces = archive.export_stream(params.q, format, fields, limit=limit, redact=redact, **filters)
    rows = total if limit is None else min(total, limit)
    return StreamingResponse(
        pieces,
        media_type=EXPORT_MEDIA_TYPES[format],
        headers={
            "Content-Disposition": f'attachment; filename="{export_filename(params.q, format)}"',
            "Cache-Control": "no-store",
            "Content-Security-Policy": DOWNLOAD_CSP,
            "X-Total-Matches": str(total),
            "X-Export-Rows": str(rows),
        },
    )


def export_filename(query: str, fmt: str) -> str:
    """``newsarchive-medvedev-visit.csv``: the query's letters and digits, safe in a header."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", query).lower())
    slug = "-".join(words)[:60].strip("-") or ("all" if not query.strip() else "query")
    return f"newsarchive-{slug}.{fmt}"


@router.get(
    "/articles/{article_id}", response_model=None, responses={200: {"model": ArticleBody}, **_NOT_FOUND}
)
def api_article(request: Request, article_id: str) -> Response:
    """One article with every field and its captures (the core's article contract)."""
    with pool(request).borrow() as archive:
        article = archive.article(article_id)
    rights = public_rights(request)
    data = rights.article_json(article) if rights.restricts else article.to_json()
    return cached_json(request, data, "public, max-age=300")


@router.get(
    "/articles/{article_id}/versions",
    response_model=None,
    responses={200: {"model": list[ArticleBody]}, **_NOT_FOUND},
    summary="Versions of the article's URL",
)
def api_versions(request: Request, article_id: str) -> Response:
    """Every version of the article's URL (the same URL captured again with changed text), itself
    included, oldest first; ``latest`` marks the one shown. Empty when the article has no URL."""
    with pool(request).borrow() as archive:
        versions = archive.versions(article_id)
    rights = public_rights(request)
    data = [rights.article_json(a) if rights.restricts else a.to_json() for a in versions]
    return cached_json(request, data, "public, max-age=300")


@router.get(
    "/articles/{article_id}/copies",
    response_model=None,
    responses={200: {"model": list[CopyBody]}, **_NOT_FOUND},
    summary="Copies of the article's story",
)
def api_copies(request: Request, article_id: str) -> Response:
    """Every copy of the article's story (syndicated or republished elsewhere), the one searches show
    first, each with its resemblance and containment to it: why they were grouped. A lone article
    gives just itself."""
    with pool(request).borrow() as archive:
        data = [c.to_json() for c in archive.copies(article_id)]
    return cached_json(request, data, "public, max-age=300")


@router.get(
    "/articles/{article_id}/diff",
    response_model=None,
    responses={200: {"model": DiffBody}, **_NOT_VERSIONS, **_NOT_FOUND},
    summary="What changed between two versions",
)
def api_diff(
    request: Request,
    article_id: str,
    other_id: Annotated[
        str | None,
        Query(
            alias="from", description="Required: the id of another version of the same URL (the older text)"
        ),
    ] = None,
) -> Response:
    """What changed, word by word, from the version ``from`` to this one: runs of text that are
    the same, added or removed, and the number of words added and removed."""
    with pool(request).borrow() as archive:
        new, old = version_pair(archive, article_id, other_id)
        public_rights(request).check_text(new.source, "What changed in the text")
        parts = archive.version_diff(new.id, old.id)
    return cached_json(request, diff_json(old.id, new.id, parts), "public, max-age=300")


def version_pair(archive: Archive, article_id: str, other_id: str | None) -> tuple[Article, Article]:
    """The article and the other version it is compared with (``from``): QueryError when ``from`` is
    missing, names the article itself or another URL's article; NotFoundError for an unknown id."""
    if other_id is None or not other_id.strip():
        raise QueryError(
            "from is missing: give the id of another version of this article's URL "
            "(diff?from=OTHER_ID); the article's versions list them"
        )
    new, old = archive.article(article_id), archive.article(other_id.strip())
    if new.id == old.id:
        raise QueryError(f"from {other_id!r} is this version itself; compare it with another version")
    if old.id not in {v.id for v in archive.versions(new.id)}:
        raise QueryError(
            f"{old.id} and {new.id} are not versions of the same URL; only captures of one URL "
            "are compared (the article's versions list them)"
        )
    return new, old


def diff_json(old_id: str, new_id: str, parts: list[DiffPart]) -> dict[str, Any]:
    added, removed = diff_stats(parts)
    return {
        "from": old_id,
        "to": new_id,
        "added": added,
        "removed": removed,
        "parts": [p.to_json() for p in parts],
    }


@router.get(
    "/articles/{article_id}/related",
    response_model=None,
    responses={200: {"model": list[HitBody]}, **_NOT_FOUND},
)
def api_related(request: Request, article_id: str) -> Response:
    """More-like-this: articles sharing the most distinctive terms, one per cluster."""
    with pool(request).borrow() as archive:
        related = archive.related(article_id)
    rights = public_rights(request)
    data = [rights.hit(h).to_json() for h in related]
    return cached_json(request, data, "public, max-age=300")


@router.get(
    "/captures/{sha256}",
    response_class=Response,
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "The archived bytes"},
        **_NOT_FOUND,
    },
)
def api_capture(request: Request, sha256: str) -> Response:
    """The archived original, byte for byte, as an attachment with its archived content type."""
    etag = f'"{sha256}"'
    if _etag_matches(request, etag):
        return Response(status_code=304, headers={"ETag": etag, "Cache-Control": IMMUTABLE})
    with pool(request).borrow() as archive:
        capture = archive.capture(sha256)
        rights = public_rights(request)
        if rights.restricts:
            rights.check_text(capture_source(archive, capture.article_id), "The archived capture")
    media_type = capture_media_type(capture.content_type, capture.format)
    return Response(
        capture.raw,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{sha256}.{capture_extension(media_type)}"',
            "ETag": etag,
            "Cache-Control": IMMUTABLE,
            "Content-Security-Policy": DOWNLOAD_CSP,
            "X-Capture-SHA256": sha256,
        },
    )


def capture_source(archive: Archive, article_id: str | None) -> str | None:
    """The source of the article a capture became (None: it became none, so the ``*`` right holds)."""
    if article_id is None:
        return None
    try:
        return archive.article(article_id).source
    except NotFoundError:
        return None


@router.get("/sources", response_model=None, responses={200: {"model": dict[str, int]}})
def api_sources(request: Request) -> Response:
    """Every source with its number of articles."""
    with pool(request).borrow() as archive:
        data = archive.sources()
    return JSONResponse(data, headers={"Cache-Control": "public, max-age=60"})


@router.get("/stats", response_model=None, responses={200: {"model": dict[str, Any]}})
def api_stats(request: Request) -> Response:
    """Counts by source, section, year and language, plus the rejects."""
    with pool(request).borrow() as archive:
        data = archive.stats()
    return JSONResponse(data, headers={"Cache-Control": "public, max-age=60"})


# -- enrichment: entities, events, quotes --------------------------------------------------------

ENTITY_TYPES = ("PERSON", "ORG", "PLACE")
ENRICHMENT_CACHE = "public, max-age=60"
MAX_ACTORS = 4
_ISO_PREFIX = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")


def entity_type(value: str | None) -> str | None:
    """``person`` → ``PERSON``; None for no filter; QueryError for anything else."""
    if not value or not value.strip():
        return None
    wanted = value.strip().upper()
    if wanted not in ENTITY_TYPES:
        raise QueryError(f"type must be one of {', '.join(ENTITY_TYPES)}, not {value!r}")
    return wanted


@dataclass(slots=True, frozen=True)
class EventParams:
    """An events query as it appears in a URL (``/events`` and ``/api/events``)."""

    actors: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    types: tuple[str, ...] = ()
    limit: int = 1000

    def query_items(self, **changes: Any) -> list[tuple[str, str]]:
        values: dict[str, Any] = {
            "actor": self.actors,
            "from": self.date_from or "",
            "to": self.date_to or "",
            "type": self.types,
        }
        values.update(changes)
        items: list[tuple[str, str]] = []
        for key, value in values.items():
            if isinstance(value, tuple | list):
                items.extend((key, str(v)) for v in value)
            elif value:
                items.append((key, str(value)))
        return items


def _event_bound(value: str | None, name: str) -> str | None:
    if not value or not value.strip():
        return None
    value = value.strip()
    if not _ISO_PREFIX.fullmatch(value):
        raise QueryError(f"{name} {value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def event_params(
    actor: Annotated[
        list[str] | None,
        Query(description="Events involving this actor as source or target, by any alias (repeat for two)"),
    ] = None,
    date_from: Annotated[
        str | None, Query(alias="from", description="Earliest event date: YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    date_to: Annotated[
        str | None, Query(alias="to", description="Latest event date (inclusive prefix)")
    ] = None,
    type: Annotated[
        list[str] | None, Query(description="Only these event types, e.g. MEET, VISIT (repeatable)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many events")] = 1000,
) -> EventParams:
    actors = _clean(actor)
    if len(actors) > MAX_ACTORS:
        raise QueryError(f"at most {MAX_ACTORS} actors; an event has a source and a target")
    low = _event_bound(date_from, "from")
    high = _event_bound(date_to, "to")
    if low and high and low[: len(high)] > high:
        raise QueryError(f"from {low} is after to {high}")
    types = tuple(t.strip().upper() for t in _clean(type))
    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown:
        raise QueryError(f"unknown event type {unknown[0]!r}; types are {', '.join(EVENT_TYPES)}")
    return EventParams(actors, low, high, types, limit)


EventsQuery = Annotated[EventParams, Depends(event_params)]


def find_events(archive: Archive, params: EventParams) -> list[Event]:
    """Events for ``params`` in date order; events whose year is unknown (``--11-10``) only when no
    date range is asked for, since they cannot be placed inside one."""
    found = archive.events(params.actors, params.date_from, params.date_to, params.types, params.limit)
    if params.date_from or params.date_to:
        found = [e for e in found if e.date and e.date[:1].isdigit()]
    return found


def entity_detail_json(detail: EntityDetail) -> dict[str, Any]:
    return {
        **detail.entity.to_json(),
        "mentions_per_month": dict(detail.months),
        "cooccurring": [{"name": name, "articles": n} for name, n in detail.cooccurring],
        "quotes": [q.to_json() for q in detail.quotes],
        "events": [e.to_json() for e in detail.events],
    }


class RoleBody(BaseModel):
    title: str = Field(description="The title held, e.g. Prime Minister")
    of: str | None = Field(description="Whose: a country or organisation")
    as_of: str | None = Field(description="Publication date of the earliest article giving this title")


class EntityBody(BaseModel):
    name: str = Field(description="Canonical name")
    type: str = Field(description="PERSON, ORG or PLACE")
    aliases: list[str]
    roles: list[RoleBody] = Field(description="Roles timeline, earliest first")
    mentions: int = Field(description="Mentions across the archive")
    articles: int = Field(description="Articles mentioning it")


class EvidenceBody(BaseModel):
    text: str
    start: int = Field(description="Character offset in the article body")
    end: int


class EventBody(BaseModel):
    id: str
    type: str = Field(description="MEET, VISIT, CONSULT, AGREE, SIGN, NEGOTIATE, STATEMENT, …")
    source: str | None
    target: str | None
    location: str | None
    date: str | None = Field(
        description="ISO date, possibly partial: 2016-11-10, 2016-11, --11-10 (year unknown)"
    )
    date_status: str = Field(
        description=(
            "happened or planned (the text dates it), context (the report's day named before it) "
            "or publication (the text gave no date: the publication date)"
        )
    )
    article_id: str
    evidence: EvidenceBody


class QuoteBody(BaseModel):
    speaker: str | None
    speaker_entity: str | None = Field(description="The speaker's canonical entity")
    cue: str
    text: str
    article_id: str
    start: int
    end: int


class CooccurrenceBody(BaseModel):
    name: str
    articles: int = Field(description="Articles naming both")


class EntityDetailBody(EntityBody):
    mentions_per_month: dict[str, int] = Field(description="{YYYY-MM: mentions} by publication month")
    cooccurring: list[CooccurrenceBody]
    quotes: list[QuoteBody]
    events: list[EventBody]


class MentionBody(BaseModel):
    article_id: str
    start: int
    end: int
    text: str
    label: str = Field(description="The spaCy label")
    entity: str | None


class EnrichmentBody(BaseModel):
    article_id: str
    mentions: list[MentionBody]
    entities: list[EntityBody]
    quotes: list[QuoteBody]
    events: list[EventBody]


@router.get(
    "/entities",
    response_model=None,
    responses={200: {"model": list[EntityBody] | EntityDetailBody}, **_ERRORS, **_NOT_FOUND},
    summary="Top entities",
)
def api_entities(
    request: Request,
    top: Annotated[int, Query(ge=1, le=1000, description="How many, most mentioned first")] = 50,
    type: Annotated[str | None, Query(description="Only PERSON, ORG or PLACE")] = None,
    name: Annotated[
        str | None,
        Query(
            description="One entity instead, as /api/entities/{name} gives it: for names that cannot be "
            "a path segment (`..`, `%`, backslashes)"
        ),
    ] = None,
) -> Response:
    """The most mentioned canonical entities with aliases and roles (the `entities --json` contract);
    with ``name``, that one entity's detail."""
    if name is not None and name.strip():
        return _entity_detail(request, name)
    wanted = entity_type(type)
    with pool(request).borrow() as archive:
        data = [e.to_json() for e in archive.entities(top, wanted)]
    return cached_json(request, data, ENRICHMENT_CACHE)


@router.get(
    "/entities/{name:path}",
    response_model=None,
    responses={200: {"model": EntityDetailBody}, **_NOT_FOUND},
    summary="One entity",
)
def api_entity(request: Request, name: str) -> Response:
    """An entity by canonical name or alias: roles, mentions per month, co-occurring entities, quotes, events."""
    return _entity_detail(request, name)


def _entity_detail(request: Request, name: str) -> Response:
    with pool(request).borrow() as archive:
        detail = archive.entity(name)
        if detail.entity.name != name:
            # found by alias: ask again by canonical name, whose counts cover every article
            detail = archive.entity(detail.entity.name)
        data = entity_detail_json(public_rights(request).entity_detail(archive, detail))
    return cached_json(request, data, ENRICHMENT_CACHE)


@router.get(
    "/events", response_model=None, responses={200: {"model": list[EventBody]}, **_ERRORS}, summary="Events"
)
def api_events(request: Request, params: EventsQuery) -> Response:
    """Who did what to whom and when, in date order; with two actors, the events between them."""
    with pool(request).borrow() as archive:
        found = public_rights(request).events(archive, find_events(archive, params))
    data = [e.to_json() for e in found]
    return cached_json(request, data, ENRICHMENT_CACHE)


@router.get(
    "/quotes", response_model=None, responses={200: {"model": list[QuoteBody]}, **_ERRORS}, summary="Quotes"
)
def api_quotes(
    request: Request,
    speaker: Annotated[
        str | None, Query(description="Canonical speaker, or part of the speaker as written")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many quotes")] = 100,
) -> Response:
    """Direct and reported quotes with speaker, cue and offsets into the article body."""
    with pool(request).borrow() as archive:
        quotes = archive.quotes((speaker or "").strip() or None, limit)
        data = [q.to_json() for q in public_rights(request).quotes(archive, quotes)]
    return cached_json(request, data, ENRICHMENT_CACHE)


@router.get(
    "/articles/{article_id}/enrichment",
    response_model=None,
    responses={200: {"model": EnrichmentBody}, **_NOT_FOUND},
    summary="An article's entities, quotes and events",
)
def api_article_enrichment(request: Request, article_id: str) -> Response:
    """Mentions (with offsets into the body), entities, quotes and events found in one article."""
    with pool(request).borrow() as archive:
        enrichment = archive.enrichment(article_id)
        rights = public_rights(request)
        if rights.restricts:
            enrichment = rights.enrichment(archive.article(article_id).source, enrichment)
    return cached_json(request, enrichment.to_json(), "public, max-age=300")


# -- writing ----------------------------------------------------------------------------------

_INGEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "WARC/ARC, HTML, text dumps, JSONL/CSV, RSS/Atom or Reuters SGML files",
                        }
                    },
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["urls"],
                    "properties": {
                        "urls": {
                            "type": "array",
                            "items": {"type": "string"},
                            "maxItems": 1000,
                            "description": "http(s) pages to fetch and archive (public addresses only by default)",
                        }
                    },
                }
            },
        },
    },
    "security": [{"bearer": []}],
}


@router.post(
    "/ingest",
    response_model=None,
    openapi_extra=_INGEST_BODY,
    responses={
        200: {"model": IngestBody},
        400: {
            "model": ErrorBody,
            "description": "No files sent, a URL list entry that is not an http(s) URL, or a field "
            "mapping naming no field",
        },
        401: {"model": ErrorBody, "description": "No write token sent"},
        403: {"model": ErrorBody, "description": "Wrong token, or the server is read-only"},
        413: {"model": ErrorBody, "description": "Upload larger than 64 MB (a URL list: 1 MB)"},
        503: {
            "model": IngestBody,
            "description": "Another writer held the archive too long: the report of what was stored, "
            "plus error and status",
        },
    },
)
async def api_ingest(
    request: Request,
    field: Annotated[
        list[str] | None,
        Query(
            description="Read an article field of uploaded JSONL/CSV/JSON rows from this key or column, "
            "FIELD=COLUMN (repeatable): field=body=content&field=published=pubdate. Fields: body, html, "
            "title, published, authors, url, section, source, language, fetched_at",
        ),
    ] = None,
    dayfirst: Annotated[
        bool | None,
        Query(
            description="Numeric dates like 03/04/2019 are day first (true) or month first (false); "
            "default: what each file's other dates show, else month first with a notice",
        ),
    ] = None,
) -> Response:
    """Ingest uploaded files (multipart field ``files``) or fetch pages (JSON ``{"urls": [...]}``).

    Needs ``Authorization: Bearer TOKEN``. URLs are fetched from public addresses only unless the
    server's settings allow private ones; redirects are reported, not followed.
    """
    from newsarchive.sources.fieldmap import FieldMappingError, parse_field_option

    try:
        mapped = [parse_field_option(option) for option in field or ()]
    except FieldMappingError as exc:
        return _error(400, str(exc).replace("--field ", "field="))
    try:
        check_write_token(request.app.state.write_token, request.headers.get("authorization"))
    except TokenProblem as problem:
        headers = {"WWW-Authenticate": "Bearer"} if problem.status == 401 else {}
        return JSONResponse({"error": problem.message, "status": problem.status}, problem.status, headers)
    if request.headers.get("content-type", "").startswith("application/json"):
        return await _ingest_url_list(request)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return _error(
            400,
            "send files as multipart/form-data in the field 'files', or JSON {\"urls\": [...]} of pages to fetch",
        )
    upload_dir = Path(tempfile.mkdtemp(prefix="newsarchive-upload-"))
    try:
        async with request.form(max_files=MAX_UPLOAD_FILES, max_fields=20) as form:
            uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
            if not uploads:
                return _error(400, "no files: send them as multipart/form-data in the field 'files'")
            label = request.app.state.write_token_label
            files = await run_in_threadpool(_save_uploads, uploads, upload_dir / UPLOAD_FOLDER, label)
        report = await run_in_threadpool(_ingest, request, files, mapped, dayfirst)
    finally:
        shutil.rmtree(upload_dir, ignore_errors=True)
    return _report_response(report, upload_dir)


MAX_URLS = 1000
MAX_URL_CHARS = 2048
_SCHEME = re.compile(r"(?i)https?://")
_UNPRINTABLE = re.compile(r"[\x00-\x20\x7f-\x9f]")


def url_problem(url: str) -> str | None:
    """Why one entry of a URL list cannot be fetched, or None; checked before anything is opened.

    The list comes from a client, so only ``http``/``https`` (any case) with a host name pass: a
    path, ``file:``, ``gopher:`` or anything else is refused outright, never read from the disk.
    Whether the host is public is checked when it is fetched (it needs DNS) and becomes a reject.
    """
    if len(url) > MAX_URL_CHARS:
        return f"is {len(url):,} characters long; the limit is {MAX_URL_CHARS:,}"
    if not _SCHEME.match(url):
        return "is not an http:// or https:// URL; only web pages are fetched (upload files as multipart)"
    if _UNPRINTABLE.search(url):
        return "contains spaces or control characters; percent-encode them"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError on a port out of range
    except ValueError as exc:
        return f"is not a valid URL ({exc})"
    if not parts.hostname:
        return "has no host name"
    return None


def _shown(value: object, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def _ingest_url_list(request: Request) -> Response:
    """JSON {"urls": [...]}: every entry is checked first; one bad entry refuses the whole list (400)
    and nothing is fetched or opened. Then each page is fetched (public addresses only unless the
    settings allow private ones) and ingested; fetch failures come back as rejects."""
    try:
        data = await request.json()
    except ValueError:
        return _error(400, 'the body is not JSON; send {"urls": ["https://…", …]}')
    urls = data.get("urls") if isinstance(data, dict) else None
    if not isinstance(urls, list) or not urls:
        return _error(400, 'send {"urls": ["https://…", …]}: a non-empty list of URL strings')
    if len(urls) > MAX_URLS:
        return _error(400, f"{len(urls)} URLs in one request; send at most {MAX_URLS}")
    problems = []
    for n, url in enumerate(urls, 1):
        why = url_problem(url) if isinstance(url, str) else "is not a string"
        if why:
            problems.append(f"entry {n} {_shown(url)} {why}")
    if problems:
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        return _error(400, f"nothing was fetched: {shown}")
    state = request.app.state
    pages: list[str] = urls

    def fetch_and_ingest() -> IngestReport:
        with state.ingest_lock, Archive.open(state.archive_path, state.settings) as archive:
            return archive.ingest_urls(pages)

    report = await run_in_threadpool(fetch_and_ingest)
    return _report_response(report, None)


UPLOAD_FOLDER = "upload"
"""Uploads are saved in a folder of this name inside the temporary one: text-dump readers take a
file's folder as its site, which must not be the server's random temporary name."""


def _save_uploads(uploads: list[UploadFile], folder: Path, label: str | None) -> list[tuple[Path, str]]:
    """Each upload saved under a harmless unique name, paired with the origin to record for it."""
    folder.mkdir()
    files: list[tuple[Path, str]] = []
    used: set[str] = set()
    for n, upload in enumerate(uploads, 1):
        name = _safe_filename(upload.filename or "", n)
        while name in used:
            name = f"{n}-{name}"
        used.add(name)
        target = folder / name
        with target.open("wb") as out:
            upload.file.seek(0)
            shutil.copyfileobj(upload.file, out)
        files.append((target, upload_origin(upload.filename or "", n, label)))
    return files


def _safe_filename(name: str, n: int) -> str:
    """The uploaded name's last component with only harmless characters (its extension guides detection)."""
    base = re.split(r"[\\/]", name)[-1]
    base = re.sub(r"[^A-Za-z0-9._-]", "_", base).lstrip(".")[:120]
    return base or f"upload-{n}"


# Controls, and the invisible characters that reorder or hide text on screen (bidi overrides, isolates).
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
MAX_NAME_CHARS = 120


def display_name(text: str) -> str:
    """A client-given name fit to show and record: NFC, no controls or bidi overrides, spaces squeezed,
    ``#`` (which separates an origin from its record number) replaced, at most 120 characters with
    the extension kept. Letters of every script stay, so the name is still recognisable."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    text = " ".join(text.split()).replace("#", "_")
    if not text.strip("."):
        return ""
    if len(text) > MAX_NAME_CHARS:
        _, dot, ext = text.rpartition(".")
        keep = dot + ext if dot and len(ext) <= 10 else ""
        text = text[: MAX_NAME_CHARS - len(keep)].rstrip() + keep
    return text


def upload_origin(filename: str, n: int, label: str | None = None) -> str:
    """``upload:report.html``, or ``upload:LABEL/report.html`` when the server has a write-token label:
    what the archive records instead of the server's temporary path."""
    name = display_name(re.split(r"[\\/]", filename)[-1]) or f"upload-{n}"
    who = display_name(label or "").replace("/", "_")
    return f"upload:{who}/{name}" if who else f"upload:{name}"


def _ingest(
    request: Request,
    files: list[tuple[Path, str]],
    fields: list[tuple[str, str]] | None = None,
    dayfirst: bool | None = None,
) -> IngestReport:
    from dataclasses import replace

    from newsarchive.sources.fieldmap import merge_fields

    state = request.app.state
    settings = state.settings
    if fields:
        settings = replace(settings, fields=merge_fields(settings.fields, fields))
    if dayfirst is not None:
        settings = replace(settings, dayfirst=dayfirst)
    with state.ingest_lock, Archive.open(state.archive_path, settings) as archive:
        return archive.ingest_uploads(files)


BUSY = (
    "another writer (a command-line ingest or another upload) held the archive for longer than this "
    "server waits (NEWSARCHIVE_WRITER_WAIT); what is reported was stored, the rest was not started. "
    "Send the request again later: inputs already stored are skipped"
)


def _report_response(report: IngestReport, upload_dir: Path | None) -> Response:
    """The ingest report (``ingest --json``'s contract); 503 with it when another writer stopped the run,
    so a client that only checks the status still knows to send the rest again."""
    body = _report_json(report, upload_dir)
    headers = {"Cache-Control": "no-store"}
    if report.stopped:
        body.update(stopped=BUSY, error=BUSY, status=503)
        return JSONResponse(body, 503, {**headers, "Retry-After": "5"})
    return JSONResponse(body, headers=headers)


def _report_json(report: IngestReport, upload_dir: Path | None) -> dict[str, Any]:
    """The report's JSON, rejects as ``{origin, reason}``; uploads are already named by their upload
    origin, and the server's temporary folder is cut out of anything a reader's message still holds."""
    folders = [f"{upload_dir}/{UPLOAD_FOLDER}/", f"{upload_dir}/", str(upload_dir)] if upload_dir else []

    def scrub(text: str) -> str:
        for folder in folders:
            text = text.replace(folder, "")
        return text

    body = report.to_json()
    body["rejects"] = [{"origin": scrub(r.origin), "reason": scrub(r.reason)} for r in report.rejects]
    return body


# -- helpers ----------------------------------------------------------------------------------


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status, {"Cache-Control": "no-store"})


def _etag_matches(request: Request, etag: str) -> bool:
    given = request.headers.get("if-none-match")
    if not given:
        return False
    return given.strip() == "*" or etag in [t.strip().removeprefix("W/") for t in given.split(",")]


def cached_json(request: Request, data: Any, cache_control: str) -> Response:
    """JSON with an ETag of its content; a matching If-None-Match gets 304 without a body."""
    body = JSONResponse(data).body
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": cache_control}
    if _etag_matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
