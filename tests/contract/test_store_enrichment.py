"""The Store contract for enrichment on every backend: what is left to enrich, one article's
enrichment, and the archive-wide views (entities, an entity's page, events, quotes, exports)."""

from __future__ import annotations

import pytest

from newsarchive.enrich.coreference import relink_archive
from newsarchive.model import Enrichment, Entity, Event, Mention, Quote, Role, Skip
from newsarchive.store.base import ArticleDraft, EnrichmentTask, Store
from tests.contract.samples import MEETING, draft, meeting_enrichment, store_articles

AT = "2026-12-02T10:00:00Z"
LATER = "Vladimir Putin was sworn in as president again. Dmitry Medvedev became prime minister."


def _later_enrichment(article_id: str) -> Enrichment:
    """A second article: Putin again (an older and a later title), and Medvedev named in full only."""
    putin, medvedev = (0, 14), (LATER.index("Dmitry"), LATER.index("Dmitry") + len("Dmitry Medvedev"))
    return Enrichment(
        article_id,
        [
            Mention(article_id, *putin, "Vladimir Putin", "PERSON", "Vladimir Putin"),
            Mention(article_id, *medvedev, "Dmitry Medvedev", "PERSON", "Dmitry Medvedev"),
        ],
        [
            Entity(
                "Vladimir Putin",
                "PERSON",
                ["V. Putin"],
                [
                    Role("Vladimir Putin", "President", "Russia", "2018-05-07", article_id, *putin),
                    Role("Vladimir Putin", "Prime Minister", "Russia", "2008-05-08", article_id, *putin),
                ],
            ),
            Entity("Dmitry Medvedev", "PERSON", []),
            Entity("Netanyahu", "PERSON", []),  # an article that only gave the surname
        ],
        [Quote(None, None, "according to", "talks went on", article_id, 0, 5, False)],
        [],
    )


def _enriched(store: Store) -> None:
    store_articles(
        store,
        draft("a1", MEETING, published="2016-06-07", title="Netanyahu in Moscow"),
        draft("a2", LATER, published="2018-05-08"),
    )
    with store.transaction():
        store.put_enrichment(meeting_enrichment("a1"), "hash-of-" + MEETING, AT)
        store.put_enrichment(_later_enrichment("a2"), "hash-of-" + LATER, AT)


def test_one_articles_enrichment_comes_back_as_stored(store: Store) -> None:
    _enriched(store)
    written, read = meeting_enrichment("a1"), store.enrichment_of("a1")
    assert read.article_id == "a1"
    assert read.mentions == sorted(written.mentions, key=lambda m: m.start)
    assert [(e.name, e.type, e.aliases, e.mentions, e.articles) for e in read.entities] == [
        ("Benjamin Netanyahu", "PERSON", ["Bibi", "Netanyahu"], 2, 1),
        ("Vladimir Putin", "PERSON", ["Putin"], 1, 1),
        ("Moscow", "GPE", [], 1, 1),
    ]
    assert read.entities[0].roles == written.entities[0].roles
    assert read.quotes == written.quotes
    assert [e.id for e in read.events] == [
        "a1:2:STATEMENT",
        "a1:1:MEET",
    ]  # by date: a year-less date sorts first
    assert sorted(read.events, key=lambda e: e.id) == sorted(written.events, key=lambda e: e.id)
    assert store.enrichment_of("missing") == Enrichment("missing")


def test_enriching_again_replaces_the_articles_rows(store: Store) -> None:
    _enriched(store)
    with store.transaction():
        store.put_enrichment(meeting_enrichment("a1"), "hash-of-" + MEETING, AT)
        store.put_enrichment(meeting_enrichment("a1"), "hash-of-" + MEETING, AT)
    again = store.enrichment_of("a1")
    assert len(again.mentions) == 5 and len(again.quotes) == 2 and len(again.events) == 2
    assert len(list(store.iter_enrichment_rows("mentions"))) == 5 + 2


