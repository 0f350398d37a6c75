"""Markup -> an lxml tree, whole, however hostile: the one parse for every reader of archived HTML.

libxml2 cuts pages short past its default limits (256 levels of nesting, 10 MB in one node) and
is quadratic in the attributes of one tag, so a crafted page loses its text or holds a worker for
minutes. Extraction (extract.html) and the sanitised capture view (web.sanitize) both parse here,
so both get the same bounds.
"""

from __future__ import annotations

import bisect
import re

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.utils import repair_faulty_html

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# libxml2 refuses these in a str; they are never text anyway
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# a bytes.translate over the UTF-8 is 10-40x faster than a character-class regex over the str
_NOT_XML_ILLEGAL_BYTES = bytes(
    b for b in range(256) if not (b <= 0x08 or b in (0x0B, 0x0C) or 0x0E <= b <= 0x1F)
)


def xml_safe(html: str) -> str:
    """Without an XML declaration and the characters libxml2 refuses in a str (both break parsing)."""
    html = _XML_DECLARATION.sub("", html, count=1)
    data = html.encode("utf-8", "surrogatepass")
    if data.translate(None, _NOT_XML_ILLEGAL_BYTES) or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data:
        html = _XML_ILLEGAL.sub("", html)
    return html


def parse_markup(html: str) -> lxml.html.HtmlElement:
    """The tree of markup already made safe by xml_safe (see parse_page)."""
    return parse_page(html)[1]


def parse_page(html: str) -> tuple[str, lxml.html.HtmlElement]:
    """The markup as parsed and its tree: parse_markup's bounded parse, with a runaway title closed.

    A ``<title>`` left open or closed by a misspelled tag (``</titl>``, ``</title`` without its
    ``>``) makes the parser read the rest of the page as the title's text, and a page of 50,000
    characters has none. When the tree shows that, the title is closed where its text ends
    (close_runaway_title) and the page parsed again; the mended markup is returned with its tree,
    for the readers that parse the markup themselves.
    """
    tree = _parse_bounded(html)
    if _title_ran_over(tree):
        mended = close_runaway_title(html)
        if mended != html:
            mended_tree = _parse_bounded(mended)
            if not _title_ran_over(mended_tree):
                return mended, mended_tree
    return html, tree


def _parse_bounded(html: str) -> lxml.html.HtmlElement:
    """Parse markup already made safe by xml_safe, with trafilatura's own parser settings.

    Extraction hands trafilatura this tree instead of the markup: it copies a tree it is given,
    so the page is parsed once (a copy costs a quarter of a parse) and the body is what it would
    have found in the markup. Markup it refuses as not HTML still gets lxml's lenient parse.
    Where libxml2's default limits would cut the page short (see below), it is parsed without
    them; deeper than even that allows, its excess nesting is flattened first. Tags are cut to
    their first _MAX_ATTRIBUTES attributes. The result may be a fragment's element: its
    ``getroottree()`` is the document. Raises lxml's ParserError or ValueError when even the
    lenient parse finds no document.
    """
    html = _with_bounded_attributes(html)
    small = (
        len(html) * 4 < _LIBXML2_MAX_TEXT or len(html.encode("utf-8", "surrogatepass")) < _LIBXML2_MAX_TEXT
    )
    tree = trafilatura.load_html(html) if small else None
    if tree is not None and not _DEEPER_THAN_DEFAULT_LIMIT(tree):
        return tree
    if tree is not None or not small:
        tree = _parse_without_limits(html)
        if tree is not None and _DEEPER_THAN_HUGE_LIMIT(tree):
            tree = _parse_without_limits(_flattened(html))
        if tree is not None:
            return tree
    document = lxml.html.document_fromstring(html, parser=_LENIENT_HUGE_PARSER)
    if _DEEPER_THAN_HUGE_LIMIT(document):
        document = lxml.html.document_fromstring(_flattened(html), parser=_LENIENT_HUGE_PARSER)
    return document


# --- a title that swallowed the page ------------------------------------------------------------
# Parsers read a title's content as text up to a real </title> (HTML's RCDATA rule; libxml2 2.14
# follows it), so a title that is never closed, or closed by </titl> or by </title without its >,
# holds the rest of the page: its head, its body, its article.

