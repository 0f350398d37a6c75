"""The query layer: our query language, search validation, and a page of results from any Index.

The language is parsed here, once, into the tree of ``index.base`` (every backend compiles that
tree, so a query means the same and fails the same way everywhere)::

    query    := or_expr?
    or_expr  := and_expr ("OR" and_expr)*
    and_expr := unary (["AND"] unary)*          words side by side must all match
    unary    := ("NOT" | "-") unary | atom
    atom     := word | '"' phrase '"' | "(" or_expr ")" | field ":" (word | '"' phrase '"' | "(" or_expr ")")

NOT binds tighter than AND, AND tighter than OR: ``a OR b c`` is ``a OR (b AND c)``. Operators
are upper case (``and`` is a word). Punctuation on its own (``-``, ``—``, ``&``) is ignored.

Interfaces (CLI, API, web pages) call this through ``Archive``; they never see the index or
the store directly.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from dataclasses import dataclass, replace

from newsarchive.errors import QueryError
from newsarchive.index.base import (
    FIELDS,
    KEYWORDS,
    SORTS,
    And,
    Excerpt,
    HiddenText,
    Index,
    IndexQuery,
    Not,
    Or,
    Phrase,
    QueryNode,
    Term,
)
from newsarchive.model import SearchResult

__all__ = [
    "MAX_PER_PAGE",
    "MAX_QUERY_CHARS",
    "SORTS",
    "HiddenText",
    "SearchRequest",
    "parse_day",
    "parse_query",
    "run_search",
    "snippet_html",
]

MAX_PER_PAGE = 100
MAX_QUERY_CHARS = 1000
MAX_DEPTH = 10_000
"""Deepest hit a page may reach: the index collects page x per_page hits to serve one page."""
MAX_NESTING = 32
"""Parentheses and NOTs inside each other: deeper is no query a person writes."""
FIELD_ALIASES = {"language": "lang"}
_FIELD_HELP = "title:, body:, source:, section:, lang: (or language:), author:, url:, entity:"


# -- the query language ------------------------------------------------------------------------


def parse_query(text: str) -> QueryNode | None:
    """The tree of a query in our language; None when it asks for nothing (blank or punctuation).

    Raises QueryError saying where the problem is and what to do about it.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}")
    return _Parser(_lex(text)).parse()


@dataclass(slots=True, frozen=True)
class _Token:
    kind: str
    """word, phrase, field, (, ), AND, OR, NOT (also from a leading -), + (no effect)"""
    text: str
    at: int
    """0-based offset in the query; messages say ``at + 1`` (the character a reader counts)."""

    @property
    def where(self) -> str:
        return f"character {self.at + 1}"


_FIELD_NAME = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(.*)", re.DOTALL)
_STOPS = frozenset('()"')


def _fail(problem: str) -> QueryError:
    return QueryError(f"cannot parse the query: {problem}")


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "()":
            tokens.append(_Token(c, c, i))
            i += 1
        elif c == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise _fail(
                    f'a quote is not closed (the " at character {i + 1}); add the closing " or remove it'
                )
            tokens.append(_Token("phrase", text[i + 1 : end], i))
            i = end + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in _STOPS:
                j += 1
            _lex_run(text, i, j, tokens)
            i = j
    return tokens


def _lex_run(text: str, i: int, j: int, tokens: list[_Token]) -> None:
    """A run of text up to a space, parenthesis or quote: prefixes, then a keyword, field or word."""
    run = text[i:j]
    body = run.lstrip("+-")
    prefixes = run[: len(run) - len(body)]
    opens = j < len(text) and text[j] in '("'
    if (body and not _searchable(body)) or (not body and not opens):
        tokens.append(_Token("word", run, i))  # punctuation ("-", "—", "--"): the parser drops it
        return
    tokens.extend(_Token("NOT" if p == "-" else "+", p, i + k) for k, p in enumerate(prefixes))
    start = i + len(prefixes)
    if not body:
        return
    if body in KEYWORDS:
        if prefixes:
            raise _fail(
                f"{run} at character {i + 1}: {body} is an operator; to search for the word, "
                f'write it in lower case or in quotes ("{body}")'
            )
        tokens.append(_Token(body, body, start))
        return
    named = _FIELD_NAME.fullmatch(body)
    if named is None:
        tokens.append(_Token("word", body, start))
        return
    name, value = named.group(1), named.group(2)
    field = FIELD_ALIASES.get(name.lower(), name.lower())
    if field not in FIELDS:
        raise _fail(
            f"unknown field {name}: at character {start + 1}; the fields are {_FIELD_HELP}. "
            f'To search for a word with a colon, put it in quotes ("{body}")'
        )
    if not value and not opens:
        raise _fail(
            f"{name}: at character {start + 1} has nothing to search for; write {field}:word, "
            f'{field}:"a phrase" or {field}:(one OR other)'
        )
    tokens.append(_Token("field", field, start))
    if value:
        tokens.append(_Token("word", value, start + len(name) + 1))


