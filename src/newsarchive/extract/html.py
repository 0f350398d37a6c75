"""HTML capture -> Extracted: robust decoding, trafilatura for the body, htmldate for the date.

trafilatura finds the article text and most metadata; around it we add what an archive needs
and trafilatura does not give: a decoding that survives wrong charset declarations, captions,
media ids, a section, a date with its provenance (``published_from``), and hints from the
source (feeds, JSONL) that always beat guesses.
"""

from __future__ import annotations

import codecs
import email.utils
import gzip
import json
import logging
import re
import zlib
from collections.abc import Iterator
from typing import Any

import ftfy
import htmldate
import lxml.html
import trafilatura
from lxml import etree
from trafilatura.baseline import baseline

from newsarchive.errors import ExtractionError
from newsarchive.extract.authors import clean_authors
from newsarchive.extract.clean import clean_text
from newsarchive.extract.encoding import BOMS, decode
from newsarchive.extract.markup import parse_page, xml_safe
from newsarchive.extract.published import PublishedDate, normalise_published
from newsarchive.extract.sitename import publisher_names, source_name
from newsarchive.extract.urls import url_host, url_path
from newsarchive.model import Capture, Extracted
from newsarchive.settings import Settings
from newsarchive.text.language import detect_language

log = logging.getLogger(__name__)

_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive",
    b"RIFF": "a RIFF (WebP/WAV/AVI) file",
    b"\x00\x00\x00": "binary data",
}
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{2,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([a-zA-Z0-9_.:-]{2,40})""")
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{2,40})""", re.I)
_MEDIA_ID_TEXT = re.compile(r"\bMedia\s*ID\s*[:#]\s*([A-Za-z0-9_-]{2,40})", re.I)
_MEDIA_ID_ATTRS = ("data-media-id", "data-mediaid", "data-media_id", "data-video-id", "data-image-id")
# A tree walk costs more than a scan of the markup, so a walk is skipped when the markup cannot hold
# what it looks for. The scans are case-sensitive on purpose: a literal start lets the regex engine
# jump (re.I or a leading class made these scans 50x slower), and each needle lists the casings seen.
_MEDIA_ID_ATTR_HINT = re.compile(r"data-(?:media[-_]?id|video-id|image-id)")
_MEDIA_ID_TEXT_HINTS = (
    re.compile(r"edia(?:\s|&nbsp;|&#160;)*(?:ID|Id|id)\s*[:#]"),
    re.compile(r"EDIA(?:\s|&nbsp;|&#160;)*ID\s*[:#]"),
)
_CAPTION_NEEDLES = ("aption", "APTION", "<figure", "<FIGURE")
_BREADCRUMB_NEEDLES = ("readcrumb", "readCrumb", "READCRUMB")
_SECTION_WORD = re.compile(r"^[a-z][a-z-]{2,24}$")
_NOT_SECTIONS = {
    "article", "articles", "story", "stories", "news-story", "post", "posts", "blog", "blogs", "index",
    "content", "amp", "www", "en", "de", "fr", "es", "ar", "page", "pages", "id", "item", "items", "node",
    "archive", "archives", "html", "web", "view", "read", "doc", "docs", "default", "p", "a", "s",
    "cgi-bin", "home", "main", "site", "sites", "static", "media", "video", "videos", "photo", "photos",
    "gallery", "galleries", "test", "example", "search", "tag", "tags", "topic", "topics", "author",
}  # fmt: skip
_CHROME_LINE = re.compile(
    r"^(?:advertisement|advertising|advert|anzeige|publicidad|publicité|sponsored(?: content)?"
    r"|skip advertisement|story continues below(?: advertisement)?|continue reading(?: below)?"
    r"|scroll to continue(?: with content)?|article continues below(?: this ad)?"
    r"|\(?adsbygoogle.*)[\s.:…]*$",
    re.I,
)
_MAX_TEXT_DATE_SEARCH = 2_000_000
"""Characters of page text above which a date is only taken from metadata or the URL."""
_MIN_FALLBACK_PARAGRAPH = 80
"""A fallback extraction counts only if it has a paragraph this long: menus and teasers do not."""


