"""Shared file opening: gzip is transparent and the size cap holds."""

from __future__ import annotations

import gzip
from pathlib import Path

from newsarchive.model import Reject
from newsarchive.sources.files import read_capped


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