def test_pending_enrichment_follows_body_hashes_wishes_and_skips(store: Store) -> None:
    store_articles(store, draft("a1", MEETING, published="2016-06-07"), enrich=True)
    store_articles(store, draft("a2", LATER, language="en"))
    assert store.pending_enrichment(10) == [
        EnrichmentTask("a1", MEETING, "2016-06-07", "hash-of-" + MEETING, None),
        EnrichmentTask("a2", LATER, None, "hash-of-" + LATER, "en"),
    ]
    assert [p.article_id for p in store.pending_enrichment(10, wanted_only=True)] == ["a1"]
    assert [p.article_id for p in store.pending_enrichment(1)] == ["a1"]
    with store.transaction():
        store.put_enrichment(meeting_enrichment("a1"), "hash-of-" + MEETING, AT)
        store.put_skip(Skip("a2", "enrich", "hash-of-" + LATER, "model failed", AT))
    assert store.pending_enrichment(10) == []
    rewritten = MEETING.replace("Moscow", "Sochi")
    with store.transaction():
        store.replace_article(ArticleDraft(draft("a1", rewritten).article, [rewritten]))
        store.put_skip(Skip("a2", "enrich", "an older body", "model failed", AT))
    assert [p.article_id for p in store.pending_enrichment(10)] == ["a1", "a2"]
    assert store.enrichment_of("a1").mentions == []  # offsets into the old body are gone


def test_article_entities_name_each_articles_entities(store: Store) -> None:
    _enriched(store)
    assert store.article_entities(["a1", "a2", "missing"]) == {
        "a1": ["Benjamin Netanyahu", "Vladimir Putin", "Moscow"],
        "a2": ["Vladimir Putin", "Dmitry Medvedev", "Netanyahu"],
    }
    assert store.article_entities([]) == {}


def test_entities_are_listed_most_widely_seen_first_with_merged_aliases_and_a_timeline(store: Store) -> None:
    _enriched(store)
    listed = store.entities(10)
    assert [(e.name, e.articles) for e in listed] == [
        ("Vladimir Putin", 2),
        ("Benjamin Netanyahu", 1),
        ("Dmitry Medvedev", 1),
        ("Moscow", 1),
        ("Netanyahu", 1),
    ]
    putin = listed[0]
    assert (putin.type, putin.aliases, putin.mentions) == ("PERSON", ["Putin", "V. Putin"], 2)
    assert [(r.title, r.as_of, r.article_id) for r in putin.roles] == [
        ("Prime Minister", "2008-05-08", "a2"),
        ("President", "2016-06-07", "a1"),  # the earliest sighting of a title starts it
    ]
    assert [e.name for e in store.entities(2)] == ["Vladimir Putin", "Benjamin Netanyahu"]
    assert [e.name for e in store.entities(10, "GPE")] == ["Moscow"]
    assert len(store.entities(-1)) == 5


def test_a_name_resolves_to_its_entity_by_name_alias_or_surname(store: Store) -> None:
    _enriched(store)
    assert store.resolve_entity("Vladimir Putin") == "Vladimir Putin"
    assert store.resolve_entity("vladimir putin") == "Vladimir Putin"
    assert store.resolve_entity("Bibi") == "Benjamin Netanyahu"
    assert store.resolve_entity("BIBI") == "Benjamin Netanyahu"
    assert store.resolve_entity("Netanyahu") == "Benjamin Netanyahu"  # the full name wins over the bare one
    assert store.resolve_entity("Medvedev") == "Dmitry Medvedev"  # a unique surname
    assert store.resolve_entity("medvedev") == "Dmitry Medvedev"
    assert store.resolve_entity("Moscow") == "Moscow"
    assert store.resolve_entity("Kestrel") is None
    for pattern in ("%", "_", "%utin", "Vladimir_Putin"):  # a user's characters, never wildcards
        assert store.resolve_entity(pattern) is None, pattern
    assert store.find_quotes("%", 10) == []


def test_an_entitys_page_gathers_months_company_quotes_and_events(store: Store) -> None:
    _enriched(store)
    detail = store.entity_detail("putin")
    assert detail is not None
    assert detail.entity.name == "Vladimir Putin" and detail.entity.articles == 2
    assert detail.months == {"2016-06": 1, "2018-05": 1}
    assert detail.cooccurring == [
        ("Benjamin Netanyahu", 1),
        ("Dmitry Medvedev", 1),
        ("Moscow", 1),
        ("Netanyahu", 1),
    ]
    assert [q.text for q in detail.quotes] == ["talks would go on"]
    assert [e.id for e in detail.events] == ["a1:2:STATEMENT", "a1:1:MEET"]
    assert store.entity_detail("Nobody Atall") is None


