"""Arabic search normalisation and light stemming, so a word is found however it is written.

Normalisation follows the rules Lucene documents for its Arabic analyzer: harakat and tanween
(and the other combining marks of Arabic script) removed, tatweel removed, the hamza forms of
alef (أ إ آ, and alef wasla ٱ) folded to ا, taa marbuta ة to ه, alef maqsura ى to ي. On top of
that: Persian yeh/keheh folded to their Arabic letters, Arabic-Indic digits to ASCII, and the
invisible direction and joiner marks (U+200E/U+200F, U+202A–U+202E, U+2066–U+2069, ZWJ, soft
hyphen, BOM) removed, so a mark inside a word neither splits nor changes it.

The stemmer is Larkey, Ballesteros and Connell's *light10* in the shape Lucene uses: one prefix
(the definite article with its attached particle — وال بال كال فال لل ال — or a lone و when at
least three letters remain), then each of the suffixes ها ان ات ون ين يه ية ه ة ي once, in that
order, when at least two letters remain. Standalone ب ل ك ف are not stripped: too many words
begin with those letters (بيت, لون, كتاب, فكرة).

Every function is pure; ``tokens`` gives each word's span in the original text, so highlights
land on the characters as printed, diacritics and all.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "DIRECTION_MARKS",
    "Normalised",
    "arabic_share",
    "find_words",
    "has_arabic",
    "light_stem",
    "normalise",
    "normalise_word",
    "strip_direction_marks",
    "terms",
    "tokens",
]

DIRECTION_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""LRM, RLM, the embeddings/overrides/pop (U+202A–U+202E) and the isolates (U+2066–U+2069)."""
_DIRECTION_TABLE = {ord(c): None for c in DIRECTION_MARKS}

_REMOVED = (
    [chr(c) for c in range(0x0610, 0x061B)]  # honorific and Quranic signs above/below letters
    + [chr(c) for c in range(0x064B, 0x0660)]  # tanween, harakat, shadda, sukun and later marks
    + ["\u0670"]  # superscript (dagger) alef
    + [chr(c) for c in range(0x06D6, 0x06DD)]
    + [chr(c) for c in range(0x06DF, 0x06E5)]
    + ["\u06e7", "\u06e8"]
    + [chr(c) for c in range(0x06EA, 0x06EE)]
    + ["\u0640"]  # tatweel
    + list(DIRECTION_MARKS)
    + ["\u200d", "\u00ad", "\ufeff"]  # zero-width joiner, soft hyphen, byte order mark
)
_FOLDED = {
    "\u0622": "\u0627",  # آ alef with madda
    "\u0623": "\u0627",  # أ alef with hamza above
    "\u0625": "\u0627",  # إ alef with hamza below
    "\u0671": "\u0627",  # ٱ alef wasla
    "\u0629": "\u0647",  # ة taa marbuta -> ه
    "\u0649": "\u064a",  # ى alef maqsura -> ي
    "\u06cc": "\u064a",  # ی Persian yeh
    "\u06a9": "\u0643",  # ک keheh
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Eastern Arabic-Indic digits
}
_TABLE: dict[int, str | None] = {ord(c): None for c in _REMOVED}
_TABLE.update({ord(k): v for k, v in _FOLDED.items()})

_WORD = re.compile("(?:[^\\W_]|[" + re.escape("".join(_REMOVED)) + "])+")
"""A word as printed: letters and digits, with the marks normalisation removes inside it."""
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")

_ARTICLES = (
    "\u0648\u0627\u0644",
    "\u0628\u0627\u0644",
    "\u0643\u0627\u0644",
    "\u0641\u0627\u0644",
    "\u0644\u0644",
    "\u0627\u0644",
)
"""وال بال كال فال لل ال — longest first, so وال is not read as و + ال."""
_WAW = "\u0648"
_SUFFIXES = (
    "\u0647\u0627",  # ها
    "\u0627\u0646",  # ان
    "\u0627\u062a",  # ات
    "\u0648\u0646",  # ون
    "\u064a\u0646",  # ين
    "\u064a\u0647",  # يه (and ية, which normalises to it)
    "\u0647",  # ه (and ة)
    "\u064a",  # ي
)
_MAX_TERM_CHARS = 40
"""Longer "words" are runs of junk (a URL, a hash): left out, as the other analyzers drop them."""


def strip_direction_marks(text: str) -> str:
    """The text without the invisible bidirectional marks (for names, titles, entity keys)."""
    return text.translate(_DIRECTION_TABLE)


def has_arabic(text: str) -> bool:
    """Whether the text has an Arabic-script letter."""
    return _ARABIC_LETTER.search(text) is not None


