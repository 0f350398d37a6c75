"""Every article matching a query, streamed at constant memory, as JSONL, CSV or Parquet.

Ids come from the index a batch at a time (``Index.match_ids``: no depth limit, one snapshot) and
the articles from the store a batch at a time, so a million matches never sit in memory. The
columns are the article contract of ``export`` (``Article.to_json``) plus ``published_precision``;
CSV and Parquet are typed for pandas and R: ``published`` is a date (the first day of the month or
year when only that is known, as ``published_precision`` says), ``published_time`` a UTC
timestamp in Parquet, lists are lists in Parquet and JSON text in CSV.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from operator import attrgetter
from typing import Any

from newsarchive.errors import QueryError
from newsarchive.index.base import Index, IndexQuery
from newsarchive.model import Article
from newsarchive.store.base import ArticleStore

__all__ = [
    "EXPORT_FIELDS",
    "QUERY_EXPORT_FORMATS",
    "ExportCount",
    "export_chunks",
    "export_fields",
    "matching_articles",
    "spreadsheet_safe",
]

QUERY_EXPORT_FORMATS = ("csv", "jsonl", "parquet")
EXPORT_FIELDS = (
    "id", "url", "source", "title", "authors", "published", "published_precision", "published_time",
    "published_raw", "published_from", "section", "language", "body", "body_offset", "captions",
    "media_ids", "word_count", "cluster_id", "representative", "latest", "captures",
)  # fmt: skip
"""The columns of a query export, in order: the article contract plus ``published_precision``."""
BATCH = 2000
"""Articles read from the store at a time (and rows per Parquet row group)."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula: text starting with = + - @ TAB or CR
    gets a leading apostrophe (OWASP's advice for CSV injection). Numbers are left as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def export_fields(fields: Sequence[str] | str | None) -> tuple[str, ...]:
    """The columns asked for (``id,title,…`` or a list), checked; all of them when none are named."""
    if fields is None or fields == "" or fields == ():
        return EXPORT_FIELDS
    names = [f.strip() for f in (fields.split(",") if isinstance(fields, str) else fields) if f.strip()]
    unknown = [f for f in names if f not in EXPORT_FIELDS]
    if unknown:
        raise QueryError(f"unknown export field {unknown[0]!r}; the fields are {', '.join(EXPORT_FIELDS)}")
    return tuple(dict.fromkeys(names))


def matching_articles(
    index: Index, store: ArticleStore, query: IndexQuery, batch: int = BATCH
) -> Iterator[Article]:
    """Every article the query matches, oldest first (undated last), read a batch at a time.

    The next batch is read on a helper thread while this one is written out: the index and the
    store release the GIL while they read, so reading and formatting overlap (two batches at most
    are in memory). Every read happens on that one thread.
    """
    ids = index.match_ids(query, batch)

    def next_batch() -> list[Article] | None:
        wanted = next(ids, None)
        if wanted is None:
            return None
        found = store.get_articles(wanted)
        # an id deleted since the index was written has nothing to export
        return [found[i] for i in wanted if i in found]

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsarchive-export") as reader:
        pending = reader.submit(next_batch)
        while (articles := pending.result()) is not None:
            pending = reader.submit(next_batch)
            yield from articles


class ExportCount:
    """How many rows an export has written so far (read it once the chunks are consumed)."""

    def __init__(self) -> None:
        self.rows = 0


def export_chunks(
    articles: Iterable[Article],
    fmt: str,
    fields: Sequence[str] = EXPORT_FIELDS,
    count: ExportCount | None = None,
    limit: int | None = None,
    batch: int = BATCH,
) -> Iterator[bytes]:
    """The export file, a piece at a time (``batch`` rows a piece); ``limit`` stops after that many rows."""
    if fmt not in QUERY_EXPORT_FORMATS:
        raise QueryError(f"export format must be one of {', '.join(QUERY_EXPORT_FORMATS)}, not {fmt!r}")
    counter = count or ExportCount()
    rows = _counted(articles, counter, limit)
    if fmt == "jsonl":
        return _jsonl_chunks(rows, fields, batch)
    if fmt == "csv":
        return _csv_chunks(rows, fields, batch)
    return _parquet_chunks(rows, fields, batch)


def _counted(articles: Iterable[Article], counter: ExportCount, limit: int | None) -> Iterator[Article]:
    for article in articles:
        if limit is not None and counter.rows >= limit:
            return
        counter.rows += 1
        yield article


def _captures(article: Article) -> list[dict[str, Any]]:
    return [c.to_json() for c in article.captures]


_AS_STORED: dict[str, Callable[[Article], Any]] = {
    "id": attrgetter("id"), "url": attrgetter("url"), "source": attrgetter("source"),
    "title": attrgetter("title"), "authors": attrgetter("authors"), "published": attrgetter("published"),
    "published_precision": lambda a: _published_day(a.published)[1],
    "published_time": attrgetter("published_time"), "published_raw": attrgetter("published_raw"),
    "published_from": attrgetter("published_from"), "section": attrgetter("section"),
    "language": attrgetter("language"), "body": attrgetter("body"), "body_offset": attrgetter("body_offset"),
    "captions": attrgetter("captions"), "media_ids": attrgetter("media_ids"),
    "word_count": attrgetter("word_count"), "cluster_id": attrgetter("cluster_id"),
    "representative": attrgetter("representative"), "latest": attrgetter("latest"), "captures": _captures,
}  # fmt: skip
"""Each column's value as ``Article.to_json`` gives it (JSONL)."""
_TYPED: dict[str, Callable[[Article], Any]] = {
    **_AS_STORED,
    "published": lambda a: _published_day(a.published)[0],
}
"""CSV and Parquet: ``published`` as a date."""


def _record(article: Article, fields: Sequence[str]) -> dict[str, Any]:
    return {name: _AS_STORED[name](article) for name in fields}


def _jsonl_chunks(articles: Iterator[Article], fields: Sequence[str], batch: int) -> Iterator[bytes]:
    lines: list[str] = []
    for article in articles:
        lines.append(json.dumps(_record(article, fields), ensure_ascii=False))
        if len(lines) >= batch:
            yield ("\n".join(lines) + "\n").encode("utf-8")
            lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode("utf-8")


def _csv_chunks(articles: Iterator[Article], fields: Sequence[str], batch: int) -> Iterator[bytes]:
    """CSV as the ``csv`` module writes it (minimal quoting, CRLF), joined by hand: the module's
    writer spends twice as long on long bodies as a regular-expression check and a join."""
    cells = [_CSV_CELLS[name] for name in fields]
    lines = [_csv_line(list(fields))]
    for n, article in enumerate(articles, 1):
        lines.append(_csv_line([cell(article) for cell in cells]))
        if n % batch == 0:
            yield "".join(lines).encode("utf-8")
            lines = []
    yield "".join(lines).encode("utf-8")


_NEEDS_QUOTES = re.compile(r'[",\r\n]')


def _csv_line(values: list[Any]) -> str:
    if len(values) == 1 and values[0] in ("", None):
        return '""\r\n'  # as csv writes it: an empty line would read as no row
    out = []
    for value in values:
        if type(value) is not str:
            value = "" if value is None else str(value)
        if _NEEDS_QUOTES.search(value) is not None:
            value = '"' + value.replace('"', '""') + '"'
        out.append(value)
    return ",".join(out) + "\r\n"


_FORMULA_FIRST = frozenset(_FORMULA_STARTS)


def _csv_cell(value: Any) -> Any:
    """Dates as ISO text, lists and records as JSON, none as empty, text made spreadsheet-safe."""
    kind = type(value)
    if kind is str:
        return "'" + value if value and value[0] in _FORMULA_FIRST else value
    if value is None:
        return ""
    if kind is list:
        return spreadsheet_safe(json.dumps(value, ensure_ascii=False)) if value else "[]"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _text_cell(get: Callable[[Article], str | None]) -> Callable[[Article], str]:
    def cell(article: Article) -> str:
        value = get(article)
        if not value:
            return ""
        return "'" + value if value[0] in _FORMULA_FIRST else value

    return cell


def _as_is(get: Callable[[Article], Any]) -> Callable[[Article], Any]:
    return get


def _any_cell(get: Callable[[Article], Any]) -> Callable[[Article], Any]:
    return lambda article: _csv_cell(get(article))


_TEXT_COLUMNS = frozenset({"id", "url", "source", "title", "published_precision", "published_time",
                           "published_raw", "published_from", "section", "language", "body", "cluster_id"})  # fmt: skip
_PLAIN_COLUMNS = frozenset({"body_offset", "word_count", "representative", "latest"})
_CSV_CELLS: dict[str, Callable[[Article], Any]] = {
    name: (_text_cell if name in _TEXT_COLUMNS else _as_is if name in _PLAIN_COLUMNS else _any_cell)(get)
    for name, get in _AS_STORED.items()
}
"""Each column's CSV cell straight from the article (one call a cell on the hot path)."""
_CSV_CELLS["published"] = lambda a: _csv_cell(_published_day(a.published)[0])


def _typed(article: Article, fields: Sequence[str]) -> dict[str, Any]:
    """The record with ``published`` as a date (``published_time`` stays as written here; Parquet
    makes it a UTC timestamp)."""
    return {name: _TYPED[name](article) for name in fields}


def _published_day(published: str | None) -> tuple[dt.date | None, str | None]:
    """A stored publication date as a date and how precise it is: ``2016-05`` is May 1st, month."""
    if not published:
        return None, None
    try:
        if len(published) == 4:
            return dt.date(int(published), 1, 1), "year"
        if len(published) == 7:
            return dt.date(int(published[:4]), int(published[5:7]), 1), "month"
        return dt.date.fromisoformat(published[:10]), "day"
    except ValueError:
        return None, None


def _utc(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def parquet_schema(fields: Sequence[str]) -> Any:
    """The Parquet (Arrow) schema of these export columns."""
    import pyarrow as pa

    types: dict[str, Any] = {
        "id": pa.string(), "url": pa.string(), "source": pa.string(), "title": pa.string(),
        "authors": pa.list_(pa.string()), "published": pa.date32(), "published_precision": pa.string(),
        "published_time": pa.timestamp("us", tz="UTC"), "published_raw": pa.string(),
        "published_from": pa.string(), "section": pa.string(), "language": pa.string(), "body": pa.string(),
        "body_offset": pa.int64(), "captions": pa.list_(pa.string()), "media_ids": pa.list_(pa.string()),
        "word_count": pa.int64(), "cluster_id": pa.string(), "representative": pa.bool_(),
        "latest": pa.bool_(),
        "captures": pa.list_(pa.struct([("sha256", pa.string()), ("origin", pa.string()),
                                        ("ingested_at", pa.string())])),
    }  # fmt: skip
    return pa.schema([(name, types[name]) for name in fields])


class _Sink(io.RawIOBase):
    """A write-only file that keeps what was written until it is taken (Parquet, piece by piece)."""

    def __init__(self) -> None:
        self._pieces: list[bytes] = []
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        piece = bytes(data)
        self._pieces.append(piece)
        self._position += len(piece)
        return len(piece)

    def tell(self) -> int:
        return self._position

    def take(self) -> bytes:
        out = b"".join(self._pieces)
        self._pieces = []
        return out


def _parquet_chunks(articles: Iterator[Article], fields: Sequence[str], batch: int) -> Iterator[bytes]:
    """Row groups of ``batch`` rows, each built column by column (no dict per row)."""
    import pyarrow.parquet as pq

    schema = parquet_schema(fields)
    getters = [_PARQUET_VALUES.get(name, _TYPED[name]) for name in fields]
    sink = _Sink()
    writer = pq.ParquetWriter(sink, schema)
    try:
        columns: list[list[Any]] = [[] for _ in fields]
        wrote = False
        for n, article in enumerate(articles, 1):
            for column, get in zip(columns, getters, strict=True):
                column.append(get(article))
            if n % batch == 0:
                writer.write_table(_table(columns, schema))
                columns, wrote = [[] for _ in fields], True
                yield sink.take()
        if columns[0] or not wrote:
            writer.write_table(_table(columns, schema))
    finally:
        writer.close()
    yield sink.take()


def _table(columns: list[list[Any]], schema: Any) -> Any:
    import pyarrow as pa

    return pa.Table.from_arrays(
        [pa.array(values, type=field.type) for values, field in zip(columns, schema, strict=True)],
        schema=schema,
    )


_PARQUET_VALUES: dict[str, Callable[[Article], Any]] = {"published_time": lambda a: _utc(a.published_time)}