def test_events_are_found_by_actor_date_and_type(store: Store) -> None:
    _enriched(store)
    assert [e.id for e in store.find_events(["vladimir putin"], None, None, [], 10)] == [
        "a1:2:STATEMENT",
        "a1:1:MEET",
    ]
    assert [
        e.id for e in store.find_events(["Benjamin Netanyahu", "Vladimir Putin"], None, None, [], 10)
    ] == [
        "a1:1:MEET"  # every actor must take part
    ]
    # a date range cannot place an event whose year is unknown; a month bound takes its whole month
    assert [e.id for e in store.find_events([], "2016-06", "2016-06", [], 10)] == ["a1:1:MEET"]
    assert [e.id for e in store.find_events([], "2016", None, [], 10)] == ["a1:1:MEET"]
    assert store.find_events([], None, "2016-05", [], 10) == []
    assert [e.id for e in store.find_events([], None, None, ["statement"], 10)] == ["a1:2:STATEMENT"]
    assert [e.id for e in store.find_events([], None, None, ["MEET", "sign"], 10)] == ["a1:1:MEET"]
    assert len(store.find_events([], None, None, [], 1)) == 1
    assert store.find_events(["Nobody"], None, None, [], 10) == []


def test_quotes_are_found_by_speaker_entity_or_the_name_as_written(store: Store) -> None:
    _enriched(store)
    by_entity = store.find_quotes("benjamin netanyahu", 10)
    assert [q.text for q in by_entity] == ["We agreed to deepen our ties,"]
    assert [q.text for q in store.find_quotes("Netanyahu", 10)] == ["We agreed to deepen our ties,"]
    assert [q.text for q in store.find_quotes("putin", 10)] == ["talks would go on"]
    assert [q.text for q in store.find_quotes(None, 10)] == [
        "We agreed to deepen our ties,",
        "talks would go on",
        "talks went on",
    ]
    assert len(store.find_quotes(None, 2)) == 2
    assert store.find_quotes("Nobody", 10) == []


def test_enrichment_rows_export_in_the_json_contract(store: Store) -> None:
    _enriched(store)
    mentions = list(store.iter_enrichment_rows("mentions"))
    assert [m["text"] for m in mentions] == [m.text for m in meeting_enrichment("a1").mentions] + [
        "Vladimir Putin",
        "Dmitry Medvedev",
    ]
    assert set(mentions[0]) == {"article_id", "start", "end", "text", "label", "entity", "kind"}
    assert {m["kind"] for m in mentions} == {"name"}
    quotes = list(store.iter_enrichment_rows("quotes"))
    assert [q["article_id"] for q in quotes] == ["a1", "a1", "a2"]
    events = list(store.iter_enrichment_rows("events"))
    assert [e["id"] for e in events] == ["a1:2:STATEMENT", "a1:1:MEET"]
    assert events[1]["evidence"]["text"] == MEETING[: MEETING.index(".") + 1]
    entities = list(store.iter_enrichment_rows("entities"))
    assert [e["name"] for e in entities][:2] == ["Vladimir Putin", "Benjamin Netanyahu"]
    assert len(entities) == 5
    with pytest.raises(ValueError):
        list(store.iter_enrichment_rows("bogus"))


def test_entity_types_of_names_in_one_call(store: Store) -> None:
    _enriched(store)
    assert store.entity_types(["Vladimir Putin", "Moscow", "Nobody", "Vladimir Putin"]) == {
        "Vladimir Putin": "PERSON",
        "Moscow": "GPE",
    }
    assert store.entity_types([]) == {}


# --- coreference: mentions by pronoun, description or speaker; names linked across articles --------

REPORT = "Actress Ann Vale left the clinic on Monday. The actress said she felt fine. He was not there."


