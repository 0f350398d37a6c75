"""newsarchive: crawled news pages in, a clean, deduplicated, searchable archive out.

>>> from newsarchive import Archive
>>> with Archive.open("./arch", create=True) as archive:
...     archive.ingest(["crawl.warc.gz"])
...     result = archive.search("Medvedev visit", date_from="2016-01-01")
"""

from newsarchive.archive import Archive, SourceSummary
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
