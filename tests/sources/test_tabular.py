"""JSONL and CSV rows: one capture per good row, one reject per bad row, with line numbers."""

from __future__ import annotations

import codecs
import csv
import json
from pathlib import Path

from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.detect import read_path
from newsarchive.sources.tabular import read_csv, read_jsonl


def test_jsonl_rows(fixtures_dir: Path) -> None:
    path = fixtures_dir / "sources" / "articles.jsonl"
    records = list(read_jsonl(path, Settings()))
    assert [(r.origin.rsplit("#", 1)[1], type(r).__name__) for r in records] == [
        ("1", "Capture"),
        ("2", "Capture"),
        ("3", "Reject"),
        ("4", "Reject"),
        ("6", "Reject"),
        ("7", "Capture"),
    ]
    text, html, _, missing, listed, fog = records
    assert isinstance(text, Capture) and isinstance(html, Capture) and isinstance(fog, Capture)
    assert text.format == "text"
    assert text.raw == path.read_bytes().split(b"\n")[0]
    assert (
        text.hints["text"]
        == "The harbour council voted on Tuesday to add two evening sailings.\n\nCommuters welcomed it."
    )
    assert text.hints["authors"] == "Mara Lindqvist; Tom Reyes"
    assert (text.url, text.hints["published"], text.hints["section"], text.hints["source"]) == (
        "https://harbourtimes.example/local/ferry",
        "2023-05-02",
        "Local",
        "Harbour Times",
    )
    assert html.format == "html"
    assert (
        html.raw
        == b"<html><body><p>The annual regatta will move to June because of spring storms.</p></body></html>"
    )
    assert (html.hints["published"], html.hints["authors"]) == ("2023-05-03", "Tom Reyes")
    assert fog.hints["source"] == "Harbour Times"
    assert isinstance(missing, Reject) and "'text' or 'html'" in missing.reason
    assert isinstance(listed, Reject) and "not an object" in listed.reason
    assert isinstance(records[2], Reject) and "not valid JSON" in records[2].reason


