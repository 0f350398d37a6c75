"""WARC and ARC files -> one Capture per archived HTML page.

FastWARC reads WARCs (about 2.5x faster than warcio on our files); warcio reads ARCs and takes
over when FastWARC fails part-way or silently yields nothing, which it does on some corrupt files.
Both are reduced to one ``_RecordView`` so the rules (HTML only, 2xx only, size cap, truncation,
revisit resolution) live in one place. Records are streamed; only one payload is in memory.

Origins are ``<path>#<offset>``: the compressed offset of the record's gzip member, as in CDX
indexes, or the offset in the decompressed stream when a ``.gz`` file is one gzip stream for all
records (warcio cannot read those and FastWARC cannot tell their records apart by offset).
"""

from __future__ import annotations

import gzip
import logging
import re
import zlib
from collections.abc import Callable, Generator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, BinaryIO

from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.files import GZIP_MAGIC, display_origin, over_cap_reason, path_hints
from newsarchive.sources.framing import OK, Framing
from newsarchive.sources.stats import SourceStats

logger = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# payloads labelled this vaguely are sniffed for "<html"; anything else non-HTML is skipped unread
_SNIFF_TYPES = frozenset(
    {"", "text/plain", "application/octet-stream", "unknown/unknown", "application/unknown"}
)
_SNIFF_BYTES = 2048
_FIRST_MEMBER_SLACK = 16
_LAYOUT_PEEK_LIMIT = 256 * 1024 * 1024

PayloadReader = Callable[[int], bytes]


@dataclass(slots=True)
class _RecordView:
    """What the capture rules need from a record, whichever library parsed it."""

    offset: int
    record_type: str
    url: str | None = None
    warc_date: str | None = None
    http_date: str | None = None
    status: int | None = None
    content_type: str | None = None
    transfer_encoding: str = ""
    content_encoding: str = ""
    http_content_length: int | None = None
    payload_digest: str | None = None
    refers_to_uri: str | None = None
    refers_to_date: str | None = None
    truncated_flag: str | None = None
    declared: int = 0
    block_length: int | None = None
    """The record's own Content-Length (``declared`` is the payload's, after any HTTP headers)."""
    header_length: int | None = None
    read_payload: PayloadReader = field(default=lambda n: b"")


@dataclass(slots=True)
class _Layout:
    """How to open the file for both libraries: raw (plain, gzip members, lz4, zstd) or gunzipped."""

    compression: str  # "none" | "gzip" | "lz4" | "zstd"
    single_stream: bool = False

    def open(self, path: Path, stack: ExitStack) -> BinaryIO:
        raw: BinaryIO = stack.enter_context(path.open("rb"))
        if self.single_stream:
            return stack.enter_context(gzip.GzipFile(fileobj=raw, mode="rb"))  # type: ignore[return-value]
        return raw


def read_warc(path: Path, settings: Settings, stats: SourceStats | None = None) -> Iterator[Capture | Reject]:
    """HTML captures from a WARC file (plain, gzip, lz4 or zstd), with Rejects for damaged records."""
    reader = _ArchiveReader(path, settings, stats or SourceStats(), _probe_layout(path))
    yield from reader.run(use_fastwarc=True)


def read_arc(path: Path, settings: Settings, stats: SourceStats | None = None) -> Iterator[Capture | Reject]:
    """HTML captures from a legacy ARC file (plain or gzip), read with warcio."""
    reader = _ArchiveReader(path, settings, stats or SourceStats(), _probe_layout(path))
    yield from reader.run(use_fastwarc=False)


