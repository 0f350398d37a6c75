"""Publication dates however an input wrote them -> ISO 8601, or the reason they cannot be read.

One rule for every input path (JSONL/CSV values, feed dates, text-dump labels, HTML metadata), so
that filters, sorting and counts over time work on every archive:

- epoch seconds, milliseconds or microseconds (``1709600000``, ``1709600000123``), read in UTC;
- ISO 8601 with or without a time and zone (``2020-06-30T23:59:59+14:00``), ``YYYYMMDD``, and
  year-first numeric dates (``2020/06/30``); a bare ``YYYY-MM`` or ``YYYY`` is kept partial;
- RFC 822 (``Tue, 10 Nov 2015 08:00:00 GMT``, as feeds and mail write it);
- numeric day/month dates (``31/12/2018``, ``12.31.18``): a first number above 12 means day first,
  a second above 12 month first; otherwise the input's order (``dayfirst``: a setting, or what its
  reader saw in the file), else month first, and the result says it was ambiguous;
- month names in any language dateparser knows (``15 mai 2025``, ``3. März 2021``, ``15 مايو 2025``),
  but only complete dates: a missing day or year is never filled from today, and relative words
  ("yesterday", "2 days ago", "Monday") are refused, since they mean nothing without the day they
  were written.

The date is the calendar day the input states (``2020-06-30T23:59:59+14:00`` is 30 June, not 1 July
in UTC); the time, when given, is kept in ``time`` with its offset as written.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_EARLIEST_YEAR = 1000
_LATEST_YEAR = 2200
"""Years outside this range are garbage (a wrong field, a truncated number), not dates."""

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
"""Arabic-Indic and Persian digits, as Arabic sites write dates."""

_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?"
    r"\s*(?P<z>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?"
)
_ISO_COMPACT = re.compile(
    r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:T(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?(?P<z>Z|[+-]\d{4})?)?"
)
_YEAR_FIRST = re.compile(r"(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?P<rest>.*)")
_PARTIAL = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2}))?")
_NUMERIC = re.compile(r"(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4}|\d{2})(?P<rest>.*)")
_CLOCK = re.compile(
    r"^[\sT,at@-]*(?P<H>\d{1,2})[:.h](?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<p>[ap]\.?m\.?)?"
    r"\s*(?P<z>Z|UTC|GMT|[+-]\d{2}:?\d{2})?\s*$",
    re.IGNORECASE,
)
_HAS_CLOCK = re.compile(r"\d{1,2}\s*[:h]\s*\d{2}|\b\d{1,2}\s*[ap]\.?m\b", re.IGNORECASE)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_RELATIVE = re.compile(
    r"\b(?:ago|yesterday|today|tomorrow|tonight|now|just|last|next|this|hours?|minutes?|seconds?|"
    r"hier|aujourd'hui|demain|gestern|heute|morgen|ayer|hoy|mañana|أمس|اليوم|غدا|منذ)\b",
    re.IGNORECASE,
)
_WEEKDAY_ONLY = re.compile(r"(?:on\s+)?(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?", re.IGNORECASE)


@dataclass(slots=True, frozen=True)
class PublishedDate:
    """A publication date read from what an input wrote."""

    date: str
    """ISO 8601 calendar date (``YYYY-MM-DD``; ``YYYY-MM`` or ``YYYY`` when only that was given)."""
    time: str | None
    """ISO 8601 date-time with the offset written (none when the input gave no zone), if a time was given."""
    raw: str
    """The value as given."""
    ambiguous: bool = False
    """Day and month could be either way round and nothing said which (read month first)."""


def normalise_published(
    value: str | int | float | None,
    *,
    dayfirst: bool | None = None,
    languages: Sequence[str] | None = None,
) -> PublishedDate | str | None:
    """``value`` as a PublishedDate, None when empty, or the reason it is not a date (a sentence)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _epoch(float(value), str(value))
    raw = value
    text = " ".join(value.translate(_DIGITS).split())
    if not text or text.lower() in {"none", "null", "nan", "n/a", "na", "-", "0"}:
        return None
    if _NUMBER.fullmatch(text):
        return _number(text, raw)
    for reader in (_iso, _year_first, _partial, _rfc822):
        found = reader(text, raw)
        if found is not None:
            return found
    numeric = _NUMERIC.fullmatch(text)
    if numeric:
        return _day_month(numeric, raw, dayfirst)
    if _RELATIVE.search(text) or _WEEKDAY_ONLY.fullmatch(text):
        return f"date {_shown(raw)} is relative (it means nothing without the day it was written); give a full date"
    if _HAS_LETTER.search(text):
        return _worded(text, raw, languages)
    return f"date {_shown(raw)} is not in a format we read (ISO 8601, RFC 822, day/month/year, epoch seconds)"


