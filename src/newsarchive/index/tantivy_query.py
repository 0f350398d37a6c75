"""Our query tree compiled into tantivy queries, with no text handed to tantivy's own query parser.

Words and phrases go through the same analyzers the schema indexes their field with (tantivy's
built-in ``en_stem`` and ``default``, rebuilt here from the same tokenizer and filters, and the
per-language families of ``analyzers``), so ``ferries`` still finds "ferry"; ``lang`` and
``entity`` are raw fields matched whole. A ``title`` or ``body`` word is looked for in that field
of every language family the index holds, each analysed its own way; with English alone the
query is the one tantivy's parser built before (a word without a field is title^2 OR body; words
side by side are all Must), so scores and ranking are unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import tantivy

from newsarchive.index.analyzers import DEFAULT_FAMILY, QueryAnalyzers, field_of, tantivy_analyzer
from newsarchive.index.base import DEFAULT_FIELDS, And, Not, Or, Phrase, QueryNode, Term

FIELD_ANALYZERS = {
    "title": "en_stem",
    "body": "en_stem",
    "source": "default",
    "section": "default",
    "author": "default",
    "url": "default",
    "lang": "raw",
    "entity": "raw",
}
"""Each query field's tantivy field is named the same and indexed with this tokenizer (see the schema);
``title`` and ``body`` have a field per language family besides (``analyzers.field_of``)."""
FAMILY_FIELDS = ("title", "body")
FIELD_BOOSTS = {"title": 2.0}
_CACHED_QUERIES = 256
"""Compiled queries kept: a query asked again (next page, its timeline, another sort) is not
analysed again, which matters when it is analysed for many language families (~80 µs a word for 20)."""


def _analyzer(stem: bool) -> tantivy.TextAnalyzer:
    """tantivy's ``default`` (or ``en_stem``) analyzer: split on non-alphanumerics, drop tokens of
    40 bytes or more, lower-case (then the English Snowball stemmer)."""
    if stem:
        return tantivy_analyzer(DEFAULT_FAMILY)
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .build()
    )


class QueryCompiler:
    """Turns a parsed query into a tantivy.Query for one schema; safe to share between threads."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema
        self._analyzers = {"en_stem": _analyzer(stem=True), "default": _analyzer(stem=False)}
        self._families = QueryAnalyzers()
        self._compiled: dict[tuple[QueryNode, tuple[str, ...], bool], tantivy.Query] = {}
        self._compiled_lock = threading.Lock()  # web requests compile from several threads

    def compile(
        self, node: QueryNode, families: Sequence[str] = (DEFAULT_FAMILY,), *, without_body: bool = False
    ) -> tantivy.Query:
        """The query for a tree over the language families the index holds; words that analyse
        to nothing (a 40-letter "word") are left out, and a query left with nothing matches
        nothing, as tantivy's parser did. ``without_body``: words match the title only and
        ``body:`` clauses match nothing (``NOT body:x`` then everything), for sources whose text
        is not public."""
        key = (node, tuple(families), without_body)
        query = self._compiled.get(key)
        if query is None:
            compiled = self._node(node, key[1], without_body)
            query = compiled if compiled is not None else tantivy.Query.empty_query()
            with self._compiled_lock:
                if len(self._compiled) >= _CACHED_QUERIES:
                    self._compiled.pop(next(iter(self._compiled)), None)  # the oldest
                self._compiled[key] = query
        return query

    def tokens(self, field: str, text: str, family: str = DEFAULT_FAMILY) -> list[str]:
        """What the index holds for this text in this field (of this family, for title and body)."""
        if field in FAMILY_FIELDS:
            return self._families.terms(family, text)
        analyzer = FIELD_ANALYZERS[field]
        if analyzer == "raw":
            return [text]
        return list(self._analyzers[analyzer].analyze(text))

    def highlight_terms(self, node: QueryNode, family: str) -> set[str]:
        """The body terms of a family that a hit's words matching the query would hold
        (the words of its leaves outside NOT, in ``body`` or the default fields)."""
        found: set[str] = set()
        self._collect(node, family, found)
        return found

    def _collect(self, node: QueryNode, family: str, found: set[str]) -> None:
        if isinstance(node, Term | Phrase):
            if node.field in (None, "body"):
                found.update(self.tokens("body", node.text, family))
        elif isinstance(node, And | Or):
            for clause in node.clauses:
                self._collect(clause, family, found)

    def _node(self, node: QueryNode, families: tuple[str, ...], bare: bool) -> tantivy.Query | None:
        if isinstance(node, Term | Phrase):
            return self._leaf(node.text, node.field, families, bare)
        if isinstance(node, Not):
            excluded = self._node(node.clause, families, bare)
            if excluded is None:
                return None
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, tantivy.Query.all_query()), (tantivy.Occur.MustNot, excluded)]
            )
        if isinstance(node, And):
            return self._and(node, families, bare)
        return self._or(node, families, bare)

    def _and(self, node: And, families: tuple[str, ...], bare: bool) -> tantivy.Query | None:
        parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for clause in node.clauses:
            # NOT inside AND excludes from the others' matches, as one boolean query
            negated = isinstance(clause, Not)
            compiled = self._node(clause.clause if isinstance(clause, Not) else clause, families, bare)
            if compiled is not None:
                parts.append((tantivy.Occur.MustNot if negated else tantivy.Occur.Must, compiled))
        if not parts:
            return None
        if all(occur == tantivy.Occur.MustNot for occur, _ in parts):
            parts.insert(0, (tantivy.Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(parts)

    def _or(self, node: Or, families: tuple[str, ...], bare: bool) -> tantivy.Query | None:
        compiled = (self._node(clause, families, bare) for clause in node.clauses)
        parts = [(tantivy.Occur.Should, q) for q in compiled if q is not None]
        if not parts:
            return None
        return tantivy.Query.boolean_query(parts)

    def _leaf(
        self, text: str, field: str | None, families: tuple[str, ...], bare: bool
    ) -> tantivy.Query | None:
        """``bare``: the body is not to be matched (``without_body``)."""
        if field is not None and field not in FAMILY_FIELDS:
            return self._in_field(text, field, field)
        names: tuple[str, ...] = DEFAULT_FIELDS if field is None else (field,)
        if bare:
            names = tuple(name for name in names if name != "body")
            if not names:
                return tantivy.Query.empty_query()
        # family by family, title before body: with English alone, the clauses tantivy's parser made
        each = [
            q
            for family in families
            for name in names
            if (q := self._in_field(text, name, field_of(name, family), family)) is not None
        ]
        if not each:
            return None
        if field is not None and len(each) == 1:
            return each[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in each])

    def _in_field(
        self, text: str, field: str, index_field: str, family: str = DEFAULT_FAMILY
    ) -> tantivy.Query | None:
        tokens = self.tokens(field, text, family)
        if not tokens:
            return None
        if len(tokens) == 1:
            query = tantivy.Query.term_query(self.schema, index_field, tokens[0])
        else:  # free-trade, O'Brien, "exact phrase": the tokens next to each other
            words: list[str | tuple[int, str]] = list(tokens)
            query = tantivy.Query.phrase_query(self.schema, index_field, words)
        boost = FIELD_BOOSTS.get(field)
        return tantivy.Query.boost_query(query, boost) if boost else query
