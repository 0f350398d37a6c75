"""Format detection by content, directory walking, and read_path never raising."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsarchive.errors import InputError
from newsarchive.extract import extract_capture
from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.detect import UNKNOWN_FORMAT, detect_format, iter_input_files, read_path
from newsarchive.sources.files import NO_SUCH_FILE
from tests.conftest import FIXTURES


@pytest.fixture
def sources_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "sources"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("article.html", "html"),
        ("wrong-charset.html", "html"),
        ("dumps/harbourtimes.example/ferry.txt", "textdump"),
        ("articles.jsonl", "jsonl"),
        ("articles.csv", "csv"),
        ("semicolon.csv", "csv"),
        ("feed-rss.xml", "feed"),
        ("feed-atom.xml", "feed"),
        ("feed-rdf.xml", "feed"),
        ("feed-xxe.xml", "feed"),
        ("reut2-mini.sgm", "reuters"),
    ],
)
def test_fixture_formats(sources_dir: Path, name: str, expected: str) -> None:
    assert detect_format(sources_dir / name) == expected


def test_detection_ignores_misleading_names(sources_dir: Path, tmp_path: Path) -> None:
    for source, fake_name, expected in [
        ("feed-rss.xml", "page.html", "feed"),
        ("articles.jsonl", "notes.txt", "jsonl"),
        ("article.html", "data.csv", "html"),
        ("reut2-mini.sgm", "story.txt", "reuters"),
    ]:
        target = tmp_path / fake_name
        target.write_bytes((sources_dir / source).read_bytes())
        assert detect_format(target) == expected, fake_name


def test_gzip_wrapped_inputs_are_detected_inside(sources_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "article.html.gz"
    target.write_bytes(gzip.compress((sources_dir / "article.html").read_bytes()))
    assert detect_format(target) == "html"
    records = list(read_path(target, Settings()))
    assert [type(r) for r in records] == [Capture]
    assert isinstance(records[0], Capture)
    assert records[0].raw == (sources_dir / "article.html").read_bytes()


def test_real_data_formats(shared_data: Path) -> None:
    assert detect_format(next((shared_data / "seed").glob("*.txt"))) == "textdump"
    assert detect_format(shared_data / "corpus/reuters21578/reut2-000.sgm") == "reuters"
    warcs = shared_data / "warc"
    assert detect_format(warcs / "warcio/test/data/example.warc.gz") == "warc"
    assert detect_format(warcs / "warcio/test/data/example-bad.warc.gz.bad") == "warc"
    assert detect_format(warcs / "warcio/test/data/example.arc") == "arc"
    assert detect_format(warcs / "aut/src/test/resources/arc/example.arc.gz") == "arc"
    assert detect_format(warcs / "resiliparse/tests/data/warcfile.warc.lz4") == "warc"
    readability = sorted((shared_data / "extraction/readability").rglob("source.html"))[:5]
    assert readability and all(detect_format(p) == "html" for p in readability)


def test_empty_binary_and_unknown_files_raise_input_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    junk = tmp_path / "photo.jpg"
    junk.write_bytes(bytes(range(256)) * 8)
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text('<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>')
    with pytest.raises(InputError, match="empty"):
        detect_format(empty)
    with pytest.raises(InputError, match="binary"):
        detect_format(junk)
    with pytest.raises(InputError, match="urlset"):
        detect_format(sitemap)


def test_one_nul_byte_does_not_make_a_page_binary(sources_dir: Path, tmp_path: Path) -> None:
    page = (sources_dir / "article.html").read_bytes()
    damaged = tmp_path / "damaged.html"
    damaged.write_bytes(page.replace(b"<p>", b"<p>\x00", 1))
    assert detect_format(damaged) == "html"
    [capture] = list(read_path(damaged, Settings()))
    assert isinstance(capture, Capture) and capture.raw.count(b"\x00") == 1  # bytes kept as they are
    article = extract_capture(capture, Settings())  # extraction drops the NUL, not the page
    assert article.body and "\x00" not in article.body + article.title
    dump = tmp_path / "dump.txt"
    dump.write_bytes((sources_dir / "dumps/harbourtimes.example/ferry.txt").read_bytes() + b"\x00\n")
    assert detect_format(dump) == "textdump"
    [dumped] = list(read_path(dump, Settings()))
    assert isinstance(dumped, Capture) and "\x00" not in extract_capture(dumped, Settings()).body


def test_binary_is_judged_by_the_share_of_control_bytes(tmp_path: Path) -> None:
    text = b"<html><body><p>" + b"The harbour council met on Tuesday. " * 100 + b"</p></body></html>"
    few = tmp_path / "few.html"  # 0.9% NULs: a damaged page, still read
    few.write_bytes(text.replace(b". ", b".\x00", 30))
    assert detect_format(few) == "html"
    many = tmp_path / "many.html"  # a zero-filled tail as large as the page: no page any more
    many.write_bytes(text + b"\x00" * len(text))
    with pytest.raises(
        InputError, match=rf"looks binary \({len(text):,} of its first {2 * len(text):,} characters"
    ):
        detect_format(many)
    packed = tmp_path / "packed.txt"  # deflate data without gzip magic: ~10% control bytes
    packed.write_bytes(zlib.compress(bytes(range(256)) * 64 + text * 4)[2:])
    with pytest.raises(InputError, match="looks binary"):
        detect_format(packed)


def test_utf16_with_bom_is_text(tmp_path: Path) -> None:
    page = "<html><body><p>Ο λιμενάρχης μίλησε την Τρίτη.</p></body></html>"
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        target = tmp_path / f"page-{codec}.html"
        target.write_bytes(bom + page.encode(codec))
        assert detect_format(target) == "html"
    dump = tmp_path / "dump.txt"
    dump.write_bytes(codecs.BOM_UTF16_LE + "Harbour Times\n\nThe ferry runs late.\n".encode("utf-16-le"))
    assert detect_format(dump) == "textdump"


def test_csv_without_header_is_rejected_for_that(tmp_path: Path) -> None:
    rows = (
        'https://harbourtimes.example/a,Ferry timetable,2023-05-02,"The harbour council voted, again."\n'
        'https://harbourtimes.example/b,Regatta moves,2023-05-03,"The regatta moves to June, they said."\n'
        'https://harbourtimes.example/c,Library hours,2023-05-04,"The library opens late, from May."\n'
    )
    for name in ("export.csv", "export.txt"):
        target = tmp_path / name
        target.write_text(rows)
        assert detect_format(target) == "csv", name
        [reject] = list(read_path(target, Settings()))
        assert isinstance(reject, Reject) and reject.origin == str(target)
        assert reject.reason.startswith(
            "CSV file has no header row: first line 'https://harbourtimes.example/a,"
        )
        assert reject.reason.endswith("; add a header naming the columns (text or html, url, title, date…)")


def test_prose_with_commas_stays_a_text_dump(tmp_path: Path) -> None:
    target = tmp_path / "dump.txt"
    target.write_text(
        "Harbour Times, the town's paper\nHome, News, Sport\n\n"
        "The council, which met on Tuesday, voted to add sailings.\n\n"
        "Commuters, long unhappy, welcomed it, the mayor said.\n"
    )
    assert detect_format(target) == "textdump"


def test_every_real_text_dump_is_detected_as_one(shared_data: Path) -> None:
    dumps = [
        p
        for folder in (shared_data / "extraction/textdumps/pages", shared_data / "seed")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    ]
    assert len(dumps) > 150
    assert {p.name: detect_format(p) for p in dumps} == {p.name: "textdump" for p in dumps}


def test_json_documents_are_json_and_object_lines_jsonl(tmp_path: Path) -> None:
    for name, content, expected in [
        ("articles.json", '[{"text": "a"}]', "json"),
        ("empty.json", "[]", "json"),
        ("pretty.json", '{\n  "text": "a"\n}\n', "json"),
        ("wrapped.json", '{"status": "ok", "articles": [{"text": "a"}]}', "json"),
        ("lines.json", '{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        ("lines.jsonl", '{"text": "a"}\n', "jsonl"),
    ]:
        target = tmp_path / name
        target.write_text(content)
        assert detect_format(target) == expected, name


def test_read_path_rejects_instead_of_raising(tmp_path: Path) -> None:
    missing = tmp_path / "gone.warc.gz"
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02\xff" * 100)
    empty = tmp_path / "empty.html"
    empty.touch()
    results = {p.name: list(read_path(p, Settings())) for p in (missing, junk, empty)}
    assert results["gone.warc.gz"] == [Reject(str(missing), "no such file or directory; check the path")]
    assert results["junk.bin"][0].reason.endswith(UNKNOWN_FORMAT)
    assert "empty" in results["empty.html"][0].reason


def test_path_that_never_existed_says_so(tmp_path: Path) -> None:
    for missing in (tmp_path / "nonexistent", tmp_path / "no" / "such" / "dir.warc"):
        assert list(read_path(missing, Settings())) == [Reject(str(missing), NO_SUCH_FILE)]
    assert "disappeared" not in NO_SUCH_FILE and "check the path" in NO_SUCH_FILE
    (tmp_path / "page.html").write_text("<p>x</p>")
    under_a_file = tmp_path / "page.html" / "inner.html"
    assert list(read_path(under_a_file, Settings())) == [Reject(str(under_a_file), NO_SUCH_FILE)]


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_dangling_symlink_is_named_as_such(tmp_path: Path) -> None:
    link = tmp_path / "latest.warc.gz"
    link.symlink_to(tmp_path / "crawl-2023.warc.gz")
    [reject] = list(read_path(link, Settings()))
    assert reject == Reject(str(link), "is a symbolic link to a file that does not exist; check the link")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_named_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    pipe = tmp_path / "feed.xml"
    os.mkfifo(pipe)
    [reject] = list(read_path(pipe, Settings()))  # opening it would block until a writer came
    assert reject == Reject(
        str(pipe), "is not a regular file (a pipe, socket or device); copy it to a file first"
    )
    assert list(iter_input_files([tmp_path])) == []  # and a walk passes it by


def test_path_with_a_nul_is_a_reject(tmp_path: Path) -> None:
    bad = tmp_path / "page\x00.html"
    assert list(iter_input_files([bad])) == [bad]
    [reject] = list(read_path(bad, Settings()))
    assert reject.origin == str(bad) and reject.reason.startswith("is not a valid path (")


def test_truncated_gzip_inputs_keep_what_came_before(tmp_path: Path) -> None:
    rows = "".join(json.dumps({"text": f"Row {n}: the ferry ran late again."}) + "\n" for n in range(3000))
    packed = gzip.compress(rows.encode())
    lines = tmp_path / "export.jsonl.gz"
    lines.write_bytes(packed[: len(packed) // 2])
    records = list(read_path(lines, Settings()))
    *rows_read, last = records
    assert len(rows_read) > 100 and all(isinstance(r, Capture) for r in rows_read)
    assert last == Reject(str(lines), last.reason)
    assert last.reason.startswith("compressed data is truncated or corrupt (")
    assert last.reason.endswith("the rest of the file was skipped (re-download or re-compress it)")


def test_iter_input_files_walks_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("x")
    (tmp_path / "b" / "1.txt").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    missing = tmp_path / "missing.warc"
    found = list(iter_input_files([tmp_path, missing]))
    assert found == [tmp_path / "a.txt", tmp_path / "b" / "1.txt", tmp_path / "b" / "2.txt", missing]


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_iter_input_files_survives_symlink_loops(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text("x")
    (tmp_path / "loop").symlink_to(tmp_path)
    assert list(iter_input_files([tmp_path])) == [tmp_path / "page.txt"]


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=2048),
        st.sampled_from(
            [
                b"WARC/1.0\r\n",
                b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\n",
                b"filedesc://x",
                b"\x1f\x8b",
                b"<rss",
                b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "b">]><rss>',
                b"{",
                b"<REUTERS",
                b"a,text\n",
                b"url,title,text\n",
            ]
        ).flatmap(lambda prefix: st.binary(max_size=512).map(lambda tail: prefix + tail)),
    )
)
def test_read_path_never_raises_on_random_bytes(tmp_path: Path, data: bytes) -> None:
    target = tmp_path / "input.bin"
    target.write_bytes(data)
    records = list(read_path(target, Settings(max_capture_bytes=1 << 20)))
    assert all(isinstance(r, Capture | Reject) for r in records)
    assert all(_storable(r.origin) and (isinstance(r, Capture) or _storable(r.reason)) for r in records)
    # the catch-all in read_path would hide reader bugs; random input must not reach it
    assert not [r for r in records if isinstance(r, Reject) and "unexpected error" in r.reason]


def _storable(text: str) -> bool:
    """Whether a store can encode the text: no lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _bytes_path(directory: Path, name: bytes) -> Path:
    """A path whose last part is ``name`` exactly, as Linux hands undecodable names to Python."""
    return Path(os.fsdecode(os.path.join(os.fsencode(directory), name)))


