"""The JSON API over a real archive and a real uvicorn server: contracts, bad parameters, tokens, limits."""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import threading
import time
import unicodedata
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openapi_spec_validator import validate

from newsarchive.archive import Archive
from newsarchive.lock import WriterLock
from newsarchive.settings import Settings
from newsarchive.web import create_app
from newsarchive.web.api import display_name, upload_origin
from newsarchive.web.security import Limits
from tests.web.conftest import WEB_FIXTURES, WRITE_TOKEN, live_server

HIT_FIELDS = {
    "id",
    "score",
    "title",
    "url",
    "source",
    "published",
    "section",
    "language",
    "snippet",
    "duplicates",
    "versions",
}
ARTICLE_FIELDS = {
    "id", "url", "source", "title", "authors", "published", "published_time", "published_raw",
    "published_from", "section", "language", "body", "body_offset", "captions", "media_ids", "word_count",
    "cluster_id", "representative", "latest", "captures",
}  # fmt: skip


def raw_request(base_url: str, request_line: str, headers: str = "", body: bytes = b"") -> tuple[int, bytes]:
    """Send bytes exactly as written (httpx would normalise '..' away); returns status and body."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        head = f"{request_line}\r\nHost: {parts.netloc}\r\nConnection: close\r\n{headers}\r\n"
        sock.sendall(head.encode("latin-1") + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""


# -- search -------------------------------------------------------------------------------------


def test_search_contract_hits_facets_and_timing(client: httpx.Client) -> None:
    response = client.get("/api/search", params={"q": "ferry"})
    assert response.status_code == 200
    data = response.json()
    assert {"total", "took_ms", "hits", "facets"} <= set(data)
    assert data["total"] >= 10 and len(data["hits"]) == 10
    assert set(data["hits"][0]) == HIT_FIELDS
    assert {"source", "section", "language", "year"} <= set(data["facets"])
    assert any("<b>" in h["snippet"] for h in data["hits"])
    assert response.headers["cache-control"] == "public, max-age=30"


def test_search_filters_match_the_ui_parameters(client: httpx.Client) -> None:
    data = client.get(
        "/api/search",
        params={"q": "", "from": "2022-01", "to": "2022-06", "source": "Harbour Herald", "sort": "date_asc"},
    ).json()
    assert data["total"] > 0
    dates = [h["published"] for h in data["hits"]]
    assert dates == sorted(dates) and all("2022-01-01" <= d <= "2022-06-30" for d in dates)
    assert {h["source"] for h in data["hits"]} == {"Harbour Herald"}
    two = client.get(
        "/api/search", params=[("source", "Harbour Herald"), ("source", "Valley Courier")]
    ).json()
    one = client.get("/api/search", params={"source": "Harbour Herald"}).json()
    assert two["total"] > one["total"]
    arabic = client.get("/api/search", params={"lang": "ar"}).json()
    assert arabic["total"] == 1 and arabic["hits"][0]["language"] == "ar"


def test_near_duplicates_fold_unless_all_versions(client: httpx.Client) -> None:
    folded = client.get("/api/search", params={"q": '"winter timetable"', "per_page": 100}).json()
    every = client.get(
        "/api/search", params={"q": '"winter timetable"', "per_page": 100, "all_versions": "true"}
    ).json()
    assert every["total"] > folded["total"]
    assert sum(h["duplicates"] for h in folded["hits"]) == every["total"] - folded["total"]


def test_pagination_pages_do_not_overlap(client: httpx.Client) -> None:
    first = client.get("/api/search", params={"per_page": 5, "sort": "date"}).json()
    second = client.get("/api/search", params={"per_page": 5, "sort": "date", "page": 2}).json()
    assert second["page"] == 2
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"page": "0"}, "page must be 1 or more"),
        ({"page": "abc"}, "page"),
        ({"per_page": "1000"}, "per_page"),
        ({"per_page": "1000000"}, "per_page must be between 1 and 100, not 1000000"),
        ({"per_page": "0"}, "per_page must be between 1 and 100"),
        ({"page": "0", "per_page": "1000000"}, "page must be 1 or more"),
        ({"sort": "bogus"}, "sort must be one of"),
        ({"from": "notadate"}, "is not a date"),
        ({"from": "2022-13"}, "is not a date"),
        ({"from": "2023", "to": "2021"}, "from 2023 is after to 2021"),
        ({"to": "2021-02-30"}, "to date '2021-02-30' is not a date"),
        ({"q": '"unclosed'}, "quote is not closed"),
        ({"q": "title:(ferry"}, "parentheses"),
        ({"q": "x" * 1001}, "limit is 1000"),
        ({"page": "100000"}, "too deep"),
        ({"all_versions": "maybe"}, "all_versions"),
    ],
)
def test_bad_parameters_are_400_with_a_message(
    client: httpx.Client, params: dict[str, str], needle: str
) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status"] == 400 and needle in body["error"]
    assert "--" not in body["error"], "the web names URL parameters, not CLI flags"
    assert response.headers["cache-control"] == "no-store"


def test_timeline_and_search_page_say_from_and_to_not_cli_flags(client: httpx.Client) -> None:
    crossed = {"from": "2023-05", "to": "2021"}
    timeline = client.get("/api/timeline", params=crossed)
    assert timeline.status_code == 400 and timeline.json()["error"].startswith(
        "from 2023-05 is after to 2021"
    )
    page = client.get("/search", params=crossed)
    assert page.status_code == 400 and "from 2023-05 is after to 2021" in page.text
    assert "--from" not in page.text and "--to" not in page.text


def test_timeline_counts_months(client: httpx.Client) -> None:
    counts = client.get("/api/timeline", params={"q": "regatta"}).json()
    assert counts and all(len(k) == 7 for k in counts)
    total = client.get("/api/search", params={"q": "regatta"}).json()["total"]
    assert sum(counts.values()) == total


def test_overlong_query_string_is_414(client: httpx.Client) -> None:
    response = client.get("/api/search", params={"q": "ferry " * 1000})
    assert response.status_code == 414
    assert "shorten" in response.json()["error"]


# -- articles, captures, sources, stats ---------------------------------------------------------


def test_article_contract_and_etag(client: httpx.Client, article_ids: dict[str, str]) -> None:
    response = client.get(f"/api/articles/{article_ids['arabic']}")
    assert response.status_code == 200
    article = response.json()
    assert set(article) == ARTICLE_FIELDS
    assert article["language"] == "ar" and article["captures"]
    etag = response.headers["etag"]
    assert "max-age" in response.headers["cache-control"]
    again = client.get(f"/api/articles/{article_ids['arabic']}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


def test_copies_versions_and_related(client: httpx.Client, article_ids: dict[str, str]) -> None:
    copies = client.get(f"/api/articles/{article_ids['ferry_2021_01']}/copies").json()
    assert len(copies) == 2 and article_ids["ferry_2021_01"] in {c["id"] for c in copies}
    assert [c["representative"] for c in copies] == [True, False]  # the one searches show first
    assert any(c["url"].endswith("?amp=1") for c in copies)  # the near-duplicate is a copy, not a version
    versions = client.get(f"/api/articles/{article_ids['ferry_2021_01']}/versions").json()
    assert [v["id"] for v in versions] == [article_ids["ferry_2021_01"]]  # one capture of its URL
    assert set(versions[0]) == ARTICLE_FIELDS
    related = client.get(f"/api/articles/{article_ids['ferry_2021_01']}/related").json()
    assert related and set(related[0]) == HIT_FIELDS
    assert article_ids["ferry_2021_01"] not in {h["id"] for h in related}


@pytest.mark.parametrize(
    "path",
    [
        "/api/articles/doesnotexist",
        "/api/articles/doesnotexist/versions",
        "/api/articles/doesnotexist/copies",
        "/api/articles/doesnotexist/diff?from=doesnotexist",
        "/api/articles/doesnotexist/related",
        "/api/captures/" + "0" * 64,
        "/api/captures/not-a-hash",
        "/api/nothing-here",
    ],
)
def test_unknown_things_are_404_json(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error and "`newsarchive" not in error  # a web reader cannot run the CLI's advice


def test_capture_download_is_the_archived_bytes(client: httpx.Client, article_ids: dict[str, str]) -> None:
    article = client.get(f"/api/articles/{article_ids['hostile_page']}").json()
    sha = article["captures"][0]["sha256"]
    response = client.get(f"/api/captures/{sha}")
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == sha
    assert response.content == (WEB_FIXTURES / "hostile_page.html").read_bytes()
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-disposition"] == f'attachment; filename="{sha}.html"'
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"].startswith("sandbox")
    assert "immutable" in response.headers["cache-control"]
    assert client.get(f"/api/captures/{sha}", headers={"If-None-Match": f'"{sha}"'}).status_code == 304


def test_text_capture_is_plain_text(client: httpx.Client, article_ids: dict[str, str]) -> None:
    article = client.get(f"/api/articles/{article_ids['hostile_row']}").json()
    response = client.get(f"/api/captures/{article['captures'][0]['sha256']}")
    assert response.headers["content-type"].startswith("text/plain")
    assert b"<script>alert('xss-body')</script>" in response.content  # kept byte for byte, served inert


def test_sources_and_stats(client: httpx.Client) -> None:
    sources = client.get("/api/sources").json()
    assert sources["Harbour Herald"] >= 12 and "صحيفة المرفأ" in sources
    stats = client.get("/api/stats").json()
    assert stats["articles"] == sum(sources.values())
    assert {"by_source", "by_year", "by_language", "rejects"} <= set(stats)


# -- OpenAPI ------------------------------------------------------------------------------------


def test_openapi_document_validates_and_lists_the_contract(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    validate(spec)
    paths = set(spec["paths"])
    assert {
        "/api/search", "/api/articles/{article_id}", "/api/captures/{sha256}", "/api/sources", "/api/stats",
        "/api/ingest",
    } <= paths  # fmt: skip
    assert not any(p.startswith(("/search", "/articles", "/sources")) for p in paths)
    names = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "from", "to", "source", "section", "lang", "sort", "page"} <= names
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/search" in docs.text
    assert "cdn" not in docs.text.lower() and "swagger" not in docs.text.lower()


# -- safety -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/api/search?q=ferry", "/api/stats", "/nope", "/api/nope", "/docs"])
def test_security_headers_everywhere(client: httpx.Client, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    "target",
    [
        "/static/../archive.sqlite",
        "/static/%2e%2e/archive.sqlite",
        "/static/%2E%2E/%2E%2E/archive/archive.sqlite",
        "/static/..%2farchive.sqlite",
        "/static/%252e%252e/archive.sqlite",
        "/static/..%5carchive.sqlite",
        "/static/..\\archive.sqlite",
        "/sources/..%2F..%2Farchive.sqlite",
        "/api/captures/..%2F..%2Fetc%2Fpasswd",
        "/static/%00style.css",
        "/../../../../etc/passwd",
    ],
)
def test_path_traversal_is_refused(base_url: str, target: str) -> None:
    status, body = raw_request(base_url, f"GET {target} HTTP/1.1")
    assert status in (400, 404)
    assert b"SQLite format" not in body and b"root:" not in body


def test_static_files_are_served_with_cache_headers(client: httpx.Client) -> None:
    response = client.get("/static/style.css")
    assert response.status_code == 200 and "max-age" in response.headers["cache-control"]
    assert client.get("/static/nothing.css").status_code == 404


def test_oversized_body_is_413(base_url: str, client: httpx.Client) -> None:
    response = client.post("/api/search", content=b"x" * (1024 * 1024 + 1))
    assert response.status_code == 413
    status, _ = raw_request(
        base_url,
        "POST /api/ingest HTTP/1.1",
        f"Content-Length: {65 * 1024 * 1024}\r\nContent-Type: text/plain\r\n",
    )
    assert status == 413


def test_wrong_method_is_405(client: httpx.Client) -> None:
    response = client.delete("/api/stats")
    assert response.status_code == 405 and "not allowed" in response.json()["error"]


def test_concurrent_requests_all_succeed(base_url: str, article_ids: dict[str, str]) -> None:
    urls = [
        "/api/search?q=ferry",
        "/api/search?q=harbour&sort=date",
        f"/api/articles/{article_ids['arabic']}",
        "/api/stats",
        "/search?q=regatta",
        f"/articles/{article_ids['hostile_page']}",
    ]

    def fetch(i: int) -> tuple[int, int]:
        with httpx.Client(base_url=base_url, timeout=60) as c:
            response = c.get(urls[i % len(urls)])
            return response.status_code, len(response.content)

    with ThreadPoolExecutor(50) as pool:
        results = list(pool.map(fetch, range(300)))
    assert {status for status, _ in results} == {200}
    by_url: dict[int, set[int]] = {}
    for i, (_, size) in enumerate(results):
        if urls[i % len(urls)].startswith("/api/") and "took" not in urls[i % len(urls)]:
            by_url.setdefault(i % len(urls), set()).add(size)
    assert by_url[2] == {next(iter(by_url[2]))}  # the same article every time


def test_foreign_host_header_refused_when_hosts_are_pinned(fixture_archive: Path) -> None:
    app = create_app(fixture_archive, Settings(), allowed_hosts=("127.0.0.1", "localhost"))
    with live_server(app) as url, httpx.Client(base_url=url) as c:
        assert c.get("/api/stats").status_code == 200
        refused = c.get("/api/stats", headers={"Host": "evil.example"})
        assert refused.status_code == 400 and "Host" in refused.json()["error"]


# -- ingest and the write token ------------------------------------------------------------------


def test_read_only_server_refuses_ingest_explaining_the_token(client: httpx.Client) -> None:
    response = client.post("/api/ingest", files={"files": ("a.jsonl", b"{}")})
    assert response.status_code == 403
    assert "--write-token" in response.json()["error"]
    with_token = client.post(
        "/api/ingest", files={"files": ("a.jsonl", b"{}")}, headers={"Authorization": "Bearer anything"}
    )
    assert with_token.status_code == 403


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory, fixture_archive: Path) -> Iterator[str]:
    """A copy of the fixture archive served with a write token and a 1 MB upload limit."""
    root = tmp_path_factory.mktemp("writable") / "archive"
    shutil.copytree(fixture_archive, root)
    app = create_app(root, Settings(), WRITE_TOKEN, limits=Limits(max_upload=1024 * 1024))
    with live_server(app) as url:
        yield url


def test_ingest_needs_the_bearer_token(writable: str) -> None:
    files = {"files": ("a.jsonl", b"{}")}
    with httpx.Client(base_url=writable) as c:
        missing = c.post("/api/ingest", files=files)
        assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
        wrong = c.post("/api/ingest", files=files, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 403 and "wrong" in wrong.json()["error"]
        basic = c.post("/api/ingest", files=files, headers={"Authorization": f"Basic {WRITE_TOKEN}"})
        assert basic.status_code == 401


def test_ingest_with_token_adds_articles(writable: str) -> None:
    row = {
        "url": "https://harbourherald.example/local/new-pier",
        "title": "New pier opens for the island ferry",
        "date": "2023-02-01",
        "source": "Harbour Herald",
        "text": "A new pier for the island ferry opened on Wednesday, ending months of detours for passengers.",
    }
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    with httpx.Client(base_url=writable, timeout=60) as c:
        response = c.post(
            "/api/ingest",
            headers=auth,
            files=[
                ("files", ("../../evil name.jsonl", json.dumps(row).encode())),
                ("files", ("broken.jsonl", b'{"title": "unclosed\n')),
            ],
        )
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["articles_new"] == 1 and report["inputs"] == 2
        assert report["rejects"] and "newsarchive-upload-" not in json.dumps(report)
        deadline = time.monotonic() + 10  # the read-only index reloads shortly after a commit
        total = 0
        while time.monotonic() < deadline:
            total = c.get("/api/search", params={"q": '"new pier"'}).json()["total"]
            if total:
                break
            time.sleep(0.2)
        assert total == 1
        empty = c.post("/api/ingest", headers=auth, data={"nothing": "here"}, files={"other": ("x", b"x")})
        assert empty.status_code == 400 and "files" in empty.json()["error"]
        not_multipart = c.post(
            "/api/ingest", headers={**auth, "Content-Type": "text/plain"}, content=b"crawl.warc.gz"
        )
        assert not_multipart.status_code == 400 and "urls" in not_multipart.json()["error"]


def test_upload_over_the_limit_is_413_even_when_chunked(writable: str) -> None:
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}

    def chunks() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="big.jsonl"\r\n\r\n'
        for _ in range(40):
            yield b"x" * 65536
        yield b"\r\n--b--\r\n"

    with httpx.Client(base_url=writable, timeout=60) as c:
        response = c.post(
            "/api/ingest",
            headers={**auth, "Content-Type": "multipart/form-data; boundary=b"},
            content=chunks(),
        )
        assert response.status_code == 413
        assert c.get("/api/stats").status_code == 200  # the server is fine afterwards


# -- entities, events, quotes, enrichment --------------------------------------------------------

ENTITY_FIELDS = {"name", "type", "aliases", "roles", "mentions", "articles"}
EVENT_FIELDS = {"id", "type", "source", "target", "location", "date", "date_status", "article_id", "evidence"}
QUOTE_FIELDS = {"speaker", "speaker_entity", "cue", "text", "article_id", "start", "end"}
PUTIN, NETANYAHU, MEDVEDEV = "Vladimir Putin", "Benjamin Netanyahu", "Dmitry Medvedev"


def test_entities_contract_and_type_filter(client: httpx.Client) -> None:
    response = client.get("/api/entities", params={"top": 200})
    assert response.status_code == 200 and "etag" in response.headers
    entities = {e["name"]: e for e in response.json()}
    assert all(set(e) == ENTITY_FIELDS for e in entities.values())
    putin = entities[PUTIN]
    assert putin["type"] == "PERSON" and "Putin" in putin["aliases"] and putin["articles"] >= 3
    assert {"title": "President", "of": "Russia"} in [
        {k: r[k] for k in ("title", "of")} for r in putin["roles"]
    ]
    people = client.get("/api/entities", params={"type": "person", "top": 200}).json()
    assert people and {e["type"] for e in people} == {"PERSON"} and PUTIN in {e["name"] for e in people}
    assert len(client.get("/api/entities", params={"top": 2}).json()) == 2


def test_entity_detail_by_alias(client: httpx.Client) -> None:
    detail = client.get("/api/entities/Putin").json()
    assert detail["name"] == PUTIN
    assert {"2016-03", "2016-06", "2016-10"} <= set(detail["mentions_per_month"])
    assert NETANYAHU in {c["name"] for c in detail["cooccurring"]}
    assert any("real partners" in q["text"] and set(q) == QUOTE_FIELDS for q in detail["quotes"])
    meetings = [
        e for e in detail["events"] if e["type"] == "MEET" and NETANYAHU in (e["source"], e["target"])
    ]
    assert {e["date"] for e in meetings} >= {"2016-10-18"}
    same = client.get("/api/entities/" + PUTIN.replace(" ", "%20"))
    assert same.json() == detail
    assert client.get(same.request.url, headers={"If-None-Match": same.headers["etag"]}).status_code == 304


def test_events_between_two_actors(client: httpx.Client) -> None:
    events = client.get("/api/events", params=[("actor", "Putin"), ("actor", NETANYAHU)]).json()
    assert events and all(set(e) == EVENT_FIELDS for e in events)
    assert all({PUTIN, NETANYAHU} == {e["source"], e["target"]} for e in events)
    meeting = next(e for e in events if e["location"] == "Moscow")
    assert (
        meeting["type"] == "MEET" and meeting["date"] == "2016-10-18" and meeting["date_status"] == "happened"
    )
    body = client.get(f"/api/articles/{meeting['article_id']}").json()["body"]
    evidence = meeting["evidence"]
    assert body[evidence["start"] : evidence["end"]] == evidence["text"] and "met" in evidence["text"]


def test_events_dates_types_and_partial_dates(client: httpx.Client) -> None:
    visits = client.get("/api/events", params={"actor": MEDVEDEV, "type": "visit"}).json()
    assert {e["type"] for e in visits} == {"VISIT"}
    dates = {(e["date"], e["date_status"]) for e in visits}
    assert ("2016-11-10", "planned") in dates  # resolved against a known publication date
    assert ("--11-10", "planned") in dates  # the undated article: no invented year
    june = client.get("/api/events", params={"actor": PUTIN, "from": "2016-06", "to": "2016-06"}).json()
    assert june and all(e["date"].startswith("2016-06") for e in june)
    ranged = client.get("/api/events", params={"actor": MEDVEDEV, "to": "2016"}).json()
    assert ranged and not any(e["date"].startswith("--") for e in ranged)


@pytest.mark.parametrize(
    ("path", "params", "needle"),
    [
        ("/api/entities", {"top": "0"}, "top"),
        ("/api/entities", {"top": "many"}, "top"),
        ("/api/entities", {"type": "planet"}, "type must be one of"),
        ("/api/events", {"from": "2016-13"}, "is not a date"),
        ("/api/events", {"to": "yesterday"}, "is not a date"),
        ("/api/events", {"from": "2017", "to": "2016-05"}, "is after"),
        ("/api/events", {"type": "dance"}, "unknown event type"),
        ("/api/events", {"limit": "0"}, "limit"),
        ("/api/events", [("actor", str(n)) for n in range(5)], "at most"),
        ("/api/quotes", {"limit": "-1"}, "limit"),
    ],
)
def test_enrichment_endpoints_reject_bad_parameters(
    client: httpx.Client, path: str, params: dict[str, str], needle: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 400, response.text
    assert needle in response.json()["error"] and response.headers["cache-control"] == "no-store"
    assert "--" not in response.json()["error"]


@pytest.mark.parametrize(
    "path", ["/api/entities/Nobody%20Atall", "/api/articles/doesnotexist/enrichment", "/api/entities/"]
)
def test_unknown_entities_and_articles_are_404(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and response.json()["status"] == 404
    assert "`newsarchive" not in response.json()["error"]


def test_quotes_by_speaker(client: httpx.Client) -> None:
    quotes = client.get("/api/quotes", params={"speaker": PUTIN}).json()
    assert quotes and all(set(q) == QUOTE_FIELDS for q in quotes)
    assert any(q["speaker_entity"] == PUTIN and "real partners" in q["text"] for q in quotes)
    assert len(client.get("/api/quotes", params={"limit": 1}).json()) == 1


def test_article_enrichment_offsets_point_into_the_body(client: httpx.Client) -> None:
    hit = client.get("/api/search", params={"q": '"real partners"'}).json()["hits"][0]
    enrichment = client.get(f"/api/articles/{hit['id']}/enrichment").json()
    body = client.get(f"/api/articles/{hit['id']}").json()["body"]
    assert set(enrichment) == {"article_id", "mentions", "entities", "quotes", "events"}
    assert {PUTIN, NETANYAHU, MEDVEDEV} <= {e["name"] for e in enrichment["entities"]}
    for mention in enrichment["mentions"]:
        assert body[mention["start"] : mention["end"]] == mention["text"]
    assert {e["type"] for e in enrichment["events"]} >= {"MEET", "VISIT"}


def test_hostile_entity_names_round_trip_through_encoded_urls(client: httpx.Client) -> None:
    from urllib.parse import quote

    from tests.web.conftest import HOSTILE_ENTITY

    response = client.get("/api/entities/" + quote(HOSTILE_ENTITY, safe=""))
    assert response.status_code == 200 and response.json()["name"] == HOSTILE_ENTITY
    assert response.headers["content-type"].startswith("application/json")


def test_entities_api_takes_a_name_the_path_cannot_carry(client: httpx.Client) -> None:
    from tests.web.conftest import HOSTILE_ENTITY_NAMES

    for name in HOSTILE_ENTITY_NAMES:
        response = client.get("/api/entities", params={"name": name})
        assert response.status_code == 200, (name, response.text)
        assert response.json()["name"] == name and "cooccurring" in response.json()
    assert client.get("/api/entities", params={"name": "Nobody Atall"}).status_code == 404
    assert isinstance(client.get("/api/entities", params={"name": " "}).json(), list)


def test_openapi_documents_the_enrichment_endpoints(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    validate(spec)
    for path in ("/api/entities", "/api/entities/{name}", "/api/events", "/api/quotes",
                 "/api/articles/{article_id}/enrichment"):  # fmt: skip
        operation = spec["paths"][path]["get"]
        assert operation["summary"] and operation["description"]
        assert "$ref" in str(operation["responses"]["200"])
    names = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"actor", "from", "to", "type", "limit"} <= names


MUSEUM_PAGE = (
    b"<html><body><article>"
    + b"<p>The lighthouse museum reopened after a long restoration, its curator said.</p>" * 6
    + b"</article></body></html>"
)


@contextmanager
def local_site(page: bytes = MUSEUM_PAGE) -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on loopback serving ``page`` at every path; yields its base URL and the
    paths it was asked for (so a test can tell that nothing was fetched)."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *_: object) -> None:
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{site.server_address[1]}", asked
    finally:
        site.shutdown()
        site.server_close()


def test_ingest_url_list_is_fetched_with_the_token(
    tmp_path_factory: pytest.TempPathFactory, fixture_archive: Path
) -> None:
    root = tmp_path_factory.mktemp("urls") / "archive"
    shutil.copytree(fixture_archive, root)
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    with local_site() as (site, asked):
        url = f"{site}/museum.html"
        # by default the server refuses to fetch from its own network
        with (
            live_server(create_app(root, Settings(), WRITE_TOKEN)) as base,
            httpx.Client(base_url=base, timeout=60) as c,
        ):
            refused = c.post("/api/ingest", headers=auth, json={"urls": [url]}).json()
            assert refused["articles_new"] == 0 and "non-public" in refused["rejects"][0]["reason"]
            assert c.post("/api/ingest", json={"urls": [url]}).status_code == 401
            assert c.post("/api/ingest", headers=auth, json={"urls": "nope"}).status_code == 400
        assert asked == []
        allowed = Settings(fetch_private_addresses=True)
        with (
            live_server(create_app(root, allowed, WRITE_TOKEN)) as base,
            httpx.Client(base_url=base, timeout=60) as c,
        ):
            report = c.post("/api/ingest", headers=auth, json={"urls": [url]}).json()
            assert report["articles_new"] == 1 and report["rejects"] == []
            # the scheme is compared in any case
            shouted = c.post("/api/ingest", headers=auth, json={"urls": [f"HTTP{site[4:]}/loud.html"]})
            assert shouted.status_code == 200 and shouted.json()["rejects"] == []
        assert asked == ["/museum.html", "/loud.html"]


def test_url_list_body_gets_the_ordinary_1_mb_limit_not_the_upload_one(writable_copy: str) -> None:
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    urls = [f"https://example.org/{n}/" + "a" * 1500 for n in range(1000)]  # 1.5 MB of JSON
    with httpx.Client(base_url=writable_copy, timeout=60) as c:
        response = c.post("/api/ingest", headers=auth, json={"urls": urls})
        assert response.status_code == 413, response.text
        assert "1 MB" in response.json()["error"]
        chunked = c.post(
            "/api/ingest",
            headers={**auth, "Content-Type": "application/json"},
            content=iter([json.dumps({"urls": urls}).encode()]),
        )
        assert chunked.status_code == 413


def test_more_than_200_files_in_one_upload_is_400(writable_copy: str) -> None:
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    files = [("files", (f"{n}.txt", LEDGER.encode())) for n in range(201)]
    with httpx.Client(base_url=writable_copy, timeout=60) as c:
        before = c.get("/api/stats").json()["captures"]
        response = c.post("/api/ingest", headers=auth, files=files)
        assert response.status_code == 400 and "files" in response.json()["error"].lower(), response.text
        assert c.get("/api/stats").json()["captures"] == before


# -- the URL list never reaches the server's disk ------------------------------------------------

LEDGER_WORD = "quillwort"
LEDGER = (
    "Harbour Ledger\n\nThe quillwort ledger of the lighthouse keeper recorded every ship that passed the "
    "point in the long winter storms.\nIt listed cargo, crews and the hour each vessel cleared the harbour "
    "mouth, and nobody had read it for years.\n"
)


@pytest.fixture()
def server_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The server's working directory, two levels inside ``tmp_path``; files planted around it are
    what a URL list read as paths would have ingested."""
    cwd = tmp_path / "srv" / "run"
    cwd.mkdir(parents=True)
    monkeypatch.chdir(cwd)
    return cwd


