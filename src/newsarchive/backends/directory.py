"""The embedded default: an archive directory with a SQLite file and a tantivy index beside it."""

from __future__ import annotations

import re
from pathlib import Path

from newsarchive.backends import ArchiveParts
from newsarchive.errors import ArchiveError
from newsarchive.index.tantivy_index import TantivyIndex
from newsarchive.lock import WaitNotice, WriterLock
from newsarchive.settings import Settings
from newsarchive.store.sqlite import SQLiteStore

DB_NAME = "archive.sqlite"
INDEX_DIR = "index"
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


class DirectoryBackend:
    """An archive directory; takes any location that is not a URL."""

    name = "directory"

    def handles(self, location: str) -> bool:
        return not _URL.match(location) or location.startswith("file://")

    def label(self, location: str) -> str:
        return str(_path(location))

    def exists(self, location: str, settings: Settings) -> bool:
        return (_path(location) / DB_NAME).exists()

    def create(self, location: str, settings: Settings) -> None:
        root = _path(location)
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ArchiveError(f"{root}: cannot create the archive directory ({exc})") from exc

    def open(
        self, location: str, settings: Settings, readonly: bool, wait_notice: WaitNotice | None
    ) -> ArchiveParts:
        root = _path(location)
        lock = WriterLock(root, settings.writer_wait, wait_notice)
        if readonly:
            return _parts(root, lock, readonly)
        with lock.hold():  # creating tables or rebuilding an index of an older layout must not race
            return _parts(root, lock, readonly)


def _path(location: str) -> Path:
    return Path(location.removeprefix("file://"))


def _parts(root: Path, lock: WriterLock, readonly: bool) -> ArchiveParts:
    store = SQLiteStore(root / DB_NAME, readonly=readonly)
    try:
        index = TantivyIndex(root / INDEX_DIR, readonly=readonly)
    except Exception:
        store.close()
        raise
    return ArchiveParts(store, index, lock, str(root))
