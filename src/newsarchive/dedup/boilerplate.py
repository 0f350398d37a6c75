"""Lines a source repeats at the top and bottom of its articles, left out of the text compared.

A site that republishes a wire story adds its own lines around it (a menu, "Share this story",
"Related stories", "(c) 2016 Harbor Daily"); those lines make two copies of one story look less
alike. A line counts as a source's boilerplate once it opens or closes enough of that source's
articles; the stored body keeps it, only the comparison leaves it out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection

EDGE_LINES = 3
"""How many lines at each end of a body can be boilerplate."""
MIN_ARTICLES = 3
"""A line is a source's boilerplate once it is at an edge of this many of its articles."""
MAX_WORDS = 16
"""Longer lines are story text even when repeated: a site that carries one story three times
repeats its paragraphs, while template lines (menus, share bars, copyright) are short."""
_MIN_KEPT_WORDS = 20
_MIN_KEPT_SHARE = 0.3


def _lines(body: str) -> list[str]:
    return [line for line in body.splitlines() if line.strip()]


def line_key(line: str) -> int:
    """A 63-bit key of a line, casefolded and with its spacing normalised."""
    norm = " ".join(line.casefold().split()).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(norm, digest_size=8).digest(), "little") >> 1


def edge_keys(body: str) -> set[int]:
    """Keys of the lines that open and close a body: what the source's counts are kept over."""
    lines = _lines(body)
    if len(lines) < 2:
        return set()  # a one-line body is all story
    edges = lines[:EDGE_LINES] + lines[-EDGE_LINES:]
    return {line_key(line) for line in edges if len(line.split()) <= MAX_WORDS}


def compared_text(body: str, boilerplate: Collection[int]) -> str:
    """The body without its source's boilerplate lines at either end (the text signatures use).

    Only runs of boilerplate at the very top and bottom go; a line inside the story stays even
    when it matches. When too little would be left, the whole body is compared instead.
    """
    lines = _lines(body)
    if not boilerplate or len(lines) < 2:
        return body
    start, end = 0, len(lines)
    while start < min(EDGE_LINES, end) and line_key(lines[start]) in boilerplate:
        start += 1
    while end > max(start, len(lines) - EDGE_LINES) and line_key(lines[end - 1]) in boilerplate:
        end -= 1
    if (start, end) == (0, len(lines)):
        return body
    kept = lines[start:end]
    kept_words = sum(len(line.split()) for line in kept)
    total_words = sum(len(line.split()) for line in lines)
    if kept_words < max(_MIN_KEPT_WORDS, _MIN_KEPT_SHARE * total_words):
        return body
    return "\n".join(kept)
