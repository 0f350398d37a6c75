"""Search terms for text written without spaces between words (Chinese, Japanese, Korean): bigrams.

A run of Han, Hiragana, Katakana or Hangul is indexed as its overlapping pairs of characters
(東京都 -> 東京, 京都), the approach of Lucene's CJK bigram filter: no dictionary, no model, and a
query of any length matches as the phrase of its pairs. A lone character stays a term. Other
words are lower-cased whole, full-width forms folded (NFKC), so "ＡＢＣ" finds "abc".
Every term keeps its (start, end) in the original text, for highlights.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

__all__ = ["cjk_share", "has_cjk", "terms", "tokens"]

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


def terms(text: str) -> list[str]:
    """The terms of a text, in order: what the index holds for it."""
    return [term for term, _, _ in tokens(text)]
