"""The field mapping from where users give it: ``ingest --field`` on the command line and the
``field`` query parameter of the upload API (a real subprocess, a real server on loopback)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from newsarchive.archive import Archive
from newsarchive.settings import Settings

ROWS = (
    "headline,story_body,issued\n"
    "Ferry timetable,The harbour council added two evening sailings to the ferry timetable.,31/05/2019\n"
)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsarchive.cli", *args], capture_output=True, text=True, timeout=300
    )


def test_ingest_field_maps_columns(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(ROWS)
    arch = str(tmp_path / "arch")
    refused = _cli("--archive", arch, "ingest", "--no-enrich", str(export), "--json")
    assert refused.returncode == 2
    assert "--field body=<column>" in json.loads(refused.stdout)["rejects"][0]["reason"]
    done = _cli(
        "--archive", arch, "ingest", "--no-enrich", str(export), "--json",
        "--field", "body=story_body", "--field", "published=Issued",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["articles_new"] == 1
    [hit] = [
        json.loads(line) for line in _cli("--archive", arch, "search", "ferry", "--json").stdout.splitlines()
    ]
    article = json.loads(_cli("--archive", arch, "show", hit["id"], "--json").stdout)
    assert (article["title"], article["published"]) == ("Ferry timetable", "2019-05-31")


def test_ingest_field_with_an_unknown_field_lists_the_valid_ones(tmp_path: Path) -> None:
    done = _cli("--archive", str(tmp_path / "arch"), "ingest", "x.csv", "--field", "bdy=story_body")
    assert done.returncode == 2
    assert "unknown field 'bdy' (did you mean 'body'?)" in done.stderr
    assert "body, html, title, published, authors, url, section, source, language, fetched_at" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    pytest.importorskip("fastapi")
    from newsarchive.web import create_app
    from tests.web.conftest import WRITE_TOKEN, live_server

    root = tmp_path / "arch"
    settings = Settings(enrich=False)
    Archive.open(root, settings, create=True).close()
    with live_server(create_app(root, settings, WRITE_TOKEN)) as url:
        yield url


def test_upload_field_parameter_maps_columns(server: str) -> None:
    from tests.web.conftest import WRITE_TOKEN

    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    files = [("files", ("export.csv", ROWS.encode()))]
    with httpx.Client(base_url=server, timeout=60) as client:
        bad = client.post("/api/ingest", headers=auth, files=files, params={"field": "boddy=story_body"})
        assert bad.status_code == 400 and "unknown field 'boddy'" in bad.json()["error"]
        done = client.post(
            "/api/ingest",
            headers=auth,
            files=files,
            params=[("field", "body=story_body"), ("field", "published=issued")],
        )
        assert done.status_code == 200, done.text
        assert done.json()["articles_new"] == 1 and done.json()["rejects"] == []


def test_upload_dayfirst_parameter_reads_ambiguous_dates_day_first(server: str, tmp_path: Path) -> None:
    from tests.web.conftest import WRITE_TOKEN

    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    rows = "title,text,date\nQuay works,The harbour board agreed the quay works after a long debate.,03/04/2019\n"
    with httpx.Client(base_url=server, timeout=60) as client:
        done = client.post(
            "/api/ingest",
            headers=auth,
            files=[("files", ("export.csv", rows.encode()))],
            params={"dayfirst": "true"},
        )
        assert done.status_code == 200, done.text
        assert done.json()["notices"] == []
    with Archive.open(tmp_path / "arch", Settings(enrich=False), readonly=True) as archive:
        (hit,) = archive.search("quay").hits
        assert archive.article(hit.id).published == "2019-04-03"
