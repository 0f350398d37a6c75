"""JSON Lines and CSV exports (one article per row) -> one Capture per row.

A row with a ``text`` field becomes a ``text`` capture (the body as given, so character offsets
into it stay valid); otherwise its ``html`` field becomes an ``html`` capture. The row's other
fields become hints, so extraction trusts the exporter's url, title and date over guessing.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
}
CSV_DELIMITERS = (",", "\t", ";")
_COLUMN_NAME = re.compile(r"[\w .:/()#-]{1,64}")
_VALUE_LIKE = re.compile(r"[\d\s.,:/+-]+|.*://.*")  # a number, a date or a URL: a row of data
_SURROGATE = re.compile("[\ud800-\udfff]")
_MISSING_BODY = "row has no non-empty 'text' or 'html' field; add one (the article body) or drop the row"


def read_jsonl(
    path: Path, settings: Settings, stats: SourceStats | None = None
) -> Iterator[Capture | Reject]:
    """One Capture per JSON object line; bad lines are rejected by line number and reading goes on."""
    origin = display_origin(path)
    extra = path_hints(path)
    cap = settings.max_capture_bytes
    with open_input(path) as fh:
        for number, line in enumerate(_capped_lines(fh, cap), start=1):
            line_origin = f"{origin}#{number}"
            if line is None:
                yield Reject(line_origin, over_cap_reason(cap))
                continue
            content = line.rstrip(b"\r\n")
            if number == 1:
                content = content.removeprefix(b"\xef\xbb\xbf")
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
            if not isinstance(row, dict):
                yield Reject(
                    line_origin, f"line is a JSON {type(row).__name__}, not an object; expected one article"
                )
                continue
            yield _row_capture(line_origin, row, content, extra)


def read_csv(path: Path, settings: Settings, stats: SourceStats | None = None) -> Iterator[Capture | Reject]:
    """One Capture per CSV row (delimiter , ; or tab, from the header); ``#n`` is the row's first line."""
    origin = display_origin(path)
    extra = path_hints(path)
    cap = settings.max_capture_bytes
    # the csv module's per-field limit is process-wide; only ever raise it, to fit our own cap
    if csv.field_size_limit() < cap:
        csv.field_size_limit(cap)
    with (
        open_input(path) as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="") as fh,
    ):
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
        reader = csv.reader(fh, delimiter=delimiter)
        line_before = 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield Reject(
                    f"{origin}#{line_before + 1}", f"malformed CSV ({exc}); the rest of the file was skipped"
                )
                return
            first_line = line_before + 1
            line_before = 1 + reader.line_num
            if not any(v.strip() for v in values):
                continue
            row_origin = f"{origin}#{first_line}"
            if len(values) > len(columns):
                yield Reject(
                    row_origin, f"row has {len(values)} fields but the header has {len(columns)}; fix quoting"
                )
                continue
            row = dict(zip(columns, values, strict=False))
            encoded = json.dumps(row, ensure_ascii=False).encode("utf-8")
            if len(encoded) > cap:
                yield Reject(row_origin, over_cap_reason(cap, len(encoded)))
                continue
            yield _row_capture(row_origin, row, encoded, extra)


def is_header_row(columns: list[str]) -> bool:
    """Whether a first row names columns (``url, title, text``) rather than holding values.

    Empty names are allowed (pandas writes one for its index); a URL, a date, a number or a long or
    punctuated field means the file starts with data.
    """
    named = [c for c in columns if c]
    return bool(named) and all(_COLUMN_NAME.fullmatch(c) and not _VALUE_LIKE.fullmatch(c) for c in named)


def _excerpt(line: str, limit: int = 80) -> str:
    text = " ".join(line.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _capped_lines(fh: io.BufferedIOBase | Any, cap: int) -> Iterator[bytes | None]:
    """Lines of at most ``cap`` bytes; None stands for a longer line, which is skipped without holding it."""
    while True:
        line = fh.readline(cap + 1)
        if not line:
            return
        if len(line) > cap and not line.endswith(b"\n"):
            while True:  # drain the rest of the oversized line in bounded pieces
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
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
            content_type="text/plain",
            hints=hints,
        )
    if isinstance(html, str) and html.strip():
        return Capture(
            origin=origin,
            raw=html.encode("utf-8"),
            format="html",
            url=hints.get("url"),
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


def _as_text(value: Any) -> str | None:
    """Row values as hint strings: lists (of authors) joined by '; ', names of author objects taken."""
    if isinstance(value, str):
        return _valid_text(value).strip() or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        return _as_text(value.get("name"))
    if isinstance(value, list):
        parts = [p for p in (_as_text(v) for v in value) if p]
        return "; ".join(parts) or None
    return None


def _valid_text(value: Any) -> Any:
    """Strings without lone surrogates (JSON may escape them, ``"\\udce9"``), which no store can encode.

    Each becomes U+FFFD, as a decoder does with an invalid byte; pairs were already joined by ``json``.
    """
    if not isinstance(value, str) or value.isascii():
        return value
    return _SURROGATE.sub("\ufffd", value)