class _ArchiveReader:
    """One pass over one archive file; remembers HTML payload offsets so revisits can be resolved."""

    def __init__(self, path: Path, settings: Settings, stats: SourceStats, layout: _Layout) -> None:
        self.path = path
        self.origin = display_origin(path)
        self.path_hints = path_hints(path)
        self.cap = settings.max_capture_bytes
        self.stats = stats
        self.layout = layout
        self.by_digest: dict[str, int] = {}
        self.by_uri_date: dict[tuple[str, str], int] = {}
        self.last_offset = -1
        self.records = 0

    def run(self, use_fastwarc: bool) -> Iterator[Capture | Reject]:
        fast_error: str | None = None
        if use_fastwarc:
            try:
                yield from self._fastwarc_records()
            except Exception as exc:  # FastWARC raises OSError; wrapped Python streams raise anything
                fast_error = _one_line(exc)
                logger.info(
                    "%s: FastWARC stopped after offset %s (%s); trying warcio",
                    self.origin,
                    self.last_offset,
                    fast_error,
                )
            if self.layout.compression in ("lz4", "zstd"):  # warcio cannot read these
                if fast_error is not None or self.records == 0:
                    yield self._stopped_reject(fast_error or "no records found", None)
                return
        # warcio reads ARCs, files FastWARC found nothing in, and, from the last record FastWARC
        # read, the tail: that checks FastWARC really reached the end (it can stop silently at
        # damage) and reads on past damage it gave up at.
        resumed_from = self.last_offset
        views = _WarcioViews(self.layout, self.path, max(resumed_from, 0), arc=not use_fastwarc)
        warcio_error: str | None = None
        try:
            for view in views:
                if view.offset <= resumed_from:
                    continue
                yield from self._handle(view)
        except Exception as exc:  # warcio raises ArchiveLoadFailed, EOFError, ValueError … on damage
            warcio_error = _one_line(exc)
        # warcio's own complaints about the record FastWARC ended on (it is stricter about gzip
        # member layout) do not count; failing on what follows that record does
        got_past = views.records_read > 0
        if warcio_error is not None and (fast_error is not None or resumed_from < 0 or got_past):
            yield self._stopped_reject(
                warcio_error if resumed_from < 0 else fast_error or warcio_error, views.failed_at
            )
        elif fast_error is not None:
            logger.warning(
                "%s: FastWARC failed (%s) but warcio read the rest of the file", self.origin, fast_error
            )
        if self.records == 0 and warcio_error is None:
            yield Reject(
                self.origin, "no WARC/ARC records could be read; the file may be corrupt or truncated"
            )

    def _stopped_reject(self, error: str, failed_at: int | None) -> Reject:
        if "ended before the end-of-stream" in error or "unexpected end of" in error.lower():
            error = "gzip stream ends early"
        if self.records == 0:
            return Reject(
                self.origin,
                f"no WARC/ARC records could be read ({error}); the file is corrupt or unsupported",
            )
        if failed_at is not None and failed_at > self.last_offset:
            return Reject(
                f"{self.origin}#{failed_at}", f"malformed record ({error}); the rest of the file was skipped"
            )
        return Reject(
            f"{self.origin}#{self.last_offset}",
            f"malformed data after this record ({error}); the rest of the file was skipped",
        )

    def _fastwarc_records(self) -> Iterator[Capture | Reject]:
        """FastWARC's records, each checked against where the next one starts before it is passed on.

        A record whose Content-Length is wrong is rejected (truncated, overlapping) and reading
        resumes at the next record header or gzip member, so the records it swallowed are read too.
        """
        framing = Framing(self.path, self.origin, self.layout.compression, self.layout.single_stream)
        try:
            start: int | None = 0
            while start is not None:
                start = yield from self._checked_pass(start, framing)
        finally:
            framing.close()

    def _checked_pass(self, start: int, framing: Framing) -> Generator[Capture | Reject, None, int | None]:
        """One FastWARC pass from ``start``; returns where to resume when a record was mis-framed."""
        views = self._fastwarc_views(start)
        pending: tuple[_RecordView, list[Capture | Reject]] | None = None
        try:
            while True:
                try:
                    view = next(views, None)
                except Exception:
                    if pending is not None:  # FastWARC failed on what follows: keep what was read
                        yield from pending[1]
                    raise
                if pending is not None:
                    previous, records = pending
                    if previous.block_length is None:
                        verdict = OK
                    else:
                        verdict = framing.check(
                            previous.offset,
                            previous.block_length,
                            view.offset if view else None,
                            previous.header_length,
                            _entity_end(previous),
                        )
                    if verdict.keep:
                        yield from records
                    else:
                        self._forget(previous.offset)
                    if verdict.reject is not None:
                        yield verdict.reject
                    resume = verdict.resume_at
                    if resume is not None and resume > previous.offset:
                        return resume
                if view is None:
                    return None
                pending = (view, list(self._handle(view)))
        finally:
            views.close()

    def _forget(self, offset: int) -> None:
        """A record found mis-framed after it was read is no revisit's original."""
        self.by_digest = {k: v for k, v in self.by_digest.items() if v != offset}
        self.by_uri_date = {k: v for k, v in self.by_uri_date.items() if v != offset}

    def _handle(self, view: _RecordView) -> Iterator[Capture | Reject]:
        self.records += 1
        self.last_offset = max(self.last_offset, view.offset)
        if view.record_type in ("response", "resource"):
            yield from self._payload_capture(view)
        elif view.record_type == "revisit":
            yield from self._revisit_capture(view)
        else:
            self.stats.records_skipped += 1

    def _payload_capture(self, view: _RecordView) -> Iterator[Capture | Reject]:
        origin = f"{self.origin}#{view.offset}"
        media = _media_type(view.content_type)
        status_ok = view.status is None or 200 <= view.status < 300
        if not status_ok or (media not in HTML_TYPES and media not in _SNIFF_TYPES):
            self.stats.records_skipped += 1
            return
        if view.declared > self.cap:
            if media in HTML_TYPES:
                yield Reject(origin, over_cap_reason(self.cap, view.declared))
            else:
                self.stats.records_skipped += 1
            return
        body = _decode_payload(view, self.cap, self.layout.compression)
        if isinstance(body, str):
            yield Reject(origin, body)
            return
        if not body.strip() or (media not in HTML_TYPES and not _sniff_html(body)):
            self.stats.records_skipped += 1
            return
        if view.payload_digest:
            self.by_digest.setdefault(view.payload_digest, view.offset)
        if view.url and view.warc_date:
            self.by_uri_date.setdefault((view.url, view.warc_date), view.offset)
        yield _capture(origin, body, view, self.path_hints)

    def _revisit_capture(self, view: _RecordView) -> Iterator[Capture | Reject]:
        origin = f"{self.origin}#{view.offset}"
        media = _media_type(view.content_type)
        if media not in HTML_TYPES and media not in _SNIFF_TYPES:
            self.stats.records_skipped += 1
            return
        target: int | None = None
        if view.refers_to_uri and view.refers_to_date:
            target = self.by_uri_date.get((view.refers_to_uri, view.refers_to_date))
        if target is None and view.payload_digest:
            target = self.by_digest.get(view.payload_digest)
        if target is None:
            if media in HTML_TYPES:
                what = view.payload_digest or view.refers_to_uri or view.url or "unknown"
                yield Reject(
                    origin,
                    f"revisit record whose original HTML payload ({what}) is not earlier in this file; "
                    "ingest the WARC that holds the original",
                )
            else:
                self.stats.records_skipped += 1
            return
        original = self._reread(target)
        if isinstance(original, str):
            yield Reject(
                origin, f"revisit of the record at offset {target}, which could not be re-read ({original})"
            )
            return
        capture = _capture(origin, original, view, self.path_hints)
        capture.hints["revisit_of"] = f"{self.origin}#{target}"
        yield capture

    def _reread(self, offset: int) -> bytes | str:
        """The decoded payload of the HTML record at ``offset`` (seen earlier in this pass)."""
        from fastwarc.warc import ArchiveIterator

        with ExitStack() as stack:
            stream = self.layout.open(self.path, stack)
            stream.seek(offset)
            try:
                for record in ArchiveIterator(
                    stream, auto_decode="none", quirks_mode=True, stream_detect=not self.layout.single_stream
                ):
                    return _decode_payload(_fastwarc_view(record, offset), self.cap, self.layout.compression)
            except Exception as exc:  # fall through to warcio
                logger.debug("FastWARC re-read of %s#%s failed: %s", self.origin, offset, exc)
        try:
            for view in _WarcioViews(self.layout, self.path, offset, arc=False):
                return _decode_payload(view, self.cap, self.layout.compression)
        except Exception as exc:
            return _one_line(exc)
        return "no record at that offset"

    def _fastwarc_views(self, start: int = 0) -> Generator[_RecordView, None, None]:
        from fastwarc.warc import ArchiveIterator

        with ExitStack() as stack:
            stream = self.layout.open(self.path, stack)
            if start:
                stream.seek(start)
            for record in ArchiveIterator(
                stream, auto_decode="none", quirks_mode=True, stream_detect=not self.layout.single_stream
            ):
                yield _fastwarc_view(record, record.stream_pos)


