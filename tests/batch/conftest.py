"""A real local SparkSession (local[2]) for the batch tests, and the small crawl they run on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsarchive import Archive, Settings
from tests.batch.corpus import write_corpus

SETTINGS = Settings(enrich=False, progress=False)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One SparkSession for the whole run; skipped with the reason when pyspark or Java is missing."""
    from newsarchive.batch.spark_job import SparkJobError, check_requirements, local_session

    try:
        check_requirements()
    except SparkJobError as exc:
        pytest.skip(str(exc))
    session = local_session("local[2]", partitions=2)
    yield session
    session.stop()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(tmp_path_factory.mktemp("crawl"))


@pytest.fixture(scope="session")
def ingested(corpus: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same inputs through `ingest`, the reference the job must match."""
    path = tmp_path_factory.mktemp("ingested") / "arch"
    with Archive.open(path, SETTINGS) as archive:
        archive.ingest(corpus)
    return path


@pytest.fixture(scope="session")
def postgres_location(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new PostgreSQL archive on a throwaway cluster (skipped with the reason when none can run)."""
    from tests.postgres_server import start_server

    for server in start_server():
        dsn = server.create_database()
        index = tmp_path_factory.mktemp("pg-index")
        yield f"{dsn}{'&' if '?' in dsn else '?'}index={index}"
