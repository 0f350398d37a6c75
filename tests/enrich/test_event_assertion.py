"""Whether a trigger tells of something that happened (``event_assertion``), on fictional sentences
parsed by the real pipeline; the end-to-end cases (no event made) are in test_events.py."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Token

from newsarchive.enrich import event_assertion


def _token(nlp: Language, text: str, word: str) -> Token:
    return next(t for t in nlp(text) if t.text == word)


@pytest.mark.parametrize(
    ("text", "word", "happened"),
    [
        ("The Finnish premier visited Tallinn on Monday.", "visited", True),
        ("The Finnish premier did not visit Tallinn.", "visit", False),
        ("If the talks fail, Helsinki could recall its envoy.", "recall", False),
        ("The Finnish premier hopes to visit Tallinn.", "visit", False),
        ("Rumours have spread that the premier visited Tallinn.", "visited", False),
        ("Finland's planned visit to Tallinn was called off.", "visit", False),
        ("The council usually meets in Turku.", "meets", False),
        ("Were Helsinki to close the border, trade would collapse.", "close", False),
    ],
)
def test_a_trigger_is_asserted_only_when_the_sentence_says_it_happened(
    nlp: Language, text: str, word: str, happened: bool
) -> None:
    assert event_assertion.asserted(_token(nlp, text, word)) is happened


def test_a_refusal_is_asserted_when_negation_is_its_point(nlp: Language) -> None:
    token = _token(nlp, "Estonia will not accept the refugees.", "accept")
    assert not event_assertion.asserted(token)
    assert event_assertion.asserted(token, negation_ok=True)  # a REJECT is made by the refusal


@pytest.mark.parametrize(
    ("text", "word", "intended"),
    [
        ("Tallinn will send aid to the islands.", "send", True),
        ("Tallinn plans to send aid to the islands.", "send", True),
        ("Tallinn sent aid to the islands.", "sent", False),
    ],
)
def test_intended_acts_are_told_from_done_ones(nlp: Language, text: str, word: str, intended: bool) -> None:
    assert event_assertion.intended(_token(nlp, text, word)) is intended