def guess_dayfirst(values: Iterable[str]) -> bool | None:
    """Whether numeric dates of one input are written day first: True when some have a first number
    above 12 and none a second above 12, False for the reverse, None when they do not tell (or disagree)."""
    day_first = month_first = False
    for value in values:
        match = _NUMERIC.fullmatch(" ".join(str(value).translate(_DIGITS).split()))
        if not match:
            continue
        a, b = int(match["a"]), int(match["b"])
        day_first |= a > 12 >= b
        month_first |= b > 12 >= a
    if day_first != month_first:
        return day_first
    return None


# -- readers -------------------------------------------------------------------------------------
def _epoch(seconds: float, raw: str) -> PublishedDate | str:
    """Seconds, milliseconds or microseconds since 1970, by magnitude, in UTC."""
    magnitude = abs(seconds)
    for scale in (1, 1_000, 1_000_000):
        if magnitude / scale < 7.3e9:  # up to the year 2200 in that unit
            break
    try:
        stamp = dt.datetime.fromtimestamp(seconds / scale, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return f"number {_shown(raw)} is not a date (epoch seconds out of range)"
    if magnitude / scale < 1e8:  # before 1973: a count, an id or a year, not a timestamp
        return f"number {_shown(raw)} is not a date (too small for epoch seconds or milliseconds)"
    stamp = stamp.replace(microsecond=0)
    return PublishedDate(stamp.date().isoformat(), stamp.isoformat(), raw)


def _number(text: str, raw: str) -> PublishedDate | str:
    if len(text) == 8 and text.isdigit():
        compact = _ISO_COMPACT.fullmatch(text)
        if compact and (found := _from_parts(compact, raw)) is not None:
            return found
    if len(text) == 4 and text.isdigit():
        year = int(text)
        if _EARLIEST_YEAR <= year <= _LATEST_YEAR:
            return PublishedDate(text, None, raw)
    return _epoch(float(text), raw)


def _iso(text: str, raw: str) -> PublishedDate | None:
    match = _ISO.fullmatch(text) or _ISO_COMPACT.fullmatch(text)
    return _from_parts(match, raw) if match else None


def _year_first(text: str, raw: str) -> PublishedDate | None:
    match = _YEAR_FIRST.fullmatch(text)
    if not match:
        return None
    return _with_clock(int(match["y"]), int(match["m"]), int(match["d"]), match["rest"], raw)


def _partial(text: str, raw: str) -> PublishedDate | None:
    match = _PARTIAL.fullmatch(text)
    if not match:
        return None
    year = int(match["y"])
    if not _EARLIEST_YEAR <= year <= _LATEST_YEAR:
        return None
    if match["m"] is None:
        return PublishedDate(match["y"], None, raw)
    if not 1 <= int(match["m"]) <= 12:
        return None
    return PublishedDate(text, None, raw)


def _rfc822(text: str, raw: str) -> PublishedDate | None:
    """RFC 822 dates, only with a time (the email parser would otherwise invent midnight)."""
    if not _HAS_CLOCK.search(text) or not re.search(r"\d{4}", text):
        return None
    if not re.match(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}", text):
        return None
    try:
        stamp = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if not _EARLIEST_YEAR <= stamp.year <= _LATEST_YEAR:
        return None
    return PublishedDate(stamp.date().isoformat(), stamp.isoformat(), raw)


def _day_month(match: re.Match[str], raw: str, dayfirst: bool | None) -> PublishedDate | str:
    a, b = int(match["a"]), int(match["b"])
    year = int(match["y"])
    if len(match["y"]) == 2:  # POSIX's pivot: 69-99 are the 1900s, 00-68 the 2000s
        year += 1900 if year >= 69 else 2000
    ambiguous = False
    if a > 12 >= b:
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
    elif dayfirst is None:
        month, day = a, b
        ambiguous = a != b
    else:
        day, month = (a, b) if dayfirst else (b, a)
    found = _with_clock(year, month, day, match["rest"], raw)
    if found is None:
        return f"date {_shown(raw)} is not a real calendar date"
    if ambiguous:
        return PublishedDate(found.date, found.time, raw, ambiguous=True)
    return found


def _worded(text: str, raw: str, languages: Sequence[str] | None) -> PublishedDate | str:
    """Dates with month names, by dateparser, complete dates only (day, month and year given)."""
    if not re.search(r"\d{4}|\d{1,2}\D+\d{2}\b", text) or len(text.split()) > 10:
        return f"date {_shown(raw)} has no year (it would have to be guessed); give a full date"
    import dateparser  # slow to import: only for dates the fast readers above do not take

    settings = {
        "STRICT_PARSING": True,
        "PARSERS": ["custom-formats", "absolute-time"],
        "PREFER_DATES_FROM": "past",
    }
    known = [lang for lang in (languages or ()) if lang]
    try:
        stamp = dateparser.parse(text, languages=known or None, settings=settings)
        if stamp is None and known:
            stamp = dateparser.parse(text, settings=settings)
    except (ValueError, OverflowError, TypeError, AttributeError):
        stamp = None
    if stamp is None or not _EARLIEST_YEAR <= stamp.year <= _LATEST_YEAR:
        month_year = _month_year(text, known)
        if month_year is not None:
            return PublishedDate(month_year, None, raw)
        return f"date {_shown(raw)} is not a date we can read; give it as YYYY-MM-DD"
    if not _HAS_CLOCK.search(text):
        return PublishedDate(stamp.date().isoformat(), None, raw)
    return PublishedDate(stamp.date().isoformat(), stamp.replace(microsecond=0).isoformat(), raw)


def _month_year(text: str, languages: list[str]) -> str | None:
    """``May 2025`` -> ``2025-05``: a month and a year with no day are kept partial, not given a day."""
    if not re.fullmatch(r"[^\W\d_]+\.?,?\s+\d{4}", text):
        return None
    import dateparser

    settings = {
        "REQUIRE_PARTS": ["month", "year"],
        "PARSERS": ["absolute-time"],
        "PREFER_DAY_OF_MONTH": "first",
    }
    try:
        stamp = dateparser.parse(text, languages=languages or None, settings=settings)
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
    return f"{stamp.year:04d}-{stamp.month:02d}" if stamp is not None else None


# -- parts ----------------------------------------------------------------------------------------
def _from_parts(match: re.Match[str], raw: str) -> PublishedDate | None:
    parts = match.groupdict()
    try:
        day = dt.date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
    except ValueError:
        return None
    if not _EARLIEST_YEAR <= day.year <= _LATEST_YEAR:
        return None
    if parts.get("H") is None:
        return PublishedDate(day.isoformat(), None, raw)
    try:
        clock = dt.time(int(parts["H"]), int(parts["M"]), int(parts.get("S") or 0))
    except ValueError:
        return None
    zone = _zone(parts.get("z"))
    stamp = dt.datetime.combine(day, clock, zone)
    return PublishedDate(day.isoformat(), stamp.isoformat(), raw)


def _with_clock(year: int, month: int, day: int, rest: str, raw: str) -> PublishedDate | None:
    """A calendar date plus an optional trailing time ("14:05", "2:51 pm", "10h30 +01:00")."""
    if not _EARLIEST_YEAR <= year <= _LATEST_YEAR:
        return None
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    rest = rest.strip()
    if not rest:
        return PublishedDate(date.isoformat(), None, raw)
    clock = _CLOCK.match(rest)
    if clock is None:
        return None
    hour = int(clock["H"])
    meridiem = (clock["p"] or "").lower().replace(".", "")
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    try:
        time = dt.time(hour, int(clock["M"]), int(clock["S"] or 0))
    except ValueError:
        return None
    stamp = dt.datetime.combine(date, time, _zone(clock["z"]))
    return PublishedDate(date.isoformat(), stamp.isoformat(), raw)


def _zone(value: str | None) -> dt.tzinfo | None:
    if not value:
        return None
    if value.upper() in {"Z", "UTC", "GMT"}:
        return dt.UTC
    digits = value[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        return None
    offset = dt.timedelta(hours=hours, minutes=minutes)
    return dt.timezone(-offset if value[0] == "-" else offset)


def _shown(raw: str, limit: int = 60) -> str:
    text = " ".join(raw.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