def _non_utf8_inputs(root: Path, sources_dir: Path) -> dict[str, Path]:
    """One input per reader, each under a Latin-1 (so not UTF-8) name, in a folder named likewise."""
    folder = _bytes_path(root, b"r\xe9gion")
    folder.mkdir()
    inputs: dict[str, Path] = {}
    for fmt, fixture, name in [
        ("html", "article.html", b"caf\xe9.html"),
        ("html2", "article.html", b"\xff\xfe.html"),
        ("textdump", "dumps/harbourtimes.example/ferry.txt", b"ferry-\xe9t\xe9.txt"),
        ("jsonl", "articles.jsonl", b"export-\xe9.jsonl"),
        ("csv", "articles.csv", b"export-\xe9.csv"),
        ("feed", "feed-rss.xml", b"fil-\xe9.xml"),
        ("reuters", "reut2-mini.sgm", b"reut2-\xe9.sgm"),
    ]:
        target = _bytes_path(folder, name)
        target.write_bytes((sources_dir / fixture).read_bytes())
        inputs[fmt] = target
    warc = _bytes_path(folder, b"crawl-\xe9.warc.gz")
    with warc.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        page = (sources_dir / "article.html").read_bytes()
        record = writer.create_warc_record(
            "https://harbourtimes.example/p", "response", payload=io.BytesIO(page), http_headers=http
        )
        writer.write_record(record)
    inputs["warc"] = warc
    inputs["empty"] = _bytes_path(folder, b"vide-\xe9.html")
    inputs["empty"].touch()
    return inputs


