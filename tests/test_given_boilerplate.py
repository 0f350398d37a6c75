"""Source boilerplate in given texts (JSONL/CSV rows): learned per site, trimmed from the body,
shown by ``show --debug``, and the same archive whatever the rows' order and batching.

The rows are fictional: a local paper whose export ends every text with its follow and share lines
(and opens some with its masthead), three rows opening with "Advertisement" (boilerplate while they
are most of what was seen, not at the end), two rows of one story that differ only in those lines,
and a second paper that prints one of the first paper's stories.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsarchive import Archive, Settings
from newsarchive.dedup.given_boilerplate import MIN_SHARE

SETTINGS = Settings(enrich=False, progress=False)

MASTHEAD = "Northfield News —"
FOLLOW = "Follow Northfield News on Flickerbook:"
SHARE = "Share this article"
ADVERT = "Advertisement"
COPYRIGHT = "© 2024 Northfield News"

_TOWNS = ["Northfield", "Ashby", "Corran", "Dunmore", "Elsworth", "Fenwick", "Glenarm", "Hollin", "Ivybridge"]
_TOPICS = [
    ("library", "reading room", "books"),
    ("ferry", "crossing", "timetable"),
    ("school", "classrooms", "pupils"),
    ("market", "stalls", "traders"),
    ("bridge", "repairs", "drivers"),
    ("hospital", "ward", "nurses"),
    ("museum", "exhibition", "visitors"),
    ("harbour", "moorings", "boats"),
]
_VERBS = ["approved", "delayed", "questioned", "funded", "rejected", "praised", "reviewed", "extended"]
_PEOPLE = ["Ada Quist", "Bram Oyelaran", "Cleo Marsh", "Dev Anand Roe", "Esme Tallis", "Finn Okoro"]


def _story(i: int) -> list[str]:
    """Four paragraphs of a fictional local story, each longer than a boilerplate line can be."""
    rng = random.Random(i)
    town, (thing, part, people) = rng.choice(_TOWNS), rng.choice(_TOPICS)
    verb, person = rng.choice(_VERBS), rng.choice(_PEOPLE)
    n = rng.randrange(2, 90)
    return [
        f"The {town} council {verb} plans on Tuesday for the {thing}, story {i}, after a meeting that ran "
        f"late into the evening and drew {n * 3} residents.",
        f"{person} said the {part} had waited {n} years for the work and that {people} would see the first "
        f"changes before the summer holidays began in {town}.",
        f"The plan costs {n * 1000} euros, paid from the {thing} fund, and a second vote on the {part} is "
        f"due in {rng.choice(['May', 'June', 'October'])} when the figures for story {i} are in.",
        f"Opponents of the {thing} plan in {town} asked for a public hearing, which {person} promised to "
        f"hold at the town hall within {n % 9 + 2} weeks of the vote.",
    ]


def northfield_rows() -> list[dict[str, str]]:
    """70 rows: every text ends with the follow line (half with the share line too), some open with
    the masthead, three with "Advertisement", and two carry one story with different edge lines."""
    rows = []
    for i in range(70):
        top = [MASTHEAD] if i % 7 == 0 else [ADVERT] if i in (11, 12, 13) else []
        bottom = ([SHARE] if i % 2 else []) + [FOLLOW] + ([COPYRIGHT] if i % 5 == 0 else [])
        story = _story(100 if i in (40, 41) else i)
        if i == 41:
            top, bottom = [MASTHEAD], [SHARE, FOLLOW]
        rows.append(_row("northfield-news.example", "Northfield News", i, top + story + bottom))
    return rows


def gazette_rows() -> list[dict[str, str]]:
    """Ten rows of another paper, no boilerplate; one prints Northfield's story 5 with a new last line."""
    rows = [_row("harbour-gazette.example", "Harbour Gazette", 200 + i, _story(200 + i)) for i in range(9)]
    copy = [*_story(5)[:3], "The Harbour Gazette printed this story with the permission of Northfield News."]
    rows.append(_row("harbour-gazette.example", "Harbour Gazette", 205_000, copy))
    return rows


