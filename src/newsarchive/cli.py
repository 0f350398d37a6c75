"""The command line: each command is a few lines over ``Archive``.

Errors of ours become one line on stderr and an exit code (1 usage/archive/disk, 2 nothing
ingested, 3 stopped waiting for another writer), never a traceback. ``--json`` prints one JSON
object per line for scripts.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from newsarchive.archive import EXPORT_FORMATS, EXPORT_WHATS, Archive
from newsarchive.errors import ArchiveBusyError, NewsArchiveError
from newsarchive.ingest import ProgressHook
from newsarchive.model import NOTICE, Article, DiffPart, Event, diff_stats
from newsarchive.research.export import EXPORT_FIELDS, ExportCount
from newsarchive.research.parallel_export import default_workers
from newsarchive.research.timeline import PERIODS
from newsarchive.settings import Settings


class _Context:
    def __init__(self, archive: str | None, settings: Settings) -> None:
        self.archive_path = archive
        self.settings = settings

    def set_wait(self, wait: float | None) -> None:
        if wait is not None:
            from dataclasses import replace

            self.settings = replace(self.settings, writer_wait=wait)

    def open(self, create: bool = False, readonly: bool = False) -> Archive:
        if self.archive_path is None:
            raise click.UsageError(
                "no archive given: pass --archive DIR (or a postgresql:// URL) or set NEWSARCHIVE_ARCHIVE"
            )
        notice = _wait_notice if sys.stderr.isatty() else None
        archive = Archive.open(
            self.archive_path, self.settings, create=create, readonly=readonly, wait_notice=notice
        )
        if readonly:
            _warn_unsearchable(archive)
        return archive


def _wait_notice(message: str) -> None:
    click.echo(f"newsarchive: {message} (limit it with --wait SECONDS)", err=True)


def _warn_unsearchable(archive: Archive) -> None:
    """Say so when search cannot see everything: after a kill, until a writable open heals the index."""
    missing = archive.unsearchable()
    if missing:
        click.echo(
            f"warning: {missing} stored articles are not searchable yet (an ingest was interrupted or is "
            "running); the next ingest, `newsarchive reindex` or `serve` with a write token catches up",
            err=True,
        )


def _emit(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--archive",
    "archive",
    metavar="DIR|URL",
    envvar="NEWSARCHIVE_ARCHIVE",
    help="Archive directory, or a postgresql://user@host/db URL for server mode (or NEWSARCHIVE_ARCHIVE).",
)
@click.option(
    "--config", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Settings TOML file."
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="newsarchive")
@click.pass_context
def cli(ctx: click.Context, archive: str | None, config: Path | None, verbose: int) -> None:
    """newsarchive: crawled news pages in, a clean, deduplicated, searchable archive out."""
    level = logging.ERROR if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = _Context(archive, Settings.load(config))


_WAIT_OPTION = click.option(
    "--wait",
    type=click.FloatRange(0),
    default=None,
    metavar="SECONDS",
    help="How long to wait for another writer of this archive (default: as long as it takes; "
    "or NEWSARCHIVE_WRITER_WAIT). Past it the command stops cleanly between batches.",
)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--batch-size", type=click.IntRange(1, 100_000), help="Captures per transaction.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: only on a terminal).")
@click.option(
    "--enrich/--no-enrich",
    "enrich_now",
    default=None,
    help="Find entities, quotes and events now (default: on).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--field",
    "field_options",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Read an article field of JSONL/CSV/JSON rows from this key or column, beyond the aliases "
    "(repeatable): --field body=content --field published=pubdate. Fields: body, html, title, "
    "published, authors, url, section, source, language, fetched_at.",
)
@click.option(
    "--dayfirst/--monthfirst",
    default=None,
    help="Numeric dates like 03/04/2019 are day first (3 April) or month first (March 4). "
    "Default: what each file's other dates show, else month first with a notice.",
)
@_WAIT_OPTION
@click.pass_obj
def ingest(
    obj: _Context,
    inputs: tuple[str, ...],
    batch_size: int | None,
    progress: bool | None,
    enrich_now: bool | None,
    as_json: bool,
    field_options: tuple[str, ...],
    dayfirst: bool | None,
    wait: float | None,
) -> None:
    """Ingest WARC/ARC, HTML, text dumps, JSONL/CSV, RSS/Atom and Reuters SGML files or directories.

    Inputs that are http(s):// URLs are fetched (public addresses only; redirects are reported).

    Creates the archive if absent. Bad inputs are reported, recorded as rejects and skipped.
    When another ingest is writing to the archive, this one waits for it batch by batch.

    Exit code 0 if anything was ingested (or everything was already archived), 2 if nothing was,
    3 if it stopped after --wait seconds of waiting for another writer (re-run to continue).
    """
    from dataclasses import replace

    from newsarchive.sources.fieldmap import FieldMappingError, merge_fields, parse_field_option

    try:
        mapped = [parse_field_option(option) for option in field_options]
    except FieldMappingError as exc:
        raise click.BadParameter(str(exc), param_hint="--field") from exc
    settings = replace(
        obj.settings,
        fields=merge_fields(obj.settings.fields, mapped),
        batch_size=batch_size or obj.settings.batch_size,
        enrich=obj.settings.enrich if enrich_now is None else enrich_now,
        writer_wait=obj.settings.writer_wait if wait is None else wait,
        dayfirst=obj.settings.dayfirst if dayfirst is None else dayfirst,
    )
    obj.settings = settings
    show = (
        progress
        if progress is not None
        else (settings.progress if settings.progress is not None else sys.stderr.isatty())
    )
    with obj.open(create=True) as archive, _progress(show) as hook:
        report = archive.ingest(inputs, progress=hook)
    for reject in report.rejects:
        click.echo(f"rejected {reject.origin}: {reject.reason}", err=True)
    for notice in report.notices:
        click.echo(f"{notice.origin}: {notice.reason}", err=True)
    if as_json:
        _emit(report.to_json())
    else:
        click.echo(
            f"{report.inputs} inputs: {report.captures_new} new captures ({report.captures_seen} already archived), "
            f"{report.articles_new} new articles, {report.duplicates} exact duplicates, {len(report.rejects)} rejects"
            + (f", {len(report.notices)} notices" if report.notices else ""),
            err=True,
        )
        if report.already_archived:
            click.echo("nothing new: every input was already archived", err=True)
        elif not report.ingested_anything and not report.stopped:
            click.echo("nothing was ingested", err=True)
    if report.stopped:
        click.echo(f"newsarchive: {report.stopped}", err=True)
        sys.exit(3)
    if not (report.ingested_anything or report.already_archived):
        sys.exit(2)


@contextmanager
def _progress(show: bool) -> Iterator[ProgressHook | None]:
    if not show:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(
            "records {task.fields[records]} · articles {task.fields[articles]} · {task.fields[rate]}/s"
        ),
        TextColumn("· rejects {task.fields[rejects]}"),
        TextColumn("{task.fields[enriched]}"),
        TextColumn("{task.fields[rechecked]}"),
        TimeElapsedColumn(),
        transient=False,
    ) as bar:
        task = bar.add_task(
            "files", total=None, records=0, articles=0, rejects=0, rate="0", enriched="", rechecked=""
        )
        counts = {"record": 0, "article": 0, "reject": 0}

        def hook(event: str, amount: int) -> None:
            if event == "files_total":
                bar.update(task, total=amount)
            elif event == "file":
                bar.advance(task, amount)
            else:
                counts[event] = counts.get(event, 0) + amount
                elapsed = bar.tasks[0].elapsed or 1e-9
                bar.update(
                    task,
                    records=counts["record"],
                    articles=counts["article"],
                    rejects=counts["reject"],
                    rate=f"{counts['article'] / elapsed:.0f}",
                    enriched=f"· enriched {counts['enriched']}" if "enriched" in counts else "",
                    # duplicates cleaned again from their bytes at the run's end (a site's chrome changed)
                    rechecked=f"· rechecked {counts['rechecked']}" if "rechecked" in counts else "",
                )

        yield hook


@cli.command()
@click.argument("query", default="")
@click.option("--from", "date_from", help="Earliest publication date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "date_to", help="Latest publication date.")
@click.option("--source", multiple=True, help="Only this source (repeatable).")
@click.option("--section", multiple=True, help="Only this section (repeatable).")
@click.option("--lang", "language", multiple=True, help="Only this language code (repeatable).")
@click.option(
    "--entity",
    multiple=True,
    help="Only articles naming this person, organisation or place (repeatable: all of them).",
)
@click.option(
    "--sort", type=click.Choice(["relevance", "date", "date_asc"]), default="relevance", show_default=True
)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--per-page", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option(
    "--all-versions", is_flag=True, help="Show every copy and older version, not one hit per story."
)
@click.option("--facets", "show_facets", is_flag=True, help="Also print facet counts.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
@click.pass_obj
def search(obj: _Context, /, query: str, as_json: bool, show_facets: bool, **filters: Any) -> None:
    """Search the archive: words, "phrases", AND/OR/NOT, title:/source:/section:/lang: fields."""
    with obj.open(readonly=True) as archive:
        result = archive.search(query, **filters)
    if as_json:
        for hit in result.hits:
            _emit(hit.to_json())
        if show_facets:
            _emit({"total": result.total, "took_ms": round(result.took_ms, 2), "facets": result.facets})
        return
    click.echo(f"{result.total} hits ({result.took_ms:.1f} ms)", err=True)
    for hit in result.hits:
        dupes = f"  [+{hit.duplicates} cop{'ies' if hit.duplicates != 1 else 'y'}]" if hit.duplicates else ""
        if hit.versions > 1:
            dupes += f"  [{hit.versions} versions]"
        click.echo(
            f"{click.style(hit.id, fg='cyan')}  {hit.published or '----------'}  {hit.source}  {click.style(hit.title, bold=True)}{dupes}"
        )
        click.echo(f"    {_plain_snippet(hit.snippet)}")
    if show_facets:
        for name, counts in result.facets.items():
            if counts:
                click.echo(f"{name}: " + ", ".join(f"{k} ({v})" for k, v in counts.items()))


def _plain_snippet(snippet: str) -> str:
    import html

    return (
        html.unescape(snippet.replace("<b>", "\x1b[1m").replace("</b>", "\x1b[0m"))
        if sys.stdout.isatty()
        else html.unescape(snippet.replace("<b>", "").replace("</b>", ""))
    )


@cli.command()
@click.argument("article_id")
@click.option(
    "--json", "as_json", is_flag=True, help="All fields as one JSON object, with its copies and versions."
)
@click.option(
    "--debug",
    is_flag=True,
    help="Also show the lines removed from the page (site chrome, source boilerplate).",
)
@click.option(
    "--versions", "show_versions", is_flag=True, help="List the versions of its URL and what changed."
)
@click.option(
    "--against",
    metavar="VERSION_ID",
    help="With --versions: the version to compare with (default: the one before it).",
)
@click.pass_obj
def show(
    obj: _Context, article_id: str, as_json: bool, debug: bool, show_versions: bool, against: str | None
) -> None:
    """Show one article with all its fields, captures, copies and versions."""
    with obj.open(readonly=True) as archive:
        article = archive.article(article_id)
        copies = archive.copies(article.id)
        versions = archive.versions(article.id)
        diff = _version_diff(archive, article, versions, against) if show_versions else None
    if as_json:
        data = article.to_json(debug=debug)
        data["cluster"] = {
            "id": article.cluster_id or article.id,
            "size": len(copies),
            "members": [c.to_json() for c in copies],
        }
        data["versions"] = [_version_json(v) for v in versions]
        if diff is not None:
            older, parts = diff
            added, removed = diff_stats(parts)
            data["diff"] = {"from": older.id, "to": article.id, "added": added, "removed": removed,
                            "parts": [p.to_json() for p in parts]}  # fmt: skip
        _emit(data)
        return
    if show_versions:
        _echo_versions(article, versions, diff)
        return
    click.echo(click.style(article.title, bold=True))
    meta = [article.source, article.published or "undated", article.section or "", article.language or ""]
    click.echo(" · ".join(m for m in meta if m))
    if article.authors:
        click.echo("By " + ", ".join(article.authors))
    if article.url:
        click.echo(article.url)
    if article.media_ids:
        click.echo("Media IDs: " + ", ".join(article.media_ids))
    for caption in article.captions:
        click.echo("Caption: " + caption)
    click.echo("")
    click.echo(article.body)
    click.echo("")
    for capture in article.captures:
        click.echo(f"capture {capture.sha256}  {capture.origin}  (ingested {capture.ingested_at})")
    others = [c for c in copies if c.id != article.id]
    if others:
        click.echo(f"\nalso published as {len(others)} cop{'y' if len(others) == 1 else 'ies'}:")
        for c in others:
            shown = "  (shown in search)" if c.representative else ""
            click.echo(
                f"  {c.id}  {c.source} · {c.published or 'undated'} · resemblance {c.resemblance:.0%}, "
                f"containment {c.containment:.0%}{shown}"
            )
    if len(versions) > 1:
        click.echo(
            f"\n{len(versions)} versions of this URL; see them with `newsarchive show {article.id} --versions`"
        )
    if debug:
        if article.body_offset:
            click.echo(f"\nbody starts at character {article.body_offset} of the given text")
        click.echo("\nremoved as chrome or source boilerplate:")
        for line in article.removed:
            click.echo(f"  - {line}")


def _version_json(version: Article) -> dict[str, Any]:
    seen = max((c.fetched_at for c in version.captures if c.fetched_at), default=None)
    return {"id": version.id, "latest": version.latest, "published": version.published, "captured": seen,
            "title": version.title, "word_count": version.word_count}  # fmt: skip


def _version_diff(
    archive: Archive, article: Article, versions: list[Article], against: str | None
) -> tuple[Article, list[DiffPart]] | None:
    """The diff from ``against`` (default: the version before this one) to the article, if any."""
    ids = [v.id for v in versions]
    if against is not None:
        older = archive.article(against)
        if older.id not in ids:
            raise click.UsageError(f"{against} is not a version of {article.url or article.id}")
    else:
        at = ids.index(article.id) if article.id in ids else -1
        if at <= 0:  # the first version (or no URL): nothing before it
            return None
        older = versions[at - 1]
    return older, archive.version_diff(article.id, older.id)


def _echo_versions(
    article: Article, versions: list[Article], diff: tuple[Article, list[DiffPart]] | None
) -> None:
    if not versions:
        click.echo("no URL, so no versions to compare")
        return
    click.echo(f"{len(versions)} version{'s' if len(versions) != 1 else ''} of {article.url}:")
    for v in versions:
        info = _version_json(v)
        marks = [m for m, on in (("latest", v.latest), ("this one", v.id == article.id)) if on]
        extra = f"  ({', '.join(marks)})" if marks else ""
        click.echo(
            f"  {v.id}  captured {info['captured'] or 'at an unknown time'} · {v.word_count} words{extra}"
        )
    if diff is None:
        click.echo("\n(the first version: nothing before it to compare; use --against VERSION_ID)")
        return
    older, parts = diff
    added, removed = diff_stats(parts)
    click.echo(f"\nchanges from {older.id} to {article.id}: +{added} words, -{removed} words\n")
    color = sys.stdout.isatty()
    out = []
    for part in parts:
        if part.op == "same":
            out.append(part.text)
        elif part.op == "added":
            out.append(click.style(part.text, fg="green") if color else "{+" + part.text + "+}")
        else:
            out.append(
                click.style(part.text, fg="red", strikethrough=True) if color else "[-" + part.text + "-]"
            )
    click.echo("".join(out))


_FILTER_OPTIONS = [
    click.option("--from", "date_from", help="Earliest publication date (YYYY, YYYY-MM or YYYY-MM-DD)."),
    click.option("--to", "date_to", help="Latest publication date."),
    click.option("--source", multiple=True, help="Only this source (repeatable)."),
    click.option("--section", multiple=True, help="Only this section (repeatable)."),
    click.option("--lang", "language", multiple=True, help="Only this language code (repeatable)."),
    click.option(
        "--all-versions", is_flag=True, help="Every copy and older version, not one article per story."
    ),
]


def _filter_options(command: Any) -> Any:
    for option in reversed(_FILTER_OPTIONS):
        command = option(command)
    return command


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice([*EXPORT_FORMATS, "tsv"]), default="jsonl", show_default=True
)
@click.option("--what", type=click.Choice(EXPORT_WHATS), default="articles", show_default=True)
@click.option(
    "--query", "query", default=None, help="Only the articles matching this query (with the filters below)."
)
@_filter_options
@click.option(
    "--fields", help=f"Columns of a --query export, comma-separated (default all: {','.join(EXPORT_FIELDS)})."
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default stdout)."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that read and format a --query export of 20,000 matches or more "
    "(default: one per core, at most 4; 1 keeps it in one process).",
)
@click.pass_obj
def export(
    obj: _Context,
    /,
    fmt: str,
    what: str,
    query: str | None,
    fields: str | None,
    output: Path | None,
    workers: int | None,
    **filters: Any,
) -> None:
    """Export articles (or mentions, entities, events, quotes) as JSONL, CSV, TSV or Parquet.

    With --query (and --from/--to/--source/--section/--lang/--all-versions) only the matching
    articles, every one of them however many (streamed, oldest first), with `published` as a date in
    CSV and Parquet: `export --query 'Medvedev visit' --from 2016 --format parquet -o visit.parquet`.

    `--what events --format tsv` gives a tab-separated event table in the style of event-data sets.

    In CSV and TSV, text cells that start with = + - @ (or a tab or carriage return) get a leading
    apostrophe, so a spreadsheet shows them as text instead of running them as formulas (archived
    pages are written by strangers). JSONL and Parquet keep every value exactly.
    """
    by_query = query is not None or fields is not None or any(filters.values())
    if by_query:
        if what != "articles":
            raise click.UsageError("--query, --fields and the filters export articles; leave out --what")
        if fmt == "tsv":
            raise click.UsageError("--format tsv is for --what mentions|entities|events|quotes; use csv")
        with obj.open(readonly=True) as archive:
            count = ExportCount()
            pieces = archive.export_stream(
                query or "", fmt, fields, count=count, workers=workers or default_workers(), **filters
            )
            with _binary_output(output) as out:
                for piece in pieces:
                    out.write(piece)
        click.echo(f"exported {count.rows} articles", err=True)
        return
    if fmt == "tsv" and what == "articles":
        raise click.UsageError(
            "--format tsv is for --what mentions|entities|events|quotes; use csv for articles"
        )
    with obj.open(readonly=True) as archive:
        if fmt == "parquet":
            if output is None:
                n = archive.export(sys.stdout.buffer, fmt, what)  # type: ignore[arg-type]
            else:
                with output.open("wb") as fh:
                    n = archive.export(fh, fmt, what)
        elif output is None:
            n = archive.export(sys.stdout, fmt, what)
        else:
            with output.open("w", encoding="utf-8", newline="") as fh:
                n = archive.export(fh, fmt, what)
    click.echo(f"exported {n} {what}", err=True)


@contextmanager
def _binary_output(output: Path | None) -> Iterator[Any]:
    if output is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
    else:
        with output.open("wb") as fh:
            yield fh


@cli.command()
@click.argument("queries", nargs=-1, required=True)
@click.option(
    "--by", type=click.Choice(PERIODS), default="month", show_default=True, help="Count per period."
)
@click.option(
    "--normalize", is_flag=True, help="Also the share of all articles of the same sources in each period."
)
@click.option("--split-by-source", is_flag=True, help="One query, one series per source (the top 5).")
@_filter_options
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default stdout)."
)
@click.pass_obj
def timeline(
    obj: _Context,
    /,
    queries: tuple[str, ...],
    by: str,
    normalize: bool,
    split_by_source: bool,
    fmt: str,
    output: Path | None,
    **filters: Any,
) -> None:
    """Attention over time: matches per day, week, month or year for each QUERY (up to 10).

    Every period from the first to the last is a row, 0 when nothing matched. With --normalize each
    row also has `total` (every article of the same sources, sections and languages in that period)
    and `share` = count / total. `newsarchive timeline ferry 'bridge OR tunnel' --by year --normalize`
    """
    with obj.open(readonly=True) as archive:
        result = archive.timelines(
            queries, by=by, normalize=normalize, split_by_source=split_by_source, **filters
        )
    text = result.to_csv() if fmt == "csv" else json.dumps(result.to_json(), ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
    for counted in result.queries:
        undated = f" ({counted.undated} undated, in no period)" if counted.undated else ""
        click.echo(f"{counted.query}: {counted.matches} matches{undated}", err=True)


@cli.command()
@click.argument("query")
@_filter_options
@click.option("--top", type=click.IntRange(1, 200), default=30, show_default=True, help="How many words.")
@click.option(
    "--sample",
    type=click.IntRange(1, 5000),
    default=500,
    show_default=True,
    help="Matches read for the words.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.pass_obj
def terms(obj: _Context, /, query: str, top: int, sample: int, as_json: bool, **filters: Any) -> None:
    """What QUERY is about: words its matches use far more than the archive does, and the people,
    places and organisations they name most.

    Words come from the most relevant matches (--sample), scored by the log-odds ratio of their
    share there and in the whole archive over its standard error; stop words and the query's own
    words are left out. Entities are counted over every match.
    """
    with obj.open(readonly=True) as archive:
        found = archive.terms(query, top=top, sample=sample, **filters)
    if as_json:
        _emit(found.to_json())
        return
    click.echo(
        f"{found.matches} matches; words from {found.sample} of them against {found.archive} articles",
        err=True,
    )
    for term in found.terms:
        click.echo(
            f"{term.word:<24} {term.score:7.2f}  in {term.in_sample} sampled, {term.in_archive} in all"
        )
    for group, named in found.entities.items():
        if named:
            click.echo(f"{group}: " + ", ".join(f"{e.name} ({e.articles})" for e in named))


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def stats(obj: _Context, as_json: bool) -> None:
    """Counts by source, section, year and language, plus the rejects."""
    with obj.open(readonly=True) as archive:
        data = archive.stats()
    if as_json:
        _emit(data)
        return
    notices = [r for r in data["rejects"] if r["reason"].startswith(NOTICE)]
    click.echo(
        f"articles {data['articles']} · indexed {data['indexed']} · not yet searchable {data['unindexed']} · "
        f"captures {data['captures']} · rejects {len(data['rejects']) - len(notices)} · "
        f"notices {len(notices)} · skipped {len(data['skipped'])}"
    )
    click.echo(
        f"stories {data['stories']} · copy clusters {data['clusters']} · copies {data['copies']} · "
        f"older versions {data['versions']}"
    )
    for key in ("by_source", "by_section", "by_year", "by_language"):
        counts = data[key]
        shown = list(counts.items())[:15]
        more = f" … (+{len(counts) - 15})" if len(counts) > 15 else ""
        click.echo(f"{key[3:]}: " + ", ".join(f"{k} {v}" for k, v in shown) + more)
    for lang, analyzer in list(data["analyzers"].items())[:15]:
        click.echo(f"search analyzer for {lang}: {analyzer}")
    for reject in data["rejects"]:
        is_notice = reject["reason"].startswith(NOTICE)
        click.echo(f"{'' if is_notice else 'rejected '}{reject['origin']}: {reject['reason']}")
    for skip in data["skipped"]:
        click.echo(f"skipped {skip['stage']} of {skip['article_id']}: {skip['reason']}")


@cli.command()
@_WAIT_OPTION
@click.pass_obj
def reindex(obj: _Context, wait: float | None) -> None:
    """Rebuild the search index from the database (one commit: interrupted, the old index stays)."""
    obj.set_wait(wait)
    with obj.open() as archive:
        n = archive.reindex()
    click.echo(f"indexed {n} articles", err=True)


@cli.command()
@_WAIT_OPTION
@click.pass_obj
def reextract(obj: _Context, wait: float | None) -> None:
    """Re-run extraction on every kept original capture (after an upgrade)."""
    obj.set_wait(wait)
    with obj.open() as archive:
        n = archive.reextract()
    click.echo(f"{n} articles changed", err=True)


@cli.command()
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: only on a terminal).")
@_WAIT_OPTION
@click.pass_obj
def enrich(obj: _Context, progress: bool | None, wait: float | None) -> None:
    """Find entities, roles, quotes and dated events in articles not yet enriched (resumable).

    An article that cannot be enriched (too long, or the parser fails on it) is skipped with its
    reason, listed by `stats`, and the rest goes on.
    """
    obj.set_wait(wait)
    show = progress if progress is not None else sys.stderr.isatty()
    with obj.open() as archive, _progress(show) as hook:
        n = archive.enrich(progress=hook)
    click.echo(f"enriched {n} articles", err=True)


@cli.command()
@click.option("--top", type=click.IntRange(1), default=50, show_default=True, help="How many entities.")
@click.option("--type", "type_", type=click.Choice(["PERSON", "ORG", "PLACE"]), help="Only this type.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def entities(obj: _Context, top: int, type_: str | None, as_json: bool) -> None:
    """The most mentioned people, organisations and places, with aliases and roles."""
    with obj.open(readonly=True) as archive:
        found = archive.entities(top, type_)
    for entity in found:
        if as_json:
            _emit(entity.to_json())
            continue
        roles = "; ".join(f"{r.title}{' of ' + r.of if r.of else ''}" for r in entity.roles)
        click.echo(
            f"{entity.articles:6d}  {entity.type:6s}  {entity.name}" + (f"  ({roles})" if roles else "")
        )


@cli.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def entity(obj: _Context, name: str, as_json: bool) -> None:
    """One entity: aliases, roles timeline, mentions per month, co-occurring entities, quotes, events."""
    with obj.open(readonly=True) as archive:
        detail = archive.entity(name)
    data = {
        **detail.entity.to_json(),
        "mentions_per_month": detail.months,
        "cooccurring": [{"name": n, "articles": c} for n, c in detail.cooccurring],
        "quotes": [q.to_json() for q in detail.quotes],
        "events": [e.to_json() for e in detail.events],
    }
    if as_json:
        _emit(data)
        return
    e = detail.entity
    click.echo(click.style(e.name, bold=True) + f"  {e.type} · {e.articles} articles · {e.mentions} mentions")
    if e.aliases:
        click.echo("aliases: " + ", ".join(e.aliases))
    for role in e.roles:
        click.echo(
            f"role: {role.title}{' of ' + role.of if role.of else ''} (as of {role.as_of or 'undated'})"
        )
    if detail.months:
        click.echo("mentions per month: " + ", ".join(f"{m} {n}" for m, n in detail.months.items()))
    if detail.cooccurring:
        click.echo("appears with: " + ", ".join(f"{n} ({c})" for n, c in detail.cooccurring[:15]))
    for quote in detail.quotes[:20]:
        click.echo(f"quote [{quote.article_id}]: “{quote.text}” ({quote.cue})")
    for event in detail.events[:50]:
        click.echo(_event_line(event))


def _event_line(event: Event) -> str:
    date = event.date or "undated"
    return (
        f"{date:10s} {event.date_status:11s} {event.type:10s} {event.source or '?'} -> {event.target or '?'}"
        + (f" @ {event.location}" if event.location else "")
        + f"  [{event.article_id}]"
    )


@cli.command()
@click.option("--actor", "actors", multiple=True, help="Events involving this actor (repeat for two actors).")
@click.option("--type", "types", multiple=True, help="Only this event type, e.g. VISIT (repeatable).")
@click.option("--from", "date_from", help="Earliest event date (ISO prefix).")
@click.option("--to", "date_to", help="Latest event date (ISO prefix).")
@click.option("--limit", type=click.IntRange(1), default=1000, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def events(
    obj: _Context,
    actors: tuple[str, ...],
    types: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Who did what to whom and when: meetings, visits, calls, warnings … with their evidence."""
    with obj.open(readonly=True) as archive:
        found = archive.events(actors, date_from, date_to, types, limit)
    for event in found:
        if as_json:
            _emit(event.to_json())
        else:
            click.echo(_event_line(event))
            click.echo(f"    {' '.join(event.evidence_text.split())}")


