"""One writer at a time per archive: an advisory lock on ``ARCHIVE/writer.lock``.

tantivy allows one index writer and SQLite one write transaction, so two ingests at once used to
end with one of them dying on "index locked" after storing part of its input. Every unit of write
work (an ingest batch, an enrichment batch, a reindex) now holds this lock; a second writer waits
between the first one's units, so both runs finish and neither loses work. The lock is an
``flock`` on a file, so the kernel releases it when a writer dies (``kill -9`` included).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from newsarchive.errors import ArchiveBusyError, ArchiveError

LOCK_NAME = "writer.lock"
_POLL_S = 0.05

WaitNotice = Callable[[str], None]
"""Told once, with a sentence saying who holds the lock, when a writer starts to wait."""


class Lock(Protocol):
    """What the pipeline needs of an archive's writer lock, whatever the backend keeps it in."""

    def hold(self) -> AbstractContextManager[None]: ...
    def try_hold(self) -> bool: ...
    def release(self) -> None: ...


class ReentrantLock:
    """A writer lock re-entrant within one holder (nested units join the outer one); subclasses
    say how the lock itself is taken (``_acquire``, which raises ArchiveBusyError past ``wait``)
    and given back (``_release``).

    ``wait`` is how long to wait for another writer, in seconds (None: as long as it takes);
    past it ``hold`` raises ArchiveBusyError before doing anything.
    """

    def __init__(self, wait: float | None = None, notice: WaitNotice | None = None) -> None:
        self.wait = wait
        self.notice = notice
        self._depth = 0

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock for one unit of work, waiting for another writer up to ``wait`` seconds."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._acquire(self.wait)
        self._depth = 1
        try:
            yield
        finally:
            self._depth = 0
            self._release()

    def try_hold(self) -> bool:
        """Take the lock now if it is free (for work that may be skipped, like healing at open)."""
        if self._depth:
            self._depth += 1
            return True
        try:
            self._acquire(0.0)
        except ArchiveBusyError:
            return False
        self._depth = 1
        return True

    def release(self) -> None:
        """Undo one successful ``try_hold``."""
        self._depth -= 1
        if self._depth == 0:
            self._release()

    def _acquire(self, wait: float | None) -> None:
        raise NotImplementedError

    def _release(self) -> None:
        raise NotImplementedError


class WriterLock(ReentrantLock):
    """The directory archive's write lock: an ``flock`` on ``ARCHIVE/writer.lock``."""

    def __init__(self, directory: Path, wait: float | None = None, notice: WaitNotice | None = None) -> None:
        super().__init__(wait, notice)
        self.path = directory / LOCK_NAME
        self._fd: int | None = None

    def _acquire(self, wait: float | None) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ArchiveError(
                f"{self.path}: cannot open the archive's writer lock ({exc.strerror or exc}); "
                "fix the directory's permissions, or use a read-only command"
            ) from exc
        deadline = None if wait is None else time.monotonic() + wait
        told = False
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    pass
                if deadline is not None and time.monotonic() >= deadline:
                    raise ArchiveBusyError(
                        f"{self.path.parent}: another writer ({_holder(fd)}) still holds the archive after "
                        f"{wait:g} s; stopped before writing anything more. Re-run later (or with a longer "
                        "--wait) to continue: inputs already stored are skipped"
                    )
                if not told and self.notice is not None:
                    self.notice(f"waiting for another writer ({_holder(fd)}) to finish a batch…")
                    told = True
                time.sleep(_POLL_S)
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {time.strftime('%H:%M:%S')}\n".encode(), 0)
        self._fd = fd

    def _release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _holder(fd: int) -> str:
    """Who holds the lock, as its holder wrote it (best effort: the file may be mid-rewrite)."""
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "unknown process"
