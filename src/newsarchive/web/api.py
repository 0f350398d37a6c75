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
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from newsarchive.archive import Archive
from newsarchive.errors import QueryError
from newsarchive.model import IngestReport
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
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    all_versions: bool = False

    def filters(self) -> dict[str, Any]:
        if self.page >= 1 and self.per_page >= 1 and self.page * self.per_page > MAX_RESULT_WINDOW:
            raise QueryError(
                f"page {self.page} is too deep (only the first {MAX_RESULT_WINDOW} hits can be paged); "
                "narrow the search with filters or sort by date"
            )
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "source": self.source,
            "section": self.section,
            "language": self.lang,
            "sort": self.sort,
            "page": self.page,
            "per_page": self.per_page,
            "all_versions": self.all_versions,
        }

    def timeline_filters(self) -> dict[str, Any]:
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "source": self.source,
            "section": self.section,
            "language": self.lang,
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


def _clean(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v for v in (values or []) if v.strip())


def search_params(
    q: Annotated[
        str, Query(description='Query: words, "phrases", AND/OR/NOT, title:/source:/section:/lang:')
    ] = "",
    date_from: Annotated[
        str | None, Query(alias="from", description="Earliest publication date: YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    date_to: Annotated[str | None, Query(alias="to", description="Latest publication date")] = None,
    source: Annotated[list[str] | None, Query(description="Only these sources (repeatable)")] = None,
    section: Annotated[list[str] | None, Query(description="Only these sections (repeatable)")] = None,
    lang: Annotated[list[str] | None, Query(description="Only these language codes (repeatable)")] = None,
    sort: Annotated[str, Query(description="relevance, date (newest first) or date_asc")] = "relevance",
    page: Annotated[int, Query(description="1-based page number")] = 1,
    per_page: Annotated[int, Query(description="Hits per page, 1 to 100")] = 10,
    all_versions: Annotated[bool, Query(description="Every near-duplicate, not one per cluster")] = False,
) -> SearchParams:
    return SearchParams(
        q=q,
        date_from=date_from or None,
        date_to=date_to or None,
        source=_clean(source),
        section=_clean(section),
        lang=_clean(lang),
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
    duplicates: int = Field(description="Near-duplicates folded into this hit")


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
    cluster_id: str | None
    captures: list[CaptureRefBody]


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


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad parameter or query syntax"},
    503: {"model": ErrorBody, "description": "Archive unavailable"},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "No such record"}}


# -- read endpoints ---------------------------------------------------------------------------


@router.get("/search", response_model=None, responses={200: {"model": SearchBody}, **_ERRORS})
def api_search(request: Request, params: Search) -> Response:
    """Search: one page of hits with snippets, the total, facet counts and the time taken."""
    filters = params.filters()
    with pool(request).borrow() as archive:
        result = archive.search(params.q, **filters)
    return JSONResponse(result.to_json(), headers={"Cache-Control": SEARCH_CACHE})


@router.get("/timeline", response_model=None, responses={200: {"model": dict[str, int]}, **_ERRORS})
def api_timeline(request: Request, params: Search) -> Response:
    """Hits per month (``YYYY-MM``) for a search, as drawn by the search page's chart."""
    with pool(request).borrow() as archive:
        counts = archive.timeline(params.q, **params.timeline_filters())
    return JSONResponse(counts, headers={"Cache-Control": SEARCH_CACHE})


@router.get(
    "/articles/{article_id}", response_model=None, responses={200: {"model": ArticleBody}, **_NOT_FOUND}
)
def api_article(request: Request, article_id: str) -> Response:
    """One article with every field and its captures (the core's article contract)."""
    with pool(request).borrow() as archive:
        data = archive.article(article_id).to_json()
    return cached_json(request, data, "public, max-age=300")


@router.get(
    "/articles/{article_id}/versions",
    response_model=None,
    responses={200: {"model": list[ArticleBody]}, **_NOT_FOUND},
)
def api_versions(request: Request, article_id: str) -> Response:
    """Near-duplicates and other captures of the same URL with changed text."""
    with pool(request).borrow() as archive:
        data = [a.to_json() for a in archive.versions(article_id)]
    return cached_json(request, data, "public, max-age=300")


@router.get(
    "/articles/{article_id}/related",
    response_model=None,
    responses={200: {"model": list[HitBody]}, **_NOT_FOUND},
)
def api_related(request: Request, article_id: str) -> Response:
    """More-like-this: articles sharing the most distinctive terms, one per cluster."""
    with pool(request).borrow() as archive:
        data = [h.to_json() for h in archive.related(article_id)]
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
            }
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
        400: {"model": ErrorBody, "description": "No files sent"},
        401: {"model": ErrorBody, "description": "No write token sent"},
        403: {"model": ErrorBody, "description": "Wrong token, or the server is read-only"},
        413: {"model": ErrorBody, "description": "Upload larger than 64 MB"},
        503: {"model": ErrorBody, "description": "Another ingest holds the archive"},
    },
)
async def api_ingest(request: Request) -> Response:
    """Ingest uploaded files (multipart field ``files``); needs ``Authorization: Bearer TOKEN``."""
    try:
        check_write_token(request.app.state.write_token, request.headers.get("authorization"))
    except TokenProblem as problem:
        headers = {"WWW-Authenticate": "Bearer"} if problem.status == 401 else {}
        return JSONResponse({"error": problem.message, "status": problem.status}, problem.status, headers)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return _error(400, "send the files as multipart/form-data in the field 'files'")
    upload_dir = Path(tempfile.mkdtemp(prefix="newsarchive-upload-"))
    try:
        async with request.form(max_files=MAX_UPLOAD_FILES, max_fields=20) as form:
            uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
            if not uploads:
                return _error(400, "no files: send them as multipart/form-data in the field 'files'")
            paths = await run_in_threadpool(_save_uploads, uploads, upload_dir)
        report = await run_in_threadpool(_ingest, request, paths)
    finally:
        shutil.rmtree(upload_dir, ignore_errors=True)
    return JSONResponse(_report_json(report, upload_dir), headers={"Cache-Control": "no-store"})


def _save_uploads(uploads: list[UploadFile], folder: Path) -> list[Path]:
    paths: list[Path] = []
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
        paths.append(target)
    return paths


def _safe_filename(name: str, n: int) -> str:
    """The uploaded name's last component with only harmless characters (its extension guides detection)."""
    base = re.split(r"[\\/]", name)[-1]
    base = re.sub(r"[^A-Za-z0-9._-]", "_", base).lstrip(".")[:120]
    return base or f"upload-{n}"


def _ingest(request: Request, paths: list[Path]) -> IngestReport:
    state = request.app.state
    with state.ingest_lock, Archive.open(state.archive_path, state.settings) as archive:
        return archive.ingest(paths)


def _report_json(report: IngestReport, upload_dir: Path) -> dict[str, Any]:
    prefix = str(upload_dir) + "/"
    return {
        "inputs": report.inputs,
        "captures_new": report.captures_new,
        "captures_seen": report.captures_seen,
        "articles_new": report.articles_new,
        "duplicates": report.duplicates,
        "rejects": [
            {"origin": r.origin.replace(prefix, ""), "reason": r.reason.replace(prefix, "")}
            for r in report.rejects
        ],
    }


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
