"""The backend registry: which backend serves a location, and what server locations mean."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive import Archive, ArchiveError
from newsarchive.backends import backend_for, registered
from newsarchive.backends.postgres import default_index_dir, redact, split_location


def test_directories_and_file_urls_are_directory_archives(tmp_path: Path) -> None:
    assert backend_for(str(tmp_path)).name == "directory"
    assert backend_for(f"file://{tmp_path}").name == "directory"
    assert backend_for("relative/archive").name == "directory"


def test_postgresql_urls_are_server_archives() -> None:
    assert backend_for("postgresql://news@db.example/news").name == "postgresql"
    assert backend_for("postgres://news@db.example/news").name == "postgresql"


def test_an_unknown_scheme_is_refused_not_taken_for_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match=r"no archive backend handles .*known: postgresql, directory"):
        Archive.open("s3://bucket/archive")
    assert not Path("s3:").exists()


def test_the_directory_backend_comes_last() -> None:
    assert [b.name for b in registered()][-1] == "directory"


def test_a_server_location_names_its_index_and_hides_its_password() -> None:
    dsn, index = split_location(
        "postgresql://news:s3cret@db.example:5433/news?sslmode=require&index=/srv/idx"
    )
    assert (dsn, index) == ("postgresql://news:s3cret@db.example:5433/news?sslmode=require", "/srv/idx")
    assert redact(dsn) == "postgresql://news:***@db.example:5433/news?sslmode=require"
    assert "s3cret" not in str(default_index_dir(dsn))
    assert default_index_dir(dsn) != default_index_dir("postgresql://news@other.example/news")


def test_a_missing_directory_archive_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="ingest FILES"):
        Archive.open(tmp_path / "nowhere", readonly=True)
