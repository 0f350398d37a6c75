"""given_boilerplate: a site's repeated edge lines are learned over its given texts and trimmed from the body.

Covered: the lines at the top and bottom go and the body stays one piece of the given text (offsets
map back), a matching line inside the story stays, long lines and one-line texts are never cut, too
little left keeps the whole text, a line needs MIN_ARTICLES texts and MIN_SHARE of them, counts do
not depend on how the texts were split or ordered, and the stored form reads back.
"""

from __future__ import annotations

import math
import random

from hypothesis import given
from hypothesis import strategies as st

from newsarchive.dedup.boilerplate import MAX_WORDS, MIN_ARTICLES, line_key
from newsarchive.dedup.given_boilerplate import (
    MIN_SHARE,
    SiteEdges,
    find_trim,
    site_of,
    store_key,
    trim_given,
)
from newsarchive.model import Extracted

MASTHEAD = "Northfield News —"
FOLLOW = "Follow Northfield News:"
SHARE = "Share this article"
STORY = [
    "The Northfield library will open on Sundays from the first week of March, the town council decided on Monday.",
    "Librarian Ada Quist said volunteers had offered to staff the desk for the first six months of the Sunday trial.",
    "The council will pay for heating and cleaning from the culture budget, which costs it about 9,000 euros a year.",
]
STORY_TEXT = "\n\n".join(STORY)
GIVEN = f"{MASTHEAD}\n\n{STORY_TEXT}\n\n{FOLLOW}\n{SHARE}\n"
BOILERPLATE = frozenset(line_key(line) for line in (MASTHEAD, FOLLOW, SHARE))


def _page(text: str) -> Extracted:
    return Extracted(title="Library opens on Sundays", body=text, source="Northfield News",
                     site="northfield.example", blocks=[text])  # fmt: skip


def test_lines_at_the_top_and_bottom_go_and_the_body_stays_one_piece_of_the_given_text() -> None:
    trimmed = trim_given(_page(GIVEN), BOILERPLATE)
    assert trimmed.body == STORY_TEXT
    assert GIVEN[trimmed.body_offset : trimmed.body_offset + len(trimmed.body)] == trimmed.body
    assert trimmed.body_offset == GIVEN.index(STORY[0])
    assert trimmed.removed == [MASTHEAD, FOLLOW, SHARE]
    assert trimmed.blocks == [GIVEN]  # the given text is kept, to trim again once more is learned


def test_an_offset_into_the_given_text_maps_to_the_body() -> None:
    trimmed = trim_given(_page(GIVEN), BOILERPLATE)
    name = GIVEN.index("Ada Quist")
    assert trimmed.body[name - trimmed.body_offset :].startswith("Ada Quist")


def test_a_matching_line_inside_the_story_stays() -> None:
    text = "\n".join([FOLLOW, STORY[0], SHARE, STORY[1], STORY[2], SHARE])
    trimmed = trim_given(_page(text), BOILERPLATE)
    assert trimmed.body == "\n".join([STORY[0], SHARE, STORY[1], STORY[2]])
    assert trimmed.removed == [FOLLOW, SHARE]


def test_only_the_lines_at_the_very_edges_go() -> None:
    # a story line before the masthead: the masthead is not at the top, so it stays
    text = "\n".join([STORY[0], MASTHEAD, STORY[1], STORY[2], FOLLOW])
    trimmed = trim_given(_page(text), BOILERPLATE)
    assert trimmed.body == "\n".join([STORY[0], MASTHEAD, STORY[1], STORY[2]])
    assert trimmed.body_offset == 0


def test_windows_line_ends_and_spacing_and_case_are_the_same_line() -> None:
    text = "northfield  NEWS —\r\n" + "\r\n".join(STORY) + "\r\n  follow northfield news:  \r\n"
    trimmed = trim_given(_page(text), BOILERPLATE)
    assert trimmed.body == "\r\n".join(STORY)
    assert text[trimmed.body_offset :].startswith(STORY[0])
    assert trimmed.removed == ["northfield  NEWS —", "follow northfield news:"]


def test_nothing_is_cut_when_too_little_would_be_left() -> None:
    short = f"{MASTHEAD}\nCouncil meets on Monday.\n{FOLLOW}"
    assert trim_given(_page(short), BOILERPLATE).body == short
    assert find_trim(FOLLOW, BOILERPLATE).removed == ()  # one line is all story


