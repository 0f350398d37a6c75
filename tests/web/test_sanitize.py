"""The helpers that decide what archived markup may reach a browser."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import httpx
import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarchive.settings import Settings
from newsarchive.web import create_app
from newsarchive.web.sanitize import (
    capture_media_type,
    clean_capture_html,
    decode_capture,
    safe_href,
    safe_lang,
    safe_snippet,
)
from tests.web.conftest import build_archive, live_server

ENCODINGS = Path(__file__).resolve().parent.parent / "fixtures" / "encodings"

_PIECES = st.sampled_from(
    ["<b>", "</b>", "<script>", "&amp;", "&lt;", "<", ">", '"', "'", "ferry", " ", "é", "&"]
)


@given(st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=30).map("".join))
def test_snippet_only_ever_contains_bold(snippet: str) -> None:
    out = str(safe_snippet(snippet))
    without_bold = out.replace("<b>", "").replace("</b>", "")
    assert "<" not in without_bold and ">" not in without_bold
    assert out.count("<b>") == out.count("</b>")
    assert safe_snippet(out) == out  # idempotent


def test_snippet_keeps_highlights_and_single_escaping() -> None:
    out = safe_snippet("fish &amp; <b>ferry</b> &lt;script&gt; <b>open")
    assert out == "fish &amp; <b>ferry</b> &lt;script&gt; open"
    assert safe_snippet("<b><b>x</b></b>") == "<b>&lt;b&gt;x</b>&lt;/b&gt;"
    assert safe_snippet('<b onclick="x">y</b>') == "&lt;b onclick=&#34;x&#34;&gt;y&lt;/b&gt;".replace(
        "&#34;", "&quot;"
    )


def test_safe_href_allows_only_web_links() -> None:
    assert safe_href("https://example.org/a?b=c") == "https://example.org/a?b=c"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "//evil",
        "vbscript:x",
        'https://x"y',
    ):
        assert safe_href(bad) is None
    assert safe_href(None) is None


def test_safe_lang() -> None:
    assert safe_lang("ar") == "ar" and safe_lang("pt-BR") == "pt-BR"
    assert safe_lang('en" onmouseover="x') is None and safe_lang("") is None


def test_media_type_falls_back_by_format() -> None:
    assert capture_media_type("text/html; charset=ISO-8859-1", "html") == "text/html; charset=ISO-8859-1"
    assert capture_media_type("text/html\r\nSet-Cookie: x=1", "html") == "text/html"
    assert capture_media_type(None, "text") == "text/plain; charset=utf-8"
    assert capture_media_type(None, "warc") == "application/octet-stream"


def test_decode_uses_declared_charset_then_utf8() -> None:
    assert decode_capture("café".encode("latin-1"), "text/html; charset=latin-1") == "café"
    assert decode_capture(b'<meta charset="windows-1252">\xe9', None).endswith("é")
    assert decode_capture(b"\xff\xfe bad", None)


def test_cleaner_strips_every_script_vector() -> None:
    raw = (
        b"<html><head><script>alert(1)</script><style>p{width:expression(alert(2))}</style>"
        b"<meta http-equiv=refresh content='0;url=javascript:alert(3)'><base href='https://evil.example/'></head>"
        b"<body onload=alert(4)><p onclick=alert(5) style='width:expression(alert(6))'>kept text</p>"
        b"<a href='javascript:alert(7)'>link</a><img src=x onerror=alert(8)>"
        b"<svg onload=alert(9)><script>alert(10)</script></svg><iframe src='javascript:alert(11)'></iframe>"
        b"<object data=x></object><embed src=x><form action=javascript:alert(12)><input></form>"
        b"<math><mtext><script>alert(13)</script></mtext></math></body></html>"
    )
    cleaned = clean_capture_html(raw, "text/html")
    doc = lxml.html.document_fromstring(cleaned)
    assert "kept text" in doc.text_content() and "link" in doc.text_content()
    lowered = cleaned.lower()
    for needle in ("<script", "onload", "onclick", "onerror", "javascript:", "expression", "<iframe", "<svg",
                   "<object", "<embed", "<style", "<base", "http-equiv", "<form", "<math"):  # fmt: skip
        assert needle not in lowered, needle


def test_cleaner_survives_garbage() -> None:
    for raw in (b"", b"\x00\x01\x02", b"<?xml version='1.0'?><rss/>", "<p>ü</p>".encode("utf-16")):
        doc = lxml.html.document_fromstring(clean_capture_html(raw, None))
        assert not doc.xpath("//script")
    assert html.escape("<") in clean_capture_html(b"&lt;x", None) or "x" in clean_capture_html(b"&lt;x", None)


# --- hostile captures past libxml2's limits ------------------------------------------------------

RIVER = "The river rose again overnight and more shelters opened in the old town hall. " * 3
SHELTER = "Volunteers carried blankets and soup to the families who had left their homes. " * 3
FERRY = "The harbour council voted on Tuesday to add two evening sailings to the ferry timetable. " * 3
QUAY = "Work on the north quay will close the car park there until the end of the summer. " * 3
_WHOLE = lxml.html.HTMLParser(huge_tree=True)
"""Reads the sanitised page back without libxml2's 256-level limit, as a browser would."""