def _referring_enrichment(article_id: str) -> Enrichment:
    """Ann Vale named once, then referred to by a description, a pronoun and as a quote's speaker."""
    vale = (REPORT.index("Ann Vale"), REPORT.index("Ann Vale") + len("Ann Vale"))
    actress = (REPORT.index("The actress"), REPORT.index("The actress") + len("The actress"))
    she = (REPORT.index("she"), REPORT.index("she") + 3)
    return Enrichment(
        article_id,
        [
            Mention(article_id, *vale, "Ann Vale", "PERSON", "Ann Vale"),
            Mention(article_id, *actress, "The actress", "PERSON", "Ann Vale", "speaker"),
            Mention(article_id, *she, "she", "PERSON", "Ann Vale", "pronoun"),
        ],
        [Entity("Ann Vale", "PERSON", [], mentions=1, articles=1)],
        [Quote("The actress", "Ann Vale", "said", "she felt fine", article_id, she[0], she[0] + 13)],
        [],
    )


def test_mentions_keep_their_kind_and_only_names_count_as_an_entitys_mentions(store: Store) -> None:
    store_articles(store, draft("a1", REPORT, published="2016-06-07"))
    with store.transaction():
        store.put_enrichment(_referring_enrichment("a1"), "hash-of-" + REPORT, AT)
    read = store.enrichment_of("a1")
    assert [(m.text, m.kind) for m in read.mentions] == [
        ("Ann Vale", "name"),
        ("The actress", "speaker"),
        ("she", "pronoun"),
    ]
    assert all(REPORT[m.start : m.end] == m.text for m in read.mentions)
    assert [(e.name, e.aliases, e.mentions) for e in read.entities] == [("Ann Vale", [], 1)]  # "she" no alias
    vale = store.entities(10)[0]
    assert (vale.name, vale.aliases, vale.mentions) == ("Ann Vale", [], 1)
    detail = store.entity_detail("Ann Vale")
    assert detail is not None and detail.months == {"2016-06": 1}
    exported = list(store.iter_enrichment_rows("mentions"))
    assert [(m["text"], m["kind"], m["entity"]) for m in exported] == [
        ("Ann Vale", "name", "Ann Vale"),
        ("The actress", "speaker", "Ann Vale"),
        ("she", "pronoun", "Ann Vale"),
    ]


PUBLIC = 'John Q. Public met the mayor. "We will rebuild," Public said.'
PUBLIC_AGAIN = "John Public visited the harbour. The mayor thanked John Public."


def _public(article_id: str, body: str, name: str, quoted: bool) -> Enrichment:
    start = body.index(name)
    quotes, events = [], []
    if quoted:
        said = body.index("Public said")
        quotes = [Quote("Public", name, "said", "We will rebuild,", article_id, body.index("We"), said - 2)]
        events = [Event(f"{article_id}:1:MEET", "MEET", name, None, None, None, "publication", article_id,
                        body[: body.index(".") + 1], 0, body.index(".") + 1)]  # fmt: skip
    return Enrichment(
        article_id,
        [Mention(article_id, start, start + len(name), name, "PERSON", name)],
        [Entity(name, "PERSON", [], mentions=1, articles=1)],
        quotes,
        events,
    )


def _linked_archive(store: Store, order: tuple[str, ...] = ("a1", "a2", "a3"), new: bool = True) -> None:
    """MEETING ("Benjamin Netanyahu"), LATER ("Netanyahu" alone), PUBLIC and PUBLIC_AGAIN, names linked."""
    if new:
        store_articles(
            store,
            draft("a1", MEETING, published="2016-06-07"),
            draft("a2", LATER, published="2018-05-08"),
            draft("p1", PUBLIC, published="2020-01-02"),
            draft("p2", PUBLIC_AGAIN, published="2020-02-03"),
        )
    enrichments = {
        "a1": meeting_enrichment("a1"),
        "a2": _later_enrichment("a2"),
        "a3": _public("p1", PUBLIC, "John Q. Public", True),
    }
    with store.transaction():
        for key in order:
            enrichment = enrichments[key]
            body = {"a1": MEETING, "a2": LATER, "a3": PUBLIC}[key]
            store.put_enrichment(enrichment, "hash-of-" + body, AT)
        store.put_enrichment(_public("p2", PUBLIC_AGAIN, "John Public", False), "hash-of-" + PUBLIC_AGAIN, AT)
    relink_archive(store)