def _plant(where: Path) -> None:
    where.parent.mkdir(parents=True, exist_ok=True)
    where.write_text(LEDGER, encoding="utf-8")


def _hostile_entries(cwd: Path) -> list[str]:
    """Entries that name files on the server's disk, each planted where a path reading would find it."""
    passwd = cwd.parent.parent / "etc" / "passwd"
    _plant(passwd)
    _plant(cwd.parent.parent / "outside" / "ledger.txt")
    _plant(cwd / "ledger.txt")
    entries = [
        str(passwd),
        "../../outside",
        "ledger.txt",
        f"file://{passwd}",
        "gopher://localhost/ledger.txt",
    ]
    for entry in entries[3:]:
        _plant(cwd / entry)  # Path("file:///x") is the relative path "file:/x"
    return entries


@pytest.fixture()
def writable_copy(tmp_path: Path, fixture_archive: Path) -> Iterator[str]:
    """A fresh copy of the fixture archive served with the write token (each test sees only its writes)."""
    root = tmp_path / "archive"
    shutil.copytree(fixture_archive, root)
    with live_server(create_app(root, Settings(), WRITE_TOKEN)) as url:
        yield url


def test_url_list_entries_that_are_not_web_urls_are_400_and_nothing_is_read(
    server_disk: Path, writable_copy: str
) -> None:
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    entries = _hostile_entries(server_disk)
    with httpx.Client(base_url=writable_copy, timeout=60) as c:
        before = c.get("/api/stats").json()
        for entry in entries:
            response = c.post("/api/ingest", headers=auth, json={"urls": [entry]})
            assert response.status_code == 400, (entry, response.text)
            error = response.json()["error"]
            assert repr(entry) in error and "not an http:// or https:// URL" in error
        after = c.get("/api/stats").json()
        assert after["captures"] == before["captures"] and after["rejects"] == before["rejects"]
        assert LEDGER_WORD not in json.dumps(after)
        assert c.get("/api/search", params={"q": LEDGER_WORD}).json()["total"] == 0


