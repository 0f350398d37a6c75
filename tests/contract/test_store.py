"""The Store contract on every backend: captures, articles, rejects, skips, site chrome, stats,
transactions and two writers at once. Each test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import threading
from dataclasses import replace

import pytest

from newsarchive.model import Capture, Reject, Skip
from newsarchive.store.base import (
    ArticleDraft,
    ClusterAssignment,
    CopyPair,
    ExportRow,
    Store,
    StoredSignature,
)
from tests.contract.conftest import StoreFactory
from tests.contract.samples import FERRY, capture, draft, meeting_enrichment, store_articles

AT = "2026-12-02T10:00:00Z"


# -- captures ---------------------------------------------------------------------------------


def test_capture_bytes_come_back_exactly_and_are_stored_once(store: Store) -> None:
    raw = b"<html>\xff\xfe not utf-8 \x00 nul</html>"
    first = Capture(
        origin="crawl.warc.gz#1234",
        raw=raw,
        format="html",
        url="https://harbourgazette.example/a",
        fetched_at="2016-03-14T08:00:00Z",
        content_type="text/html; charset=latin-1",
        hints={"title": "Ferry vote", "section": "Politics"},
    )
    again = replace(first, origin="other.warc.gz#99")
    assert store.known_captures([first.sha256]) == set()
    with store.transaction():
        store.add_capture(first, None, "2026-01-01T00:00:00Z")
        store.add_capture(again, None, "2026-01-02T00:00:00Z")
    stored = store.get_capture(first.sha256)
    assert stored is not None
    assert stored.raw == raw
    assert stored.ref.origin == "crawl.warc.gz#1234"  # the first one stored is kept
    assert stored.ref.ingested_at == "2026-01-01T00:00:00Z"
    assert (stored.ref.url, stored.ref.fetched_at) == (
        "https://harbourgazette.example/a",
        "2016-03-14T08:00:00Z",
    )
    assert (stored.format, stored.content_type, stored.article_id) == (
        "html",
        "text/html; charset=latin-1",
        None,
    )
    assert stored.hints == {"title": "Ferry vote", "section": "Politics"}
    assert store.known_captures([first.sha256, "0" * 64, first.sha256]) == {first.sha256}
    assert len(list(store.iter_captures())) == 1


def test_an_html_hint_equal_to_the_bytes_is_not_kept_twice(store: Store) -> None:
    same = Capture(
        origin="a.jsonl#1", raw=b"<p>Hello</p>", format="html", hints={"html": "<p>Hello</p>", "x": "1"}
    )
    other = Capture(origin="a.jsonl#2", raw=b"<p>Bye</p>", format="html", hints={"html": "<p>Other</p>"})
    with store.transaction():
        store.add_capture(same, None, AT)
        store.add_capture(other, None, AT)
    assert store.get_capture(same.sha256).hints == {"x": "1"}  # type: ignore[union-attr]
    assert store.get_capture(other.sha256).hints == {"html": "<p>Other</p>"}  # type: ignore[union-attr]


def test_unknown_captures_are_absent(store: Store) -> None:
    assert store.get_capture("0" * 64) is None
    assert store.capture_infos(["0" * 64]) == {}
    assert store.known_captures([]) == set()
    assert list(store.iter_captures()) == []


def test_capture_infos_give_format_type_and_size_without_the_bytes(store: Store) -> None:
    page = capture(1, content_type="text/html")
    dump = Capture(origin="dump.txt", raw=b"Title\n\nBody text", format="textdump")
    with store.transaction():
        store.add_capture(page, None, AT)
        store.add_capture(dump, None, AT)
    infos = store.capture_infos([page.sha256, dump.sha256, "0" * 64])
    assert set(infos) == {page.sha256, dump.sha256}
    assert (infos[page.sha256].format, infos[page.sha256].content_type) == ("html", "text/html")
    assert infos[page.sha256].raw_size == len(page.raw)
    assert (infos[dump.sha256].format, infos[dump.sha256].raw_size) == (
        "textdump",
        len(b"Title\n\nBody text"),
    )


def test_iter_captures_walks_every_capture_in_ingest_order_while_the_caller_writes(store: Store) -> None:
    """Reextract writes between pages of the walk; every capture still comes once, in ingest order."""
    captures = [capture(n) for n in range(450)]
    store_articles(store, draft("a1"), draft("a2", "Another story."))
    with store.transaction():
        for c in captures:
            store.add_capture(c, "a1", AT)
    walked = []
    for stored in store.iter_captures():
        walked.append(stored.ref.sha256)
        if len(walked) == 1:
            with store.transaction():
                store.relink_captures("a1", "a2")  # type: ignore[attr-defined]
        elif len(walked) == 250:
            with store.transaction():
                store.relink_captures("a2", "a1")  # type: ignore[attr-defined]
    assert walked == [c.sha256 for c in captures]
    assert len(store.get_article("a1").captures) == 450  # type: ignore[union-attr]


def test_relinked_captures_follow_the_article(store: Store) -> None:
    store_articles(store, draft("a1"), draft("a2", "Another story."))
    c1, c2 = capture(1), capture(2)
    with store.transaction():
        store.add_capture(c1, "a1", AT)
        store.add_capture(c2, "a1", AT)
        store.relink_captures("a1", "a2")  # type: ignore[attr-defined]
    assert store.get_article("a1").captures == []  # type: ignore[union-attr]
    assert [r.sha256 for r in store.get_article("a2").captures] == [c1.sha256, c2.sha256]  # type: ignore[union-attr]
    assert store.get_capture(c1.sha256).article_id == "a2"  # type: ignore[union-attr]


def test_a_moved_capture_leaves_its_article_for_the_other(store: Store) -> None:
    store_articles(store, draft("a1"), draft("a2", "Another story."))
    c1, c2 = capture(1), capture(2)
    with store.transaction():
        store.add_capture(c1, "a1", AT)
        store.add_capture(c2, "a1", AT)
        store.move_capture(c2.sha256, "a2")
    assert [r.sha256 for r in store.get_article("a1").captures] == [c1.sha256]  # type: ignore[union-attr]
    assert [r.sha256 for r in store.get_article("a2").captures] == [c2.sha256]  # type: ignore[union-attr]
    assert store.get_capture(c2.sha256).article_id == "a2"  # type: ignore[union-attr]


def test_an_article_stored_again_under_a_merged_id_no_longer_resolves_away(store: Store) -> None:
    store_articles(store, draft("a1"), draft("a2", "Another story."))
    with store.transaction():
        store.delete_article("a2", merged_into="a1")
    assert store.resolve_merged("a2") == "a1"
    store_articles(store, draft("a2", "Another story, told apart."))
    assert store.resolve_merged("a2") is None
    assert store.merged_ids_with_prefix("a", 10) == []


def test_a_dropped_reject_leaves_the_others(store: Store) -> None:
    kept, dropped = Reject("dump-1.txt", "no article text"), Reject("page-2.html", "all chrome; skipped")
    with store.transaction():
        store.add_reject(kept)
        store.add_reject(dropped)
        store.add_reject(Reject("page-2.html", "another reason"))
        store.drop_reject(dropped)
        store.drop_reject(Reject("never-rejected.html", "all chrome; skipped"))  # nothing to drop: no error
    assert sorted(store.rejects(), key=lambda r: (r.origin, r.reason)) == [
        kept,
        Reject("page-2.html", "another reason"),
    ]


def test_an_undecodable_origin_is_kept_in_a_printable_form(store: Store) -> None:
    name = b"dump-\xff.txt".decode("utf-8", "surrogateescape")
    bad = Capture(origin=name, raw=b"Title\n\nBody", format="textdump", url=f"file:///{name}")
    with store.transaction():
        store.add_capture(bad, None, AT)
        store.add_reject(Reject(name, "no article text"))
    stored = store.get_capture(bad.sha256)
    assert stored is not None and stored.ref.origin == "dump-\\xff.txt"
    assert stored.ref.url == "file:///dump-\\xff.txt"
    assert store.rejects() == [Reject("dump-\\xff.txt", "no article text")]


# -- articles ---------------------------------------------------------------------------------


def test_article_fields_round_trip(store: Store) -> None:
    written = draft(
        "a1",
        url="https://harbourgazette.example/politics/ferry-vote",
        source="Harbour Gazette",
        title="Council approves new ferry route",
        authors=["Mira Okafor", "Daniel Reyes"],
        published="2016-03-14",
        published_from="meta",
        section="Politics",
        language="en",
        captions=["The ferry at dawn"],
        media_ids=["img-1", "img-2"],
        cluster_id=None,
        removed=["Select Page", "Share this"],
    )
    store_articles(store, written)
    read = store.get_article("a1")
    assert read is not None
    assert read == written.article  # every field, captures empty, representative and latest by default
    assert read.representative and read.latest
    assert store.get_article("missing") is None
    assert store.article_count() == 1


def test_get_articles_finds_the_stored_ones_with_their_captures_in_ingest_order(store: Store) -> None:
    store_articles(store, draft("a1"), draft("a2", "Another story."))
    c1, c2, c3 = capture(1, "https://x.example/1", "2016-01-01"), capture(2), capture(3)
    with store.transaction():
        for c, owner in ((c1, "a1"), (c2, "a2"), (c3, "a1")):
            store.add_capture(c, owner, AT)
    found = store.get_articles(["a2", "missing", "a1", "a2"])
    assert set(found) == {"a1", "a2"}
    assert [r.sha256 for r in found["a1"].captures] == [c1.sha256, c3.sha256]
    ref = found["a1"].captures[0]
    assert (ref.origin, ref.ingested_at, ref.url, ref.fetched_at) == (c1.origin, AT, c1.url, "2016-01-01")
    assert store.get_articles([]) == {}


def test_export_rows_give_the_article_contract_as_json_text_in_the_order_asked(store: Store) -> None:
    tricky = 'Öl "quoted" \\ back\nline\ttab \x01 \u2028 \U0001f4f0'
    store_articles(
        store,
        draft("a1", authors=["Zoë Ångström", tricky], captions=[tricky], media_ids=["m\u00e9dia-1"],
              published="2016-05", published_raw="May 2016", section="Économie", language="fr"),
        draft("a2", "Another story.", url="https://x.example/2", published="2016-05-03",
              published_time="2016-05-03T08:00:00+02:00", body_offset=12),
        draft("a3", "Third story.", cluster_id="a2"),
    )  # fmt: skip
    c1 = capture(1, origin=f"crawl {tricky}.warc.gz#1")
    c2, c3 = capture(2), capture(3)
    with store.transaction():
        for c, owner in ((c1, "a1"), (c2, "a2"), (c3, "a1")):
            store.add_capture(c, owner, AT)
    wanted = ["a3", "missing", "a1", "a2"]
    found = store.get_articles(wanted)
    rows = store.export_rows(wanted)
    assert [r.id for r in rows] == ["a3", "a1", "a2"]
    assert rows == [ExportRow.of(found[i]) for i in ("a3", "a1", "a2")]
    by_id = {r.id: r for r in rows}
    assert json.loads(by_id["a1"].authors) == ["Zoë Ångström", tricky]
    assert [c["sha256"] for c in json.loads(by_id["a1"].captures)] == [c1.sha256, c3.sha256]
    assert by_id["a3"].captures == "[]" and by_id["a3"].cluster_id == "a2"
    assert store.export_rows([]) == []


def test_site_drafts_give_a_sites_blocks_and_base_removals_in_ingest_order(store: Store) -> None:
    store_articles(
        store,
        ArticleDraft(draft("a1").article, ["Menu", "The ferry sails at noon."], ["Select Page"]),
        draft("b1", "Elsewhere.", site="wire"),
        ArticleDraft(draft("a2", "Second.").article, ["Second."]),
    )
    drafts = list(store.site_drafts("gazette"))
    assert [d.article.id for d in drafts] == ["a1", "a2"]
    assert drafts[0].blocks == ["Menu", "The ferry sails at noon."]
    assert drafts[0].base_removed == ["Select Page"]
    assert drafts[1].base_removed == []
    assert list(store.site_drafts("nowhere")) == []


def test_replace_article_rewrites_it_and_queues_it_for_every_later_step(store: Store) -> None:
    store_articles(store, draft("a1"))
    with store.transaction():
        store.mark_indexed(["a1"], [])
        store.mark_deduped("a1")
        store.put_signatures([("a1", StoredSignature(b"\x01" * 16, 9), [11, 12])])
        store.put_enrichment(meeting_enrichment("a1"), "hash-of-" + FERRY, AT)
        store.put_skip(Skip("a1", "enrich", "hash-of-" + FERRY, "too long", AT))
    new_body = "The ferry to Kestrel Island sails at one."
    with store.transaction():
        store.replace_article(ArticleDraft(draft("a1", new_body, title="Later sailing").article, [new_body]))
    read = store.get_article("a1")
    assert read is not None and (read.body, read.title) == (new_body, "Later sailing")
    assert read.body_hash == "hash-of-" + new_body
    assert [a.id for a in store.pending_index(10)] == ["a1"]
    assert [i.id for i in store.pending_dedup(10)] == ["a1"]
    assert store.get_signatures(["a1"]) == {}
    assert store.lsh_candidates([11, 12]) == set()
    assert store.enrichment_of("a1").mentions == []
    assert store.skips() == []
    assert [d.blocks for d in store.site_drafts("gazette")] == [[new_body]]


def test_a_deleted_exact_duplicate_resolves_to_its_survivor_and_leaves_nothing_behind(store: Store) -> None:
    store_articles(store, draft("a1"), draft("a2", "Copy."), draft("a3", "Third."))
    c2 = capture(2)
    with store.transaction():
        store.add_capture(c2, "a2", AT)
        store.set_clusters([ClusterAssignment("a2", "a1", False), ClusterAssignment("a1", "a1", True)], [])
        store.put_signatures([("a2", StoredSignature(b"\x02" * 16, 3), [21])])
        store.replace_pairs("a2", [CopyPair("a1", "a2", 0.9, 1.0)])
        store.put_enrichment(meeting_enrichment("a2"), "hash-of-Copy.", AT)
        store.mark_indexed(["a1", "a2", "a3"], [])
    with store.transaction():
        store.delete_article("a2", merged_into="a3")
        store.delete_article("a3", merged_into="a1")  # a chain of merges ends at the last survivor
    assert store.get_article("a2") is None and store.article_count() == 1
    assert store.resolve_merged("a2") == "a1"
    assert store.resolve_merged("a3") == "a1"
    assert store.resolve_merged("a1") is None
    assert store.merged_ids_with_prefix("a", 10) == ["a2", "a3"]  # old links still resolve
    assert store.merged_ids_with_prefix("a3", 10) == ["a3"] and store.merged_ids_with_prefix("b", 10) == []
    assert sorted(store.pending_index_deletes()) == ["a2", "a3"]
    assert [r.sha256 for r in store.get_article("a1").captures] == [c2.sha256]  # type: ignore[union-attr]
    assert store.cluster_sizes(["a1"]) == {"a1": 1}
    assert store.get_signatures(["a2"]) == {} and store.lsh_candidates([21]) == set()
    assert store.pairs_among(["a1", "a2"]) == []
    assert store.enrichment_of("a2").mentions == []
    with store.transaction():
        store.mark_indexed([], ["a2", "a3"])
    assert store.pending_index_deletes() == []


def test_an_article_deleted_with_no_survivor_keeps_its_captures_unlinked(store: Store) -> None:
    store_articles(store, draft("w1", "Page not found."), draft("a1"))
    wall, merged = capture(5), capture(6)
    with store.transaction():
        store.add_capture(wall, "w1", AT)
        store.add_capture(merged, "w1", AT)
        store.delete_article("a1", merged_into="w1")  # an older merge into it
        store.delete_article("w1", merged_into=None)  # it was no article
    assert store.get_article("w1") is None and store.article_count() == 0
    assert store.get_capture(wall.sha256).article_id is None  # type: ignore[union-attr]
    assert store.get_capture(merged.sha256).article_id is None  # type: ignore[union-attr]
    assert store.resolve_merged("w1") is None and store.resolve_merged("a1") is None
    assert sorted(store.pending_index_deletes()) == ["a1", "w1"]


def test_article_by_body_hash_gives_the_first_stored_article(store: Store) -> None:
    store_articles(store, draft("b2"), draft("a9"), draft("c1", "Other."))
    assert store.article_by_body_hash("hash-of-" + FERRY) == "b2"
    assert store.article_by_body_hash("hash-of-Other.") == "c1"
    assert store.article_by_body_hash("nothing") is None


def test_iter_articles_pages_in_ingest_order_and_filters_by_site(store: Store) -> None:
    ids = [f"x{n:04d}" for n in range(1100)]
    store_articles(
        store, *(draft(i, f"Body {i}.", site="wire" if n % 3 else "gazette") for n, i in enumerate(ids))
    )
    c = capture(1)
    with store.transaction():
        store.add_capture(c, ids[-1], AT)
    walked = list(store.iter_articles())
    assert [a.id for a in walked] == ids
    assert [r.sha256 for r in walked[-1].captures] == [c.sha256]
    gazette = [a.id for a in store.iter_articles(site="gazette", with_captures=False)]
    assert gazette == [i for n, i in enumerate(ids) if n % 3 == 0]
    assert all(a.captures == [] for a in store.iter_articles(site="wire", with_captures=False))
    assert list(store.iter_articles(site="nowhere")) == []


def test_a_refused_article_in_a_savepoint_leaves_the_rest_of_the_batch(store: Store) -> None:
    """Lone surrogates (from JSON escapes) cannot be stored as such: the item fails, the batch goes on
    (ingest then stores a printable copy)."""
    with store.transaction():
        store.insert_article(draft("a1"))
        with pytest.raises(UnicodeEncodeError), store.savepoint():
            store.insert_article(draft("a2", "broken \ud800 text"))
        store.insert_article(draft("a3", "Fine."))
    assert sorted(a.id for a in store.iter_articles()) == ["a1", "a3"]


# -- rejects and skipped work -----------------------------------------------------------------


def test_rejects_are_recorded_once_each(store: Store) -> None:
    with store.transaction():
        store.add_reject(Reject("bad.warc", "truncated"))
        store.add_reject(Reject("bad.warc", "truncated"))
        store.add_reject(Reject("bad.warc", "not a WARC"))
        store.add_reject(Reject("a.csv#3", "no text"))
    assert sorted(store.rejects(), key=lambda r: (r.origin, r.reason)) == [
        Reject("a.csv#3", "no text"),
        Reject("bad.warc", "not a WARC"),
        Reject("bad.warc", "truncated"),
    ]
    assert len(store.stats()["rejects"]) == 3


def test_skips_are_kept_per_article_and_stage_and_an_index_skip_is_not_unsearchable(store: Store) -> None:
    store_articles(store, draft("a1"), draft("a2", "Other."))
    with store.transaction():
        store.put_skip(Skip("a1", "enrich", "h1", "spaCy failed", "2026-01-01T00:00:00Z"))
        store.put_skip(Skip("a1", "enrich", "h1", "spaCy failed again", "2026-01-02T00:00:00Z"))
        store.put_skip(Skip("a2", "index", "h2", "term too long", "2026-01-03T00:00:00Z"))
    assert store.skips() == [
        Skip("a1", "enrich", "h1", "spaCy failed again", "2026-01-02T00:00:00Z"),
        Skip("a2", "index", "h2", "term too long", "2026-01-03T00:00:00Z"),
    ]
    assert [a.id for a in store.pending_index(10)] == ["a1"]
    assert (store.count_unindexed(), store.count_indexed()) == (1, 0)
    assert [s["article_id"] for s in store.stats()["skipped"]] == ["a1", "a2"]


# -- site chrome ------------------------------------------------------------------------------


def test_site_chrome_is_saved_and_a_stale_site_stays_stale_until_marked_fresh(store: Store) -> None:
    assert store.get_site_chrome("gazette") is None
    chrome = {"pages": 3, "lines": {"Select Page": 3, "Share this": 2}}
    with store.transaction():
        store.put_site_chrome("gazette", chrome)
        store.put_site_chrome("wire", {"pages": 1}, stale=True)
        store.put_site_chrome("blog", {"pages": 1}, stale=True)
    assert store.get_site_chrome("gazette") == chrome
    assert store.stale_sites() == ["blog", "wire"]
    with store.transaction():
        store.put_site_chrome("wire", {"pages": 2})  # learning more does not make it fresh
    assert store.get_site_chrome("wire") == {"pages": 2}
    assert store.stale_sites() == ["blog", "wire"]
    with store.transaction():
        store.mark_site_fresh("wire")
    assert store.stale_sites() == ["blog"]


# -- summaries --------------------------------------------------------------------------------


def test_stats_count_stories_copies_versions_and_group_articles(store: Store) -> None:
    store_articles(
        store,
        draft("a1", "One.", published="2016-03-14", section="Politics", language="en"),
        draft("a2", "One copy.", published="2016-03-15", section="Politics", language="en", source="Wire"),
        draft("a3", "Two.", published="2017-01-01", language="fr"),
        draft("a4", "Two, later.", published="2017-01-02", language="fr"),
    )
    with store.transaction():
        store.add_capture(capture(1), "a1", AT)
        store.set_clusters([ClusterAssignment("a1", "a1", True), ClusterAssignment("a2", "a1", False)], [])
        store.set_latest("a3", False)
        store.mark_indexed(["a1", "a2"], [])
        store.add_reject(Reject("bad.warc", "truncated"))
    stats = store.stats()
    assert {k: stats[k] for k in ("articles", "indexed", "unindexed", "captures")} == {
        "articles": 4,
        "indexed": 2,
        "unindexed": 2,
        "captures": 1,
    }
    assert {k: stats[k] for k in ("stories", "clusters", "copies", "versions")} == {
        "stories": 2,  # a1 (shown for its cluster) and a4 (the latest version of its URL)
        "clusters": 1,
        "copies": 1,
        "versions": 1,
    }
    assert stats["rejects"] == [{"origin": "bad.warc", "reason": "truncated"}]
    assert stats["by_source"] == {"Harbour Gazette": 3, "Wire": 1}
    assert stats["by_section"] == {"Politics": 2, "unknown": 2}
    assert stats["by_year"] == {"2016": 2, "2017": 2}
    assert stats["by_language"] == {"en": 2, "fr": 2}


def test_source_pages_list_months_sections_and_latest_articles(store: Store) -> None:
    store_articles(
        store,
        draft("a1", "One.", published="2016-03-14", section="Politics"),
        draft("a2", "Two.", published="2016-03-20"),
        draft("a3", "Three.", published="2016-05-01", section="Politics"),
        draft("a4", "Undated."),
        draft("b1", "Elsewhere.", source="Wire", published="2020-01-01"),
    )
    assert store.source_months("Harbour Gazette") == {"2016-03": 2, "2016-05": 1}
    assert store.source_sections("Harbour Gazette") == {"Politics": 2, "unknown": 2}
    assert [a.id for a in store.source_latest("Harbour Gazette", 10)] == ["a3", "a2", "a1", "a4"]
    assert [a.id for a in store.source_latest("Harbour Gazette", 2)] == ["a3", "a2"]
    assert store.source_latest("Nobody", 5) == []


# -- transactions -----------------------------------------------------------------------------


def test_rollback_keeps_nothing_of_a_failed_batch(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.insert_article(draft("a1"))
        store.add_capture(capture(1), "a1", AT)
        store.add_reject(Reject("bad.warc", "truncated"))
        raise RuntimeError("killed mid-batch")
    assert (store.article_count(), store.stats()["captures"], store.rejects()) == (0, 0, [])
    store_articles(store, draft("a1"))
    assert store.article_count() == 1


def test_a_failed_savepoint_undoes_only_its_item(store: Store) -> None:
    with store.transaction():
        store.insert_article(draft("a1"))
        with pytest.raises(ValueError), store.savepoint():
            store.insert_article(draft("a2", "Doomed."))
            store.add_capture(capture(2), "a2", AT)
            raise ValueError("this capture is rejected")
        with store.savepoint():
            store.insert_article(draft("a3", "Kept."))
    assert sorted(a.id for a in store.iter_articles()) == ["a1", "a3"]
    assert store.known_captures([capture(2).sha256]) == set()


def test_a_savepoint_outside_a_transaction_commits_on_its_own(store: Store) -> None:
    with store.savepoint():
        store.insert_article(draft("a1"))
    with pytest.raises(ValueError), store.savepoint():
        store.insert_article(draft("a2", "Doomed."))
        raise ValueError("undone")
    assert [a.id for a in store.iter_articles()] == ["a1"]


def test_a_nested_transaction_joins_the_outer_one(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction():
            store.insert_article(draft("a1"))
        store.insert_article(draft("a2", "Other."))
        raise RuntimeError("the outer batch fails")
    assert store.article_count() == 0


def test_a_transaction_reads_its_own_writes_and_others_see_them_at_commit(open_store: StoreFactory) -> None:
    writer, reader = open_store(), open_store()
    c = capture(1)
    with writer.transaction():
        writer.insert_article(draft("a1"))
        writer.add_capture(c, "a1", AT)
        assert writer.known_captures([c.sha256]) == {c.sha256}
        assert writer.article_by_body_hash("hash-of-" + FERRY) == "a1"
        assert [r.sha256 for r in writer.get_article("a1").captures] == [c.sha256]  # type: ignore[union-attr]
        assert reader.article_count() == 0 and reader.known_captures([c.sha256]) == set()
    assert reader.article_count() == 1 and reader.known_captures([c.sha256]) == {c.sha256}


def test_a_reopened_archive_keeps_everything(open_store: StoreFactory) -> None:
    first = open_store()
    store_articles(first, draft("a1"))
    with first.transaction():
        first.add_capture(capture(1), "a1", AT)
        first.put_site_chrome("gazette", {"pages": 1})
    first.close()
    again = open_store()
    assert [a.id for a in again.iter_articles()] == ["a1"]
    assert again.get_site_chrome("gazette") == {"pages": 1}
    assert again.get_capture(capture(1).sha256) is not None


# -- two writers at once ----------------------------------------------------------------------


def _ingest_like(
    store: Store, captures: list[Capture], bodies: dict[str, str], errors: list[BaseException]
) -> None:
    """What ingest does per batch: skip known captures, keep one article per body, link every capture."""
    try:
        for start in range(0, len(captures), 10):
            batch = captures[start : start + 10]
            with store.transaction():
                known = store.known_captures(c.sha256 for c in batch)
                for c in batch:
                    if c.sha256 in known:
                        continue
                    body = bodies[c.sha256]
                    existing = store.article_by_body_hash("hash-of-" + body)
                    if existing is None:
                        existing = c.sha256[:16]
                        store.insert_article(draft(existing, body))
                    store.add_capture(c, existing, AT)
    except BaseException as exc:
        errors.append(exc)


def test_two_writers_at_once_lose_nothing_and_double_nothing(open_store: StoreFactory) -> None:
    """Two ingests of overlapping inputs, each with its own store on one archive: every capture stored
    once, one article per text, every capture linked to its article.

    Captures 2k and 2k+1 carry one text; the first writer reads the even ones, the second the odd
    ones, so each text reaches both writers at once through different captures, and some
    captures reach both (the odd ones below 20, the even ones from 60).
    """
    captures = [capture(n) for n in range(80)]
    bodies = {c.sha256: f"Story number {n // 2}." for n, c in enumerate(captures)}
    first_inputs = [c for n, c in enumerate(captures) if n % 2 == 0 or n < 20]
    second_inputs = [c for n, c in enumerate(captures) if n % 2 == 1 or n >= 60]
    first, second = open_store(), open_store()
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_ingest_like, args=(first, first_inputs, bodies, errors)),
        threading.Thread(target=_ingest_like, args=(second, second_inputs, bodies, errors)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert first.stats()["captures"] == 80
    articles = list(first.iter_articles())
    assert sorted(a.body for a in articles) == sorted(set(bodies.values()))
    for a in articles:
        assert len(a.captures) == 2
        assert all(bodies[r.sha256] == a.body for r in a.captures)


def test_two_writers_storing_the_same_records_keep_them_once(open_store: StoreFactory) -> None:
    """Rejects, chrome, skips and index deletes written by two writers at once are each kept once."""
    stores = [open_store(), open_store()]
    store_articles(stores[0], *(draft(f"a{n}", f"Body {n}.") for n in range(20)))
    errors: list[BaseException] = []
    gate = threading.Barrier(2)

    def write(store: Store) -> None:
        try:
            gate.wait()
            for n in range(20):
                with store.transaction():
                    store.add_reject(Reject(f"bad-{n}.warc", "truncated"))
                    store.put_skip(Skip(f"a{n}", "enrich", "h", "failed", AT))
                    store.put_site_chrome(f"site-{n}", {"pages": n})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert len(stores[1].rejects()) == 20
    assert len(stores[1].skips()) == 20
    assert all(stores[1].get_site_chrome(f"site-{n}") == {"pages": n} for n in range(20))
