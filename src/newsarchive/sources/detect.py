"""Find input files, tell their format from their bytes, and hand each to its reader.

Names lie (``.txt`` WARCs, ``.html`` error pages that are JSON), so the format is decided by
content: magic bytes, a peek inside gzip/lz4/zstd, then the first non-blank characters. The file
name only breaks ties between plausible text formats.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from gzip import BadGzipFile
from pathlib import Path

from newsarchive.errors import InputError
from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.files import GZIP_MAGIC, NO_SUCH_FILE, VANISHED, display_origin
from newsarchive.sources.stats import SourceStats
from newsarchive.sources.tabular import CSV_DELIMITERS, is_header_row, is_json_document

logger = logging.getLogger(__name__)

FORMATS = ("warc", "arc", "html", "textdump", "jsonl", "json", "csv", "feed", "reuters")
UNKNOWN_FORMAT = "not a WARC, ARC, HTML, text dump, JSON, JSONL, CSV, feed or Reuters SGML file"

_HEAD_BYTES = 64 * 1024
_LZ4_MAGIC = b"\x04\x22\x4d\x18"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_FEED_ROOTS = {"rss", "feed", "rdf:rdf", "rdf"}
_HTML_TAGS = {
    "html", "head", "body", "title", "meta", "link", "div", "p", "span", "a", "table", "article",
    "section", "header", "main", "nav", "h1", "h2", "h3", "ul", "ol", "br", "img", "script", "style", "form",
}  # fmt: skip
_ROOT_TAG = re.compile(r"<([a-zA-Z][\w:.-]*)")
_SKIP_PROLOG = re.compile(
    r"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!doctype\s+(?!html\b)[^\[>]*(?:\[.*?\]\s*)?>)*", re.S | re.I
)

Reader = Callable[[Path, Settings, SourceStats | None], Iterator[Capture | Reject]]


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every file under the given paths in sorted order, skipping hidden names inside directories.

    A path that does not exist is yielded as given so ``read_path`` can reject it with a reason
    instead of the whole run stopping on one typo.
    """
    for path in paths:
        if _is_dir(path):
            yield from _walk(path, set())
        else:
            yield path


def _walk(directory: Path, seen: set[Path]) -> Iterator[Path]:
    real = directory.resolve()
    if real in seen:  # a symlink loop
        return
    seen.add(real)
    try:
        children = sorted(directory.iterdir(), key=lambda p: p.name)
    except OSError:
        yield directory  # read_path says why it cannot be read
        return
    for child in children:
        if child.name.startswith("."):
            continue
        if _is_dir(child):
            yield from _walk(child, seen)
        elif _is_file(child):
            yield child


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):  # unreadable or invalid: read_path says why
        return False


