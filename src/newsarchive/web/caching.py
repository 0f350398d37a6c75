"""Validators for the browse pages, feeds and sitemaps: ETag and Last-Modified from the archive's
generation, so a revalidation (If-None-Match / If-Modified-Since) is answered 304 before any search.

The ETag hashes the archive generation, the templates, catalogs and code version, the source
rights, the interface language (pages), the address asked for and the host (sitemaps and feeds
hold absolute URLs). Last-Modified is when this process first saw the current generation: never
earlier than the change itself, so a 304 it allows is never stale.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response

from newsarchive.archive import Archive
from newsarchive.web import i18n
from newsarchive.web.page_cache import CachedAnswer, PageCache

GENERATION_TTL = 2.0
"""Seconds a process trusts the generation it last read before counting again."""

_HERE = Path(__file__).resolve().parent


def _code_version() -> str:
    """This package's web code, templates and static files (pages link them by content hash): a
    deploy that changes them changes every ETag."""
    digest = hashlib.sha256()
    files = [
        *_HERE.glob("*.py"),
        *(_HERE / "templates").glob("*.html"),
        *(_HERE / "static").glob("*"),
        *(_HERE / "locale").glob("**/*.po"),
    ]
    for path in sorted(p for p in files if p.is_file()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


CODE_VERSION = _code_version()


@dataclass(slots=True, frozen=True)
class Seen:
    """The archive generation as one process last read it, and when it first saw that generation."""

    generation: str
    since: datetime
    checked: float


class Freshness:
    """The generation of one app's archive, re-read at most every ``ttl`` seconds (three counts)."""

    def __init__(self, ttl: float = GENERATION_TTL) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._seen: Seen | None = None

    def current(self, archive: Archive) -> Seen:
        now = time.monotonic()
        with self._lock:
            seen = self._seen
            if seen is not None and now - seen.checked < self.ttl:
                return seen
        generation = archive.generation()
        with self._lock:
            if self._seen is not None and self._seen.generation == generation:
                self._seen = Seen(generation, self._seen.since, now)
            else:  # HTTP dates have whole seconds
                self._seen = Seen(generation, datetime.now(UTC).replace(microsecond=0), now)
            return self._seen


def freshness(request: Request) -> Seen:
    """The archive generation as this app last read it (``create_app`` sets ``state.freshness``)."""
    tracker: Freshness = request.app.state.freshness
    with request.app.state.pool.borrow() as archive:
        return tracker.current(archive)


def validators(request: Request, seen: Seen, localized: bool = False) -> tuple[str, str]:
    """(ETag, Last-Modified) of this request's address over the archive as it is now; a
    ``localized`` page's ETag also names the interface language it is answered in."""
    # the source rights too: a restart that restricts a source must not revalidate a fuller copy
    rights = repr(getattr(request.app.state, "rights", None))
    locale = i18n.ui(request).code if localized else ""
    key = "\n".join(
        (
            CODE_VERSION,
            rights,
            locale,
            seen.generation,
            str(request.base_url),
            request.url.path,
            request.url.query,
        )
    )
    etag = '"' + hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32] + '"'
    return etag, format_datetime(seen.since, usegmt=True)


def not_modified(request: Request, etag: str, since: datetime) -> bool:
    """RFC 9110: If-None-Match decides when sent (weak comparison); else If-Modified-Since."""
    given = request.headers.get("if-none-match")
    if given is not None:
        tags = [t.strip().removeprefix("W/") for t in given.split(",")]
        return "*" in tags or etag in tags
    stamp = request.headers.get("if-modified-since")
    if not stamp:
        return False
    try:
        asked = parsedate_to_datetime(stamp)
    except (TypeError, ValueError, IndexError):
        return False
    if asked.tzinfo is None:
        asked = asked.replace(tzinfo=UTC)
    return since <= asked


def conditional(
    request: Request, cache_control: str, build: Callable[[], Response], localized: bool = False
) -> Response:
    """``build()``'s response with validators, or 304 when the client's copy is still the current one.

    Only successful answers get the validators; errors keep their own (uncached) headers. A
    ``localized`` answer (an HTML page) differs per interface language: its ETag says which, and it
    varies by Accept-Language and Cookie, so a cached English page is never an Arabic reader's 304.
    A public answer built once is kept by its ETag (``page_cache``) and served again without
    building it while the generation lasts.
    """
    seen = freshness(request)
    etag, last_modified = validators(request, seen, localized)
    headers = {"ETag": etag, "Last-Modified": last_modified, "Cache-Control": cache_control}
    if localized:
        headers["Vary"] = i18n.VARY
    if not_modified(request, etag, seen.since):
        return Response(status_code=304, headers=headers)
    cache: PageCache | None = getattr(request.app.state, "page_cache", None)
    if cache is not None and "authorization" in request.headers:
        cache = None  # a token may see more than the public: never a shared copy
    if cache is not None and (kept := cache.get(etag)) is not None:
        return kept.response()
    response = build()
    if response.status_code == 200:
        for name, value in headers.items():
            response.headers[name] = value
        if cache is not None and (answer := CachedAnswer.of(response)) is not None:
            cache.put(etag, answer)
    return response
