"""HTML files are passed on byte for byte, with the charset they declare as a hint."""

from __future__ import annotations

import codecs
from pathlib import Path

from newsarchive.model import Capture
from newsarchive.settings import Settings
from newsarchive.sources.htmlfile import declared_charset, read_html_file


def test_html_file_is_one_capture_with_exact_bytes(fixtures_dir: Path) -> None:
    path = fixtures_dir / "sources" / "article.html"
    [capture] = list(read_html_file(path, Settings()))
    assert isinstance(capture, Capture)
    assert capture.raw == path.read_bytes()
    assert (capture.origin, capture.format, capture.hints) == (str(path), "html", {"charset": "windows-1252"})


def test_wrongly_declared_charset_is_passed_on_not_fixed(fixtures_dir: Path) -> None:
    path = fixtures_dir / "sources" / "wrong-charset.html"
    [capture] = list(read_html_file(path, Settings()))
    assert isinstance(capture, Capture)
    assert capture.hints["charset"] == "utf-8"  # what the page claims; its bytes are latin-1
    assert b"caf\xe9" in capture.raw


def test_bom_wins_over_meta() -> None:
    page = codecs.BOM_UTF8 + b'<html><head><meta charset="iso-8859-1"></head></html>'
    assert declared_charset(page) == "utf-8"
    assert declared_charset(b"<html><p>no declaration</p></html>") is None


def test_oversized_file_is_rejected(fixtures_dir: Path) -> None:
    path = fixtures_dir / "sources" / "article.html"
    [reject] = list(read_html_file(path, Settings(max_capture_bytes=100)))
    assert not isinstance(reject, Capture)
    assert reject.origin == str(path) and "max_capture_bytes=100" in reject.reason


def test_real_readability_pages(shared_data: Path) -> None:
    pages = sorted((shared_data / "extraction" / "readability").rglob("source.html"))[:20]
    for page in pages:
        [capture] = list(read_html_file(page, Settings()))
        assert isinstance(capture, Capture) and capture.raw == page.read_bytes()
