"""The HTML pages over the hostile fixture archive: inert markup, RTL, no-JS navigation, errors, caching."""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx
import lxml.html
import pytest

_DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc"}


def assert_inert(page: str, *, ours: bool = True) -> lxml.html.HtmlElement:
    """No element of ``page`` can run script: one external script of ours at most, no handlers or js: URLs."""
    doc = lxml.html.document_fromstring(page)
    scripts = doc.xpath("//script")
    if ours:
        assert len(scripts) == 1, [lxml.html.tostring(s) for s in scripts]
        assert (
            scripts[0].get("src", "").startswith("/static/app.js?v=") and not (scripts[0].text or "").strip()
        )
    else:
        assert not scripts
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name, value)
            assert name.lower() != "style", (element.tag, value)
            if name.lower() in _URL_ATTRS:
                squashed = re.sub(r"\s", "", value).lower()
                assert not squashed.startswith(_DANGEROUS_SCHEMES), (element.tag, name, value)
    assert not doc.xpath("//style | //object | //embed | //base | //applet | //meta[@http-equiv]")
    for frame in doc.xpath("//iframe"):
        assert frame.get("sandbox") == "" and frame.get("class") == "capture-frame"
    for svg in doc.xpath("//svg"):
        assert svg.get("class") == "chart" and not svg.xpath(".//script")
    return doc


def hostile_urls(client: httpx.Client, ids: dict[str, str]) -> list[str]:
    facets = client.get("/api/search", params={"q": "strike"}).json()["facets"]
    evil_source = next(s for s in facets["source"] if "<script>" in s)
    evil_section = next(s for s in client.get("/api/search").json()["facets"]["section"] if "<iframe" in s)
    urls = [
        "/",
        "/search",
        "/search?q=ferry",
        "/search?q=strike&sort=date",
        "/search?" + httpx.QueryParams({"source": evil_source}).__str__(),
        "/search?" + httpx.QueryParams({"section": evil_section}).__str__(),
        "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
        '/search?q="%3Cscript%3Ealert(1)',
        "/sources/" + quote(evil_source, safe=""),
        "/sources/Evil%20Gazette",
        "/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/docs",
    ]
    for key in ("hostile_row", "hostile_html_row", "hostile_page", "arabic"):
        urls.append(f"/articles/{ids[key]}")
        for capture in client.get(f"/api/articles/{ids[key]}").json()["captures"]:
            urls.append(f"/articles/{ids[key]}/captures/{capture['sha256']}")
            urls.append(f"/articles/{ids[key]}/captures/{capture['sha256']}?view=html")
    return urls


def test_every_page_of_the_hostile_archive_is_inert(
    client: httpx.Client, article_ids: dict[str, str]
) -> None:
    for url in hostile_urls(client, article_ids):
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        assert response.headers["content-type"].startswith("text/html")
        assert_inert(response.text)


def test_hostile_text_is_shown_escaped_not_dropped(client: httpx.Client, article_ids: dict[str, str]) -> None:
    page = client.get(f"/articles/{article_ids['hostile_row']}").text
    assert "&lt;script&gt;alert(&#39;xss-title&#39;)&lt;/script&gt;" in page
    doc = lxml.html.document_fromstring(page)
    assert "<script>alert('xss-body')</script>" in doc.xpath("string(//div[@class='body'])")
    url_cell = doc.xpath("//dd[@class='url']")[0]
    assert not url_cell.xpath(".//a") and "javascript:alert" in url_cell.text_content()


def test_snippets_keep_only_highlights(client: httpx.Client) -> None:
    doc = lxml.html.document_fromstring(client.get("/search", params={"q": "strike"}).text)
    snippets = doc.xpath("//p[@class='snippet']")
    assert snippets
    for snippet in snippets:
        assert {child.tag for child in snippet.iterdescendants()} <= {"b"}
    hostile = next(s for s in snippets if "xss-body" in s.text_content())
    assert "<script>" in hostile.text_content()  # visible as text


def test_right_to_left_articles_carry_dir_and_lang(client: httpx.Client, article_ids: dict[str, str]) -> None:
    doc = lxml.html.document_fromstring(client.get(f"/articles/{article_ids['arabic']}").text)
    title = doc.xpath("//h1[@class='article-title']")[0]
    assert title.get("dir") == "auto" and title.get("lang") == "ar"
    assert all(p.get("dir") == "auto" for p in doc.xpath("//div[@class='body']/p"))
    hits = lxml.html.document_fromstring(client.get("/search", params={"lang": "ar"}).text)
    assert hits.xpath("//h3[@class='hit-title'][@dir='auto'][@lang='ar']")
    assert hits.xpath("//p[@class='snippet'][@dir='auto'][@lang='ar']")
    hostile = lxml.html.document_fromstring(client.get(f"/articles/{article_ids['hostile_row']}").text)
    assert hostile.xpath("//h1[@class='article-title']")[0].get("lang") is None  # the stored lang is hostile


def test_search_page_works_without_script(client: httpx.Client) -> None:
    doc = lxml.html.document_fromstring(client.get("/search", params={"q": "ferry"}).text)
    form = doc.xpath("//form[@class='search-form']")[0]
    assert form.get("method") == "get" and form.get("action") == "/search"
    assert {"q", "from", "to", "sort"} <= {i.get("name") for i in form.xpath(".//input | .//select")}
    summary = doc.xpath("string(//p[@class='summary'])")
    assert re.search(r"\d+ hits in [\d.]+ ms", summary)
    facet_links = doc.xpath("//aside[@class='facets']//a/@href")
    assert any("source=Harbour+Herald" in h for h in facet_links)
    assert doc.xpath("//svg[@class='chart']//a/@href")
    assert doc.xpath("//a[@class='badge']")  # "n near-duplicates"
    assert doc.xpath("//nav[@class='pagination']//a[@rel='next']")


