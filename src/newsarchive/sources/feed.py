"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds -> one Capture per item that carries the full article.

Items with only a link and a teaser are not articles; their links are logged and counted in
``SourceStats.feed_links`` so a crawl can fetch them. A feed that declares a DTD subset or entities
is refused before parsing, and parsing never touches the network nor expands entities, so a hostile
feed cannot read local files (XXE) or blow up memory (billion laughs). Feeds past libxml2's size and
depth limits are read whole, by a second parse that only feeds without a DTD reach (see _parse).
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path

from lxml import etree

from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.files import display_origin, path_hints, read_capped
from newsarchive.sources.stats import SourceStats
from newsarchive.sources.warc import iso_datetime

logger = logging.getLogger(__name__)

FULL_TEXT_CHARS = 500
"""A description with more text than this is taken as the article itself, not a teaser."""

REFUSED_DTD = "DTD/entities not allowed in feeds; refused"
_TAG = re.compile(r"<[^>]+>")
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_DTD_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[|<!ENTITY", re.I)
_MARKUP = re.compile(r"<(p|br|div|span|a|em|strong|b|i|img|ul|ol|li|h[1-6]|blockquote|figure|table)\b", re.I)


def read_feed(path: Path, settings: Settings, stats: SourceStats | None = None) -> Iterator[Capture | Reject]:
    """Captures for full-content items; link-only items are counted, not captured."""
    origin = display_origin(path)
    extra = path_hints(path)
    raw = read_capped(path, settings.max_capture_bytes)
    if isinstance(raw, Reject):
        yield raw
        return
    if _declares_dtd(raw):
        yield Reject(origin, REFUSED_DTD)
        return
    try:
        root = _parse(raw)
    except etree.XMLSyntaxError as exc:
        yield Reject(origin, f"feed is not parseable XML ({exc}); check the download")
        return
    if root is None:
        yield Reject(origin, "feed is not parseable XML; check the download")
        return
    if _has_dtd_subset(root):  # what the byte scan could miss (other encodings)
        yield Reject(origin, REFUSED_DTD)
        return
    kind = _local(root.tag)
    content_type = "application/atom+xml" if kind == "feed" else "application/rss+xml"
    items = [el for el in root.iter() if isinstance(el.tag, str) and _local(el.tag) in ("item", "entry")]
    if not items:
        yield Reject(origin, "feed has no <item> or <entry> elements; nothing to ingest")
        return
    publisher = _feed_title(root)
    link_only = 0
    for number, item in enumerate(items, start=1):
        capture = _item_capture(f"{origin}#item{number}", item, content_type, publisher, extra)
        if capture is not None:
            yield capture
            continue
        link = _link(item)
        if link:
            link_only += 1
            logger.info("%s#item%d: link-only feed item %s", origin, number, link)
            if stats is not None:
                stats.feed_links.append(link)
        else:
            yield Reject(
                f"{origin}#item{number}", "feed item has neither content nor a link; nothing to ingest"
            )
    if link_only:
        logger.info("%s: %d link-only items recorded for fetching", origin, link_only)


def _declares_dtd(raw: bytes) -> bool:
    """Whether the prolog (before the root element) holds a DTD subset or an entity declaration.

    Real feeds have at most a public DOCTYPE line (RSS 0.91); an internal subset is how entity bombs
    and external entities (XXE) are delivered, so it is refused rather than parsed carefully.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raw = raw[:65536].decode("utf-16", errors="replace").encode("utf-8")
    first = _FIRST_ELEMENT.search(raw)
    prolog = raw[: first.start()] if first else raw
    return _DTD_SUBSET.search(prolog) is not None


def _parser(*, huge_tree: bool) -> etree.XMLParser:
    """Never expanding entities, loading a DTD or touching the network; libxml2's limits as asked."""
    return etree.XMLParser(
        recover=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=huge_tree,
        remove_pis=True,
    )


def _parse(raw: bytes) -> etree._Element | None:
    """The feed's root element, read whole: deep XHTML content and items over 10 MB included.

    Within libxml2's default limits a feed stops at 256 levels of nesting or 10 MB of text in one
    node (CDATA included): that item is cut short and the items after it are lost. A feed that the
    limited parse reads with errors is read again without the limits (huge_tree), but only once
    that parse has shown it declares no DTD subset: older libxml2 releases (2.9 for one) skip their
    entity amplification check under huge_tree, so an entity bomb must never reach that parser.
    Errors of any kind trigger it, since libxml2 reports its limits under several error codes.
    """
    parser = _parser(huge_tree=False)
    root = etree.fromstring(raw, parser)
    if root is None or _has_dtd_subset(root) or not parser.error_log:
        return root
    whole = etree.fromstring(raw, _parser(huge_tree=True))
    return root if whole is None else whole


def _has_dtd_subset(root: etree._Element) -> bool:
    dtd = root.getroottree().docinfo.internalDTD
    return dtd is not None and bool(list(dtd.entities()) or list(dtd.elements()))


def _feed_title(root: etree._Element) -> str | None:
    """The publisher's name: the channel (RSS/RDF) or feed (Atom) title, not an item's."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if _local(el.tag) in ("item", "entry"):
            return None
        if _local(el.tag) == "title" and el.getparent() is not None:
            parent = _local(el.getparent().tag)
            if parent in ("channel", "feed"):
                text = " ".join("".join(el.itertext()).split())
                return text or None
    return None


def _item_capture(
    origin: str, item: etree._Element, content_type: str, publisher: str | None, extra: dict[str, str]
) -> Capture | None:
    body, is_html = _content(item)
    if body is None:
        return None
    hints = dict(extra)
    if publisher:
        hints["source"] = publisher
    link = _link(item)
    if link:
        hints["url"] = link
    for hint, value in (
        ("title", _text_of(item, "title")),
        ("published", _published(item)),
        ("authors", "; ".join(_authors(item))),
        ("section", _text_of(item, "category") or _category_term(item)),
    ):
        if value:
            hints[hint] = value
    hints["html" if is_html else "text"] = body
    return Capture(
        origin=origin,
        raw=etree.tostring(item, encoding="utf-8"),
        format="html" if is_html else "text",
        url=link,
        content_type=content_type,
        hints=hints,
    )


def _content(item: etree._Element) -> tuple[str | None, bool]:
    """The item's full article and whether it is markup; (None, False) for a teaser or nothing."""
    for child in item:
        if not isinstance(child.tag, str):
            continue
        name = _local(child.tag)
        if name == "encoded" or (name == "content" and _is_atom(child)):
            kind = (child.get("type") or "html").lower()
            if kind == "xhtml":
                inner = "".join(etree.tostring(c, encoding="unicode") for c in child)
                return (inner.strip() or None), True
            text = (child.text or "").strip()
            if text:
                return text, kind != "text" and bool(_MARKUP.search(text) or name == "encoded")
    for child in item:
        if isinstance(child.tag, str) and _local(child.tag) in ("description", "summary"):
            text = (child.text or "").strip()
            if len(" ".join(_TAG.sub(" ", text).split())) > FULL_TEXT_CHARS:
                return text, bool(_MARKUP.search(text))
    return None, False


def _link(item: etree._Element) -> str | None:
    for child in item:
        if not isinstance(child.tag, str) or _local(child.tag) != "link":
            continue
        href = child.get("href")
        if href and (child.get("rel") or "alternate") == "alternate":
            return str(href).strip()
        if child.text and child.text.strip():
            return str(child.text).strip()
    about = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    if about:
        return str(about).strip()
    for child in item:
        if (
            isinstance(child.tag, str)
            and _local(child.tag) == "guid"
            and child.get("isPermaLink", "true") == "true"
        ):
            text = (child.text or "").strip()
            if text.startswith(("http://", "https://")):
                return text
    return None


def _published(item: etree._Element) -> str | None:
    for name in ("pubDate", "published", "date", "issued", "updated", "modified"):
        raw = _text_of(item, name)
        if not raw:
            continue
        iso = iso_datetime(raw)
        if iso:
            return iso
        try:
            return parsedate_to_datetime(raw).isoformat().replace("+00:00", "Z")
        except (TypeError, ValueError, IndexError):
            logger.debug("unparseable feed date %r", raw)
    return None


def _authors(item: etree._Element) -> list[str]:
    names: list[str] = []
    for child in item:
        if not isinstance(child.tag, str):
            continue
        name = _local(child.tag)
        if name == "author":
            inner = [c for c in child if isinstance(c.tag, str) and _local(c.tag) == "name"]
            text = (inner[0].text if inner else child.text) or ""
            names.append(_author_name(text))
        elif name == "creator":
            names.append((child.text or "").strip())
    return [n for n in names if n]


def _author_name(text: str) -> str:
    """RSS <author> is 'email (Name)' by the spec; keep the name."""
    text = text.strip()
    match = re.match(r"^\S+@\S+\s*\((.+)\)$", text)
    return match.group(1).strip() if match else text


def _text_of(item: etree._Element, name: str) -> str | None:
    for child in item:
        if isinstance(child.tag, str) and _local(child.tag) == name:
            text = "".join(child.itertext()).strip()
            if text:
                return text
    return None


def _category_term(item: etree._Element) -> str | None:
    for child in item:
        if isinstance(child.tag, str) and _local(child.tag) == "category" and child.get("term"):
            return str(child.get("term"))
    return None


def _is_atom(element: etree._Element) -> bool:
    return str(element.tag).startswith("{http://www.w3.org/2005/Atom}") or "}" not in str(element.tag)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].split(":")[-1]
