"""Ingest speed: our full ingest against bare trafilatura on the same pages, in the same run.

Run: .venv/bin/python bench/ingest_speed.py [--data DIR] [--repeat 3] [--markdown] [--no-profile]

Every measured run is a fresh interpreter (so peak RSS is that run's own), and runs of the
systems alternate in a shuffled order within each repeat so the shared machine's noise falls on
all of them alike. Figures are medians over repeats.

HTML line: the HTML pages of shared/data/extraction (readability source.html, goose3, newspaper4k,
fundus .html.gz; ~390 pages of many sites and languages).
- ours: ``Archive.open(tmp, create=True).ingest([dir])`` — read, detect, extract (trafilatura +
  htmldate + our fields), clean, site chrome, exact dedup, SQLite, MinHash near-dedup, tantivy.
- bare: ``trafilatura.extract(html, fast=True)`` + ``trafilatura.extract_metadata(html)`` per page
  (what bench/extraction_quality.py compares against), and ``bare_extraction(html, fast=True,
  with_metadata=True)`` (one parse for both) as a second, stricter baseline.
Pages are not replicated: copies of one page would all share every block, and site-chrome
learning would (rightly) remove them as template, which measures nothing real.

Reuters line: the 22 SGML files of Reuters-21578 (21,578 stories) through our ingest, against a
bare regex parse of the same SGML (title, date, topics, body) as the floor.

Unless ``--no-profile``, one extra run of each line under cProfile breaks our time down by stage.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import html as html_lib
import json
import pstats
import random
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    DEFAULT_DATA,
    Stopwatch,
    TreeMemory,
    emit,
    machine_line,
    markdown_table,
    median,
    mib,
    peak_rss_bytes,
    run_child,
    show_report,
)

HERE = Path(__file__).resolve()
HTML_SYSTEMS = ("ours-core", "bare", "ours", "bare1")
REUTERS_SYSTEMS = ("ours-core", "bare-sgml", "ours")
SYSTEM_LABELS = {
    "ours-core": "newsarchive ingest, enrich=False (archive core)",
    "ours": "newsarchive ingest, default Settings (enrich=True: spaCy entities/quotes/events)",
    "bare": "bare trafilatura: extract(fast) + extract_metadata",
    "bare1": "bare trafilatura: bare_extraction(fast, with_metadata)",
    "bare-sgml": "bare SGML parse (regex: title, date, topics, body)",
}


# --- inputs ---------------------------------------------------------------------------------------


def html_pages(data: Path) -> list[Path]:
    """Every HTML page of the extraction sets, in a fixed order."""
    root = data / "extraction"
    pages = sorted((root / "readability").glob("*/source.html"))
    pages += sorted((root / "goose3").rglob("*.html"))
    pages += sorted((root / "newspaper4k" / "html").glob("*.html"))
    pages += sorted((root / "fundus").rglob("*.html.gz"))
    return pages


def reuters_files(data: Path) -> list[Path]:
    return sorted((data / "corpus" / "reuters21578").glob("reut2-*.sgm"))


def link_inputs(pages: list[Path], into: Path) -> Path:
    """A directory of symlinks to the pages (unique names, data not copied) for ingest to walk."""
    into.mkdir(parents=True, exist_ok=True)
    for i, page in enumerate(pages):
        parts = page.parts
        label = "-".join(parts[-3:]).replace("/", "-")
        (into / f"{i:04d}-{label}").symlink_to(page)
    return into


# --- children: one measured run each ---------------------------------------------------------------


def child_ours(inputs: list[Path], profile: Path | None, enrich: bool) -> dict[str, Any]:
    import time

    from newsarchive import Archive
    from newsarchive.ingest import Pipeline
    from newsarchive.settings import Settings

    # wall time of the duplicate step (copies, clusters, versions), by wrapping it: no profiler
    dedup_spent: list[float] = []
    original = Pipeline._dedup_pending

    def timed_dedup(self: Pipeline) -> None:
        start = time.perf_counter()
        try:
            original(self)
        finally:
            dedup_spent.append(time.perf_counter() - start)

    Pipeline._dedup_pending = timed_dedup  # type: ignore[method-assign]

    # imports and model loads happen inside the timed ingest on first use, as for a user
    workdir = Path(tempfile.mkdtemp(prefix="nsa-ingest-"))
    try:
        settings = Settings.load(progress=False, enrich=enrich)
        archive = Archive.open(workdir / "archive", settings, create=True)
        profiler = cProfile.Profile() if profile else None
        gc.collect()
        with Stopwatch() as sw, TreeMemory() as tree:
            if profiler:
                profiler.enable()
            report = archive.ingest(inputs)
            if profiler:
                profiler.disable()
        stats = archive.stats()
        archive.close()
        if profiler and profile:
            profiler.dump_stats(str(profile))
        return {
            "seconds": sw.seconds,
            "records": report.captures_new + report.captures_seen,
            "articles": stats["articles"],
            "indexed": stats["indexed"],
            "rejects": len(report.rejects),
            "duplicates": report.duplicates,
            "dedup_seconds": sum(dedup_spent),
            "peak_rss": peak_rss_bytes(),
            "tree_pss": tree.peak,
            "cpu_seconds": _cpu_seconds(),
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _cpu_seconds() -> float:
    """CPU time of this run and of the worker processes it waited for (user + system): the work
    done, which the other sessions' load on the machine moves less than the wall time."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _read_page(path: Path) -> bytes:
    import gzip

    raw = path.read_bytes()
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def child_bare(inputs: list[Path], one_pass: bool) -> dict[str, Any]:
    files = sorted(p for d in inputs for p in (d.iterdir() if d.is_dir() else [d]))
    articles = 0
    gc.collect()
    # the import is timed, as ours imports trafilatura inside its timed ingest on first use
    with Stopwatch() as sw:
        import trafilatura

        for path in files:
            raw = _read_page(path)
            if one_pass:
                doc = trafilatura.bare_extraction(raw, fast=True, with_metadata=True, include_comments=False)
                text = getattr(doc, "text", None)
            else:
                text = trafilatura.extract(raw, fast=True, include_comments=False)
                trafilatura.extract_metadata(raw)
            articles += bool(text)
    return {"seconds": sw.seconds, "records": len(files), "articles": articles, "peak_rss": peak_rss_bytes()}


