"""JSON Lines, JSON and CSV exports (one article per row) -> one Capture per row.

A row's fields are found by ``fieldmap``: an alias table (``text``, ``content``, ``maintext``…
for the body; ``headline``, ``publishedAt``, ``byline``, ``canonical_link``… for the rest) and the
user's own mapping (``--field body=content``). A row with a body becomes a ``text`` capture (the
body as given, so character offsets into it stay valid; a body that is markup becomes ``html``);
otherwise its html field becomes an ``html`` capture. When no key is a body, the longest text
column (over 200 characters on average in the file's first rows) is taken, and a notice says so.
The row's other fields become hints, so extraction trusts the exporter's url, title and date.

JSON documents are read as rows too: an array of objects, a wrapper such as ``{"articles": [...]}``
or ``{"response": {"docs": [...]}}``, one pretty-printed object, or several one after another.
They are streamed by a bounded scanner (``_JsonScanner``) that holds one row at a time, never more
than ``max_capture_bytes`` of it, so a 2 GB file or one huge row never sits in memory.

A file's encoding is decided once, from its first 256 KB, by the rule pages and dumps use
(``extract.encoding.sniff``): a BOM, UTF-8, else windows-1252 or the legacy encoding detected, as
Excel writes CSV in the system's code page (windows-1256 for Arabic, windows-1251 for Russian).
Whether the file writes numeric dates day first is guessed from its first rows' dates (and the
later ones while they do not tell) and passed on as the ``dayfirst`` hint.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import zlib
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

# extract.encoding and extract.published are leaves: importing them keeps this module pure and
# keeps one decoding rule and one date rule for every input, instead of diverging copies here
from newsarchive.extract.encoding import sniff
from newsarchive.extract.published import guess_dayfirst
from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.fieldmap import HINT_NAMES, FieldMap, aliases_shown, field_key, valid_text
from newsarchive.sources.files import display_origin, open_input, over_cap_reason, path_hints
from newsarchive.sources.stats import SourceStats

logger = logging.getLogger(__name__)

CSV_DELIMITERS = (",", "\t", ";")
_COLUMN_NAME = re.compile(r"[\w .:/()#-]{1,64}")
_VALUE_LIKE = re.compile(r"[\d\s.,:/+-]+|.*://.*")  # a number, a date or a URL: a row of data
_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")  # C0 but tab, newlines, VT, FF, ESC, as detect
_MARKUP = re.compile(
    r"\s*<(?:!doctype|html|body|article|div|p|section|h[1-6]|figure|span|ul|ol|table|blockquote)\b",
    re.IGNORECASE,
)
_SAMPLE_BYTES = 256 * 1024
"""Bytes read to decide a file's encoding: many rows of any export, cheap to hold."""
_READ_BYTES = 8192
_BUFFER_BYTES = 1 << 16
SAMPLE_ROWS = 200
"""Rows read ahead to choose a body column when none is named and to tell the file's date order."""
_SAMPLE_ROW_BYTES = 8 * 1024 * 1024
"""...but never more bytes of rows than this (rows may each be up to max_capture_bytes)."""
LONG_TEXT_CHARS = 200
"""A column whose values average more characters than this may be the body when none is named."""


@dataclass(slots=True)
class _Row:
    """One row read from a file: where it is, its fields as parsed, and the bytes it was given in."""

    origin: str
    values: dict[str, Any]
    raw: bytes


@dataclass(slots=True, frozen=True)
class _BodyGuess:
    """The column taken as the body when no key names one, and why."""

    column: str
    average: int

    def notice(self) -> str:
        return (
            f"no column is named as the body (text, content, body, article…), so {self.column!r} was "
            f"taken: the longest text column, {self.average:,} characters on average in the first rows; "
            f"if that is wrong, name the body with --field body=<column>"
        )


def read_jsonl(
    path: Path, settings: Settings, stats: SourceStats | None = None
) -> Iterator[Capture | Reject]:
    """One Capture per JSON object line; bad lines are rejected by line number and reading goes on."""
    origin = display_origin(path)
    yield from _captures(_jsonl_rows(path, origin, settings.max_capture_bytes), settings, path, None)


def _jsonl_rows(path: Path, origin: str, cap: int) -> Iterator[_Row | Reject]:
    with open_input(path) as fh:
        for number, line in enumerate(_jsonl_lines(fh, cap), start=1):
            line_origin = f"{origin}#{number}"
            if line is None:
                yield Reject(line_origin, over_cap_reason(cap))
                continue
            content = line.rstrip(b"\r\n")
            if not content.strip():
                continue
            yield _parsed(line_origin, content, "line")


