"""Body token F1 of text-dump extraction on the real textdumps set: whole dump, single page, site-learned.

Scoring: token F1 = bag-of-words overlap of lowercased ``\\w+`` tokens between our body and the
gold body. The gold files' first line is the article title, which we extract as ``title``, not
as body, so it is dropped from the gold before scoring (for every method, the baseline too,
whose dump also loses its ``<title>`` line). Mean over pages, overall, per site and per year.

Usage: .venv/bin/python bench/textdump_quality.py [--data DIR] [--json] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import os
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


def token_f1(ours: str, gold: str) -> float:
    """Bag-of-words F1 of lowercased word tokens; two empty texts agree perfectly."""
    a, b = Counter(_TOKEN.findall(ours.lower())), Counter(_TOKEN.findall(gold.lower()))
    if not a or not b:
        return float(not a and not b)
    overlap = sum((a & b).values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def _without_first_line(text: str) -> str:
    return text.split("\n", 1)[1] if "\n" in text else ""


def _year(name: str) -> str:
    match = re.search(r"-(\d\d)-", name)
    return f"20{match.group(1)}" if match else "other"


def extract_site(pages: list[Path], settings: Settings) -> list[tuple[Extracted, Extracted]]:
    """Extract a site's pages (phase 1), learn its chrome, re-apply it (phase 2), like ingest does."""
    singles = []
    for path in pages:
        capture = Capture(
            origin=str(path), raw=path.read_bytes(), format="textdump", hints={"site_dir": path.parent.name}
        )
        singles.append(extract_textdump(capture, settings))
    learned: dict[str, SiteChrome] = {}
    for extracted in singles:
        learned.setdefault(extracted.site, SiteChrome(site=extracted.site)).add_page(extracted.blocks)
    return [(e, apply_chrome(e, learned.get(e.site), settings)) for e in singles]


def score_textdumps(data_dir: Path, settings: Settings | None = None) -> dict[str, Any]:
    """Score every page of ``data_dir`` (the textdumps folder or a folder holding it)."""
    settings = settings or Settings()
    root = data_dir / "extraction" / "textdumps" if (data_dir / "extraction").is_dir() else data_dir
    rows: list[dict[str, Any]] = []
    for site_dir in sorted(p for p in (root / "pages").iterdir() if p.is_dir()):
        pages = sorted(site_dir.glob("*.txt"))
        for path, (single, learned) in zip(pages, extract_site(pages, settings), strict=True):
            gold = _without_first_line(decode_dump((root / "gold" / site_dir.name / path.name).read_bytes()))
            dump = _without_first_line(decode_dump(path.read_bytes()))
            rows.append(
                {
                    "site": site_dir.name,
                    "page": path.name,
                    "year": _year(path.name),
                    "whole_dump": token_f1(dump, gold),
                    "single_page": token_f1(single.body, gold),
                    "site_learned": token_f1(learned.body, gold),
                }
            )
    return {
        "pages": len(rows),
        "overall": _means(rows),
        "by_site": {
            s: _means([r for r in rows if r["site"] == s]) for s in sorted({r["site"] for r in rows})
        },
        "by_year": {
            y: _means([r for r in rows if r["year"] == y]) for y in sorted({r["year"] for r in rows})
        },
        "rows": rows,
    }


def _means(rows: list[dict[str, Any]]) -> dict[str, float]:
    return {m: round(mean(r[m] for r in rows), 4) for m in METHODS} | {"pages": len(rows)}


def _markdown(result: dict[str, Any]) -> str:
    lines = [
        "| set | pages | whole dump | single page | site-learned |",
        "|---|---:|---:|---:|---:|",
    ]
    groups = [("**all**", result["overall"])]
    groups += [(f"year {y}", v) for y, v in result["by_year"].items()]
    groups += list(result["by_site"].items())
    for name, m in groups:
        scores = " | ".join(f"{m[method]:.3f}" for method in METHODS)
        lines.append(f"| {name} | {m['pages']} | {scores} |")
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
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data at {args.data}; pass --data", file=sys.stderr)
        return 2
    result = score_textdumps(args.data)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    if args.markdown:
        print(_markdown(result))
        return 0
    print(f"{'set':<22}{'pages':>6}{'whole':>8}{'single':>8}{'learned':>9}")
    rows = [("all", result["overall"]), *list(result["by_year"].items()), *list(result["by_site"].items())]
    for name, m in rows:
        print(
            f"{name:<22}{m['pages']:>6}{m['whole_dump']:>8.3f}{m['single_page']:>8.3f}{m['site_learned']:>9.3f}"
        )
    for row in sorted(result["rows"], key=lambda r: r["site_learned"])[: args.worst]:
        print(f"  {row['site_learned']:.3f} {row['single_page']:.3f} {row['site']}/{row['page']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
