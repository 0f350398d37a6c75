"""A recogniser cut down to some of its labels keeps its weights: the same entities for the labels
kept, fewer moves to score, and it saves and loads as any pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import EntityRecognizer

from newsarchive.enrich.ner_labels import LabelError, keep_only_labels
from newsarchive.enrich.nlp import NEWS_NER_DIR, ModelNotInstalledError, resolve_model_name
from newsarchive.enrich.train_ner import STUDENT_LABELS

TEXT = (
    "Prime Minister Anneli Varkaus of Norway met officials of the Nordic Fisheries Council in Bergen "
    "on Monday, and the Kvaløy Shipping Group said it would move its offices to Tromsø."
)


@pytest.fixture(scope="module")
def shipped() -> Language:
    """The shipped recogniser alone (it has its own tok2vec): eighteen OntoNotes types."""
    try:
        package = resolve_model_name()
    except ModelNotInstalledError as exc:
        pytest.skip(str(exc))
    nlp = spacy.load(package)
    for name in [n for n in nlp.pipe_names if n != "ner"]:
        nlp.remove_pipe(name)
    return nlp


def _ents(nlp: Language, text: str = TEXT) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.label_) for e in nlp(text).ents]


def _recogniser(nlp: Language) -> EntityRecognizer:
    ner = nlp.get_pipe("ner")
    assert isinstance(ner, EntityRecognizer)
    return ner


def test_cut_to_the_labels_it_predicts_gives_the_same_entities_with_fewer_moves(
    shipped: Language, tmp_path: Path
) -> None:
    found = _ents(shipped)
    assert {label for _, _, label in found} >= {"PERSON", "GPE"}
    keep = ["PERSON", "GPE", "ORG", "NORP", "DATE", "LOC", "FAC"]
    cut = keep_only_labels(shipped, keep)
    assert sorted(_recogniser(cut).labels) == sorted(keep)
    assert _recogniser(cut).moves.n_moves < _recogniser(shipped).moves.n_moves / 2
    assert _ents(cut) == found
    cut.to_disk(tmp_path / "cut")
    assert _ents(spacy.load(tmp_path / "cut")) == found


def test_a_dropped_label_is_no_longer_given(shipped: Language) -> None:
    text = "The company sold 40 percent of its shares to Lindqvist Holdings for $3 million."
    labels = {label for _, _, label in _ents(shipped, text)}
    assert "PERCENT" in labels and "MONEY" in labels
    cut = keep_only_labels(shipped, [lab for lab in _recogniser(shipped).labels if lab != "PERCENT"])
    assert "PERCENT" not in {label for _, _, label in _ents(cut, text)}


def test_an_unknown_label_is_refused_by_name(shipped: Language) -> None:
    with pytest.raises(LabelError, match="PERSN"):
        keep_only_labels(shipped, ["PERSON", "PERSN"])


def test_the_shipped_news_recogniser_has_only_the_labels_it_was_taught() -> None:
    assert (NEWS_NER_DIR / "meta.json").is_file()
    assert sorted(_recogniser(spacy.load(NEWS_NER_DIR)).labels) == sorted(STUDENT_LABELS)
