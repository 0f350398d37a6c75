"""TantivyIndex on a real index directory: documents, filters, facets, snippets, escaping."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import tantivy

from newsarchive.errors import ArchiveError, QueryError
from newsarchive.index.base import HiddenText, IndexEntry, IndexQuery
from newsarchive.index.tantivy_index import TantivyIndex
from newsarchive.model import Article, SearchHit
from newsarchive.query import parse_query, snippet_html


def _q(text: str, **filters: Any) -> IndexQuery:
    return IndexQuery(parse_query(text), **filters)


def _search(
    index: TantivyIndex, q: IndexQuery, **options: Any
) -> tuple[int, list[SearchHit], dict[str, dict[str, int]]]:
    """Total, hits with their snippet HTML built as run_search builds it, facets."""
    total, hits, facets = index.search(q, limit=10, offset=0, **options)
    return total, [replace(h.hit, snippet=snippet_html(h.excerpt)) for h in hits], facets


def _article(i: int, body: str, published: str | None, source: str = "Gazette") -> Article:
    return Article(
        id=f"a{i}", title=f"Story {i}", body=body, source=source, site="g", published=published, language="en"
    )


@pytest.fixture()
def index(tmp_path: Path) -> TantivyIndex:
    idx = TantivyIndex(tmp_path / "index")
    docs = [
        _article(1, "The mayor opened the <script>alert(1)</script> ferry terminal.", "2016-03-14"),
        _article(2, "Traders protest the fish market rent.", "2016-05-02", source="Coastline Wire"),
        _article(3, "The ferry was delayed by a storm.", None),
    ]
    idx.write(
        [
            IndexEntry(docs[0], cluster_size=2, entities=("Tomas Lindqvist",)),
            IndexEntry(docs[1]),
            IndexEntry(docs[2], canonical=False, cluster_size=2),
        ]
    )
    return idx


def test_snippets_escape_archived_markup(index: TantivyIndex) -> None:
    total, hits, _ = _search(index, _q("ferry", canonical_only=False))
    assert total == 2
    first = next(h for h in hits if h.id == "a1")
    assert "<script>" not in first.snippet and "&lt;script&gt;" in first.snippet
    assert "<b>ferry</b>" in first.snippet


def test_hits_carry_the_stored_record_and_duplicate_count(index: TantivyIndex) -> None:
    _, hits, _ = _search(index, _q("ferry", canonical_only=False))
    first = next(h for h in hits if h.id == "a1")
    assert (first.title, first.source, first.published, first.language) == (
        "Story 1",
        "Gazette",
        "2016-03-14",
        "en",
    )
    assert first.duplicates == 1 and first.score > 0
    _, by_date, _ = _search(index, _q("ferry", canonical_only=False), sort="date")
    assert {h.score for h in by_date} == {0.0}


def test_a_rewritten_document_shows_its_new_record(index: TantivyIndex) -> None:
    changed = _article(1, "The mayor opened the ferry terminal.", "2016-03-15", source="Harbour Post")
    index.write([IndexEntry(changed, cluster_size=1)])
    _, hits, _ = _search(index, _q("mayor"))
    assert [(h.id, h.source, h.published, h.duplicates) for h in hits] == [
        ("a1", "Harbour Post", "2016-03-15", 0)
    ]


def test_canonical_only_hides_cluster_members(index: TantivyIndex) -> None:
    total, _, _ = _search(index, _q("ferry"))
    assert total == 1


def test_date_range_and_facets(index: TantivyIndex) -> None:
    q = _q("", date_from=dt.date(2016, 4, 1), canonical_only=False)
    total, hits, facets = _search(index, q)
    assert total == 1 and hits[0].id == "a2"
    assert facets["source"] == {"Coastline Wire": 1}
    _, _, all_facets = _search(index, _q("", canonical_only=False))
    assert all_facets["year"] == {"2016": 2}
    assert all_facets["entity"] == {"Tomas Lindqvist": 1}


def test_sort_by_date_tolerates_undated(index: TantivyIndex) -> None:
    _, hits, _ = _search(index, _q("ferry", canonical_only=False), sort="date")
    assert [h.id for h in hits] == ["a1", "a3"]


def test_entity_field_query(index: TantivyIndex) -> None:
    total, hits, _ = _search(index, _q('entity:"Tomas Lindqvist"'))
    assert total == 1 and hits[0].id == "a1"


def test_syntax_error_is_a_query_error_with_a_hint(index: TantivyIndex) -> None:
    with pytest.raises(QueryError, match="quote"):
        _search(index, _q('"ferry'))


def test_rewrite_and_delete_are_idempotent(index: TantivyIndex) -> None:
    index.write([IndexEntry(_article(2, "Traders protest again.", "2016-05-02"))])
    index.write([], ["a3"])
    assert index.doc_count() == 2
    assert index.histogram(_q("", canonical_only=False)) == {"2016-03": 1, "2016-05": 1}


def test_readonly_open_of_a_missing_index_says_to_reindex(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="reindex"):
        TantivyIndex(tmp_path / "nothing", readonly=True)


def test_words_with_apostrophes_are_searchable(index: TantivyIndex) -> None:
    index.write([IndexEntry(_article(4, "Harbourmaster O'Brien's ferry didn't sail.", "2016-06-01"))])
    for text in ("O'Brien", "O'Brien's ferry", "title:story didn't", "\"O'Brien's ferry\" -storm"):
        total, hits, _ = _search(index, _q(text))
        assert total == 1 and hits[0].id == "a4", text
    assert _search(index, _q("O'Brien -ferry"))[0] == 0


def test_highlights_land_on_the_match_in_non_ascii_text(tmp_path: Path) -> None:
    """tantivy reports byte offsets; an em dash or a Greek word before the match must not shift them."""
    idx = TantivyIndex(tmp_path / "index")
    body = "Müller und Größe — the ferry sailed. «Ελληνικά» ferry again & <b>not markup</b>"
    idx.write([IndexEntry(_article(7, body, "2016-01-01"))])
    _, hits, _ = _search(idx, _q("ferry"))
    # the fragment ends with the last word, so the closing tag's ">" is not part of it
    assert hits[0].snippet.startswith(
        "Müller und Größe — the <b>ferry</b> sailed. «Ελληνικά» <b>ferry</b> again &amp; "
        "&lt;b&gt;not markup&lt;/b"
    )


@pytest.mark.parametrize("record", [None, b"not json", b'["a9","only two"]'])
def test_an_unreadable_hit_record_says_to_reindex(tmp_path: Path, record: bytes | None) -> None:
    """An index written by something else (or damaged) fails with what to do, not a traceback."""
    idx = TantivyIndex(tmp_path / "index")
    writer = idx._get_writer()
    doc = tantivy.Document()
    doc.add_text("id", "a9")
    doc.add_text("body", "A stray ferry document.")
    doc.add_boolean("canonical", True)
    if record is not None:
        doc.add_bytes("hit", record)
    writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    idx._writer = None
    idx._index.reload()
    with pytest.raises(ArchiveError, match="reindex"):
        _search(idx, _q("ferry"))


def test_more_like_this_survives_deleted_documents_holding_common_words(tmp_path: Path) -> None:
    """tantivy's MoreLikeThis counts deleted documents in a word's frequency and panics when it
    exceeds the live ones (what merging exact duplicates leaves behind); related articles still come."""
    idx = TantivyIndex(tmp_path / "index")
    harbour = "The harbour ferry timetable changes in spring, the harbour board said."
    idx.write([IndexEntry(_article(i, harbour + f" Notice {i}.", "2016-03-14")) for i in range(1, 7)])
    idx.write(
        [IndexEntry(_article(7, "Harbour ferry fares rise, the board said.", "2016-03-15"))],
        ["a2", "a3", "a4", "a5", "a6"],
    )
    related = idx.more_like_this(_article(1, harbour, "2016-03-14"), 5)
    assert related == ["a7"]


def test_match_ids_read_hex_ids_from_the_fast_column_and_any_other_id_from_the_record(tmp_path: Path) -> None:
    """Ids of 16 hex digits (what ingest gives) come back from their numeric column exactly, the
    extremes of the range included; ids of any other shape (a JSONL import's own) still come back."""
    idx = TantivyIndex(tmp_path / "index")
    ids = ["0000000000000000", "ffffffffffffffff", "7fffffffffffffff", "8000000000000000", "00c0ffee00000001",
           "ABCDEF0123456789", "story-2016/ferry", "1234"]  # fmt: skip
    idx.write(
        IndexEntry(replace(_article(n, "The ferry sailed.", f"2016-03-{n + 1:02d}"), id=article_id))
        for n, article_id in enumerate(ids)
    )
    found = [i for batch in idx.match_ids(_q("ferry"), batch=3) for i in batch]
    assert found == ids  # oldest first: the days follow the list


def _ids(index: TantivyIndex, q: IndexQuery) -> set[str]:
    return {h.id for h in _search(index, q, facets=False)[1]}


@pytest.mark.parametrize(
    ("hidden", "wire_hidden", "gazette_hidden"),
    [
        (HiddenText(("Coastline Wire",)), True, False),
        (HiddenText(("Gazette",), all_but=True), True, False),  # every source but the Gazette
        (HiddenText(("Gazette", "Coastline Wire")), True, True),
    ],
)
def test_hidden_sources_match_on_their_titles_only(
    tmp_path: Path, hidden: HiddenText, wire_hidden: bool, gazette_hidden: bool
) -> None:
    idx = TantivyIndex(tmp_path / "index")
    gazette = replace(
        _article(1, "The harbour tender for the dredger closes in May.", "2016-03-14"), title="Dredger"
    )
    wire = replace(
        _article(2, "The harbour tender for the dredger was rigged.", "2016-04-02", source="Coastline Wire"),
        title="Tender rigged",
    )
    idx.write([IndexEntry(gazette), IndexEntry(wire)])
    both = {"a1", "a2"}

    def found(text: str) -> set[str]:
        return _ids(idx, _q(text, text_hidden=hidden))

    assert _ids(idx, _q("harbour")) == both  # no rights: every body is searched
    # a word of both bodies, in neither title: hidden bodies do not match
    assert found("harbour") == {i for i, h in (("a1", gazette_hidden), ("a2", wire_hidden)) if not h}
    assert found('"harbour tender"') == found("harbour")
    assert found("body:dredger") == ({"a1"} if not gazette_hidden else set())
    # titles still match: "rigged" is the wire's title and its body
    assert found("rigged") == {"a2"}
    assert found("title:dredger") == {"a1"}
    # what NOT leaves cannot depend on hidden text either: NOT harbour keeps hidden articles
    assert found("NOT harbour") == {i for i, h in (("a1", gazette_hidden), ("a2", wire_hidden)) if h}
    assert found("dredger -closes") == ({"a1"} if gazette_hidden else set())
    total, _, facets = _search(idx, _q("harbour", text_hidden=hidden))
    assert total == len(found("harbour")) and sum(facets.get("source", {}).values()) == total
