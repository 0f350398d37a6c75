"""Atom feeds validated against RFC 4287 and sitemaps against the sitemaps.org protocol, over an
archive of hostile titles, sources, sections and URLs (ampersands, ``<``, ``]]>``, control
characters, right-to-left text and overrides, a forged language).

Atom: a RELAX NG grammar we wrote from RFC 4287's element definitions (§3, §4: cardinalities,
text and date constructs, common attributes, extension elements) checked by lxml, plus the rules a
grammar cannot say (§4.1.1–4.1.2: author on the feed or on every entry, one rel=alternate link per
type and hreflang, absolute IRIs, unique entry ids, real RFC 3339 dates). Sitemaps: namespaces,
element set, ≤ 50,000 entries and ≤ 50 MB uncompressed per file, UTF-8, ``<loc>`` absolute,
URL- and entity-escaped, < 2,048 characters, on the sitemap's host and under its folder, and
``<lastmod>`` in W3C Datetime. Each checker is also shown rejecting a document that breaks it.
"""

from __future__ import annotations

import datetime as dt
import http.client
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest
from lxml import etree

from newsarchive.settings import Settings
from newsarchive.web import create_app
from newsarchive.web.feeds import xml_text
from newsarchive.web.pages import section_feed_url

from .conftest import archive_of_rows, live_server

ATOM_NS = "http://www.w3.org/2005/Atom"
SM_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
A = "{" + ATOM_NS + "}"
SM = "{" + SM_NS + "}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PUBLIC_HOST = "archive.example"

