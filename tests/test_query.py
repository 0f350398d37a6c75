"""Our query language, SearchRequest validation and snippet HTML: bad input becomes a QueryError
that says where and how to fix it."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.errors import QueryError
from newsarchive.index.base import And, Excerpt, Not, Or, Phrase, QueryNode, Term
from newsarchive.query import SearchRequest, parse_day, parse_query, snippet_html


def test_partial_dates_cover_their_period() -> None:
    assert parse_day("2016", "from", end=False) == dt.date(2016, 1, 1)
    assert parse_day("2016", "to", end=True) == dt.date(2016, 12, 31)
    assert parse_day("2016-02", "to", end=True) == dt.date(2016, 2, 29)
    assert parse_day("2016-12", "to", end=True) == dt.date(2016, 12, 31)
    assert parse_day("2016-03-14", "from", end=False) == dt.date(2016, 3, 14)


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (SearchRequest(date_from="last week"), "YYYY"),
        (SearchRequest(date_from="2017", date_to="2016"), "after"),
        (SearchRequest(sort="random"), "sort"),
        (SearchRequest(page=0), "page"),
        (SearchRequest(per_page=1000), "per_page"),
        (SearchRequest(page=500, per_page=100), "10,000"),
        (SearchRequest(query="x" * 5000), "limit"),
    ],
)
def test_bad_requests_explain_themselves(request_: SearchRequest, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        request_.to_index_query()


# -- the query language ------------------------------------------------------------------------


def _t(text: str, field: str | None = None) -> Term:
    return Term(text, field)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("", None),
        ("   ", None),
        ("ferry", _t("ferry")),
        ("harbour ferry", And((_t("harbour"), _t("ferry")))),
        ("harbour AND ferry", And((_t("harbour"), _t("ferry")))),
        ("harbour NOT ferry", And((_t("harbour"), Not(_t("ferry"))))),
        ("harbour -ferry", And((_t("harbour"), Not(_t("ferry"))))),
        ("-storm", Not(_t("storm"))),
        ("ferry OR regatta", Or((_t("ferry"), _t("regatta")))),
        # NOT binds tighter than AND, AND tighter than OR
        ("a OR b c", Or((_t("a"), And((_t("b"), _t("c")))))),
        ("a b OR c", Or((And((_t("a"), _t("b"))), _t("c")))),
        ("(a OR b) c", And((Or((_t("a"), _t("b"))), _t("c")))),
        ("a OR NOT b", Or((_t("a"), Not(_t("b"))))),
        ("a (b c)", And((_t("a"), _t("b"), _t("c")))),
        ('"free-trade zone"', Phrase("free-trade zone")),
        ('-"free-trade zone"', Not(Phrase("free-trade zone"))),
        ("free-trade", _t("free-trade")),
        ("O'Brien's", _t("O'Brien's")),
        ("and or not", And((_t("and"), _t("or"), _t("not")))),
        ("title:regatta", _t("regatta", "title")),
        ("Title:regatta", _t("regatta", "title")),
        ("language:ar", _t("ar", "lang")),
        ('source:"Coastline Wire"', Phrase("Coastline Wire", "source")),
        ('entity:"Vladimir Putin" visit', And((Phrase("Vladimir Putin", "entity"), _t("visit")))),
        ("title:(ferry OR boat)", Or((_t("ferry", "title"), _t("boat", "title")))),
        ("-title:(ferry boat)", Not(And((_t("ferry", "title"), _t("boat", "title"))))),
        ("title:AND", _t("AND", "title")),
        ("url:https://example.org/a", _t("https://example.org/a", "url")),
        ("12:30", _t("12:30")),
        ("+ferry +(boat)", And((_t("ferry"), _t("boat")))),
        ("Putin - Medvedev — talks", And((_t("Putin"), _t("Medvedev"), _t("talks")))),
        ('ferry "—" ()', _t("ferry")),
        ("--ferry", Not(Not(_t("ferry")))),
    ],
)
def test_queries_parse_into_trees(text: str, tree: QueryNode | None) -> None:
    assert parse_query(text) == tree


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"unclosed', 'a quote is not closed (the " at character 1)'),
        ('ferry "unclosed', "character 7"),
        ("title:(ferry", "parentheses do not balance (the ( at character 7 is not closed)"),
        ("ferry)", "parentheses do not balance (the ) at character 6 has no ( before it)"),
        (") ferry", "character 1 has no ( before it"),
        ("colour:red", "unknown field colour: at character 1; the fields are title:, body:, source:"),
        ("https://example.org", 'put it in quotes ("https://example.org")'),
        ("title: ferry", "title: at character 1 has nothing to search for"),
        ("ferry AND", "AND at character 7 has nothing after it"),
        ("ferry OR", "OR at character 7 has nothing after it"),
        ("OR ferry", "OR at character 1 has nothing before it"),
        ("ferry AND OR boat", "AND at character 7 has nothing after it"),
        ("ferry NOT", "NOT at character 7 has nothing after it"),
        ("(ferry OR) boat", "OR at character 8 has nothing after it"),
        ("-OR", "OR is an operator"),
        ("title:(ferry body:boat)", "a field cannot hold another field"),
        ("(" * 40 + "ferry" + ")" * 40, "nests more than 32"),
        ("NOT " * 40 + "ferry", "nests more than 32"),
        ("x" * 1001, "limit is 1000"),
    ],
)
def test_syntax_errors_say_where_and_what_to_do(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        parse_query(text)


def test_the_request_parses_its_query_and_keeps_filters_apart() -> None:
    q = SearchRequest(query="ferry", entity=("Tomas Lindqvist",), source=("Gazette",)).to_index_query()
    assert q.query == _t("ferry") and q.entities == ("Tomas Lindqvist",) and q.sources == ("Gazette",)
    assert q.text == "ferry"
    with pytest.raises(QueryError, match="quote is not closed"):
        SearchRequest(query='"ferry').to_index_query()


_QUERY_CHARS = st.sampled_from([*"ab Zé北 \"()-+:*\\'—\t\n", "AND", "OR", "NOT", "title:", "lang:", "x:"])
_QUERIES = st.one_of(st.text(max_size=60), st.lists(_QUERY_CHARS, max_size=30).map("".join))


@given(_QUERIES)
@settings(max_examples=400, deadline=None)
def test_the_parser_never_crashes(text: str) -> None:
    try:
        parse_query(text)
    except QueryError as exc:
        assert str(exc)
    # any other exception fails the test


@given(_QUERIES)
@settings(max_examples=400, deadline=None)
def test_printing_a_tree_and_parsing_it_again_gives_the_same_tree(text: str) -> None:
    try:
        tree = parse_query(text)
    except QueryError:
        return
    printed = "" if tree is None else str(tree)
    assert parse_query(printed) == tree, printed


# -- snippets ----------------------------------------------------------------------------------


def test_snippets_escape_everything_but_the_highlights() -> None:
    text = "The <script>alert(1)</script> ferry & the\n  ferry"
    first, last = text.index("ferry"), text.rindex("ferry")
    spans = ((last, last + 5), (first, first + 5))  # in any order
    assert snippet_html(Excerpt(text, spans)) == (
        "The &lt;script&gt;alert(1)&lt;/script&gt; <b>ferry</b> &amp; the <b>ferry</b>"
    )


def test_bad_spans_cannot_unbalance_a_snippet() -> None:
    text = "ferry <b>boat</b>"
    assert snippet_html(Excerpt(text, ((0, 5), (3, 8), (9, 9), (12, 99), (-4, 2)))) == (
        "<b>ferry</b> &lt;b&gt;boat&lt;/b&gt;"
    )


@given(st.text(max_size=80), st.lists(st.tuples(st.integers(-5, 90), st.integers(-5, 90)), max_size=6))
@settings(max_examples=300, deadline=None)
def test_a_snippet_is_the_escaped_text_with_balanced_bold(text: str, spans: list[tuple[int, int]]) -> None:
    out = snippet_html(Excerpt(text, tuple(spans)))
    assert "<" not in out.replace("<b>", "").replace("</b>", "")
    assert out.count("<b>") == out.count("</b>")
    assert html.unescape(out.replace("<b>", "").replace("</b>", "")) == " ".join(text.split())
