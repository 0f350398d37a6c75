"""Text-dump reader: what the title line, the dump's own metadata and its folders say (issue 12).

Fictional dumps in tests/fixtures/textdump: a one-paragraph article, headlines with a dash, a
short list inside an article, hard-wrapped text, and folders named SITE/SECTION or SECTION.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.extract.textdump import extract_textdump
from newsarchive.model import Capture, Extracted
from newsarchive.process import process_capture
from newsarchive.settings import Settings
from newsarchive.sources.detect import read_path

SETTINGS = Settings()


@pytest.fixture(scope="module")
def dumps(fixtures_dir: Path) -> Path:
    return fixtures_dir / "textdump"


def _extract(path: Path, raw: bytes | None = None, url: str | None = None) -> Extracted:
    capture = Capture(
        origin=path.name, raw=path.read_bytes() if raw is None else raw, format="textdump", url=url
    )
    return extract_textdump(capture, SETTINGS)


def _capture(path: Path) -> Capture:
    """The dump as ingest reads it: through the source reader, which adds what its folders say."""
    [capture] = list(read_path(path, SETTINGS))
    assert isinstance(capture, Capture)
    return capture


def _read(path: Path) -> Extracted:
    return extract_textdump(_capture(path), SETTINGS)


def test_one_paragraph_dump_keeps_its_article(dumps: Path) -> None:
    """A first paragraph sharing "The" with the title's site part is not a title after a menu line."""
    page = _extract(dumps / "one_paragraph.txt")
    assert page.title == "Harbour wall to be rebuilt before winter"
    assert page.source == "The Coastline Courier"
    assert page.body.startswith("PORT ELWIN – The council voted on Tuesday")
    assert page.body.endswith("after engineers found cracks along almost its whole length.")
    processed = process_capture(_capture(dumps / "one_paragraph.txt"), SETTINGS)
    assert not isinstance(processed, str), processed
    assert processed.article.body == page.body


def test_hard_wrapped_paragraph_is_one_paragraph(dumps: Path) -> None:
    page = _extract(dumps / "one_paragraph_wrapped.txt")
    assert page.title == "Harbour wall to be rebuilt before winter"
    assert page.body == (
        "The council voted on Tuesday to rebuild the old harbour wall before the winter storms arrive, "
        "at a cost of four million pounds, after engineers found cracks along almost its whole length "
        "and warned that the next big storm could breach it."
    )


def test_page_dump_lines_are_never_joined(dumps: Path) -> None:
    """A page dump puts each paragraph on one long line: its short lines are links, never wrapped text."""
    text = (dumps / "dash_headline.txt").read_text()
    raw = text.replace("Council\n", "Photo gallery of the harbour works in pictures\nmore photos\n").encode()
    page = _extract(dumps / "dash_headline.txt", raw=raw)
    assert "Photo gallery of the harbour works in pictures" in page.blocks
    assert "more photos" in page.blocks
    assert "more photos" not in page.body


def test_dash_in_a_headline_is_not_a_site_suffix(dumps: Path) -> None:
    page = _extract(dumps / "dash_headline.txt")
    assert page.title == "Harbour plan unveiled - Mayor"
    assert page.source == ""  # nothing names the site: the archive falls back to the site key
    assert page.body.startswith("The mayor of Port Elwin unveiled a plan")
    assert page.site != "mayor"


def test_site_suffix_is_split_when_it_names_the_site(dumps: Path) -> None:
    raw = (dumps / "dash_headline.txt").read_bytes()
    # a publication's name
    herald = _extract(dumps / "dash_site.txt")
    assert (herald.title, herald.source) == ("Harbour plan unveiled", "Gull Point Herald")
    # the host the page came from spells it
    by_host = _extract(dumps / "dash_headline.txt", url="https://mayor.example/2024/harbour")
    assert (by_host.title, by_host.source) == ("Harbour plan unveiled", "Mayor")
    # the page's copyright line names it
    credited = _extract(dumps / "dash_headline.txt", raw=raw + b"Copyright 2024 Mayor\n")
    assert (credited.title, credited.source) == ("Harbour plan unveiled", "Mayor")
    # a pipe is a site separator even without other evidence
    piped = _extract(dumps / "dash_headline.txt", raw=raw.replace(b" - Mayor", b" | Elwin Today"))
    assert (piped.title, piped.source) == ("Harbour plan unveiled", "Elwin Today")


def test_paragraph_after_a_short_list_is_kept(dumps: Path) -> None:
    page = _extract(dumps / "list_paragraph.txt")
    paragraphs = page.body.split("\n\n")
    assert paragraphs[0].startswith("Port Elwin won the coastal football league")
    assert paragraphs[3:7] == ["Final standings:", "Port Elwin 34", "Gull Point 31", "Marrow Bay 28"]
    assert paragraphs[-1].startswith("The coach said the squad would celebrate")
    assert "More sport" not in page.body and "Sailing club hosts regatta" not in page.body


def test_section_folder_is_the_section_not_the_source(dumps: Path) -> None:
    for path in (
        dumps / "folders" / "news" / "sport" / "derby.txt",
        dumps / "folders" / "sport" / "derby.txt",
    ):
        page = _read(path)
        assert page.section == "sport"
        assert page.source == ""
        assert page.site != "sport"
        assert page.title == "Marrow Bay hold Gull Point in derby"
        processed = process_capture(_capture(path), SETTINGS)
        assert not isinstance(processed, str) and processed.article.source != "sport"
        assert processed.article.section == "sport"


def test_site_folder_and_the_section_under_it(dumps: Path) -> None:
    page = _read(dumps / "folders" / "coastlinecourier.example" / "harbour" / "wall.txt")
    assert page.site == "coastlinecourier.example"
    assert page.section == "harbour"


def test_the_dumps_own_url_and_section_lines_win_over_folders(dumps: Path) -> None:
    page = _read(dumps / "folders" / "coastlinecourier.example" / "harbour" / "ferry_with_url.txt")
    assert page.url == "https://www.gullpointherald.example/travel/2024/ferry-returns"
    assert page.site == "gullpointherald.example"
    assert page.section == "Travel"
    assert "URL:" not in page.body and "Section:" not in page.body
    assert page.body.startswith("The island ferry returned to service on Friday")
    # a "Source:" line in the body is a credit, not the site: only the lines before the article count
    tail = b"\nSource: Harbour Board figures\n"
    credited = _extract(dumps / "one_paragraph.txt", raw=(dumps / "one_paragraph.txt").read_bytes() + tail)
    assert credited.source == "The Coastline Courier"