class _WarcioViews:
    """warcio records from ``start`` on, as views; remembers the offset where warcio gave up."""

    def __init__(self, layout: _Layout, path: Path, start: int, arc: bool) -> None:
        self.layout = layout
        self.arc = arc
        self.path = path
        self.start = start
        self.failed_at: int | None = None
        self.records_read = 0

    def __iter__(self) -> Iterator[_RecordView]:
        from warcio.archiveiterator import ArchiveIterator

        with ExitStack() as stack:
            stream = self.layout.open(self.path, stack)
            if self.start:
                stream.seek(self.start)
            # arc2warc only for ARCs: on a WARC it would read junk lines as ARC headers
            iterator = ArchiveIterator(stream, arc2warc=self.arc)
            try:
                for record in iterator:
                    self.records_read += 1
                    yield _warcio_view(record, iterator.offset)
            except Exception:
                self.failed_at = iterator.offset
                raise


def _fastwarc_view(record: Any, offset: int) -> _RecordView:
    headers = record.headers
    view = _RecordView(
        offset=offset,
        record_type=str(record.record_type),
        url=_clean_uri(headers.get("WARC-Target-URI")),
        warc_date=headers.get("WARC-Date"),
        payload_digest=headers.get("WARC-Payload-Digest"),
        refers_to_uri=_clean_uri(headers.get("WARC-Refers-To-Target-URI")),
        refers_to_date=headers.get("WARC-Refers-To-Date"),
        truncated_flag=headers.get("WARC-Truncated"),
        declared=record.content_length,
        block_length=_int_or_none(headers.get("Content-Length")),
        header_length=_header_length(headers),
        read_payload=record.reader.read,
    )
    if record.is_http:
        http = record.http_headers
        view.status = http.status_code
        view.content_type = http.get("Content-Type")
        view.transfer_encoding = http.get("Transfer-Encoding") or ""
        view.content_encoding = http.get("Content-Encoding") or ""
        view.http_date = http.get("Date")
        view.http_content_length = _int_or_none(http.get("Content-Length"))
    else:
        view.content_type = headers.get("Content-Type")
    return view


