"""Resolving a time expression ("on November 10", "next month", "last Tuesday") to an ISO date.

The anchor is the article's publication date. Without it, only what the text itself states is kept:
"November 10" becomes ``--11-10`` (ISO 8601 month-day without year) and relative expressions stay
unresolved, because inventing a year would put the event on the wrong timeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Tense = Literal["past", "future"]

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: i
    for i, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}
_UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month", "months": "month"}
_UNITS |= {"year": "year", "years": "year"}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_NUMBERS |= {"eight": 8, "nine": 9, "ten": 10, "several": 3, "few": 3}

_MONTH_RE = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?\b")),
    ("md", re.compile(_MONTH_RE + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:\s*,?\s+(?P<y>\d{4}))?", re.I)),
    (
        "dm",
        re.compile(
            r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_RE + r"(?:\s*,?\s+(?P<y>\d{4}))?", re.I
        ),
    ),
    ("my", re.compile(r"\b" + _MONTH_RE + r"(?:\s+(?:of\s+)?(?P<y>\d{4}))?\b", re.I)),
    ("y", re.compile(r"\b(?:in|of|since|by|during|year)?\s*(?P<y>(?:1[89]|20)\d{2})\b", re.I)),
]


@dataclass(slots=True, frozen=True)
class ResolvedDate:
    """An expression's ISO value (None when it cannot be resolved) and what the text implies about tense."""

    value: str | None
    tense: Tense | None
    relative: bool


def parse_published(published: str | None) -> date | None:
    """The publication day from an ISO date or datetime; None when absent or not a full date."""
    if not published:
        return None
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", published.strip())
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def resolve(expression: str, published: str | None, tense: Tense | None = None) -> ResolvedDate:
    """Resolve ``expression`` against ``published``; ``tense`` (from the clause) breaks year/weekday ties."""
    anchor = parse_published(published)
    text = " ".join(expression.lower().replace("’", "'").split())
    quarter = _resolve_quarter(text, anchor, tense)
    if quarter is not None:
        return quarter
    relative = _resolve_relative(text, anchor, tense)
    if relative is not None:
        return relative
    return _resolve_absolute(text, anchor, tense)


_QUARTER = re.compile(
    r"\b(?:(?P<n>first|second|third|fourth|final|1st|2nd|3rd|4th)[- ]quarter|q(?P<q>[1-4]))\b"
    r"(?:,?\s+(?:of\s+)?(?P<y>(?:1[89]|20)\d{2}|this year|last year|next year|the (?:same|previous) year))?"
)
_QUARTER_NUMBERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_QUARTER_NUMBERS["final"] = 4


def _resolve_quarter(text: str, anchor: date | None, tense: Tense | None) -> ResolvedDate | None:
    """A business quarter ("the third quarter of this year", "Q4 2005") as TimeML writes it,
    ``2009-Q3``. Without a year, the latest such quarter begun by publication (quarters are mostly
    reported after they end), or the next one for a future clause; unresolved without publication."""
    match = _QUARTER.search(text)
    if match is None:
        return None
    number = int(match["q"]) if match["q"] else _QUARTER_NUMBERS[match["n"]]
    stated = match["y"]
    relative = stated is None or not stated[0].isdigit()
    if stated and stated[0].isdigit():
        year = int(stated)
    elif anchor is None:
        return ResolvedDate(None, tense, True)
    elif stated in {"this year", "the same year"}:
        year = anchor.year
    elif stated in {"last year", "the previous year"}:
        year = anchor.year - 1
    elif stated == "next year":
        year = anchor.year + 1
    elif tense == "future":
        ended = anchor.month > 3 * number
        year = anchor.year + 1 if ended else anchor.year
    else:
        begun = anchor.month >= 3 * number - 2
        year = anchor.year if begun else anchor.year - 1
    return ResolvedDate(f"{year:04d}-Q{number}", tense, relative)


