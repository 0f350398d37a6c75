"""Article bodies given as plain text (JSONL/CSV ``text`` fields, plain feed items) -> Extracted.

The body is the given text with only Unicode NFC applied, nothing else, so character offsets an
exporter or annotator computed on the text stay valid in the archive.
"""

from __future__ import annotations

import re
import unicodedata

from newsarchive.errors import ExtractionError
from newsarchive.extract.urls import url_host
from newsarchive.model import Capture, Extracted
from newsarchive.settings import Settings


def extract_text(capture: Capture, settings: Settings) -> Extracted:
    """Body from ``hints['text']``; title, url, date, authors, section and source from the other hints."""
    text = capture.hints.get("text")
    if text is None or not text.strip():
        raise ExtractionError(capture.origin, "text capture has no text; the row's 'text' field is empty")
    body = unicodedata.normalize("NFC", text)
    hints = capture.hints
    url = hints.get("url") or capture.url
    host = _host(url)
    source = (hints.get("source") or "").strip() or host or "unknown"
    site = host or re.sub(r"[^\w.]+", "-", source.lower()).strip("-") or "unknown"
    authors = [a.strip() for a in hints.get("authors", "").split(";") if a.strip()]
    published = (hints.get("published") or "").strip() or None
    return Extracted(
        title=unicodedata.normalize("NFC", hints.get("title", "").strip()),
        body=body,
        source=source,
        site=site,
        url=url,
        authors=authors,
        published=published,
        published_from="metadata" if published else None,
        section=(hints.get("section") or "").strip() or None,
        language=(hints.get("language") or "").strip() or None,
        blocks=[body],
    )


def _host(url: str | None) -> str:
    return url_host(url)