# RFC 4287 in RELAX NG (XML syntax), written from the RFC's prose and element definitions.
ATOM_GRAMMAR = """\
<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://www.w3.org/2005/Atom"
         datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><ref name="feed"/></start>

  <define name="commonAttributes">
    <optional><attribute><name ns="http://www.w3.org/XML/1998/namespace">base</name><text/></attribute></optional>
    <optional><attribute><name ns="http://www.w3.org/XML/1998/namespace">lang</name><ref name="languageTag"/></attribute></optional>
    <zeroOrMore><ref name="undefinedAttribute"/></zeroOrMore>
  </define>
  <define name="undefinedAttribute">
    <attribute>
      <anyName><except>
        <name ns="http://www.w3.org/XML/1998/namespace">base</name>
        <name ns="http://www.w3.org/XML/1998/namespace">lang</name>
        <nsName ns=""/>
      </except></anyName>
      <text/>
    </attribute>
  </define>
  <define name="languageTag">
    <data type="string"><param name="pattern">[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*</param></data>
  </define>
  <define name="mediaType">
    <data type="string"><param name="pattern">.+/.+</param></data>
  </define>
  <define name="anything">
    <zeroOrMore><choice>
      <attribute><anyName/><text/></attribute>
      <text/>
      <element><anyName/><ref name="anything"/></element>
    </choice></zeroOrMore>
  </define>
  <define name="extensionElement">
    <element>
      <anyName><except><nsName ns="http://www.w3.org/2005/Atom"/></except></anyName>
      <ref name="anything"/>
    </element>
  </define>
  <define name="undefinedContent">
    <zeroOrMore><choice><text/><ref name="extensionElement"/></choice></zeroOrMore>
  </define>

  <define name="textConstruct">
    <ref name="commonAttributes"/>
    <choice>
      <group>
        <optional><attribute name="type"><choice><value>text</value><value>html</value></choice></attribute></optional>
        <text/>
      </group>
      <group>
        <attribute name="type"><value>xhtml</value></attribute>
        <element><name ns="http://www.w3.org/1999/xhtml">div</name><ref name="anything"/></element>
      </group>
    </choice>
  </define>
  <define name="personConstruct">
    <ref name="commonAttributes"/>
    <interleave>
      <element name="name"><text/></element>
      <optional><element name="uri"><text/></element></optional>
      <optional><element name="email"><data type="string"><param name="pattern">[^@\\s]+@[^@\\s]+</param></data></element></optional>
      <zeroOrMore><ref name="extensionElement"/></zeroOrMore>
    </interleave>
  </define>
  <define name="dateConstruct">
    <ref name="commonAttributes"/>
    <data type="dateTime">
      <param name="pattern">\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+\\-]\\d{2}:\\d{2})</param>
    </data>
  </define>

  <define name="author"><element name="author"><ref name="personConstruct"/></element></define>
  <define name="contributor"><element name="contributor"><ref name="personConstruct"/></element></define>
  <define name="category">
    <element name="category">
      <ref name="commonAttributes"/>
      <attribute name="term"/>
      <optional><attribute name="scheme"/></optional>
      <optional><attribute name="label"/></optional>
      <ref name="undefinedContent"/>
    </element>
  </define>
  <define name="generator">
    <element name="generator">
      <ref name="commonAttributes"/>
      <optional><attribute name="uri"/></optional>
      <optional><attribute name="version"/></optional>
      <text/>
    </element>
  </define>
  <define name="icon"><element name="icon"><ref name="commonAttributes"/><text/></element></define>
  <define name="logo"><element name="logo"><ref name="commonAttributes"/><text/></element></define>
  <define name="id"><element name="id"><ref name="commonAttributes"/><text/></element></define>
  <define name="link">
    <element name="link">
      <ref name="commonAttributes"/>
      <attribute name="href"/>
      <optional><attribute name="rel"/></optional>
      <optional><attribute name="type"><ref name="mediaType"/></attribute></optional>
      <optional><attribute name="hreflang"><ref name="languageTag"/></attribute></optional>
      <optional><attribute name="title"/></optional>
      <optional><attribute name="length"><data type="nonNegativeInteger"/></attribute></optional>
      <ref name="undefinedContent"/>
    </element>
  </define>
  <define name="title"><element name="title"><ref name="textConstruct"/></element></define>
  <define name="subtitle"><element name="subtitle"><ref name="textConstruct"/></element></define>
  <define name="rights"><element name="rights"><ref name="textConstruct"/></element></define>
  <define name="summary"><element name="summary"><ref name="textConstruct"/></element></define>
  <define name="updated"><element name="updated"><ref name="dateConstruct"/></element></define>
  <define name="published"><element name="published"><ref name="dateConstruct"/></element></define>
  <define name="content">
    <element name="content">
      <ref name="commonAttributes"/>
      <optional><attribute name="type"/></optional>
      <optional><attribute name="src"/></optional>
      <zeroOrMore><choice><text/><element><anyName/><ref name="anything"/></element></choice></zeroOrMore>
    </element>
  </define>
  <define name="source">
    <element name="source">
      <ref name="commonAttributes"/>
      <interleave>
        <zeroOrMore><ref name="author"/></zeroOrMore>
        <zeroOrMore><ref name="category"/></zeroOrMore>
        <zeroOrMore><ref name="contributor"/></zeroOrMore>
        <optional><ref name="generator"/></optional>
        <optional><ref name="icon"/></optional>
        <optional><ref name="id"/></optional>
        <zeroOrMore><ref name="link"/></zeroOrMore>
        <optional><ref name="logo"/></optional>
        <optional><ref name="rights"/></optional>
        <optional><ref name="subtitle"/></optional>
        <optional><ref name="title"/></optional>
        <optional><ref name="updated"/></optional>
        <zeroOrMore><ref name="extensionElement"/></zeroOrMore>
      </interleave>
    </element>
  </define>
  <define name="entry">
    <element name="entry">
      <ref name="commonAttributes"/>
      <interleave>
        <zeroOrMore><ref name="author"/></zeroOrMore>
        <zeroOrMore><ref name="category"/></zeroOrMore>
        <optional><ref name="content"/></optional>
        <zeroOrMore><ref name="contributor"/></zeroOrMore>
        <ref name="id"/>
        <zeroOrMore><ref name="link"/></zeroOrMore>
        <optional><ref name="published"/></optional>
        <optional><ref name="rights"/></optional>
        <optional><ref name="source"/></optional>
        <optional><ref name="summary"/></optional>
        <ref name="title"/>
        <ref name="updated"/>
        <zeroOrMore><ref name="extensionElement"/></zeroOrMore>
      </interleave>
    </element>
  </define>
  <define name="feed">
    <element name="feed">
      <ref name="commonAttributes"/>
      <interleave>
        <zeroOrMore><ref name="author"/></zeroOrMore>
        <zeroOrMore><ref name="category"/></zeroOrMore>
        <zeroOrMore><ref name="contributor"/></zeroOrMore>
        <optional><ref name="generator"/></optional>
        <optional><ref name="icon"/></optional>
        <ref name="id"/>
        <zeroOrMore><ref name="link"/></zeroOrMore>
        <optional><ref name="logo"/></optional>
        <optional><ref name="rights"/></optional>
        <optional><ref name="subtitle"/></optional>
        <ref name="title"/>
        <ref name="updated"/>
        <zeroOrMore><ref name="extensionElement"/></zeroOrMore>
      </interleave>
      <zeroOrMore><ref name="entry"/></zeroOrMore>
    </element>
  </define>
</grammar>
"""

RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
W3C_DATETIME = re.compile(r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
# RFC 3987: characters an IRI may not hold (besides controls and spaces); a URI is also ASCII
NOT_IN_IRI = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f-\x9f]")
MAX_SITEMAP_ENTRIES = 50_000
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
MAX_LOC_CHARS = 2048
SITEMAP_CHILDREN = {"sitemapindex": ("sitemap", {"loc", "lastmod"}), "urlset": ("url", {"loc", "lastmod", "changefreq", "priority"})}  # fmt: skip


# -- the checkers -------------------------------------------------------------------------------


def strict_parse(body: bytes) -> etree._Element:
    """Parse as a feed reader should: no DTD, no entities, no network, no recovery from errors."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, recover=False, huge_tree=False
    )
    root = etree.fromstring(body, parser)
    docinfo = root.getroottree().docinfo
    assert not docinfo.doctype, "a DOCTYPE in a feed or sitemap"
    assert (docinfo.encoding or "").lower() == "utf-8"
    return root


def check_iri(value: str | None, what: str) -> str:
    """An absolute http(s) IRI without characters an IRI cannot hold."""
    assert value, f"{what} is empty"
    parts = urlsplit(value)
    assert parts.scheme in ("http", "https") and parts.netloc, f"{what} is not absolute: {value!r}"
    assert not NOT_IN_IRI.search(value), f"{what} holds a character an IRI cannot: {value!r}"
    return value


def check_rfc3339(value: str | None, what: str) -> dt.datetime:
    assert value and RFC3339.fullmatch(value), f"{what} is not an RFC 3339 date-time: {value!r}"
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))  # a real day and time


def _alternates_unique(parent: etree._Element, what: str) -> list[etree._Element]:
    """§4.1.1/§4.1.2: no two rel=alternate links with the same type and hreflang."""
    alternates = [x for x in parent.findall(f"{A}link") if x.get("rel", "alternate") == "alternate"]
    keys = [(x.get("type"), x.get("hreflang")) for x in alternates]
    assert len(keys) == len(set(keys)), f"{what}: two alternate links of one type and language"
    return alternates


def validate_atom(body: bytes, grammar: etree.RelaxNG) -> etree._Element:
    """An Atom Feed Document per RFC 4287; returns the parsed feed."""
    feed = strict_parse(body)
    if not grammar.validate(feed):
        raise AssertionError(f"not Atom (RFC 4287): {grammar.error_log.last_error}")
    check_iri(feed.findtext(f"{A}id"), "feed id")
    feed_updated = check_rfc3339(feed.findtext(f"{A}updated"), "feed updated")
    for link in feed.iter(f"{A}link"):
        check_iri(link.get("href"), "link href")
    selfs = [x for x in feed.findall(f"{A}link") if x.get("rel") == "self"]
    assert len(selfs) == 1, "a feed should have one rel=self link (§4.2.7.2)"
    _alternates_unique(feed, "feed")
    feed_author = feed.find(f"{A}author") is not None
    ids: list[str] = []
    for entry in feed.findall(f"{A}entry"):
        entry_id = check_iri(entry.findtext(f"{A}id"), "entry id")
        ids.append(entry_id)
        updated = check_rfc3339(entry.findtext(f"{A}updated"), "entry updated")
        assert updated <= feed_updated, "an entry updated after its feed"
        published = entry.findtext(f"{A}published")
        if published is not None:
            check_rfc3339(published, "entry published")
        assert feed_author or entry.find(f"{A}author") is not None, f"{entry_id}: no author (§4.1.1)"
        alternates = _alternates_unique(entry, entry_id)
        if entry.find(f"{A}content") is None:
            assert alternates, f"{entry_id}: no content and no rel=alternate link (§4.1.2)"
    for element in feed.iter():
        lang = element.get(XML_LANG)
        assert lang is None or LANGUAGE_TAG.fullmatch(lang), f"xml:lang {lang!r} is no language tag"
    assert len(ids) == len(set(ids)), "two entries with one id"
    return feed


def _raw_locs(body: bytes) -> list[str]:
    return re.findall(r"<loc>(.*?)</loc>", body.decode("utf-8"), flags=re.S)


def validate_sitemap(body: bytes, url: str, kind: str) -> list[tuple[str, str | None]]:
    """A sitemaps.org sitemap index (``kind="sitemapindex"``) or urlset fetched from ``url``;
    returns (loc, lastmod) of each entry."""
    assert len(body) <= MAX_SITEMAP_BYTES, f"{url}: over 50 MB uncompressed"
    body.decode("utf-8")  # must be UTF-8
    root = strict_parse(body)
    assert root.tag == f"{SM}{kind}", f"{url}: root is {root.tag}, not {kind} in {SM_NS}"
    child, allowed = SITEMAP_CHILDREN[kind]
    entries = list(root)
    assert len(entries) <= MAX_SITEMAP_ENTRIES, f"{url}: {len(entries)} entries, over 50,000"
    # entity-escaped: every & in the raw text starts one of XML's five entities or a character reference
    for raw in _raw_locs(body):
        assert not re.search(r"&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)", raw), f"raw & in {raw!r}"
        assert "<" not in raw and ">" not in raw and '"' not in raw and "'" not in raw, raw
    here = urlsplit(url)
    folder = here.path.rsplit("/", 1)[0] + "/"
    out = []
    for entry in entries:
        assert entry.tag == f"{SM}{child}", f"{url}: unexpected element {entry.tag}"
        tags = [e.tag.removeprefix(SM) for e in entry]
        assert set(tags) <= allowed and len(tags) == len(set(tags)), f"{url}: {tags}"
        loc = entry.findtext(f"{SM}loc")
        assert loc and len(loc) < MAX_LOC_CHARS, f"{url}: loc missing or 2,048 characters or more"
        assert loc.isascii() and not NOT_IN_IRI.search(loc), f"{url}: loc not URL-escaped: {loc!r}"
        parts = urlsplit(loc)
        assert parts.scheme in ("http", "https") and parts.netloc, f"{url}: relative loc {loc!r}"
        assert (parts.scheme, parts.netloc) == (here.scheme, here.netloc), f"{loc} is on another host"
        assert parts.path.startswith(folder), f"{loc} is outside {folder}, where {url} may list URLs"
        lastmod = entry.findtext(f"{SM}lastmod")
        if lastmod is not None:
            assert W3C_DATETIME.fullmatch(lastmod), f"{url}: lastmod {lastmod!r} is not a W3C Datetime"
            if "T" in lastmod:
                dt.datetime.fromisoformat(lastmod.replace("Z", "+00:00"))
            else:
                dt.date.fromisoformat((lastmod + "-01-01")[:10])
        out.append((loc, lastmod))
    return out


# -- the hostile archive ------------------------------------------------------------------------

HOSTILE_ROWS = [
    {
        "url": 'https://herald.example/food?a=1&b=<2>&c="3"',
        "title": "Fish & chips <b>bold</b> ]]> \x01\x08\x0b\x1b\x7f\x85 café &amp; co",
        "date": "2021-01-05",
        "section": "Food & <Drink>",
        "source": 'Herald & "Times" <Ltd>',
        "language": "en-GB",
    },
    {
        "url": "https://herald.example/مقال/جسر",
        "title": "افتتاح الجسر الجديد ‮ reversed ‏ & <more>",
        "date": "2021-01-07",
        "section": "محلي",
        "source": "صحيفة & Co",
        "language": "ar",
    },
    {
        "url": "https://herald.example/x y/%3Cz%3E",
        "title": "שלום <script>alert('x')</script> \u2066isolate\u2069",
        "date": "2021-02-10",
        "section": "Food & <Drink>",
        "source": 'Herald & "Times" <Ltd>',
        "language": 'en" onmouseover="alert(1)',
    },
    {
        "url": "https://herald.example/undated",
        "title": "Undated & <unknown>",
        "section": "Food & <Drink>",
        "source": 'Herald & "Times" <Ltd>',
        "language": "en",
    },
] + [
    {
        "url": f"https://herald.example/local/{n}?x=1&y=2",
        "title": f"Harbour story {n} & <friends>",
        "date": f"2021-03-{n + 1:02d}",
        "section": "Local",
        "source": 'Herald & "Times" <Ltd>',
        "language": "en",
    }
    for n in range(6)
]


@pytest.fixture(scope="module")
def hostile_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    body = "The harbour board met on {n}; residents asked about fares, ferries and the new pier. "
    rows = [
        {**row, "text": (body.format(n=n) * 4) + "\n\n" + row["title"]} for n, row in enumerate(HOSTILE_ROWS)
    ]
    return archive_of_rows(tmp_path_factory.mktemp("feedvalidation"), rows)


@pytest.fixture(scope="module")
def server(hostile_archive: Path) -> Iterator[str]:
    app = create_app(hostile_archive, Settings(), allowed_hosts=("127.0.0.1", PUBLIC_HOST))
    app.state.sitemap_max_urls = 4  # so a month of six is split into files
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="module")
def grammar() -> etree.RelaxNG:
    return etree.RelaxNG(etree.fromstring(ATOM_GRAMMAR.encode()))


HOSTS = {"direct": {}, "proxied": {"Host": PUBLIC_HOST, "X-Forwarded-Proto": "https"}}


@pytest.fixture(scope="module", params=list(HOSTS))
def reader(server: str, request: pytest.FixtureRequest) -> Iterator[tuple[httpx.Client, str]]:
    """A client of the server, direct or as a proxy passing the public host; and the base URL its
    absolute links must carry."""
    headers = HOSTS[request.param]
    public = f"https://{PUBLIC_HOST}" if headers else server
    with httpx.Client(base_url=server, headers=headers, timeout=30) as client:
        yield client, public


def _hits(client: httpx.Client, **params: str) -> list[dict[str, str]]:
    found = client.get("/api/search", params={"sort": "date", "per_page": "100", **params}).json()
    hits: list[dict[str, str]] = found["hits"]
    return hits


# -- feeds ----------------------------------------------------------------------------------------


def _feed_paths(client: httpx.Client) -> list[str]:
    sections = client.get("/api/search", params={"per_page": "1"}).json()["facets"]["section"]
    assert "Food & <Drink>" in sections and "محلي" in sections
    return [
        "/feeds/latest",
        *(section_feed_url(name) for name in sections),
        "/feeds/search?" + str(httpx.QueryParams({"q": "harbour", "source": 'Herald & "Times" <Ltd>'})),
        "/feeds/search?q=%D8%A7%D9%84%D8%AC%D8%B3%D8%B1",
        "/feeds/sections/No%20such%20%26%20section",
    ]


def test_every_feed_is_valid_atom(reader: tuple[httpx.Client, str], grammar: etree.RelaxNG) -> None:
    client, public = reader
    for path in _feed_paths(client):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
        feed = validate_atom(response.content, grammar)
        assert feed.findtext(f"{A}id", "").startswith(public + "/feeds/"), path
        (self_link,) = [x for x in feed.findall(f"{A}link") if x.get("rel") == "self"]
        assert self_link.get("href") == feed.findtext(f"{A}id")
        for entry in feed.findall(f"{A}entry"):
            assert entry.findtext(f"{A}id", "").startswith(public + "/articles/")


def test_hostile_text_survives_escaped_in_feeds(
    reader: tuple[httpx.Client, str], grammar: etree.RelaxNG
) -> None:
    """Each title, source and section reads back as the archive holds it, minus the characters XML
    1.0 cannot carry; nothing archived becomes markup."""
    client, _ = reader
    hits = {h["id"]: h for h in _hits(client)}
    response = client.get("/feeds/latest")
    assert b"<script" not in response.content and b"<b>" not in response.content
    assert b"<Drink>" not in response.content and b"<Ltd>" not in response.content
    feed = validate_atom(response.content, grammar)
    entries = feed.findall(f"{A}entry")
    assert len(entries) == len(HOSTILE_ROWS)
    for entry in entries:
        hit = hits[entry.findtext(f"{A}id", "").rsplit("/", 1)[-1]]
        assert entry.findtext(f"{A}title") == xml_text(hit["title"])
        assert entry.findtext(f"{A}author/{A}name") == xml_text(hit["source"])
        category = entry.find(f"{A}category")
        assert category is not None and category.get("term") == xml_text(hit["section"])
    titles = [e.findtext(f"{A}title", "") for e in entries]
    assert any("Fish & chips <b>bold</b> ]]>" in t for t in titles)
    assert any("\u202e" in t for t in titles)  # a bidi override is text, kept as written


def test_entries_carry_their_language_when_it_is_a_language_tag(
    reader: tuple[httpx.Client, str], grammar: etree.RelaxNG
) -> None:
    client, _ = reader
    languages = {h["id"]: h["language"] for h in _hits(client)}
    feed = validate_atom(client.get("/feeds/latest").content, grammar)
    seen = {}
    for entry in feed.findall(f"{A}entry"):
        seen[languages[entry.findtext(f"{A}id", "").rsplit("/", 1)[-1]]] = entry.get(XML_LANG)
    assert seen["ar"] == "ar" and seen["en-GB"] == "en-GB"
    forged = [lang for lang in seen if lang and '"' in lang]
    assert forged and all(seen[lang] is None for lang in forged)  # the forged language is not written


def test_a_raw_query_still_gives_an_iri_as_the_feed_id(server: str, grammar: etree.RelaxNG) -> None:
    """A client may send ``<``, quotes, braces and spaces unescaped in the query or path; the
    feed's id and self link must still be IRIs (§4.2.6)."""
    host, port = urlsplit(server).netloc.split(":")
    for target in (
        "/feeds/search?q=harbour<x>{|}^`&source=Herald%20%26%20%22Times%22%20%3CLtd%3E",
        "/feeds/sections/Food%20%26%20%3CDrink%3E",
    ):
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            connection.request("GET", target)
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        assert response.status == 200, body[:300]
        feed = validate_atom(body, grammar)
        feed_id = feed.findtext(f"{A}id", "")
        assert httpx.get(feed_id, timeout=30).content == body  # the id is the feed's own address
    assert feed_id == server + "/feeds/sections/" + quote("Food & <Drink>", safe="")


