"""Reuters-21578 SGML files (reut2-*.sgm) -> one reuters Capture per <REUTERS> element.

The files are not XML (bare ``&#3;`` control references, ``<`` in text), so elements are cut out
by their tags, streaming, and the bytes are passed on untouched for ``extract.reuters``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.files import display_origin, open_input, over_cap_reason, path_hints
from newsarchive.sources.stats import SourceStats

_OPEN = b"<REUTERS"
_CLOSE = b"</REUTERS>"
_NEWID = re.compile(rb'NEWID="(\d+)"')
_CHUNK = 1 << 20


def read_reuters(
    path: Path, settings: Settings, stats: SourceStats | None = None
) -> Iterator[Capture | Reject]:
    """Captures with origin ``<path>#<NEWID>``; an unclosed last element (a cut file) is rejected."""
    origin = display_origin(path)
    extra = path_hints(path)
    cap = settings.max_capture_bytes
    buffer = b""
    offset = 0  # file offset of buffer[0]
    found = 0
    with open_input(path) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            buffer += chunk
            while True:
                start = buffer.find(_OPEN)
                if start < 0:
                    keep = len(_OPEN) - 1  # an opening tag may straddle two chunks
                    offset += max(0, len(buffer) - keep)
                    buffer = buffer[-keep:] if len(buffer) > keep else buffer
                    break
                end = buffer.find(_CLOSE, start)
                if end < 0:
                    if len(buffer) - start > cap:
                        yield Reject(f"{origin}@{offset + start}", over_cap_reason(cap))
                        offset += len(buffer)
                        buffer = b""
                    else:
                        offset += start
                        buffer = buffer[start:]
                    break
                end += len(_CLOSE)
                element = buffer[start:end]
                found += 1
                yield _element_capture(origin, element, offset + start, extra)
                offset += end
                buffer = buffer[end:]
            if not chunk:
                break
    if buffer.find(_OPEN) >= 0:
        yield Reject(
            f"{origin}@{offset + buffer.find(_OPEN)}",
            "<REUTERS> element is not closed (file cut short?); skipped",
        )
    elif found == 0:
        yield Reject(origin, "no <REUTERS> elements found; is this a Reuters-21578 .sgm file?")


def _element_capture(origin: str, element: bytes, offset: int, extra: dict[str, str]) -> Capture | Reject:
    newid = _NEWID.search(element[:300])
    if newid is None:
        return Reject(f"{origin}@{offset}", "<REUTERS> element has no NEWID attribute; skipped")
    return Capture(
        origin=f"{origin}#{newid.group(1).decode('ascii')}",
        raw=element,
        format="reuters",
        content_type="application/sgml",
        hints={"source": "Reuters", **extra},
    )