def extract_html(capture: Capture, settings: Settings) -> Extracted:
    """Extract the article of one HTML capture; raise ExtractionError when there is none."""
    raw = _checked_bytes(capture, settings)
    html = _decode(raw, capture)
    # double-encoded UTF-8: repair before the parser drops the C1 bytes it needs; only pages showing
    # a mojibake signature pay for ftfy, and it works line by line (a third of the whole-page cost)
    if not html.isascii() and _looks_double_encoded(html):
        html = ftfy.fix_text(html, _PAGE_ENCODING_FIX)
    html = xml_safe(html)
    html, tree = _parse(html, capture.origin)
    url = capture.url or capture.hints.get("url") or None

    text = _body_text(html, url, settings, tree)
    if not text:
        visible = _visible_text_length(tree)
        raise ExtractionError(
            capture.origin,
            f"no article text found (page has {visible} characters of text); is it an index or media page?",
        )
    metadata = trafilatura.extract_metadata(
        tree, default_url=url, date_config={"extensive_search": False, "original_date": True}
    )
    page = _PageFacts.read(tree, html)
    captions = _captions(tree, html)

    hints = capture.hints
    url = url or metadata.url or page.canonical
    source = clean_text(hints.get("source") or "") or page.source_name(_host(url))
    published, published_from = _published(hints, tree, url, metadata.date, page.declared_date)
    site_names = [page.site_name, metadata.sitename]
    title = hints.get("title") or _title(metadata.title, page, site_names, _host(url))

    # the headline is stored as the title; captions are stored apart; ad markers are noise
    not_body = {c.casefold() for c in captions} | {
        (title or "").casefold(),
        *(h.casefold() for h in page.headings),
    }
    blocks: list[str] = []
    removed: list[str] = []
    for line in text.split("\n"):
        block = clean_text(line)
        if not block:
            continue
        if _CHROME_LINE.match(block) or block.casefold() in not_body:
            removed.append(block)
        else:
            blocks.append(block)
    if not blocks:
        raise ExtractionError(
            capture.origin, "article text consisted only of its headline, captions and ad markers"
        )
    body = "\n\n".join(blocks)
    return Extracted(
        title=clean_text(title or ""),
        body=body,
        source=source,
        site=_host(url) or _normalised_source(source),
        url=url,
        authors=clean_authors(
            hints.get("authors") or metadata.author or page.author or "", sources=(source, _host(url))
        ),
        published=published,
        published_from=published_from,
        section=clean_text(hints.get("section") or "") or _section(page, metadata.categories, url),
        language=_language(tree, body),
        captions=captions,
        media_ids=_media_ids(tree, html),
        blocks=blocks,
        removed=removed,
    )


# --- bytes to a parsed tree -------------------------------------------------------------------


def _checked_bytes(capture: Capture, settings: Settings) -> bytes:
    # a feed item's original is its XML; the page to extract is the markup it carries
    html_hint = capture.hints.get("html")
    raw = html_hint.encode("utf-8") if html_hint else capture.raw
    limit = settings.max_capture_bytes
    if len(raw) > limit:
        raise ExtractionError(
            capture.origin,
            f"capture is {len(raw):,} bytes, over the {limit:,}-byte limit "
            "(raise NEWSARCHIVE_MAX_CAPTURE_BYTES to accept it)",
        )
    if raw[:2] == b"\x1f\x8b":  # stored still gzip-encoded (Content-Encoding kept by the crawler)
        try:
            raw = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw, limit + 1)
        except (zlib.error, gzip.BadGzipFile) as exc:
            raise ExtractionError(capture.origin, f"gzip-compressed capture is corrupt ({exc})") from exc
        if len(raw) > limit:
            raise ExtractionError(capture.origin, f"capture decompresses to over {limit:,} bytes")
    if not raw.strip():
        raise ExtractionError(capture.origin, "capture is empty")
    head = raw[:16]
    for magic, kind in _BINARY_MAGIC.items():
        if head.startswith(magic) and not any(head.startswith(bom) for bom, _ in BOMS):
            raise ExtractionError(capture.origin, f"capture is {kind}, not an HTML page")
    sample = raw[:4096]
    if sample.count(0) > len(sample) // 10 and not sample.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        raise ExtractionError(capture.origin, "capture is binary data (many NUL bytes), not an HTML page")
    return raw


