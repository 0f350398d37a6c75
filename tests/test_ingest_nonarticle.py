"""Ingest keeps error and wall pages out of the articles: by their text, and by one short text
recurring on many unrelated pages of a site; never merging different stories into one article,
and with the same archive whatever order the captures come in."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from newsarchive import Archive, Settings, process
from newsarchive.extract.nonarticle import not_an_article
from newsarchive.model import Capture
from tests.corpus_helpers import STORIES, write_jsonl

SETTINGS = Settings(enrich=False, progress=False)

SOFT_404 = (
    "Content for this address will appear here shortly. The Harbour Times newsroom thanks you for visiting."
)
"""A site's placeholder text the phrases do not know: only its recurrence tells it from a story."""


def _row(slug: str, title: str, text: str, site: str = "harbour-times.example") -> dict[str, str]:
    return {"url": f"https://{site}/news/{slug}", "title": title, "source": "Harbour Times",
            "date": "2016-03-14", "text": text}  # fmt: skip


def _html(title: str, body: str, url: str) -> str:
    paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n"))
    return (
        f"<!doctype html><html lang='en'><head><title>{title}</title><link rel='canonical' href='{url}'>"
        f"</head><body><main>{paragraphs}</main></body></html>"
    )


def _snapshot(path: Path) -> dict[str, Any]:
    """What a user sees, with each capture named by its URL (origins name the file and row)."""
    with Archive.open(path, SETTINGS, readonly=True) as archive:
        url_of = {c.ref.origin: c.ref.url or c.hints.get("url") for c in archive.store.iter_captures()}
        articles = {
            a.id: (
                a.title,
                a.url,
                a.cluster_id,
                a.representative,
                sorted(str(url_of[c.origin]) for c in a.captures),
            )
            for a in archive.articles()
        }
        stats = archive.stats()
        return {
            "articles": articles,
            "rejects": sorted((str(url_of[r["origin"]]), r["reason"]) for r in stats["rejects"]),
            "captures": stats["captures"],
            "newsroom": archive.search("newsroom").total,
        }


def _rows() -> list[dict[str, str]]:
    walls = [_row(f"story-{i}", f"Ferry story {i}", SOFT_404) for i in range(4)]
    reposted = [
        _row(f"ferry-vote{suffix}", STORIES[0]["title"], STORIES[0]["text"]) for suffix in ("", "-2", "-3")
    ]
    syndicated = [
        _row("brief", f"Harbour brief, as paper {i} headed it", "The harbour reopens on Monday after repairs.",
             site=f"paper{i}.example")
        for i in range(3)
    ]  # fmt: skip
    return [*walls, *reposted, *syndicated, dict(STORIES[1])]


def test_wall_pages_are_rejects_and_the_stories_around_them_stay(tmp_path: Path) -> None:
    rows = [
        _row("a", "Ferry vote", "JavaScript is not available.\nPlease enable JavaScript to continue."),
        _row("b", "Pier plan", "We use cookies to improve your experience.\nAccept all\nReject all"),
        dict(STORIES[0]),
    ]
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "gone.html").write_text(
        _html("Page not found | Harbour Times", "Sorry, the page you are looking for does not exist.\n"
              "Go back to the homepage", "https://harbour-times.example/news/gone"), encoding="utf-8")  # fmt: skip
    with Archive.open(tmp_path / "arch", SETTINGS, create=True) as archive:
        report = archive.ingest([write_jsonl(tmp_path / "rows.jsonl", rows), pages])
        assert [a.title for a in archive.articles()] == [STORIES[0]["title"]]
        reasons = sorted(r.reason for r in report.rejects)
        assert reasons == [
            "not an article (JavaScript wall); skipped",
            "not an article (cookie wall); skipped",
            "not an article (error page); skipped",
        ]
        assert archive.stats()["captures"] == 4  # the walls' bytes are kept


