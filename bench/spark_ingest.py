"""Spark batch throughput: `spark-ingest` on 2 local cores against sequential `ingest`, same run.

Run: .venv/bin/python bench/spark_ingest.py [--data DIR] [--copies 4] [--repeat 3] [--markdown]

Inputs (shared/data): the ~390 HTML pages of the extraction sets (as bench/ingest_speed.py), the
WARC/ARC files of warc/ and the 180 text dumps of extraction/textdumps. With ``--copies K`` each
HTML page is written K times as a distinct capture (a trailing HTML comment differs), so there is
K times the extraction work and K-1 exact duplicates per page: the job's fixed cost (tens of
stages, each a few hundred ms on local Spark) is then a fair share of a run, as on a real crawl.

Every measured run is a fresh interpreter; within a repeat the systems run in a shuffled order.
- ingest: ``Archive.ingest(inputs)`` with enrich=False (read, extract, chrome, dedup, SQLite, index).
- spark pN: a ``local[2]`` SparkSession (its start timed apart), ``run_job(partitions=N)`` to
  Parquet, then ``load`` into a new archive (SQLite + index), for N in ``--partitions`` (1,2,4).
- base pN (``--baseline FILE``): the same with ``run_job`` of another spark_job.py (e.g.
  ``git show HEAD:src/newsarchive/batch/spark_job.py > /tmp/old_job.py``), for before/after in one run.
- extract xK: read + extract alone (``tasks.read_local``, no Spark) in K forked processes over
  the job's own split of the inputs, K = 1, 2: what two cores give this work on this machine
  (x1 / x2), the ceiling of any job that runs extraction on them, whatever the framework.
Figures are medians over repeats; ratios are ingest seconds over spark seconds.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_DATA, Stopwatch, emit, machine_line, markdown_table, median, run_child
from ingest_speed import html_pages

HERE = Path(__file__).resolve()


def build_inputs(data: Path, copies: int, into: Path) -> list[Path]:
    """The bench's input folders under ``into``: HTML pages (``copies`` times each), WARCs, dumps."""
    html = into / "html"
    html.mkdir(parents=True)
    for i, page in enumerate(html_pages(data)):
        raw = gzip.decompress(page.read_bytes()) if page.name.endswith(".gz") else page.read_bytes()
        label = "-".join(page.parts[-3:]).replace("/", "-").removesuffix(".gz")
        for k in range(copies):
            name = f"{i:04d}-{k}-{label}" + ("" if label.endswith((".html", ".htm")) else ".html")
            (html / name).write_bytes(raw if k == 0 else raw + f"\n<!-- copy {k} -->\n".encode())
    return [html, data / "warc", data / "extraction" / "textdumps" / "pages"]


def child_ingest(inputs: list[Path]) -> dict[str, Any]:
    from newsarchive import Archive, Settings

    workdir = Path(tempfile.mkdtemp(prefix="nsa-bench-ingest-"))
    try:
        with Archive.open(workdir / "arch", Settings.load(progress=False, enrich=False)) as archive:
            with Stopwatch() as sw:
                report = archive.ingest(inputs)
            stats = archive.stats()
        return {"seconds": sw.seconds, "articles": stats["articles"], "captures": stats["captures"],
                "rejects": len(report.rejects), "clusters": stats["clusters"]}  # fmt: skip
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def child_spark(inputs: list[Path], partitions: int, job_file: str | None = None) -> dict[str, Any]:
    from newsarchive import Archive, Settings
    from newsarchive.batch.load import load
    from newsarchive.batch.spark_job import local_session, run_job

    if job_file:  # another version of the job, for before/after in one run
        import importlib
        import os

        folder = str(Path(job_file).resolve().parent)  # importable by the Python workers too
        sys.path.insert(0, folder)
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [folder, os.environ.get("PYTHONPATH")]))
        run_job = importlib.import_module(Path(job_file).stem).run_job

    workdir = Path(tempfile.mkdtemp(prefix="nsa-bench-spark-"))
    settings = Settings.load(progress=False, enrich=False)
    try:
        with Stopwatch() as start:
            spark = local_session("local[2]", partitions)
            spark.sparkContext.parallelize(range(2), 2).count()  # the JVM and two Python workers are up
        with Stopwatch() as job:
            report = run_job(
                spark, [str(p) for p in inputs], str(workdir / "out"), settings, partitions=partitions
            )
        spark.stop()
        with Archive.open(workdir / "arch", settings) as archive, Stopwatch() as loading:
            load(archive, workdir / "out")
        with Archive.open(workdir / "arch", settings, readonly=True) as archive:
            stats = archive.stats()
        return {"start": start.seconds, "job": job.seconds, "load": loading.seconds, "articles": stats["articles"],
                "captures": stats["captures"], "clusters": stats["clusters"], "report": report.to_json()}  # fmt: skip
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _extract_group(group: list[tuple[int, str, str]]) -> int:
    from newsarchive import Settings
    from newsarchive.batch import tasks

    return sum(1 for _ in tasks.read_local(group, Settings.load(progress=False, enrich=False), True))


