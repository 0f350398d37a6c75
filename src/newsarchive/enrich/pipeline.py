"""Article body -> Enrichment: mentions, canonical entities with roles, quotes and dated events.

Pure: takes the body string and a loaded spaCy pipeline, returns records whose offsets index that
exact string. Long bodies are parsed in paragraph-aligned chunks (spaCy's parser needs about 1 GB
of memory per 100,000 characters), and ``enrich_many`` batches chunks of many articles through
``nlp.pipe`` so enrichment costs little more than parsing. A large batch is enriched in one
forked process per core, which parses and runs the rules and sends back only the records; ingest
keeps such a ``WorkerPool`` for its whole run so the workers parse one batch while it extracts the
next (docs/decisions.md).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import sys
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from newsarchive.enrich import coreference, entities, event_dates, events, quotes, roles
from newsarchive.enrich.matrix_ops import one_blas_thread
from newsarchive.enrich.nlp import MAX_CHUNK_CHARS
from newsarchive.enrich.worker_exit import dying_with_parent
from newsarchive.errors import EnrichmentError, InputError
from newsarchive.model import Enrichment, Entity, Mention
from newsarchive.text.language import detect_language

Item = tuple[str, str, str | None] | tuple[str, str, str | None, str | None]
"""(article_id, body, published[, language]) of one article to enrich; ``language`` is the
article's detected language (ISO 639-1), None when unknown."""

PIPELINE_LANGUAGE = "en"
"""The language of the spaCy pipeline: text in another language is not run through it."""

MAX_BODY_CHARS = 5_000_000
"""Bodies above this are refused: no news article is that long, and parsing it would take minutes."""

MIN_ITEMS_PER_PROCESS = 32
"""Fewer articles than this per extra process are parsed in this process: starting workers and
sending Docs back costs more than it saves on a handful of articles (an upload, a test)."""


def enrich_text(
    article_id: str, body: str, published: str | None, nlp: Language, language: str | None = None
) -> Enrichment:
    """Enrich one article body; ``published`` (ISO) anchors relative dates and is never guessed."""
    return next(enrich_many([(article_id, body, published, language)], nlp))


def enrich_many(
    items: Iterable[Item], nlp: Language, batch_size: int = 64, n_process: int | None = None
) -> Iterator[Enrichment]:
    """Enrich articles in order, parsing their chunks in ``nlp.pipe`` batches.

    ``n_process`` worker processes each enrich whole articles (forked with the loaded pipeline,
    parse and rules both, sending back only the small records; the results are the same as in one
    process). None picks one per available core when ``items`` is a sized collection large enough
    to pay for them (see ``MIN_ITEMS_PER_PROCESS``), else 1; a generator of unknown length is
    enriched in this process.
    """
    processes = n_process if n_process is not None else default_processes(items)
    if processes > 1 and "fork" in multiprocessing.get_all_start_methods():
        yield from _enrich_in_workers(items, nlp, batch_size, processes)
    else:
        yield from _enrich_here(items, nlp, batch_size)


def _enrich_here(items: Iterable[Item], nlp: Language, batch_size: int) -> Iterator[Enrichment]:
    pending: list[tuple[Item, list[tuple[int, Doc]], int]] = []

    def chunks() -> Iterator[tuple[str, tuple[int, int]]]:
        for index, item in enumerate(items):
            article_id, body = item[0], item[1]
            language = item[3] if len(item) > 3 else None
            _check_length(article_id, body)
            parts = [
                (run_start + start, run_start + end)
                for run_start, run_end in _pipeline_runs(body, language)
                for start, end in _chunk(body[run_start:run_end])
            ]
            pending.append((item, [], len(parts)))
            for start, end in parts:
                yield body[start:end], (index, start)

    finished = 0
    for doc, (index, start) in nlp.pipe(chunks(), as_tuples=True, batch_size=batch_size):
        pending[index - finished][1].append((start, doc))
        while pending and len(pending[0][1]) == pending[0][2]:
            item, docs, _ = pending.pop(0)
            finished += 1
            yield _enrich_docs(item, docs)
    while pending:  # articles without text in the pipeline's script (or empty) produced no chunks
        item, docs, _ = pending.pop(0)
        yield _enrich_docs(item, docs)


def _check_length(article_id: str, body: str) -> None:
    if len(body) > MAX_BODY_CHARS:
        raise InputError(article_id, f"body has {len(body)} characters, over {MAX_BODY_CHARS}; not enriched")


ARTICLES_PER_TASK = 8
"""Articles a worker enriches per task: small enough to share a batch evenly among workers,
large enough that sending tasks costs nothing beside parsing them."""

RENEW_WORKERS_AFTER = 2_000
"""Articles a set of workers enriches before new ones are forked: a pipeline's vocabulary keeps
every new word it parses, so workers kept for a whole 12-year ingest would grow without bound."""

_worker_pipeline: tuple[Language, int] | None = None
"""The pipeline and pipe batch size forked workers use (set before they are forked)."""