def read_json(path: Path, settings: Settings, stats: SourceStats | None = None) -> Iterator[Capture | Reject]:
    """One Capture per article object of a JSON document, ``#n`` its number (1 for the first).

    An array of objects, a wrapper object holding one (``{"articles": [...]}``), a single
    pretty-printed object, or several objects one after another. A bad or oversized row is
    rejected and reading goes on; a file cut short or garbled ends with a reject that says where,
    after the rows before it.
    """
    origin = display_origin(path)
    yield from _captures(_json_rows(path, origin, settings.max_capture_bytes), settings, path, None)


def _json_rows(path: Path, origin: str, cap: int) -> Iterator[_Row | Reject]:
    number = 0
    with open_input(path) as fh:
        scanner = _JsonScanner(_utf8_chunks(fh))
        try:
            for raw in _json_values(scanner, cap):
                number += 1
                row_origin = f"{origin}#{number}"
                if raw is None:
                    yield Reject(row_origin, over_cap_reason(cap))
                    continue
                yield _parsed(row_origin, raw, "row")
        except _Truncated as cut:
            kept = _rows_before(number)
            if cut.inside_row:
                yield Reject(
                    f"{origin}#{number + 1}",
                    f"the file ends inside this row (truncated JSON); {kept}; re-download or re-export "
                    "the file to get the rest",
                )
            else:
                yield Reject(
                    origin,
                    f"the file ends before its JSON is closed (truncated after row {number:,}); "
                    f"{_rows_before(number)}; re-download or re-export the file to get the rest",
                )
            return
        except _Garbled as bad:
            yield Reject(
                origin,
                f"not valid JSON at byte {bad.offset:,} ({bad.what}), after row {number:,}; "
                f"{_rows_before(number)}, the rest was skipped; fix the file there, or export it as JSON Lines",
            )
            return
    if number == 0:
        yield Reject(origin, "JSON holds no article rows (an empty list); nothing to ingest")


def _rows_before(number: int) -> str:
    if number == 0:
        return "no row before it was complete"
    return "the row before it was read" if number == 1 else f"the {number:,} rows before it were read"


def _parsed(origin: str, content: bytes, unit: str) -> _Row | Reject:
    """A JSON line or row as a _Row, or the reason it cannot be one."""
    try:
        row = json.loads(content)
    except UnicodeDecodeError:
        return Reject(origin, f"{unit} is not valid UTF-8; re-export the file as UTF-8")
    except json.JSONDecodeError as exc:
        where = (
            f"column {exc.colno}" if unit == "line" else f"line {exc.lineno} column {exc.colno} of the row"
        )
        return Reject(origin, f"{unit} is not valid JSON ({exc.msg} at {where}); fix or drop it")
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return Reject(origin, f"{unit} cannot be read as JSON ({exc}); fix or drop it")
    except RecursionError:
        return Reject(origin, f"{unit} nests JSON too deeply to read; expected one flat article object")
    if isinstance(row, dict):
        row = _unwrapped(row)
    if not isinstance(row, dict):
        return Reject(origin, f"{unit} is a JSON {type(row).__name__}, not an object; expected one article")
    return _Row(origin, row, content)


def _unwrapped(row: dict[str, Any]) -> dict[str, Any]:
    """The article inside an Elasticsearch hit (``_source``) or a GraphQL edge (``node``)."""
    inner = row.get("_source")
    if isinstance(inner, dict):
        return inner
    if len(row) == 1 and isinstance(row.get("node"), dict):
        return row["node"]  # type: ignore[no-any-return]
    return row


