"""``newsarchive serve`` as a user runs it: a real subprocess on a free loopback port."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from newsarchive.archive import Archive
from newsarchive.settings import Settings

# The lead registers the command with `cli.add_command(serve)`; until then the test does it.
_RUN = (
    "import sys; from newsarchive.cli import cli, main; from newsarchive.web.serve_cli import serve;"
    "cli.add_command(serve) if 'serve' not in cli.commands else None; sys.argv[0] = 'newsarchive'; main()"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(*args: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", _RUN, *args, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"serve exited: {proc.communicate()[1]}")
            try:
                if httpx.get(url + "/api/stats", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("serve did not answer within 30 s")
            time.sleep(0.1)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_serve_read_only_by_default(fixture_archive: Path) -> None:
    with serving("--archive", str(fixture_archive), "serve", env={"NEWSARCHIVE_WRITE_TOKEN": ""}) as (url, _):
        assert httpx.get(url + "/search?q=ferry").status_code == 200
        refused = httpx.post(url + "/api/ingest", files={"files": ("a.jsonl", b"{}")})
        assert refused.status_code == 403 and "--write-token" in refused.json()["error"]
        rebinding = httpx.get(url + "/api/stats", headers={"Host": "attacker.example"})
        assert rebinding.status_code == 400


@pytest.mark.slow
def test_serve_with_token_from_environment_and_two_workers(fixture_archive: Path) -> None:
    env = {"NEWSARCHIVE_WRITE_TOKEN": "tok-123"}
    with serving("--archive", str(fixture_archive), "serve", "--workers", "2", env=env) as (url, _):
        assert httpx.get(url + "/api/search", params={"q": "ferry"}).json()["total"] > 0
        wrong = httpx.post(
            url + "/api/ingest", files={"files": ("a.jsonl", b"{}")}, headers={"Authorization": "Bearer x"}
        )
        assert wrong.status_code == 403 and "wrong" in wrong.json()["error"]


def test_serve_without_an_archive_fails_with_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _RUN,
            "--archive",
            str(tmp_path / "none"),
            "serve",
            "--port",
            str(_free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "no archive here" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_serve_records_uploads_under_the_token_label(fixture_archive: Path, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    shutil.copytree(fixture_archive, root)
    row = {"title": "Breakwater repairs finished", "source": "Harbour Herald", "date": "2023-04-01",
           "text": "Repairs to the old breakwater were finished on Friday, a month ahead of the storm season."}  # fmt: skip
    second = {**row, "title": "Breakwater walk reopens",
              "text": "The walk along the breakwater reopened to the public on Saturday after the winter closure."}  # fmt: skip
    env = {"NEWSARCHIVE_WRITE_TOKEN": "tok-123", "NEWSARCHIVE_WRITE_TOKEN_LABEL": "night desk"}
    with serving("--archive", str(root), "serve", "--workers", "2", env=env) as (url, _):
        response = httpx.post(
            url + "/api/ingest",
            files={"files": ("breakwater.jsonl", json.dumps(row).encode())},
            headers={"Authorization": "Bearer tok-123"},
            timeout=60,
        )
        assert response.status_code == 200 and response.json()["articles_new"] == 1, response.text
    with serving("--archive", str(root), "serve", "--write-token-label", "day desk", env=env) as (url, _):
        response = httpx.post(
            url + "/api/ingest",
            files={"files": ("breakwater2.jsonl", json.dumps(second).encode())},
            headers={"Authorization": "Bearer tok-123"},
            timeout=60,
        )
        assert response.status_code == 200 and response.json()["articles_new"] == 1, response.text
    with Archive.open(root, Settings(), readonly=True) as archive:
        origins = {
            ref.origin for a in archive.articles() for ref in a.captures if ref.origin.startswith("upload:")
        }
    assert {o.split("#")[0] for o in origins} == {
        "upload:night desk/breakwater.jsonl",
        "upload:day desk/breakwater2.jsonl",
    }


def _interrupted_copy(fixture_archive: Path, root: Path) -> int:
    """A copy of the archive in the state kill -9 leaves between the store's and the index's commits."""
    shutil.copytree(fixture_archive, root)
    with Archive.open(root, Settings(enrich=False)) as archive:
        archive.index.clear()
        stored = int(archive.stats()["articles"])
    db = sqlite3.connect(root / "archive.sqlite")
    db.execute("UPDATE articles SET indexed = 0")
    db.commit()
    db.close()
    return stored


@pytest.mark.slow
def test_serve_warns_about_unsearchable_articles_and_heals_them_with_a_token(
    fixture_archive: Path, tmp_path: Path
) -> None:
    root = tmp_path / "archive"
    stored = _interrupted_copy(fixture_archive, root)
    with serving("--archive", str(root), "serve", env={"NEWSARCHIVE_WRITE_TOKEN": ""}) as (url, proc):
        page = httpx.get(url + "/search", params={"q": "ferry"})
        assert f"{stored} stored articles are not searchable yet" in page.text
        assert httpx.get(url + "/api/stats").json()["unindexed"] == stored
    assert "not searchable yet" in proc.communicate()[1]
    with serving("--archive", str(root), "serve", env={"NEWSARCHIVE_WRITE_TOKEN": "tok-9"}) as (url, _):
        assert httpx.get(url + "/api/stats").json()["unindexed"] == 0
        page = httpx.get(url + "/search", params={"q": "ferry"})
        assert "not searchable yet" not in page.text
        assert httpx.get(url + "/api/search", params={"all_versions": "true"}).json()["total"] == stored
