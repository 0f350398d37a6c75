"""What crosses the Index seam: the parsed query, the filters, the entries written and the hits read.

``query.py`` parses our query language once into the small tree below (``Term``, ``Phrase``,
``Not``, ``And``, ``Or``); each backend compiles that tree into its own engine's query, so the
language and its syntax errors are the same on every backend. A backend returns highlights as
character ranges into the stored text (``Excerpt``); the snippet HTML is built by ``query.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple, Protocol, TypeAlias, runtime_checkable

from newsarchive.model import Article, Neighbours, SearchHit

FIELDS = ("title", "body", "source", "section", "lang", "author", "url", "entity")
"""The fields a query may name (``field:value``); every backend indexes them all.

``title`` and ``body`` are text analysed by the article's language (stemmed, Arabic normalised,
CJK in character pairs; a query word is analysed each way); ``source``, ``section``, ``author``
and ``url`` are words matched in any case; ``lang`` and ``entity`` match the whole stored value exactly."""
DEFAULT_FIELDS = ("title", "body")
"""Where a word without a field is looked for (title matches weigh more)."""
KEYWORDS = ("AND", "OR", "NOT")


# -- the query tree ----------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Term:
    """A word as typed (``ferries``, ``O'Brien``, ``free-trade``), in one field or the default ones.

    Backends analyse it as they analyse the field: a word that splits into several tokens
    matches as a phrase of them.
    """

    text: str
    field: str | None = None

    def __str__(self) -> str:
        return f"{self.field}:{self.text}" if self.field else self.text


@dataclass(slots=True, frozen=True)
class Phrase:
    """A quoted phrase: its words in this order, next to each other."""

    text: str
    field: str | None = None

    def __str__(self) -> str:
        return f'{self.field}:"{self.text}"' if self.field else f'"{self.text}"'


@dataclass(slots=True, frozen=True)
class Not:
    """Documents not matching the clause (``NOT storm``, ``-storm``)."""

    clause: QueryNode

    def __str__(self) -> str:
        inner = self.clause
        return "-" + (f"({inner})" if isinstance(inner, And | Or) else str(inner))


@dataclass(slots=True, frozen=True)
class And:
    """Every clause must match (what words side by side mean)."""

    clauses: tuple[QueryNode, ...]

    def __str__(self) -> str:
        return " ".join(f"({c})" if isinstance(c, And | Or) else str(c) for c in self.clauses)


@dataclass(slots=True, frozen=True)
class Or:
    """Any clause may match."""

    clauses: tuple[QueryNode, ...]

    def __str__(self) -> str:
        return " OR ".join(f"({c})" if isinstance(c, And | Or) else str(c) for c in self.clauses)


QueryNode: TypeAlias = Term | Phrase | Not | And | Or
"""A parsed query; ``str(node)`` spells it in our language again (parsing that gives the same tree)."""


# -- what is written and asked for -------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class IndexEntry:
    """An article as the index keeps it: with its place in its near-duplicate cluster and its entities."""

    article: Article
    canonical: bool = True
    """Shown by default: the cluster's representative (or an article in no cluster)."""
    cluster_size: int = 1
    entities: tuple[str, ...] = ()
    """What ``entity:`` filters match: its own entity names and the names linked ones are shown by."""
    versions: int = 1
    """Versions of its URL (the latest is shown with their count)."""
    shown_entities: tuple[str, ...] | None = None
    """What the entity facet counts: each entity once, by the name it is shown by (None: ``entities``)."""


@dataclass(slots=True, frozen=True)
class HiddenText:
    """Sources whose body text a query must not match (their right is metadata only): the named
    ones, or with ``all_but`` every source except the named ones. Their articles still match on
    the title and the other fields, so what is found never depends on words nobody may read."""

    sources: tuple[str, ...] = ()
    all_but: bool = False

    def hides(self, source: str | None) -> bool:
        return (source in self.sources) != self.all_but


@dataclass(slots=True, frozen=True)
class IndexQuery:
    """A parsed search, ready for an index: the query tree plus structured filters.

    ``query`` None matches every document. Sources, sections and languages each match any of
    the values given; ``entities`` must all be named in the article.
    """

    query: QueryNode | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sources: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    canonical_only: bool = True
    text_hidden: HiddenText | None = None
    """Sources whose body text the query is not matched against (a public server's rights)."""

    @property
    def text(self) -> str:
        """The query in our language ("" for none), e.g. for logs and benchmarks."""
        return "" if self.query is None else str(self.query)


# -- what comes back ---------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Excerpt:
    """A stretch of a hit's stored body and the character ranges in it that matched the query.

    Without matches (no text query, or none in the body) it is the start of the body.
    """

    text: str
    spans: tuple[tuple[int, int], ...] = ()
    """(start, end) character offsets into ``text``, in order, not overlapping."""


@dataclass(slots=True, frozen=True)
class IndexHit:
    """One hit: its stored record (``snippet`` left empty) and what to build the snippet from."""

    hit: SearchHit
    excerpt: Excerpt


class IndexResult(NamedTuple):
    """A page of hits with the total number of matches and facet counts (empty when not asked)."""

    total: int
    hits: list[IndexHit]
    facets: dict[str, dict[str, int]]


SORTS = ("relevance", "date", "date_asc")
FACETS = ("source", "section", "language", "year", "entity")
BUCKETS = ("day", "month", "year")
"""What ``histogram`` counts by: keys ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""


# -- the protocol ------------------------------------------------------------------------------


@runtime_checkable
class Index(Protocol):
    """A full-text index derived from the store: rebuildable at any time, never the source of truth."""

    def write(self, entries: Iterable[IndexEntry], deleted: Iterable[str] = ()) -> dict[str, str]:
        """Replace these documents and drop the deleted ids, durably; returns {article id: why not indexed}."""
        ...

    def rebuild(self, batches: Iterable[list[IndexEntry]]) -> dict[str, str]:
        """Replace everything at once; interrupted, the old index stays whole."""
        ...

    def clear(self) -> None: ...

    def doc_count(self) -> int: ...

    def version(self) -> str: ...  # changes with every commit: a document rewritten in place too

    def search(
        self,
        q: IndexQuery,
        *,
        limit: int,
        offset: int,
        sort: str = "relevance",
        facets: bool = True,
        snippets: bool = True,
    ) -> IndexResult:
        """One page of hits in ``sort`` order (one of SORTS); a hit's score is its rounded relevance,
        0 when sorted by date. With ``facets``, counts per FACETS value (top 20 each)."""
        ...

    def neighbours(self, q: IndexQuery, article: Article) -> Neighbours:
        """The matches just before (newer) and after (older) ``article`` in ``sort="date"`` order,
        which must be total: ties on a day broken the same way on every page and every call, so the
        newer neighbour's older neighbour is the article again. ``article`` need not match ``q``."""
        ...

    def histogram(self, q: IndexQuery, by: str = "month") -> dict[str, int]:
        """Dated matches per ``by`` (one of BUCKETS; ``YYYY-MM`` for a month), in order."""
        ...

    def match_ids(self, q: IndexQuery, batch: int = 5000) -> Iterator[list[str]]:
        """The id of every match, oldest first (undated last), at most ``batch`` at a time.

        All from one snapshot of the index and with no depth limit: what an export streams.
        """
        ...

    def facet_counts(self, q: IndexQuery, facet: str, size: int) -> dict[str, int]:
        """The ``size`` most frequent values of one of FACETS among the matches, most frequent first."""
        ...

    def doc_frequencies(self, language: str | None, words: Iterable[str]) -> dict[str, int]:
        """How many documents have each word in their body, the word analysed as the body of an
        article in ``language`` is (stemmed…); with ``doc_count`` this is a term's archive-wide rarity."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class RelatedIndex(Protocol):
    """The optional more-like-this capability: a backend may lack it (then nothing is related)."""

    def more_like_this(self, article: Article, limit: int) -> list[str]:
        """Ids of shown articles (not this one) sharing the most distinctive terms with it."""
        ...
