"""URL fetching against a real HTTP server on loopback: pages, redirects, errors, limits, SSRF guard."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsarchive import Archive, Settings
from newsarchive.model import Capture, Reject
from newsarchive.sources.fetch import fetch_urls, is_url

PAGE = (
    b"<html><head><title>Pier reopens | Harbour Herald</title>"
    b'<meta property="og:site_name" content="Harbour Herald"></head><body><article><h1>Pier reopens</h1>'
    + b"<p>The north pier reopened on Friday after a winter of repairs, the harbour master said.</p>" * 8
    + b"</article></body></html>"
)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/story.html":
            self._send(200, "text/html; charset=utf-8", PAGE)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "http://10.0.0.1/internal")
            self.end_headers()
        elif self.path == "/report.pdf":
            self._send(200, "application/pdf", b"%PDF-1.4 not a page")
        elif self.path == "/huge.html":
            self._send(200, "text/html", b"<html><body>" + b"x" * 4096 + b"</body></html>")
        else:
            self._send(404, "text/plain", b"not here")

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


LOCAL = Settings(fetch_private_addresses=True, max_capture_bytes=2048)


def test_is_url() -> None:
    assert is_url("https://example.org/a") and not is_url("crawl.warc.gz") and not is_url("ftp://x")


def test_page_becomes_a_capture(site: str) -> None:
    (capture,) = list(fetch_urls([f"{site}/story.html"], replace(LOCAL, max_capture_bytes=1 << 20)))
    assert isinstance(capture, Capture)
    assert capture.raw == PAGE and capture.format == "html" and capture.url == f"{site}/story.html"
    assert capture.fetched_at and capture.content_type and capture.content_type.startswith("text/html")


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/moved", "redirects (301) to http://10.0.0.1/internal"),
        ("/missing", "404"),
        ("/report.pdf", "not an HTML page"),
        ("/huge.html", "limit"),
    ],
)
def test_problems_become_rejects_naming_the_url(site: str, path: str, reason: str) -> None:
    (reject,) = list(fetch_urls([f"{site}{path}"], LOCAL))
    assert isinstance(reject, Reject) and reject.origin == f"{site}{path}" and reason in reject.reason


def test_private_addresses_are_refused_by_default(site: str) -> None:
    (reject,) = list(fetch_urls([f"{site}/story.html"], Settings()))
    assert isinstance(reject, Reject) and "non-public address 127.0.0.1" in reject.reason


def test_bad_urls_are_rejected() -> None:
    rejects = list(fetch_urls(["file:///etc/passwd", "http://no-such-host.invalid/"], Settings()))
    assert all(isinstance(r, Reject) for r in rejects)
    assert "only http" in rejects[0].reason and "cannot be resolved" in rejects[1].reason


def test_malformed_urls_are_rejected_and_the_rest_is_fetched(site: str) -> None:
    records = list(fetch_urls(["http://[oops/", "http://host:99999/", f"{site}/story.html"], LOCAL))
    assert [type(r) for r in records] == [Reject, Reject, Capture]
    assert all("not a valid URL" in r.reason for r in records[:2] if isinstance(r, Reject))


def test_scheme_in_capitals_is_still_checked_for_a_public_address() -> None:
    assert is_url("HTTP://LOCALHOST/")
    (reject,) = list(fetch_urls(["HTTP://LOCALHOST/etc/passwd"], Settings()))
    assert isinstance(reject, Reject) and "non-public address" in reject.reason


def test_archive_ingests_urls_and_goes_on_after_failures(site: str, tmp_path: Path) -> None:
    settings = replace(LOCAL, max_capture_bytes=1 << 20, enrich=False)
    with Archive.open(tmp_path / "arch", settings) as archive:
        report = archive.ingest_urls([f"{site}/missing", f"{site}/story.html"])
        assert report.articles_new == 1 and len(report.rejects) == 1
        article = next(archive.articles())
    assert article.source == "Harbour Herald" and article.url == f"{site}/story.html"
    assert article.captures[0].origin == f"{site}/story.html"


def test_the_connection_goes_to_the_checked_address_not_to_a_second_dns_answer(site: str) -> None:
    """DNS rebinding: the name is resolved once, checked, and that address is the one connected to.

    The URL's host name does not resolve at all here, so the fetch can only succeed if it never
    asks DNS again; the server still sees the name in the Host header.
    """
    from newsarchive.sources.fetch import _Address, _fetch, _pinned_opener

    port = site.rsplit(":", 1)[1]
    url = f"http://rebinding-target.invalid:{port}/story.html"
    capture = _fetch(_pinned_opener(_Address("127.0.0.1")), url, replace(LOCAL, max_capture_bytes=1 << 20))
    assert isinstance(capture, Capture) and capture.raw == PAGE and capture.url == url
