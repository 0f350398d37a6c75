"""Search terms for text written without spaces between words (Chinese, Japanese, Korean): bigrams.

A run of Han, Hiragana, Katakana or Hangul is indexed as its overlapping pairs of characters
(東京都 -> 東京, 京都), the approach of Lucene's CJK bigram filter: no dictionary, no model, and a
query of any length matches as the phrase of its pairs. A lone character stays a term. Other
words are lower-cased whole, full-width forms folded (NFKC), so "ＡＢＣ" finds "abc".
Every term keeps its (start, end) in the original text, for highlights.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

__all__ = ["cjk_share", "find_terms", "has_cjk", "terms", "tokens"]

_CJK = (
    "\u1100-\u11ff\u3040-\u309f\u30a0-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f"
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
_WORD = re.compile("[^\\W_]+")
_MAX_TERM_CHARS = 40


def has_cjk(text: str) -> bool:
    """Whether the text has a Han, kana or Hangul character."""
    return _CJK_RUN.search(text) is not None


def cjk_share(text: str) -> float:
    """The share of the text's letters that are Han, kana or Hangul (0 without letters)."""
    letters = sum(1 for char in text if char.isalpha())
    return sum(len(run) for run in _CJK_RUN.findall(text)) / letters if letters else 0.0


def tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """Each term with its (start, end) in ``text``, in order."""
    for match in _WORD.finditer(text):
        word, offset = match.group(), match.start()
        cursor = 0
        for run in _CJK_RUN.finditer(word):
            if run.start() > cursor:
                yield from _plain(word[cursor : run.start()], offset + cursor)
            chars = run.group()
            start = offset + run.start()
            if len(chars) == 1:
                yield unicodedata.normalize("NFKC", chars), start, start + 1
            for i in range(len(chars) - 1):
                yield unicodedata.normalize("NFKC", chars[i : i + 2]), start + i, start + i + 2
            cursor = run.end()
        if cursor < len(word):
            yield from _plain(word[cursor:], offset + cursor)


def _plain(word: str, start: int) -> Iterator[tuple[str, int, int]]:
    term = unicodedata.normalize("NFKC", word).lower()
    if term and len(term) <= _MAX_TERM_CHARS:
        yield term, start, start + len(word)


def find_terms(text: str, wanted: frozenset[str]) -> list[tuple[int, int]]:
    """The (start, end) of the terms of ``text`` that are wanted, in order — what filtering
    ``tokens`` gives, found by a regular expression of the wanted terms: a pair of CJK characters
    is a term wherever it occurs; other words are analysed only where a wanted one occurs."""
    if not wanted:
        return []
    spans: list[tuple[int, int]] = []
    word_end = -1
    for match in _any_of(wanted).finditer(text):
        start = match.start()
        found = match.group(1)
        end = start + len(found)
        if _CJK_RUN.fullmatch(found):
            lone = (start == 0 or not _CJK_RUN.match(text[start - 1])) and (
                end == len(text) or not _CJK_RUN.match(text[end])
            )
            if len(found) >= 2 or lone:
                spans.append((start, end))
            continue
        if start < word_end:
            continue  # its word was analysed already
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        word_end = end
        spans.extend(
            (start + s, start + e)
            for term, s, e in tokens(text[start:end])
            if term in wanted and not _CJK_RUN.match(term)
        )
    return sorted(set(spans))


@functools.lru_cache(maxsize=128)
def _any_of(wanted: frozenset[str]) -> re.Pattern[str]:
    # a lookahead, so overlapping pairs are all found; an ASCII character of a term may be
    # written full-width (NFKC folded it for the index)
    def form(term: str) -> str:
        return "".join(
            f"[{re.escape(c)}{re.escape(chr(ord(c) + 0xFEE0))}]" if "!" <= c <= "~" else re.escape(c)
            for c in term
        )

    alternatives = "|".join(form(t) for t in sorted(wanted, key=len, reverse=True))
    return re.compile(f"(?=({alternatives}))", re.IGNORECASE)


def terms(text: str) -> list[str]:
    """The terms of a text, in order: what the index holds for it."""
    return [term for term, _, _ in tokens(text)]
