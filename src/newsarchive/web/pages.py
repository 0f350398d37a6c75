"""The HTML pages: server-rendered, usable without JavaScript, every archived value autoescaped.

Pages: ``/`` (overview), ``/search``, ``/articles/{id}`` (entity names linked, a side panel with
the article's entities, quotes and events, its copies elsewhere and the versions of its URL),
``/articles/{id}/diff?from=OTHER`` (what changed between two versions),
``/articles/{id}/captures/{sha256}`` (escaped text or a sandboxed sanitised view), ``/sources/{name}``, ``/entities`` and ``/entities/{name}`` (roles,
mentions per month, co-occurrences, quotes, events), ``/events`` (a timeline between actors) and
``/docs`` (the API reference rendered from the OpenAPI document, with plain GET forms to try it).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from newsarchive.dedup.versions import diff_stats
from newsarchive.errors import NotFoundError, QueryError
from newsarchive.model import EVENT_TYPES, Event
from newsarchive.research.timeline import PERIODS, Timeline
from newsarchive.web import charts, i18n
from newsarchive.web.annotate import annotate_body, entity_url, name_url, parse_span, source_url
from newsarchive.web.api import (
    ENRICHMENT_CACHE,
    ENTITY_TYPES,
    IMMUTABLE,
    MAX_COMPARE,
    MAX_RESULT_WINDOW,
    SEARCH_CACHE,
    EventParams,
    EventsQuery,
    Search,
    SearchParams,
    capture_source,
    compare_timeline,
    entity_type,
    find_events,
    pool,
    search_queries,
    version_pair,
)
from newsarchive.web.article_meta import SHORT_ID_LENGTH, page_meta
from newsarchive.web.caching import conditional
from newsarchive.web.i18n import UiLocale
from newsarchive.web.rights import FULL, public_filters, public_rights
from newsarchive.web.sanitize import (
    MAX_TEXT_VIEW_BYTES,
    capture_media_type,
    clean_capture_html,
    decode_capture,
    safe_href,
    safe_lang,
    safe_snippet,
)
from newsarchive.web.security import CAPTURE_FRAME_CSP

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
ARTICLE_CACHE = "public, max-age=300"

router = APIRouter(include_in_schema=False)


def events_url(
    actors: Iterable[str] = (),
    date_from: str | None = None,
    date_to: str | None = None,
    types: Iterable[str] = (),
) -> str:
    """``/events`` for some actors (two: the events between them), dates and types."""
    params = EventParams(tuple(actors), date_from, date_to, tuple(types))
    items = params.query_items()
    return "/events" + ("?" + urlencode(items) if items else "")


def _chart_wording(ui: i18n.UiLocale) -> charts.ChartWording:
    """A timeline chart's words in the interface's language (``%`` placeholders kept for the chart)."""
    return charts.ChartWording(
        span=ui.gettext("%(title)s: %(total)s %(unit)s from %(first)s to %(last)s"),
        per_month=ui.gettext("one bar per month"),
        per_year=ui.gettext("one bar per year"),
    )


def article_url(article_id: str) -> str:
    """The article page; the id is one path segment whatever it holds."""
    return "/articles/" + quote(article_id, safe="")


def section_url(name: str, source: str | None = None) -> str:
    """Our page for a section (of one source, when given): ``/sections/{name}`` or ``/sections?name=``."""
    url = name_url("/sections", name)
    if source:
        url += ("&" if "?" in url else "?") + urlencode({"source": source})
    return url


def section_feed_url(name: str) -> str:
    """The Atom feed of a section: ``/feeds/sections/{name}`` or ``/feeds/sections?name=``."""
    return name_url("/feeds/sections", name)


def evidence_url(article_id: str, start: int, end: int) -> str:
    """The article page with ``start:end`` of its body marked and scrolled to."""
    return f"{article_url(article_id)}?span={int(start)}-{int(end)}#evidence"


def diff_url(article_id: str, from_id: str) -> str:
    """The page of what changed from version ``from_id`` to version ``article_id``."""
    return f"{article_url(article_id)}/diff?" + urlencode({"from": from_id})


_FULL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _static_versions() -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:12] for p in STATIC_DIR.iterdir() if p.is_file()
    }


def _environment(ui: UiLocale) -> jinja2.Environment:
    """The templates in one interface language: its gettext, its date and number formats."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # as i18n.extract_template reads them
    env.install_gettext_translations(ui.translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals["ui"] = ui
    env.filters["date"] = ui.date
    env.filters["num"] = ui.number
    env.filters["moment"] = ui.moment
    versions = _static_versions()
    env.globals["static_url"] = lambda name: f"/static/{name}?v={versions.get(name, '0')}"
    env.globals["source_url"] = lambda name: source_url(name) if name else None
    env.globals["article_url"] = article_url
    env.globals["section_url"] = section_url
    env.globals["section_feed_url"] = section_feed_url
    env.globals["diff_url"] = diff_url
    env.globals["entity_url"] = entity_url
    env.globals["events_url"] = events_url
    env.globals["evidence_url"] = evidence_url
    env.filters["event_date"] = lambda date: ui.date(date, "MMM")
    env.filters["snippet"] = safe_snippet
    env.filters["lang"] = safe_lang
    env.filters["href"] = safe_href
    env.filters["paragraphs"] = lambda body: [p.strip() for p in body.split("\n\n") if p.strip()]
    env.filters["percent"] = lambda share: f"{round(float(share) * 100)}%"
    return env


_ENVS = {code: _environment(ui) for code, ui in i18n.LOCALES.items()}


def mount_static(app: FastAPI) -> None:
    app.mount("/static", _CachedStatic(directory=STATIC_DIR), name="static")


class _CachedStatic(StaticFiles):
    """Our CSS/JS; URLs carry a content hash (``?v=``) so they can be cached for a day."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response


def render(
    request: Request, template: str, status: int = 200, cache_control: str = "no-store", **context: Any
) -> Response:
    """A page in the request's interface language; with a cacheable ``cache_control`` it gets an ETag
    and answers If-None-Match with 304. Every page varies by Accept-Language and Cookie (the locale)."""
    ui = i18n.ui(request)
    page = _ENVS[ui.code].get_template(template)
    body = page.render(request=request, ui_links=i18n.switch_links(request), **context).encode("utf-8")
    headers = {"Cache-Control": cache_control, "Vary": i18n.VARY, "Content-Language": ui.code}
    if status == 200 and cache_control != "no-store":
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers["ETag"] = etag
        given = request.headers.get("if-none-match", "")
        if etag in [t.strip().removeprefix("W/") for t in given.split(",")]:
            return Response(status_code=304, headers=headers)
    response = HTMLResponse(body, status_code=status, headers=headers)
    if remember := i18n.cookie_to_set(request):
        response.set_cookie(
            i18n.COOKIE, remember, max_age=i18n.COOKIE_MAX_AGE, path="/", samesite="lax", httponly=True
        )
    return response


def error_page(request: Request, status: int, message: str) -> Response:
    ui = i18n.ui(request)
    titles = {
        400: ui.gettext("That request cannot be answered"),
        404: ui.gettext("Not found"),
        413: ui.gettext("Too large"),
        503: ui.gettext("Unavailable"),
    }
    return render(
        request,
        "error.html",
        status=status,
        status_code=status,
        title=titles.get(status, ui.gettext("Error")),
        message=message,
    )


# -- pages ------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    """Counts, the timeline, and the ways in: sources, sections, languages and years."""
    return conditional(request, "public, max-age=60", lambda: _home(request), localized=True)


def _home(request: Request) -> Response:
    with pool(request).borrow() as archive:
        stats = archive.overview()
        timeline = archive.timeline("")
        years = archive.timeline("", by="year")
    ui = i18n.ui(request)
    chart = charts.timeline_svg(
        timeline,
        _bar_link(SearchParams()),
        title=ui.gettext("Articles per month"),
        unit=(ui.gettext("article"), ui.gettext("articles")),
        wording=_chart_wording(ui),
    )
    return render(
        request,
        "home.html",
        cache_control="public, max-age=60",
        stats=stats,
        chart=chart,
        years=years,
        sections={k: v for k, v in stats["by_section"].items() if k and k != "unknown"},
        unsearchable=stats["unindexed"],
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, params: Search) -> Response:
    """One search; with several ``q`` (up to 5) or ``split=source``, their timelines compared."""
    queries = search_queries(request)
    split = request.query_params.get("split") or None
    if len(queries) > 1 or split:
        return compare_page(request, params, queries, split)
    context: dict[str, Any] = {"params": params, "links": _Links(params), "error": None}
    try:
        filters = public_filters(request, params.filters())
        with pool(request).borrow() as archive:
            result = archive.search(params.q, **filters)
            timeline = archive.timeline(params.q, **public_filters(request, params.timeline_filters()))
            context["unsearchable"] = archive.unsearchable()
    except QueryError as exc:
        context.update(error=str(exc), result=None, chart="", pages=[], about=None, about_url="")
        return render(request, "search.html", status=400, **context)
    result = public_rights(request).result(result)
    about = None
    if request.query_params.get("about") == "true" and result.total:
        with pool(request).borrow() as archive:
            about = archive.terms(
                params.q, top=20, sample=200, entities=6, **public_filters(request, params.timeline_filters())
            )
    last_page = max(1, min(-(-result.total // params.per_page), _max_page(params.per_page)))
    ui = i18n.ui(request)
    context.update(
        about=about,
        about_url=_Links(params).url() + "&about=true#about",
        result=result,
        chart=charts.timeline_svg(
            timeline,
            _bar_link(params),
            title=ui.gettext("Hits per month"),
            unit=(ui.gettext("hit"), ui.gettext("hits")),
            wording=_chart_wording(ui),
        ),
        pages=_page_numbers(params.page, last_page),
        last_page=last_page,
    )
    return render(request, "search.html", cache_control=SEARCH_CACHE, **context)


@dataclass(slots=True, frozen=True)
class CompareLine:
    """A compared query as the page's table shows it: its line's look, its totals, its top sources."""

    label: str
    colour: str
    dash: str
    matches: int
    undated: int
    search_url: str
    top_sources: list[tuple[str, int]]


def compare_page(request: Request, params: SearchParams, queries: list[str], split: str | None) -> Response:
    """Up to 5 queries (or one split by source) over time on one chart, with their totals and top
    sources; the URL holds everything, so it is the permalink."""
    by = request.query_params.get("by") or "month"
    normalize = request.query_params.get("normalize", "").lower() in ("1", "true", "on", "yes")
    context: dict[str, Any] = {
        "params": params, "queries": queries, "by": by, "normalize": normalize, "split": split or "",
        "periods": PERIODS, "max_queries": MAX_COMPARE, "error": None,
    }  # fmt: skip
    try:
        timeline = compare_timeline(request, params, queries, by, normalize, split)
        lines = _compare_lines(request, params, timeline, split)
    except QueryError as exc:
        context.update(error=str(exc), chart="", lines=[], table=[])
        return render(request, "compare.html", status=400, **context)
    periods = timeline.periods()
    series = [
        charts.Series(
            line.label,
            tuple((r.share or 0.0) if normalize else float(r.count) for r in timeline.series(line.label)),
        )
        for line in lines
    ]
    ui = i18n.ui(request)
    what = (
        ui.gettext("Share of all articles of the same sources")
        if normalize
        else ui.gettext("Matching articles")
    )
    described = "; ".join(
        ui.ngettext("%(query)s: %(num)s match", "%(query)s: %(num)s matches", line.matches, query=line.label)
        for line in lines
    )
    chart = charts.compare_svg(
        periods,
        series,
        title=ui.gettext(
            "%(what)s per %(period)s, %(first)s to %(last)s",
            what=what,
            period=ui.gettext(by),
            first=periods[0],
            last=periods[-1],
        )
        if periods
        else what,
        description=ui.gettext(
            "One line per query (%(lines)s). The same numbers are in the table below the chart.",
            lines=described,
        ),
        shares=normalize,
    )
    table = [(period, [timeline.series(line.label)[i] for line in lines]) for i, period in enumerate(periods)]
    items = [("q", q) for q in queries] + [
        (k, v) for k, v in params.query_items() if k not in ("q", "sort", "page")
    ]
    items += (
        [("by", by)]
        + ([("normalize", "true")] if normalize else [])
        + ([("split", "source")] if split else [])
    )
    context.update(
        chart=chart,
        lines=lines,
        table=table,
        permalink="/search?" + urlencode(items),
        timeline_csv="/api/timeline?" + urlencode([*items, ("format", "csv")]),
        timeline_json="/api/timeline?" + urlencode(items),
    )
    return render(request, "compare.html", cache_control=SEARCH_CACHE, **context)


def _compare_lines(
    request: Request, params: SearchParams, timeline: Timeline, split: str | None
) -> list[CompareLine]:
    lines: list[CompareLine] = []
    filters = public_filters(request, params.timeline_filters())
    with pool(request).borrow() as archive:
        for n, counted in enumerate(timeline.queries):
            if split:
                source = counted.query.rsplit(" · ", 1)[-1]
                query = params.q
                top = [(source, counted.matches)]
                link = SearchParams(**{**_search_fields(params), "q": query, "source": (source,)})
            else:
                query = counted.query
                found = archive.search(query, per_page=1, **filters)
                top = list(found.facets.get("source", {}).items())[:5]
                link = SearchParams(**{**_search_fields(params), "q": query})
            lines.append(
                CompareLine(
                    label=counted.query,
                    colour=charts.SERIES_COLOURS[n % len(charts.SERIES_COLOURS)],
                    dash=charts.SERIES_DASHES[n % len(charts.SERIES_DASHES)],
                    matches=counted.matches,
                    undated=counted.undated,
                    search_url=_Links(link).url(),
                    top_sources=top,
                )
            )
    return lines


def _search_fields(params: SearchParams) -> dict[str, Any]:
    return {f: getattr(params, f) for f in SearchParams.__dataclass_fields__}


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, span: str | None = None) -> Response:
    """The article; ``span=START-END`` marks that stretch of the body (an event's or quote's evidence).

    An id merged into another article (an exact duplicate) redirects to the one it was merged into.
    Its validators come from the archive generation, as the list pages' do: a revalidation is a
    304 without building the page, and a page built once is served from the page cache.
    """
    return conditional(
        request, ARTICLE_CACHE, lambda: _article_page(request, article_id, span), localized=True
    )


def _article_page(request: Request, article_id: str, span: str | None) -> Response:
    try:
        highlight = parse_span(span)
    except ValueError as exc:
        raise QueryError(str(exc)) from None
    with pool(request).borrow() as archive:
        article = archive.article(article_id)
        if article.id != article_id:
            # the span's offsets were into the merged text, so they are not carried over
            return RedirectResponse(
                article_url(article.id), status_code=301, headers={"Cache-Control": ARTICLE_CACHE}
            )
        copies = archive.copies(article.id)
        versions = archive.versions(article.id)
        related = archive.related(article.id)
        captures = archive.capture_infos(ref.sha256 for ref in article.captures)
        enrichment = archive.enrichment(article.id)
        short_id = archive.short_id(article.id, SHORT_ID_LENGTH)
        # the section page's neighbours: same section and source, newest first, one per story
        beside = (
            archive.neighbours(article.id, section=article.section, source=article.source)
            if article.section
            else None
        )
    rights = public_rights(request)
    right = rights.right(article.source)
    if right == FULL:
        paragraphs = annotate_body(article.body, enrichment.mentions, highlight)
    else:  # quotes, events and marked spans are the article's words: withheld with its body
        article = rights.article(article)
        paragraphs = annotate_body(article.body)
        enrichment = rights.enrichment(article.source, enrichment)
    formats = {
        sha: (c.format, capture_media_type(c.content_type, c.format), c.raw_size)
        for sha, c in captures.items()
    }
    latest = next((v for v in reversed(versions) if v.latest and v.id != article.id), None)
    # article_page's conditional() gives the answer its validators and Cache-Control: no body hash here
    return render(
        request,
        "article.html",
        article=article,
        this_copy=next((c for c in copies if c.id == article.id), None),
        other_copies=[c for c in copies if c.id != article.id],
        shown_copy=next((c for c in copies if c.representative), None),
        versions=versions if len(versions) > 1 else [],
        position={v.id: n for n, v in enumerate(versions)},
        latest=None if article.latest else latest,
        related=[rights.hit(h) for h in related],
        formats=formats,
        right=right,
        paragraphs=paragraphs,
        enrichment=enrichment,
        panel_entities=sorted(enrichment.entities, key=lambda e: (-e.mentions, e.name)),
        events=_chronological(enrichment.events),
        canonical_url=str(request.base_url).rstrip("/") + article_url(article.id),
        date_page_url=date_page_url(article.published),
        meta=page_meta(article, str(request.base_url), short_id),
        neighbours=beside,
    )


def date_page_url(published: str | None) -> str | None:
    """The date page of a publication date (``2021-03-09`` -> ``/2021/03/09/``); None when undated."""
    if published and _FULL_DATE.fullmatch(published):
        return "/" + published.replace("-", "/") + "/"
    return None


@router.get("/articles/{article_id}/diff", response_class=HTMLResponse)
def diff_page(
    request: Request, article_id: str, from_id: Annotated[str | None, Query(alias="from")] = None
) -> Response:
    """What changed, word by word, from version ``from`` to this version of the same URL."""
    with pool(request).borrow() as archive:
        new, old = version_pair(archive, article_id, from_id)
        public_rights(request).check_text(new.source, "What changed in the text")
        if (new.id, old.id) != (article_id, from_id):  # a merged id: the page of the survivors
            return RedirectResponse(
                diff_url(new.id, old.id), status_code=301, headers={"Cache-Control": ARTICLE_CACHE}
            )
        parts = archive.version_diff(new.id, old.id)
        versions = archive.versions(new.id)
    added, removed = diff_stats(parts)
    number = {v.id: n for n, v in enumerate(versions, 1)}
    return render(
        request,
        "diff.html",
        cache_control=ARTICLE_CACHE,
        new=new,
        old=old,
        parts=parts,
        added=added,
        removed=removed,
        count=len(versions),
        number=number,
        backwards=number.get(old.id, 0) > number.get(new.id, 0),
    )


@router.get("/articles/{article_id}/captures/{sha256}", response_class=HTMLResponse)
def capture_page(request: Request, article_id: str, sha256: str, view: str = "text") -> Response:
    if view not in ("text", "html"):
        raise QueryError(f"view must be 'text' (escaped source) or 'html' (sanitised page), not {view!r}")
    with pool(request).borrow() as archive:
        article = archive.article(article_id)
        capture = archive.capture(sha256)
    public_rights(request).check_text(article.source, "The archived capture")
    if sha256 not in {ref.sha256 for ref in article.captures}:
        if capture.article_id:
            target = f"/articles/{quote(capture.article_id, safe='')}/captures/{sha256}"
            return RedirectResponse(target + ("?view=html" if view == "html" else ""), status_code=301)
        raise QueryError(f"capture {sha256} is not one of article {article_id}'s captures")
    ref = next(r for r in article.captures if r.sha256 == sha256)
    media_type = capture_media_type(capture.content_type, capture.format)
    is_html = capture.format == "html"
    text = None
    truncated = False
    if view == "text" or not is_html:
        text = decode_capture(capture.raw[:MAX_TEXT_VIEW_BYTES], capture.content_type)
        truncated = len(capture.raw) > MAX_TEXT_VIEW_BYTES
    return render(
        request,
        "capture.html",
        cache_control=IMMUTABLE,
        article=article,
        ref=ref,
        capture=capture,
        media_type=media_type,
        view=view if is_html else "text",
        is_html=is_html,
        text=text,
        truncated=truncated,
        size=len(capture.raw),
    )


@router.get("/articles/{article_id}/captures/{sha256}/frame")
def capture_frame(request: Request, article_id: str, sha256: str) -> Response:
    """The sanitised archived page, for the sandboxed iframe of the capture page only."""
    etag = f'"frame-{sha256}"'
    headers = {
        "Content-Security-Policy": CAPTURE_FRAME_CSP,
        "X-Frame-Options": "SAMEORIGIN",
        "Cache-Control": IMMUTABLE,
        "ETag": etag,
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    with pool(request).borrow() as archive:
        capture = archive.capture(sha256)
        rights = public_rights(request)
        if rights.restricts:
            rights.check_text(capture_source(archive, capture.article_id), "The archived capture")
    if capture.format != "html":
        raise QueryError(f"capture {sha256} is {capture.format}, not HTML; view it as text")
    cleaned = clean_capture_html(capture.raw, capture.content_type)
    return HTMLResponse(cleaned, headers=headers)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, name: str | None = None) -> Response:
    """``?name=`` shows a source whose name cannot be a path segment; without it, the start page lists them."""
    if name is not None and name.strip():
        return source_page(request, name)
    return RedirectResponse("/", status_code=302)


@router.get("/sources/{name:path}", response_class=HTMLResponse)
def source_page(request: Request, name: str) -> Response:
    with pool(request).borrow() as archive:
        summary = archive.source(name)
    params = SearchParams(source=(name,), sort="date")
    ui = i18n.ui(request)
    chart = charts.timeline_svg(
        summary.months,
        _bar_link(params),
        title=ui.gettext("Articles per month from %(source)s", source=name),
        unit=(ui.gettext("article"), ui.gettext("articles")),
        wording=_chart_wording(ui),
    )
    return render(
        request,
        "source.html",
        cache_control="public, max-age=60",
        summary=summary,
        chart=chart,
        links=_Links(params),
    )


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request, type: str | None = None, top: int = 100, name: str | None = None
) -> Response:
    """The most mentioned entities; ``?name=`` shows one entity whose name cannot be a path segment."""
    if name is not None and name.strip():
        return entity_page(request, name)
    wanted = entity_type(type)
    if not 1 <= top <= 1000:
        raise QueryError(f"top must be between 1 and 1000, not {top}")
    with pool(request).borrow() as archive:
        entities = archive.entities(top, wanted)
    return render(
        request,
        "entities.html",
        cache_control=ENRICHMENT_CACHE,
        entities=entities,
        types=ENTITY_TYPES,
        wanted=wanted,
        top=top,
    )


@router.get("/entities/{name:path}", response_class=HTMLResponse)
def entity_page(request: Request, name: str) -> Response:
    """One entity; an alias or another spelling redirects to the canonical name's page."""
    with pool(request).borrow() as archive:
        detail = public_rights(request).entity_detail(archive, archive.entity(name))
    entity = detail.entity
    if entity.name != name:
        return RedirectResponse(entity_url(entity.name), status_code=302)
    search = SearchParams(entity=(entity.name,), sort="date")
    chart = charts.timeline_svg(
        detail.months,
        _bar_link(search),
        title=i18n.ui(request).gettext("Mentions of %(name)s per month", name=entity.name),
        unit=(i18n.ui(request).gettext("mention"), i18n.ui(request).gettext("mentions")),
        wording=_chart_wording(i18n.ui(request)),
    )
    return render(
        request,
        "entity.html",
        cache_control=ENRICHMENT_CACHE,
        entity=entity,
        detail=detail,
        chart=chart,
        search_url="/search?" + urlencode(search.query_items()),
        events=_chronological(detail.events),
    )


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, params: EventsQuery) -> Response:
    """Events between actors (or all), in date order, with a month-by-month timeline."""
    unknown: list[str] = []
    resolved: list[str] = []
    with pool(request).borrow() as archive:
        for actor in params.actors:
            try:
                resolved.append(archive.entity(actor).entity.name)
            except NotFoundError:
                unknown.append(actor)
                resolved.append(actor)
        found = public_rights(request).events(archive, find_events(archive, params))
        suggestions = [e.name for e in archive.entities(50)]
    events = _chronological(found)
    months: dict[str, int] = {}
    for event in events:
        if event.date and len(event.date) >= 7 and event.date[:1].isdigit():
            months[event.date[:7]] = months.get(event.date[:7], 0) + 1
    placed = sum(months.values())

    def bar_link(label: str) -> str:
        return events_url(params.actors, label, label, params.types)

    ui = i18n.ui(request)
    title = ui.gettext("Events per month")
    if len(resolved) > 1:
        title = ui.gettext("Events per month between %(actors)s", actors=ui.gettext(" and ").join(resolved))
    chart = charts.timeline_svg(
        months,
        bar_link,
        title=title,
        unit=(ui.gettext("event"), ui.gettext("events")),
        wording=_chart_wording(ui),
    )
    return render(
        request,
        "events.html",
        cache_control=ENRICHMENT_CACHE,
        params=params,
        actors=resolved,
        unknown=unknown,
        events=events,
        chart=chart,
        unplaced=len(events) - placed,
        types=EVENT_TYPES,
        suggestions=suggestions,
        limit_reached=len(found) >= params.limit,
        clear_dates=events_url(params.actors, None, None, params.types),
    )


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> Response:
    """The API reference from /openapi.json, with GET forms that work without script."""
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [p for p in op.get("parameters", []) if p.get("in") == "query"]
            endpoints.append(
                {
                    "path": path,
                    "method": method.upper(),
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "path_params": [p for p in op.get("parameters", []) if p.get("in") == "path"],
                    "try": method == "get" and "{" not in path,
                    "responses": sorted(op.get("responses", {}).keys()),
                }
            )
    return render(request, "docs.html", cache_control="public, max-age=300", spec=spec, endpoints=endpoints)


