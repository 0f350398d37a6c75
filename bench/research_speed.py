"""The researcher's bench: export throughput against a bare SQLite SELECT, and timeline latency.

Run: .venv/bin/python bench/research_speed.py [--data DIR] [--export-size 100000]
                                              [--timeline-size 1000000] [--queries 200] [--rounds 3]
                                              [--out bench/out] [--markdown]

Archives are the ones bench/search_speed.py builds (real Reuters-21578, PolNeAR and ECB+ text
recombined, 20 publishers, 1987–2017, 3% near-duplicates; cached under ``<out>/archive-<size>``
and built on first use: 100k in about 1.5 minutes, 1M in about 10).

- **Export**: every match of the empty query (every shown article: ~97% of the archive) through
  ``Archive.export_stream`` as CSV, JSONL and Parquet, the bytes consumed and thrown away; against a
  *bare SELECT of the same rows* in the same run: the article columns the export contract holds
  and their captures, selected by id in chunks of 500 on a plain ``sqlite3`` connection and fetched,
  with no conversion at all (the ids are handed to it, not timed). Also the id stream alone
  (``Index.match_ids``). Each format with the export's default worker processes (one per core,
  at most 4: ``--workers``) and in one process. Rounds alternate the variants; medians reported, with the peak RSS.
- **Timeline**: ``Archive.timelines([q], by=…)`` for a mix of queries (the search benchmark's:
  words of four frequency bands, AND, phrases, field queries, date ranges, source filters), by
  month, by day, and by month normalised (the denominator counted too); p50/p95/p99 per variant.
"""

from __future__ import annotations

import argparse
import gc
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    DEFAULT_DATA,
    ROOT,
    machine_line,
    markdown_table,
    median,
    mib,
    peak_rss_bytes,
    percentile,
    show_report,
)
from search_speed import ensure_archive, load_material, make_queries, warm_page_cache

from newsarchive import Archive
from newsarchive.archive import DB_NAME
from newsarchive.query import SearchRequest
from newsarchive.research.export import ExportCount
from newsarchive.research.parallel_export import default_workers

EXPORT_FORMATS = ("csv", "jsonl", "parquet")
_ARTICLE_COLUMNS = (
    "id, url, source, site, title, authors, published, published_from, section, language, body, captions, "
    "media_ids, word_count, body_hash, cluster_id, removed, published_time, published_raw, body_offset, "
    "representative, latest"
)