def arabic_share(text: str) -> float:
    """The share of the text's letters that are Arabic-script letters (0 without letters)."""
    letters = sum(1 for char in text if char.isalpha())
    return len(_ARABIC_LETTER.findall(text)) / letters if letters else 0.0


@dataclass(slots=True, frozen=True)
class Normalised:
    """Normalised text and, for each of its characters, the offset of the character it came from."""

    text: str
    origin: tuple[int, ...]
    """``origin[i]`` is where ``text[i]`` is in the original; one more entry: the original's length."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original range that normalised ``text[start:end]`` came from (marks inside included)."""
        if end <= start:
            at = self.origin[start]
            return at, at
        return self.origin[start], self.origin[end - 1] + 1


def normalise(text: str) -> Normalised:
    """Text with the normalisation above applied (not lower-cased, not stemmed), with its offset map."""
    chars: list[str] = []
    origin: list[int] = []
    for at, char in enumerate(text):
        mapped = _TABLE.get(ord(char), char)
        if mapped is None:
            continue
        chars.append(mapped)
        origin.append(at)
    origin.append(len(text))
    return Normalised("".join(chars), tuple(origin))


def light_stem(word: str) -> str:
    """The light10 stem of a normalised word; words without Arabic letters come back unchanged."""
    if not has_arabic(word):
        return word
    for article in _ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            word = word[len(article) :]
            break
    else:
        if word.startswith(_WAW) and len(word) >= 4:
            word = word[1:]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


@functools.lru_cache(maxsize=200_000)
def normalise_word(word: str, stem: bool = True) -> str:
    """The search term of one word as printed: normalised, lower-cased and (with ``stem``)
    light-stemmed; "" for none."""
    normal = word.translate(_TABLE).lower()
    if not normal or len(normal) > _MAX_TERM_CHARS:
        return ""
    return light_stem(normal) if stem else normal


def tokens(text: str, stem: bool = True) -> Iterator[tuple[str, int, int]]:
    """Each word's search term with its (start, end) in ``text``, in order. Without ``stem``, the
    normalised word (for Persian, Urdu and other Arabic-script languages the stemmer is not for)."""
    for match in _WORD.finditer(text):
        word = match.group()
        term = normalise_word(word, stem)
        if term:
            # a direction mark at a word's edge is no part of what a highlight should cover
            lead = len(word) - len(word.lstrip(DIRECTION_MARKS))
            trail = len(word) - len(word.rstrip(DIRECTION_MARKS))
            yield term, match.start() + lead, match.end() - trail


def find_words(text: str, wanted: frozenset[str], stem: bool = True) -> list[tuple[int, int]]:
    """The (start, end) of the words of ``text`` whose term is wanted, in order — what filtering
    ``tokens`` gives, found by a regular expression of the wanted terms' written forms, so a long
    body is not analysed word by word to highlight a few of them."""
    if not wanted:
        return []
    spans: list[tuple[int, int]] = []
    last_end = -1
    for match in _written_forms(wanted).finditer(text):
        start, end = match.start(), match.end()
        while start > 0 and _in_word(text[start - 1]):
            start -= 1
        while end < len(text) and _in_word(text[end]):
            end += 1
        if start < last_end:
            continue  # another match inside a word already looked at
        last_end = end
        word = text[start:end]
        if normalise_word(word, stem) in wanted:
            lead = len(word) - len(word.lstrip(DIRECTION_MARKS))
            trail = len(word) - len(word.rstrip(DIRECTION_MARKS))
            spans.append((start + lead, end - trail))
    return spans


_REMOVED_SET = frozenset(_REMOVED)
_SOURCES: dict[str, str] = {}
for _source, _target in _FOLDED.items():
    _SOURCES[_target] = _SOURCES.get(_target, _target) + _source
_MARKS = "[" + re.escape("".join(_REMOVED)) + "]*"


def _in_word(char: str) -> bool:
    return char.isalnum() or char in _REMOVED_SET


@functools.lru_cache(maxsize=128)
def _written_forms(wanted: frozenset[str]) -> re.Pattern[str]:
    """A pattern matching any written form of the terms: each letter as any letter folding to it,
    marks allowed after each (a term is a part of its word: the stemmer only strips affixes)."""
    patterns = [
        "".join("[" + re.escape(_SOURCES.get(char, char)) + "]" + _MARKS for char in term)
        for term in sorted(wanted, key=len, reverse=True)
    ]
    return re.compile("|".join(patterns), re.IGNORECASE)


def terms(text: str, stem: bool = True) -> list[str]:
    """The search terms of a text, in order: what the index holds for it."""
    # the same words as tokens(), without their spans: this runs on every Arabic article indexed
    return [term for term in (normalise_word(word, stem) for word in _WORD.findall(text)) if term]
