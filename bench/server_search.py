"""Server-mode search: PostgreSQL full-text search against the tantivy index derived from the store.

Run: .venv/bin/python bench/server_search.py [--sizes 100000,1000000] [--queries 400] [--markdown]
                                             [--json bench/out/server_search.json] [--no-rum] [--no-pg-fts]

Issue 11 asks for two designs of search in server mode, measured in one run on the same
articles, against the target p50 ≤ 2× the embedded default and p99 ≤ 50 ms, facets and
snippets included:
- (a) PostgreSQL full-text search (bench/pg_fts.py): a table of the bench's own with a generated
  ``tsvector`` (title weighted above body, ``english`` configuration), a GIN index, ranking by
  ``ts_rank`` — and, when Debian's ``postgresql-15-rum`` is installed, a second variant ranked
  by the RUM index's ``<=>`` order — facets by ``GROUP BY`` over the matching set, snippets by
  ``ts_headline``, loaded with COPY;
- (b) what server mode ships: the tantivy index derived from the store, searched by
  ``Archive.search`` of an archive opened as ``postgresql://…?index=DIR`` (a PostgreSQL store
  with the store's own schema; the search path reads only the index, so its store holds no
  articles here) over the index bench/search_speed.py builds;
- the embedded default: ``Archive.search`` of the directory archive (bench/search_speed.py's
  "ours"), the figure the target is relative to;
- raw tantivy (search_speed's ``RawTantivy``: 10 addresses and a count) as the floor.

Articles and queries are bench/search_speed.py's (its ``ArticleMaker`` and ``make_queries``,
imported): the directory archive is built (or reused) by its ``ensure_archive``; PostgreSQL
gets the same generator's stream (deterministic per size) by COPY. The PostgreSQL cluster is
tests/postgres_server.py's throwaway one (run as the ``postgres`` user when root; fsync off),
tuned for a serving machine after start (shared_buffers 4GB, work_mem 64MB, jit off,
random_page_cost 1.1), started at the beginning and stopped at the end. Before measuring, the
tantivy index is read once (warm page cache) and every relation of the table is loaded with
``pg_prewarm``. Each query then runs once per system, in random order per query, after
warm-up; reported are p50/p95/p99 per system and size and the ratios to the embedded default.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import pg_fts
import psycopg
from _common import DEFAULT_DATA, ROOT, machine_line, markdown_table, mib, percentile, show_report
from postgres_server import PostgresServer, find_bin_dir
from search_speed import (
    ArticleMaker,
    BenchQuery,
    RawTantivy,
    _request,
    ensure_archive,
    load_material,
    make_queries,
    warm_page_cache,
)

from newsarchive import Archive
from newsarchive.archive import INDEX_DIR
from newsarchive.store.postgres import PostgresStore

TARGET_P50_RATIO = 2.0
TARGET_P99_MS = 50.0
SERVER_SETTINGS = {
    "shared_buffers": "4GB",
    "work_mem": "64MB",
    "maintenance_work_mem": "2GB",
    "effective_cache_size": "16GB",
    "random_page_cost": "1.1",
    "jit": "off",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
}
LABELS = {
    "ours": "embedded default (directory: SQLite + tantivy)",
    "server": "(b) server mode: tantivy derived from the store",
    "pg_gin": "(a) PostgreSQL FTS: GIN, ts_rank",
    "pg_rum": "(a) PostgreSQL FTS: RUM order (GIN facets)",
    "raw": "raw tantivy (floor)",
}


# -- the server ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Cluster:
    server: PostgresServer
    version: str
    rum: str | None
    """The rum extension's version when installed (Debian's postgresql-15-rum)."""


def start_postgres(console: Any) -> Cluster:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise SystemExit("PostgreSQL server binaries not found (apt-get install postgresql-15)")
    server = PostgresServer(bin_dir)
    try:
        server.start()
        with psycopg.connect(server.dsn("postgres"), autocommit=True) as conn:
            for name, value in SERVER_SETTINGS.items():
                conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        done = server._run("pg_ctl", "-D", str(server.data), "-l", str(server.log), "-w", "restart")
        if done.returncode != 0:
            raise RuntimeError(f"pg_ctl restart failed: {done.stderr or done.stdout}")
        with psycopg.connect(server.dsn("postgres"), autocommit=True) as conn:
            version = str(_one(conn, "SHOW server_version"))
            shared = str(_one(conn, "SHOW shared_buffers"))
            rum = _one(conn, "SELECT default_version FROM pg_available_extensions WHERE name = 'rum'")
    except BaseException:
        server.stop()
        raise
    console.print(f"PostgreSQL {version} on port {server.port} ({server.root}), shared_buffers {shared}, "
                  f"rum {'available ' + rum if rum else 'not installed'}")  # fmt: skip
    return Cluster(server, version, str(rum) if rum else None)


def _one(conn: psycopg.Connection[Any], sql: str) -> Any:
    row = conn.execute(sql).fetchone()
    return row[0] if row else None


def new_database(server: PostgresServer, *extensions: str) -> str:
    dsn = str(server.create_database())
    with psycopg.connect(dsn, autocommit=True) as conn:
        for ext in extensions:
            conn.execute(f"CREATE EXTENSION IF NOT EXISTS {ext}")
    return dsn


# -- measuring -----------------------------------------------------------------------------------


def measure(
    path: Path, pg_dsn: str | None, store_dsn: str, variants: list[str], queries: list[BenchQuery], warmup: int,
    console: Any,
) -> dict[str, Any]:  # fmt: skip
    index_dir = path / INDEX_DIR
    read, seconds = warm_page_cache(index_dir)
    console.print(f"  tantivy index read into the page cache: {mib(read):,.0f} MiB in {seconds:.1f} s")
    pg: Any = None
    if pg_dsn is not None:
        t = time.perf_counter()
        pg_fts.prewarm(pg_dsn)
        console.print(f"  pg_prewarm of the table, its TOAST and indexes: {time.perf_counter() - t:.1f} s")
        pg = pg_fts.PgSearch(pg_dsn)
        pg.hits_conn.prepare_threshold = None  # plan each query with its own words (no generic plans)
        pg.facet_conn.prepare_threshold = None
    embedded = Archive.open(path, readonly=True)
    server = Archive.open(f"{store_dsn}?index={index_dir}", readonly=True)
    raw = RawTantivy(index_dir)

    def run(variant: str, q: BenchQuery) -> tuple[float, int]:
        if variant == "ours":
            start = time.perf_counter()
            total = embedded.search(q.text, **dict(q.filters)).total
        elif variant == "server":
            start = time.perf_counter()
            total = server.search(q.text, **dict(q.filters)).total
        elif variant == "raw":
            request = _request(q)
            start = time.perf_counter()
            total = raw.search(request)
        else:
            request = _request(q)
            start = time.perf_counter()
            iq = request.to_index_query()
            total, _hits, _facets = pg.search(
                iq, limit=request.per_page, offset=(request.page - 1) * request.per_page, sort=request.sort,
                ranking=variant.removeprefix("pg_"),
            )  # fmt: skip
        return (time.perf_counter() - start) * 1000, total

    from rich.progress import Progress

    rng = random.Random(5)
    for q in rng.sample(queries, min(warmup, len(queries))):
        for variant in variants:
            run(variant, q)
    times: dict[str, list[float]] = {v: [] for v in variants}
    per_query: list[dict[str, Any]] = []
    order = list(range(len(queries)))
    rng.shuffle(order)
    gc.collect()
    started = time.perf_counter()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"queries on {path.name}", total=len(order))
        for i in order:
            q = queries[i]
            shuffled = list(variants)
            rng.shuffle(shuffled)
            row: dict[str, Any] = {"kind": q.kind, "query": q.label()}
            for variant in shuffled:
                ms, total = run(variant, q)
                times[variant].append(ms)
                row[variant] = ms
                row[f"{variant} total"] = total
                if variant.startswith("pg_"):
                    row[f"{variant} facets"] = pg.last_ms["facets"]
                    row[f"{variant} hits"] = pg.last_ms["hits"]
            per_query.append(row)
            progress.advance(task)
    measure_seconds = time.perf_counter() - started
    plans = {}
    for variant in (v for v in variants if v.startswith("pg_")):
        for label, pool in (
            (variant, per_query),
            (f"{variant}, not title:", [r for r in per_query if r["kind"] != "title:word"]),
        ):
            slowest = max(pool, key=lambda r, v=variant: r[v])  # type: ignore[misc]
            q = next(q for q in queries if q.label() == slowest["query"])
            request = _request(q)
            offset = (request.page - 1) * request.per_page
            facet_plan, hits_plan = pg.explain(
                request.to_index_query(), request.per_page, offset, request.sort, variant.removeprefix("pg_")
            )
            plans[label] = {"variant": variant, "query": slowest["query"], "ms": slowest[variant],
                            "facets": facet_plan, "hits": hits_plan}  # fmt: skip
    if pg is not None:
        pg.close()
    server.close()
    embedded.close()
    return {"times": times, "per_query": per_query, "plans": plans, "measure_seconds": measure_seconds}


# -- report --------------------------------------------------------------------------------------


def _close(ours: int, other: int) -> bool:
    return other == ours or (ours > 0 and abs(other - ours) <= 0.1 * ours)


def agreement(per_query: list[dict[str, Any]], variant: str) -> dict[str, int]:
    """How the variant's match counts compare with ours, query by query."""
    out = {"same": 0, "within 10%": 0, "none where ours has some": 0, "other": 0}
    for r in per_query:
        ours, other = r["ours total"], r[f"{variant} total"]
        if other == ours:
            out["same"] += 1
        elif other == 0 and ours > 0:
            out["none where ours has some"] += 1
        elif ours and abs(other - ours) <= 0.1 * ours:
            out["within 10%"] += 1
        else:
            out["other"] += 1
    return out


