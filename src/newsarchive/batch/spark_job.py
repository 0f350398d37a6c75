"""The Spark job: WARC/ARC/HTML/JSONL/… inputs -> the Parquet tables ``newsarchive load`` takes.

Run it with ``spark-submit …/newsarchive/batch/spark_job.py INPUTS… --output DIR`` (or
``python -m newsarchive.batch.spark_job``, or ``newsarchive spark-ingest``). Stages, each the
step of ingest it stands for (tasks.py holds the code the executors run):

1. **read + extract**, per partition of input files: local paths (and ``file:`` URLs) are opened
   by the executors with ingest's readers; other Hadoop filesystem URLs are read by Spark
   (``binaryFile``) and handed over as streams. A capture read twice (same bytes) keeps its
   first place in input order, as ingest's "already archived"; the others are found by a first
   read without extraction (0.4 s of CPU for the bench corpus) and not extracted (8.3 s of its
   31.7 s of extraction were such repeats).
2. **site chrome**: each site's block counts are summed over partitions (reduceByKey on the site
   of ``SiteChrome.add_page`` counts); what cleaning reads of them (``SiteChrome.applied``) is
   broadcast to every worker, and the pages are cleaned where they are by
   ``process.process_page``. Given texts (format "text") have their site's edge lines counted the
   same way (``SiteEdges``) and trimmed of the lines that are boilerplate. Tables over
   ``BROADCAST_KEYS`` keys are joined to the pages instead.
3. **exact duplicates**, decided on a small key per article (``_ArticleKey``: ids, hashes, URL
   key, dates, edge lines): grouped by body hash, the survivor is ``dedup.best`` (earliest
   published, then longest, then smallest id); every capture links to it. A short text on many
   unrelated pages of one site (``nonarticle.recurring_reason``) has no survivor: its captures
   are rejects.
4. **versions**: grouped by ``dedup.url_key``, the latest is the one captured last (then published
   last, then the larger id). Then the only shuffle of whole articles: each survivor meets its
   decision (captures, latest) in a sort by input place, so every later stage is narrow and the
   articles table comes out in ingest's order.
5. **boilerplate**: a site's edge lines at ≥ MIN_ARTICLES of its articles' edges (broadcast like
   the chrome); the compared text and MinHash signature of each latest version follow.
6. **copies**: candidate pairs share an LSH band (grouped by band key), pass the prefilter and are
   among an article's MAX_VERIFIED best estimates; they are verified by ``dedup.copy_match``.
   Verified pairs are few: they are collected to the driver, where ``dedup.clusters`` gives the
   clusters and representatives (articles in no pair are their own cluster).
   Up to ``DRIVER_KEYS`` captures, the keys of stages 3-5 and the signatures' bands are collected
   and decided on the driver with the same groups and rules (``_decide``, ``_candidates``; the
   candidates' texts are fetched and verified there): a local Spark stage costs 0.3-1 s whatever
   its size, and their ~20 shuffles were a third of the job's time after extraction. Bigger
   inputs take the shuffles (``_decide_distributed``, ``_pairs_distributed``).
7. **enrichment** (only with ``--enrich``; off by default, as it costs ~6× the rest): spaCy is
   loaded once per executor process.
8. **write**: one Parquet folder per table (schema.py), part files named by partition so a retried
   task overwrites its own; ``manifest.json`` last. The captures table is read again by the task
   of each input range (local inputs), so raw bytes are never shuffled.
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
from newsarchive.extract.chrome import SiteChrome
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


WORKER_MEMORY = "spark.python.worker.memory"
WORKER_MEMORY_DEFAULT = "4g"
"""PySpark spills a Python worker's groupByKey/reduceByKey data to disk once the worker's whole
RSS passes this (default 512m). A worker that has loaded the extractors already holds ~0.6 GB
(~1.2 GB with spaCy), so at the default every aggregation spilled at every batch: measured on the
bench corpus, the rejects' ``distinct`` alone took 10 s of task time, ~90% of it spilling."""


BROADCAST_KEYS = 2_000_000
"""Learned per-site keys (chrome blocks, boilerplate lines) shipped to every worker at most: a few
hundred MB of Python objects per worker; a larger crawl joins pages to their site's tables."""


