"""Extraction quality: our HTML extraction against bare trafilatura on the gold sets in shared/data/extraction.

Run: .venv/bin/python bench/extraction_quality.py [--data DIR] [--json] [--markdown]

Per set and system it reports body token F1 (bag of lowercased word tokens; CJK/Thai/Burmese/Khmer
characters count one token each because those scripts do not separate words), title accuracy
(exact match after casefolding and dropping punctuation) and date accuracy (same calendar day as
written in the gold, only over pages whose gold has a date).

goose3's gold body is only a prefix of the article (often a handful of words), so plain precision
would punish every correct word after it. There, recall is the share of gold-prefix tokens found
anywhere in the output, and precision compares the gold prefix with the output's first tokens of
the same length (so chrome before the article still costs); F1 combines those two.

Both systems read the same bytes in one run: ours is ``extract_capture`` (extract_html, then the date rule) with default Settings,
bare is ``trafilatura.extract(html, url=url, fast=True)`` for the body and
``trafilatura.extract_metadata`` for title and date. If ``bench/textdump_quality.py`` exists
its ``score_textdumps(data_dir)`` figures are shown too.

Dates are also scored the way htmldate evaluates itself (its tests/comparison.py): over the pages
whose gold has a date, a same-day answer is a true positive, another date a false positive, no
date a false negative; precision, recall, accuracy and F-score follow (with no true negatives,
accuracy is the same-day accuracy). Our ``published`` (a page we reject counts as no date) is
set against bare ``htmldate.find_date(html, original_date=True)`` and ``original_date=False``
(extensive search, no URL, as htmldate's comparison runs it) on the same bytes in the same run.
The pages where htmldate with ``original_date=True`` is right and we are not are listed in
``--json`` under ``date_misses``.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
import statistics
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import htmldate
import lxml.html
import trafilatura

from newsarchive.errors import NewsArchiveError
from newsarchive.extract import extract_capture
from newsarchive.model import Capture
from newsarchive.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
_WORD = re.compile(r"\w+")
_CHAR_TOKEN = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff\uf900-\ufaff\uff66-\uff9f]")


@dataclass(slots=True)
class Case:
    """One gold page: its bytes and whatever gold the set gives for it."""

    name: str
    raw: bytes
    url: str | None = None
    body: str | None = None
    body_is_prefix: bool = False
    title: str | None = None
    date: str | None = None


@dataclass(slots=True)
class Scores:
    """Per-page scores of one system on one set."""

    body_f1: list[float] = field(default_factory=list)
    title_ok: list[bool] = field(default_factory=list)
    date_ok: list[bool] = field(default_factory=list)
    failures: int = 0

    def summary(self) -> dict[str, Any]:
        def mean(values: list[float] | list[bool]) -> float | None:
            return round(statistics.fmean(values), 3) if values else None

        return {
            "pages_with_body": len(self.body_f1),
            "body_f1_mean": mean(self.body_f1),
            "body_f1_median": round(statistics.median(self.body_f1), 3) if self.body_f1 else None,
            "title_accuracy": mean(self.title_ok),
            "pages_with_title": len(self.title_ok),
            "date_accuracy": mean(self.date_ok),
            "pages_with_date": len(self.date_ok),
            "failures": self.failures,
        }


def tokens(text: str) -> list[str]:
    """Lowercased word tokens; characters of scripts written without spaces are tokens of their own."""
    out: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFKC", text).lower()):
        if _CHAR_TOKEN.search(word):
            out.extend(piece for piece in re.split(f"({_CHAR_TOKEN.pattern})", word) if piece)
        else:
            out.append(word)
    return out


def body_f1(predicted: str, gold: str, gold_is_prefix: bool = False) -> float:
    """Bag-of-tokens F1; for a prefix gold, recall anywhere and precision over the output's start."""
    gold_tokens = tokens(gold)
    pred_tokens = tokens(predicted)
    if not gold_tokens:
        return 1.0 if not pred_tokens else 0.0
    if not pred_tokens:
        return 0.0
    gold_bag = Counter(gold_tokens)
    if gold_is_prefix:
        recall = sum((Counter(pred_tokens) & gold_bag).values()) / len(gold_tokens)
        head = pred_tokens[: len(gold_tokens)]
        precision = sum((Counter(head) & gold_bag).values()) / len(head)
    else:
        overlap = sum((Counter(pred_tokens) & gold_bag).values())
        precision, recall = overlap / len(pred_tokens), overlap / len(gold_tokens)
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def same_title(predicted: str | None, gold: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))

    return predicted is not None and norm(predicted) == norm(gold)


