"""Clusters as a pure function of the verified copy pairs: the same answer in any order.

A cluster is a connected component of the "is a copy of" relation; its id is its smallest member
id and its representative (the one search shows) is chosen by a stated rule: earliest published,
then longest body, then smallest id. Nothing depends on which article arrived first, so another
ingest order, other batches, a merge of two archives or a batch job on many machines agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class Member:
    """What the rule needs to know of an article."""

    id: str
    published: str | None
    body_chars: int


@dataclass(slots=True, frozen=True)
class Cluster:
    """One component: its id, its representative and every member id (sorted)."""

    id: str
    representative: str
    members: tuple[str, ...]


def rank(member: Member) -> tuple[bool, str, int, str]:
    """Sort key of the representative rule: undated last, then earliest, longest, smallest id."""
    published = comparable_date(member.published)
    return (published is None, published or "", -member.body_chars, member.id)


def comparable_date(value: str | None) -> str | None:
    """An ISO date or timestamp as a string that sorts in time order (offsets turned to UTC)."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return value  # a partial date ("2016-03") already sorts as text
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed.isoformat()


def best(members: Iterable[Member]) -> Member:
    """The member the rule picks (also the survivor among exact duplicates)."""
    return min(members, key=rank)


def clusters(members: Iterable[Member], pairs: Iterable[tuple[str, str]]) -> list[Cluster]:
    """Connected components of ``pairs`` over ``members`` (pairs naming others are ignored).

    Member ids must be unique (they are article ids): two records for one id have no order-free
    answer, so they are refused.
    """
    by_id: dict[str, Member] = {}
    for member in members:
        if member.id in by_id:
            raise ValueError(f"article {member.id} is given twice")
        by_id[member.id] = member
    parent = {i: i for i in by_id}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        if a in parent and b in parent:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for i in by_id:
        groups.setdefault(root(i), []).append(i)
    return [
        Cluster(min(ids), best(by_id[i] for i in ids).id, tuple(sorted(ids)))
        for ids in sorted(groups.values(), key=min)
    ]
