"""Copies and versions on the article page, the diff page and their API, over a small archive of
fictional stories: one syndicated by another paper, one URL captured twice with changed text (the
change holding a script tag), and an exact duplicate merged into an earlier capture."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import lxml.html
import pytest
from openapi_spec_validator import validate

from newsarchive.archive import Archive
from newsarchive.settings import Settings
from newsarchive.web import create_app
from tests.web.conftest import live_server
from tests.web.test_api import ARTICLE_FIELDS
from tests.web.test_pages import assert_inert

LIGHTHOUSE = (
    "The keeper of the Gull Point lighthouse, Ines Marwood, climbed the spiral stairs for the last time on "
    "Friday after forty-one years of service. She first lit the lamp in 1982, when the light still ran on "
    "paraffin and had to be wound by hand every four hours through the night.\n\n"
    "Harbour pilots gathered on the quay to sound their horns as she locked the iron door. The coastguard "
    "said the light would be fully automated from next month, and that the keeper's cottage would become "
    "a small museum about the coast and the ships that were lost on the Gull Point reef."
)
SYNDICATED = LIGHTHOUSE.replace("said the light", "stated the light", 1) + (
    "\n\nNorthwind Daily readers can send their memories of the lighthouse to the newsroom."
)
BRIDGE_BEFORE = (
    "The Alder Street bridge will reopen to traffic on Monday, the city works office said, after eight "
    "months of repairs to its rusted steel beams. Cyclists will have a separate lane for the first time.\n\n"
    "Shops on both banks said the closure had cost them customers, and the council promised a street "
    "market on the bridge for the opening weekend."
)
HOSTILE_WORD = "<script>alert('xss-diff')</script>"
BRIDGE_AFTER = BRIDGE_BEFORE.replace("on Monday,", f"on Thursday {HOSTILE_WORD},", 1).replace(
    "for the first time.", "for the first time, painted green.", 1
)
MARKET = (
    "Stallholders at the Wexbury covered market voted to open on Sundays from May, ending a rule that "
    "dates back to 1911. The market board said the change would bring in visitors from the coastal towns, "
    "and that rents would stay the same for the first year."
)
FAROL = (
    "O farol da Ponta das Gaivotas reabriu ao público depois de dois anos de obras, disse a câmara municipal. "
    "Os visitantes podem subir à torre aos sábados."
)
BRIDGE_URL = "https://gullbaytimes.example/city/alder-bridge"


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _row(url: str, title: str, date: str, source: str, text: str, **extra: str) -> dict[str, str]:
    return {
        "url": url,
        "title": title,
        "date": date,
        "source": source,
        "language": "en",
        "text": text,
    } | extra


ROWS = [
    _row("https://gullbaytimes.example/local/lighthouse-keeper", "Lighthouse keeper retires after forty-one years",
         "2023-03-03", "Gull Bay Times", LIGHTHOUSE),
    _row("https://northwinddaily.example/coast/gull-point-keeper", "Gull Point keeper says goodbye",
         "2023-03-04", "Northwind Daily", SYNDICATED),
    # one URL captured twice: the second capture (a day later) changed two words
    _row(BRIDGE_URL, "Alder Street bridge to reopen", "2023-04-01", "Gull Bay Times", BRIDGE_BEFORE,
         fetched_at="2023-04-01T08:00:00Z"),
    _row(BRIDGE_URL, "Alder Street bridge to reopen", "2023-04-02", "Gull Bay Times", BRIDGE_AFTER,
         fetched_at="2023-04-02T08:00:00Z"),
    _row("https://gullbaytimes.example/business/market-sundays", "Covered market to open on Sundays",
         "2023-05-09", "Gull Bay Times", MARKET),
    # A story sharing no word with the others. Without one, the exact duplicate's merge leaves a
    # deleted document holding words every live one has, and tantivy's more-like-this panics on
    # every article page (see test_article_page_after_a_merge_in_a_tiny_archive below).
    _row("https://diariodocabo.example/cultura/farol", "Farol da Ponta das Gaivotas reabre", "2023-06-01",
         "Diário do Cabo", FAROL, language="pt"),
]  # fmt: skip
PRINT_EDITION = _row(
    "https://gullbaytimes.example/print/market-sundays",
    "Covered market to open on Sundays",
    "2023-05-08",
    "Gull Bay Times",
    MARKET.upper(),  # the same words: an exact duplicate, published a day earlier, so it survives
)


@dataclass(frozen=True)
class Ids:
    lighthouse: str
    syndicated: str
    bridge_before: str
    bridge_after: str
    market: str
    merged: str
    """The market story as first ingested; merged into the print edition ingested later."""


@pytest.fixture(scope="module")
def versions_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ids]:
    folder = tmp_path_factory.mktemp("versions")
    first = write_jsonl(folder / "stories.jsonl", ROWS)
    second = write_jsonl(folder / "print.jsonl", [PRINT_EDITION])
    root = folder / "archive"
    with Archive.open(root, Settings(), create=True) as archive:
        assert archive.ingest([first], enrich=False).articles_new == len(ROWS)
        by_body = {a.body: a.id for a in archive.articles()}
        merged = by_body[MARKET]
        assert archive.ingest([second], enrich=False).duplicates == 1
        survivor = archive.article(merged).id
    assert survivor != merged
    ids = Ids(
        by_body[LIGHTHOUSE],
        by_body[SYNDICATED],
        by_body[BRIDGE_BEFORE],
        by_body[BRIDGE_AFTER],
        survivor,
        merged,
    )
    return root, ids


@pytest.fixture(scope="module")
def ids(versions_archive: tuple[Path, Ids]) -> Ids:
    return versions_archive[1]


@pytest.fixture(scope="module")
def web(versions_archive: tuple[Path, Ids]) -> Iterator[httpx.Client]:
    with (
        live_server(create_app(versions_archive[0], Settings())) as base,
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        yield client


def page(web: httpx.Client, url: str) -> lxml.html.HtmlElement:
    response = web.get(url)
    assert response.status_code == 200, (url, response.text[:500])
    return assert_inert(response.text)


# -- the article page ----------------------------------------------------------------------------


def test_article_page_lists_the_other_copy_with_its_source_and_scores(web: httpx.Client, ids: Ids) -> None:
    doc = page(web, f"/articles/{ids.lighthouse}")
    section = doc.xpath("//section[@id='copies']")[0]
    assert section.xpath("string(h2)") == "Also published by"
    items = section.xpath(".//ul[@class='copy-list']/li")
    assert len(items) == 1  # the other copy, not this article
    link = items[0].xpath(".//a")[0]
    assert link.get("href") == f"/articles/{ids.syndicated}" and link.text == "Gull Point keeper says goodbye"
    meta = items[0].text_content()
    assert "Northwind Daily" in meta and "4 March 2023" in meta  # the date as the interface writes it
    assert re.search(r"resemblance \d+% · containment \d+%", " ".join(meta.split()))
    text = " ".join(section.text_content().split())
    assert "Search shows this copy" in text and "containment the share of the shorter text" in text
    assert not doc.xpath("//section[@id='versions']")  # one capture of its URL: no versions section


def test_the_copy_not_shown_in_search_says_which_one_is(web: httpx.Client, ids: Ids) -> None:
    doc = page(web, f"/articles/{ids.syndicated}")
    section = doc.xpath("//section[@id='copies']")[0]
    item = section.xpath(".//ul[@class='copy-list']/li")[0]
    assert item.xpath(".//a/@href")[0] == f"/articles/{ids.lighthouse}"
    assert item.xpath(".//strong[@class='shown']")  # no scores for the copy compared with itself
    text = " ".join(section.text_content().split())
    assert "Search shows the copy from Gull Bay Times; this one is folded into it" in text


def test_a_lone_article_has_no_other_copy(web: httpx.Client, ids: Ids) -> None:
    doc = page(web, f"/articles/{ids.market}")
    assert "No other copy" in doc.xpath("string(//section[@id='copies'])")


def test_versions_section_lists_both_captures_with_latest_and_compare_links(
    web: httpx.Client, ids: Ids
) -> None:
    doc = page(web, f"/articles/{ids.bridge_after}")
    section = doc.xpath("//section[@id='versions']")[0]
    assert "2 versions of this URL" in section.text_content()
    items = section.xpath(".//ol[@class='version-list']/li")
    assert len(items) == 2
    older, newer = items
    assert older.xpath(".//a/@href")[0] == f"/articles/{ids.bridge_before}"
    assert "1 April 2023" in older.text_content() and not older.xpath(".//strong[@class='latest']")
    assert newer.get("aria-current") == "true" and newer.xpath(".//strong[@class='latest']")
    compare = older.xpath(".//a[text()='compare with this version']/@href")
    assert compare == [f"/articles/{ids.bridge_after}/diff?from={ids.bridge_before}"]
    assert not doc.xpath("//p[contains(@class, 'version-notice')]")  # the latest has no notice
    assert not doc.xpath("//ul[@class='copy-list']")  # versions of a URL are not copies


def test_an_older_version_links_the_latest_at_the_top(web: httpx.Client, ids: Ids) -> None:
    doc = page(web, f"/articles/{ids.bridge_before}")
    notice = doc.xpath("//article//p[contains(@class, 'version-notice')]")[0]
    assert "older version" in notice.text_content()
    links = notice.xpath(".//a/@href")
    assert f"/articles/{ids.bridge_after}" in links
    assert f"/articles/{ids.bridge_after}/diff?from={ids.bridge_before}" in links
    items = doc.xpath("//section[@id='versions']//ol[@class='version-list']/li")
    # compared in time order: from this older version to the newer one
    assert items[1].xpath(".//a[text()='compare with this version']/@href") == [
        f"/articles/{ids.bridge_after}/diff?from={ids.bridge_before}"
    ]


def test_a_merged_id_redirects_to_the_survivor(web: httpx.Client, ids: Ids) -> None:
    response = web.get(f"/articles/{ids.merged}", params={"span": "0-5"})
    assert response.status_code == 301
    assert response.headers["location"] == f"/articles/{ids.market}"
    assert web.get(response.headers["location"]).status_code == 200
    assert web.get(f"/api/articles/{ids.merged}").json()["id"] == ids.market  # the API answers the survivor
    # a readable permalink made before the merge (its short id is the merged one's) finds it too
    permalink = web.get(f"/2016/01/market-story-{ids.merged[:8]}")
    assert permalink.status_code == 301 and permalink.headers["location"] == f"/articles/{ids.market}"


def test_article_page_after_a_merge_in_a_tiny_archive(tmp_path: Path) -> None:
    rows = [r for r in ROWS if r["text"] != FAROL]
    with Archive.open(tmp_path / "archive", Settings(), create=True) as archive:
        archive.ingest([write_jsonl(tmp_path / "stories.jsonl", rows)], enrich=False)
        archive.ingest([write_jsonl(tmp_path / "print.jsonl", [PRINT_EDITION])], enrich=False)
        article_id = next(archive.articles()).id
    with live_server(create_app(tmp_path / "archive", Settings())) as base:
        assert httpx.get(f"{base}/articles/{article_id}", timeout=30).status_code == 200


# -- the diff page -------------------------------------------------------------------------------


def test_diff_page_marks_inserted_and_deleted_words(web: httpx.Client, ids: Ids) -> None:
    response = web.get(f"/articles/{ids.bridge_after}/diff", params={"from": ids.bridge_before})
    assert response.status_code == 200 and "max-age=300" in response.headers["cache-control"]
    doc = assert_inert(response.text)
    diff = doc.xpath("//div[@class='diff']")[0]
    inserted = [e.text_content() for e in diff.xpath(".//ins")]
    deleted = [e.text_content() for e in diff.xpath(".//del")]
    assert inserted == [f"Thursday {HOSTILE_WORD},", "time, painted green."]
    assert deleted == ["Monday,", "time."]
    assert diff.text_content().startswith("The Alder Street bridge will reopen to traffic on ")
    stats = " ".join(doc.xpath("string(//dd[@class='diff-stats'])").split())
    assert stats == "5 words added, 2 words removed"
    links = doc.xpath("//dl[@class='meta-grid']//a/@href")
    assert links == [f"/articles/{ids.bridge_before}", f"/articles/{ids.bridge_after}"]
    etag = response.headers["etag"]
    again = web.get(
        f"/articles/{ids.bridge_after}/diff?from={ids.bridge_before}", headers={"If-None-Match": etag}
    )
    assert again.status_code == 304


def test_diff_page_escapes_archived_script(web: httpx.Client, ids: Ids) -> None:
    text = web.get(f"/articles/{ids.bridge_after}/diff", params={"from": ids.bridge_before}).text
    assert "<ins>Thursday &lt;script&gt;alert(&#39;xss-diff&#39;)&lt;/script&gt;,</ins>" in text
    assert HOSTILE_WORD not in text
    assert_inert(text)  # one script element: ours


def test_diff_the_other_way_swaps_the_sides(web: httpx.Client, ids: Ids) -> None:
    doc = page(web, f"/articles/{ids.bridge_before}/diff?from={ids.bridge_after}")
    deleted = doc.xpath("//div[@class='diff']//del")
    assert deleted[0].text_content().startswith("Thursday")
    assert "later version to an earlier one" in doc.xpath("string(//dd[@class='diff-stats'])")


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("", "from is missing"),
        ("?from=", "from is missing"),
        ("?from={lighthouse}", "not versions of the same URL"),
        ("?from={bridge_after}", "this version itself"),
    ],
)
def test_diff_of_no_or_unrelated_version_is_a_400(web: httpx.Client, ids: Ids, query: str, says: str) -> None:
    url = f"/articles/{ids.bridge_after}/diff" + query.format(**vars(ids))
    response = web.get(url)
    assert response.status_code == 400 and response.headers["cache-control"] == "no-store"
    assert says in lxml.html.document_fromstring(response.text).xpath("string(//section[@class='error'])")
    api = web.get("/api" + url)
    assert api.status_code == 400 and says in api.json()["error"]


@pytest.mark.parametrize("which", ["id", "from"])
def test_diff_with_an_unknown_id_is_a_404(web: httpx.Client, ids: Ids, which: str) -> None:
    url = (
        f"/articles/nope/diff?from={ids.bridge_before}"
        if which == "id"
        else f"/articles/{ids.bridge_after}/diff?from=nope"
    )
    response = web.get(url)
    assert response.status_code == 404 and "search" in response.text
    assert web.get("/api" + url).status_code == 404


# -- the API -------------------------------------------------------------------------------------


def test_api_versions_are_the_url_versions(web: httpx.Client, ids: Ids) -> None:
    response = web.get(f"/api/articles/{ids.bridge_before}/versions")
    assert response.status_code == 200 and "etag" in response.headers
    versions = response.json()
    assert [v["id"] for v in versions] == [ids.bridge_before, ids.bridge_after]
    assert all(set(v) == ARTICLE_FIELDS for v in versions)
    assert [v["latest"] for v in versions] == [False, True]
    lone = web.get(f"/api/articles/{ids.lighthouse}/versions").json()
    assert [v["id"] for v in lone] == [ids.lighthouse]  # a copy elsewhere is not a version


def test_api_copies(web: httpx.Client, ids: Ids) -> None:
    copies = web.get(f"/api/articles/{ids.syndicated}/copies").json()
    assert [c["id"] for c in copies] == [ids.lighthouse, ids.syndicated]  # the one shown first
    assert set(copies[0]) == {"id", "title", "source", "url", "published", "representative", "resemblance",
                              "containment"}  # fmt: skip
    assert copies[0]["representative"] and not copies[1]["representative"]
    assert copies[1]["source"] == "Northwind Daily" and 0.8 < copies[1]["resemblance"] < 1
    assert [c["id"] for c in web.get(f"/api/articles/{ids.market}/copies").json()] == [ids.market]


def test_api_diff(web: httpx.Client, ids: Ids) -> None:
    response = web.get(f"/api/articles/{ids.bridge_after}/diff", params={"from": ids.bridge_before})
    assert response.status_code == 200 and response.headers["cache-control"] == "public, max-age=300"
    data = response.json()
    assert set(data) == {"from", "to", "added", "removed", "parts"}
    assert (data["from"], data["to"], data["added"], data["removed"]) == (
        ids.bridge_before,
        ids.bridge_after,
        5,
        2,
    )
    assert {p["op"] for p in data["parts"]} == {"same", "added", "removed"}
    assert "".join(p["text"] for p in data["parts"] if p["op"] != "removed") == BRIDGE_AFTER
    assert "".join(p["text"] for p in data["parts"] if p["op"] != "added") == BRIDGE_BEFORE
    again = web.get(response.url, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_api_of_unknown_article_is_404_json(web: httpx.Client) -> None:
    for path in (
        "/api/articles/nope/copies",
        "/api/articles/nope/versions",
        "/api/articles/nope/diff?from=x",
    ):
        response = web.get(path)
        assert response.status_code == 404 and response.headers["content-type"].startswith("application/json")


def test_openapi_documents_copies_versions_and_diff(web: httpx.Client) -> None:
    spec = web.get("/openapi.json").json()
    validate(spec)
    for path in ("versions", "copies", "diff"):
        operation = spec["paths"][f"/api/articles/{{article_id}}/{path}"]["get"]
        assert operation["summary"] and operation["description"]
        assert {"200", "404"} <= set(operation["responses"])
        assert "$ref" in str(operation["responses"]["200"])
    diff = spec["paths"]["/api/articles/{article_id}/diff"]["get"]
    assert "400" in diff["responses"]
    assert [p["name"] for p in diff["parameters"] if p["in"] == "query"] == ["from"]
    assert {"from", "to", "added", "removed", "parts"} <= set(
        spec["components"]["schemas"]["DiffBody"]["properties"]
    )
    assert {"representative", "latest"} <= set(spec["components"]["schemas"]["ArticleBody"]["properties"])
