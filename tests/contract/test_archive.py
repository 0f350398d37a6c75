"""The archive contract: what users do through ``Archive`` behaves the same on every backend —
ingest, duplicates and versions, search semantics, facets and snippets, healing after a lost
index, read-only opens and two writers at once."""

from __future__ import annotations

import io
import json
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsarchive import Archive, ArchiveError, Settings
from newsarchive.enrich.nlp import ModelNotInstalledError, load_nlp
from tests.corpus_helpers import STORIES, near_duplicate, write_jsonl

CORE = Settings(enrich=False)


@pytest.fixture(params=["directory", "postgres"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a new, empty archive of the backend under test lives."""
    if request.param == "directory":
        yield str(tmp_path / "archive")
    else:
        dsn: str = request.getfixturevalue("postgres_database")
        yield f"{dsn}{'&' if '?' in dsn else '?'}index={tmp_path / 'index'}"


def _rows(n: int, prefix: str = "s") -> list[dict[str, Any]]:
    towns = ("Port Ellery", "Westmarch", "Caldera Bay", "Linden Falls", "Easthaven")
    return [
        {
            "url": f"https://gazette.example/{prefix}{i}",
            "title": f"Council item {prefix}{i}",
            "date": f"2016-{1 + i % 12:02d}-{1 + i % 27:02d}",
            "source": "Gazette" if i % 2 else "Courier",
            "text": (
                f"The council of {towns[i % 5]} discussed item {prefix}{i} on Tuesday, a plan costing "
                f"{100 + i} thousand that would repair {3 + i % 7} bridges over the river. Councillor "
                f"number {i} said the vote would come next month after residents had their say."
            ),
        }
        for i in range(n)
    ]


def test_ingest_search_facets_and_snippets(location: str, tmp_path: Path) -> None:
    hostile = dict(
        STORIES[1], url="https://x.example/h", text=STORIES[1]["text"] + " <script>alert(1)</script>"
    )
    rows = [*STORIES, near_duplicate(STORIES[0]), hostile]
    with Archive.open(location, CORE, create=True) as archive:
        report = archive.ingest([write_jsonl(tmp_path / "s.jsonl", rows)])
        assert report.articles_new == len(rows) and not report.rejects
        stats = archive.stats()
        # the ferry story's copy, and the fish-market story's copy with a script tag appended
        assert (stats["articles"], stats["indexed"], stats["clusters"]) == (len(rows), len(rows), 2)
        result = archive.search("ferry")
        assert result.total == 1 and result.hits[0].duplicates == 1
        assert archive.search("ferry", all_versions=True).total == 2
        assert "<b>" in result.hits[0].snippet.lower() or "ferry" in result.hits[0].snippet.lower()
        assert archive.search('"free-trade zone"').hits[0].title.startswith("Medvedev")
        assert archive.search("", date_from="2017").total == 1
        assert archive.search("", source="Coastline Wire").facets["source"] == {"Coastline Wire": 2}
        snippet = archive.search("alert").hits[0].snippet
        assert "<script>" not in snippet and "&lt;script&gt;" in snippet
        again = archive.ingest([write_jsonl(tmp_path / "s.jsonl", rows)])
        assert again.already_archived


def test_the_same_clusters_whatever_the_order(location: str, tmp_path: Path) -> None:
    rows = _rows(12)
    rows += [
        dict(
            rows[3], url="https://copy.example/a", source="Wire", text=rows[3]["text"] + "\nShare this story"
        ),
        dict(near_duplicate(STORIES[2]), url="https://copy.example/b", source="Wire"),
        dict(STORIES[2]),
    ]
    random.Random(3).shuffle(rows)
    with Archive.open(location, Settings(enrich=False, batch_size=4), create=True) as archive:
        archive.ingest([write_jsonl(tmp_path / "a.jsonl", rows)])
        clusters = {a.url: (a.cluster_id, a.representative) for a in archive.articles()}
    assert clusters["https://copy.example/a"][0] == clusters[rows_url(rows, 3)][0]
    assert clusters["https://copy.example/b"][0] == clusters[STORIES[2]["url"]][0]
    assert sum(1 for _, shown in clusters.values() if not shown) == 2


def rows_url(rows: list[dict[str, Any]], i: int) -> str:
    return f"https://gazette.example/s{i}"


def test_exact_duplicate_survivor_and_versions(location: str, tmp_path: Path) -> None:
    text = "Ferries were cancelled on Friday as winds reached gale force along the whole coast again today."
    rows = [
        {"url": "https://b.example/f", "title": "Ferries off", "date": "2016-02-02", "source": "B", "text": text},
        {"url": "https://a.example/f", "title": "Ferries cancelled", "date": "2016-02-01", "source": "A", "text": text},
        {"url": "https://a.example/v", "title": "Vote", "date": "2016-02-03", "fetched_at": "2016-02-03T08:00:00Z",
         "source": "A", "text": STORIES[0]["text"]},
        {"url": "https://a.example/v/", "title": "Vote (updated)", "date": "2016-02-03",
         "fetched_at": "2016-02-03T18:00:00Z", "source": "A", "text": STORIES[0]["text"] + " Updated at six."},
    ]  # fmt: skip
    with Archive.open(location, CORE, create=True) as archive:
        archive.ingest([write_jsonl(tmp_path / "first.jsonl", rows[:1])])
        first_id = next(iter(archive.articles())).id
        archive.ingest([write_jsonl(tmp_path / "rest.jsonl", rows[1:])])
        assert archive.article(first_id).source == "A"  # merged into the earlier capture
        hits = archive.search("vote")
        assert [(h.title, h.versions) for h in hits.hits] == [("Vote (updated)", 2)]
        versions = archive.versions(hits.hits[0].id)
        assert [v.latest for v in versions] == [False, True]
        assert any(
            "six" in p.text for p in archive.version_diff(versions[1].id, versions[0].id) if p.op == "added"
        )


def test_a_lost_index_is_rebuilt_from_the_store(location: str, tmp_path: Path) -> None:
    with Archive.open(location, CORE, create=True) as archive:
        archive.ingest([write_jsonl(tmp_path / "s.jsonl", _rows(6))])
        index_dir = archive.index.path
    import shutil

    shutil.rmtree(index_dir)
    with Archive.open(location, CORE) as archive:
        assert archive.stats()["indexed"] == 6
        assert archive.search("bridges").total == 6


def test_read_only_opens_refuse_writes_and_never_create(location: str, tmp_path: Path) -> None:
    with pytest.raises(ArchiveError):
        Archive.open(location, CORE, readonly=True)
    with Archive.open(location, CORE, create=True) as archive:
        archive.ingest([write_jsonl(tmp_path / "s.jsonl", _rows(2))])
    with Archive.open(location, CORE, readonly=True) as archive:
        assert archive.search("bridges").total == 2
        with pytest.raises(ArchiveError, match="read-only"):
            archive.ingest([write_jsonl(tmp_path / "t.jsonl", _rows(2, "t"))])


def test_two_writers_at_once_lose_nothing_and_double_nothing(location: str, tmp_path: Path) -> None:
    shared = _rows(30, "shared")
    files = [write_jsonl(tmp_path / f"w{n}.jsonl", shared + _rows(40, f"w{n}-")) for n in range(2)]
    with Archive.open(location, Settings(enrich=False, batch_size=10), create=True):
        pass
    errors: list[BaseException] = []

    def writer(path: Path) -> None:
        try:
            with Archive.open(location, Settings(enrich=False, batch_size=10)) as archive:
                archive.ingest([path])
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not errors, errors
    with Archive.open(location, CORE, readonly=True) as archive:
        stats = archive.stats()
        urls = [a.url for a in archive.articles()]
    assert stats["articles"] == stats["indexed"] == 30 + 80
    assert len(urls) == len(set(urls))
    assert json.dumps(stats["rejects"]) == "[]"


def _distinct_text(n: int) -> str:
    """A body sharing no run of words with another's: no two rows become copies of one story."""
    words = ["harbour", "council", "bridge", "market", "ferry", "school", "river", "storm", "budget", "library",
             "station", "festival", "hospital", "tram", "orchard", "quarry", "lighthouse", "museum", "dock", "mill"]  # fmt: skip
    pick = random.Random(n)
    return " ".join(pick.choice(words) + str(pick.randrange(10_000)) for _ in range(60)) + "."


def test_neighbours_walk_a_section_in_its_page_order_with_stable_ties(location: str, tmp_path: Path) -> None:
    """Older/newer in a section and source follow the section page's newest-first order exactly:
    three articles of one day, two of another, a month-only date and undated ones come in one order
    on every page size, and the newer neighbour of the older one is the article again."""
    dates = [
        "2016-03-05",
        "2016-03-05",
        "2016-03-04",
        "2016-03-05",
        "2016-03-04",
        "2016-03-01",
        "2016-02",
        "",
        "",
    ]
    rows = [
        {"url": f"https://gazette.example/n{i}", "title": f"Local item {i}", "source": "Gazette", "section": "Local",
         "text": _distinct_text(i), **({"date": day} if day else {})}
        for i, day in enumerate(dates)
    ]  # fmt: skip
    rows += [
        {"url": "https://courier.example/x", "title": "Other source", "source": "Courier", "section": "Local",
         "date": "2016-03-05", "text": _distinct_text(100)},
        {"url": "https://gazette.example/s", "title": "Other section", "source": "Gazette", "section": "Sport",
         "date": "2016-03-05", "text": _distinct_text(101)},
    ]  # fmt: skip
    where = {"section": "Local", "source": "Gazette"}
    with Archive.open(location, CORE, create=True) as archive:
        archive.ingest([write_jsonl(tmp_path / "n.jsonl", rows)])
        listed = [h.id for h in archive.search("", sort="date", per_page=100, **where).hits]
        assert len(listed) == len(dates)
        paged = [
            h.id
            for page in (1, 2, 3, 4, 5)
            for h in archive.search("", sort="date", per_page=2, page=page, **where).hits
        ]
        assert paged == listed
        walked = [listed[0]]
        assert archive.neighbours(listed[0], **where).newer is None
        while (older := archive.neighbours(walked[-1], **where).older) is not None:
            assert archive.neighbours(older.id, **where).newer.id == walked[-1]  # type: ignore[union-attr]
            walked.append(older.id)
        assert walked == listed
        published = {h.id: h.published for h in archive.search("", sort="date", per_page=100, **where).hits}
        assert [published[i] for i in walked[:6]] == sorted(d for d in dates if len(d) == 10)[::-1]
        everything = [h.id for h in archive.search("", sort="date", per_page=100).hits]
        newer, older = (archive.neighbours(everything[1]).newer, archive.neighbours(everything[1]).older)
        assert (newer and newer.id, older and older.id) == (everything[0], everything[2])


def test_short_ids_are_unique_prefixes_that_resolve(location: str, tmp_path: Path) -> None:
    rows = [{"url": f"https://a.example/{i}", "title": f"T{i}", "source": "A", "text": _distinct_text(200 + i)}
            for i in range(5)]  # fmt: skip
    with Archive.open(location, CORE, create=True) as archive:
        archive.ingest([write_jsonl(tmp_path / "p.jsonl", rows)])
        ids = sorted(a.id for a in archive.articles())
        for article_id in ids:
            short = archive.short_id(article_id)
            assert len(short) == 8 and article_id.startswith(short)
            assert archive.ids_with_prefix(short) == [article_id]
        assert archive.ids_with_prefix(ids[0][:1], limit=100) == [i for i in ids if i[0] == ids[0][0]]
        assert archive.ids_with_prefix("zzzzzzzz") == []


def test_an_entity_named_differently_in_two_articles_is_one_entity_to_ask_about(
    location: str, tmp_path: Path
) -> None:
    """Coreference in the product: a pronoun is stored as a mention of its entity, and "Hartley"
    in one report is "Julia Hartley" of another for the entity page, quotes and the entity filter."""
    try:
        load_nlp()
    except ModelNotInstalledError as exc:
        pytest.skip(str(exc))
    rows = [
        {
            "url": "https://gazette.example/a",
            "title": "Clinic",
            "date": "2016-06-07",
            "text": "Actress Julia Hartley checked into a clinic in Oslo on Monday, her agent said.",
        },
        {
            "url": "https://gazette.example/b",
            "title": "Leaving",
            "date": "2016-07-01",
            "text": 'Hartley was seen leaving the clinic in Oslo on Friday. "I feel fine," Hartley said.',
        },
    ]
    with Archive.open(location, Settings(enrich=True), create=True) as archive:
        archive.ingest([write_jsonl(tmp_path / "h.jsonl", rows)])
        ids = {a.url: a.id for a in archive.articles()}
        first = archive.enrichment(ids["https://gazette.example/a"])
        assert ("her", "pronoun", "Julia Hartley") in {(m.text, m.kind, m.entity) for m in first.mentions}
        for name in ("Hartley", "Julia Hartley"):
            detail = archive.entity(name)
            assert (detail.entity.name, detail.entity.articles) == ("Julia Hartley", 2)
            assert detail.months == {"2016-06": 1, "2016-07": 2}
            assert [q.text for q in detail.quotes] == ["I feel fine,"]
        assert archive.search(entity="Julia Hartley").total == 2
        assert archive.search(entity="Hartley").total == 1  # the name as that article wrote it
        facet = archive.search("clinic").facets["entity"]
        assert facet.get("Julia Hartley") == 2 and "Hartley" not in facet  # one entity, counted once
        assert "Hartley" in archive.entities(10)[0].aliases
        parquet = io.BytesIO()
        archive.export(parquet, "parquet", what="mentions")
    import pyarrow.parquet as pq

    from newsarchive.batch.schema import table_schema

    parquet.seek(0)
    table = pq.read_table(parquet)
    assert table.schema.field("kind").type == "string"
    assert table.schema.remove_metadata() == table_schema("mentions")  # the Spark job's table is the same
    rows = table.to_pylist()
    assert ("her", "pronoun", "Julia Hartley") in {(r["text"], r["kind"], r["entity"]) for r in rows}
    assert {r["kind"] for r in rows} <= {"name", "pronoun", "description", "speaker"}
