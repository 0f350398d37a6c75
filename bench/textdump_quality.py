"""Body token F1, precision and recall of text-dump extraction on the real textdumps set: whole dump,
single page, site-learned.

Scoring: token F1 = bag-of-words overlap of lowercased ``\\w+`` tokens between our body and the
gold body; precision is the share of our tokens that are in the gold (chrome kept lowers it),
recall the share of the gold's tokens that we kept (article text lost lowers it). The gold files' first line is the article title, which we extract as ``title``, not
as body, so it is dropped from the gold before scoring (for every method, the baseline too,
whose dump also loses its ``<title>`` line). Mean over pages, overall, per site and per year.

``--rivers SEED`` scores the same pages with a "latest stories" river spliced in right after each
article (6-14 items of a timestamp line, a headline and mostly a one-line teaser, made from the
other sites' gold headlines and sentences; seeded): the layout of modern pages, which these 2005
and 2009 captures do not have. Pages whose gold end is not a line of the dump are left out.

Usage: .venv/bin/python bench/textdump_quality.py [--data DIR] [--json] [--markdown] [--rivers SEED]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path
from statistics import mean
from typing import Any

from newsarchive.extract.chrome import SiteChrome, apply_chrome
from newsarchive.extract.textdump import decode_dump, extract_textdump
from newsarchive.model import Capture, Extracted
from newsarchive.settings import Settings

_TOKEN = re.compile(r"\w+")
METHODS = ("whole_dump", "single_page", "site_learned")
MEASURES = ("precision", "recall")
"""Besides F1 (keyed by the method's name), each method's ``<method>_precision`` and ``<method>_recall``."""


def token_scores(ours: str, gold: str) -> tuple[float, float, float]:
    """(precision, recall, F1) of lowercased word tokens as bags; two empty texts agree perfectly.

    An empty body against a non-empty gold has precision 1 (it kept no chrome) and recall 0.
    """
    a, b = Counter(_TOKEN.findall(ours.lower())), Counter(_TOKEN.findall(gold.lower()))
    if not a or not b:
        agree = float(not a and not b)
        return (1.0 if not a else agree), (1.0 if not b else agree), agree
    overlap = sum((a & b).values())
    if overlap == 0:
        return 0.0, 0.0, 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def token_f1(ours: str, gold: str) -> float:
    """Bag-of-words F1 of lowercased word tokens; two empty texts agree perfectly."""
    return token_scores(ours, gold)[2]


def _without_first_line(text: str) -> str:
    return text.split("\n", 1)[1] if "\n" in text else ""


def _year(name: str) -> str:
    match = re.search(r"-(\d\d)-", name)
    return f"20{match.group(1)}" if match else "other"


def extract_site(
    pages: list[Path], settings: Settings, raws: list[bytes] | None = None
) -> list[tuple[Extracted, Extracted]]:
    """Extract a site's pages (phase 1), learn its chrome, re-apply it (phase 2), like ingest does.

    ``raws`` replaces the files' bytes (the pages with a river spliced in)."""
    singles = []
    for path, raw in zip(pages, raws or [p.read_bytes() for p in pages], strict=True):
        capture = Capture(origin=str(path), raw=raw, format="textdump", hints={"site_dir": path.parent.name})
        singles.append(extract_textdump(capture, settings))
    learned: dict[str, SiteChrome] = {}
    for extracted in singles:
        learned.setdefault(extracted.site, SiteChrome(site=extracted.site)).add_page(extracted.blocks)
    return [(e, apply_chrome(e, learned.get(e.site), settings)) for e in singles]


def score_textdumps(
    data_dir: Path, settings: Settings | None = None, rivers: int | None = None
) -> dict[str, Any]:
    """Score every page of ``data_dir`` (the textdumps folder or a folder holding it); with
    ``rivers`` (a seed), the pages with a story river spliced in after their article."""
    settings = settings or Settings()
    root = data_dir / "extraction" / "textdumps" if (data_dir / "extraction").is_dir() else data_dir
    rows: list[dict[str, Any]] = []
    site_dirs = sorted(p for p in (root / "pages").iterdir() if p.is_dir())
    golds = {
        (site.name, path.name): decode_dump((root / "gold" / site.name / path.name).read_bytes())
        for site in site_dirs
        for path in sorted(site.glob("*.txt"))
    }
    rng = random.Random(rivers)
    skipped = 0
    for site_dir in site_dirs:
        pages = sorted(site_dir.glob("*.txt"))
        raws = [p.read_bytes() for p in pages]
        if rivers is not None:
            material = [g for (site, _), g in golds.items() if site != site_dir.name]
            spliced = [
                _with_river(raw, golds[(site_dir.name, p.name)], material, rng)
                for p, raw in zip(pages, raws, strict=True)
            ]
            skipped += sum(1 for r in spliced if r is None)
            pages = [p for p, r in zip(pages, spliced, strict=True) if r is not None]
            raws = [r for r in spliced if r is not None]
        for path, raw, (single, learned) in zip(
            pages, raws, extract_site(pages, settings, raws), strict=True
        ):
            gold = _without_first_line(golds[(site_dir.name, path.name)])
            dump = _without_first_line(decode_dump(raw))
            row: dict[str, Any] = {"site": site_dir.name, "page": path.name, "year": _year(path.name)}
            for method, body in zip(METHODS, (dump, single.body, learned.body), strict=True):
                precision, recall, f1 = token_scores(body, gold)
                row |= {method: f1, f"{method}_precision": precision, f"{method}_recall": recall}
            rows.append(row)
    return {
        "pages": len(rows),
        "rivers": {"seed": rivers, "pages_left_out": skipped} if rivers is not None else None,
        "overall": _means(rows),
        "by_site": {
            s: _means([r for r in rows if r["site"] == s]) for s in sorted({r["site"] for r in rows})
        },
        "by_year": {
            y: _means([r for r in rows if r["year"] == y]) for y in sorted({r["year"] for r in rows})
        },
        "rows": rows,
    }


_STAMPS = ("{h} hours ago", "{m} minutes ago", "{d} March 2024", "{h:02d}:{m:02d}", "Yesterday")


def _with_river(raw: bytes, gold: str, material: list[str], rng: random.Random) -> bytes | None:
    """The dump with a story river right after its article's last gold line (None: not found)."""
    lines = decode_dump(raw).splitlines()
    ends = [
        " ".join(line.split()) for line in _without_first_line(gold).splitlines() if len(line.split()) >= 6
    ]
    at = [i for i, line in enumerate(lines) if ends and " ".join(line.split()) == ends[-1]]
    if not at:
        return None
    headlines = [g.split("\n", 1)[0].strip() for g in material if g.split("\n", 1)[0].strip()]
    teasers = [m.group(1) for g in material for m in re.finditer(r"(?m)^\s*(.{60,220}?[.!?])(?:\s|$)", g)]
    stamp = rng.choice(_STAMPS)
    river = ["Latest stories"] if rng.random() < 0.5 else []
    for _ in range(rng.randint(6, 14)):
        river.append(stamp.format(h=rng.randint(1, 11), m=rng.randint(2, 59), d=rng.randint(1, 28)))
        river.append(rng.choice(headlines))
        if rng.random() < 0.85:
            river.append(rng.choice(teasers))
    return "\n".join(lines[: at[-1] + 1] + river + lines[at[-1] + 1 :]).encode()


_KEYS = [*METHODS, *(f"{m}_{measure}" for m in METHODS for measure in MEASURES)]
_COLUMNS = [
    ("whole dump F1", "whole_dump"),
    ("single page F1", "single_page"),
    ("single P", "single_page_precision"),
    ("single R", "single_page_recall"),
    ("site-learned F1", "site_learned"),
    ("learned P", "site_learned_precision"),
    ("learned R", "site_learned_recall"),
]
"""The table's columns: F1 of each method, precision and recall of the two extractions."""


def _means(rows: list[dict[str, Any]]) -> dict[str, float]:
    return {key: round(mean(r[key] for r in rows), 4) for key in _KEYS} | {"pages": len(rows)}


def _groups(result: dict[str, Any]) -> list[tuple[str, dict[str, float]]]:
    groups = [("all", result["overall"])]
    groups += [(f"year {y}", v) for y, v in result["by_year"].items()]
    return groups + list(result["by_site"].items())


def _markdown(result: dict[str, Any]) -> str:
    lines = [
        "| set | pages | " + " | ".join(name for name, _ in _COLUMNS) + " |",
        "|---|---:|" + "---:|" * len(_COLUMNS),
    ]
    for name, m in _groups(result):
        scores = " | ".join(f"{m[key]:.3f}" for _, key in _COLUMNS)
        lines.append(f"| {'**all**' if name == 'all' else name} | {m['pages']} | {scores} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(
        os.environ.get("NEWSARCHIVE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared/data")
    )
    parser.add_argument("--data", type=Path, default=default, help="shared data dir or textdumps dir")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.add_argument(
        "--markdown", action="store_true", help="print a markdown table for docs/benchmarks.md"
    )
    parser.add_argument("--worst", type=int, default=0, help="also list the N worst pages (site-learned)")
    parser.add_argument(
        "--rivers", type=int, metavar="SEED", help="splice a story river in after each article (seeded)"
    )
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data at {args.data}; pass --data", file=sys.stderr)
        return 2
    result = score_textdumps(args.data, rivers=args.rivers)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    if args.markdown:
        print(_markdown(result))
        return 0
    heads = ["whole F1", "single F1", "P", "R", "learned F1", "P", "R"]
    print(f"{'set':<20}{'pages':>6}" + "".join(f"{h:>11}" for h in heads))
    for name, m in _groups(result):
        print(f"{name:<20}{m['pages']:>6}" + "".join(f"{m[key]:>11.3f}" for _, key in _COLUMNS))
    for row in sorted(result["rows"], key=lambda r: r["site_learned"])[: args.worst]:
        print(
            f"  F1 {row['site_learned']:.3f} P {row['site_learned_precision']:.3f} "
            f"R {row['site_learned_recall']:.3f} (single {row['single_page']:.3f}) {row['site']}/{row['page']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