def _decode(raw: bytes, capture: Capture) -> str:
    """The page as text: BOM, valid UTF-8, a plausible declaration, else detection (extract.encoding).

    Declarations, most trusted first: the source's hint, the HTTP header, the meta tag, the XML
    declaration.
    """
    declared: list[str | None] = [capture.hints.get("charset")]
    if capture.content_type:
        header = _HEADER_CHARSET.search(capture.content_type)
        declared.append(header.group(1) if header else None)
    head = raw[:8192]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        found = pattern.search(head)
        declared.append(found.group(1).decode("ascii") if found else None)
    return decode(raw, declared)


_PAGE_ENCODING_FIX = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)
"""Only ftfy's encoding repairs (fix_encoding and the C1/byte-A0 fixes it implies), on markup."""

_REPAIRABLE_HINT = re.compile("[\x80-\x9f]|[\u00c2\u00c3][\u00a0-\u00bf\u0152-\u2122]|\u00e2\u20ac")
"""Cheap signs of mojibake ftfy can undo: C1 controls, UTF-8 read as cp1252.

Replacement characters are not among them: the bytes they stood for are gone, so no repair can
bring them back, and running ftfy over a 2 MB page that merely contains one costs 0.4 s.
"""


# Whole-page scans run on the UTF-8 bytes: a literal-led bytes regex is 10-40x faster than a
# character-class regex over the str, which cost 5% of ingest on large pages.
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


def _looks_double_encoded(html: str) -> bool:
    """Cheap signs of mojibake ftfy can undo (see _REPAIRABLE_HINT): only such pages pay for ftfy."""
    if "\u00e2\u20ac" in html or (("\u00c3" in html or "\u00c2" in html) and _REPAIRABLE_HINT.search(html)):
        return True
    return bool(_C1_UTF8.search(html.encode("utf-8", "surrogatepass")))


def _parse(html: str, origin: str) -> tuple[str, Any]:
    """The markup as parsed (a runaway title closed) and its tree (extract.markup), or why there is none."""
    try:
        return parse_page(html)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(origin, f"not parseable as HTML ({exc})") from exc


# --- the body -----------------------------------------------------------------------------------


def _body_text(html: str, url: str | None, settings: Settings, tree: Any) -> str:
    """trafilatura's main text; on failure its recall mode, then its baseline, if they find a paragraph."""
    options: dict[str, Any] = {"url": url, "include_comments": False, "include_tables": True}
    text = trafilatura.extract(tree, fast=settings.trafilatura_fast, **options)
    if text and _looks_like_article(text, tree):
        return text
    recall = trafilatura.extract(tree, fast=False, favor_recall=True, **options)
    if recall and _has_paragraph(recall):
        return recall
    _, base, _ = baseline(html)
    if base and _has_paragraph(base):
        return base
    return ""


def _looks_like_article(text: str, tree: Any) -> bool:
    """Prose, not a menu or a list of headlines: a real paragraph, or mostly text that is not link text."""
    lines = [" ".join(line.split()) for line in text.split("\n") if line.strip()]
    if not lines:
        return False
    if any(len(line) >= 100 for line in lines):
        return True
    link_texts = _link_texts(tree)  # only now: most texts have a long line and never get here
    linked = sum(len(line) for line in lines if line in link_texts)
    return linked < 0.5 * sum(len(line) for line in lines)


def _link_texts(tree: Any) -> set[str]:
    return {" ".join(a.text_content().split()) for a in tree.iter("a")}


def _has_paragraph(text: str) -> bool:
    return any(len(line) >= _MIN_FALLBACK_PARAGRAPH and line.count(" ") >= 8 for line in text.split("\n"))


