"""What only the PostgreSQL store has: a server that can fail or vanish, schema versions in a shared
database, read-only sessions, compressed bytea, and transactions pinned per thread on one store."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator

import pytest

from newsarchive.errors import ArchiveError, StorageError
from newsarchive.model import Capture, Enrichment, Entity, Mention
from tests.contract.samples import capture, draft, store_articles
from tests.postgres_server import PostgresServer

psycopg = pytest.importorskip("psycopg")

from newsarchive.store.postgres import PostgresStore  # noqa: E402
from newsarchive.store.postgres_schema import SCHEMA_VERSION  # noqa: E402

AT = "2026-12-02T10:00:00Z"


@pytest.fixture
def pg(postgres_database: str) -> Iterator[PostgresStore]:
    store = PostgresStore(postgres_database)
    yield store
    store.close()


def _sql(dsn: str, statement: str) -> list[tuple[object, ...]]:
    """A statement on a connection of the test's own, beside the store's."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        cur = conn.execute(statement)
        return cur.fetchall() if cur.description else []


def test_the_schema_version_is_recorded_and_a_newer_one_is_refused_with_advice(
    pg: PostgresStore, postgres_database: str
) -> None:
    assert pg.get_meta("schema_version") == str(SCHEMA_VERSION)
    pg.close()
    _sql(postgres_database, "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ArchiveError, match="schema version 99 is not supported"):
        PostgresStore(postgres_database)


def test_two_stores_opening_one_new_database_at_once_both_work(postgres_database: str) -> None:
    opened: list[PostgresStore] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(3)

    def open_one() -> None:
        try:
            gate.wait()
            opened.append(PostgresStore(postgres_database))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert errors == [] and len(opened) == 3
        store_articles(opened[0], draft("a1"))
        assert all(s.article_count() == 1 for s in opened)
    finally:
        for s in opened:
            s.close()


def test_a_read_only_store_reads_and_refuses_writes(pg: PostgresStore, postgres_database: str) -> None:
    store_articles(pg, draft("a1"))
    reader = PostgresStore(postgres_database, readonly=True)
    try:
        assert [a.id for a in reader.iter_articles()] == ["a1"]
        with pytest.raises(StorageError, match="read-only"), reader.transaction():
            reader.insert_article(draft("a2", "Other."))
    finally:
        reader.close()
    assert pg.article_count() == 1


def test_a_read_only_open_of_a_database_without_an_archive_says_so(postgres_database: str) -> None:
    with pytest.raises(ArchiveError, match="no newsarchive archive in this database"):
        PostgresStore(postgres_database, readonly=True)


def test_an_unreachable_server_is_named_without_its_password(postgres_database: str) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ArchiveError, match=rf"postgresql://127.0.0.1:{port}/news: cannot connect") as caught:
        PostgresStore(f"postgresql://editor:s3cret@127.0.0.1:{port}/news")
    assert "s3cret" not in str(caught.value)


def test_a_connection_lost_mid_batch_is_our_error_keeps_nothing_and_the_store_goes_on(
    pg: PostgresStore, postgres_database: str
) -> None:
    lost = pytest.raises(ArchiveError, match="lost the connection to the database server")
    with lost as caught, pg.transaction():
        pg.insert_article(draft("a1"))
        pid = pg._value("SELECT pg_backend_pid()")
        _sql(postgres_database, f"SELECT pg_terminate_backend({int(pid)})")
        pg.insert_article(draft("a2", "Other."))
    assert "check that the server is running" in str(caught.value).lower()
    assert isinstance(caught.value.__cause__, psycopg.OperationalError)
    assert pg.article_count() == 0  # the pool hands out a live connection again
    store_articles(pg, draft("a3", "Later."))
    assert [a.id for a in pg.iter_articles()] == ["a3"]