# -- helpers ----------------------------------------------------------------------------------


class _Links:
    """URLs for the search page's links: facets on/off, sort, pages (all plain GET links)."""

    def __init__(self, params: SearchParams) -> None:
        self.params = params

    def url(self, **changes: Any) -> str:
        return "/search?" + urlencode(self.params.query_items(**changes))

    def page(self, number: int) -> str:
        return self.url(page=number)

    def sort(self, sort: str) -> str:
        return self.url(sort=sort, page=1)

    def facet(self, name: str, value: str) -> str | None:
        """Toggle a facet value: add it to the filter, or remove it when already applied (None: not a filter)."""
        if name == "year":
            if self.params.date_from == value and self.params.date_to == value:
                return self.url(**{"from": "", "to": "", "page": 1})
            return self.url(**{"from": value, "to": value, "page": 1})
        if name == "entity":
            clause = entity_clause(value)
            if clause in self.params.q:  # a bookmarked search that wrote the entity into the query
                return self.url(q=" ".join(self.params.q.replace(clause, " ").split()), page=1)
        key = _FILTER_PARAMS.get(name)
        if key is None:
            return None
        current: tuple[str, ...] = getattr(self.params, key)
        chosen = tuple(v for v in current if v != value) if value in current else (*current, value)
        return self.url(**{key: chosen, "page": 1})

    def active(self, name: str, value: str) -> bool:
        if name == "year":
            return self.params.date_from == value and self.params.date_to == value
        if name == "entity" and entity_clause(value) in self.params.q:
            return True
        key = _FILTER_PARAMS.get(name)
        return key is not None and value in getattr(self.params, key)

    def clear(self, name: str) -> str:
        if name in ("from", "to"):
            return self.url(**{name: "", "page": 1})
        return self.url(**{name: (), "page": 1})


