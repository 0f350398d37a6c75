"""Does each WARC record end where its Content-Length says? If not, where does the next one start?

A record whose Content-Length is wrong swallows the records after it (too long, or past the end of
the file) or leaves junk before the next header (too short), and FastWARC reads on as told. So each
record is checked once the reader has found the next one: with a second handle on the file, the
bytes at the declared end must be the record's closing CRLFs followed by the next record; for one
gzip member per record, the member's own length (the ISIZE in its trailer) must match. Only when a
check fails is the file scanned for the next ``WARC/1.`` header line or gzip member to resume at.
"""

from __future__ import annotations

import gzip
import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from newsarchive.model import Reject

_WINDOW = 64 * 1024
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_NEXT_HEADER = re.compile(rb"\nWARC/1\.[01]\r?\n")
_RECORD_START = re.compile(rb"WARC/1\.[01]\r?\n")
_GZIP_MEMBER = b"\x1f\x8b\x08"
_PROBE = 64
_TRAILER_SLACK = 4
"""A record ends with CRLF CRLF; writers that end it with LF LF or nothing are tolerated."""


@dataclass(slots=True, frozen=True)
class Verdict:
    """What to do with a record that has been read: keep its captures, add a reject, resume elsewhere."""

    keep: bool = True
    reject: Reject | None = None
    resume_at: int | None = None


OK = Verdict()


