"""Enrichment handed to worker processes while ingest extracts the next batch gives the archive
exactly what enriching after each batch in one process gives."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from newsarchive import Archive
from newsarchive.enrich import pipeline
from newsarchive.enrich.nlp import ModelNotInstalledError, load_nlp
from newsarchive.settings import Settings
from tests.corpus_helpers import meeting_reports, write_jsonl


def _write_rows(path: Path, n: int) -> Path:
    return write_jsonl(path, meeting_reports(n, seed=11))


def _enrichment(archive: Archive) -> dict[str, dict[str, Any]]:
    return {a.id: archive.enrichment(a.id).to_json() for a in archive.articles()}


def _ingest(root: Path, rows: Path) -> dict[str, dict[str, Any]]:
    archive = Archive.open(root, Settings.load(progress=False, batch_size=7), create=True)
    try:
        archive.ingest([rows])
        assert archive.stats()["indexed"] == 30
        return _enrichment(archive)
    finally:
        archive.close()


def _skip_without_a_lane() -> None:
    try:
        load_nlp()
    except ModelNotInstalledError as exc:
        pytest.skip(str(exc))
    if pipeline.worker_processes() < 2:
        pytest.skip("one core: ingest enriches after each batch, there is no lane")


def test_the_lane_gives_what_enriching_after_each_batch_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _skip_without_a_lane()
    rows = _write_rows(tmp_path / "reports.jsonl", 30)
    handed: list[int] = []
    submit = pipeline.WorkerPool.submit

    def counted(self: pipeline.WorkerPool, items: list[pipeline.Item]) -> object:
        handed.append(len(items))
        return submit(self, items)

    monkeypatch.setattr(pipeline.WorkerPool, "submit", counted)
    with_lane = _ingest(tmp_path / "lane", rows)
    assert sum(handed) == 30 and len(handed) >= 5, "the five batches of 7 went to the workers"
    handed.clear()
    with ThreadPoolExecutor(1) as thread:  # off the main thread nothing forks: enriched at each sync
        without = thread.submit(_ingest, tmp_path / "sync", rows).result()
    assert not handed
    assert with_lane == without
    assert sum(len(e["quotes"]) for e in with_lane.values()) >= 30


def test_the_lane_indexes_each_article_once_with_its_entities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An article in the workers is not indexed before its entities are stored: writing it then
    would have it written again when they arrive (each write is a tantivy commit)."""
    from newsarchive.index.tantivy_index import TantivyIndex

    _skip_without_a_lane()
    rows = _write_rows(tmp_path / "reports.jsonl", 30)
    written: list[tuple[str, tuple[str, ...]]] = []
    write = TantivyIndex.write

    def counted(self: TantivyIndex, entries: Any, deleted: Any = ()) -> dict[str, str]:
        entries = list(entries)
        written.extend((e.article.id, e.entities) for e in entries)
        return write(self, entries, deleted)

    monkeypatch.setattr(TantivyIndex, "write", counted)
    _ingest(tmp_path / "lane", rows)
    ids = [article_id for article_id, _ in written]
    assert len(ids) == 30 and len(set(ids)) == 30, "every article written once"
    assert all(entities for _, entities in written), "and with the entities the workers found"


def _children() -> list[int]:
    pid = os.getpid()
    listing = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in listing.read_text().split()] if listing.exists() else []


def test_a_worker_killed_mid_run_loses_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """kill -9 of an enrichment worker (the OOM killer's way): its articles are redone in the ingest
    process, the rest of the run goes on, and every article ends enriched as without the kill."""
    try:
        load_nlp()
    except ModelNotInstalledError as exc:
        pytest.skip(str(exc))
    if pipeline.worker_processes() < 2 or not Path("/proc/self/task").is_dir():
        pytest.skip("needs two cores and Linux's /proc to find the workers")
    rows = _write_rows(tmp_path / "reports.jsonl", 30)
    before = set(_children())
    killed: list[int] = []
    stop = threading.Event()

    def kill_first_worker() -> None:
        while not stop.is_set() and not killed:
            workers = [c for c in _children() if c not in before]
            if workers:
                os.kill(workers[0], signal.SIGKILL)
                killed.append(workers[0])
            time.sleep(0.01)

    killer = threading.Thread(target=kill_first_worker)
    killer.start()
    try:
        with_kill = _ingest(tmp_path / "killed", rows)
    finally:
        stop.set()
        killer.join()
    assert killed, "no worker was seen to kill"
    assert "redoing" in caplog.text or "workers stopped" in caplog.text, "the lane did not notice"
    with ThreadPoolExecutor(1) as thread:
        without = thread.submit(_ingest, tmp_path / "sync", rows).result()
    assert with_kill == without


def test_names_are_linked_once_a_run_not_after_every_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Linking reads every name of the archive: after each of a run's batches it would cost the
    whole archive again per batch. One ingest of five batches (enriched after each, no lane) links
    once, at its end, and the names are linked then."""
    from newsarchive.enrich import coreference

    try:
        load_nlp()
    except ModelNotInstalledError as exc:
        pytest.skip(str(exc))
    rows = write_jsonl(
        tmp_path / "rows.jsonl",
        [
            {
                "url": f"https://ledger.example/{i}",
                "title": f"Report {i}",
                "date": "2016-05-04",
                "text": (
                    "Mayor Ines Okafor opened the quay." if i == 0 else "Okafor said the quay was open."
                ),
            }
            for i in range(30)
        ],
    )
    calls: list[bool] = []
    relink = coreference.relink_archive

    def counted(store: Any, only_if_stale: bool = False) -> int:
        calls.append(only_if_stale)
        return relink(store, only_if_stale)

    monkeypatch.setattr(coreference, "relink_archive", counted)
    with ThreadPoolExecutor(1) as thread:  # no lane off the main thread: enriched after each batch
        archive = thread.submit(
            Archive.open, tmp_path / "arch", Settings.load(progress=False, batch_size=7), create=True
        ).result()
        try:
            thread.submit(archive.ingest, [rows]).result()
            assert len(calls) == 1
            assert archive.entity("Okafor").entity.name == "Ines Okafor"
        finally:
            archive.close()
