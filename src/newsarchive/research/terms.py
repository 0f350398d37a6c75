"""What a query is about: the words its matches use far more than the archive does, and the
people, places and organisations they name most.

Words come from a bounded sample (the most relevant matches, ``SAMPLE`` at most), so the cost
stays flat however many articles match. Each word's share of sampled articles is compared with
its share of every article in the archive, counted exactly by the index (``doc_frequencies``):
the score is the log-odds ratio of the two shares over its standard error (Monroe, Colaresi and
Quinn's z-score against an informative background), which favours words both distinctive and
frequent. Stop words of the article's language (spaCy's lists), the
query's own words, numbers and words under three letters are left out. Entities are counted over
every match (the index's entity facet), not the sample.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from newsarchive.index.base import And, Index, IndexQuery, Not, Or, Phrase, QueryNode, Term
from newsarchive.store.base import ArticleStore, EnrichmentStore

__all__ = ["SAMPLE", "EntityCount", "QueryTerms", "TermScore", "top_terms"]

SAMPLE = 500
"""Matches read for the words: the most relevant ones."""
MIN_ARTICLES = 3
"""A word must be in this many sampled articles to count (rarer ones are noise)."""
MAX_CANDIDATES = 3000
ENTITY_GROUPS = {"PERSON": "people", "GPE": "places", "LOC": "places", "PLACE": "places", "FAC": "places",
                 "ORG": "organisations", "NORP": "organisations"}  # fmt: skip
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W\d_]+)*")


@dataclass(slots=True, frozen=True)
class TermScore:
    """A word typical of a query's matches: in how many sampled matches and archive articles."""

    word: str
    score: float
    """log-odds ratio (sample vs archive) over its standard error."""
    in_sample: int
    in_archive: int

    def to_json(self) -> dict[str, Any]:
        return {
            "word": self.word,
            "score": round(self.score, 3),
            "in_sample": self.in_sample,
            "in_archive": self.in_archive,
        }


@dataclass(slots=True, frozen=True)
class EntityCount:
    name: str
    type: str
    articles: int
    """Matching articles that name it."""

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "articles": self.articles}


@dataclass(slots=True, frozen=True)
class QueryTerms:
    """The top words and entities of a query, with the sizes they were measured on."""

    query: str
    matches: int
    sample: int
    archive: int
    terms: list[TermScore]
    entities: dict[str, list[EntityCount]]
    """people, places, organisations, other: each most named first."""

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "matches": self.matches,
            "sample": self.sample,
            "archive": self.archive,
            "terms": [t.to_json() for t in self.terms],
            "entities": {group: [e.to_json() for e in found] for group, found in self.entities.items()},
        }


class _TermStore(ArticleStore, EnrichmentStore, Protocol):
    """What this module reads from the store."""


def top_terms(
    index: Index,
    store: _TermStore,
    label: str,
    query: IndexQuery,
    *,
    top: int = 30,
    sample: int = SAMPLE,
    entities: int = 10,
) -> QueryTerms:
    """The ``top`` words and up to ``entities`` entities per group typical of a query's matches."""
    found = index.search(query, limit=max(1, sample), offset=0, facets=False, snippets=False)
    articles = store.get_articles(h.hit.id for h in found.hits)
    asked = _query_words(query.query)
    in_sample: Counter[tuple[str, str]] = Counter()
    surface: dict[tuple[str, str], Counter[str]] = {}
    for article in articles.values():
        language = (article.language or "en")[:2].lower()
        stop = _stop_words(language)
        seen: set[tuple[str, str]] = set()
        for match in _WORD.finditer(f"{article.title}\n{article.body}"):
            written = match.group()
            word = written.lower()
            if len(word) < 3 or word in stop or word in asked:
                continue
            key = (language, word)
            seen.add(key)
            surface.setdefault(key, Counter())[written] += 1
        in_sample.update(seen)
    n = len(articles)
    candidates = [k for k, c in in_sample.most_common(MAX_CANDIDATES) if c >= min(MIN_ARTICLES, max(n, 1))]
    by_language: dict[str, list[str]] = {}
    for language, word in candidates:
        by_language.setdefault(language, []).append(word)
    in_archive: dict[tuple[str, str], int] = {}
    for language, words in by_language.items():
        for word, count in index.doc_frequencies(language, words).items():
            in_archive[(language, word)] = count
    total = index.doc_count()
    scored = []
    for key in candidates:
        y, f = in_sample[key], max(in_archive.get(key, 0), in_sample[key])
        scored.append(TermScore(_display(surface[key]), _z(y, n, f, total), y, f))
    scored = [t for t in scored if t.score > 0]  # only words the matches use more than the archive
    scored.sort(key=lambda t: (-t.score, t.word))
    return QueryTerms(
        label, found.total, n, total, _merged(scored)[:top], _entities(index, store, query, entities)
    )


