"""A big query export read and formatted by worker processes, written in order by the caller.

An export's time is the store's read of each batch of matches and the formatting of its rows, both
Python holding the GIL (a reading thread measured no faster). Worker processes each open the
archive's store read-only and turn a batch of ids into finished bytes (CSV or JSONL lines, or an
Arrow table for Parquet); the caller deals the batches out in match order, a few in flight per
worker (memory stays flat), and takes the results back in that same order, so the file is what one
process writes. The workers are fresh interpreters (``python -m`` this module) talking pickles over
their pipes, not ``multiprocessing``: its fork server and spawn re-import the caller's main script
in every worker (a second of imports for the CLI, and an unguarded user script would run again),
and forking the caller copies whatever threads it runs.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from newsarchive.errors import ArchiveError
from newsarchive.research import export as query_export
from newsarchive.settings import Settings

__all__ = ["PARALLEL_MIN", "default_workers", "parallel_chunks", "serve"]

PARALLEL_MIN = 20_000
"""Matches below which an export stays in one process (workers' start-up outweighs their help)."""
MAX_WORKERS = 4
"""More workers than this wait on the one process that writes the file."""
AHEAD = 2
"""Batches handed to each worker before its first result is taken back."""


def default_workers() -> int:
    """One worker per core, at most ``MAX_WORKERS``; one means no worker processes."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cores))


@dataclass(slots=True)
class _Worker:
    process: subprocess.Popen[bytes]
    number: int

    def send(self, message: Any) -> None:
        assert self.process.stdin is not None
        try:
            pickle.dump(message, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.process.stdin.flush()
        except BrokenPipeError as exc:
            raise self.stopped() from exc

    def receive(self) -> Any:
        assert self.process.stdout is not None
        try:
            status, *payload = pickle.load(self.process.stdout)
        except (EOFError, pickle.UnpicklingError) as exc:
            raise self.stopped() from exc
        if status == "error":
            error, text = payload
            if isinstance(error, BaseException):
                raise error
            raise ArchiveError(f"export worker {self.number}: {text}")
        return payload

    def stopped(self) -> ArchiveError:
        code = self.process.poll()
        how = "is gone" if code is None else f"stopped with exit code {code}"
        return ArchiveError(
            f"export worker {self.number} {how} (its error, if any, is above); export again, or with "
            "--workers 1 to stay in one process"
        )


def parallel_chunks(
    location: str,
    settings: Settings,
    batches: Iterable[list[str]],
    fmt: str,
    fields: Sequence[str],
    count: query_export.ExportCount,
    workers: int,
) -> Iterator[bytes]:
    """The export file of these batches of ids, formatted by ``workers`` processes, in order."""
    started = [_start(n + 1, location, settings) for n in range(workers)]
    finished = False
    try:
        results = _in_order(started, batches, fmt, tuple(fields), count)
        if fmt == "parquet":
            yield from query_export.parquet_pieces(results, fields)
        else:
            if fmt == "csv":
                yield query_export.csv_header(fields)
            yield from results
        finished = True
    finally:
        _stop(started, finished)


def _start(number: int, location: str, settings: Settings) -> _Worker:
    process = subprocess.Popen(
        [sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=1 << 20
    )
    worker = _Worker(process, number)
    worker.send((location, settings))
    return worker


def _stop(workers: list[_Worker], finished: bool) -> None:
    """Workers whose every answer was taken are told to stop and exit at once; those of an export
    stopped early (an error, a reader that went away) may be mid-batch, and are killed: they only
    read the archive."""
    for worker in workers:
        if finished and worker.process.stdin is not None:
            with contextlib.suppress(OSError):  # a worker that is gone has nothing to be told
                worker.process.stdin.close()
        else:
            worker.process.kill()
    for worker in workers:
        try:
            worker.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()
        for pipe in (worker.process.stdin, worker.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


def _in_order(
    workers: list[_Worker],
    batches: Iterable[list[str]],
    fmt: str,
    fields: tuple[str, ...],
    count: query_export.ExportCount,
) -> Iterator[Any]:
    """Batch n goes to worker n mod W; each answers in the order it was asked, so taking results
    round-robin gives them in match order."""
    dealt: deque[_Worker] = deque()

    def take() -> Any:
        worker = dealt.popleft()
        rows, piece = worker.receive()
        count.rows += rows
        return piece

    for n, ids in enumerate(batches):
        worker = workers[n % len(workers)]
        worker.send((ids, fmt, fields))
        dealt.append(worker)
        if len(dealt) >= AHEAD * len(workers):
            yield take()
    while dealt:
        yield take()


def _format(store: Any, ids: list[str], fmt: str, fields: tuple[str, ...]) -> tuple[int, Any]:
    """One batch: how many rows it had (ids deleted since the index was written have none) and
    the rows formatted."""
    rows = store.export_rows(ids)
    if fmt == "csv":
        return len(rows), query_export.csv_piece(rows, fields)
    if fmt == "jsonl":
        return len(rows), query_export.jsonl_piece(rows, fields)
    return len(rows), query_export.arrow_table(rows, fields)


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """A worker: the archive's location and settings, then batches until the caller closes the
    pipe. Requests are read and answers written on threads (a pipe write waits for the caller
    to read, a pipe read for it to write), so the worker goes on with the next batch meanwhile."""
    from newsarchive.backends import backend_for

    location, settings = pickle.load(requests)
    inbox: queue.Queue[Any] = queue.Queue()
    outbox: queue.Queue[bytes | None] = queue.Queue(maxsize=AHEAD)

    def read() -> None:
        while True:
            try:
                inbox.put(pickle.load(requests))
            except EOFError:
                inbox.put(None)
                return

    def write() -> None:
        while (answer := outbox.get()) is not None:
            answers.write(answer)
            answers.flush()

    threading.Thread(target=read, daemon=True).start()
    writer = threading.Thread(target=write)
    writer.start()
    try:
        store: Any = None
        failed: tuple[Any, ...] | None = None
        try:
            backend = backend_for(location)
            if not backend.exists(location, settings):
                raise ArchiveError(
                    f"{backend.label(location)}: no archive here for the export worker to read"
                )
            store = backend.open(location, settings, True, None).store
        except Exception as exc:  # every request is answered with it: the caller raises it
            failed = _failure(exc)
        while (request := inbox.get()) is not None:
            answer = failed
            if answer is None:
                try:
                    answer = ("ok", *_format(store, *request))
                except Exception as exc:  # sent to the caller, which raises it
                    answer = _failure(exc)
            outbox.put(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        outbox.put(None)
        writer.join()


def _failure(exc: Exception) -> tuple[Any, ...]:
    """An error answer: the exception itself when it pickles, and its text in any case."""
    text = f"{type(exc).__name__}: {exc}"
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # an exception type that does not pickle: its text still says it
        return ("error", None, text)
    return ("error", exc, text)


def _main() -> None:
    """Answers go to a copy of stdout, and stdout itself to stderr, so that nothing a library
    prints can land in the middle of a pickle."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.stdin.buffer, answers)


if __name__ == "__main__":
    _main()