def test_a_full_disk_on_the_server_is_one_storage_error_and_keeps_every_committed_batch(
    postgres_server: PostgresServer,
) -> None:
    """The database's tables on a 24 MB tmpfs: batches of incompressible pages fill it; the batch that
    does not fit is one StorageError saying what to do, and every batch before it is intact."""
    rng = random.Random(7)
    with postgres_server.small_disk_database(24) as dsn:
        store = PostgresStore(dsn)
        try:
            committed: list[str] = []
            with pytest.raises(StorageError, match=r"could not write .*Free disk space") as caught:
                for batch in range(200):
                    pages = [
                        Capture(origin=f"big.warc#{batch}-{n}", raw=rng.randbytes(256 * 1024), format="html")
                        for n in range(4)
                    ]
                    with store.transaction():
                        for page in pages:
                            store.add_capture(page, None, AT)
                    committed += [p.sha256 for p in pages]
            assert "No space left on device" in str(caught.value)
            assert committed and store.known_captures(committed) == set(committed)
            assert store.stats()["captures"] == len(committed)  # nothing of the failed batch
        finally:
            store.close()


def test_a_server_limit_is_a_storage_error_and_rolls_the_batch_back(pg: PostgresStore) -> None:
    """A query past a configured limit (here the temp-file limit): one StorageError, nothing kept."""
    refused = pytest.raises(StorageError, match=r"ran out of a resource .*Raise the limit")
    with refused, pg.transaction():
        pg.insert_article(draft("a1"))
        pg._execute("SET LOCAL work_mem = '64kB'")
        pg._execute("SET LOCAL temp_file_limit = '128kB'")
        pg._rows("SELECT g FROM generate_series(1, 200000) g ORDER BY md5(g::text)")
    assert pg.article_count() == 0


def test_capture_bytes_are_kept_compressed_and_keyed_by_sha256(
    pg: PostgresStore, postgres_database: str
) -> None:
    page = Capture(origin="crawl.warc.gz#1", raw=b"<p>The ferry sails at noon.</p>" * 500, format="html")
    with pg.transaction():
        pg.add_capture(page, None, AT)
    ((key, stored_size, raw_size),) = _sql(
        postgres_database, "SELECT sha256, length(raw), raw_size FROM captures"
    )
    assert key == page.sha256
    assert raw_size == len(page.raw) and int(stored_size) < len(page.raw) // 10  # type: ignore[call-overload]
    magic = _sql(postgres_database, "SELECT substring(raw from 1 for 4) FROM captures")[0][0]
    assert bytes(magic) == b"\x28\xb5\x2f\xfd"  # type: ignore[arg-type]  # a Zstandard frame, as in SQLite


def test_text_postgresql_cannot_hold_is_stored_with_its_length_kept(pg: PostgresStore) -> None:
    """A NUL that SQLite keeps in text: PostgreSQL refuses it, so it becomes U+FFFD (offsets stay valid)."""
    body = "Before\x00after."
    store_articles(pg, draft("a1", body))
    read = pg.get_article("a1")
    assert read is not None and read.body == "Before\ufffdafter." and len(read.body) == len(body)
    assert pg.get_article("a\x001") is None  # a look-up by such a key finds nothing, it does not fail


def test_each_threads_transaction_is_its_own_on_one_shared_store(pg: PostgresStore) -> None:
    """The web shares one store across request threads: one thread's open transaction neither shows
    its rows to another thread nor takes in the other thread's writes."""
    inside, done = threading.Event(), threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []

    def slow_batch() -> None:
        try:
            with pg.transaction():
                pg.insert_article(draft("a1"))
                inside.set()
                done.wait(30)
                raise RuntimeError("this batch fails")
        except RuntimeError:
            pass
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=slow_batch)
    worker.start()
    assert inside.wait(30)
    seen.append(pg.article_count())
    with pg.transaction():
        pg.insert_article(draft("b1", "Other."))
        pg.add_capture(capture(1), "b1", AT)
    done.set()
    worker.join(30)
    assert errors == [] and seen == [0]
    assert [a.id for a in pg.iter_articles()] == ["b1"]