def _resolve_relative(text: str, anchor: date | None, tense: Tense | None) -> ResolvedDate | None:
    words = re.findall(r"[a-z]+|\d+", text)
    if not words:
        return None
    implied: Tense | None = None
    if {"last", "ago", "yesterday", "earlier", "past", "previous"} & set(words):
        implied = "past"
    elif {"next", "tomorrow", "later", "coming", "upcoming"} & set(words):
        implied = "future"

    def out(day: date | None, fmt: str) -> ResolvedDate:
        if day is None:
            return ResolvedDate(None, implied or tense, True)
        if fmt == "week":
            year, week, _ = day.isocalendar()
            return ResolvedDate(f"{year}-W{week:02d}", implied or tense, True)
        return ResolvedDate(day.strftime(fmt), implied or tense, True)

    for word, shift in (("today", 0), ("tonight", 0), ("yesterday", -1), ("tomorrow", 1)):
        if word in words:
            return out(anchor + timedelta(days=shift) if anchor else None, "%Y-%m-%d")
    part = re.search(r"\b(last|this) (night|morning|afternoon|evening)\b", text)
    if part:  # "last night" is the eve of the report, "this morning" its day
        shift = -1 if part[0] == "last night" else 0
        return out(anchor + timedelta(days=shift) if anchor else None, "%Y-%m-%d")
    period = _PERIOD.search(text)
    if period and (period[1].isdigit() or period[1] in _NUMBERS):
        # a stretch up to the report ("in the past nine days") is dated by where it began
        count = int(period[1]) if period[1].isdigit() else _NUMBERS[period[1]]
        unit = _UNITS[period[2]]
        return out(_shift(anchor, unit, -count) if anchor else None, _FORMATS[unit])
    ago = re.search(r"(\d+|[a-z]+) (day|days|week|weeks|month|months|year|years) ago", text)
    if ago and (ago[1].isdigit() or ago[1] in _NUMBERS):
        count = int(ago[1]) if ago[1].isdigit() else _NUMBERS[ago[1]]
        unit = _UNITS[ago[2]]
        return out(_shift(anchor, unit, -count) if anchor else None, _FORMATS[unit])
    for unit in ("week", "month", "year"):
        if unit not in words:
            continue
        if "last" in words or "past" in words or "previous" in words:
            step = -1
        elif "next" in words or "coming" in words:
            step = 1
        elif "this" in words or "earlier" in words or "later" in words or "current" in words:
            step = 0
        else:
            continue
        return out(_shift(anchor, unit, step) if anchor else None, _FORMATS[unit])
    weekday = next((WEEKDAYS[w] for w in words if w in WEEKDAYS and len(w) > 3), None)
    if weekday is not None and not any(w in MONTHS for w in words):
        if anchor is None:
            return ResolvedDate(None, implied or tense, True)
        direction = implied or tense or "past"
        if "next" in words:
            days = (weekday - anchor.weekday()) % 7 or 7
        elif "last" in words:
            days = -((anchor.weekday() - weekday) % 7 or 7)
        elif direction == "future":
            days = (weekday - anchor.weekday()) % 7
        else:
            days = -((anchor.weekday() - weekday) % 7)
        return out(anchor + timedelta(days=days), "%Y-%m-%d")
    return None


_FORMATS = {"day": "%Y-%m-%d", "week": "week", "month": "%Y-%m", "year": "%Y"}
_PERIOD = re.compile(r"\b(?:past|last|previous) (\d+|[a-z]+) (days|weeks|months|years)\b")


def is_period(expression: str) -> bool:
    """Whether ``expression`` is a stretch up to the report ("the past nine days"): dated by its
    start, it names no day on which something happened."""
    return _PERIOD.search(" ".join(expression.lower().split())) is not None


def duration(expression: str) -> tuple[str, int] | None:
    """(unit, count) of a bare span of time ("a day", "two weeks", "3 months"), None for anything
    else: the measure of "a day after X", which dates X from the clause it is measured from."""
    text = " ".join(expression.lower().split())
    match = re.fullmatch(r"(?:(?:just|only|about|some) )?(\d+|[a-z]+) (days?|weeks?|months?|years?)", text)
    if not match or not (match[1].isdigit() or match[1] in _NUMBERS):
        return None
    return _UNITS[match[2]], int(match[1]) if match[1].isdigit() else _NUMBERS[match[1]]


