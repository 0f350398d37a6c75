"""The researcher's bench on every backend: a query's every match exported, its timeline and its
counts agreeing with the search total, the index's batch methods behind them."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsarchive import Archive, Settings
from newsarchive.query import SearchRequest
from tests.corpus_helpers import write_jsonl

CORE = Settings(enrich=False)


@pytest.fixture(params=["directory", "postgres"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "directory":
        yield str(tmp_path / "archive")
    else:
        dsn: str = request.getfixturevalue("postgres_database")
        yield f"{dsn}{'&' if '?' in dsn else '?'}index={tmp_path / 'index'}"


def _rows(n: int) -> list[dict[str, Any]]:
    towns = ("Port Ellery", "Westmarch", "Caldera Bay")
    return [
        {
            "url": f"https://gazette.example/r{i}",
            "title": f"Council item r{i}",
            "date": f"{2015 + i % 3}-{1 + i % 12:02d}-{1 + i % 27:02d}" if i % 10 else "",
            "source": "Gazette" if i % 2 else "Courier",
            "text": (
                f"The council of {towns[i % 3]} discussed item r{i} on Tuesday, a plan costing {100 + i} "
                f"thousand to repair {'the ferry pier' if i % 3 else 'two bridges'}. Councillor number "
                f"{i} said the vote would come next month after residents had their say."
            ),
        }
        for i in range(n)
    ]


@pytest.fixture
def archive(location: str, tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(location, CORE, create=True) as opened:
        report = opened.ingest([write_jsonl(tmp_path / "rows.jsonl", _rows(60))])
        assert report.articles_new == 60, report.rejects
        yield opened


def test_export_and_timeline_agree_with_the_search_total(archive: Archive) -> None:
    for query in ("ferry", "bridges", "", "council -ferry"):
        total = archive.search(query).total
        out = io.BytesIO()
        assert archive.export_query(query, out, "jsonl") == total
        ids = [json.loads(line)["id"] for line in out.getvalue().splitlines()]
        assert len(set(ids)) == total
        timeline = archive.timelines([query], by="month")
        (counted,) = timeline.queries
        assert sum(r.count for r in timeline.rows) + counted.undated == counted.matches == total


def test_match_ids_come_in_batches_oldest_first(archive: Archive) -> None:
    query = SearchRequest(query="council").to_index_query()
    batches = list(archive.index.match_ids(query, 7))
    assert all(1 <= len(b) <= 7 for b in batches)
    ids = [i for b in batches for i in b]
    assert len(ids) == len(set(ids)) == 60
    found = archive.store.get_articles(ids)
    dated = [found[i].published for i in ids if found[i].published]
    assert dated == sorted(dated) and len(dated) == 54  # the six undated come last
    assert all(found[i].published is None for i in ids[54:])


def test_histogram_buckets_and_facet_counts(archive: Archive) -> None:
    query = SearchRequest(query="ferry").to_index_query()
    by_year = archive.index.histogram(query, "year")
    by_day = archive.index.histogram(query, "day")
    assert list(by_year) == ["2016", "2017"]  # ferry stories are those of i % 3 in (1, 2)
    assert sum(by_year.values()) == sum(by_day.values()) == sum(archive.index.histogram(query).values())
    assert archive.index.facet_counts(query, "source", 5) == {"Courier": 20, "Gazette": 20}


def test_doc_frequencies_count_documents_by_analysed_word(archive: Archive) -> None:
    counts = archive.index.doc_frequencies("en", ["ferry", "ferries", "bridges", "zebra"])
    assert counts == {"ferry": 40, "ferries": 40, "bridges": 20, "zebra": 0}


def test_worker_processes_export_what_one_process_does(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker opens the archive from its location (a directory or a PostgreSQL URL) itself."""
    from newsarchive.research import parallel_export
    from newsarchive.research.export import ExportCount

    monkeypatch.setattr(parallel_export, "PARALLEL_MIN", 1)
    for fmt in ("csv", "jsonl"):
        alone = b"".join(archive.export_stream("council", fmt, batch=7))
        count = ExportCount()
        shared = b"".join(archive.export_stream("council", fmt, batch=7, workers=2, count=count))
        assert shared == alone
        assert count.rows == archive.search("council").total == 60
