"""Where enrichment's time goes, and articles per second of our enrichment vs the bare spaCy pipeline.

Run: ``python bench/enrichment_speed.py [--data DIR] [--n 200] [--runs 3] [--batch-size 8] [--no-stages]``.
Texts are PolNeAR articles (real 2015-16 news). Three parts, all in one run:

- per stage: the tokenizer, then each pipeline component on the docs the one before it made (as
  ``nlp.pipe`` runs them), then our rules (mentions, entities, roles, quotes, events, dates) on the
  parsed docs; medians of ``--runs``;
- how much text a parse-only-where-needed scheme could skip: the share of sentences and tokens with
  a quote cue or an event trigger, lexically (the word or its lemma is in our lexicons) and as our
  rules start from them (the right part of speech too);
- end to end: bare ``nlp.pipe``, ``enrich_many`` in one process and in one process per core,
  interleaved in a shuffled order each run so the shared machine's noise falls on all of them alike;
  ratios are taken within each run, then the median.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc


def stage_times(nlp: Language, texts: list[str], batch_size: int) -> dict[str, float]:
    """Seconds per stage for one pass over ``texts`` (components run in pipeline order)."""
    from newsarchive.enrich.pipeline import _enrich_docs

    times: dict[str, float] = {}
    start = time.perf_counter()
    docs = [nlp.make_doc(text) for text in texts]
    times["tokenizer"] = time.perf_counter() - start
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        pipe = getattr(component, "pipe", None)
        docs = list(pipe(docs, batch_size=batch_size)) if pipe else [component(doc) for doc in docs]
        times[name] = time.perf_counter() - start
    start = time.perf_counter()
    for i, (text, doc) in enumerate(zip(texts, docs, strict=True)):
        _enrich_docs((str(i), text, "2016-01-01"), [(0, doc)])
    times["our rules (mentions, roles, quotes, events, dates)"] = time.perf_counter() - start
    return times


def selectivity(docs: list[Doc]) -> dict[str, float]:
    """Shares of sentences/tokens a parse restricted to cue or trigger sentences would still parse."""
    from newsarchive.enrich import events, quotes

    words = (
        set(quotes.SPEECH_VERBS)
        | set(events.TRIGGERS["verb"])
        | set(events.TRIGGERS["noun"])
        | quotes.DOCUMENT_NOUNS
        | {"according", "call", "issue"}
    )

    def strict(token: Any) -> bool:
        return bool(
            (token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in quotes.SPEECH_VERBS)
            or token.lower_ == "according"
            or token.lemma_.lower() in quotes.DOCUMENT_NOUNS
            or events._event_type(token)
        )

    counts = dict.fromkeys(("sents", "tokens", "lex_sents", "lex_tokens", "rule_sents", "rule_tokens"), 0)
    for doc in docs:
        for sent in doc.sents:
            counts["sents"] += 1
            counts["tokens"] += len(sent)
            if any(t.lower_ in words or t.lemma_.lower() in words for t in sent):
                counts["lex_sents"] += 1
                counts["lex_tokens"] += len(sent)
            if any(strict(t) for t in sent):
                counts["rule_sents"] += 1
                counts["rule_tokens"] += len(sent)
    return {
        "lexical sentences": counts["lex_sents"] / counts["sents"],
        "lexical tokens": counts["lex_tokens"] / counts["tokens"],
        "rule-start sentences": counts["rule_sents"] / counts["sents"],
        "rule-start tokens": counts["rule_tokens"] / counts["tokens"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default = os.environ.get("NEWSARCHIVE_SHARED_DATA") or str(
        Path(__file__).resolve().parents[1].parent / "shared" / "data"
    )
    parser.add_argument("--data", default=default)
    parser.add_argument("--n", type=int, default=200, help="number of articles")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=8, help="nlp.pipe batch (ingest uses 8)")
    parser.add_argument("--model", default="en_core_web_sm")
    parser.add_argument("--no-stages", action="store_true", help="skip the per-stage breakdown")
    args = parser.parse_args(argv)
    folder = Path(args.data) / "corpus" / "polnear-train" / "text"
    if not folder.is_dir():
        print(f"PolNeAR texts not found at {folder}; pass --data", file=sys.stderr)
        return 2
    from newsarchive.enrich.nlp import load_nlp
    from newsarchive.enrich.pipeline import default_processes, enrich_many

    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))[: args.n]]
    items = [(str(i), t, "2016-01-01") for i, t in enumerate(texts)]
    nlp = load_nlp(args.model)
    list(nlp.pipe(texts[:10]))  # warm-up
    workers = default_processes(items)
    out = print

    stages: dict[str, list[float]] = {}
    shares: dict[str, float] = {}
    if not args.no_stages:
        for _ in range(args.runs):
            for name, seconds in stage_times(nlp, texts, args.batch_size).items():
                stages.setdefault(name, []).append(seconds)
        shares = selectivity(list(nlp.pipe(texts, batch_size=args.batch_size)))

    systems: dict[str, Callable[[], object]] = {
        "bare nlp.pipe (1 process)": lambda: [None for _ in nlp.pipe(texts, batch_size=args.batch_size)],
        "enrich_many, 1 process": lambda: list(enrich_many(items, nlp, args.batch_size, n_process=1)),
        f"enrich_many, {workers} processes (default)": lambda: list(
            enrich_many(items, nlp, args.batch_size, n_process=workers)
        ),
    }
    rates: dict[str, list[float]] = {name: [] for name in systems}
    rng = random.Random(14)
    for _ in range(args.runs):
        order = list(systems)
        rng.shuffle(order)
        for name in order:
            start = time.perf_counter()
            systems[name]()
            rates[name].append(len(texts) / (time.perf_counter() - start))
    bare = next(iter(rates))

    chars = sum(map(len, texts))
    tokens = sum(len(nlp.make_doc(t)) for t in texts)
    out(
        f"{len(texts)} PolNeAR articles ({chars / len(texts):.0f} chars, {tokens / len(texts):.0f} tokens each "
        f"on average), {args.runs} runs, batch {args.batch_size}, model {nlp.meta['name']} {nlp.meta['version']}, "
        f"{len(os.sched_getaffinity(0))} cores, load average {os.getloadavg()[0]:.1f} at the end"
    )
    if stages:
        total = sum(statistics.median(v) for v in stages.values())
        out("\n| stage | median s | share | runs (s) |\n|---|---|---|---|")
        for name, values in stages.items():
            m = statistics.median(values)
            out(f"| {name} | {m:.2f} | {m / total:.0%} | {', '.join(f'{v:.2f}' for v in values)} |")
        out(f"| total | {total:.2f} | 100% | |")
        out(
            "\nSentences a cue/trigger-only parse would still parse (sentences as the full parse splits them):"
        )
        for name, share in shares.items():
            out(f"- {name}: {share:.1%}")
    out("\n| system | articles/s (median) | runs | vs bare (median of per-run ratios) |\n|---|---|---|---|")
    for name, values in rates.items():
        ratio = statistics.median(v / b for v, b in zip(values, rates[bare], strict=True))
        out(
            f"| {name} | {statistics.median(values):.2f} | {', '.join(f'{v:.2f}' for v in values)} | {ratio:.2f}× |"
        )
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out(f"\npeak RSS: this process {self_peak:.0f} MiB, largest worker process {child_peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
