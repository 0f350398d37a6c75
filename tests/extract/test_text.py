"""Given text is kept exactly (NFC only) so offsets stay valid; metadata comes from hints."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarchive.errors import ExtractionError
from newsarchive.extract.text import extract_text
from newsarchive.model import NOTICE, Capture
from newsarchive.settings import Settings


def _capture(**hints: str) -> Capture:
    return Capture(origin="rows.jsonl#1", raw=b"{}", format="text", hints=hints)


def test_metadata_from_hints() -> None:
    story = extract_text(
        _capture(
            text="  The ferry runs late.\n\nCommuters cheered.  ",
            url="https://www.harbourtimes.example/local/ferry",
            title="Ferry runs late",
            published="2023-05-02",
            authors="Mara Lindqvist; Tom Reyes",
            section="Local",
            source="Harbour Times",
        ),
        Settings(),
    )
    assert story.body == "  The ferry runs late.\n\nCommuters cheered.  "
    assert story.blocks == [story.body]
    assert (story.title, story.url, story.published, story.published_from) == (
        "Ferry runs late",
        "https://www.harbourtimes.example/local/ferry",
        "2023-05-02",
        "metadata",
    )
    assert story.authors == ["Mara Lindqvist", "Tom Reyes"]
    assert (story.section, story.source, story.site) == ("Local", "Harbour Times", "harbourtimes.example")


def test_source_falls_back_to_host_then_unknown() -> None:
    with_url = extract_text(_capture(text="Body.", url="https://news.example.org/a"), Settings())
    assert (with_url.source, with_url.site) == ("news.example.org", "news.example.org")
    bare = extract_text(_capture(text="Body."), Settings())
    assert (bare.source, bare.site, bare.title, bare.published) == ("unknown", "unknown", "", None)
    named = extract_text(_capture(text="Body.", source="Harbour Times"), Settings())
    assert named.site == "harbour-times"


def test_empty_text_raises() -> None:
    with pytest.raises(ExtractionError):
        extract_text(_capture(text="   "), Settings())


@given(st.text(min_size=1).filter(str.strip))
def test_body_is_exactly_nfc_of_text(text: str) -> None:
    assert extract_text(_capture(text=text), Settings()).body == unicodedata.normalize("NFC", text)


def test_authors_are_cleaned_and_the_source_is_not_one() -> None:
    story = extract_text(
        _capture(
            text="Body.", authors="&nbsp;Jane Roe; NA; Harbour Times; By Tom Reyes", source="Harbour Times"
        ),
        Settings(),
    )
    assert story.authors == ["Jane Roe", "Tom Reyes"]


@pytest.mark.parametrize(
    ("hint", "setting", "dayfirst"),
    [("1", None, True), ("0", None, False), (None, None, None), ("1", False, False), (None, True, True)],
)
def test_dayfirst_comes_from_the_reader_unless_the_settings_say(
    hint: str | None, setting: bool | None, dayfirst: bool | None
) -> None:
    hints = {"text": "Body.", "published": "03/04/2019"} | ({"dayfirst": hint} if hint else {})
    assert extract_text(_capture(**hints), Settings(dayfirst=setting)).dayfirst is dayfirst


def test_the_reader_s_notice_becomes_the_article_s() -> None:
    story = extract_text(_capture(text="Body.", notice="'summary' was taken as the body"), Settings())
    assert story.notices == [f"{NOTICE}'summary' was taken as the body"]
    assert extract_text(_capture(text="Body."), Settings()).notices == []
