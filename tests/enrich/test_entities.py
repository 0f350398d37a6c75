"""Mentions and canonical entities: surnames, titles, demonyms, and merging across articles."""

from __future__ import annotations

from spacy.language import Language

from newsarchive.enrich.entities import (
    country_of,
    extract_mentions,
    merge_entities,
    normalise,
    relabel_titled,
)
from newsarchive.enrich.pipeline import enrich_text
from newsarchive.model import Entity, Role


def test_surname_mentions_resolve_to_full_name(nlp: Language) -> None:
    text = (
        "Brazilian President Marta Quintela spoke in Lisbon. Later, Quintela's aides left. Quintela smiled."
    )
    result = enrich_text("e", text, None, nlp)
    people = {e.name: e for e in result.entities if e.type == "PERSON"}
    assert list(people) == ["Marta Quintela"]
    assert people["Marta Quintela"].mentions == 3
    linked = [m for m in result.mentions if m.entity == "Marta Quintela"]
    assert all(text[m.start : m.end] == m.text for m in linked)
    assert {m.label for m in linked} == {"PERSON"}


def test_demonym_links_to_country(nlp: Language) -> None:
    result = enrich_text("e", "Israeli officials met Brazilian diplomats in Brazil.", None, nlp)
    names = {e.name for e in result.entities}
    assert {"Israel", "Brazil"} <= names
    assert all(m.entity != "Israeli" for m in result.mentions)


def test_normalise_and_country_of() -> None:
    assert normalise("the Putin’s") == normalise("Putin")
    assert normalise("Élysée") == "elysee"
    assert country_of("Israeli") == "Israel"
    assert country_of("Russians") == "Russia"
    assert country_of("U.S.") == "United States"
    assert country_of("Blue") is None


def test_merge_across_articles() -> None:
    role = Role("Vladimir Putin", "President", "Russia", "2016-10-20", "a1", 0, 10)
    merged = merge_entities(
        [
            Entity("Vladimir Putin", "PERSON", ["Putin"], [role], mentions=3, articles=1),
            Entity("Putin", "PERSON", [], [], mentions=2, articles=1),
            Entity("vladimir putin", "PERSON", [], [], mentions=1, articles=1),
            Entity("Russia", "PLACE", ["Russian"], [], mentions=4, articles=1),
        ]
    )
    putin = next(e for e in merged if e.type == "PERSON")
    assert len([e for e in merged if e.type == "PERSON"]) == 1
    assert (putin.mentions, putin.articles) == (6, 3)
    assert putin.roles == [role]


def test_ambiguous_surname_is_not_merged() -> None:
    merged = merge_entities(
        [Entity("George Bush", "PERSON", mentions=1, articles=1), Entity("Jeb Bush", "PERSON", mentions=1, articles=1),
         Entity("Bush", "PERSON", mentions=1, articles=1)]
    )  # fmt: skip
    assert {e.name for e in merged} == {"George Bush", "Jeb Bush", "Bush"}


def test_a_capitalised_title_before_a_name_makes_it_a_person() -> None:
    import spacy
    from spacy.tokens import Span

    blank = spacy.blank("en")
    doc = blank("Swedish PM Karin Lund met the Harbour Council and the state Varnia Port in Oslo")
    doc.ents = [
        Span(doc, 2, 4, "GPE"),
        Span(doc, 6, 8, "ORG"),
        Span(doc, 11, 13, "FAC"),
        Span(doc, 14, 15, "GPE"),
    ]
    relabel_titled(doc)
    labels = {m.text: m.label for m in extract_mentions(doc, 0, "t")}
    assert labels == {"Karin Lund": "PERSON", "Harbour Council": "ORG", "Varnia Port": "FAC", "Oslo": "GPE"}
