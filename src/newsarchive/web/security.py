"""Safe-by-default HTTP: security headers, request limits, path checks and the write-token rule.

Archived pages are hostile input, so every response carries a Content-Security-Policy that
forbids inline script; the one route that shows archived HTML sets its own, stricter policy.
The middleware is plain ASGI (no BaseHTTPMiddleware) so it costs almost nothing per request.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
"""Every page: only our own files, no inline script, no plugins, never framed."""

CAPTURE_FRAME_CSP = (
    "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)
"""Sanitised archived HTML: a sandbox with no script at all, framed only by our capture page."""

DOWNLOAD_CSP = "sandbox; default-src 'none'"
"""Raw archived bytes: if a browser renders them anyway, nothing in them may run or load."""

_BASE_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
]


@dataclass(slots=True, frozen=True)
class Limits:
    """Request size limits: bodies, uploads to the ingest route, and the query string.

    ``max_upload`` applies only to multipart bodies on ``upload_paths``; anything else sent there
    (a JSON list of URLs) gets ``max_body`` like every other route.
    """

    max_body: int = 1 * 1024 * 1024
    max_upload: int = 64 * 1024 * 1024
    max_query_string: int = 4096
    upload_paths: tuple[str, ...] = ("/api/ingest",)


class SecurityMiddleware:
    """Rejects traversal, oversized requests and foreign Host headers; adds the security headers.

    A route may set its own ``Content-Security-Policy`` / ``X-Frame-Options``; they are kept.
    """

    def __init__(
        self, app: ASGIApp, limits: Limits | None = None, allowed_hosts: tuple[str, ...] = ()
    ) -> None:
        self.app = app
        self.limits = limits or Limits()
        self.allowed_hosts = tuple(h.lower() for h in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        raw_path: bytes = scope.get("raw_path") or path.encode("utf-8", "surrogateescape")
        api = path.startswith("/api/")
        problem = _path_problem(raw_path)
        if problem:
            await _reject(send, 400, problem, api)
            return
        if len(scope.get("query_string", b"")) > self.limits.max_query_string:
            await _reject(
                send,
                414,
                f"the query string is longer than {self.limits.max_query_string} bytes; shorten the search",
                api,
            )
            return
        if self.allowed_hosts and _host(scope) not in self.allowed_hosts:
            await _reject(
                send, 400, "unexpected Host header; this server only answers on its own address", api
            )
            return
        content_type = (_header(scope, b"content-type") or "").lower()
        upload = path in self.limits.upload_paths and content_type.startswith("multipart/form-data")
        limit = self.limits.max_upload if upload else self.limits.max_body
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _reject(send, 400, "Content-Length is not a number", api)
                return
            if int(declared) > limit:
                await _reject(send, 413, _too_large(limit), api)
                return
        receive = _counting_receive(receive, limit)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in _BASE_HEADERS if h[0] not in present)
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                if b"x-frame-options" not in present:
                    headers.append((b"x-frame-options", b"DENY"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except _BodyTooLarge:
            await _reject(send, 413, _too_large(limit), api)


class _BodyTooLarge(Exception):
    """A chunked body grew past the limit while it was being read."""


def _counting_receive(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _BodyTooLarge
        return message

    return wrapped


def _too_large(limit: int) -> str:
    return f"request body is larger than the {limit // (1024 * 1024)} MB this route accepts"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1").strip())
    return None


def _host(scope: Scope) -> str:
    host = (_header(scope, b"host") or "").lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


def _path_problem(raw_path: bytes) -> str | None:
    """Why a request path is refused: dot-segments, backslashes or NULs, also when percent-encoded."""
    text = raw_path.decode("latin-1")
    for _ in range(3):  # catch double encoding (%252e%252e) without looping forever
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    if "\x00" in text or "\\" in text:
        return "the path contains a NUL or a backslash"
    if any(segment in {"..", "."} for segment in text.split("/")[1:]):
        return "the path contains '.' or '..' segments; use plain links"
    return None


async def _reject(send: Send, status: int, message: str, api: bool) -> None:
    if api:
        body = json.dumps({"error": message, "status": status}).encode()
        content_type = b"application/json"
    else:
        body = (
            "<!doctype html><html lang=en><meta charset=utf-8><title>Request refused</title>"
            f"<h1>{status}: request refused</h1><p>{_escape(message)}</p><p><a href=/>Start again</a></p>"
        ).encode()
        content_type = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                (b"connection", b"close"),
                *_BASE_HEADERS,
                (b"content-security-policy", PAGE_CSP.encode()),
                (b"x-frame-options", b"DENY"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# -- the write token ------------------------------------------------------------------------


class TokenProblem(Exception):
    """Why a write was refused; ``status`` is 401 (no credentials) or 403 (wrong or read-only)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def check_write_token(configured: str | None, authorization: str | None) -> None:
    """Raise TokenProblem unless writes are enabled and ``Authorization: Bearer <token>`` matches."""
    if not configured:
        raise TokenProblem(
            403,
            "this server is read-only; start it with --write-token TOKEN (or NEWSARCHIVE_WRITE_TOKEN) "
            "and send 'Authorization: Bearer TOKEN' to ingest",
        )
    if not authorization:
        raise TokenProblem(401, "writes need 'Authorization: Bearer TOKEN' with the server's write token")
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise TokenProblem(401, "the Authorization header must be 'Bearer TOKEN'")
    if not hmac.compare_digest(given.strip().encode(), configured.encode()):
        raise TokenProblem(403, "the write token is wrong")
