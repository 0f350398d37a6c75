"""Browsing as a newspaper archive: the home page's ways in, date pages, section pages, the pager,
the article's canonical link, and ETag / Last-Modified revalidation; a real server over our fixtures."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
import lxml.html
import pytest

from newsarchive.archive import Archive
from newsarchive.settings import Settings
from newsarchive.web import create_app
from newsarchive.web.caching import Freshness
from newsarchive.web.pages import section_url

from .conftest import live_server


def _doc(response: httpx.Response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.text[:500]
    return lxml.html.document_fromstring(response.text)


def _listed_ids(doc: lxml.html.HtmlElement) -> list[str]:
    return [href.rsplit("/", 1)[-1] for href in doc.xpath("//ol[@class='hits']//h3/a/@href")]


def _listed_dates(doc: lxml.html.HtmlElement) -> list[str]:
    """The hits' dates as ISO: the machine-readable datetime (the text is written per locale)."""
    return [t.get("datetime") for t in doc.xpath("//ol[@class='hits']//p[@class='meta']/time")]


def _api_ids(client: httpx.Client, **params: str) -> list[str]:
    found = client.get("/api/search", params={"sort": "date", "per_page": "100", **params}).json()
    assert found["total"] <= 100
    return [hit["id"] for hit in found["hits"]]


def test_home_links_sections_and_years(client: httpx.Client) -> None:
    doc = _doc(client.get("/"))
    hrefs = set(doc.xpath("//a/@href"))
    assert {"/2016/", "/2021/", "/2022/"} <= hrefs
    assert {section_url("Local"), section_url("World"), "/sections"} <= hrefs
    assert doc.xpath("//link[@rel='alternate'][@type='application/atom+xml']/@href") == ["/feeds/latest"]


def test_year_page_counts_months_and_lists_newest_first(client: httpx.Client) -> None:
    doc = _doc(client.get("/2021/"))
    rows = doc.xpath("//table[@class='calendar']/tbody/tr")
    assert len(rows) == 12
    counts = {r.xpath("string(th)"): int(r.xpath("string(td)")) for r in rows}
    for number, name in ((1, "January"), (3, "March"), (2, "February")):
        month = f"2021-{number:02d}"
        expected = client.get("/api/search", params={"from": month, "to": month}).json()["total"]
        assert counts[name] == expected
    assert counts["February"] == 0
    links = doc.xpath("//table[@class='calendar']//a/@href")
    assert "/2021/01/" in links and "/2021/02/" not in links  # only months with articles link
    total = client.get("/api/search", params={"from": "2021", "to": "2021"}).json()["total"]
    assert sum(counts.values()) == total
    dates = _listed_dates(doc)
    assert dates and all(d.startswith("2021") for d in dates)
    assert dates == sorted(dates, reverse=True)


def test_month_and_day_pages_list_their_articles(client: httpx.Client) -> None:
    doc = _doc(client.get("/2021/01/"))
    assert _listed_ids(doc) == _api_ids(client, **{"from": "2021-01", "to": "2021-01"})
    dates = _listed_dates(doc)
    assert dates == sorted(dates, reverse=True) and all(d.startswith("2021-01") for d in dates)
    days = doc.xpath("//table[@class='calendar']/tbody/tr")
    assert len(days) == 31
    assert doc.xpath("//nav[@class='breadcrumb']/a/@href") == ["/", "/2021/"]
    day = _doc(client.get("/2021/01/10/"))
    assert _listed_dates(day) == ["2021-01-10"]
    assert day.xpath("//nav[@class='breadcrumb']/a/@href") == ["/", "/2021/", "/2021/01/"]
    assert not day.xpath("//table[@class='calendar']")


