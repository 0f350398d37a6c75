"""A reader's walk through the archive in headless Chromium, by clicks on a real server: home →
a section → page 3 of it → an article → its previous/next article in the section → the article's
date page. The archive has 45 articles in one section, so the default pager (20 a page) has 3 pages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from newsarchive.archive import Archive
from newsarchive.settings import Settings
from newsarchive.web import create_app
from tests.web.conftest import live_server
from tests.web.test_browser import Watch, browser  # noqa: F401  (the module's Chromium)

pytestmark = pytest.mark.browser

SECTION = "Harbour & Docks"
SECTION_ARTICLES = 45


def _rows() -> Iterator[dict[str, str]]:
    body = (
        "The harbour board met on {date} to hear the pilots, the ferry crews and the fish traders. "
        "Story {n} of the docks desk, with enough words for the extractor to keep the paragraph.\n\n"
        "Residents asked about the fares and the new pier; the board promised an answer next week."
    )
    for n in range(SECTION_ARTICLES):
        date = f"2021-{1 + n // 20:02d}-{1 + n % 20:02d}"
        yield {
            "url": f"https://herald.example/docks/{n}",
            "title": f"Docks story {n:02d} ({date})",
            "date": date,
            "section": SECTION,
            "source": "Harbour Herald",
            "author": "Daniel Reyes",
            "language": "en",
            "text": body.format(date=date, n=n),
        }
    for n in range(5):
        yield {
            "url": f"https://herald.example/sport/{n}",
            "title": f"Regatta heat {n}",
            "date": f"2021-02-{10 + n:02d}",
            "section": "Sport",
            "source": "Harbour Herald",
            "language": "en",
            "text": body.format(date="race day", n=n),
        }


@pytest.fixture(scope="module")
def walk_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("walk")
    rows = folder / "docks.jsonl"
    rows.write_text("".join(json.dumps(row) + "\n" for row in _rows()), encoding="utf-8")
    with Archive.open(folder / "archive", Settings(enrich=False), create=True) as archive:
        report = archive.ingest([rows])
    assert report.articles_new == SECTION_ARTICLES + 5, report.rejects
    with live_server(create_app(folder / "archive", Settings())) as url:
        yield url


def _listed(page: Any) -> list[str]:
    hrefs: list[str] = page.locator("ol.hits h3 a").evaluate_all(
        "(as) => as.map((a) => a.getAttribute('href'))"
    )
    return hrefs


def test_home_section_page_three_article_neighbour_date_page(browser: Any, walk_url: str) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    watch = Watch(walk_url)
    watch.attach(page)

    page.goto(walk_url + "/")
    page.locator("main a", has_text=SECTION).first.click()
    page.wait_for_url("**/sections/Harbour%20%26%20Docks")
    assert page.inner_text("h1") == SECTION
    first_page = _listed(page)
    assert len(first_page) == 20

    pager = page.locator("nav.pagination")
    pager.locator("a", has_text="3").first.click()
    page.wait_for_url("**/sections/Harbour%20%26%20Docks?page=3")
    assert page.locator("nav.pagination [aria-current=page]").inner_text().strip() == "3"
    third_page = _listed(page)
    assert len(third_page) == SECTION_ARTICLES - 40  # the oldest five, none seen on page 1
    assert not set(third_page) & set(first_page)
    titles = page.locator("ol.hits h3 a").all_inner_texts()
    assert titles == sorted(titles, reverse=True)  # newest first: the oldest five, 2021-01-05 … 01

    picked = titles[1]
    page.locator("ol.hits h3 a", has_text=picked).click()
    page.wait_for_selector("h1.article-title")
    assert page.inner_text("h1.article-title") == picked
    article_url = page.url

    neighbours = page.locator("main a[rel~=prev], main a[rel~=next]")
    walked_neighbour = neighbours.count() > 0
    if walked_neighbour:
        link = page.locator("main a[rel~=next]").first  # the next (older) one in the section
        if link.count() == 0:
            link = neighbours.first
        rel = link.get_attribute("rel") or ""
        neighbour_title = link.inner_text().strip()
        assert neighbour_title != picked and neighbour_title.startswith("Docks story")
        link.click()
        page.wait_for_url(lambda url: url != article_url)
        assert page.inner_text("h1.article-title") == neighbour_title
        # the way back: the neighbour's opposite link is the article we came from
        back = "prev" if "next" in rel.split() else "next"
        back_href = page.locator(f"main a[rel~={back}]").first.get_attribute("href") or ""
        assert article_url.endswith(back_href)
        picked = neighbour_title

    date = picked[picked.index("(") + 1 : picked.index(")")]
    day_link = page.locator("dl.meta-grid a[href='/{}/']".format(date.replace("-", "/")))
    day_link.click()
    page.wait_for_url(f"**/{date.replace('-', '/')}/")
    assert page.locator("ol.hits h3 a").all_inner_texts() == [picked]
    crumbs = page.locator("nav.breadcrumb a").evaluate_all("(as) => as.map((a) => a.getAttribute('href'))")
    assert crumbs[-2:] == ["/2021/", "/2021/01/"]
    watch.assert_quiet("the walk")
    context.close()
    if not walked_neighbour:
        pytest.skip(
            "walked home → section → page 3 → article → date page; the article page has no "
            "previous/next links (a[rel=prev]/a[rel=next]) yet, so that step was not taken"
        )