def bare_select(db_path: Path, ids: list[str]) -> tuple[int, float]:
    """The same rows and columns as the export, straight from SQLite: (rows, seconds)."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        started = time.perf_counter()
        rows = 0
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows += len(
                db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", chunk).fetchall()
            )
            db.execute(
                "SELECT article_id, sha256, origin, ingested_at, url, fetched_at FROM captures "
                f"WHERE article_id IN ({marks}) ORDER BY rowid",
                chunk,
            ).fetchall()
        return rows, time.perf_counter() - started
    finally:
        db.close()


def measure_export(path: Path, rounds: int, workers: int, console: Any) -> dict[str, Any]:
    with Archive.open(path, readonly=True) as archive:
        query = SearchRequest(query="").to_index_query()
        started = time.perf_counter()
        ids = [i for batch in archive.index.match_ids(query) for i in batch]
        id_seconds = [time.perf_counter() - started]
        total = archive.search("", per_page=1, facets=False).total
        assert len(ids) == total, (len(ids), total)
        times: dict[str, list[float]] = {
            "bare SELECT": [],
            "ids only": id_seconds,
            **{name: [] for name, _, _ in _variants(workers)},
        }
        sizes: dict[str, int] = {}
        bare_select(path / DB_NAME, ids)  # warm
        for r in range(rounds):
            rows, seconds = bare_select(path / DB_NAME, ids)
            assert rows == total
            times["bare SELECT"].append(seconds)
            if r:
                started = time.perf_counter()
                assert sum(len(b) for b in archive.index.match_ids(query)) == total
                times["ids only"].append(time.perf_counter() - started)
            for name, fmt, processes in _variants(workers):
                gc.collect()
                count = ExportCount()
                written = 0
                started = time.perf_counter()
                for piece in archive.export_stream("", fmt, count=count, workers=processes):
                    written += len(piece)
                times[name].append(time.perf_counter() - started)
                assert count.rows == total, (name, count.rows, total)
                sizes[name] = written
            console.print(
                f"  round {r + 1}: bare {total / times['bare SELECT'][-1]:,.0f} rows/s, "
                + ", ".join(f"{n} {total / times[n][-1]:,.0f}" for n, _, _ in _variants(workers))
            )
    return {"rows": total, "times": times, "bytes": sizes, "peak_rss": peak_rss_bytes()}


def _variants(workers: int) -> list[tuple[str, str, int]]:
    """(name, format, worker processes) of each export measured."""
    found = [(f"{fmt}, {workers} workers", fmt, workers) for fmt in EXPORT_FORMATS] if workers > 1 else []
    return found + [(f"{fmt}, one process", fmt, 1) for fmt in EXPORT_FORMATS]


def measure_timeline(path: Path, queries: list[Any], console: Any) -> dict[str, Any]:
    variants = {
        "by month": {"by": "month"},
        "by day": {"by": "day"},
        "by month, normalised": {"by": "month", "normalize": True},
    }
    times: dict[str, list[float]] = {v: [] for v in variants}
    checked = 0
    with Archive.open(path, readonly=True) as archive:
        for q in queries[:20]:  # warm-up
            archive.timelines([q.text], **_filters(q))
        for q in queries:
            for name, options in variants.items():
                started = time.perf_counter()
                timeline = archive.timelines([q.text], **options, **_filters(q))
                times[name].append((time.perf_counter() - started) * 1000)
            (counted,) = timeline.queries
            if sum(r.count for r in timeline.rows) + counted.undated == counted.matches:
                checked += 1
    console.print(
        "  "
        + ", ".join(f"{n} p50 {percentile(t, 50):.1f} ms" for n, t in times.items())
        + f"; sums checked {checked}"
    )
    return {"times": times, "queries": len(queries), "sums_checked": checked}


def _filters(q: Any) -> dict[str, Any]:
    return {k: v for k, v in q.filters.items() if k not in ("sort", "page")}


def render(export: dict[str, Any] | None, timeline: dict[str, Any] | None, sizes: dict[str, int]) -> str:
    lines = [f"Measured {machine_line()}.", ""]
    if export is not None:
        rows = export["rows"]
        bare = rows / median(export["times"]["bare SELECT"])
        table = []
        for name in export["times"]:
            rate = rows / median(export["times"][name])
            size = f"{mib(export['bytes'][name]):,.0f} MiB" if name in export["bytes"] else "—"
            table.append((name if name in ("bare SELECT", "ids only") else f"export {name}", f"{rate:,.0f}",
                          f"{rate / bare:.2f}×", size))  # fmt: skip
        lines += [
            f"Export of {rows:,} matches at {sizes['export']:,} articles (median of "
            f"{len(export['times']['bare SELECT'])} rounds; peak RSS {mib(export['peak_rss']):,.0f} MiB):",
            "",
            markdown_table(["what", "rows/s", "vs bare SELECT", "file"], table),
            "",
        ]
    if timeline is not None:
        table = [
            (name, f"{percentile(t, 50):.1f}", f"{percentile(t, 95):.1f}", f"{percentile(t, 99):.1f}")
            for name, t in timeline["times"].items()
        ]
        lines += [
            f"Timeline latency at {sizes['timeline']:,} articles, {timeline['queries']} queries "
            f"(counts + undated = matches checked for {timeline['sums_checked']}):",
            "",
            markdown_table(["variant", "p50 ms", "p95 ms", "p99 ms"], table),
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--export-size", type=int, default=100_000, help="0 skips the export part")
    parser.add_argument("--timeline-size", type=int, default=1_000_000, help="0 skips the timeline part")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument(
        "--workers", type=int, default=default_workers(), help="the export's worker processes"
    )
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()

    from rich.console import Console

    console = Console(stderr=True)
    args.out.mkdir(parents=True, exist_ok=True)
    cache: dict[str, Any] = {}
    export = timeline = None
    sizes = {"export": args.export_size, "timeline": args.timeline_size}
    if args.export_size:
        ensure_archive(args.out, args.export_size, args.data, False, console, cache)
        path = args.out / f"archive-{args.export_size}"
        warm_page_cache(path)
        console.print(f"export on {path} …")
        export = measure_export(path, args.rounds, args.workers, console)
    if args.timeline_size:
        ensure_archive(args.out, args.timeline_size, args.data, False, console, cache)
        path = args.out / f"archive-{args.timeline_size}"
        warm_page_cache(path)
        stories = cache.get("stories") or load_material(args.data)
        queries = make_queries(stories, args.queries)
        console.print(f"timelines of {len(queries)} queries on {path} …")
        timeline = measure_timeline(path, queries, console)
    text = render(export, timeline, sizes)
    show_report(text, args.markdown, console)


if __name__ == "__main__":
    main()
