"""A full disk mid-ingest: one clear line and exit code 1, the archive still consistent, a re-run finishes.

The archive lives on a small tmpfs mounted for the test (root only; skipped elsewhere), so SQLite
and tantivy really run out of space.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsarchive import Archive, Settings


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _rows(n: int) -> str:
    rng = random.Random(1)
    words = [f"w{rng.randrange(100_000)}" for _ in range(5000)]
    lines = []
    for i in range(n):
        text = " ".join(rng.choice(words) for _ in range(400))
        lines.append(json.dumps({"url": f"https://disk.example/{i}", "title": f"Story {i}", "text": text}))
    return "\n".join(lines) + "\n"


def _ingest(archive: Path, source: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsarchive.cli", "--archive", str(archive), "ingest", "--no-enrich",
         "--batch-size", "100", str(source)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_full_disk_is_one_line_and_leaves_a_consistent_archive(small_disk: Path, tmp_path: Path) -> None:
    source = tmp_path / "rows.jsonl"
    source.write_text(_rows(2500), encoding="utf-8")
    archive = small_disk / "arch"

    full = _ingest(archive, source)
    assert full.returncode == 1, full.stderr
    assert "Traceback" not in full.stderr and "cannot rollback" not in full.stderr
    [line] = full.stderr.strip().splitlines()
    assert line.startswith("newsarchive: ") and "Free disk space" in line

    subprocess.run(["mount", "-o", "remount,size=256m", str(small_disk)], check=True)
    with Archive.open(archive, Settings(enrich=False), readonly=True) as arch:
        stats = arch.stats()
        assert stats["articles"] == stats["captures"]  # no article without its capture, or the reverse
        assert arch.search("", all_versions=True).total == stats["indexed"]

    rerun = _ingest(archive, source)
    assert rerun.returncode == 0, rerun.stderr
    with Archive.open(archive, Settings(enrich=False), readonly=True) as arch:
        stats = arch.stats()
        assert stats["articles"] == stats["indexed"] == 2500 and stats["unindexed"] == 0
        assert arch.search("", all_versions=True).total == 2500
