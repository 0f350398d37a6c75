"""Inputs that are not local files: a binary stream plus the origin to record (an HDFS or S3 URL).

The readers (WARC/ARC above all) seek: FastWARC's framing checks re-read record headers, a
revisit re-reads its original, the layout probe peeks inside gzip. So the stream is spooled to a
local temporary file, named as the origin's last two path parts so that format detection (which
breaks ties on the name) and a text dump's site folder behave as for a local copy, and read by the
same readers; every origin, reason and hint then names ``origin`` instead of the temporary path.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.detect import read_path
from newsarchive.sources.files import display_origin
from newsarchive.sources.stats import SourceStats

_UNSAFE = re.compile(r"[^\w.@+=,-]+")


def read_stream(
    stream: BinaryIO, origin: str, settings: Settings, stats: SourceStats | None = None
) -> Iterator[Capture | Reject]:
    """Captures from one input given as a binary stream, with origins under ``origin``.

    Formats are detected from the bytes as for files; bad input becomes Rejects, never an exception.
    """
    origin = display_origin(origin)
    with tempfile.TemporaryDirectory(prefix="newsarchive-stream-") as tmp:
        parent, name = _names(origin)
        folder = Path(tmp) / parent
        folder.mkdir()
        path = folder / name
        with path.open("wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)
        local = display_origin(path)
        for record in read_path(path, settings, stats):
            yield renamed(record, local, origin)


def _names(origin: str) -> tuple[str, str]:
    """The origin's parent folder and file name, made safe as local names."""
    parts = [p for p in re.split(r"[/\\]", origin.split("?", 1)[0]) if p and not p.endswith(":")]
    name = _UNSAFE.sub("_", parts[-1]) if parts else ""
    parent = _UNSAFE.sub("_", parts[-2]) if len(parts) > 1 else ""
    return (parent.strip(".") or "input"), (name.lstrip(".") or "input")


def renamed(record: Capture | Reject, local: str, origin: str) -> Capture | Reject:
    """The record with the input named ``local`` renamed ``origin`` in its origin, reason and hints."""
    if isinstance(record, Reject):
        return Reject(record.origin.replace(local, origin, 1), record.reason.replace(local, origin))
    hints = {k: v.replace(local, origin, 1) if k == "revisit_of" else v for k, v in record.hints.items()}
    return replace(record, origin=record.origin.replace(local, origin, 1), hints=hints)