_STORY = re.compile(rb"<REUTERS\b.*?</REUTERS>", re.S)


def _sgml_field(story: str, name: str) -> str | None:
    found = re.search(rf"<{name}>(.*?)</{name}>", story, re.S)
    return None if found is None else found.group(1)


def child_bare_sgml(inputs: list[Path]) -> dict[str, Any]:
    """The floor for Reuters: cut stories and read their fields with regexes, nothing kept."""
    records = articles = 0
    gc.collect()
    with Stopwatch() as sw:
        for path in inputs:
            for match in _STORY.finditer(path.read_bytes()):
                story = match.group(0).decode("latin-1")
                records += 1
                title = html_lib.unescape(_sgml_field(story, "TITLE") or "")
                body = html_lib.unescape(_sgml_field(story, "BODY") or "")
                _sgml_field(story, "DATE")
                re.findall(r"<D>(.*?)</D>", _sgml_field(story, "TOPICS") or "")
                paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s+", body) if p.strip()]
                articles += bool(title or paragraphs)
    return {"seconds": sw.seconds, "records": records, "articles": articles, "peak_rss": peak_rss_bytes()}


def child_main(args: argparse.Namespace) -> None:
    inputs = [Path(p) for p in json.loads(Path(args.inputs).read_text())]
    if args.child in ("ours", "ours-core"):
        emit(child_ours(inputs, Path(args.profile) if args.profile else None, enrich=args.child == "ours"))
    elif args.child in ("bare", "bare1"):
        emit(child_bare(inputs, one_pass=args.child == "bare1"))
    elif args.child == "bare-sgml":
        emit(child_bare_sgml(inputs))
    else:
        raise SystemExit(f"unknown child {args.child}")


# --- profile breakdown -------------------------------------------------------------------------------

