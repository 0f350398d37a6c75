"""newsarchive: crawled news pages in, a clean, deduplicated, searchable archive out.

>>> from newsarchive import Archive
>>> with Archive.open("./arch", create=True) as archive:
...     archive.ingest(["crawl.warc.gz"])
...     result = archive.search("Medvedev visit", date_from="2016-01-01")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsarchive.errors import (
    ArchiveBusyError,
    ArchiveError,
    ExtractionError,
    InputError,
    NewsArchiveError,
    NotFoundError,
    QueryError,
    StorageError,
)
from newsarchive.model import (
    Article,
    Capture,
    CaptureRef,
    Extracted,
    IngestReport,
    Reject,
    SearchHit,
    SearchResult,
)
from newsarchive.settings import Settings

if TYPE_CHECKING:
    from newsarchive.archive import Archive, SourceSummary


def __getattr__(name: str) -> Any:
    """``Archive`` is imported on first use: the archive module pulls in the whole pipeline
    (near-duplicate signatures, extraction), which a worker process or ``--help`` does not need."""
    if name in ("Archive", "SourceSummary"):
        from newsarchive import archive

        return getattr(archive, name)
    raise AttributeError(f"module 'newsarchive' has no attribute {name!r}")


__all__ = [
    "Archive",
    "ArchiveBusyError",
    "ArchiveError",
    "Article",
    "Capture",
    "CaptureRef",
    "Extracted",
    "ExtractionError",
    "IngestReport",
    "InputError",
    "NewsArchiveError",
    "NotFoundError",
    "QueryError",
    "Reject",
    "SearchHit",
    "SearchResult",
    "Settings",
    "SourceSummary",
    "StorageError",
]