def read_csv(path: Path, settings: Settings, stats: SourceStats | None = None) -> Iterator[Capture | Reject]:
    """One Capture per CSV row (delimiter , ; or tab, from the header); ``#n`` is the row's first line.

    A bad row (malformed, oversized, holding control bytes) is rejected by its line and reading goes
    on; a file that starts with data instead of a header row, or whose header names no body
    column (and none holds long text), is rejected whole.
    """
    origin = display_origin(path)
    cap = settings.max_capture_bytes
    # the csv module's per-field limit is process-wide; only ever raise it, to fit our own cap
    if csv.field_size_limit() < cap:
        csv.field_size_limit(cap)
    with open_input(path) as raw:
        stream, codec = _sniffed(raw)
        with io.TextIOWrapper(stream, encoding=codec, errors="replace", newline="") as fh:
            header_line = fh.readline()
            delimiter = max(CSV_DELIMITERS, key=header_line.count)
            header = next(csv.reader([header_line], delimiter=delimiter), [])
            columns = [c.strip() for c in header]
            if not is_header_row(columns):
                yield Reject(
                    origin,
                    f"CSV file has no header row: first line {_excerpt(header_line)}; add a header naming "
                    "the columns (text or html, url, title, date…)",
                )
                return
            missing = FieldMap(settings.fields).missing_user_columns(columns)
            if missing:
                field, column = missing[0]
                yield Reject(
                    origin,
                    f"CSV header has no column {column!r} (mapped with --field {field}={column}); columns "
                    f"found: {_names(columns)}",
                )
                return
            rows = _csv_rows(fh, origin, columns, delimiter, cap)
            yield from _captures(rows, settings, path, columns)


def _csv_rows(
    fh: Iterable[str], origin: str, columns: list[str], delimiter: str, cap: int
) -> Iterator[_Row | Reject]:
    for first_line, values in _csv_records(fh, 2, delimiter, cap):
        row_origin = f"{origin}#{first_line}"
        if isinstance(values, str):
            yield Reject(row_origin, values)
            continue
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(columns):
            yield Reject(
                row_origin,
                f"row has {len(values)} fields but the header has {len(columns)}; fix quoting",
            )
            continue
        if any(_CONTROL.search(v) for v in values):
            yield Reject(
                row_origin, "row holds NUL or other control bytes (binary data?); fix or drop the row"
            )
            continue
        row = dict(zip(columns, values, strict=False))
        encoded = json.dumps(row, ensure_ascii=False).encode("utf-8")
        if len(encoded) > cap:
            yield Reject(row_origin, over_cap_reason(cap, len(encoded)))
            continue
        yield _Row(row_origin, row, encoded)


# -- rows -> captures ---------------------------------------------------------------------------


def _captures(
    records: Iterator[_Row | Reject], settings: Settings, path: Path, columns: list[str] | None
) -> Iterator[Capture | Reject]:
    """Captures of the rows, their fields found by the settings' field map.

    The first rows are read ahead (at most ``SAMPLE_ROWS``, ``_SAMPLE_ROW_BYTES``) to choose a body
    column when none is named and to tell the file's date order; then every row streams through.
    """
    origin = display_origin(path)
    extra = path_hints(path)
    fieldmap = FieldMap(settings.fields)
    sample: list[_Row | Reject] = []
    size = 0
    for record in records:
        sample.append(record)
        size += len(record.raw) if isinstance(record, _Row) else 0
        if len(sample) >= SAMPLE_ROWS or size >= _SAMPLE_ROW_BYTES:
            break
    prepared = [(r, fieldmap.match(r.values) if isinstance(r, _Row) else {}) for r in sample]
    del sample
    matched = [(r, found) for r, found in prepared if isinstance(r, _Row)]
    bodiless = [(r, found) for r, found in matched if "body" not in found and "html" not in found]
    guess = None if "body" in fieldmap.user else _guess_body(bodiless)
    if columns is not None:
        named = fieldmap.columns(columns)
        if "body" not in named and "html" not in named and guess is None:
            yield Reject(origin, _no_body_column(columns, fieldmap))
            return
        if "body" in named or "html" in named:
            guess = None  # the named column is the body; an empty cell of it is an empty body
    if guess is not None:
        logger.warning("%s: %s", origin, guess.notice())
    dates = _DateOrder(settings.dayfirst is None)
    for _, found in matched:
        dates.see(found.get("published"))
    del matched, bodiless
    told = False
    for record, found in _with_fields(prepared, records, fieldmap, dates):
        if isinstance(record, Reject):
            yield record
            continue
        capture = _row_capture(record, found, extra, fieldmap, guess, columns)
        if isinstance(capture, Capture):
            if dates.hint is not None:
                capture.hints["dayfirst"] = dates.hint
            if guess is not None and capture.hints.get("body_column") == guess.column and not told:
                capture.hints["notice"] = guess.notice()
                told = True
        yield capture


def _with_fields(
    sample: list[tuple[_Row | Reject, dict[str, tuple[str, str]]]],
    rest: Iterator[_Row | Reject],
    fieldmap: FieldMap,
    dates: _DateOrder,
) -> Iterator[tuple[_Row | Reject, dict[str, tuple[str, str]]]]:
    """The sample's rows with their fields (let go of as they are yielded), then the rest's, matched
    as they come and their dates seen."""
    sample.reverse()
    while sample:
        yield sample.pop()
    for record in rest:
        if isinstance(record, Reject):
            yield record, {}
            continue
        found = fieldmap.match(record.values)
        dates.see(found.get("published"))
        yield record, found


