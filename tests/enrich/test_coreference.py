"""Pronouns, descriptions and names linked within an article and across a collection; the B³ scorer
and ECB+ reader of bench/coreference_quality.py. Every text here is fictional."""

from __future__ import annotations

import functools
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest
from spacy.language import Language

from newsarchive.enrich.coreference import (
    link_archive_names,
    link_collection,
    link_names,
    referring_mentions,
    resolve_article,
)
from newsarchive.enrich.pipeline import enrich_many
from newsarchive.model import Enrichment, Entity, Mention, Quote

BENCH = Path(__file__).resolve().parents[2] / "bench" / "coreference_quality.py"


@functools.cache
def _bench() -> ModuleType:
    """bench/ is scripts, not a package: load the scorer from its file."""
    spec = importlib.util.spec_from_file_location("coreference_quality", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def _article(
    article_id: str,
    body: str,
    names: list[tuple[str, str, str]],
    quotes: Sequence[tuple[str, str]] = (),
) -> tuple[Enrichment, str]:
    """An enrichment by hand: the (text, canonical name, type) of each name in body order, found
    after the one before; each quote is (content, speaker entity)."""
    mentions: list[Mention] = []
    entities: dict[str, Entity] = {}
    pos = 0
    for text, name, kind in names:
        start = body.index(text, pos)
        pos = start + len(text)
        label = {"PLACE": "GPE"}.get(kind, kind)
        mentions.append(Mention(article_id, start, start + len(text), text, label, name))
        entities.setdefault(name, Entity(name, kind, articles=1))
    quoted = []
    for content, speaker in quotes:
        start = body.index(content)
        quoted.append(Quote(speaker, speaker, "said", content, article_id, start, start + len(content)))
    enrichment = Enrichment(
        article_id, sorted(mentions, key=lambda m: m.start), list(entities.values()), quoted
    )
    return enrichment, body


def _keys(enrichment: Enrichment, body: str) -> dict[str, str]:
    """Word (text of the reference, with its occurrence number when repeated) -> local key."""
    keys: dict[str, str] = {}
    for r in resolve_article(enrichment, body):
        label = r.text
        n = 1
        while label in keys:
            n += 1
            label = f"{r.text}#{n}"
        keys[label] = r.key
    return keys


# --- within an article -------------------------------------------------------------------------


def test_description_beside_a_name_restates_it_and_later_the_same_words_follow() -> None:
    body = (
        "Actress Mira Solvang left the clinic on Monday. Her agent, Tom Brek, confirmed it.\n"
        "The actress thanked her fans. Brek, the 40-year-old publicist, said nothing more."
    )
    enrichment, _ = _article(
        "a",
        body,
        [
            ("Mira Solvang", "Mira Solvang", "PERSON"),
            ("Tom Brek", "Tom Brek", "PERSON"),
            ("Brek", "Tom Brek", "PERSON"),
        ],
    )
    keys = _keys(enrichment, body)
    assert keys["Actress"] == "name:Mira Solvang"
    assert keys["agent"] == "name:Tom Brek"
    assert keys["actress"] == "name:Mira Solvang"  # "The actress", two lines on
    assert keys["publicist"] == "name:Tom Brek"
    assert keys["fans"] == "description:fans"  # nothing beside it: its own words


def test_pronouns_take_the_nearest_agreeing_antecedent() -> None:
    body = (
        "Mira Solvang met Tom Brek in Oslo. She said he was late. "
        "Northwind Shipping said it would appeal. Police said they had arrested a man who fled."
    )
    enrichment, _ = _article(
        "a",
        body,
        [
            ("Mira Solvang", "Mira Solvang", "PERSON"),
            ("Tom Brek", "Tom Brek", "PERSON"),
            ("Oslo", "Oslo", "PLACE"),
            ("Northwind Shipping", "Northwind Shipping", "ORG"),
        ],
    )
    keys = _keys(enrichment, body)
    assert keys["She"] == "name:Mira Solvang"  # Tom is nearer, but a man's name
    assert keys["he"] == "name:Tom Brek"
    assert keys["it"] == "name:Northwind Shipping"  # Oslo is a place, not an organisation
    assert keys["they"] == "description:police"
    assert keys["who"] == "description:man"


def test_gender_learned_from_a_description_or_honorific() -> None:
    body = "The widow and Mr. Kell Dunmore spoke. Later she thanked him."
    enrichment, _ = _article("a", body, [("Kell Dunmore", "Kell Dunmore", "PERSON")])
    keys = _keys(enrichment, body)
    assert keys["she"] == "description:widow"  # the nearer name is a man's: Mr.
    assert keys["him"] == "name:Kell Dunmore"


def test_first_person_inside_a_quotation_is_its_speaker_and_us_is_a_country() -> None:
    body = '"I will not resign, and we will win," Tom Brek said. The US embassy said nothing.'
    enrichment, _ = _article(
        "a",
        body,
        [("Tom Brek", "Tom Brek", "PERSON"), ("US", "United States", "PLACE")],
        quotes=[("I will not resign, and we will win,", "Tom Brek")],
    )
    keys = _keys(enrichment, body)
    assert keys["I"] == "name:Tom Brek"
    assert keys["we"] == "name:Tom Brek"
    assert keys["US"] == "name:United States"  # the name, not a pronoun


def test_a_pronoun_after_a_paragraph_break_is_left_alone() -> None:
    body = "Tom Brek resigned.\n\nHe was not there."
    enrichment, _ = _article("a", body, [("Tom Brek", "Tom Brek", "PERSON")])
    assert "He" not in _keys(enrichment, body)


def test_capitalised_description_inside_a_missed_name_is_not_a_description() -> None:
    body = "She joined the Harbour Police Department. Police said little."
    enrichment, _ = _article("a", body, [])
    keys = _keys(enrichment, body)
    assert keys == {"Police": "description:police"}  # only the one starting a sentence


def test_a_definite_description_restates_the_most_named_agreeing_name_before_it() -> None:
    body = (
        "Mira Solvang left the clinic. Solvang's agent, Kit Arden, met Tom Brek at the door. "
        "On Monday the actress thanked her fans.\n"
        "Tom Brek waved. The singer smiled."
    )
    enrichment, _ = _article(
        "a",
        body,
        [
            ("Mira Solvang", "Mira Solvang", "PERSON"),
            ("Solvang", "Mira Solvang", "PERSON"),
            ("Kit Arden", "Kit Arden", "PERSON"),
            ("Tom Brek", "Tom Brek", "PERSON"),
            ("Tom Brek", "Tom Brek", "PERSON"),
        ],
    )
    keys = _keys(enrichment, body)
    # Tom Brek is nearest but a man; Kit Arden is named once, Mira Solvang twice
    assert keys["actress"] == "name:Mira Solvang"
    # "the singer" has no gender: the most named of the names in reach, Tom Brek (twice) or Mira
    # Solvang (twice), is the nearest of them
    assert keys["singer"] == "name:Tom Brek"
    assert keys["agent"] == "name:Kit Arden"  # beside a name, as before


def test_a_definite_description_keeps_its_own_key_with_no_name_it_may_restate() -> None:
    body = (
        "Inspector Dan Roe said the climber fell 600 metres.\n"
        "Tom Brek waved from the dock. The actress did not. "
        + "The weather was calm for the whole of the week before the accident, officials said. " * 5
        + "Ann Vale had stayed home. Later the driver was found."
    )
    enrichment, _ = _article(
        "a",
        body,
        [
            ("Dan Roe", "Dan Roe", "PERSON"),
            ("Tom Brek", "Tom Brek", "PERSON"),
            ("Ann Vale", "Ann Vale", "PERSON"),
        ],
    )
    keys = _keys(enrichment, body)
    assert keys["actress"] == "description:actress"  # the only name before it is a man's
    assert keys["climber"] == "description:climber"  # who speaks is not whom he speaks of
    assert keys["driver"] == "name:Ann Vale"  # the one in reach: Tom Brek is 400 characters back


def test_a_gendered_description_before_any_name_introduces_the_person_named_most_after_it() -> None:
    body = (
        "Woman hurt in crash\nA 59-year-old woman was struck by a car and a driver fled. "
        "Tom Brek saw it. Ines Okafor, 59, was taken to hospital. Okafor was later released."
    )
    enrichment, _ = _article(
        "a",
        body,
        [
            ("Tom Brek", "Tom Brek", "PERSON"),
            ("Ines Okafor", "Ines Okafor", "PERSON"),
            ("Okafor", "Ines Okafor", "PERSON"),
        ],
    )
    keys = _keys(enrichment, body)
    assert keys["Woman"] == keys["woman"] == "name:Ines Okafor"  # Tom is a man's name
    assert keys["driver"] == "description:driver"  # no gender: not guessed
    late = "Tom Brek spoke first. Then a woman waved, and Ines Okafor left."
    enrichment, _ = _article(
        "b", late, [("Tom Brek", "Tom Brek", "PERSON"), ("Ines Okafor", "Ines Okafor", "PERSON")]
    )
    assert _keys(enrichment, late)["woman"] == "description:woman"  # a person was named before it


def test_a_description_a_name_is_said_to_be_restates_it() -> None:
    body = (
        "Ines Okafor, 27, is the accused driver. Tom Brek became a reluctant witness. "
        "Ada Lind, 40, a retired nurse, waved."
    )
    enrichment, _ = _article(
        "a",
        body,
        [
            ("Ines Okafor", "Ines Okafor", "PERSON"),
            ("Tom Brek", "Tom Brek", "PERSON"),
            ("Ada Lind", "Ada Lind", "PERSON"),
        ],
    )
    keys = _keys(enrichment, body)
    assert keys["driver"] == "name:Ines Okafor"
    assert keys["witness"] == "name:Tom Brek"
    assert keys["nurse"] == "name:Ada Lind"  # an apposition after the age


def test_who_after_a_name_and_its_age_is_that_name() -> None:
    body = "Mira Solvang, 33, who starred in two films, left. Tom Brek, a man who rarely speaks, spoke."
    enrichment, _ = _article(
        "a", body, [("Mira Solvang", "Mira Solvang", "PERSON"), ("Tom Brek", "Tom Brek", "PERSON")]
    )
    keys = _keys(enrichment, body)
    assert keys["who"] == "name:Mira Solvang"
    assert keys["who#2"] == keys["man"] == "name:Tom Brek"  # "a man" beside the name, then "who"


def test_he_passes_over_a_description_of_nobody_named_whose_gender_is_unknown() -> None:
    body = "Kell Dunmore spoke to a nurse, and then he left. A widow waved as she passed."
    enrichment, _ = _article("a", body, [("Kell Dunmore", "Kell Dunmore", "PERSON")])
    keys = _keys(enrichment, body)
    assert keys["nurse"] == "description:nurse"
    assert keys["he"] == "name:Kell Dunmore"
    assert keys["she"] == "description:widow"  # a description with a gender still counts


# --- across a collection -----------------------------------------------------------------------


def test_link_names_joins_variants_and_keeps_ambiguous_surnames_apart() -> None:
    linked = link_names(
        [
            ("Mira Solvang", "PERSON"),
            ("Solvang", "ORG"),  # a lone surname the recogniser typed otherwise
            ("Mira J. Solvang", "PERSON"),
            ("Mira Solvang Checks", "PERSON"),  # a Title-Case headline run into the name
            ("Mira Solvang", "PERSON"),
            ("Arne Dahl Jr.", "PERSON"),
            ("Arne Dahl", "PERSON"),
            ("Lena Brek", "PERSON"),
            ("Tom Brek", "PERSON"),
            ("Brek", "PERSON"),
            ("Nordic Freight Union", "ORG"),
            ("NFU", "ORG"),
            ("Riverton Hawks", "ORG"),
            ("Hawks", "ORG"),
            ("Northwind Shipping Ltd.", "ORG"),
            ("Northwind", "ORG"),
            ("Northwind", "ORG"),
        ]
    )
    assert {linked[k] for k in ("mira solvang", "solvang", "mira j solvang", "mira solvang checks")} == {
        "Mira Solvang"
    }
    assert linked["arne dahl jr"] == linked["arne dahl"]
    assert linked["brek"] == "Brek"  # two full names end in it
    assert linked["lena brek"] != linked["tom brek"]
    assert linked["nfu"] == "Nordic Freight Union"
    assert linked["hawks"] == "Riverton Hawks"
    assert linked["northwind shipping ltd"] == "Northwind"  # an organisation by its most frequent name


def test_link_names_joins_a_lone_first_name_and_a_titled_name_when_unambiguous() -> None:
    linked = link_names(
        [
            ("Laine Okoro", "PERSON"),
            ("Laine", "PERSON"),  # a first name alone, no surname "Laine" in the collection
            ("Gov. Dara Quill", "PERSON"),
            ("Dara Quill", "PERSON"),
            ("Coach Venn", "PERSON"),
            ("Arlo Venn", "PERSON"),
            ("Tomas Rue", "PERSON"),
            ("Tomas Hale", "PERSON"),
            ("Tomas", "PERSON"),  # two full names begin with it
            ("Chase", "ORG"),  # not a person: a first name rule does not apply
            ("Chase Bell", "PERSON"),
        ]
    )
    assert linked["laine"] == "Laine Okoro"
    assert linked["gov dara quill"] == linked["dara quill"] == "Dara Quill"
    assert linked["coach venn"] == "Arlo Venn"
    assert linked["tomas"] == "Tomas"
    assert linked["chase"] == "Chase"


def test_link_names_joins_short_forms_of_a_first_name_and_a_firm_without_its_suffix() -> None:
    linked = link_names(
        [
            ("Samuel Okafor", "PERSON"),
            ("Sam Okafor", "PERSON"),
            ("William Dray", "PERSON"),
            ("Bill Dray", "PERSON"),
            ("Vassilios Petrakis", "PERSON"),
            ("Vassilis Petrakis", "PERSON"),  # a spelling: the first three letters agree
            ("Miles Varga", "PERSON"),
            ("Mark Varga", "PERSON"),  # brothers: one initial is not enough
            ("T. J. Lund", "PERSON"),
            ("Tony Lund", "PERSON"),  # an initial is not a short form
            ("Paul Resk", "PERSON"),
            ("Paula Resk", "PERSON"),  # one letter more is another name
            ("Michael Orme", "PERSON"),
            ("Michelle Orme", "PERSON"),  # four letters agree, the genders do not
            ("Quellby Systems Inc.", "ORG"),
            ("Quellby Systems", "ORG"),
            ("Quellby Systems Europe", "ORG"),  # another firm of the group
        ]
    )
    assert linked["sam okafor"] == linked["samuel okafor"]
    assert linked["bill dray"] == linked["william dray"]
    assert linked["vassilis petrakis"] == linked["vassilios petrakis"]
    assert linked["miles varga"] != linked["mark varga"]
    assert linked["t j lund"] != linked["tony lund"]
    assert linked["paul resk"] != linked["paula resk"]
    assert linked["michael orme"] != linked["michelle orme"]
    assert linked["quellby systems inc"] == linked["quellby systems"] == "Quellby Systems Inc."
    assert linked["quellby systems europe"] == "Quellby Systems Europe"
    firsts = ["Sam", "Samuel", "Al", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ike", "Jo", "Kit"]
    many = link_names([(f"{first} Lee", "PERSON") for first in firsts])
    assert many["sam lee"] != many["samuel lee"]  # a surname of many first names: too common to join


def test_link_collection_reads_one_report_s_description_in_another() -> None:
    first = _article(
        "a",
        "Actress Mira Solvang checked into a clinic. A man was hurt.",
        [("Mira Solvang", "Mira Solvang", "PERSON")],
    )
    second = _article(
        "b",
        "Solvang, a regular at premieres, is resting. The actress will return in May. The man is well.",
        [("Solvang", "Solvang", "PERSON")],
    )
    linked = link_collection([first, second])
    keys = {(a, r.text): r.key for a, refs in linked.items() for r in refs}
    assert keys[("a", "Actress")] == keys[("b", "actress")] == keys[("b", "Solvang")] == "entity:Mira Solvang"
    assert keys[("a", "man")] == keys[("b", "man")] == "description:man"
    apart = link_collection([first, second], link_descriptions=False)
    keys = {(a, r.text): r.key for a, refs in apart.items() for r in refs}
    assert keys[("a", "man")] != keys[("b", "man")]
    assert keys[("b", "actress")] == "entity:Mira Solvang"  # resolved descriptions still link


def test_a_name_found_in_one_report_is_found_where_the_recogniser_missed_it() -> None:
    first = _article(
        "a",
        "The Riverton Hawks beat the Larks. The Hawks said they would rest.",
        [
            ("Riverton Hawks", "Riverton Hawks", "ORG"),
            ("Larks", "Larks", "ORG"),
            ("Hawks", "Riverton Hawks", "ORG"),
        ],
    )
    second = _article(
        "b",
        "Fans of the Hawks cheered under a sign saying HAWKS WIN. Riverton was quiet.",
        [("Riverton", "Riverton", "PLACE")],
    )
    linked = link_collection([first, second])
    keys = {(r.text, r.key) for r in linked["b"]}
    assert ("Hawks", "entity:Riverton Hawks") in keys
    assert ("HAWKS", "entity:Riverton Hawks") in keys
    assert ("Riverton", "entity:Riverton") in keys  # a place of its own, not the team
    assert ("they", "entity:Riverton Hawks") in {(r.text, r.key) for r in linked["a"]}


def test_with_the_real_pipeline_a_surname_only_report_joins_the_full_name(nlp: Language) -> None:
    bodies = {
        "a": "Actress Julia Hartley checked into a clinic in Oslo on Monday, her agent said.",
        "b": "Hartley was seen leaving the clinic. She said she felt fine.",
    }
    enrichments = list(enrich_many([(k, v, None) for k, v in bodies.items()], nlp, n_process=1))
    linked = link_collection([(e, bodies[e.article_id]) for e in enrichments])
    hartley = {(a, r.text) for a, refs in linked.items() for r in refs if r.key == "entity:Julia Hartley"}
    assert {("a", "Actress"), ("a", "Julia Hartley"), ("a", "her"), ("b", "Hartley")} <= hartley


# --- what the archive stores: referring mentions, archive-wide links ----------------------------


def test_referring_mentions_are_mentions_of_the_named_entity_with_their_kind() -> None:
    body = (
        "Actress Mira Solvang left the clinic on Monday. The actress thanked her fans.\n"
        'Northwind Shipping said it would appeal. "I am fine," Solvang said.'
    )
    enrichment, _ = _article(
        "a",
        body,
        [
            ("Mira Solvang", "Mira Solvang", "PERSON"),
            ("Northwind Shipping", "Northwind Shipping", "ORG"),
            ("Solvang", "Mira Solvang", "PERSON"),
        ],
        quotes=[("I am fine,", "Mira Solvang")],
    )
    found = referring_mentions(enrichment, body)
    assert all(body[m.start : m.end] == m.text for m in found)
    assert {(m.text, m.kind, m.entity, m.label) for m in found} >= {
        ("Actress", "description", "Mira Solvang", "PERSON"),
        ("actress", "description", "Mira Solvang", "PERSON"),
        ("her", "pronoun", "Mira Solvang", "PERSON"),
        ("it", "pronoun", "Northwind Shipping", "ORG"),
        ("I", "pronoun", "Mira Solvang", "PERSON"),
    }
    assert "fans" not in {m.text for m in found}  # a description of nobody named stays out
    named = {(m.start, m.end) for m in enrichment.mentions}
    assert not any((m.start, m.end) in named for m in found)  # names are not repeated
    assert [m.start for m in found] == sorted(m.start for m in found)


def test_referring_mentions_find_again_a_name_the_recogniser_missed_in_the_article() -> None:
    body = (
        "The Riverton Hawks beat Tyler Ansel's team. Hawks fans cheered.\n"
        "Ansel scored twice. Young players watched, and young Hawks fans too. Ansel said so."
    )
    enrichment, _ = _article(
        "a",
        body,
        [
            ("Riverton Hawks", "Riverton Hawks", "ORG"),
            ("Tyler Ansel", "Tyler Ansel", "PERSON"),
            ("Ansel", "Tyler Ansel", "PERSON"),
        ],
    )
    found = referring_mentions(enrichment, body)
    names = [(m.text, m.entity, m.label, m.start) for m in found if m.kind == "name"]
    assert names == [
        ("Ansel", "Tyler Ansel", "PERSON", body.index("Ansel said")),  # as written, and a surname
    ]
    # "Hawks" is never a name written alone in this article, so it is not looked for; "Ansel
    # scored" is a mention already
    assert all(body[m.start : m.end] == m.text for m in found)
    young = _article(
        "b", "Young scored. The young are fast. Ada Young waved.", [("Ada Young", "Ada Young", "PERSON")]
    )
    assert not [m for m in referring_mentions(*young) if m.kind == "name"]  # "young" is a word here
    surname = _article(
        "d",
        "Tyler Ansel scored twice.\nAnsel's coach, Ivo Brek, and Lena Brek watched. Brek left.",
        [
            ("Tyler Ansel", "Tyler Ansel", "PERSON"),
            ("Ivo Brek", "Ivo Brek", "PERSON"),
            ("Lena Brek", "Lena Brek", "PERSON"),
        ],
    )
    again = [(m.text, m.entity) for m in referring_mentions(*surname) if m.kind == "name"]
    assert again == [("Ansel", "Tyler Ansel")]  # "Brek" is two people's surname: left alone
    team = _article(
        "c",
        "Hawks Win Again\nThe Riverton Hawks won. The Hawks said they were tired.",
        [("Riverton Hawks", "Riverton Hawks", "ORG"), ("Hawks", "Riverton Hawks", "ORG")],
    )
    headline = [(m.text, m.entity, m.start) for m in referring_mentions(*team) if m.kind == "name"]
    assert headline == [("Hawks", "Riverton Hawks", 0)]  # the headline's word, as written
    pronoun = {(m.text, m.entity) for m in referring_mentions(*team) if m.kind == "pronoun"}
    assert ("they", "Riverton Hawks") in pronoun


def test_link_archive_names_maps_every_stored_name_whatever_their_order() -> None:
    counts = [
        ("Barack Obama", "PERSON", 3),
        ("Obama", "PERSON", 5),
        ("John Q. Public", "PERSON", 1),
        ("John Public", "PERSON", 2),
        ("Michael Jordan", "PERSON", 1),
        ("Jordan", "GPE", 4),
        ("Riverton", "GPE", 1),
    ]
    linked = link_archive_names(counts)
    assert linked == link_archive_names(reversed(counts))
    assert linked["Obama"] == linked["Barack Obama"] == "Barack Obama"
    assert linked["John Public"] == linked["John Q. Public"]
    assert linked["Jordan"] == "Jordan"  # the country is not the player
    assert linked["Riverton"] == "Riverton"


def test_enrich_many_stores_pronouns_and_descriptions_as_mentions_of_their_entity(nlp: Language) -> None:
    body = (
        "Actress Julia Hartley checked into a clinic in Oslo on Monday. The actress said she felt fine.\n"
        "Her agent, Tom Reyes, said he would speak to reporters later."
    )
    (enrichment,) = enrich_many([("a", body, "2016-06-07")], nlp, n_process=1)
    kinds = {(m.text, m.kind, m.entity) for m in enrichment.mentions}
    assert ("Julia Hartley", "name", "Julia Hartley") in kinds
    assert {("actress", "description", "Julia Hartley"), ("she", "pronoun", "Julia Hartley")} <= kinds
    assert all(body[m.start : m.end] == m.text for m in enrichment.mentions)
    entities = {e.name: e for e in enrichment.entities}
    hartley = entities["Julia Hartley"]
    assert hartley.mentions == sum(
        1 for m in enrichment.mentions if m.entity == hartley.name and m.kind == "name"
    )
    assert not {"she", "The actress", "actress", "Her", "he"} & {
        a for e in entities.values() for a in e.aliases
    }
    referred = [m for m in enrichment.mentions if m.kind != "name"]
    assert referred and all(m.entity in entities for m in referred)


def test_link_archive_names_joins_first_names_and_titles_the_same_whatever_the_order() -> None:
    counts = [
        ("Laine Okoro", "PERSON", 2),
        ("Laine", "PERSON", 1),
        ("Gov. Dara Quill", "PERSON", 1),
        ("Dara Quill", "PERSON", 3),
        ("Sen. Quill", "PERSON", 1),
        ("Tomas Rue", "PERSON", 1),
        ("Tomas", "PERSON", 1),
        ("Tomas Hale", "PERSON", 1),
    ]
    linked = link_archive_names(counts)
    for shift in range(1, len(counts)):
        assert link_archive_names(counts[shift:] + counts[:shift]) == linked
    assert linked["Laine"] == "Laine Okoro"
    assert linked["Gov. Dara Quill"] == linked["Sen. Quill"] == "Dara Quill"
    assert linked["Tomas"] == "Tomas"


def test_enrich_many_ties_a_definite_description_to_the_person_named_before_it(nlp: Language) -> None:
    body = (
        "Julia Hartley checked into a clinic in Oslo on Monday, her lawyer Tom Reyes said.\n"
        "Reyes told reporters the actress would stay for a month."
    )
    (enrichment,) = enrich_many([("a", body, "2016-06-07")], nlp, n_process=1)
    kinds = {(m.text, m.kind, m.entity) for m in enrichment.mentions}
    assert ("actress", "description", "Julia Hartley") in kinds  # not Tom Reyes: a man, and speaking


# --- the bench's scorer and reader -------------------------------------------------------------


def test_b_cubed_known_answers() -> None:
    b_cubed = _bench().b_cubed
    gold = {m: ("x" if m in "abc" else "y") for m in "abcd"}
    perfect = b_cubed(gold, dict(gold))
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    alone = b_cubed(gold, {m: m for m in "abcd"})
    assert alone.precision == 1.0 and alone.recall == pytest.approx((3 * (1 / 3) + 1) / 4)
    lumped = b_cubed(gold, {m: "all" for m in "abcd"})
    assert lumped.recall == 1.0 and lumped.precision == pytest.approx((3 * 0.75 + 0.25) / 4)
    # Bagga & Baldwin's example: {1-5} {6,7} {8-12}, the last two joined in the response
    chains = {m: 0 if m <= 5 else 1 if m <= 7 else 2 for m in range(1, 13)}
    joined = b_cubed(chains, {m: 0 if m <= 5 else 1 for m in range(1, 13)})
    assert joined.recall == 1.0
    assert joined.precision == pytest.approx((5 + 2 * 2 / 7 + 5 * 5 / 7) / 12)  # 0.76
    assert joined.f1 == pytest.approx(2 * joined.precision / (joined.precision + 1))
    with pytest.raises(ValueError):
        b_cubed({"a": 1}, {"b": 1})


def test_halves_split_topics_by_number_and_score_only_their_own_mentions() -> None:
    bench = _bench()
    assert [bench.half_of(t) for t in ("1", "2", "43", "44")] == [
        "development",
        "held-out",
        "development",
        "held-out",
    ]
    documents = [bench.EcbDocument(f"{t}_1ecb", t, "Ola Vik.") for t in ("1", "2")]
    for document in documents:
        document.mentions.append(
            bench.GoldMention(
                document.name, document.topic, "1", "HUMAN_PART_PER", 0, 7, "Ola Vik", "HUM1", True
            )
        )
    keys = {(d.name, "1"): "ola vik" for d in documents}
    # one gold cluster over both topics: each half alone holds half of it, and all of its response
    assert bench.scores(documents, keys, False, True).recall == 1.0
    half = bench.scores(documents, keys, False, True, "held-out")
    assert (half.precision, half.recall) == (1.0, 1.0)
    system = bench.System("s", keys, keys, {"held-out": {}})
    assert system.keys(True, "held-out") is keys and system.keys(False, None) is keys
    assert system.keys(False, "held-out") == {} and system.keys(False, "development") is keys


def test_baseline_key_and_overlap() -> None:
    bench = _bench()
    assert bench.same_name("  the U.S.  Navy's ") == bench.same_name("the u s navy s")
    assert bench.overlapping_entity(10, 20, [(0, 12, "a"), (12, 25, "b")]) == "b"
    assert bench.overlapping_entity(10, 20, [(20, 25, "a")]) is None


_ECB_DOC = """<?xml version="1.0" encoding="UTF-8"?>
<Document doc_name="7_1ecb.xml" doc_id="DOC1">
<token t_id="1" sentence="0" number="0">Skipper</token>
<token t_id="2" sentence="0" number="1">Ola</token>
<token t_id="3" sentence="0" number="2">Vik</token>
<token t_id="4" sentence="0" number="3">docked</token>
<token t_id="5" sentence="0" number="4">.</token>
<token t_id="6" sentence="1" number="0">``</token>
<token t_id="7" sentence="1" number="1">He</token>
<token t_id="8" sentence="1" number="2">'s</token>
<token t_id="9" sentence="1" number="3">home</token>
<token t_id="10" sentence="1" number="4">,</token>
<token t_id="11" sentence="1" number="5">''</token>
<token t_id="12" sentence="1" number="6">his</token>
<token t_id="13" sentence="1" number="7">crew</token>
<token t_id="14" sentence="1" number="8">said</token>
<token t_id="15" sentence="1" number="9">.</token>
<Markables>
<HUMAN_PART_PER m_id="1"><token_anchor t_id="2"/><token_anchor t_id="3"/></HUMAN_PART_PER>
<HUMAN_PART_PER m_id="2"><token_anchor t_id="7"/></HUMAN_PART_PER>
<HUMAN_PART_PER m_id="3"><token_anchor t_id="13"/></HUMAN_PART_PER>
<ACTION_OCCURRENCE m_id="4"><token_anchor t_id="4"/></ACTION_OCCURRENCE>
<HUMAN_PART_PER m_id="9" RELATED_TO="" TAG_DESCRIPTOR="t7_vik" instance_id="HUM42" />
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="1" note="HUM42"><source m_id="1"/><source m_id="2"/><target m_id="9"/></CROSS_DOC_COREF>
</Relations>
</Document>
"""


def test_read_ecb_rebuilds_text_offsets_and_gold_clusters(tmp_path: Path) -> None:
    bench = _bench()
    (tmp_path / "ECB+" / "7").mkdir(parents=True)
    (tmp_path / "ECB+" / "7" / "7_1ecb.xml").write_text(_ECB_DOC, encoding="utf-8")
    (tmp_path / "ECB+_LREC2014").mkdir()
    (tmp_path / "ECB+_LREC2014" / "ECBplus_coreference_sentences.csv").write_text(
        "Topic,File,Sentence Number\n7,1ecb,0\n", encoding="utf-8"
    )
    [document] = bench.read_ecb(tmp_path)
    assert document.text == 'Skipper Ola Vik docked.\n"He\'s home," his crew said.'
    assert [(m.text, m.cluster, m.selected) for m in document.mentions] == [
        ("Ola Vik", "HUM42", True),
        ("He", "HUM42", False),
        ("crew", "7_1ecb:3", False),
    ]
    keys = bench.baseline_keys([document])
    assert bench.scores([document], keys, True, False).recall == pytest.approx((1 / 2 * 2 + 1) / 3)
