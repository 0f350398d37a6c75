"""A query export in worker processes: the same file as one process writes, every row counted,
flat memory in the caller, and a worker's failure or an export stopped early leaves no process."""

from __future__ import annotations

import contextlib
import io
import os
import tracemalloc
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from newsarchive import Archive, ArchiveError
from newsarchive.cli import cli
from newsarchive.research import parallel_export
from newsarchive.research.export import EXPORT_FIELDS, ExportCount
from newsarchive.settings import Settings


def _children() -> set[int]:
    """This process's child processes, from /proc (Linux)."""
    found: set[int] = set()
    for task in os.listdir(f"/proc/{os.getpid()}/task"):
        # a thread may end between the listing and the read: its children pass to another thread
        with contextlib.suppress(FileNotFoundError), open(f"/proc/{os.getpid()}/task/{task}/children") as fh:
            found.update(int(pid) for pid in fh.read().split())
    return found


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers for any export, so that a test archive of thousands of matches goes parallel."""
    monkeypatch.setattr(parallel_export, "PARALLEL_MIN", 1)


def _export(archive: Archive, query: str, fmt: str, workers: int, **options: object) -> tuple[bytes, int]:
    count = ExportCount()
    data = b"".join(archive.export_stream(query, fmt, count=count, workers=workers, batch=700, **options))
    return data, count.rows


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_workers_write_the_bytes_one_process_writes(
    generated_archive: Path, small_threshold: None, fmt: str
) -> None:
    with Archive.open(generated_archive, readonly=True) as archive:
        total = archive.search("ferry").total
        alone, alone_rows = _export(archive, "ferry", fmt, 1)
        before = _children()
        shared, shared_rows = _export(archive, "ferry", fmt, 3)
    assert alone_rows == shared_rows == total > 10_000
    assert shared == alone
    assert _children() <= before  # the workers are gone once the file is written


def test_parquet_from_workers_holds_the_same_table(generated_archive: Path, small_threshold: None) -> None:
    with Archive.open(generated_archive, readonly=True) as archive:
        alone, _ = _export(archive, "bridge", "parquet", 1, fields="id,title,published,captures")
        shared, rows = _export(archive, "bridge", "parquet", 2, fields="id,title,published,captures")
        total = archive.search("bridge").total
    table = pq.read_table(io.BytesIO(shared))
    assert table.num_rows == rows == total
    assert table.equals(pq.read_table(io.BytesIO(alone)))
    assert table.schema.names == ["id", "title", "published", "captures"]


def test_small_exports_limits_and_redaction_stay_in_one_process(generated_archive: Path) -> None:
    with Archive.open(generated_archive, readonly=True) as archive:
        before = _children()
        pieces = archive.export_stream("bridge", "csv", workers=4)  # far below PARALLEL_MIN
        next(pieces)
        assert _children() == before
        pieces.close()
        limited = archive.export_stream("ferry", "csv", workers=4, limit=20_000)
        next(limited)
        assert _children() == before
        limited.close()


def test_the_callers_memory_stays_flat(generated_archive: Path, small_threshold: None) -> None:
    def peak(**filters: str) -> tuple[int, int]:
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            n = 0
            for piece in archive.export_stream("ferry", "csv", workers=2, batch=500, **filters):
                n += piece.count(b"\n")
            return n - 1, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    with Archive.open(generated_archive, readonly=True) as archive:
        small_rows, small_peak = peak(date_from="2015-01", date_to="2015-06")
        rows, big_peak = peak()
    assert small_rows * 5 < rows
    assert big_peak < small_peak * 2, (small_peak, big_peak)


def test_an_export_stopped_early_leaves_no_worker(generated_archive: Path, small_threshold: None) -> None:
    with Archive.open(generated_archive, readonly=True) as archive:
        before = _children()
        pieces = archive.export_stream("ferry", "jsonl", workers=2, batch=300)
        next(pieces)
        assert len(_children() - before) == 2
        pieces.close()
    assert _children() <= before


def test_a_worker_that_cannot_open_the_archive_says_so(tmp_path: Path) -> None:
    missing = tmp_path / "not-an-archive"
    missing.mkdir()
    pieces = parallel_export.parallel_chunks(
        str(missing), Settings(), iter([["a" * 16], ["b" * 16]]), "csv", EXPORT_FIELDS, ExportCount(), 2
    )
    with pytest.raises(Exception, match="not-an-archive") as raised:
        b"".join(pieces)
    assert isinstance(raised.value, ArchiveError | OSError)


def test_the_cli_takes_a_number_of_workers(
    generated_archive: Path, small_threshold: None, tmp_path: Path
) -> None:
    runner = CliRunner()
    files = {}
    for workers in ("1", "2"):
        out = tmp_path / f"bridge-{workers}.jsonl"
        result = runner.invoke(
            cli,
            [
                "--archive",
                str(generated_archive),
                "export",
                "--query",
                "bridge",
                "--workers",
                workers,
                "-o",
                str(out),
            ],
        )
        assert result.exit_code == 0, result.output
        files[workers] = out.read_bytes()
    assert files["1"] == files["2"]
    assert files["1"].count(b"\n") == int(result.stderr.split()[1])
    bad = runner.invoke(
        cli, ["--archive", str(generated_archive), "export", "--query", "x", "--workers", "0"]
    )
    assert bad.exit_code == 2 and "--workers" in bad.output
