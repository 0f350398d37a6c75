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
state every number and name of the smaller one."""

CONTRADICTED_SHARE = 0.5
"""Share of figures stated in the same words that may differ before two texts are other stories
(one updated figure in a wire story's later copy is still the story)."""

_WORD = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*", re.UNICODE)
_SENTENCE_OPENERS = frozenset(".!?:;\"“”‘'«»(—-•|")


@dataclass(slots=True, frozen=True)
class Fingerprint:
    """What a comparison needs of one text, computed once per text."""

    shingles: frozenset[bytes]
    words: int
    numbers: frozenset[str]
    names: frozenset[str]
    figures: dict[str, frozenset[str]]
    """The numbers standing in each context (two words either side): where two texts say the
    same thing with other figures, they are two stories."""

    @classmethod
    def of(cls, text: str) -> Fingerprint:
        numbers, names = facts(text)
        return cls(frozenset(shingles(text)), len(words(text)), numbers, names, figures(text))


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
    numbers: set[str] = set()
    names: set[str] = set()
    for match in _WORD.finditer(text):
        token = match.group(0)
        if any(c.isdigit() for c in token):
            numbers.add(token.replace(",", "").replace("’", "'"))
        elif token[0].isupper() and not _opens_sentence(text, match.start()):
            names.add(token.casefold())
    return frozenset(numbers), frozenset(names)


def figures(text: str) -> dict[str, frozenset[str]]:
    """Each number keyed by the two words before and the two after it."""
    tokens = [m.group(0).casefold() for m in _WORD.finditer(text)]
    found: dict[str, set[str]] = {}
    for i, token in enumerate(tokens):
        if i < 2 or i + 2 >= len(tokens) or not any(c.isdigit() for c in token):
            continue
        context = " ".join((*tokens[i - 2 : i], "#", *tokens[i + 1 : i + 3]))
        found.setdefault(context, set()).add(token.replace(",", ""))
    return {k: frozenset(v) for k, v in found.items()}


def contradicted(a: Fingerprint, b: Fingerprint) -> bool:
    """Whether, where both texts state a figure in the same words, most figures differ."""
    shared = a.figures.keys() & b.figures.keys()
    if not shared:
        return False
    differ = sum(not (a.figures[k] & b.figures[k]) for k in shared)
    return differ / len(shared) >= CONTRADICTED_SHARE


def _opens_sentence(text: str, at: int) -> bool:
    i = at - 1
    while i >= 0 and text[i] in " \t":
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