def _visible_text_length(tree: Any) -> int:
    parts = [
        t
        for t in tree.xpath("//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]")
    ]
    return len(" ".join(" ".join(parts).split()))


# --- page facts trafilatura does not give -------------------------------------------------------


class _PageFacts:
    """Metadata read straight from meta tags and schema.org JSON-LD, once per page."""

    __slots__ = (
        "_crumbs", "_embedded_names", "_html", "_ld_crumbs", "_name_metas", "_publishers", "_tree", "author",
        "canonical", "declared_date", "headings", "section", "site_name", "title",
    )  # fmt: skip

    def __init__(self) -> None:
        self.site_name: str | None = None
        self._name_metas: dict[str, str] = {}
        self._embedded_names: list[str] = []
        self._publishers: list[str] = []
        self.section: str | None = None
        self.canonical: str | None = None
        self.author: str | None = None
        self.title: str | None = None
        self._crumbs: list[str] | None = None
        self._ld_crumbs: list[str] = []
        self._tree: Any = None
        self._html = ""
        self.headings: list[str] = []
        self.declared_date: str | None = None
        """The publication date the page declares for itself (JSON-LD of the article, then metas)."""

    @classmethod
    def read(cls, tree: Any, html: str) -> _PageFacts:
        facts = cls()
        metas = _meta_map(tree)
        facts.site_name = metas.get("og:site_name") or metas.get("application-name")
        facts.section = (
            metas.get("article:section")
            or metas.get("parsely-section")
            or metas.get("section")
            or metas.get("sailthru.section")
            or metas.get("articlesection")
        )
        facts.title = metas.get("og:title") or metas.get("twitter:title")
        links = tree.xpath("//link[@rel='canonical']/@href")
        facts.canonical = metas.get("og:url") or (str(links[0]).strip() if links else None)
        facts._name_metas, facts._embedded_names = _site_name_metas(tree)
        ld_crumbs: list[str] = []
        ld_nodes = list(_json_ld(tree))
        facts._publishers = publisher_names(ld_nodes)
        facts.declared_date = _declared_date(ld_nodes)
        for node in ld_nodes:
            kinds = node.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if "BreadcrumbList" in kinds:
                ld_crumbs = ld_crumbs or _ld_breadcrumbs(node)
                continue
            if facts.section is None and isinstance(node.get("articleSection"), str | list):
                section = node["articleSection"]
                facts.section = section[0] if isinstance(section, list) and section else section or None
            publisher = node.get("publisher")
            if (
                facts.site_name is None
                and isinstance(publisher, dict)
                and isinstance(publisher.get("name"), str)
            ):
                facts.site_name = publisher["name"]
        facts._tree, facts._html, facts._ld_crumbs = tree, html, ld_crumbs
        facts.headings = [clean_text(" ".join(h.text_content().split())) for h in tree.iter("h1")][:5]
        for attr in ("site_name", "section", "title", "canonical"):
            value = getattr(facts, attr)
            if value is not None and not isinstance(value, str):
                setattr(facts, attr, None)
        return facts

    def source_name(self, host: str) -> str:
        """The site's name (extract.sitename): og:site_name, JSON-LD publisher, checked others, the host."""
        return source_name(
            site_name=self._name_metas.get("og:site_name"),
            publishers=self._publishers,
            application_name=self._name_metas.get("application-name"),
            twitter_site=self._name_metas.get("twitter:site"),
            publisher_meta=self._name_metas.get("publisher") or self._name_metas.get("dc.publisher"),
            embedded=self._embedded_names,
            host=host,
        )

    @property
    def breadcrumbs(self) -> list[str]:
        """The page's breadcrumb trail, HTML first, then JSON-LD; found on first use.

        Only a section without metadata needs it, and the search walks every element.
        """
        if self._crumbs is None:
            found = _html_breadcrumbs(self._tree) if _mentions(self._html, _BREADCRUMB_NEEDLES) else []
            self._crumbs = found or self._ld_crumbs
        return self._crumbs


