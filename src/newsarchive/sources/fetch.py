"""Fetch pages by URL into captures (``newsarchive ingest https://…`` and ``POST /api/ingest`` URL lists).

A server that fetches what it is told can be turned against its own network, so by default only
public addresses are fetched, redirects are not followed (the user is told where they lead), and
every response is capped at ``max_capture_bytes``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from email.message import Message
from typing import IO, Any
from urllib.parse import urlsplit

from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings

TIMEOUT_S = 20.0
USER_AGENT = "newsarchive/0.1 (+https://github.com/newsarchive)"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_url(text: str) -> bool:
    """Whether a command-line input names a web page rather than a file."""
    return text[:8].lower().startswith(("http://", "https://"))


def fetch_urls(urls: Iterable[str], settings: Settings) -> Iterator[Capture | Reject]:
    """One capture per page fetched, or a Reject naming the URL and what went wrong."""
    opener = urllib.request.build_opener(_NoRedirects)
    for url in urls:
        problem = _check_url(url, settings.fetch_private_addresses)
        if problem:
            yield Reject(url, problem)
            continue
        yield _fetch(opener, url, settings)


def _check_url(url: str, allow_private: bool) -> str | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # "http://[oops" or a port out of range
        return f"not a valid URL ({exc}); check it"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "only http:// and https:// URLs with a host name can be fetched"
    try:
        infos = socket.getaddrinfo(parts.hostname, port or (443 if parts.scheme.lower() == "https" else 80))
    except (socket.gaierror, UnicodeError) as exc:
        return f"host {parts.hostname!r} cannot be resolved ({exc}); check the URL"
    if not allow_private:
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            if not address.is_global:
                return (
                    f"host {parts.hostname!r} resolves to the non-public address {address}; refused "
                    "(set NEWSARCHIVE_FETCH_PRIVATE_ADDRESSES=1 to fetch from your own network)"
                )
    return None


def _fetch(opener: urllib.request.OpenerDirector, url: str, settings: Settings) -> Capture | Reject:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    try:
        with opener.open(request, timeout=TIMEOUT_S) as response:
            return _capture(url, response, settings)
    except _Redirected as redirect:
        return Reject(url, f"redirects ({redirect.status}) to {redirect.location}; ingest that URL instead")
    except urllib.error.HTTPError as exc:
        return Reject(url, f"server answered {exc.code} {exc.reason}; nothing archived")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return Reject(url, f"cannot fetch ({reason}); check the URL or try again later")


def _capture(url: str, response: Any, settings: Settings) -> Capture | Reject:
    headers: Message = response.headers
    content_type = headers.get("Content-Type", "")
    limit = settings.max_capture_bytes
    raw = _read_capped(response, limit)
    if raw is None:
        return Reject(
            url, f"page is over the {limit:,}-byte limit (raise NEWSARCHIVE_MAX_CAPTURE_BYTES to accept it)"
        )
    if not raw.strip():
        return Reject(url, "page is empty; nothing archived")
    mime = content_type.split(";")[0].strip().lower()
    if (
        mime
        and mime not in _HTML_TYPES
        and not raw.lstrip()[:100].lower().startswith((b"<!doctype html", b"<html"))
    ):
        return Reject(url, f"content type {mime!r} is not an HTML page; nothing archived")
    return Capture(
        origin=url,
        raw=raw,
        format="html",
        url=url,
        fetched_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        content_type=content_type or None,
    )


def _read_capped(stream: IO[bytes], limit: int) -> bytes | None:
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


class _Redirected(Exception):
    def __init__(self, status: int, location: str) -> None:
        super().__init__(location)
        self.status = status
        self.location = location


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are reported, not followed: a public URL must not lead the server into its own network."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
        raise _Redirected(code, newurl)
