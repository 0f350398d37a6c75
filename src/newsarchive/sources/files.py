"""Opening input files the same way for every reader: gzip transparently, size-capped, one error wording."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import BinaryIO

from newsarchive.model import Reject

GZIP_MAGIC = b"\x1f\x8b"
VANISHED = "file disappeared before it could be read (moved or deleted?); check the path and run again"


def is_gzip(path: Path) -> bool:
    """True when the file starts with the gzip magic bytes, whatever its name says."""
    with path.open("rb") as fh:
        return fh.read(2) == GZIP_MAGIC


def open_input(path: Path) -> BinaryIO:
    """Open a file for reading bytes, decompressing gzip so ``page.html.gz`` reads like ``page.html``."""
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def read_capped(path: Path, cap: int) -> bytes | Reject:
    """The whole (decompressed) file, or a Reject when it is larger than ``cap`` bytes or corrupt."""
    origin = str(path)
    try:
        with open_input(path) as fh:
            data = fh.read(cap + 1)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        return Reject(
            origin, f"gzip data is corrupt or truncated ({exc}); re-download or re-compress the file"
        )
    if len(data) > cap:
        return Reject(origin, over_cap_reason(cap))
    return data


def over_cap_reason(cap: int, size: int | None = None) -> str:
    """One wording for 'too big', naming the knob that changes it."""
    what = f"{size:,} bytes" if size is not None else "larger than the limit"
    return (
        f"capture is {what}, over max_capture_bytes={cap:,}; skipped "
        "(raise NEWSARCHIVE_MAX_CAPTURE_BYTES to keep it)"
    )
