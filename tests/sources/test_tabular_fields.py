"""Rows as other tools export them: bodies, dates, bylines and links under any of their usual
names, the user's own mapping, a body column guessed when none is named, and the file's date order."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from newsarchive.extract import extract_capture
from newsarchive.model import NOTICE, Capture, Extracted, Reject
from newsarchive.settings import Settings
from newsarchive.sources.detect import read_path

TABULAR = Path(__file__).resolve().parent.parent / "fixtures" / "tabular"


def _read(path: Path, settings: Settings | None = None) -> list[Capture | Reject]:
    return list(read_path(path, settings or Settings()))


def _extracted(records: list[Capture | Reject], settings: Settings | None = None) -> list[Extracted]:
    return [extract_capture(r, settings or Settings()) for r in records if isinstance(r, Capture)]


def test_csv_with_content_headline_byline_link_category_site() -> None:
    records = _read(TABULAR / "columns.csv")
    assert [(type(r).__name__, r.origin.rsplit("#", 1)[1]) for r in records] == [
        ("Capture", "2"),
        ("Capture", "5"),
        ("Reject", "6"),
    ]
    ferry, regatta = _extracted(records)
    assert (ferry.title, ferry.url, ferry.published, ferry.section, ferry.source) == (
        "Harbour council approves new ferry timetable",
        "https://harbourtimes.example/local/ferry",
        "2023-05-02",
        "Local",
        "Harbour Times",
    )
    assert (
        ferry.body
        == "The harbour council voted on Tuesday to add two evening sailings.\n\nCommuters welcomed the change."
    )
    assert ferry.authors == ["Mara Lindqvist", "Tom Reyes"]
    assert regatta.authors == ["Jane Roe"]  # "&nbsp;Jane Roe, Staff Writer"
    assert isinstance(records[2], Reject) and "body column 'content' is empty" in records[2].reason


def test_jsonl_rows_under_every_usual_name() -> None:
    records = _read(TABULAR / "aliases.jsonl")
    assert all(isinstance(r, Capture) for r in records) and len(records) == 7
    rows = _extracted(records)
    assert [r.url for r in rows] == [f"https://northfield.example/{c}" for c in "abcdefg"]
    assert [r.title for r in rows][:3] == [
        "Library extends hours",
        "Fish market prices rise",
        "Snow closes the pass",
    ]
    assert [r.published for r in rows] == [
        "2023-04-11",
        "2023-04-12",
        "2023-04-13",
        "2023-04-14",
        "2023-04-14",  # epoch seconds 1681500000, normalised by extract.published
        "2023-04-16",
        "2023-04-18",
    ]
    assert [r.source for r in rows] == ["Northfield News"] * 7
    assert [r.section for r in rows][:3] == ["Local", "Business", "Weather"]
    assert [r.authors for r in rows[:6]] == [
        ["Ines Okafor"],  # "N/A" dropped
        [],  # "null"
        ["Tom Reyes", "Jane Roe"],  # "&nbsp;" decoded, not split
        ["Ana Duarte", "Luis Pena"],
        ["Mara Lindqvist", "Tom Reyes"],  # a list of {"name": …}
        [],  # "Updated 10:32" is a date, not a byline
    ]
    assert records[5].hints["fetched_at"] == "2023-04-17T08:00:00Z" and rows[5].language == "en"
    market = records[6]
    assert isinstance(market, Capture) and market.format == "html"  # a "content" that is markup
    assert market.raw == b"<p>The market hall reopened after a year of repairs.</p>"


def test_user_mapping_from_the_settings_reads_other_keys(tmp_path: Path) -> None:
    """An Arabic news corpus with Arabic keys: nothing matches until the user maps them."""
    path = TABULAR / "akhbar.json"
    unmapped = _read(path)
    assert all(isinstance(r, Reject) and "--field body=<key>" in r.reason for r in unmapped)
    toml = tmp_path / "settings.toml"
    toml.write_text(
        'fields = {body = "النص", title = "العنوان", published = "التاريخ", section = "القسم"}\n',
        encoding="utf-8",
    )
    settings = Settings.load(toml)
    records = _read(path, settings)
    rows = _extracted(records, settings)
    assert [r.origin for r in records] == [f"{path}#1", f"{path}#2"]
    assert [(r.title, r.section, r.published) for r in rows] == [
        ("جسر جديد فوق النهر", "محليات", "2025-05-15"),
        ("المكتبة تمدد ساعات العمل", "ثقافة", "2025-06-03"),  # 03/06: day first, as the file shows
    ]
    assert rows[0].body.startswith("افتتحت البلدية جسراً جديداً")


def test_user_mapping_of_a_nested_response() -> None:
    settings = Settings(fields={"body": "lead_paragraph"})
    records = _read(TABULAR / "docs.json", settings)
    rows = _extracted(records, settings)
    assert [(r.title, r.authors, r.published, r.section) for r in rows] == [
        ("Ferry service resumes", ["Jane Roe", "Tom Reyes"], "2019-03-03", "Local"),
        ("Bridge vote delayed", ["Ines Okafor"], "2019-03-04", "Local"),
    ]
    assert rows[0].url == "https://fictionaltimes.example/2019/03/03/ferry.html"


def test_a_mapped_csv_column_that_is_not_there_rejects_the_file(tmp_path: Path) -> None:
    [reject] = _read(TABULAR / "columns.csv", Settings(fields={"body": "article_body"}))
    assert isinstance(reject, Reject) and reject.origin == str(TABULAR / "columns.csv")
    assert "no column 'article_body' (mapped with --field body=article_body)" in reject.reason
    assert "columns found: link, headline, Published At" in reject.reason


def test_a_mapped_key_a_row_lacks_rejects_that_row_saying_so(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"story_body": "The ferry ran late."}\n{"text": "No story_body here."}\n')
    first, second = _read(path, Settings(fields={"body": "story_body"}))
    assert isinstance(first, Capture) and first.hints["text"] == "The ferry ran late."
    assert (
        isinstance(second, Reject) and "'story_body' (the body, by --field body=story_body)" in second.reason
    )


def test_the_longest_text_column_is_the_body_when_none_is_named_and_a_notice_says_so() -> None:
    records = _read(TABULAR / "summaries.csv")
    assert [type(r).__name__ for r in records] == ["Capture", "Capture"]
    first, second = _extracted(records)
    assert first.body.startswith("The harbour council met on Tuesday evening")
    assert second.body.startswith("Prices at the fish market rose")
    assert first.title == "Ferry gets evening sailings"
    [notice] = first.notices
    assert notice.startswith(NOTICE) and "'summary' was taken" in notice and "--field body=<column>" in notice
    assert second.notices == []  # said once per file, not per row


def test_short_columns_are_never_taken_as_the_body() -> None:
    [reject] = _read(TABULAR / "links.csv")
    assert isinstance(reject, Reject)
    assert "columns found: link, headline, short_description" in reject.reason
    assert "--field body=<column>" in reject.reason


def test_a_long_text_key_is_the_body_of_json_rows_too(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    story = "The ferry to the outer islands ran two hours late on Monday after a fault in its engine. " * 4
    path.write_text(json.dumps({"headline": "Ferry late", "description": story, "id": 7}) + "\n")
    [capture] = _read(path)
    assert isinstance(capture, Capture) and capture.hints["text"] == story
    assert capture.hints["body_column"] == "description"


@pytest.mark.parametrize(
    ("name", "dayfirst", "first"),
    [("dayfirst.csv", "1", "2019-04-03"), ("monthfirst.csv", "0", "2019-03-04")],
)
def test_the_file_s_date_order_is_guessed_from_its_rows(name: str, dayfirst: str, first: str) -> None:
    """03/04/2019 is read as the file writes its other dates (31/05 says day first, 05/31 month first)."""
    records = _read(TABULAR / name)
    assert {r.hints.get("dayfirst") for r in records if isinstance(r, Capture)} == {dayfirst}
    rows = _extracted(records)
    assert rows[0].dayfirst is (dayfirst == "1") and rows[0].published == first


def test_the_dayfirst_setting_wins_over_the_file() -> None:
    settings = Settings(dayfirst=False)
    records = _read(TABULAR / "dayfirst.csv", settings)
    assert all("dayfirst" not in r.hints for r in records if isinstance(r, Capture))
    assert _extracted(records, settings)[0].published == "2019-03-04"


def test_dates_that_do_not_tell_give_no_hint(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("title,date,text\nA,03/04/2019,Body one.\nB,2019-05-31,Body two.\n")
    assert all("dayfirst" not in r.hints for r in _read(path) if isinstance(r, Capture))


def test_a_late_row_that_tells_the_order_sets_it_from_there_on(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["title", "date", "text"])
        for n in range(250):
            writer.writerow([f"Story {n}", "03/04/2019" if n < 220 else "25/04/2019", f"Body {n}."])
    hints = [r.hints.get("dayfirst") for r in _read(path) if isinstance(r, Capture)]
    assert hints[:220] == [None] * 220 and hints[220:] == ["1"] * 30
