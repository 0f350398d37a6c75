"""Server mode as the README shows it: a PostgreSQL archive driven by the real CLI — ingest, search,
show, and ``serve`` answering over HTTP with uploads from a token holder stored in the same
database."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.corpus_helpers import STORIES, near_duplicate, write_jsonl
from tests.web.test_serve_cli import serving


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsarchive.cli", *args], capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_ingest_search_and_serve_a_postgresql_archive(postgres_database: str, tmp_path: Path) -> None:
    location = f"{postgres_database}{'&' if '?' in postgres_database else '?'}index={tmp_path / 'index'}"
    src = write_jsonl(tmp_path / "s.jsonl", [*STORIES, near_duplicate(STORIES[0])])
    done = _cli("--archive", location, "ingest", str(src), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["articles_new"] == len(STORIES) + 1
    hits = [
        json.loads(line)
        for line in _cli("--archive", location, "search", "ferry", "--json").stdout.splitlines()
    ]
    assert len(hits) == 1 and hits[0]["duplicates"] == 1
    shown = json.loads(_cli("--archive", location, "show", hits[0]["id"], "--json").stdout)
    assert shown["cluster"]["size"] == 2
    env = {"NEWSARCHIVE_WRITE_TOKEN": "tok-pg"}
    with serving("--archive", location, "serve", env=env) as (url, proc):
        assert httpx.get(url + "/api/search", params={"q": "regatta"}).json()["total"] == 1
        upload = b'{"url": "https://new.example/a", "title": "Harbour lights", "date": "2018-01-02", ' + (
            b'"text": "The harbour lights were switched on again on Monday after a month of repairs by the port."}\n'
        )
        sent = httpx.post(
            url + "/api/ingest",
            files={"files": ("new.jsonl", upload)},
            headers={"Authorization": "Bearer tok-pg"},
            timeout=120,
        )
        assert sent.status_code == 200, sent.text
        assert sent.json()["articles_new"] == 1
        # the readers see the index commit once tantivy reloads them (it watches the index; < 1 s)
        deadline = time.monotonic() + 10
        while httpx.get(url + "/api/search", params={"q": "harbour lights"}).json()["total"] < 1:
            assert time.monotonic() < deadline, "the upload never became searchable"
            time.sleep(0.2)
        proc.terminate()
        stderr = proc.communicate(timeout=15)[1]
    assert "serving postgresql://" in stderr and "index=" not in stderr  # the database, not our parameter
    stats = json.loads(_cli("--archive", location, "stats", "--json").stdout)
    assert stats["articles"] == len(STORIES) + 2
