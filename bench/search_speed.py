"""Search speed: our query layer against raw tantivy on the same index, at 100k and 1M articles.

Run: .venv/bin/python bench/search_speed.py [--data DIR] [--sizes 100000,1000000] [--queries 400]
                                            [--out bench/out] [--markdown] [--rebuild]

Archives are built once per size under ``<out>/archive-<size>`` and reused while their
``bench-build.json`` marker is there (bench/out is git-ignored). Articles are made of real text:
paragraphs of Reuters-21578, PolNeAR and ECB+ recombined (a run of one story's paragraphs plus a
few from others), titled with the seed story's real title, with metadata spread over 20
publishers, 15 sections and 1987–2017. About 3% are near-duplicates of an earlier article
(a paragraph dropped or a credit line added, re-published by another source) and share its cluster.
The full ingest pipeline runs at a few hundred articles/s, so the build writes straight through
the store and index layers — ``SQLiteStore.insert_article`` / ``add_capture`` / ``set_clusters``
in 10k transactions, then, once every cluster is complete, ``TantivyIndex.write`` of the
pipeline's own ``index_entries`` (canonical flag, cluster size, entities) in 50k batches followed
by ``mark_indexed`` — which is what ``Pipeline`` does after extraction; the build checks that the
index count equals the store's indexed count.

Then, on one index and in one run, each query of a mix (single words from frequency bands of the
corpus vocabulary, 2–3 word AND queries, phrases, title:/source: field queries, date ranges, a
source filter, sort by date, page 2) runs, in random order, as
- ours: ``Archive.search(q, ...)`` — parse, tantivy search with count, facets (source, section,
  language, year, entity), highlighted snippets, hit records and cluster sizes stored in the index;
- raw: the same query parsed and filtered with the tantivy API on a separately opened
  ``tantivy.Index``, ``searcher.search(query, 10, count=True, offset=…, order_by_field=…)``;
- and, to attribute our time, ``TantivyIndex.search`` without facets and snippets, with
  snippets only, and with both (ours minus the last is the query layer's own overhead).
The archive's files are read once first (a warm page cache, as on a serving machine), then
warm-up queries run. Reported: p50/p95/p99 in ms and ours/raw at p50, per size; the
slowest queries are profiled with cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import hashlib
import html
import io
import json
import pstats
import random
import re
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tantivy
from _common import (
    DEFAULT_DATA,
    ROOT,
    Stopwatch,
    current_rss_bytes,
    dir_size_bytes,
    machine_line,
    markdown_table,
    mib,
    peak_rss_bytes,
    percentile,
    show_report,
)

from newsarchive import Archive
from newsarchive.archive import DB_NAME, INDEX_DIR
from newsarchive.extract.clean import body_hash
from newsarchive.index.tantivy_index import TEXT_FIELDS, IndexQuery, TantivyIndex
from newsarchive.ingest import index_entries
from newsarchive.model import Article, Capture
from newsarchive.query import SearchRequest
from newsarchive.store.base import ArticleDraft, ClusterAssignment
from newsarchive.store.sqlite import SQLiteStore

MARKER = "bench-build.json"
BUILD_VERSION = 2  # 2: the index stores hit records and cluster sizes
STORE_BATCH = 10_000
INDEX_BATCH = 50_000
NEAR_DUP_SHARE = 0.03

PUBLISHERS = [
    ("Reuters", "reuters.com"), ("Associated Press", "apnews.com"), ("Agence France-Presse", "afp.com"),
    ("The New York Times", "nytimes.com"), ("The Washington Post", "washingtonpost.com"),
    ("The Guardian", "theguardian.com"), ("BBC News", "bbc.co.uk"), ("CNN", "cnn.com"),
    ("Fox News", "foxnews.com"), ("Breitbart", "breitbart.com"), ("Politico", "politico.com"),
    ("The Wall Street Journal", "wsj.com"), ("Bloomberg", "bloomberg.com"),
    ("Los Angeles Times", "latimes.com"), ("USA Today", "usatoday.com"), ("NPR", "npr.org"),
    ("Al Jazeera", "aljazeera.com"), ("Asharq Al-Awsat", "aawsat.com"), ("Deutsche Welle", "dw.com"),
    ("The Times of India", "timesofindia.com"),
]  # fmt: skip
SECTIONS = [
    "World", "Politics", "Business", "Markets", "US", "Technology", "Opinion", "Europe", "Middle East",
    "Asia", "Science", "Health", "Sports", "Culture", "Energy",
]  # fmt: skip
FIRST_DAY = dt.date(1987, 1, 1)
LAST_DAY = dt.date(2017, 12, 31)


# --- real text material ------------------------------------------------------------------------------


@dataclass(slots=True)
class Story:
    title: str
    paragraphs: list[str]
    authors: list[str] = field(default_factory=list)


def _reuters(data: Path) -> Iterator[Story]:
    for path in sorted((data / "corpus" / "reuters21578").glob("reut2-*.sgm")):
        text = path.read_bytes().decode("latin-1")
        for story in re.findall(r"<REUTERS\b.*?</REUTERS>", text, re.S):
            title = re.search(r"<TITLE>(.*?)</TITLE>", story, re.S)
            body = re.search(r"<BODY>(.*?)</BODY>", story, re.S)
            author = re.search(r"<AUTHOR>(.*?)</AUTHOR>", story, re.S)
            if not title or not body:
                continue
            raw = html.unescape(re.sub(r"&#\d+;", "", body.group(1)))
            raw = re.sub(r"\s*\bReuter\s*$", "", raw.strip())
            paragraphs = [" ".join(p.split()) for p in re.split(r"\n(?=\s)", raw) if len(p.split()) >= 4]
            name = ""
            if author:
                name = re.sub(
                    r"^\s*by\s+|,?\s*reuters?\s*$", "", " ".join(author.group(1).split()), flags=re.I
                )
            if paragraphs:
                yield Story(
                    " ".join(html.unescape(title.group(1)).split()).title(),
                    paragraphs,
                    [name] if name else [],
                )


def _polnear(data: Path) -> Iterator[Story]:
    root = data / "corpus" / "polnear-train"
    meta: dict[str, tuple[str, str]] = {}
    lines = (root / "metadata.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=False))
        meta[row["filename"]] = (row.get("title", ""), row.get("author", ""))
    for path in sorted((root / "text").glob("*.txt")):
        title, author = meta.get(path.stem, ("", ""))
        paragraphs = [" ".join(p.split()) for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
        if paragraphs and paragraphs[0].rstrip(".") == title.rstrip("."):
            paragraphs = paragraphs[1:]
        paragraphs = [p for p in paragraphs if len(p.split()) >= 4]
        if paragraphs:
            authors = [author] if author and author not in ("None", "AP") else []
            yield Story(title or paragraphs[0][:80], paragraphs, authors)


_TOKEN = re.compile(r'<token t_id="\d+" sentence="(\d+)"[^>]*>(.*?)</token>', re.S)


def _detokenise(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([,.;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    return text.replace("`` ", '"').replace(" ''", '"')


def _ecbplus(data: Path) -> Iterator[Story]:
    for path in sorted((data / "events" / "ecbplus" / "ECB+").rglob("*.xml")):
        sentences: dict[int, list[str]] = {}
        for sentence, token in _TOKEN.findall(path.read_text(encoding="utf-8", errors="replace")):
            sentences.setdefault(int(sentence), []).append(html.unescape(token))
        texts = [_detokenise(tokens) for _, tokens in sorted(sentences.items())]
        texts = [t for t in texts if len(t.split()) >= 4]
        if len(texts) < 2:
            continue
        title, rest = texts[0], texts[1:]
        paragraphs = [" ".join(rest[i : i + 2]) for i in range(0, len(rest), 2)]
        yield Story(" ".join(title.split()[:14]), paragraphs)


def load_material(data: Path) -> list[Story]:
    stories = list(_reuters(data)) + list(_polnear(data)) + list(_ecbplus(data))
    if not stories:
        raise SystemExit(f"no text found under {data}; pass --data")
    return stories


# --- synthetic articles from real text -----------------------------------------------------------------


@dataclass(slots=True)
class Generated:
    draft: ArticleDraft
    capture: Capture


class ArticleMaker:
    """Deterministic stream of distinct articles recombined from the material, with near-duplicates."""

    def __init__(self, stories: list[Story], size: int, seed: int = 7) -> None:
        self.stories = stories
        self.rng = random.Random(seed * 1_000_003 + size)
        self.size = size
        self.authors = sorted({a for s in stories for a in s.authors}) or ["Staff"]
        self.recent: list[Article] = []
        self.pub_weights = [1 / (i + 1) ** 0.8 for i in range(len(PUBLISHERS))]
        self.sec_weights = [1 / (i + 1) ** 0.9 for i in range(len(SECTIONS))]
        self.days = (LAST_DAY - FIRST_DAY).days

    def __iter__(self) -> Iterator[Generated]:
        for n in range(self.size):
            if self.recent and self.rng.random() < NEAR_DUP_SHARE:
                yield self._near_duplicate(n)
            else:
                yield self._fresh(n)

    def _id(self, n: int) -> str:
        return hashlib.sha256(f"bench-{self.size}-{n}".encode()).hexdigest()[:16]

    def _fresh(self, n: int) -> Generated:
        rng = self.rng
        seed = rng.choice(self.stories)
        start = rng.randrange(len(seed.paragraphs)) if len(seed.paragraphs) > 3 and rng.random() < 0.5 else 0
        span = seed.paragraphs[start : start + rng.randint(2, 8)]
        extra = [rng.choice(rng.choice(self.stories).paragraphs) for _ in range(rng.randint(1, 4))]
        paragraphs = span + extra
        publisher, domain = rng.choices(PUBLISHERS, self.pub_weights)[0]
        section = rng.choices(SECTIONS, self.sec_weights)[0]
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(self.days + 1))
        article_id = self._id(n)
        title = seed.title
        slug = "-".join(re.findall(r"[a-z0-9]+", title.lower())[:8])
        authors = seed.authors or ([rng.choice(self.authors)] if rng.random() < 0.6 else [])
        article = self._article(
            article_id, title, paragraphs, publisher, domain, section, day, authors,
            f"https://www.{domain}/{section.lower().replace(' ', '-')}/{day:%Y/%m/%d}/{slug}-{article_id[:8]}",
        )  # fmt: skip
        article.cluster_id = article.id
        self.recent.append(article)
        if len(self.recent) > 2000:
            self.recent = self.recent[1000:]
        return self._generated(article, paragraphs)

    def _near_duplicate(self, n: int) -> Generated:
        rng = self.rng
        original = rng.choice(self.recent)
        paragraphs = original.body.split("\n\n")
        if len(paragraphs) > 3 and rng.random() < 0.5:
            del paragraphs[rng.randrange(1, len(paragraphs))]
        else:
            paragraphs = [
                *paragraphs,
                f"(Reporting by {rng.choice(self.authors)}; editing by {rng.choice(self.authors)})",
            ]
        publisher, domain = rng.choices(PUBLISHERS, self.pub_weights)[0]
        day = dt.date.fromisoformat(original.published or "2000-01-01") + dt.timedelta(days=rng.randint(0, 2))
        article_id = self._id(n)
        article = self._article(
            article_id, original.title, paragraphs, publisher, domain, original.section or "World", day,
            original.authors, f"https://www.{domain}/syndicated/{day:%Y/%m/%d}/{article_id}",
        )  # fmt: skip
        article.cluster_id = original.cluster_id
        return self._generated(article, paragraphs)

    def _article(
        self, article_id: str, title: str, paragraphs: list[str], source: str, domain: str, section: str,
        day: dt.date, authors: list[str], url: str,
    ) -> Article:  # fmt: skip
        body = "\n\n".join(paragraphs)
        return Article(
            id=article_id,
            title=title,
            body=body,
            source=source,
            site=domain,
            url=url,
            authors=list(authors),
            published=day.isoformat(),
            published_from="metadata",
            section=section,
            language="en",
            word_count=len(body.split()),
            body_hash=body_hash(body),
        )

    def _generated(self, article: Article, paragraphs: list[str]) -> Generated:
        page = (
            f"<html><head><title>{html.escape(article.title)}</title></head><body><h1>{html.escape(article.title)}"
            "</h1>" + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + "</body></html>"
        ).encode("utf-8")
        capture = Capture(
            origin=f"bench-{self.size}.warc.gz#{article.id}", raw=page, format="html", url=article.url
        )
        return Generated(ArticleDraft(article, list(paragraphs)), capture)


# --- build -------------------------------------------------------------------------------------------------


def build_archive(path: Path, size: int, stories: list[Story], console: Any) -> dict[str, Any]:
    """Write ``size`` articles through the store and index layers; returns build figures."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    store = SQLiteStore(path / DB_NAME)
    index = TantivyIndex(path / INDEX_DIR)
    ingested_at = "2024-01-01T00:00:00Z"
    store_seconds = index_seconds = 0.0
    started = time.perf_counter()

    def flush_index(articles: list[Article]) -> None:
        nonlocal index_seconds
        with Stopwatch() as sw:
            index.write(index_entries(store, articles))
            with store.transaction():
                store.mark_indexed([a.id for a in articles], [])
        index_seconds += sw.seconds

    with Progress(
        TextColumn(f"build {size:,}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(), console=console,
    ) as progress:  # fmt: skip
        task = progress.add_task("build", total=size, rate="")
        batch: list[Generated] = []
        done = 0
        for generated in ArticleMaker(stories, size):
            batch.append(generated)
            if len(batch) < STORE_BATCH and done + len(batch) < size:
                continue
            with Stopwatch() as sw, store.transaction():
                for g in batch:
                    store.insert_article(g.draft)
                    store.add_capture(g.capture, g.draft.article.id, ingested_at)
                    store.mark_deduped(
                        g.draft.article.id
                    )  # clusters are given: the generator made the copies
                store.set_clusters(
                    [
                        ClusterAssignment(
                            a.id, a.cluster_id or a.id, representative=(a.cluster_id or a.id) == a.id
                        )
                        for a in (g.draft.article for g in batch)
                    ],
                    reindex=(),
                )
            store_seconds += sw.seconds
            done += len(batch)
            batch = []
            elapsed = time.perf_counter() - started
            progress.update(task, completed=done, rate=f"{done / elapsed:,.0f} articles/s")
        # indexed once every cluster is complete, so each document carries its final duplicate count
        index_task = progress.add_task("index", total=size, rate="")
        pending: list[Article] = []
        for article in store.iter_articles(with_captures=False):
            pending.append(article)
            if len(pending) >= INDEX_BATCH:
                flush_index(pending)
                progress.advance(index_task, len(pending))
                pending = []
        if pending:
            flush_index(pending)
            progress.advance(index_task, len(pending))
    total_seconds = time.perf_counter() - started
    with Stopwatch() as sw:
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store._db.execute("ANALYZE")
    store.close()
    index.close()
    with Archive.open(path, readonly=True) as archive:
        stats = archive.stats()
        doc_count = archive.index.doc_count()
    info = {
        "version": BUILD_VERSION,
        "size": size,
        "articles": stats["articles"],
        "indexed": stats["indexed"],
        "index_docs": doc_count,
        "clusters": stats["clusters"],
        "build_seconds": total_seconds + sw.seconds,
        "store_seconds": store_seconds,
        "index_seconds": index_seconds,
        "sqlite_bytes": (path / DB_NAME).stat().st_size,
        "index_bytes": dir_size_bytes(path / INDEX_DIR),
        "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "peak_rss": peak_rss_bytes(),
    }
    if not (stats["articles"] == stats["indexed"] == doc_count == size):
        raise SystemExit(f"inconsistent build at {path}: {info}")
    (path / MARKER).write_text(json.dumps(info, indent=1))
    return info


def upgrade_schema(path: Path) -> list[str]:
    """Add tables and columns that a newer newsarchive expects to an archive built by an older one.

    The build writes through the store layer of its day; a cached archive may predate a column
    (SQLiteStore creates missing tables itself, not missing columns).
    """
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        fresh = SQLiteStore(Path(tmp) / DB_NAME)
        tables = [r[0] for r in fresh._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        wanted = {t: fresh._db.execute(f"PRAGMA table_info({t})").fetchall() for t in tables}
        fresh.close()
    added = []
    store = SQLiteStore(path / DB_NAME)
    try:
        for table, columns in wanted.items():
            have = {r[1] for r in store._db.execute(f"PRAGMA table_info({table})")}
            for _cid, name, kind, notnull, default, _pk in columns:
                if name in have:
                    continue
                clause = f"ALTER TABLE {table} ADD COLUMN {name} {kind}"
                if default is not None:
                    clause += f" {'NOT NULL ' if notnull else ''}DEFAULT {default}"
                store._db.execute(clause)
                added.append(f"{table}.{name}")
    finally:
        store.close()
    return added


def ensure_archive(
    out: Path, size: int, data: Path, rebuild: bool, console: Any, cache: dict[str, Any]
) -> dict[str, Any]:
    path = out / f"archive-{size}"
    marker = path / MARKER
    if marker.exists() and not rebuild:
        info = json.loads(marker.read_text())
        if info.get("version") == BUILD_VERSION and info.get("size") == size:
            info["reused"] = True
            console.print(f"reusing {path} (built {info['built']}, {info['build_seconds']:.0f} s)")
            added = upgrade_schema(path)
            if added:
                console.print(f"  added columns of a newer schema: {', '.join(added)}")
            return dict(info)
    if "stories" not in cache:
        cache["stories"] = load_material(data)
        console.print(f"material: {len(cache['stories']):,} real stories, "
                      f"{sum(len(s.paragraphs) for s in cache['stories']):,} paragraphs")  # fmt: skip
    info = build_archive(path, size, cache["stories"], console)
    info["reused"] = False
    return info


# --- queries ------------------------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z][a-z]{2,}")
_STOP = set(["the", "and", "for", "that", "with", "from", "this", "was", "were", "are", "has", "have", "had", "not", "but", "its", "his", "her", "their", "they", "will", "said", "says", "would", "could", "which", "who", "been", "also", "than", "more", "about", "after", "into", "over"])  # fmt: skip


@dataclass(slots=True)
class BenchQuery:
    kind: str
    text: str
    filters: dict[str, Any]

    def label(self) -> str:
        extra = " ".join(f"{k}={v}" for k, v in self.filters.items())
        return f"{self.text} {extra}".strip()


def make_queries(stories: list[Story], n: int, seed: int = 11) -> list[BenchQuery]:
    """A mix of query kinds with words of every frequency band of the material's vocabulary."""
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    for story in stories:
        for p in story.paragraphs:
            counts.update(w.lower() for w in _WORD.findall(p))
    ranked = [w for w, c in counts.most_common() if c >= 3]
    bands = {
        "word: top 100": ranked[:100],
        "word: rank 100–1k": ranked[100:1000],
        "word: rank 1k–10k": ranked[1000:10000],
        "word: rank >10k": ranked[10000:],
    }
    content = [w for w in ranked[:20000] if w not in _STOP]
    titles = [s.title for s in stories]

    def paragraph() -> str:
        return rng.choice(rng.choice(stories).paragraphs)

    def cooccurring(k: int) -> str:
        for _ in range(50):
            words = list(
                dict.fromkeys(w.lower() for w in _WORD.findall(paragraph()) if w.lower() not in _STOP)
            )
            if len(words) >= k:
                return " ".join(rng.sample(words, k))
        return " ".join(rng.sample(content[:2000], k))

    def phrase() -> str:
        for _ in range(50):
            words = re.findall(r"[A-Za-z]+", paragraph())
            if len(words) >= 4:
                k = rng.choice((2, 3))
                i = rng.randrange(len(words) - k)
                return '"' + " ".join(words[i : i + k]) + '"'
        return '"interest rates"'

    def word() -> str:
        return rng.choice(content[:5000])

    def year_range() -> dict[str, Any]:
        start = rng.randint(1987, 2016)
        return {"date_from": str(start), "date_to": str(min(2017, start + rng.randint(0, 4)))}

    makers: list[tuple[float, Callable[[], BenchQuery]]] = [
        *[(0.06, (lambda b=b: BenchQuery(b, rng.choice(bands[b]), {}))) for b in bands],
        (0.08, lambda: BenchQuery("2 words AND", cooccurring(2), {})),
        (0.07, lambda: BenchQuery("3 words AND", cooccurring(3), {})),
        (0.10, lambda: BenchQuery("phrase", phrase(), {})),
        (0.06, lambda: BenchQuery("title:word", "title:" + rng.choice(
            [w.lower() for w in _WORD.findall(rng.choice(titles)) if w.lower() not in _STOP] or ["oil"]), {})),
        (0.05, lambda: BenchQuery("source:x word", f"source:{rng.choice(PUBLISHERS)[0].split()[-1].lower()} "
                                  f"{word()}", {})),
        (0.09, lambda: BenchQuery("word + date range", word(), year_range())),
        (0.08, lambda: BenchQuery("word + source filter", word(), {"source": rng.choice(PUBLISHERS[:8])[0]})),
        (0.09, lambda: BenchQuery("word, sort by date", word(), {"sort": "date"})),
        (0.08, lambda: BenchQuery("word, page 2", word(), {"page": 2})),
        (0.06, lambda: BenchQuery("2 words + section + date", cooccurring(2),
                                  {"section": rng.choice(SECTIONS[:6]), **year_range()})),
    ]  # fmt: skip
    weights = [w for w, _ in makers]
    return [rng.choices(makers, weights)[0][1]() for _ in range(n)]


# --- the raw baseline ---------------------------------------------------------------------------------------


class RawTantivy:
    """The same query with the tantivy API only: no facets, no snippets, no stored fields, no store."""

    def __init__(self, index_dir: Path) -> None:
        self.index = tantivy.Index.open(str(index_dir))
        self.schema = self.index.schema

    def query(self, iq: IndexQuery) -> tantivy.Query:
        parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
        if iq.text.strip():
            parts.append((tantivy.Occur.Must, self.index.parse_query(
                iq.text, TEXT_FIELDS, field_boosts={"title": 2.0}, conjunction_by_default=True)))  # fmt: skip
        if iq.date_from or iq.date_to:
            low = _day(iq.date_from) if iq.date_from else None
            high = _day(iq.date_to) if iq.date_to else None
            parts.append((tantivy.Occur.Must, tantivy.Query.range_query(
                self.schema, "day", tantivy.FieldType.Integer, low, high)))  # fmt: skip
        for name, values in (("f_source", iq.sources), ("f_section", iq.sections), ("f_lang", iq.languages)):
            if values:
                parts.append(
                    (tantivy.Occur.Must, tantivy.Query.term_set_query(self.schema, name, list(values)))
                )
        parts.append((tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "canonical", True)))
        return tantivy.Query.boolean_query(parts)

    def search(self, request: SearchRequest) -> int:
        iq = request.to_index_query()
        query = self.query(iq)
        offset = (request.page - 1) * request.per_page
        searcher = self.index.searcher()
        if request.sort == "date":
            result = searcher.search(query, request.per_page, count=True, order_by_field="day", offset=offset)
        else:
            result = searcher.search(query, request.per_page, count=True, offset=offset)
        return int(getattr(result, "count", 0) or 0)


def _day(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _request(q: BenchQuery) -> SearchRequest:
    filters = dict(q.filters)
    for key in ("source", "section", "language"):
        if isinstance(filters.get(key), str):
            filters[key] = (filters[key],)
    return SearchRequest(query=q.text, **filters)


# --- measuring ------------------------------------------------------------------------------------------------

VARIANTS = ("ours", "raw", "index: no facets, no snippets", "index: + snippets", "index: + snippets + facets")


def warm_page_cache(path: Path) -> tuple[int, float]:
    """Read every file of an archive once, so both variants run on a warm page cache.

    A serving machine keeps its archive in the page cache; a freshly benched one may not (other
    runs evict it), and then random SQLite row reads hit the disk and measure the disk, not us.
    """
    total = 0
    with Stopwatch() as sw:
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            with file.open("rb") as f:
                while chunk := f.read(1 << 20):
                    total += len(chunk)
    return total, sw.seconds


def measure_size(path: Path, queries: list[BenchQuery], warmup: int, console: Any) -> dict[str, Any]:
    read, seconds = warm_page_cache(path)
    console.print(f"  page cache warmed: read {mib(read):,.0f} MiB in {seconds:.1f} s")
    archive = Archive.open(path, readonly=True)
    raw = RawTantivy(path / INDEX_DIR)
    rng = random.Random(5)

    def run(variant: str, q: BenchQuery) -> tuple[float, int]:
        request = _request(q)
        if variant == "ours":
            start = time.perf_counter()
            result = archive.search(q.text, **dict(q.filters))
            return time.perf_counter() - start, result.total
        if variant == "raw":
            start = time.perf_counter()
            total = raw.search(request)
            return time.perf_counter() - start, total
        facets = variant.endswith("facets")
        snippets = "snippets" in variant and "no snippets" not in variant
        iq = request.to_index_query()
        start = time.perf_counter()
        total, _hits, _f = archive.index.search(
            iq, limit=request.per_page, offset=(request.page - 1) * request.per_page, sort=request.sort,
            facets=facets, snippets=snippets,
        )  # fmt: skip
        return time.perf_counter() - start, total

    from rich.progress import Progress

    for q in rng.sample(queries, min(warmup, len(queries))):
        for variant in VARIANTS:
            run(variant, q)
    times: dict[str, list[float]] = {v: [] for v in VARIANTS}
    per_query: list[dict[str, Any]] = []
    mismatches = 0
    order = list(range(len(queries)))
    rng.shuffle(order)
    gc.collect()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"queries on {path.name}", total=len(order))
        for i in order:
            q = queries[i]
            variants = list(VARIANTS)
            rng.shuffle(variants)
            row: dict[str, Any] = {"kind": q.kind, "query": q.label()}
            totals = {}
            for variant in variants:
                seconds, total = run(variant, q)
                times[variant].append(seconds * 1000)
                row[variant] = seconds * 1000
                totals[variant] = total
            row["total"] = totals["ours"]
            if len(set(totals.values())) != 1:
                mismatches += 1
            per_query.append(row)
            progress.advance(task)
    slow = sorted(per_query, key=lambda r: r["ours"], reverse=True)[:5]
    profile = profile_queries(archive, [q for q in queries if q.label() in {r["query"] for r in slow}])
    archive.close()
    return {
        "times": times,
        "per_query": per_query,
        "mismatches": mismatches,
        "slowest": slow,
        "profile": profile,
    }


def profile_queries(archive: Archive, queries: list[BenchQuery], rounds: int = 5) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        for q in queries:
            archive.search(q.text, **dict(q.filters))
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(14)
    text = out.getvalue()
    keep = [line for line in text.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(keep) if line.lstrip().startswith("ncalls")), 0)
    return "\n".join(keep[start:])