def test_url_list_is_checked_whole_before_anything_is_fetched(
    server_disk: Path, tmp_path: Path, fixture_archive: Path
) -> None:
    root = tmp_path / "archive"
    shutil.copytree(fixture_archive, root)
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    entries = _hostile_entries(server_disk)
    odd = ["http://", "https://exa mple.org/", "http://example.org:99999/", 42]
    app = create_app(root, Settings(fetch_private_addresses=True), WRITE_TOKEN)
    with local_site() as (site, asked), live_server(app) as base, httpx.Client(base_url=base) as c:
        good = f"{site}/museum.html"
        before = c.get("/api/stats").json()["captures"]
        response = c.post("/api/ingest", headers=auth, json={"urls": [good, *entries, *odd]})
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert error.startswith("nothing was fetched")
        for n, entry in enumerate([*entries, *odd], 2):
            assert f"entry {n} {entry!r}" in error, (entry, error)
        assert "has no host name" in error and "spaces" in error and "not a string" in error
        assert asked == []  # not even the good entry was fetched
        assert c.get("/api/stats").json()["captures"] == before


def test_uppercase_localhost_is_refused_by_the_address_check_not_read_from_disk(
    server_disk: Path, writable_copy: str
) -> None:
    entry = "HTTP://LOCALHOST/ledger.txt"
    _plant(server_disk / entry)  # where reading it as a path would look: ./HTTP:/LOCALHOST/ledger.txt
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    with httpx.Client(base_url=writable_copy, timeout=60) as c:
        before = c.get("/api/stats").json()["captures"]
        response = c.post("/api/ingest", headers=auth, json={"urls": [entry]})
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["captures_new"] == 0 and report["articles_new"] == 0
        [reject] = report["rejects"]
        assert reject["origin"] == entry and "non-public address" in reject["reason"]
        assert c.get("/api/stats").json()["captures"] == before
        assert c.get("/api/search", params={"q": LEDGER_WORD}).json()["total"] == 0


