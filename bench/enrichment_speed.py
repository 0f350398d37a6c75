"""Articles per second: our enrichment vs the bare spaCy pipeline on the same texts, same run.

Run: ``python bench/enrichment_speed.py [--data DIR] [--n 500] [--runs 3] [--batch-size 64]``.
Texts are PolNeAR articles (real 2015-16 news); the ratio enrich/bare is the figure to watch (target >= 0.7).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    default = os.environ.get("NEWSARCHIVE_SHARED_DATA") or str(
        Path(__file__).resolve().parents[1].parent / "shared" / "data"
    )
    parser.add_argument("--data", default=default)
    parser.add_argument("--n", type=int, default=500, help="number of articles")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--model", default="en_core_web_sm")
    args = parser.parse_args(argv)
    folder = Path(args.data) / "corpus" / "polnear-train" / "text"
    if not folder.is_dir():
        print(f"PolNeAR texts not found at {folder}; pass --data", file=sys.stderr)
        return 2
    from newsarchive.enrich.nlp import load_nlp
    from newsarchive.enrich.pipeline import enrich_many

    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))[: args.n]]
    nlp = load_nlp(args.model)
    list(nlp.pipe(texts[:10]))  # warm-up
    bare, ours = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=args.batch_size):
            pass
        bare.append(len(texts) / (time.perf_counter() - start))
        start = time.perf_counter()
        for _result in enrich_many(((str(i), t, None) for i, t in enumerate(texts)), nlp, args.batch_size):
            pass
        ours.append(len(texts) / (time.perf_counter() - start))
    chars = sum(map(len, texts))
    b, o = statistics.median(bare), statistics.median(ours)
    print(
        f"{len(texts)} articles, {chars / len(texts):.0f} chars each on average, {args.runs} runs, model {nlp.meta['name']}"
    )
    print(f"bare nlp.pipe : {b:7.1f} articles/s (median; runs {', '.join(f'{x:.1f}' for x in bare)})")
    print(f"enrichment    : {o:7.1f} articles/s (median; runs {', '.join(f'{x:.1f}' for x in ours)})")
    print(f"ratio         : {o / b:.2f}x (target >= 0.70)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
