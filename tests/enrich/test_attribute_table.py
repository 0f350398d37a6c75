"""The attribute table gives every token the part of speech, morphology and lemma the shipped
attribute ruler gives it: on our own sentences (word exceptions and two-token rules included) and on
real news text when ../shared/data is there."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler

from newsarchive.enrich.attribute_table import AttributeTable, use_attribute_table
from newsarchive.enrich.nlp import ModelNotInstalledError, resolve_model_name

SENTENCES = [
    "The mayor of Kelmsford said on Tuesday that she ain't gonna resign, and let's be clear: "
    "the council gotta vote first.",
    'But the harbour authority, which runs 3 ferries, was fined $2.5m in 2019 — an "unusual" step.',
    "Who's there?  I don't know; they'd said it wasn't theirs.\n\nDr. Osei-Mensah (58) left at 9 a.m.",
    "GALE WARNING FOR THE NORTH SEA ISSUED BY MET OFFICE AT 0600",
]


def _attributes(nlp: Language, texts: list[str]) -> list[tuple[str, str, str, str]]:
    return [(t.text, t.pos_, str(t.morph), t.lemma_) for doc in nlp.pipe(texts, batch_size=4) for t in doc]


@pytest.fixture(scope="module")
def pipelines() -> tuple[Language, Language]:
    try:
        package = resolve_model_name("en_core_web_sm")
    except ModelNotInstalledError as exc:
        pytest.skip(str(exc))
    ruler, table = spacy.load(package), spacy.load(package)
    assert use_attribute_table(table)
    return ruler, table


def test_the_table_takes_the_rulers_place(pipelines: tuple[Language, Language]) -> None:
    ruler, table = pipelines
    assert isinstance(ruler.get_pipe("attribute_ruler"), AttributeRuler)
    assert isinstance(table.get_pipe("attribute_ruler"), AttributeTable)
    assert table.pipe_names == ruler.pipe_names


def test_same_attributes_as_the_ruler_on_our_sentences(pipelines: tuple[Language, Language]) -> None:
    ruler, table = pipelines
    expected = _attributes(ruler, SENTENCES)
    assert _attributes(table, SENTENCES) == expected
    lemmas = {text.lower(): lemma for text, _, _, lemma in expected}
    assert lemmas["ai"] == "be" and lemmas["gon"] == "go"  # the two-token rules did apply


def test_same_attributes_as_the_ruler_on_real_news(shared_data: Path) -> None:
    folder = shared_data / "corpus" / "polnear-train" / "text"
    if not folder.is_dir():
        pytest.skip(f"PolNeAR texts not found at {folder} (../shared/data absent)")
    try:
        package = resolve_model_name("en_core_web_sm")
    except ModelNotInstalledError as exc:
        pytest.skip(str(exc))
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))[:40]]
    ruler, table = spacy.load(package), spacy.load(package)
    use_attribute_table(table)
    assert _attributes(table, texts) == _attributes(ruler, texts)


def test_a_pipeline_without_a_ruler_is_left_alone() -> None:
    nlp = spacy.blank("en")
    assert not use_attribute_table(nlp)
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LENGTH": {">": 3}}]], {"LEMMA": "long"})  # beyond the table: the ruler stays
    assert not use_attribute_table(nlp)
    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeRuler)


def test_a_pipeline_saved_with_the_table_loads_back_with_the_same_rules(
    pipelines: tuple[Language, Language], tmp_path: Path
) -> None:
    ruler, table = pipelines
    table.to_disk(tmp_path / "pipeline")
    again = spacy.load(tmp_path / "pipeline")
    assert isinstance(again.get_pipe("attribute_ruler"), AttributeTable)
    assert _attributes(again, SENTENCES) == _attributes(ruler, SENTENCES)
    copy = spacy.load(tmp_path / "pipeline")
    copy.get_pipe("attribute_ruler").from_bytes(table.get_pipe("attribute_ruler").to_bytes())
    assert _attributes(copy, SENTENCES) == _attributes(ruler, SENTENCES)


def test_a_table_made_without_its_ruler_says_it_cannot_be_saved() -> None:
    with pytest.raises(ValueError, match="without its ruler"):
        AttributeTable().to_bytes()