def test_names_of_one_entity_across_articles_are_linked_whatever_the_order(store: Store) -> None:
    _linked_archive(store)
    expected = {"Netanyahu": "Benjamin Netanyahu", "John Public": "John Q. Public"}
    assert store.entity_links() == expected
    # the same names stored again in another order give the same links (recomputed from the whole set)
    with store.transaction():
        for article_id in ("a1", "a2", "p1", "p2"):
            store.delete_enrichment(article_id)
    relink_archive(store)
    assert store.entity_links() == {}
    _linked_archive(store, order=("a3", "a2", "a1"), new=False)
    assert store.entity_links() == expected


def test_an_entity_is_read_over_all_its_linked_names(store: Store) -> None:
    _linked_archive(store)
    listed = {e.name: e for e in store.entities(10)}
    assert "Netanyahu" not in listed and "John Public" not in listed
    assert (listed["Benjamin Netanyahu"].articles, listed["John Q. Public"].articles) == (2, 2)
    assert listed["John Q. Public"].aliases == ["John Public"]
    assert listed["John Q. Public"].mentions == 2
    for name in ("John Public", "john public", "John Q. Public"):
        assert store.resolve_entity(name) == "John Q. Public", name
        detail = store.entity_detail(name)
        assert detail is not None
        assert (detail.entity.name, detail.entity.articles) == ("John Q. Public", 2)
        assert detail.months == {"2020-01": 1, "2020-02": 1}
        assert [q.text for q in detail.quotes] == ["We will rebuild,"]
        assert [e.id for e in detail.events] == ["p1:1:MEET"]
    netanyahu = store.entity_detail("Netanyahu")
    assert netanyahu is not None and netanyahu.entity.articles == 2
    assert ("Vladimir Putin", 2) in netanyahu.cooccurring  # once in each of the two linked articles
    assert [e.id for e in store.find_events(["John Public"], None, None, [], 10)] == ["p1:1:MEET"]
    assert [q.text for q in store.find_quotes("John Public", 10)] == ["We will rebuild,"]


def test_links_are_replaced_when_the_archive_is_linked_again(store: Store) -> None:
    _linked_archive(store)
    with store.transaction():
        store.delete_enrichment("p1")
    relink_archive(store)
    assert store.entity_links() == {"Netanyahu": "Benjamin Netanyahu"}
    assert store.resolve_entity("John Public") == "John Public"
    store.put_entity_links({"John Public": "Somebody Never Stored", "Moscow": "Moscow"})
    assert store.entity_links() == {}  # only links between stored names are kept


def test_the_index_entity_field_adds_linked_names_and_a_changed_link_reindexes(store: Store) -> None:
    _linked_archive(store)
    assert store.article_entities(["a2", "p2"]) == {
        "a2": ["Vladimir Putin", "Dmitry Medvedev", "Netanyahu", "Benjamin Netanyahu"],
        "p2": ["John Public", "John Q. Public"],
    }
    store.mark_all_indexed()
    relink_archive(store)  # the same links: nothing to index again
    assert store.count_unindexed() == 0
    with store.transaction():
        store.delete_enrichment("p1")
    relink_archive(store)
    assert [a.id for a in store.pending_index(10)] == ["p2"]  # "John Public" is no longer linked
    assert store.article_entities(["p2"]) == {"p2": ["John Public"]}


def test_the_entity_facet_counts_each_entity_once_by_the_name_it_is_shown_by(store: Store) -> None:
    _linked_archive(store)
    assert store.article_entities_shown(["a2", "p2", "missing"]) == {
        "a2": ["Vladimir Putin", "Dmitry Medvedev", "Benjamin Netanyahu"],
        "p2": ["John Q. Public"],
    }
    assert store.article_entities_shown([]) == {}


def test_names_are_linked_again_only_after_an_enrichment_changed(store: Store) -> None:
    assert not store.entity_links_stale()  # nothing enriched, nothing to link
    _enriched(store)
    assert store.entity_links_stale()
    assert relink_archive(store, only_if_stale=True) == 1  # "Netanyahu" alone joins the full name
    assert not store.entity_links_stale()
    assert relink_archive(store, only_if_stale=True) == 0
    with store.transaction():
        store.delete_enrichment("a2")
    assert store.entity_links_stale()
    relink_archive(store, only_if_stale=True)
    assert store.entity_links() == {}
