"""Capture -> Extracted: one function per capture format, chosen here.

Each format module is pure (bytes in, record out) and raises ExtractionError with a reason the
user can act on. Site chrome learned across pages is applied afterwards by ``chrome.apply_chrome``.
"""

from __future__ import annotations

from newsarchive.errors import ExtractionError
from newsarchive.extract.published import PublishedDate, normalise_published
from newsarchive.model import NOTICE, Capture, Extracted
from newsarchive.settings import Settings


def extract_capture(capture: Capture, settings: Settings) -> Extracted:
    """Extract title, body and metadata from one capture, with only single-page chrome rules applied,
    and its publication date made ISO 8601 whatever format it was written in."""
    extracted = _extract_format(capture, settings)
    _date(extracted, capture, settings)
    return extracted


def _date(extracted: Extracted, capture: Capture, settings: Settings) -> None:
    """Normalise ``extracted.published`` in place: date, time with offset, and the raw value."""
    raw = extracted.published
    if raw is None or extracted.published_time is not None:
        return
    hinted = capture.hints.get("dayfirst")
    dayfirst = settings.dayfirst if settings.dayfirst is not None else extracted.dayfirst
    if dayfirst is None and hinted in ("1", "0"):
        dayfirst = hinted == "1"
    languages = [extracted.language[:2].lower()] if extracted.language else None
    found = normalise_published(raw, dayfirst=dayfirst, languages=languages)
    if isinstance(found, PublishedDate):
        extracted.published = found.date
        extracted.published_time = found.time
        extracted.published_raw = raw if raw != found.date else None
        if found.ambiguous:
            extracted.notices.append(
                f"{NOTICE}date {raw!r} could be day/month either way; read month first "
                "(pass --dayfirst or --monthfirst to say which)"
            )
        return
    extracted.published = None
    extracted.published_from = None
    extracted.published_raw = raw
    if found is not None:
        extracted.notices.append(f"{NOTICE}{found}; the article is kept without a date")


def _extract_format(capture: Capture, settings: Settings) -> Extracted:
    if capture.format == "html":
        from newsarchive.extract.html import extract_html

        return extract_html(capture, settings)
    if capture.format == "textdump":
        from newsarchive.extract.textdump import extract_textdump

        return extract_textdump(capture, settings)
    if capture.format == "text":
        from newsarchive.extract.text import extract_text

        return extract_text(capture, settings)
    if capture.format == "reuters":
        from newsarchive.extract.reuters import extract_reuters

        return extract_reuters(capture, settings)
    raise ExtractionError(capture.origin, f"unknown capture format {capture.format!r}")
