"""Where an archive lives -> its store, search index and writer lock, found through a registry.

A location is a directory (the embedded default: SQLite + tantivy) or a URL such as
``postgresql://…`` (server mode). Backends register under the entry point group
``newsarchive.backends`` (as datasette and sqlite-utils find their plugins), so another package
can add one; the built-in ones are used when the package metadata is not installed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Protocol

from newsarchive.errors import ArchiveError
from newsarchive.index.base import Index
from newsarchive.lock import Lock, WaitNotice
from newsarchive.settings import Settings
from newsarchive.store.base import Store

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "newsarchive.backends"


@dataclass(slots=True)
class ArchiveParts:
    """An open archive's parts; ``label`` names it in messages (never with a password)."""

    store: Store
    index: Index
    lock: Lock
    label: str


class Backend(Protocol):
    """One kind of archive location."""

    name: str

    def handles(self, location: str) -> bool: ...
    def label(self, location: str) -> str: ...
    def exists(self, location: str, settings: Settings) -> bool: ...
    def create(self, location: str, settings: Settings) -> None: ...
    def open(
        self, location: str, settings: Settings, readonly: bool, wait_notice: WaitNotice | None
    ) -> ArchiveParts: ...


def registered() -> list[Backend]:
    """Every backend: those registered as entry points, else the built-in ones; URL schemes
    before the directory, which takes any other location."""
    found: list[Backend] = []
    for point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            found.append(point.load()())
        except Exception as exc:  # a broken plugin must not stop the others; it is named
            log.warning("archive backend %r (%s) cannot be loaded: %s", point.name, point.value, exc)
    if not found:
        from newsarchive.backends.directory import DirectoryBackend
        from newsarchive.backends.postgres import PostgresBackend

        found = [PostgresBackend(), DirectoryBackend()]
    return sorted(found, key=lambda b: b.name == "directory")


def backend_for(location: str) -> Backend:
    """The backend for a location; an unknown URL scheme is an error, not a directory named so."""
    for backend in registered():
        if backend.handles(location):
            return backend
    names = ", ".join(b.name for b in registered())
    raise ArchiveError(f"{location}: no archive backend handles this location (known: {names})")