def test_facet_link_filters_and_can_be_removed(client: httpx.Client) -> None:
    doc = lxml.html.document_fromstring(client.get("/search", params={"q": "ferry"}).text)
    link = next(h for h in doc.xpath("//aside[@class='facets']//a/@href") if "source=Valley+Courier" in h)
    filtered = lxml.html.document_fromstring(client.get(link).text)
    sources = {a.text_content() for a in filtered.xpath("//li[@class='hit']//p[@class='meta']/a[1]")}
    assert sources == {"Valley Courier"}
    chip = filtered.xpath("//a[@class='chip']/@href")[0]
    assert "Valley" not in chip


def test_pagination_and_sort_links(client: httpx.Client) -> None:
    page2 = lxml.html.document_fromstring(client.get("/search", params={"page": 2}).text)
    assert page2.xpath("//nav[@class='pagination']//strong[@aria-current='page']")[0].text == "2"
    assert page2.xpath("//ol[@class='hits']")[0].get("start") == "11"
    sort_links = page2.xpath("//p[@class='summary']/a/@href")
    assert any("sort=date" in h and "page" not in h for h in sort_links)


def test_bad_search_is_a_helpful_400_page(client: httpx.Client) -> None:
    response = client.get("/search", params={"q": '"unclosed ferry'})
    assert response.status_code == 400
    doc = lxml.html.document_fromstring(response.text)
    assert "quote is not closed" in doc.xpath("string(//section[@class='error'])")
    assert doc.xpath("//input[@name='q']/@value") == ['"unclosed ferry']
    for params in ({"page": "0"}, {"from": "notadate"}, {"sort": "bogus"}, {"page": "x"}):
        assert client.get("/search", params=params).status_code == 400


@pytest.mark.parametrize(
    "path", ["/articles/nope", "/sources/Nobody%20Times", "/nothing", f"/articles/nope/captures/{'a' * 64}"]
)
def test_missing_pages_are_helpful_404s(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "search" in response.text and response.headers["cache-control"] == "no-store"


def test_capture_views(client: httpx.Client, article_ids: dict[str, str]) -> None:
    article_id = article_ids["hostile_page"]
    sha = client.get(f"/api/articles/{article_id}").json()["captures"][0]["sha256"]
    text = client.get(f"/articles/{article_id}/captures/{sha}")
    assert text.status_code == 200 and "immutable" in text.headers["cache-control"]
    doc = lxml.html.document_fromstring(text.text)
    assert "<script>alert('xss-head');" in doc.xpath("string(//pre[@class='raw'])")
    assert sha in text.text and doc.xpath(f"//a[@href='/api/captures/{sha}']")
    framed = lxml.html.document_fromstring(
        client.get(f"/articles/{article_id}/captures/{sha}?view=html").text
    )
    frame = framed.xpath("//iframe")[0]
    assert frame.get("sandbox") == "" and frame.get("src").endswith(f"/captures/{sha}/frame")
    assert client.get(f"/articles/{article_id}/captures/{sha}?view=js").status_code == 400


def test_sanitised_frame_has_no_script_and_a_sandbox_policy(
    client: httpx.Client, article_ids: dict[str, str]
) -> None:
    for key in ("hostile_page", "hostile_html_row"):
        sha = client.get(f"/api/articles/{article_ids[key]}").json()["captures"][0]["sha256"]
        response = client.get(f"/articles/{article_ids[key]}/captures/{sha}/frame")
        assert response.status_code == 200
        csp = response.headers["content-security-policy"]
        assert csp.startswith("sandbox;") and "default-src 'none'" in csp and "script-src" not in csp
        assert "frame-ancestors 'self'" in csp and response.headers["x-frame-options"] == "SAMEORIGIN"
        doc = assert_inert(response.text, ours=False)
        assert not doc.xpath("//iframe | //svg | //math | //form | //link")
        assert "ferry" in doc.text_content()
    row = client.get(f"/api/articles/{article_ids['hostile_row']}").json()["captures"][0]["sha256"]
    assert client.get(f"/articles/{article_ids['hostile_row']}/captures/{row}/frame").status_code == 400


def test_article_page_caching(client: httpx.Client, article_ids: dict[str, str]) -> None:
    response = client.get(f"/articles/{article_ids['arabic']}")
    assert "max-age=300" in response.headers["cache-control"]
    again = client.get(
        f"/articles/{article_ids['arabic']}", headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304
    assert client.get("/search?q=ferry").headers["cache-control"] == "public, max-age=30"


def test_article_page_shows_versions_related_and_captures(
    client: httpx.Client, article_ids: dict[str, str]
) -> None:
    doc = lxml.html.document_fromstring(client.get(f"/articles/{article_ids['ferry_2021_01']}").text)
    assert doc.xpath("//section[@id='versions']//a")
    assert doc.xpath("//section[@id='related']//li[@class='hit']")
    assert doc.xpath("//section[@id='captures']//code[@class='sha']")


def test_source_page(client: httpx.Client) -> None:
    response = client.get("/sources/Harbour%20Herald")
    assert response.status_code == 200
    doc = assert_inert(response.text)
    assert doc.xpath("//svg[@class='chart']")
    assert len(doc.xpath("//ol[@class='latest']/li")) >= 10
    assert any("section=" in h for h in doc.xpath("//a/@href"))
