"""Shared file opening: gzip is transparent, the size cap holds, any file name becomes a storable origin."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from newsarchive.model import Reject
from newsarchive.sources.files import display_origin, path_hints, read_capped


def test_gzip_is_transparent_and_cap_applies(tmp_path: Path) -> None:
    page = b"<html><body><p>Harbour news.</p></body></html>"
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(page))
    assert read_capped(packed, 1000) == page
    over = read_capped(packed, 10)
    assert isinstance(over, Reject) and "max_capture_bytes=10" in over.reason


def test_corrupt_gzip_is_a_reject(tmp_path: Path) -> None:
    broken = tmp_path / "page.html.gz"
    broken.write_bytes(gzip.compress(b"<html>" * 1000)[:40])
    result = read_capped(broken, 1 << 20)
    assert isinstance(result, Reject) and "corrupt or truncated" in result.reason


def _bytes_path(directory: Path, name: bytes) -> Path:
    """A path whose last part is ``name`` exactly, as Linux hands undecodable names to Python."""
    return Path(os.fsdecode(os.path.join(os.fsencode(directory), name)))


def test_non_utf8_name_gets_an_escaped_origin_and_a_lossless_hint(tmp_path: Path) -> None:
    path = _bytes_path(tmp_path, b"caf\xe9.html")
    assert display_origin(path) == f"{tmp_path}/caf\\xe9.html"
    display_origin(path).encode("utf-8")  # storable: no lone surrogates
    hints = path_hints(path)
    assert bytes.fromhex(hints["path_bytes_hex"]) == os.fsencode(tmp_path) + b"/caf\xe9.html"
    assert display_origin(_bytes_path(tmp_path, b"\xff\xfe.html")).endswith("/\\xff\\xfe.html")


def test_utf8_names_are_left_as_they_are(tmp_path: Path) -> None:
    path = tmp_path / "café – Ελλάδα.html"
    assert display_origin(path) == str(path)
    assert path_hints(path) == {}