def render(
    results: dict[int, dict[str, Any]], builds: dict[int, dict[str, Any]], pg_builds: dict[int, pg_fts.PgBuild],
    variants: list[str], n_queries: int, server_info: str,
) -> str:  # fmt: skip
    parts = [f"_{machine_line()}_", "", server_info, ""]
    rows = []
    for size, res in results.items():
        t = res["times"]
        e50, e99 = percentile(t["ours"], 50), percentile(t["ours"], 99)
        for v in variants:
            p50, p95, p99 = (percentile(t[v], p) for p in (50, 95, 99))
            meets = "—" if v in ("ours", "raw") else (
                "**yes**" if p50 <= TARGET_P50_RATIO * e50 and p99 <= TARGET_P99_MS else "no")  # fmt: skip
            rows.append(
                [f"{size:,}", LABELS[v], p50, p95, p99, f"{p50 / e50:.2f}×", f"{p99 / e99:.2f}×", meets]
            )
    parts.append(
        f"{n_queries} queries per size (bench/search_speed.py's mix), each run once per system in random "
        "order after 60 warm-up queries; every system returns the total, one page of 10 hits with "
        "snippets and facet counts, except raw tantivy (10 addresses and a count).\n"
    )
    parts.append(markdown_table(
        ["articles", "system", "p50 ms", "p95 ms", "p99 ms", "p50 vs embedded", "p99 vs embedded",
         f"target (p50 ≤ {TARGET_P50_RATIO:g}× embedded, p99 ≤ {TARGET_P99_MS:g} ms)"], rows))  # fmt: skip
    parts.append("\nBuilds and sizes:\n")
    brows = []
    for size in results:
        b = builds[size]
        brows.append([
            f"{size:,}", "directory archive (SQLite store, then tantivy index from it)",
            f"{b['build_seconds']:.0f} (store {b['store_seconds']:.0f}, index {b['index_seconds']:.0f})"
            + (" — reused, built " + b["built"] if b.get("reused") else ""),
            f"SQLite {mib(b['sqlite_bytes']):,.0f}; tantivy index {mib(b['index_bytes']):,.0f}",
        ])  # fmt: skip
        if size not in pg_builds:
            continue
        p = pg_builds[size]
        steps = ", ".join(f"{k} {v:.0f}" for k, v in p.seconds.items())
        sizes = p.sizes
        idx = "; ".join(f"{k.removeprefix(pg_fts.TABLE + '_')} {mib(v):,.0f}" for k, v in sizes.items()
                        if k.startswith(pg_fts.TABLE + "_"))  # fmt: skip
        brows.append([
            f"{size:,}", f"PostgreSQL table `{pg_fts.TABLE}` ({p.articles:,} rows, {p.canonical:,} shown)",
            f"{p.total_seconds:.0f} ({steps})",
            f"heap {mib(sizes['heap']):,.0f}, TOAST {mib(sizes['toast']):,.0f} (tsvectors "
            f"{mib(sizes['tsvector column (stored)']):,.0f}, bodies {mib(sizes['body column (stored)']):,.0f} stored "
            f"of {mib(sizes['body text']):,.0f} text); indexes: {idx}; total {mib(sizes['total']):,.0f}",
        ])  # fmt: skip
    parts.append(markdown_table(["articles", "what", "build s", "MiB"], brows))
    for size, res in results.items():
        if not any(v.startswith("pg_") for v in variants):
            break  # the tables below compare with PostgreSQL's full-text search
        parts.append(f"\nPer query kind at {size:,} (p50 ms; hits = median total of ours / of PostgreSQL):\n")
        kinds: dict[str, list[dict[str, Any]]] = {}
        for row in res["per_query"]:
            kinds.setdefault(row["kind"], []).append(row)
        pgv = [v for v in variants if v.startswith("pg_")]
        krows = []
        for kind, rs in sorted(kinds.items()):
            krows.append([
                kind, len(rs), *(percentile([r[v] for r in rs], 50) for v in variants),
                *(max(r[v] for r in rs) for v in pgv),
                percentile([r["pg_gin facets"] for r in rs], 50),
                *(percentile([r[f"{v} hits"] for r in rs], 50) for v in pgv),
                f"{int(percentile([r['ours total'] for r in rs], 50)):,} / "
                f"{int(percentile([r['pg_gin total'] for r in rs], 50)):,}",
            ])  # fmt: skip
        parts.append(markdown_table(
            ["kind", "n", *variants, *(f"{v} max" for v in pgv), "PG facets statement",
             *(f"{v} hits statement" for v in pgv), "hits"], krows))  # fmt: skip
        all_rows = res["per_query"]
        same = [r for r in all_rows if _close(r["ours total"], r["pg_gin total"])]
        untitled = [r for r in all_rows if r["kind"] != "title:word"]
        subsets = [
            ("all", all_rows),
            ("match counts within 10% of ours", same),
            ("no title: queries", untitled),
        ]
        srows = [
            [LABELS[v], *(f"{percentile([r[v] for r in rs], 50):.2f} / {percentile([r[v] for r in rs], 99):.1f}"
                          for _, rs in subsets)]
            for v in variants
        ]  # fmt: skip
        for v in pgv:
            for part in ("facets", "hits"):
                srows.append([f"{v}: {part} statement alone", *(
                    f"{percentile([r[f'{v} {part}'] for r in rs], 50):.2f} / "
                    f"{percentile([r[f'{v} {part}'] for r in rs], 99):.1f}" for _, rs in subsets)])  # fmt: skip
        parts.append(
            f"\nSubsets at {size:,} (p50 / p99 ms): the {len(same)} queries whose PostgreSQL match count is within "
            "10% of ours (the others mostly hold English stop words, which PostgreSQL drops), and the "
            f"{len(untitled)} that are not `title:` queries; the statements run at once on two connections:\n"
        )
        parts.append(markdown_table(["system", *(f"{name} (n = {len(rs)})" for name, rs in subsets)], srows))
        lines = []
        for v in variants:
            if v in ("ours",):
                continue
            a = agreement(res["per_query"], v)
            lines.append(f"{v}: " + ", ".join(f"{k} {n}" for k, n in a.items()))
        parts.append(f"\nMatch counts against ours at {size:,} (queries): " + "; ".join(lines) + ".")
        for label, plan in res["plans"].items():
            parts.append(
                f"\nSlowest {label} query at {size:,}: `{plan['query']}` ({plan['ms']:.0f} ms). Plans:\n"
            )
            parts.append("```\n-- facets\n" + plan["facets"] + "\n-- hits\n" + plan["hits"] + "\n```")
    return "\n".join(parts)


