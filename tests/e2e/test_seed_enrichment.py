"""Issue 4's acceptance on the real seed page, through the public CLI and Python API."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive import Archive


def run(*args: str) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "newsarchive.cli", *args], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.fixture(scope="module")
def seed_archive(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "arch"
    with Archive.open(path) as archive:
        archive.ingest([shared_data / "seed"])
    return path


def _roles(entity: dict[str, object]) -> set[tuple[object, object]]:
    return {(r["title"], r["of"]) for r in entity["roles"]}  # type: ignore[index, union-attr]


def test_people_with_roles(seed_archive: Path) -> None:
    people = {
        e["name"]: e for e in run("--archive", str(seed_archive), "entities", "--type", "PERSON", "--json")
    }
    assert ("President", "Russia") in _roles(people["Vladimir Putin"])
    assert ("Prime Minister", "Russia") in _roles(people["Dmitry Medvedev"])
    assert ("Prime Minister", "Israel") in _roles(people["Benjamin Netanyahu"])
    assert ("President", "Israel") in _roles(people["Reuven Rivlin"])
    assert "Putin" in people["Vladimir Putin"]["aliases"]  # type: ignore[operator]


def test_places_and_organisations(seed_archive: Path) -> None:
    names = {e["name"]: e["type"] for e in run("--archive", str(seed_archive), "entities", "--json")}
    assert names["Israel"] == "PLACE" and names["Russia"] == "PLACE"
    assert any(t == "ORG" for t in names.values())


def test_embassy_statement_quote(seed_archive: Path) -> None:
    quotes = run("--archive", str(seed_archive), "quotes", "--speaker", "embassy", "--json")
    direct = [q for q in quotes if str(q["text"]).startswith("Over the years")]
    assert direct and "embassy" in str(direct[0]["speaker"]).lower()
    with Archive.open(seed_archive, readonly=True) as archive:
        article = next(archive.articles())
        q = direct[0]
        assert article.body[int(q["start"]) : int(q["end"])] == q["text"]  # type: ignore[call-overload]


def test_events_keep_dates_partial_without_a_publication_year(seed_archive: Path) -> None:
    events = run("--archive", str(seed_archive), "events", "--json")
    visit = [
        e
        for e in events
        if e["type"] == "VISIT" and e["source"] == "Dmitry Medvedev" and e["target"] == "Israel"
    ]
    assert visit and visit[0]["date"] == "--11-10" and visit[0]["date_status"] == "planned"
    talks = [e for e in events if e["type"] == "NEGOTIATE"]
    assert talks and talks[0]["date_status"] == "planned" and talks[0]["date"] is None
    assert any(
        e["type"] == "CONSULT" and {e["source"], e["target"]} >= {"Benjamin Netanyahu"} for e in events
    )
    assert any(
        e["type"] == "VISIT" and e["source"] == "Benjamin Netanyahu" and e["location"] == "Moscow"
        for e in events
    )
    assert any(
        e["type"] == "THREATEN" and e["source"] == "Israel" and e["target"] == "Russia" for e in events
    )
    both = run("--archive", str(seed_archive), "events", "--actor", "Netanyahu", "--actor", "Putin", "--json")
    assert both and all({"Benjamin Netanyahu", "Vladimir Putin"} <= {e["source"], e["target"]} for e in both)


def test_with_a_publication_date_the_dates_resolve(shared_data: Path, tmp_path: Path) -> None:
    text = (shared_data / "seed").glob("*.txt").__next__().read_text(encoding="utf-8")
    body = text[text.index("Tel Aviv –") :]
    rows = tmp_path / "seed.jsonl"
    rows.write_text(
        json.dumps({"url": "https://example.org/seed", "title": "Seed", "date": "2016-10-20", "text": body})
        + "\n"
    )
    with Archive.open(tmp_path / "arch") as archive:
        archive.ingest([rows])
        events = [e.to_json() for e in archive.events()]
    visit = [
        e
        for e in events
        if e["type"] == "VISIT" and e["source"] == "Dmitry Medvedev" and e["target"] == "Israel"
    ]
    assert visit[0]["date"] == "2016-11-10" and visit[0]["date_status"] == "planned"
    talks = [e for e in events if e["type"] == "NEGOTIATE"]
    assert talks[0]["date"] == "2016-11"


def test_entity_view_and_exports(seed_archive: Path, tmp_path: Path) -> None:
    (putin,) = run("--archive", str(seed_archive), "entity", "Putin", "--json")
    assert putin["name"] == "Vladimir Putin" and putin["cooccurring"]
    mentions = run("--archive", str(seed_archive), "export", "--what", "mentions", "--format", "jsonl")
    assert {"article_id", "start", "end", "text", "label", "entity"} <= set(mentions[0])
    hits = run("--archive", str(seed_archive), "search", 'entity:"Vladimir Putin"', "--json")
    assert len(hits) == 1
