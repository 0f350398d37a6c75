"""Dates as JSONL/CSV exports write them, through ingest, search, stats, the notice log and migration."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

from newsarchive import Archive, Settings
from newsarchive.store.sqlite import SCHEMA_VERSION

BODY = (
    "The harbour board of Northfield met on {topic} and agreed a plan for the quay, "
    "the ferry terminal and the fish market, after a long debate about costs and tides."
)
ROWS = [
    ("epoch", 1709600000.0),
    ("milliseconds", 1709600000123),
    ("words", "15 May 2025"),
    ("dayfirst", "31/12/2018"),
    ("offset", "2020-06-30T23:59:59+14:00"),
    ("rfc", "Tue, 10 Nov 2015 08:00:00 GMT"),
    ("garbled", "sometime after the storm"),
]


def _settings() -> Settings:
    return Settings(enrich=False, progress=False)


def _jsonl(tmp: Path) -> Path:
    path = tmp / "export.jsonl"
    lines = [
        json.dumps(
            {
                "url": f"https://northfield.example/news/{topic}",
                "title": f"Harbour board on {topic}",
                "date": value,
                "text": BODY.format(topic=topic),
            }
        )
        for topic, value in ROWS
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_every_date_is_stored_as_iso_with_the_given_value_kept(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "arch", _settings()) as archive:
        report = archive.ingest([_jsonl(tmp_path)])
        assert report.articles_new == len(ROWS) and not report.rejects
        found = {a.title.removeprefix("Harbour board on "): a for a in _articles(archive)}
    assert found["epoch"].published == "2024-03-05"
    assert found["epoch"].published_time == "2024-03-05T00:53:20+00:00"
    assert found["epoch"].published_raw == "1709600000.0"
    assert found["milliseconds"].published == "2024-03-05"
    assert (found["words"].published, found["words"].published_time) == ("2025-05-15", None)
    assert found["words"].published_raw == "15 May 2025"
    assert found["dayfirst"].published == "2018-12-31"
    assert found["offset"].published == "2020-06-30"  # the day the paper printed, not UTC's
    assert found["offset"].published_time == "2020-06-30T23:59:59+14:00"
    assert found["rfc"].published == "2015-11-10"
    garbled = found["garbled"]
    assert garbled.published is None and garbled.published_raw == "sometime after the storm"
    # the unreadable date is a notice naming the row, not a reject: the article was stored
    assert [n.origin.rsplit("#", 1)[1] for n in report.notices] == ["7"]
    assert "sometime after the storm" in report.notices[0].reason
    assert "kept without a date" in report.notices[0].reason


def test_date_filters_sorting_and_counts_work_on_those_dates(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "arch", _settings()) as archive:
        archive.ingest([_jsonl(tmp_path)])
        stats = archive.stats()
        dated = {k: v for k, v in stats["by_year"].items() if k and k[0].isdigit()}
        assert dated == {"2015": 1, "2018": 1, "2020": 1, "2024": 2, "2025": 1}
        in_2025 = archive.search("harbour", date_from="2025-01-01")
        assert [h.title for h in in_2025.hits] == ["Harbour board on words"]
        newest_first = archive.search("harbour", sort="date")
        dates = [h.published for h in newest_first.hits if h.published]
        assert dates == sorted(dates, reverse=True) and len(dates) == len(ROWS) - 1


def _csv(path: Path, *dated: tuple[str, str]) -> Path:
    """A CSV export with one row per (topic, date as written)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["url", "title", "date", "text"])
        for topic, date in dated:
            url = f"https://northfield.example/{topic.split()[-1]}"
            writer.writerow([url, topic.capitalize(), date, BODY.format(topic=topic)])
    return path


def test_the_dayfirst_setting_reads_ambiguous_dates_day_first(tmp_path: Path) -> None:
    path = _csv(tmp_path / "export.csv", ("the quay", "03/04/2019"))
    settings = Settings(enrich=False, progress=False, dayfirst=True)
    with Archive.open(tmp_path / "day", settings) as archive:
        report = archive.ingest([path])
        assert [a.published for a in _articles(archive)] == ["2019-04-03"]
        assert not report.notices
    with Archive.open(tmp_path / "unknown", _settings()) as archive:
        report = archive.ingest([path])
        assert [a.published for a in _articles(archive)] == ["2019-03-04"]
        assert len(report.notices) == 1 and "either way" in report.notices[0].reason


def test_an_older_archive_has_its_typed_dates_read_again_at_open(tmp_path: Path) -> None:
    location = tmp_path / "arch"
    with Archive.open(location, _settings()) as archive:
        archive.ingest([_jsonl(tmp_path)])
    # what version 3 stored: the dates as typed, no time or raw columns filled, everything indexed
    db = sqlite3.connect(location / "archive.sqlite")
    with db:
        for topic, value in ROWS:
            db.execute(
                "UPDATE articles SET published = ?, published_time = NULL, published_raw = NULL "
                "WHERE title = ?",
                (str(value), f"Harbour board on {topic}"),
            )
        db.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    db.close()
    with Archive.open(location, _settings()) as archive:
        found = {a.title.removeprefix("Harbour board on "): a for a in _articles(archive)}
        assert found["words"].published == "2025-05-15"
        assert found["words"].published_raw == "15 May 2025"
        assert found["epoch"].published_time == "2024-03-05T00:53:20+00:00"
        assert found["garbled"].published is None
        assert found["garbled"].published_raw == "sometime after the storm"
        # re-indexed with the dates read again: the date filter finds them
        assert [h.title for h in archive.search("harbour", date_from="2025-01-01").hits] == [
            "Harbour board on words"
        ]
    db = sqlite3.connect(location / "archive.sqlite")
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(SCHEMA_VERSION),
    )
    db.close()


def _articles(archive: Archive) -> list:  # type: ignore[type-arg]
    hits = archive.search("", per_page=100).hits
    return [archive.article(h.id) for h in hits]


def test_ingest_dayfirst_flag_and_notices_on_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsarchive.cli import cli

    path = _csv(tmp_path / "export.csv", ("the quay", "03/04/2019"), ("the tide", "someday"))
    runner = CliRunner()
    arch = str(tmp_path / "arch")
    done = runner.invoke(cli, ["--archive", arch, "ingest", "--no-enrich", "--dayfirst", str(path)])
    assert done.exit_code == 0, done.output
    assert "1 notices" in done.output and "export.csv#3: notice: date 'someday'" in done.output
    with Archive.open(arch, _settings(), readonly=True) as archive:
        assert sorted(str(a.published) for a in _articles(archive)) == ["2019-04-03", "None"]
    stats = runner.invoke(cli, ["--archive", arch, "stats"])
    assert "rejects 0 · notices 1" in stats.output
    assert "search analyzer for en: " in stats.output  # the analyzer each language is searched with