class _DateOrder:
    """Whether a file writes numeric dates day first, from the values seen so far (extract.published's rule)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.day_first = self.month_first = False

    def see(self, value: tuple[str, str] | None) -> None:
        if not self.enabled or value is None or (self.day_first and self.month_first):
            return
        told = guess_dayfirst([value[1]])
        self.day_first |= told is True
        self.month_first |= told is False

    @property
    def hint(self) -> str | None:
        """``"1"`` day first, ``"0"`` month first, None when the dates do not tell (or disagree)."""
        if self.day_first == self.month_first:
            return None
        return "1" if self.day_first else "0"


def _guess_body(rows: list[tuple[_Row, dict[str, tuple[str, str]]]]) -> _BodyGuess | None:
    """The longest text column of rows that name no body, when it averages over LONG_TEXT_CHARS."""
    if not rows:
        return None
    totals: dict[str, int] = {}
    for row, found in rows:
        used = {key for key, _ in found.values()}
        for key, value in row.values.items():
            if key not in used and isinstance(key, str) and isinstance(value, str):
                totals[key] = totals.get(key, 0) + len(value.strip())
    if not totals:
        return None
    column = max(totals, key=lambda k: totals[k])  # the first of equals: dicts keep row order
    average = totals[column] // len(rows)
    return _BodyGuess(column, average) if average > LONG_TEXT_CHARS else None


def _row_capture(
    row: _Row,
    found: dict[str, tuple[str, str]],
    extra: dict[str, str],
    fieldmap: FieldMap,
    guess: _BodyGuess | None,
    columns: list[str] | None,
) -> Capture | Reject:
    hints = {**extra}
    for field, (_, text) in found.items():
        if field not in ("body", "html"):
            hints[HINT_NAMES[field]] = text
    body = found.get("body")
    html = found.get("html")
    if body is None and html is None and guess is not None:
        value = row.values.get(guess.column)
        if isinstance(value, str) and value.strip():
            hints["body_column"] = guess.column
            body = (guess.column, valid_text(value))
    if body is not None and html is None and "body" not in fieldmap.user and _MARKUP.match(body[1]):
        html, body = body, None  # an exporter's "content" that is the page's markup
    if html is not None:
        hints["html"] = html[1]
    if body is not None:
        hints["text"] = body[1]
        return Capture(
            origin=row.origin,
            raw=row.raw,
            format="text",
            url=hints.get("url"),
            fetched_at=hints.get("fetched_at"),
            content_type="text/plain",
            hints=hints,
        )
    if html is not None:
        return Capture(
            origin=row.origin,
            raw=html[1].encode("utf-8"),
            format="html",
            url=hints.get("url"),
            fetched_at=hints.get("fetched_at"),
            content_type="text/html",
            hints=hints,
        )
    return Reject(row.origin, _no_body_reason(row, fieldmap, guess, columns))


def _no_body_reason(
    row: _Row, fieldmap: FieldMap, guess: _BodyGuess | None, columns: list[str] | None
) -> str:
    unit = "column" if columns is not None else "key"
    mapped = fieldmap.user.get("body") or fieldmap.user.get("html")
    if mapped is not None:
        field = "body" if "body" in fieldmap.user else "html"
        return f"row's {mapped!r} (the body, by --field {field}={mapped}) is missing or empty; fill it or drop the row"
    if columns is not None:
        named = fieldmap.columns(columns)
        column = (named.get("body") or named.get("html")) if named else None
        column = column or (guess.column if guess else None)
        return f"row's body column {column!r} is empty; fill it or drop the row"
    keys = [k for k in row.values if isinstance(k, str)]
    return (
        f"row has no article body: none of its keys ({_names(keys)}) is a body field "
        f"({aliases_shown('body')}) or html, and none holds long text; name the {unit} that "
        f"holds it with --field body=<{unit}>"
    )


def _no_body_column(columns: list[str], fieldmap: FieldMap) -> str:
    return (
        f"CSV header has no article body column: columns found: {_names(columns)}; none is a body "
        f"({aliases_shown('body')}) or html ({aliases_shown('html', 3)}) column, and none holds long "
        f"text (over {LONG_TEXT_CHARS} characters on average in the first rows); name the one that "
        "holds the body with --field body=<column>"
    )


def _names(names: Iterable[str], limit: int = 12) -> str:
    shown = [n for n in names if n]
    text = ", ".join(shown[:limit])
    return text + (f" and {len(shown) - limit} more" if len(shown) > limit else "") if shown else "none"


# -- JSON documents, streamed ------------------------------------------------------------------

WRAPPER_KEYS = frozenset(
    field_key(k)
    for k in (
        "articles", "data", "items", "results", "result", "rows", "records", "entries", "entry", "docs",
        "documents", "posts", "news", "stories", "hits", "response", "list", "objects", "value", "nodes",
        "edges", "feed", "payload", "collection",
    )
)  # fmt: skip
"""Keys under which exports and APIs put their list of articles (NewsAPI ``articles``, NYT
``response.docs``, Elasticsearch ``hits.hits``, ``data``, ``items``, ``results``…)."""
_WRAPPER_DEPTH = 2
_KEY_BYTES = 4096
_CHUNK_BYTES = 1 << 16
_SPECIAL = re.compile(rb'["\\{}\[\]]')
_STRING_RUN = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*', re.DOTALL)
"""Characters and escapes of a JSON string, up to its closing quote or where the buffer ends."""
_NOT_SPACE = re.compile(rb"[^ \t\r\n]")
_SCALAR_END = re.compile(rb"[,\]}: \t\r\n]")
_SCALAR = re.compile(rb"-?\d[\d.eE+-]*|true|false|null")
_QUOTE, _BACKSLASH, _COMMA, _COLON = b'"'[0], b"\\"[0], b","[0], b":"[0]
_OPENERS, _CLOSERS = frozenset(b"{["), frozenset(b"}]")


class _Truncated(Exception):
    """The stream ended inside a value (``inside_row``) or before a list or object was closed."""

    def __init__(self, inside_row: bool) -> None:
        super().__init__("truncated")
        self.inside_row = inside_row


class _Garbled(Exception):
    """Bytes that are no JSON where a value, key or separator must be."""

    def __init__(self, what: str, offset: int) -> None:
        super().__init__(what)
        self.what = what
        self.offset = offset


class _Hold:
    """Bytes of the stream the scanner keeps from ``start`` on, up to ``limit`` of them."""

    __slots__ = ("limit", "overflowed", "start")

    def __init__(self, start: int, limit: int) -> None:
        self.start = start
        self.limit = limit
        self.overflowed = False


class _JsonScanner:
    """JSON values of a byte stream found by their brackets and quotes, without parsing them.

    Only what a hold asks for is kept (one row, up to its limit); everything else is dropped as it
    is passed, so memory stays bounded by the largest row kept, whatever the file's size. The
    values found are parsed by ``json`` afterwards, one row at a time.
    """

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = bytearray()
        self._pos = 0
        self._base = 0  # stream offset of _buf[0]
        self._holds: list[_Hold] = []

    @property
    def offset(self) -> int:
        return self._base + self._pos

    def _more(self) -> bool:
        """Read another chunk, first dropping the bytes passed that no hold keeps."""
        for hold in self._holds:
            if not hold.overflowed and len(self._buf) - hold.start > hold.limit:
                hold.overflowed = True
        keep = min([h.start for h in self._holds if not h.overflowed] + [self._pos])
        if keep:
            del self._buf[:keep]
            self._base += keep
            self._pos -= keep
            for hold in self._holds:
                hold.start -= keep
        chunk = next(self._chunks, b"")
        self._buf += chunk
        return bool(chunk)

    def peek(self) -> int | None:
        """The next byte that is not white space (the position moves to it); None at the end."""
        while True:
            found = _NOT_SPACE.search(self._buf, self._pos)
            if found is not None:
                self._pos = found.start()
                return self._buf[self._pos]
            self._pos = len(self._buf)
            if not self._more():
                return None

    def skip(self) -> None:
        self._pos += 1

    def hold(self, limit: int) -> _Hold:
        hold = _Hold(self._pos, limit)
        self._holds.append(hold)
        return hold

    def release(self, hold: _Hold) -> bytes | None:
        """The bytes held since ``hold`` began, or None when they were more than its limit."""
        self._holds.remove(hold)
        if hold.overflowed or self._pos - hold.start > hold.limit:
            return None
        return bytes(self._buf[hold.start : self._pos])

    def drop(self, hold: _Hold) -> None:
        """Stop keeping the bytes of ``hold`` (done already is fine)."""
        if hold in self._holds:
            self._holds.remove(hold)

    def value(self, limit: int) -> bytes | None:
        """The next value's bytes (the position at its first byte), None when over ``limit``."""
        hold = self.hold(limit)
        try:
            self.skip_value()
        except BaseException:
            self.drop(hold)
            raise
        return self.release(hold)

    def upcoming(self, limit: int = 24) -> bytes:
        """The bytes at the position, for a message."""
        return bytes(self._buf[self._pos : self._pos + limit])

    def skip_value(self) -> None:
        """Move past the value that starts here (an object, a list, a string or a scalar)."""
        first = self._buf[self._pos]
        if first in _OPENERS:
            self._pos += 1
            self.skip_rest(1)
        elif first == _QUOTE:
            self._pos += 1
            self._scan(0, in_string=True)
        else:
            self._scalar()

    def skip_rest(self, depth: int) -> None:
        """Move past the end of the ``depth`` lists and objects the position is inside."""
        self._scan(depth, in_string=False)

    def key(self) -> str | None:
        """The object key that starts here (a string), or None for one too long to be a wrapper's."""
        raw = self.value(_KEY_BYTES)
        if raw is None:
            return None
        try:
            name = json.loads(raw)
        except (ValueError, RecursionError):
            return None
        return name if isinstance(name, str) else None

    def _scan(self, depth: int, in_string: bool) -> None:
        if in_string:
            self._string()
            if depth == 0:
                return
        while True:
            found = _SPECIAL.search(self._buf, self._pos)
            if found is None:
                self._pos = len(self._buf)
                if not self._more():
                    raise _Truncated(inside_row=True)
                continue
            char = self._buf[found.start()]
            self._pos = found.start() + 1
            if char == _QUOTE:
                self._string()
            elif char in _OPENERS:
                depth += 1
            elif char in _CLOSERS:
                depth -= 1  # a bracket that does not match its opener is json's to report
                if depth == 0:
                    return

    def _string(self) -> None:
        """Move past the closing quote of the string the position is inside (just past its ``"``).

        Most strings hold no backslash: the next quote ends them. Others are walked, escapes and
        all, by a regular expression, in C either way. A string longer than the buffer is passed
        piece by piece, never held unless a hold asks.
        """
        while True:
            quote = self._buf.find(b'"', self._pos)
            if quote >= 0 and self._buf.find(b"\\", self._pos, quote) < 0:
                self._pos = quote + 1
                return
            run = _STRING_RUN.match(self._buf, self._pos)
            self._pos = run.end() if run else self._pos
            if self._pos < len(self._buf) and self._buf[self._pos] == _QUOTE:
                self._pos += 1
                return
            # at the buffer's end, or at a backslash that ends it: the rest is in the next chunk
            if not self._more():
                raise _Truncated(inside_row=True)

    def _scalar(self) -> None:
        start = self._pos
        while True:
            end = _SCALAR_END.search(self._buf, self._pos)
            if end is not None:
                self._pos = end.start()
                break
            self._pos = len(self._buf)
            if self._pos - start > 400 or not self._more():
                break
        token = bytes(self._buf[start : self._pos])
        if not _SCALAR.fullmatch(token):
            shown = token or bytes(self._buf[start : start + 1])
            raise _Garbled(f"unexpected {_shown(shown)}", self._base + start)