# -- uploads are recorded under the name they were sent as ---------------------------------------

HARBOUR_PAGE = (
    "<html><head><title>Harbour report</title></head><body><article><h1>Harbour report</h1>"
    + "<p>The harbour master's annual report counted more ferries and fewer fishing boats than ever.</p>" * 5
    + "</article></body></html>"
)


def _multipart(parts: list[tuple[str, bytes]], boundary: str = "harbour-boundary") -> bytes:
    """A multipart body written by hand, so file names reach the server byte for byte (httpx would
    percent-encode control characters in them)."""
    out = b""
    for filename, content in parts:
        out += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    return out + f"--{boundary}--\r\n".encode()


def test_uploads_are_recorded_under_their_name_and_the_token_label(
    tmp_path: Path, fixture_archive: Path
) -> None:
    root = tmp_path / "archive"
    shutil.copytree(fixture_archive, root)
    row = {
        "url": "https://harbourherald.example/local/tide-gauge",
        "title": "Tide gauge returns to the harbour wall",
        "date": "2023-03-01",
        "source": "Harbour Herald",
        "text": "The tide gauge returned to the harbour wall on Monday after a winter of repairs, the port said.",
    }
    body = _multipart(
        [
            ("../../tide gauge.jsonl", json.dumps(row).encode()),
            ("broken.jsonl", b'{"title": "unclosed\n'),
            ("\u202eharbour\x07 report#1.html", HARBOUR_PAGE.encode()),
            ("تقرير.txt", LEDGER.encode()),
        ]
    )
    headers = {
        "Authorization": f"Bearer {WRITE_TOKEN}",
        "Content-Type": "multipart/form-data; boundary=harbour-boundary",
    }
    app = create_app(root, Settings(), WRITE_TOKEN, write_token_label="news/desk")
    with live_server(app) as base, httpx.Client(base_url=base, timeout=60) as c:
        response = c.post("/api/ingest", headers=headers, content=body)
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["inputs"] == 4 and report["articles_new"] == 3
        assert set(report) == REPORT_FIELDS and report["stopped"] is None
        [reject] = report["rejects"]
        assert set(reject) == {"origin", "reason"}
        assert reject["origin"].startswith("upload:news_desk/broken.jsonl")
        stats = c.get("/api/stats").json()
        assert {"origin": reject["origin"], "reason": reject["reason"]} in stats["rejects"]
        origins: set[str] = set()
        with Archive.open(root, Settings(), readonly=True) as archive:
            for article in archive.articles():
                origins.update(ref.origin for ref in article.captures if ref.origin.startswith("upload:"))
        assert origins >= {"upload:news_desk/harbour report_1.html", "upload:news_desk/تقرير.txt"}
        assert any(o.startswith("upload:news_desk/tide gauge.jsonl#") for o in origins), origins
        assert len(origins) == 3
        assert "newsarchive-upload-" not in json.dumps([report, stats])  # nor as a text dump's site


