"""Fetch pages by URL into captures (``newsarchive ingest https://…`` and ``POST /api/ingest`` URL lists).

A server that fetches what it is told can be turned against its own network, so by default only
public addresses are fetched, redirects are not followed (the user is told where they lead), and
every response is capped at ``max_capture_bytes``.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.client
import ipaddress
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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
    for url in urls:
        checked = _check_url(url, settings.fetch_private_addresses)
        if isinstance(checked, str):
            yield Reject(url, checked)
            continue
        yield _fetch(_pinned_opener(checked), url, settings)


def _check_url(url: str, allow_private: bool) -> str | _Address:
    """The address to connect to, or why the URL is refused."""
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
    if not infos:
        return f"host {parts.hostname!r} has no address; check the URL"
    if not allow_private:
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            if not address.is_global:
                return (
                    f"host {parts.hostname!r} resolves to the non-public address {address}; refused "
                    "(set NEWSARCHIVE_FETCH_PRIVATE_ADDRESSES=1 to fetch from your own network)"
                )
    return _Address(str(infos[0][4][0]))


@dataclass(slots=True, frozen=True)
class _Address:
    """The IP address that was checked: the connection goes there, not to a second DNS answer."""

    ip: str


def _pinned_opener(address: _Address) -> urllib.request.OpenerDirector:
    """An opener that connects to the checked address (a DNS answer that changes between the check
    and the connection, "DNS rebinding", cannot steer it elsewhere), sends the URL's host name in
    the Host header and TLS SNI, verifies the certificate for it, follows no redirects and uses no
    proxy from the environment (a proxy would resolve the name again)."""
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), _NoRedirects, _PinnedHTTP(address.ip), _PinnedHTTPS(address.ip)
    )


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, *, pinned_ip: str, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self.pinned_ip = pinned_ip

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned_ip, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, *, pinned_ip: str, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self.pinned_ip = pinned_ip

    def connect(self) -> None:
        sock = socket.create_connection((self.pinned_ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTP(urllib.request.HTTPHandler):
    def __init__(self, pinned_ip: str) -> None:
        super().__init__()
        self.pinned_ip = pinned_ip

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_PinnedHTTPConnection, pinned_ip=self.pinned_ip), req)


class _PinnedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, pinned_ip: str) -> None:
        super().__init__(context=ssl.create_default_context())
        self.pinned_ip = pinned_ip

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(
            functools.partial(_PinnedHTTPSConnection, pinned_ip=self.pinned_ip),
            req,
            context=self._context,  # type: ignore[attr-defined]
        )


def _fetch(opener: urllib.request.OpenerDirector, url: str, settings: Settings) -> Capture | Reject:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    try:
        with opener.open(request, timeout=TIMEOUT_S) as response:
            return _capture(url, response, settings)
    except _Redirected as redirect:
        return Reject(url, f"redirects ({redirect.status}) to {redirect.location}; ingest that URL instead")
    except urllib.error.HTTPError as exc:
        return Reject(url, f"server answered {exc.code} {exc.reason}; nothing archived")
    except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as exc:
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
