"""WARC/ARC reading: HTML-only captures, decoding, revisits, damage, and every real file we have."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.detect import read_path
from newsarchive.sources.stats import SourceStats
from newsarchive.sources.warc import read_arc, read_warc

FERRY = (
    b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Ferry timetable</title></head>"
    b"<body><article><p>The harbour council added two evening sailings.</p></article></body></html>"
)
REGATTA = b"<html><body><p>The regatta moves to June because of spring storms.</p></body></html>"
DATE = "2023-05-02T18:30:00Z"


def _split(records: list[Capture | Reject]) -> tuple[list[Capture], list[Reject]]:
    return [r for r in records if isinstance(r, Capture)], [r for r in records if isinstance(r, Reject)]


def _response(
    writer: WARCWriter,
    url: str,
    body: bytes,
    headers: list[tuple[str, str]],
    status: str = "200 OK",
    date: str = DATE,
) -> None:
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": date}
    )
    writer.write_record(record)


def _chunked(body: bytes, size: int = 40) -> bytes:
    parts = [
        b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size]) for i in range(0, len(body), size)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


def _write_crawl(fh: io.BufferedIOBase | io.BytesIO, compress: bool) -> None:
    """A small fictional crawl: the cases a reader must tell apart, one record each."""
    writer = WARCWriter(fh, gzip=compress)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "newsarchive tests"}))
    html = [("Content-Type", "text/html; charset=utf-8")]
    _response(writer, "https://harbourtimes.example/local/ferry", FERRY, html)
    encoded = _chunked(gzip.compress(REGATTA))
    _response(
        writer,
        "https://harbourtimes.example/sport/regatta",
        encoded,
        [("Content-Type", "text/html"), ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
    )
    _response(
        writer,
        "https://harbourtimes.example/logo.png",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        [("Content-Type", "image/png")],
    )
    _response(
        writer,
        "https://harbourtimes.example/missing",
        b"<html><body>Not found</body></html>",
        html,
        status="404 Not Found",
    )
    _response(writer, "https://harbourtimes.example/untyped", FERRY.replace(b"Ferry", b"Untyped"), [])
    request = writer.create_warc_record(
        "https://harbourtimes.example/local/ferry",
        "request",
        payload=io.BytesIO(b""),
        http_headers=StatusAndHeaders(
            "GET /local/ferry HTTP/1.1", [("Host", "harbourtimes.example")], is_http_request=True
        ),
    )
    writer.write_record(request)
    # the same page fetched again, stored as a revisit of the first response
    first = _digest_of(FERRY)
    revisit = writer.create_revisit_record(
        "https://harbourtimes.example/local/ferry",
        first,
        "https://harbourtimes.example/local/ferry",
        DATE,
        http_headers=StatusAndHeaders("200 OK", html, protocol="HTTP/1.1"),
    )
    revisit.rec_headers.replace_header("WARC-Date", "2023-05-09T08:00:00Z")
    writer.write_record(revisit)
    orphan = writer.create_revisit_record(
        "https://harbourtimes.example/old",
        "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "https://harbourtimes.example/old",
        "2020-01-01T00:00:00Z",
        http_headers=StatusAndHeaders("200 OK", html, protocol="HTTP/1.1"),
    )
    writer.write_record(orphan)
    resource = writer.create_warc_record(
        "https://harbourtimes.example/saved",
        "resource",
        payload=io.BytesIO(REGATTA),
        warc_content_type="text/html; charset=utf-8",
    )
    writer.write_record(resource)


def _digest_of(payload: bytes) -> str:
    import base64
    import hashlib

    return "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode("ascii")


@pytest.fixture(params=[True, False], ids=["gzip", "plain"])
def crawl(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / ("crawl.warc.gz" if request.param else "crawl.warc")
    with path.open("wb") as fh:
        _write_crawl(fh, request.param)
    return path


def test_crawl_yields_html_pages_only(crawl: Path) -> None:
    stats = SourceStats()
    captures, rejects = _split(list(read_path(crawl, Settings(), stats)))
    urls = [c.url for c in captures]
    assert urls == [
        "https://harbourtimes.example/local/ferry",
        "https://harbourtimes.example/sport/regatta",
        "https://harbourtimes.example/untyped",
        "https://harbourtimes.example/local/ferry",
        "https://harbourtimes.example/saved",
    ]
    ferry, regatta, untyped, revisit, saved = captures
    assert ferry.raw == FERRY and ferry.format == "html"
    assert ferry.fetched_at == DATE and ferry.hints["charset"] == "utf-8"
    assert ferry.origin == f"{crawl}#{ferry.origin.rsplit('#', 1)[1]}"
    assert regatta.raw == REGATTA  # chunked and gzip content-encoding both undone
    assert untyped.raw.startswith(b"<!DOCTYPE html>")  # no Content-Type: sniffed
    assert revisit.raw == FERRY and revisit.hints["revisit_of"] == ferry.origin
    assert revisit.fetched_at == "2023-05-09T08:00:00Z"
    assert saved.raw == REGATTA
    assert len({c.origin for c in captures}) == len(captures)
    # warcinfo, png, 404 and request are skipped, not rejected
    assert stats.records_skipped == 4
    assert len(rejects) == 1
    assert "revisit" in rejects[0].reason and "not earlier in this file" in rejects[0].reason


def test_offsets_point_at_the_records(crawl: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    with crawl.open("rb") as fh:
        iterator = ArchiveIterator(fh)
        expected = {}
        for record in iterator:
            if record.rec_type == "response":
                expected.setdefault(
                    record.rec_headers.get_header("WARC-Target-URI"), iterator.get_record_offset()
                )
    captures, _ = _split(list(read_warc(crawl, Settings())))
    assert captures[0].origin.endswith(f"#{expected['https://harbourtimes.example/local/ferry']}")
    assert captures[1].origin.endswith(f"#{expected['https://harbourtimes.example/sport/regatta']}")


def test_record_over_the_cap_is_rejected(crawl: Path) -> None:
    captures, rejects = _split(list(read_warc(crawl, Settings(max_capture_bytes=120))))
    assert all(len(c.raw) <= 120 for c in captures)
    over = [r for r in rejects if "max_capture_bytes" in r.reason]
    assert over and all("#" in r.origin for r in over)


def test_truncated_plain_file_rejects_the_cut_record(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    _response(writer, "https://harbourtimes.example/a", FERRY, [("Content-Type", "text/html")])
    cut_at = buffer.tell()
    _response(writer, "https://harbourtimes.example/b", REGATTA * 20, [("Content-Type", "text/html")])
    path = tmp_path / "cut.warc"
    path.write_bytes(buffer.getvalue()[: cut_at + 600])
    captures, rejects = _split(list(read_path(path, Settings())))
    assert [c.url for c in captures] == ["https://harbourtimes.example/a"]
    assert len(rejects) == 1
    assert rejects[0].origin == f"{path}#{cut_at}"
    assert f"record at offset {cut_at} is truncated: Content-Length says" in rejects[0].reason
    assert "but the file ends after" in rejects[0].reason


def test_truncated_gzip_member_names_offset(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    _response(writer, "https://harbourtimes.example/a", FERRY, [("Content-Type", "text/html")])
    cut_at = buffer.tell()
    _response(
        writer,
        "https://harbourtimes.example/b",
        bytes(range(256)) * 40 + REGATTA,
        [("Content-Type", "text/html")],
    )
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(buffer.getvalue()[: cut_at + (buffer.tell() - cut_at) // 2])
    captures, rejects = _split(list(read_path(path, Settings())))
    assert [c.url for c in captures] == ["https://harbourtimes.example/a"]
    assert len(rejects) == 1
    assert rejects[0].origin.startswith(f"{path}#")
    assert "gzip stream ends early" in rejects[0].reason


def test_single_gzip_stream_uses_decompressed_offsets(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    _write_crawl(buffer, compress=False)
    plain = tmp_path / "crawl.warc"
    plain.write_bytes(buffer.getvalue())
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(buffer.getvalue()))
    from_plain, _ = _split(list(read_warc(plain, Settings())))
    from_whole, _ = _split(list(read_warc(whole, Settings())))
    assert [c.origin.rsplit("#", 1)[1] for c in from_whole] == [
        c.origin.rsplit("#", 1)[1] for c in from_plain
    ]
    assert [c.raw for c in from_whole] == [c.raw for c in from_plain]


def test_garbage_after_records_is_one_reject(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    _response(writer, "https://harbourtimes.example/a", FERRY, [("Content-Type", "text/html")])
    path = tmp_path / "tail.warc"
    path.write_bytes(buffer.getvalue() + b"this is not a record\r\n\r\n" * 3)
    captures, rejects = _split(list(read_path(path, Settings())))
    assert [c.url for c in captures] == ["https://harbourtimes.example/a"]
    assert len(rejects) == 1 and "rest of the file was skipped" in rejects[0].reason


def test_arc_reader(shared_data: Path) -> None:
    path = shared_data / "warc/warcio/test/data/example.arc"
    captures, rejects = _split(list(read_arc(path, Settings())))
    assert not rejects
    assert [(c.url, c.fetched_at, c.origin) for c in captures] == [
        ("http://example.com/", "2014-02-16T05:02:21Z", f"{path}#151")
    ]
    assert captures[0].raw.startswith(b"<!doctype html>")


# What every real WARC/ARC file gives, checked once by reading each with warcio/FastWARC by hand:
# (relative path, html captures, rejects, a phrase every reject reason contains)
REAL_FILES = [
    ("aut/src/test/resources/arc/badexample.arc.gz", 0, 1, "malformed record"),
    ("aut/src/test/resources/arc/example.arc.gz", 94, 0, ""),
    ("aut/src/test/resources/warc/example.docs.warc.gz", 0, 0, ""),
    ("aut/src/test/resources/warc/example.txt.warc.gz", 0, 0, ""),
    ("aut/src/test/resources/warc/example.warc.gz", 94, 0, ""),
    ("aut/src/test/resources/warc/issue-493.warc", 4, 0, ""),
    ("aut/src/test/resources/warc/issue-514.warc", 1, 0, ""),
    ("resiliparse/tests/data/block-sized-records.warc", 0, 0, ""),
    ("resiliparse/tests/data/block-sized-records.warc.gz", 0, 0, ""),
    ("resiliparse/tests/data/block-sized-records.warc.lz4", 0, 0, ""),
    ("resiliparse/tests/data/clipped.warc.gz", 0, 1, "truncated (gzip stream ends early"),
    ("resiliparse/tests/data/clueweb-quirk.warc.gz", 29, 0, ""),
    ("resiliparse/tests/data/warcfile.warc", 16, 0, ""),
    ("resiliparse/tests/data/warcfile.warc.gz", 16, 0, ""),
    ("resiliparse/tests/data/warcfile.warc.lz4", 16, 0, ""),
    ("warcio/test/data/bad.arc", 0, 0, ""),
    ("warcio/test/data/example-bad-non-chunked.warc.gz", 2, 0, ""),
    ("warcio/test/data/example-bad.warc.gz.bad", 2, 0, ""),
    ("warcio/test/data/example-digest.warc", 0, 0, ""),
    ("warcio/test/data/example-iana.org-chunked.warc", 1, 0, ""),
    ("warcio/test/data/example-resource.warc.gz", 1, 0, ""),
    ("warcio/test/data/example-space-in-target-uri.warc.gz", 0, 0, ""),
    ("warcio/test/data/example-space-in-url.arc", 0, 1, "truncated (file ends early"),
    # its third record's Content-Length is 2 bytes short (the gzip body's last bytes lie outside it)
    ("warcio/test/data/example-trunc.warc", 1, 1, "2 bytes after the record at offset 1197 are not"),
    ("warcio/test/data/example-wget-bad-target-uri.warc.gz", 1, 0, ""),
    ("warcio/test/data/example-wrong-chunks.warc.gz", 1, 0, ""),
    ("warcio/test/data/example.arc", 1, 0, ""),
    ("warcio/test/data/example.arc.gz", 1, 0, ""),
    ("warcio/test/data/example.warc", 2, 0, ""),
    ("warcio/test/data/example.warc.gz", 2, 0, ""),
    ("warcio/test/data/post-test.warc.gz", 0, 0, ""),
]


def test_real_file_list_is_complete(shared_data: Path) -> None:
    root = shared_data / "warc"
    on_disk = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name != "LICENSE"}
    assert on_disk == {name for name, *_ in REAL_FILES}


@pytest.mark.parametrize(
    ("name", "n_captures", "n_rejects", "phrase"), REAL_FILES, ids=[r[0] for r in REAL_FILES]
)
def test_real_warc_files(shared_data: Path, name: str, n_captures: int, n_rejects: int, phrase: str) -> None:
    path = shared_data / "warc" / name
    captures, rejects = _split(list(read_path(path, Settings())))
    assert (len(captures), len(rejects)) == (n_captures, n_rejects), [r.reason for r in rejects]
    assert all(phrase in r.reason and r.origin.startswith(str(path)) for r in rejects)
    assert len({c.origin for c in captures}) == len(captures)
    assert all(c.format == "html" and c.raw.strip() and c.url for c in captures)
    assert all(c.fetched_at is None or c.fetched_at[:2] in ("19", "20") for c in captures)


def test_real_revisit_resolves_to_original(shared_data: Path) -> None:
    path = shared_data / "warc/warcio/test/data/example.warc.gz"
    captures, _ = _split(list(read_path(path, Settings())))
    first, again = captures
    assert again.raw == first.raw and again.hints["revisit_of"] == first.origin
    assert (first.fetched_at, again.fetched_at) == ("2017-03-06T04:02:06Z", "2017-03-06T04:03:48Z")


def test_real_clipped_record_reason_names_offset(shared_data: Path) -> None:
    path = shared_data / "warc/resiliparse/tests/data/clipped.warc.gz"
    assert list(read_path(path, Settings())) == [
        Reject(f"{path}#0", "record is truncated (gzip stream ends early, 74,970 of 88,038 bytes); skipped")
    ]


def test_real_lz4_matches_plain(shared_data: Path) -> None:
    data = shared_data / "warc/resiliparse/tests/data"
    plain, _ = _split(list(read_path(data / "warcfile.warc", Settings())))
    framed, _ = _split(list(read_path(data / "warcfile.warc.lz4", Settings())))
    assert [c.raw for c in framed] == [c.raw for c in plain]
    assert [c.url for c in framed] == [c.url for c in plain]


# --- records whose Content-Length lies -----------------------------------------------------------


def _block(word: str) -> bytes:
    """The HTTP response a record holds: headers and a small fictional page."""
    body = f"<html><body><p>{word}: the harbour council met on Tuesday.</p></body></html>".encode()
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


def _raw_record(word: str, content_length: int | None = None) -> bytes:
    """One WARC response record written by hand, so that its Content-Length can be made to lie."""
    block = _block(word)
    length = len(block) if content_length is None else content_length
    header = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://harbourtimes.example/{word}\r\n"
        f"WARC-Date: {DATE}\r\nWARC-Record-ID: <urn:uuid:{word.encode().hex():0>32}>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n"
    ).encode()
    return header + block + b"\r\n\r\n"


def _lying_crawl(tmp_path: Path, layout: str, lie: int | None) -> tuple[Path, list[int]]:
    """Records a-d, b's Content-Length being ``lie``; the file and each record's offset (as origins count)."""
    records = [_raw_record(word, lie if word == "b" else None) for word in "abcd"]
    parts = [gzip.compress(r) for r in records] if layout == "members" else records
    offsets = [sum(len(p) for p in parts[:i]) for i in range(len(parts))]
    data = b"".join(parts)
    path = tmp_path / ("crawl.warc" if layout == "plain" else "crawl.warc.gz")
    path.write_bytes(gzip.compress(data) if layout == "stream" else data)  # stream: one gzip for all
    return path, offsets


def _words(captures: list[Capture]) -> list[str]:
    return [(c.url or "").rsplit("/", 1)[1] for c in captures]


LAYOUTS = ["plain", "members", "stream"]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("lie", [10**12, 5000], ids=["huge", "past-the-end"])
def test_content_length_past_the_end_is_truncated_and_later_records_read(
    tmp_path: Path, layout: str, lie: int
) -> None:
    path, offsets = _lying_crawl(tmp_path, layout, lie)
    captures, rejects = _split(list(read_path(path, Settings())))
    assert _words(captures) == ["a", "c", "d"]
    assert [c.origin for c in captures] == [f"{path}#{offsets[i]}" for i in (0, 2, 3)]
    [reject] = rejects
    assert reject.origin == f"{path}#{offsets[1]}"
    assert reject.reason.startswith(
        f"record at offset {offsets[1]} is truncated: Content-Length says {lie:,} bytes but "
    )
    # within its own gzip member the record ends early; elsewhere it runs to the end of the file
    ends = "its gzip member ends after" if layout == "members" else "the file ends after"
    assert ends in reject.reason and "max_capture_bytes" not in reject.reason


@pytest.mark.parametrize("layout", LAYOUTS)
def test_content_length_running_into_the_next_record_is_rejected(tmp_path: Path, layout: str) -> None:
    path, offsets = _lying_crawl(tmp_path, layout, len(_block("b")) + 30)
    captures, rejects = _split(list(read_path(path, Settings())))
    assert _words(captures) == ["a", "c", "d"]
    [reject] = rejects
    assert reject.origin == f"{path}#{offsets[1]}"
    said = f"Content-Length says {len(_block('b')) + 30:,} bytes"
    assert f"it says {len(_block('b')) + 30:,} bytes" in reject.reason or said in reject.reason
    assert f"after {len(_block('b')) + 4}" in reject.reason  # the real block and its closing CRLFs


@pytest.mark.parametrize("layout", LAYOUTS)
def test_content_length_swallowing_a_whole_record_is_caught(tmp_path: Path, layout: str) -> None:
    """b's Content-Length ends exactly where c ends, so its end looks right; c must still be read."""
    lie = len(_block("b")) + len(_raw_record("c"))
    path, offsets = _lying_crawl(tmp_path, layout, lie)
    captures, rejects = _split(list(read_path(path, Settings())))
    assert _words(captures) == ["a", "c", "d"]
    assert [r.origin for r in rejects] == [f"{path}#{offsets[1]}"]
    assert (
        f"Content-Length says {lie:,} bytes" in rejects[0].reason
        or f"it says {lie:,} bytes" in rejects[0].reason
    )


