"""A generated archive of 14,000 articles (10,500 ferry stories: more than search's 10,000 depth)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.research.generated import build_generated

GENERATED_SIZE = 14_000


@pytest.fixture(scope="session")
def generated_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_generated(tmp_path_factory.mktemp("research") / "generated", GENERATED_SIZE)
