"""The helpers that decide what archived markup may reach a browser."""

from __future__ import annotations

import html

import lxml.html
from hypothesis import given
from hypothesis import strategies as st

from newsarchive.web.sanitize import (
    capture_media_type,
    clean_capture_html,
    decode_capture,
    safe_href,
    safe_lang,
    safe_snippet,
)

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
