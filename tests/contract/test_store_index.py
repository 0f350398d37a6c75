"""The Store contract for index bookkeeping on every backend: what is left to index or delete, what
a rebuild reads, and the counts that keep ``unindexed`` honest."""

from __future__ import annotations

from newsarchive.model import Skip
from newsarchive.store.base import ClusterAssignment, Store
from tests.contract.samples import draft, store_articles


def test_pending_index_gives_unindexed_articles_oldest_first(store: Store) -> None:
    store_articles(store, draft("c3", "Three."), draft("a1", "One."), draft("b2", "Two."))
    pending = store.pending_index(2)
    assert [a.id for a in pending] == ["c3", "a1"]
    assert pending[0].body == "Three."  # whole articles, ready to index
    assert (store.count_indexed(), store.count_unindexed()) == (0, 3)
    with store.transaction():
        store.mark_indexed(["c3", "a1"], [])
    assert [a.id for a in store.pending_index(10)] == ["b2"]
    assert (store.count_indexed(), store.count_unindexed()) == (2, 1)


def test_an_article_or_a_whole_cluster_can_be_queued_again(store: Store) -> None:
    store_articles(store, draft("a1", "One."), draft("a2", "One!"), draft("a3", "Two."))
    with store.transaction():
        store.set_clusters([ClusterAssignment("a1", "a1", True), ClusterAssignment("a2", "a1", False)], [])
        store.mark_indexed(["a1", "a2", "a3"], [])
    with store.transaction():
        store.mark_unindexed("a3")
    assert [a.id for a in store.pending_index(10)] == ["a3"]
    with store.transaction():
        store.mark_indexed(["a3"], [])
        store.mark_cluster_unindexed("a1")
    assert [a.id for a in store.pending_index(10)] == ["a1", "a2"]


def test_index_deletes_wait_until_the_index_confirms_them(store: Store) -> None:
    store_articles(store, draft("a1", "One."), draft("a2", "One again."), draft("a3", "Three."))
    with store.transaction():
        store.delete_article("a2", merged_into="a1")
        store.delete_article("a3", merged_into="a1")
    assert sorted(store.pending_index_deletes()) == ["a2", "a3"]
    with store.transaction():
        store.mark_indexed(["a1"], ["a2"])
    assert store.pending_index_deletes() == ["a3"]
    assert store.pending_index(10) == []


def test_iter_index_batches_reads_every_article_once_in_batches(store: Store) -> None:
    ids = [f"x{n:03d}" for n in range(25)]
    store_articles(store, *(draft(i, f"Body {i}.") for i in ids))
    with store.transaction():
        store.mark_indexed(ids[:5], [])
        store.put_skip(
            Skip(ids[6], "index", f"hash-of-Body {ids[6]}.", "term too long", "2026-12-02T10:00:00Z")
        )
    batches = list(store.iter_index_batches(10))
    assert [len(b) for b in batches] == [10, 10, 5]
    assert [a.id for b in batches for a in b] == ids  # indexed, unindexed and skipped alike


def test_after_a_rebuild_everything_is_indexed_but_what_failed(store: Store) -> None:
    store_articles(
        store, draft("a1", "One."), draft("a2", "Two."), draft("a3", "Three."), draft("a4", "Four.")
    )
    with store.transaction():
        store.delete_article("a4", merged_into="a1")
    with store.transaction():
        store.mark_all_indexed(["a2"])
    assert (store.count_indexed(), store.count_unindexed()) == (
        2,
        0,
    )  # a2 is neither: it could not be indexed
    assert store.pending_index(10) == []
    assert store.pending_index_deletes() == []
    stats = store.stats()
    assert (stats["articles"], stats["indexed"], stats["unindexed"]) == (3, 2, 0)
    with store.transaction():
        store.mark_all_indexed()
    assert store.count_indexed() == 3