def _entity_end(view: _RecordView) -> int | None:
    """Where in the record's block the HTTP response ends by its own Content-Length, when it has one."""
    if (
        view.block_length is None
        or view.http_content_length is None
        or "chunked" in view.transfer_encoding.lower()
    ):
        return None
    return view.block_length - view.declared + view.http_content_length


def _header_length(headers: Any) -> int | None:
    """The record header's length in bytes as its parsed lines add up (exact for every file we have)."""
    try:
        lines = headers.items_bytes()
        return len(headers.status_line_bytes or b"") + 2 + sum(len(k) + len(v) + 4 for k, v in lines) + 2
    except (AttributeError, TypeError):
        return None


def _warcio_view(record: Any, offset: int) -> _RecordView:
    rec = record.rec_headers
    raw = record.raw_stream
    view = _RecordView(
        offset=offset,
        record_type=record.rec_type,
        url=_clean_uri(rec.get_header("WARC-Target-URI")),
        warc_date=rec.get_header("WARC-Date"),
        payload_digest=rec.get_header("WARC-Payload-Digest"),
        refers_to_uri=_clean_uri(rec.get_header("WARC-Refers-To-Target-URI")),
        refers_to_date=rec.get_header("WARC-Refers-To-Date"),
        truncated_flag=rec.get_header("WARC-Truncated"),
        declared=getattr(raw, "limit", record.length or 0),
        read_payload=raw.read,
    )
    http = record.http_headers
    if http is not None and record.rec_type in ("response", "revisit"):
        status = http.get_statuscode()
        view.status = int(status) if status and status.isdigit() else None
        view.content_type = http.get_header("Content-Type")
        view.transfer_encoding = http.get_header("Transfer-Encoding") or ""
        view.content_encoding = http.get_header("Content-Encoding") or ""
        view.http_date = http.get_header("Date")
        view.http_content_length = _int_or_none(http.get_header("Content-Length"))
    else:
        view.content_type = rec.get_header("Content-Type")
    return view


