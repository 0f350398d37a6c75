"""Story rivers after an article: found by their shape on one page, and by the site's item layout.

The fixture site (tests/fixtures/textdump/tidewatergazette.example, fictional) ends its pages
with a "latest stories" river of timestamp, headline and teaser, different on every page: a
dozen items, eight with dates, ten with clock times, two only, and one page without a river.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from newsarchive.extract.chrome import SiteChrome, apply_chrome, line_shape, page_rivers, select_body
from newsarchive.extract.rivers import find_rivers, is_timestamp
from newsarchive.extract.textdump import extract_textdump
from newsarchive.model import Capture, Extracted
from newsarchive.settings import Settings

SETTINGS = Settings()
SITE = "tidewatergazette.example"
# the last paragraph of each page's article
ARTICLE_ENDS = {
    "catch": "The co-op will hold a recruitment day at the fish market on 6 April.",
    "ferry": "It starts on 2 April.",
    "lighthouse": '"It was the first thing my grandfather saw when he came home from sea," said Ms Quayle.',
    "path": "Work on the first stage begins in May.",
    "school": "Parents are invited to an open evening at the lab on Thursday.",
}
ARTICLE_STARTS = {
    "catch": "The Tidewater fishermen's co-operative landed more fish",
    "ferry": "The island ferry will sail an hour earlier on weekdays",
    "lighthouse": "The disused lighthouse at Corran Head will be restored",
    "path": "Tidewater council has approved £340,000 to repair the coastal path",
    "school": "Pupils at Gullhaven High School will study plankton",
}


@pytest.fixture(scope="module")
def pages(fixtures_dir: Path) -> dict[str, Extracted]:
    folder = fixtures_dir / "textdump" / SITE
    return {
        path.stem: extract_textdump(
            Capture(origin=path.name, raw=path.read_bytes(), format="textdump", hints={"site_dir": SITE}),
            SETTINGS,
        )
        for path in sorted(folder.glob("*.txt"))
    }


@pytest.fixture(scope="module")
def chrome(pages: dict[str, Extracted]) -> SiteChrome:
    learned = SiteChrome(site=SITE)
    for page in pages.values():
        learned.add_page(page.blocks)
    return learned


@pytest.mark.parametrize(
    "line",
    [
        "2 hours ago",
        "Updated 40 minutes ago",
        "Yesterday",
        "14 March 2024",
        "March 14, 2024 9:15 a.m. EDT",
        "09:40",
        "2024-03-14T09:15:00Z",
        "Sport | 3h ago",
        "vor 2 Stunden",
        "hace 3 horas",
        "il y a 5 minutes",
        "14 de marzo de 2024",
    ],
)
def test_timestamp_lines(line: str) -> None:
    assert is_timestamp(line)


@pytest.mark.parametrize(
    "line",
    [
        "2024",
        "Port Elwin 34",
        "8.1 out of 10",
        "It starts on 2 April.",
        "Storm closes the coast road on March 3",
        "On 3 May 1921 the light was first lit by the keeper Ewan Tull.",
        "Page 2 of 3",
    ],
)
def test_lines_that_are_not_timestamps(line: str) -> None:
    assert not is_timestamp(line)


def test_river_items_found_from_their_layout() -> None:
    # article lines, then three items of timestamp, headline, teaser (one without its teaser)
    shapes = list("SSS" + "THS" + "TH" + "THS" + "K")
    [river] = find_rivers(shapes)
    assert (river.start, river.end, river.groups, river.signature) == (3, 10, 3, "T3")
    # timestamps after the items: the layout is read from the other side
    [late] = find_rivers(list("SSS" + "HST" * 3))
    assert (late.start, late.end, late.signature) == (3, 11, "3T")
    # a live blog's entries are sentences between times: no headlines, so no page river
    blog = ["10:02", "The minister has arrived.", "10:15", "She is speaking now.", "10:31", "It is over."]
    assert page_rivers(blog) == []


def test_single_page_bodies_end_where_the_article_ends(pages: dict[str, Extracted]) -> None:
    for name in ("ferry", "lighthouse", "school", "path"):
        body = pages[name].body
        assert body.startswith(ARTICLE_STARTS[name]), name
        assert body.endswith(ARTICLE_ENDS[name]), name
    # two items are too few to tell a river from the article on one page
    assert "Gallery shows paintings of the old harbour" in pages["catch"].body


def test_river_lines_stay_blocks_for_learning(pages: dict[str, Extracted]) -> None:
    assert "Harbour wall repairs finished early" in pages["ferry"].blocks
    assert "Harbour wall repairs finished early" not in pages["ferry"].body
    assert "Harbour wall repairs finished early" in "\n".join(pages["ferry"].removed)


def test_site_learns_the_item_layout_and_cuts_the_short_river(
    pages: dict[str, Extracted], chrome: SiteChrome
) -> None:
    assert chrome.river_layouts(SETTINGS) == frozenset({"T3"})
    assert "river:T3" in chrome.chrome_keys(SETTINGS)
    for name, page in pages.items():
        learned = apply_chrome(page, chrome, SETTINGS)
        assert learned.body.startswith(ARTICLE_STARTS[name]), name
        assert learned.body.endswith(ARTICLE_ENDS[name]), name
        for line in ("Latest stories", "30 minutes ago", "Gallery shows paintings of the old harbour"):
            assert line not in learned.body, (name, line)
    catch = apply_chrome(pages["catch"], chrome, SETTINGS)
    assert "Coastguard warns of fog on Sunday" in catch.removed


def test_article_paragraphs_with_dates_and_lists_are_kept(
    pages: dict[str, Extracted], chrome: SiteChrome
) -> None:
    ferry = apply_chrome(pages["ferry"], chrome, SETTINGS).body.split("\n\n")
    assert ferry[2:6] == [
        "The new weekday departures:",
        "Gullhaven 06:10",
        "Brennick 07:05",
        "Gullhaven 17:40",
    ]
    lighthouse = apply_chrome(pages["lighthouse"], chrome, SETTINGS).body
    assert "On 3 May 1921 the light was first lit by the keeper Ewan Tull" in lighthouse
    path = apply_chrome(pages["path"], chrome, SETTINGS).body.split("\n\n")
    assert path[1].startswith("Councillors voted on 26 March 2024")
    assert path[2:6] == [
        "The repairs will be done in three stages:",
        "Selby Point to the old lime kiln",
        "The lime kiln to Corran Head",
        "Corran Head to Fenwick cove",
    ]
    assert len(path) == 9


def test_learning_is_persisted_merged_and_needs_enough_pages(
    pages: dict[str, Extracted], chrome: SiteChrome
) -> None:
    restored = SiteChrome.from_json(json.loads(json.dumps(chrome.to_json())))
    # a small site's record keeps layouts seen once too: they add up across batches
    assert restored.river_pages == chrome.river_pages
    assert restored.chrome_keys(SETTINGS) == chrome.chrome_keys(SETTINGS)
    blocks = [page.blocks for page in pages.values()]
    first, second = SiteChrome(site=SITE), SiteChrome(site=SITE)
    for page_blocks in blocks[:2]:
        first.add_page(page_blocks)
    for page_blocks in blocks[2:]:
        second.add_page(page_blocks)
    merged = first.merged(second)
    assert (merged.pages, merged.key_pages, merged.river_pages) == (
        chrome.pages,
        chrome.key_pages,
        chrome.river_pages,
    )
    assert first.river_layouts(SETTINGS) == frozenset()  # two pages are not a site's habit


def test_a_timeline_inside_an_article_is_kept(chrome: SiteChrome) -> None:
    """Dated items with the article going on after them are the article's, on one page and learned."""
    opening = [
        "The harbour board has published the history of the east pier, which is to be rebuilt next year "
        "after a century of storms, ferries and regattas.",
        "Its archivist, Mina Roe, picked the dates she thinks every child in Gullhaven should know by heart.",
        "The board printed them on a board at the foot of the pier, where the new steps will go in spring.",
    ]
    timeline = [
        "14 March 1921",
        "Pier opened",
        "The first ferry tied up at the new pier on a stormy morning, with the mayor and half the town "
        "watching from the quay in the rain.",
        "2 June 1953",
        "Coronation regatta",
        "Boats from the whole coast gathered at the pier for the celebrations, and the town band played "
        "until the tide went out that evening.",
        "9 January 1978",
        "Storm breaks the outer arm",
        "A winter gale tore away forty metres of the outer arm, and the ferry moored at the fish quay for "
        "two years while it was repaired.",
    ]
    closing = [
        "The board said the rebuilt pier would keep the original stone steps, which are listed.",
        "Work starts in the spring and should take about a year, weather permitting, the board said.",
        "Residents can see the plans at the library until the end of the month and send in comments.",
    ]
    article = [*opening, *timeline, *closing]
    assert [(r.start, r.end) for r in page_rivers(article)] == [(3, 11)]  # it has a river's shape
    assert select_body(article) == list(range(len(article)))
    page = Extracted(title="t", body="\n\n".join(article), source="", site=SITE, blocks=article)
    assert apply_chrome(page, chrome, SETTINGS).body == page.body


def test_line_shapes() -> None:
    assert line_shape("12 minutes ago") == "T"
    assert line_shape("Harbour wall repairs finished early") == "H"
    assert line_shape("Sport") == "K"
    assert line_shape("Engineers completed the work on the east pier two weeks ahead of schedule.") == "S"


@pytest.mark.slow
def test_rivers_spliced_into_real_dumps_are_cut(shared_data: Path) -> None:
    """The real pages with a story river after each article (bench/textdump_quality.py --rivers)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from textdump_quality import score_textdumps  # type: ignore[import-not-found]

    result = score_textdumps(shared_data, rivers=1)
    assert result["pages"] >= 150
    assert result["overall"]["whole_dump_precision"] < 0.5  # the rivers are there to be cut
    assert result["overall"]["site_learned_precision"] >= 0.9
    assert result["overall"]["site_learned_recall"] >= 0.97
