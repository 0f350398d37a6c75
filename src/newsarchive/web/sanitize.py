"""Turning hostile archived content into something a browser may show.

Templates autoescape everything; the helpers here cover the few places where markup is
needed (highlighted snippets, the sanitised capture view) or where a value lands in an
attribute with meaning (links, ``lang``, ``Content-Type``).
"""

from __future__ import annotations

import html
import re

import lxml.etree
import lxml.html
from lxml_html_clean import Cleaner
from markupsafe import Markup

from newsarchive.extract.encoding import decode
from newsarchive.extract.markup import parse_markup, xml_safe

_B_TAG = re.compile(r"(</?b>)")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$")
_MIME = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})", re.IGNORECASE)
_META_CHARSET = re.compile(r"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{1,40})", re.IGNORECASE)

MAX_TEXT_VIEW_BYTES = 2 * 1024 * 1024
"""The escaped-text view shows at most this much of a capture; the download has it all."""


def safe_snippet(snippet: str) -> Markup:
    """Re-sanitise a search snippet: only balanced ``<b>…</b>`` survive, all other text is escaped.

    The index builds snippets escaped with ``<b>`` highlights; this does not trust that. Each text
    piece is unescaped once and escaped again (so ``&amp;`` stays one ampersand and a stray ``<``
    becomes ``&lt;``), and a ``<b>`` only counts when it opens at depth 0 and is closed.
    """
    pieces = _B_TAG.split(snippet)
    out: list[str] = []
    open_at: int | None = None
    for piece in pieces:
        if piece == "<b>" and open_at is None:
            open_at = len(out)
            out.append("<b>")
        elif piece == "</b>" and open_at is not None:
            out.append("</b>")
            open_at = None
        elif piece in ("<b>", "</b>"):
            out.append(html.escape(piece))
        else:
            out.append(html.escape(html.unescape(piece)))
    if open_at is not None:
        out[open_at] = ""
    return Markup("".join(out))


def safe_href(url: str | None) -> str | None:
    """An archived URL usable as a link: absolute http(s) only, so ``javascript:`` and friends stay text."""
    if not url:
        return None
    text = url.strip()
    if any(ord(c) < 0x21 or c in "<>\"'`" for c in text):
        return None
    lower = text.lower()
    if lower.startswith(("http://", "https://")) and len(text) < 4096:
        return text
    return None


def safe_lang(language: str | None) -> str | None:
    """A ``lang`` attribute value when the stored language looks like a BCP 47 tag, else None."""
    if language and _LANG.match(language):
        return language
    return None


def capture_media_type(content_type: str | None, capture_format: str) -> str:
    """The archived Content-Type when it is well formed, else one derived from the capture's format."""
    if content_type:
        mime, _, params = content_type.partition(";")
        mime = mime.strip().lower()
        if _MIME.match(mime):
            charset = _CHARSET.search(params)
            return f"{mime}; charset={charset.group(1)}" if charset else mime
    if capture_format == "html":
        return "text/html"
    if capture_format in {"text", "textdump", "reuters"}:
        return "text/plain; charset=utf-8"
    return "application/octet-stream"


def capture_extension(media_type: str) -> str:
    mime = media_type.split(";", 1)[0]
    return {
        "text/html": "html",
        "application/xhtml+xml": "xhtml",
        "text/plain": "txt",
        "application/json": "json",
        "application/xml": "xml",
        "text/xml": "xml",
        "application/rss+xml": "xml",
        "application/atom+xml": "xml",
        "text/csv": "csv",
        "application/pdf": "pdf",
    }.get(mime, "bin")


def decode_capture(raw: bytes, content_type: str | None) -> str:
    """The capture as text, read as extraction reads pages (extract.encoding), never failing.

    The declared charset (header, then meta tag) is believed when it gives plausible text, else
    the bytes decide, so an undeclared windows-1256 page shows Arabic, not mojibake.
    """
    declared: list[str | None] = []
    if content_type:
        found = _CHARSET.search(content_type)
        declared.append(found.group(1) if found else None)
    head = raw[:8192].decode("ascii", "ignore")
    found = _META_CHARSET.search(head)
    declared.append(found.group(1) if found else None)
    return decode(raw, declared)


_CLEANER = Cleaner(
    scripts=True,
    javascript=True,
    comments=True,
    style=True,
    inline_style=True,
    links=True,
    meta=True,
    page_structure=False,
    processing_instructions=True,
    embedded=True,
    frames=True,
    forms=True,
    annoying_tags=True,
    remove_unknown_tags=False,
    kill_tags=["svg", "math", "template", "noscript", "base", "object", "embed", "applet", "canvas"],
    safe_attrs_only=True,
    add_nofollow=True,
)


def clean_capture_html(raw: bytes, content_type: str | None) -> str:
    """Archived HTML with scripts, handlers, ``javascript:`` URLs, frames, plugins, SVG and styles removed.

    The result is still served under a script-free CSP sandbox: cleaning is one wall, the
    browser policy the second. The page is parsed as extraction parses it (extract.markup):
    crowded tags cut to their first attributes, deep or huge pages whole, so a hostile capture
    neither holds a server worker for minutes nor shows cut short.
    """
    text = xml_safe(re.sub(r"^\s*<\?xml[^>]*>", "", decode_capture(raw, content_type)))
    if not text.strip():
        return _frame_document("<p>(this capture is empty)</p>")
    try:
        document = parse_markup(text).getroottree().getroot()
        cleaned = _CLEANER.clean_html(document)
        _drop_remote_media(cleaned)
        body = cleaned.find("body")
        root = body if body is not None else cleaned
        inner = "".join(lxml.html.tostring(child, encoding="unicode") for child in root)
        if root.text:
            inner = html.escape(root.text) + inner
    except (lxml.etree.ParserError, ValueError) as exc:
        return _frame_document(f"<p>(this capture cannot be parsed as HTML: {html.escape(str(exc))})</p>")
    return _frame_document(inner)


def _drop_remote_media(root: lxml.html.HtmlElement) -> None:
    """Remote images would only be refused by the frame's CSP (and tell their host we looked)."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in ("src", "srcset", "poster", "background", "lowsrc", "dynsrc"):
            value = element.get(name)
            if value is not None and not value.strip().lower().startswith("data:image/"):
                del element.attrib[name]


def _frame_document(body: str) -> str:
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<meta name="referrer" content="no-referrer"><title>archived capture</title></head>'
        f'<body dir="auto">{body}</body></html>'
    )