_ARTICLE_KINDS = re.compile(r"(?:Article|BlogPosting|Posting|Report)$")


def _declared_date(nodes: list[dict[str, Any]]) -> str | None:
    """The page's own statement of when its article was published: ``datePublished`` of a JSON-LD
    article node, when the date rule reads it as a full day. Meta tags are left to htmldate's
    rules: ``article:published_time`` is often the time of the last update (measured: two of the
    readability set's pages, where JSON-LD or htmldate had the first publication)."""
    candidates: list[Any] = []
    for node in nodes:
        kinds = node.get("@type")
        kinds = [k for k in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(k, str)]
        if any(_ARTICLE_KINDS.search(kind) for kind in kinds):
            candidates.append(node.get("datePublished"))
    for value in candidates:
        if isinstance(value, str) and value.strip():
            found = normalise_published(value.strip())
            if isinstance(found, PublishedDate) and len(found.date) == 10:
                return value.strip()
    return None


def _meta_map(tree: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), content.strip())
    return found


_SITE_NAME_METAS = {"og:site_name", "application-name", "twitter:site", "publisher", "dc.publisher"}


_NOT_CONTAINERS = {"html", "head", "body", "noscript"}


def _site_name_metas(tree: Any) -> tuple[dict[str, str], list[str]]:
    """The page's own metas naming the site; and og:site_name values of embedded widgets.

    A widget's metas sit inside its element (a div, an aside); the page's own sit in the head, or
    straight in the body when a stray tag in the head made the parser start the body early.
    """
    own: dict[str, str] = {}
    embedded: list[str] = []
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key not in _SITE_NAME_METAS or not content:
            continue
        if any(ancestor.tag not in _NOT_CONTAINERS for ancestor in meta.iterancestors()):
            if key == "og:site_name":
                embedded.append(content)
        else:
            own.setdefault(key, content)
    return own, embedded


