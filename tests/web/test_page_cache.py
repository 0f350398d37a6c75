"""The page cache: a public page built once is answered again from memory, by its ETag, until the
archive changes; a token's requests and cookie-setting answers never touch it; bounded by bytes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import Response

from newsarchive.archive import Archive
from newsarchive.settings import Settings
from newsarchive.web import create_app
from newsarchive.web.caching import Freshness
from newsarchive.web.page_cache import CachedAnswer, PageCache

from .conftest import WRITE_TOKEN, live_server


@pytest.fixture()
def served(tmp_path: Path, web_fixtures: Path) -> Iterator[tuple[FastAPI, httpx.Client, Path]]:
    root = tmp_path / "archive"
    with Archive.open(root, Settings(enrich=False), create=True) as archive:
        archive.ingest([web_fixtures / "corpus.jsonl"])
    app = create_app(root, Settings(), write_token=WRITE_TOKEN)
    app.state.freshness = Freshness(ttl=0)  # read the generation on every request
    with live_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield app, client, root


def _an_article(client: httpx.Client) -> str:
    return (
        "/articles/"
        + client.get("/api/search", params={"per_page": 1, "sort": "date"}).json()["hits"][0]["id"]
    )


def test_a_page_built_once_is_answered_from_the_cache(served: tuple[FastAPI, httpx.Client, Path]) -> None:
    app, client, _ = served
    cache: PageCache = app.state.page_cache
    for path in (_an_article(client), "/sections/World", "/feeds/latest", "/sitemap.xml"):
        first = client.get(path)
        hits = cache.hits
        again = client.get(path)
        assert first.status_code == again.status_code == 200, path
        assert cache.hits == hits + 1, path
        assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
        assert again.headers["content-type"] == first.headers["content-type"]
        assert again.headers["cache-control"] == first.headers["cache-control"]
        # a revalidation of the kept copy is still a 304 before anything is built
        assert client.get(path, headers={"If-None-Match": first.headers["etag"]}).status_code == 304


def test_each_interface_language_has_its_own_copy(served: tuple[FastAPI, httpx.Client, Path]) -> None:
    _, client, _ = served
    path = _an_article(client)
    english = client.get(path, headers={"Accept-Language": "en"})
    arabic = client.get(path, headers={"Accept-Language": "ar"})
    assert 'lang="en"' in english.text and 'lang="ar"' in arabic.text
    assert client.get(path, headers={"Accept-Language": "ar"}).text == arabic.text
    assert client.get(path, headers={"Accept-Language": "en"}).text == english.text


def test_a_token_never_reads_or_fills_the_cache(served: tuple[FastAPI, httpx.Client, Path]) -> None:
    app, client, _ = served
    cache: PageCache = app.state.page_cache
    path = "/sections/World"
    before = (cache.hits, len(cache))
    for _ in range(2):
        assert client.get(path, headers={"Authorization": f"Bearer {WRITE_TOKEN}"}).status_code == 200
    assert (cache.hits, len(cache)) == before


def test_a_changed_archive_is_never_answered_from_an_old_copy(
    served: tuple[FastAPI, httpx.Client, Path], web_fixtures: Path
) -> None:
    _, client, root = served
    before = client.get("/sections/World")
    with Archive.open(root, Settings(enrich=False)) as archive:
        archive.ingest([web_fixtures / "world.jsonl"])
    assert "Putin and Netanyahu meet in Moscow" not in before.text
    after = client.get("/sections/World")
    assert after.headers["etag"] != before.headers["etag"]
    assert "Putin and Netanyahu meet in Moscow" in after.text


def test_the_cache_keeps_its_byte_bound_and_drops_the_oldest() -> None:
    cache = PageCache(max_bytes=16 * 1024)
    answer = CachedAnswer(b"x" * 600, (("content-type", "text/plain"),))
    for n in range(40):
        cache.put(f"k{n}", answer)
    assert cache.bytes <= cache.max_bytes and 0 < len(cache) < 40
    assert cache.get("k0") is None and cache.get("k39") is answer
    cache.put("huge", CachedAnswer(b"y" * 2000, ()))  # more than a sixteenth of the cache
    assert cache.get("huge") is None


def test_streamed_and_cookie_setting_answers_are_not_kept() -> None:
    with_cookie = Response(b"page", headers={"content-type": "text/html"})
    with_cookie.set_cookie("ui_lang", "ar")
    assert CachedAnswer.of(with_cookie) is None
    assert CachedAnswer.of(Response(b"gone", status_code=404)) is None
    kept = CachedAnswer.of(Response(b"page", headers={"content-type": "text/html"}))
    assert kept is not None and kept.response().body == b"page"


def test_the_size_is_a_setting_and_zero_turns_it_off(tmp_path: Path, web_fixtures: Path) -> None:
    from newsarchive.errors import ArchiveError

    with pytest.raises(ArchiveError, match="page_cache_mb must be 0"):
        Settings(page_cache_mb=-1)
    root = tmp_path / "archive"
    with Archive.open(root, Settings(enrich=False), create=True) as archive:
        archive.ingest([web_fixtures / "corpus.jsonl"])
    assert create_app(root, Settings(page_cache_mb=0)).state.page_cache is None
    assert create_app(root, Settings(page_cache_mb=2)).state.page_cache.max_bytes == 2 * 1024 * 1024


def test_article_pages_carry_the_article_cache_rules(served: tuple[FastAPI, httpx.Client, Path]) -> None:
    _, client, _ = served
    page = client.get(_an_article(client))
    assert page.headers["cache-control"] == "public, max-age=300"
    assert page.headers["etag"] and page.headers["last-modified"]
