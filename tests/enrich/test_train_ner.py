"""Training data for the news NER: CoNLL's IOB1 read right, case copies keep their gold spans.

The training run itself is `make train-ner` (both stages, about an hour); a short run on our own
CoNLL-style fixture checks that both stages start, learn and write a pipeline that loads, and the
student's data are checked on their own: gold names kept, the shipped model's values beside them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.training import Example

from newsarchive.enrich.nlp import ModelNotInstalledError, resolve_model_name
from newsarchive.enrich.train_ner import (
    MODEL_CARD,
    TEACHER_TO_STUDENT,
    case_augmenter,
    conll_with_values,
    iob1_spans,
    read_conll,
    silver_docs,
    to_docbin,
    train,
)


@pytest.fixture(scope="module")
def shipped() -> Language:
    """The shipped pipeline with its own recogniser (not the news NER that load_nlp puts in its place)."""
    try:
        return spacy.load(resolve_model_name())
    except ModelNotInstalledError as exc:
        pytest.skip(str(exc))


FIXTURE = """-DOCSTART- -X- O O

Talks NNS I-NP O
between IN I-PP O
Varnia NNP I-NP I-LOC
and CC O O
Ostrel NNP I-NP I-LOC
resumed VBD I-VP O
in IN I-PP O
Pellan NNP I-NP I-LOC
. . O O

Mira NNP I-NP I-PER
Solvik NNP I-NP I-PER
of IN I-PP O
the DT I-NP O
Harbour NNP I-NP I-ORG
Council NNP I-NP I-ORG
said VBD I-VP O
. . O O

-DOCSTART- -X- O O

Deputies NNS I-NP O
Anka NNP I-NP I-PER
Berit NNP I-NP B-PER
Oslund NNP I-NP I-PER
spoke VBD I-VP O
. . O O
"""


def _fixture(tmp_path: Path) -> Path:
    path = tmp_path / "mini.conll"
    path.write_text(FIXTURE, encoding="utf-8")
    return path


def test_iob1_b_tag_starts_a_second_entity_of_the_same_type() -> None:
    assert iob1_spans(["O", "I-PER", "B-PER", "I-PER", "O"]) == [(1, 2, "PER"), (2, 4, "PER")]
    assert iob1_spans(["I-ORG", "I-ORG", "I-LOC"]) == [(0, 2, "ORG"), (2, 3, "LOC")]
    assert iob1_spans(["O", "O"]) == []


def test_read_conll_splits_documents_and_sentences(tmp_path: Path) -> None:
    documents = list(read_conll(_fixture(tmp_path)))
    assert [len(d) for d in documents] == [2, 1]
    words, tags = documents[1][0]
    assert words[:3] == ["Deputies", "Anka", "Berit"] and tags[2] == "B-PER"


def test_docbin_keeps_every_gold_entity_and_sentence_start(tmp_path: Path) -> None:
    blank = spacy.blank("en")
    docs = list(to_docbin(_fixture(tmp_path), blank).get_docs(blank.vocab))
    assert [(e.text, e.label_) for e in docs[0].ents] == [
        ("Varnia", "LOC"),
        ("Ostrel", "LOC"),
        ("Pellan", "LOC"),
        ("Mira Solvik", "PER"),
        ("Harbour Council", "ORG"),
    ]
    assert [t.text for t in docs[0] if t.is_sent_start] == ["Talks", "Mira"]
    assert [e.text for e in docs[1].ents] == ["Anka", "Berit Oslund"]


def test_case_augmenter_adds_upper_case_copies_with_the_same_spans(tmp_path: Path) -> None:
    blank = spacy.blank("en")
    doc = next(iter(to_docbin(_fixture(tmp_path), blank).get_docs(blank.vocab)))
    example = Example(blank.make_doc(doc.text), doc)
    always_upper = case_augmenter(upper=1.0, lower=0.0)
    original, copy = list(always_upper(blank, example))
    assert original is example
    assert copy.reference.text == doc.text.upper()
    assert [(e.start, e.end, e.label_) for e in copy.reference.ents] == [
        (e.start, e.end, e.label_) for e in doc.ents
    ]
    assert [t.is_sent_start for t in copy.reference] == [t.is_sent_start for t in doc]
    never = case_augmenter(upper=0.0, lower=0.0)
    assert len(list(never(blank, example))) == 1


def test_a_short_training_run_writes_a_loadable_recogniser_and_keeps_the_card(
    tmp_path: Path, shipped: Language
) -> None:
    """Both stages: a CoNLL model from the fixture, then the shipped recogniser taught by it."""
    conll = tmp_path / "data" / "ner" / "conll2003"
    conll.mkdir(parents=True)
    for name in ("eng.train", "eng.testa"):
        (conll / name).write_text(FIXTURE, encoding="utf-8")
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / MODEL_CARD).write_text("# our card\n", encoding="utf-8")
    (tmp_path / "model" / "stale.bin").write_bytes(b"old weights")
    written = train(tmp_path / "data", tmp_path / "model", max_steps=20)
    assert (written / MODEL_CARD).read_text(encoding="utf-8") == "# our card\n"
    assert not (written / "stale.bin").exists()
    trained = spacy.load(written)
    assert trained.pipe_names == ["ner"]
    recogniser = trained.get_pipe("ner")
    assert isinstance(recogniser, EntityRecognizer)
    labels = set(recogniser.labels)
    assert set(TEACHER_TO_STUDENT.values()) <= labels, "the shipped recogniser, with MISC added"
    assert trained.meta["name"] == "newsarchive_ner_conll" and "CoNLL-2003" in trained.meta["license"]


def test_missing_data_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="ner/conll2003"):
        train(tmp_path, tmp_path / "model")


VALUES_FIXTURE = """-DOCSTART- -X- O O

Norwegian JJ I-NP I-MISC
envoy NN I-NP O
Mira NNP I-NP I-PER
Solvik NNP I-NP I-PER
arrived VBD I-VP O
in IN I-PP O
Pellan NNP I-NP I-LOC
on IN I-PP O
Monday NNP I-NP O
with IN I-PP O
$ $ I-NP O
40 CD I-NP O
million CD I-NP O
. . O O
"""


def test_student_data_keep_gold_names_and_add_the_shipped_values(tmp_path: Path, shipped: Language) -> None:
    path = tmp_path / "values.conll"
    path.write_text(VALUES_FIXTURE, encoding="utf-8")
    doc = next(iter(conll_with_values(path, shipped).get_docs(shipped.vocab)))
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels["Mira Solvik"] == "PERSON" and labels["Pellan"] == "GPE"
    assert labels["Norwegian"] == "NORP", "a gold MISC the shipped model calls NORP becomes NORP"
    assert labels["Monday"] == "DATE"
    assert any(label == "MONEY" for label in labels.values())


def test_silver_docs_carry_the_teachers_entities_in_the_students_labels(nlp: Language) -> None:
    text = "Short line\nThe Harbour Council of Pellan met on Friday and Mira Solvik spoke for it."
    docs = list(silver_docs([text], nlp).get_docs(nlp.vocab))
    assert len(docs) == 1, "lines under the minimum length are left out"
    assert {e.label_ for e in docs[0].ents} <= set(TEACHER_TO_STUDENT.values())
    assert "Friday" in {e.text for e in docs[0].ents}
