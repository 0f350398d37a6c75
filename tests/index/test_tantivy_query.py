"""Our query tree compiled for tantivy, on a real index: analysis, precedence, negation, fields, filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tantivy
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.index.base import IndexEntry, IndexQuery
from newsarchive.index.tantivy_index import TantivyIndex
from newsarchive.index.tantivy_query import QueryCompiler
from newsarchive.model import Article
from newsarchive.query import parse_query

BODIES = {
    "a1": "The harbour ferry was delayed by a storm.",
    "a2": "Ferries sail to the islands; the harbour board met.",
    "a3": "A free-trade zone opens near the harbour.",
    "a4": "Regatta results: the storm spared the islands.",
    "a5": "Harbourmaster O'Brien's report on Größe and Ελληνικά.",
}


def _article(article_id: str, body: str, **fields: Any) -> Article:
    values: dict[str, Any] = {"title": f"Story {article_id}", "source": "Harbour Gazette", "language": "en"}
    values.update(fields)
    return Article(id=article_id, body=body, site="g", published="2016-03-14", **values)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> TantivyIndex:
    idx = TantivyIndex(tmp_path_factory.mktemp("q") / "index")
    entities = {"a1": ("Tomas Lindqvist", "Harbour Board"), "a2": ("Harbour Board",)}
    extra: dict[str, dict[str, Any]] = {
        # a language without an analyzer of its own: indexed in the English fields, as every article was
        "a4": {"title": "Regatta day", "language": "sw", "source": "Coastline Wire", "section": "Sport"},
        "a5": {"authors": ["Ana Ruiz"], "url": "https://harbour.example/reports/ana"},
    }
    idx.write(
        IndexEntry(_article(i, body, **extra.get(i, {})), entities=entities.get(i, ()))
        for i, body in BODIES.items()
    )
    return idx


def _ids(index: TantivyIndex, text: str, **filters: Any) -> set[str]:
    found = index.search(IndexQuery(parse_query(text), **filters), limit=100, offset=0, facets=False)
    assert found.total == len(found.hits)
    return {h.hit.id for h in found.hits}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ferry", {"a1", "a2"}),  # stemmed: Ferries
        ("harbour ferry", {"a1", "a2"}),
        ("harbour -ferry", {"a3"}),
        ("harbour NOT ferry", {"a3"}),
        ("storm OR regatta", {"a1", "a4"}),
        ("islands OR storm ferry", {"a1", "a2", "a4"}),  # islands OR (storm AND ferry)
        ("(islands OR storm) ferry", {"a1", "a2"}),
        ("-harbour", {"a4", "a5"}),  # Harbourmaster is another word
        ("-harbour -storm", {"a5"}),
        ("regatta OR -harbour", {"a4", "a5"}),
        ("-(storm OR regatta)", {"a2", "a3", "a5"}),
        ('"harbour ferry"', {"a1"}),
        ('"ferry harbour"', set()),
        ("free-trade", {"a3"}),
        ('"free trade zone"', {"a3"}),
        ("O'Brien", {"a5"}),
        ("o'brien's report", {"a5"}),
        ("größe ελληνικά", {"a5"}),
        ("title:regatta", {"a4"}),
        ("title:(regatta OR day)", {"a4"}),
        ("body:regatta -title:regatta", set()),
        ("source:coastline", {"a4"}),
        ('source:"coastline wire"', {"a4"}),
        ("section:sport", {"a4"}),
        ("lang:sw", {"a4"}),
        ("language:sw", {"a4"}),
        ("lang:SW", set()),  # languages match as stored
        ("author:ruiz", {"a5"}),
        ("url:harbour.example", {"a5"}),
        ('entity:"Harbour Board"', {"a1", "a2"}),
        ("entity:Harbour", set()),  # an entity is its whole name
        ("harbour - ferry", {"a1", "a2"}),  # the lone dash is punctuation, not NOT
        ("ferry " + "x" * 45, {"a1", "a2"}),  # a word too long to index is left out
        ("x" * 45, set()),
    ],
)
def test_query_semantics(index: TantivyIndex, text: str, expected: set[str]) -> None:
    assert _ids(index, text, canonical_only=False) == expected


def test_entity_filters_must_all_be_named(index: TantivyIndex) -> None:
    assert _ids(index, "", entities=("Harbour Board",)) == {"a1", "a2"}
    assert _ids(index, "", entities=("Harbour Board", "Tomas Lindqvist")) == {"a1"}
    assert _ids(index, "storm", entities=("Harbour Board",)) == {"a1"}
    assert _ids(index, "", entities=('Name "with" quotes',)) == set()


@pytest.mark.parametrize(
    "text",
    [
        "ferry",
        "harbour ferry",
        '"harbour ferry"',
        "storm OR regatta",
        "harbour NOT ferry",
        "title:story harbour",
        "regatta",  # in a title (boosted) and a body
    ],
)
def test_scores_are_those_of_tantivys_own_parser(index: TantivyIndex, text: str) -> None:
    """The compiled query has the shape tantivy's parser gave the same text, so ranking is unchanged."""
    ours = index.search(IndexQuery(parse_query(text), canonical_only=False), limit=10, offset=0, facets=False)
    parsed = index._index.parse_query(
        text, ["title", "body"], field_boosts={"title": 2.0}, conjunction_by_default=True
    )
    searcher = index._index.searcher()
    theirs = {
        tantivy_id(searcher, address): round(score, 4) for score, address in searcher.search(parsed, 10).hits
    }
    assert theirs and {h.hit.id: h.hit.score for h in ours.hits} == theirs


def tantivy_id(searcher: Any, address: Any) -> str:
    record = searcher.doc(address).get_first("hit")
    return str(record.decode().split('"')[1])


_WORDS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters='"'), min_size=1, max_size=50
)


@given(st.lists(_WORDS, min_size=1, max_size=6))
@settings(max_examples=60, deadline=None)
def test_our_analysis_is_tantivys(words: list[str]) -> None:
    """Every token we make of a text is a term the index holds for that text (en_stem and default)."""
    schema = tantivy.SchemaBuilder()
    schema.add_text_field("title", stored=False, tokenizer_name="en_stem")
    schema.add_text_field("source", stored=False, tokenizer_name="default")
    built = schema.build()
    ram = tantivy.Index(built)
    text = " ".join(words)
    writer = ram.writer(heap_size=15_000_000, num_threads=1)
    writer.add_document(tantivy.Document(title=text, source=text))
    writer.commit()
    writer.wait_merging_threads()
    ram.reload()
    searcher = ram.searcher()
    compiler = QueryCompiler(built)
    for field in ("title", "source"):
        tokens = compiler.tokens(field, text)
        for token in tokens:
            assert searcher.search(tantivy.Query.term_query(built, field, token), 1).hits, (field, token)
        if len(tokens) > 1:
            phrase = tantivy.Query.phrase_query(built, field, tokens)
            assert searcher.search(phrase, 1).hits, (field, tokens)


def test_a_query_left_with_nothing_matches_nothing(tmp_path: Path) -> None:
    idx = TantivyIndex(tmp_path / "index")
    idx.write([IndexEntry(_article("a1", "ferry"))])
    assert _ids(idx, "—") == {"a1"}  # punctuation alone: no text condition at all, like a blank query
    assert _ids(idx, "y" * 45) == set()  # a word the index cannot hold: nothing has it
