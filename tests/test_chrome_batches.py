"""Site chrome learned across pages gives the same articles wherever batches end."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from newsarchive import Archive, Settings

SITE = Path(__file__).parent / "fixtures" / "textdump" / "tidewatergazette.example"


class _Events:
    """A progress hook that counts what an ingest reports."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def __call__(self, event: str, amount: int) -> None:
        self.counts[event] += amount


def _bodies(location: Path, batch_size: int) -> dict[str, tuple[str, list[str]]]:
    settings = Settings(enrich=False, progress=False, batch_size=batch_size)
    with Archive.open(location, settings) as archive:
        archive.ingest(sorted(SITE.iterdir()))
        hits = archive.search("", per_page=100).hits
        articles = [archive.article(h.id) for h in hits]
    return {a.title: (a.body, sorted(a.removed)) for a in articles}


@pytest.mark.parametrize("batch_size", [1, 2])
def test_chrome_learned_across_batches_gives_the_articles_of_one_batch(
    tmp_path: Path, batch_size: int
) -> None:
    whole = _bodies(tmp_path / "whole", 500)
    split = _bodies(tmp_path / f"by{batch_size}", batch_size)
    assert set(split) == set(whole)
    for title, (body, removed) in whole.items():
        assert split[title][0] == body, title
        assert split[title][1] == removed, title


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="https://harbourlight.example/news/{slug}"></head>
<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"""

_STORY = [
    "The harbour board of Port Ellery voted on Tuesday to dredge the northern channel before the winter storms.",
    "Engineers told the board that silt had narrowed the channel by a third since the spring tides.",
    "Fishing crews welcomed the vote but warned that the work must not close the channel for long.",
]
_BANNER = "Subscribers can read every edition of the Harbourlight on their phones from today."


def _write_page(folder: Path, slug: str, title: str, paragraphs: list[str]) -> None:
    html = "".join(f"<p>{p}</p>" for p in paragraphs)
    (folder / f"{slug}.html").write_text(
        _PAGE.format(title=title, slug=slug, paragraphs=html), encoding="utf-8"
    )


def _other_story(n: int) -> list[str]:
    return [
        f"Story {n}: the council of Ward {n} met residents about the new bus timetable for the coastal road.",
        f"Residents of Ward {n} asked for an earlier first bus and a shelter near the school gates.",
        f"The council said it would publish a revised timetable for Ward {n} within a month.",
    ]


def _banner_site(folder: Path) -> None:
    """A site whose banner (mid-body) is on most of its first pages and few of the later ones: early
    on it is template, at the end it is not, so the two captures of one story that differ only by
    it are one article while few pages are known and two at the end."""
    folder.mkdir()
    for n in range(3):  # the first pages: the banner in the middle of each
        story = _other_story(n)
        _write_page(folder, f"a{n}", f"Ward {n} buses", [story[0], _BANNER, *story[1:]])
    _write_page(folder, "b0", "Channel to be dredged", _STORY)
    _write_page(folder, "b1", "Channel to be dredged", [_STORY[0], _BANNER, *_STORY[1:]])
    for n in range(3, 23):  # later pages without it
        _write_page(folder, f"c{n:02d}", f"Ward {n} buses", _other_story(n))


def _stories(location: Path, pages: list[Path], batch_size: int) -> dict[str, list[tuple[str, int]]]:
    settings = Settings(enrich=False, progress=False, batch_size=batch_size)
    with Archive.open(location, settings) as archive:
        archive.ingest(pages)
        articles = list(archive.articles())
    found: dict[str, list[tuple[str, int]]] = {}
    for article in articles:
        found.setdefault(article.title, []).append((article.body, len(article.captures)))
    return {title: sorted(bodies) for title, bodies in found.items()}


@pytest.mark.parametrize("batch_size", [2, 4])
def test_captures_merged_under_early_chrome_are_split_when_it_no_longer_holds(
    tmp_path: Path, batch_size: int
) -> None:
    _banner_site(tmp_path / "site")
    pages = sorted((tmp_path / "site").iterdir())
    whole = _stories(tmp_path / "whole", pages, 500)
    assert len(whole["Channel to be dredged"]) == 2  # the banner is no template of the whole site
    assert any(_BANNER in body for body, _ in whole["Channel to be dredged"])
    assert _stories(tmp_path / f"by{batch_size}", pages, batch_size) == whole


_NOTICES = [
    "Ferry times change on Monday",
    "Harbour car park closed for repairs",
    "Lifeboat open day at the slipway",
]


def test_a_page_emptied_by_early_chrome_is_an_article_when_the_chrome_no_longer_holds(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    for n in range(3):  # three short notices in the middle of the first pages: template while few are known
        story = _other_story(n)
        _write_page(folder, f"a{n}", f"Ward {n} buses", [story[0], *_NOTICES, *story[1:]])
    _write_page(folder, "b0", "Notices", _NOTICES)  # a page of nothing else
    for n in range(3, 23):
        _write_page(folder, f"c{n:02d}", f"Ward {n} buses", _other_story(n))
    pages = sorted(folder.iterdir())
    results = []
    for batch_size in (500, 2):
        settings = Settings(enrich=False, progress=False, batch_size=batch_size)
        events = _Events()
        with Archive.open(tmp_path / f"by{batch_size}", settings) as archive:
            report = archive.ingest(pages, progress=events)
            assert events.counts["reject"] == len(report.rejects)  # the bar follows the report
            assert events.counts["article"] == report.articles_new
            notices = [a.body for a in archive.articles() if a.title == "Notices"]
            results.append((report.articles_new, report.rejects, archive.store.rejects(), notices))
    whole, split = results
    assert whole[3] == ["\n\n".join(_NOTICES)]  # the whole site: no template, the page is an article
    assert split == whole  # rejected while its lines were template, then stored, and the reject gone


def test_a_damaged_duplicate_is_skipped_when_its_site_is_checked_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import sqlite3

    _banner_site(tmp_path / "site")
    pages = sorted((tmp_path / "site").iterdir())
    first = [p for p in pages if not p.name.startswith("c")]  # the banner on most of these
    settings = Settings(enrich=False, progress=False)
    with Archive.open(tmp_path / "archive", settings) as archive:
        archive.ingest(first)
        (story,) = [a for a in archive.articles() if a.title == "Channel to be dredged"]
        assert len(story.captures) == 2  # one article while the banner is template
        copy = next(ref.sha256 for ref in story.captures if not ref.sha256.startswith(story.id))
    with sqlite3.connect(tmp_path / "archive" / "archive.sqlite") as db:
        db.execute("UPDATE captures SET raw = ? WHERE sha256 = ?", (b"\x00not a blob", copy))
    with Archive.open(tmp_path / "archive", settings) as archive:
        report = archive.ingest([p for p in pages if p.name.startswith("c")])  # the banner is no template now
        assert report.articles_new == 20
        (story,) = [a for a in archive.articles() if a.title == "Channel to be dredged"]
        assert len(story.captures) == 2  # its copy could not be read again, so it stays
    assert any("damaged" in r.getMessage() and copy in r.getMessage() for r in caplog.records)


def test_duplicates_checked_again_are_reported_to_the_progress_hook(tmp_path: Path) -> None:
    _banner_site(tmp_path / "site")
    events = _Events()
    with Archive.open(tmp_path / "archive", Settings(enrich=False, progress=False, batch_size=4)) as archive:
        report = archive.ingest(sorted((tmp_path / "site").iterdir()), progress=events)
    assert events.counts["rechecked"] >= 1  # the story's copy, cleaned again from its bytes
    assert (
        events.counts["article"] == report.articles_new
    )  # the split-off story counted as the report counts it
