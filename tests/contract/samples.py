"""Small fictional records the contract tests store: articles, drafts, captures and one article's enrichment."""

from __future__ import annotations

from typing import Any

from newsarchive.model import Article, Capture, Enrichment, Entity, Event, Mention, Quote, Role
from newsarchive.store.base import ArticleDraft, Store

FERRY = "The ferry to Kestrel Island sails at noon.\nTickets are sold on board."


def article(article_id: str, body: str = FERRY, site: str = "gazette", **fields: Any) -> Article:
    """An article as extraction would hand it over; ``body_hash`` follows the body unless given."""
    fields.setdefault("source", "Harbour Gazette")
    fields.setdefault("title", f"Story {article_id}")
    fields.setdefault("body_hash", f"hash-of-{body}")
    fields.setdefault("word_count", len(body.split()))
    return Article(id=article_id, body=body, site=site, **fields)


def draft(article_id: str, body: str = FERRY, site: str = "gazette", **fields: Any) -> ArticleDraft:
    return ArticleDraft(article(article_id, body, site, **fields), body.split("\n"))


def capture(n: int, url: str | None = None, fetched_at: str | None = None, **fields: Any) -> Capture:
    """The n-th capture of a crawl: its own bytes, named by file and offset."""
    fields.setdefault("origin", f"crawl.warc.gz#{n * 1000}")
    fields.setdefault("format", "html")
    raw = f"<html><body><p>Page {n}</p></body></html>".encode()
    return Capture(raw=raw, url=url, fetched_at=fetched_at, **fields)


def store_articles(store: Store, *drafts: ArticleDraft, enrich: bool = False) -> None:
    with store.transaction():
        for d in drafts:
            store.insert_article(d, enrich=enrich)


MEETING = (
    "Prime Minister Benjamin Netanyahu met President Vladimir Putin in Moscow on June 7, 2016. "
    '"We agreed to deepen our ties," Netanyahu said. Putin said talks would go on.'
)


def meeting_enrichment(article_id: str, body: str = MEETING) -> Enrichment:
    """What the enrichment step finds in MEETING: people, a place, their roles, quotes and a meeting."""

    def span(text: str) -> tuple[int, int]:
        start = body.index(text)
        return start, start + len(text)

    bibi, putin, moscow = span("Benjamin Netanyahu"), span("Vladimir Putin"), span("Moscow")
    quote, said = span("We agreed to deepen our ties,"), span("Putin said talks would go on")
    said_by = body.index("Netanyahu said")
    mentions = [
        Mention(article_id, *putin, "Vladimir Putin", "PERSON", "Vladimir Putin"),
        Mention(article_id, *bibi, "Benjamin Netanyahu", "PERSON", "Benjamin Netanyahu"),
        Mention(article_id, *moscow, "Moscow", "GPE", "Moscow"),
        Mention(article_id, *span("June 7, 2016"), "June 7, 2016", "DATE", None),
        Mention(article_id, said_by, said_by + len("Netanyahu"), "Netanyahu", "PERSON", "Benjamin Netanyahu"),
    ]
    entities = [
        Entity(
            "Benjamin Netanyahu",
            "PERSON",
            ["Netanyahu", "Bibi", "Netanyahu"],
            [Role("Benjamin Netanyahu", "Prime Minister", "Israel", "2016-06-07", article_id, *bibi)],
        ),
        Entity(
            "Vladimir Putin",
            "PERSON",
            ["Putin"],
            [Role("Vladimir Putin", "President", "Russia", "2016-06-07", article_id, *putin)],
        ),
        Entity("Moscow", "GPE", []),
    ]
    quotes = [
        Quote("Netanyahu", "Benjamin Netanyahu", "said", body[slice(*quote)], article_id, *quote, True),
        Quote("Putin", "Vladimir Putin", "said", "talks would go on", article_id, *said, False),
    ]
    events = [
        Event(
            f"{article_id}:1:MEET", "MEET", "Benjamin Netanyahu", "Vladimir Putin", "Moscow", "2016-06-07",
            "happened", article_id, body[: body.index(".") + 1], 0, body.index(".") + 1,
        ),
        Event(
            f"{article_id}:2:STATEMENT", "STATEMENT", "Vladimir Putin", None, None, "--06-08",
            "planned", article_id, body[slice(*said)], *said,
        ),
    ]  # fmt: skip
    return Enrichment(article_id, mentions, entities, quotes, events)