# (label, file suffix, function name); cumulative times, so nested rows overlap their parents
_STAGES: list[tuple[str, str, str]] = [
    ("ingest total", "newsarchive/ingest.py", "ingest"),
    ("read + detect inputs (sources/)", "newsarchive/ingest.py", "_records"),
    ("extract_capture (all extraction)", "newsarchive/extract/__init__.py", "extract_capture"),
    ("  decode + mojibake check", "newsarchive/extract/html.py", "_decode"),
    ("    encoding.sniff (BOM, UTF-8, declared, detected)", "newsarchive/extract/encoding.py", "sniff"),
    (
        "  our lxml parse (bounded: attributes, depth, huge nodes)",
        "newsarchive/extract/markup.py",
        "parse_markup",
    ),
    ("  trafilatura.extract_metadata", "trafilatura/metadata.py", "extract_metadata"),
    ("  _body_text (trafilatura body + fallbacks)", "newsarchive/extract/html.py", "_body_text"),
    ("    trafilatura.extract (all calls)", "trafilatura/core.py", "extract"),
    ("    trafilatura baseline fallback", "trafilatura/baseline.py", "baseline"),
    ("  _published (htmldate)", "newsarchive/extract/html.py", "_published"),
    ("  _PageFacts.read (meta, JSON-LD, breadcrumbs)", "newsarchive/extract/html.py", "read"),
    ("  _captions", "newsarchive/extract/html.py", "_captions"),
    ("  _link_texts", "newsarchive/extract/html.py", "_link_texts"),
    ("  _language (declared or py3langid)", "newsarchive/extract/html.py", "_language"),
    ("  clean_text (ftfy, NFC, stray letters)", "newsarchive/extract/clean.py", "clean_text"),
    ("  extract_reuters", "newsarchive/extract/reuters.py", "extract_reuters"),
    ("site chrome: learn", "newsarchive/ingest.py", "_learn_chrome"),
    ("site chrome: apply", "newsarchive/extract/chrome.py", "apply_chrome"),
    ("site chrome: re-clean stale sites", "newsarchive/ingest.py", "reclean_stale_sites"),
    ("_to_article (body hash, language)", "newsarchive/ingest.py", "_to_article"),
    ("near-dedup (copies, clusters, versions in SQLite)", "newsarchive/ingest.py", "_dedup_pending"),
    ("  MinHash signature", "newsarchive/dedup/signature.py", "signature_of"),
    ("  verify candidates (containment, facts)", "newsarchive/dedup/compare.py", "copy_match"),
    ("  fingerprints of candidates", "newsarchive/dedup/compare.py", "_facts_and_figures"),
    ("  recompute clusters from pairs", "newsarchive/clustering.py", "recluster"),
    ("index sync (read back + tantivy write)", "newsarchive/ingest.py", "_index_pending"),
    ("  store.pending_index (read articles back)", "newsarchive/store/sqlite.py", "pending_index"),
    ("  TantivyIndex.write (incl. commit)", "newsarchive/index/tantivy_index.py", "write"),
]
_STORE_CALLS_FROM_BATCH = (
    "known_captures", "add_capture", "insert_article", "article_by_body_hash", "add_reject", "transaction",
    "get_site_chrome", "put_site_chrome",
)  # fmt: skip


def breakdown(profile: Path) -> list[tuple[str, float, int]]:
    """(stage, cumulative seconds, calls) from a cProfile dump of one ingest."""
    stats = pstats.Stats(str(profile))
    table: dict[tuple[str, int, str], Any] = stats.stats  # type: ignore[attr-defined]
    rows: list[tuple[str, float, int]] = []
    for label, suffix, name in _STAGES:
        cum, calls = 0.0, 0
        for (filename, _line, func), (_cc, nc, _tt, ct, _callers) in table.items():
            if func == name and filename.endswith(suffix):
                cum += ct
                calls += nc
        if calls:
            rows.append((label, cum, calls))
    # direct store writes/reads made by the batch loop (not those of dedup/index sync)
    store_cum, store_calls = 0.0, 0
    for (filename, _line, func), (_cc, _nc, _tt, _ct, callers) in table.items():
        if filename.endswith("newsarchive/store/sqlite.py") and func in _STORE_CALLS_FROM_BATCH:
            for (cfile, _cl, cfunc), caller_stats in callers.items():
                if cfile.endswith("newsarchive/ingest.py") and cfunc in ("_ingest_batch", "_learn_chrome"):
                    store_cum += caller_stats[3]
                    store_calls += caller_stats[1]
    rows.insert(len(rows), ("store writes in the batch loop (SQLite)", store_cum, store_calls))
    return rows


# --- parent --------------------------------------------------------------------------------------------