def shift(value: str, unit: str, count: int) -> str | None:
    """``value`` (an ISO day, month or year) moved by ``count`` units, at the coarser of its own
    granularity and the unit's ("2009-05-15" a day back is "2009-05-14"; "2009-05" a day back stays
    "2009-05"); None for a value that is not such a date (a week, a month-day without year)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        day = date.fromisoformat(value)
        fmt = "%Y-%m-%d" if unit in {"day", "week"} else _FORMATS[unit]
    elif re.fullmatch(r"\d{4}-\d{2}", value) and unit in {"month", "year"}:
        day = date.fromisoformat(value + "-01")
        fmt = _FORMATS[unit]
    elif re.fullmatch(r"\d{4}", value) and unit == "year":
        day = date(int(value), 1, 1)
        fmt = "%Y"
    elif re.fullmatch(r"\d{4}(-\d{2})?", value):
        return value
    else:
        return None
    if unit in {"day", "week"}:
        moved = day + timedelta(days=count * (7 if unit == "week" else 1))
    else:
        moved = _shift(day, unit, count)
    return moved.strftime(fmt)


def _shift(anchor: date, unit: str, count: int) -> date:
    if unit == "day":
        return anchor + timedelta(days=count)
    if unit == "week":
        return anchor + timedelta(weeks=count)
    if unit == "month":
        months = anchor.year * 12 + anchor.month - 1 + count
        return date(months // 12, months % 12 + 1, 1)
    return date(anchor.year + count, 1, 1)


def _resolve_absolute(text: str, anchor: date | None, tense: Tense | None) -> ResolvedDate:
    for kind, pattern in _PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        groups = match.groupdict()
        year = int(groups["y"]) if groups.get("y") else None
        if kind == "y":
            return ResolvedDate(f"{year:04d}", tense, False)
        month = int(groups["m"]) if kind == "iso" else MONTHS[groups["month"].lower()]
        day = int(groups["d"]) if groups.get("d") else None
        if day is not None and not _valid(month, day):
            continue
        if year is None and anchor is not None:
            year = _pick_year(anchor, month, day, tense)
        if year is None:
            return ResolvedDate(f"--{month:02d}-{day:02d}" if day else f"--{month:02d}", tense, False)
        return ResolvedDate(
            f"{year:04d}-{month:02d}-{day:02d}" if day else f"{year:04d}-{month:02d}", tense, False
        )
    return ResolvedDate(None, tense, False)


def _valid(month: int, day: int) -> bool:
    try:
        date(2000, month, day)  # a leap year, so 29 February stays valid
    except ValueError:
        return False
    return True


def _pick_year(anchor: date, month: int, day: int | None, tense: Tense | None) -> int:
    """The year that puts the date on the side of the publication date the tense asks for, else nearest."""

    def candidate(year: int) -> date:
        safe_day = min(day or 1, 28) if month == 2 else (day or 1)
        return date(year, month, safe_day)

    same = candidate(anchor.year)
    if day is None and month == anchor.month:
        return anchor.year
    if tense == "future":
        return anchor.year if same >= anchor else anchor.year + 1
    if tense == "past":
        return anchor.year if same <= anchor else anchor.year - 1
    options = [anchor.year - 1, anchor.year, anchor.year + 1]
    return min(options, key=lambda y: abs((candidate(y) - anchor).days))


def compare(value: str | None, published: str | None) -> Tense | None:
    """Whether a resolved ISO value lies before or after the publication day (None when unknown)."""
    anchor = parse_published(published)
    if value is None or anchor is None or value.startswith("--") or "W" in value or "Q" in value:
        return None
    iso = anchor.isoformat()[: len(value)]
    if value < iso:
        return "past"
    if value > iso:
        return "future"
    return None
