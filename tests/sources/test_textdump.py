"""Text dumps become one textdump capture each, grouped by their folder."""

from __future__ import annotations

from pathlib import Path

from newsarchive.model import Capture
from newsarchive.settings import Settings
from newsarchive.sources.detect import iter_input_files, read_path
from newsarchive.sources.textdump import read_textdump


def test_dump_capture_keeps_bytes_and_site_dir(fixtures_dir: Path) -> None:
    path = fixtures_dir / "sources" / "dumps" / "harbourtimes.example" / "ferry.txt"
    [capture] = list(read_textdump(path, Settings()))
    assert isinstance(capture, Capture)
    assert capture.raw == path.read_bytes()
    assert capture.format == "textdump"
    assert capture.hints == {"site_dir": "harbourtimes.example"}


def test_real_seed_and_textdump_pages(shared_data: Path) -> None:
    seed = next((shared_data / "seed").glob("*.txt"))
    [capture] = list(read_path(seed, Settings()))
    assert (
        isinstance(capture, Capture) and capture.format == "textdump" and capture.hints["site_dir"] == "seed"
    )
    pages = shared_data / "extraction" / "textdumps" / "pages"
    records = [r for path in iter_input_files([pages]) for r in read_path(path, Settings())]
    assert len(records) == 180
    assert all(isinstance(r, Capture) and r.format == "textdump" for r in records)
    assert {r.hints["site_dir"] for r in records if isinstance(r, Capture)} >= {
        "bbc.co.uk",
        "cnn.com",
        "nypost.com",
    }
