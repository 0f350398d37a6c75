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
from functools import lru_cache
from json.encoder import encode_basestring as _encode_string
from operator import itemgetter
from typing import Any, TypeVar

from newsarchive.errors import QueryError
from newsarchive.index.base import Index, IndexQuery
from newsarchive.model import Article
from newsarchive.store.base import ArticleStore, ExportRow

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

T = TypeVar("T")

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
    """Every article the query matches, oldest first (undated last), read a batch at a time."""
    return _read_ahead(index, query, batch, lambda ids: list(_in_order(store.get_articles(ids), ids)))


def _in_order(found: dict[str, Article], wanted: list[str]) -> Iterator[Article]:
    # an id deleted since the index was written has nothing to export
    return (found[i] for i in wanted if i in found)


def _read_ahead(
    index: Index, query: IndexQuery, batch: int, read: Callable[[list[str]], list[T]]
) -> Iterator[T]:
    """The matches' records a batch at a time (one batch in memory).

    No read-ahead thread: reading a batch (the index's stored documents, then SQLite a step per
    row, each step releasing and retaking the GIL) and formatting the last one are both mostly
    Python, and a thread for the reads measured no faster on two cores (0.37x a bare SELECT
    against 0.41x without it, bench/research_speed.py's archive).
    """
    for wanted in index.match_ids(query, batch):
        yield from read(wanted)


class ExportCount:
    """How many rows an export has written so far (read it once the chunks are consumed)."""

    def __init__(self) -> None:
        self.rows = 0


