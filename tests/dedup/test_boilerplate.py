"""edge_keys, compared_text and line_key: a source's repeated edge lines are left out of comparisons.

Covered: boilerplate at the top and bottom goes, a matching line inside the story stays, long
lines are never edge keys, a one-line body has none, too little left falls back to the whole
body, and line keys ignore case and spacing.
"""

from __future__ import annotations

from newsarchive.dedup.boilerplate import EDGE_LINES, MAX_WORDS, compared_text, edge_keys, line_key

MENU = "Home | Local | Sport | Weather"
SHARE = "Share this story"
RELATED = "Related stories"
COPYRIGHT = "(c) 2016 Harbor Daily"

PARAGRAPHS = [
    "Harbor City council voted on Tuesday to close the Fenwick Street bridge for five months of repairs from April.",
    "Inspectors found corrosion in three of its steel supports, and drivers will be sent over the Quayside ring road.",
    "Mayor Daniel Ashworth said the council would waive parking fees in the old town while the bridge is shut.",
]
STORY = "\n".join(PARAGRAPHS)
BODY = "\n".join([MENU, SHARE, *PARAGRAPHS, RELATED, COPYRIGHT])
BOILERPLATE = {line_key(line) for line in (MENU, SHARE, RELATED, COPYRIGHT)}


def test_edge_keys_are_the_short_lines_at_either_end() -> None:
    assert edge_keys(BODY) == BOILERPLATE


def test_long_lines_are_never_edge_keys() -> None:
    long_line = " ".join(["word"] * (MAX_WORDS + 1))
    exact = " ".join(["word"] * MAX_WORDS)
    assert edge_keys(f"{long_line}\n{SHARE}") == {line_key(SHARE)}
    assert edge_keys(f"{exact}\n{SHARE}") == {line_key(exact), line_key(SHARE)}


def test_one_line_body_has_no_edge_keys() -> None:
    assert edge_keys(SHARE) == set()
    assert edge_keys(f"\n\n  {SHARE}  \n\n") == set()
    assert edge_keys("") == set()


def test_edge_keys_skip_lines_beyond_the_edges() -> None:
    middle = [f"Short middle line {i}" for i in range(2 * EDGE_LINES + 1)]
    keys = edge_keys("\n".join(middle))
    assert keys == {line_key(line) for line in middle[:EDGE_LINES] + middle[-EDGE_LINES:]}
    assert line_key(middle[EDGE_LINES]) not in keys


def test_compared_text_leaves_out_boilerplate_at_the_edges() -> None:
    assert compared_text(BODY, BOILERPLATE) == STORY


def test_matching_line_in_the_middle_stays() -> None:
    body = "\n".join([MENU, PARAGRAPHS[0], SHARE, PARAGRAPHS[1], PARAGRAPHS[2], COPYRIGHT])
    expected = "\n".join([PARAGRAPHS[0], SHARE, PARAGRAPHS[1], PARAGRAPHS[2]])
    assert compared_text(body, BOILERPLATE) == expected


def test_only_edge_lines_can_be_left_out() -> None:
    keys = {line_key(f"Menu item {i}") for i in range(EDGE_LINES + 1)}
    body = "\n".join([*(f"Menu item {i}" for i in range(EDGE_LINES + 1)), *PARAGRAPHS])
    assert compared_text(body, keys) == "\n".join([f"Menu item {EDGE_LINES}", *PARAGRAPHS])


def test_body_without_boilerplate_is_unchanged() -> None:
    body = f"\n{STORY}\n\n"
    assert compared_text(body, BOILERPLATE) == body
    assert compared_text(BODY, set()) == BODY
    assert compared_text(SHARE, BOILERPLATE) == SHARE


def test_whole_body_when_too_little_would_be_left() -> None:
    body = "\n".join([SHARE, "Ferry to Marlow runs late on Monday.", RELATED])
    assert compared_text(body, BOILERPLATE) == body
    all_boilerplate = "\n".join([MENU, SHARE, RELATED, COPYRIGHT])
    assert compared_text(all_boilerplate, BOILERPLATE) == all_boilerplate


def test_line_key_ignores_case_and_spacing() -> None:
    assert line_key("  Share\tTHIS   story ") == line_key(SHARE)
    assert line_key("Share this stories") != line_key(SHARE)
    assert 0 <= line_key(SHARE) < 2**63


def test_compared_text_matches_lines_by_key() -> None:
    body = "\n".join(["SHARE  THIS STORY", *PARAGRAPHS, "related   Stories"])
    assert compared_text(body, BOILERPLATE) == STORY
