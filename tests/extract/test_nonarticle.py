"""extract/nonarticle.py: wall and error pages are told from articles, in several languages, and an
article that quotes "page not found" or "we use cookies" stays an article."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarchive import Settings
from newsarchive.extract.nonarticle import (
    MAX_WALL_WORDS,
    PageKey,
    not_an_article,
    recurring_reason,
    reject_reason,
    word_size,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "nonarticle"
REASONS = {
    "error page",
    "access denied",
    "JavaScript wall",
    "cookie wall",
    "parked domain",
    "placeholder page",
    "account suspended",
    "login/paywall",
    "bot check",
}


@dataclass(frozen=True)
class Page:
    expected: str
    title: str
    url: str | None
    body: str
    where: str


def _pages(name: str) -> list[Page]:
    """The cases of one fixture file: "### <expected>", "title: …", an optional "url: …", the body."""
    pages = []
    text = (FIXTURES / name).read_text(encoding="utf-8")
    for n, chunk in enumerate(text.split("\n### ")[1:], start=1):
        expected, *lines = chunk.strip().split("\n")
        title = lines.pop(0).removeprefix("title: ")
        url = lines.pop(0).removeprefix("url: ") if lines and lines[0].startswith("url: ") else None
        pages.append(
            Page(expected.strip(), title, url, "\n".join(lines).strip(), f"{name} case {n}: {title}")
        )
    return pages


WALLS = [p for name in ("en", "fr", "de", "es", "ar", "other") for p in _pages(f"walls_{name}.txt")]
ARTICLES = _pages("articles.txt") + _pages("articles_other.txt")


@pytest.mark.parametrize("page", WALLS, ids=[p.where for p in WALLS])
def test_wall_and_error_pages_are_named_for_what_they_are(page: Page) -> None:
    assert page.expected in REASONS
    assert not_an_article(page.title, page.body, page.url) == page.expected


@pytest.mark.parametrize("page", ARTICLES, ids=[p.where for p in ARTICLES])
def test_articles_that_mention_walls_stay_articles(page: Page) -> None:
    assert page.expected == "article"
    assert not_an_article(page.title, page.body, page.url) is None


def test_every_kind_is_recognised_in_every_main_language() -> None:
    kinds = {"error page", "JavaScript wall", "cookie wall", "parked domain", "account suspended",
             "access denied", "login/paywall", "bot check"}  # fmt: skip
    for lang in ("en", "fr", "de", "es", "ar"):
        assert {p.expected for p in _pages(f"walls_{lang}.txt")} >= kinds, lang


def test_a_wall_text_quoted_inside_a_story_leaves_it_an_article() -> None:
    for wall in WALLS:
        story = (
            f"Readers of the Harbour Times saw this on Monday instead of the ferry timetable:\n{wall.body}\n"
            "The paper's editor said a supplier had changed the site's settings without warning, and that "
            "the timetable and the council's notices were back online by the afternoon. Readers who missed "
            "the notice about the new evening sailings can find it in Thursday's print edition, she added."
        )
        assert not_an_article("Ferry timetable hidden by website fault", story) is None, wall.where


def test_a_paywall_after_the_opening_of_the_story_is_the_story() -> None:
    opening = (
        "The harbour council voted on Tuesday to add two evening sailings to the island ferry from April, "
        "after years of complaints from commuters who missed the last boat home."
    )
    wall = "Subscribe to continue reading.\nAlready a subscriber? Log in"
    assert not_an_article("Ferry timetable approved", wall) == "login/paywall"
    assert not_an_article("Ferry timetable approved", f"{opening}\n{wall}") is None


def test_a_long_body_is_never_a_wall_however_it_reads() -> None:
    wall = "Page not found. The page you are looking for does not exist.\n"
    assert not_an_article("Page not found", wall) == "error page"
    long_body = wall * (MAX_WALL_WORDS // 10)
    assert word_size(long_body) > MAX_WALL_WORDS
    assert not_an_article("Page not found", long_body) is None


def test_a_title_alone_speaks_only_for_a_body_of_scraps() -> None:
    assert not_an_article("404 Not Found", "nginx") == "error page"
    assert not_an_article("Forbidden", "Home\nNews\nContact") == "access denied"
    story = "The harbour board met on Monday and agreed to repair the north pier before the summer season."
    assert not_an_article("Error", story) is None
    assert not_an_article("Forbidden", story) is None


def test_an_error_url_helps_only_a_body_with_nothing_to_say() -> None:
    assert (
        not_an_article("Harbour Times", "Home\nSearch", "https://harbour-times.example/404.html")
        == "error page"
    )
    story = "The harbour board met on Monday and agreed to repair the north pier before the summer season."
    assert not_an_article("Harbour Times", story, "https://harbour-times.example/404.html") is None


def test_unspaced_scripts_are_measured_by_their_characters() -> None:
    assert not_an_article("404", "抱歉，您访问的页面不存在。返回首页") == "error page"
    story = (
        "港口委员会星期二投票决定从四月起为岛屿渡轮增加两班晚间航班。委员说，这一变化回应了多年来通勤者错过最后一班船的投诉。"
        "有居民说，上个月市政网站显示页面不存在，他们无法查询时刻表。新时刻表每年花费四万欧元，由地区交通基金支付。"
    )
    assert word_size(story) > 40
    assert not_an_article("渡轮时刻表获批", story) is None


def test_the_reject_reason_has_one_wording() -> None:
    assert reject_reason("cookie wall") == "not an article (cookie wall); skipped"


def test_real_news_texts_are_never_taken_for_walls(shared_data: Path) -> None:
    """Real stories, many of them short wire items (Reuters-21578 1987, US election news 2015-16,
    and gold bodies of news pages from nine sites), none of which is a wall page."""
    from newsarchive.extract.reuters import extract_reuters
    from newsarchive.model import Capture
    from newsarchive.sources.reuters import read_reuters

    reuters = shared_data / "corpus" / "reuters21578"
    texts = []
    for path in sorted(reuters.glob("reut2-00[0-2].sgm")):
        for capture in read_reuters(path, Settings()):
            if isinstance(capture, Capture):
                story = extract_reuters(capture, Settings())
                texts.append((story.title, story.body))
    for folder in (
        shared_data / "corpus" / "polnear-train",
        shared_data / "extraction" / "textdumps" / "gold",
    ):
        texts += [
            ("", p.read_text(encoding="utf-8", errors="replace")) for p in sorted(folder.rglob("*.txt"))
        ]
    assert len(texts) > 3500
    flagged = [(title, body[:80]) for title, body in texts if not_an_article(title, body) is not None]
    assert flagged == []


@given(st.text(max_size=400), st.text(max_size=80), st.none() | st.text(max_size=60))
def test_never_fails_and_answers_a_known_reason(body: str, title: str, url: str | None) -> None:
    assert not_an_article(title, body, url) in REASONS | {None}


# -- the recurrence rule ----------------------------------------------------------------------
def _keys(site: str, n: int, titled: bool = True) -> list[PageKey]:
    return [
        PageKey(site, f"{site}/news/story-{i}", f"Story {i}" if titled else "Harbour Times") for i in range(n)
    ]


def test_one_short_text_on_three_urls_of_a_site_under_three_titles_is_no_article() -> None:
    assert recurring_reason(12, _keys("harbour-times.example", 3)) == (
        "same text on 3 unrelated pages of harbour-times.example"
    )
    assert recurring_reason(12, _keys("harbour-times.example", 2)) is None


def test_the_same_story_under_several_urls_with_its_title_is_kept() -> None:
    assert recurring_reason(30, _keys("harbour-times.example", 5, titled=False)) is None


def test_a_long_text_or_one_spread_over_sites_is_kept() -> None:
    assert recurring_reason(120, _keys("harbour-times.example", 5)) is None
    syndicated = [PageKey(f"paper{i}.example", f"paper{i}.example/brief", f"Brief {i}") for i in range(5)]
    assert recurring_reason(40, syndicated) is None


def test_the_recurrence_rule_does_not_depend_on_the_order() -> None:
    pages = (
        _keys("harbour-times.example", 4) + _keys("millbrook.example", 3) + [PageKey("x.example", None, "A")]
    )
    assert recurring_reason(10, pages) == recurring_reason(10, list(reversed(pages)))
    assert recurring_reason(10, pages) == "same text on 4 unrelated pages of harbour-times.example"
