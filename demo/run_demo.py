"""The newsarchive demo: build an archive from demo/sample (and the shared real data when present), then query it.

    .venv/bin/python demo/run_demo.py [--archive DIR] [--shared DIR]

Everything goes through the public Python API (``from newsarchive import Archive``), the same calls a
user's script would make. The archive directory is deleted and re-created on every run.
"""

from __future__ import annotations

import argparse
import html
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from newsarchive import Archive

DEMO_DIR = Path(__file__).resolve().parent
SAMPLE_DIR = DEMO_DIR / "sample"
REPO_DIR = DEMO_DIR.parent
DEFAULT_ARCHIVE = Path(tempfile.gettempdir()) / "newsarchive-demo"
DEFAULT_SHARED = Path(os.environ.get("NEWSARCHIVE_SHARED_DATA") or REPO_DIR.parent / "shared" / "data")
# files in demo/sample that are tooling or documentation, not crawled news
NOT_INPUT_SUFFIXES = (".py", ".md")

console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)


# -- ingest --------------------------------------------------------------------------------------
def sample_inputs() -> list[Path]:
    """Every input file under demo/sample, the deliberately bad ones in bad/ last.

    Last, because the truncated WARC's first records are byte-identical to the good WARC's: read
    first, they would become the captures the article points back to.
    """
    files = [
        p
        for p in SAMPLE_DIR.rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.suffix not in NOT_INPUT_SUFFIXES
    ]
    return sorted(files, key=lambda p: (p.parent.name == "bad", str(p)))


@contextmanager
def progress_hook(progress: Progress, label: str) -> Iterator[Callable[[str, int], None]]:
    """A rich task fed by the pipeline's ``hook(event, amount)`` calls."""
    task = progress.add_task(label, total=None, records=0, articles=0, rejects=0)
    counts = {"record": 0, "article": 0, "reject": 0}

    def hook(event: str, amount: int) -> None:
        if event == "files_total":
            progress.update(task, total=amount)
        elif event == "file":
            progress.advance(task, amount)
        elif event in counts:
            counts[event] += amount
            progress.update(
                task, records=counts["record"], articles=counts["article"], rejects=counts["reject"]
            )

    yield hook
    progress.update(task, description=f"[green]{label}")


def make_progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description:<22}"),
        BarColumn(bar_width=30),
        MofNCompleteColumn(),
        TextColumn("files · records {task.fields[records]} · articles {task.fields[articles]}"),
        TextColumn("· [red]rejects {task.fields[rejects]}"),
        TimeElapsedColumn(),
        console=console,
    )


def reset_archive(path: Path) -> None:
    """Delete the previous demo archive, refusing to touch a directory that is not one."""
    if path.exists():
        if not path.is_dir() or (any(path.iterdir()) and not (path / "archive.sqlite").exists()):
            sys.exit(
                f"{path} exists and is not a newsarchive archive; refusing to delete it (pick another --archive)"
            )
        shutil.rmtree(path)


def ingest_all(archive: Archive, shared: Path) -> list[tuple[str, Any, float]]:
    steps: list[tuple[str, list[Path]]] = [("demo sample", sample_inputs())]
    seed, reuters = shared / "seed", shared / "corpus" / "reuters21578"
    for label, folder in (("seed page", seed), ("Reuters-21578", reuters)):
        if folder.is_dir():
            steps.append((label, [folder]))
        else:
            console.print(
                f"[yellow]skipping {label}:[/] {folder} is absent (pass --shared DIR to include it)"
            )
    reports = []
    with make_progress() as progress:
        for label, paths in steps:
            started = time.perf_counter()
            with progress_hook(progress, label) as hook:
                # entities, quotes and events for the sample and the seed; Reuters' 21,578 stories
                # would take minutes through spaCy, so the demo leaves them to `newsarchive enrich`
                report = archive.ingest(paths, progress=hook, enrich=label != "Reuters-21578")
            reports.append((label, report, time.perf_counter() - started))
    return reports


# -- printing ------------------------------------------------------------------------------------
def heading(title: str) -> None:
    console.print()
    console.rule(f"[bold cyan]{title}", align="left")


def show_reports(reports: list[tuple[str, Any, float]]) -> None:
    table = Table(box=box.SIMPLE_HEAD, title="ingest runs", title_justify="left")
    for col in (
        "input",
        "files",
        "new captures",
        "already seen",
        "new articles",
        "exact dupes",
        "rejects",
        "time",
    ):
        table.add_column(col, justify="left" if col == "input" else "right")
    for label, r, seconds in reports:
        table.add_row(
            label, str(r.inputs), str(r.captures_new), str(r.captures_seen), str(r.articles_new),
            str(r.duplicates), str(len(r.rejects)), f"{seconds:.1f}s",
        )  # fmt: skip
    console.print(table)


