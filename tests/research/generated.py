"""A generated archive of many fictional articles, written through the store and index layers.

The full ingest pipeline runs at a few hundred articles a second; tests that need more than
10,000 matches write what the pipeline would have written (articles, captures, clusters, then the
index from the store), as bench/search_speed.py does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from pathlib import Path

from newsarchive.backends.directory import DB_NAME, INDEX_DIR
from newsarchive.extract.clean import body_hash
from newsarchive.index.tantivy_index import TantivyIndex
from newsarchive.ingest import index_entries
from newsarchive.model import Article, Capture
from newsarchive.store.base import ArticleDraft, ClusterAssignment
from newsarchive.store.sqlite import SQLiteStore

SOURCES = ("Harbour Gazette", "Valley Courier", "Coast Herald", '=HYPERLINK("x")')
TOWNS = ("Port Ellery", "Westmarch", "Caldera Bay", "Linden Falls", "Easthaven")
FIRST_DAY = dt.date(2015, 1, 1)
DAYS = 3 * 365


def generated_article(n: int, rng: random.Random) -> Article:
    """The n-th article: a ferry story (three in four), else a bridge story; one in fifty undated."""
    town = TOWNS[n % len(TOWNS)]
    topic = "ferry" if n % 4 else "bridge"
    body = (
        f"The {topic} at {town} was discussed by the council on item {n}. Residents said the {topic} "
        f"service matters to {100 + n % 900} families, and the harbour master agreed to report back."
    )
    day = None if n % 50 == 7 else FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    article_id = hashlib.sha256(f"generated-{n}".encode()).hexdigest()[:16]
    return Article(
        id=article_id,
        title=f"{town} {topic} item {n}",
        body=body,
        source=SOURCES[n // 4 % len(SOURCES)],
        site=f"site{n % len(SOURCES)}.example",
        url=f"https://site{n % len(SOURCES)}.example/{n}",
        authors=["Staff"],
        published=day.isoformat() if day else None,
        published_time=f"{day.isoformat()}T09:30:00+02:00" if day and n % 3 == 0 else None,
        published_from="metadata" if day else None,
        section="Local",
        language="en",
        word_count=len(body.split()),
        body_hash=body_hash(body),
        cluster_id=article_id,
    )


def build_generated(root: Path, size: int, seed: int = 3) -> Path:
    """An archive directory of ``size`` generated articles (every one its own story), fully indexed."""
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    store = SQLiteStore(root / DB_NAME)
    index = TantivyIndex(root / INDEX_DIR)
    try:
        articles = [generated_article(n, rng) for n in range(size)]
        with store.transaction():
            for a in articles:
                store.insert_article(ArticleDraft(a, a.body.split(". ")))
                page = f"<html><body><p>{a.body}</p></body></html>".encode()
                store.add_capture(Capture(origin=f"gen.warc#{a.id}", raw=page, format="html", url=a.url), a.id,
                                  "2024-01-01T00:00:00Z")  # fmt: skip
                store.mark_deduped(a.id)
            store.set_clusters([ClusterAssignment(a.id, a.id, True) for a in articles], reindex=())
        stored = list(store.iter_articles(with_captures=False))
        for start in range(0, len(stored), 20_000):
            chunk = stored[start : start + 20_000]
            index.write(index_entries(store, chunk))
            with store.transaction():
                store.mark_indexed([a.id for a in chunk], [])
    finally:
        index.close()
        store.close()
    return root
