"""The Spark job: WARC/ARC/HTML/JSONL/… inputs -> the Parquet tables ``newsarchive load`` takes.

Run it with ``spark-submit …/newsarchive/batch/spark_job.py INPUTS… --output DIR`` (or
``python -m newsarchive.batch.spark_job``, or ``newsarchive spark-ingest``). Stages, each the
step of ingest it stands for (tasks.py holds the code the executors run):

1. **read + extract**, per partition of input files: local paths (and ``file:`` URLs) are opened
   by the executors with ingest's readers; other Hadoop filesystem URLs are read by Spark
   (``binaryFile``) and handed over as streams. A capture read twice (same bytes) keeps its
   first place in input order, as ingest's "already archived".
2. **site chrome**: each site's block counts are summed over partitions (reduceByKey on the site
   of ``SiteChrome.add_page`` counts) and joined back to the site's pages, which are cleaned by
   ``process.process_page``. Given texts (format "text") have their site's edge lines counted the
   same way (``SiteEdges``, over the given texts) and trimmed of the lines that are boilerplate.
3. **exact duplicates**: grouped by body hash, the survivor is ``dedup.best`` (earliest published,
   then longest, then smallest id); every capture links to it. A short text on many unrelated
   pages of one site (``nonarticle.recurring_reason``) has no survivor: its captures are rejects.
4. **versions**: grouped by ``dedup.url_key``, the latest is the one captured last (then published
   last, then the larger id).
5. **boilerplate**: a site's edge lines at ≥ MIN_ARTICLES of its articles' edges; the compared text
   and MinHash signature of each latest version follow.
6. **copies**: candidate pairs share an LSH band (grouped by band key), pass the prefilter and are
   among an article's MAX_VERIFIED best estimates; they are verified by ``dedup.copy_match``.
   Verified pairs are few: they are collected to the driver, where ``dedup.clusters`` gives the
   clusters and representatives (articles in no pair are their own cluster).
7. **enrichment** (only with ``--enrich``; off by default, as it costs ~6× the rest): spaCy is
   loaded once per executor process.
8. **write**: one Parquet folder per table (schema.py), part files named by partition so a retried
   task overwrites its own; ``manifest.json`` last.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive import dedup, process
from newsarchive.batch import schema, tasks
from newsarchive.dedup.given_boilerplate import store_key
from newsarchive.dedup.given_boilerplate import trims as trims_given
from newsarchive.errors import NewsArchiveError
from newsarchive.extract.nonarticle import (
    RECURRING_MAX_WORDS,
    RECURRING_PAGES,
    PageKey,
    recurring_reason,
    reject_reason,
    word_size,
)
from newsarchive.model import Article, Enrichment
from newsarchive.settings import Settings
from newsarchive.sources.detect import iter_input_files
from newsarchive.sources.files import display_origin
from newsarchive.store.base import CopyPair

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession


class SparkJobError(NewsArchiveError):
    """The job cannot start or its output cannot be written (a message a user can act on)."""


@dataclass(slots=True)
class JobReport:
    """What one run produced, printed as JSON at the end."""

    inputs: int = 0
    captures: int = 0
    captures_seen: int = 0
    articles: int = 0
    duplicates: int = 0
    rejects: int = 0
    versions: int = 0
    pairs: int = 0
    clusters: int = 0
    enriched: int = 0
    partitions: int = 0
    seconds: float = 0.0
    tables: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- the session ------------------------------------------------------------------------------
def check_requirements() -> None:
    """Raise SparkJobError naming what to install when pyspark or Java is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise SparkJobError(
            "the Spark job needs pyspark: pip install 'newsarchive[spark]' (Java 17 or later too)"
        ) from exc
    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home) / "bin" / "java" if java_home else None
    import shutil

    if not (java and java.exists()) and shutil.which("java") is None:
        raise SparkJobError(
            "Spark needs Java 17 or later, and no `java` was found (not on PATH, JAVA_HOME unset); "
            "install a JDK (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
        )