_FILTER_PARAMS = {"source": "source", "section": "section", "language": "lang", "entity": "entity"}


def entity_clause(name: str) -> str:
    """The query clause searches used to filter by entity before ``entity=`` (still found in old links)."""
    return 'entity:"' + name.replace('"', " ").replace("\\", " ") + '"'


def _bar_link(params: SearchParams) -> Any:
    links = _Links(params)

    def link(label: str) -> str:
        low, high = charts.month_range(label)
        return links.url(**{"from": low, "to": high, "page": 1})

    return link


def _max_page(per_page: int) -> int:
    return max(1, MAX_RESULT_WINDOW // max(per_page, 1))


def _page_numbers(current: int, last: int) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20: None marks a gap."""
    wanted = {1, last, *range(current - 2, current + 3)}
    numbers = sorted(n for n in wanted if 1 <= n <= last)
    out: list[int | None] = []
    previous = 0
    for n in numbers:
        if previous and n - previous > 1:
            out.append(None)
        out.append(n)
        previous = n
    return out


def _chronological(events: Iterable[Event]) -> list[Event]:
    """Dated events first in date order, then those whose year is unknown, then undated ones."""

    def key(event: Event) -> tuple[int, str, str]:
        date = event.date or ""
        rank = 0 if date[:1].isdigit() else 1 if date.startswith("--") else 2
        return rank, date, event.id

    return sorted(events, key=key)
