"""The teacher of the news NER: the CoNLL model's names first, the shipped model filling in around them."""

from __future__ import annotations

import spacy
from spacy.tokens import Span

from newsarchive.enrich.ner_teacher import merge_entities


def test_merge_prefers_a_finer_label_of_the_same_kind() -> None:
    blank = spacy.blank("en")
    doc = blank("German troops left the Alps on Friday")
    shipped = [
        Span(doc, 0, 1, "NORP"),
        Span(doc, 4, 5, "LOC"),
        Span(doc, 6, 7, "DATE"),
        Span(doc, 1, 2, "ORG"),
    ]
    conll = [Span(doc, 0, 1, "MISC"), Span(doc, 4, 5, "LOC")]
    merged = [(e.text, e.label_) for e in merge_entities(doc, shipped, conll)]
    # the shipped ORG guess "troops" overlaps no CoNLL entity, so it fills in
    assert merged == [("German", "NORP"), ("troops", "ORG"), ("Alps", "LOC"), ("Friday", "DATE")]
    overlapped = [Span(doc, 3, 5, "ORG"), Span(doc, 6, 7, "EVENT")]
    assert [(e.text, e.label_) for e in merge_entities(doc, overlapped, conll)] == [
        ("German", "MISC"),
        ("Alps", "GPE"),
    ]
    alone = [Span(doc, 4, 5, "LOC"), Span(doc, 0, 1, "MISC")]
    assert [(e.text, e.label_) for e in merge_entities(doc, [], alone)] == [
        ("German", "MISC"),
        ("Alps", "GPE"),
    ]
