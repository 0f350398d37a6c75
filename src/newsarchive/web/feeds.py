"""What search engines and feed readers fetch: ``/robots.txt``, ``/sitemap.xml`` (a sitemap index),
``/sitemap-{YYYY-MM}.xml`` (one per month, split into ``-2``, ``-3`` … past 50,000 URLs) and Atom
feeds: ``/feeds/latest``, ``/feeds/sections/{name}`` and ``/feeds/search?q=…``.

The month sitemaps sit at the root: sitemaps.org lets a sitemap list only URLs under its own
directory, so one under ``/sitemaps/`` could not list ``/articles/…`` (the old addresses redirect).

XML is built with xml.etree, which escapes every text and attribute; archived text is hostile
input, so characters XML 1.0 cannot hold (NUL, most control characters) are dropped first.
URLs are absolute, from the address the request was made to (run behind a proxy that sets Host).
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from newsarchive.errors import NotFoundError
from newsarchive.model import Article, SearchHit
from newsarchive.web.api import Search, pool
from newsarchive.web.caching import conditional, freshness
from newsarchive.web.pages import article_url, section_url
from newsarchive.web.rights import public_filters, public_rights

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ATOM_NS = "http://www.w3.org/2005/Atom"
MAX_SITEMAP_URLS = 50_000
"""The sitemaps.org limit of URLs per sitemap file (the app may set ``state.sitemap_max_urls`` lower)."""
FEED_ENTRIES = 50
FEED_CACHE = "public, max-age=300"
SITEMAP_CACHE = "public, max-age=3600"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"

router = APIRouter(include_in_schema=False)

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SITEMAP_NAME = re.compile(r"(\d{4})-(0[1-9]|1[0-2])(?:-([1-9]\d*))?\.xml")
_TAGS = re.compile(r"</?b>")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def xml_text(value: object) -> str:
    """Archived text as XML 1.0 can carry it: characters it forbids (NUL, C0 controls, lone
    surrogates, U+FFFE/FFFF) removed; escaping is left to the serializer."""
    return _NOT_XML.sub("", str(value))


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _xml_response(root: ET.Element, media_type: str) -> Response:
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type=media_type)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    child = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        child.text = xml_text(text)
    return child


# -- robots.txt -------------------------------------------------------------------------------


@router.get("/robots.txt")
def robots(request: Request) -> Response:
    """Crawl the archive's pages, not its endless searches, API or raw captures; the sitemap lists them."""
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /api/",
        "Disallow: /search",
        "Disallow: /feeds/search",
        "Disallow: /articles/*/captures/",
        "Disallow: /articles/*/diff",
        "",
        f"Sitemap: {_base(request)}/sitemap.xml",
        "",
    ]
    return conditional(
        request, SITEMAP_CACHE, lambda: Response("\n".join(lines), media_type="text/plain; charset=utf-8")
    )


# -- sitemaps ---------------------------------------------------------------------------------


def _max_urls(request: Request) -> int:
    value = getattr(request.app.state, "sitemap_max_urls", MAX_SITEMAP_URLS)
    return max(1, min(int(value), MAX_SITEMAP_URLS))