def _z(y: int, n: int, f: int, total: int) -> float:
    """log-odds of a word in the sample over its log-odds in the archive, divided by the standard
    error ``sqrt(1/y + 1/f)`` (Monroe, Colaresi and Quinn 2008); counts plus a half (Haldane)."""
    a = 0.5
    ratio = math.log((y + a) / (max(n - y, 0) + a)) - math.log((f + a) / (max(total - f, 0) + a))
    return ratio / math.sqrt(1 / (y + a) + 1 / (f + a))


def _display(written: Counter[str]) -> str:
    """The word as the matches write it most (``Kremlin``, not ``kremlin``)."""
    return sorted(written.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _merged(scored: list[TermScore]) -> list[TermScore]:
    """One entry per word as shown (the same word from articles of two languages)."""
    seen: set[str] = set()
    out = []
    for term in scored:
        if term.word.lower() not in seen:
            seen.add(term.word.lower())
            out.append(term)
    return out


def _entities(
    index: Index, store: _TermStore, query: IndexQuery, per_group: int
) -> dict[str, list[EntityCount]]:
    counts = index.facet_counts(query, "entity", per_group * 8)
    types = store.entity_types(counts)
    groups: dict[str, list[EntityCount]] = {"people": [], "places": [], "organisations": [], "other": []}
    for name, n in counts.items():
        typ = types.get(name, "")
        group = groups[ENTITY_GROUPS.get(typ, "other")]
        if len(group) < per_group:
            group.append(EntityCount(name, typ, n))
    return groups


def _query_words(node: QueryNode | None) -> set[str]:
    """The words a query asks for (not those it excludes), lower-cased."""
    if node is None or isinstance(node, Not):
        return set()
    if isinstance(node, Term | Phrase):
        return {w.lower() for w in _WORD.findall(node.text)}
    if isinstance(node, And | Or):
        return set().union(*(_query_words(c) for c in node.clauses))
    return set()


@functools.cache
def _stop_words(language: str) -> frozenset[str]:
    """spaCy's stop words of a language (English's when it has none), lower-cased.

    The list file is run on its own: importing it as ``spacy.lang.xx`` would load all of spaCy
    (over a second) for a set of words.
    """
    spec = importlib.util.find_spec("spacy")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for code in (language, "en"):
        for folder in folders:
            listed = Path(folder) / "lang" / code / "stop_words.py"
            if code.isalpha() and listed.is_file():
                names: dict[str, Any] = {}
                exec(compile(listed.read_text(encoding="utf-8"), str(listed), "exec"), names)
                return frozenset(w.lower() for w in names.get("STOP_WORDS", ())) | _EXTRA_STOP
    return _EXTRA_STOP


_EXTRA_STOP = frozenset(
    {"said", "says", "told", "also", "would", "could", "one", "two", "new", "year", "years"}
)
"""Reporting verbs and fillers every news story has (spaCy's lists are general-purpose)."""