@cli.command()
@click.option("--speaker", help="Only quotes by this speaker (canonical name or part of it).")
@click.option("--limit", type=click.IntRange(1), default=1000, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def quotes(obj: _Context, speaker: str | None, limit: int, as_json: bool) -> None:
    """Direct and reported quotes with their speaker and cue."""
    with obj.open(readonly=True) as archive:
        found = archive.quotes(speaker, limit)
    for quote in found:
        if as_json:
            _emit(quote.to_json())
        else:
            click.echo(
                f"{quote.speaker_entity or quote.speaker or '?'} ({quote.cue}) [{quote.article_id}]: “{quote.text}”"
            )


@cli.command("spark-ingest")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--output",
    "-o",
    required=True,
    metavar="DIR|URL",
    help="Folder (or Hadoop/S3 URL) for the Parquet tables.",
)
@click.option(
    "--master",
    default="local[*]",
    show_default=True,
    help="Spark master (local[N], yarn, spark://…, k8s://…).",
)
@click.option(
    "--partitions", type=click.IntRange(1), help="Partitions of the work (default: Spark's parallelism)."
)
@click.option(
    "--enrich/--no-enrich",
    default=False,
    show_default=True,
    help="Also find entities, quotes and events (spaCy on every executor).",
)
@click.option("--overwrite", is_flag=True, help="Replace what a non-empty --output folder holds.")
@click.option("--json", "as_json", is_flag=True, help="Print the job's counts as JSON.")
@click.pass_obj
def spark_ingest(
    obj: _Context,
    inputs: tuple[str, ...],
    output: str,
    master: str,
    partitions: int | None,
    enrich: bool,
    overwrite: bool,
    as_json: bool,
) -> None:
    """Process WARC/ARC, HTML, JSONL… inputs on Apache Spark into Parquet for `load`.

    INPUTS are files, folders or any URL Spark's Hadoop filesystems read (hdfs://, s3a://…).
    The job gives the same articles, copies and versions as `ingest` would; bring them into an
    archive with `newsarchive --archive DIR load OUTPUT`. Needs `pip install 'newsarchive[spark]'`
    and Java 17 or later. On a cluster, run newsarchive/batch/spark_job.py with spark-submit.
    """
    from newsarchive.batch.spark_job import run_local

    report = run_local(
        list(inputs),
        output,
        master=master,
        partitions=partitions,
        enrich=enrich,
        overwrite=overwrite,
        settings=obj.settings,
    )
    if as_json:
        _emit(report.to_json())
    else:
        click.echo(
            f"{report.inputs} inputs: {report.captures} captures ({report.captures_seen} read twice), "
            f"{report.articles} articles, {report.duplicates} exact duplicates, {report.clusters} clusters of copies, "
            f"{report.versions} older versions, {report.rejects} rejects in {report.seconds:.1f} s -> {output}",
            err=True,
        )


