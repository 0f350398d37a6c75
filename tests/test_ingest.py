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

from newsarchive import Archive

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
