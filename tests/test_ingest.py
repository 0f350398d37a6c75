"""The pipeline under crashes: kill -9 a real ingest at random moments, run it again, lose nothing."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsarchive import Archive, Settings

WORDS = [
    *[
        "harbour",
        "council",
        "ferry",
        "island",
        "market",
        "traders",
        "storm",
        "regatta",
        "mayor",
        "budget",
        "school",
        "bridge",
        "tram",
    ],
    *[
        "port",
        "museum",
        "festival",
        "river",
        "election",
        "court",
        "hospital",
        "airport",
        "railway",
        "library",
        "theatre",
        "stadium",
    ],
]


def _generated_rows(n: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(120)]
        rows.append(
            {
                "url": f"https://gazette.example/story/{i}",
                "title": f"Story {i} about the {words[0]}",
                "date": f"20{10 + i % 8}-0{1 + i % 9}-1{i % 9}",
                "source": "Gazette",
                "text": f"Story number {i}. " + " ".join(words) + ".",
            }
        )
    return rows


def _run_ingest(archive: Path, source: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsarchive.cli",
            "--archive",
            str(archive),
            "ingest",
            "--batch-size",
            "50",
            str(source),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_kill_9_during_ingest_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    rows = _generated_rows(1500)
    source = tmp_path / "rows.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    archive = tmp_path / "arch"
    rng = random.Random(11)
    kills = 0
    for _ in range(4):
        proc = _run_ingest(archive, source)
        time.sleep(rng.uniform(0.5, 3.0))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
    final = _run_ingest(archive, source)
    assert final.wait(timeout=600) == 0
    assert kills >= 1, "the ingest finished before any kill; make the input bigger"

    db = sqlite3.connect(archive / "archive.sqlite")
    assert db.execute("SELECT COUNT(*) FROM captures").fetchone()[0] == 1500
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1500
    assert db.execute("SELECT COUNT(DISTINCT url) FROM articles").fetchone()[0] == 1500
    db.close()
    with Archive.open(archive) as arch:
        assert arch.index.doc_count() == 1500
        assert arch.stats()["indexed"] == 1500
        assert arch.search("", all_versions=True).total == 1500


def _model_or_skip() -> None:
    from newsarchive.enrich.nlp import ModelNotInstalledError, load_nlp

    try:
        load_nlp()
    except ModelNotInstalledError as exc:
        pytest.skip(str(exc))


@pytest.mark.slow
def test_an_article_too_long_to_enrich_is_skipped_and_nothing_else_stops(tmp_path: Path) -> None:
    from newsarchive.enrich.pipeline import MAX_BODY_CHARS

    _model_or_skip()
    rows = _generated_rows(3)
    huge = " ".join(["harbour ferry council"] * (MAX_BODY_CHARS // 20))
    rows.insert(
        1, {"url": "https://gazette.example/huge", "title": "Huge", "date": "2016-01-01", "text": huge}
    )
    source = tmp_path / "rows.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    archive = tmp_path / "arch"
    with Archive.open(archive, create=True) as arch:
        report = arch.ingest([source])
        assert report.articles_new == 4
        stats = arch.stats()
        assert stats["indexed"] == 4 and stats["unindexed"] == 0
        [skip] = stats["skipped"]
        assert skip["stage"] == "enrich" and "enrichment limit" in skip["reason"]
        assert arch.search("Huge").total == 1
    # every later writable open and write works: nothing retries the skipped article or fails on it
    with Archive.open(archive) as arch:
        assert arch.enrich() == 0
        assert arch.reindex() == 4
        more = tmp_path / "more.jsonl"
        story = {"url": "https://gazette.example/new", "title": "Tram", "date": "2016-02-02",
                 "text": "Mayor Tomas Lindqvist opened the new tram line in Port Ellery on Monday."}  # fmt: skip
        more.write_text(json.dumps(story) + "\n", encoding="utf-8")
        assert arch.ingest([more]).articles_new == 1
        assert len(arch.stats()["skipped"]) == 1
        new_id = arch.search("tram Lindqvist").hits[0].id
        assert arch.enrichment(new_id).entities  # enrichment goes on for the articles after it


def test_a_row_with_a_lone_surrogate_is_stored_and_its_batch_goes_on(tmp_path: Path) -> None:
    rows = _generated_rows(3)
    lines = [json.dumps(r) for r in rows]
    lines[1] = lines[1].replace("Story number 1.", "Story number 1 \\ud800 broken.")
    source = tmp_path / "rows.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Archive.open(tmp_path / "arch", Settings(enrich=False), create=True) as arch:
        report = arch.ingest([source])
        assert report.articles_new == 3 and not report.rejects
        hit = arch.search('"Story number 1"').hits[0]
        assert "broken" in arch.article(hit.id).body  # the row is kept, the bad character replaced


def test_read_only_opens_say_how_many_articles_are_not_searchable_until_a_writer_heals(
    tmp_path: Path,
) -> None:
    source = tmp_path / "rows.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in _generated_rows(40)), encoding="utf-8")
    archive = tmp_path / "arch"
    with Archive.open(archive, Settings(enrich=False), create=True) as arch:
        arch.ingest([source])
        # the state kill -9 leaves between the store's commit and the index's: stored, not indexed
        arch.index.clear()
    db = sqlite3.connect(archive / "archive.sqlite")
    db.execute("UPDATE articles SET indexed = 0")
    db.commit()
    db.close()
    env = {**os.environ, "NEWSARCHIVE_ENRICH": "0"}
    cli = [sys.executable, "-m", "newsarchive.cli", "--archive", str(archive)]
    search = subprocess.run([*cli, "search", "harbour"], capture_output=True, text=True, env=env, timeout=120)
    assert "40 stored articles are not searchable yet" in search.stderr
    stats = json.loads(
        subprocess.run([*cli, "stats", "--json"], capture_output=True, text=True, env=env).stdout
    )
    assert stats["unindexed"] == 40
    with Archive.open(archive, Settings(enrich=False)) as arch:  # a writable open heals the index
        assert arch.stats()["unindexed"] == 0
        assert arch.search("", all_versions=True).total == 40


def test_captures_with_unstorable_text_are_kept_escaped_and_the_batch_goes_on(tmp_path: Path) -> None:
    """Text that SQLite refuses (a lone surrogate from a decoder or an API caller) must not cost the batch."""
    from newsarchive.model import Capture

    captures = [
        Capture(origin=f"api#{i}", raw=f"row {i}".encode(), format="text",
                hints={"text": f"Story {i} about the harbour ferry and the council vote.", "title": title})
        for i, title in enumerate(["Ferry vote", "Broken \udce9 title", "Council budget"])
    ]  # fmt: skip
    with Archive.open(tmp_path / "arch", Settings(enrich=False), create=True) as arch:
        report = arch._pipeline._ingest_records(captures, 1, lambda _e, _n: None)
        assert report.articles_new == 3 and not report.rejects
        titles = sorted(arch.article(hit.id).title for hit in arch.search("harbour").hits)
        assert titles == ["Broken \\xe9 title", "Council budget", "Ferry vote"]


@pytest.mark.slow
def test_a_reindex_killed_at_any_moment_leaves_every_article_searchable(tmp_path: Path) -> None:
    """A rebuild is one index commit: killed half-way, the old index is still whole (it used to be empty)."""
    rows = _generated_rows(12000, seed=9)
    source = tmp_path / "rows.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    archive = tmp_path / "arch"
    with Archive.open(archive, Settings(enrich=False), create=True) as arch:
        assert arch.ingest([source]).articles_new == 12000
    cli = [sys.executable, "-m", "newsarchive.cli", "--archive", str(archive)]
    rng = random.Random(5)
    for _ in range(3):
        proc = subprocess.Popen([*cli, "reindex"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.2, 3.5))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        with Archive.open(archive, readonly=True) as arch:
            assert arch.search("", all_versions=True).total == 12000
