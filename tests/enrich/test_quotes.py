"""Quote rules on fictional text: direct quotes both ways round, reported speech, learned cues,
speaker links, and the derivation of the cue lexicon."""

from __future__ import annotations

from spacy.language import Language

from newsarchive.enrich.pipeline import enrich_text
from newsarchive.model import Quote


def _quotes(nlp: Language, text: str) -> list[Quote]:
    result = enrich_text("q", text, None, nlp)
    for quote in result.quotes:
        assert text[quote.start : quote.end] == quote.text
    return result.quotes


def test_direct_quote_with_cue_after(nlp: Language) -> None:
    text = "Mayor Lena Okafor opened the bridge. “This bridge joins two towns that needed each other,” Okafor said."
    quote = next(q for q in _quotes(nlp, text) if q.direct)
    assert quote.text.startswith("This bridge joins")
    assert quote.cue == "said"
    assert quote.speaker_entity == "Lena Okafor"


def test_direct_quote_with_cue_before(nlp: Language) -> None:
    text = 'Lena Okafor told reporters: "We will build a second bridge before winter comes."'
    quote = next(q for q in _quotes(nlp, text) if q.direct)
    assert quote.speaker_entity == "Lena Okafor"
    assert quote.cue == "told"


def test_reported_speech_and_pronoun_speaker(nlp: Language) -> None:
    text = "Lena Okafor arrived late. She said that the bridge would open in spring."
    quote = next(q for q in _quotes(nlp, text) if not q.direct)
    assert quote.speaker_entity == "Lena Okafor"
    assert "the bridge would open in spring" in quote.text


def test_according_to(nlp: Language) -> None:
    text = "According to Lena Okafor, the bridge cost twelve million crowns."
    quote = next(q for q in _quotes(nlp, text))
    assert quote.speaker_entity == "Lena Okafor"
    assert "twelve million crowns" in quote.text


def test_statement_speaker_traced_to_issuer(nlp: Language) -> None:
    text = (
        "The Danish embassy in Oslo issued a statement on the fishing dispute. "
        "“Our two countries will find a fair solution together,” the statement said."
    )
    quote = next(q for q in _quotes(nlp, text) if q.direct)
    assert quote.speaker is not None and "embassy" in quote.speaker
    # the span is where this attribution names its source, as the annotation marks it
    assert text[quote.speaker_start or 0 : quote.speaker_end or 0] == "the statement"
    assert quote.speaker_entity == "Danish embassy"


def test_quote_marks_without_cue_are_not_quotes(nlp: Language) -> None:
    assert _quotes(nlp, "The film “A Long Winter in the North” opened on Friday.") == []


# --- learned cues (verbs with an object, a preposition or an infinitive), pieces and nesting ---


def test_lexicon_verb_with_object(nlp: Language) -> None:
    quote = _quotes(nlp, "Mayor Lena Okafor criticized the new toll on the northern bridge.")[0]
    assert (quote.cue, quote.speaker_entity, quote.text) == (
        "criticized",
        "Lena Okafor",
        "the new toll on the northern bridge",
    )
    assert not quote.direct


def test_lexicon_verb_with_infinitive_and_preposition(nlp: Language) -> None:
    wants = _quotes(nlp, "Mayor Lena Okafor wants to close the old ferry line before winter.")
    assert [q.text for q in wants] == ["to close the old ferry line before winter"]
    calls = _quotes(nlp, "Mayor Lena Okafor called for an inquiry into the ferry company.")
    assert [(q.cue, q.text) for q in calls] == [("called", "an inquiry into the ferry company")]


def test_addressee_is_not_content(nlp: Language) -> None:
    assert _quotes(nlp, "Mayor Lena Okafor told reporters on Monday.") == []


def test_quotation_broken_by_its_attribution_is_one_quote(nlp: Language) -> None:
    text = (
        "Mayor Lena Okafor opened the bridge. “We will finish the second bridge by May,” Okafor said. "
        "“The towns have waited long enough for it.”"
    )
    quotes = _quotes(nlp, text)
    assert len(quotes) == 1
    assert quotes[0].text.startswith("We will finish") and quotes[0].text.endswith("long enough for it.")
    assert quotes[0].speaker_entity == "Lena Okafor"


def test_a_second_quotation_with_its_own_attribution_is_a_second_quote(nlp: Language) -> None:
    text = (
        "Mayor Lena Okafor opened the bridge. “We will finish the second bridge by May,” Okafor said. "
        "“The towns have waited long enough for it,” Okafor added."
    )
    quotes = _quotes(nlp, text)
    assert [(q.cue, q.text[:12]) for q in quotes] == [("said", "We will fini"), ("added", "The towns ha")]
    assert all(q.speaker_entity == "Lena Okafor" for q in quotes)
    assert text[quotes[1].speaker_start : quotes[1].speaker_end] == "Okafor"
    assert quotes[1].speaker_start > quotes[0].speaker_start


