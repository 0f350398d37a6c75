"""JSONL and CSV rows: one capture per good row, one reject per bad row, with line numbers."""

from __future__ import annotations

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


def test_jsonl_lone_surrogate_becomes_a_replacement_character(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(
        '{"text": "caf\\udce9 on the quay", "title": "Caf\\udce9", "author": "Ren\\ud83d\\ude00"}\n'
    )
    [capture] = list(read_jsonl(path, Settings()))
    assert isinstance(capture, Capture)
    assert capture.hints["text"] == "caf\ufffd on the quay" and capture.hints["title"] == "Caf\ufffd"
    assert capture.hints["authors"] == "Ren\U0001f600"  # a proper pair is kept


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_csv_header_with_an_index_column_is_a_header(tmp_path: Path) -> None:
    path = _csv(tmp_path / "pandas.csv", ",title,text\n0,Ferry,The ferry runs late.\n")
    [capture] = list(read_path(path, Settings()))
    assert isinstance(capture, Capture) and capture.hints["title"] == "Ferry"