def _shown(token: bytes, limit: int = 24) -> str:
    text = token[:limit].decode("utf-8", "backslashreplace")
    return repr(text + ("…" if len(token) > limit else "")) if text else "end of file"


def _json_values(scanner: _JsonScanner, cap: int) -> Iterator[bytes | None]:
    """Each row's bytes (None for one over ``cap``): the elements of top-level lists, of wrapper lists
    inside top-level objects, and top-level objects that wrap nothing, in file order."""
    while True:
        char = scanner.peek()
        if char is None:
            return
        if char == _COMMA:  # objects written one after another, with commas between
            scanner.skip()
        elif char == b"["[0]:
            scanner.skip()
            yield from _list_values(scanner, cap)
        elif char == b"{"[0]:
            hold = scanner.hold(cap)
            scanner.skip()
            wrapped = yield from _wrapped_rows(scanner, cap, 1, hold)
            if wrapped:
                scanner.drop(hold)
            else:
                yield scanner.release(hold)
        else:
            raise _Garbled(
                f"expected an article object or a list of them, found {_peeked(scanner)}", scanner.offset
            )


def _list_values(scanner: _JsonScanner, cap: int) -> Iterator[bytes | None]:
    """The elements of the list the position is inside (just past its ``[``), each held to ``cap``."""
    while True:
        char = scanner.peek()
        if char is None:
            raise _Truncated(inside_row=False)
        if char == b"]"[0]:
            scanner.skip()
            return
        if char == _COMMA:
            scanner.skip()
            continue
        if char == b"}"[0]:
            raise _Garbled("'}' where a list element or ']' belongs", scanner.offset)
        yield scanner.value(cap)


