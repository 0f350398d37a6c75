"""Per-language analysis at 1M articles: index size and search time before/after, same run (issue 13).

Run:
  .venv/bin/python bench/search_speed.py --sizes 1000000 --build-only --out bench/out/lang13
  git worktree add /tmp/before 911d143^      # the code before issue 13's analysis (index schema 5)
  .venv/bin/python bench/language_search_1m.py --before-src /tmp/before/src --reindex
      [--archive bench/out/lang13/archive-1000000] [--before-archive ARCHIVE-before]
      [--queries 400] [--warmup 60] [--rounds 1] [--json FILE] [--markdown]

One store, two indexes. ``--archive`` is a search_speed archive (``--build`` makes it here if it is
missing). ``--before-archive`` gets a hard link to the same SQLite file, so both sides read the
same articles. ``--reindex`` rebuilds each index from that store with its own code, one after the
other, the way search_speed's build does (store order, ``index_entries``, ``TantivyIndex.write``
in 50k batches). Each side runs in its own interpreter with ``PYTHONPATH=<src>``: ``--before-src``
for before, this checkout's ``src`` (``--after-src``) for after. Without ``--reindex`` the
indexes already there are measured, and the index figures come from the last rebuild's notes.

Measured: index size on disk, rebuild wall and CPU time; then both index directories are read
once (a warm page cache; search does not read SQLite), each side opens its archive read-only
and runs ``Archive.search`` for search_speed's query mix (``make_queries``, seed 11). Warm-up
queries come from another seed, so neither side has seen a measured query (the after code
keeps its last 256 compiled queries). Queries are shuffled, and for each one both sides run it
in random order. The time is taken inside each worker, around ``Archive.search``. Reported:
p50/p95/p99 per side and after/before. Every query of the mix is English, so the check is that
both sides give the same total and the same top-10 ids in the same order. Facets and snippets
are compared too.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    DEFAULT_DATA,
    ROOT,
    dir_size_bytes,
    emit,
    machine_line,
    markdown_table,
    mib,
    percentile,
    show_report,
)

SIZE = 1_000_000
INDEX_BATCH = 50_000  # as bench/search_speed.py builds
QUERY_SEED = 11  # search_speed.make_queries' default
WARMUP_SEED = 12
NOTES = "language-search-1m.json"  # a side's last rebuild figures, next to its index
SIDES = ("before", "after")


# --- the workers: one per side, in an interpreter importing that side's code ----------------------------


def _code_info() -> dict[str, str]:
    import newsarchive
    from newsarchive.index import tantivy_index

    return {"module": str(Path(newsarchive.__file__).resolve()), "schema": tantivy_index.SCHEMA_VERSION}


def _segments(index_dir: Path) -> int:
    try:
        return len(json.loads((index_dir / "meta.json").read_text())["segments"])
    except (OSError, ValueError, KeyError):
        return -1


def worker_reindex(archive: Path) -> None:
    """Drop the archive's index and write it again from the store, as search_speed's build does."""
    from newsarchive.archive import DB_NAME, INDEX_DIR
    from newsarchive.index.tantivy_index import TantivyIndex
    from newsarchive.ingest import index_entries
    from newsarchive.store.sqlite import SQLiteStore

    index_dir = archive / INDEX_DIR
    store = SQLiteStore(archive / DB_NAME, readonly=True)
    if index_dir.exists():
        shutil.rmtree(index_dir)
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    index = TantivyIndex(index_dir)
    pending = []
    for article in store.iter_articles(with_captures=False):
        pending.append(article)
        if len(pending) >= INDEX_BATCH:
            index.write(index_entries(store, pending))
            pending = []
    if pending:
        index.write(index_entries(store, pending))
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    docs = index.doc_count()
    index.close()
    store.close()
    result = {
        **_code_info(),
        "docs": docs,
        "seconds": seconds,
        "cpu_seconds": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "index_bytes": dir_size_bytes(index_dir),
        "segments": _segments(index_dir),
        "built": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    (archive / NOTES).write_text(json.dumps(result, indent=1))
    emit(result)


def same_up_to_ties(before: dict[str, Any], after: dict[str, Any], first_page: bool) -> bool:
    """The same page but for the order of documents tied on what the page is sorted by: the same
    sort keys, and the same documents in every tie group not cut by the page's edge."""
    if before["keys"] != after["keys"]:
        return False
    keys, n, start = before["keys"], len(before["keys"]), 0
    while start < n:
        end = start
        while end + 1 < n and keys[end + 1] == keys[start]:
            end += 1
        cut = end == n - 1 or (start == 0 and not first_page)
        if not cut and set(before["ids"][start : end + 1]) != set(after["ids"][start : end + 1]):
            return False
        start = end + 1
    return True


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def worker_serve(archive: Path) -> None:
    """Answer one JSON request a line on stdin: run ``Archive.search`` and time it."""
    from newsarchive import Archive

    opened = Archive.open(archive, readonly=True)
    emit({**_code_info(), "docs": opened.index.doc_count()})
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "gc":
            gc.collect()
            emit({})
            continue
        if request["op"] != "search":
            break
        start = time.perf_counter()
        result = opened.search(request["text"], **request["filters"])
        ms = (time.perf_counter() - start) * 1000
        emit({
            "ms": ms,
            "total": result.total,
            "ids": [h.id for h in result.hits],
            # what the page is ordered by: ties on it are broken by where a document sits in the index
            "keys": [h.published if request["filters"].get("sort") == "date" else h.score for h in result.hits],
            "facets": _digest(result.facets),
            "snippets": _digest([h.snippet for h in result.hits]),
        })  # fmt: skip
    opened.close()