DRIVER_KEYS = 200_000
"""Captures up to which the duplicate, version, boilerplate and candidate decisions are taken on
the driver, over the articles' small keys (a few hundred bytes each, and the signatures' bands),
instead of in ~20 shuffles. On local Spark each shuffle stage costs 0.3-1 s whatever its size: on
the bench corpus (708 captures) they were a third of the job's time after extraction."""


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
        .config(WORKER_MEMORY, WORKER_MEMORY_DEFAULT)
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
    broadcast_keys: int = BROADCAST_KEYS,
    driver_keys: int = DRIVER_KEYS,
) -> JobReport:
    """Run every stage over ``inputs`` and write the tables under ``output``; returns the counts.

    ``broadcast_keys``: per-site tables (learned chrome, boilerplate lines) up to this many keys in
    all are sent to every worker; bigger ones are joined to the pages instead. ``driver_keys``:
    with this many captures or fewer, the duplicate, version, boilerplate and candidate decisions
    are taken on the driver over the articles' small keys (``_decide``) instead of in shuffles."""
    from pyspark import StorageLevel

    started = time.perf_counter()
    settings = settings or Settings.load()
    sc = spark.sparkContext
    if sc.getConf().get(WORKER_MEMORY) is None:  # a session made elsewhere (spark-submit, a notebook)
        sc._conf.set(WORKER_MEMORY, WORKER_MEMORY_DEFAULT)  # read on the driver as each stage is built
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
    # captures read before (ingest skips them as already archived) are found in a first read
    # without extraction, which costs a small share of extracting them (149 of the bench's 861)
    earlier = sc.broadcast(
        set(
            _read(spark, listed, settings, n, extract=False)
            .flatMap(lambda r: [(r.meta.sha256, r.meta.order)] if isinstance(r, tasks.ReadCapture) else [])
            .groupByKey(n)
            .flatMap(lambda kv: [(kv[0], order) for order in tasks.first_seen(kv[1])])
            .collect()
        )
    )
    records: RDD[Any] = _read(spark, listed, settings, n, extract=True, repeats=earlier)
    records = records.persist(StorageLevel.MEMORY_AND_DISK)
    captures_all: RDD[Any] = records.filter(lambda r: isinstance(r, tasks.ReadCapture))
    # one pass over the reads: which captures were read before, and what the kept reads reject
    seen = (
        records.map(_read_summary)
        .groupByKey(n)
        .map(lambda kv: _first_read(kv[0], list(kv[1])))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )  # (repeated (sha256, place) of one key, its rejects, 1 for a capture)
    repeated: set[tuple[str, tasks.Order]] = set()
    unique_count = 0
    for part_repeats, part_captures in seen.mapPartitions(_seen_totals).collect():
        repeated.update(part_repeats)
        unique_count += part_captures
    report.captures_seen = len(repeated)
    skip = sc.broadcast(repeated)
    on_driver = unique_count <= driver_keys
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
    given: RDD[Any] = extracted.filter(lambda mp: trims_given(mp[0].format))
    given_edges = (
        given.map(lambda mp: (mp[1].site, mp[1].body))
        .mapPartitions(tasks.given_edge_partials)
        .reduceByKey(tasks.merge_given_edges, n)
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    tables = _site_tables(chromes, given_edges, settings, broadcast_keys)
    if tables is not None:  # each worker holds every site's learned chrome: no shuffle of pages
        site_tables = sc.broadcast(tables)
        cleaned_pages = pages.map(
            lambda mp: (mp[0], tasks.clean(mp[0], mp[1], site_tables.value[0].get(mp[1].site), settings))
        )
        cleaned_given = given.map(
            lambda mp: (
                mp[0],
                tasks.clean_given(mp[0], mp[1], site_tables.value[1].get(mp[1].site), settings),
            )
        )
    else:  # too much to ship to every worker: pages meet their site's chrome in a join
        cleaned_pages = (
            pages.map(lambda mp: (mp[1].site, mp))
            .leftOuterJoin(chromes, n)
            .map(lambda kv: (kv[1][0][0], tasks.clean(kv[1][0][0], kv[1][0][1], kv[1][1], settings)))
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
    in_order = _input_order(len(listed), n)
    exact_rejects: RDD[Any] | None = None
    driver_rejects: list[tuple[str, str]] = []
    held: list[RDD[Any]] = []  # persisted by the distributed stages
    if on_driver:  # stages 3-5 over the keys collected: no shuffle but the articles' one
        smalls = processed.map(
            lambda mp: (mp[0].origin, mp[1]) if isinstance(mp[1], str) else _ArticleKey.of(mp[0], mp[1])
        ).collect()
        decision = _decide([k for k in smalls if isinstance(k, _ArticleKey)])
        driver_rejects = [k for k in smalls if not isinstance(k, _ArticleKey)] + decision.rejects
        decided_list = decision.decided
        placed = sc.broadcast({key.order: (captures, latest) for key, captures, latest in decided_list})
        stories: RDD[Any] = (
            articles.filter(lambda mp: mp[0].order in placed.value)
            .map(lambda mp: (mp[0].order, _Story(mp[1], *placed.value[mp[0].order])))
            .repartitionAndSortWithinPartitions(n, in_order)
            .values()
            .persist(StorageLevel.MEMORY_AND_DISK)
        )  # _Story of each surviving article; partition p holds inputs before those of p + 1
        article_of: RDD[Any] = sc.parallelize(
            [(key.order, decision.survivor_of[key.own_id]) for key in decision.linked], n
        )
        site_lines = decision.boilerplate if _table_size(decision.boilerplate) <= broadcast_keys else None
        boilerplate: RDD[Any] = sc.parallelize(list(decision.boilerplate.items()), n)
    else:
        stories, article_of, exact_rejects, boilerplate, decided, held = _decide_distributed(
            articles, n, in_order, StorageLevel.MEMORY_AND_DISK
        )
        site_lines = _small_table(boilerplate, broadcast_keys)

    # 5. compared texts and signatures of latest versions, with their site's boilerplate
    latest = stories.filter(lambda story: story.latest)
    if site_lines is not None:
        lines = sc.broadcast(site_lines)
        compared: RDD[Any] = latest.map(
            lambda story: (
                story.article.id,
                process.copy_inputs(story.article.body, lines.value.get(story.article.site, ())),
            )
        )
    else:
        compared = (
            latest.map(lambda story: (story.article.site, (story.article.id, story.article.body)))
            .leftOuterJoin(boilerplate, n)
            .map(lambda kv: (kv[1][0][0], process.copy_inputs(kv[1][0][1], kv[1][1] or ())))
        )
    compared = compared.persist(StorageLevel.MEMORY_AND_DISK)  # (id, CopyInputs)

    # 6. candidates by LSH band, verified pairs, clusters
    signed: RDD[Any] = compared.filter(lambda kv: kv[1].signature is not None)
    pairs: list[CopyPair]
    if on_driver:
        candidates = _candidates(
            signed.map(
                lambda kv: (
                    kv[0],
                    kv[1].signature.hashvalues,
                    kv[1].signature.shingles,
                    kv[1].signature.bands,
                )
            ).collect()
        )
        wanted = sc.broadcast({i for pair in candidates for i in pair})
        texts = dict(
            compared.filter(lambda kv: kv[0] in wanted.value)
            .map(lambda kv: (kv[0], kv[1].compared_text))
            .collect()
        )
        verifier = tasks.Verifier()
        pairs = [
            pair
            for a, b in sorted(candidates)
            if (pair := verifier.pair(a, texts[a], b, texts[b])) is not None
        ]
        paired_ids = {i for p in pairs for i in (p.a, p.b)}
        members = [key.member for key, _, _ in decided_list if key.own_id in paired_ids]
    else:
        pairs = _pairs_distributed(signed, compared, n)
        paired = sc.broadcast({i for p in pairs for i in (p.a, p.b)})
        members = decided.filter(lambda d: d[0].own_id in paired.value).map(lambda d: d[0].member).collect()
    pairs.sort(key=lambda p: (p.a, p.b))
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
    report.tables["articles"] = out.write(
        "articles",  # in the order ingest stores them (its own capture's place): stories are
        stories.map(lambda story: _article_row(story, assignment.value, ingested_at, older_count)),
    )
    report.articles = report.tables["articles"]
    report.tables["captures"] = out.write(
        "captures",  # in input order: load adds them in that order, as ingest did
        _capture_rows_in_order(spark, listed, settings, n, article_of, skip, ingested_at, merged_count),
    )
    report.captures = report.tables["captures"]
    report.versions = older_count.value
    report.duplicates = merged_count.value
    read_rejects = seen.flatMap(lambda first: first[1])
    if on_driver:  # few: deduplicated and written here, without a stage
        found_rejects = set(read_rejects.collect()) | set(driver_rejects)
        report.tables["rejects"] = report.rejects = out.write_here(
            "rejects", [{"origin": origin, "reason": reason} for origin, reason in sorted(found_rejects)]
        )
    else:
        rejects = (
            read_rejects.union(
                processed.filter(lambda mp: isinstance(mp[1], str)).map(lambda mp: (mp[0].origin, mp[1]))
            )
            .union(exact_rejects or sc.emptyRDD())
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
    report.tables["pairs"] = out.write_here("pairs", [asdict(p) for p in pairs])
    if enrich:
        sc.setJobGroup("newsarchive", "enrich")
        found_enrichment: RDD[Any] = (
            stories.map(
                lambda story: (
                    story.article.id,
                    story.article.body,
                    story.article.published,
                    story.article.body_hash,
                    story.article.language,
                )
            )
            .mapPartitions(lambda items: tasks.enrich(items, settings))
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        hashes = stories.map(lambda story: (story.article.id, story.article.body_hash))
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
    for rdd in (records, seen, chromes, given_edges, processed, stories, compared, *held):
        rdd.unpersist()
    return report


def _read(
    spark: SparkSession, listed: _Inputs, settings: Settings, n: int, extract: bool, repeats: Any = None
) -> RDD[Any]:
    """Every input read on the executors: local files opened there, others read by Spark;
    ``repeats``: a broadcast set of (sha256, place) not to extract (``tasks.read_local``)."""
    sc = spark.sparkContext
    parts: list[RDD[Any]] = []
    if listed.local:
        groups = _balanced(listed.local, n)
        parts.append(
            sc.parallelize(groups, len(groups)).mapPartitions(
                lambda it: tasks.read_local(
                    (f for group in it for f in group), settings, extract, repeats.value if repeats else ()
                )
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
                    repeats.value if repeats else (),
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


@dataclass(slots=True, frozen=True)
class _ArticleKey:
    """What stages 3-5 decide an article's fate on, without its text (a few hundred bytes)."""

    own_id: str
    order: tasks.Order
    capture: tuple[tasks.Order, str, str, str | None]
    """(place, sha256, origin, fetch time) of the capture that made it."""
    body_hash: str
    url_key: str | None
    site: str
    published_at: str | None
    member: dedup.Member
    exact_entry: _ExactEntry
    edge_keys: frozenset[int]

    @classmethod
    def of(cls, meta: tasks.CaptureMeta, p: process.Processed) -> _ArticleKey:
        member = _member(p)
        page = PageKey(p.article.site, p.url_key, p.article.title)
        return cls(
            meta.own_id,
            meta.order,
            (meta.order, meta.sha256, meta.origin, meta.fetched_at),
            p.article.body_hash,
            p.url_key,
            p.article.site,
            p.article.published_at,
            member,
            (member, meta.origin, page, word_size(p.article.body)),
            frozenset(p.edge_keys),
        )


def _seen_at(captures: list[tuple[tasks.Order, str, str, str | None]]) -> str | None:
    """When an article's text was last captured (the latest of its captures' fetch times)."""
    times = [c[3] for c in captures if c[3]]
    return max(times) if times else None


def _stories(items: Iterable[tuple[tuple[tasks.Order, int], Any]]) -> Iterator[_Story]:
    """Sorted (place, 0) -> (captures, latest) and (place, 1) -> processed items as stories: an
    article with no decision before it is not a survivor (an exact duplicate merged into another)."""
    decision: tuple[tasks.Order, Any] | None = None
    for (order, kind), value in items:
        if kind == 0:
            decision = (order, value)
        elif decision is not None and decision[0] == order:
            captures, latest = decision[1]
            yield _Story(value, captures, latest)


def _read_summary(read: tasks.Read) -> tuple[Any, tuple[tasks.Order, list[tuple[str, str]]]]:
    """A read as (key, (place, the rejects it makes)): a capture keyed by its bytes' hash (so its
    repeats meet), a reader's reject by its place; the rejects are (origin, reason)."""
    if isinstance(read, tasks.ReadReject):
        return read.order, (read.order, [(read.reject.origin, read.reject.reason)])
    meta = read.meta
    if isinstance(read.page, str):
        return meta.sha256, (meta.order, [(meta.origin, read.page)])
    return meta.sha256, (meta.order, [(meta.origin, notice) for notice in read.page.notices])


def _first_read(
    key: Any, reads: list[tuple[tasks.Order, list[tuple[str, str]]]]
) -> tuple[list[tuple[str, tasks.Order]], list[tuple[str, str]], int]:
    """The reads of one key: the places read again (ingest skips them), the first read's rejects,
    and 1 when the key is a capture's."""
    reads.sort(key=lambda read: read[0])
    if not isinstance(key, str):  # a reader's reject
        return [], reads[0][1], 0
    return [(key, order) for order in tasks.first_seen(o for o, _ in reads)], reads[0][1], 1


def _seen_totals(
    firsts: Iterable[tuple[list[tuple[str, tasks.Order]], list[tuple[str, str]], int]],
) -> Iterator[tuple[list[tuple[str, tasks.Order]], int]]:
    """A partition's repeated places and how many distinct captures it holds."""
    repeats: list[tuple[str, tasks.Order]] = []
    captures = 0
    for repeated, _, capture in firsts:
        repeats.extend(repeated)
        captures += capture
    yield repeats, captures


@dataclass(slots=True)
class _Decision:
    """What stages 3-5 decide of every article, taken on the driver (``_decide``)."""

    survivor_of: dict[str, str]
    """Each article's survivor (itself, or the one its exact duplicate merged into)."""
    linked: list[_ArticleKey]
    """The articles that have a survivor (not rejected as recurring text)."""
    decided: list[tuple[_ArticleKey, list[tuple[tasks.Order, str, str, str | None]], bool]]
    """(key, captures in input order, latest) of each surviving article."""
    rejects: list[tuple[str, str]]
    boilerplate: dict[str, frozenset[int]]


def _decide(keys: list[_ArticleKey]) -> _Decision:
    """Exact duplicates, versions and site boilerplate from every article's key: the groups and
    rules of the distributed stages (``_decide_distributed``), over dicts."""
    bodies: dict[str, list[_ArticleKey]] = {}
    for key in keys:
        bodies.setdefault(key.body_hash, []).append(key)
    survivor_of: dict[str, str] = {}
    rejects: list[tuple[str, str]] = []
    for group in bodies.values():
        links, rejected = _exact_group([key.exact_entry for key in group])
        survivor_of.update(links)
        rejects.extend(rejected)
    linked = [key for key in keys if key.own_id in survivor_of]
    captures_of: dict[str, list[tuple[tasks.Order, str, str, str | None]]] = {}
    for key in linked:
        captures_of.setdefault(survivor_of[key.own_id], []).append(key.capture)
    surviving = [
        (key, sorted(captures_of[key.own_id])) for key in linked if survivor_of[key.own_id] == key.own_id
    ]
    urls: dict[str, list[tuple[str, str | None, str | None]]] = {}
    for key, captures in surviving:
        if key.url_key is not None:
            urls.setdefault(key.url_key, []).append((key.own_id, _seen_at(captures), key.published_at))
    older = {article_id for versions in urls.values() for article_id, _ in _older_versions(versions)}
    decided = [(key, captures, key.own_id not in older) for key, captures in surviving]
    edges: dict[str, dict[int, int]] = {}
    for key, _, _ in decided:
        counts = edges.setdefault(key.site, {})
        for line in key.edge_keys:
            counts[line] = counts.get(line, 0) + 1
    boilerplate = {site: tasks.site_boilerplate(counts.items()) for site, counts in edges.items()}
    return _Decision(
        survivor_of, linked, decided, rejects, {site: lines for site, lines in boilerplate.items() if lines}
    )


def _candidates(signatures: list[tuple[str, Any, int, list[Any]]]) -> set[tuple[str, str]]:
    """The pairs worth verifying, from (id, hash values, shingles, bands) of every signed article:
    band mates that pass the prefilter, each article's MAX_VERIFIED best (as ``_pairs_distributed``)."""
    buckets: dict[Any, list[str]] = {}
    for article_id, _, _, bands in signatures:
        for band in bands:
            buckets.setdefault(band, []).append(article_id)
    mates = {pair for members in buckets.values() if len(members) > 1 for pair in tasks.bucket_pairs(members)}
    signature_of = {article_id: (values, shingles) for article_id, values, shingles, _ in signatures}
    scored: dict[str, list[tuple[float, str]]] = {}
    for a, b in mates:
        for (x, y), estimate in tasks.estimated(a, signature_of[a], b, signature_of[b]):
            scored.setdefault(x, []).append((estimate, y))
            scored.setdefault(y, []).append((estimate, x))
    return {pair for article_id, found in scored.items() for pair in tasks.best_candidates(article_id, found)}


def _table_size(table: dict[str, frozenset[int]]) -> int:
    return sum(len(keys) for keys in table.values())


def _decide_distributed(
    articles: RDD[Any], n: int, in_order: Callable[[tasks.Order], int], level: Any
) -> tuple[RDD[Any], RDD[Any], RDD[Any], RDD[Any], RDD[Any], list[RDD[Any]]]:
    """Stages 3-5 in shuffles, for inputs too many to decide on the driver: (stories, (capture's
    place, its article), exact-duplicate rejects, (site, boilerplate lines), decided, the RDDs
    it persisted)."""
    keys: RDD[Any] = articles.map(lambda mp: _ArticleKey.of(mp[0], mp[1])).persist(level)

    # 3. exact duplicates: every article's survivor, unless its text is no article (the recurrence rule)
    exact = (
        keys.map(lambda k: (k.body_hash, k.exact_entry))
        .groupByKey(n)
        .map(lambda kv: _exact_group(list(kv[1])))
        .persist(level)
    )  # ([(own id, survivor id)], [(origin, reject reason)]) of each body
    survivor_of = exact.flatMap(lambda group: group[0])
    linked = keys.map(lambda k: (k.own_id, k)).join(survivor_of, n).persist(level)  # (own, (key, survivor))
    captures_of = linked.map(lambda kv: (kv[1][1], kv[1][0].capture)).groupByKey(n)
    surviving = (
        linked.filter(lambda kv: kv[0] == kv[1][1])
        .map(lambda kv: (kv[0], kv[1][0]))
        .join(captures_of, n)
        .mapValues(lambda kc: (kc[0], sorted(kc[1])))
    )  # (id, (key, its captures in input order))

    # 4. versions: which articles are not the latest of their URL
    older = (
        surviving.filter(lambda kv: kv[1][0].url_key is not None)
        .map(lambda kv: (kv[1][0].url_key, (kv[0], _seen_at(kv[1][1]), kv[1][0].published_at)))
        .groupByKey(n)
        .flatMap(lambda kv: _older_versions(list(kv[1])))
    )  # (id, False)
    decided = (
        surviving.leftOuterJoin(older, n)
        .map(lambda kv: (kv[1][0][0], kv[1][0][1], kv[1][1] is None))
        .persist(level)
    )  # (key, captures, latest) of each surviving article

    # the one shuffle of article records: each survivor's meets its decision, in input order
    stories: RDD[Any] = (
        decided.map(lambda d: ((d[0].order, 0), (d[1], d[2])))
        .union(articles.map(lambda mp: ((mp[0].order, 1), mp[1])))
        .repartitionAndSortWithinPartitions(n, lambda key: in_order(key[0]))
        .mapPartitions(_stories)
        .persist(level)
    )  # _Story of each surviving article; partition p holds inputs before those of p + 1

    # 5. site boilerplate
    boilerplate = (
        decided.flatMap(lambda d: [((d[0].site, k), 1) for k in d[0].edge_keys])
        .reduceByKey(lambda a, b: a + b, n)
        .map(lambda kv: (kv[0][0], (kv[0][1], kv[1])))
        .groupByKey(n)
        .map(lambda kv: (kv[0], tasks.site_boilerplate(kv[1])))
        .filter(lambda kv: bool(kv[1]))
    )
    article_of = linked.map(lambda kv: (kv[1][0].order, kv[1][1]))  # (capture's place, its article)
    held = [keys, exact, linked, decided]
    return stories, article_of, exact.flatMap(lambda group: group[1]), boilerplate, decided, held


def _pairs_distributed(signed: RDD[Any], compared: RDD[Any], n: int) -> list[CopyPair]:
    """Stage 6 in shuffles: candidate pairs by LSH band, prefiltered, verified where their texts meet."""
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
    return pairs


def _site_tables(
    chromes: RDD[Any], given_edges: RDD[Any], settings: Settings, limit: int
) -> tuple[dict[str, SiteChrome], dict[str, frozenset[int]]] | None:
    """Every site's learned chrome and given-text boilerplate, when they hold ``limit`` keys or
    fewer together (small enough to broadcast); None when they must be joined instead."""
    from pyspark import StorageLevel

    applied = (
        chromes.mapValues(lambda chrome: chrome.applied(settings))
        .filter(lambda kv: kv[1] is not None)
        .persist(StorageLevel.MEMORY_AND_DISK)
    )  # computed once for the size and the collect
    lines = given_edges.mapValues(lambda edges: edges.boilerplate()).filter(lambda kv: bool(kv[1]))
    try:
        size = (
            applied.map(lambda kv: len(kv[1].key_pages) + len(kv[1].river_pages))
            .union(lines.map(lambda kv: len(kv[1])))
            .sum()
        )
        if size > limit:
            return None
        return dict(applied.collect()), dict(lines.collect())
    finally:
        applied.unpersist()


def _small_table(table: RDD[Any], limit: int) -> dict[str, frozenset[int]] | None:
    """A (site, key set) table as a dict when it holds ``limit`` keys or fewer, else None."""
    if table.map(lambda kv: len(kv[1])).sum() > limit:
        return None
    return dict(table.collect())


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
    story: _Story, clusters: dict[str, tuple[str, bool]], ingested_at: str, older: Any
) -> dict[str, Any]:
    if not story.latest:
        older.add(1)
    return story.row(clusters.get(story.article.id), ingested_at)


def _capture_rows_in_order(
    spark: SparkSession,
    listed: _Inputs,
    settings: Settings,
    n: int,
    article_of: RDD[Any],
    skip: Any,
    ingested_at: str,
    merged: Any,
) -> RDD[dict[str, Any]]:
    """The captures table in input order, each row with the article its capture feeds.

    Local inputs: the (place, article id) pairs go to the partition of their input's range and
    that task reads its own range of inputs again, so the bytes never go through a shuffle.
    Inputs on another filesystem are read by Spark, and their bytes sorted in with the ids.
    """
    in_order = _input_order(len(listed), n)
    if not listed.remote:
        local = listed.local

        def rows(index: int, ids: Iterable[tuple[tasks.Order, str]]) -> Iterator[dict[str, Any]]:
            found = dict(ids)
            files = [
                (number, path, origin) for number, path, origin, _ in local if in_order((number, 0)) == index
            ]
            for read in tasks.read_local(files, settings, extract=False):
                if (
                    isinstance(read, tasks.ReadCapture)
                    and (read.meta.sha256, read.meta.order) not in skip.value
                ):
                    yield _capture_row(read, found.get(read.meta.order), ingested_at, merged)

        return article_of.partitionBy(n, lambda order: in_order(order)).mapPartitionsWithIndex(rows)
    raw = _read(spark, listed, settings, n, extract=False).filter(
        lambda r: isinstance(r, tasks.ReadCapture) and (r.meta.sha256, r.meta.order) not in skip.value
    )
    by_order = raw.map(lambda r: ((r.meta.order, 1), r)).union(article_of.map(lambda kv: ((kv[0], 0), kv[1])))
    return by_order.repartitionAndSortWithinPartitions(n, lambda key: in_order(key[0])).mapPartitions(
        lambda items: _capture_rows(items, ingested_at, merged)
    )


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

    def write_here(self, table: str, rows: list[dict[str, Any]]) -> int:
        """Write rows the driver holds (a few) as ``table/part-00000.parquet``, without a stage."""
        return _write_rows(self.fs, f"{self.root}/{table}/part-00000.parquet", table, rows)

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