class _Progress:
    """Prints the COPY's progress every 100,000 rows."""

    def __init__(self, console: Any, size: int) -> None:
        self.console, self.size, self.last = console, size, time.perf_counter()

    def __call__(self, n: int) -> None:
        if n % 100_000 == 0:
            now = time.perf_counter()
            self.console.print(f"  {n:,} / {self.size:,} rows ({100_000 / (now - self.last):,.0f} rows/s)")
            self.last = now


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached directory archives")
    parser.add_argument(
        "--no-rum", action="store_true", help="skip the RUM variant even when rum is installed"
    )
    parser.add_argument(
        "--no-pg-fts",
        action="store_true",
        help="measure only the embedded default and server mode's derived tantivy index (design (b)), "
        "without building PostgreSQL's full-text table (design (a): ~25 minutes at 1M)",
    )
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw figures here")
    args = parser.parse_args()

    from rich.console import Console

    console = Console(stderr=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    run_started = time.perf_counter()
    stories = load_material(args.data)
    cache: dict[str, Any] = {"stories": stories}
    queries = make_queries(stories, args.queries)
    console.print(f"material: {len(stories):,} stories; {len(queries)} queries")
    cluster = start_postgres(console)
    server = cluster.server
    rum = cluster.rum is not None and not args.no_rum
    pg_variants = [] if args.no_pg_fts else ["pg_gin", *(["pg_rum"] if rum else [])]
    variants = ["ours", "server", *pg_variants, "raw"]
    builds: dict[int, dict[str, Any]] = {}
    pg_builds: dict[int, pg_fts.PgBuild] = {}
    results: dict[int, dict[str, Any]] = {}
    try:
        for size in sizes:
            builds[size] = ensure_archive(args.out, size, args.data, args.rebuild, console, cache)
            b = builds[size]
            console.print(f"archive-{size}: {b['articles']:,} articles, build {b['build_seconds']:.0f} s")
            pg_dsn: str | None = None
            if pg_variants:
                pg_dsn = new_database(server, "pg_prewarm", *(["rum"] if rum else []))
                console.print(f"loading {size:,} articles into PostgreSQL …")
                tell = _Progress(console, size)
                pg_builds[size] = pg = pg_fts.load(
                    pg_dsn, (g.draft.article for g in ArticleMaker(stories, size)), rum, progress=tell
                )
                console.print(f"  PostgreSQL build {pg.total_seconds:.0f} s: " + ", ".join(
                    f"{k} {v:.0f} s" for k, v in pg.seconds.items()) + f"; total {mib(pg.sizes['total']):,.0f} MiB")  # fmt: skip
                if pg.articles != b["articles"]:
                    raise SystemExit(f"PostgreSQL has {pg.articles} articles, the archive {b['articles']}")
            store_dsn = new_database(server)
            PostgresStore(store_dsn).close()  # the store's own schema, for the server-mode open
            console.print(f"measuring {len(queries)} queries × {len(variants)} systems at {size:,} …")
            results[size] = res = measure(
                args.out / f"archive-{size}", pg_dsn, store_dsn, variants, queries, args.warmup, console
            )
            t = res["times"]
            console.print("  " + "; ".join(
                f"{v} {percentile(t[v], 50):.2f}/{percentile(t[v], 99):.1f}" for v in variants) + " ms (p50/p99)"
                f"; {res['measure_seconds']:.0f} s")  # fmt: skip
            if pg_dsn is not None:
                server.drop_database(pg_dsn)
            server.drop_database(store_dsn)
    finally:
        server.stop()
    info = (
        f"PostgreSQL {cluster.version} (tests/postgres_server.py's throwaway cluster, fsync off; "
        + ", ".join(f"{k} {v}" for k, v in SERVER_SETTINGS.items())
        + (f"; rum {cluster.rum} from Debian's postgresql-15-rum" if rum else "; rum not used")
        + f"). Whole run {time.perf_counter() - run_started:.0f} s."
    )
    text = render(results, builds, pg_builds, variants, len(queries), info)
    if args.json:
        args.json.write_text(json.dumps({
            "builds": builds, "pg_builds": {k: {"articles": v.articles, "canonical": v.canonical,
                                                 "seconds": v.seconds, "sizes": v.sizes} for k, v in pg_builds.items()},
            "results": results}, indent=1, default=str))  # fmt: skip
    show_report(text, args.markdown, console)


if __name__ == "__main__":
    main()
