"""Is one text a copy of another? Resemblance or containment of shingles, checked against the facts.

Syndication edits a story by cutting: a sentence dropped, the tail cut, a paragraph of the site's
own added. What stays is contained in the original even when the two no longer resemble each
other, so a pair is a copy when most of the smaller text's shingles are in the larger one.
What tells a different story written from the same template (another town, other figures) is its
facts: numbers and names. A copy keeps the original's facts; a look-alike changes them. Short
texts (briefs of a few lines) share most shingles by chance, so they must match almost entirely.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from newsarchive.dedup.signature import shingles, words

RESEMBLANCE = 0.8
"""Jaccard similarity of shingles at which two texts are copies."""
CONTAINMENT = 0.8
"""Share of the smaller text's shingles found in the larger at which it is a copy of it."""
SHORT_WORDS = 50
"""Below this many words (the smaller text) the strict rule applies."""
SHORT_CONTAINMENT = 0.9
MIN_SIZE_RATIO = 0.4
"""A text under this share of the other's size is an excerpt or a brief quoted in a longer piece."""
SHORT_MIN_SIZE_RATIO = 0.5
FACTS_SHARE = 0.7
"""Share of the smaller set of numbers (and of names) that the other text must also state."""
MIN_FACTS = 3
"""From this many numbers (names) on, ``FACTS_SHARE`` of them must be shared; short texts must
state the same numbers, and every name of the smaller one."""

CONTRADICTED_SHARE = 0.5
"""Share of figures stated in the same words that may differ before two texts are other stories
(one updated figure in a wire story's later copy is still the story)."""

_WORD = re.compile(r"[^\W_]+(?:[.,'’٫٬][^\W_]+)*", re.UNICODE)
_SENTENCE_OPENERS = frozenset(".!?:;\"“”‘'«»(—-•|…。！？")
_SPACE = frozenset(" \t\u00a0\u2009\u202f\u3000")
_GROUPED = re.compile(r"(?<=\d)[,'’٬](?=\d{3}(?!\d))")
"""A thousands separator: between digits, followed by exactly three (a decimal comma is not one)."""


@dataclass(slots=True, frozen=True)
class Fingerprint:
    """What a comparison needs of one text, computed once per text."""

    shingles: frozenset[int]
    words: int
    numbers: frozenset[str]
    names: frozenset[str]
    figures: dict[str, frozenset[str]]
    """The numbers standing in each context (two words either side): where two texts say the
    same thing with other figures, they are two stories."""

    @classmethod
    def of(cls, text: str, text_shingles: set[int] | None = None) -> Fingerprint:
        """The text's fingerprint; pass its shingles when they are already computed."""
        numbers, names, figures_ = _facts_and_figures(text)
        grams = shingles(text) if text_shingles is None else text_shingles
        return cls(frozenset(grams), len(words(text)), numbers, names, figures_)


@dataclass(slots=True, frozen=True)
class Match:
    """Why two texts are copies: their resemblance and the containment of the smaller one."""

    resemblance: float
    containment: float


def facts(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Numbers, and capitalised words that do not open a sentence (names of people, places, firms).

    Kept apart because numbers tell most: next quarter's results of one company name the same
    firm, town and officer, and only the figures differ.
    """
    numbers, names, _ = _facts_and_figures(text)
    return numbers, names


def figures(text: str) -> dict[str, frozenset[str]]:
    """Each number keyed by the two words before and the two after it."""
    return _facts_and_figures(text)[2]


def _facts_and_figures(text: str) -> tuple[frozenset[str], frozenset[str], dict[str, frozenset[str]]]:
    """One pass over the tokens for numbers, names and figures (this runs on every candidate)."""
    numbers: set[str] = set()
    names: set[str] = set()
    tokens: list[str] = []
    at_number: list[int] = []
    for match in _WORD.finditer(text):
        token = match.group(0)
        first = token[0]
        if first.isdigit():
            at_number.append(len(tokens))
            numbers.add(_number(token))
        elif first.isupper() and not _opens_sentence(text, match.start()):
            names.add(token.casefold())
        tokens.append(token)
    found: dict[str, set[str]] = {}
    for i in at_number:
        if 2 <= i < len(tokens) - 2:
            context = " ".join((*tokens[i - 2 : i], "#", *tokens[i + 1 : i + 3])).casefold()
            found.setdefault(context, set()).add(_number(tokens[i]))
    return frozenset(numbers), frozenset(names), {k: frozenset(v) for k, v in found.items()}


def contradicted(a: Fingerprint, b: Fingerprint) -> bool:
    """Whether, where both texts state a figure in the same words, most figures differ."""
    shared = a.figures.keys() & b.figures.keys()
    if not shared:
        return False
    differ = sum(not (a.figures[k] & b.figures[k]) for k in shared)
    return differ / len(shared) >= CONTRADICTED_SHARE


def _number(token: str) -> str:
    """One spelling per number: any script's digits as ASCII, thousands separators dropped,
    the Arabic decimal sign as a point ("١٬٢٠٠" and "1,200" are both "1200"; "3,5" stays "3,5")."""
    ascii_digits = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in token)
    return _GROUPED.sub("", ascii_digits).replace("٫", ".")


def _opens_sentence(text: str, at: int) -> bool:
    i = at - 1
    while i >= 0 and text[i] in _SPACE:
        i -= 1
    return i < 0 or text[i] in "\r\n" or text[i] in _SENTENCE_OPENERS


def measure(a: Fingerprint, b: Fingerprint) -> Match:
    """Resemblance and containment of two texts' shingles, whatever the verdict."""
    if not a.shingles or not b.shingles:
        return Match(0.0, 0.0)
    shared = len(a.shingles & b.shingles)
    union = len(a.shingles) + len(b.shingles) - shared
    return Match(shared / union, shared / min(len(a.shingles), len(b.shingles)))


def copy_match(a: Fingerprint, b: Fingerprint) -> Match | None:
    """The match when one text is a copy of the other (symmetric), else None."""
    small, large = (a, b) if (a.words, len(a.shingles)) <= (b.words, len(b.shingles)) else (b, a)
    if not small.shingles:
        return None
    match = measure(a, b)
    ratio = small.words / max(1, large.words)
    short = small.words < SHORT_WORDS
    if short:
        if match.containment < SHORT_CONTAINMENT or ratio < SHORT_MIN_SIZE_RATIO:
            return None
    elif match.resemblance < RESEMBLANCE and (match.containment < CONTAINMENT or ratio < MIN_SIZE_RATIO):
        return None
    if contradicted(a, b):
        return None
    if short and a.numbers != b.numbers:
        # a brief's figures are the brief: "div 10 cts, pay April 30, record April 15" for one firm
        # and "... record April 21" for another differ in nothing else
        return None
    if _same_facts(a.numbers, b.numbers, short, least=1) and _same_facts(a.names, b.names, short, MIN_FACTS):
        return match
    return None


def _same_facts(a: frozenset[str], b: frozenset[str], strict: bool, least: int) -> bool:
    """Whether the smaller set is (mostly) stated by the other text too.

    With one or two numbers, one must be shared (a copy that kept one figure and gained a year
    from a copyright line still passes); names, weaker evidence, count from ``least`` up.
    """
    fewer = min(len(a), len(b))
    shared = len(a & b)
    if strict:
        return shared == fewer
    if fewer < least:
        return True
    if fewer < MIN_FACTS:
        return shared >= 1
    return shared / fewer >= FACTS_SHARE
