"""Shared fixtures: the real data beside the project, skipped with a reason when absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_data_dir() -> Path:
    """Where ../shared/data is, or NEWSARCHIVE_SHARED_DATA when set."""
    env = os.environ.get("NEWSARCHIVE_SHARED_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data sets; tests using them skip when the folder is not there (a user's fresh clone)."""
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"real data not found at {path} (set NEWSARCHIVE_SHARED_DATA to run these tests)")
    return path


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES
