"""The Spark job trims a source's repeated edge lines from its given texts as ingest does:
`spark-ingest` + `load` give ingest's articles (bodies, offsets, lines cut, copies) and its counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsarchive import Archive
from newsarchive.batch.load import load
from newsarchive.batch.spark_job import run_job
from newsarchive.dedup.given_boilerplate import store_key
from tests.batch.conftest import SETTINGS
from tests.batch.test_spark_job import snapshot as archive_snapshot
from tests.test_given_boilerplate import FOLLOW, gazette_rows, northfield_rows, write_rows
from tests.test_given_boilerplate import snapshot as trim_snapshot

pytestmark = pytest.mark.slow

SITES = ("northfield-news.example", "harbour-gazette.example")


def _inputs(root: Path) -> list[Path]:
    """The rows in two files, so the job reads them as two inputs (and ingest in two files)."""
    rows = northfield_rows() + gazette_rows()
    root.mkdir(parents=True, exist_ok=True)
    return [write_rows(root / "a.jsonl", rows[::2]), write_rows(root / "b.jsonl", rows[1::2])]


def _snapshot(path: Path) -> dict[str, Any]:
    with Archive.open(path, SETTINGS, readonly=True) as archive:
        edges = {site: archive.store.get_site_chrome(store_key(site)) for site in SITES}
    return {"archive": archive_snapshot(path), "trims": trim_snapshot(path), "edges": edges}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _inputs(tmp_path_factory.mktemp("given-rows"))


@pytest.fixture(scope="module")
def expected(inputs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("given-ingested") / "arch"
    with Archive.open(path, SETTINGS) as archive:
        archive.ingest(inputs)
    return _snapshot(path)


@pytest.mark.parametrize("partitions", [1, 3])
def test_spark_job_trims_given_texts_as_ingest_does(
    spark: Any, inputs: list[Path], expected: dict[str, Any], tmp_path: Path, partitions: int
) -> None:
    output = tmp_path / "out"
    run_job(spark, [str(p) for p in inputs], str(output), SETTINGS, partitions=partitions)
    archive_path = tmp_path / "arch"
    with Archive.open(archive_path, SETTINGS) as archive:
        load(archive, output)
    got = _snapshot(archive_path)
    assert got["trims"] == expected["trims"]
    assert got["archive"] == expected["archive"]
    assert got["edges"] == expected["edges"]  # what a later ingest goes on counting from
    # the case really happened: lines were cut, and two rows became one article
    articles = expected["trims"]["articles"].values()
    assert sum(FOLLOW in a["removed"] for a in articles) == 69
    assert any(len(a["captures"]) == 2 for a in articles)
    assert expected["edges"]["northfield-news.example"]["given_texts"] == 70