def test_writers_taking_two_texts_in_opposite_orders_lose_one_batch_with_advice_not_rows(
    postgres_database: str,
) -> None:
    """Outside Archive's writer lock two batches can wait on each other (text X then Y, and Y then X):
    the server breaks the tie, one batch is refused with a re-run advice, the other is kept whole."""
    stores = [PostgresStore(postgres_database), PostgresStore(postgres_database)]
    gate = threading.Barrier(2)
    outcomes: list[str] = []

    def batch(store: PostgresStore, first: str, second: str) -> None:
        try:
            with store.transaction():
                for n, text in enumerate((first, second)):
                    if store.article_by_body_hash("hash-of-" + text) is None:
                        store.insert_article(draft(f"{first[0]}{n}", text))
                    if n == 0:
                        gate.wait(30)
            outcomes.append("kept")
        except ArchiveError as exc:
            outcomes.append(str(exc))

    threads = [
        threading.Thread(target=batch, args=(stores[0], "X story.", "Y story.")),
        threading.Thread(target=batch, args=(stores[1], "Y story.", "X story.")),
    ]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(o == "kept" for o in outcomes) == [False, True]
        refused = next(o for o in outcomes if o != "kept")
        assert "another writer took the same rows at the same moment" in refused and "Re-run" in refused
        assert sorted(a.body for a in stores[0].iter_articles()) == ["X story.", "Y story."]
    finally:
        for s in stores:
            s.close()


def test_a_user_who_may_not_create_tables_is_told_so_in_one_line(postgres_database: str) -> None:
    _sql(postgres_database, "CREATE ROLE reader LOGIN")
    _sql(postgres_database, "REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    try:
        with pytest.raises(ArchiveError, match="needs CREATE on the database's schema") as caught:
            PostgresStore(postgres_database.replace("postgres@", "reader@"))
        assert "permission denied for schema public" in str(caught.value)
        assert "\n" not in str(caught.value)
    finally:
        _sql(postgres_database, "DROP OWNED BY reader")
        _sql(postgres_database, "DROP ROLE reader")


def test_a_version_1_archive_is_migrated_and_its_typed_dates_read_again(postgres_database: str) -> None:
    store = PostgresStore(postgres_database)
    store_articles(
        store,
        draft("a" * 16, published="15 May 2025"),
        draft("b" * 16, body="Another story.", published="1709600000"),
        draft("c" * 16, body="A third story.", published="after the storm"),
        draft("d" * 16, body="A fourth story.", published="2016-03-01"),
    )
    store.close()
    # what version 1 had: no time, raw or offset columns, dates as typed
    _sql(
        postgres_database,
        "ALTER TABLE articles DROP COLUMN published_time, DROP COLUMN published_raw, DROP COLUMN body_offset",
    )
    _sql(postgres_database, "UPDATE articles SET indexed = 1")
    _sql(postgres_database, "UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    store = PostgresStore(postgres_database)
    try:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
        found = {a.id[0]: a for a in (store.get_article(c * 16) for c in "abcd") if a is not None}
        assert (found["a"].published, found["a"].published_raw) == ("2025-05-15", "15 May 2025")
        assert found["b"].published == "2024-03-05"
        assert found["b"].published_time == "2024-03-05T00:53:20+00:00"
        assert (found["c"].published, found["c"].published_raw) == (None, "after the storm")
        assert (found["d"].published, found["d"].published_raw) == ("2016-03-01", None)
        unindexed = {r[0] for r in _sql(postgres_database, "SELECT id FROM articles WHERE indexed = 0")}
        assert unindexed == {"a" * 16, "b" * 16, "c" * 16}  # read again: indexed again
    finally:
        store.close()


def test_a_version_2_archive_gets_mention_kinds_and_the_entity_links_table(postgres_database: str) -> None:
    """Version 3 stores how each mention refers (its kind) and the names linked across articles:
    mentions stored before are names, and the links table starts empty until the next linking."""
    body = "Ann Vale left. She smiled."
    store = PostgresStore(postgres_database)
    store_articles(store, draft("a1", body))
    with store.transaction():
        store.put_enrichment(
            Enrichment(
                "a1", [Mention("a1", 0, 8, "Ann Vale", "PERSON", "Ann Vale")], [Entity("Ann Vale", "PERSON")]
            ),
            "hash-of-" + body,
            AT,
        )
    store.close()
    _sql(postgres_database, "ALTER TABLE mentions DROP COLUMN kind")
    _sql(postgres_database, "DROP TABLE entity_links")
    _sql(postgres_database, "UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    store = PostgresStore(postgres_database)
    try:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert [(m.text, m.kind) for m in store.enrichment_of("a1").mentions] == [("Ann Vale", "name")]
        assert store.entity_links() == {}
        store.put_entity_links({"Ann Vale": "Ann Vale"})
        assert store.entity_links() == {}
    finally:
        store.close()
