"""Reuters-21578 stories -> Extracted: exact metadata, clean paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.errors import ExtractionError
from newsarchive.extract.reuters import extract_reuters
from newsarchive.model import Capture
from newsarchive.settings import Settings
from newsarchive.sources.reuters import read_reuters


def _stories(path: Path) -> list[Capture]:
    return [r for r in read_reuters(path, Settings()) if isinstance(r, Capture)]


def test_story_with_body(fixtures_dir: Path) -> None:
    story = extract_reuters(_stories(fixtures_dir / "sources" / "reut2-mini.sgm")[0], Settings())
    assert story.title == "NORDHAVN FERRY LINE ADDS SAILINGS"
    assert story.blocks == [
        "Nordhavn Ferry Line said it would add two evening sailings to its island route <NFL.OL> from April.",
        "The company said demand rose 12 pct in 1986 & would rise again this year.",
    ]
    assert story.body == "\n\n".join(story.blocks)
    assert (story.published, story.published_from) == ("1987-03-03T09:15:22", "metadata")
    assert (story.section, story.authors, story.source, story.site, story.language) == (
        "ship",
        ["Kari Holm"],
        "Reuters",
        "reuters",
        "en",
    )


def test_brief_and_unprocessed_stories(fixtures_dir: Path) -> None:
    _, brief, unproc = (
        extract_reuters(c, Settings()) for c in _stories(fixtures_dir / "sources" / "reut2-mini.sgm")
    )
    assert brief.title == "NORDHAVN PORT TRAFFIC UP 5 PCT IN FEBRUARY"
    assert brief.body == brief.title  # a headline-only story
    assert brief.section is None
    assert (
        unproc.body == "NORDHAVN HARBOUR BOARD MEETS\n\nThe harbour board met on Tuesday to discuss dredging."
    )


def test_empty_story_raises(fixtures_dir: Path) -> None:
    empty = Capture(
        origin="x.sgm#9",
        raw=b'<REUTERS NEWID="9"><DATE>1-MAR-1987 00:00:00.00</DATE><TEXT>&#2;\n&#3;</TEXT></REUTERS>',
        format="reuters",
    )
    with pytest.raises(ExtractionError, match="neither TITLE nor BODY"):
        extract_reuters(empty, Settings())


def test_newid_1(shared_data: Path) -> None:
    first = _stories(shared_data / "corpus" / "reuters21578" / "reut2-000.sgm")[0]
    story = extract_reuters(first, Settings())
    assert story.title == "BAHIA COCOA REVIEW"
    assert story.published == "1987-02-26T15:01:01"
    assert story.section == "cocoa"
    assert story.authors == []
    assert story.blocks[0].startswith(
        "Showers continued throughout the week in the Bahia cocoa zone, alleviating"
    )
    assert story.blocks[1] == "The dry period means the temporao will be late this year."
    assert story.body.endswith("after carnival which ends midday on February 27.")
    assert len(story.blocks) == 17
    assert "Reuter" not in story.body and "&#" not in story.body


@pytest.mark.slow
def test_whole_corpus_is_clean(shared_data: Path) -> None:
    failures = 0
    for path in sorted((shared_data / "corpus" / "reuters21578").glob("reut2-*.sgm")):
        for capture in _stories(path):
            try:
                story = extract_reuters(capture, Settings())
            except ExtractionError:
                failures += 1
                continue
            assert not any(ord(ch) < 32 and ch != "\n" for ch in story.body), capture.origin
            assert not story.body.lower().endswith("reuter"), capture.origin
    assert failures == 1  # NEWID 12793 is an empty UNPROC story