def _row(host: str, source: str, i: int, lines: list[str]) -> dict[str, str]:
    return {
        "url": f"https://{host}/story/{i}",
        "title": f"Story {i}",
        "source": source,
        "date": f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}",
        "text": "\n\n".join(lines) + "\n",
    }


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _ingest(root: Path, runs: list[list[dict[str, str]]], batch_size: int) -> Path:
    """Ingest each list of rows in its own run (a file each), all into one archive."""
    arch = root / "arch"
    settings = Settings(enrich=False, progress=False, batch_size=batch_size)
    for n, rows in enumerate(runs):
        with Archive.open(arch, settings) as archive:
            archive.ingest([write_rows(root / f"run{n}.jsonl", rows)])
    return arch


def snapshot(path: Path) -> dict[str, Any]:
    """What a user sees: each article's text, where it starts in the given text, what was cut, its
    copies and captures, and what a search for a boilerplate-only word and a story word finds."""
    with Archive.open(path, SETTINGS, readonly=True) as archive:
        articles = {
            a.id: {
                "url": a.url,
                "body": a.body,
                "body_offset": a.body_offset,
                "removed": a.removed,
                "body_hash": a.body_hash,
                "cluster_id": a.cluster_id,
                "representative": a.representative,
                "captures": sorted(c.sha256 for c in a.captures),
            }
            for a in archive.articles()
        }
        searches = {
            q: sorted(h.id for h in archive.search(q, per_page=100).hits) for q in ("flickerbook", "ferry")
        }
    return {"articles": articles, "searches": searches}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return northfield_rows() + gazette_rows()