_MAX_TITLE_CHARS = 300
"""A title this long that holds tags swallowed markup; real titles are under 200 characters."""
_TITLES_WITH_MARKUP = etree.XPath("//title[contains(., '<')]")
_HAS_BODY_TEXT = etree.XPath(
    "boolean(//body//text()[normalize-space()][not(ancestor::script or ancestor::style or ancestor::title)])"
)
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_TITLE_OR_SCRIPT = re.compile(r"<(title|script|style)(?:\s[^>]*)?>", re.I)
_TITLE_END = re.compile(r"</title\s*>", re.I)
_STRAY_END_TAG = re.compile(r"</(?!(?:head|body|html)\b)[A-Za-z][^<>]{0,40}(?:>|(?=<)|\Z)", re.I)
"""An end tag right after a title's text that cannot close anything else there: the title's, misspelt."""


def _title_ran_over(tree: lxml.html.HtmlElement) -> bool:
    """Whether a title's text holds tags and is longer than a title, or all the text the page has.

    A short title quoting a tag ("The <blink> tag is back") stays as it is, as browsers show it.
    """
    for title in _TITLES_WITH_MARKUP(tree):
        text = title.text or ""
        if _TAG_START.search(text) and (len(text) > _MAX_TITLE_CHARS or not _HAS_BODY_TEXT(tree)):
            return True
    return False


def close_runaway_title(html: str) -> str:
    """The markup with its first title that holds tags closed where its text ends.

    Its text ends at the first tag after ``<title>``. An end tag there (``</titl>``, ``</tilte>``,
    ``</title`` without ``>``) is taken for the title's misspelt end and replaced; any other tag
    (``<meta``, ``</head>``) gets a ``</title>`` before it. Titles quoted inside scripts and
    styles are skipped. Markup whose titles all close before any tag is returned as it is.
    """
    scan = 0
    while opening := _TITLE_OR_SCRIPT.search(html, scan):
        if opening.group(1).lower() != "title":
            closing = re.compile(rf"</{opening.group(1)}[\s>]", re.I).search(html, opening.end())
            if closing is None:
                return html
            scan = closing.end()
            continue
        text_end = _TAG_START.search(html, opening.end())
        if text_end is None:
            return html + "</title>"
        if _TITLE_END.match(html, text_end.start()):
            scan = text_end.end()
            continue
        stray = _STRAY_END_TAG.match(html, text_end.start())
        if stray:
            return f"{html[: stray.start()]}</title>{html[stray.end() :]}"
        return f"{html[: text_end.start()]}</title>{html[text_end.start() :]}"
    return html


# --- libxml2's limits -------------------------------------------------------------------------------
# Past 256 levels of nesting, or a text node, comment, script or attribute value over 10 MB, libxml2
# stops parsing and the rest of the page is lost ("no article text found"); with huge_tree the limits
# are 2048 levels and 1 GB. It also checks each attribute against all earlier ones of its element:
# 20,000 attributes on one tag take a second, 200,000 seven minutes.

_LIBXML2_MAX_TEXT = 10_000_000
_DEEPER_THAN_DEFAULT_LIMIT = etree.XPath("boolean(/*" + "/*" * 250 + ")")
"""Whether a tree reaches the depth where the default parser stopped (256 levels)."""
_DEEPER_THAN_HUGE_LIMIT = etree.XPath("boolean(/*" + "/*" * 2040 + ")")
_HUGE_PARSER = lxml.html.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    huge_tree=True,
)
"""trafilatura's HTML parser settings, without libxml2's size and depth limits (callers cap input)."""
_LENIENT_HUGE_PARSER = lxml.html.HTMLParser(huge_tree=True)
"""lxml's default HTML parser, for markup trafilatura refuses, without the same limits."""
_MAX_ATTRIBUTES = 256
"""Attributes kept per tag; real pages have at most 70 (the 390 extraction pages)."""
_ATTRIBUTE = r"""[\s/]*+[^\s/>=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]++))?+"""
_CROWDED_TAG = re.compile(rf"(<[A-Za-z][^\s/>]*+(?:{_ATTRIBUTE}){{{_MAX_ATTRIBUTES}}})(?:{_ATTRIBUTE})++")
"""A tag with more than _MAX_ATTRIBUTES attributes; possessive throughout, so linear in the page."""


