"""The Spark job + load give the archive `ingest` gives, whatever the partitioning (a real local Spark)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from newsarchive import Archive, Settings
from newsarchive.batch import schema
from newsarchive.batch.load import iter_rows, load
from newsarchive.batch.spark_job import BROADCAST_KEYS, DRIVER_KEYS, SparkJobError, run_job
from tests.batch.conftest import SETTINGS

pytestmark = pytest.mark.slow


def snapshot(path: Path | str) -> dict[str, Any]:
    """What a user sees of an archive: articles (ids, bodies, copies, versions, captures), rejects,
    counts, site chrome and what searches return."""
    with Archive.open(path, SETTINGS, readonly=True) as archive:
        articles = {
            a.id: {
                "title": a.title,
                "body": a.body,
                "url": a.url,
                "source": a.source,
                "published": a.published,
                "language": a.language,
                "removed": a.removed,
                "cluster_id": a.cluster_id,
                "representative": a.representative,
                "latest": a.latest,
                "captures": [(c.sha256, c.origin) for c in a.captures],
            }
            for a in archive.articles()
        }
        stats = archive.stats()
        counts = {k: stats[k] for k in ("articles", "indexed", "unindexed", "captures", "stories", "clusters",
                                        "copies", "versions")}  # fmt: skip
        rejects = sorted((r["origin"], r["reason"]) for r in stats["rejects"])
        searches = {
            q: [(h.id, h.duplicates, h.versions) for h in archive.search(q, per_page=50).hits]
            for q in ("ferry", "bridge", "market", "school board")
        }
        # every hit of the empty query scores the same: they come in index order, so compare them as a set
        searches[""] = sorted((h.id, h.duplicates, h.versions) for h in archive.search("", per_page=50).hits)
        copies = {i: [(m.id, m.representative) for m in archive.copies(i)] for i in articles}
        versions = {i: [v.id for v in archive.versions(i)] for i in articles}
        sites = {s: archive.store.get_site_chrome(s) for s in {a.site for a in archive.articles()}}
    return {"articles": articles, "counts": counts, "rejects": rejects, "searches": searches,
            "copies": copies, "versions": versions, "sites": sites}  # fmt: skip


@pytest.fixture(scope="module")
def reference(ingested: Path) -> dict[str, Any]:
    return snapshot(ingested)


def _job_and_load(
    spark: Any,
    corpus: list[Path],
    tmp_path: Path,
    partitions: int,
    broadcast_keys: int = BROADCAST_KEYS,
    driver_keys: int = DRIVER_KEYS,
) -> Path:
    output = tmp_path / "out"
    report = run_job(
        spark,
        [str(p) for p in corpus],
        str(output),
        SETTINGS,
        partitions=partitions,
        broadcast_keys=broadcast_keys,
        driver_keys=driver_keys,
    )
    assert report.articles == 12
    archive_path = tmp_path / "arch"
    with Archive.open(archive_path, SETTINGS) as archive:
        load(archive, output)
    return archive_path


@pytest.mark.parametrize(
    ("partitions", "broadcast_keys", "driver_keys"),
    [
        (1, BROADCAST_KEYS, DRIVER_KEYS),
        (3, BROADCAST_KEYS, DRIVER_KEYS),
        (3, 0, DRIVER_KEYS),
        (3, BROADCAST_KEYS, 0),
        (2, 0, 0),
    ],
    # broadcast_keys 0: every per-site table joined, none broadcast; driver_keys 0: the duplicate,
    # version and candidate decisions in shuffles, as for a crawl too big for the driver
    ids=["1-broadcast", "3-broadcast", "3-joined", "3-shuffled", "2-joined-shuffled"],
)
def test_same_archive_as_ingest_whatever_the_partitioning(
    spark: Any,
    corpus: list[Path],
    reference: dict[str, Any],
    tmp_path: Path,
    partitions: int,
    broadcast_keys: int,
    driver_keys: int,
) -> None:
    got = snapshot(_job_and_load(spark, corpus, tmp_path, partitions, broadcast_keys, driver_keys))
    assert got["articles"].keys() == reference["articles"].keys()
    for article_id, expected in reference["articles"].items():
        assert got["articles"][article_id] == expected, article_id
    for key in ("counts", "rejects", "searches", "copies", "versions", "sites"):
        assert got[key] == reference[key], key
    # the cases the corpus is made of really happened
    articles = reference["articles"].values()
    assert reference["counts"]["clusters"] == 1 and reference["counts"]["versions"] == 1
    assert any(len(a["captures"]) == 2 for a in articles)  # an exact duplicate under another URL
    assert any("Daily Island is an independent" in line for a in articles for line in a["removed"])  # chrome
    assert len(reference["rejects"]) == 2


def test_articles_table_has_the_export_columns_and_rows(
    spark: Any, corpus: list[Path], tmp_path: Path
) -> None:
    output = tmp_path / "out"
    run_job(spark, [str(p) for p in corpus], str(output), SETTINGS, partitions=2)
    written = pq.ParquetDataset(output / "articles").schema
    export = schema.export_articles_schema()
    assert written.names[: len(export.names)] == export.names
    for field in export:
        assert written.field(field.name).type == field.type, field.name
    archive_path = tmp_path / "arch"
    with Archive.open(archive_path, SETTINGS) as archive:
        load(archive, output)
        with (tmp_path / "export.parquet").open("wb") as fh:
            archive.export(fh, "parquet")
    exported = {r["id"]: r for r in pq.read_table(tmp_path / "export.parquet").to_pylist()}
    for row in iter_rows(output, "articles"):
        mine = {k: row[k] for k in export.names}
        assert mine == exported[row["id"]]
    captures = list(iter_rows(output, "captures"))
    assert len(captures) == 13 and all(c["raw_size"] == len(c["raw"]) for c in captures)
    assert json.loads((output / schema.MANIFEST).read_text())["version"] == schema.VERSION


def test_load_is_resumable(spark: Any, corpus: list[Path], tmp_path: Path, reference: dict[str, Any]) -> None:
    output = tmp_path / "out"
    run_job(spark, [str(p) for p in corpus], str(output), SETTINGS, partitions=2)
    archive_path = tmp_path / "arch"

    class Stop(Exception):
        pass

    def stop_after_first_batch(stage: str, done: int, total: int) -> None:
        if stage == "articles" and done >= 4:
            raise Stop

    with Archive.open(archive_path, SETTINGS) as archive, pytest.raises(Stop):
        load(archive, output, progress=stop_after_first_batch, batch_size=4)
    with Archive.open(archive_path, SETTINGS) as archive:
        first = load(archive, output, batch_size=4)
        again = load(archive, output)
    assert first.articles_present == 4 and first.articles_new == 8
    assert again.articles_new == 0 and again.captures_new == 0 and again.articles_present == 12
    assert snapshot(archive_path)["articles"] == reference["articles"]


def test_load_refuses_an_archive_with_other_articles(
    spark: Any, corpus: list[Path], ingested: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    run_job(spark, [str(corpus[1])], str(output), SETTINGS, partitions=1)
    other = tmp_path / "other"
    with Archive.open(other, SETTINGS) as archive:
        archive.ingest([corpus[0]])
        with pytest.raises(Exception, match="not from"):
            load(archive, output)


def test_a_taken_output_and_no_inputs_are_said(spark: Any, corpus: list[Path], tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "x").write_text("x")
    with pytest.raises(SparkJobError, match="not empty"):
        run_job(spark, [str(corpus[1])], str(taken), SETTINGS)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SparkJobError, match="no input files"):
        run_job(spark, [str(empty)], str(tmp_path / "o2"), SETTINGS)
    # a mistyped path is a reject, as with ingest, and the job still writes every table
    report = run_job(spark, [str(tmp_path / "typo.warc")], str(tmp_path / "o3"), SETTINGS, partitions=1)
    assert (report.inputs, report.articles, report.rejects) == (1, 0, 1)
    assert [r["reason"] for r in iter_rows(tmp_path / "o3", "rejects")] == [
        "no such file or directory; check the path"
    ]
    assert pq.ParquetDataset(tmp_path / "o3" / "articles").schema.names == schema.articles_schema().names


def test_enriched_job_gives_ingests_entities(spark: Any, corpus: list[Path], tmp_path: Path) -> None:
    from newsarchive.enrich.nlp import ModelNotInstalledError, resolve_model_name

    try:
        resolve_model_name()
    except ModelNotInstalledError as exc:
        pytest.skip(str(exc))
    settings = Settings(enrich=True, progress=False)
    with Archive.open(tmp_path / "ingested", settings) as archive:
        archive.ingest(corpus)
        expected = {(e.name, e.type, e.mentions, e.articles) for e in archive.entities(top=200)}
        expected_quotes = sorted((q.article_id, q.start, q.end, q.speaker) for q in archive.quotes())
    output = tmp_path / "out"
    report = run_job(spark, [str(p) for p in corpus], str(output), settings, partitions=2, enrich=True)
    assert report.enriched == 12
    with Archive.open(tmp_path / "loaded", Settings(enrich=False, progress=False)) as archive:
        load(archive, output)
        got = {(e.name, e.type, e.mentions, e.articles) for e in archive.entities(top=200)}
        got_quotes = sorted((q.article_id, q.start, q.end, q.speaker) for q in archive.quotes())
        assert archive.search("Okafor").total >= 1
    assert expected and got == expected
    assert got_quotes == expected_quotes
    assert {r["article_id"] for r in iter_rows(output, "mentions")} <= {
        r["id"] for r in iter_rows(output, "articles")
    }


def test_hadoop_filesystem_inputs_read_as_local_ones(spark: Any, corpus: list[Path]) -> None:
    """Inputs on another filesystem go through Spark's binaryFile source and sources/stream.py;
    here the filesystem is the local one, given as URLs, so both routes can be compared."""
    from newsarchive.batch.spark_job import _Inputs, _list_inputs, _read
    from newsarchive.batch.tasks import ReadCapture, ReadReject

    local = _list_inputs(spark, [str(corpus[0]), str(corpus[1])])
    remote = _Inputs(
        [], [(number, "file:" + path) for number, path, _, _ in local.local]
    )  # as Spark lists them
    by_spark = _read(spark, remote, SETTINGS, 2, extract=False).collect()
    by_executor = _read(spark, local, SETTINGS, 2, extract=False).collect()

    def seen(reads: list[Any], prefix: str) -> list[tuple[Any, ...]]:
        out = []
        for r in reads:
            if isinstance(r, ReadCapture):
                out.append((r.meta.order, r.meta.sha256, r.meta.origin.removeprefix(prefix), r.meta.hints))
            else:
                assert isinstance(r, ReadReject)
                out.append(
                    (r.order, r.reject.origin.removeprefix(prefix), r.reject.reason.replace(prefix, ""))
                )
        return sorted(out, key=lambda t: t[0])

    assert seen(by_spark, "file:") == seen(by_executor, "")
    assert (
        len(by_spark) == 10
    )  # 5 captures and a reject in the WARC (the image is skipped), 3 and 1 in the JSONL


def test_load_into_postgresql_gives_the_same_archive(
    spark: Any, corpus: list[Path], reference: dict[str, Any], tmp_path: Path, postgres_location: str
) -> None:
    output = tmp_path / "out"
    run_job(spark, [str(p) for p in corpus], str(output), SETTINGS, partitions=2)
    with Archive.open(postgres_location, SETTINGS) as archive:
        load(archive, output)
    got = snapshot(postgres_location)
    assert got["articles"] == reference["articles"]
    for key in ("counts", "rejects", "copies", "versions", "sites"):
        assert got[key] == reference[key], key