def child_extract(inputs: list[Path], processes: int) -> dict[str, Any]:
    import multiprocessing
    import os

    from newsarchive.batch.spark_job import _balanced
    from newsarchive.sources.detect import iter_input_files
    from newsarchive.sources.files import display_origin

    files = [(i, os.path.abspath(f), display_origin(f), f.stat().st_size)
             for i, f in enumerate(f for p in inputs for f in iter_input_files([p]))]  # fmt: skip
    groups = _balanced(files, processes)
    with Stopwatch() as sw, multiprocessing.get_context("fork").Pool(processes) as pool:
        records = sum(pool.map(_extract_group, groups))
    return {"seconds": sw.seconds, "records": records}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--partitions-list", default="1,2,4", help="spark partition counts to run")
    parser.add_argument("--baseline", help="another spark_job.py to run beside (systems 'base pN')")
    parser.add_argument("--no-extract", action="store_true", help="skip the read + extract ceiling (x1, x2)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--inputs", help=argparse.SUPPRESS)
    parser.add_argument("--partitions", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--job-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        inputs = [Path(p) for p in json.loads(args.inputs)]
        if args.child == "ingest":
            emit(child_ingest(inputs))
        elif args.child == "extract":
            emit(child_extract(inputs, args.partitions))
        else:
            emit(child_spark(inputs, args.partitions, args.job_file))
        return
    if not (args.data / "extraction").is_dir():
        sys.exit(f"no data at {args.data}; pass --data (../shared/data)")
    root = Path(tempfile.mkdtemp(prefix="nsa-bench-spark-inputs-"))
    try:
        inputs = build_inputs(args.data, args.copies, root)
        pages = sum(1 for _ in (root / "html").iterdir())
        partitions = [int(n) for n in args.partitions_list.split(",")]
        systems = ["ingest", *([] if args.no_extract else ["x1", "x2"]), *(f"p{n}" for n in partitions)]
        if args.baseline:
            systems += [f"b{n}" for n in partitions]
        runs: dict[str, list[dict[str, Any]]] = {s: [] for s in systems}
        for repeat in range(args.repeat):
            order = systems[:]
            random.Random(repeat).shuffle(order)
            for system in order:
                kind = {"i": "ingest", "x": "extract", "p": "spark", "b": "spark"}[system[0]]
                child = ["--child", kind, "--inputs", json.dumps([str(p) for p in inputs])]
                if system != "ingest":
                    child += ["--partitions", system[1:]]
                if system[0] == "b":
                    child += ["--job-file", str(Path(args.baseline).resolve())]
                result = run_child(HERE, child, timeout=3600)
                runs[system].append(result)
                print(f"repeat {repeat + 1} {system}: {json.dumps({k: v for k, v in result.items() if k != 'report'})}",
                      file=sys.stderr)  # fmt: skip
        report(runs, pages, partitions, args)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def report(
    runs: dict[str, list[dict[str, Any]]], pages: int, partitions: list[int], args: argparse.Namespace
) -> None:
    ingest = median(r["seconds"] for r in runs["ingest"])
    articles = runs["ingest"][0]["articles"]
    rows = [["ingest (sequential, 1 process)", "—", ingest, ingest, "—", ingest, 1.0, 1.0,
             runs["ingest"][0]["articles"], runs["ingest"][0]["clusters"]]]  # fmt: skip
    x1, x2 = (median(r["seconds"] for r in runs[x]) if runs.get(x) else float("nan") for x in ("x1", "x2"))
    summary: dict[str, Any] = {"ingest_seconds": ingest, "articles": articles, "pages": pages,
                               "extract_1": x1, "extract_2": x2, "two_core_ceiling": x1 / x2}  # fmt: skip
    spark_systems = [(f"p{n}", n, "") for n in partitions]
    if args.baseline:
        spark_systems += [(f"b{n}", n, " (baseline)") for n in partitions]
    for key, n, label in spark_systems:
        rs = runs[key]
        start, job, load = (median(r[k] for r in rs) for k in ("start", "job", "load"))
        rows.append([f"spark-ingest local[2], {n} partitions{label}", start, job, job + load, load, start + job + load,
                     ingest / job, ingest / (job + load), rs[0]["articles"], rs[0]["clusters"]])  # fmt: skip
        summary[key] = {"start": start, "job": job, "load": load, "ratio_job": ingest / job,
                            "ratio_job_load": ingest / (job + load)}  # fmt: skip
    if args.markdown:
        print(f"\n{machine_line()}\n")
        if runs.get("x1"):
            print(f"Read + extract alone: {x1:.2f} s in 1 process, {x2:.2f} s in 2 ({x1 / x2:.2f}x: what two cores "
                  "give this work on this machine).\n")  # fmt: skip
        print(f"Inputs: {pages} HTML files ({args.copies} copies of each page), shared/data/warc, "
              f"180 text dumps; {articles} articles. Median of {args.repeat} runs.\n")  # fmt: skip
        print(markdown_table(
            ["system", "session start s", "job s", "job + load s", "load s", "all s", "ingest / job",
             "ingest / (job + load)", "articles", "clusters"], rows))  # fmt: skip
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