def _json_ld(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                if "@graph" in item:
                    stack.append(item["@graph"])


def _ld_breadcrumbs(node: dict[str, Any]) -> list[str]:
    items = node.get("itemListElement")
    if not isinstance(items, list):
        return []
    names: list[tuple[int, str]] = []
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        name = item.get("name")
        inner = item.get("item")
        if not isinstance(name, str) and isinstance(inner, dict):
            name = inner.get("name")
        order = item.get("position", position)
        if isinstance(name, str) and name.strip():
            names.append((order if isinstance(order, int) else position, name.strip()))
    return [name for _, name in sorted(names)]


def _html_breadcrumbs(tree: Any) -> list[str]:
    containers = tree.xpath(
        "//*[contains(translate(@class,'BREADCRUMB','breadcrumb'),'breadcrumb')"
        " or contains(translate(@id,'BREADCRUMB','breadcrumb'),'breadcrumb')"
        " or contains(translate(@aria-label,'BREADCRUMB','breadcrumb'),'breadcrumb')]"
    )
    for container in containers:
        items = container.xpath(".//a | .//li[not(.//a)] | .//span[@itemprop='name']")
        crumbs: list[str] = []
        for item in items:
            text = " ".join(item.text_content().split())
            if text and text not in crumbs and len(text) <= 60:
                crumbs.append(text)
        if crumbs:
            return crumbs
    return []


def _captions(tree: Any, html: str) -> list[str]:
    """figcaption text, alt/title of images in figures, and short elements whose class says caption."""
    found: list[str] = []
    if not _mentions(html, _CAPTION_NEEDLES):
        return found
    nodes = tree.xpath(
        "//figcaption"
        " | //*[contains(translate(@class,'CAPTION','caption'),'caption')][not(ancestor::figcaption)]"
    )
    for node in nodes:
        if node.tag in {"script", "style"}:
            continue
        text = clean_text(" ".join(node.text_content().split()))
        if 3 <= len(text) <= 600:
            found.append(text)
    for img in tree.xpath("//figure//img"):
        for attr in ("alt", "title"):
            text = clean_text(" ".join((img.get(attr) or "").split()))
            if len(text) >= 3:
                found.append(text)
    unique: list[str] = []
    for text in found:
        # a caption wrapper and its inner caption give the same text: keep one
        if not any(text == kept or text in kept for kept in unique):
            unique = [kept for kept in unique if kept not in text] + [text]
    return unique


def _mentions(html: str, needles: tuple[str, ...]) -> bool:
    return any(needle in html for needle in needles)


def _media_ids(tree: Any, html: str) -> list[str]:
    ids: list[str] = []
    if _MEDIA_ID_ATTR_HINT.search(html):
        for attr in _MEDIA_ID_ATTRS:
            for value in tree.xpath(f"//@{attr}"):
                value = str(value).strip()
                if value and value not in ids:
                    ids.append(value)
    if not any(hint.search(html) for hint in _MEDIA_ID_TEXT_HINTS):
        return ids
    text = " ".join(tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]"))
    for match in _MEDIA_ID_TEXT.finditer(text):
        if match.group(1) not in ids:
            ids.append(match.group(1))
    return ids


def _title(title: str | None, page: _PageFacts, site_names: list[str | None], host: str) -> str | None:
    """The headline: the page title without the site's name, or the h1 it merely decorates.

    Titles carry the site ("… | TechCrunch", "… - WELT", "…-新华网"); an archive that already
    records the source wants the headline alone.
    """
    title = clean_text(title or page.title or "")
    if not title:
        return None
    for h1 in page.headings:
        if len(h1) >= 10 and h1 != title and _TITLE_SEPARATOR.fullmatch(_remainder(title, h1) or "x"):
            return h1
    names = {_alnum(name) for name in site_names if name} | _host_names(host)
    names.discard("")
    for _ in range(3):
        parts = _TITLE_SPLIT.split(title)
        if len(parts) < 2:
            break
        if _is_site_name(parts[-1], names) and _is_headline(title[: title.rfind(parts[-1])]):
            title = title[: title.rfind(parts[-1])]
        elif _is_site_name(parts[0], names) and _is_headline(title[len(parts[0]) :]):
            title = title[len(parts[0]) :]
        else:
            break
        title = _TITLE_SEPARATOR.sub("", title, count=1) if _TITLE_SEPARATOR.match(title) else title
        title = re.sub(f"(?:{_TITLE_SEPARATOR.pattern})$", "", title)
    return title.strip() or None


_TITLE_SPLIT = re.compile(r"\s+(?:[|\-–—»·:/~]|--|::)\s+|\s*[｜：|_]\s*|(?<=[^\W\d])-(?=[^\W\d]+$)")
_TITLE_SEPARATOR = re.compile(r"\s*(?:[|\-–—»·:/~_｜：]|--|::)\s*")


def _remainder(title: str, h1: str) -> str | None:
    """What a title adds to the h1 when the h1 is its start or end, else None."""
    if title.startswith(h1):
        return title[len(h1) :]
    if title.endswith(h1):
        return title[: -len(h1)]
    return None


def _alnum(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


def _host_names(host: str) -> set[str]:
    labels = host.split(".")[:-1]  # without the top-level domain
    generic = {"www", "co", "com", "org", "net", "news", "edition", "m", "en", "amp"}
    return {_alnum(host), *(_alnum(label) for label in labels if len(label) >= 3 and label not in generic)}


def _is_headline(rest: str) -> bool:
    """Enough left to be a headline: "Trump - CNN interview" must not shrink to "Trump"."""
    return len(rest.split()) >= 3 or len(_alnum(rest)) >= 10


def _is_site_name(part: str, names: set[str]) -> bool:
    folded = _alnum(part)
    if not folded or len(part.split()) > 6:
        return False
    return any(
        folded == name or (len(name) >= 3 and (folded.startswith(name) or folded.endswith(name)))
        for name in names
    )


def _section(page: _PageFacts, categories: list[str] | None, url: str | None) -> str | None:
    # the page's own declared section beats breadcrumbs, whose first item is often "Home" in any language
    if page.section and page.section.strip():
        return clean_text(page.section)
    crumbs = [c for c in page.breadcrumbs if c.casefold() not in {"home", "homepage", "start", "startseite"}]
    for candidate in [*crumbs[:1], *(categories or [])[:1]]:
        if candidate and candidate.strip():
            return clean_text(candidate)
    if url:
        segments = [s for s in url_path(url).split("/") if s]
        if len(segments) >= 2:
            first = segments[0].lower()
            if _SECTION_WORD.match(first) and first not in _NOT_SECTIONS:
                return first
    return None


def _host(url: str | None) -> str:
    return url_host(url)


def _normalised_source(source: str) -> str:
    return "-".join(source.casefold().split())


def _language(tree: Any, body: str) -> str | None:
    declared = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not declared:
        metas = tree.xpath(
            "//meta[translate(@http-equiv,'CONTENTLANGUAGE','contentlanguage')='content-language']"
        )
        declared = metas[0].get("content") if metas else None
    if declared:
        primary = re.split(r"[-_,;\s]", declared.strip().lower(), maxsplit=1)[0]
        if len(primary) == 2 and primary.isalpha():
            return primary
    return detect_language(body)


# --- the publication date -----------------------------------------------------------------------


def _published(
    hints: dict[str, str],
    tree: Any,
    url: str | None,
    metadata_date: str | None = None,
    declared: str | None = None,
) -> tuple[str | None, str | None]:
    """The original publication date and where it came from: metadata, then the URL, then page text.

    The page's own declaration (JSON-LD ``datePublished``, ``article:published_time``) comes before
    trafilatura's quick pass, which can take a related story's timestamp. Never the crawl date, and
    never a guess: a text date htmldate could only narrow to a month or a copyright year (which it
    reports as the 1st) is dropped unless the page states that day.
    """
    hinted = hints.get("published")
    if hinted:
        return hinted.strip(), "metadata"  # as given: extract_capture reads it, time and zone kept
    if declared:
        return declared, "metadata"
    # trafilatura's metadata already ran htmldate's quick search; reuse it unless it came from the URL
    if metadata_date and not (url and metadata_date.replace("-", "") in re.sub(r"\D", "", url)):
        return _normalise_date(metadata_date), "metadata"
    options: dict[str, Any] = {"original_date": True, "url": "", "deferred_url_extractor": True}
    # without a metadata date the quick search already came up empty: only repeat it without the URL
    found = htmldate.find_date(tree, extensive_search=False, **options) if metadata_date else None
    if found:
        return found, "metadata"
    if url:
        found = htmldate.find_date(lxml.html.document_fromstring("<html><body></body></html>"), url=url)
        if found:
            return found, "url"
    # htmldate's free-text search runs many regexes over the page: minutes on huge pages
    if len(tree.text_content()) > _MAX_TEXT_DATE_SEARCH:
        return None, None
    found = htmldate.find_date(tree, extensive_search=True, **options)
    if found and _stated_in_page(found, tree):
        return found, "text"
    return None, None


_MONTHS = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
]  # fmt: skip


def _stated_in_page(day: str, tree: Any) -> bool:
    """Whether a YYYY-MM-DD date really appears in the page, not just its year or month."""
    year, month, dom = day.split("-")
    if dom != "01":
        return True
    text = " ".join(tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]")).lower()
    m = int(month)
    patterns = [
        rf"{year}[-/.]0?{m}[-/.]0?1\b",
        rf"\b0?1[-/.]0?{m}[-/.]{year}",
        rf"\b1(?:st)?\.?\s+{_MONTHS[m - 1]}\w*\.?,?\s+{year}",
        rf"{_MONTHS[m - 1]}\w*\.?\s+1(?:st)?,?\s+{year}",
    ]
    return any(re.search(p, text) for p in patterns)


def _normalise_date(value: str) -> str:
    """A hinted date as YYYY-MM-DD when it is ISO-like or RFC 822 (feeds); otherwise as given."""
    value = value.strip()
    iso = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if iso:
        return iso.group(0)
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return value
