"""Counters a reader fills while it streams, for the ingest report and progress lines."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class SourceStats:
    """What readers saw but did not turn into captures or rejects.

    Skipped records (WARC requests, images, redirects …) and link-only feed items are normal
    and not errors, so they are counted here instead of being reported as rejects.
    """

    records_skipped: int = 0
    feed_links: list[str] = field(default_factory=list)
