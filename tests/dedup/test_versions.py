"""url_key, word_diff and diff_stats: matching captures of one URL and what changed between them.

Covered: the URL key drops scheme, www., fragment, trailing slash and tracking parameters, keeps
and sorts other parameters and non-default ports, and is None without a usable host; a word diff
gives each side back exactly when its parts are joined (also as a property on random texts).
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarchive.dedup.versions import DiffPart, diff_stats, url_key, word_diff


@pytest.mark.parametrize(
    "url",
    [
        "https://harbordaily.example/news/bridge-closes",
        "http://harbordaily.example/news/bridge-closes",
        "https://www.harbordaily.example/news/bridge-closes",
        "https://WWW.HarborDaily.Example/news/bridge-closes/",
        "https://harbordaily.example/news/bridge-closes#comments",
        "https://harbordaily.example/news/bridge-closes?utm_source=feed&utm_medium=rss&fbclid=AbC1",
        "  https://harbordaily.example:443/news/bridge-closes  ",
    ],
)
def test_url_key_drops_what_does_not_name_the_story(url: str) -> None:
    assert url_key(url) == "harbordaily.example/news/bridge-closes"


def test_url_key_keeps_other_parameters_sorted() -> None:
    url = "https://harbordaily.example/story?page=2&id=17&utm_campaign=spring&gclid=x"
    assert url_key(url) == "harbordaily.example/story?id=17&page=2"
    assert url_key("https://harbordaily.example/story?id=17&page=2") == url_key(url)


def test_url_key_keeps_path_case_and_non_default_port() -> None:
    assert url_key("http://harbordaily.example:8080/News/") == "harbordaily.example:8080/News"
    assert url_key("https://harbordaily.example/News") != url_key("https://harbordaily.example/news")


def test_url_key_of_site_root() -> None:
    assert url_key("https://harbordaily.example") == "harbordaily.example/"
    assert url_key("https://harbordaily.example/") == "harbordaily.example/"


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "   ",
        "not a url",
        "/news/story",
        "mailto:desk@harbordaily.example",
        "http://[::1",
        "http://a.example:99999/",
    ],
)
def test_url_key_is_none_without_a_host(url: str | None) -> None:
    assert url_key(url) is None


def _side(parts: list[DiffPart], op: str) -> str:
    return "".join(p.text for p in parts if p.op in ("same", op))


OLD = "At least 12 people were hurt when a bus left the road near Tarnow Ridge, police said."
NEW = "At least 14 people were hurt when a bus  left the road near Tarnow Ridge on Sunday, police said.\n"


def test_word_diff_gives_both_versions_back() -> None:
    parts = word_diff(OLD, NEW)
    assert _side(parts, "removed") == OLD
    assert _side(parts, "added") == NEW
    assert DiffPart("removed", "12") in parts
    assert DiffPart("added", "14") in parts
    assert all(a.op != b.op for a, b in itertools.pairwise(parts))


def test_identical_texts_are_one_same_part() -> None:
    assert word_diff(OLD, OLD) == [DiffPart("same", OLD)]
    assert word_diff("", "") == []
    assert word_diff("", "New text") == [DiffPart("added", "New text")]


def test_diff_stats_counts_words_added_and_removed() -> None:
    parts = word_diff("The mayor said 12 people", "The mayor said 14 people were hurt")
    assert diff_stats(parts) == (3, 1)
    assert diff_stats(word_diff(OLD, OLD)) == (0, 0)


def test_diff_part_to_json() -> None:
    assert DiffPart("added", "14").to_json() == {"op": "added", "text": "14"}


TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.sampled_from(["bridge", "closed", "12", "14", " ", "  ", "\n", "\t", "Mayor", "é"]), max_size=60
    ).map("".join),
)


@given(TEXT, TEXT)
def test_word_diff_reconstructs_both_sides(old: str, new: str) -> None:
    parts = word_diff(old, new)
    assert _side(parts, "removed") == old
    assert _side(parts, "added") == new
    assert all(p.text for p in parts)


def test_url_key_handles_bare_hosts_ipv6_and_scheme_ports() -> None:
    assert url_key("www.example.com/story") == url_key("https://example.com/story")
    assert url_key("http://[::1]:8080/x") == "[::1]:8080/x"
    assert url_key("https://example.com:80/x") == "example.com:80/x"  # 80 is not https's default
    assert url_key("https://example.com/x?ref=home") == "example.com/x?ref=home"  # not a tracker everywhere
