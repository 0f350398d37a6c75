"""Capture -> Extracted: one function per capture format, chosen here.

Each format module is pure (bytes in, record out) and raises ExtractionError with a reason the
user can act on. Site chrome learned across pages is applied afterwards by ``chrome.apply_chrome``.
"""

from __future__ import annotations

from newsarchive.errors import ExtractionError
from newsarchive.model import Capture, Extracted
from newsarchive.settings import Settings


def extract_capture(capture: Capture, settings: Settings) -> Extracted:
    """Extract title, body and metadata from one capture, with only single-page chrome rules applied."""
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
