"""Our query tree compiled into tantivy queries, with no text handed to tantivy's own query parser.

Words and phrases go through the same analyzers the schema indexes their field with (tantivy's
built-in ``en_stem`` and ``default``, rebuilt here from the same tokenizer and filters), so
``ferries`` still finds "ferry"; ``lang`` and ``entity`` are raw fields matched whole. The shape
of what is built is the one tantivy's parser built before (a word without a field is title^2 OR
body; words side by side are all Must), so scores and ranking are unchanged.
"""

from __future__ import annotations

import tantivy

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
"""Each query field's tantivy field is named the same and indexed with this tokenizer (see the schema)."""
FIELD_BOOSTS = {"title": 2.0}


def _analyzer(stem: bool) -> tantivy.TextAnalyzer:
    """tantivy's ``default`` (or ``en_stem``) analyzer: split on non-alphanumerics, drop tokens of
    40 bytes or more, lower-case (then the English Snowball stemmer)."""
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
    )
    if stem:
        builder = builder.filter(tantivy.Filter.stemmer("english"))
    return builder.build()


class QueryCompiler:
    """Turns a parsed query into a tantivy.Query for one schema; safe to share between threads."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema
        self._analyzers = {"en_stem": _analyzer(stem=True), "default": _analyzer(stem=False)}

    def compile(self, node: QueryNode) -> tantivy.Query:
        """The query for a tree; words that analyse to nothing (a 40-letter "word") are left out, and
        a query left with nothing matches nothing, as tantivy's parser did."""
        compiled = self._node(node)
        return compiled if compiled is not None else tantivy.Query.empty_query()

    def tokens(self, field: str, text: str) -> list[str]:
        """What the index holds for this text in this field."""
        analyzer = FIELD_ANALYZERS[field]
        if analyzer == "raw":
            return [text]
        return list(self._analyzers[analyzer].analyze(text))

    def _node(self, node: QueryNode) -> tantivy.Query | None:
        if isinstance(node, Term | Phrase):
            return self._leaf(node.text, node.field)
        if isinstance(node, Not):
            excluded = self._node(node.clause)
            if excluded is None:
                return None
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, tantivy.Query.all_query()), (tantivy.Occur.MustNot, excluded)]
            )
        if isinstance(node, And):
            return self._and(node)
        return self._or(node)

    def _and(self, node: And) -> tantivy.Query | None:
        parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for clause in node.clauses:
            # NOT inside AND excludes from the others' matches, as one boolean query
            negated = isinstance(clause, Not)
            compiled = self._node(clause.clause if isinstance(clause, Not) else clause)
            if compiled is not None:
                parts.append((tantivy.Occur.MustNot if negated else tantivy.Occur.Must, compiled))
        if not parts:
            return None
        if all(occur == tantivy.Occur.MustNot for occur, _ in parts):
            parts.insert(0, (tantivy.Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(parts)

    def _or(self, node: Or) -> tantivy.Query | None:
        parts = [(tantivy.Occur.Should, q) for q in map(self._node, node.clauses) if q is not None]
        if not parts:
            return None
        return tantivy.Query.boolean_query(parts)

    def _leaf(self, text: str, field: str | None) -> tantivy.Query | None:
        if field is not None:
            return self._in_field(text, field)
        each = [q for q in (self._in_field(text, f) for f in DEFAULT_FIELDS) if q is not None]
        if not each:
            return None
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in each])

    def _in_field(self, text: str, field: str) -> tantivy.Query | None:
        tokens = self.tokens(field, text)
        if not tokens:
            return None
        if len(tokens) == 1:
            query = tantivy.Query.term_query(self.schema, field, tokens[0])
        else:  # free-trade, O'Brien, "exact phrase": the tokens next to each other
            words: list[str | tuple[int, str]] = list(tokens)
            query = tantivy.Query.phrase_query(self.schema, field, words)
        boost = FIELD_BOOSTS.get(field)
        return tantivy.Query.boost_query(query, boost) if boost else query
