"""Real archives and a real uvicorn server on a free loopback port for the web tests."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from newsarchive.archive import Archive
from newsarchive.model import Enrichment, Entity, Event, Mention, Quote, Role
from newsarchive.settings import Settings
from newsarchive.web import create_app

WEB_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "web"
WRITE_TOKEN = "s3cret-test-token"


def archive_of_rows(folder: Path, rows: list[dict[str, Any]]) -> Path:
    """An archive (no enrichment) in ``folder/archive`` ingested from these JSONL rows, every one
    stored as an article (checked, so a fixture that silently lost a row fails here)."""
    source = folder / "rows.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    root = folder / "archive"
    with Archive.open(root, Settings(enrich=False), create=True) as archive:
        report = archive.ingest([source])
    assert report.articles_new == len(rows), report.rejects
    return root


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread on a free 127.0.0.1 port; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", server_header=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def build_archive(root: Path, inputs: list[Path]) -> Path:
    with Archive.open(root, Settings(), create=True) as archive:
        report = archive.ingest(inputs)
    assert report.articles_new > 0, report.rejects
    return root


@pytest.fixture(scope="session")
def web_fixtures() -> Path:
    return WEB_FIXTURES


HOSTILE_ENTITY = "<script>alert('xss-entity')</script> Evil Corp"
HOSTILE_ENTITY_NAMES = (
    HOSTILE_ENTITY,
    "javascript:alert('xss-entity-link')",
    "../../etc/passwd",
    "\" onmouseover=\"alert('xss-entity-attr')",
    "%2e%2e/%2e%2e/admin?x=1#frag",
)


def inject_hostile_enrichment(root: Path) -> str:
    """Give the hostile row enrichment no NER model would produce: script and ``javascript:`` entity
    names, traversal-like names, overlapping and out-of-range offsets, hostile quotes and events.

    Written through the store (the one place tests reach past Archive) because spaCy will not find
    such names; the index is rebuilt so the names also appear as search facets. Returns the article id.
    """
    with Archive.open(root, Settings()) as archive:
        article = next(a for a in archive.articles() if a.title.startswith("Ferry strike <script>"))
        body, aid = article.body, article.id

        def at(text: str) -> tuple[int, int]:
            start = body.index(text)
            return start, start + len(text)

        script = at("<script>alert('xss-body')</script>")
        overlap = (script[0] + 8, script[1] + 10)  # "alert(…</script> cont" crosses the first mention
        union = at("Union leaders")
        board = at("harbour board")
        mentions = [
            Mention(aid, *script, body[slice(*script)], "ORG", HOSTILE_ENTITY),
            Mention(aid, *overlap, body[slice(*overlap)], "ORG", HOSTILE_ENTITY_NAMES[1]),
            Mention(aid, *union, "Union leaders", "ORG", HOSTILE_ENTITY_NAMES[2]),
            Mention(aid, *board, "harbour board", "ORG", HOSTILE_ENTITY_NAMES[3]),
            Mention(aid, 0, 3, "The", "ORG", HOSTILE_ENTITY_NAMES[4]),
            Mention(aid, -5, 10**6, "whatever", "ORG", HOSTILE_ENTITY),
            Mention(aid, 4, 9, "not the text there", "ORG", HOSTILE_ENTITY),
            Mention(aid, 40, 20, "backwards", "ORG", HOSTILE_ENTITY),
        ]
        role = Role(
            HOSTILE_ENTITY,
            "<b onmouseover=alert('xss-role')>Chief</b>",
            "<script>alert('xss-of')</script>",
            "2022-03-04",
            aid,
            *script,
        )
        entities = [
            Entity(
                name, "ORG", [f"<img src=x onerror=alert('xss-alias{i}')>"], [role] if i == 0 else [], 1, 1
            )
            for i, name in enumerate(HOSTILE_ENTITY_NAMES)
        ]
        quotes = [
            Quote(
                "<script>alert('xss-speaker')</script>",
                HOSTILE_ENTITY,
                "<i>said</i>",
                "<img src=x onerror=alert('xss-quote')>",
                aid,
                *script,
            )
        ]
        events = [
            Event(f"{aid}:x:MEET", "MEET", HOSTILE_ENTITY, HOSTILE_ENTITY_NAMES[1], "<svg onload=alert('xss-loc')>",
                  "2022-03-04", "happened", aid, "<script>alert('xss-evidence')</script>", *script),
            Event(f"{aid}:y:<b>", "<img src=x onerror=alert('xss-type')>", HOSTILE_ENTITY_NAMES[2], None, None,
                  "<script>alert('xss-date')</script>", "planned", aid, "odd offsets", 30, 10),
        ]  # fmt: skip
        with archive.store.transaction():
            archive.store.put_enrichment(
                Enrichment(aid, mentions, entities, quotes, events), article.body_hash, "2022-03-04T00:00:00Z"
            )
        archive.reindex()
    return aid


@pytest.fixture(scope="session")
def fixture_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our fictional corpus (hostile pages and rows, world news to enrich) through the real pipeline,
    plus hostile enrichment on the hostile row."""
    root = build_archive(tmp_path_factory.mktemp("web") / "archive", [WEB_FIXTURES])
    inject_hostile_enrichment(root)
    return root


@pytest.fixture(scope="session")
def base_url(fixture_archive: Path) -> Iterator[str]:
    """A read-only server (no write token) over the fixture archive."""
    with live_server(create_app(fixture_archive, Settings())) as url:
        yield url


@pytest.fixture()
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as c:
        yield c


@pytest.fixture(scope="session")
def article_ids(base_url: str) -> dict[str, str]:
    """Ids of the fixture articles the tests talk about, found through the API."""
    with httpx.Client(base_url=base_url, timeout=30) as c:
        hits = c.get("/api/search", params={"per_page": 100, "all_versions": "true"}).json()["hits"]
    by_title = {h["title"]: h["id"] for h in hits}
    found = {
        "hostile_row": next(i for t, i in by_title.items() if t.startswith("Ferry strike <script>")),
        "hostile_html_row": next(i for t, i in by_title.items() if "ferry row" in t),
        "hostile_page": by_title["Harbour ferry strike enters second week"],
        "arabic": next(i for t, i in by_title.items() if t.startswith("افتتاح")),
        "ferry_2021_01": next(
            h["id"]
            for h in hits
            if h["title"] == "Ferry timetable changes for winter (2021-01)" and h["duplicates"]
        ),
    }
    return found


@pytest.fixture(scope="session")
def shared_archive(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive from ../shared/data: the seed dump and a few readability pages, RTL ones included."""
    readability = shared_data / "extraction" / "readability"
    rtl = [p.parent for p in sorted(readability.glob("*/expected-metadata.json")) if '"rtl"' in p.read_text()]
    picked = [readability / name for name in ("001", "aclu", "ars-1", "bbc-1", "guardian-1", "nytimes-1")]
    pages = [d / "source.html" for d in [*picked, *rtl[:2]] if (d / "source.html").exists()]
    inputs = [shared_data / "seed", *pages]
    return build_archive(tmp_path_factory.mktemp("shared") / "archive", inputs)
