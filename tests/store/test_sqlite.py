"""SQLiteStore on a real file: transactions, capture identity, migration of older archives."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsarchive.errors import ArchiveError
from newsarchive.model import Article, Capture, Reject
from newsarchive.store.base import ArticleDraft, ClusterAssignment
from newsarchive.store.sqlite import SCHEMA_VERSION, SQLiteStore


def _article(article_id: str, body: str = "The ferry sails at noon.") -> Article:
    return Article(
        id=article_id, title="Ferry", body=body, source="Gazette", site="gazette", body_hash=f"h-{body}"
    )


def test_rollback_keeps_nothing_of_a_failed_batch(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "a.sqlite")
    with pytest.raises(RuntimeError), store.transaction():
        store.insert_article(ArticleDraft(_article("a1"), ["The ferry sails at noon."]))
        raise RuntimeError("killed mid-batch")
    assert store.article_count() == 0
    with store.transaction():
        store.insert_article(ArticleDraft(_article("a1"), ["The ferry sails at noon."]))
    assert store.article_count() == 1


def test_capture_bytes_come_back_exactly_and_once(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "a.sqlite")
    raw = b"<html>\xff\xfe not utf-8 \x00</html>"
    capture = Capture(origin="crawl.warc.gz#1234", raw=raw, format="html", url="https://x.example/a")
    assert store.known_captures([capture.sha256]) == set()
    with store.transaction():
        store.add_capture(capture, None, "2026-01-01T00:00:00Z")
        store.add_capture(capture, None, "2026-01-02T00:00:00Z")
    stored = store.get_capture(capture.sha256)
    assert stored is not None and stored.raw == raw and stored.ref.origin == "crawl.warc.gz#1234"
    assert store.known_captures([capture.sha256, "0" * 64]) == {capture.sha256}
    assert len(list(store.iter_captures())) == 1


def test_rejects_are_recorded_once(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "a.sqlite")
    with store.transaction():
        store.add_reject(Reject("bad.warc", "truncated"))
        store.add_reject(Reject("bad.warc", "truncated"))
    assert store.rejects() == [Reject("bad.warc", "truncated")]


def test_blocks_and_base_removed_round_trip(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "a.sqlite")
    with store.transaction():
        store.insert_article(
            ArticleDraft(_article("a1"), ["Menu", "The ferry sails at noon."], ["Select Page"])
        )
    (draft,) = list(store.site_drafts("gazette"))
    assert draft.blocks == ["Menu", "The ferry sails at noon."] and draft.base_removed == ["Select Page"]


def test_older_archive_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    store = SQLiteStore(path)
    with store.transaction():
        store.insert_article(ArticleDraft(_article("a1"), ["x"]))
    store.close()
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE articles DROP COLUMN enrich_wanted")
    db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    reopened = SQLiteStore(path)
    assert reopened.get_meta("schema_version") == str(SCHEMA_VERSION)
    assert reopened.pending_enrichment(10, wanted_only=True) == []
    assert [a.id for a in reopened.iter_articles()] == ["a1"]


def test_newer_archive_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with pytest.raises(ArchiveError, match="version 99"):
        SQLiteStore(path)


def test_corrupt_database_is_an_archive_error(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ArchiveError, match="cannot open"):
        SQLiteStore(path)


def _clustered_store(tmp_path: Path) -> SQLiteStore:
    """a1 and a2 in cluster a1, a3 alone, a4 not deduplicated yet; all marked indexed."""
    store = SQLiteStore(tmp_path / "a.sqlite")
    with store.transaction():
        for article_id, body in (
            ("a1", "Ferry one."),
            ("a2", "Ferry one!"),
            ("a3", "Bus two."),
            ("a4", "Tram."),
        ):
            store.insert_article(ArticleDraft(_article(article_id, body), [body]))
        store.set_clusters(
            [
                ClusterAssignment("a1", "a1", True),
                ClusterAssignment("a2", "a1", False),
                ClusterAssignment("a3", "a3", True),
            ],
            reindex=[],
        )
        store.mark_indexed(["a1", "a2", "a3", "a4"], [])
    return store


def _unindexed(store: SQLiteStore) -> list[str]:
    return sorted(a.id for a in store.pending_index(100))


def test_cluster_sizes_count_members_and_skip_unknown_clusters(tmp_path: Path) -> None:
    store = _clustered_store(tmp_path)
    assert store.cluster_sizes(["a1", "a3", "missing", "a1"]) == {"a1": 2, "a3": 1}
    assert store.cluster_sizes([]) == {}


def test_set_clusters_moves_articles_and_reindexes_what_it_is_told(tmp_path: Path) -> None:
    store = _clustered_store(tmp_path)
    with store.transaction():
        store.set_clusters([ClusterAssignment("a2", "a2", True)], reindex=["a1", "a2"])
    assert _unindexed(store) == ["a1", "a2"]
    assert store.cluster_sizes(["a1", "a2"]) == {"a1": 1, "a2": 1}
    assert store.get_article("a2").representative  # type: ignore[union-attr]


def test_a_deleted_exact_duplicate_resolves_to_its_survivor(tmp_path: Path) -> None:
    store = _clustered_store(tmp_path)
    with store.transaction():
        store.delete_article("a2", merged_into="a3")
        store.delete_article("a3", merged_into="a1")  # a chain of merges ends at the last survivor
    assert sorted(store.pending_index_deletes()) == ["a2", "a3"]
    assert store.resolve_merged("a2") == "a1"
    assert store.resolve_merged("a3") == "a1"
    assert store.resolve_merged("a1") is None
    assert store.cluster_sizes(["a1"]) == {"a1": 1}


def test_a_damaged_capture_is_named_and_the_others_still_read(tmp_path: Path) -> None:
    """A blob the disk damaged: reextract and capture walks go on past it, and reading it says which one."""
    import sqlite3

    from newsarchive import Archive, ArchiveError, Settings
    from tests.corpus_helpers import STORIES, write_jsonl

    source = write_jsonl(tmp_path / "rows.jsonl", STORIES[:3])
    with Archive.open(tmp_path / "arch", Settings(enrich=False), create=True) as archive:
        archive.ingest([source])
        shas = [ref.sha256 for a in archive.articles() for ref in a.captures]
    db = sqlite3.connect(tmp_path / "arch" / "archive.sqlite")
    db.execute("UPDATE captures SET raw = ? WHERE sha256 = ?", (b"\x28\xb5\x2f\xfd garbage", shas[1]))
    db.commit()
    db.close()
    with Archive.open(tmp_path / "arch", Settings(enrich=False)) as archive:
        assert [c.ref.sha256 for c in archive.store.iter_captures()] == [shas[0], shas[2]]
        assert archive.reextract() == 0
        with pytest.raises(ArchiveError, match=f"capture {shas[1]} .* is damaged"):
            archive.capture(shas[1])


def test_a_version_2_archive_is_compared_again_under_the_pair_rule(tmp_path: Path) -> None:
    """Before version 3 clusters were grown greedily in arrival order; a migrated archive keeps its
    rows and queues every article for the duplicate step, whose old bucket table is dropped."""
    path = tmp_path / "a.sqlite"
    store = SQLiteStore(path)
    with store.transaction():
        store.insert_article(ArticleDraft(_article("a1"), ["x"]))
        store.insert_article(ArticleDraft(_article("a2", "The bus leaves at one."), ["y"]))
        store.mark_deduped("a1")
        store.mark_deduped("a2")
    store.close()
    db = sqlite3.connect(path)
    db.execute("DROP INDEX articles_url_key")
    for column in ("representative", "url_key", "latest"):
        db.execute(f"ALTER TABLE articles DROP COLUMN {column}")
    db.execute("ALTER TABLE signatures DROP COLUMN bands")
    db.execute("CREATE TABLE lsh (bucket INTEGER NOT NULL, article_id TEXT NOT NULL)")
    db.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    reopened = SQLiteStore(path)
    assert reopened.get_meta("schema_version") == str(SCHEMA_VERSION)
    assert sorted(i.id for i in reopened.pending_dedup(10)) == ["a1", "a2"]
    assert all(a.representative and a.latest for a in reopened.iter_articles())
    tables = {
        r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    assert "lsh" not in tables and {"lsh_buckets", "copy_pairs", "edge_lines"} <= tables