def test_paraphrase_with_quoted_phrase_is_one_reported_quote(nlp: Language) -> None:
    text = "Mayor Lena Okafor said the ferry was “a relic of another century” and should be sold."
    quotes = _quotes(nlp, text)
    assert len(quotes) == 1 and not quotes[0].direct
    assert quotes[0].text.startswith("the ferry was") and "relic" in quotes[0].text


def test_nested_attribution_belongs_to_the_outer_one(nlp: Language) -> None:
    quotes = _quotes(nlp, "Mayor Lena Okafor said that the harbour council wants to sell the old ferry.")
    assert [(q.speaker_entity, q.text) for q in quotes] == [
        ("Lena Okafor", "that the harbour council wants to sell the old ferry")
    ]


def test_any_verb_right_after_a_broken_off_quotation_attributes_it(nlp: Language) -> None:
    text = (
        "Mayor Lena Okafor visited the harbour. “Nobody asked the fishermen what they needed,” she continued."
    )
    quote = _quotes(nlp, text)[0]
    assert quote.direct and quote.cue == "continued"
    assert text[quote.speaker_start or 0 : quote.speaker_end or 0] == "she"
    assert quote.speaker_entity == "Lena Okafor"


def test_headline_name_and_colon(nlp: Language) -> None:
    text = "Lena Okafor: The northern bridge will open in May\n\nThe mayor spoke to the harbour council on Monday."
    quote = _quotes(nlp, text)[0]
    assert quote.speaker_entity == "Lena Okafor"
    assert quote.text == "The northern bridge will open in May"


def test_live_blog_time_stamp_is_not_the_speaker(nlp: Language) -> None:
    text = "10:30 a.m.\n\nMayor Lena Okafor says the northern bridge will open in May."
    quote = _quotes(nlp, text)[0]
    assert quote.speaker_entity == "Lena Okafor"
    assert "a.m." not in (quote.speaker or "")


# --- the lexicon's derivation -------------------------------------------------------------------


def test_pronoun_speaker_is_the_earlier_subject_not_the_last_name(nlp: Language) -> None:
    quote = _quotes(nlp, "Lena Okafor met Tom Berg on Monday. She said the bridge would open in May.")[0]
    assert quote.speaker == "She"
    assert quote.speaker_entity == "Lena Okafor"


def test_adjective_and_noun_cues(nlp: Language) -> None:
    critical = _quotes(nlp, "Mayor Lena Okafor was critical of the ferry company.")
    assert [(q.cue, q.speaker_entity, q.text) for q in critical] == [
        ("critical", "Lena Okafor", "the ferry company")
    ]
    confident = _quotes(nlp, "Mayor Lena Okafor is confident that the bridge will open in May.")
    assert [q.text for q in confident] == ["that the bridge will open in May"]
    claim = _quotes(nlp, "Okafor's claim that the ferry company had lied surprised the council.")
    assert [(q.cue, q.speaker, q.text) for q in claim] == [
        ("claim", "Okafor", "that the ferry company had lied")
    ]


# --- quotation marks, quotations inside quotations, parenthetical attributions ------------------


def test_doubled_apostrophes_are_quotation_marks(nlp: Language) -> None:
    text = (
        "Mayor Lena Okafor opened the bridge. ''We waited forty years for this crossing,'' she said. "
        "''The ferry can rest now.''"
    )
    quotes = _quotes(nlp, text)
    assert len(quotes) == 1 and quotes[0].direct
    assert quotes[0].text.startswith("We waited") and quotes[0].text.endswith("rest now.")
    assert quotes[0].speaker_entity == "Lena Okafor"


def test_quotation_marks_are_paired_by_their_side() -> None:
    from newsarchive.enrich.quote_marks import quotations

    text = (
        'Okafor said "the ferry is finished" and Berg said "the bridge is late."\n\n'
        "“We will open it in May.\n\n“Nobody will remember the delay,” she said."
    )
    found = [text[q.content_start : q.content_end] for q in quotations(text)]
    assert found == [
        "the ferry is finished",
        "the bridge is late.",
        "We will open it in May.",
        "Nobody will remember the delay,",
    ]
    assert [q.closed for q in quotations(text)] == [True, True, False, True]


def test_a_speaker_inside_a_quotation_is_part_of_it(nlp: Language) -> None:
    text = (
        "Mayor Lena Okafor spoke at the harbour. “I think the ferry company misled the council "
        "for years. We believe the bridge is the answer,” Okafor said."
    )
    quotes = _quotes(nlp, text)
    assert [(q.speaker_entity, q.direct) for q in quotes] == [("Lena Okafor", True)]


def test_parenthetical_attribution(nlp: Language) -> None:
    middle = _quotes(nlp, "The old ferry line, harbour officials said, will close before the winter storms.")
    assert [(q.speaker, q.cue) for q in middle] == [("harbour officials", "said")]
    assert "will close before the winter storms" in middle[0].text
    after = _quotes(
        nlp, "The northern bridge will open in May, said Lena Okafor, the mayor of the harbour town."
    )
    assert [q.speaker_entity for q in after] == ["Lena Okafor"]
    assert after[0].text.startswith("The northern bridge will open in May")


