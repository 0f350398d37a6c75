"""Quotations by their marks: curly (“…”), straight ("…") and doubled apostrophes (''…'', ``…'').

Straight marks and doubled apostrophes (wire copy, newspaper databases, typewriter-era archives)
open and close alike, so a regular expression that pairs them left to right goes out of step at the
first stray or missing mark and then takes the text between two quotations for one. Each mark is
read instead as opening or closing by its neighbours (space before and a letter after opens), and a
quotation that runs on into a new paragraph (the convention: the paragraph ends without a closing
mark and the next one opens again) is one piece per paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARK_RE = re.compile(r"“|”|\"|''|``")
_OPENING = {"“", "``"}
_CLOSING = {"”"}
_OPEN_AFTER = " \t\n([{—–-/"
MIN_QUOTATION_CHARS = 12
"""Shorter quoted text is a title, a nickname or a scare-quoted word, not something said, unless
it ends in a question or exclamation mark of its own (“But why?”, “Stay there!”): those are
utterances, and a cue beside them still decides whether they are quotes."""
MIN_UTTERANCE_CHARS = 3
"""The shortest such utterance ("No?")."""


@dataclass(slots=True, frozen=True)
class Quotation:
    """One quoted piece: ``start``/``end`` take in its marks, ``content_start``/``content_end`` not."""

    start: int
    end: int
    content_start: int
    content_end: int
    closed: bool
    """Whether the piece ends with its own closing mark (not at a paragraph break)."""


def quotations(text: str) -> list[Quotation]:
    """The quoted pieces of ``text`` in order, at least ``MIN_QUOTATION_CHARS`` long."""
    found: list[Quotation] = []
    opened: re.Match[str] | None = None
    for mark in _MARK_RE.finditer(text):
        if _opens(text, mark, opened is not None):
            if opened is not None:
                # Opened again before it closed: a quotation carried on into a new paragraph ends
                # at the break; a stray mark in the same paragraph is forgotten.
                cut = text.rfind("\n", opened.end(), mark.start())
                if cut >= 0:
                    _add(found, text, opened, cut, cut, closed=False)
            opened = mark
        elif opened is not None:
            _add(found, text, opened, mark.start(), mark.end(), closed=True)
            opened = None
    return found


def _opens(text: str, mark: re.Match[str], inside: bool) -> bool:
    written = mark.group()
    if written in _OPENING:
        return True
    if written in _CLOSING:
        return False
    before = text[mark.start() - 1] if mark.start() > 0 else " "
    after = text[mark.end()] if mark.end() < len(text) else " "
    if before in _OPEN_AFTER and not after.isspace():
        return True
    if not before.isspace():
        return False
    return not inside  # spaces on both sides: whatever the state allows


def _add(
    found: list[Quotation], text: str, opened: re.Match[str], content_end: int, end: int, closed: bool
) -> None:
    content = text[opened.end() : content_end].rstrip()
    if len(content) >= MIN_QUOTATION_CHARS or (len(content) >= MIN_UTTERANCE_CHARS and content[-1] in "?!"):
        content_end = opened.end() + len(content)
        found.append(Quotation(opened.start(), max(end, content_end), opened.end(), content_end, closed))