def _paragraphs(cleaned: str) -> list[str]:
    doc = lxml.html.document_fromstring(cleaned, parser=_WHOLE)
    assert not doc.xpath("//script")
    return [" ".join(p.text_content().split()) for p in doc.iter("p")]


def crowded_page() -> bytes:
    """One tag with 50,000 attributes: libxml2 compares each with all earlier ones (20 s here)."""
    attributes = " ".join(f'data-x{i}="{i}"' for i in range(50_000))
    return (
        "<html><head><title>Flood shelters open</title></head><body>"
        f"<div onclick=\"alert('crowd')\" {attributes}><p>{RIVER}</p><script>alert('x')</script>"
        f"<p>{SHELTER}</p></div></body></html>"
    ).encode()


def deep_page(levels: int = 1000) -> bytes:
    """Paragraphs under more levels than libxml2's default 256: the view showed none of them."""
    return f"{'<div>' * levels}<p>{FERRY}</p><script>alert('x')</script><p>{QUAY}</p>{'</div>' * levels}".encode()


def arabic_page() -> tuple[bytes, list[str]]:
    """A windows-1256 page with no charset anywhere: it showed as U+FFFD and Latin mojibake."""
    title, paragraphs = (ENCODINGS / "ar_bridge.txt").read_text(encoding="utf-8").split("\n", 1)
    lines = [line for line in paragraphs.splitlines() if line]
    body = "".join(f"<p>{line}</p>" for line in lines)
    page = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"
    return page.encode("cp1256"), lines


def test_a_tag_with_50000_attributes_is_sanitised_with_its_text() -> None:
    cleaned = clean_capture_html(crowded_page(), "text/html")
    assert _paragraphs(cleaned) == [RIVER.strip(), SHELTER.strip()]
    assert "onclick" not in cleaned and "alert" not in cleaned


@pytest.mark.parametrize("levels", [1000, 5000])
def test_a_deeply_nested_capture_keeps_its_paragraphs(levels: int) -> None:
    cleaned = clean_capture_html(deep_page(levels), None)
    assert _paragraphs(cleaned) == [FERRY.strip(), QUAY.strip()]


def test_a_capture_over_10_mb_in_one_node_keeps_what_follows() -> None:
    raw = f"<html><body><p>{'flood ' * 1_900_000}</p><p>{SHELTER}</p></body></html>".encode()
    assert _paragraphs(clean_capture_html(raw, "text/html"))[-1] == SHELTER.strip()


def test_an_undeclared_cp1256_capture_shows_its_arabic() -> None:
    raw, lines = arabic_page()
    assert _paragraphs(clean_capture_html(raw, "text/html")) == lines
    assert lines[0] in decode_capture(raw, None)
    assert "\ufffd" not in clean_capture_html(raw, None)


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server over an archive of the three hostile pages, ingested through the pipeline."""
    pages = tmp_path_factory.mktemp("hostile-pages")
    (pages / "crowded.html").write_bytes(crowded_page())
    (pages / "deep.html").write_bytes(deep_page())
    (pages / "arabic.html").write_bytes(arabic_page()[0])
    root = build_archive(tmp_path_factory.mktemp("hostile") / "archive", [pages])
    with live_server(create_app(root, Settings())) as url:
        yield url


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("crowded", [RIVER.strip(), SHELTER.strip()]),
        ("deep", [FERRY.strip(), QUAY.strip()]),
        ("arabic", arabic_page()[1]),
    ],
)
def test_the_server_frames_hostile_captures_whole(
    hostile_server: str, name: str, expected: list[str]
) -> None:
    with httpx.Client(base_url=hostile_server, timeout=60) as client:
        hits = client.get("/api/search", params={"per_page": 100}).json()["hits"]
        articles = [client.get(f"/api/articles/{hit['id']}").json() for hit in hits]
        [(article_id, sha)] = [
            (article["id"], capture["sha256"])
            for article in articles
            for capture in article["captures"]
            if capture["origin"].endswith(f"{name}.html")
        ]
        response = client.get(f"/articles/{article_id}/captures/{sha}/frame")
    assert response.status_code == 200
    assert response.headers["content-security-policy"].startswith("sandbox;")
    assert _paragraphs(response.text) == expected