def _is_file(path: Path) -> bool:
    """Regular files, and those that cannot be looked at (read_path then says why)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return True


def detect_format(path: Path) -> str:
    """The input format of a file, from its content; raises InputError for empty, binary or unknown files."""
    origin = display_origin(path)
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise InputError(origin, "is a directory that could not be listed; check its permissions")
        if not stat.S_ISREG(mode):  # a pipe would block, or be read once: every reader reopens its file
            raise InputError(
                origin, "is not a regular file (a pipe, socket or device); copy it to a file first"
            )
        with path.open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except (FileNotFoundError, NotADirectoryError) as exc:
        if path.is_symlink():
            raise InputError(
                origin, "is a symbolic link to a file that does not exist; check the link"
            ) from exc
        # a file listed by a directory walk that vanishes since is rare; a mistyped path is not
        raise InputError(origin, NO_SUCH_FILE) from exc
    except IsADirectoryError as exc:
        raise InputError(origin, "is a directory that could not be listed; check its permissions") from exc
    except OSError as exc:
        raise InputError(
            origin, f"cannot be read ({exc.strerror or exc}); check the path and its permissions"
        ) from exc
    except ValueError as exc:  # a NUL in the name: only the Python API can pass one
        raise InputError(origin, f"is not a valid path ({exc}); check the path") from exc
    if not head:
        raise InputError(origin, "file is empty; nothing to ingest")
    name = path.name.lower()
    if head.startswith(GZIP_MAGIC):
        inner = _gunzip_head(head)
        if inner is None:
            raise InputError(origin, "gzip data is corrupt; re-download or re-compress the file")
        if not inner:
            raise InputError(origin, "gzip file decompresses to nothing; nothing to ingest")
        return _detect_plain(origin, inner, name.removesuffix(".gz"))
    if head.startswith(_LZ4_MAGIC) or head.startswith(_ZSTD_MAGIC):
        return _detect_framed(origin, path, head)
    return _detect_plain(origin, head, name)


def read_path(path: Path, settings: Settings, stats: SourceStats | None = None) -> Iterator[Capture | Reject]:
    """Captures from one input file; bad input becomes Rejects, never an exception.

    ``stats`` (optional) counts what was seen but deliberately not captured (skipped WARC records,
    link-only feed items).
    """
    origin = display_origin(path)
    try:
        fmt = detect_format(path)
    except InputError as exc:
        yield Reject(origin, exc.reason)
        return
    reader = _reader_for(fmt)
    try:
        for record in reader(path, settings, stats):
            yield _storable(record) if isinstance(record, Reject) else record
    except FileNotFoundError:
        yield Reject(origin, VANISHED)  # it was there when its format was detected
    except (EOFError, zlib.error, BadGzipFile) as exc:
        yield _storable(
            Reject(
                origin,
                f"compressed data is truncated or corrupt ({exc}); the rest of the file was skipped "
                "(re-download or re-compress it)",
            )
        )
    except OSError as exc:
        yield _storable(Reject(origin, f"reading failed ({exc}); the rest of the file was skipped"))
    except Exception as exc:  # one broken file must not end a long ingest run
        logger.exception("unexpected error reading %s", origin)
        yield _storable(
            Reject(
                origin,
                f"unexpected error while reading ({type(exc).__name__}: {exc}); "
                "the rest of the file was skipped - please report this",
            )
        )


def _storable(reject: Reject) -> Reject:
    """The reject with any lone surrogate escaped: library messages may quote undecodable bytes."""
    origin, reason = display_origin(reject.origin), display_origin(reject.reason)
    if (origin, reason) == (reject.origin, reject.reason):
        return reject
    return Reject(origin, reason)


def _reader_for(fmt: str) -> Reader:
    # imported here so `detect` stays cheap to import and readers load only when needed
    if fmt in ("warc", "arc"):
        from newsarchive.sources.warc import read_arc, read_warc

        return read_warc if fmt == "warc" else read_arc
    if fmt == "html":
        from newsarchive.sources.htmlfile import read_html_file

        return read_html_file
    if fmt == "textdump":
        from newsarchive.sources.textdump import read_textdump

        return read_textdump
    if fmt in ("jsonl", "json", "csv"):
        from newsarchive.sources.tabular import read_csv, read_json, read_jsonl

        return {"jsonl": read_jsonl, "json": read_json, "csv": read_csv}[fmt]
    if fmt == "feed":
        from newsarchive.sources.feed import read_feed

        return read_feed
    from newsarchive.sources.reuters import read_reuters

    return read_reuters


def _gunzip_head(head: bytes) -> bytes | None:
    """The first bytes inside a gzip stream, or None when the stream is corrupt from the start."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        return inflater.decompress(head, 8192)
    except zlib.error:
        return None


def _detect_framed(origin: str, path: Path, head: bytes) -> str:
    """lz4/zstd are only used for WARCs; peek inside with FastWARC's readers."""
    from fastwarc.stream_io import Lz4Reader, ZstdReader

    kind = "lz4" if head.startswith(_LZ4_MAGIC) else "zstd"
    try:
        # an open file, not its name: FastWARC cannot encode a name that is not UTF-8
        with path.open("rb") as fh:
            reader = Lz4Reader(fh) if kind == "lz4" else ZstdReader(fh)
            inner = reader.read(16)
    except Exception as exc:  # the decoders raise OSError or ValueError depending on the damage
        raise InputError(
            origin,
            f"{kind}-compressed file could not be decompressed ({exc}); decompress it and ingest the result",
        ) from exc
    if inner.startswith(b"WARC/"):
        return "warc"
    raise InputError(origin, f"{kind}-compressed file is not a WARC; {UNKNOWN_FORMAT}")


def _detect_plain(origin: str, head: bytes, name: str) -> str:
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"filedesc://"):
        return "arc"
    text = _decode_head(origin, head)
    stripped = text.lstrip()
    if not stripped:
        raise InputError(origin, "file holds only whitespace; nothing to ingest")
    if stripped.startswith("<"):
        return _detect_markup(origin, stripped, name)
    if stripped.startswith("{"):
        # one object per line is JSON Lines; a pretty-printed object or a wrapper of rows is JSON
        return "json" if is_json_document(stripped) else "jsonl"
    if re.match(r"\[\s*(?:[{\]]|\Z)", stripped) or (stripped.startswith("[") and name.endswith(".json")):
        return "json"
    if _looks_like_csv(stripped, name):
        return "csv"
    return "textdump"


