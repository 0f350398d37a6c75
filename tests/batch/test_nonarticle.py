"""The Spark job + load keep wall pages and recurring non-article texts out of the articles just as
`ingest` does: the same rejects, articles, captures and searches (a real local Spark)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsarchive import Archive
from newsarchive.batch.load import load
from newsarchive.batch.spark_job import run_job
from tests.batch.conftest import SETTINGS
from tests.batch.test_spark_job import snapshot
from tests.corpus_helpers import STORIES, write_jsonl

pytestmark = pytest.mark.slow

SOFT_404 = (
    "Content for this address will appear here shortly. The Harbour Times newsroom thanks you for visiting."
)


def _row(slug: str, title: str, text: str, site: str = "harbour-times.example") -> dict[str, str]:
    return {"url": f"https://{site}/news/{slug}", "title": title, "source": "Harbour Times",
            "date": "2016-03-14", "text": text}  # fmt: skip


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("walls")
    rows = [
        *(_row(f"story-{i}", f"Ferry story {i}", SOFT_404) for i in range(4)),
        *(_row(f"vote{suffix}", STORIES[0]["title"], STORIES[0]["text"]) for suffix in ("", "-2", "-3")),
        _row("js", "Pier plan", "JavaScript is not available.\nPlease enable JavaScript to continue."),
        dict(STORIES[1]),
        dict(STORIES[2]),
    ]
    page = (
        "<!doctype html><html lang='en'><head><title>Page not found | Harbour Times</title></head><body>"
        "<main><p>Sorry, the page you are looking for does not exist.</p><p>Go back to the homepage</p>"
        "</main></body></html>"
    )
    (folder / "gone.html").write_text(page, encoding="utf-8")
    return [write_jsonl(folder / "rows.jsonl", rows), folder / "gone.html"]


def test_spark_job_and_load_reject_what_ingest_rejects(spark: Any, crawl: list[Path], tmp_path: Path) -> None:
    reference_path = tmp_path / "ingested"
    with Archive.open(reference_path, SETTINGS, create=True) as archive:
        archive.ingest(crawl)
    reference = snapshot(reference_path)
    output = tmp_path / "out"
    report = run_job(spark, [str(p) for p in crawl], str(output), SETTINGS, partitions=3)
    loaded = tmp_path / "loaded"
    with Archive.open(loaded, SETTINGS) as archive:
        load(archive, output)
    got = snapshot(loaded)
    for key in ("articles", "counts", "rejects", "searches", "copies", "versions"):
        assert got[key] == reference[key], key
    # what the case is made of really happened
    reasons = [reason for _, reason in reference["rejects"]]
    assert (
        reasons.count("not an article (same text on 4 unrelated pages of harbour-times.example); skipped")
        == 4
    )
    assert "not an article (JavaScript wall); skipped" in reasons
    assert "not an article (error page); skipped" in reasons
    assert report.rejects == len(reasons) == 6
    assert report.articles == len(reference["articles"]) == 3
    assert reference["counts"]["captures"] == 11  # the walls' captures are kept
