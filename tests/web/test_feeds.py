"""robots.txt, the sitemap index and month sitemaps (sitemaps.org rules), Atom feeds parsed strictly,
hostile archived text escaped, and 304 revalidation; a real server over our fixtures."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from newsarchive.settings import Settings
from newsarchive.web import create_app
from newsarchive.web.feeds import MAX_SITEMAP_URLS, sitemap_names, w3c_datetime, xml_text
from newsarchive.web.pages import section_feed_url

from .conftest import live_server

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
W3C_DATETIME = re.compile(r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?")
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
HOSTILE_TITLE = "Ferry strike <script>alert('xss-title')</script><img src=x onerror=alert('xss-img')>"


def _xml(response: httpx.Response) -> ET.Element:
    assert response.status_code == 200, response.text[:500]
    return ET.fromstring(response.content)  # raises on anything not well-formed


def _sitemap_urls(client: httpx.Client, base_url: str) -> dict[str, list[ET.Element]]:
    index = _xml(client.get("/sitemap.xml"))
    out = {}
    for loc in index.iter(f"{SM}loc"):
        assert loc.text and loc.text.startswith(base_url + "/sitemap-")
        out[loc.text] = list(_xml(client.get(loc.text.removeprefix(base_url))).iter(f"{SM}url"))
    return out


def test_robots_points_to_the_sitemap(client: httpx.Client, base_url: str) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {base_url}/sitemap.xml" in lines
    assert "Disallow: /api/" in lines and "Disallow: /search" in lines


def test_sitemap_index_follows_the_sitemaps_rules(client: httpx.Client, base_url: str) -> None:
    response = client.get("/sitemap.xml")
    assert response.headers["content-type"].startswith("application/xml")
    index = _xml(response)
    assert index.tag == f"{SM}sitemapindex"
    entries = index.findall(f"{SM}sitemap")
    assert entries and len(entries) <= 50_000
    assert len(response.content) <= 50 * 1024 * 1024
    for entry in entries:
        (loc,) = entry.findall(f"{SM}loc")
        assert re.fullmatch(re.escape(base_url) + r"/sitemap-\d{4}-\d{2}\.xml", loc.text or "")
        for lastmod in entry.findall(f"{SM}lastmod"):
            assert W3C_DATETIME.fullmatch(lastmod.text or "")
    months = {(loc.text or "").rsplit("/sitemap-", 1)[-1][:7] for loc in index.iter(f"{SM}loc")}
    assert {"2016-03", "2021-01", "2022-03"} <= months


def test_month_sitemaps_list_every_dated_article_once(client: httpx.Client, base_url: str) -> None:
    by_file = _sitemap_urls(client, base_url)
    seen: list[str] = []
    for file_url, urls in by_file.items():
        assert 0 < len(urls) <= MAX_SITEMAP_URLS
        month = file_url.rsplit("/sitemap-", 1)[-1][:7]
        total = client.get("/api/search", params={"from": month, "to": month}).json()["total"]
        assert len(urls) == total
        for url in urls:
            (loc,) = url.findall(f"{SM}loc")
            assert (loc.text or "").startswith(base_url + "/articles/")
            assert urlsplit(loc.text).scheme == "http" and urlsplit(loc.text).netloc
            (lastmod,) = url.findall(f"{SM}lastmod")
            assert W3C_DATETIME.fullmatch(lastmod.text or "")
            seen.append(loc.text or "")
    assert len(seen) == len(set(seen))
    months = client.get("/api/timeline").json()  # dated stories per month
    assert len(seen) == sum(months.values())
    page = client.get(seen[0].removeprefix(base_url))
    assert page.status_code == 200 and f'<link rel="canonical" href="{seen[0]}">' in page.text


@pytest.mark.parametrize(
    "name", ["2021-13.xml", "2021-1.xml", "2031-01.xml", "2021-01-0.xml", "x.xml", "2021-01-9.xml"]
)
def test_missing_sitemaps_are_not_found(client: httpx.Client, name: str) -> None:
    assert client.get(f"/sitemap-{name}").status_code == 404


@pytest.fixture(scope="module")
def small_sitemaps(fixture_archive: Path) -> Iterator[str]:
    """A server whose sitemap files hold 2 URLs each, so a month of 3 is split."""
    app = create_app(fixture_archive, Settings())
    app.state.sitemap_max_urls = 2
    with live_server(app) as url:
        yield url


def test_a_month_past_the_limit_is_split(client: httpx.Client, base_url: str, small_sitemaps: str) -> None:
    whole = [
        u.findtext(f"{SM}loc", "").removeprefix(base_url)
        for u in _xml(client.get("/sitemap-2021-01.xml")).iter(f"{SM}url")
    ]
    assert len(whole) == 3
    with httpx.Client(base_url=small_sitemaps, timeout=30) as small:
        locs = [loc.text or "" for loc in _xml(small.get("/sitemap.xml")).iter(f"{SM}loc")]
        assert f"{small_sitemaps}/sitemap-2021-01.xml" in locs
        assert f"{small_sitemaps}/sitemap-2021-01-2.xml" in locs
        assert f"{small_sitemaps}/sitemap-2021-01-3.xml" not in locs
        parts = []
        for name in ("2021-01.xml", "2021-01-2.xml"):
            urls = list(_xml(small.get(f"/sitemap-{name}")).iter(f"{SM}url"))
            assert len(urls) <= 2
            parts += [u.findtext(f"{SM}loc", "").removeprefix(small_sitemaps) for u in urls]
        assert parts == whole
        assert small.get("/sitemap-2021-01-3.xml").status_code == 404


def test_sitemap_names_split_by_count() -> None:
    assert sitemap_names({"2021-01": 5, "2021-02": 2}, 2) == [
        "2021-01.xml", "2021-01-2.xml", "2021-01-3.xml", "2021-02.xml",
    ]  # fmt: skip
    assert sitemap_names({"2021-01": 50_000}, MAX_SITEMAP_URLS) == ["2021-01.xml"]


def _check_feed(feed: ET.Element, base_url: str) -> list[ET.Element]:
    """The Atom 1.0 elements a feed must have (RFC 4287 §4.1.1); returns its entries."""
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{required}")) == 1, required
    assert RFC3339.fullmatch(feed.findtext(f"{ATOM}updated", ""))
    assert feed.findtext(f"{ATOM}id", "").startswith(base_url + "/feeds/")
    self_links = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert len(self_links) == 1
    entries = feed.findall(f"{ATOM}entry")
    has_feed_author = bool(feed.findall(f"{ATOM}author/{ATOM}name"))
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{required}")) == 1, required
        assert RFC3339.fullmatch(entry.findtext(f"{ATOM}updated", ""))
        (link,) = [x for x in entry.findall(f"{ATOM}link") if x.get("rel") == "alternate"]
        assert (link.get("href") or "").startswith(base_url + "/articles/")
        assert entry.findtext(f"{ATOM}id") == link.get("href")
        assert has_feed_author or entry.findall(f"{ATOM}author/{ATOM}name")
    return entries


def test_latest_feed_is_valid_atom_newest_first(client: httpx.Client, base_url: str) -> None:
    response = client.get("/feeds/latest")
    assert response.headers["content-type"].startswith("application/atom+xml")
    entries = _check_feed(_xml(response), base_url)
    assert entries
    published = [
        e.findtext(f"{ATOM}published", "") for e in entries if e.find(f"{ATOM}published") is not None
    ]
    assert published == sorted(published, reverse=True)
    feed = _xml(response)
    newest = max(e.findtext(f"{ATOM}updated", "") for e in entries)
    assert feed.findtext(f"{ATOM}updated") == newest and newest >= published[0]
    link = entries[0].find(f"{ATOM}link")
    assert link is not None and client.get((link.get("href") or "").removeprefix(base_url)).status_code == 200


def test_section_feed_holds_that_section_only(client: httpx.Client, base_url: str) -> None:
    entries = _check_feed(_xml(client.get(section_feed_url("Local"))), base_url)
    assert entries
    assert {e.find(f"{ATOM}category").get("term") for e in entries} == {"Local"}  # type: ignore[union-attr]
    assert client.get("/feeds/sections/No%20such%20section").status_code == 200  # an empty feed, still valid
    assert _check_feed(_xml(client.get("/feeds/sections/No%20such%20section")), base_url) == []


def test_search_feed_follows_the_query(client: httpx.Client, base_url: str) -> None:
    entries = _check_feed(_xml(client.get("/feeds/search", params={"q": "regatta"})), base_url)
    assert entries and all("Regatta" in e.findtext(f"{ATOM}title", "") for e in entries)
    assert client.get("/feeds/search", params={"q": '"unclosed'}).status_code in (200, 400)
    assert client.get("/feeds/search", params={"q": "x", "from": "2022", "to": "2021"}).status_code == 400


def test_hostile_archived_text_is_escaped_in_feeds(client: httpx.Client, base_url: str) -> None:
    for path, params in (("/feeds/search", {"q": "ferry strike"}), ("/feeds/latest", {})):
        response = client.get(path, params=params)
        body = response.content
        assert (
            b"<script" not in body and b"<img" not in body and b"<iframe" not in body and b"<svg" not in body
        )
        entries = _check_feed(_xml(response), base_url)
        titles = [e.findtext(f"{ATOM}title") for e in entries]
        if path == "/feeds/search":
            assert HOSTILE_TITLE in titles  # the title as written, as text: escaped, not dropped
            hostile = entries[titles.index(HOSTILE_TITLE)]
            assert (hostile.find(f"{ATOM}category").get("term") or "").startswith("<iframe")  # type: ignore[union-attr]
            assert "<script>" in (hostile.findtext(f"{ATOM}author/{ATOM}name") or "")
            assert (hostile.find(f"{ATOM}title").get("type")) == "text"  # type: ignore[union-attr]
    hostile_section = next(
        name
        for name in client.get("/api/search", params={"q": "ferry strike"}).json()["facets"]["section"]
        if name.startswith("<iframe")
    )
    feed = client.get(section_feed_url(hostile_section))
    assert b"<iframe" not in feed.content
    assert _xml(feed).findtext(f"{ATOM}title") == f"newsarchive: {hostile_section}"


def test_characters_xml_cannot_hold_are_dropped() -> None:
    assert xml_text("a\x00b\x1bc\x7f\ufffed\ud800") == "abc\x7fd"
    assert xml_text("tab\tnew\nline") == "tab\tnew\nline"
    element = ET.Element("t")
    element.text = xml_text("".join(chr(c) for c in range(0x3000)))
    parsed = ET.fromstring(ET.tostring(element)).text  # well-formed after the drop
    assert parsed == element.text.replace("\r", "\n")  # XML parsers normalise line ends


def test_w3c_datetime() -> None:
    assert w3c_datetime("2023-04-02T10:00:00Z") == "2023-04-02T10:00:00Z"
    assert w3c_datetime("2023-04-02T12:00:00+02:00") == "2023-04-02T10:00:00Z"
    assert w3c_datetime("2023-04-02") == "2023-04-02"
    assert w3c_datetime("not a date") is None and w3c_datetime(None) is None


@pytest.mark.parametrize(
    ("path", "cache"),
    [
        ("/feeds/latest", "public, max-age=300"),
        ("/feeds/search?q=ferry", "public, max-age=300"),
        ("/sitemap.xml", "public, max-age=3600"),
        ("/sitemap-2021-01.xml", "public, max-age=3600"),
        ("/robots.txt", "public, max-age=3600"),
    ],
)
def test_feeds_and_sitemaps_revalidate_with_304(client: httpx.Client, path: str, cache: str) -> None:
    first = client.get(path)
    assert first.status_code == 200 and first.headers["cache-control"] == cache
    again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get(path, headers={"If-Modified-Since": first.headers["last-modified"]}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"old"'}).status_code == 200


def test_absolute_urls_use_the_public_host_a_proxy_passes(fixture_archive: Path) -> None:
    app = create_app(fixture_archive, Settings(), allowed_hosts=("127.0.0.1", "archive.example"))
    proxied = {"Host": "archive.example", "X-Forwarded-Proto": "https"}
    with live_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        robots = client.get("/robots.txt", headers=proxied)
        assert "Sitemap: https://archive.example/sitemap.xml" in robots.text.splitlines()
        locs = [loc.text or "" for loc in _xml(client.get("/sitemap.xml", headers=proxied)).iter(f"{SM}loc")]
        assert locs and all(loc.startswith("https://archive.example/sitemap-") for loc in locs)
        feed = _xml(client.get("/feeds/latest", headers=proxied))
        assert feed.findtext(f"{ATOM}id") == "https://archive.example/feeds/latest"
        # the same address at another host is another representation, with its own ETag
        direct = client.get("/sitemap.xml")
        assert direct.headers["etag"] != client.get("/sitemap.xml", headers=proxied).headers["etag"]
        assert client.get("/sitemap.xml", headers={"Host": "evil.example"}).status_code == 400
