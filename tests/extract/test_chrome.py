"""Site chrome learning: what repeats across a site's pages is removed, articles are not."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.extract.chrome import SiteChrome, apply_chrome, block_key, select_body
from newsarchive.extract.textdump import extract_textdump
from newsarchive.model import Capture, Extracted
from newsarchive.settings import Settings

SETTINGS = Settings()
PROMO = "Support local journalism: become a member of the Millbrook Ledger today"


def _site_pages(fixtures_dir: Path) -> list[Extracted]:
    folder = fixtures_dir / "textdumps" / "millbrook"
    return [
        extract_textdump(
            Capture(
                origin=str(p), raw=p.read_bytes(), format="textdump", hints={"site_dir": "millbrook.example"}
            ),
            SETTINGS,
        )
        for p in sorted(folder.glob("*.txt"))
    ]


def _learn(pages: list[Extracted]) -> SiteChrome:
    chrome = SiteChrome(site=pages[0].site)
    for page in pages:
        chrome.add_page(page.blocks)
    return chrome


def test_single_page_keeps_adjacent_promo_that_learning_removes(fixtures_dir: Path) -> None:
    pages = _site_pages(fixtures_dir)
    assert {p.site for p in pages} == {"millbrook.example"}
    assert all(PROMO in p.body for p in pages)  # prose-like and next to the article: one page can't tell
    chrome = _learn(pages)
    for page in pages:
        learned = apply_chrome(page, chrome, SETTINGS)
        assert PROMO not in learned.body
        assert PROMO in "\n".join(learned.removed)
        assert not any(PROMO in b for b in learned.blocks)
        assert "Most Read" not in learned.blocks and "Home" not in learned.blocks


def test_learning_keeps_article_text(fixtures_dir: Path) -> None:
    pages = _site_pages(fixtures_dir)
    chrome = _learn(pages)
    library = apply_chrome(pages[0], chrome, SETTINGS)
    assert library.body.startswith("MILLBROOK – The public library on Orchard Lane")
    assert "It starts Monday." in library.body  # a short real sentence survives
    assert library.body.endswith("a county literacy grant that runs for three years.")
    # "By Ada Quill" is on two of four pages: below the template threshold, and not at an edge
    festival = apply_chrome(pages[2], chrome, SETTINGS)
    assert festival.body.startswith("More than nine thousand visitors")


def test_too_few_pages_or_no_chrome_changes_nothing(fixtures_dir: Path) -> None:
    pages = _site_pages(fixtures_dir)
    assert apply_chrome(pages[0], None, SETTINGS) is pages[0]
    two = _learn(pages[:2])
    assert apply_chrome(pages[0], two, SETTINGS) is pages[0]
    assert two.chrome_keys(SETTINGS) == frozenset()


def test_chrome_keys_change_when_learning_changes(fixtures_dir: Path) -> None:
    pages = _site_pages(fixtures_dir)
    chrome = _learn(pages[:3])
    before = chrome.chrome_keys(SETTINGS)
    assert block_key(PROMO + " for less than the price of a coffee each week.") in before
    for i in range(8):  # a key on 3 of 11 pages is below the 0.3 share: no longer site-wide template
        chrome.add_page([f"A new block nobody has seen, number {'abcdefgh'[i]}."])
    after = chrome.chrome_keys(SETTINGS)
    assert after != before
    assert f"edge:{block_key('Most Read')}" in after
    stricter = replace(SETTINGS, chrome_min_pages=5)
    assert chrome.chrome_keys(stricter) == frozenset()


def test_json_round_trip(fixtures_dir: Path) -> None:
    chrome = _learn(_site_pages(fixtures_dir))
    restored = SiteChrome.from_json(json.loads(json.dumps(chrome.to_json())))
    assert restored.site == chrome.site and restored.pages == chrome.pages
    assert restored.chrome_keys(SETTINGS) == chrome.chrome_keys(SETTINGS)


def test_copies_of_one_article_are_not_learned_away() -> None:
    article = [
        f"Paragraph {w} of the same wire story, long enough to be prose in any article." for w in "abcde"
    ]
    pages = [["Home", "News", *article, "Footer links"] for _ in range(5)]
    chrome = SiteChrome(site="wire.example")
    for blocks in pages:
        chrome.add_page(blocks)
    extracted = Extracted(
        title="t", body="\n\n".join(article), source="", site="wire.example", blocks=pages[0]
    )
    learned = apply_chrome(extracted, chrome, SETTINGS)
    assert learned.body == extracted.body


def test_select_body_picks_the_prose_run() -> None:
    blocks = ["Home", "World", "Sports"] + [
        f"Sentence number {i} is a real sentence of an article body." for i in range(4)
    ]
    blocks += ["Related", "Other story one", "Other story two"]
    assert select_body(blocks) == [3, 4, 5, 6]
    assert select_body([]) == []


_blocks = st.lists(st.text(min_size=1, max_size=80).map(lambda s: " ".join(s.split()) or "x"), max_size=30)


@settings(max_examples=150, deadline=None)
@given(st.lists(_blocks, min_size=1, max_size=6), _blocks)
def test_apply_chrome_never_adds_text_and_is_idempotent(site_pages: list[list[str]], page: list[str]) -> None:
    chrome = SiteChrome(site="s")
    for blocks in [*site_pages, page]:
        chrome.add_page(blocks)
    chosen = select_body(page)
    extracted = Extracted(
        title="t", body="\n\n".join(page[i] for i in chosen), source="", site="s", blocks=list(page)
    )
    once = apply_chrome(extracted, chrome, SETTINGS)
    body_lines = [line for line in extracted.body.split("\n") if line]
    for line in once.body.split("\n"):
        assert not line or line in body_lines
    assert len(once.body) <= len(extracted.body)
    assert set(once.blocks) <= set(extracted.blocks)
    twice = apply_chrome(once, chrome, SETTINGS)
    assert twice.body == once.body and twice.blocks == once.blocks


@pytest.mark.slow
def test_site_learning_on_real_textdumps(shared_data: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from textdump_quality import score_textdumps  # type: ignore[import-not-found]

    result = score_textdumps(shared_data)
    assert result["pages"] == 180
    assert result["overall"]["whole_dump"] < 0.75
    assert result["overall"]["single_page"] >= 0.85
    assert result["overall"]["site_learned"] >= 0.90
    assert all(site["site_learned"] >= 0.85 for site in result["by_site"].values())
