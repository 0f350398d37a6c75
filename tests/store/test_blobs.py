"""Stored blobs: Zstandard for new ones, and zlib blobs from archives written before it still read."""

from __future__ import annotations

import zlib

import pytest

from newsarchive.store import blobs

PAGE = (
    "<html><body><p>Ministers met in Valdoria on Tuesday. « Ça va » — 東京</p></body></html>" * 50
).encode()


def test_pack_round_trips_and_compresses() -> None:
    packed = blobs.pack(PAGE)
    assert packed[:4] == b"\x28\xb5\x2f\xfd"
    assert len(packed) < len(PAGE) // 5
    assert blobs.unpack(packed) == PAGE


@pytest.mark.parametrize("data", [b"", b"x", bytes(range(256)) * 40])
def test_pack_round_trips_any_bytes(data: bytes) -> None:
    assert blobs.unpack(blobs.pack(data)) == data


def test_unpack_reads_zlib_blobs_of_older_archives() -> None:
    assert blobs.unpack(zlib.compress(PAGE, 6)) == PAGE


def test_unpack_refuses_corrupt_blob() -> None:
    with pytest.raises(zlib.error):
        blobs.unpack(b"not a blob at all")