@dataclass(slots=True, frozen=True)
class _WorkerFailure:
    """An exception in a worker, as text: exceptions do not all survive pickling."""

    message: str


def _start_worker() -> None:
    """A forked worker's set-up: one BLAS thread (the workers already use every core), and what it
    inherited (the loaded pipeline, the parent's heap) moved out of the garbage collector's sight,
    which would otherwise walk it on every full collection without ever freeing any of it."""
    one_blas_thread()
    gc.freeze()


def _enrich_task(task: list[Item]) -> list[Enrichment] | _WorkerFailure:
    assert _worker_pipeline is not None, "workers are forked after the pipeline is set"
    nlp, batch_size = _worker_pipeline
    try:
        return list(_enrich_here(task, nlp, batch_size))
    except Exception as exc:  # sent back and raised in the parent, which decides what to skip
        return _WorkerFailure(f"{type(exc).__name__}: {exc}")


def _enrich_in_workers(
    items: Iterable[Item], nlp: Language, batch_size: int, processes: int
) -> Iterator[Enrichment]:
    """Whole articles to forked workers, ``ARTICLES_PER_TASK`` at a time, results in input order.

    Parse and rules run in the workers, so the parent neither rebuilds Docs sent back as bytes nor
    runs the rules alone while the workers wait. A worker that dies (killed, out of memory) breaks
    the pool, which raises here: the caller redoes the batch article by article.
    """
    ahead = processes * 3
    with WorkerPool(nlp, processes, batch_size) as pool:
        running: deque[Future[list[Enrichment] | _WorkerFailure]] = deque()
        task: list[Item] = []
        for item in items:
            _check_length(item[0], item[1])
            task.append(item)
            if len(task) == ARTICLES_PER_TASK:
                running.extend(pool.submit(task))
                task = []
            while len(running) >= ahead:
                yield from worker_results(running.popleft())
        running.extend(pool.submit(task))
        while running:
            yield from worker_results(running.popleft())


class WorkerPool:
    """Forked enrichment workers that last as long as the block: ``submit`` hands them articles
    and returns at once, so the caller (ingest) extracts its next batch while they parse this one.

    The workers are forked with the loaded pipeline on the first ``submit``, from this thread,
    and end with this process even when it is killed. Closing waits for what was submitted.
    """

    def __init__(
        self, nlp: Language, processes: int, batch_size: int = 8, renew_after: int = RENEW_WORKERS_AFTER
    ) -> None:
        if "fork" not in multiprocessing.get_all_start_methods():
            raise EnrichmentError("enrichment workers need the fork start method (Linux, macOS)")
        self._nlp, self._batch_size, self._processes = nlp, batch_size, processes
        self._renew_after = renew_after
        self._pool: ProcessPoolExecutor | None = None
        self._given = 0
        """Articles handed to the current workers."""

    def submit(self, items: Sequence[Item]) -> list[Future[list[Enrichment] | _WorkerFailure]]:
        """One future per ``ARTICLES_PER_TASK`` articles, for ``worker_results``."""
        global _worker_pipeline
        if not items:
            return []
        if self._pool is not None and self._given >= self._renew_after:
            self._pool.shutdown(wait=False)  # its workers finish what they hold, then exit
            self._pool = None
        if self._pool is None:
            self._given = 0
            _worker_pipeline = (self._nlp, self._batch_size)
            self._pool = ProcessPoolExecutor(
                self._processes, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker
            )
        futures = []
        self._given += len(items)
        with dying_with_parent():  # the workers are forked inside the first submit
            for start in range(0, len(items), ARTICLES_PER_TASK):
                futures.append(
                    self._pool.submit(_enrich_task, list(items[start : start + ARTICLES_PER_TASK]))
                )
        return futures

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def worker_results(future: Future[list[Enrichment] | _WorkerFailure]) -> list[Enrichment]:
    """The records of one submitted task; raises ``EnrichmentError`` when enriching one of its
    articles failed, or when a worker died (the pool is then broken)."""
    try:
        outcome = future.result()
    except BrokenProcessPool as exc:
        raise EnrichmentError(f"an enrichment worker died ({exc})") from exc
    if isinstance(outcome, _WorkerFailure):
        raise EnrichmentError(outcome.message)
    return outcome