# --- report ------------------------------------------------------------------------------------------------------


def pcts(values: list[float]) -> tuple[float, float, float]:
    return percentile(values, 50), percentile(values, 95), percentile(values, 99)


def render(results: dict[int, dict[str, Any]], builds: dict[int, dict[str, Any]], n_queries: int) -> str:
    parts = [f"Machine: {machine_line()}", ""]
    rows = []
    for size, res in results.items():
        t = res["times"]
        raw50 = percentile(t["raw"], 50)
        for variant in VARIANTS:
            p50, p95, p99 = pcts(t[variant])
            rows.append([f"{size:,}", variant, p50, p95, p99, f"{p50 / raw50:.2f}×"])
    parts.append(f"{n_queries} queries per size, each run once per variant in random order after warm-up.\n")
    parts.append(markdown_table(["articles", "variant", "p50 ms", "p95 ms", "p99 ms", "p50 vs raw"], rows))
    parts.append("")
    for size, res in results.items():
        t = res["times"]
        o50, _o95, o99 = pcts(t["ours"])
        r50 = percentile(t["raw"], 50)
        parts.append(
            f"- {size:,}: ours p50 {o50:.2f} ms = {o50 / r50:.2f}× raw (target ≤ 2×); ours p99 {o99:.1f} ms "
            f"(target ≤ 30 ms at 1M); result counts differing between variants: {res['mismatches']}."
        )
    parts.append("")
    build_rows = []
    for size, b in builds.items():
        build_rows.append([
            f"{size:,}", b["articles"], b["clusters"], b["index_docs"], f"{b['build_seconds']:.0f}",
            f"{b['store_seconds']:.0f}", f"{b['index_seconds']:.0f}", f"{b['size'] / b['build_seconds']:,.0f}",
            f"{mib(b['sqlite_bytes']):,.0f}", f"{mib(b['index_bytes']):,.0f}",
            "reused" if b.get("reused") else "this run",
        ])  # fmt: skip
    parts.append(markdown_table(
        ["articles", "stored", "clusters", "index docs", "build s", "store s", "index s", "articles/s",
         "SQLite MiB", "index MiB", "built"], build_rows))  # fmt: skip
    for size, res in results.items():
        parts.append(f"\nPer query kind at {size:,} (p50 ms; n = queries of that kind):\n")
        kinds: dict[str, list[dict[str, Any]]] = {}
        for row in res["per_query"]:
            kinds.setdefault(row["kind"], []).append(row)
        krows = []
        for kind, rows_ in sorted(kinds.items()):
            o = [r["ours"] for r in rows_]
            r_ = [r["raw"] for r in rows_]
            s = [r["index: + snippets"] - r["index: no facets, no snippets"] for r in rows_]
            f = [r["index: + snippets + facets"] - r["index: + snippets"] for r in rows_]
            st = [r["ours"] - r["index: + snippets + facets"] for r in rows_]
            krows.append([
                kind, len(rows_), percentile(r_, 50), percentile(o, 50), percentile(o, 99),
                percentile(s, 50), percentile(f, 50), percentile(st, 50),
                f"{int(percentile([r['total'] for r in rows_], 50)):,}",
            ])  # fmt: skip
        parts.append(markdown_table(
            ["kind", "n", "raw p50", "ours p50", "ours max/p99", "snippets Δ p50", "facets Δ p50", "query layer Δ p50",
             "median hits"], krows))  # fmt: skip
        parts.append(f"\nSlowest queries at {size:,} (ms):\n")
        parts.append(markdown_table(
            ["query", "kind", "hits", "ours", "raw", "index bare", "+snippets", "+facets"],
            [[f"`{r['query']}`", r["kind"], f"{r['total']:,}", r["ours"], r["raw"],
              r["index: no facets, no snippets"], r["index: + snippets"], r["index: + snippets + facets"]]
             for r in res["slowest"]]))  # fmt: skip
        parts.append(f"\ncProfile of the slowest queries at {size:,} (5 rounds, top by own time):\n")
        parts.append("```\n" + res["profile"] + "\n```")
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--rebuild", action="store_true", help="rebuild cached archives")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw figures here")
    args = parser.parse_args()

    from rich.console import Console

    console = Console(stderr=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    cache: dict[str, Any] = {}
    builds: dict[int, dict[str, Any]] = {}
    results: dict[int, dict[str, Any]] = {}
    for size in sizes:
        builds[size] = ensure_archive(args.out, size, args.data, args.rebuild, console, cache)
        b = builds[size]
        console.print(
            f"archive-{size}: {b['articles']:,} articles, build {b['build_seconds']:.0f} s, "
            f"SQLite {mib(b['sqlite_bytes']):,.0f} MiB, index {mib(b['index_bytes']):,.0f} MiB"
        )
    if args.build_only:
        return
    stories = cache.get("stories") or load_material(args.data)
    queries = make_queries(stories, args.queries)
    del cache
    for size in sizes:
        console.print(f"measuring {len(queries)} queries on archive-{size} …")
        results[size] = measure_size(args.out / f"archive-{size}", queries, args.warmup, console)
        t = results[size]["times"]
        console.print(
            f"  ours p50/p99 {percentile(t['ours'], 50):.2f}/{percentile(t['ours'], 99):.2f} ms, "
            f"raw p50/p99 {percentile(t['raw'], 50):.2f}/{percentile(t['raw'], 99):.2f} ms, "
            f"RSS {mib(current_rss_bytes()):,.0f} MiB"
        )
    text = render(results, builds, len(queries))
    if args.json:
        args.json.write_text(json.dumps({"builds": builds, "results": results}, indent=1, default=str))
    show_report(text, args.markdown, console)


if __name__ == "__main__":
    main()