def same_day(predicted: str | None, gold: str) -> bool:
    return predicted is not None and predicted[:10] == gold.strip()[:10]


@dataclass(slots=True)
class DateCounts:
    """htmldate's evaluation counts for one date system on one set (pages with a gold date only)."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def add(self, predicted: str | None, gold: str) -> bool:
        """Count one page; whether the prediction is the gold day."""
        if predicted is None:
            self.false_negatives += 1
            return False
        if same_day(predicted, gold):
            self.true_positives += 1
            return True
        self.false_positives += 1
        return False

    def summary(self) -> dict[str, Any]:
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives

        def ratio(num: int, den: int) -> float | None:
            return round(num / den, 3) if den else None

        return {
            "pages": tp + fp + fn,
            "true_positives": tp,
            "false_positives": fp,
            "false_negatives": fn,
            "precision": ratio(tp, tp + fp),
            "recall": ratio(tp, tp + fn),
            "accuracy": ratio(tp, tp + fp + fn),
            "f_score": ratio(2 * tp, 2 * tp + fp + fn),
        }


# --- the sets -----------------------------------------------------------------------------------


def _html_text(path: Path) -> str:
    # readability's expected pages are UTF-8 without a charset declaration
    tree = lxml.html.fromstring(path.read_text(encoding="utf-8"))
    for node in tree.xpath("//script|//style"):
        node.drop_tree()
    return " ".join(" ".join(tree.itertext()).split())


def readability_cases(root: Path) -> Iterator[Case]:
    for page in sorted(p for p in root.iterdir() if (p / "source.html").is_file()):
        meta_path = page / "expected-metadata.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        yield Case(
            name=page.name,
            raw=(page / "source.html").read_bytes(),
            url="http://fakehost/test/page.html",
            body=_html_text(page / "expected.html") if (page / "expected.html").is_file() else None,
            title=meta.get("title") or None,
            date=meta.get("publishedTime") or None,
        )


def goose3_cases(root: Path) -> Iterator[Case]:
    for gold_path in sorted(root.glob("*/*.json")):
        html_path = gold_path.with_suffix(".html")
        if not html_path.is_file():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        expected = gold.get("expected", {})
        body = expected.get("cleaned_text")
        yield Case(
            name=f"{gold_path.parent.name}/{gold_path.stem}",
            raw=html_path.read_bytes(),
            url=gold.get("url") or expected.get("final_url"),
            body=body if body and body.strip() else None,
            body_is_prefix=True,
            title=expected.get("title") or None,
            date=expected.get("publish_date") or None,
        )


def newspaper4k_cases(root: Path) -> Iterator[Case]:
    for html_path in sorted((root / "html").glob("*.html")):
        text_path = root / "txt" / f"{html_path.stem}.txt"
        meta_path = root / "metadata" / f"{html_path.stem}.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        body = text_path.read_text(encoding="utf-8") if text_path.is_file() else None
        if body is None and not meta:
            continue
        yield Case(
            name=html_path.stem,
            raw=html_path.read_bytes(),
            url=meta.get("url") or meta.get("canonical_link") or None,
            body=body,
            title=meta.get("title") or None,
            date=meta.get("publish_date") or None,
        )


def _version_key(version: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", version)]


def fundus_cases(root: Path) -> Iterator[Case]:
    """Fundus stores one gold record per parser version; versions and dated pages sort alike."""
    for gold_path in sorted(root.glob("*/*.json")):
        publisher = gold_path.stem
        pages = sorted(gold_path.parent.glob(f"{publisher}_*.html.gz"))
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        versions = sorted(gold, key=_version_key)
        if len(versions) != len(pages):
            continue
        for version, page in zip(versions, pages, strict=True):
            record = gold[version]
            parts: list[str] = []
            body = record.get("body") or {}
            parts.extend(body.get("summary") or [])
            for section in body.get("sections") or []:
                parts.extend(section.get("headline") or [])
                parts.extend(section.get("paragraphs") or [])
            yield Case(
                name=f"{gold_path.parent.name}/{page.name.removesuffix('.html.gz')}",
                raw=gzip.decompress(page.read_bytes()),
                body="\n".join(parts) or None,
                title=record.get("title") or None,
                date=record.get("publishing_date") or None,
            )


SETS: dict[str, Callable[[Path], Iterator[Case]]] = {
    "readability": readability_cases,
    "goose3": goose3_cases,
    "newspaper4k": newspaper4k_cases,
    "fundus": fundus_cases,
}


# --- the two systems ----------------------------------------------------------------------------


def run_ours(case: Case, settings: Settings) -> tuple[str, str | None, str | None]:
    capture = Capture(origin=case.name, raw=case.raw, format="html", url=case.url)
    extracted = extract_capture(capture, settings)  # what ingest calls: the date normalised too
    return extracted.body, extracted.title, extracted.published


def run_bare(case: Case, settings: Settings) -> tuple[str, str | None, str | None]:
    body = trafilatura.extract(case.raw, url=case.url, fast=True) or ""
    tree = trafilatura.load_html(case.raw)
    if tree is None:
        return body, None, None
    metadata = trafilatura.extract_metadata(tree, default_url=case.url)
    return body, metadata.title, metadata.date


SYSTEMS: dict[str, Callable[[Case, Settings], tuple[str, str | None, str | None]]] = {
    "ours": run_ours,
    "bare": run_bare,
}


def run_htmldate(case: Case, original_date: bool) -> str | None:
    """Bare htmldate as its own comparison runs it: the page's bytes, extensive search, no URL."""
    try:
        found: str | None = htmldate.find_date(case.raw, original_date=original_date, extensive_search=True)
    except Exception:  # a crash of the library under test is a missing date, not a crashed bench
        return None
    return found


