"""Archive: the Python API over a real SQLite file and tantivy index in a tmp dir."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsarchive import Archive, ArchiveError, NotFoundError, QueryError
from tests.corpus_helpers import STORIES, near_duplicate, write_jsonl


@pytest.fixture()
def archive(tmp_path: Path) -> Archive:
    rows = [*STORIES, near_duplicate(STORIES[0])]
    src = write_jsonl(tmp_path / "stories.jsonl", rows)
    arch = Archive.open(tmp_path / "arch", create=True)
    arch.ingest([src])
    yield arch
    arch.close()


def test_open_missing_archive_says_how_to_create(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="ingest"):
        Archive.open(tmp_path / "nowhere", readonly=True)
    with pytest.raises(ArchiveError, match="ingest"):
        Archive.open(tmp_path / "nowhere", create=False)
    assert not (tmp_path / "nowhere").exists()


def test_huge_page_is_rejected_and_the_batch_goes_on(tmp_path: Path) -> None:
    huge = tmp_path / "huge.html"
    paragraph = "<p>" + "The harbour council met again to discuss the ferry timetable. " * 20 + "</p>\n"
    with huge.open("w", encoding="utf-8") as fh:
        fh.write("<html><head><title>Huge</title></head><body><article>")
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(paragraph * 100)
        fh.write("</article></body></html>")
    good = write_jsonl(tmp_path / "good.jsonl", [STORIES[3]])
    with Archive.open(tmp_path / "arch") as arch:
        report = arch.ingest([huge, good])
        assert report.articles_new == 1
        assert [r.origin for r in report.rejects] == [str(huge)]
        assert "limit" in report.rejects[0].reason
        assert arch.stats()["rejects"][0]["origin"] == str(huge)


def test_ingest_counts_and_stats(archive: Archive) -> None:
    stats = archive.stats()
    assert stats["articles"] == 5
    assert stats["indexed"] == 5
    assert stats["captures"] == 5
    assert stats["stories"] == 4  # the near-duplicate joins its original's cluster
    assert (stats["clusters"], stats["copies"], stats["versions"]) == (1, 1, 0)
    assert stats["by_source"]["Harbour Gazette"] == 2
    assert stats["by_year"] == {"2016": 4, "2017": 1}


def test_overview_is_counted_once_per_generation(archive: Archive, tmp_path: Path) -> None:
    """The home page's counts: the same result while nothing changes (at once from many threads
    too), fresh counts once an ingest stores an article."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        seen = list(pool.map(lambda _: archive.overview(), range(16)))
    assert all(s is seen[0] for s in seen)
    assert seen[0] == archive.stats()
    extra = dict(STORIES[1], url="https://harbour.example/another", title="Ferry fares rise",
                 text="The ferry company raised its fares for the winter timetable, the council said.")  # fmt: skip
    archive.ingest([write_jsonl(tmp_path / "more.jsonl", [extra])])
    fresh = archive.overview()
    assert fresh is not seen[0]
    assert (seen[0]["articles"], fresh["articles"]) == (5, 6) and fresh == archive.stats()


def test_the_generation_changes_when_articles_are_rewritten_in_place(archive: Archive) -> None:
    """A re-extraction or re-indexing rewrites articles without changing any count; the web's
    ETags and the home page's counts must still see it."""
    before = archive.generation()
    assert archive.generation() == before  # nothing happened: the same token
    count = archive.stats()["articles"]
    archive.reindex()
    assert archive.stats()["articles"] == count
    assert archive.generation() != before


def test_reingest_is_a_no_op(archive: Archive, tmp_path: Path) -> None:
    report = archive.ingest([tmp_path / "stories.jsonl"])
    assert report.captures_new == 0
    assert report.captures_seen == 5
    assert archive.stats()["articles"] == 5


def test_exact_duplicate_links_capture_to_same_article(archive: Archive, tmp_path: Path) -> None:
    copy = dict(STORIES[1], url="https://mirror.example/fish", source="Mirror")
    report = archive.ingest([write_jsonl(tmp_path / "copy.jsonl", [copy])])
    assert report.duplicates == 1 and report.articles_new == 0
    hit = archive.search("fish market rent").hits[0]
    assert len(archive.article(hit.id).captures) == 2


def test_search_fields_contract(archive: Archive) -> None:
    result = archive.search("ferry")
    assert result.total == 1  # one per cluster by default
    hit = result.hits[0].to_json()
    assert set(hit) == {
        "id",
        "score",
        "title",
        "url",
        "source",
        "published",
        "section",
        "language",
        "snippet",
        "duplicates",
        "versions",
    }
    assert hit["duplicates"] == 1
    assert "<b>" in hit["snippet"]
    assert archive.search("ferry", all_versions=True).total == 2


def test_a_later_near_duplicate_raises_the_original_hits_duplicate_count(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "arch") as arch:
        arch.ingest([write_jsonl(tmp_path / "first.jsonl", STORIES)])
        assert arch.search("ferry").hits[0].duplicates == 0
        arch.ingest([write_jsonl(tmp_path / "later.jsonl", [near_duplicate(STORIES[0])])])
        hits = arch.search("ferry").hits
        assert len(hits) == 1 and hits[0].duplicates == 1
        assert arch.search("ferry", all_versions=True).total == 2


