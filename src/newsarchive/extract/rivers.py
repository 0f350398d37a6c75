"""Story rivers: the "latest stories" lists that follow an article, found by their shape.

A river is a run of items of one layout, each a timestamp line with a headline and a one-line
teaser ("2 hours ago" / "Ferry fares to rise" / "The operator blamed fuel costs."), repeated
down the page. Its words differ on every page, so counting repeated lines cannot learn it; its
shape is the same. Lines are reduced to shape letters (``chrome.line_shape``) and runs of
timestamp-anchored groups are found in those letters. This module knows nothing of prose
scoring; ``chrome`` decides where rivers cut an article.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

TIMESTAMP = "T"
"""Shape of a line that is only a date, a time or an age ("3 hours ago"), perhaps with a label."""
HEADLINE = "H"
"""A short line that does not end as a sentence: a headline or a link."""
LABEL = "K"
"""One word that is no sentence: a kicker ("Sport"), a tag."""
TEASER = "S"
"""A short sentence: a teaser, or a short paragraph."""
PROSE = "P"
"""A paragraph too long for a teaser."""
LONG = "L"
"""A long line that does not end as a sentence."""

SHORT_SHAPES = frozenset({HEADLINE, LABEL, TEASER})
"""What a river item holds besides its timestamp."""
MAX_GROUP = 5
"""Lines in one river item, its timestamp included."""

_MONTH_WORDS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre "
    "ene abr dic "
    "janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre "
    "janv févr fevr avr juil déc "
    "januar februar märz april juni juli oktober dezember jän mär mrz okt dez "
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre gen mag giu lug ott "
    "janeiro fevereiro março abril maio junho julho setembro outubro novembro dezembro fev"
)
# "ago" (agosto) and "out" (outubro) are left out: "2 hours ago", "8.1 out of 10" are no dates
_DAY_WORDS = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "lunes martes miércoles jueves viernes sábado domingo lun mié jue vie sáb dom "
    "lundi mardi mercredi jeudi vendredi samedi dimanche "
    "montag dienstag mittwoch donnerstag freitag samstag sonntag mo di mi do fr sa so "
    "lunedì martedì mercoledì giovedì venerdì sabato domenica "
    "segunda terça quarta quinta sexta"
)
_MONTHS = frozenset(_MONTH_WORDS.split())
_DAYS = frozenset(_DAY_WORDS.split())
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_UNITS = (
    r"s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|mos?|months?|y|yrs?|years?"
    r"|minutos?|horas?|d[ií]as?|semanas?|meses|heures?|jours?|semaines?|mois|minuten|stunden?|tagen?"
    r"|wochen|monaten|minuti|ore|giorni|settimane|mesi"
)
_RELATIVE = re.compile(
    rf"(?:\b(?:\d+|an?|one)\s*(?:{_UNITS})\s+ago\b"
    rf"|\b(?:hace|há|il y a|vor)\s+\d+\s*(?:{_UNITS})\b|\b\d+\s*(?:{_UNITS})\s+fa\b"
    r"|^\d{1,3}\s*(?:s|m|min|h|hr|d|w)$"
    r"|\bjust now\b|\byesterday\b|\btoday\b|\bayer\b|\bhoy\b|\bhier\b|\baujourd'hui\b|\bgestern\b"
    r"|\bheute\b|\bieri\b|\boggi\b|\bontem\b|\bhoje\b)",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\b\d{1,2}[:.h]\d\d(?:[:.]\d\d)?\s*(?:[ap]\.?\s?m\.?)?(?!\d)", re.IGNORECASE)
_NUMERIC_DATE = re.compile(
    r"\b(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:t\d\d:\d\d(?::\d\d)?(?:z|[+-]\d\d:?\d\d)?)?|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})\b",
    re.IGNORECASE,
)
_NAMED_DATE = re.compile(
    rf"\b(?:{_MONTH_ALT})\.?\s+\d{{1,4}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?(?:{_MONTH_ALT})\b",
    re.IGNORECASE,
)
_STRONG = (_NUMERIC_DATE, _NAMED_DATE, _RELATIVE, _CLOCK)
"""Whole dates first, so an ISO date-time is not cut at its clock."""
_FILLER_WORDS = (
    "updated update published posted last modified on at the of a am pm a.m. p.m. ago de del le la à "
    "um il y hace há vor fa el en gmt utc bst cet cest est edt cst cdt mst mdt pst pdt et pt ist "
    "aest aedt jst"
)
"""Words of timestamp lines in several languages that are neither dates nor labels."""
_FILLER = frozenset(_FILLER_WORDS.split())
_TOKEN = re.compile(r"[^\W\d_]+(?:['’.][^\W\d_]+)*\.?|\d+(?:st|nd|rd|th)?", re.UNICODE)
_MAX_OTHER_WORDS = 1
"""Words a timestamp line may carry besides the date: a label ("Sport | 3h ago"), never a headline."""
_MAX_TIMESTAMP_CHARS = 80


def is_timestamp(line: str) -> bool:
    """Whether a line is only a date, a clock time or an age ("Updated 3 hours ago", "14 March 2024
    09:15", "vor 2 Stunden"), with at most one other word; a bare year or number is not one."""
    if len(line) > _MAX_TIMESTAMP_CHARS:
        return False
    text = line.lower()
    if not any(pattern.search(text) for pattern in _STRONG):
        return False
    for pattern in _STRONG:
        text = pattern.sub(" ", text)
    others = [
        token
        for token in _TOKEN.findall(text)
        if not token.isdigit()
        and token.rstrip(".") not in _MONTHS
        and token.rstrip(".") not in _DAYS
        and token not in _FILLER
        and not re.fullmatch(r"\d+(?:st|nd|rd|th)", token)
    ]
    return len(others) <= _MAX_OTHER_WORDS


@dataclass(slots=True, frozen=True)
class River:
    """A run of river items: lines ``start``..``end`` (inclusive) of the shapes it was found in."""

    start: int
    end: int
    groups: int
    """Items in the run."""
    with_headline: int
    """Items holding a headline-shaped line."""
    signature: str
    """The item layout, e.g. ``T3`` (timestamp then two lines) or ``3T`` (two lines then the timestamp)."""


def find_rivers(shapes: Sequence[str], min_groups: int = 2) -> list[River]:
    """Runs of at least ``min_groups`` timestamp-anchored items in a sequence of line shapes.

    Timestamps 2 to ``MAX_GROUP`` lines apart with only short lines (headline, label, teaser)
    between them form a chain; the item beyond the chain's last (or before its first) timestamp
    is the side whose lines continue the items' common layout.
    """
    stamps = [i for i, shape in enumerate(shapes) if shape == TIMESTAMP]
    rivers: list[River] = []
    k = 0
    while k < len(stamps):
        chain = [stamps[k]]
        while k + 1 < len(stamps) and _joins(shapes, chain[-1], stamps[k + 1]):
            chain.append(stamps[k + 1])
            k += 1
        k += 1
        river = _river_of(shapes, chain)
        if river is not None and river.groups >= min_groups:
            rivers.append(river)
    return rivers


def _joins(shapes: Sequence[str], a: int, b: int) -> bool:
    return 2 <= b - a <= MAX_GROUP and all(shapes[i] in SHORT_SHAPES for i in range(a + 1, b))


def _river_of(shapes: Sequence[str], chain: list[int]) -> River | None:
    contents = ["".join(shapes[a + 1 : b]) for a, b in pairwise(chain)]
    if contents:
        layout = Counter(contents).most_common(1)[0][0]
    else:  # one timestamp: its item is whatever short lines follow it
        layout = "".join(_short_run(shapes, chain[0] + 1, 1, MAX_GROUP - 1))
        if not layout:
            return None
    after = _short_run(shapes, chain[-1] + 1, 1, len(layout))
    before = _short_run(shapes, chain[0] - 1, -1, len(layout))[::-1]
    # the edge item matches the layout from the timestamp's side: its start after, its end before
    after_fit = _common_prefix("".join(after), layout)
    before_fit = _common_prefix("".join(before)[::-1], layout[::-1])
    items = [*contents]
    if after_fit >= before_fit and after_fit:
        start, end, signature = chain[0], chain[-1] + after_fit, f"T{len(layout) + 1}"
        items.append("".join(after[:after_fit]))
    elif before_fit:
        start, end, signature = chain[0] - before_fit, chain[-1], f"{len(layout) + 1}T"
        items.insert(0, "".join(before[-before_fit:]))
    else:  # no lines beyond the chain belong to it: its timestamps bound the items
        start, end, signature = chain[0], chain[-1], f"T{len(layout) + 1}"
    with_headline = sum(1 for item in items if HEADLINE in item)
    return River(start, end, len(items), with_headline, signature)


def _short_run(shapes: Sequence[str], i: int, step: int, limit: int) -> list[str]:
    found: list[str] = []
    while 0 <= i < len(shapes) and shapes[i] in SHORT_SHAPES and len(found) < limit:
        found.append(shapes[i])
        i += step
    return found


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n
