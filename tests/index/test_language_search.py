"""Per-language search on a real tantivy index: each written form of the issue-13 table, French and
German stemming, highlights on the characters as printed, and English unchanged beside them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from newsarchive.index.analyzers import analyzer_for
from newsarchive.index.base import IndexEntry, IndexQuery
from newsarchive.index.tantivy_index import SCHEMA_VERSION, TantivyIndex
from newsarchive.model import Article
from newsarchive.query import parse_query, snippet_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "arabic" / "articles.jsonl"
ROWS = [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines()]


def _article(row: dict[str, Any]) -> Article:
    return Article(
        id=row["id"],
        title=row["title"],
        body=row["body"],
        source="Fictional Daily",
        site="fictional.example",
        published="2024-05-01",
        language=row["language"],
    )


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> TantivyIndex:
    idx = TantivyIndex(tmp_path_factory.mktemp("lang") / "index")
    idx.write([IndexEntry(_article(row)) for row in ROWS])
    return idx


def _hits(index: TantivyIndex, text: str, **filters: Any) -> dict[str, Any]:
    found = index.search(IndexQuery(parse_query(text), **filters), limit=50, offset=0, facets=False)
    return {h.hit.id: h for h in found.hits}


def _expected(row: dict[str, Any]) -> set[str]:
    """The articles holding some form of the row's word (its singular and plural, its spellings)."""
    return {other["id"] for other in ROWS if other["word"] == row["word"]}


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_each_written_form_is_found_and_highlighted_as_printed(
    index: TantivyIndex, row: dict[str, Any]
) -> None:
    hits = _hits(index, row["query"])
    assert set(hits) == _expected(row)
    excerpt = hits[row["id"]].excerpt
    assert excerpt.spans, "no highlight"
    highlighted = [excerpt.text[start:end] for start, end in excerpt.spans]
    assert highlighted == row["forms"]
    assert excerpt.text in row["body"]


def test_the_snippet_marks_the_original_characters(index: TantivyIndex) -> None:
    hit = _hits(index, "مكتبة")["ar-tanween"]
    assert "<b>مكتبةً</b>" in snippet_html(hit.excerpt)


def test_arabic_phrases_and_titles(index: TantivyIndex) -> None:
    assert set(_hits(index, '"مستشفي العاصمه"')) == {"ar-maqsura-1"}
    assert set(_hits(index, "title:الجامعه")) == {"ar-prefix-lam"}
    assert set(_hits(index, "الطلاب -الجامعة")) == {"ar-prefix-bare"}


def test_cjk_text_is_searched_by_character_pairs(index: TantivyIndex) -> None:
    assert set(_hits(index, "図書")) == {"ja-bigrams"}
    assert set(_hits(index, "书馆")) == set()  # simplified characters are other characters
    assert set(_hits(index, "交通")) == {"zh-bigrams"}
    assert set(_hits(index, '"计划交通"')) == set()  # the pairs in their order
    hit = _hits(index, "公共交通")["zh-bigrams"]
    assert [hit.excerpt.text[a:b] for a, b in hit.excerpt.spans] == ["公共交通"]


def test_lang_narrows_to_one_language(index: TantivyIndex) -> None:
    assert set(_hits(index, "élection", languages=("fr",))) == {"fr-plural", "fr-singular"}
    assert set(_hits(index, "élection lang:de")) == set()
    assert set(_hits(index, "الطلاب", languages=("en",))) == set()


def test_english_stays_english(index: TantivyIndex) -> None:
    """The English article is found by English stemming only; the French one not by English rules."""
    assert set(_hits(index, "election")) == {"en-control"}
    assert set(_hits(index, "council")) == {"en-control"}
    assert set(_hits(index, "conseil")) == {"fr-plural"}


def test_related_articles_of_an_arabic_article_come_from_its_own_fields(index: TantivyIndex) -> None:
    rows = {row["id"]: row for row in ROWS}
    related = index.more_like_this(_article(rows["ar-prefix-waw"]), 5)
    assert "ar-prefix-lam" in related  # الجامعة and الطلاب in both


def test_the_script_decides_over_a_declared_language(tmp_path: Path) -> None:
    """A bilingual site's template declaring English over an Arabic article, or no language at all."""
    idx = TantivyIndex(tmp_path / "index")
    arabic = next(row for row in ROWS if row["id"] == "ar-tatweel")
    english = next(row for row in ROWS if row["id"] == "en-control")
    idx.write(
        [
            IndexEntry(replace(_article(arabic), id="declared-en", language="en")),
            IndexEntry(replace(_article(arabic), id="declared-fa", language="fa")),
            IndexEntry(replace(_article(english), id="english-undeclared", language=None)),
        ]
    )
    assert set(_hits(idx, "جديدة")) == {"declared-en", "declared-fa"}  # printed جـديدة
    assert set(_hits(idx, "خطه")) == {"declared-en", "declared-fa"}  # printed خطة
    assert set(_hits(idx, "الخطة")) == {"declared-en"}  # the Arabic stemmer is not applied to Persian
    assert set(_hits(idx, "election")) == {"english-undeclared"}  # printed elections: English stemming
    idx.close()


def test_each_language_names_its_analyzer() -> None:
    assert analyzer_for("ar") == "Arabic normalisation and light stemmer (light10)"
    assert analyzer_for("fr") == "French Snowball stemmer"
    assert analyzer_for("nb") == "Norwegian Snowball stemmer"
    assert analyzer_for("ja").startswith("CJK character bigrams")
    assert analyzer_for("fa").startswith("Arabic-script normalisation")
    assert analyzer_for("pl") == analyzer_for("en")
    assert analyzer_for(None).startswith("by the text's script")


def test_an_index_of_the_previous_schema_is_emptied_for_a_rebuild(tmp_path: Path) -> None:
    """Articles indexed before analyzers existed would be missing from the per-language fields:
    the index is dropped at a writable open so the pipeline rebuilds it from the store."""
    path = tmp_path / "index"
    old = TantivyIndex(path)
    old.write([IndexEntry(_article(ROWS[0]))])
    old.close()
    (path / "newsarchive-index-version").write_text(str(int(SCHEMA_VERSION) - 1))
    reopened = TantivyIndex(path)
    assert reopened.doc_count() == 0 and reopened.was_reset
    assert (path / "newsarchive-index-version").read_text() == SCHEMA_VERSION


def test_a_reader_sees_a_language_another_writer_added(tmp_path: Path) -> None:
    path = tmp_path / "index"
    writer = TantivyIndex(path)
    writer.write([IndexEntry(_article(next(row for row in ROWS if row["language"] == "en")))])
    reader = TantivyIndex(path, readonly=True)
    assert set(_hits(reader, "مكتبة")) == set()
    writer.write([IndexEntry(_article(ROWS[0]))])
    reader._index.reload()
    assert set(_hits(reader, "مكتبة")) == {"ar-tanween"}
    hit = _hits(reader, "مكتبة")["ar-tanween"]
    assert replace(hit.hit, score=0).language == "ar"
