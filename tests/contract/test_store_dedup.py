"""The Store contract for the duplicate step on every backend: its work queue, signatures and LSH
buckets, copy pairs and clusters, site boilerplate from edge lines, and versions of one URL."""

from __future__ import annotations

from newsarchive.store.base import ClusterAssignment, CopyPair, DedupHead, Store, StoredSignature
from tests.contract.samples import capture, draft, store_articles

AT = "2026-12-02T10:00:00Z"


def test_the_dedup_queue_gives_unworked_articles_oldest_first(store: Store) -> None:
    store_articles(store, draft("c3", "Three."), draft("a1", "One."), draft("b2", "Two."))
    assert [i.id for i in store.pending_dedup(10)] == ["c3", "a1", "b2"]
    assert [i.id for i in store.pending_dedup(2)] == ["c3", "a1"]
    with store.transaction():
        store.mark_deduped("c3")
        store.mark_deduped("a1")
    assert [i.id for i in store.pending_dedup(10)] == ["b2"]
    with store.transaction():
        store.mark_undeduped(["c3", "missing"])
    assert [i.id for i in store.pending_dedup(10)] == ["c3", "b2"]


def test_dedup_items_and_heads_carry_what_the_step_compares(store: Store) -> None:
    store_articles(
        store,
        draft("a1", "One.", url="https://x.example/1", published="2016-03-14"),
        draft("a2", "Two."),
    )
    with store.transaction():
        store.set_url_key("a1", "x.example/1")
        store.set_clusters([ClusterAssignment("a2", "a1", False)], [])
    items = store.dedup_items(["a1", "a2", "missing", "a1"])
    assert set(items) == {"a1", "a2"}
    one = items["a1"]
    assert (one.site, one.url, one.published, one.body) == (
        "gazette",
        "https://x.example/1",
        "2016-03-14",
        "One.",
    )
    assert (one.cluster_id, one.url_key, one.representative, one.body_hash) == (
        None,
        "x.example/1",
        True,
        "hash-of-One.",
    )
    assert one.key() == ("a1", "hash-of-One.")
    assert (items["a2"].cluster_id, items["a2"].representative, items["a2"].url_key) == ("a1", False, None)
    assert store.dedup_heads(["a1", "a2", "missing"]) == {
        "a1": DedupHead("a1", "hash-of-One.", "x.example/1"),
        "a2": DedupHead("a2", "hash-of-Two.", None),
    }
    assert store.dedup_items([]) == {} and store.dedup_heads([]) == {}


def test_signatures_are_found_by_any_of_their_bands_until_replaced_or_dropped(store: Store) -> None:
    big = 2**62 + 12345  # band keys use 56 bits, line keys 63: both must survive storage
    store_articles(store, draft("a1", "One."), draft("a2", "Two."), draft("a3", "Three."))
    sig1, sig2 = StoredSignature(bytes(range(32)), 40), StoredSignature(b"\xff" * 32, 7)
    with store.transaction():
        store.put_signatures([("a1", sig1, [1, 2, big]), ("a2", sig2, [2, 3])])
    assert store.get_signatures(["a1", "a2", "a3"]) == {"a1": sig1, "a2": sig2}
    assert store.lsh_candidates([2]) == {"a1", "a2"}
    assert store.lsh_candidates([big, 99]) == {"a1"}
    assert store.lsh_candidates([]) == set()
    with store.transaction():
        store.put_signatures([("a1", StoredSignature(b"\x00" * 32, 5), [4])])
    assert store.lsh_candidates([1, big]) == set()  # its old buckets went with the old signature
    assert store.lsh_candidates([4, 2]) == {"a1", "a2"}
    assert store.get_signatures(["a1"])["a1"].shingles == 5
    with store.transaction():
        store.drop_signature("a2")
        store.drop_signature("never-had-one")
    assert store.get_signatures(["a2"]) == {}
    assert store.lsh_candidates([2, 3]) == set()


def test_copy_pairs_are_replaced_per_article_and_read_among_a_set(store: Store) -> None:
    with store.transaction():
        store.replace_pairs("b", [CopyPair("b", "a", 0.8, 0.95), CopyPair("b", "c", 0.5, 0.9)])
        store.replace_pairs("d", [CopyPair("c", "d", 0.7, 1.0)])
    assert store.pairs_among(["a", "b", "c", "d"]) == [
        CopyPair("a", "b", 0.8, 0.95),  # stored with the smaller id first
        CopyPair("b", "c", 0.5, 0.9),
        CopyPair("c", "d", 0.7, 1.0),
    ]
    assert store.pairs_among(["a", "b"]) == [CopyPair("a", "b", 0.8, 0.95)]  # both ends must be in the set
    assert store.pairs_among(["a", "d"]) == []
    with store.transaction():
        store.replace_pairs("c", [CopyPair("c", "a", 0.6, 0.6)])  # c's pairs as verified now
    assert store.pairs_among(["a", "b", "c", "d"]) == [
        CopyPair("a", "b", 0.8, 0.95),
        CopyPair("a", "c", 0.6, 0.6),
    ]
    with store.transaction():
        store.replace_pairs("a", [])
    assert store.pairs_among(["a", "b", "c", "d"]) == []


