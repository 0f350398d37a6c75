"""Browse the archive as a newspaper's: by date (``/{year}/``, ``/{year}/{month}/``,
``/{year}/{month}/{day}/``) and by section (``/sections``, ``/sections/{name}``), newest first with
a numbered pager; a year shows its months' counts, a month its days'.

Every page is built from ``Archive.search`` and ``Archive.timeline`` (one story per cluster, as a
search shows) and carries ETag / Last-Modified from the archive's generation (see caching.py).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsarchive.errors import NotFoundError, QueryError
from newsarchive.web import i18n, permalinks
from newsarchive.web.annotate import name_url
from newsarchive.web.api import MAX_RESULT_WINDOW, SearchParams, pool
from newsarchive.web.caching import conditional
from newsarchive.web.pages import _Links, _page_numbers, render, section_feed_url
from newsarchive.web.rights import public_rights

BROWSE_CACHE = "public, max-age=60"
PER_PAGE = 20
MAX_BROWSE_PER_PAGE = 100

router = APIRouter(include_in_schema=False)


@dataclass(slots=True, frozen=True)
class Period:
    """A year, month or day of the archive, as its date page names it."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def key(self) -> str:
        """``2021``, ``2021-03`` or ``2021-03-09``: the search's from/to and the timeline's labels."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def url(self) -> str:
        return "/" + self.key.replace("-", "/") + "/"

    def crumbs(self) -> list[Period]:
        """The pages above this one, year first (templates name them in the page's language)."""
        out = [Period(self.year)]
        if self.month is not None and self.day is not None:
            out.append(Period(self.year, self.month))
        return out


def parse_period(year: str, month: str | None = None, day: str | None = None) -> Period:
    """The period of a date page's path; anything but a real YYYY[/MM[/DD]] is not a page (404)."""
    segments = [s for s in (year, month, day) if s is not None]
    widths = (4, 2, 2)
    if not all(s.isascii() and s.isdigit() and len(s) == w for s, w in zip(segments, widths, strict=False)):
        raise NotFoundError(
            f"/{'/'.join(segments)}/ is not a date page; dates are /YYYY/, /YYYY/MM/, /YYYY/MM/DD/"
        )
    numbers = [int(s) for s in segments]
    try:
        dt.date(numbers[0], numbers[1] if len(numbers) > 1 else 1, numbers[2] if len(numbers) > 2 else 1)
    except ValueError:
        raise NotFoundError(f"/{'/'.join(segments)}/ is not a calendar date") from None
    if numbers[0] < 1:
        raise NotFoundError("year 0000 is not a date page")
    return Period(*numbers)


@dataclass(slots=True, frozen=True)
class Listing:
    """One page of a browse listing: its hits and the pager's numbers."""

    result: Any
    page: int
    per_page: int
    last_page: int
    pages: list[int | None]


def _listing(request: Request, page: int, per_page: int, **filters: Any) -> Listing:
    ui = i18n.ui(request)
    if not 1 <= per_page <= MAX_BROWSE_PER_PAGE:
        raise QueryError(
            ui.gettext(
                "per_page must be between 1 and %(most)s, not %(given)s",
                most=MAX_BROWSE_PER_PAGE,
                given=per_page,
            )
        )
    deepest = max(1, MAX_RESULT_WINDOW // per_page)
    if page < 1:
        raise QueryError(ui.gettext("page must be 1 or more, not %(given)s", given=page))
    if page > deepest:
        raise QueryError(
            ui.gettext(
                "page %(given)s is too deep (only the first %(window)s articles can be paged); "
                "go to a month or day page instead",
                given=page,
                window=MAX_RESULT_WINDOW,
            )
        )
    with pool(request).borrow() as archive:
        result = archive.search("", sort="date", page=page, per_page=per_page, facets=False, **filters)
    result = public_rights(request).result(result)
    last_page = max(1, min(-(-result.total // per_page), deepest))
    if page > last_page:
        raise NotFoundError(
            ui.gettext("there is no page %(given)s; the last page is %(last)s", given=page, last=last_page)
        )
    return Listing(result, page, per_page, last_page, _page_numbers(page, last_page))


def _page_link(base: str, per_page: int, extra: dict[str, str] | None = None) -> Any:
    """page number -> URL of that page of the listing at ``base`` (page 1 is the bare address)."""

    def link(number: int) -> str:
        items = dict(extra or {})
        if number != 1:
            items["page"] = str(number)
        if per_page != PER_PAGE:
            items["per_page"] = str(per_page)
        if not items:
            return base
        return base + ("&" if "?" in base else "?") + urlencode(items)

    return link


# -- date pages -------------------------------------------------------------------------------


@router.get("/{year}/", response_class=HTMLResponse)
def year_page(request: Request, year: str, page: int = 1, per_page: int = PER_PAGE) -> Response:
    return _date_page(request, parse_period(year), page, per_page)


@router.get("/{year}/{month}/", response_class=HTMLResponse)
def month_page(request: Request, year: str, month: str, page: int = 1, per_page: int = PER_PAGE) -> Response:
    return _date_page(request, parse_period(year, month), page, per_page)


@router.get("/{year}/{month}/{day}/", response_class=HTMLResponse)
def day_page(
    request: Request, year: str, month: str, day: str, page: int = 1, per_page: int = PER_PAGE
) -> Response:
    if not permalinks.is_day(day):  # /2021/03/ferry-strike-0a1b2c3d/: an article's permalink
        return permalinks.permalink_redirect(request, year, month, day)
    return _date_page(request, parse_period(year, month, day), page, per_page)


def _date_page(request: Request, period: Period, page: int, per_page: int) -> Response:
    def build() -> Response:
        listing = _listing(request, page, per_page, date_from=period.key, date_to=period.key)
        if not listing.result.total:
            ui = i18n.ui(request)
            raise NotFoundError(
                ui.gettext("no articles dated %(date)s in this archive", date=ui.date(period.key))
            )
        calendar_cells = _calendar(request, period)
        return render(
            request,
            "browse_date.html",
            cache_control=BROWSE_CACHE,
            period=period,
            listing=listing,
            page_link=_page_link(period.url, per_page),
            calendar=calendar_cells,
            search_url=_Links(SearchParams(date_from=period.key, date_to=period.key, sort="date")).url(),
        )

    return conditional(request, BROWSE_CACHE, build, localized=True)


@dataclass(slots=True, frozen=True)
class Cell:
    """A month of a year page or a day of a month page: its label, count and page (None when empty)."""

    label: str
    count: int
    url: str | None


def _calendar(request: Request, period: Period) -> list[Cell]:
    """Every month of a year, or every day of a month, with its article count (a day page: none)."""
    if period.day is not None:
        return []
    by = "month" if period.month is None else "day"
    with pool(request).borrow() as archive:
        counts = archive.timeline("", by=by, date_from=period.key, date_to=period.key)
    ui = i18n.ui(request)
    if period.month is None:
        children = [Period(period.year, m) for m in range(1, 13)]
        labels = [ui.month(m) for m in range(1, 13)]
    else:
        days = calendar.monthrange(period.year, period.month)[1]
        children = [Period(period.year, period.month, d) for d in range(1, days + 1)]
        labels = [ui.number(d) for d in range(1, days + 1)]
    cells = []
    for child, label in zip(children, labels, strict=True):
        count = counts.get(child.key, 0)
        cells.append(Cell(label, count, child.url if count else None))
    return cells


# -- section pages ----------------------------------------------------------------------------


@router.get("/sections", response_class=HTMLResponse)
def sections_page(
    request: Request,
    name: str | None = None,
    source: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Response:
    """Every section with its count; ``?name=`` shows a section whose name cannot be a path segment."""
    if name is not None and name.strip():
        return section_page(request, name, source, page, per_page)

    def build() -> Response:
        with pool(request).borrow() as archive:
            sections = archive.overview()["by_section"]
        return render(
            request,
            "sections.html",
            cache_control=BROWSE_CACHE,
            sections={k: v for k, v in sections.items() if k and k != "unknown"},
        )

    return conditional(request, BROWSE_CACHE, build, localized=True)


@router.get("/sections/{name:path}", response_class=HTMLResponse)
def section_page(
    request: Request, name: str, source: str | None = None, page: int = 1, per_page: int = PER_PAGE
) -> Response:
    """A section's articles, newest first; ``?source=`` keeps one publisher's."""
    if not name.strip():
        return RedirectResponse("/sections", status_code=302)

    def build() -> Response:
        filters: dict[str, Any] = {"section": (name,)}
        if source:
            filters["source"] = (source,)
        listing = _listing(request, page, per_page, **filters)
        if not listing.result.total:
            raise NotFoundError(
                i18n.ui(request).gettext("no articles in a section named %(name)r", name=name)
            )
        params = SearchParams(section=(name,), source=(source,) if source else (), sort="date")
        base = name_url("/sections", name)
        return render(
            request,
            "browse_section.html",
            cache_control=BROWSE_CACHE,
            name=name,
            source=source,
            listing=listing,
            page_link=_page_link(base, per_page, {"source": source} if source else None),
            search_url=_Links(params).url(),
            feed_url=section_feed_url(name),
        )

    return conditional(request, BROWSE_CACHE, build, localized=True)


# -- last: these shapes would shadow /sections/{name} ----------------------------------------


@router.get("/{year}")
@router.get("/{year}/{month}")
@router.get("/{year}/{month}/{day}")
def date_page_redirect(
    request: Request, year: str, month: str | None = None, day: str | None = None
) -> Response:
    """A date page asked without its trailing slash; anything that is no date is a 404 here, so
    other mistyped addresses are not redirected to a slash-ended twin first. A third segment that
    is no day (``ferry-strike-0a1b2c3d``) is an article's readable permalink."""
    if month is not None and day is not None and not permalinks.is_day(day):
        return permalinks.permalink_redirect(request, year, month, day)
    target = parse_period(year, month, day).url
    if request.url.query:
        target += "?" + request.url.query
    return RedirectResponse(target, status_code=301, headers={"Cache-Control": BROWSE_CACHE})
