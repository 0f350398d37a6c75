"""Rights per source: what the public may see of a source's articles, one rule for every surface.

``full`` shows everything; ``snippet`` shows the title, the metadata and a short excerpt (search
snippets included) but no full body, captions or archived capture; ``metadata`` shows the title,
source, date, URL, section and byline and no text at all. Quotes and event evidence are a source's
words too, withheld with its body. A request carrying the server's read or write
token (``Authorization: Bearer TOKEN``) sees everything. Pages, the API, feeds and exports redact
through ``SourceRights`` so they cannot disagree; ``RightsMiddleware`` keeps a token holder's full
answers out of shared caches.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol, Self

from fastapi import Request
from starlette.exceptions import HTTPException

from newsarchive.archive import Archive
from newsarchive.errors import NotFoundError
from newsarchive.model import Article, Enrichment, EntityDetail, Event, Quote, SearchHit, SearchResult
from newsarchive.query import HiddenText
from newsarchive.web.security import ASGIApp, Message, Receive, Scope, Send

FULL, SNIPPET, METADATA = "full", "snippet", "metadata"
EXCERPT_CHARS = 280
"""Longest excerpt of a snippet-only article's body (cut at a word, then an ellipsis)."""
EVERY_OTHER_SOURCE = "*"


class ExportRowLike(Protocol):
    """An export row as this module needs it (the store's row type stays behind the archive)."""

    @property
    def source(self) -> str: ...

    @property
    def body(self) -> str: ...

    def _replace(self, **changes: Any) -> Self: ...


@dataclass(slots=True, frozen=True)
class SourceRights:
    """Each source's right, and ``default`` for the sources not named (``*`` in the setting)."""

    by_source: tuple[tuple[str, str], ...] = ()
    default: str = FULL

    @classmethod
    def of_pairs(cls, pairs: Iterable[tuple[str, str]]) -> SourceRights:
        """From ``Settings.source_rights`` (already checked there): ``*`` gives the default."""
        named = dict(pairs)
        default = named.pop(EVERY_OTHER_SOURCE, FULL)
        return cls(tuple(named.items()), default)

    @property
    def restricts(self) -> bool:
        """Whether any source shows less than its full text."""
        return self.default != FULL or any(right != FULL for _, right in self.by_source)

    def right(self, source: str | None) -> str:
        for name, right in self.by_source:
            if name == source:
                return right
        return self.default

    def article(self, article: Article) -> Article:
        """The article as the public may see it: a snippet source's body cut to an excerpt, a
        metadata source's body empty; captions withheld from both."""
        right = self.right(article.source)
        if right == FULL:
            return article
        body = excerpt(article.body) if right == SNIPPET else ""
        return replace(article, body=body, captions=[], removed=[])

    def article_json(self, article: Article) -> dict[str, Any]:
        """``Article.to_json`` of the redacted article, with its ``rights``."""
        data = self.article(article).to_json()
        data["rights"] = self.right(article.source)
        return data

    def enrichment(self, source: str | None, enrichment: Enrichment) -> Enrichment:
        """An article's enrichment: a restricted source's quotes and its events' evidence (its words)
        withheld; the names it mentions and who did what when stay, as metadata."""
        if self.right(source) == FULL:
            return enrichment
        return replace(enrichment, quotes=[], events=[_without_evidence(e) for e in enrichment.events])

    def quotes(self, archive: Archive, quotes: list[Quote]) -> list[Quote]:
        """Quotes from many articles: those of restricted sources dropped."""
        if not self.restricts:
            return quotes
        sources = _sources(archive, (q.article_id for q in quotes))
        return [q for q in quotes if self.text_allowed(sources[q.article_id])]

    def events(self, archive: Archive, events: list[Event]) -> list[Event]:
        """Events from many articles: those of restricted sources without their evidence text."""
        if not self.restricts:
            return events
        sources = _sources(archive, (e.article_id for e in events))
        return [e if self.text_allowed(sources[e.article_id]) else _without_evidence(e) for e in events]

    def entity_detail(self, archive: Archive, detail: EntityDetail) -> EntityDetail:
        if not self.restricts:
            return detail
        return replace(
            detail, quotes=self.quotes(archive, detail.quotes), events=self.events(archive, detail.events)
        )

    def hit(self, hit: SearchHit) -> SearchHit:
        """A search hit: metadata sources lose their snippet (a snippet is the excerpt it may show)."""
        if self.right(hit.source) != METADATA:
            return hit
        return replace(hit, snippet="")

    def result(self, result: SearchResult) -> SearchResult:
        if not self.restricts:
            return result
        return replace(result, hits=[self.hit(h) for h in result.hits])

    def export_row(self, row: ExportRowLike) -> ExportRowLike:
        """An export row with ``body`` and ``captions`` blank for a restricted source (the row stays,
        so the export has as many rows as matches)."""
        if self.right(row.source) == FULL:
            return row
        return row._replace(body="", captions="[]")

    def text_hidden(self) -> HiddenText | None:
        """The sources whose body text a public search must not match: the metadata-only ones
        (a snippet source shows the matching passage, so its text is searched)."""
        if self.default == METADATA:
            return HiddenText(tuple(n for n, right in self.by_source if right != METADATA), all_but=True)
        named = tuple(n for n, right in self.by_source if right == METADATA)
        return HiddenText(named) if named else None

    def text_allowed(self, source: str | None) -> bool:
        """Whether the full text (body, diffs, archived captures) of the source may be shown."""
        return self.right(source) == FULL

    def check_text(self, source: str | None, what: str) -> None:
        """403 when ``what`` (an archived capture, a diff) would show a restricted source's text."""
        if not self.text_allowed(source):
            raise HTTPException(
                403,
                f"{what} of {source or 'this source'} is not public here (rights: {self.right(source)}); "
                "the article page shows what may be shown",
            )