def counts_table(title: str, counts: dict[str, int], limit: int = 12) -> Table:
    table = Table(box=box.SIMPLE, title=title, title_justify="left", show_header=False, padding=(0, 1))
    table.add_column(overflow="fold", max_width=32)
    table.add_column(justify="right")
    items = list(counts.items())
    for name, n in items[:limit]:
        table.add_row(escape(str(name)) if name else "[dim](blank)", str(n))
    if len(items) > limit:
        table.add_row(f"[dim]… {len(items) - limit} more", "")
    return table


def show_stats(stats: dict[str, Any]) -> None:
    heading("archive stats")
    console.print(
        f"articles [bold]{stats['articles']}[/] · indexed {stats['indexed']} · captures {stats['captures']} · "
        f"near-duplicate clusters {stats['clusters']} · rejects [red]{len(stats['rejects'])}[/]"
    )
    grid = Table.grid(padding=(0, 3))
    grid.add_row(
        counts_table("by source", stats["by_source"]),
        counts_table("by year", dict(sorted(stats["by_year"].items(), key=lambda kv: kv[0]))),
        counts_table("by language", stats["by_language"]),
        counts_table("by section", stats["by_section"], limit=8),
    )
    console.print(grid)
    if stats["rejects"]:
        table = Table(
            box=box.SIMPLE_HEAD,
            title="rejects (kept with their reason, ingest went on)",
            title_justify="left",
        )
        table.add_column("input", style="red", overflow="fold", max_width=60)
        table.add_column("reason", overflow="fold")
        for reject in stats["rejects"]:
            table.add_row(escape(_short_path(reject["origin"])), escape(reject["reason"]))
        console.print(table)


def _short_path(origin: str) -> str:
    for root in (str(REPO_DIR) + "/",):
        origin = origin.replace(root, "")
    return re.sub(r"^.*/shared/data/", "<shared>/", origin)


def snippet_text(snippet: str) -> Text:
    """The index's snippet (HTML-escaped, matches in <b>) as rich text with the matches highlighted."""
    out = Text()
    for i, part in enumerate(re.split(r"</?b>", snippet)):
        out.append(re.sub(r"\s+", " ", html.unescape(part)), style="bold yellow" if i % 2 else "")
    return out


def show_search(archive: Archive, label: str, query: str, **filters: Any) -> Any:
    filters.setdefault("per_page", 5)
    result = archive.search(query, **filters)
    shown_filters = ", ".join(f"{k}={v!r}" for k, v in filters.items() if k != "per_page")
    title = Text.assemble(("search ", "bold"), (repr(query) if query else "(everything)", "bold magenta"))
    if shown_filters:
        title.append(f"  [{shown_filters}]", style="dim")
    title.append(f"  {result.total} hits, {result.took_ms:.1f} ms", style="green")
    rows: list[Any] = [Text(label, style="italic dim")]
    for n, hit in enumerate(result.hits, start=1):
        line = Text.assemble(
            (f"{n}. ", "dim"),
            (hit.title, "bold"),
            "  ",
            (hit.source, "cyan"),
            "  ",
            (hit.published or "undated", "green"),
        )
        if hit.section:
            line.append(f"  {hit.section}", style="dim")
        if hit.language and hit.language != "en":
            line.append(f"  [{hit.language}]", style="magenta")
        if hit.duplicates:
            line.append(f"  +{hit.duplicates} duplicate{'s' if hit.duplicates > 1 else ''}", style="bold red")
        rows.append(line)
        rows.append(Text("   ") + snippet_text(hit.snippet))
    if not result.hits:
        rows.append(Text("no hits", style="red"))
    console.print(Panel(Group(*rows), title=title, title_align="left", box=box.ROUNDED, padding=(0, 1)))
    return result


def show_facets(archive: Archive) -> None:
    result = archive.search("harbour OR port", per_page=1)
    grid = Table.grid(padding=(0, 3))
    grid.add_row(*(counts_table(name, counts, limit=8) for name, counts in result.facets.items() if counts))
    console.print(
        Panel(
            grid,
            title=f"[bold]facets for[/] [magenta]'harbour OR port'[/] ({result.total} hits)",
            title_align="left",
        )
    )


def show_versions(archive: Archive, article_id: str) -> None:
    versions = archive.versions(article_id)
    if not versions:
        return
    table = Table(
        box=box.SIMPLE_HEAD, title="near-duplicate versions of the ferry story", title_justify="left"
    )
    for col in ("id", "title", "source", "published", "words"):
        table.add_column(col)
    for a in [archive.article(article_id), *versions]:
        table.add_row(a.id, escape(a.title), escape(a.source), a.published or "", str(a.word_count))
    console.print(table)


def show_captures(archive: Archive, article_id: str) -> None:
    """An exact duplicate is not a second article: it is one more capture of the same one."""
    a = archive.article(article_id)
    console.print(
        f"  [bold]{escape(a.title)}[/] is one article with {len(a.captures)} captures (exact duplicates):"
    )
    for c in a.captures:
        console.print(f"    [dim]{c.sha256[:12]}…[/]  {escape(_short_path(c.origin))}")