def _clustered(store: Store) -> None:
    """a1 and a2 in cluster a1, a3 alone, a4 not deduplicated yet; all marked indexed."""
    store_articles(
        store, draft("a1", "Ferry one."), draft("a2", "Ferry one!"), draft("a3", "Bus."), draft("a4", "Tram.")
    )
    with store.transaction():
        store.set_clusters(
            [
                ClusterAssignment("a1", "a1", True),
                ClusterAssignment("a2", "a1", False),
                ClusterAssignment("a3", "a3", True),
            ],
            reindex=[],
        )
        store.mark_indexed(["a1", "a2", "a3", "a4"], [])


def test_cluster_sizes_and_members_follow_assignments(store: Store) -> None:
    _clustered(store)
    assert store.cluster_sizes(["a1", "a3", "missing", "a1"]) == {"a1": 2, "a3": 1}
    assert store.cluster_sizes([]) == {}
    assert store.cluster_members(["a1", "a3", "missing"]) == ["a1", "a2", "a3"]
    assert store.cluster_members(["", "missing"]) == []
    a2 = store.get_article("a2")
    assert a2 is not None and (a2.cluster_id, a2.representative) == ("a1", False)


def test_set_clusters_moves_articles_and_reindexes_only_what_it_is_told(store: Store) -> None:
    _clustered(store)
    with store.transaction():
        store.set_clusters([ClusterAssignment("a2", "a2", True)], reindex=["a1", "a2", "missing"])
    assert sorted(a.id for a in store.pending_index(10)) == ["a1", "a2"]
    assert store.cluster_sizes(["a1", "a2"]) == {"a1": 1, "a2": 1}
    assert store.get_article("a2").representative  # type: ignore[union-attr]
    with store.transaction():  # the last assignment of an article in one call wins
        store.set_clusters([ClusterAssignment("a3", "a1", False), ClusterAssignment("a3", "a1", True)], [])
    assert store.get_article("a3").representative  # type: ignore[union-attr]
    assert store.cluster_members(["a1"]) == ["a1", "a3"]


def test_a_line_becomes_site_boilerplate_when_enough_articles_repeat_it(store: Store) -> None:
    """Crossing the threshold either way names the other articles to compare again."""
    store_articles(
        store, *(draft(f"a{n}", f"Body {n}.") for n in range(1, 5)), draft("w1", "Wire.", site="wire")
    )
    footer, menu = 7, 2**62 + 1
    with store.transaction():
        assert store.set_edge_lines("a1", "gazette", [footer, menu], 3) == set()
        assert store.set_edge_lines("a2", "gazette", [footer], 3) == set()
        assert store.set_edge_lines("w1", "wire", [footer], 3) == set()  # another site's lines do not count
    assert store.site_boilerplate("gazette") == set()
    with store.transaction():
        assert store.set_edge_lines("a3", "gazette", [footer], 3) == {"a1", "a2"}
    assert store.site_boilerplate("gazette") == {footer}
    assert store.site_boilerplate("wire") == set()
    with store.transaction():
        assert store.set_edge_lines("a3", "gazette", [footer], 3) == set()  # nothing changed
        assert store.set_edge_lines("a4", "gazette", [footer], 3) == set()  # already boilerplate
        assert store.set_edge_lines("a4", "gazette", [], 3) == set()  # still three left
        assert store.set_edge_lines("a3", "gazette", [menu], 3) == {"a1", "a2"}  # footer falls below
    assert store.site_boilerplate("gazette") == set()


def test_versions_of_one_url_know_when_each_was_seen_and_which_is_latest(store: Store) -> None:
    url = "https://x.example/story"
    store_articles(
        store,
        draft("v1", "First text.", url=url, published="2016-03-14"),
        draft("v2", "Second text.", url=url, published="2016-03-14"),
        draft("v3", "Third text.", url=url),
        draft("other", "Elsewhere."),
    )
    with store.transaction():
        store.add_capture(capture(1, url, "2016-03-14T08:00:00Z"), "v1", AT)
        store.add_capture(capture(2, url, "2016-03-15T08:00:00Z"), "v2", AT)
        store.add_capture(capture(3, url, "2016-03-16T08:00:00Z"), "v2", AT)
        for v in ("v1", "v2", "v3"):
            store.set_url_key(v, "x.example/story")
        store.mark_indexed(["v1", "v2", "v3", "other"], [])
    infos = {i.id: i for i in store.version_infos("x.example/story")}
    assert [i.id for i in store.version_infos("x.example/story")] == ["v1", "v2", "v3"]
    assert (infos["v1"].seen_at, infos["v2"].seen_at, infos["v3"].seen_at) == (
        "2016-03-14T08:00:00Z",
        "2016-03-16T08:00:00Z",
        None,
    )
    assert infos["v1"].published == "2016-03-14" and all(i.latest for i in infos.values())
    assert store.version_counts(["v1", "v3", "other", "missing"]) == {"v1": 3, "v3": 3}
    assert [a.id for a in store.url_versions("v2")] == ["v3", "v1", "v2"]  # never captured sorts first
    assert store.url_versions("other") == [] and store.url_versions("missing") == []
    with store.transaction():
        store.set_latest("v1", False)
        store.set_latest("v2", True)  # unchanged: stays indexed
    assert [a.id for a in store.pending_index(10)] == ["v1"]
    assert not store.get_article("v1").latest  # type: ignore[union-attr]
    with store.transaction():
        store.set_url_key("v3", None)
    assert store.version_counts(["v1"]) == {"v1": 2}
    assert store.version_infos("nothing") == []
