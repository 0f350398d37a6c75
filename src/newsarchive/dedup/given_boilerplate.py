"""Lines a source repeats at the top and bottom of the texts it gives us, trimmed from the body.

A JSONL or CSV export keeps the site's own lines in every row's text ("Follow Northfield News:",
"Share this article", "© 2024 Northfield News"). Such a line is learned per site with the line
keys and limits of ``boilerplate`` (a short line among the EDGE_LINES at either end), once it is
at an edge of MIN_ARTICLES of the site's given texts and of MIN_SHARE of them. Counts are kept
over the given texts, never over trimmed bodies, and each text is counted once whatever order
it comes in, so what is learned is a function of the set of rows. Only whole lines at the very
start and end go: the body stays one piece of the given text, ``body_offset`` characters in.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Any

from newsarchive.dedup.boilerplate import EDGE_LINES, MIN_ARTICLES, edge_keys, line_key
from newsarchive.model import Extracted

MIN_SHARE = 0.05
"""A line is the site's boilerplate once at an edge of this share of its given texts (and of
MIN_ARTICLES): a story carried three times by a big site keeps its short opening line, while a
writer's own "Follow Pam Key on Twitter" under a twentieth of a site's rows goes (measured on the
840 texts of seven publishers in polnear-train: that is all 0.05 trims there; 0.1 trims nothing)."""
MAX_KEYS = 200_000
"""Line keys kept per site; past it the lines seen once are forgotten (a line on MIN_SHARE of a
site's texts is seen many times long before), so memory and the stored counts stay bounded."""
MIN_KEPT_WORDS = 20
MIN_KEPT_SHARE = 0.3
"""Never trim so much that less than this is left (words, share of the text's words): the guard
``boilerplate.compared_text`` uses."""
FORMAT = "text"
"""The capture format whose body is a given text (JSONL/CSV ``text``); pages have site chrome."""
STORE_PREFIX = "given-text:"
"""A site's counts are kept in the chrome store under this prefix plus the site's name."""


def trims(fmt: str) -> bool:
    """Whether captures of this format have their site's given-text boilerplate trimmed."""
    return fmt == FORMAT


def store_key(site: str) -> str:
    """Where a site's counts are kept beside the sites' page chrome."""
    return STORE_PREFIX + site


def site_of(key: str) -> str | None:
    """The site whose counts a chrome store key names; None for a site's page chrome."""
    return key[len(STORE_PREFIX) :] if key.startswith(STORE_PREFIX) else None


@dataclass(slots=True)
class SiteEdges:
    """On how many of one site's given texts each short edge line occurs."""

    site: str
    texts: int = 0
    key_texts: dict[int, int] = field(default_factory=dict)

    def add_text(self, text: str) -> None:
        """Count one given text (each of its edge lines once)."""
        self.texts += 1
        for key in edge_keys(text):
            self.key_texts[key] = self.key_texts.get(key, 0) + 1
        self._bound()

    def merged(self, other: SiteEdges) -> SiteEdges:
        """Two counts of one site (two batches, two partitions) as one: ``add_text`` over both."""
        keys = dict(self.key_texts)
        for key, n in other.key_texts.items():
            keys[key] = keys.get(key, 0) + n
        edges = SiteEdges(self.site, self.texts + other.texts, keys)
        edges._bound()
        return edges

    def boilerplate(self) -> frozenset[int]:
        """Keys of the lines at an edge of MIN_ARTICLES of the site's texts and MIN_SHARE of them."""
        least = max(MIN_ARTICLES, math.ceil(MIN_SHARE * self.texts))
        return frozenset(k for k, n in self.key_texts.items() if n >= least)

    def to_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "given_texts": self.texts,
            "edge_lines": {str(k): n for k, n in sorted(self.key_texts.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SiteEdges:
        lines = dict(data.get("edge_lines", {}))
        return cls(
            str(data["site"]), int(data.get("given_texts", 0)), {int(k): int(n) for k, n in lines.items()}
        )

    def _bound(self) -> None:
        if len(self.key_texts) > MAX_KEYS:
            self.key_texts = {k: n for k, n in self.key_texts.items() if n > 1}


@dataclass(slots=True, frozen=True)
class Trim:
    """Where the body lies in a given text, and the lines cut before and after it."""

    start: int
    end: int
    removed: tuple[str, ...] = ()


def find_trim(text: str, boilerplate: Collection[int]) -> Trim:
    """The span of ``text`` left once the runs of boilerplate lines at its very start and end go
    (at most EDGE_LINES each); the whole text when nothing goes or too little would be left."""
    whole = Trim(0, len(text))
    if not boilerplate:
        return whole
    lines: list[tuple[int, int, str]] = []  # (start, end, line) of each non-blank line
    at = 0
    for line, with_end in zip(text.splitlines(), text.splitlines(keepends=True), strict=True):
        if line.strip():
            lines.append((at, at + len(line), line))
        at += len(with_end)
    if len(lines) < 2:
        return whole
    first, last = 0, len(lines)
    while first < min(EDGE_LINES, last) and line_key(lines[first][2]) in boilerplate:
        first += 1
    while last > max(first, len(lines) - EDGE_LINES) and line_key(lines[last - 1][2]) in boilerplate:
        last -= 1
    if (first, last) == (0, len(lines)):
        return whole
    kept_words = sum(len(line.split()) for _, _, line in lines[first:last])
    total_words = sum(len(line.split()) for _, _, line in lines)
    if kept_words < max(MIN_KEPT_WORDS, MIN_KEPT_SHARE * total_words):
        return whole
    start = lines[first][0] if first else 0
    end = lines[last - 1][1] if last < len(lines) else len(text)
    cut = lines[:first] + lines[last:]
    return Trim(start, end, tuple(line.strip() for _, _, line in cut))


def trim_given(page: Extracted, boilerplate: Collection[int]) -> Extracted:
    """The page with its site's boilerplate lines cut from its body's start and end; the cut lines
    join ``removed`` and ``body_offset`` grows by what was cut before the body. ``blocks`` keep
    the given text, from which a later, better-learned site trims again."""
    found = find_trim(page.body, boilerplate)
    if (found.start, found.end) == (0, len(page.body)):
        return page
    return replace(
        page,
        body=page.body[found.start : found.end],
        body_offset=page.body_offset + found.start,
        removed=[*page.removed, *found.removed],
    )