# -- sitemaps -------------------------------------------------------------------------------------


def test_sitemap_index_and_every_sitemap_follow_the_protocol(reader: tuple[httpx.Client, str]) -> None:
    client, public = reader
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    files = validate_sitemap(index.content, public + "/sitemap.xml", "sitemapindex")
    assert len(files) >= 3  # January, February, March split in two
    listed: list[str] = []
    for loc, _ in files:
        response = client.get(loc.removeprefix(public))
        assert response.status_code == 200, loc
        assert response.headers["content-type"].startswith("application/xml")
        urls = validate_sitemap(response.content, loc, "urlset")
        assert 0 < len(urls) <= 4
        for url, lastmod in urls:
            assert lastmod is not None
            assert dt.datetime.fromisoformat(lastmod.replace("Z", "+00:00")) <= dt.datetime.now(dt.UTC)
            listed.append(url)
    assert len(listed) == len(set(listed))
    dated = [h for h in _hits(client) if h["published"]]
    assert sorted(listed) == sorted(public + "/articles/" + h["id"] for h in dated)
    for url in listed:
        assert client.get(url.removeprefix(public)).status_code == 200


def test_the_first_sitemap_addresses_redirect_to_the_root(reader: tuple[httpx.Client, str]) -> None:
    client, _ = reader
    moved = client.get("/sitemaps/2021-01.xml")
    assert moved.status_code == 301 and moved.headers["location"] == "/sitemap-2021-01.xml"
    assert client.get("/sitemaps/nonsense.xml").status_code == 404


