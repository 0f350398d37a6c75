"""Two writers on one archive: real processes at once, every input stored and indexed, nothing half-done."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from newsarchive import Archive, Settings
from newsarchive.lock import WriterLock
from tests.test_ingest import _generated_rows

_HOLDER = """
import sys, time
from pathlib import Path
from newsarchive.lock import WriterLock
lock = WriterLock(Path(sys.argv[1]))
with lock.hold():
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _write_rows(path: Path, start: int, n: int) -> Path:
    rows = _generated_rows(start + n, seed=3)[start:]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _ingest(archive: Path, source: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsarchive.cli", "--archive", str(archive), "ingest", "--no-enrich",
         "--batch-size", "50", *extra, str(source)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _hold_lock(archive: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(archive), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def _counts(archive: Path) -> tuple[int, int]:
    db = sqlite3.connect(archive / "archive.sqlite")
    try:
        articles = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        unindexed = db.execute("SELECT COUNT(*) FROM articles WHERE indexed != 1").fetchone()[0]
        return int(articles), int(unindexed)
    finally:
        db.close()


@pytest.mark.slow
def test_two_ingests_at_once_both_finish_with_every_input_stored_and_indexed(tmp_path: Path) -> None:
    archive = tmp_path / "arch"
    with Archive.open(archive, create=True):
        pass
    first = _write_rows(tmp_path / "first.jsonl", 0, 2000)
    second = _write_rows(tmp_path / "second.jsonl", 2000, 2000)
    runs = [_ingest(archive, first), _ingest(archive, second)]
    results = [run.communicate(timeout=900) for run in runs]
    for run, (_, err) in zip(runs, results, strict=True):
        assert run.returncode == 0, err
        assert "locked" not in err
    assert _counts(archive) == (4000, 0)
    with Archive.open(archive, readonly=True) as arch:
        assert arch.index.doc_count() == 4000
        assert arch.search("", all_versions=True).total == 4000
        assert arch.stats()["unindexed"] == 0


def test_a_writer_past_its_wait_stops_cleanly_and_a_rerun_finishes(tmp_path: Path) -> None:
    archive = tmp_path / "arch"
    source = _write_rows(tmp_path / "rows.jsonl", 0, 120)
    with Archive.open(archive, create=True):
        pass
    holder = _hold_lock(archive, 60)
    try:
        run = _ingest(archive, source, "--wait", "1")
        _, err = run.communicate(timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert run.returncode == 3, err
    assert "another writer" in err and "--wait" in err
    assert "Traceback" not in err
    assert _counts(archive) == (0, 0)  # nothing half-done: no batch was started

    rerun = _ingest(archive, source)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert _counts(archive) == (120, 0)


def test_a_killed_writer_releases_the_lock(tmp_path: Path) -> None:
    archive = tmp_path / "arch"
    with Archive.open(archive, create=True):
        pass
    holder = _hold_lock(archive, 60)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    lock = WriterLock(archive, wait=5)
    with lock.hold():
        assert (archive / "writer.lock").read_text().startswith(f"pid {os.getpid()}")


def test_a_waiting_writer_is_told_who_it_waits_for_and_then_goes_on(tmp_path: Path) -> None:
    archive = tmp_path / "arch"
    source = _write_rows(tmp_path / "rows.jsonl", 0, 30)
    with Archive.open(archive, create=True):
        pass
    holder = _hold_lock(archive, 2)
    notices: list[str] = []
    try:
        with Archive.open(archive, Settings(enrich=False), wait_notice=notices.append) as arch:
            report = arch.ingest([source])
    finally:
        holder.wait(timeout=60)
    assert report.articles_new == 30 and report.stopped is None
    assert len(notices) == 1 and f"pid {holder.pid}" in notices[0]


def test_lock_is_reentrant_and_excludes_another_holder_in_the_same_process(tmp_path: Path) -> None:
    first = WriterLock(tmp_path, wait=0)
    second = WriterLock(tmp_path, wait=0.2)
    outcome: list[str] = []
    with first.hold(), first.hold():

        def try_second() -> None:
            try:
                with second.hold():
                    outcome.append("got it")
            except Exception as exc:
                outcome.append(type(exc).__name__)

        thread = threading.Thread(target=try_second)
        thread.start()
        thread.join()
    assert outcome == ["ArchiveBusyError"]
    with second.hold():  # free again once the outer hold ends (it would raise ArchiveBusyError)
        outcome.append("got it")
    assert outcome == ["ArchiveBusyError", "got it"]