def local_session(master: str | None = "local[*]", partitions: int | None = None) -> SparkSession:
    """A SparkSession for ``master`` (None: the one spark-submit was given, else local[*]), its
    Python workers running this interpreter."""
    check_requirements()
    from pyspark import SparkConf
    from pyspark.sql import SparkSession

    if master is None:
        master = SparkConf().get("spark.master", "local[*]")
    builder = (
        SparkSession.builder.appName("newsarchive")
        .master(master)
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.python.worker.reuse", "true")
    )
    if partitions:
        builder = builder.config("spark.default.parallelism", str(partitions)).config(
            "spark.sql.shuffle.partitions", str(partitions)
        )
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: say why in one line
        raise SparkJobError(f"Spark could not start ({' '.join(str(exc).split())[:300]})") from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


# -- inputs -----------------------------------------------------------------------------------
@dataclass(slots=True, frozen=True)
class _Inputs:
    local: list[tuple[int, str, str, int]]
    """(input number, path to open, origin to record, size)."""
    remote: list[tuple[int, str]]
    """(input number, URL) of files on another Hadoop filesystem."""

    def __len__(self) -> int:
        return len(self.local) + len(self.remote)


def _list_inputs(spark: SparkSession, inputs: Iterable[str]) -> _Inputs:
    """Every input file, numbered in the order ingest would read them (directories walked, sorted)."""
    local: list[tuple[int, str, str, int]] = []
    remote: list[tuple[int, str]] = []
    number = 0
    for location in inputs:
        path = tasks.local_path(location)
        if path is not None:
            for file in iter_input_files([Path(path)]):
                try:
                    size = file.stat().st_size
                except OSError:
                    size = 0  # the reader rejects it with the reason
                local.append((number, os.path.abspath(file), display_origin(file), size))
                number += 1
            continue
        found = (
            spark.read.format("binaryFile")
            .option("recursiveFileLookup", "true")
            .load(location)
            .select("path")
        )
        for row in sorted(found.collect(), key=lambda r: str(r.path)):
            remote.append((number, str(row.path)))
            number += 1
    return _Inputs(local, remote)


def _balanced(files: list[tuple[int, str, str, int]], slices: int) -> list[list[tuple[int, str, str]]]:
    """Files spread over ``slices`` groups of about equal bytes (largest first, each to the lightest)."""
    groups: list[list[tuple[int, str, str]]] = [[] for _ in range(max(1, min(slices, len(files))))]
    loads = [0] * len(groups)
    for number, path, origin, size in sorted(files, key=lambda f: (-f[3], f[0])):
        lightest = loads.index(min(loads))
        groups[lightest].append((number, path, origin))
        loads[lightest] += size + 1
    return [sorted(g) for g in groups]