def default_processes(items: Iterable[Item]) -> int:
    """Worker processes for ``enrich_many``: ``worker_processes()``, fewer when ``items`` is too
    small to give each at least ``MIN_ITEMS_PER_PROCESS`` articles; 1 for a generator."""
    if not isinstance(items, Sized):
        return 1
    return max(1, min(worker_processes(), len(items) // MIN_ITEMS_PER_PROCESS))


def worker_processes() -> int:
    """One per core this process may use; 1 in a process that is already one of several parallel
    workers (a multiprocessing worker, which may not fork, or a Spark executor's Python worker,
    whose job runs one per core already) and off the main thread (a web server's upload)."""
    if multiprocessing.current_process().daemon:
        return 1
    if threading.current_thread() is not threading.main_thread():
        return 1  # a server's request thread: forking a process with other threads running may deadlock
    main = getattr(sys.modules.get("__main__"), "__spec__", None)
    if "pyspark.worker" in sys.modules or getattr(main, "name", "") in {"pyspark.worker", "pyspark.daemon"}:
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _enrich_docs(item: Item, docs: list[tuple[int, Doc]]) -> Enrichment:
    article_id, published = item[0], item[2]
    for offset, doc in docs:
        doc.user_data[event_dates.TEXT_OFFSET] = offset  # only a text's first chunk has its opening
        entities.relabel_titled(doc)
    raw = [m for offset, doc in docs for m in entities.extract_mentions(doc, offset, article_id)]
    found = entities.canonicalise(article_id, raw)
    as_of = published[:10] if published else None
    article_roles = [r for offset, doc in docs for r in roles.extract_roles(doc, offset, found, as_of)]
    for role in roles.summarise(roles.fill_missing_countries(article_roles, found)):
        found.add_role(role)
    article_quotes = [q for offset, doc in docs for q in quotes.extract_quotes(doc, offset, found)]
    article_events = events.merge_mentions(
        [e for offset, doc in docs for e in events.extract_events(doc, offset, found, published)]
    )
    mentions = sorted(found.mentions, key=lambda m: (m.start, m.end))
    ranked = sorted(found.entities.values(), key=lambda e: (-e.mentions, e.name))
    enrichment = Enrichment(article_id, mentions, ranked, article_quotes, article_events)
    # pronouns, descriptions and speakers resolved to a named entity join its mentions (kind says
    # how), after roles, quotes and events were found from the names; Entity.mentions counts names
    # the parsed ranges: text in another language was not parsed
    parsed = [(offset, offset + len(entities.doc_text(doc))) for offset, doc in docs]
    references = [
        m
        for m in coreference.referring_mentions(enrichment, item[1])
        if any(start <= m.start and m.end <= end for start, end in parsed)
    ]
    if references:
        enrichment.mentions = sorted([*mentions, *references], key=lambda m: (m.start, m.end))
        count_names_found_again(enrichment.entities, references)
    return enrichment


def count_names_found_again(ranked: list[Entity], references: Sequence[Mention]) -> None:
    """Add to each entity's mentions the names coreference found again where the recogniser missed
    them (kind "name"), as the store counts them when it reads them back; keeps the ranking."""
    found_again = Counter(m.entity for m in references if m.kind == "name")
    if not found_again:
        return
    for entity in ranked:
        entity.mentions += found_again.get(entity.name, 0)
    ranked.sort(key=lambda e: (-e.mentions, e.name))


def _chunk(body: str, limit: int = MAX_CHUNK_CHARS) -> Iterator[tuple[int, int]]:
    """(start, end) pieces of at most ``limit`` chars, cut at paragraph, then line, then space breaks."""
    start = 0
    while start < len(body):
        end = min(len(body), start + limit)
        if end < len(body):
            window = body[start:end]
            cut = max(window.rfind("\n\n"), window.rfind("\n"))
            if cut < limit // 2:
                cut = window.rfind(" ")
            if cut > 0:
                end = start + cut + 1
        if body[start:end].strip():
            yield start, end
        start = end


_LATIN = re.compile(r"[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]")


def _in_pipeline_script(paragraph: str) -> bool:
    """A cheap script check: the English model produces noise on text mostly in another script
    (Arabic words tagged ORG). A paragraph without letters (figures, a dateline) goes along."""
    letters = len(_LETTER.findall(paragraph))
    return letters == 0 or len(_LATIN.findall(paragraph)) / letters > 0.6


def _in_pipeline_language(paragraph: str) -> bool:
    """A paragraph of an article in another language that is itself in the pipeline's language
    (an English statement quoted in a French report): too short to tell is left out."""
    return _in_pipeline_script(paragraph) and detect_language(paragraph) == PIPELINE_LANGUAGE


def _pipeline_runs(body: str, language: str | None) -> Iterator[tuple[int, int]]:
    """(start, end) of the runs of whole lines the pipeline may read.

    An article in the pipeline's language, or of unknown language, is read where it is in the
    pipeline's script (a page mixing scripts on its English paragraphs only; a body wholly in it
    is one run). An article detected in another language (French, Turkish: the same script) is
    read only on the paragraphs that are themselves in the pipeline's language, so English NER
    never tags French words.
    """
    primary = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0] if language else ""
    if primary in ("", PIPELINE_LANGUAGE):  # as given: "en-GB" and "EN" are English too
        return _runs(body, _in_pipeline_script)
    return _runs(body, _in_pipeline_language)


def _runs(body: str, keep: Callable[[str], bool]) -> Iterator[tuple[int, int]]:
    run_start: int | None = None
    start = 0
    while start < len(body):
        newline = body.find("\n", start)
        end = len(body) if newline < 0 else newline + 1
        if keep(body[start:end]):
            if run_start is None:
                run_start = start
        elif run_start is not None:
            yield run_start, start
            run_start = None
        start = end
    if run_start is not None:
        yield run_start, len(body)
