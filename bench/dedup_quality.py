"""Near-duplicate quality of the real ingest pipeline: copies grouped, false merges, order dependence.

The corpus (``dedup_corpus``) is written as JSONL, ingested with ``Archive.ingest`` (enrichment
off: it does not touch clusters), and every item is traced to its article's ``cluster_id``
through its capture's URL. Recall: share of copies whose cluster holds their base story. False
merges: pairs of items of different ground-truth groups sharing a cluster. The corpus is then
ingested again in a shuffled order, and we count items whose cluster members differ.

Usage: .venv/bin/python bench/dedup_quality.py [--data DIR] [--stories N] [--fictional] [--markdown] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_DATA, machine_line, markdown_table
from dedup_corpus import COPY_KINDS, Item, build_corpus, fictional_stories, sample_reuters

from newsarchive import Archive
from newsarchive.ingest import Pipeline
from newsarchive.settings import Settings


@dataclass(slots=True)
class Run:
    """One ingest of the corpus: each item's cluster, and the time near-dedup took."""

    cluster_of: dict[str, str]
    seconds: float
    dedup_seconds: float


@contextmanager
def _timed_dedup() -> Iterator[list[float]]:
    """Wall time spent in ``Pipeline._dedup_pending`` while the block runs (a wrapper, not a profiler)."""
    spent: list[float] = []
    original = Pipeline._dedup_pending

    def timed(self: Pipeline) -> None:
        start = time.perf_counter()
        try:
            original(self)
        finally:
            spent.append(time.perf_counter() - start)

    Pipeline._dedup_pending = timed  # type: ignore[method-assign]
    try:
        yield spent
    finally:
        Pipeline._dedup_pending = original  # type: ignore[method-assign]


