"""Event rules on fictional sentences: every type, arguments from the parse, dates and status."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsarchive.enrich.events import EVENT_TYPES
from newsarchive.enrich.pipeline import enrich_text
from newsarchive.model import Event


def _events(nlp: Language, text: str, published: str | None = "2021-05-12") -> list[Event]:
    return enrich_text("t", text, published, nlp).events


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Prime Minister Ola Brandvik met Chancellor Ingrid Moe in Oslo.", "MEET"),
        ("Ola Brandvik will visit Portugal next week.", "VISIT"),
        ("Ola Brandvik held a telephone conversation with Ingrid Moe.", "CONSULT"),
        ("Norway and Sweden agreed to share fishing data.", "AGREE"),
        ("Norway and Sweden signed a border treaty in Oslo.", "SIGN"),
        ("Norway negotiated with Sweden over fishing quotas.", "NEGOTIATE"),
        ("The Norwegian government announced new fishing rules.", "STATEMENT"),
        ("Ingrid Moe demanded the release of the fishermen by Sweden.", "DEMAND"),
        ("Sweden warned Norway against closing the border.", "THREATEN"),
        ("Ingrid Moe condemned Norway for the new quotas.", "CRITICISE"),
        ("Sweden backed Norway in the dispute.", "SUPPORT"),
        ("Sweden donated food to Norway after the storm.", "AID"),
        ("The European Union imposed sanctions on Norway.", "SANCTION"),
        ("Rebels attacked a Norwegian convoy near Tromsø.", "ATTACK"),
        ("Police arrested Ola Brandvik in Bergen on Monday.", "ARREST"),
        ("Thousands of fishermen protested against Norway in Bergen.", "PROTEST"),
        ("Ola Brandvik appointed Ingrid Moe as finance minister.", "APPOINT"),
    ],
)
def test_each_event_type_from_a_fictional_sentence(nlp: Language, sentence: str, kind: str) -> None:
    assert kind in EVENT_TYPES
    found = [e.type for e in _events(nlp, sentence)]
    assert kind in found, f"{kind} not in {found} for {sentence!r}"


def test_visit_arguments_date_and_planned_status(nlp: Language) -> None:
    text = "Officials said that the Norwegian Prime Minister Ola Brandvik will visit Portugal on June 3."
    visit = next(e for e in _events(nlp, text) if e.type == "VISIT")
    assert visit.source == "Ola Brandvik"
    assert visit.target == "Portugal"
    assert visit.location == "Portugal"
    assert visit.date == "2021-06-03"
    assert visit.date_status == "planned"
    assert text[visit.start : visit.end] == visit.evidence_text


def test_partial_date_without_publication_year(nlp: Language) -> None:
    visit = next(
        e for e in _events(nlp, "Ola Brandvik will visit Portugal on June 3.", None) if e.type == "VISIT"
    )
    assert visit.date == "--06-03"
    assert visit.date_status == "planned"


def test_past_event_on_weekday_happened(nlp: Language) -> None:
    event = next(
        e for e in _events(nlp, "Police arrested Ola Brandvik in Bergen on Monday.") if e.type == "ARREST"
    )
    assert event.date == "2021-05-10"
    assert event.date_status == "happened"
    assert event.target == "Ola Brandvik"


def test_undated_event_carries_publication_date(nlp: Language) -> None:
    event = next(e for e in _events(nlp, "Sweden backed Norway in the dispute.") if e.type == "SUPPORT")
    assert (event.date, event.date_status) == ("2021-05-12", "publication")
    assert (event.source, event.target) == ("Sweden", "Norway")


def test_between_phrase_and_capital_as_actor(nlp: Language) -> None:
    text = "There were three telephone conversations between Ola Brandvik and Ingrid Moe last month."
    call = next(e for e in _events(nlp, text) if e.type == "CONSULT")
    assert {call.source, call.target} == {"Ola Brandvik", "Ingrid Moe"}
    assert call.date == "2021-04"
    warn = next(e for e in _events(nlp, "Moscow warned Oslo against the plan.") if e.type == "THREATEN")
    assert (warn.source, warn.target) == ("Russia", "Oslo")


def test_event_ids_are_stable(nlp: Language) -> None:
    text = "Sweden backed Norway in the dispute."
    assert [e.id for e in _events(nlp, text)] == [e.id for e in _events(nlp, text)]


@pytest.mark.parametrize(
    ("sentence", "allowed"),
    [
        ("Chancellor Ingrid Moe did not meet the Swedish delegation.", set()),
        ("If Sweden attacks Norway, Denmark will ask for help.", set()),
        ("Norway could sanction Sweden over the quotas, a minister said.", set()),
        ("Ola Brandvik cancelled his visit to Stockholm.", set()),
        ("Norway and Sweden failed to agree on the quotas.", set()),
        ("Ola Brandvik met Ingrid Moe in Oslo to discuss the storm in Bergen.", {"MEET"}),
        ("Sweden threatened to attack Norwegian trawlers.", {"THREATEN"}),
        ("Ingrid Moe criticised the sanctions imposed by the European Union.", {"CRITICISE"}),
        ("Sweden rejected a plan to sanction Norway.", {"REJECT"}),
        ("The summit venue was chosen for its views of the fjord.", set()),
        ("Nordlys Air flies from Oslo to Tromso twice a week.", set()),
        ("Ola Brandvik visits the Bergen shipyard every spring.", set()),
        ("Norwegian and Swedish envoys usually meet in Stockholm.", set()),
    ],
)
def test_no_event_from_negations_hypotheticals_purposes_or_talk_about_one(
    nlp: Language, sentence: str, allowed: set[str]
) -> None:
    assert {e.type for e in _events(nlp, sentence)} <= allowed


def test_meeting_location_is_where_it_happened(nlp: Language) -> None:
    (meeting,) = _events(nlp, "Ola Brandvik met Ingrid Moe in Oslo to discuss the storm in Bergen.")
    assert meeting.type == "MEET" and meeting.location == "Oslo"


def test_later_mention_of_an_event_is_merged_into_it(nlp: Language) -> None:
    text = "Ola Brandvik will visit Portugal on June 3. Brandvik's visit will focus on trade."
    visits = [e for e in _events(nlp, text) if e.type == "VISIT"]
    assert [(e.source, e.target, e.date) for e in visits] == [("Ola Brandvik", "Portugal", "2021-06-03")]


def test_pronoun_subject_of_a_reported_clause_is_the_reporter(nlp: Language) -> None:
    (expelled,) = _events(nlp, "Norway said it had expelled two Swedish diplomats.")
    assert expelled.type == "SANCTION" and expelled.source == "Norway"
