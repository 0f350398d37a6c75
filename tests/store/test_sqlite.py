"""What only SQLiteStore has: migration of older archive files, a corrupt file, a damaged blob on disk.

What every Store must do is tested on SQLite and PostgreSQL alike in tests/contract/."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsarchive.errors import ArchiveError
from newsarchive.model import Article, Enrichment, Entity, Mention
from newsarchive.store.base import ArticleDraft
from newsarchive.store.sqlite import SCHEMA_VERSION, SQLiteStore


def _article(article_id: str, body: str = "The ferry sails at noon.") -> Article:
    return Article(
        id=article_id, title="Ferry", body=body, source="Gazette", site="gazette", body_hash=f"h-{body}"
    )


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


def test_a_version_4_archive_gets_mention_kinds_and_the_entity_links_table(tmp_path: Path) -> None:
    """Version 5 stores how each mention refers (its kind) and the names linked across articles:
    mentions stored before are names, and the links table starts empty until the next linking."""
    path = tmp_path / "a.sqlite"
    body = "Ann Vale left. She smiled."
    store = SQLiteStore(path)
    with store.transaction():
        store.insert_article(ArticleDraft(_article("a1", body), ["x"]))
        store.put_enrichment(
            Enrichment(
                "a1", [Mention("a1", 0, 8, "Ann Vale", "PERSON", "Ann Vale")], [Entity("Ann Vale", "PERSON")]
            ),
            "h-" + body,
            "2026-12-02T10:00:00Z",
        )
    store.close()
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE mentions DROP COLUMN kind")
    db.execute("DROP TABLE entity_links")
    db.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    reopened = SQLiteStore(path)
    assert reopened.get_meta("schema_version") == str(SCHEMA_VERSION)
    assert [(m.text, m.kind) for m in reopened.enrichment_of("a1").mentions] == [("Ann Vale", "name")]
    assert reopened.entity_links() == {}
    with reopened.transaction():
        reopened.put_enrichment(
            Enrichment("a1", [Mention("a1", 15, 18, "She", "PERSON", "Ann Vale", "pronoun")], []),
            "h-" + body,
            "2026-12-02T10:00:00Z",
        )
    assert [(m.text, m.kind) for m in reopened.enrichment_of("a1").mentions] == [("She", "pronoun")]