DATE_SYSTEMS: dict[str, Callable[[Case], str | None]] = {
    "htmldate original_date=True": lambda case: run_htmldate(case, original_date=True),
    "htmldate original_date=False": lambda case: run_htmldate(case, original_date=False),
}


@dataclass(slots=True)
class DateReport:
    """htmldate-style counts per date system, and the pages htmldate (original) gets and we miss."""

    counts: dict[str, DateCounts] = field(
        default_factory=lambda: {name: DateCounts() for name in ["ours", *DATE_SYSTEMS]}
    )
    misses: list[dict[str, str | None]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "systems": {name: counts.summary() for name, counts in self.counts.items()},
            "date_misses": self.misses,
        }


def score_set(
    cases: Iterator[Case], settings: Settings, dates: DateReport | None = None
) -> dict[str, Scores]:
    """Body, title and date scores per system; with ``dates``, htmldate-style date counts too."""
    scores = {system: Scores() for system in SYSTEMS}
    for case in cases:
        ours_date: str | None = None
        for system, run in SYSTEMS.items():
            try:
                body, title, date = run(case, settings)
            except NewsArchiveError:
                body, title, date = "", None, None
                scores[system].failures += 1
            if system == "ours":
                ours_date = date
            if case.body is not None:
                scores[system].body_f1.append(body_f1(body, case.body, case.body_is_prefix))
            if case.title is not None:
                scores[system].title_ok.append(same_title(title, case.title))
            if case.date is not None:
                scores[system].date_ok.append(same_day(date, case.date))
        if dates is not None and case.date is not None:
            ours_right = dates.counts["ours"].add(ours_date, case.date)
            found = {name: run_date(case) for name, run_date in DATE_SYSTEMS.items()}
            for name, date in found.items():
                dates.counts[name].add(date, case.date)
            original = found["htmldate original_date=True"]
            if not ours_right and same_day(original, case.date):
                dates.misses.append(
                    {"page": case.name, "gold": case.date, "ours": ours_date, "htmldate": original}
                )
    return scores


def textdump_figures(data_dir: Path) -> dict[str, Any] | None:
    """Figures of bench/textdump_quality.py, written by another engineer, when it exists."""
    path = ROOT / "bench" / "textdump_quality.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("textdump_quality", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses in that file look their module up while it runs
    try:
        spec.loader.exec_module(module)
        result: dict[str, Any] = module.score_textdumps(data_dir)
    except Exception as exc:  # another module's failure must not hide our figures
        return {"error": f"{type(exc).__name__}: {exc}"}
    return result


