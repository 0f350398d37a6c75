"""``newsarchive load DIR``: the Spark job's Parquet tables into an archive, then indexed.

Everything goes through the Store protocol (any backend), batch by batch, each batch one
transaction under the archive's writer lock. The job already settled the duplicate step, so its
results are written as the step would have left them (clusters, URL versions, edge lines, pairs,
signatures; articles marked deduplicated) and only indexing is left to the pipeline.

Resumable: an article or capture already in the archive is skipped, and what is written per
article (pairs, edge lines, signatures, enrichment) replaces itself, so running ``load`` again
after a kill loads only what is missing. The archive must be new, or hold only this output:
duplicates between the output and other articles would not be found.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.batch import schema
from newsarchive.batch.tasks import enrichment_from_json
from newsarchive.dedup.boilerplate import MIN_ARTICLES
from newsarchive.errors import ArchiveError
from newsarchive.model import Article, Capture, Reject, Skip
from newsarchive.store.base import ArticleDraft, ClusterAssignment, CopyPair, StoredSignature

if TYPE_CHECKING:
    from newsarchive.archive import Archive

LoadProgress = Callable[[str, int, int], None]
"""Called as hook(stage, done, total) while a stage runs ('articles', 'captures', …)."""

STAGES = ("articles", "captures", "rejects", "sites", "signatures", "enrichment", "index")


@dataclass(slots=True)
class LoadReport:
    """What one load did: new rows, rows found already loaded, and how long it took."""

    articles_new: int = 0
    articles_present: int = 0
    captures_new: int = 0
    captures_present: int = 0
    rejects: int = 0
    sites: int = 0
    signatures: int = 0
    enriched: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def read_manifest(folder: Path) -> dict[str, Any]:
    """The job's manifest; an ArchiveError saying what to do when the output is incomplete or other."""
    path = folder / schema.MANIFEST
    if not folder.is_dir():
        raise ArchiveError(
            f"{folder}: no such folder; give the --output folder of `newsarchive spark-ingest`"
        )
    if not path.exists():
        raise ArchiveError(
            f"{folder}: no {schema.MANIFEST}, so the Spark job did not finish writing this output; run it again"
        )
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ArchiveError(f"{path}: cannot be read ({exc}); run the Spark job again") from exc
    if manifest.get("version") != schema.VERSION:
        raise ArchiveError(
            f"{folder}: written by another version of the Spark job (tables version "
            f"{manifest.get('version')}, this newsarchive reads {schema.VERSION}); run the job again"
        )
    return manifest


def load(
    archive: Archive, folder: str | Path, progress: LoadProgress | None = None, batch_size: int | None = None
) -> LoadReport:
    """Load a Spark output folder into ``archive`` and index it; returns the counts."""
    started = time.perf_counter()
    root = Path(folder)
    read_manifest(root)
    hook = progress or (lambda _stage, _done, _total: None)
    size = batch_size or archive.settings.batch_size
    loader = _Loader(archive, root, size, hook)
    loader.check_archive()
    loader.articles()
    loader.captures()
    loader.rejects()
    loader.sites()
    loader.signatures()
    loader.enrichment()
    loader.index()
    loader.report.seconds = round(time.perf_counter() - started, 3)
    return loader.report


