"""Unicode clean-up shared by every extractor, and the body hash used for exact-duplicate detection.

``clean_text`` repairs what crawls break (mojibake, control characters, ragged whitespace, a stray
letter typed in the wrong keyboard layout) without touching genuine non-Latin text, and is
idempotent so re-cleaning stored text never changes it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import ftfy
import ftfy.badness

# Keep quotes curly and full-width CJK forms as published; leave HTML entities alone because a
# literal "&amp;" in plain text is the author's text, not markup (HTML is unescaped by the parser).
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    normalization="NFC",
    explain=False,
)

# Arabic and Hebrew letters show up glued to Latin words when a writer switches keyboard layout
# (on an Arabic keyboard the comma key types "و"). Cyrillic/Greek are excluded on purpose: their
# letters double as Latin homoglyphs, so removing one would delete a real letter.
_STRAY_LETTER = re.compile("[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_LATIN = re.compile(
    "[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\uff21-\uff3a\uff41-\uff5a]"
)
# C0/C1 controls except tab and newline, lone surrogates, BOM (zero-width no-break space) and
# soft hyphen: invisible, and they break search and offsets
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\u00ad]")
_PAGE_BREAKS = re.compile("[\x0b\x0c]")
_BLANKS = re.compile(r"[^\S\n]+")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_WORD = re.compile(r"\w+", re.UNICODE)


def _is_latin(char: str) -> bool:
    return bool(_LATIN.match(char))


def _is_stray_script(char: str) -> bool:
    return bool(_STRAY_LETTER.match(char)) and char.isalpha()


def _strip_controls(text: str) -> str:
    return _CONTROLS.sub("", _PAGE_BREAKS.sub(" ", text))


def _normalise_whitespace(text: str) -> str:
    lines = [_BLANKS.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


def remove_stray_letters(text: str) -> str:
    """Drop one Arabic/Hebrew letter glued to the start or end of a Latin word in an otherwise Latin text.

    Only applies when every letter of that script in the whole text is such a stray, so real
    Arabic or Hebrew words, quotes and mixed-script names are never altered.
    """
    if not _STRAY_LETTER.search(text):
        return text
    strays: list[tuple[int, int]] = []
    foreign_letters = 0
    for match in _WORD.finditer(text):
        word = match.group()
        letters = [(i, c) for i, c in enumerate(word) if c.isalpha()]
        foreign = [(i, c) for i, c in letters if _is_stray_script(c)]
        if not foreign:
            continue
        foreign_letters += len(foreign)
        latin = [c for _, c in letters if _is_latin(c)]
        if len(foreign) != 1 or len(latin) < 2 or len(latin) + 1 != len(letters):
            continue
        index = foreign[0][0]
        # the stray letter may carry combining marks (harakat); they go with it
        end = index + 1
        while end < len(word) and unicodedata.category(word[end]) == "Mn":
            end += 1
        if (index == 0 and word[end:].isalpha()) or (end == len(word) and word[:index].isalpha()):
            strays.append((match.start() + index, match.start() + end))
    if not strays or foreign_letters != len(strays):
        return text
    latin_total = len(_LATIN.findall(text))
    if latin_total < 20 * len(strays):
        return text
    pieces = []
    last = 0
    for start, end in strays:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


_FTFY_CHARS = re.compile("[\r\x1b\x80-\x9f\ufffd\ufb00-\ufb06\u2028\u2029]")
"""Characters ftfy would act on even in text without mojibake: line breaks, escapes, C1, ligatures."""


def _may_need_ftfy(text: str) -> bool:
    """ftfy costs ~0.1 ms a block even when it changes nothing; most blocks need only this check."""
    if _FTFY_CHARS.search(text):
        return True
    return not text.isascii() and ftfy.badness.is_bad(text)


def _clean_once(text: str) -> str:
    if _may_need_ftfy(text):
        text = ftfy.fix_text(text, _FTFY_CONFIG)
    text = _strip_controls(text)
    text = remove_stray_letters(text)
    text = unicodedata.normalize("NFC", text)
    return _normalise_whitespace(text)


def _only_spaces_to_squeeze(text: str) -> bool:
    """Whether the full clean-up would only squeeze spaces: the common case for a line, at a tenth of the cost.

    Printable text has no line breaks, controls, soft hyphens or BOMs and no whitespace but the
    ASCII space; ASCII also has nothing for ftfy, NFC or the stray-letter rule to act on.
    """
    if not text.isprintable():
        return False
    if text.isascii():
        return True
    return (
        not _FTFY_CHARS.search(text)
        and not _STRAY_LETTER.search(text)
        and unicodedata.is_normalized("NFC", text)
        and not ftfy.badness.is_bad(text)
    )


def clean_text(text: str) -> str:
    """Repair mojibake, NFC-normalise, drop control characters and stray letters, tidy whitespace.

    Line structure is kept (blank-line runs shrink to one) because blocks and chrome learning
    work on lines. Applied until stable so that cleaning is idempotent even where ftfy repairs
    a second layer of mojibake on a second pass.
    """
    if _only_spaces_to_squeeze(text):
        return " ".join(text.split()) if "  " in text else text.strip()
    for _ in range(4):
        cleaned = _clean_once(text)
        if cleaned == text:
            break
        text = cleaned
    return text


def body_hash(body: str) -> str:
    """SHA-256 of the body reduced to its words (casefolded, NFKC, no punctuation, single spaces).

    Two captures of one article that differ only in quotes, spacing or case get the same hash.
    """
    folded = unicodedata.normalize("NFKC", body).casefold()
    words = _WORD.findall(folded.replace("_", " "))
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