def test_dateline_is_not_the_speaker(nlp: Language) -> None:
    text = "HARBOURTON — Mayor Lena Okafor on Monday defended her plan to close the old ferry line."
    quote = _quotes(nlp, text)[0]
    assert quote.speaker_entity == "Lena Okafor"
    assert "HARBOURTON" not in (quote.speaker or "")


def test_colon_introduces_a_quotation(nlp: Language) -> None:
    text = "Mayor Lena Okafor spoke at length. Then Okafor on the delays: “Nobody will remember them in May.”"
    quote = next(q for q in _quotes(nlp, text) if q.direct)
    assert quote.speaker_entity == "Lena Okafor"
    assert quote.text.startswith("Nobody will remember")


def test_a_spokesman_for_an_organisation_speaks_for_it(nlp: Language) -> None:
    text = (
        "The Northwind Shipping Company sold the ferry on Monday. "
        "A spokesman for Northwind Shipping Company said the sale would save jobs."
    )
    quote = _quotes(nlp, text)[0]
    assert quote.speaker == "A spokesman"
    assert quote.speaker_entity == "Northwind Shipping Company"


def test_a_that_clause_the_parser_hangs_on_a_noun_of_the_cue_is_its_content(nlp: Language) -> None:
    text = (
        "Widely expected to be the party's top donor, Tom Brek said on Monday during a press conference"
        " that he would wait until spring to decide."
    )
    doc = nlp(text)
    cue = next(t for t in doc if t.text == "said")
    assert not any(c.dep_ == "ccomp" for c in cue.children)  # the parse this repairs: a relative clause
    (quote,) = _quotes(nlp, text)
    assert text[quote.start : quote.end] == "that he would wait until spring to decide"
    assert quote.speaker_start is not None and text[quote.speaker_start : quote.speaker_end] == "Tom Brek"


def test_a_relative_clause_on_the_cues_noun_stays_one(nlp: Language) -> None:
    text = "Tom Brek said little at the conference that he had organised in Bergen."
    assert not [q for q in _quotes(nlp, text) if "he had organised" in text[q.start : q.end]]


def test_the_paragraph_before_a_quotation_is_not_its_attributions_content(nlp: Language) -> None:
    text = (
        "Union leaders also see the mayor as posing particular risks.\n\n"
        "''Anyone who talks about dividing people is a threat to this city,'' said Lena Okafor, "
        "president of the dockworkers' union, in an interview."
    )
    quotes = _quotes(nlp, text)
    assert [q.text for q in quotes if q.speaker_entity == "Lena Okafor"] == [
        "Anyone who talks about dividing people is a threat to this city,"
    ]


def test_a_speaker_described_by_age_speaks(nlp: Language) -> None:
    text = (
        "The former teacher defended her husband at the rally.\n\n"
        "“Tomas is, and always has been, a fair employer,” said the 46-year-old."
    )
    quotes = _quotes(nlp, text)
    assert [(q.speaker, q.cue) for q in quotes if q.direct] == [("the 46-year-old", "said")]


def test_a_paragraph_ending_in_a_colon_introduces_the_next_ones_quotation(nlp: Language) -> None:
    text = (
        "In 2004, Governor Lena Okafor released the following statement:\n\n"
        "“We offer our condolences to the families of the miners.”\n\nThe mine has since closed."
    )
    quotes = _quotes(nlp, text)
    assert [(q.speaker_entity, q.text[:14]) for q in quotes] == [("Lena Okafor", "We offer our c")]


def test_a_short_question_with_its_cue_is_a_quote_a_short_scare_quote_is_not(nlp: Language) -> None:
    text = "“But why?” reporter Tomas Reyes asked the mayor. She called the plan “bold” and left."
    quotes = _quotes(nlp, text)
    assert [(q.speaker, q.text) for q in quotes if q.direct] == [("reporter Tomas Reyes", "But why?")]


def test_a_verb_that_attributes_only_with_a_that_clause(nlp: Language) -> None:
    found = _quotes(
        nlp, "After a long inquiry, the harbour authority found that the pier had been built too low."
    )
    assert [(q.speaker, q.cue, q.text) for q in found] == [
        ("the harbour authority", "found", "that the pier had been built too low")
    ]
    assert _quotes(nlp, "The harbour authority found the new pier difficult to maintain in winter.") == []
    assert _quotes(nlp, "It seems that the pier had been built too low for the spring tides.") == []


def test_a_verb_that_regards_something_as_something_attributes_it(nlp: Language) -> None:
    quotes = _quotes(nlp, "Developers see golf courses as wasted space.")
    assert [(q.speaker, q.cue, q.text) for q in quotes] == [
        ("Developers", "see", "golf courses as wasted space")
    ]
    assert _quotes(nlp, "We saw the mayor as we left the harbour hall.") == []