def show_article(archive: Archive, article_id: str) -> None:
    a = archive.article(article_id)
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="bold cyan")
    meta.add_column(overflow="fold")
    for name, value in (
        ("id", a.id), ("title", a.title), ("source", a.source), ("published", a.published or "(undated)"),
        ("section", a.section or ""), ("language", a.language or ""), ("authors", ", ".join(a.authors)),
        ("media_ids", ", ".join(a.media_ids)), ("captions", " | ".join(a.captions)),
        ("words", str(a.word_count)), ("captures", ", ".join(_short_path(c.origin) for c in a.captures)),
    ):  # fmt: skip
        meta.add_row(name, escape(value))
    start = a.body[:600].rsplit(" ", 1)[0] + " …"
    console.print(
        Panel(Group(meta, Text(""), Text(start)), title="[bold]show[/] the seed article", title_align="left")
    )


# -- main ----------------------------------------------------------------------------------------
def show_who_what_when(archive: Archive, article_id: str) -> None:
    """Entities with roles, quotes and dated events found in one article (the seed)."""
    heading("who, what was said, what happened when (seed page)")
    found = archive.enrichment(article_id)
    people = Table(title="people and roles", show_header=True)
    people.add_column("entity")
    people.add_column("type")
    people.add_column("roles")
    for entity in found.entities:
        roles = "; ".join(f"{r.title}{' of ' + r.of if r.of else ''}" for r in entity.roles)
        people.add_row(entity.name, entity.type, roles)
    console.print(people)
    for quote in found.quotes:
        console.print(f"[bold]{quote.speaker_entity or quote.speaker}[/] ({quote.cue}): “{quote.text}”")
    events = Table(title="events", show_header=True)
    for column in ("date", "status", "type", "source", "target", "where"):
        events.add_column(column)
    for event in found.events:
        events.add_row(
            event.date or "",
            event.date_status,
            event.type,
            event.source or "",
            event.target or "",
            event.location or "",
        )
    console.print(events)
    console.print("[dim]the dump carries no publication year, so 'November 10' stays --11-10[/]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--archive",
        type=Path,
        default=DEFAULT_ARCHIVE,
        help=f"archive directory (default {DEFAULT_ARCHIVE}); deleted first",
    )
    parser.add_argument(
        "--shared", type=Path, default=DEFAULT_SHARED, help=f"shared real data (default {DEFAULT_SHARED})"
    )
    args = parser.parse_args()
    # rejects are shown in the stats below; the pipeline's per-record warnings would only repeat them
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    started = time.perf_counter()

    console.rule("[bold]newsarchive demo")
    console.print(
        f"archive  {args.archive} (re-created)\nsample   {SAMPLE_DIR}\nshared   {args.shared}"
        + ("" if args.shared.is_dir() else "  [yellow](absent: only the sample will be ingested)")
    )
    reset_archive(args.archive)
    with Archive.open(args.archive, create=True) as archive:
        reports = ingest_all(archive, args.shared)
        show_reports(reports)
        show_stats(archive.stats())

        heading("searches")
        have_seed = any(label == "seed page" for label, _r, _t in reports)
        have_reuters = any(label == "Reuters-21578" for label, _r, _t in reports)
        seed_hits = None
        if have_seed:
            seed_hits = show_search(archive, "a name from the seed page (a plain-text dump)", "Medvedev")
        show_search(
            archive, "a phrase: the seed page, the sample and Reuters all mention one", '"free-trade zone"'
        )
        dredging = show_search(archive, "the fictional sample: a Gazette story syndicated word for word by Coastline Wire",
                               "dredging council vote")  # fmt: skip
        if dredging.hits:
            show_captures(archive, dredging.hits[0].id)
        ferry = show_search(archive, "the near-duplicate pair (same story re-published with a new headline)",
                            '"electric ferries" OR "battery vessels"')  # fmt: skip
        show_search(
            archive, "Arabic (right-to-left) page from the Gazette's Arabic edition", "ميناء", language="ar"
        )
        if have_reuters:
            show_search(
                archive, "a title field query, from March 1987 on", "title:cocoa", date_from="1987-03-01"
            )
        show_search(
            archive, "one source, newest first", "", source="The Harbour Gazette", sort="date", per_page=6
        )
        show_search(archive, "oldest first across every source", "harbour", sort="date_asc")
        show_facets(archive)
        if ferry.hits and ferry.hits[0].duplicates:
            show_versions(archive, ferry.hits[0].id)

        if seed_hits is not None and seed_hits.hits:
            heading("show")
            show_article(archive, seed_hits.hits[0].id)
            show_who_what_when(archive, seed_hits.hits[0].id)

    console.print()
    console.rule(f"[bold]done in {time.perf_counter() - started:.1f} s[/]")


if __name__ == "__main__":
    main()
