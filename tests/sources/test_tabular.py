"""JSONL and CSV rows: one capture per good row, one reject per bad row, with line numbers."""

from __future__ import annotations

import codecs
import csv
import gzip
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
    assert isinstance(missing, Reject) and "keys (url, title)" in missing.reason
    assert "--field body=<key>" in missing.reason
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
    assert isinstance(bridge, Reject) and "body column 'text' is empty" in bridge.reason
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
        and "no article body column: columns found: url, title" in reject.reason
        and "--field body=<column>" in reject.reason
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


# --- files in a legacy encoding: decided once per file by extract.encoding's rule --------------------

WESTERN_ROWS = [
    (
        "Café reopens on the quay",
        "The harbour café in Zürich reopens on Monday, the owner said.",
        "Inès Moreau",
    ),
    (
        "A naïve plan",
        "“It was a naïve plan,” the mayor admitted — but the ferry now runs on time.",
        "Jörg Åberg",
    ),
]
ARABIC_ROWS = [
    (
        "جسر جديد فوق النهر",
        "افتتحت البلدية جسراً جديداً فوق النهر يوم الثلاثاء، وقال رئيس البلدية إن الرحلة إلى الميناء ستصبح أقصر.",
    ),
    (
        "المكتبة تمدد ساعات العمل",
        "أعلنت مكتبة المدينة أنها ستفتح أبوابها حتى الساعة الثامنة مساءً طوال أيام الأسبوع.",
    ),
    ("أسعار الخضار ترتفع", "ارتفعت أسعار الخضار في السوق المركزي بعد موجة البرد التي ضربت المنطقة."),
]
RUSSIAN_ROWS = [
    {
        "title": "Паром опаздывает",
        "text": "Вечерний паром снова опоздал на полчаса из-за ветра.",
        "author": "Мария Лунева",
    },
    {
        "title": "Библиотека открыта дольше",
        "text": "Городская библиотека будет работать до восьми вечера по будням.",
    },
]


def _texts(records: list[Capture | Reject]) -> list[tuple[str, str, str]]:
    return [
        (r.origin.rsplit("#", 1)[1], r.hints["title"], r.hints["text"])
        for r in records
        if isinstance(r, Capture)
    ]


def test_windows_1252_csv_keeps_its_accents_and_curly_quotes(tmp_path: Path) -> None:
    path = tmp_path / "excel-export.csv"
    rows = "".join(f'{title},"{text}",{author}\r\n' for title, text, author in WESTERN_ROWS)
    path.write_bytes(("title,text,author\r\n" + rows).encode("cp1252"))
    records = list(read_path(path, Settings()))
    assert [r.origin for r in records] == [f"{path}#2", f"{path}#3"]
    assert _texts(records) == [(str(n), t, x) for n, (t, x, _) in enumerate(WESTERN_ROWS, start=2)]
    assert [r.hints["authors"] for r in records if isinstance(r, Capture)] == ["Inès Moreau", "Jörg Åberg"]


def test_windows_1256_csv_of_arabic_news_reads_exactly(tmp_path: Path) -> None:
    path = tmp_path / "akhbar.csv"
    rows = "".join(f"{title};{text}\r\n" for title, text in ARABIC_ROWS)
    path.write_bytes(("title;text\r\n" + rows).encode("cp1256"))
    records = list(read_path(path, Settings()))
    assert _texts(records) == [(str(n), title, text) for n, (title, text) in enumerate(ARABIC_ROWS, start=2)]
    assert all(r.origin.startswith(f"{path}#") for r in records)


def test_utf8_csv_with_one_stray_byte_stays_utf8(tmp_path: Path) -> None:
    """A windows-1252 apostrophe pasted into a UTF-8 export is one U+FFFD, not a reason to misread the rest."""
    path = tmp_path / "export.csv"
    good = "title,text\nZürich café,Das Café am Hafen öffnet wieder; Kunden aus Genève und Malmö jubeln.\n"
    tokyo = "東京,東京の新しい図書館は来月開館する。\n"
    path.write_bytes(good.encode() + b"Quay,The quay\x92s new caf\xc3\xa9 opens.\n" + tokyo.encode())
    records = list(read_path(path, Settings()))
    assert _texts(records) == [
        ("2", "Zürich café", "Das Café am Hafen öffnet wieder; Kunden aus Genève und Malmö jubeln."),
        ("3", "Quay", "The quay\ufffds new café opens."),
        ("4", "東京", "東京の新しい図書館は来月開館する。"),
    ]


def test_windows_1251_jsonl_reads_exactly(tmp_path: Path) -> None:
    path = tmp_path / "novosti.jsonl"
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\r\n" for row in RUSSIAN_ROWS)
    path.write_bytes(lines.encode("cp1251"))
    records = list(read_path(path, Settings()))
    assert [r.origin for r in records] == [f"{path}#1", f"{path}#2"]
    assert _texts(records) == [
        (str(n), row["title"], row["text"]) for n, row in enumerate(RUSSIAN_ROWS, start=1)
    ]
    assert isinstance(records[0], Capture) and records[0].hints["authors"] == "Мария Лунева"
    assert json.loads(records[0].raw) == RUSSIAN_ROWS[0]  # the row's bytes are its UTF-8 JSON


def test_legacy_file_longer_than_the_sample_streams_to_its_last_row(tmp_path: Path) -> None:
    """The encoding is decided on the first 256 KB; rows past it, gzipped too, decode the same way."""
    title, text = ARABIC_ROWS[0]
    rows = "".join(f"{title} {n},{text}\n" for n in range(3000))  # about 450 KB in windows-1256
    path = tmp_path / "archive.csv.gz"
    path.write_bytes(gzip.compress(("title,text\n" + rows).encode("cp1256")))
    records = list(read_path(path, Settings()))
    assert len(records) == 3000 and all(isinstance(r, Capture) for r in records)
    assert _texts(records)[-1] == ("3001", f"{title} 2999", text)
    assert _texts(records)[1500] == ("1502", f"{title} 1500", text)


def test_byte_order_marks_are_not_read_as_text(tmp_path: Path) -> None:
    """Excel's "CSV UTF-8" starts with a BOM; left in, it would glue itself to the first column's name."""
    path = tmp_path / "excel-utf8.csv"
    path.write_bytes(codecs.BOM_UTF8 + "text,title\nThe café opens.,Café\n".encode())
    [row] = list(read_path(path, Settings()))
    assert isinstance(row, Capture) and (row.hints["text"], row.hints["title"]) == ("The café opens.", "Café")
    lines = tmp_path / "export.jsonl"
    lines.write_bytes(codecs.BOM_UTF8 + '{"text": "The café opens."}\n'.encode())
    [record] = list(read_path(lines, Settings()))
    assert isinstance(record, Capture) and record.raw == '{"text": "The café opens."}'.encode()