def test_process_gives_a_wall_page_the_one_reject_wording() -> None:
    page = _html("Just a moment...", "Checking your browser before accessing harbour-times.example.\n"
                 "Please verify you are a human.", "https://harbour-times.example/news/a")  # fmt: skip
    capture = Capture(
        origin="a.html", raw=page.encode(), format="html", url="https://harbour-times.example/news/a"
    )
    assert process.process_capture(capture, SETTINGS) == "not an article (bot check); skipped"


def test_one_short_text_on_many_unrelated_pages_is_no_article(tmp_path: Path) -> None:
    assert not_an_article("Ferry story 0", SOFT_404) is None  # the phrases alone would keep it
    with Archive.open(
        tmp_path / "arch", Settings(enrich=False, progress=False, batch_size=3), create=True
    ) as archive:
        report = archive.ingest([write_jsonl(tmp_path / "rows.jsonl", _rows())])
        articles = list(archive.articles())
        assert SOFT_404 not in {a.body for a in articles}
        assert archive.search("newsroom").total == 0
        reason = "not an article (same text on 4 unrelated pages of harbour-times.example); skipped"
        assert sorted(r.reason for r in report.rejects) == [reason] * 4
        # the reposted story, the syndicated brief (one article: exact copies merge across sites as ever)
        # and one more; the other captures of the first two are duplicates, the walls' are rejects
        assert report.articles_new == len(articles) == 3
        assert report.duplicates == 4
        reposted = next(a for a in articles if a.title == STORIES[0]["title"])
        assert len(reposted.captures) == 3  # one story under three URLs keeps its one title: kept
        brief = next(a for a in articles if a.title.startswith("Harbour brief"))
        assert len(brief.captures) == 3  # three titles, but on three sites: kept
        assert archive.stats()["captures"] == len(_rows())

        # a later capture of the same text on this open archive is rejected the same way
        later = archive.ingest(
            [write_jsonl(tmp_path / "later.jsonl", [_row("story-9", "Ferry story 9", SOFT_404)])]
        )
        assert [r.reason for r in later.rejects] == [reason]


def test_the_same_archive_whatever_order_the_captures_come_in(tmp_path: Path) -> None:
    rows = _rows()
    shuffled = list(rows)
    random.Random(12).shuffle(shuffled)
    snapshots = []
    for name, order, batch in (("given", rows, 3), ("reversed", rows[::-1], 2), ("shuffled", shuffled, 4)):
        path = tmp_path / name
        with Archive.open(
            path, Settings(enrich=False, progress=False, batch_size=batch), create=True
        ) as archive:
            archive.ingest([write_jsonl(tmp_path / f"{name}.jsonl", order)])
        snapshots.append(_snapshot(path))
    assert snapshots[0] == snapshots[1] == snapshots[2]
    assert len(snapshots[0]["rejects"]) == 4 and snapshots[0]["newsroom"] == 0


def test_a_text_that_recurs_over_two_runs_is_judged_on_all_its_captures(tmp_path: Path) -> None:
    rows = _rows()
    whole = tmp_path / "whole"
    with Archive.open(whole, SETTINGS, create=True) as archive:
        archive.ingest([write_jsonl(tmp_path / "all.jsonl", rows)])
    split = tmp_path / "split"
    with Archive.open(split, SETTINGS, create=True) as archive:
        first = archive.ingest([write_jsonl(tmp_path / "first.jsonl", rows[:2])])
        assert not first.rejects  # two pages with the text: no rule says it is no story yet
    with Archive.open(split, SETTINGS) as archive:
        archive.ingest([write_jsonl(tmp_path / "rest.jsonl", rows[2:])])

    def seen(path: Path) -> tuple[list[tuple[str, str | None, int]], list[str]]:
        """Articles (title, URL, captures) and reject reasons: the origins name other files."""
        with Archive.open(path, SETTINGS, readonly=True) as archive:
            articles = sorted((a.title, a.url, len(a.captures)) for a in archive.articles())
            return articles, sorted(r["reason"] for r in archive.stats()["rejects"])

    assert seen(split) == seen(whole)