def _without_evidence(event: Event) -> Event:
    return replace(event, evidence_text="")


def _sources(archive: Archive, article_ids: Iterable[str]) -> dict[str, str | None]:
    """The source of each article (None for one gone since): one lookup per distinct article."""
    found: dict[str, str | None] = {}
    for article_id in dict.fromkeys(article_ids):
        try:
            found[article_id] = archive.article(article_id).source
        except NotFoundError:
            found[article_id] = None
    return found


OPEN = SourceRights()
"""No restriction: what a token holder (or a server without rights settings) sees."""


def excerpt(body: str, limit: int = EXCERPT_CHARS) -> str:
    """The body's first words up to ``limit`` characters, with an ellipsis when it goes on."""
    text = " ".join(body.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,;:.") + " …"


def public_rights(request: Request) -> SourceRights:
    """The rights this request is held to: none with a valid read or write token."""
    rights: SourceRights = request.app.state.rights
    if rights.restricts and privileged(request):
        return OPEN
    return rights


def public_filters(request: Request, filters: dict[str, Any]) -> dict[str, Any]:
    """Search filters as this request may search: without a token, the words of a query do not
    match the body of a metadata-only source, or which articles are found (and how many, per
    month, with which words) would tell what their text says."""
    hidden = public_rights(request).text_hidden()
    return filters if hidden is None else {**filters, "text_hidden": hidden}


def privileged(request: Request) -> bool:
    """Whether the request sends ``Authorization: Bearer TOKEN`` with the read or the write token."""
    return _has_token(request.headers.get("authorization"), _tokens(request.app.state))


def _tokens(state: Any) -> tuple[str, ...]:
    return tuple(t for t in (state.read_token, state.write_token) if t)


def _has_token(authorization: str | None, tokens: tuple[str, ...]) -> bool:
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return False
    offered = given.strip().encode()
    return any(hmac.compare_digest(offered, token.encode()) for token in tokens)


class RightsMiddleware:
    """With rights set, a token holder's answers are full: they must never be stored by a shared
    cache (``Cache-Control: private, no-store``), nor be answered 304 from a public copy (its
    validators are dropped), and every answer varies by ``Authorization``."""

    def __init__(self, app: ASGIApp, state: Any) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rights: SourceRights = self.state.rights
        if scope["type"] != "http" or not rights.restricts:
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers", [])
        authorization = next((v.decode("latin-1") for k, v in headers if k.lower() == b"authorization"), None)
        full = _has_token(authorization, _tokens(self.state))
        if full:
            scope = dict(scope)
            scope["headers"] = [
                (k, v) for k, v in headers if k.lower() not in (b"if-none-match", b"if-modified-since")
            ]

        async def send_marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = list(message.get("headers", []))
                if full:
                    dropped = (b"cache-control", b"etag", b"last-modified")
                    kept = [(k, v) for k, v in kept if k.lower() not in dropped]
                    kept.append((b"cache-control", b"private, no-store"))
                kept.append((b"vary", b"Authorization"))
                message["headers"] = kept
            await send(message)

        await self.app(scope, receive, send_marked)