def _capture(origin: str, body: bytes, view: _RecordView, extra: dict[str, str]) -> Capture:
    hints = dict(extra)
    if view.url:
        hints["url"] = view.url
    charset = _charset(view.content_type)
    if charset:
        hints["charset"] = charset
    if view.truncated_flag:
        hints["warc_truncated"] = view.truncated_flag
    return Capture(
        origin=origin,
        raw=body,
        format="html",
        url=view.url,
        fetched_at=iso_datetime(view.warc_date) or http_datetime(view.http_date),
        content_type=view.content_type,
        hints=hints,
    )


def _decode_payload(view: _RecordView, cap: int, compression: str) -> bytes | str:
    """The entity body with transfer and content encodings removed, or a one-line reason why not."""
    payload = _read_exactly(view.read_payload, view.declared)
    if len(payload) < view.declared:
        where = "gzip stream ends early" if compression == "gzip" else "file ends early"
        return f"record is truncated ({where}, {len(payload):,} of {view.declared:,} bytes); skipped"
    if "chunked" in view.transfer_encoding.lower():
        payload = _dechunk(payload) or payload  # many crawlers store bodies already de-chunked
    elif not view.content_encoding and view.http_content_length is not None:
        # bytes past the HTTP Content-Length belong to the next (mis-sized) record, as in damaged ARCs
        payload = payload[: view.http_content_length]
    return _decode_content(payload, view.content_encoding, cap)


def _read_exactly(read: PayloadReader, size: int) -> bytes:
    parts: list[bytes] = []
    remaining = size
    while remaining > 0:
        part = read(min(remaining, 1 << 20))
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def _dechunk(data: bytes) -> bytes | None:
    """Undo HTTP chunked transfer coding; None when the data is not validly chunked."""
    out = bytearray()
    pos = 0
    while True:
        eol = data.find(b"\n", pos)
        if eol < 0:
            return None
        size_field = data[pos:eol].split(b";", 1)[0].strip()
        try:
            size = int(size_field, 16)
        except ValueError:
            return None
        if size == 0:
            return bytes(out)
        start = eol + 1
        end = start + size
        if end > len(data):
            return None
        out += data[start:end]
        pos = end
        if data.startswith(b"\r\n", pos):
            pos += 2
        elif data.startswith(b"\n", pos):
            pos += 1
        else:
            return None


