"""Rights per source on every public surface: Harbour Herald is snippet-only, Valley Courier
metadata-only, Coastline Wire full; a read or write token sees everything. A real server over the
fixture archive."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsarchive.errors import ArchiveError
from newsarchive.settings import Settings
from newsarchive.web import create_app
from newsarchive.web.app import settings_to_env
from newsarchive.web.rights import EXCERPT_CHARS, SourceRights, excerpt

from .conftest import HOSTILE_ENTITY, WRITE_TOKEN, live_server

READ_TOKEN = "r3ad-everything"
SNIPPET, METADATA, FULL = "Harbour Herald", "Valley Courier", "Coastline Wire"
RIGHTS = ((SNIPPET, "snippet"), (METADATA, "metadata"))
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
READER = {"Authorization": f"Bearer {READ_TOKEN}"}
WRITER = {"Authorization": f"Bearer {WRITE_TOKEN}"}


@pytest.fixture(scope="module")
def rights_url(fixture_archive: Path) -> Iterator[str]:
    app = create_app(
        fixture_archive, Settings(source_rights=RIGHTS), write_token=WRITE_TOKEN, read_token=READ_TOKEN
    )
    with live_server(app) as url:
        yield url


@pytest.fixture()
def client(rights_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=rights_url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def full_articles(rights_url: str) -> dict[str, dict[str, Any]]:
    """One article of each source, as the read token sees it (all of it)."""
    with httpx.Client(base_url=rights_url, timeout=30, headers=READER) as c:
        hits = c.get("/api/search", params={"per_page": 100, "all_versions": "true"}).json()["hits"]
        out = {}
        for source in (SNIPPET, METADATA, FULL):
            hit = next(h for h in hits if h["source"] == source)
            out[source] = c.get(f"/api/articles/{hit['id']}").json()
    return out


def _tail(body: str) -> str:
    """The body's last sentence: past any excerpt."""
    return body.strip().rsplit(". ", 1)[-1]


def _head(body: str) -> str:
    return body[:40]


