"""The spaCy pipeline for enrichment tests, loaded once; tests skip when the model is not installed."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsarchive.enrich.nlp import ModelNotInstalledError, load_nlp


@pytest.fixture(scope="session")
def nlp() -> Language:
    try:
        return load_nlp()
    except ModelNotInstalledError as exc:
        pytest.skip(str(exc))
