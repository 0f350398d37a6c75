"""JSON Lines and CSV exports (one article per row) -> one Capture per row.

A row with a ``text`` field becomes a ``text`` capture (the body as given, so character offsets
into it stay valid); otherwise its ``html`` field becomes an ``html`` capture. The row's other
fields become hints, so extraction trusts the exporter's url, title and date over guessing.

A file's encoding is decided once, from its first 256 KB, by the rule pages and dumps use
(``extract.encoding.sniff``): a BOM, UTF-8, else windows-1252 or the legacy encoding detected, as
Excel writes CSV in the system's code page (windows-1256 for Arabic, windows-1251 for Russian).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

# extract.encoding is a leaf (codecs, charset-normalizer, ftfy): importing it keeps this module pure
# and keeps one decoding rule for every input, instead of a second, diverging copy here
from newsarchive.extract.encoding import sniff
from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.files import display_origin, open_input, over_cap_reason, path_hints
from newsarchive.sources.stats import SourceStats

# hint name -> row fields that mean it, most specific first
_HINT_FIELDS: dict[str, tuple[str, ...]] = {
    "url": ("url", "link", "uri", "canonical_url"),
    "title": ("title", "headline"),
    "published": (
        "published",
        "date",
        "published_at",
        "publish_date",
        "pubdate",
        "date_published",
        "datepublished",
    ),
    "authors": ("authors", "author", "byline", "creator"),
    "section": ("section", "category", "topic"),
    "source": ("source", "site", "publisher", "site_name", "outlet"),
    "language": ("language", "lang"),
    "fetched_at": ("fetched_at", "crawled_at", "scraped_at", "retrieved_at", "captured_at", "crawl_date"),
}
CSV_DELIMITERS = (",", "\t", ";")
_COLUMN_NAME = re.compile(r"[\w .:/()#-]{1,64}")
_VALUE_LIKE = re.compile(r"[\d\s.,:/+-]+|.*://.*")  # a number, a date or a URL: a row of data
_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")  # C0 but tab, newlines, VT, FF, ESC, as detect
_SURROGATE = re.compile("[\ud800-\udfff]")
_MISSING_BODY = "row has no non-empty 'text' or 'html' field; add one (the article body) or drop the row"
_SAMPLE_BYTES = 256 * 1024
"""Bytes read to decide a file's encoding: many rows of any export, cheap to hold."""
_READ_BYTES = 8192
_BUFFER_BYTES = 1 << 16


def read_jsonl(
    path: Path, settings: Settings, stats: SourceStats | None = None
) -> Iterator[Capture | Reject]:
    """One Capture per JSON object line; bad lines are rejected by line number and reading goes on."""
    origin = display_origin(path)
    extra = path_hints(path)
    cap = settings.max_capture_bytes
    with open_input(path) as fh:
        for number, line in enumerate(_jsonl_lines(fh, cap), start=1):
            line_origin = f"{origin}#{number}"
            if line is None:
                yield Reject(line_origin, over_cap_reason(cap))
                continue
            content = line.rstrip(b"\r\n")
            if not content.strip():
                continue
            try:
                row = json.loads(content)
            except UnicodeDecodeError:
                yield Reject(line_origin, "line is not valid UTF-8; re-export the file as UTF-8")
                continue
            except json.JSONDecodeError as exc:
                yield Reject(
                    line_origin, f"line is not valid JSON ({exc.msg} at column {exc.colno}); fix or drop it"
                )
                continue
            except ValueError as exc:  # e.g. an integer of more than 4,300 digits
                yield Reject(line_origin, f"line cannot be read as JSON ({exc}); fix or drop it")
                continue
            except RecursionError:
                yield Reject(
                    line_origin, "line nests JSON too deeply to read; expected one flat article object"
                )
                continue
            if not isinstance(row, dict):
                yield Reject(
                    line_origin, f"line is a JSON {type(row).__name__}, not an object; expected one article"
                )
                continue
            yield _row_capture(line_origin, row, content, extra)


def read_csv(path: Path, settings: Settings, stats: SourceStats | None = None) -> Iterator[Capture | Reject]:
    """One Capture per CSV row (delimiter , ; or tab, from the header); ``#n`` is the row's first line.

    A bad row (malformed, oversized, holding control bytes) is rejected by its line and reading goes
    on; a file that starts with data instead of a header row is rejected whole.
    """
    origin = display_origin(path)
    extra = path_hints(path)
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
            if not any(c.lower() in ("text", "html") for c in columns):
                yield Reject(
                    origin, "CSV header has no 'text' or 'html' column; add the article body as one of them"
                )
                return
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
                yield _row_capture(row_origin, row, encoded, extra)


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


def _row_capture(origin: str, row: dict[str, Any], raw: bytes, extra: dict[str, str]) -> Capture | Reject:
    lowered = {str(k).strip().lower(): v for k, v in row.items()}
    text = _valid_text(lowered.get("text"))
    html = _valid_text(lowered.get("html"))
    hints = {**extra, **_row_hints(lowered)}
    if isinstance(html, str) and html.strip():
        hints["html"] = html
    if isinstance(text, str) and text.strip():
        hints["text"] = text
        return Capture(
            origin=origin,
            raw=raw,
            format="text",
            url=hints.get("url"),
            fetched_at=hints.get("fetched_at"),
            content_type="text/plain",
            hints=hints,
        )
    if isinstance(html, str) and html.strip():
        return Capture(
            origin=origin,
            raw=html.encode("utf-8"),
            format="html",
            url=hints.get("url"),
            fetched_at=hints.get("fetched_at"),
            content_type="text/html",
            hints=hints,
        )
    return Reject(origin, _MISSING_BODY)


def _row_hints(row: dict[str, Any]) -> dict[str, str]:
    hints: dict[str, str] = {}
    for hint, names in _HINT_FIELDS.items():
        for name in names:
            value = _as_text(row.get(name))
            if value:
                hints[hint] = value
                break
    return hints


def _as_text(value: Any, depth: int = 0) -> str | None:
    """Row values as hint strings: lists (of authors) joined by '; ', names of author objects taken.

    Only a few levels deep: a hint nested deeper is not one, and recursing on would overflow.
    """
    if depth > 3:
        return None
    if isinstance(value, str):
        return _valid_text(value).strip() or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        return _as_text(value.get("name"), depth + 1)
    if isinstance(value, list):
        parts = [p for p in (_as_text(v, depth + 1) for v in value) if p]
        return "; ".join(parts) or None
    return None


def _valid_text(value: Any) -> Any:
    """Strings without lone surrogates (JSON may escape them, ``"\\udce9"``), which no store can encode.

    Each becomes U+FFFD, as a decoder does with an invalid byte; pairs were already joined by ``json``.
    """
    if not isinstance(value, str) or value.isascii():
        return value
    return _SURROGATE.sub("\ufffd", value)
