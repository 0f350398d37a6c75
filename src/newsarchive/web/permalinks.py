"""Readable permalinks, ``/{YYYY}/{MM}/{slug}-{short id}``: resolved by the id prefix and
redirected (301) to ``/articles/{id}``, the canonical address (docs/web.md says why).

The slug and the month are read but not trusted: a link made before a title was corrected or a
date re-extracted still finds its article, and one whose article was merged into an exact duplicate
finds the survivor. Only when several articles share the prefix does the month choose among them;
still several (or none) is a 404 that says what to do.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from newsarchive.errors import NotFoundError
from newsarchive.web.api import pool
from newsarchive.web.article_meta import SHORT_ID_LENGTH, parse_tail, year_month
from newsarchive.web.pages import ARTICLE_CACHE, article_url

MAX_CANDIDATES = 20
"""Articles sharing a prefix that a 404 names, at most."""


def is_day(segment: str) -> bool:
    """Whether the third segment of ``/{YYYY}/{MM}/…`` names a day (the date page), not an article."""
    return len(segment) == 2 and segment.isascii() and segment.isdigit()


def permalink_redirect(request: Request, year: str, month: str, segment: str) -> Response:
    """301 to the article a permalink names; 404 for an unknown or ambiguous id prefix."""
    tail = parse_tail(segment)
    if tail is None:
        raise NotFoundError(
            f"/{year}/{month}/{segment} is neither a date page (/YYYY/MM/DD/) nor an article permalink "
            f"(/YYYY/MM/title-words-ID, ID at least {SHORT_ID_LENGTH} hex digits of the article id)"
        )
    with pool(request).borrow() as archive:
        ids = archive.ids_with_prefix(tail.short_id, limit=MAX_CANDIDATES)
        if not ids:  # a link made before its article was merged into an exact duplicate
            ids = archive.ids_with_prefix(tail.short_id, limit=MAX_CANDIDATES, merged=True)
        articles = list({a.id: a for a in (archive.article(i) for i in ids)}.values())
    if not articles:
        raise NotFoundError(f"no article has an id starting with {tail.short_id}; the link may be mistyped")
    if len(articles) > 1:
        in_month = [a for a in articles if year_month(a.published) == (year, month)]
        if len(in_month) != 1:
            listed = ", ".join(article_url(a.id) for a in articles)
            raise NotFoundError(
                f"{len(articles)}{'+' if len(articles) == MAX_CANDIDATES else ''} articles have an id "
                f"starting with {tail.short_id}; use more digits of the id, or one of {listed}"
            )
        articles = in_month
    return RedirectResponse(
        article_url(articles[0].id), status_code=301, headers={"Cache-Control": ARTICLE_CACHE}
    )
