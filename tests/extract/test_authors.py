"""Author fields as exports and pages write them -> clean names: entities decoded, lists split,
placeholders, dates, roles and the source itself dropped, duplicates removed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarchive.extract.authors import clean_authors


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("&nbsp;Jane Roe", ["Jane Roe"]),
        ("&amp;nbsp;Jane Roe", ["Jane Roe"]),  # encoded twice
        ("Jane Roe&nbsp;; Tom Reyes", ["Jane Roe", "Tom Reyes"]),
        ("Jane Roe and Tom Reyes", ["Jane Roe", "Tom Reyes"]),
        ("Jane Roe, Tom Reyes", ["Jane Roe", "Tom Reyes"]),
        ("Jane Roe; Tom Reyes", ["Jane Roe", "Tom Reyes"]),
        ("Jane Roe & Tom Reyes", ["Jane Roe", "Tom Reyes"]),
        ("Jane Roe &amp; Tom Reyes", ["Jane Roe", "Tom Reyes"]),
        ("By Jane Roe and Tom Reyes", ["Jane Roe", "Tom Reyes"]),
        ("BY JANE ROE", ["JANE ROE"]),
        ("By: Jane Roe", ["Jane Roe"]),
        ("Written by Jane Roe", ["Jane Roe"]),
        ("Jane Roe, Tom Reyes, and Ann Lee", ["Jane Roe", "Tom Reyes", "Ann Lee"]),
        ("Jane Roe | Tom Reyes", ["Jane Roe", "Tom Reyes"]),
        ("Jane Roe\nTom Reyes", ["Jane Roe", "Tom Reyes"]),
        ("Ana y Luis Pena", ["Ana", "Luis Pena"]),
        ("Von Maria Müller und Jonas Weber", ["Maria Müller", "Jonas Weber"]),
        ("Par Claire Dubois et Luc Martin", ["Claire Dubois", "Luc Martin"]),
    ],
)
def test_lists_are_split(value: str, names: list[str]) -> None:
    assert clean_authors(value) == names


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("Smith, Jr.", ["Smith, Jr."]),
        ("John Smith, Jr. and Jane Roe", ["John Smith, Jr.", "Jane Roe"]),
        ("John Smith, III", ["John Smith, III"]),
        ("Roe, Jane", ["Roe, Jane"]),  # surname first: one name, kept as written
        ("Roe, Jane A.", ["Roe, Jane A."]),
        ("J. R. R. Tolkien", ["J. R. R. Tolkien"]),
        ("Mary Y Smith", ["Mary Y Smith"]),  # an initial Y, not Spanish "y"
        ("Von Trapp", ["Von Trapp"]),  # a surname, not German "by"
        ("Ursula von der Leyen", ["Ursula von der Leyen"]),
        ("Byron Hale", ["Byron Hale"]),
    ],
)
def test_commas_and_words_that_do_not_separate_names(value: str, names: list[str]) -> None:
    assert clean_authors(value) == names


@pytest.mark.parametrize(
    "value",
    ["NA", "N/A", "n.a.", "None", "null", "NULL", "nan", "NaN", "", "  ", "-", "--", "unknown", "Unknown",
     "anonymous", "Anonymous", "admin", "Staff", "staff", "Author", "undefined"],
)  # fmt: skip
def test_placeholders_are_dropped(value: str) -> None:
    assert clean_authors(value) == []


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("March 3, 2019", []),
        ("Updated 10:32", []),
        ("Updated 10:32 AM ET", []),
        ("Published 2019-03-03T10:32:00Z", []),
        ("3 March 2019", []),
        ("3. März 2021", []),
        ("03/03/2019", []),
        ("2 hours ago", []),
        ("By Jane Roe, March 3, 2019", ["Jane Roe"]),
        ("Jane Roe Updated 10:32 AM ET", ["Jane Roe"]),
    ],
)
def test_dates_are_not_bylines(value: str, names: list[str]) -> None:
    assert clean_authors(value) == names


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("Jane Roe, Staff Writer", ["Jane Roe"]),
        ("Jane Roe | Senior Political Correspondent", ["Jane Roe"]),
        ("Staff Writer", []),
        ("Editor", []),
        ("jane@example.com (Jane Roe)", ["Jane Roe"]),
        ("Jane Roe <jane@example.com>", ["Jane Roe"]),
        ("jane@example.com", []),
        ("https://twitter.com/janeroe", []),
        ("Jane Roe.", ["Jane Roe"]),
        ("(Jane Roe)", ["Jane Roe"]),
        ("The harbour council voted on Tuesday to add two evening sailings to the ferry timetable", []),
    ],
)
def test_roles_addresses_and_sentences_are_not_names(value: str, names: list[str]) -> None:
    assert clean_authors(value) == names


def test_the_source_itself_is_not_an_author() -> None:
    sources = ("Harbour Times", "harbourtimes.example")
    assert clean_authors("Harbour Times", sources=sources) == []
    assert clean_authors("HARBOUR TIMES", sources=sources) == []
    assert clean_authors("harbourtimes.example", sources=sources) == []
    assert clean_authors("Jane Roe, Harbour Times", sources=sources) == ["Jane Roe"]
    assert clean_authors("Harbour Times") == ["Harbour Times"]  # without the source it is a name


def test_lists_are_cleaned_item_by_item_and_deduplicated_in_order() -> None:
    assert clean_authors(
        ["Tom Reyes", "N/A", "&nbsp;Jane Roe", "jane roe", "TOM REYES", "Ann Lee and Tom Reyes"]
    ) == [
        "Tom Reyes",
        "Jane Roe",
        "Ann Lee",
    ]


def test_names_in_other_scripts_are_kept_as_written() -> None:
    assert clean_authors("Мария Лунева; محمد علي; 山田 太郎、佐藤 花子") == [
        "Мария Лунева",
        "محمد علي",
        "山田 太郎",
        "佐藤 花子",
    ]


@given(st.one_of(st.text(), st.lists(st.text(), max_size=4)))
def test_never_crashes_and_is_idempotent(value: str | list[str]) -> None:
    names = clean_authors(value)
    assert all(name and name == name.strip() for name in names)
    assert clean_authors(names) == names