# -- the job ----------------------------------------------------------------------------------
def run_job(
    spark: SparkSession,
    inputs: list[str],
    output: str,
    settings: Settings | None = None,
    *,
    partitions: int | None = None,
    enrich: bool = False,
    overwrite: bool = False,
) -> JobReport:
    """Run every stage over ``inputs`` and write the tables under ``output``; returns the counts."""
    from pyspark import StorageLevel

    started = time.perf_counter()
    settings = settings or Settings.load()
    sc = spark.sparkContext
    n = partitions or sc.defaultParallelism
    report = JobReport(partitions=n)
    out = _Output(output, overwrite)
    ingested_at = now_iso()
    listed = _list_inputs(spark, inputs)
    report.inputs = len(listed)
    if not len(listed):
        raise SparkJobError("no input files found; check the paths and URLs given")
    sc.setJobGroup("newsarchive", "read and extract")

    # 1. read + extract
    records: RDD[Any] = _read(spark, listed, settings, n, extract=True)
    records = records.persist(StorageLevel.MEMORY_AND_DISK)
    reader_rejects: RDD[Any] = records.filter(lambda r: isinstance(r, tasks.ReadReject))
    captures_all: RDD[Any] = records.filter(lambda r: isinstance(r, tasks.ReadCapture))
    repeated = set(
        captures_all.map(lambda r: (r.meta.sha256, r.meta.order))
        .groupByKey(n)
        .flatMap(lambda kv: [(kv[0], order) for order in tasks.first_seen(kv[1])])
        .collect()
    )
    report.captures_seen = len(repeated)
    skip = sc.broadcast(repeated)
    unique: RDD[Any] = captures_all.filter(lambda r: (r.meta.sha256, r.meta.order) not in skip.value)

    # 2. site chrome, then cleaning
    extracted: RDD[Any] = unique.filter(lambda r: not isinstance(r.page, str)).map(lambda r: (r.meta, r.page))
    pages: RDD[Any] = extracted.filter(lambda mp: process.uses_chrome(mp[0].format))
    chromes = (
        pages.map(lambda mp: (mp[1].site, list(mp[1].blocks)))
        .mapPartitions(tasks.chrome_partials)
        .reduceByKey(tasks.merge_chrome, n)
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    cleaned_pages = (
        pages.map(lambda mp: (mp[1].site, mp))
        .leftOuterJoin(chromes, n)
        .map(lambda kv: (kv[1][0][0], tasks.clean(kv[1][0][0], kv[1][0][1], kv[1][1], settings)))
    )
    given: RDD[Any] = extracted.filter(lambda mp: trims_given(mp[0].format))
    given_edges = (
        given.map(lambda mp: (mp[1].site, mp[1].body))
        .mapPartitions(tasks.given_edge_partials)
        .reduceByKey(tasks.merge_given_edges, n)
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    cleaned_given = (
        given.map(lambda mp: (mp[1].site, mp))
        .leftOuterJoin(given_edges.mapValues(lambda edges: edges.boilerplate()), n)
        .map(lambda kv: (kv[1][0][0], tasks.clean_given(kv[1][0][0], kv[1][0][1], kv[1][1], settings)))
    )
    other_texts = extracted.filter(
        lambda mp: not process.uses_chrome(mp[0].format) and not trims_given(mp[0].format)
    ).map(lambda mp: (mp[0], tasks.clean(mp[0], mp[1], None, settings)))
    processed: RDD[Any] = (
        cleaned_pages.union(cleaned_given).union(other_texts).persist(StorageLevel.MEMORY_AND_DISK)
    )
    articles: RDD[Any] = processed.filter(lambda mp: not isinstance(mp[1], str))

    # 3. exact duplicates: every article's survivor, unless its text is no article (the recurrence rule)
    exact = (
        articles.map(lambda mp: (mp[1].article.body_hash, _exact_entry(mp[0], mp[1])))
        .groupByKey(n)
        .map(lambda kv: _exact_group(list(kv[1])))
    )  # ([(own id, survivor id)], [(origin, reject reason)]) of each body
    survivor_of = exact.flatMap(lambda group: group[0]).persist(StorageLevel.MEMORY_AND_DISK)
    linked = articles.map(lambda mp: (mp[0].own_id, mp)).join(survivor_of, n)  # (own, ((meta, p), survivor))
    captures_of = linked.map(
        lambda kv: (
            kv[1][1],
            (kv[1][0][0].order, kv[1][0][0].sha256, kv[1][0][0].origin, kv[1][0][0].fetched_at),
        )
    ).groupByKey(n)
    survivors = (
        linked.filter(lambda kv: kv[0] == kv[1][1])
        .map(lambda kv: (kv[0], kv[1][0][1]))
        .join(captures_of, n)
        .map(lambda kv: (kv[0], _Story(kv[1][0], sorted(kv[1][1]))))
    )  # (id, story)

    # 4. versions: which articles are not the latest of their URL
    older = (
        survivors.filter(lambda kv: kv[1].processed.url_key is not None)
        .map(lambda kv: (kv[1].processed.url_key, (kv[0], kv[1].seen_at, kv[1].article.published_at)))
        .groupByKey(n)
        .flatMap(lambda kv: _older_versions(list(kv[1])))
    )  # (id, False)
    survivors = (
        survivors.leftOuterJoin(older, n)
        .map(lambda kv: (kv[0], kv[1][0].with_latest(kv[1][1] is None)))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )

    # 5. site boilerplate, compared texts and signatures of latest versions
    boilerplate = (
        survivors.flatMap(lambda kv: [((kv[1].article.site, k), 1) for k in kv[1].processed.edge_keys])
        .reduceByKey(lambda a, b: a + b, n)
        .map(lambda kv: (kv[0][0], (kv[0][1], kv[1])))
        .groupByKey(n)
        .map(lambda kv: (kv[0], tasks.site_boilerplate(kv[1])))
        .filter(lambda kv: bool(kv[1]))
    )
    compared: RDD[Any] = (
        survivors.filter(lambda kv: kv[1].latest)
        .map(lambda kv: (kv[1].article.site, (kv[0], kv[1].article.body)))
        .leftOuterJoin(boilerplate, n)
        .map(lambda kv: (kv[1][0][0], process.copy_inputs(kv[1][0][1], kv[1][1] or ())))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )  # (id, CopyInputs)

    # 6. candidates by LSH band, verified pairs, clusters
    signed: RDD[Any] = compared.filter(lambda kv: kv[1].signature is not None)
    signatures = signed.map(lambda kv: (kv[0], (kv[1].signature.hashvalues, kv[1].signature.shingles)))
    band_mates = (
        signed.flatMap(lambda kv: [(band, kv[0]) for band in kv[1].signature.bands])
        .groupByKey(n)
        .flatMap(lambda kv: tasks.bucket_pairs(kv[1]))
        .distinct(n)
    )  # (a, b): ids only, the signatures follow once per pair
    candidates = (
        band_mates.join(signatures, n)
        .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
        .join(signatures, n)
        .flatMap(lambda kv: tasks.estimated(kv[1][0][0], kv[1][0][1], kv[0], kv[1][1]))
        .flatMap(lambda kv: [(kv[0][0], (kv[1], kv[0][1])), (kv[0][1], (kv[1], kv[0][0]))])
        .groupByKey(n)
        .flatMap(lambda kv: tasks.best_candidates(kv[0], kv[1]))
        .distinct(n)
    )
    texts = compared.map(lambda kv: (kv[0], kv[1].compared_text))
    pairs: list[CopyPair] = (
        candidates.join(texts, n)
        .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
        .join(texts, n)
        .mapPartitions(_verified)
        .collect()
    )
    pairs.sort(key=lambda p: (p.a, p.b))
    paired = sc.broadcast({i for p in pairs for i in (p.a, p.b)})
    members = (
        survivors.filter(lambda kv: kv[0] in paired.value).map(lambda kv: _member(kv[1].processed)).collect()
    )
    found = dedup.clusters(members, [(p.a, p.b) for p in pairs])
    assignment = sc.broadcast(
        {m: (c.id, m == c.representative) for c in found for m in c.members if len(c.members) > 1}
    )
    report.pairs = len(pairs)
    report.clusters = sum(1 for c in found if len(c.members) > 1)

    # 8. write
    sc.setJobGroup("newsarchive", "write")
    older_count = sc.accumulator(0)
    merged_count = sc.accumulator(0)
    in_order = _input_order(len(listed), n)
    report.tables["articles"] = out.write(
        "articles",
        # in the order ingest stores them (its own capture's place), so listings and ties agree
        survivors.map(lambda kv: (kv[1].own_order, kv[1]))
        .repartitionAndSortWithinPartitions(n, in_order)
        .map(
            lambda kv: _article_row(kv[1], assignment.value.get(kv[1].article.id), ingested_at, older_count)
        ),
    )
    report.articles = report.tables["articles"]
    raw = _read(spark, listed, settings, n, extract=False).filter(
        lambda r: isinstance(r, tasks.ReadCapture) and (r.meta.sha256, r.meta.order) not in skip.value
    )
    # one shuffle: each capture's bytes meet the id of the article it feeds, in input order
    article_of = linked.map(lambda kv: ((kv[1][0][0].order, 0), kv[1][1]))
    by_order = raw.map(lambda r: ((r.meta.order, 1), r)).union(article_of)
    report.tables["captures"] = out.write(
        "captures",  # in input order: load adds them in that order, as ingest did
        by_order.repartitionAndSortWithinPartitions(n, lambda key: in_order(key[0])).mapPartitions(
            lambda items: _capture_rows(items, ingested_at, merged_count)
        ),
    )
    report.captures = report.tables["captures"]
    report.versions = older_count.value
    report.duplicates = merged_count.value
    rejects = (
        reader_rejects.map(lambda r: (r.reject.origin, r.reject.reason))
        .union(unique.filter(lambda r: isinstance(r.page, str)).map(lambda r: (r.meta.origin, r.page)))
        .union(processed.filter(lambda mp: isinstance(mp[1], str)).map(lambda mp: (mp[0].origin, mp[1])))
        .union(exact.flatMap(lambda group: group[1]))
        .union(extracted.flatMap(lambda mp: [(mp[0].origin, notice) for notice in mp[1].notices]))
        .distinct(n)
        .map(lambda kv: {"origin": kv[0], "reason": kv[1]})
    )
    report.tables["rejects"] = report.rejects = out.write("rejects", rejects)
    learned = chromes.map(lambda kv: (kv[0], kv[1].to_json())).union(
        given_edges.map(lambda kv: (store_key(kv[0]), kv[1].to_json()))
    )  # a site's page chrome, and the edge lines of its given texts beside it
    report.tables["sites"] = out.write(
        "sites", learned.map(lambda kv: {"site": kv[0], "chrome": json.dumps(kv[1], ensure_ascii=False)})
    )
    report.tables["signatures"] = out.write(
        "signatures",
        signed.map(
            lambda kv: {
                "article_id": kv[0],
                "hashvalues": kv[1].signature.hashvalues,
                "shingles": kv[1].signature.shingles,
                "bands": kv[1].signature.bands,
            }
        ),
    )
    report.tables["pairs"] = out.write("pairs", sc.parallelize([asdict(p) for p in pairs], 1))
    if enrich:
        sc.setJobGroup("newsarchive", "enrich")
        found_enrichment: RDD[Any] = (
            survivors.map(
                lambda kv: (kv[0], kv[1].article.body, kv[1].article.published, kv[1].article.body_hash)
            )
            .mapPartitions(lambda items: tasks.enrich(items, settings))
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        hashes = survivors.map(lambda kv: (kv[0], kv[1].article.body_hash))
        enriched: RDD[Any] = found_enrichment.filter(lambda e: isinstance(e, Enrichment))
        report.enriched = out.write(
            "enrichment",
            enriched.map(lambda e: (e.article_id, e))
            .join(hashes, n)
            .map(
                lambda kv: {
                    "article_id": kv[0],
                    "body_hash": kv[1][1],
                    "record": tasks.enrichment_json(kv[1][0]),
                }
            ),
        )
        report.tables["enrichment"] = report.enriched
        report.tables["skipped"] = out.write(
            "skipped",
            found_enrichment.filter(lambda e: not isinstance(e, Enrichment)).map(
                lambda s: {
                    "article_id": s[0],
                    "stage": "enrich",
                    "body_hash": s[1],
                    "reason": s[2],
                    "at": ingested_at,
                }
            ),
        )
        for what, rows in (
            ("mentions", lambda e: [m.to_json() for m in e.mentions]),
            ("quotes", lambda e: [q.to_json() for q in e.quotes]),
            ("events", lambda e: [_flat(ev.to_json()) for ev in e.events]),
        ):
            report.tables[what] = out.write(what, enriched.flatMap(rows))
    report.seconds = round(time.perf_counter() - started, 3)
    out.finish(report, settings, enrich, ingested_at)
    for rdd in (records, chromes, given_edges, processed, survivor_of, survivors, compared):
        rdd.unpersist()
    return report


def _read(spark: SparkSession, listed: _Inputs, settings: Settings, n: int, extract: bool) -> RDD[Any]:
    """Every input read on the executors: local files opened there, others read by Spark."""
    sc = spark.sparkContext
    parts: list[RDD[Any]] = []
    if listed.local:
        groups = _balanced(listed.local, n)
        parts.append(
            sc.parallelize(groups, len(groups)).mapPartitions(
                lambda it: tasks.read_local((f for group in it for f in group), settings, extract)
            )
        )
    if listed.remote:
        numbers = sc.broadcast({url: number for number, url in listed.remote})
        blobs = (
            spark.read.format("binaryFile")
            .option("recursiveFileLookup", "true")
            .load([url for _, url in listed.remote])
        )
        parts.append(
            blobs.select("path", "content")
            .rdd.repartition(n)
            .mapPartitions(
                lambda rows: tasks.read_blobs(
                    ((numbers.value[str(r.path)], str(r.path), bytes(r.content)) for r in rows),
                    settings,
                    extract,
                )
            )
        )
    return parts[0] if len(parts) == 1 else sc.union(parts)


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    from newsarchive.archive import _flatten

    return _flatten(row)


def _member(p: process.Processed) -> dedup.Member:
    return dedup.Member(p.article.id, p.article.published_at, len(p.article.body))


_ExactEntry = tuple[dedup.Member, str, PageKey, int]
"""An article in the exact-duplicate stage: its member, origin, page key and word size."""


def _exact_entry(meta: tasks.CaptureMeta, p: process.Processed) -> _ExactEntry:
    page = PageKey(p.article.site, p.url_key, p.article.title)
    return _member(p), meta.origin, page, word_size(p.article.body)


def _exact_group(entries: list[_ExactEntry]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """One body's articles: each one's survivor; or, when the text is no article (judged over all
    its captures, as ingest does once a run's captures are in), none and each capture's reject."""
    size = entries[0][3]
    if len(entries) >= RECURRING_PAGES and size < RECURRING_MAX_WORDS:
        reason = recurring_reason(size, [page for _, _, page, _ in entries])
        if reason is not None:
            return [], [(origin, reject_reason(reason)) for _, origin, _, _ in entries]
    return list(_survivors([member for member, _, _, _ in entries])), []


def _survivors(members: list[dedup.Member]) -> Iterator[tuple[str, str]]:
    kept = tasks.survivor(members)
    for member in members:
        yield member.id, kept


def _older_versions(versions: list[tuple[str, str | None, str | None]]) -> Iterator[tuple[str, bool]]:
    if len(versions) < 2:
        return
    latest = tasks.latest_version(versions)
    for article_id, _, _ in versions:
        if article_id != latest:
            yield article_id, False


def _verified(items: Iterable[tuple[str, tuple[tuple[str, str], str]]]) -> Iterator[CopyPair]:
    verifier = tasks.Verifier()
    for b, ((a, text_a), text_b) in items:
        pair = verifier.pair(a, text_a, b, text_b)
        if pair is not None:
            yield pair


@dataclass(slots=True, frozen=True)
class _Story:
    """A surviving article with the captures linked to it (in input order) and its version flag."""

    processed: process.Processed
    captures: list[tuple[tasks.Order, str, str, str | None]]
    latest: bool = True

    @property
    def article(self) -> Article:
        return self.processed.article

    @property
    def own_order(self) -> tasks.Order:
        """Where the capture that made this article was read (ingest stores articles in that order)."""
        return next(c[0] for c in self.captures if c[1][:16] == self.article.id)

    @property
    def seen_at(self) -> str | None:
        """When its text was last captured (the latest of its captures' fetch times)."""
        times = [c[3] for c in self.captures if c[3]]
        return max(times) if times else None

    def with_latest(self, latest: bool) -> _Story:
        return _Story(self.processed, self.captures, latest)

    def row(self, cluster: tuple[str, bool] | None, ingested_at: str) -> dict[str, Any]:
        article = self.article
        cluster_id, representative = cluster or (article.id, True)
        article.cluster_id = cluster_id
        article.representative = representative
        article.latest = self.latest
        data: dict[str, Any] = article.to_json()
        data["captures"] = [
            {"sha256": sha, "origin": origin, "ingested_at": ingested_at}
            for _, sha, origin, _ in self.captures
        ]
        draft = self.processed.draft
        data.update(
            site=article.site,
            body_hash=article.body_hash,
            removed=list(article.removed),
            blocks=list(draft.blocks),
            base_removed=list(draft.base_removed),
            url_key=self.processed.url_key,
            edge_keys=sorted(self.processed.edge_keys),
        )
        return data


def _input_order(inputs: int, partitions: int) -> Callable[[tasks.Order], int]:
    """A range partitioner on input number: partition p holds inputs before those of p + 1, so
    sorting within partitions gives input order across the part files (no sampling job)."""

    def partition(order: tasks.Order) -> int:
        return min(partitions - 1, order[0] * partitions // max(1, inputs))

    return partition


def _article_row(
    story: _Story, cluster: tuple[str, bool] | None, ingested_at: str, older: Any
) -> dict[str, Any]:
    if not story.latest:
        older.add(1)
    return story.row(cluster, ingested_at)


def _capture_rows(
    items: Iterable[tuple[tuple[tasks.Order, int], Any]], ingested_at: str, merged: Any
) -> Iterator[dict[str, Any]]:
    """Sorted (order, 0) -> article id and (order, 1) -> capture items as captures rows: a capture
    without an article id before it gave no article (its reason is a reject)."""
    article: tuple[tasks.Order, str] | None = None
    for (order, kind), value in items:
        if kind == 0:
            article = (order, value)
        else:
            article_id = article[1] if article is not None and article[0] == order else None
            yield _capture_row(value, article_id, ingested_at, merged)


def _capture_row(
    read: tasks.ReadCapture, article_id: str | None, ingested_at: str, merged: Any
) -> dict[str, Any]:
    meta = read.meta
    if article_id is not None and article_id != meta.own_id:
        merged.add(1)
    return {
        "sha256": meta.sha256,
        "origin": meta.origin,
        "url": meta.url,
        "fetched_at": meta.fetched_at,
        "content_type": meta.content_type,
        "format": meta.format,
        "hints": json.dumps(meta.hints, ensure_ascii=False),
        "raw": read.raw,
        "raw_size": len(read.raw),
        "ingested_at": ingested_at,
        "article_id": article_id,
        "input_number": meta.order[0],
        "record_number": meta.order[1],
    }


# -- output -------------------------------------------------------------------------------------
class _Output:
    """The output folder on any filesystem pyarrow reaches (local, HDFS with libhdfs, S3, GCS)."""

    def __init__(self, location: str, overwrite: bool) -> None:
        import pyarrow.fs as pafs

        path = tasks.local_path(location)
        if path is not None:
            self.fs: Any = pafs.LocalFileSystem()
            self.root = os.path.abspath(path)
        else:
            self.fs, self.root = pafs.FileSystem.from_uri(location)
        self.location = location
        info = self.fs.get_file_info(self.root)
        if info.type != pafs.FileType.NotFound:
            if info.type != pafs.FileType.Directory:
                raise SparkJobError(f"{location}: exists and is not a folder; choose another --output")
            if self.fs.get_file_info(pafs.FileSelector(self.root)):
                if not overwrite:
                    raise SparkJobError(
                        f"{location}: folder is not empty; choose another --output or pass --overwrite"
                    )
                self.fs.delete_dir_contents(self.root)
        self.fs.create_dir(self.root, recursive=True)

    def write(self, table: str, rows: RDD[dict[str, Any]]) -> int:
        """Write the rows as ``table/part-NNNNN.parquet`` from the executors; returns how many."""
        fs, root = self.fs, self.root
        counts = rows.mapPartitionsWithIndex(_part_writer(fs, root, table)).collect()
        total = sum(counts)
        if total == 0:  # the folder still says what its columns are
            _write_rows(fs, f"{root}/{table}/part-empty.parquet", table, [])
        return total

    def finish(self, report: JobReport, settings: Settings, enrich: bool, ingested_at: str) -> None:
        manifest = {
            "version": schema.VERSION,
            "ingested_at": ingested_at,
            "enrich": enrich,
            "settings": {k: v for k, v in asdict(settings).items() if isinstance(v, (int, float, str, bool))},
            "report": report.to_json(),
        }
        with self.fs.open_output_stream(f"{self.root}/{schema.MANIFEST}") as fh:
            fh.write(json.dumps(manifest, indent=2).encode())


def _part_writer(fs: Any, root: str, table: str) -> Callable[[int, Iterable[dict[str, Any]]], Iterable[int]]:
    def write(index: int, rows: Iterable[dict[str, Any]]) -> Iterable[int]:
        yield _write_rows(fs, f"{root}/{table}/part-{index:05d}.parquet", table, rows)

    return write


def _write_rows(fs: Any, path: str, table: str, rows: Iterable[dict[str, Any]]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table_schema = schema.table_schema(table)
    writer: Any = None
    batch: list[dict[str, Any]] = []
    n = 0

    def flush() -> None:
        nonlocal writer
        if writer is None:
            fs.create_dir(path.rsplit("/", 1)[0], recursive=True)
            writer = pq.ParquetWriter(path, table_schema, filesystem=fs, compression="zstd")
        writer.write_table(pa.Table.from_pylist(batch, schema=table_schema))

    try:
        for row in rows:
            batch.append(row)
            n += 1
            if len(batch) >= 500:
                flush()
                batch = []
        if batch or n == 0:
            flush()
    finally:
        if writer is not None:
            writer.close()
    return n


def run_local(
    inputs: list[str],
    output: str,
    *,
    master: str | None = "local[*]",
    partitions: int | None = None,
    enrich: bool = False,
    overwrite: bool = False,
    settings: Settings | None = None,
) -> JobReport:
    """Start a SparkSession on ``master``, run the job, stop the session (what ``spark-ingest`` does)."""
    _Output(output, overwrite)  # a taken --output is said before Spark takes seconds to start
    spark = local_session(master, partitions)
    try:
        return run_job(
            spark, inputs, output, settings, partitions=partitions, enrich=enrich, overwrite=overwrite
        )
    finally:
        spark.stop()


# -- spark-submit entry point -------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """``spark-submit spark_job.py INPUTS… --output DIR``: the master comes from spark-submit
    (``--master``), or local[*] when run with plain python."""
    parser = argparse.ArgumentParser(prog="spark_job.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="files, folders or Hadoop filesystem URLs")
    parser.add_argument("--output", required=True, help="folder (or URL) for the Parquet tables")
    parser.add_argument("--master", default=None, help="Spark master when not given by spark-submit")
    parser.add_argument(
        "--partitions", type=int, default=None, help="partitions (default: Spark's parallelism)"
    )
    parser.add_argument("--enrich", action="store_true", help="also find entities, quotes and events (spaCy)")
    parser.add_argument("--overwrite", action="store_true", help="replace a non-empty output folder")
    args = parser.parse_args(argv)
    try:
        report = run_local(
            args.inputs,
            args.output,
            master=args.master,
            partitions=args.partitions,
            enrich=args.enrich,
            overwrite=args.overwrite,
        )
    except NewsArchiveError as exc:
        print(f"newsarchive spark job: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(report.to_json()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
