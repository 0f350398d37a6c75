"""How stored bytes are compressed: Zstandard for new blobs, zlib still read from older archives.

Zstandard level 3 compresses the HTML of real news pages 7x faster than zlib level 6 and 6%
smaller (bench/ingest_speed.py, docs/decisions.md); every backend stores blobs through here so
an archive moved between backends reads the same. A blob says what it is by its first bytes.
"""

from __future__ import annotations

import threading
import zlib

import zstandard

_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_LEVEL = 3


class _Codecs(threading.local):
    """One compressor and decompressor per thread: python-zstandard's are not thread-safe, and
    the web server reads captures from many request threads at once."""

    def __init__(self) -> None:
        self.compressor = zstandard.ZstdCompressor(level=_LEVEL)
        self.decompressor = zstandard.ZstdDecompressor()


_codecs = _Codecs()


def pack(data: bytes) -> bytes:
    """Compressed bytes for storage (a Zstandard frame that records its content size)."""
    return _codecs.compressor.compress(data)


class DamagedBlob(ValueError):
    """A stored blob that neither codec can read (the database file was damaged)."""


def unpack(blob: bytes) -> bytes:
    """The original bytes of a stored blob, whichever codec wrote it; DamagedBlob when unreadable."""
    try:
        if blob[:4] == _ZSTD_MAGIC:
            return _codecs.decompressor.decompress(blob)
        return zlib.decompress(blob)  # archives written before Zstandard (schema v2 and older)
    except (zlib.error, zstandard.ZstdError) as exc:
        raise DamagedBlob(str(exc)) from exc