REPORT_FIELDS = {"inputs", "captures_new", "captures_seen", "articles_new", "duplicates", "rejects",
                 "already_archived", "stopped", "notices"}  # fmt: skip


def test_upload_while_another_writer_holds_the_archive_is_503_then_goes_through(
    tmp_path: Path, fixture_archive: Path
) -> None:
    root = tmp_path / "archive"
    shutil.copytree(fixture_archive, root)
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    upload = {"files": ("harbour.html", HARBOUR_PAGE.encode())}
    app = create_app(root, Settings(writer_wait=0.2), WRITE_TOKEN)
    with live_server(app) as base, httpx.Client(base_url=base, timeout=60) as c:
        with WriterLock(root).hold():  # the other writer: the archive's real lock, held here
            busy = c.post("/api/ingest", headers=auth, files=upload)
        assert busy.status_code == 503, busy.text
        body = busy.json()
        assert body["status"] == 503 and "another writer" in body["error"] and "--wait" not in body["error"]
        assert body.get("articles_new", 0) == 0
        done = c.post("/api/ingest", headers=auth, files=upload)
        assert done.status_code == 200, done.text
        assert done.json()["articles_new"] == 1 and done.json()["stopped"] is None


def test_uploads_without_a_label_are_named_upload_and_their_name(writable_copy: str) -> None:
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    with httpx.Client(base_url=writable_copy, timeout=60) as c:
        response = c.post(
            "/api/ingest", headers=auth, files={"files": ("harbour.html", HARBOUR_PAGE.encode())}
        )
        assert response.status_code == 200 and response.json()["articles_new"] == 1
        hit_id = None
        deadline = time.monotonic() + 10  # the read-only index reloads shortly after a commit
        while hit_id is None and time.monotonic() < deadline:
            hits = c.get("/api/search", params={"q": '"harbour master\'s annual report"'}).json()["hits"]
            hit_id = hits[0]["id"] if hits else None
            time.sleep(0.1)
        assert hit_id is not None
        captures = c.get(f"/api/articles/{hit_id}").json()["captures"]
        assert [ref["origin"] for ref in captures] == ["upload:harbour.html"]


