"""Text dumps become one textdump capture each, grouped by the site and section their folders name."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.model import Capture
from newsarchive.settings import Settings
from newsarchive.sources.detect import iter_input_files, read_path
from newsarchive.sources.textdump import folder_hints, read_textdump


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


@pytest.mark.parametrize(
    ("folders", "hints"),
    [
        ("news/sport", {"section_dir": "sport"}),  # two section words: no site named
        ("sport", {"section_dir": "sport"}),
        ("coastline-courier/sport", {"site_dir": "coastline-courier", "section_dir": "sport"}),
        (
            "coastlinecourier.example/harbour",
            {"site_dir": "coastlinecourier.example", "section_dir": "harbour"},
        ),
        (
            "www.courier.example/deportes/2024/03",
            {"site_dir": "www.courier.example", "section_dir": "deportes"},
        ),
        ("bbc.co.uk/2009/05", {"site_dir": "bbc.co.uk"}),
        ("scraped/harbourtimes.example/articles", {"site_dir": "harbourtimes.example"}),
        ("dumps/Économie", {"section_dir": "Économie"}),
        ("millbrook", {"site_dir": "millbrook"}),
        ("exports/dumps", {}),
        ("site.bak", {"site_dir": "site.bak"}),  # not a host, but the folder a site's pages are in
    ],
)
def test_folders_name_the_site_and_the_section(folders: str, hints: dict[str, str]) -> None:
    assert folder_hints(Path(folders) / "a.txt") == hints


def test_section_folders_reach_the_capture(tmp_path: Path) -> None:
    path = tmp_path / "coastlinecourier.example" / "harbour" / "wall.txt"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"Engineers find cracks in the harbour wall\nThe wall is cracked along its length.\n")
    [capture] = list(read_textdump(path, Settings()))
    assert isinstance(capture, Capture)
    assert capture.hints == {"site_dir": "coastlinecourier.example", "section_dir": "harbour"}
    assert folder_hints(Path("wall.txt")) == {}