def test_without_boilerplate_the_page_is_returned_as_given() -> None:
    page = _page(GIVEN)
    assert trim_given(page, frozenset()) is page
    assert trim_given(page, {line_key("Some other site's line")}) is page


def _texts(n: int, edge: str | None, every: int = 1, first: int = 0) -> list[str]:
    """Texts ``first`` to ``first + n`` of a site: a line of their own at the top, ``edge`` (or a
    line of their own) at the bottom of every ``every``-th."""
    return [
        f"Story {i} of the town.\n\n{STORY_TEXT} Case {i}.\n\n"
        + (edge if edge and i % every == 0 else f"Note {i}")
        for i in range(first, first + n)
    ]


def test_a_line_is_boilerplate_at_min_articles_texts_and_min_share_of_them() -> None:
    edges = SiteEdges("northfield.example")
    for text in _texts(MIN_ARTICLES - 1, FOLLOW):
        edges.add_text(text)
    assert line_key(FOLLOW) not in edges.boilerplate()
    edges.add_text(_texts(1, FOLLOW, first=MIN_ARTICLES)[0])
    assert line_key(FOLLOW) in edges.boilerplate()
    # the same three texts among many more of the site: below the share, story text by chance
    for text in _texts(math.ceil(MIN_ARTICLES / MIN_SHARE) + 10, None, first=100):
        edges.add_text(text)
    assert edges.boilerplate() == frozenset()


def test_long_lines_are_never_learned() -> None:
    long_line = " ".join(["again"] * (MAX_WORDS + 1))
    edges = SiteEdges("northfield.example")
    for text in _texts(10, long_line):
        edges.add_text(text)
    assert edges.boilerplate() == frozenset()


def test_counts_are_the_same_however_the_texts_are_split_and_ordered() -> None:
    texts = _texts(40, FOLLOW, every=3) + _texts(15, SHARE, first=40)
    whole = SiteEdges("northfield.example")
    for text in texts:
        whole.add_text(text)
    rng = random.Random(4)
    for _ in range(5):
        shuffled = rng.sample(texts, len(texts))
        cut = rng.randrange(len(texts))
        left, right = SiteEdges("northfield.example"), SiteEdges("northfield.example")
        for text in shuffled[:cut]:
            left.add_text(text)
        for text in shuffled[cut:]:
            right.add_text(text)
        merged = right.merged(left)
        assert (merged.texts, merged.key_texts) == (whole.texts, whole.key_texts)
        assert merged.boilerplate() == whole.boilerplate() == {line_key(FOLLOW), line_key(SHARE)}


def test_the_stored_counts_read_back_and_have_their_own_key_beside_the_chrome() -> None:
    edges = SiteEdges("northfield.example")
    for text in _texts(5, FOLLOW):
        edges.add_text(text)
    again = SiteEdges.from_json(edges.to_json())
    assert (again.site, again.texts, again.key_texts) == (edges.site, edges.texts, edges.key_texts)
    assert site_of(store_key("northfield.example")) == "northfield.example"
    assert site_of("northfield.example") is None


_LINE = st.sampled_from([MASTHEAD, FOLLOW, SHARE, *STORY, "", "  ", "Photo: A. Quist"])


@given(st.lists(_LINE, max_size=12), st.sampled_from(["\n", "\r\n", "\n\n"]), st.booleans())
def test_the_body_is_always_a_piece_of_the_given_text_and_only_edge_lines_go(
    lines: list[str], sep: str, trailing: bool
) -> None:
    text = sep.join(lines) + (sep if trailing else "")
    trimmed = trim_given(_page(text), BOILERPLATE)
    assert text[trimmed.body_offset : trimmed.body_offset + len(trimmed.body)] == trimmed.body
    before, after = text[: trimmed.body_offset], text[trimmed.body_offset + len(trimmed.body) :]
    cut = [line.strip() for line in (before + "\n" + after).splitlines() if line.strip()]
    assert cut == trimmed.removed
    assert all(line_key(line) in BOILERPLATE for line in trimmed.removed)
    kept = [line for line in trimmed.body.splitlines() if line.strip()]
    assert trimmed.removed == [] or sum(len(line.split()) for line in kept) >= 20