def _visible(page: str) -> str:
    """A page's text as a reader sees it: entity links and other markup must neither hide a leak
    from a "not in" check nor split a sentence a check looks for."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


# -- the rule ---------------------------------------------------------------------------------


def test_excerpt_is_short_and_cut_at_a_word() -> None:
    body = "word " * 200
    cut = excerpt(body)
    assert len(cut) <= EXCERPT_CHARS + 2 and cut.endswith(" …") and "wor …" not in cut
    assert excerpt("A short body.") == "A short body."


def test_star_sets_every_other_source_and_named_ones_win() -> None:
    rights = SourceRights.of_pairs([("*", "metadata"), (FULL, "full")])
    assert rights.right("Anyone") == "metadata" and rights.right(FULL) == "full" and rights.restricts
    assert not SourceRights.of_pairs([(FULL, "full")]).restricts


def test_settings_read_rights_from_toml_environment_and_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml = tmp_path / "settings.toml"
    toml.write_text('[newsarchive]\nsource_rights = {"Harbour Herald" = "snippet", "*" = "Metadata"}\n')
    assert Settings.load(toml).source_rights == ((SNIPPET, "snippet"), ("*", "metadata"))
    monkeypatch.setenv("NEWSARCHIVE_SOURCE_RIGHTS", "Valley Courier=metadata, A=B=full")
    loaded = Settings.load()
    assert loaded.source_rights == ((METADATA, "metadata"), ("A=B", "full"))
    # what `serve --workers` hands its worker processes comes back the same
    assert Settings(**json.loads(settings_to_env(loaded))) == loaded
    monkeypatch.setenv("NEWSARCHIVE_SOURCE_RIGHTS", "Valley Courier=secret")
    with pytest.raises(ArchiveError, match="'secret' for 'Valley Courier' is not one of full, snippet"):
        Settings.load()


# -- article page and API ---------------------------------------------------------------------


def test_article_page_shows_an_excerpt_or_only_the_details(
    client: httpx.Client, full_articles: dict[str, dict[str, Any]]
) -> None:
    snippet, metadata, full = (full_articles[s] for s in (SNIPPET, METADATA, FULL))
    page = client.get(f"/articles/{snippet['id']}").text
    assert _head(snippet["body"]) in _visible(page) and _tail(snippet["body"]) not in _visible(page)
    assert "Only an excerpt of this article is public" in page and snippet["title"] in page
    assert "/captures/" not in page.split('id="captures"', 1)[1].split("</table>", 1)[0]
    page = client.get(f"/articles/{metadata['id']}").text
    assert _head(metadata["body"]) not in _visible(page) and _tail(metadata["body"]) not in _visible(page)
    assert metadata["title"] in page and METADATA in page and metadata["section"] in page
    assert metadata["url"] in page and metadata["published"] in page
    page = client.get(f"/articles/{full['id']}").text
    assert _tail(full["body"]) in _visible(page) and "rights-notice" not in _visible(page)


def test_the_tokens_see_the_article_page_in_full_and_uncached(
    client: httpx.Client, full_articles: dict[str, dict[str, Any]]
) -> None:
    metadata = full_articles[METADATA]
    public = client.get(f"/articles/{metadata['id']}")
    assert "Authorization" in public.headers["vary"] and public.headers["etag"]
    for token in (READER, WRITER):
        # a cached public copy's validator must not earn the token holder a 304 of it
        seen = client.get(
            f"/articles/{metadata['id']}", headers={**token, "If-None-Match": public.headers["etag"]}
        )
        assert seen.status_code == 200 and _tail(metadata["body"]) in _visible(seen.text)
        assert seen.headers["cache-control"] == "private, no-store" and "etag" not in seen.headers
    wrong = client.get(f"/articles/{metadata['id']}", headers={"Authorization": "Bearer nope"})
    assert _head(metadata["body"]) not in wrong.text


def test_api_article_blanks_body_and_captions_and_says_why(
    client: httpx.Client, full_articles: dict[str, dict[str, Any]]
) -> None:
    snippet, metadata, full = (full_articles[s] for s in (SNIPPET, METADATA, FULL))
    got = client.get(f"/api/articles/{snippet['id']}").json()
    assert got["rights"] == "snippet" and got["body"] == excerpt(snippet["body"])
    assert got["body"] != snippet["body"] and got["captions"] == []
    assert got["title"] == snippet["title"] and got["url"] == snippet["url"]
    got = client.get(f"/api/articles/{metadata['id']}").json()
    assert got["rights"] == "metadata" and got["body"] == "" and got["captions"] == []
    assert (got["title"], got["source"], got["published"], got["section"], got["url"]) == (
        metadata["title"], METADATA, metadata["published"], metadata["section"], metadata["url"],
    )  # fmt: skip
    assert client.get(f"/api/articles/{full['id']}").json()["body"] == full["body"]
    versions = client.get(f"/api/articles/{metadata['id']}/versions").json()
    assert versions and all(v["body"] == "" for v in versions)
    assert client.get(f"/api/articles/{metadata['id']}", headers=READER).json()["body"] == metadata["body"]


def test_captures_of_restricted_sources_are_not_public(
    client: httpx.Client, full_articles: dict[str, dict[str, Any]]
) -> None:
    for source in (SNIPPET, METADATA):
        article = full_articles[source]
        sha = article["captures"][0]["sha256"]
        for path in (f"/articles/{article['id']}/captures/{sha}", f"/api/captures/{sha}"):
            refused = client.get(path)
            assert refused.status_code == 403, path
            assert _tail(article["body"]) not in _visible(refused.text) and "not public" in refused.text
            allowed = client.get(path, headers=READER)
            assert allowed.status_code == 200 and _tail(article["body"]) in _visible(allowed.text)
        assert client.get(f"/articles/{article['id']}/captures/{sha}/frame").status_code == 403
    full = full_articles[FULL]
    sha = full["captures"][0]["sha256"]
    assert client.get(f"/articles/{full['id']}/captures/{sha}").status_code == 200


# -- search, browse, feeds, sitemaps ----------------------------------------------------------


def test_search_hits_keep_snippets_only_where_allowed(client: httpx.Client) -> None:
    params = {"q": "roof", "per_page": 100, "all_versions": "true"}
    hits = client.get("/api/search", params=params).json()["hits"]
    by_source = {s: [h for h in hits if h["source"] == s] for s in (SNIPPET, METADATA)}
    assert by_source[SNIPPET] and by_source[METADATA]
    assert all(h["snippet"] for h in by_source[SNIPPET])
    assert all(h["snippet"] == "" and h["title"] for h in by_source[METADATA])
    assert all(h["snippet"] for h in client.get("/api/search", params=params, headers=READER).json()["hits"])
    page = client.get("/search", params={"q": "roof", "source": METADATA, "all_versions": "true"}).text
    assert "Fish market roof repaired" in page  # found by its title
    assert "Traders at the covered" not in page and "at the covered fish market" not in page
    page = client.get(
        "/search", params={"q": "Traders", "source": METADATA, "all_versions": "true"}, headers=READER
    ).text
    assert "<b>Traders</b>" in page


def test_public_searches_do_not_match_a_metadata_sources_text(client: httpx.Client) -> None:
    """Which articles a word finds, how many and when would tell what a metadata-only source's
    text says: its body is not searched without a token, on any surface that takes a query; its
    titles are, and a snippet source's text is (its snippets are public)."""
    body_word = {"q": "Traders", "source": METADATA, "all_versions": "true"}  # in its body, not title
    assert client.get("/api/search", params=body_word, headers=READER).json()["total"] >= 1
    assert client.get("/api/search", params=body_word).json()["total"] == 0
    assert client.get("/api/search", params={**body_word, "q": "body:traders"}).json()["total"] == 0
    assert client.get("/api/search", params={**body_word, "q": "roof"}).json()["total"] >= 1
    everywhere = {"q": "Traders", "all_versions": "true"}
    public = client.get("/api/search", params={**everywhere, "per_page": 100}).json()
    assert METADATA not in public["facets"].get("source", {})
    assert all(h["source"] != METADATA for h in public["hits"])
    page = client.get("/search", params=body_word).text
    assert "Fish market roof repaired" not in page
    timeline = client.get("/api/timeline", params={**body_word, "by": "year"}).json()
    assert sum(row["count"] for row in timeline["rows"]) + timeline["queries"][0]["undated"] == 0
    export = client.get("/api/export", params={**body_word, "format": "jsonl"})
    assert export.headers["x-total-matches"] == "0" and export.text == ""
    feed = ET.fromstring(client.get("/feeds/search", params=body_word).content)
    assert feed.findall(f"{ATOM}entry") == []
    terms = client.get("/api/terms", params=body_word).json()
    assert terms["matches"] == 0
    full = client.get("/api/export", params={**body_word, "format": "jsonl"}, headers=READER)
    assert int(full.headers["x-total-matches"]) >= 1
    snippet_word = client.get(
        "/api/search", params={"q": "Traders", "source": SNIPPET, "all_versions": "true"}
    )
    assert (
        snippet_word.json()["total"]
        == client.get(
            "/api/search", params={"q": "Traders", "source": SNIPPET, "all_versions": "true"}, headers=READER
        ).json()["total"]
    )


