"""Our exceptions, one hierarchy, each message written for the user who must act on it."""

from __future__ import annotations


class NewsArchiveError(Exception):
    """Base of every error newsarchive raises on purpose; the CLI prints it as one line."""


class InputError(NewsArchiveError):
    """An input file or record cannot be read; names the input and what to do."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        return (type(self), (self.origin, self.reason))  # survives pickling (worker processes)


class ExtractionError(InputError):
    """A capture was read but no article could be extracted from it."""


class EnrichmentError(NewsArchiveError):
    """Enriching a batch failed in a worker process; the message says how."""


class ArchiveError(NewsArchiveError):
    """The archive directory is missing, locked, corrupt or of another version."""


class QueryError(NewsArchiveError):
    """A search query or filter is malformed; the message says where and how to fix it."""


class NotFoundError(NewsArchiveError):
    """An article, capture or source asked for by id does not exist."""


class ArchiveBusyError(ArchiveError):
    """Another writer held the archive's write lock for longer than the caller would wait."""


class StorageError(ArchiveError):
    """The disk refused a write (full, read-only, I/O error); what was committed before is intact."""


class DamagedCaptureError(ArchiveError):
    """One capture's stored bytes cannot be read back: the rest of the archive is usable, so work
    over many captures (re-cleaning, re-extraction) skips it and says which one it was."""