def _with_bounded_attributes(html: str) -> str:
    """The markup with each tag cut to its first _MAX_ATTRIBUTES attributes (libxml2 is quadratic in them).

    Script code can look like a crowded tag (``e<n.length;…`` in minified JavaScript, on 4 of
    the 390 extraction pages); the parser does not read tags there, so neither is it cut.
    """
    if not _CROWDED_TAG.search(html):
        return html
    raw_text = _raw_text_spans(html)
    starts = [start for start, _ in raw_text]

    def cut(tag: re.Match[str]) -> str:
        index = bisect.bisect_right(starts, tag.start()) - 1
        inside = index >= 0 and tag.start() < raw_text[index][1]
        return tag.group(0) if inside else tag.group(1)

    return _CROWDED_TAG.sub(cut, html)


_RAW_TEXT_START = re.compile(r"<(script|style|textarea|title|xmp|iframe|noembed|noframes)\b", re.I)


def _raw_text_spans(html: str) -> list[tuple[int, int]]:
    """(start, end) of each script, style and other element whose content the parser reads as text."""
    spans: list[tuple[int, int]] = []
    scan = 0
    while opening := _RAW_TEXT_START.search(html, scan):
        closing = re.compile(rf"</{opening.group(1)}[\s>]", re.I).search(html, opening.end())
        scan = len(html) if closing is None else closing.start()
        spans.append((opening.start(), scan))
    return spans


def _parse_without_limits(html: str) -> lxml.html.HtmlElement | None:
    """trafilatura's parse (its markup repairs, its parser settings) with huge_tree on."""
    repaired = repair_faulty_html(html, html[:50].lower())
    try:
        return lxml.html.fromstring(repaired, parser=_HUGE_PARSER)
    except (etree.ParserError, ValueError):
        return None


_MAX_FLAT_DEPTH = 200
_VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source",
    "track", "wbr",
}  # fmt: skip
_RAW_TEXT_TAGS = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"}
_KEPT_DEEP = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", *_RAW_TEXT_TAGS}
"""Tags kept however deep: blocks the parser closes by itself, and those whose text is not text."""
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dialog", "dir", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_CLOSED_BY = {
    "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "option": {"option"},
    "tr": {"tr", "td", "th"}, "td": {"td", "th"}, "th": {"td", "th"},
}  # fmt: skip
"""Open elements a start tag closes (HTML's implied end tags), so nesting is counted as parsed."""
_TAG = re.compile(r"""<(/?)([A-Za-z][^\s/>]*)(?:[^>"'<]++|"[^"<]*+"|'[^'<]*+')*+>""")
_MARKUP_START = re.compile(r"<[A-Za-z/!?]")


def _flattened(html: str) -> str:
    """The markup with tags nested deeper than _MAX_FLAT_DEPTH dropped, their text kept.

    A dropped block tag leaves a line break so words do not run together; paragraphs, headings
    and list items stay (the parser never nests them in themselves), and script, style and the
    like keep their tags so their content never becomes text. For pages libxml2 cannot hold
    even with huge_tree (2048 levels); a scan of our own, linear, not Python's html.parser.
    """
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # open elements: name, whether its tags are kept
    open_count: dict[str, int] = {}
    copied = scan = 0
    while found := _MARKUP_START.search(html, scan):
        start = found.start()
        if html.startswith(("<!", "<?"), start):
            closer = "-->" if html.startswith("<!--", start) else ">"
            end = html.find(closer, start + 2)
            scan = len(html) if end < 0 else end + len(closer)
            continue
        tag = _TAG.match(html, start)
        if tag is None:
            scan = start + 1
            continue
        scan = tag.end()
        name = tag.group(2).lower()
        if tag.group(1):  # an end tag closes its element and any left open inside it
            if not open_count.get(name):
                continue
            while True:
                open_name, kept = stack.pop()
                open_count[open_name] -= 1
                if open_name == name:
                    break
        else:
            if name in _VOID_TAGS:
                continue
            closes = _CLOSED_BY.get(name, {"p"} if name in _BLOCK_TAGS else set())
            while stack and stack[-1][0] in closes:
                open_count[stack.pop()[0]] -= 1
            kept = len(stack) < _MAX_FLAT_DEPTH or name in _KEPT_DEEP
            stack.append((name, kept))
            open_count[name] = open_count.get(name, 0) + 1
            if name in _RAW_TEXT_TAGS:
                end_tag = re.compile(rf"</{re.escape(name)}[\s>]", re.I).search(html, scan)
                scan = len(html) if end_tag is None else end_tag.start()
        if not kept:
            out += [html[copied:start], "\n" if name in _BLOCK_TAGS else ""]
            copied = scan
    out.append(html[copied:])
    return "".join(out)
