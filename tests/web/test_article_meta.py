"""Article pages are citable and findable: JSON-LD that hostile titles cannot break out of, Open
Graph, "cite this" (APA-like and BibTeX), previous/next in the section, readable permalinks that
redirect to the canonical page; the rights per source hold in all of them. A real server over a
small archive of our own rows."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import httpx
import lxml.html
import pytest

from newsarchive.archive import Archive
from newsarchive.model import Article, CaptureRef
from newsarchive.settings import Settings
from newsarchive.web import create_app
from newsarchive.web.article_meta import (
    MAX_SLUG_CHARS,
    bibtex_escape,
    bibtex_key,
    cite,
    json_ld,
    news_article_ld,
    parse_tail,
    permalink_path,
    slugify,
)
from newsarchive.web.rights import EXCERPT_CHARS

from .conftest import archive_of_rows, live_server

HOSTILE_TITLE = "Pier plan </script><script>alert('ld')</script> & <!-- x --> \u2028 {100%} #1 a_b \\o/"
ARABIC_TITLE = "افتتاح الميناء الجديد في المدينة"
SNIPPET_SOURCE, METADATA_SOURCE = "Daily Planet", "Wire Service"
FAR_MARKER = "zebracrossingmarker"
"""A word past the excerpt of restricted sources: it must appear nowhere on their pages."""


def _text(n: int) -> str:
    words = [
        "harbour",
        "council",
        "bridge",
        "market",
        "ferry",
        "school",
        "river",
        "storm",
        "budget",
        "library",
    ]
    return " ".join(f"{words[(n * 7 + i) % 10]}{n * 1000 + i}" for i in range(80)) + "."


ROWS: list[dict[str, Any]] = [
    {"url": "https://herald.example/pier", "title": HOSTILE_TITLE, "date": "2021-03-09", "source": "Harbour Herald",
     "section": "Local", "author": "Jane Doe", "language": "en", "fetched_at": "2021-03-10T08:00:00Z", "text": _text(0)},
    {"url": "https://herald.example/a", "title": "Tie one", "date": "2021-03-09", "source": "Harbour Herald",
     "section": "Local", "text": _text(1)},
    {"url": "https://herald.example/b", "title": "Tie two", "date": "2021-03-09", "source": "Harbour Herald",
     "section": "Local", "text": _text(2)},
    {"url": "https://herald.example/c", "title": "Day before", "date": "2021-03-08", "source": "Harbour Herald",
     "section": "Local", "text": _text(3)},
    {"url": "https://herald.example/other", "title": "Other source, same section", "date": "2021-03-09",
     "source": "Valley Courier", "section": "Local", "text": _text(4)},
    {"url": "https://herald.example/undated", "title": "Undated note", "source": "Harbour Herald",
     "section": "Local", "text": _text(5)},
    {"url": "https://jarida.example/port", "title": ARABIC_TITLE, "date": "2021-04-02", "source": "الجريدة",
     "section": "محليات", "language": "ar", "text": "افتتح الميناء الجديد في المدينة صباح اليوم بحضور المسؤولين. " * 5},
    {"url": "https://planet.example/x", "title": "Planet story", "date": "2021-05-01", "source": SNIPPET_SOURCE,
     "section": "World", "text": _text(6) + " " + FAR_MARKER},
    {"url": "https://wire.example/x", "title": "Wire story", "date": "2021-05-02", "source": METADATA_SOURCE,
     "section": "World", "text": FAR_MARKER + " " + _text(7)},
]  # fmt: skip


@pytest.fixture(scope="module")
def meta_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return archive_of_rows(tmp_path_factory.mktemp("meta"), ROWS)


@pytest.fixture(scope="module")
def meta_url(meta_archive: Path) -> Iterator[str]:
    rights = ((SNIPPET_SOURCE, "snippet"), (METADATA_SOURCE, "metadata"))
    with live_server(create_app(meta_archive, Settings(enrich=False, source_rights=rights))) as url:
        yield url


@pytest.fixture()
def client(meta_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=meta_url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def ids(meta_url: str) -> dict[str, str]:
    with httpx.Client(base_url=meta_url, timeout=30) as c:
        hits = c.get("/api/search", params={"per_page": 100}).json()["hits"]
    return {h["title"]: h["id"] for h in hits}


def _page(client: httpx.Client, article_id: str) -> lxml.html.HtmlElement:
    response = client.get(f"/articles/{article_id}")
    assert response.status_code == 200, response.text[:300]
    return lxml.html.document_fromstring(response.text)


def _ld(doc: lxml.html.HtmlElement) -> dict[str, Any]:
    (script,) = doc.xpath("//script[@type='application/ld+json']")
    found: dict[str, Any] = json.loads(script.text)
    return found


def _og(doc: lxml.html.HtmlElement) -> dict[str, str]:
    return {m.get("property"): m.get("content") for m in doc.xpath("//meta[@property]")}


# -- pure builders ------------------------------------------------------------------------------


def test_slugs_are_lowercase_hyphenated_bounded_and_keep_any_script() -> None:
    assert slugify("Ferry Strike: Day 2 — “Talks” Fail!") == "ferry-strike-day-2-talks-fail"
    assert slugify(ARABIC_TITLE) == "افتتاح-الميناء-الجديد-في-المدينة"
    assert slugify("Café à l'Opéra") == "café-à-l-opéra"
    assert slugify("  <>!!  ") == ""
    long = slugify("word " * 100)
    assert len(long) <= MAX_SLUG_CHARS and not long.endswith("-") and long.startswith("word-word")
    assert len(slugify("x" * 500)) == MAX_SLUG_CHARS


def test_a_permalink_is_year_month_slug_and_short_id_and_parses_back() -> None:
    article = Article("0a1b2c3d4e5f6789", ARABIC_TITLE, "", "S", "s", published="2021-04-02")
    path = permalink_path(article, "0a1b2c3d")
    assert path == "/2021/04/" + quote("افتتاح-الميناء-الجديد-في-المدينة", safe="-") + "-0a1b2c3d"
    assert path is not None and path.isascii()
    tail = parse_tail(unquote(path.rsplit("/", 1)[1]))
    assert tail is not None and tail.short_id == "0a1b2c3d"
    assert (
        permalink_path(Article("0a1b2c3d4e5f6789", "T", "", "S", "s", published="2021"), "0a1b2c3d") is None
    )
    assert permalink_path(Article("0a1b2c3d4e5f6789", "T", "", "S", "s"), "0a1b2c3d") is None
    assert parse_tail("ferry-09") is None and parse_tail("09") is None


def test_json_ld_cannot_close_its_script_element_and_means_the_same() -> None:
    article = Article("0a1b2c3d4e5f6789", HOSTILE_TITLE, "body", "S</script>", "s", authors=["<b>A</b>"])
    text = str(json_ld(news_article_ld(article, "https://a.example/articles/x")))
    assert not re.search(r"[<>&\u2028\u2029]", text)
    data = json.loads(text)
    assert data["headline"] == HOSTILE_TITLE
    assert data["publisher"] == {"@type": "Organization", "name": "S</script>"}
    assert data["author"] == [{"@type": "Person", "name": "<b>A</b>"}]
    assert "datePublished" not in data  # undated: never invented


def test_bibtex_fields_are_escaped_and_undated_articles_say_nd() -> None:
    assert bibtex_escape("{100%} #1 a_b & \\o/") == r"\{100\%\} \#1 a\_b \& \textbackslash{}o/"
    assert bibtex_key("Harbour Herald", 2021, "0a1b2c3d") == "harbourherald20210a1b2c3d"
    assert bibtex_key("الجريدة", None, "0a1b2c3d") == "articlend0a1b2c3d"
    undated = Article("0a1b2c3d4e5f6789", "A title", "", "Herald", "s")
    citation = cite(undated, "https://a.example/articles/0a1b2c3d4e5f6789", "0a1b2c3d")
    assert citation.apa == "A title. (n.d.). Herald. https://a.example/articles/0a1b2c3d4e5f6789"
    assert "year =" not in citation.bibtex and "urldate" not in citation.bibtex
    dated = Article(
        "0a1b2c3d4e5f6789", "Pier {plan} 100%", "", "Herald", "s", authors=["Jane Doe", "Li Wei"],
        published="2021-03-09", captures=[CaptureRef("f" * 64, "x.warc", "2022-01-01T00:00:00Z",
                                                     fetched_at="2021-03-10T08:00:00Z")],
    )  # fmt: skip
    citation = cite(dated, "https://a.example/2021/03/pier-0a1b2c3d", "0a1b2c3d")
    assert citation.apa == (
        "Jane Doe & Li Wei. (2021, March 9). Pier {plan} 100%. Herald. "
        "Retrieved March 10, 2021, from https://a.example/2021/03/pier-0a1b2c3d"
    )
    assert "  title = {{Pier \\{plan\\} 100\\%}}," in citation.bibtex
    assert "  author = {{Jane Doe} and {Li Wei}}," in citation.bibtex
    assert "  month = mar," in citation.bibtex and "  urldate = {2021-03-10}," in citation.bibtex
    assert citation.bibtex.startswith("@misc{herald20210a1b2c3d,")


# -- the page -----------------------------------------------------------------------------------


def test_a_hostile_title_stays_inside_the_json_ld_and_the_page_runs_no_script_of_it(
    client: httpx.Client, ids: dict[str, str]
) -> None:
    article_id = ids[HOSTILE_TITLE]
    response = client.get(f"/articles/{article_id}")
    raw = response.text.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in raw and "\u2028" not in raw
    doc = lxml.html.document_fromstring(response.text)
    assert [s.get("src", "").split("?")[0] for s in doc.xpath("//script")] == ["/static/app.js", ""]
    data = _ld(doc)
    canonical = doc.xpath("//link[@rel='canonical']/@href")[0]
    assert canonical.endswith(f"/articles/{article_id}")
    assert data["@type"] == "NewsArticle" and data["headline"] == HOSTILE_TITLE
    assert data["url"] == canonical and data["datePublished"] == "2021-03-09"
    assert data["author"] == [{"@type": "Person", "name": "Jane Doe"}]
    assert data["publisher"] == {"@type": "Organization", "name": "Harbour Herald"}
    assert (data["inLanguage"], data["articleSection"]) == ("en", "Local")
    assert data["isBasedOn"] == "https://herald.example/pier"
    og = _og(doc)
    assert og["og:title"] == HOSTILE_TITLE and og["og:url"] == canonical and og["og:type"] == "article"
    assert og["article:published_time"] == "2021-03-09"


def test_cite_this_works_without_script_and_cites_the_permalink(
    client: httpx.Client, ids: dict[str, str]
) -> None:
    doc = _page(client, ids[HOSTILE_TITLE])
    (details,) = doc.xpath("//details[@id='cite']")
    apa = details.xpath("string(.//p[@class='cite-apa'])")
    permalink = doc.xpath("//dt[.='Permalink']/following-sibling::dd[1]/a/@href")[0]
    assert apa.startswith("Jane Doe. (2021, March 9). Pier plan") and apa.endswith(
        f"Retrieved March 10, 2021, from {permalink}"
    )
    bibtex = details.xpath("string(.//pre)")
    assert "  url = {" + permalink + "}," in bibtex and "  urldate = {2021-03-10}," in bibtex
    assert r"\{100\%\} \#1 a\_b" in bibtex and "</script>" in bibtex  # escaped for BibTeX, then for HTML
    undated = _page(client, ids["Undated note"])
    assert "(n.d.)" in undated.xpath("string(//p[@class='cite-apa'])")
    assert "datePublished" not in _ld(undated) and "article:published_time" not in _og(undated)
    only_address = undated.xpath("//dt[.='Permalink']/following-sibling::dd[1]/a/@href")[0]
    assert urlsplit(only_address).path == f"/articles/{ids['Undated note']}"  # no month: no readable form


def test_restricted_sources_show_no_more_text_in_metadata_than_on_the_page(
    client: httpx.Client, ids: dict[str, str]
) -> None:
    snippet = client.get(f"/articles/{ids['Planet story']}")
    assert FAR_MARKER not in snippet.text
    doc = lxml.html.document_fromstring(snippet.text)
    shown = " ".join(doc.xpath("string(//div[@class='body'])").split())
    description = _ld(doc)["description"]
    assert len(shown) <= EXCERPT_CHARS + 2
    assert description.removesuffix(" …").rstrip(" ,;:.") in shown
    assert _og(doc)["og:description"] == description
    metadata = client.get(f"/articles/{ids['Wire story']}")
    assert FAR_MARKER not in metadata.text
    doc = lxml.html.document_fromstring(metadata.text)
    assert "description" not in _ld(doc) and "og:description" not in _og(doc)
    assert not doc.xpath("//meta[@name='description']")


def test_previous_and_next_follow_the_section_page_and_come_back(
    client: httpx.Client, ids: dict[str, str]
) -> None:
    section = lxml.html.document_fromstring(
        client.get("/sections/Local", params={"source": "Harbour Herald"}).text
    )
    listed = [h.rsplit("/", 1)[-1] for h in section.xpath("//ol[@class='hits']//h3/a/@href")]
    assert len(listed) == 5 and ids["Other source, same section"] not in listed
    assert listed[-1] == ids["Undated note"] and listed[-2] == ids["Day before"]
    walked = [listed[0]]
    while True:
        nav = _page(client, walked[-1]).xpath("//nav[@id='in-section']")[0]
        older = nav.xpath(".//a[@rel='next']")
        if not older:
            assert "Nothing older" in nav.text_content()
            break
        assert older[0].getparent().text.startswith("Older")
        walked.append(older[0].get("href").rsplit("/", 1)[-1])
        back = _page(client, walked[-1]).xpath("//nav[@id='in-section']//a[@rel='prev']/@href")
        assert back == [f"/articles/{walked[-2]}"]
    assert walked == listed
    first = _page(client, listed[0]).xpath("//nav[@id='in-section']")[0]
    assert "Nothing newer" in first.text_content()
    assert first.xpath(".//h2/a/@href") == ["/sections/Local?source=Harbour+Herald"]


def test_permalinks_redirect_to_the_canonical_page(client: httpx.Client, ids: dict[str, str]) -> None:
    article_id = ids[ARABIC_TITLE]
    doc = _page(client, article_id)
    permalink = doc.xpath("//dt[.='Permalink']/following-sibling::dd[1]/a/@href")[0]
    path = urlsplit(permalink).path
    slug = quote("افتتاح-الميناء-الجديد-في-المدينة", safe="-")
    assert path == f"/2021/04/{slug}-{article_id[:8]}"
    shown = doc.xpath("//dt[.='Permalink']/following-sibling::dd[1]/a")[0].text_content()
    assert shown.endswith(f"/2021/04/افتتاح-الميناء-الجديد-في-المدينة-{article_id[:8]}")  # readable
    for asked in (path, path + "/", f"/2021/04/wrong-words-{article_id[:8]}", f"/2019/01/{article_id[:10]}"):
        response = client.get(asked, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (301, f"/articles/{article_id}"), asked
    assert client.get(path, follow_redirects=True).url.path == f"/articles/{article_id}"
    missing = client.get("/2021/04/no-such-article-00000000")
    assert missing.status_code == 404 and "no article has an id starting with 00000000" in missing.text
    assert client.get("/2021/04/not-an-id").status_code == 404
    assert client.get("/2021/03/09/").status_code == 200  # a two-digit day is still the date page
    day = client.get("/2021/03/09", follow_redirects=False)
    assert (day.status_code, day.headers["location"]) == (301, "/2021/03/09/")


def test_canonical_sitemap_and_feed_name_the_same_address(client: httpx.Client, ids: dict[str, str]) -> None:
    article_id = ids["Tie one"]
    canonical = _page(client, article_id).xpath("//link[@rel='canonical']/@href")[0]
    index = ET.fromstring(client.get("/sitemap.xml").content)
    month = next(
        loc.text
        for loc in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
        if "2021-03" in (loc.text or "")
    )
    urls = ET.fromstring(client.get(urlsplit(month).path).content)
    assert canonical in [loc.text for loc in urls.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    feed = ET.fromstring(client.get("/feeds/sections/Local").content)
    links = [
        link.get("href")
        for link in feed.iter("{http://www.w3.org/2005/Atom}link")
        if link.get("rel") == "alternate"
    ]
    assert canonical in links


@pytest.fixture(scope="module")
def twin_prefix_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Two articles whose ids share their first 15 digits, one of March and one of April 2021.

    Ingest names articles by their capture's SHA-256, so such ids are written through the store
    (as conftest's hostile enrichment is) and then indexed.
    """
    from newsarchive.store.base import ArticleDraft

    root = tmp_path_factory.mktemp("twins") / "archive"
    with Archive.open(root, Settings(enrich=False), create=True) as archive:
        with archive.store.transaction():
            for n, month in ((1, "03"), (2, "04")):
                article = Article(f"abcdef010000000{n}", f"Twin {n}", _text(50 + n), "Gazette", "gazette",
                                  published=f"2021-{month}-0{n}", section="Local", word_count=80)  # fmt: skip
                archive.store.insert_article(ArticleDraft(article, [article.body]))
        archive.reindex()
    with live_server(create_app(root, Settings(enrich=False))) as url:
        yield url


def test_a_shared_prefix_is_told_apart_by_the_month_or_is_a_clear_404(twin_prefix_url: str) -> None:
    with httpx.Client(base_url=twin_prefix_url, timeout=30) as c:
        doc = lxml.html.document_fromstring(c.get("/articles/abcdef0100000002").text)
        permalink = doc.xpath("//dt[.='Permalink']/following-sibling::dd[1]/a/@href")[0]
        assert urlsplit(permalink).path == "/2021/04/twin-2-abcdef0100000002"  # the prefix that is unique
        for asked, target in (("/2021/03/twin-abcdef01", "1"), ("/2021/04/whatever-abcdef01", "2"),
                              ("/2020/01/twin-abcdef0100000002", "2")):  # fmt: skip
            response = c.get(asked, follow_redirects=False)
            assert (response.status_code, response.headers["location"]) == (
                301,
                f"/articles/abcdef010000000{target}",
            )
        ambiguous = c.get("/2022/01/twin-abcdef01")
        assert ambiguous.status_code == 404
        assert "2 articles have an id starting with abcdef01" in ambiguous.text
        assert (
            "/articles/abcdef0100000001" in ambiguous.text and "/articles/abcdef0100000002" in ambiguous.text
        )