def _wrapped_rows(
    scanner: _JsonScanner, cap: int, depth: int, whole: _Hold | None
) -> Generator[bytes | None, None, bool]:
    """The rows of wrapper lists in the object the position is inside (just past its ``{``).

    Returns whether there was one; if not, the object is itself a row (``whole`` holds its bytes,
    dropped as soon as a wrapper list shows the object is not one).
    """
    wrapped = False
    while True:
        char = scanner.peek()
        if char is None:
            raise _Truncated(inside_row=not wrapped)
        if char == b"}"[0]:
            scanner.skip()
            return wrapped
        if char == _COMMA:
            scanner.skip()
            continue
        if char != _QUOTE:
            raise _Garbled(f"expected a key, found {_peeked(scanner)}", scanner.offset)
        name = scanner.key()
        if scanner.peek() != _COLON:
            raise _Garbled(f"expected ':' after a key, found {_peeked(scanner)}", scanner.offset)
        scanner.skip()
        char = scanner.peek()
        if char is None:
            raise _Truncated(inside_row=True)
        wrapper = name is not None and field_key(name) in WRAPPER_KEYS
        if wrapper and char == b"["[0]:
            scanner.skip()
            if scanner.peek() in (b"{"[0], b"]"[0]):
                if whole is not None:
                    scanner.drop(whole)
                wrapped = True
                yield from _list_values(scanner, cap)
            else:
                scanner.skip_rest(1)
        elif wrapper and char == b"{"[0] and depth < _WRAPPER_DEPTH:
            scanner.skip()
            wrapped |= yield from _wrapped_rows(scanner, cap, depth + 1, whole)
        else:
            scanner.skip_value()