def test_jsonl_oversized_line_is_rejected_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    rows = [{"text": "x" * 500}, {"text": "short body"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    records = list(read_jsonl(path, Settings(max_capture_bytes=100)))
    assert isinstance(records[0], Reject) and records[0].origin == f"{path}#1"
    assert isinstance(records[1], Capture) and records[1].hints["text"] == "short body"


def test_csv_rows_with_multiline_fields(fixtures_dir: Path) -> None:
    path = fixtures_dir / "sources" / "articles.csv"
    records = list(read_csv(path, Settings()))
    assert [r.origin.rsplit("#", 1)[1] for r in records] == ["2", "5", "6"]
    library, bridge, market = records
    assert isinstance(library, Capture) and isinstance(market, Capture)
    assert (
        library.hints["text"] == "The town library will open until 8pm on weekdays from May.\n\n"
        "Staff said evening visits had doubled."
    )
    assert json.loads(library.raw)["title"] == "Library extends opening hours"
    assert (library.hints["authors"], library.hints["section"]) == ("Ines Okafor", "Local")
    assert isinstance(bridge, Reject) and "'text' or 'html'" in bridge.reason
    assert market.url == "https://harbourtimes.example/business/market"


def test_csv_semicolon_html_column(fixtures_dir: Path) -> None:
    [capture] = list(read_csv(fixtures_dir / "sources" / "semicolon.csv", Settings()))
    assert isinstance(capture, Capture)
    assert (capture.format, capture.raw) == ("html", b"<p>Ferries ran late on Sunday.</p>")


def test_csv_without_body_column_is_one_reject(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text("url,title\nhttps://a.example/,A\n")
    [reject] = list(read_csv(path, Settings()))
    assert (
        isinstance(reject, Reject)
        and reject.origin == str(path)
        and "no 'text' or 'html' column" in reject.reason
    )


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_csv_row_with_a_nul_is_dropped_not_the_file(tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "export.csv",
        "url,title,text\n"
        "https://harbourtimes.example/a,Ferry,The harbour council added two sailings.\n"
        "https://harbourtimes.example/b,Broken,The row was cut\x00\x00 by a bad disk.\n"
        "https://harbourtimes.example/c,Regatta,The regatta moves to June.\n",
    )
    records = list(read_path(path, Settings()))
    assert [(type(r).__name__, r.origin) for r in records] == [
        ("Capture", f"{path}#2"),
        ("Reject", f"{path}#3"),
        ("Capture", f"{path}#4"),
    ]
    assert isinstance(records[1], Reject) and "NUL or other control bytes" in records[1].reason


def test_malformed_csv_row_does_not_end_the_file(tmp_path: Path) -> None:
    settings = Settings(max_capture_bytes=1000)
    list(read_csv(_csv(tmp_path / "warm.csv", "text\nx\n"), settings))  # the csv field limit as it now is
    body = "x" * (csv.field_size_limit() + 1)  # more than the csv module will hold: it raises csv.Error
    path = _csv(
        tmp_path / "export.csv",
        f'title,text\nFerry,"The ferry runs late."\nHuge,"{body}"\nRegatta,"The regatta moves to June."\n',
    )
    records = list(read_csv(path, settings))
    assert [(type(r).__name__, r.origin.rsplit("#", 1)[1]) for r in records] == [
        ("Capture", "2"),
        ("Reject", "3"),
        ("Capture", "4"),
    ]
    assert "max_capture_bytes=1,000" in records[1].reason  # type: ignore[union-attr]


def test_quote_never_closed_rejects_its_row_and_reads_the_rest(tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "export.csv",
        "title,text\n"
        'Ferry,"The ferry runs late.\n'  # the closing quote was lost
        "Regatta,The regatta moves to June.\n"
        "Library,The library opens late.\n",
    )
    records = list(read_csv(path, Settings()))
    assert [(type(r).__name__, r.origin.rsplit("#", 1)[1]) for r in records] == [
        ("Reject", "2"),
        ("Capture", "3"),
        ("Capture", "4"),
    ]
    assert "never closed" in records[0].reason  # type: ignore[union-attr]
    assert [r.hints["text"] for r in records[1:] if isinstance(r, Capture)] == [
        "The regatta moves to June.",
        "The library opens late.",
    ]


def test_csv_header_with_an_index_column_is_a_header(tmp_path: Path) -> None:
    path = _csv(tmp_path / "pandas.csv", ",title,text\n0,Ferry,The ferry runs late.\n")
    [capture] = list(read_path(path, Settings()))
    assert isinstance(capture, Capture) and capture.hints["title"] == "Ferry"


def test_utf16_exports_are_read(tmp_path: Path) -> None:
    rows = "title\ttext\nΛιμάνι\tΤο πλοίο αργεί.\n"
    tsv = tmp_path / "excel.txt"  # what Excel's "Unicode Text" writes
    tsv.write_bytes(codecs.BOM_UTF16_LE + rows.encode("utf-16-le"))
    [row] = list(read_path(tsv, Settings()))
    assert isinstance(row, Capture) and row.hints["text"] == "Το πλοίο αργεί."
    lines = tmp_path / "export.jsonl"  # what Windows PowerShell's Out-File writes
    lines.write_bytes(
        codecs.BOM_UTF16_LE + '{"text": "Το πλοίο αργεί."}\r\n{"text": "Δεύτερο."}\r\n'.encode("utf-16-le")
    )
    records = list(read_path(lines, Settings()))
    assert [r.hints["text"] for r in records if isinstance(r, Capture)] == ["Το πλοίο αργεί.", "Δεύτερο."]
    assert [r.origin for r in records] == [f"{lines}#1", f"{lines}#2"]


def test_jsonl_lone_surrogate_becomes_a_replacement_character(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(
        '{"text": "caf\\udce9 on the quay", "title": "Caf\\udce9", "author": "Ren\\ud83d\\ude00"}\n'
    )
    [capture] = list(read_jsonl(path, Settings()))
    assert isinstance(capture, Capture)
    assert capture.hints["text"] == "caf\ufffd on the quay" and capture.hints["title"] == "Caf\ufffd"
    assert capture.hints["authors"] == "Ren\U0001f600"  # a proper pair is kept


def test_jsonl_nested_too_deeply_is_one_rejected_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text('{"text": ' + "[" * 100_000 + "]" * 100_000 + '}\n{"text": "The ferry runs late."}\n')
    records = list(read_jsonl(path, Settings()))
    assert [type(r).__name__ for r in records] == ["Reject", "Capture"]
    assert records[0].origin == f"{path}#1"


def test_jsonl_number_too_long_is_one_rejected_line(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text('{"text": "x", "views": ' + "9" * 5000 + '}\n{"text": "The ferry runs late."}\n')
    records = list(read_jsonl(path, Settings()))
    assert [(type(r).__name__, r.origin) for r in records] == [
        ("Reject", f"{path}#1"),
        ("Capture", f"{path}#2"),
    ]
    assert "cannot be read as JSON" in records[0].reason  # type: ignore[union-attr]


def test_jsonl_hint_nested_deeply_is_dropped_not_the_file(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    author = "[" * 900 + '"Mara"' + "]" * 900  # json reads this; following it field by field would not
    path.write_text('{"text": "The ferry runs late.", "author": ' + author + '}\n{"text": "Second."}\n')
    records = list(read_jsonl(path, Settings()))
    assert [r.hints.get("authors") for r in records if isinstance(r, Capture)] == [None, None]
    assert [r.hints["text"] for r in records if isinstance(r, Capture)] == ["The ferry runs late.", "Second."]