@pytest.mark.skipif(os.name != "posix", reason="byte file names are a POSIX thing")
def test_every_reader_gives_storable_origins_for_non_utf8_names(sources_dir: Path, tmp_path: Path) -> None:
    inputs = _non_utf8_inputs(tmp_path, sources_dir)
    found = list(iter_input_files([tmp_path]))
    assert sorted(map(os.fsencode, found)) == sorted(map(os.fsencode, inputs.values()))
    for fmt, path in inputs.items():
        records = list(read_path(path, Settings()))
        assert records, fmt
        shown = os.fsencode(path).decode("utf-8", "backslashreplace")  # each bad byte as \\xNN
        assert "/r\\xe9gion/" in shown
        for record in records:
            assert _storable(record.origin) and record.origin.split("#", 1)[0] == shown, fmt
            if isinstance(record, Capture):
                assert bytes.fromhex(record.hints["path_bytes_hex"]) == os.fsencode(path), fmt
                assert all(_storable(v) for v in record.hints.values())
            else:
                assert _storable(record.reason)
        if fmt == "empty":
            assert [type(r) for r in records] == [Reject]
        else:
            assert any(isinstance(r, Capture) for r in records), fmt
    [dump] = list(read_path(inputs["textdump"], Settings()))
    assert isinstance(dump, Capture) and dump.hints["site_dir"] == "r\\xe9gion"


