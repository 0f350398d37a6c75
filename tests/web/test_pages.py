"""The HTML pages over the hostile fixture archive: inert markup, RTL, no-JS navigation, errors, caching."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import lxml.html
import pytest

from newsarchive.archive import Archive
from newsarchive.settings import Settings
from newsarchive.web import create_app
from newsarchive.web.annotate import entity_url
from tests.web.conftest import HOSTILE_ENTITY, HOSTILE_ENTITY_NAMES, live_server

_DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc"}


def assert_inert(page: str, *, ours: bool = True) -> lxml.html.HtmlElement:
    """No element of ``page`` can run script: one external script of ours at most (besides JSON-LD
    data blocks, which browsers never run: JSON whose text holds no ``<``), no handlers or js: URLs."""
    doc = lxml.html.document_fromstring(page)
    scripts = doc.xpath("//script")
    for data in doc.xpath("//script[@type='application/ld+json']"):
        assert data.get("src") is None and "<" not in (data.text or "") and json.loads(data.text or "")
        scripts.remove(data)
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
        assert svg.get("class") in ("chart", "chart compare", "swatch") and not svg.xpath(".//script")
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
        "/search?q=strike&q=%3Cscript%3Ealert(1)%3C/script%3E&by=year&normalize=true",
        "/search?q=strike&split=source&by=month",
        "/search?" + httpx.QueryParams({"source": evil_source}).__str__(),
        "/search?" + httpx.QueryParams({"section": evil_section}).__str__(),
        "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
        '/search?q="%3Cscript%3Ealert(1)',
        "/sources/" + quote(evil_source, safe=""),
        "/sources/Evil%20Gazette",
        "/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/docs",
        "/entities",
        "/entities?type=org",
        "/events",
        "/search?" + str(httpx.QueryParams({"q": f'strike entity:"{HOSTILE_ENTITY}"'})),
        "/search?" + str(httpx.QueryParams({"q": "strike", "entity": HOSTILE_ENTITY})),
        "/events?" + str(httpx.QueryParams([("actor", HOSTILE_ENTITY), ("actor", HOSTILE_ENTITY_NAMES[1])])),
        f"/articles/{ids['hostile_row']}?span=0-40",
    ]
    for name in HOSTILE_ENTITY_NAMES:
        urls.append(entity_url(name))
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
    assert doc.xpath("//nav[@class='pagination']//a[@rel='next']")
    every = lxml.html.document_fromstring(client.get("/search", params={"q": "ferry", "per_page": 100}).text)
    badges = every.xpath("//a[@class='badge']/@href")  # "n near-duplicates", to the copies listed
    assert badges and all(h.startswith("/articles/") and h.endswith("#copies") for h in badges)


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
    assert doc.xpath("//input[@id='q']/@value") == ['"unclosed ferry']
    for params in ({"page": "0"}, {"from": "notadate"}, {"sort": "bogus"}, {"page": "x"}):
        assert client.get("/search", params=params).status_code == 400


@pytest.mark.parametrize(
    "path", ["/articles/nope", "/sources/Nobody%20Times", "/nothing", f"/articles/nope/captures/{'a' * 64}"]
)
def test_missing_pages_are_helpful_404s(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "search" in response.text and response.headers["cache-control"] == "no-store"
    assert "`newsarchive" not in response.text  # no command-line advice for a web reader


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


def test_article_page_shows_copies_related_and_captures(
    client: httpx.Client, article_ids: dict[str, str]
) -> None:
    doc = lxml.html.document_fromstring(client.get(f"/articles/{article_ids['ferry_2021_01']}").text)
    assert doc.xpath("//section[@id='copies']//ul[@class='copy-list']/li/a")
    assert not doc.xpath("//section[@id='versions']")  # one capture of its URL
    assert doc.xpath("//section[@id='related']//li[@class='hit']")
    assert doc.xpath("//section[@id='captures']//code[@class='sha']")


def test_source_page(client: httpx.Client) -> None:
    response = client.get("/sources/Harbour%20Herald")
    assert response.status_code == 200
    doc = assert_inert(response.text)
    assert doc.xpath("//svg[@class='chart']")
    assert len(doc.xpath("//ol[@class='latest']/li")) >= 10
    assert "/sections/Local?source=Harbour+Herald" in doc.xpath("//a/@href")  # its sections' pages


ODD_SOURCES = (
    "..",
    "../../etc/passwd",
    "a/./b",
    "100% Local",
    "back\\slash",
    "%2e%2e",
    "AC/DC Weekly",
    "Normal Times",
)


@pytest.fixture(scope="module")
def odd_sources_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over an archive whose sources are named like paths the traversal guard refuses."""
    rows = [
        {"url": f"https://odd.example/{n}", "title": f"Odd source story {n}", "date": "2022-05-0{n}" if n < 10 else None,
         "source": name, "text": f"Story number {n} about the {word} lighthouse keepers and their long winter."}
        for n, (name, word) in enumerate(zip(ODD_SOURCES, ("red", "blue", "green", "grey", "white", "black", "pink", "gold"), strict=True), 1)
    ]  # fmt: skip
    folder = tmp_path_factory.mktemp("odd-sources")
    (folder / "rows.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    root = folder / "archive"
    with Archive.open(root, Settings(enrich=False), create=True) as archive:
        assert archive.ingest([folder / "rows.jsonl"]).articles_new == len(rows)
    with live_server(create_app(root, Settings(enrich=False))) as url:
        yield url


def test_links_to_sources_with_path_like_names_open_their_page(odd_sources_url: str) -> None:
    with httpx.Client(base_url=odd_sources_url, timeout=30) as c:
        home = assert_inert(c.get("/").text)
        links = {
            a.text_content(): a.get("href") for a in home.xpath("//ul[@class='counts']/li/a[@dir='auto']")
        }
        assert set(ODD_SOURCES) <= set(links), links
        assert links["Normal Times"] == "/sources/Normal%20Times"
        assert links["AC/DC Weekly"] == "/sources/AC%2FDC%20Weekly"
        assert links[".."].startswith("/sources?name=")
        for name in ODD_SOURCES:
            page = c.get(links[name])
            assert page.status_code == 200, (name, links[name], page.text[:200])
            assert assert_inert(page.text).xpath("string(//h1)") == name
        hit = c.get("/api/search", params={"q": "blue"}).json()["hits"][0]
        article = assert_inert(c.get(f"/articles/{hit['id']}").text)
        source_link = next(h for h in article.xpath("//a/@href") if h.startswith("/sources"))
        assert source_link == links["../../etc/passwd"] and c.get(source_link).status_code == 200
        bare = c.get("/sources", follow_redirects=False)
        assert bare.status_code == 302 and bare.headers["location"] == "/"


def test_entity_json_links_work_for_names_the_path_cannot_carry(client: httpx.Client) -> None:
    for name in HOSTILE_ENTITY_NAMES:
        doc = _page(client, entity_url(name))
        [json_link] = [a.get("href") for a in doc.xpath("//dl//a") if a.text_content() == "JSON"]
        response = client.get(json_link)
        assert response.status_code == 200, (name, json_link)
        assert response.json()["name"] == name


# -- entities, events, linked article text ------------------------------------------------------

PUTIN, NETANYAHU, MEDVEDEV = "Vladimir Putin", "Benjamin Netanyahu", "Dmitry Medvedev"


def _page(client: httpx.Client, url: str, **params: object) -> lxml.html.HtmlElement:
    response = client.get(url, params=params) if params else client.get(url)  # type: ignore[arg-type]
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return assert_inert(response.text)


def _moscow_article(client: httpx.Client) -> str:
    hits = client.get("/api/search", params={"q": '"real partners"'}).json()["hits"]
    return str(hits[0]["id"])


def test_nav_links_to_entities_and_events(client: httpx.Client) -> None:
    nav = _page(client, "/").xpath("//header//nav//a/@href")
    assert "/entities" in nav and "/events" in nav


def test_entities_page_lists_top_entities_with_a_type_filter(client: httpx.Client) -> None:
    doc = _page(client, "/entities")
    links = doc.xpath("//table[@class='entity-table']//a[@class='entity']")
    assert "/entities/Vladimir%20Putin" in [a.get("href") for a in links]
    people = _page(client, "/entities", type="person")
    types = {td.text_content() for td in people.xpath("//table[@class='entity-table']//tr/td[2]")}
    assert types == {"person"}
    assert people.xpath("//select[@name='type']/option[@selected]/@value") == ["PERSON"]
    assert client.get("/entities", params={"type": "planet"}).status_code == 400


def test_entity_page_shows_roles_chart_cooccurrences_quotes_and_events(client: httpx.Client) -> None:
    doc = _page(client, "/entities/Vladimir%20Putin")
    assert doc.xpath("string(//h1[@class='entity-name'])") == PUTIN
    assert "Putin" in doc.xpath("string(//dd[@class='aliases'])")
    roles = doc.xpath("//ol[@class='roles-timeline']/li")
    assert any(
        "President of Russia" in li.text_content() and "15 March 2016" in li.text_content() for li in roles
    )
    chart = doc.xpath("//section[@id='mentions']//svg[@class='chart']")[0]
    bar_links = chart.xpath(".//a/@href")
    assert bar_links and all("entity=Vladimir+Putin" in h and "q=" not in h for h in bar_links)
    assert "mentions" in chart.xpath("string(./title)")
    others = doc.xpath("//section[@id='cooccurring']//a[@class='entity']/@href")
    assert "/entities/Benjamin%20Netanyahu" in others
    together = doc.xpath("//section[@id='cooccurring']//a[text()='events together']/@href")
    assert "/events?actor=Vladimir+Putin&actor=Benjamin+Netanyahu" in together
    assert "real partners" in doc.xpath("string(//section[@id='quotes'])")
    events = doc.xpath("//section[@id='events']//li[contains(@class, 'event')]")
    assert any("MEET" in e.text_content() and "18 Oct 2016" in e.text_content() for e in events)
    evidence = doc.xpath("//section[@id='events']//a[text()='evidence in the article']/@href")
    assert evidence and all(re.search(r"^/articles/[^?]+\?span=\d+-\d+#evidence$", h) for h in evidence)


def test_entity_aliases_redirect_to_the_canonical_page(client: httpx.Client) -> None:
    response = client.get("/entities/putin")
    assert response.status_code == 302 and response.headers["location"] == "/entities/Vladimir%20Putin"
    missing = client.get("/entities/Nobody%20Atall")
    assert missing.status_code == 404 and "search" in missing.text


def test_events_page_between_two_actors(client: httpx.Client) -> None:
    doc = _page(client, "/events", actor=["Putin", NETANYAHU])
    assert PUTIN in doc.xpath("string(//h1)") and NETANYAHU in doc.xpath("string(//h1)")
    assert doc.xpath("//form[@class='events-form'][@method='get']//input[@name='actor']/@value") == [
        "Putin",
        NETANYAHU,
    ]
    items = doc.xpath("//ol[@class='event-list']/li")
    texts = [" ".join(li.text_content().split()) for li in items]
    moscow = next(t for t in texts if "Moscow" in t)
    assert "MEET" in moscow and "18 Oct 2016" in moscow and "happened" in moscow
    dates = [li.xpath("string(.//time/@datetime)") for li in items]
    assert dates == sorted(dates)
    chart = doc.xpath("//svg[@class='chart']")[0]
    assert "events" in chart.xpath("string(./title)")
    bar = chart.xpath(".//a/@href")[0]
    narrowed = _page(client, bar)
    assert all(
        d.startswith(bar.split("from=")[1][:7])
        for d in narrowed.xpath("//ol[@class='event-list']/li//time/@datetime")
    )


def test_events_page_marks_planned_and_shows_partial_dates(client: httpx.Client) -> None:
    doc = _page(client, "/events", actor=MEDVEDEV, type="VISIT")
    texts = [" ".join(li.text_content().split()) for li in doc.xpath("//ol[@class='event-list']/li")]
    assert any("10 Nov (year unknown)" in t and "planned" in t for t in texts)
    assert any("10 Nov 2016" in t and "planned" in t for t in texts)
    assert texts.index(next(t for t in texts if "10 Nov 2016" in t)) < texts.index(
        next(t for t in texts if "year unknown" in t)
    )
    assert doc.xpath("//li[contains(@class, 'status-planned')]")


def test_events_page_bad_parameters_are_400(client: httpx.Client) -> None:
    for params in ({"from": "2016-13"}, {"type": "DANCE"}, {"from": "2017", "to": "2016"}):
        response = client.get("/events", params=params)
        assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    unknown = _page(client, "/events", actor="Nobody Atall")
    assert "No entity is named" in unknown.xpath("string(//p[@class='notice'])")


def test_article_body_links_entity_names(client: httpx.Client) -> None:
    article_id = _moscow_article(client)
    doc = _page(client, f"/articles/{article_id}")
    links = doc.xpath("//div[@class='body']//a[@class='entity']")
    by_text = {a.text_content(): a.get("href") for a in links}
    assert by_text["Vladimir Putin"] == "/entities/Vladimir%20Putin"
    assert by_text["Benjamin Netanyahu"] == "/entities/Benjamin%20Netanyahu"
    assert by_text["Israeli"] == "/entities/Israel"
    body = client.get(f"/api/articles/{article_id}").json()["body"]
    shown = "".join(p.text_content() for p in doc.xpath("//div[@class='body']/p"))
    assert shown == "".join(p.strip() for p in body.split("\n\n"))
    panel = doc.xpath("//aside[@class='enrichment']")[0]
    assert "/entities/Dmitry%20Medvedev" in panel.xpath(".//section[@id='entities']//a/@href")
    assert "real partners" in panel.xpath("string(.//section[@id='quotes'])")
    assert "VISIT" in panel.xpath("string(.//section[@id='events'])")


def test_article_evidence_span_is_marked(client: httpx.Client) -> None:
    article_id = _moscow_article(client)
    event = next(
        e
        for e in client.get(f"/api/articles/{article_id}/enrichment").json()["events"]
        if e["type"] == "VISIT"
    )
    start, end = event["evidence"]["start"], event["evidence"]["end"]
    doc = _page(client, f"/articles/{article_id}", span=f"{start}-{end}")
    marked = "".join(m.text_content() for m in doc.xpath("//div[@class='body']//mark"))
    assert marked == event["evidence"]["text"].strip()
    assert doc.xpath("//mark[@id='evidence']")
    assert client.get(f"/articles/{article_id}", params={"span": "9-2"}).status_code == 400


def test_hostile_entity_links_stay_on_our_entity_pages(
    client: httpx.Client, article_ids: dict[str, str]
) -> None:
    doc = _page(client, f"/articles/{article_ids['hostile_row']}")
    body = doc.xpath("//div[@class='body']")[0]
    assert "<script>alert('xss-body')</script>" in body.text_content()
    hrefs = body.xpath(".//a/@href")
    assert hrefs and all(h.startswith(("/entities/", "/entities?name=")) for h in hrefs)
    assert entity_url(HOSTILE_ENTITY) in hrefs and entity_url("../../etc/passwd") in hrefs
    for name in HOSTILE_ENTITY_NAMES:
        page = _page(client, entity_url(name))
        assert page.xpath("string(//h1[@class='entity-name'])") == name
    panel = " ".join(doc.xpath("string(//aside[@class='enrichment'])").split())
    assert "alert('xss-quote')" in panel and "<script>alert('xss-date')</script>" in panel


def test_search_page_has_a_clickable_entity_facet(client: httpx.Client) -> None:
    doc = _page(client, "/search", q="Moscow")
    facet = next(
        f
        for f in doc.xpath("//aside[@class='facets']/section")
        if f.xpath("string(h2)") == "Named in the text"
    )
    link = next(a for a in facet.xpath(".//li/a[1]") if a.text_content() == PUTIN)
    # a structured filter: the query box keeps what the user typed
    assert "q=Moscow&" in link.get("href") and "entity=Vladimir+Putin" in link.get("href")
    assert "/entities/Vladimir%20Putin" in facet.xpath(".//a[@class='entity-page']/@href")
    filtered = _page(client, link.get("href"))
    assert filtered.xpath("//input[@id='q']/@value") == ["Moscow"]
    assert filtered.xpath("//input[@type='hidden'][@name='entity']/@value") == [PUTIN]
    hits = filtered.xpath("//li[@class='hit']//h3/a/@href")
    total = client.get("/api/search", params={"q": "Moscow", "entity": PUTIN}).json()["total"]
    assert hits and len(hits) == total
    everything = client.get("/api/search").json()["total"]
    assert 0 < client.get("/api/search", params={"entity": PUTIN}).json()["total"] < everything
    active = filtered.xpath("//aside[@class='facets']//li[@class='active']/a[1]")
    assert PUTIN in [a.text_content() for a in active]
    chip = filtered.xpath("//p[@class='active-filters']/a[contains(., 'Vladimir Putin')]/@href")
    assert chip and "entity=" not in chip[0] and "q=Moscow" in chip[0]
    # links bookmarked when the facet wrote entity:"…" into the query find the same articles
    legacy = _page(client, "/search", q=f'Moscow entity:"{PUTIN}"')
    assert len(legacy.xpath("//li[@class='hit']//h3/a/@href")) == total
    assert PUTIN in [
        a.text_content() for a in legacy.xpath("//aside[@class='facets']//li[@class='active']/a[1]")
    ]


# -- comparing queries over time (issue 15) --------------------------------------------------------


def test_compare_page_draws_every_query_with_a_text_equivalent(client: httpx.Client) -> None:
    params = [("q", "ferry"), ("q", "strike"), ("q", "regatta"), ("by", "year")]
    page = client.get("/search", params=params)
    assert page.status_code == 200
    doc = assert_inert(page.text)
    (chart,) = doc.xpath("//svg[@class='chart compare']")
    assert chart.get("role") == "img" and chart.get("aria-labelledby") == "compare-title compare-desc"
    assert chart.xpath("./title") and "ferry" in chart.xpath("./desc")[0].text_content()
    assert len(chart.xpath(".//polyline")) == 3
    totals = {
        row.xpath("./th")[0].text_content().strip(): int(row.xpath("./td")[0].text_content())
        for row in doc.xpath("//table[@class='compare-totals']/tbody/tr")
    }
    for query in ("ferry", "strike", "regatta"):
        assert totals[query] == client.get("/api/search", params={"q": query}).json()["total"]
    header = [th.text_content() for th in doc.xpath("//table[@class='compare-table']/thead//th")]
    assert header == ["Year", "ferry", "strike", "regatta"]
    # the permalink reproduces the page
    permalink = doc.xpath("//section[@class='compare']//a[text()='this comparison']/@href")[0]
    again = client.get(permalink)
    assert again.status_code == 200 and again.text.count("<polyline") == 3


def test_compare_by_source_and_as_shares(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "ferry", "split": "source", "normalize": "true", "by": "year"})
    doc = assert_inert(page.text)
    labels = [a.text_content() for a in doc.xpath("//table[@class='compare-totals']/tbody/tr/th/a")]
    assert labels and all(label.startswith("ferry · ") for label in labels)
    cells = doc.xpath("//table[@class='compare-table']/tbody/tr/td")
    assert cells and all(" / " in c.text_content() for c in cells)


