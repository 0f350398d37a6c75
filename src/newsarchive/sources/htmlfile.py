"""A saved web page on disk -> one html Capture, bytes untouched.

Decoding is extraction's job (it weighs BOM, meta and content); here we only note the charset the
file declares so a wrong declaration can be spotted and overridden there.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path

from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.files import display_origin, path_hints, read_capped
from newsarchive.sources.stats import SourceStats

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def read_html_file(
    path: Path, settings: Settings, stats: SourceStats | None = None
) -> Iterator[Capture | Reject]:
    """The file as one html Capture (gzip is decompressed), or a Reject when it is too big or corrupt."""
    raw = read_capped(path, settings.max_capture_bytes)
    if isinstance(raw, Reject):
        yield raw
        return
    hints = path_hints(path)
    charset = declared_charset(raw)
    if charset:
        hints["charset"] = charset
    yield Capture(origin=display_origin(path), raw=raw, format="html", content_type="text/html", hints=hints)


def declared_charset(raw: bytes) -> str | None:
    """The charset a page declares: its BOM first, else the first <meta> charset in the first 4 KB."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    match = _META_CHARSET.search(raw[:4096])
    return match.group(1).decode("ascii").lower() if match else None