def export_chunks(
    rows: Iterable[ExportRow],
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
    counted = _counted(rows, counter, limit)
    if fmt == "jsonl":
        return _jsonl_chunks(counted, fields, batch)
    if fmt == "csv":
        return _csv_chunks(counted, fields, batch)
    return _parquet_chunks(counted, fields, batch)


def _counted(rows: Iterable[ExportRow], counter: ExportCount, limit: int | None) -> Iterator[ExportRow]:
    for row in rows:
        if limit is not None and counter.rows >= limit:
            return
        counter.rows += 1
        yield row


_LIST_COLUMNS = frozenset({"authors", "captions", "media_ids", "captures"})
"""Columns an ``ExportRow`` holds as JSON text."""


def _stored(name: str) -> Callable[[ExportRow], Any]:
    get: Callable[[ExportRow], Any] = itemgetter(ExportRow._fields.index(name))
    return get


def _precision(row: ExportRow) -> str | None:
    return _published_day(row.published)[1]


def _json_value(name: str) -> Callable[[ExportRow], str]:
    """A column as JSON text (JSONL): lists as the row holds them, the rest encoded."""
    if name in _LIST_COLUMNS:
        return _stored(name)
    get = _precision if name == "published_precision" else _stored(name)
    kind = _KINDS[name]
    if kind is str:

        def text(row: ExportRow) -> str:
            value = get(row)
            return "null" if value is None else _encode_string(value)

        return text
    if kind is bool:
        return lambda row: "true" if get(row) else "false"
    return lambda row: str(get(row))


_KINDS: dict[str, type] = {
    **{name: str for name in EXPORT_FIELDS},
    "body_offset": int, "word_count": int, "representative": bool, "latest": bool,
}  # fmt: skip


def _jsonl_chunks(rows: Iterator[ExportRow], fields: Sequence[str], batch: int) -> Iterator[bytes]:
    """JSON lines, ``batch`` rows a piece."""
    for group in _groups(rows, batch):
        yield jsonl_piece(group, fields)


def jsonl_piece(rows: Sequence[ExportRow], fields: Sequence[str]) -> bytes:
    """These rows as JSON lines, as ``json.dumps(record, ensure_ascii=False)`` writes them, built
    from the row's pieces: the lists are JSON already, and no dict is made per row."""
    parts = [(f'"{name}": ', _json_value(name)) for name in fields]
    lines = ["{" + ", ".join([key + value(row) for key, value in parts]) + "}" for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _groups(rows: Iterator[ExportRow], size: int) -> Iterator[list[ExportRow]]:
    group: list[ExportRow] = []
    for row in rows:
        group.append(row)
        if len(group) >= size:
            yield group
            group = []
    if group:
        yield group


def _csv_chunks(rows: Iterator[ExportRow], fields: Sequence[str], batch: int) -> Iterator[bytes]:
    """The header line, then ``batch`` rows a piece."""
    yield csv_header(fields)
    for group in _groups(rows, batch):
        yield csv_piece(group, fields)


def csv_header(fields: Sequence[str]) -> bytes:
    """The CSV file's first line: the column names."""
    return _csv_line(list(fields)).encode("utf-8")


def csv_piece(rows: Sequence[ExportRow], fields: Sequence[str]) -> bytes:
    """These rows as CSV lines, as the ``csv`` module writes them (minimal quoting, CRLF), joined
    by hand: the module's writer spends twice as long on long bodies as a regular-expression check
    and a join."""
    cells = [_CSV_CELLS[name] for name in fields]
    return "".join([_csv_safe_line([cell(row) for cell in cells]) for row in rows]).encode("utf-8")


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


def _csv_safe_line(values: list[Any]) -> str:
    """``_csv_line`` with every text cell made spreadsheet-safe (numbers and flags as they are)."""
    if len(values) == 1 and values[0] in ("", None):
        return '""\r\n'
    out = []
    for value in values:
        if type(value) is str:
            if value and value[0] in _FORMULA_FIRST:
                value = "'" + value
        else:
            value = "" if value is None else str(value)
        if _NEEDS_QUOTES.search(value) is not None:
            value = '"' + value.replace('"', '""') + '"'
        out.append(value)
    return ",".join(out) + "\r\n"


def _csv_day(row: ExportRow) -> str | None:
    day = _published_day(row.published)[0]
    return None if day is None else day.isoformat()


_CSV_CELLS: dict[str, Callable[[ExportRow], Any]] = {
    **{name: _stored(name) for name in ExportRow._fields},
    "published": _csv_day,
    "published_precision": _precision,
}
"""Each column's CSV cell straight from the row (lists are JSON text already)."""


@lru_cache(maxsize=1 << 16)
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


def _parquet_chunks(rows: Iterator[ExportRow], fields: Sequence[str], batch: int) -> Iterator[bytes]:
    """Row groups of ``batch`` rows, each built column by column from the rows."""
    return parquet_pieces((arrow_table(group, fields) for group in _groups(rows, batch)), fields)


def parquet_pieces(tables: Iterable[Any], fields: Sequence[str]) -> Iterator[bytes]:
    """A Parquet file of these Arrow tables (a row group each), a piece per table."""
    import pyarrow.parquet as pq

    schema = parquet_schema(fields)
    sink = _Sink()
    writer = pq.ParquetWriter(sink, schema)
    try:
        wrote = False
        for table in tables:
            writer.write_table(table)
            wrote = True
            yield sink.take()
        if not wrote:  # an empty file still has the columns
            writer.write_table(arrow_table([], fields))
    finally:
        writer.close()
    yield sink.take()


def arrow_table(rows: Sequence[ExportRow], fields: Sequence[str]) -> Any:
    """These rows as an Arrow table of the export's Parquet schema."""
    return _table(rows, fields, parquet_schema(fields))


def _table(rows: Sequence[ExportRow], fields: Sequence[str], schema: Any) -> Any:
    import pyarrow as pa

    return pa.Table.from_arrays(
        [pa.array(_column(rows, name), type=field.type) for name, field in zip(fields, schema, strict=True)],
        schema=schema,
    )


def _column(rows: Sequence[ExportRow], name: str) -> list[Any]:
    """One column's Python values, typed as its Parquet type wants them."""
    if name == "published":
        return [_published_day(row.published)[0] for row in rows]
    if name == "published_precision":
        return [_published_day(row.published)[1] for row in rows]
    at = ExportRow._fields.index(name)
    if name == "published_time":
        return [_utc(row.published_time) for row in rows]
    if name in _LIST_COLUMNS:
        texts: list[str] = [row[at] for row in rows]  # type: ignore[misc]
        return [[] if text == "[]" else json.loads(text) for text in texts]
    return [row[at] for row in rows]