@cli.command("load")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: only on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@_WAIT_OPTION
@click.pass_obj
def load_cmd(obj: _Context, folder: Path, progress: bool | None, as_json: bool, wait: float | None) -> None:
    """Load the Parquet tables `spark-ingest` wrote into the archive, then index them.

    Creates the archive if absent. Resumable: run it again after an interruption and only what is
    missing is loaded. The archive must be new or hold only this output.
    """
    from newsarchive.batch.load import load

    obj.set_wait(wait)
    show = progress if progress is not None else sys.stderr.isatty()
    with obj.open(create=True) as archive, _load_progress(show) as hook:
        report = load(archive, folder, progress=hook)
    if as_json:
        _emit(report.to_json())
    else:
        click.echo(
            f"loaded {report.articles_new} articles ({report.articles_present} already there) and "
            f"{report.captures_new} captures ({report.captures_present} already there), {report.rejects} rejects",
            err=True,
        )


@contextmanager
def _load_progress(show: bool) -> Iterator[Any]:
    if not show:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    ) as bar:
        tasks: dict[str, Any] = {}

        def hook(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield hook


def _register_serve() -> None:
    """`serve` lives with the web package; without the [server] extra the CLI still works."""
    try:
        from newsarchive.web.serve_cli import serve
    except ImportError as exc:  # fastapi/uvicorn not installed
        missing = str(exc)

        @cli.command()
        def serve() -> None:
            """Serve the web UI and REST API (needs `pip install newsarchive[server]`)."""
            raise click.ClickException(
                f"the server needs the [server] extra: pip install 'newsarchive[server]' ({missing})"
            )

        return
    cli.add_command(serve)


_register_serve()


def main() -> None:
    """Entry point: run the CLI and turn our errors into one line and exit code 1."""
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ArchiveBusyError as exc:
        click.echo(f"newsarchive: {exc}", err=True)
        sys.exit(3)
    except NewsArchiveError as exc:
        click.echo(f"newsarchive: {exc}", err=True)
        sys.exit(1)
    except SystemExit:
        raise
    except BrokenPipeError:
        sys.exit(0)
    except OSError as exc:  # a full disk or a vanished directory outside the database and index
        click.echo(
            f"newsarchive: {exc.filename or 'I/O'}: {exc.strerror or exc}; nothing more was written", err=True
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
