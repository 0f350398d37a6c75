"""Enrichment of an archive survives kill -9: the same result as an uninterrupted run, nothing doubled."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.corpus_helpers import meeting_reports


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsarchive.cli", *args]


def _counts(archive: Path) -> dict[str, int]:
    db = sqlite3.connect(archive / "archive.sqlite")
    try:
        return {
            t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("enriched", "mentions", "quotes", "events", "roles")
        }
    finally:
        db.close()


def _children(pid: int) -> list[int]:
    """The processes ``pid`` forked (its spaCy workers), from Linux's /proc; none elsewhere."""
    listing = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in listing.read_text().split()] if listing.exists() else []


def _gone_within(pid: int, seconds: float) -> bool:
    """Whether ``pid`` ends (or is a zombie waiting to be reaped) within ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)


@pytest.mark.slow
def test_enrich_killed_and_resumed_matches_an_uninterrupted_run(tmp_path: Path) -> None:
    source = tmp_path / "rows.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in meeting_reports(600)), encoding="utf-8")
    base = tmp_path / "base"
    done = subprocess.run(
        _cli("--archive", str(base), "ingest", "--no-enrich", str(source)), capture_output=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    interrupted, clean = tmp_path / "interrupted", tmp_path / "clean"
    shutil.copytree(base, interrupted)
    shutil.copytree(base, clean)

    assert (
        subprocess.run(_cli("--archive", str(clean), "enrich"), capture_output=True, timeout=900).returncode
        == 0
    )
    expected = _counts(clean)
    assert expected["enriched"] == 600 and expected["mentions"] > 600

    rng = random.Random(3)
    kills = 0
    for _ in range(3):
        proc = subprocess.Popen(
            _cli("--archive", str(interrupted), "enrich"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(3.0, 8.0))
        workers = _children(proc.pid)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
        left = [pid for pid in workers if not _gone_within(pid, 30)]
        assert not left, f"spaCy workers {left} outlived the killed enrich"
    assert (
        subprocess.run(
            _cli("--archive", str(interrupted), "enrich"), capture_output=True, timeout=900
        ).returncode
        == 0
    )
    assert kills >= 1, "enrichment finished before any kill; make the input bigger"
    assert _counts(interrupted) == expected
    stats = json.loads(
        subprocess.run(
            _cli("--archive", str(interrupted), "stats", "--json"), capture_output=True, text=True
        ).stdout
    )
    assert stats["indexed"] == stats["articles"] == 600