def _peeked(scanner: _JsonScanner) -> str:
    return _shown(scanner.upcoming())


def _utf8_chunks(fh: BinaryIO) -> Iterator[bytes]:
    """The file as UTF-8 bytes in pieces: UTF-8 passed through untouched, other encodings transcoded."""
    stream, codec = _sniffed(fh)
    if codec == "utf-8":
        while chunk := stream.read(_CHUNK_BYTES):
            yield chunk
        return
    text = io.TextIOWrapper(stream, encoding=codec, errors="replace", newline="")
    while piece := text.read(_CHUNK_BYTES // 2):
        yield piece.encode("utf-8", "replace")


_WRAPPER_START = re.compile(
    r'\{\s*(?:"(?:[^"\\]|\\.)*"\s*:\s*(?:"(?:[^"\\]|\\.)*"|[-\w.+]+)\s*,\s*)*'  # keys with plain values
    r'"(?P<key>(?:[^"\\]|\\.)*)"\s*:\s*(?P<open>[\[{])'
)


def is_json_document(text: str) -> bool:
    """Whether text starting with ``{`` is a JSON document to read as rows (``read_json``) rather
    than JSON Lines: a pretty-printed object (``{`` alone on its first line, or keys on the lines
    after), or a wrapper whose first keys lead to a list of articles (``{"status": "ok",
    "articles": [``)."""
    first, _, rest = text.partition("\n")
    if first.strip() == "{":
        return True
    start = _WRAPPER_START.match(text)
    if start is not None and field_key(start["key"]) in WRAPPER_KEYS:
        return True
    if not rest:
        return False
    try:
        json.loads(first)
    except (ValueError, RecursionError):
        return rest.lstrip().startswith(('"', "}"))  # an object continued on the next lines
    return False


class _LineTap:
    """The lines csv.reader pulls, counted, with those of the current record kept for a re-read."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.count = 0
        self.taken: list[str] = []
        self.exhausted = False

    def __iter__(self) -> _LineTap:
        return self

    def __next__(self) -> str:
        try:
            line = next(self._lines)
        except StopIteration:
            self.exhausted = True
            raise
        self.count += 1
        self.taken.append(line)
        return line


def _csv_records(
    lines: Iterable[str], first: int, delimiter: str, cap: int
) -> Iterator[tuple[int, list[str] | str]]:
    """(first line number, fields) per record, or (line, reason) for one that cannot be read.

    A quoted field that is never closed swallows every later line into itself; when that runs to
    the end of the file the record is rejected and the lines after its first are read again as rows.
    """
    source: Iterator[str] = iter(lines)
    while True:
        tap = _LineTap(source)
        reader = csv.reader(tap, delimiter=delimiter)
        runaway: list[str] | None = None
        while True:
            number = first + tap.count
            tap.taken.clear()
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:  # the reader goes on with the next line
                reason = (
                    over_cap_reason(cap)
                    if "field limit" in str(exc)
                    else f"malformed CSV row ({exc}); skipped"
                )
                yield number, reason
                continue
            if tap.exhausted and len(tap.taken) > 1 and "".join(tap.taken).count('"') % 2:
                last = number + len(tap.taken) - 1
                yield (
                    number,
                    f"row opens a quoted field that is never closed, so lines {number}-{last} read as one "
                    "field; skipped, and the lines after it read as rows (fix the quote)",
                )
                runaway = tap.taken[1:]
                break
            yield number, values
        if runaway is None:
            return
        source, first = iter(runaway), number + 1


def _jsonl_lines(fh: BinaryIO, cap: int) -> Iterator[bytes | None]:
    """Lines as UTF-8 bytes, None for an oversized one; UTF-8 files are passed through untouched,
    others (UTF-16 as PowerShell writes, a legacy code page) are transcoded."""
    stream, codec = _sniffed(fh)
    if codec == "utf-8":
        yield from _capped_lines(stream, cap)
        return
    text = io.TextIOWrapper(stream, encoding=codec, errors="replace", newline="")
    for line in _capped_lines(text, cap):
        encoded = None if line is None else line.encode("utf-8", "replace")
        yield None if encoded is None or len(encoded) > cap else encoded


def _sniffed(fh: BinaryIO) -> tuple[BinaryIO, str]:
    """The file's bytes (after any byte-order mark) as a stream again, and the codec they are in.

    Decided once from the first ``_SAMPLE_BYTES``, cut at a line end so that no character is split;
    those bytes are then replayed ahead of the rest of the file, which is never read whole.
    """
    pieces: list[bytes] = []
    size = 0
    damage: Exception | None = None
    try:
        while size < _SAMPLE_BYTES and (piece := fh.read(min(_READ_BYTES, _SAMPLE_BYTES - size))):
            pieces.append(piece)
            size += len(piece)
    except (OSError, EOFError, zlib.error) as exc:  # truncated gzip: raised after the rows before it
        damage = exc
    head = b"".join(pieces)
    sample = head
    if len(head) == _SAMPLE_BYTES and (end := head.rfind(b"\n")) > 0:
        sample = head[: end + 1]
    found = sniff(sample)
    return io.BufferedReader(_Replayed(head[found.bom :], fh, damage), _BUFFER_BYTES), found.codec


class _Replayed(io.RawIOBase):
    """A binary stream giving bytes already read (the sample) before the rest of the file, or
    before the error that reading more of it raised."""

    def __init__(self, head: bytes, rest: BinaryIO, damage: Exception | None = None) -> None:
        self._head = memoryview(head)
        self._rest = rest
        self._damage = damage

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        if self._damage is not None:
            raise self._damage
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _excerpt(line: str, limit: int = 80) -> str:
    text = " ".join(line.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def is_header_row(columns: list[str]) -> bool:
    """Whether a first row names columns (``url, title, text``) rather than holding values.

    Empty names are allowed (pandas writes one for its index); a URL, a date, a number or a long or
    punctuated field means the file starts with data.
    """
    named = [c for c in columns if c]
    return bool(named) and all(_COLUMN_NAME.fullmatch(c) and not _VALUE_LIKE.fullmatch(c) for c in named)


def _capped_lines(fh: Any, cap: int) -> Iterator[Any]:
    """Lines of at most ``cap`` bytes (or characters, from a text file); None stands for a longer
    line, which is skipped without holding it."""
    while True:
        line = fh.readline(cap + 1)
        if not line:
            return
        if len(line) > cap and line[-1:] not in (b"\n", "\n"):
            while True:  # drain the rest of the oversized line in bounded pieces
                rest = fh.readline(1 << 20)
                if not rest or rest[-1:] in (b"\n", "\n"):
                    break
            yield None
            continue
        yield line