# --- the driver ---------------------------------------------------------------------------------------


def _env(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src)}


def reindex(archive: Path, src: Path) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "reindex", str(archive)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(src), cwd="/")
    if proc.returncode != 0:
        raise SystemExit(f"reindex of {archive} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return dict(json.loads(proc.stdout.splitlines()[-1]))


class Worker:
    """A side's search process."""

    def __init__(self, archive: Path, src: Path) -> None:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "serve", str(archive)]
        # cwd outside the checkout, so the current directory cannot shadow PYTHONPATH
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=_env(src), cwd="/"
        )
        self.info = self._read()

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"a search worker ended (exit {self.proc.wait()})")
        return dict(json.loads(line))

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def prepare_before(archive: Path, before: Path) -> None:
    """The before archive: the same SQLite file (a hard link), its own index directory."""
    from newsarchive.archive import DB_NAME

    before.mkdir(parents=True, exist_ok=True)
    target = before / DB_NAME
    if target.exists() and os.path.samefile(target, archive / DB_NAME):
        return
    if target.exists():
        raise SystemExit(f"{target} exists and is not {archive / DB_NAME}; remove it or pick another path")
    try:
        os.link(archive / DB_NAME, target)
    except OSError:
        shutil.copy2(archive / DB_NAME, target)


def warm(index_dir: Path) -> tuple[int, float]:
    total = 0
    start = time.perf_counter()
    for file in sorted(p for p in index_dir.rglob("*") if p.is_file()):
        with file.open("rb") as f:
            while chunk := f.read(1 << 20):
                total += len(chunk)
    return total, time.perf_counter() - start


def measure(
    archives: dict[str, Path], srcs: dict[str, Path], queries: list[Any], warmups: list[Any], rounds: int,
    console: Any,
) -> dict[str, Any]:  # fmt: skip
    from newsarchive.archive import INDEX_DIR

    for side in SIDES:
        read, seconds = warm(archives[side] / INDEX_DIR)
        console.print(f"  {side}: page cache warmed, {mib(read):,.0f} MiB in {seconds:.1f} s")
    workers = {side: Worker(archives[side], srcs[side]) for side in SIDES}
    for side, w in workers.items():
        console.print(
            f"  {side}: {w.info['module']} (index schema {w.info['schema']}, {w.info['docs']:,} docs)"
        )
    rng = random.Random(5)

    def request(q: Any) -> dict[str, Any]:
        return {"op": "search", "text": q.text, "filters": dict(q.filters)}

    for q in warmups:
        for side in rng.sample(SIDES, 2):
            workers[side].ask(request(q))
    for w in workers.values():
        w.ask({"op": "gc"})
    times: dict[str, list[float]] = {side: [] for side in SIDES}
    rows: dict[int, dict[str, Any]] = {}
    started = time.time()
    load_start = os.getloadavg()
    for _round in range(rounds):
        order = list(range(len(queries)))
        rng.shuffle(order)
        for i in order:
            q = queries[i]
            answers = {}
            for side in rng.sample(SIDES, 2):
                answers[side] = workers[side].ask(request(q))
                times[side].append(answers[side]["ms"])
            b, a = answers["before"], answers["after"]
            if i in rows:
                rows[i]["ms_before"].append(b["ms"])
                rows[i]["ms_after"].append(a["ms"])
                continue
            rows[i] = {
                "i": i, "kind": q.kind, "query": q.label(), "total_before": b["total"],
                "total_after": a["total"], "same_total": b["total"] == a["total"],
                "same_ids": b["ids"] == a["ids"], "same_id_set": set(b["ids"]) == set(a["ids"]),
                "same_facets": b["facets"] == a["facets"], "same_snippets": b["snippets"] == a["snippets"],
                "same_up_to_ties": same_up_to_ties(b, a, first_page=q.filters.get("page", 1) == 1),
                "ids_before": b["ids"], "ids_after": a["ids"], "keys_before": b["keys"], "keys_after": a["keys"],
                "ms_before": [b["ms"]], "ms_after": [a["ms"]],
            }  # fmt: skip
    load_end = os.getloadavg()
    for w in workers.values():
        w.close()
    return {
        "times": times,
        "rows": [rows[i] for i in sorted(rows)],
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
        "seconds": time.time() - started,
        "load_start": load_start,
        "load_end": load_end,
        "code": {side: w.info for side, w in workers.items()},
    }


