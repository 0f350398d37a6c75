"""Opening input files the same way for every reader: gzip transparently, size-capped, one error wording."""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path
from typing import BinaryIO

from newsarchive.model import Reject

GZIP_MAGIC = b"\x1f\x8b"
VANISHED = "file disappeared before it could be read (moved or deleted?); check the path and run again"
NO_SUCH_FILE = "no such file or directory; check the path"
PATH_BYTES_HINT = "path_bytes_hex"
"""Capture hint holding the input path's exact bytes (hex) when the name is not UTF-8."""


def display_origin(path: Path | str) -> str:
    """The path as valid Unicode text for origins and messages.

    A name that is not UTF-8 (``café.html`` saved by a Latin-1 system) comes from the file system
    with lone surrogates, which no database or terminal accepts; its bytes are shown escaped instead
    (``caf\\xe9.html``) and kept exactly by ``path_hints``.
    """
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # surrogates that did not come from undecodable bytes
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def path_hints(path: Path) -> dict[str, str]:
    """``{"path_bytes_hex": ...}`` when the path is not UTF-8, so the escaped origin stays reversible."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return {}
    except UnicodeEncodeError:
        pass
    try:
        return {PATH_BYTES_HINT: os.fsencode(text).hex()}
    except UnicodeEncodeError:
        return {}


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
    origin = display_origin(path)
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