def _decode_content(payload: bytes, encoding: str, cap: int) -> bytes | str:
    coding = encoding.strip().lower()
    if coding in ("", "identity", "none", "utf-8", "utf8"):
        return payload
    try:
        if coding in ("gzip", "x-gzip"):
            decoded = _inflate(payload, 16 + zlib.MAX_WBITS, cap)
        elif coding == "deflate":
            try:
                decoded = _inflate(payload, zlib.MAX_WBITS, cap)
            except zlib.error:
                decoded = _inflate(payload, -zlib.MAX_WBITS, cap)
        elif coding == "br":
            import brotli

            decoded = brotli.decompress(payload)
        else:
            raise ValueError(f"unsupported Content-Encoding {coding!r}")
    except Exception as exc:  # zlib.error, brotli.error, ValueError
        if _looks_like_markup(payload):  # the crawler stored the body decoded but kept the header
            return payload
        return f"payload has Content-Encoding: {coding} but does not decode ({_one_line(exc)}); skipped"
    if len(decoded) > cap:
        return over_cap_reason(cap)
    return decoded


def _inflate(data: bytes, wbits: int, cap: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    out = inflater.decompress(data, cap + 1)
    if not out and data:
        raise zlib.error("no data could be decompressed")
    return out


def _looks_like_markup(data: bytes) -> bool:
    return data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _sniff_html(body: bytes) -> bool:
    head = body[:_SNIFF_BYTES].lower()
    return b"<html" in head or b"<!doctype html" in head


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _charset(content_type: str | None) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.I)
    return match.group(1).lower() if match else None


def _clean_uri(uri: str | None) -> str | None:
    """WARC 1.1 writers sometimes wrap the URI in <>; some put spaces in it."""
    if not uri:
        return None
    return uri.strip().strip("<>").replace(" ", "%20") or None


def iso_datetime(value: str | None) -> str | None:
    """A WARC/ISO date as ISO 8601 (UTC as ``Z``), or None when it is not a valid date."""
    if not value:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.isoformat().replace("+00:00", "Z")


def http_datetime(value: str | None) -> str | None:
    """An HTTP (RFC 7231) date as ISO 8601, or None."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.isoformat().replace("+00:00", "Z")


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _probe_layout(path: Path) -> _Layout:
    """Tell one-gzip-member-per-record files (the norm) from one gzip stream holding every record."""
    with path.open("rb") as fh:
        magic = fh.read(4)
        if magic.startswith(b"\x04\x22\x4d\x18"):
            return _Layout("lz4")
        if magic.startswith(b"\x28\xb5\x2f\xfd"):
            return _Layout("zstd")
        if not magic.startswith(GZIP_MAGIC):
            return _Layout("none")
        fh.seek(0)
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        head = b""
        produced = 0
        first_record: int | None = None
        try:
            while produced <= _LAYOUT_PEEK_LIMIT:
                chunk = fh.read(64 * 1024)
                if not chunk:
                    break
                out = inflater.decompress(chunk)
                produced += len(out)
                if len(head) < 64 * 1024:
                    head += out[: 64 * 1024]
                if first_record is None:
                    first_record = _first_record_length(head)
                if first_record is not None and produced > first_record + _FIRST_MEMBER_SLACK:
                    return _Layout("gzip", single_stream=True)
                if inflater.eof:
                    break
        except zlib.error:
            pass  # let the readers report the damage with an offset
    return _Layout("gzip")


_CONTENT_LENGTH = re.compile(rb"^content-length:\s*(\d+)\s*$", re.I | re.M)


def _first_record_length(head: bytes) -> int | None:
    """Bytes the first WARC/ARC record takes in the decompressed stream, when its header is complete."""
    if head.startswith(b"filedesc://"):
        line_end = head.find(b"\n")
        if line_end < 0:
            return None
        fields = head[:line_end].split()
        return line_end + 1 + int(fields[-1]) + 1 if fields and fields[-1].isdigit() else None
    end = head.find(b"\r\n\r\n")
    if end < 0:
        return None
    match = _CONTENT_LENGTH.search(head[:end])
    return end + 4 + int(match.group(1)) + 4 if match else None