@pytest.mark.parametrize("layout", LAYOUTS)
def test_content_length_too_short_reports_the_junk_and_reads_on(tmp_path: Path, layout: str) -> None:
    path, offsets = _lying_crawl(tmp_path, layout, 40)
    captures, rejects = _split(list(read_path(path, Settings())))
    assert _words(captures) == ["a", "c", "d"]
    [reject] = rejects
    assert "Content-Length" in reject.reason and "too short" in reject.reason
    assert offsets[1] <= int(reject.origin.rsplit("#", 1)[1]) < offsets[2]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_honest_content_lengths_give_no_rejects(tmp_path: Path, layout: str) -> None:
    path, offsets = _lying_crawl(tmp_path, layout, None)
    captures, rejects = _split(list(read_path(path, Settings())))
    assert rejects == []
    assert [c.origin for c in captures] == [f"{path}#{o}" for o in offsets]
    assert _words(captures) == ["a", "b", "c", "d"]


def test_last_record_past_the_end_of_the_file(tmp_path: Path) -> None:
    first = _raw_record("a")
    path = tmp_path / "cut.warc"
    path.write_bytes(first + _raw_record("b", 900))
    captures, rejects = _split(list(read_path(path, Settings())))
    assert _words(captures) == ["a"]
    assert [r.origin for r in rejects] == [f"{path}#{len(first)}"]
    assert "Content-Length says 900 bytes but the file ends after" in rejects[0].reason


@hsettings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=st.sampled_from(LAYOUTS), lie=st.integers(min_value=0, max_value=3000))
def test_any_lying_content_length_loses_no_other_record(tmp_path: Path, layout: str, lie: int) -> None:
    """Whatever b's Content-Length says, a, c and d are read whole and nothing else is made up."""
    path, _ = _lying_crawl(tmp_path, layout, lie)
    captures, rejects = _split(list(read_path(path, Settings())))
    assert {"a", "c", "d"} <= set(_words(captures))
    pages = {word: _block(word).split(b"\r\n\r\n", 1)[1] for word in "abcd"}
    assert all(
        c.raw == pages[word] for c, word in zip(captures, _words(captures), strict=True) if word != "b"
    )
    assert not [r for r in rejects if "unexpected error" in r.reason]
    if lie == len(_block("b")):
        assert rejects == [] and _words(captures) == ["a", "b", "c", "d"]
