"""Quote rules on fictional text: direct quotes both ways round, reported speech, speaker links."""

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
    assert quote.speaker_entity == "Danish embassy"


def test_quote_marks_without_cue_are_not_quotes(nlp: Language) -> None:
    assert _quotes(nlp, "The film “A Long Winter in the North” opened on Friday.") == []
