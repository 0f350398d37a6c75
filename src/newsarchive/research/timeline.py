"""Attention over time: matches per day, week, month or year for several queries, optionally as a
share of everything the same sources published in that period.

Counts come from the index's date buckets (one aggregation per query, none of the matches read),
so they are exact and sum, with the undated matches, to the query's total. Every period from the
first to the last is given, those without a match as 0. With ``normalize`` the denominator is the
same search without its words and entity filters (same sources, sections, languages, dates and
versions): the share is ``count / total`` and ``total`` is given so it can be checked.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from newsarchive.errors import QueryError
from newsarchive.index.base import Index, IndexQuery

__all__ = [
    "MAX_PERIODS",
    "MAX_QUERIES",
    "PERIODS",
    "Timeline",
    "TimelineRow",
    "build_timeline",
    "period_start",
]

PERIODS = ("day", "week", "month", "year")
MAX_QUERIES = 10
MAX_PERIODS = 20_000
"""Periods per query at most (55 years of days): past it, count by a longer period."""


@dataclass(slots=True)  # not frozen: a day-by-day timeline makes tens of thousands, and frozen init is slow
class TimelineRow:
    """One query's matches in one period; ``total`` and ``share`` only when normalised."""

    query: str
    period: str
    """``2016-03-05``, ``2016-W09`` (ISO week), ``2016-03`` or ``2016``."""
    start: dt.date
    """The period's first day."""
    count: int
    total: int | None = None
    """Every article of the same sources (and other filters) in the period: the denominator."""
    share: float | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "query": self.query,
            "period": self.period,
            "start": self.start.isoformat(),
            "count": self.count,
        }
        if self.total is not None:
            out["total"] = self.total
            out["share"] = self.share
        return out


@dataclass(slots=True, frozen=True)
class QueryTotal:
    """A query's matches: all of them, and how many have no date (so are in no period)."""

    query: str
    matches: int
    undated: int

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "matches": self.matches, "undated": self.undated}


@dataclass(slots=True, frozen=True)
class Timeline:
    """Counts per period for each query, every period from the first to the last."""

    by: str
    normalized: bool
    queries: tuple[QueryTotal, ...]
    rows: tuple[TimelineRow, ...]

    def series(self, query: str) -> list[TimelineRow]:
        return [row for row in self.rows if row.query == query]

    def periods(self) -> list[str]:
        return list(dict.fromkeys(row.period for row in self.rows))

    def to_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "normalize": self.normalized,
            "queries": [q.to_json() for q in self.queries],
            "rows": [row.to_json() for row in self.rows],
        }

    def to_csv(self) -> str:
        """One row per query and period; ``total`` and ``share`` columns when normalised."""
        text = io.StringIO()
        writer = csv.writer(text)
        header = ["query", "period", "start", "count"] + (["total", "share"] if self.normalized else [])
        writer.writerow(header)
        for row in self.rows:
            cells: list[Any] = [_safe(row.query), row.period, row.start.isoformat(), row.count]
            if self.normalized:
                cells += [row.total, "" if row.share is None else f"{row.share:.6f}"]
            writer.writerow(cells)
        return text.getvalue()


def _safe(text: str) -> str:
    """A query as a CSV cell a spreadsheet shows as text (a query may start with - or +)."""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def build_timeline(
    index: Index,
    queries: Sequence[tuple[str, IndexQuery]],
    by: str = "month",
    normalize: bool = False,
    bounds: tuple[dt.date | None, dt.date | None] = (None, None),
) -> Timeline:
    """The timeline of each (label, parsed query); ``bounds`` (the from/to filters) widen the span."""
    if by not in PERIODS:
        raise QueryError(f"by must be one of {', '.join(PERIODS)}, not {by!r}")
    if not queries:
        raise QueryError("give at least one query")
    if len(queries) > MAX_QUERIES:
        raise QueryError(f"at most {MAX_QUERIES} queries at once, not {len(queries)}")
    counted: dict[str, dict[str, int]] = {}
    totals: list[QueryTotal] = []
    for label, query in queries:
        counts = _counts(index, query, by)
        matches = index.search(query, limit=1, offset=0, facets=False, snippets=False).total
        counted[label] = counts
        totals.append(QueryTotal(label, matches, matches - sum(counts.values())))
    denominators: dict[str, dict[str, int]] = {}
    if normalize:
        # one denominator per distinct set of filters (a split by source has one per source)
        cache: dict[IndexQuery, dict[str, int]] = {}
        for label, query in queries:
            base = replace(query, query=None, entities=())
            if base not in cache:
                cache[base] = _counts(index, base, by)
            denominators[label] = cache[base]
    # periods in which the sources published nothing on the query are shares of 0: drawn too
    seen = [p for counts in (*counted.values(), *denominators.values()) for p in counts]
    periods = _span(seen, by, bounds)
    rows: list[TimelineRow] = []
    for label, _query in queries:
        counts = counted[label]
        if normalize:
            totals_of = denominators[label]
            for period, start in periods:
                count, total = counts.get(period, 0), totals_of.get(period, 0)
                rows.append(TimelineRow(label, period, start, count, total, count / total if total else None))
        else:
            rows.extend(TimelineRow(label, period, start, counts.get(period, 0)) for period, start in periods)
    return Timeline(by, normalize, tuple(totals), tuple(rows))


def _counts(index: Index, query: IndexQuery, by: str) -> dict[str, int]:
    if by != "week":
        return index.histogram(query, by)
    weeks: dict[str, int] = {}
    for day, n in index.histogram(query, "day").items():
        week = period_of(dt.date.fromisoformat(day), "week")
        weeks[week] = weeks.get(week, 0) + n
    return weeks


def period_of(day: dt.date, by: str) -> str:
    """The label of the period holding this day."""
    if by == "day":
        return day.isoformat()
    if by == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def period_start(label: str, by: str) -> dt.date:
    """The first day of a period given by its label."""
    if by == "day":
        return dt.date.fromisoformat(label)
    if by == "week":
        return dt.date.fromisocalendar(int(label[:4]), int(label[6:8]), 1)
    if by == "month":
        return dt.date(int(label[:4]), int(label[5:7]), 1)
    return dt.date(int(label[:4]), 1, 1)


def _span(
    seen: list[str], by: str, bounds: tuple[dt.date | None, dt.date | None]
) -> list[tuple[str, dt.date]]:
    """Every period (label, first day) from the first to the last: the from/to bounds when given,
    else the earliest and latest period with a match. Labels of one kind sort as their dates do."""
    low, high = bounds
    first = period_start(period_of(low, by), by) if low else period_start(min(seen), by) if seen else None
    last = period_start(period_of(high, by), by) if high else period_start(max(seen), by) if seen else None
    if first is None or last is None or first > last:
        return []
    if by in ("day", "week"):
        step = 1 if by == "day" else 7
        ordinals = range(first.toordinal(), last.toordinal() + 1, step)
        if len(ordinals) > MAX_PERIODS:
            raise _too_many(by)
        days = [dt.date.fromordinal(o) for o in ordinals]
        return [(period_of(day, by), day) for day in days]
    out: list[tuple[str, dt.date]] = []
    current = first
    while current <= last:
        out.append((period_of(current, by), current))
        if len(out) > MAX_PERIODS:
            raise _too_many(by)
        current = (
            dt.date(current.year + current.month // 12, current.month % 12 + 1, 1)
            if by == "month"
            else dt.date(current.year + 1, 1, 1)
        )
    return out


def _too_many(by: str) -> QueryError:
    return QueryError(
        f"more than {MAX_PERIODS:,} periods of a {by}; count by a longer period or narrow the dates"
    )