def test_section_listing_hides_metadata_snippets(client: httpx.Client) -> None:
    page = client.get("/sections/Sport", params={"source": METADATA}).text
    assert "Fish market roof repaired" in page and "Traders at the covered" not in page


def test_feeds_carry_no_summary_beyond_the_right(
    client: httpx.Client, full_articles: dict[str, dict[str, Any]]
) -> None:
    feed = ET.fromstring(client.get("/feeds/search", params={"q": "roof OR ferry"}).content)
    entries = {
        e.find(f"{ATOM}author/{ATOM}name").text: e  # type: ignore[union-attr]
        for e in feed.iter(f"{ATOM}entry")
    }
    assert entries[METADATA].find(f"{ATOM}summary") is None
    assert entries[METADATA].find(f"{ATOM}title").text  # type: ignore[union-attr]
    summary = entries[SNIPPET].find(f"{ATOM}summary")
    assert summary is not None and summary.text
    text = ET.tostring(feed, encoding="unicode")
    for source in (SNIPPET, METADATA):
        assert _tail(full_articles[source]["body"]) not in text
    full_feed = client.get("/feeds/search", params={"q": "roof OR ferry"}, headers=READER)
    assert full_feed.headers["cache-control"] == "private, no-store"
    assert all(
        e.find(f"{ATOM}summary") is not None for e in ET.fromstring(full_feed.content).iter(f"{ATOM}entry")
    )


def test_sitemaps_still_list_restricted_articles(
    client: httpx.Client, rights_url: str, full_articles: dict[str, dict[str, Any]]
) -> None:
    index = ET.fromstring(client.get("/sitemap.xml").content)
    locs: list[str] = []
    for loc in index.iter(f"{SM}loc"):
        month = ET.fromstring(client.get((loc.text or "").removeprefix(rights_url)).content)
        locs.extend(u.text or "" for u in month.iter(f"{SM}loc"))
    for source in (SNIPPET, METADATA):
        hits = client.get("/api/search", params={"source": source, "per_page": 100}).json()["hits"]
        assert hits and all(f"{rights_url}/articles/{h['id']}" in locs for h in hits if h["published"])


