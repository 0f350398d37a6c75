"""Article bodies given as plain text (JSONL/CSV ``text`` fields, plain feed items) -> Extracted.

The body is the given text with only Unicode NFC applied, nothing else, so character offsets an
exporter or annotator computed on the text stay valid in the archive. Authors are cleaned by
``extract.authors``; how the input writes numeric dates comes from its reader (the ``dayfirst``
hint) unless the settings say.
"""

from __future__ import annotations

import re
import unicodedata

from newsarchive.errors import ExtractionError
from newsarchive.extract.authors import clean_authors
from newsarchive.extract.urls import url_host
from newsarchive.model import NOTICE, Capture, Extracted
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
    authors = clean_authors(hints.get("authors", ""), sources=(source, host))
    published = (hints.get("published") or "").strip() or None
    dayfirst = (
        settings.dayfirst if settings.dayfirst is not None else _DAYFIRST.get(hints.get("dayfirst", ""))
    )
    extracted = Extracted(
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
        dayfirst=dayfirst,
    )
    if hints.get("notice"):  # what the reader guessed for this file (the body column), said once
        extracted.notices.append(NOTICE + hints["notice"])
    return extracted


_DAYFIRST = {"1": True, "0": False}


def _host(url: str | None) -> str:
    return url_host(url)