# -- the checkers reject what breaks the rules ----------------------------------------------------

GOOD_FEED = f"""<?xml version='1.0' encoding='utf-8'?>
<feed xmlns="{ATOM_NS}"><id>https://a.example/feed</id><title>t</title>
<updated>2021-01-02T00:00:00Z</updated><author><name>n</name></author>
<link rel="self" href="https://a.example/feed"/>
<entry><id>https://a.example/1</id><title>one</title><updated>2021-01-01T00:00:00Z</updated>
<link rel="alternate" type="text/html" href="https://a.example/1"/></entry></feed>"""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("<id>https://a.example/feed</id>", ""),  # no feed id
        ("<title>one</title>", ""),  # no entry title
        ("2021-01-01T00:00:00Z", "2021-01-01T00:00:00"),  # no time zone
        ("2021-01-01T00:00:00Z", "2021-13-01T00:00:00Z"),  # no such month
        ("2021-01-02T00:00:00Z", "2020-12-31T00:00:00Z"),  # an entry newer than its feed
        ("<author><name>n</name></author>", ""),  # no author anywhere
        ("<entry><id>https://a.example/1</id>", '<entry xml:lang="en&quot;x"><id>https://a.example/1</id>'),
        ("<id>https://a.example/1</id>", "<id>/1</id>"),  # relative id
        ("<id>https://a.example/1</id>", "<id>https://a.example/a b</id>"),  # not an IRI
        ('<link rel="alternate" type="text/html" href="https://a.example/1"/>', ""),  # no alternate
        ("<title>t</title>", "<title>t</title><title>u</title>"),  # two titles
        ("<title>one</title>", '<title type="markdown">one</title>'),
        ('<link rel="self" href="https://a.example/feed"/>', ""),  # no self link
    ],
)
def test_the_atom_checker_rejects_broken_feeds(grammar: etree.RelaxNG, old: str, new: str) -> None:
    validate_atom(GOOD_FEED.encode(), grammar)  # the untouched document passes
    assert old in GOOD_FEED
    with pytest.raises((AssertionError, etree.XMLSyntaxError)):
        validate_atom(GOOD_FEED.replace(old, new, 1).encode(), grammar)