@pytest.mark.parametrize(
    "path", ["/2021/02/", "/2021/01/01/", "/2021/13/", "/2021/02/30/", "/abcd/", "/21/", "/2021/1/", "/0000/"]
)
def test_date_pages_without_articles_or_dates_are_not_found(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "no-store" in response.headers["cache-control"]


def test_date_page_without_trailing_slash_redirects(client: httpx.Client) -> None:
    response = client.get("/2021/01", params={"page": "2"})
    assert response.status_code == 301
    assert response.headers["location"] == "/2021/01/?page=2"
    assert client.get("/2021").headers["location"] == "/2021/"
    assert client.get("/nothing").status_code == 404  # not redirected to /nothing/ first


def test_section_page_pages_through_every_article_newest_first(client: httpx.Client) -> None:
    expected = _api_ids(client, section="Local")
    assert len(expected) > 6
    first = _doc(client.get(section_url("Local"), params={"per_page": "3"}))
    pager = first.xpath("//nav[@class='pagination']")[0]
    last = -(-len(expected) // 3)
    numbers = [a.text_content() for a in pager.xpath(".//a[not(@rel)]")]
    assert pager.xpath("string(.//strong[@aria-current='page'])") == "1"
    assert numbers[-1] == str(last) and "2" in numbers
    assert pager.xpath(".//a[@rel='next']/@href") == [section_url("Local") + "?page=2&per_page=3"]
    seen: list[str] = []
    dates: list[str] = []
    for page in range(1, last + 1):
        doc = _doc(client.get(section_url("Local"), params={"per_page": "3", "page": str(page)}))
        seen += _listed_ids(doc)
        dates += _listed_dates(doc)
        assert doc.xpath("//ol[@class='hits']/@start") == [str((page - 1) * 3 + 1)]
        if page > 1:
            assert doc.xpath("//nav[@class='pagination']//a[@rel='prev']")
    assert seen == expected
    assert dates == sorted(dates, reverse=True)
    beyond = client.get(section_url("Local"), params={"per_page": "3", "page": str(last + 1)})
    assert beyond.status_code == 404
    assert client.get(section_url("Local"), params={"per_page": "1000"}).status_code == 400


def test_section_of_one_source_and_the_source_page_links_it(client: httpx.Client) -> None:
    source = _doc(client.get("/sources/Harbour%20Herald"))
    link = section_url("Local", "Harbour Herald")
    assert link in source.xpath("//a/@href")
    doc = _doc(client.get(link))
    assert _listed_ids(doc) == _api_ids(client, section="Local", source="Harbour Herald")
    sources = {a.text_content() for a in doc.xpath("//ol[@class='hits']//p[@class='meta']/a[1]")}
    assert sources == {"Harbour Herald"}


def test_sections_index_and_hostile_section_name(client: httpx.Client) -> None:
    doc = _doc(client.get("/sections"))
    links = {a.text_content(): a.get("href") for a in doc.xpath("//ul[@class='counts']//a")}
    hostile = next(name for name in links if name.startswith("<iframe"))
    response = client.get(links[hostile])
    page = _doc(response)
    assert page.xpath("string(//h1)") == hostile
    assert "<iframe" not in response.text and "&lt;iframe" in response.text
    assert not page.xpath("//iframe | //script[not(@src)]")
    assert len(_listed_ids(page)) == 1
    assert client.get("/sections/No%20such%20section").status_code == 404


def test_article_page_has_canonical_link_and_browse_links(
    client: httpx.Client, base_url: str, article_ids: dict[str, str]
) -> None:
    article_id = article_ids["ferry_2021_01"]
    doc = _doc(client.get(f"/articles/{article_id}"))
    assert doc.xpath("//head/link[@rel='canonical']/@href") == [f"{base_url}/articles/{article_id}"]
    hrefs = doc.xpath("//dl[@class='meta-grid']//a/@href")
    assert "/2021/01/10/" in hrefs and section_url("Local") in hrefs


@pytest.mark.parametrize("path", ["/", "/2021/", "/2021/01/", "/sections", "/sections/Local"])
def test_browse_pages_revalidate_with_304(client: httpx.Client, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.headers["cache-control"].startswith("public, max-age=")
    assert parsedate_to_datetime(modified).tzinfo is not None
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert client.get(path, headers={"If-None-Match": f'W/{etag}, "other"'}).status_code == 304
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200
    # If-None-Match decides when both are sent
    assert (
        client.get(path, headers={"If-None-Match": '"stale"', "If-Modified-Since": modified}).status_code
        == 200
    )
    assert client.get(path, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200


def test_pages_of_different_addresses_have_different_etags(client: httpx.Client) -> None:
    tags = {client.get(p).headers["etag"] for p in ("/2021/", "/2022/", "/2021/?page=2&per_page=5")}
    assert len(tags) == 3


def test_etag_changes_when_the_archive_changes(tmp_path: Path, web_fixtures: Path) -> None:
    root = tmp_path / "archive"
    with Archive.open(root, Settings(enrich=False), create=True) as archive:
        archive.ingest([web_fixtures / "corpus.jsonl"])
    app = create_app(root, Settings())
    app.state.freshness = Freshness(ttl=0)  # read the generation on every request
    with live_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        before = client.get("/sections/World")
        assert before.status_code == 200
        with Archive.open(root, Settings(enrich=False)) as archive:
            archive.ingest([web_fixtures / "world.jsonl"])
        after = client.get("/sections/World", headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200  # the old copy is not confirmed: the archive has changed
        assert after.headers["etag"] != before.headers["etag"]
        # the searcher picks the new index commit up shortly after; that changes the ETag again
        deadline = time.monotonic() + 20
        while len(_listed_ids(_doc(after))) == len(_listed_ids(_doc(before))) and time.monotonic() < deadline:
            time.sleep(0.2)
            after = client.get("/sections/World")
        assert len(_listed_ids(_doc(after))) > len(_listed_ids(_doc(before)))
        assert after.headers["etag"] != before.headers["etag"]
        assert (
            client.get("/sections/World", headers={"If-None-Match": after.headers["etag"]}).status_code == 304
        )