def test_compare_page_escapes_hostile_queries_and_says_what_is_wrong(client: httpx.Client) -> None:
    hostile = "<script>alert('q')</script>"
    page = client.get("/search", params=[("q", "ferry"), ("q", hostile)])
    assert page.status_code == 200 and hostile not in page.text
    assert_inert(page.text)
    too_many = client.get("/search", params=[("q", f"w{i}") for i in range(6)])
    assert too_many.status_code == 400 and "at most 5" in too_many.text


def test_search_page_links_its_export_and_compare_form(client: httpx.Client) -> None:
    doc = assert_inert(client.get("/search", params={"q": "ferry", "source": "Valley Courier"}).text)
    links = doc.xpath("//p[@class='export-links']/a/@href")
    assert len(links) == 3 and all(h.startswith("/api/export?q=ferry&source=Valley+Courier") for h in links)
    exported = client.get(links[1])
    total = client.get("/api/search", params={"q": "ferry", "source": "Valley Courier"}).json()["total"]
    assert exported.status_code == 200 and len(exported.text.splitlines()) == total
    assert doc.xpath("//details[@class='compare-link']//input[@name='q']")


def test_search_page_says_what_results_are_about_on_request(client: httpx.Client) -> None:
    plain = assert_inert(client.get("/search", params={"q": "ferry"}).text)
    (link,) = plain.xpath("//p[@class='about-link']/a/@href")
    about = client.get(link)
    doc = assert_inert(about.text)
    words = doc.xpath("//section[@class='about']//ol[@class='terms']/li/a")
    assert words and all("ferry" not in w.text_content().lower() for w in words)
    assert all(w.get("href").startswith("/search?q=ferry+") for w in words)
