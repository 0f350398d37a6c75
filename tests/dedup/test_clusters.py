"""clusters, best, rank and comparable_date: clusters and representatives independent of order.

Covered: transitive components, cluster id = smallest member id, the representative rule
(earliest, then longest, then smallest id; undated last), UTC comparison of offsets, pairs naming
unknown ids, and a property test that no order of members or pairs changes the answer.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarchive.dedup.clusters import Cluster, Member, best, clusters, comparable_date, rank


def m(id_: str, published: str | None = "2016-03-01", body_chars: int = 1000) -> Member:
    return Member(id_, published, body_chars)


def test_pairs_are_joined_transitively() -> None:
    members = [m("a"), m("b"), m("c"), m("d"), m("e")]
    result = clusters(members, [("c", "b"), ("b", "a"), ("e", "d")])
    assert [c.members for c in result] == [("a", "b", "c"), ("d", "e")]


def test_unpaired_members_are_clusters_of_one() -> None:
    assert clusters([m("x"), m("y")], []) == [Cluster("x", "x", ("x",)), Cluster("y", "y", ("y",))]
    assert clusters([], [("a", "b")]) == []


def test_cluster_id_is_smallest_member_id() -> None:
    members = [m("k", "2016-03-01"), m("b", "2016-03-05"), m("q", "2016-02-01")]
    [cluster] = clusters(members, [("k", "b"), ("q", "k")])
    assert cluster.id == "b"
    assert cluster.representative == "q"  # earliest, not the id


def test_representative_is_earliest_then_longest_then_smallest_id() -> None:
    assert best([m("a", "2016-03-02", 9000), m("b", "2016-03-01", 10)]).id == "b"
    assert best([m("a", "2016-03-01", 10), m("b", "2016-03-01", 9000)]).id == "b"
    assert best([m("c", "2016-03-01", 500), m("b", "2016-03-01", 500)]).id == "b"


def test_undated_members_come_last() -> None:
    assert best([m("a", None, 99_999), m("b", "2019-12-31", 1)]).id == "b"
    assert best([m("a", "", 99_999), m("b", "2019-12-31", 1)]).id == "b"
    assert best([m("b", None, 10), m("a", None, 10)]).id == "a"
    assert rank(m("a", None))[0] is True
    assert rank(m("a", "2016-03-01"))[0] is False


def test_timezone_offsets_compare_in_utc() -> None:
    later = m("a", "2016-03-01T23:00:00-05:00")  # 04:00 UTC on 2 March
    earlier = m("b", "2016-03-02T01:00:00+00:00")
    assert best([later, earlier]).id == "b"
    assert comparable_date(later.published) == "2016-03-02T04:00:00"
    assert comparable_date("2016-03-02T01:00:00Z") == comparable_date("2016-03-02T03:00:00+02:00")


def test_comparable_date_sorts_in_time_order() -> None:
    values = ["2016-03", "2016-03-01", "2016-03-01T12:00:00", "2016-03-01T13:30:00+00:00", "2016-03-02"]
    keys = [comparable_date(v) for v in values]
    assert all(isinstance(k, str) for k in keys)
    assert keys == sorted(str(k) for k in keys)
    assert comparable_date(None) is None
    assert comparable_date("") is None


def test_pairs_naming_unknown_ids_are_ignored() -> None:
    result = clusters([m("a"), m("b")], [("a", "zz"), ("zz", "b"), ("ghost", "phantom")])
    assert [c.members for c in result] == [("a",), ("b",)]


ID = st.sampled_from([f"art{i}" for i in range(12)])
DATE = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "2016-03-01",
            "2016-03-01T23:00:00-05:00",
            "2016-03-02T04:00:00Z",
            "2016-03-02T01:00:00+00:00",
            "2016-03-02T01:00:00",
            "2016-03",
        ]
    ),
)


@st.composite
def scenario(draw: st.DrawFn) -> tuple[list[Member], list[tuple[str, str]]]:
    ids = draw(st.lists(ID, unique=True, max_size=10))
    members = [Member(i, draw(DATE), draw(st.integers(0, 3))) for i in ids]
    known = st.sampled_from(ids) if ids else ID
    pairs = draw(st.lists(st.tuples(st.one_of(known, ID), st.one_of(known, ID)), max_size=15))
    return members, pairs


@given(scenario(), st.randoms(use_true_random=False))
def test_any_order_gives_the_same_clusters(
    case: tuple[list[Member], list[tuple[str, str]]], rnd: random.Random
) -> None:
    members, pairs = case
    expected = clusters(members, pairs)
    shuffled_members = rnd.sample(members, len(members))
    shuffled_pairs = [(b, a) if rnd.random() < 0.5 else (a, b) for a, b in rnd.sample(pairs, len(pairs))]
    assert clusters(shuffled_members, shuffled_pairs) == expected
    assert sorted(i for c in expected for i in c.members) == sorted(x.id for x in members)
    for c in expected:
        assert c.id == min(c.members)
        assert c.representative in c.members


def test_an_id_given_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        clusters([Member("x", "2016-03-01", 10), Member("x", "2016-03-05", 10)], [])