@pytest.fixture(scope="module")
def reference(rows: list[dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All rows in one batch: every text is trimmed with what the whole site shows."""
    return _ingest(tmp_path_factory.mktemp("one-batch"), [rows], batch_size=500)


def _given(rows: list[dict[str, str]]) -> dict[str, str]:
    return {r["url"]: r["text"] for r in rows}


def test_repeated_edge_lines_leave_the_body_and_offsets_map_into_the_given_text(
    rows: list[dict[str, str]], reference: Path
) -> None:
    given = _given(rows)
    articles = snapshot(reference)["articles"]
    northfield = [a for a in articles.values() if "northfield-news" in a["url"]]
    assert len(northfield) == 69  # rows 40 and 41 are one story once their edge lines go
    for article in articles.values():
        text, start = given[article["url"]], article["body_offset"]
        assert text[start : start + len(article["body"])] == article["body"]
    for article in northfield:
        assert FOLLOW not in article["body"] and SHARE not in article["body"]
        assert not article["body"].startswith(MASTHEAD)
        assert FOLLOW in article["removed"]
        assert article["body"].startswith(("The ", ADVERT)) and article["body"].endswith(".")
    story_40 = next(a for a in northfield if a["url"].endswith("/40") or a["url"].endswith("/41"))
    assert len(story_40["captures"]) == 2
    masthead = next(a for a in northfield if a["url"].endswith("/14"))
    assert masthead["removed"] == [MASTHEAD, FOLLOW]
    assert masthead["body_offset"] == len(MASTHEAD) + 2


def test_a_line_on_too_small_a_share_of_the_rows_stays(rows: list[dict[str, str]], reference: Path) -> None:
    assert 3 < MIN_SHARE * 70 <= 4  # three "Advertisement" rows of seventy are under the share
    articles = snapshot(reference)["articles"].values()
    adverts = [a for a in articles if a["url"].rsplit("/", 1)[1] in ("11", "12", "13")]
    assert [a["body"].startswith(ADVERT) for a in adverts] == [True, True, True]
    assert all(a["body_offset"] == 0 for a in adverts)


def test_other_sources_keep_their_texts_and_copies_are_still_found(
    rows: list[dict[str, str]], reference: Path
) -> None:
    given = _given(rows)
    got = snapshot(reference)
    gazette = [a for a in got["articles"].values() if "harbour-gazette" in a["url"]]
    assert len(gazette) == 10
    for article in gazette:
        assert article["body"] == given[article["url"]] and article["body_offset"] == 0
        assert article["removed"] == []
    by_url = {a["url"]: a for a in got["articles"].values()}
    original = by_url["https://northfield-news.example/story/5"]
    copy = by_url["https://harbour-gazette.example/story/205000"]
    assert original["cluster_id"] == copy["cluster_id"]
    assert got["searches"]["flickerbook"] == []  # the follow line is in no body, so in no index entry


def test_the_same_archive_whatever_the_order_and_the_batches(
    rows: list[dict[str, str]], reference: Path, tmp_path: Path
) -> None:
    expected = snapshot(reference)
    # "Advertisement" rows first, three rows per batch: learned as boilerplate from the first three
    # rows, trimmed, then restored once the site shows it is under the share
    first = [r for r in rows if r["url"].rsplit("/", 1)[1] in ("11", "12", "13")]
    reordered = first + [r for r in reversed(rows) if r not in first]
    assert snapshot(_ingest(tmp_path / "by-threes", [reordered], batch_size=3)) == expected
    shuffled = random.Random(12).sample(rows, len(rows))
    two_runs = [shuffled[:23], shuffled[23:]]
    assert snapshot(_ingest(tmp_path / "two-runs", two_runs, batch_size=7)) == expected


def test_reextract_keeps_the_trim(reference: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "arch"
    shutil.copytree(reference, copy)
    before = snapshot(copy)
    with Archive.open(copy, SETTINGS) as archive:
        archive.reextract()
    assert snapshot(copy) == before


def test_show_debug_lists_the_lines_cut_and_where_the_body_starts(reference: Path) -> None:
    with Archive.open(reference, SETTINGS, readonly=True) as archive:
        article = next(a for a in archive.articles() if a.url == "https://northfield-news.example/story/14")
        assert article.to_json(debug=True)["removed"] == [MASTHEAD, FOLLOW]
        assert article.to_json()["body_offset"] == len(MASTHEAD) + 2
    done = subprocess.run(
        [sys.executable, "-m", "newsarchive.cli", "--archive", str(reference), "show", article.id, "--debug"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"body starts at character {len(MASTHEAD) + 2} of the given text" in done.stdout
    assert f"  - {MASTHEAD}\n  - {FOLLOW}" in done.stdout


def test_a_sites_page_chrome_is_not_cut_from_its_given_texts(tmp_path: Path) -> None:
    """Text dumps and JSONL rows of one site: the dumps' learned footer is the pages' template, not
    the rows' (two rows are too few to learn from), even when the site is re-cleaned at the end."""
    footer = "Harbour Times is an independent newspaper owned by its readers since 1887 in the town."
    folder = tmp_path / "dumps" / "harbourtimes.example"
    folder.mkdir(parents=True)
    for i in range(4):
        lines = [
            f"Story {300 + i} | Harbour Times",
            "Home",
            "Local",
            f"Story {300 + i}",
            "",
            *_story(300 + i),
        ]
        (folder / f"page{i}.txt").write_text("\n".join([*lines, "", footer]) + "\n", encoding="utf-8")
    rows = [
        _row("harbourtimes.example", "Harbour Times", 400 + i, [*_story(400 + i), footer]) for i in range(2)
    ]
    jsonl = write_rows(tmp_path / "rows.jsonl", rows)
    settings = Settings(enrich=False, progress=False, batch_size=2)  # the rows are stored before the chrome
    with Archive.open(tmp_path / "arch", settings) as archive:
        archive.ingest([jsonl, tmp_path / "dumps"])
        articles = list(archive.articles())
    given = _given(rows)
    pages = [a for a in articles if a.url not in given]
    assert len(pages) == 4 and all(footer not in a.body for a in pages)  # the pages' template
    texts = [a for a in articles if a.url in given]
    assert [(a.body, a.body_offset) for a in texts] == [(given[a.url], 0) for a in texts] and len(texts) == 2
