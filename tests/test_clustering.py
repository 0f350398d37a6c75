"""The duplicate step through the real pipeline (SQLite + tantivy): copies grouped, look-alikes kept
apart, the same clusters and representatives in any order or batching, exact-duplicate survivors,
versions of one URL, and the source's repeated lines left out of comparisons."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from newsarchive import Archive, Settings

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _corpus_module() -> ModuleType:
    """bench/dedup_corpus.py: the corpus generator the quality benchmark uses (one source of truth)."""
    spec = importlib.util.spec_from_file_location("dedup_corpus", BENCH / "dedup_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dedup_corpus"] = module
    spec.loader.exec_module(module)
    return module


corpus = _corpus_module()


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _rows(items: list[Any]) -> list[dict[str, Any]]:
    return [
        {"url": i.url, "title": i.title, "date": i.date, "source": i.source, "text": i.text} for i in items
    ]


def _clusters_by_url(archive: Archive) -> dict[str, tuple[frozenset[str], str]]:
    """Each URL -> (the URLs in its cluster, the URL of the cluster's representative)."""
    members: dict[str, set[str]] = defaultdict(set)
    shown: dict[str, str] = {}
    url_of: dict[str, str] = {}
    for article in archive.articles():
        cluster = article.cluster_id or article.id
        for url in {article.url, *(c.url for c in article.captures)} - {None}:
            assert url is not None
            members[cluster].add(url)
            url_of[url] = cluster
        if article.representative:
            assert article.url is not None
            shown[cluster] = article.url
    return {url: (frozenset(members[c]), shown[c]) for url, c in url_of.items()}


def _ingest(rows: list[dict[str, Any]], workdir: Path, batch_size: int = 500, files: int = 1) -> Archive:
    workdir.mkdir(parents=True)
    archive = Archive.open(workdir / "archive", Settings(enrich=False, batch_size=batch_size), create=True)
    share = -(-len(rows) // files)
    for n in range(files):  # separate ingest runs, as when an archive grows over time
        archive.ingest([_write(workdir / f"part{n}.jsonl", rows[n * share : (n + 1) * share])])
    return archive


def _score(items: list[Any], clusters: dict[str, tuple[frozenset[str], str]]) -> tuple[float, int]:
    """(share of copies in their original's cluster, pairs of different stories sharing a cluster)."""
    by_url = {i.url: i for i in items}
    base_url = {i.group: i.url for i in items if i.kind in ("base", "lookalike", "brief")}
    copies = [i for i in items if i.kind in corpus.COPY_KINDS]
    grouped = sum(base_url[i.group] in clusters[i.url][0] for i in copies)
    false_pairs = 0
    for urls, _ in set(clusters.values()):
        groups = [by_url[u].group for u in urls]
        false_pairs += sum(a != b for n, a in enumerate(groups) for b in groups[n + 1 :])
    return grouped / len(copies), false_pairs


def test_fictional_wire_copies_are_grouped_and_look_alikes_kept_apart(tmp_path: Path) -> None:
    items = corpus.build_corpus(corpus.fictional_stories(60, seed=3), seed=3, origin_source="Coastline Wire")
    with _ingest(_rows(items), tmp_path / "a") as archive:
        recall, false_pairs = _score(items, _clusters_by_url(archive))
        stats = archive.stats()
    assert recall >= 0.98
    assert false_pairs == 0
    assert stats["clusters"] == 60
    assert stats["copies"] == stats["articles"] - stats["stories"]


def test_reuters_copies_are_grouped(tmp_path: Path, shared_data: Path) -> None:
    reuters = shared_data / "corpus" / "reuters21578"
    if not reuters.is_dir():
        pytest.skip(f"Reuters-21578 is not in {shared_data}")
    items = corpus.build_corpus(corpus.sample_reuters(reuters, 40, seed=4), seed=4)
    with _ingest(_rows(items), tmp_path / "a") as archive:
        recall, false_pairs = _score(items, _clusters_by_url(archive))
    assert recall >= 0.98
    assert false_pairs == 0


def test_any_order_and_batching_gives_the_same_clusters_and_representatives(tmp_path: Path) -> None:
    items = corpus.build_corpus(
        corpus.fictional_stories(12, seed=5), briefs=9, seed=5, origin_source="Coastline Wire"
    )
    rows = _rows(items)
    with _ingest(rows, tmp_path / "reference") as archive:
        expected = _clusters_by_url(archive)
    assert len({members for members, _ in expected.values()}) < len(rows)  # there are clusters to agree on
    rng = random.Random(7)
    for run in range(4):
        shuffled = list(rows)
        rng.shuffle(shuffled)
        batch_size, files = rng.choice([(7, 1), (50, 3), (500, 2), (13, 4)])
        with _ingest(shuffled, tmp_path / f"run{run}", batch_size=batch_size, files=files) as archive:
            assert _clusters_by_url(archive) == expected, f"run {run}: batch {batch_size}, {files} files"


def test_exact_duplicate_survivor_is_the_earliest_whatever_the_order(tmp_path: Path) -> None:
    text = (
        "The harbour authority said on Monday that the northern pier would close for repairs from "
        "next week, after divers found cracks in three of its supports during a routine inspection."
    )
    later = {
        "url": "https://b.example/pier",
        "title": "Pier to close",
        "date": "2016-04-05",
        "source": "B",
        "text": text,
    }
    earlier = {
        "url": "https://a.example/pier",
        "title": "Pier closes",
        "date": "2016-04-04",
        "source": "A",
        "text": text,
    }
    survivors = []
    for n, rows in enumerate(([later, earlier], [earlier, later])):
        with _ingest(rows, tmp_path / f"order{n}") as archive:
            articles = list(archive.articles())
            assert len(articles) == 1 and len(articles[0].captures) == 2
            survivors.append((articles[0].id, articles[0].source, articles[0].published))
            hit_ids = {h.id for h in archive.search("pier").hits}
            assert hit_ids == {articles[0].id}
    assert survivors[0] == survivors[1]
    assert survivors[0][1:] == ("A", "2016-04-04")


def test_a_merged_id_keeps_resolving_to_its_survivor(tmp_path: Path) -> None:
    text = (
        "Ferries to the islands were cancelled on Friday as winds reached gale force along the coast again."
    )
    rows = [
        {
            "url": "https://b.example/f",
            "title": "Ferries off",
            "date": "2016-02-02",
            "source": "B",
            "text": text,
        },
        {
            "url": "https://a.example/f",
            "title": "Ferries cancelled",
            "date": "2016-02-01",
            "source": "A",
            "text": text,
        },
    ]
    with _ingest(rows[:1], tmp_path / "a") as archive:
        first_id = next(iter(archive.articles())).id
        archive.ingest([_write(tmp_path / "more.jsonl", rows[1:])])
        survivor = next(iter(archive.articles()))
        assert survivor.id != first_id and survivor.source == "A"
        assert archive.article(first_id).id == survivor.id


def test_versions_of_one_url_are_linked_and_the_latest_is_shown(tmp_path: Path) -> None:
    base = (
        "The city council voted on Tuesday to build a new bridge over the river, after a debate that "
        "lasted most of the night. The bridge will cost about 40 million and open in three years."
    )
    rows = [
        {"url": "https://gazette.example/bridge", "title": "Bridge vote", "date": "2016-05-03",
         "fetched_at": "2016-05-03T08:00:00Z", "source": "Gazette", "text": base},
        {"url": "https://gazette.example/bridge/?utm_source=feed", "title": "Bridge approved", "date": "2016-05-03",
         "fetched_at": "2016-05-03T18:00:00Z", "source": "Gazette",
         "text": base.replace("about 40 million", "about 42 million, officials said,")},
    ]  # fmt: skip
    for n, order in enumerate((rows, rows[::-1])):
        with _ingest(order, tmp_path / f"order{n}") as archive:
            result = archive.search("bridge")
            assert [(h.title, h.versions) for h in result.hits] == [("Bridge approved", 2)]
            assert archive.search("bridge", all_versions=True).total == 2
            versions = archive.versions(result.hits[0].id)
            assert [(v.title, v.latest) for v in versions] == [
                ("Bridge vote", False),
                ("Bridge approved", True),
            ]
            diff = archive.version_diff(versions[1].id, versions[0].id)
            removed = " ".join(p.text for p in diff if p.op == "removed").split()
            added = " ".join(p.text for p in diff if p.op == "added")
            assert "40" in removed and "42" in added and "officials" in added
            stats = archive.stats()
            assert (stats["versions"], stats["copies"], stats["stories"]) == (1, 0, 1)


def test_a_sites_repeated_lines_do_not_keep_copies_apart(tmp_path: Path) -> None:
    """Another site adds its menu and footer to every story it carries; with the tail cut too, the
    copy would no longer be contained in the original if those lines counted."""
    stories = corpus.fictional_stories(6, seed=8)
    rows = []
    cut_of: dict[str, str] = {}
    for s in stories:
        rows.append(
            {
                "url": f"https://wire.example/{s.id}",
                "title": s.title,
                "date": s.date,
                "source": "Wire",
                "text": s.text,
            }
        )
        words = s.text.split(" ")
        cut = cut_of[s.id] = " ".join(words[: int(len(words) * 0.62)])
        chrome_top = "Home | Local | Sport | Weather | Traffic | Jobs | Homes | Cars | Contact us today\n"
        chrome_bottom = (
            "\nFollow Northfield News on Facebook, Twitter and Instagram for more local stories every day"
            "\nSign up to our morning newsletter and get the headlines before breakfast"
            "\nCopyright 2016 Northfield News Media Group. All rights reserved. Terms and privacy"
        )
        rows.append({"url": f"https://northfield.example/{s.id}", "title": s.title, "date": s.date,
                     "source": "Northfield News", "text": chrome_top + cut + chrome_bottom})  # fmt: skip
    with _ingest(rows, tmp_path / "a") as archive:
        clusters = _clusters_by_url(archive)
        stored = {a.url: a.body for a in archive.articles()}
    for s in stories:
        assert f"https://northfield.example/{s.id}" in clusters[f"https://wire.example/{s.id}"][0]
        body = stored[f"https://northfield.example/{s.id}"]
        assert body.startswith("Home | Local") and body.endswith(
            cut_of[s.id]
        )  # short footer lines go (issue 12)