# -- export -----------------------------------------------------------------------------------


def test_export_blanks_body_and_captions_but_keeps_every_row(client: httpx.Client) -> None:
    response = client.get("/api/export", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == int(response.headers["x-total-matches"]) == int(response.headers["x-export-rows"])
    for row in rows:
        if row["source"] in (SNIPPET, METADATA):
            assert row["body"] == "" and row["captions"] == "[]" and row["title"]
    assert any(r["source"] == FULL and r["body"] for r in rows)
    assert {SNIPPET, METADATA} <= {r["source"] for r in rows}
    lines = client.get("/api/export", params={"format": "jsonl", "fields": "source,body,captions"}).text
    records = [json.loads(line) for line in lines.splitlines()]
    assert len(records) == len(rows)
    assert all(r["body"] == "" and r["captions"] == [] for r in records if r["source"] in (SNIPPET, METADATA))
    full = client.get("/api/export", params={"format": "jsonl", "fields": "source,body"}, headers=WRITER)
    assert all(json.loads(line)["body"] for line in full.text.splitlines())


def test_a_star_right_restricts_every_source_not_named(fixture_archive: Path) -> None:
    settings = Settings(source_rights=(("*", "metadata"), (FULL, "full")))
    with live_server(create_app(fixture_archive, settings, read_token=READ_TOKEN)) as url:
        hits = httpx.get(f"{url}/api/search", params={"per_page": 100}, timeout=30).json()["hits"]
    assert any(h["source"] == FULL and h["snippet"] for h in hits)
    assert all(h["snippet"] == "" for h in hits if h["source"] != FULL)
    assert re.search("Evil", " ".join(h["source"] for h in hits))  # the hostile sources too


def test_quotes_and_event_evidence_of_restricted_sources_are_withheld(
    fixture_archive: Path, article_ids: dict[str, str]
) -> None:
    """The hostile row (an Evil Gazette source, here metadata-only by '*') has a quote and events."""
    settings = Settings(source_rights=(("*", "metadata"), (FULL, "full")))
    hostile = article_ids["hostile_row"]
    with (
        live_server(create_app(fixture_archive, settings, read_token=READ_TOKEN)) as url,
        httpx.Client(base_url=url, timeout=30) as c,
    ):
        every = {"limit": 1000}  # the fixture's own quotes and events must not push the hostile row's out
        full_quotes = c.get("/api/quotes", params=every, headers=READER).json()
        full_events = c.get("/api/events", params=every, headers=READER).json()
        quotes, events = c.get("/api/quotes", params=every).json(), c.get("/api/events", params=every).json()
        enrichment = c.get(f"/api/articles/{hostile}/enrichment").json()
        entity = c.get("/api/entities", params={"name": HOSTILE_ENTITY}).json()
        entity_page = c.get("/entities", params={"name": HOSTILE_ENTITY}).text
        events_page = c.get("/events").text
    assert any(q["article_id"] == hostile for q in full_quotes)
    assert not any(q["article_id"] == hostile for q in quotes)
    assert any(e["article_id"] == hostile and e["evidence"]["text"] for e in full_events)
    hostile_events = [e for e in events if e["article_id"] == hostile]
    assert hostile_events and all(e["evidence"]["text"] == "" for e in hostile_events)
    assert enrichment["quotes"] == [] and enrichment["events"]
    assert all(e["evidence"]["text"] == "" for e in enrichment["events"])
    assert enrichment["entities"]  # the names stay
    assert entity["quotes"] == [] and all(e["evidence"]["text"] == "" for e in entity["events"])
    for page in (entity_page, events_page):
        assert "xss-quote" not in page and "xss-evidence" not in page


def test_serve_refuses_a_right_it_does_not_know(fixture_archive: Path) -> None:
    from click.testing import CliRunner

    from newsarchive.cli import cli

    result = CliRunner().invoke(
        cli, ["--archive", str(fixture_archive), "serve", "--rights", "Valley Courier=secret"]
    )
    assert result.exit_code == 2
    assert "'secret' for 'Valley Courier' is not one of full, snippet, metadata" in result.output