def _searchable(text: str) -> bool:
    """Whether any backend would find something in it: a letter, digit or other word character."""
    return any(c.isalnum() for c in text)


class _Parser:
    """Recursive descent over the tokens; fields are pushed down onto the words they govern."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> QueryNode | None:
        if not self.tokens:
            return None
        node = self.or_expr(None)
        extra = self.peek()
        if extra is not None:  # or_expr stops only at the end or at a ")"
            raise _fail(
                f"parentheses do not balance (the ) at {extra.where} has no ( before it); "
                "remove it or add a ( before it"
            )
        return node

    def or_expr(self, field: str | None) -> QueryNode | None:
        clauses = [self.and_expr(field)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            self._operand_follows(token)
            clauses.append(self.and_expr(field))
        return _combine(Or, clauses)

    def and_expr(self, field: str | None) -> QueryNode | None:
        first = self.peek()
        if first is not None and first.kind in ("AND", "OR"):
            raise _fail(
                f"{first.kind} at {first.where} has nothing before it; put a word before it or remove it"
            )
        if first is not None and first.kind == ")":
            raise _fail(
                f"parentheses do not balance (the ) at {first.where} has no ( before it); "
                "remove it or add a ( before it"
            )
        clauses = [self.unary(field)]
        while (token := self.peek()) is not None and token.kind not in (")", "OR"):
            if token.kind == "AND":
                self.take()
                self._operand_follows(token)
            clauses.append(self.unary(field))
        return _combine(And, clauses)

    def _operand_follows(self, operator: _Token) -> None:
        following = self.peek()
        if following is None or following.kind in (")", "AND", "OR"):
            raise _fail(
                f"{operator.text} at {operator.where} has nothing after it; put a word after it or remove it"
            )

    def unary(self, field: str | None) -> QueryNode | None:
        negations = 0
        while (token := self.peek()) is not None and token.kind in ("NOT", "+"):
            self.take()
            if token.kind == "NOT":
                negations += 1
                self._nest(token)
            self._operand_follows(token)
        node = self.atom(field)
        self.depth -= negations
        for _ in range(negations):
            node = None if node is None else Not(node)
        return node

    def _nest(self, token: _Token) -> None:
        """One level deeper (a parenthesis or a NOT); the caller steps back out."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise _fail(
                f"it nests more than {MAX_NESTING} parentheses and NOTs (at {token.where}); simplify it"
            )

    def atom(self, field: str | None) -> QueryNode | None:
        if self.peek() is None:  # the callers check for an operand; this keeps a slip a QueryError
            raise _fail("it ends where a word was expected; add one or remove the operator before it")
        token = self.take()
        if token.kind == "(":
            self._nest(token)
            closing = self.peek()
            node = None
            if closing is not None and closing.kind != ")":
                node = self.or_expr(field)
                closing = self.peek()
            if closing is None or closing.kind != ")":
                raise _fail(
                    f"parentheses do not balance (the ( at {token.where} is not closed); add a ) or remove the ("
                )
            self.take()
            self.depth -= 1
            return node
        if token.kind == "field":
            if field is not None:
                raise _fail(
                    f"{token.text}: at {token.where} is inside {field}:( … ); a field cannot hold another field"
                )
            return self.atom(token.text)
        if token.kind == "phrase":
            return Phrase(token.text, field) if _searchable(token.text) else None
        if token.kind == "word":
            return Term(token.text, field) if _searchable(token.text) else None
        raise AssertionError(f"unexpected token {token}")  # the callers check what may come here