def run(data_dir: Path) -> dict[str, Any]:
    settings = Settings()
    extraction = data_dir / "extraction"
    report: dict[str, Any] = {"sets": {}, "dates": {}}
    for name, loader in SETS.items():
        folder = extraction / name
        if not folder.is_dir():
            continue
        dates = DateReport()
        scores = score_set(loader(folder), settings, dates)
        report["sets"][name] = {system: s.summary() for system, s in scores.items()}
        report["dates"][name] = dates.summary()
    textdumps = textdump_figures(data_dir)
    if textdumps is not None:
        report["textdumps"] = textdumps
    return report


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def table_rows(report: dict[str, Any]) -> list[list[str]]:
    rows = []
    for name, systems in report["sets"].items():
        for system, s in systems.items():
            rows.append(
                [
                    name,
                    system,
                    str(s["pages_with_body"]),
                    _fmt(s["body_f1_mean"]),
                    _fmt(s["body_f1_median"]),
                    f"{_fmt(s['title_accuracy'])} ({s['pages_with_title']})",
                    f"{_fmt(s['date_accuracy'])} ({s['pages_with_date']})",
                    str(s["failures"]),
                ]
            )
    return rows


HEADER = [
    "set",
    "system",
    "pages",
    "body F1 mean",
    "body F1 median",
    "title acc (n)",
    "date acc (n)",
    "failures",
]


DATE_HEADER = ["set", "date system", "pages", "TP", "FP", "FN", "precision", "recall", "accuracy", "F-score"]


def date_rows(report: dict[str, Any]) -> list[list[str]]:
    rows = []
    for name, dates in report.get("dates", {}).items():
        for system, d in dates["systems"].items():
            rows.append(
                [
                    name,
                    system,
                    str(d["pages"]),
                    str(d["true_positives"]),
                    str(d["false_positives"]),
                    str(d["false_negatives"]),
                    _fmt(d["precision"]),
                    _fmt(d["recall"]),
                    _fmt(d["accuracy"]),
                    _fmt(d["f_score"]),
                ]
            )
    return rows


def _aligned(header: list[str], body: list[list[str]]) -> list[str]:
    rows = [header, *body]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _textdump_summary(figures: dict[str, Any]) -> str:
    """The scalar and per-group figures of the text-dump bench; per-page rows stay in --json."""
    shown = {key: value for key, value in figures.items() if not isinstance(value, list)}
    return json.dumps(shown, default=str)


def render_text(report: dict[str, Any]) -> str:
    lines = _aligned(HEADER, table_rows(report))
    if report.get("dates"):
        lines += [
            "",
            "published, htmldate's evaluation (pages with a gold date):",
            *_aligned(DATE_HEADER, date_rows(report)),
        ]
    if "textdumps" in report:
        lines.append("")
        lines.append(f"textdumps (bench/textdump_quality.py): {_textdump_summary(report['textdumps'])}")
    return "\n".join(lines)


def render_markdown(report: dict[str, Any]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(report)]
    if report.get("dates"):
        lines += ["", "| " + " | ".join(DATE_HEADER) + " |", "|" + "---|" * len(DATE_HEADER)]
        lines += ["| " + " | ".join(row) + " |" for row in date_rows(report)]
    if "textdumps" in report:
        lines.append("")
        lines.append(f"Text dumps (bench/textdump_quality.py): `{_textdump_summary(report['textdumps'])}`")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_data = ROOT.parent / "shared" / "data"
    parser.add_argument(
        "--data", type=Path, default=default_data, help=f"shared data folder ({default_data})"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--markdown", action="store_true", help="print a markdown table (for docs/benchmarks.md)"
    )
    args = parser.parse_args(argv)
    if not (args.data / "extraction").is_dir():
        print(f"no extraction data under {args.data}; pass --data", file=sys.stderr)
        return 2
    report = run(args.data)
    if args.json:
        print(json.dumps(report, indent=2, default=str))
    elif args.markdown:
        print(render_markdown(report))
    else:
        print(render_text(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