def ingest(items: list[Item], workdir: Path) -> Run:
    """Ingest ``items`` in the given order into a new archive; map each item id to its cluster."""
    workdir.mkdir(parents=True)
    source = workdir / "corpus.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for item in items:
            row = {
                "url": item.url,
                "title": item.title,
                "date": item.date,
                "source": item.source,
                "text": item.text,
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    with (
        _timed_dedup() as spent,
        Archive.open(workdir / "archive", Settings(enrich=False), create=True) as archive,
    ):
        start = time.perf_counter()
        archive.ingest([source])
        seconds = time.perf_counter() - start
        cluster_by_url: dict[str, str] = {}
        for article in archive.articles():
            cluster = article.cluster_id or article.id
            for url in {article.url, *(c.url for c in article.captures)}:
                if url:
                    cluster_by_url[url] = cluster
    missing = [item.url for item in items if item.url not in cluster_by_url]
    if missing:
        raise RuntimeError(f"{len(missing)} items not found in the archive by URL, e.g. {missing[:3]}")
    return Run({item.id: cluster_by_url[item.url] for item in items}, seconds, sum(spent))


def score(items: list[Item], run: Run) -> dict[str, Any]:
    """Recall per copy kind, false merges (pairs and clusters) and the kinds of items wrongly merged."""
    by_id = {item.id: item for item in items}
    groups: dict[str, str] = {item.id: item.group for item in items}
    recall: dict[str, list[int]] = {kind: [0, 0] for kind in COPY_KINDS}
    for item in items:
        if item.kind in recall:
            recall[item.kind][1] += 1
            recall[item.kind][0] += run.cluster_of[item.id] == run.cluster_of[item.group]
    members: dict[str, list[str]] = defaultdict(list)
    for item_id, cluster in run.cluster_of.items():
        members[cluster].append(item_id)
    false_pairs = 0
    bad_clusters = 0
    pair_kinds: Counter[str] = Counter()
    for ids in members.values():
        pairs = [(a, b) for a, b in combinations(ids, 2) if groups[a] != groups[b]]
        false_pairs += len(pairs)
        bad_clusters += bool(pairs)
        for a, b in pairs:
            kinds = sorted(("copy" if by_id[x].kind in recall else by_id[x].kind) for x in (a, b))
            pair_kinds["–".join(kinds)] += 1
    copies = sum(n for _, n in recall.values())
    grouped = sum(g for g, _ in recall.values())
    return {
        "items": len(items),
        "clusters": len(members),
        "copies": copies,
        "copies_grouped": grouped,
        "recall": grouped / copies if copies else float("nan"),
        "recall_by_kind": {k: {"grouped": g, "of": n} for k, (g, n) in recall.items()},
        "false_merge_pairs": false_pairs,
        "clusters_with_false_merges": bad_clusters,
        "false_merge_pair_kinds": dict(pair_kinds.most_common()),
        "ingest_seconds": run.seconds,
        "dedup_seconds": run.dedup_seconds,
    }


def order_difference(items: list[Item], first: Run, second: Run) -> int:
    """Items whose cluster (as a set of item ids) differs between two ingests of the same items."""

    def partition(run: Run) -> dict[str, frozenset[str]]:
        members: dict[str, set[str]] = defaultdict(set)
        for item_id, cluster in run.cluster_of.items():
            members[cluster].add(item_id)
        return {item_id: frozenset(members[cluster]) for item_id, cluster in run.cluster_of.items()}

    a, b = partition(first), partition(second)
    return sum(a[item.id] != b[item.id] for item in items)


def measure(data_dir: Path | None, stories: int, seed: int = 10) -> dict[str, Any]:
    """Build the corpus (Reuters bases when ``data_dir`` has them, else fictional), ingest it twice, score."""
    reuters = data_dir / "corpus" / "reuters21578" if data_dir else None
    if reuters is not None and reuters.is_dir():
        bases, origin = sample_reuters(reuters, stories, seed), "Reuters"
    else:
        bases, origin = fictional_stories(stories, seed), "Coastline Wire"
    items = build_corpus(bases, seed=seed, origin_source=origin)
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    with tempfile.TemporaryDirectory(prefix="dedup-quality-") as tmp:
        in_order = ingest(items, Path(tmp) / "in_order")
        reordered = ingest(shuffled, Path(tmp) / "shuffled")
    return {
        "bases": f"{len(bases)} {'Reuters-21578' if origin == 'Reuters' else 'fictional'} stories",
        "kinds": dict(Counter(item.kind for item in items)),
        "in_order": score(items, in_order),
        "shuffled": score(items, reordered),
        "items_whose_cluster_differs_by_order": order_difference(items, in_order, reordered),
    }


def to_markdown(result: dict[str, Any]) -> str:
    """Per-kind recall table for both orders, then false merges and order dependence."""
    first, second = result["in_order"], result["shuffled"]
    rows = []
    for kind in COPY_KINDS:
        a, b = first["recall_by_kind"][kind], second["recall_by_kind"][kind]
        rows.append((kind, f"{a['grouped']}/{a['of']}", f"{b['grouped']}/{b['of']}"))
    rows.append(
        (
            "**all copies**",
            f"**{first['copies_grouped']}/{first['copies']}** ({first['recall']:.1%})",
            f"**{second['copies_grouped']}/{second['copies']}** ({second['recall']:.1%})",
        )
    )
    for label, key in (
        ("false-merge pairs", "false_merge_pairs"),
        ("clusters with a false merge", "clusters_with_false_merges"),
    ):
        rows.append((label, first[key], second[key]))
    rows.append(
        (
            "clusters / items",
            f"{first['clusters']} / {first['items']}",
            f"{second['clusters']} / {second['items']}",
        )
    )
    rows.append(
        (
            "near-dedup share of ingest",
            f"{first['dedup_seconds']:.2f} s of {first['ingest_seconds']:.2f} s ({first['dedup_seconds'] / first['ingest_seconds']:.0%})",
            f"{second['dedup_seconds']:.2f} s of {second['ingest_seconds']:.2f} s ({second['dedup_seconds'] / second['ingest_seconds']:.0%})",
        )
    )
    kinds = {
        label: ", ".join(f"{k} {v}" for k, v in run["false_merge_pair_kinds"].items()) or "none"
        for label, run in (("publication", first), ("shuffled", second))
    }
    return "\n".join(
        [
            f"Bases: {result['bases']}; items: {', '.join(f'{k} {v}' for k, v in result['kinds'].items())}.",
            "",
            markdown_table(
                ("copies grouped with their original", "publication order", "shuffled order"), rows
            ),
            "",
            f"False-merge pairs by the kinds of their items: publication order {kinds['publication']}; "
            f"shuffled order {kinds['shuffled']}.",
            f"Items whose cluster members differ between the two orders: **{result['items_whose_cluster_differs_by_order']}**.",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="the shared data folder (Reuters bases)"
    )
    parser.add_argument("--stories", type=int, default=150, help="base stories")
    parser.add_argument(
        "--fictional", action="store_true", help="fictional bases even when Reuters is present"
    )
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = measure(None if args.fictional else args.data, args.stories, args.seed)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"_{machine_line()}_\n")
        print(to_markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