def test_search_filters_facets_sort_pages(archive: Archive) -> None:
    assert archive.search("", date_from="2017").total == 1
    assert archive.search("", date_to="2016-04").total == 1
    assert archive.search("", source="Coastline Wire").total == 2
    assert archive.search("source:coastline").total == 2
    assert archive.search('"free-trade zone"').hits[0].title.startswith("Medvedev")
    assert archive.search("title:regatta").total == 1
    assert archive.search("ferry OR regatta").total == 2
    assert archive.search("harbour NOT ferry").total >= 1
    facets = archive.search("").facets
    # the ferry story's copy is shown for it: same date, and its body is longer ("stated")
    assert facets["source"]["Harbour Gazette"] == 1
    assert facets["source"]["Seabreeze Post"] == 1
    assert facets["year"]["2016"] == 3
    dated = [h.published for h in archive.search("", sort="date").hits]
    assert dated == sorted(dated, reverse=True)
    page2 = archive.search("", per_page=2, page=2)
    assert len(page2.hits) == 2 and page2.total == 4


def test_bad_queries_raise_query_error(archive: Archive) -> None:
    with pytest.raises(QueryError, match="quote"):
        archive.search('"unclosed')
    with pytest.raises(QueryError, match="date"):
        archive.search("x", date_from="yesterday")
    with pytest.raises(QueryError, match="sort"):
        archive.search("x", sort="random")


def test_article_and_capture(archive: Archive) -> None:
    hit = archive.search("Medvedev").hits[0]
    article = archive.article(hit.id)
    data = article.to_json()
    assert data["published"] == "2016-10-20"
    assert data["body"].startswith("Russian Prime Minister Dmitry Medvedev")
    capture = archive.capture(data["captures"][0]["sha256"])
    assert b"Medvedev" in capture.raw
    assert capture.ref.origin.endswith("stories.jsonl#3")
    with pytest.raises(NotFoundError):
        archive.article("nope")


def test_copies_say_why_and_related_skips_them(archive: Archive) -> None:
    hit = archive.search("ferry").hits[0]
    copies = archive.copies(hit.id)
    assert [(c.source, c.representative) for c in copies] == [
        ("Seabreeze Post", True),
        ("Harbour Gazette", False),
    ]
    assert copies[0].resemblance == 1.0 and 0.8 < copies[1].resemblance < 1.0
    assert copies[1].containment > 0.9
    assert archive.versions(hit.id) == [archive.article(hit.id)]  # one capture of its URL: one version
    related = archive.related(hit.id)
    assert all(r.id not in {c.id for c in copies} for r in related)


def test_export_formats(archive: Archive, tmp_path: Path) -> None:
    buf = io.StringIO()
    assert archive.export(buf, "jsonl") == 5
    first = json.loads(buf.getvalue().splitlines()[0])
    assert first["title"] == STORIES[0]["title"]
    csv_buf = io.StringIO()
    archive.export(csv_buf, "csv")
    assert csv_buf.getvalue().splitlines()[0].startswith("id,url,source,title")
    path = tmp_path / "out.parquet"
    with path.open("wb") as fh:
        archive.export(fh, "parquet")
    table = pq.read_table(path)
    assert table.num_rows == 5 and "captures" in table.column_names
    # one cluster of two copies: both carry its id, and exactly one is the copy shown
    frame = table.select(["cluster_id", "representative", "latest"]).to_pylist()
    clusters = [r["cluster_id"] for r in frame]
    assert len(set(clusters)) == 4 and all(r["latest"] is True for r in frame)
    assert sorted(r["representative"] for r in frame) == [False, True, True, True, True]
    header = csv_buf.getvalue().splitlines()[0].split(",")
    assert {"cluster_id", "representative", "latest"} <= set(header)


def test_reindex_rebuilds_from_database(archive: Archive) -> None:
    assert archive.reindex() == 5
    assert archive.search("regatta").total == 1


def test_index_deleted_is_rebuilt_at_open(archive: Archive, tmp_path: Path) -> None:
    import shutil

    archive.close()
    shutil.rmtree(tmp_path / "arch" / "index")
    reopened = Archive.open(tmp_path / "arch")
    try:
        assert reopened.stats()["indexed"] == 5
        assert reopened.search("regatta").total == 1
    finally:
        reopened.close()


def test_timeline_counts_months(archive: Archive) -> None:
    assert archive.timeline("") == {"2016-03": 1, "2016-05": 1, "2016-10": 1, "2017-09": 1}


def test_feed_items_become_clean_articles_of_the_feed_publisher(tmp_path: Path, fixtures_dir: Path) -> None:
    with Archive.open(tmp_path / "feeds", create=True) as arch:
        arch.ingest([fixtures_dir / "sources" / "feed-rss.xml"])
        hit = arch.search("evening sailings").hits[0]
        article = arch.article(hit.id)
        assert article.source == "Harbour Times"
        assert article.body.startswith("The harbour council voted on Tuesday")
        assert "<p>" not in article.body and "harbourtimes.example" not in article.body
        assert article.section == "Local" and article.authors == ["Mara Lindqvist"]
        # the capture keeps the item's original XML
        assert arch.capture(article.captures[0].sha256).raw.startswith(b"<item")
        assert arch.reextract() == 0  # re-extraction from the kept original gives the same article


def test_given_text_is_kept_as_given_even_when_lines_repeat(tmp_path: Path) -> None:
    # JSONL text is the body as given (offsets into it must stay valid), so no chrome is learned from it
    footer = "Subscribe to our newsletter for more."
    rows = [dict(s, text=s["text"] + "\n\n" + footer) for s in STORIES]
    with Archive.open(tmp_path / "arch") as arch:
        arch.ingest([write_jsonl(tmp_path / "rows.jsonl", rows)])
        bodies = [a.body for a in arch.articles()]
    assert bodies == [r["text"] for r in rows]