@pytest.mark.skipif(os.name != "posix", reason="byte file names are a POSIX thing")
def test_non_utf8_names_are_all_ingested_end_to_end(sources_dir: Path, tmp_path: Path) -> None:
    from newsarchive import Archive

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    page = (sources_dir / "article.html").read_bytes()
    names = [b"caf\xe9.html", b"\xff\xfe.html", b"plain.html"]
    for number, name in enumerate(names):  # different bytes, so none is an exact duplicate
        _bytes_path(inputs, name).write_bytes(page.replace(b"</body>", b"<!-- %d --></body>" % number))
    with Archive.open(tmp_path / "arch", create=True) as archive:
        report = archive.ingest([inputs])
        assert report.captures_new == 3, report.rejects
        stored = {c.ref.origin: c.hints for c in archive.store.iter_captures()}
    assert set(stored) == {f"{inputs}/caf\\xe9.html", f"{inputs}/\\xff\\xfe.html", f"{inputs}/plain.html"}
    kept = bytes.fromhex(stored[f"{inputs}/caf\\xe9.html"]["path_bytes_hex"])
    assert kept == os.fsencode(inputs) + b"/caf\xe9.html"  # the exact name survives the store
    assert "path_bytes_hex" not in stored[f"{inputs}/plain.html"]


_FIXTURES = sorted(p for p in (FIXTURES / "sources").rglob("*") if p.is_file())


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fixture=st.sampled_from(_FIXTURES),
    cut=st.floats(min_value=0.0, max_value=1.0),
    junk=st.binary(max_size=64),
    gzipped=st.booleans(),
)
def test_damaged_fixtures_give_rejects_naming_the_input(
    tmp_path: Path, fixture: Path, cut: float, junk: bytes, gzipped: bool
) -> None:
    """Each fixture cut short, with junk spliced in at the cut and maybe gzipped: rejects, never a crash."""
    raw = fixture.read_bytes()
    at = int(len(raw) * cut)
    damaged = raw[:at] + junk + raw[at + len(junk) :]
    target = tmp_path / (fixture.name + (".gz" if gzipped else ""))
    target.write_bytes(gzip.compress(damaged)[: max(10, int(len(damaged) * cut))] if gzipped else damaged)
    records = list(read_path(target, Settings(max_capture_bytes=1 << 20)))
    assert all(r.origin.startswith(str(target)) and _storable(r.origin) for r in records)
    assert not [r for r in records if isinstance(r, Reject) and "unexpected error" in r.reason]