def measure(
    line: str, systems: tuple[str, ...], inputs: list[Path], repeat: int, workdir: Path, log: Any
) -> dict[str, list[dict[str, Any]]]:
    listing = workdir / f"{line}-inputs.json"
    listing.write_text(json.dumps([str(p) for p in inputs]))
    runs: dict[str, list[dict[str, Any]]] = {s: [] for s in systems}
    rng = random.Random(1)
    for r in range(repeat):
        order = list(systems)
        rng.shuffle(order)
        for system in order:
            result = run_child(HERE, ["--child", system, "--inputs", str(listing)])
            runs[system].append(result)
            log(
                f"[{line}] repeat {r + 1}/{repeat} {system}: {result['records']} records in "
                f"{result['seconds']:.1f} s = {result['records'] / result['seconds']:.1f}/s, "
                f"CPU {result.get('cpu_seconds', 0):.1f} s, peak RSS {mib(result['peak_rss']):.0f} MiB, tree PSS {mib(result.get('tree_pss', 0)):.0f} MiB"
            )
    return runs


def summarise(runs: dict[str, list[dict[str, Any]]], baseline: str) -> list[dict[str, Any]]:
    base_rate = median(r["records"] / r["seconds"] for r in runs[baseline])
    out = []
    for system, results in runs.items():
        rate = median(r["records"] / r["seconds"] for r in results)
        out.append(
            {
                "system": system,
                "records": results[0]["records"],
                "articles": results[0]["articles"],
                "seconds": median(r["seconds"] for r in results),
                "rate": rate,
                "rate_min": min(r["records"] / r["seconds"] for r in results),
                "rate_max": max(r["records"] / r["seconds"] for r in results),
                "peak_rss_mib": mib(max(r["peak_rss"] for r in results)),
                "tree_pss_mib": mib(max(r.get("tree_pss", 0) for r in results)),
                "cpu_seconds": median(r.get("cpu_seconds", 0.0) for r in results),
                "time_vs_baseline": base_rate / rate,
                "runs": len(results),
                "extra": {k: results[0][k] for k in ("indexed", "rejects", "duplicates") if k in results[0]},
                "dedup_share": (
                    median(r["dedup_seconds"] / r["seconds"] for r in results)
                    if "dedup_seconds" in results[0]
                    else None
                ),
            }
        )
    return out


def profile_line(
    line: str, inputs: list[Path], workdir: Path
) -> tuple[dict[str, Any], list[tuple[str, float, int]]]:
    listing = workdir / f"{line}-inputs.json"
    listing.write_text(json.dumps([str(p) for p in inputs]))
    prof = workdir / f"{line}.prof"
    result = run_child(HERE, ["--child", "ours-core", "--inputs", str(listing), "--profile", str(prof)])
    return result, breakdown(prof)


def _profile_sample(line: str, inputs: list[Path], share: float, workdir: Path) -> list[Path]:
    """Every k-th page (HTML) or file (Reuters) so the profiled run stays short."""
    step = max(1, round(1 / share))
    if line == "html":
        pages = sorted(inputs[0].iterdir())[::step]
        return [link_inputs([p.resolve() for p in pages], workdir / "profile-pages")]
    return inputs[::step]


