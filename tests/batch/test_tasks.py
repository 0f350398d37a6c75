"""What the Spark tasks run, without Spark: each step gives what ingest's step gives."""

from __future__ import annotations

import builtins
import io
from pathlib import Path
from typing import Any

import pytest

from newsarchive import dedup, process
from newsarchive.batch import tasks
from newsarchive.batch.spark_job import SparkJobError, _balanced, check_requirements
from newsarchive.extract.chrome import SiteChrome
from newsarchive.model import Capture, Enrichment, Entity, Event, Mention, Quote, Role
from newsarchive.sources.detect import read_path
from newsarchive.sources.stream import read_stream
from tests.batch.conftest import SETTINGS
from tests.batch.corpus import write_corpus


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(tmp_path_factory.mktemp("crawl"))


def test_chrome_counted_in_parts_and_merged_is_chrome_counted_at_once(crawl: list[Path]) -> None:
    reads = list(
        tasks.read_local(
            [(0, str(p), str(p)) for p in sorted((crawl[2] / "dailyisland.example").iterdir())], SETTINGS
        )
    )
    pages = [
        (r.page.site, list(r.page.blocks))
        for r in reads
        if isinstance(r, tasks.ReadCapture) and not isinstance(r.page, str)
    ]
    at_once = SiteChrome(site=pages[0][0])
    for _, blocks in pages:
        at_once.add_page(blocks)
    parts = [
        dict(tasks.chrome_partials(pages[:2]))[at_once.site],
        dict(tasks.chrome_partials(pages[2:]))[at_once.site],
    ]
    merged = tasks.merge_chrome(*parts)
    assert (merged.pages, merged.key_pages, merged.river_pages) == (
        at_once.pages,
        at_once.key_pages,
        at_once.river_pages,
    )
    assert merged.chrome_keys(SETTINGS) == at_once.chrome_keys(SETTINGS) != frozenset()


def test_local_files_keep_the_origin_given_and_number_records(crawl: list[Path]) -> None:
    warc = crawl[0]
    reads = list(tasks.read_local([(7, str(warc.resolve()), "crawl.warc.gz")], SETTINGS))
    assert [r.meta.order if isinstance(r, tasks.ReadCapture) else r.order for r in reads] == [
        (7, i) for i in range(len(reads))
    ]
    origins = [r.meta.origin if isinstance(r, tasks.ReadCapture) else r.reject.origin for r in reads]
    assert all(o.startswith("crawl.warc.gz#") for o in origins)
    direct = [c for c in read_path(warc, SETTINGS) if isinstance(c, Capture)]
    assert [r.meta.sha256 for r in reads if isinstance(r, tasks.ReadCapture)] == [c.sha256 for c in direct]


def test_captures_read_before_are_not_extracted(crawl: list[Path]) -> None:
    warc = (7, str(crawl[0].resolve()), "crawl.warc.gz")
    plain = [r for r in tasks.read_local([warc], SETTINGS) if isinstance(r, tasks.ReadCapture)]
    again = {(plain[1].meta.sha256, plain[1].meta.order)}
    reads = [r for r in tasks.read_local([warc], SETTINGS, repeats=again) if isinstance(r, tasks.ReadCapture)]
    assert [r.meta for r in reads] == [r.meta for r in plain]
    assert reads[1].page == tasks.REPEATED and plain[1].page != tasks.REPEATED
    assert [r.page for i, r in enumerate(reads) if i != 1] == [r.page for i, r in enumerate(plain) if i != 1]


def test_a_stream_reads_as_the_file_with_the_origin_given(crawl: list[Path]) -> None:
    for path in (crawl[0], crawl[1], crawl[2] / "dailyisland.example" / "corrin.txt"):
        url = "hdfs://namenode/crawls/" + "/".join(path.parts[-2:])
        from_file = list(read_path(path, SETTINGS))
        from_stream = list(read_stream(io.BytesIO(path.read_bytes()), url, SETTINGS))
        assert len(from_file) == len(from_stream)
        for a, b in zip(from_file, from_stream, strict=True):
            assert type(a) is type(b)
            assert b.origin == a.origin.replace(str(path), url)
            if isinstance(a, Capture) and isinstance(b, Capture):
                assert (a.sha256, a.format, a.url, a.hints) == (b.sha256, b.format, b.url, b.hints)
            else:
                assert str(path) not in b.reason