class Framing:
    """Checks records of one file, in file order, through its own handle (closed by ``close``)."""

    def __init__(self, path: Path, origin: str, compression: str, single_stream: bool) -> None:
        self.origin = origin
        self.kind = "stream" if single_stream else compression  # "none" | "gzip" | "stream" | lz4/zstd
        self._raw: BinaryIO | None = None
        self._window: _Window | None = None
        self.size = 0
        if self.kind in ("none", "gzip", "stream"):
            self._raw = path.open("rb")
            self.size = os.fstat(self._raw.fileno()).st_size
            inner: BinaryIO = self._raw
            if self.kind == "stream":
                inner = gzip.GzipFile(fileobj=self._raw, mode="rb")  # type: ignore[assignment]
            self._window = _Window(inner)

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()

    def check(
        self,
        offset: int,
        declared: int,
        following: int | None,
        header: int | None = None,
        entity_end: int | None = None,
    ) -> Verdict:
        """The verdict on the record at ``offset`` whose Content-Length is ``declared``.

        ``following`` is the offset of the record the reader found next, None at the end of the file.
        ``header`` is the header's length as the reader's parsed fields add up, which saves reading
        it again when the record is well framed. ``entity_end`` is where, inside the record's block,
        the HTTP Content-Length says the response ends: a Content-Length that swallows whole records
        ends on a record boundary and looks well framed, but the next record starts there.
        """
        try:
            if self.kind in ("none", "stream"):
                if header is not None and self._plain_ends_right(offset + header + declared, following):
                    verdict = OK
                else:
                    verdict = self._check_plain(offset, declared, following)
                if verdict is OK and header is not None and entity_end is not None:
                    return self._swallowed(offset, offset + header, declared, entity_end)
                return verdict
            if self.kind == "gzip":
                stop = following if following is not None else self.size
                if header is not None and self._member_ends_right(header + declared, stop):
                    return OK
                return self._check_member(offset, declared, following)
        except (OSError, EOFError, zlib.error):
            pass  # damage the readers report themselves, with their own wording
        return OK

    # -- uncompressed offsets (plain files, one gzip stream for all records) ------------------
    def _check_plain(self, offset: int, declared: int, following: int | None) -> Verdict:
        window = self._window
        assert window is not None
        head = window.read_at(offset, _WINDOW)
        end_of_header = _HEADER_END.search(head)
        if end_of_header is None or not head.startswith(b"WARC/"):
            return OK  # not a header we can measure (a reader quirk); trust the reader
        start = offset + end_of_header.end()
        end = start + declared
        if self._plain_ends_right(end, following):
            return OK
        truncated = not self._reaches(end)  # before the scan moves the window past ``end``
        next_header = self._find_header(start, following)
        if truncated:
            return Verdict(
                keep=False,
                reject=Reject(
                    f"{self.origin}#{offset}",
                    f"record at offset {offset} is truncated: Content-Length says {declared:,} bytes "
                    f"but the file ends after {self._data_end() - start:,}; skipped",
                ),
                resume_at=next_header,
            )
        if next_header is not None and next_header < end:
            return Verdict(
                keep=False,
                reject=Reject(
                    f"{self.origin}#{offset}",
                    f"record at offset {offset} has a wrong Content-Length: it says {declared:,} bytes "
                    f"but the next record starts after {next_header - start:,}; skipped",
                ),
                resume_at=next_header,
            )
        resume = next_header if next_header is not None else following
        if resume is None:
            return OK  # junk after the last record: the tail check reports it
        gap = resume - end
        junk = len(window.read_at(end, gap).strip()) if gap <= _WINDOW else gap
        return Verdict(
            reject=Reject(
                f"{self.origin}#{end}",
                f"{junk:,} bytes after the record at offset {offset} are not a WARC record "
                "(its Content-Length may be too short); skipped to the next record",
            ),
            resume_at=None if resume == following else resume,
        )

    def _swallowed(self, offset: int, start: int, declared: int, entity_end: int) -> Verdict:
        """A record header right after the HTTP response means the Content-Length took in records."""
        assert self._window is not None
        if not 0 <= entity_end < declared - _TRAILER_SLACK:
            return OK
        tail = self._window.read_at(start + entity_end, _PROBE)
        stripped = tail.lstrip(b"\r\n")
        if _RECORD_START.match(stripped) is None:
            return OK
        at = start + entity_end + len(tail) - len(stripped)
        return Verdict(
            keep=False,
            reject=Reject(
                f"{self.origin}#{offset}",
                f"record at offset {offset} has a wrong Content-Length: it says {declared:,} bytes "
                f"but the next record starts after {at - start:,}; skipped",
            ),
            resume_at=at,
        )

    def _plain_ends_right(self, end: int, following: int | None) -> bool:
        """Whether only the closing CRLFs lie between ``end`` and the next record (or the file's end)."""
        assert self._window is not None
        if following is not None:
            gap = following - end
            return 0 <= gap <= _WINDOW and not self._window.read_at(end, gap).strip()
        return self._reaches(end) and not self._window.read_at(end, _TRAILER_SLACK).strip()

    def _reaches(self, end: int) -> bool:
        """Whether the (decompressed) data is at least ``end`` bytes long."""
        assert self._window is not None
        return end <= 0 or len(self._window.read_at(end - 1, 1)) == 1

    def _data_end(self) -> int:
        """The length of the (decompressed) data."""
        if self.kind == "none":
            return self.size
        assert self._window is not None
        position = self._window.start
        while True:
            chunk = self._window.read_at(position, _WINDOW)
            if len(chunk) < _WINDOW:
                return position + len(chunk)
            position += len(chunk)

    def _find_header(self, start: int, stop: int | None) -> int | None:
        """The offset of the first record header line at or after ``start`` (and at most ``stop``)."""
        assert self._window is not None
        position = start - 1  # a header line follows a newline
        while stop is None or position < stop:
            chunk = self._window.read_at(position, _WINDOW)
            found = _NEXT_HEADER.search(chunk)
            if found is not None:
                at = position + found.start() + 1
                return at if stop is None or at <= stop else None
            if len(chunk) < _WINDOW:
                return None
            position += _WINDOW - 16  # a header line may straddle two windows
        return None

    # -- gzip members (one per record, or a record split over several) -------------------------
    def _check_member(self, offset: int, declared: int, following: int | None) -> Verdict:
        stop = following if following is not None else self.size
        head = self._inflate_head(offset)
        end_of_header = _HEADER_END.search(head)
        if end_of_header is None or not head.startswith(b"WARC/"):
            return OK
        content_start = end_of_header.end()
        record = content_start + declared
        if self._member_ends_right(record, stop):
            return OK
        run = self._walk_members(offset, record)
        if run.cut:
            return OK  # a cut or corrupt member: the readers say so, in their words
        if run.next_record is not None:
            at, after = run.next_record
            return Verdict(
                keep=False,
                reject=Reject(
                    f"{self.origin}#{offset}",
                    f"record at offset {offset} is truncated: Content-Length says {declared:,} bytes "
                    f"but its gzip member ends after {after - content_start:,}; skipped",
                ),
                resume_at=at,
            )
        if run.length < record:
            return Verdict(
                keep=False,
                reject=Reject(
                    f"{self.origin}#{offset}",
                    f"record at offset {offset} is truncated: Content-Length says {declared:,} bytes "
                    f"but the file ends after {run.length - content_start:,}; skipped",
                ),
            )
        resume = self._next_member(run.search_from, stop)
        resume = resume if resume is not None and resume < stop else None
        if run.after.strip() and not run.after.lstrip().startswith(b"WARC/"):
            return Verdict(
                reject=Reject(
                    f"{self.origin}#{offset}",
                    "the data after this record's Content-Length is not a WARC record (the Content-Length "
                    f"of {declared:,} may be too short); the record was read as declared",
                ),
                resume_at=resume,
            )
        return Verdict(resume_at=resume)  # a record split over members, or a member the reader skipped

    def _member_ends_right(self, record: int, stop: int) -> bool:
        """Whether the gzip member ending at ``stop`` (where the next record starts) holds ``record``
        bytes plus the closing CRLFs, by the uncompressed size in its trailer (ISIZE, modulo 2**32)."""
        if stop < 4:
            return False
        isize = int.from_bytes(self._read_raw(stop - 4, 4), "little")
        return 0 <= (isize - record) % (1 << 32) <= _TRAILER_SLACK

    def _read_raw(self, offset: int, size: int) -> bytes:
        assert self._raw is not None
        self._raw.seek(offset)
        return self._raw.read(size)

    def _inflate_head(self, offset: int) -> bytes:
        """The first bytes of the gzip member at ``offset``: its record header, inflated in small steps."""
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = b""
        position = offset
        data = b""
        while len(out) < _WINDOW and not inflater.eof:
            if not data:
                data = self._read_raw(position, 4096)
                if not data:
                    break
                position += len(data)
            out += inflater.decompress(data, 1024)
            data = inflater.unconsumed_tail
            if _HEADER_END.search(out, max(0, len(out) - 1028)):
                break
        return out

    def _walk_members(self, offset: int, record: int) -> _Run:
        """Inflate the members from ``offset`` on as one stream, up to just past ``record`` bytes.

        Stops early at a later member that opens a record of its own (the Content-Length ran into
        it) or at a member that never ends (a cut file).
        """
        run = _Run(search_from=offset)
        position = offset
        produced = 0
        first = True
        while position < self.size and (produced < record + _PROBE or first):
            member_start, member_produced = position, produced
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            seen_head = False
            while not inflater.eof:
                data = self._read_raw(position, _WINDOW)
                if not data:
                    run.cut = True
                    return run
                position += len(data)
                while data and not inflater.eof:
                    out = inflater.decompress(data, _WINDOW)
                    data = inflater.unconsumed_tail
                    if not seen_head and out:
                        seen_head = True
                        if not first and member_produced < record and out.lstrip()[:5] == b"WARC/":
                            run.next_record = (member_start, member_produced)
                            run.length = produced
                            return run
                    if record < produced + len(out) and len(run.after) < _PROBE:
                        run.after += out[max(0, record - produced) :][: _PROBE - len(run.after)]
                    produced += len(out)
            position -= len(inflater.unused_data)
            if member_produced <= record:
                # the next record starts in the member after this one, or in this one if it begins there
                run.search_from = member_start if member_produced == record else position
            first = False
        run.length = produced
        return run

    def _next_member(self, start: int, stop: int) -> int | None:
        """The first gzip member at or after ``start`` (and at most ``stop``) that opens a WARC record."""
        position = start
        while position <= stop:
            chunk = self._read_raw(position, min(_WINDOW, stop - position + 3))
            index = chunk.find(_GZIP_MEMBER)
            while index >= 0 and position + index <= stop:
                if self._inflate_head(position + index).lstrip()[:5] == b"WARC/":
                    return position + index
                index = chunk.find(_GZIP_MEMBER, index + 1)
            if len(chunk) < 3:
                return None
            position += len(chunk) - 2  # the magic may straddle two chunks
        return None


@dataclass(slots=True)
class _Run:
    """What inflating members from a record's offset found."""

    search_from: int
    length: int = 0
    cut: bool = False
    next_record: tuple[int, int] | None = None
    """(compressed offset, position in the inflated run) of a later member that opens a record."""
    after: bytes = b""
    """The first bytes after the record's declared end."""


class _Window:
    """Reads at offsets through a cached window, so a gzip stream is decompressed forward only."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.start = 0
        self.data = b""

    def read_at(self, offset: int, size: int) -> bytes:
        if size <= 0:
            return b""
        if self.start <= offset and offset + size <= self.start + len(self.data):
            return self.data[offset - self.start : offset - self.start + size]
        self.stream.seek(offset)
        self.data = self.stream.read(max(size, _WINDOW))
        self.start = offset
        return self.data[:size]