class _Loader:
    def __init__(self, archive: Archive, root: Path, batch_size: int, hook: LoadProgress) -> None:
        self.archive = archive
        self.store = archive.store
        self.root = root
        self.batch_size = batch_size
        self.hook = hook
        self.report = LoadReport()

    # -- reading the tables -------------------------------------------------------------------
    def _batches(self, table: str, columns: list[str] | None = None) -> Iterator[list[dict[str, Any]]]:
        import pyarrow.dataset as ds

        folder = self.root / table
        if not folder.is_dir():
            return
        dataset = ds.dataset(folder, format="parquet", schema=schema.table_schema(table))
        for batch in dataset.to_batches(columns=columns, batch_size=self.batch_size):
            if batch.num_rows:  # a batch is one transaction: keep them the size asked for
                yield batch.to_pylist()

    def _count(self, table: str) -> int:
        import pyarrow.dataset as ds

        folder = self.root / table
        if not folder.is_dir():
            return 0
        return int(ds.dataset(folder, format="parquet", schema=schema.table_schema(table)).count_rows())

    def _stage(self, stage: str, table: str, work: Callable[[list[dict[str, Any]]], None]) -> None:
        """Run ``work`` on each batch of ``table``, each batch one locked transaction."""
        total = self._count(table)
        done = 0
        self.hook(stage, 0, total)
        for rows in self._batches(table):
            with self.archive.lock.hold(), self.store.transaction():
                work(rows)
            done += len(rows)
            self.hook(stage, done, total)

    # -- the stages -----------------------------------------------------------------------------
    def check_archive(self) -> None:
        """Refuse an archive holding articles that are not from this output."""
        present = 0
        for rows in self._batches("articles", ["id"]):
            present += len(self.store.dedup_heads(r["id"] for r in rows))
        others = self.store.article_count() - present
        if others > 0:
            raise ArchiveError(
                f"the archive already holds {others:,} articles that are not from {self.root}; load it into a "
                "new archive (copies between the two would not be found), or ingest the inputs instead"
            )

    def articles(self) -> None:
        pairs: dict[str, list[CopyPair]] = {}
        for rows in self._batches("pairs"):
            for row in rows:
                pair = CopyPair(row["a"], row["b"], row["resemblance"], row["containment"])
                pairs.setdefault(pair.a, []).append(pair)
                pairs.setdefault(pair.b, []).append(pair)

        def work(rows: list[dict[str, Any]]) -> None:
            known = self.store.dedup_heads(r["id"] for r in rows)
            for row in rows:
                if row["id"] in known:
                    self.report.articles_present += 1
                    continue
                self._insert(row, pairs.get(row["id"], []))
                self.report.articles_new += 1

        self._stage("articles", "articles", work)

    def _insert(self, row: dict[str, Any], pairs: list[CopyPair]) -> None:
        article = _article(row)
        store = self.store
        store.insert_article(
            ArticleDraft(article, list(row["blocks"]), list(row["base_removed"])), enrich=False
        )
        if not article.representative:
            store.set_clusters(
                [ClusterAssignment(article.id, article.cluster_id or article.id, False)], reindex=()
            )
        if not article.latest:
            store.set_latest(article.id, False)
        store.set_url_key(article.id, row["url_key"])
        store.set_edge_lines(article.id, article.site, row["edge_keys"], MIN_ARTICLES)
        if pairs:
            store.replace_pairs(article.id, pairs)
        store.mark_deduped(article.id)

    def captures(self) -> None:
        def work(rows: list[dict[str, Any]]) -> None:
            known = self.store.known_captures(r["sha256"] for r in rows)
            for row in rows:
                if row["sha256"] in known:
                    self.report.captures_present += 1
                    continue
                capture = _capture(row)
                self.store.add_capture(capture, row["article_id"], row["ingested_at"])
                self.report.captures_new += 1

        self._stage("captures", "captures", work)

    def rejects(self) -> None:
        def work(rows: list[dict[str, Any]]) -> None:
            for row in rows:
                self.store.add_reject(Reject(row["origin"], row["reason"]))
            self.report.rejects += len(rows)

        self._stage("rejects", "rejects", work)

    def sites(self) -> None:
        def work(rows: list[dict[str, Any]]) -> None:
            for row in rows:
                self.store.put_site_chrome(row["site"], json.loads(row["chrome"]))
            self.report.sites += len(rows)

        self._stage("sites", "sites", work)

    def signatures(self) -> None:
        def work(rows: list[dict[str, Any]]) -> None:
            self.store.put_signatures(
                [
                    (r["article_id"], StoredSignature(r["hashvalues"], r["shingles"]), list(r["bands"]))
                    for r in rows
                ]
            )
            self.report.signatures += len(rows)

        self._stage("signatures", "signatures", work)

    def enrichment(self) -> None:
        at = str(read_manifest(self.root).get("ingested_at", ""))

        def work(rows: list[dict[str, Any]]) -> None:
            for row in rows:
                self.store.put_enrichment(enrichment_from_json(row["record"]), row["body_hash"], at)
                self.store.mark_unindexed(row["article_id"])  # its entities go into the index
            self.report.enriched += len(rows)

        self._stage("enrichment", "enrichment", work)

        def skips(rows: list[dict[str, Any]]) -> None:
            for row in rows:
                self.store.put_skip(
                    Skip(row["article_id"], row["stage"], row["body_hash"], row["reason"], row["at"])
                )

        self._stage("enrichment", "skipped", skips)
        from newsarchive.enrich.coreference import relink_archive

        with self.archive.lock.hold():  # the loaded names linked with the archive's (as ingest does)
            relink_archive(self.store, only_if_stale=True)

    def index(self) -> None:
        """Index what is not yet searchable, with the pipeline's own index sync (resumable)."""
        from newsarchive.ingest import Pipeline

        pending = self.store.count_unindexed()
        self.hook("index", 0, pending)
        settings = replace(self.archive.settings, enrich=False)
        Pipeline(self.store, self.archive.index, settings, self.archive.lock).sync()
        self.hook("index", pending, pending)


def _article(row: dict[str, Any]) -> Article:
    return Article(
        id=row["id"],
        title=row["title"],
        body=row["body"],
        source=row["source"],
        site=row["site"],
        url=row["url"],
        authors=list(row["authors"]),
        published=row["published"],
        published_from=row["published_from"],
        published_time=row["published_time"],
        published_raw=row["published_raw"],
        body_offset=row["body_offset"],
        section=row["section"],
        language=row["language"],
        captions=list(row["captions"]),
        media_ids=list(row["media_ids"]),
        word_count=row["word_count"],
        cluster_id=row["cluster_id"],
        body_hash=row["body_hash"],
        removed=list(row["removed"]),
        representative=row["representative"],
        latest=row["latest"],
    )


def _capture(row: dict[str, Any]) -> Capture:
    capture = Capture(
        origin=row["origin"],
        raw=row["raw"],
        format=row["format"],
        url=row["url"],
        fetched_at=row["fetched_at"],
        content_type=row["content_type"],
        hints=json.loads(row["hints"]),
    )
    if capture.sha256 != row["sha256"]:
        raise ArchiveError(
            f"capture {row['sha256']} ({row['origin']}) is damaged in the Spark output (its bytes hash "
            f"to {capture.sha256}); run the job again"
        )
    return capture


def iter_rows(root: str | Path, table: str, batch_size: int = 1000) -> Iterator[dict[str, Any]]:
    """Every row of one output table, streamed (for scripts and tests)."""
    import pyarrow.dataset as ds

    folder = Path(root) / table
    if not folder.is_dir():
        return
    dataset = ds.dataset(folder, format="parquet", schema=schema.table_schema(table))
    for batch in dataset.to_batches(batch_size=batch_size):
        yield from batch.to_pylist()