def test_the_atom_checker_rejects_duplicate_entry_ids(grammar: etree.RelaxNG) -> None:
    entry = GOOD_FEED[GOOD_FEED.index("<entry>") : GOOD_FEED.index("</feed>")]
    with pytest.raises(AssertionError, match="two entries with one id"):
        validate_atom(GOOD_FEED.replace("</feed>", entry + "</feed>").encode(), grammar)


GOOD_URLSET = f"""<?xml version='1.0' encoding='utf-8'?>
<urlset xmlns="{SM_NS}"><url><loc>https://a.example/articles/1?a=1&amp;b=2</loc>
<lastmod>2021-01-01T10:00:00Z</lastmod></url></urlset>"""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("https://a.example/articles/1?a=1&amp;b=2", "/articles/1"),  # relative
        ("https://a.example/articles/1?a=1&amp;b=2", "https://b.example/articles/1"),  # another host
        ("https://a.example/articles/1?a=1&amp;b=2", "https://a.example/other/1"),  # outside its folder
        ("https://a.example/articles/1?a=1&amp;b=2", "https://a.example/articles/é"),  # not URL-escaped
        ("https://a.example/articles/1?a=1&amp;b=2", "https://a.example/articles/" + "x" * 2048),
        ("2021-01-01T10:00:00Z", "2021-01-01 10:00"),  # not W3C Datetime
        ("2021-01-01T10:00:00Z", "2021-02-30"),  # no such day
        (SM_NS, "http://www.google.com/schemas/sitemap/0.84"),  # the wrong namespace
        ("<lastmod>", "<lastmod>2021-01-01</lastmod><lastmod>"),  # two lastmods
        ("</url>", "<loc>https://a.example/articles/2</loc></url>"),  # two locs in one url
    ],
)
def test_the_sitemap_checker_rejects_broken_sitemaps(old: str, new: str) -> None:
    where = "https://a.example/articles/sitemap.xml"
    validate_sitemap(GOOD_URLSET.encode(), where, "urlset")
    validate_sitemap(
        GOOD_URLSET.replace("<lastmod>", "<priority>0.5</priority><lastmod>").encode(), where, "urlset"
    )
    assert old in GOOD_URLSET
    with pytest.raises((AssertionError, etree.XMLSyntaxError, ValueError)):
        validate_sitemap(GOOD_URLSET.replace(old, new, 1).encode(), where, "urlset")


def test_the_sitemap_checker_rejects_raw_ampersands_and_too_many_urls() -> None:
    where = "https://a.example/sitemap.xml"
    raw = GOOD_URLSET.replace("&amp;", "&").encode()
    with pytest.raises(etree.XMLSyntaxError):  # not even XML
        validate_sitemap(raw, where, "urlset")
    url = "<url><loc>https://a.example/articles/1</loc></url>"
    many = f"<urlset xmlns='{SM_NS}'>{url * (MAX_SITEMAP_ENTRIES + 1)}</urlset>".encode()
    with pytest.raises(AssertionError, match="over 50,000"):
        validate_sitemap(many, where, "urlset")
    assert len(validate_sitemap(many.replace(url.encode(), b"", 1), where, "urlset")) == MAX_SITEMAP_ENTRIES