def sitemap_names(months: dict[str, int], per_file: int) -> list[str]:
    """The month files of the index: ``2021-03.xml``, then ``2021-03-2.xml`` … for a month past ``per_file``."""
    names: list[str] = []
    for month, count in months.items():
        parts = max(1, -(-count // per_file))
        names.extend(f"{month}.xml" if part == 1 else f"{month}-{part}.xml" for part in range(1, parts + 1))
    return names


@router.get("/sitemap.xml")
def sitemap_index(request: Request) -> Response:
    """A sitemap index: one sitemap per month with dated articles."""

    def build() -> Response:
        with pool(request).borrow() as archive:
            months = archive.timeline("", by="month")
        root = ET.Element("sitemapindex", xmlns=SITEMAP_NS)
        base = _base(request)
        for name in sitemap_names(months, _max_urls(request)):
            entry = _sub(root, "sitemap")
            _sub(entry, "loc", f"{base}/sitemap-{name}")
        return _xml_response(root, XML_TYPE)

    return conditional(request, SITEMAP_CACHE, build)


@router.get("/sitemaps/{name}")
def sitemap_moved(name: str) -> Response:
    """Where month sitemaps were first served; a sitemap there may not list ``/articles/…``."""
    if _SITEMAP_NAME.fullmatch(name) is None:
        raise NotFoundError(f"no sitemap {name!r}; sitemaps are named sitemap-YYYY-MM.xml (see /sitemap.xml)")
    return RedirectResponse(f"/sitemap-{name}", status_code=301, headers={"Cache-Control": SITEMAP_CACHE})


@router.get("/sitemap-{name}")
def sitemap_month(request: Request, name: str) -> Response:
    """The article pages of one month (one part of it), each with when the archive last captured it."""
    match = _SITEMAP_NAME.fullmatch(name)
    if match is None:
        raise NotFoundError(f"no sitemap {name!r}; sitemaps are named sitemap-YYYY-MM.xml (see /sitemap.xml)")
    month = f"{match[1]}-{match[2]}"
    part = int(match[3] or 1)

    def build() -> Response:
        per_file = _max_urls(request)
        with pool(request).borrow() as archive:
            articles = list(
                itertools.islice(
                    archive.matches("", date_from=month, date_to=month),
                    (part - 1) * per_file,
                    part * per_file,
                )
            )
        if not articles:
            raise NotFoundError(
                f"no sitemap {name!r}: no articles dated {month}" + (f" part {part}" if part > 1 else "")
            )
        root = ET.Element("urlset", xmlns=SITEMAP_NS)
        base = _base(request)
        for article in articles:
            entry = _sub(root, "url")
            _sub(entry, "loc", base + article_url(article.id))
            lastmod = last_captured(article)
            if lastmod:
                _sub(entry, "lastmod", lastmod)
        return _xml_response(root, XML_TYPE)

    return conditional(request, SITEMAP_CACHE, build)


def w3c_datetime(value: str | None) -> str | None:
    """An ISO time or date as W3C Datetime (``2023-04-02T10:00:00Z`` or ``2023-04-02``); None if unreadable."""
    if not value:
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text).isoformat()
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def last_captured(article: Article) -> str | None:
    """When the archive last took in a capture of the article (its sitemap ``lastmod``), else its date."""
    times = [w3c_datetime(ref.ingested_at) for ref in article.captures]
    known = sorted(t for t in times if t)
    return known[-1] if known else w3c_datetime(article.published)


# -- Atom feeds -------------------------------------------------------------------------------


def atom_time(published: str | None) -> str | None:
    """A publication date as an RFC 3339 time (midnight UTC for a bare date); None when undated or partial."""
    stamp = w3c_datetime(published)
    if stamp is None:
        return None
    return stamp if "T" in stamp else stamp + "T00:00:00Z"


def plain_snippet(snippet: str) -> str:
    """A search snippet (escaped text with ``<b>`` highlights) as plain text for a feed summary."""
    return html.unescape(_TAGS.sub("", snippet))


def self_url(request: Request) -> str:
    """The feed's own address as an IRI (its id and rel=self link): path and query re-encoded, so
    a space, ``<`` or quote the client sent raw cannot make it an invalid IRI."""
    url = _base(request) + quote(request.url.path, safe="/")
    query = parse_qsl(request.url.query, keep_blank_values=True)
    return url + ("?" + urlencode(query) if query else "")


def atom_feed(
    request: Request, title: str, hits: Iterable[SearchHit], updated: str, html_url: str
) -> Response:
    """An Atom 1.0 feed: id, title, updated, author and self link; each entry with id, title,
    updated, link, its language as xml:lang (when a valid tag) and (when known) section and
    summary, all as escaped text."""
    base = _base(request)
    feed = ET.Element("feed", xmlns=ATOM_NS)
    own_url = self_url(request)
    _sub(feed, "id", own_url)
    _sub(feed, "title", title)
    updated_at = _sub(feed, "updated", updated)
    author = _sub(feed, "author")
    _sub(author, "name", "newsarchive")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=own_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=base + html_url)
    _sub(feed, "generator", "newsarchive")
    newest: str | None = None
    for hit in hits:
        entry = _sub(feed, "entry")
        if hit.language and _LANGUAGE_TAG.fullmatch(hit.language):
            entry.set(XML_LANG, hit.language)
        link = base + article_url(hit.id)
        when = atom_time(hit.published) or updated
        newest = max(newest or when, when)
        _sub(entry, "id", link)
        _sub(entry, "title", hit.title or "(untitled)", type="text")
        _sub(entry, "updated", when)
        if atom_time(hit.published):
            _sub(entry, "published", when)
        _sub(entry, "link", rel="alternate", type="text/html", href=link)
        if hit.source:
            source_author = _sub(entry, "author")
            _sub(source_author, "name", hit.source)
        if hit.section:
            _sub(entry, "category", term=hit.section)
        if hit.snippet:
            _sub(entry, "summary", plain_snippet(hit.snippet), type="text")
    if newest:
        updated_at.text = newest
    return _xml_response(feed, ATOM_TYPE)


def _feed_updated(request: Request) -> str:
    """A feed's ``updated`` when no entry is dated: when this server first saw the archive as it is."""
    return freshness(request).since.strftime("%Y-%m-%dT%H:%M:%SZ")


def _feed(request: Request, title: str, html_url: str, query: str = "", **filters: Any) -> Response:
    def build() -> Response:
        with pool(request).borrow() as archive:
            result = archive.search(
                query, sort="date", per_page=FEED_ENTRIES, facets=False, **public_filters(request, filters)
            )
        hits = public_rights(request).result(result).hits
        return atom_feed(request, title, hits, _feed_updated(request), html_url)

    return conditional(request, FEED_CACHE, build)


@router.get("/feeds/latest")
def latest_feed(request: Request) -> Response:
    """The newest articles of the whole archive (by publication date)."""
    return _feed(request, "newsarchive: latest articles", "/")


@router.get("/feeds/sections")
def section_feed_by_name(request: Request, name: str | None = None) -> Response:
    """``?name=`` for a section whose name cannot be a path segment."""
    if name is None or not name.strip():
        return RedirectResponse("/sections", status_code=302)
    return section_feed(request, name)


@router.get("/feeds/sections/{name:path}")
def section_feed(request: Request, name: str) -> Response:
    """The newest articles of one section."""
    return _feed(request, f"newsarchive: {name}", section_url(name), section=(name,))


@router.get("/feeds/search")
def search_feed(request: Request, params: Search) -> Response:
    """The newest matches of a search (same parameters as ``/search``; always newest first)."""
    filters = params.timeline_filters()
    items = [(k, v) for k, v in params.query_items() if k not in ("sort", "page")]
    title = f"newsarchive: {params.q}" if params.q else "newsarchive: search"
    return _feed(request, title, "/search?" + urlencode([*items, ("sort", "date")]), params.q, **filters)