def render(builds: dict[str, dict[str, Any]], res: dict[str, Any], n_queries: int, rounds: int) -> str:
    t = res["times"]
    rows = res["rows"]

    def ratio(pct: float) -> str:
        return f"{percentile(t['after'], pct) / percentile(t['before'], pct):.2f}×"

    b, a = builds.get("before", {}), builds.get("after", {})
    table = [
        ["index schema", b.get("schema", "?"), a.get("schema", "?"), ""],
        ["index size MiB", mib(b.get("index_bytes", 0)), mib(a.get("index_bytes", 0)),
         f"{a.get('index_bytes', 0) / max(1, b.get('index_bytes', 1)):.3f}×"],
        ["index segments", b.get("segments", "?"), a.get("segments", "?"), ""],
        ["index rebuild wall s", b.get("seconds", 0.0), a.get("seconds", 0.0),
         f"{a.get('seconds', 0) / max(1e-9, b.get('seconds', 1)):.2f}×"],
        ["index rebuild CPU s", b.get("cpu_seconds", 0.0), a.get("cpu_seconds", 0.0),
         f"{a.get('cpu_seconds', 0) / max(1e-9, b.get('cpu_seconds', 1)):.2f}×"],
        *[[f"search p{p} ms", percentile(t["before"], p), percentile(t["after"], p), ratio(p)] for p in (50, 95, 99)],
    ]  # fmt: skip
    n = len(rows)
    same = sum(r["same_total"] and r["same_ids"] for r in rows)
    lines = [
        f"Machine: {machine_line()}",
        f"Search run {res['started']}, {res['seconds']:.0f} s; load average "
        f"{' / '.join(f'{x:.2f}' for x in res['load_start'])} at the start, "
        f"{' / '.join(f'{x:.2f}' for x in res['load_end'])} at the end (1 / 5 / 15 min).",
        f"{n_queries} queries (search_speed's mix, seed {QUERY_SEED}) x {rounds} round(s), both sides per query "
        "in random order.",
        "",
        markdown_table(["", "before", "after", "after / before"], table),
        "",
        f"English results identical (same total and same top-10 ids in order): {same} of {n}; same totals "
        f"{sum(r['same_total'] for r in rows)}, same top-10 in order {sum(r['same_ids'] for r in rows)}, as a set "
        f"{sum(r['same_id_set'] for r in rows)}, same facets {sum(r['same_facets'] for r in rows)}, same snippets "
        f"{sum(r['same_snippets'] for r in rows)}.",
        f"Same total, facets and top-10 but for the order of documents tied on the sort key (score rounded to "
        f"4 places, or day): {sum(r['same_total'] and r['same_facets'] and r['same_up_to_ties'] for r in rows)} "
        f"of {n}.",
    ]
    differing = [r for r in rows if not (r["same_total"] and r["same_facets"] and r["same_up_to_ties"])]
    if differing:
        lines += ["", "Queries that differ beyond tie order:", ""]
        lines.append(markdown_table(
            ["query", "kind", "total before", "total after", "same top-10", "same set", "same facets",
             "keys before", "keys after"],
            [[f"`{r['query']}`", r["kind"], r["total_before"], r["total_after"], r["same_ids"], r["same_id_set"],
              r["same_facets"], r["keys_before"], r["keys_after"]] for r in differing[:30]]))  # fmt: skip
    kinds: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        kinds.setdefault(r["kind"], []).append(r)
    per_kind = []
    for kind, of_kind in sorted(kinds.items()):
        before = [ms for r in of_kind for ms in r["ms_before"]]
        after = [ms for r in of_kind for ms in r["ms_after"]]
        per_kind.append([kind, len(of_kind), percentile(before, 50), percentile(after, 50),
                         f"{percentile(after, 50) / percentile(before, 50):.2f}×"])  # fmt: skip
    lines += ["", "Per query kind (p50 ms):", ""]
    lines.append(markdown_table(["kind", "n", "before", "after", "after / before"], per_kind))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--worker", nargs=2, metavar=("ROLE", "ARCHIVE"), help=argparse.SUPPRESS)
    parser.add_argument("--archive", type=Path, default=ROOT / "bench" / "out" / "lang13" / f"archive-{SIZE}")
    parser.add_argument("--before-archive", type=Path, default=None, help="default: ARCHIVE-before")
    parser.add_argument(
        "--before-src", type=Path, help="src/ of the code before (a git worktree of 911d143^)"
    )
    parser.add_argument("--after-src", type=Path, default=ROOT / "src")
    parser.add_argument(
        "--build", action="store_true", help="build ARCHIVE with search_speed if it is missing"
    )
    parser.add_argument(
        "--size", type=int, default=SIZE, help="articles of a --build (a smaller one to try it)"
    )
    parser.add_argument("--reindex", action="store_true", help="rebuild both indexes, each with its own code")
    parser.add_argument("--no-search", action="store_true", help="stop after the rebuilds")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    if args.worker:
        role, archive = args.worker
        {"reindex": worker_reindex, "serve": worker_serve}[role](Path(archive))
        return
    if args.before_src is None:
        parser.error("--before-src is required")

    from rich.console import Console
    from search_speed import build_archive, load_material, make_queries

    from newsarchive.archive import DB_NAME, INDEX_DIR

    console = Console(stderr=True)
    archives = {
        "after": args.archive,
        "before": args.before_archive or args.archive.with_name(args.archive.name + "-before"),
    }
    srcs = {"before": args.before_src.resolve(), "after": args.after_src.resolve()}
    stories = None
    if not (args.archive / DB_NAME).exists():
        if not args.build:
            raise SystemExit(f"{args.archive}: no archive; build it with search_speed.py or pass --build")
        stories = load_material(args.data)
        build_archive(args.archive, args.size, stories, console)
    prepare_before(args.archive, archives["before"])
    builds: dict[str, dict[str, Any]] = {}
    for side in SIDES:
        if args.reindex or not (archives[side] / INDEX_DIR).exists():
            console.print(f"rebuilding the {side} index of {archives[side]} with {srcs[side]} …")
            builds[side] = reindex(archives[side], srcs[side])
        elif (archives[side] / NOTES).exists():
            builds[side] = json.loads((archives[side] / NOTES).read_text())
        b = builds.get(side, {})
        console.print(
            f"  {side}: schema {b.get('schema')}, {b.get('docs', 0):,} docs, {mib(b.get('index_bytes', 0)):,.0f} MiB, "
            f"{b.get('seconds', 0):.0f} s wall, {b.get('cpu_seconds', 0):.0f} s CPU, {b.get('segments')} segments"
        )
    if args.no_search:
        return
    stories = stories or load_material(args.data)
    queries = make_queries(stories, args.queries, seed=QUERY_SEED)
    measured = {q.label() for q in queries}
    warmups = [
        q for q in make_queries(stories, 2 * args.warmup, seed=WARMUP_SEED) if q.label() not in measured
    ]
    warmups = warmups[: args.warmup]
    del stories
    console.print(f"measuring {len(queries)} queries x {args.rounds} on both sides …")
    res = measure(archives, srcs, queries, warmups, args.rounds, console)
    text = render(builds, res, len(queries), args.rounds)
    if args.json:
        args.json.write_text(json.dumps({"builds": builds, **res}, indent=1, default=str))
    show_report(text, args.markdown, console)


if __name__ == "__main__":
    main()