def _combine(kind: type[And] | type[Or], clauses: list[QueryNode | None]) -> QueryNode | None:
    """And/Or of the clauses left (dropped punctuation is None), nested ones of the same kind flattened."""
    flat: list[QueryNode] = []
    for clause in clauses:
        if isinstance(clause, kind):
            flat.extend(clause.clauses)
        elif clause is not None:
            flat.append(clause)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


# -- requests ----------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class SearchRequest:
    """What a user asked for, in the same terms as the CLI flags and the URL parameters.

    ``entity`` filters to articles naming every one of these entities (canonical names).
    """

    query: str = ""
    date_from: str | None = None
    date_to: str | None = None
    source: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    entity: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    all_versions: bool = False
    facets: bool = True
    text_hidden: HiddenText | None = None
    """Sources whose body text is not searched (a public server's metadata-only rights)."""

    def to_index_query(self) -> IndexQuery:
        if len(self.query) > MAX_QUERY_CHARS:
            raise QueryError(f"query is {len(self.query)} characters long; the limit is {MAX_QUERY_CHARS}")
        if self.sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}")
        if self.page < 1:
            raise QueryError(f"page must be 1 or more, not {self.page}")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise QueryError(f"per_page must be between 1 and {MAX_PER_PAGE}, not {self.per_page}")
        if self.page * self.per_page > MAX_DEPTH:
            raise QueryError(
                f"page {self.page} goes past the first {MAX_DEPTH:,} hits; narrow the search with filters instead"
            )
        low = parse_day(self.date_from, "from", end=False)
        high = parse_day(self.date_to, "to", end=True)
        if low and high and low > high:
            raise QueryError(f"from {self.date_from} is after to {self.date_to}")
        return IndexQuery(
            query=parse_query(self.query),
            date_from=low,
            date_to=high,
            sources=self.source,
            sections=self.section,
            languages=self.language,
            entities=self.entity,
            canonical_only=not self.all_versions,
            text_hidden=self.text_hidden,
        )


def parse_day(value: str | None, name: str, end: bool) -> dt.date | None:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD; a partial date covers its whole year or month."""
    if value is None or value == "":
        return None
    text = value.strip()
    try:
        if len(text) == 4 and text.isdigit():
            return dt.date(int(text), 12, 31) if end else dt.date(int(text), 1, 1)
        if len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            first = dt.date(year, month, 1)
            if not end:
                return first
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise QueryError(f"{name} date {value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD") from exc


# -- results -----------------------------------------------------------------------------------


def run_search(index: Index, request: SearchRequest) -> SearchResult:
    """One page of results with totals, facets and duplicate counts, all from the index.

    The index keeps each hit's record and cluster size (re-indexed whenever a cluster changes),
    so the hot path reads no store rows.
    """
    started = time.perf_counter()
    index_query = request.to_index_query()
    offset = (request.page - 1) * request.per_page
    found = index.search(
        index_query, limit=request.per_page, offset=offset, sort=request.sort, facets=request.facets
    )
    hits = [replace(h.hit, snippet=snippet_html(h.excerpt)) for h in found.hits]
    took = (time.perf_counter() - started) * 1000
    return SearchResult(
        total=found.total,
        hits=hits,
        facets=found.facets,
        took_ms=took,
        page=request.page,
        per_page=request.per_page,
    )


def snippet_html(excerpt: Excerpt) -> str:
    """The snippet as HTML: every piece of archived text escaped, ``<b>`` around the matches, on one line.

    Spans out of order, overlapping or outside the text are skipped, so no backend can unbalance it.
    """
    text = excerpt.text
    pieces: list[str] = []
    cursor = 0
    for start, end in sorted(excerpt.spans):
        if start < cursor or end <= start or end > len(text):
            continue
        pieces.append(html.escape(text[cursor:start]))
        pieces.append("<b>" + html.escape(text[start:end]) + "</b>")
        cursor = end
    pieces.append(html.escape(text[cursor:]))
    return " ".join("".join(pieces).split())