def test_survivor_and_latest_rules() -> None:
    members = [
        dedup.Member("b", "2016-03-01T09:00:00Z", 100),
        dedup.Member("a", "2016-03-01T10:00:00+02:00", 100),
        dedup.Member("c", None, 500),
    ]
    assert tasks.survivor(members) == "a"  # 08:00 UTC, before 09:00 UTC
    versions = [
        ("x", "2016-03-05T10:00:00Z", None),
        ("y", "2016-03-02T10:00:00Z", "2017-01-01"),
        ("z", None, "2018-01-01"),
    ]
    assert tasks.latest_version(versions) == "x"
    assert tasks.latest_version([("p", None, "2016"), ("q", None, "2015")]) == "p"
    assert tasks.latest_version([("p", None, None), ("q", None, None)]) == "q"


def test_candidates_are_the_prefiltered_band_mates() -> None:
    story = " ".join(f"word{i} and the council said {i} more" for i in range(60))
    near = story.replace("word5 ", "")
    other = " ".join(f"unrelated{i} text about trams {i}" for i in range(60))
    signed = {}
    for article_id, text in (("a", story), ("b", near), ("c", other)):
        sig = process.copy_inputs(text).signature
        assert sig is not None
        signed[article_id] = (sig.hashvalues, sig.shingles)
    assert list(tasks.bucket_pairs(["c", "a", "b", "a"])) == [("a", "b"), ("a", "c"), ("b", "c")]
    found = {
        pair: e
        for a, b in tasks.bucket_pairs(signed)
        for pair, e in tasks.estimated(a, signed[a], b, signed[b])
    }
    assert set(found) == {("a", "b")} and found[("a", "b")] >= 0.8
    assert tasks.best_candidates("b", [(0.9, "a"), (0.6, "c")]) == [("a", "b"), ("b", "c")]
    pair = tasks.Verifier().pair("a", story, "b", near)
    assert pair is not None and pair.resemblance > 0.9
    assert tasks.Verifier().pair("a", story, "c", other) is None


def test_enrichment_round_trips_every_field() -> None:
    role = Role("Ines Okafor", "Councillor", None, "2016-03-01", "a1", 0, 11)
    enrichment = Enrichment(
        "a1",
        [Mention("a1", 0, 11, "Ines Okafor", "PERSON", "Ines Okafor")],
        [Entity("Ines Okafor", "PERSON", ["Okafor"], [role], 2, 1)],
        [Quote("Okafor", "Ines Okafor", "said", "the change answered", "a1", 20, 40, False, 0, 6)],
        [Event("e1", "MEET", "Ines Okafor", None, "Ardmore", "2016-03", "happened", "a1", "met", 0, 3)],
    )
    assert tasks.enrichment_from_json(tasks.enrichment_json(enrichment)) == enrichment


def test_local_paths_and_hadoop_urls() -> None:
    assert tasks.local_path("crawl/x.warc.gz") == "crawl/x.warc.gz"
    assert tasks.local_path("file:///data/x.warc") == "/data/x.warc"
    assert tasks.local_path("file:/data/x.warc") == "/data/x.warc"
    assert tasks.local_path("hdfs://nn:8020/crawl") is None
    assert tasks.local_path("s3a://bucket/crawl/") is None
    assert tasks.local_path("C:/data") == "C:/data"


def test_files_are_spread_by_size() -> None:
    files = [(i, f"/f{i}", f"f{i}", size) for i, size in enumerate([100, 10, 10, 10, 60, 30])]
    groups = _balanced(files, 2)
    loads = [sum(files[n][3] for n, _, _ in g) for g in groups]
    assert sorted(loads) == [110, 110]
    assert _balanced(files[:1], 4) == [[(0, "/f0", "f0")]]


def test_missing_pyspark_and_java_are_said(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pyspark(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pyspark" or name.startswith("pyspark."):
            raise ImportError("No module named 'pyspark'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    with pytest.raises(SparkJobError, match=r"pip install 'newsarchive\[spark\]'"):
        check_requirements()
    monkeypatch.setattr(builtins, "__import__", real_import)
    pytest.importorskip("pyspark")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(SparkJobError, match="Java 17"):
        check_requirements()