@given(st.text(max_size=400))
def test_display_names_are_printable_single_line_and_bounded(name: str) -> None:
    shown = display_name(name)
    assert len(shown) <= 120 and "#" not in shown and shown == shown.strip()
    assert not any(
        unicodedata.category(ch) == "Cc" or ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        for ch in shown
    )
    assert display_name(shown) == shown
    origin = upload_origin(name, 7, "desk")
    assert origin.startswith("upload:desk/") and "/" not in origin.removeprefix("upload:desk/")


def test_long_upload_names_keep_their_extension() -> None:
    assert upload_origin("a" * 300 + ".warc.gz", 1) == "upload:" + "a" * 117 + ".gz"
    assert upload_origin("C:\\Users\\me\\crawl.warc", 2) == "upload:crawl.warc"
    assert upload_origin("..", 3) == "upload:upload-3"


# -- the researcher's bench: export and timelines (issue 15) -----------------------------------


@pytest.fixture(scope="module")
def generated_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over 400 generated articles (tests/research/generated.py)."""
    from tests.research.generated import build_generated

    root = build_generated(tmp_path_factory.mktemp("generated-web") / "archive", 400)
    with live_server(create_app(root, Settings())) as url:
        yield url


def test_export_streams_every_match_as_an_attachment(generated_server: str) -> None:
    with httpx.Client(base_url=generated_server, timeout=30) as c:
        total = c.get("/api/search", params={"q": "ferry"}).json()["total"]
        response = c.get("/api/export", params={"q": "ferry", "format": "jsonl", "fields": "id,published"})
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == 'attachment; filename="newsarchive-ferry.jsonl"'
    assert response.headers["content-type"] == "application/x-ndjson"
    assert response.headers["x-total-matches"] == response.headers["x-export-rows"] == str(total)
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert len(rows) == total and list(rows[0]) == ["id", "published"]


def test_export_parquet_and_csv_are_typed_and_safe(generated_server: str) -> None:
    import io

    import pyarrow.parquet as pq

    with httpx.Client(base_url=generated_server, timeout=30) as c:
        parquet = c.get("/api/export", params={"q": "bridge", "format": "parquet", "from": "2016"})
        hostile = c.get("/api/export", params={"source": '=HYPERLINK("x")', "fields": "source,title"})
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.num_rows == int(parquet.headers["x-total-matches"]) > 0
    assert str(table.schema.field("published").type) == "date32[day]"
    assert hostile.headers["content-type"] == "text/csv; charset=utf-8"
    lines = hostile.text.splitlines()
    assert len(lines) > 1 and all(line.startswith("\"'=HYPERLINK") for line in lines[1:])


def test_export_errors_are_json_before_anything_streams(generated_server: str) -> None:
    with httpx.Client(base_url=generated_server, timeout=30) as c:
        bad_field = c.get("/api/export", params={"q": "ferry", "fields": "id,colour"})
        bad_format = c.get("/api/export", params={"q": "ferry", "format": "xlsx"})
        bad_query = c.get("/api/export", params={"q": '"ferry'})
    assert bad_field.status_code == 400 and "colour" in bad_field.json()["error"]
    assert bad_format.status_code == 400 and "csv, jsonl, parquet" in bad_format.json()["error"]
    assert bad_query.status_code == 400


def test_a_server_row_limit_caps_the_export(tmp_path: Path) -> None:
    from tests.research.generated import build_generated

    root = build_generated(tmp_path / "archive", 120)
    with live_server(create_app(root, Settings(export_row_limit=10))) as url:
        response = httpx.get(f"{url}/api/export", params={"q": "ferry", "format": "jsonl"}, timeout=30)
    assert response.headers["x-export-rows"] == "10" and int(response.headers["x-total-matches"]) > 10
    assert len(response.text.splitlines()) == 10


def test_timeline_compares_queries_with_shares(generated_server: str) -> None:
    params = [("q", "ferry"), ("q", "bridge"), ("by", "year"), ("normalize", "true")]
    with httpx.Client(base_url=generated_server, timeout=30) as c:
        data = c.get("/api/timeline", params=params).json()
        as_csv = c.get("/api/timeline", params=[*params, ("format", "csv")])
        legacy = c.get("/api/timeline", params={"q": "ferry"}).json()
        totals = {q: c.get("/api/search", params={"q": q}).json()["total"] for q in ("ferry", "bridge")}
    assert [q["query"] for q in data["queries"]] == ["ferry", "bridge"]
    for q in data["queries"]:
        counted = sum(r["count"] for r in data["rows"] if r["query"] == q["query"])
        assert counted + q["undated"] == q["matches"] == totals[q["query"]]
    by_year: dict[str, int] = {}
    for row in data["rows"]:
        by_year[row["period"]] = by_year.get(row["period"], 0) + row["count"]
        assert row["share"] == pytest.approx(row["count"] / row["total"])
    # every generated article is a ferry or a bridge story: the shares of a year add up to 1
    assert all(by_year[r["period"]] == r["total"] for r in data["rows"])
    assert as_csv.text.splitlines()[0] == "query,period,start,count,total,share"
    assert sum(legacy.values()) == sum(r["count"] for r in data["rows"] if r["query"] == "ferry")


def test_timeline_refuses_more_than_five_queries(generated_server: str) -> None:
    params = [("q", f"w{i}") for i in range(6)] + [("by", "month")]
    response = httpx.get(f"{generated_server}/api/timeline", params=params, timeout=30)
    assert response.status_code == 400 and "at most 5" in response.json()["error"]


def test_terms_endpoint(client: httpx.Client) -> None:
    found = client.get("/api/terms", params={"q": "ferry", "top": 5}).json()
    assert found["matches"] == client.get("/api/search", params={"q": "ferry"}).json()["total"]
    assert len(found["terms"]) <= 5 and set(found["entities"]) == {
        "people",
        "places",
        "organisations",
        "other",
    }
    bad = client.get("/api/terms", params={"q": "ferry", "sample": 0})
    assert bad.status_code == 400