def render(
    summaries: dict[str, list[dict[str, Any]]],
    profiles: dict[str, tuple[dict[str, Any], list[tuple[str, float, int]]]],
    repeat: int,
) -> str:
    parts = [f"Machine: {machine_line()}", ""]
    rows = []
    for line, summary in summaries.items():
        for s in summary:
            rows.append(
                [
                    line,
                    SYSTEM_LABELS[s["system"]],
                    s["records"],
                    s["articles"],
                    s["seconds"],
                    s["rate"],
                    f"{s['rate_min']:.1f}–{s['rate_max']:.1f}",
                    f"{s['time_vs_baseline']:.2f}×",
                    f"{s['peak_rss_mib']:.0f}",
                    f"{s['tree_pss_mib']:.0f}" if s["tree_pss_mib"] else "—",
                    f"{s['cpu_seconds']:.1f}" if s["cpu_seconds"] else "—",
                ]
            )
    parts.append(
        markdown_table(
            [
                "input", "system", "records", "articles out", f"median s ({repeat} runs)", "records/s (median)",
                "records/s range", "time vs first bare", "peak RSS MiB (max)",
                "process tree PSS MiB (max)", "CPU s, with workers (median)",
            ],
            rows,
        )
    )  # fmt: skip
    for line, summary in summaries.items():
        for ours in (s for s in summary if s["system"].startswith("ours")):
            for s in summary:
                if not s["system"].startswith("ours"):
                    overhead = ours["seconds"] / s["seconds"] - 1
                    parts.append(
                        f"\n{line}: {ours['system']} takes {overhead:+.0%} time over {SYSTEM_LABELS[s['system']]}."
                    )
            if ours["extra"]:
                parts.append(
                    f"{line}: {ours['system']} kept {ours['articles']} articles; {json.dumps(ours['extra'])}."
                )
            if ours.get("dedup_share") is not None:
                parts.append(
                    f"{line}: {ours['system']}: the duplicate step (copies, clusters, versions; wall time of "
                    f"`Pipeline._dedup_pending`, no profiler) is {ours['dedup_share']:.1%} of ingest time (median)."
                )
    for line, (result, rows_) in profiles.items():
        total = next((sec for label, sec, _ in rows_ if label == "ingest total"), result["seconds"])
        parts.append(
            f"\ncProfile of one `{line}` ingest ({result['records']} records, {result['seconds']:.1f} s under "
            "the profiler; cumulative times, indented rows are part of the row above):\n"
        )
        parts.append(
            markdown_table(
                ["stage", "seconds", "share of ingest", "calls"],
                [[label, sec, f"{sec / total:.0%}", calls] for label, sec, calls in rows_],
            )
        )
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--reuters-repeat", type=int, default=None, help="repeats of the Reuters line (default --repeat)"
    )
    parser.add_argument("--markdown", action="store_true", help="print markdown tables (for docs/)")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--systems", default=None, help="comma-separated subset of ours-core,ours,bare,bare1,bare-sgml"
    )
    parser.add_argument("--profile-share", type=float, default=0.25, help="share of the inputs to profile")
    parser.add_argument("--only", choices=("html", "reuters"), default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the raw figures here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--inputs", help=argparse.SUPPRESS)
    parser.add_argument("--profile", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args)
        return

    from rich.console import Console

    console = Console(stderr=True)
    if not (args.data / "extraction").is_dir():
        console.print(f"no shared data at {args.data} (set --data or NEWSARCHIVE_SHARED_DATA); skipped")
        return
    workdir = Path(tempfile.mkdtemp(prefix="nsa-bench-ingest-"))
    summaries: dict[str, list[dict[str, Any]]] = {}
    profiles: dict[str, tuple[dict[str, Any], list[tuple[str, float, int]]]] = {}
    raw: dict[str, Any] = {}
    try:
        lines: list[tuple[str, tuple[str, ...], list[Path], int]] = []
        if args.only in (None, "html"):
            pages = html_pages(args.data)
            pages_dir = link_inputs(pages, workdir / "pages")
            console.print(f"HTML: {len(pages)} pages from {args.data / 'extraction'}")
            lines.append(("html", HTML_SYSTEMS, [pages_dir], args.repeat))
        if args.only in (None, "reuters"):
            sgm = reuters_files(args.data)
            if sgm:
                lines.append(("reuters", REUTERS_SYSTEMS, sgm, args.reuters_repeat or args.repeat))
        for line, systems, inputs, repeat in lines:
            if args.systems:
                wanted = set(args.systems.split(","))
                systems = tuple(s for s in systems if s in wanted)
            runs = measure(line, systems, inputs, repeat, workdir, console.print)
            raw[line] = runs
            # the bare extractor is the baseline; with --systems ours-core,ours the core ingest is
            baseline = next((s for s in systems if not s.startswith("ours")), None)
            summaries[line] = summarise(
                runs, baseline or ("ours-core" if "ours-core" in systems else systems[0])
            )
            if not args.no_profile:
                # cProfile slows per-character Python loops tens of times: profile a sample, not the whole line
                sample = _profile_sample(line, inputs, args.profile_share, workdir)
                console.print(f"[{line}] profiling one ingest of a sample under cProfile …")
                profiles[line] = profile_line(line, sample, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    text = render(summaries, profiles, args.repeat)
    if args.json:
        args.json.write_text(
            json.dumps({"runs": raw, "summaries": summaries, "profiles": profiles}, indent=1)
        )
    show_report(text, args.markdown, console)


if __name__ == "__main__":
    main()
