"""The FastAPI application: one read-only archive pool for reads, a writable archive per ingest.

``create_app(archive_path, settings, write_token)`` is what ``newsarchive serve`` and the tests
call; ``app_from_env`` is the factory uvicorn workers import when ``--workers`` is above one.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import re
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import asdict
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsarchive.archive import Archive
from newsarchive.errors import ArchiveBusyError, ArchiveError, NewsArchiveError, NotFoundError, QueryError
from newsarchive.settings import Settings
from newsarchive.web import api, browse, feeds, pages
from newsarchive.web.caching import Freshness
from newsarchive.web.page_cache import PageCache
from newsarchive.web.rights import RightsMiddleware, SourceRights
from newsarchive.web.security import Limits, SecurityMiddleware

log = logging.getLogger(__name__)

ENV_ARCHIVE = "NEWSARCHIVE_WEB_ARCHIVE"
ENV_SETTINGS = "NEWSARCHIVE_WEB_SETTINGS"
ENV_TOKEN = "NEWSARCHIVE_WRITE_TOKEN"
ENV_TOKEN_LABEL = "NEWSARCHIVE_WRITE_TOKEN_LABEL"
ENV_READ_TOKEN = "NEWSARCHIVE_READ_TOKEN"
ENV_ALLOWED_HOSTS = "NEWSARCHIVE_WEB_ALLOWED_HOSTS"
ENV_THREADS = "NEWSARCHIVE_WEB_THREADS"


class ArchivePool:
    """The one read-only ``Archive`` every request thread shares.

    Connection handling lives in the store (SQLite: a connection per reading thread; PostgreSQL:
    a pool), so requests only borrow the archive to say where they use it; opened at startup so a
    bad archive fails then, not on the first request.
    """

    def __init__(self, location: str, settings: Settings, size: int = 16) -> None:
        self.location = location
        self.size = size
        self._archive = Archive.open(location, settings, readonly=True)
        # the home page's counts take seconds on a big archive: count them now, not on its first view
        threading.Thread(target=self._warm, name="newsarchive-warm", daemon=True).start()

    def _warm(self) -> None:
        try:
            self._archive.overview()
        except Exception:  # the server may be closing; the first home view will count instead
            log.debug("counting the archive overview at startup failed", exc_info=True)
        _freeze_heap()

    @contextmanager
    def borrow(self) -> Iterator[Archive]:
        yield self._archive

    def close(self) -> None:
        self._archive.close()


def _freeze_heap() -> None:
    """Move what start-up made (modules, templates, the archive's caches) out of the garbage
    collector's sight: a full collection walked ~135,000 of them in ~86 ms at 1M articles, which
    was every served answer's p99 at 50 clients, the cheapest's too."""
    gc.collect()
    gc.freeze()


def create_app(
    archive_path: str | os.PathLike[str],
    settings: Settings | None = None,
    write_token: str | None = None,
    *,
    write_token_label: str | None = None,
    read_token: str | None = None,
    allowed_hosts: tuple[str, ...] = (),
    limits: Limits | None = None,
    threads: int = 8,
) -> FastAPI:
    """The web UI and REST API over one archive directory; writes need ``write_token``.

    ``settings.source_rights`` limits what the public sees of some sources (see web/rights.py);
    a request with ``read_token`` (or the write token) sees everything.

    ``write_token_label`` names whoever holds the token (``newsroom``): uploads are recorded as
    ``upload:newsroom/report.html`` so a capture says who sent it.

    ``threads`` bounds the request threads (and so the store's reading connections) per process: searches
    are mostly Python holding the GIL, so a few threads per process give better tail latency than
    FastAPI's default 40; scale with ``--workers`` instead.
    """
    location = os.fspath(archive_path)
    settings = settings or Settings.load()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        app.state.pool = ArchivePool(location, settings, size=threads)
        _freeze_heap()
        try:
            yield
        finally:
            app.state.pool.close()

    app = FastAPI(
        title="newsarchive",
        summary="Search a clean, deduplicated archive of news articles.",
        description=(
            "The REST API of a newsarchive archive. Search parameters are the same as the web UI's "
            '`/search` page. Errors are JSON `{"error": message, "status": code}`. Writes '
            "(`POST /api/ingest`) need `Authorization: Bearer TOKEN` and a server started with `--write-token`."
        ),
        version=_version(),
        lifespan=lifespan,
        docs_url=None,  # FastAPI's /docs loads Swagger UI from a CDN; ours is served by pages.py
        redoc_url=None,
    )
    app.state.archive_path = location
    app.state.settings = settings
    app.state.write_token = write_token or None
    app.state.write_token_label = write_token_label or None
    app.state.read_token = read_token or None
    app.state.rights = SourceRights.of_pairs(settings.source_rights)
    app.state.ingest_lock = threading.Lock()
    app.add_middleware(RightsMiddleware, state=app.state)
    app.add_middleware(SecurityMiddleware, limits=limits or Limits(), allowed_hosts=allowed_hosts)
    app.include_router(api.router)
    app.include_router(pages.router)
    pages.mount_static(app)
    app.include_router(feeds.router)
    app.include_router(browse.router)  # last: its /{year}/… patterns must not shadow other routes
    app.state.freshness = Freshness()
    app.state.page_cache = (
        PageCache(settings.page_cache_mb * 1024 * 1024) if settings.page_cache_mb > 0 else None
    )
    _install_error_handlers(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document plus the bearer scheme the ingest route declares."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
        )
        schema.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = {
            "type": "http",
            "scheme": "bearer",
            "description": "The token given to `newsarchive serve --write-token`",
        }
        app.openapi_schema = schema
    return app.openapi_schema


def app_from_env() -> FastAPI:
    """Factory for uvicorn workers: the parent ``serve`` command passes its options in the environment."""
    archive = os.environ.get(ENV_ARCHIVE)
    if not archive:
        raise ArchiveError(
            f"{ENV_ARCHIVE} is not set; start the server with `newsarchive --archive DIR serve`"
        )
    raw_settings = os.environ.get(ENV_SETTINGS)
    settings = Settings(**json.loads(raw_settings)) if raw_settings else Settings.load()
    hosts = tuple(h for h in os.environ.get(ENV_ALLOWED_HOSTS, "").split(",") if h)
    threads = int(os.environ.get(ENV_THREADS) or 8)
    return create_app(
        archive,
        settings,
        os.environ.get(ENV_TOKEN) or None,
        write_token_label=os.environ.get(ENV_TOKEN_LABEL) or None,
        read_token=os.environ.get(ENV_READ_TOKEN) or None,
        allowed_hosts=hosts,
        threads=threads,
    )


def settings_to_env(settings: Settings) -> str:
    return json.dumps(asdict(settings))


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("newsarchive")
    except Exception:
        return "0"


_STATUS = {QueryError: 400, NotFoundError: 404}


def _status_for(exc: NewsArchiveError) -> int:
    for kind, status in _STATUS.items():
        if isinstance(exc, kind):
            return status
    if isinstance(exc, ArchiveError):
        return 503
    return 500


_CLI_HINT = re.compile(r";[^;]*`newsarchive\b[^`]*`[^;]*$")


def without_cli_hint(message: str) -> str:
    """A core message without its trailing command-line advice ("; list them with `newsarchive
    stats`"): a web reader cannot run it, and the error page links the search and the sources."""
    return _CLI_HINT.sub("", message)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, message: str) -> Response:
    """The one place errors become JSON (for /api) or a helpful HTML page (for people)."""
    if _wants_json(request):
        return JSONResponse(
            {"error": message, "status": status}, status_code=status, headers={"Cache-Control": "no-store"}
        )
    return pages.error_page(request, status, message)


def _install_error_handlers(app: FastAPI) -> None:
    async def on_ours(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, NewsArchiveError)
        status = _status_for(exc)
        if status >= 500:
            log.warning("%s %s: %s", request.method, request.url.path, exc)
        message = str(exc)
        if isinstance(exc, NotFoundError | QueryError):
            message = without_cli_hint(message)
        elif isinstance(exc, ArchiveBusyError):
            message = api.BUSY  # the core's advice is about the command line's --wait
        return error_response(request, status, message)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ())[1:]) or "request"
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        return error_response(request, 400, "bad parameter — " + "; ".join(problems))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            message = f"nothing at {request.url.path}"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        else:
            message = str(exc.detail)
        response = error_response(request, exc.status_code, message)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal error; the server log has the details")

    app.add_exception_handler(NewsArchiveError, on_ours)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_crash)
