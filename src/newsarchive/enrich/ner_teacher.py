"""The teacher whose labels the one-model news NER learns: the CoNLL-only model merged with the shipped one.

``make train-ner`` trains in two stages (see :mod:`newsarchive.enrich.train_ner`). Stage one learns
names from CoNLL-2003 alone. That model reads CoNLL's Reuters well but misses Title-Case headlines,
lone surnames and outlet names that ``en_core_web_sm`` finds, and has no dates, money or NORP. Run
together with the shipped model and merged by the rule below, the two scored best on both newswire
sets measured (docs/decisions.md); stage two distils that merge into a single recogniser so that
enrichment runs one NER instead of two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import get_type_hints

from spacy.language import Language
from spacy.tokens import Doc, Span

from newsarchive.errors import NewsArchiveError

TEACHER_PIPE = "teacher_entities"
NEWS_TYPES = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": "MISC"}
"""The CoNLL types as the OntoNotes labels the rest of enrichment reads."""
SAME_KIND = {
    "LOC": {"GPE", "LOC", "FAC"},
    "MISC": {"NORP", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT"},
}
"""When the shipped model gives the CoNLL model's span a finer label of the same kind, it is kept:
"Germany" stays GPE and "the Alps" LOC, "German" NORP rather than MISC."""
OWNED = {"EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT"}
"""Shipped-model labels the CoNLL model's MISC owns: dropped unless the CoNLL model found the span
(keeping them cost 0.002 CoNLL F1 for no recall on ECB+; docs/decisions.md)."""


class TeacherMissingError(NewsArchiveError):
    """The teacher component was built without its CoNLL recogniser."""


def add_teacher(nlp: Language, conll: Language) -> None:
    """Put ``conll``'s recogniser after ``nlp``'s own ``ner``, the two merged by ``merge_entities``."""
    # Sourcing copies the component's strings into nlp's vocab; it is then taken out of the
    # pipeline and called by the merging component, which owns the order of the two.
    nlp.add_pipe("ner", name="_conll_ner", source=conll, last=True)
    _, recogniser = nlp.remove_pipe("_conll_ner")
    nlp.add_pipe(TEACHER_PIPE, after="ner", config={})
    nlp.get_pipe(TEACHER_PIPE).recogniser = recogniser  # type: ignore[attr-defined]


class TeacherEntities:
    """The pipeline component that runs the CoNLL recogniser and merges its entities with the shipped ones."""

    def __init__(self) -> None:
        self.recogniser: Callable[[Doc], Doc] | None = None

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        if self.recogniser is None:
            raise TeacherMissingError(f"{TEACHER_PIPE} has no recogniser; build it with add_teacher()")
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


@Language.factory(TEACHER_PIPE)
def _make_teacher_entities(nlp: Language, name: str) -> TeacherEntities:
    return TeacherEntities()


# spaCy checks a factory's arguments through pydantic v1, which cannot read postponed annotations
_make_teacher_entities.__annotations__ = get_type_hints(_make_teacher_entities)


def merge_entities(doc: Doc, shipped: list[Span], conll: list[Span]) -> list[Span]:
    """The CoNLL model's entities (with a same-kind finer label from ``shipped``), then the shipped
    entities that overlap none of them, but for the MISC-like types the CoNLL model owns."""
    labels = {(span.start, span.end): span.label_ for span in shipped}
    merged: list[Span] = []
    taken: set[int] = set()
    for span in conll:
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