def _detect_markup(origin: str, text: str, name: str) -> str:
    lower = text[:16384].lower()
    if lower.startswith("<!doctype lewis") or lower.startswith("<reuters"):
        return "reuters"
    if lower.startswith("<!doctype html"):
        return "html"
    body = lower[_SKIP_PROLOG.match(lower).end() :]  # type: ignore[union-attr]
    if body.startswith("<!doctype html"):
        return "html"
    root = _ROOT_TAG.match(body)
    tag = root.group(1) if root else ""
    if tag in _FEED_ROOTS or tag.endswith(":rdf"):
        return "feed"
    if tag == "reuters":
        return "reuters"
    if tag in _HTML_TAGS or tag.startswith("html:"):
        return "html"
    if name.endswith((".html", ".htm", ".xhtml", ".shtml")):
        return "html"
    if name.endswith(".sgm"):
        return "reuters"
    if re.search(r"<(?:html|body|p|div|br|article)\b", lower):
        return "html"  # tag soup with an unusual first element is still a web page
    raise InputError(origin, f"is XML with root <{tag or '?'}>; {UNKNOWN_FORMAT}")


_CONTROL_CHARS = [chr(c) for c in (*range(32), 0x7F) if chr(c) not in "\t\n\r\f\v\x1b"]
"""C0 controls text never holds; counted with str.count (a per-character loop cost 3% of ingest)."""

BINARY_SHARE = 0.01
"""A head with more control characters than this share (and more than two) is binary.

Measured on the first 64 KiB: the 4,302 text files of ../shared/data (HTML, text, XML, JSON, SGML)
hold none; gzip, PNG, .mo and .jar data hold 7-12%, executables 20% and more. So one stray NUL (or a
few hundred) no longer loses a page, while a 10% cut would let a third of gzip and PNG data through.
"""


def _decode_head(origin: str, head: bytes) -> str:
    """The head as text; InputError when it is binary, judged by its share of control characters."""
    text: str | None = None
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):  # UTF-16 text is half NUL bytes: decode it before counting
            text = head[len(bom) :].decode(codec, errors="replace")
            break
    if text is None:
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # a character cut in two by the read size; else a legacy encoding (cp1252, cp1251, GBK …),
            # where one char per byte is enough to count control bytes
            cut = exc.start >= len(head) - 3
            text = head[: exc.start].decode("utf-8") if cut else head.decode("latin-1")
    controls = sum(text.count(ch) for ch in _CONTROL_CHARS)
    if controls > max(2, BINARY_SHARE * len(text)):
        raise InputError(
            origin,
            f"looks binary ({controls:,} of its first {len(text):,} characters are control codes); "
            + UNKNOWN_FORMAT,
        )
    return text


def _looks_like_csv(text: str, name: str) -> bool:
    """A header row naming a text/html column, or a .csv/.tsv name, or rows that all have one shape.

    A file without a header row is still called CSV so that ``read_csv`` rejects it for that reason
    rather than it being read as one text dump of comma-separated values.
    """
    first_line = text.split("\n", 1)[0].rstrip("\r")
    delimiter = max(CSV_DELIMITERS, key=first_line.count)
    if first_line.count(delimiter) == 0:
        return False
    try:
        header = next(csv.reader([first_line], delimiter=delimiter))
    except csv.Error:
        return False
    columns = [c.strip() for c in header]
    if len(columns) >= 2 and is_header_row(columns):
        wanted = {c.lower() for c in columns} & {"text", "html"}
        return bool(wanted) or name.endswith((".csv", ".tsv"))
    return name.endswith((".csv", ".tsv")) or _rows_of_one_shape(text, delimiter)


def _rows_of_one_shape(text: str, delimiter: str) -> bool:
    """Three or more consecutive records with one field count: a table, not prose with commas.

    Text dumps have blank lines between paragraphs and lines of every shape, so they never pass.
    """
    complete = text.rsplit("\n", 1)[0]  # the head may end inside a line
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(complete, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) == 6:
                break
    except csv.Error:
        return False
    width = len(rows[0]) if rows else 0
    return len(rows) >= 3 and width >= 2 and all(len(row) == width for row in rows)
