"""Decoding: the current rule (extract/encoding.py) against the previous one on real pages.

Run: .venv/bin/python bench/encoding_detection.py [--data DIR] [--json] [--markdown] [--show-changed]

1. As they are: every HTML page of the four extraction sets, every text dump, and every HTML
   record of the WARC/ARC files (their non-UTF-8 pages are real legacy pages: EUC-JP,
   windows-1251, GB2312/GBK, ISO-8859-1). Counts the pages whose decoded text changed; with
   ``--show-changed`` prints where each one first differs, to inspect.
2. Re-encoded: each extraction page whose main script is not Latin, encoded into that script's
   legacy encoding (HTML entities for what it cannot hold, as legacy sites wrote them), then
   left undeclared, falsely declared UTF-8 in its meta tag, or declared right behind an HTTP
   header saying ISO-8859-1; and every text dump in windows-1252. Counts exact recoveries.

The previous rule is restated here (it was html._decode and textdump.decode_dump until
2026-12): BOM, strict UTF-8, else the declared charsets, UTF-8 and windows-1252, each decoded
with replacement, the one with the fewest replacement/C1/ftfy-badness characters winning; dumps
UTF-8, else windows-1252, else latin-1. Times are decode only, summed, from one run.
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ftfy.badness

from newsarchive.extract.encoding import decode, sniff
from newsarchive.model import Capture
from newsarchive.settings import Settings
from newsarchive.sources.detect import read_path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_DATA

_META = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{2,40})""", re.I)
_HEADER = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{2,40})""", re.I)
_SCRIPTS = {
    "cp1256": re.compile("[\u0600-\u06ff]"),
    "cp1255": re.compile("[\u05d0-\u05ea]"),
    "cp1253": re.compile("[\u0370-\u03ff]"),
    "cp1251": re.compile("[\u0400-\u04ff]"),
    "cp949": re.compile("[\uac00-\ud7af]"),
    "cp874": re.compile("[\u0e00-\u0e7f]"),
    "gb18030": re.compile("[\u3040-\u30ff\u4e00-\u9fff]"),
}
_KANA = re.compile("[\u3040-\u30ff]")
_LABELS = {"cp932": "shift_jis", "cp949": "euc-kr", "cp874": "windows-874", "gb18030": "gbk"}


# --- the two rules ------------------------------------------------------------------------------


def declared(raw: bytes, content_type: str | None, hint: str | None) -> list[str | None]:
    """The labels html._decode reads: the source's hint, the HTTP header, the meta tag."""
    header = _HEADER.search(content_type or "")
    meta = _META.search(raw[:8192])
    return [hint, header.group(1) if header else None, meta.group(1).decode("ascii") if meta else None]


def previous_page_rule(raw: bytes, labels: list[str | None]) -> str:
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(codec, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    for label in [*labels, "utf-8", "cp1252"]:
        try:
            codec = codecs.lookup(label.strip().strip("\"'")).name if label else None
        except LookupError:
            codec = None
        codec = "cp1252" if codec in {"latin-1", "iso8859-1", "ascii"} else codec
        if codec and codec not in candidates:
            candidates.append(codec)
    best_text, best_score = "", -1
    for codec in candidates:
        try:
            text = raw.decode(codec, errors="replace")
        except (LookupError, ValueError):
            continue
        sample = text if len(text) < 400_000 else text[:200_000] + text[-200_000:]
        c1 = sum(1 for char in sample if "\x80" <= char <= "\x9f")
        score = 3 * sample.count("\ufffd") + c1 + ftfy.badness.badness(sample)
        if best_score < 0 or score < best_score:
            best_text, best_score = text, score
        if score == 0:
            break
    return best_text


def previous_dump_rule(raw: bytes) -> str:
    for codec in ("utf-8", "cp1252"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            pass
    return raw.decode("latin-1")


# --- the pages ----------------------------------------------------------------------------------


def extraction_pages(data: Path) -> Iterator[tuple[str, bytes]]:
    root = data / "extraction"
    for path in sorted((root / "readability").glob("*/source.html")):
        yield f"readability/{path.parent.name}", path.read_bytes()
    for path in sorted((root / "goose3").glob("*/*.html")):
        yield f"goose3/{path.parent.name}/{path.stem}", path.read_bytes()
    for path in sorted((root / "newspaper4k" / "html").glob("*.html")):
        yield f"newspaper4k/{path.stem}", path.read_bytes()
    for path in sorted((root / "fundus").glob("*/*.html.gz")):
        yield f"fundus/{path.parent.name}/{path.name}", gzip.decompress(path.read_bytes())


def text_dumps(data: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted((data / "extraction" / "textdumps" / "pages").glob("*/*.txt")):
        yield f"textdumps/{path.parent.name}/{path.name}", path.read_bytes()


def warc_records(data: Path) -> Iterator[tuple[str, Capture]]:
    for path in sorted((data / "warc").rglob("*")):
        if not path.is_file() or path.name == "LICENSE":
            continue
        try:
            for item in read_path(path, Settings()):
                if isinstance(item, Capture) and item.raw[:2] != b"\x1f\x8b":
                    yield item.origin.removeprefix(str(data) + "/"), item
        except Exception as exc:  # a reader's own bug must not hide the other files' figures
            print(f"{path}: {type(exc).__name__}: {exc}", file=sys.stderr)


def legacy_codec(text: str) -> str | None:
    """The legacy encoding of a page's main non-Latin script, if it has one."""
    letters = sum(1 for char in text if char > "\x7f" and char.isalpha())
    counts = {codec: len(script.findall(text)) for codec, script in _SCRIPTS.items()}
    codec = max(counts, key=counts.__getitem__)
    if counts[codec] < max(200, 0.5 * letters):
        return None
    return "cp932" if codec == "gb18030" and len(_KANA.findall(text)) > 0.05 * counts[codec] else codec


def legacy_variants(text: str, codec: str) -> dict[str, tuple[bytes, str | None]]:
    encoded = text.encode(codec, "xmlcharrefreplace")
    without = re.sub(rb"<meta[^>]*charset[^>]*>", b"", encoded, flags=re.I)
    label = _LABELS.get(codec, codec).encode()
    return {
        "undeclared": (without, None),
        "meta says utf-8": (without.replace(b"<head>", b'<head><meta charset="utf-8">', 1), None),
        "header latin-1, meta right": (
            without.replace(b"<head>", b'<head><meta charset="' + label + b'">', 1),
            "text/html; charset=ISO-8859-1",
        ),
    }


# --- measuring ----------------------------------------------------------------------------------


def _timed(clock: Counter[str], key: str, fn: Callable[..., str], *args: Any) -> str:
    start = time.perf_counter()
    text = fn(*args)
    clock[key] += time.perf_counter() - start
    return text


def _first_difference(old: str, new: str) -> str:
    index = next(
        (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new))
    )
    return f"{old[max(0, index - 30) : index + 30]!r} -> {new[max(0, index - 30) : index + 30]!r}"


class _Report:
    """Counts as pages are compared; ``labels`` None means a text dump (no declarations)."""

    def __init__(self) -> None:
        self.clock: Counter[str] = Counter()
        self.sets: dict[str, dict[str, Any]] = {}
        self.changed: list[str] = []
        self.legacy: dict[tuple[str, str], list[int]] = {}

    def _both(self, key: str, raw: bytes, labels: list[str | None] | None) -> tuple[str, str]:
        if labels is None:
            return _timed(self.clock, f"{key} previous", previous_dump_rule, raw), _timed(
                self.clock, f"{key} current", decode, raw
            )
        return _timed(self.clock, f"{key} previous", previous_page_rule, raw, labels), _timed(
            self.clock, f"{key} current", decode, raw, labels
        )

    def compare(self, set_name: str, name: str, raw: bytes, labels: list[str | None] | None) -> None:
        row = self.sets.setdefault(set_name, {"pages": 0, "not utf-8": 0, "changed": 0, "reasons": Counter()})
        reason = sniff(raw, labels or ()).reason
        before, after = self._both(set_name, raw, labels)
        row["pages"] += 1
        row["not utf-8"] += reason != "utf-8"
        row["reasons"][reason] += 1
        if before != after:
            row["changed"] += 1
            self.changed.append(f"{name} [{reason}]: {_first_difference(before, after)}")

    def recover(
        self, codec: str, variant: str, raw: bytes, labels: list[str | None] | None, expected: str
    ) -> None:
        before, after = self._both("legacy", raw, labels)
        cell = self.legacy.setdefault((codec, variant), [0, 0, 0])
        cell[0] += 1
        cell[1] += before == expected
        cell[2] += after == expected


def measure(data: Path) -> dict[str, Any]:
    report = _Report()
    for name, raw in extraction_pages(data):
        report.compare("extraction HTML", name, raw, declared(raw, None, None))
        text = raw.decode("utf-8-sig")
        codec = legacy_codec(text)
        if codec:
            for variant, (encoded, content_type) in legacy_variants(text, codec).items():
                labels = declared(encoded, content_type, None)
                report.recover(codec, variant, encoded, labels, encoded.decode(codec))
    for name, raw in text_dumps(data):
        report.compare("text dumps", name, raw, None)
        encoded = raw.decode("utf-8").encode("cp1252", "replace")
        report.recover("cp1252", "text dump", encoded, None, encoded.decode("cp1252"))
    for name, capture in warc_records(data):
        labels = declared(capture.raw, capture.content_type, capture.hints.get("charset"))
        report.compare("WARC/ARC HTML records", name, capture.raw, labels)
    return {
        "as_they_are": {k: {**v, "reasons": dict(v["reasons"])} for k, v in report.sets.items()},
        "changed": report.changed,
        "legacy": [
            {"codec": codec, "variant": variant, "pages": n, "previous": old, "current": new}
            for (codec, variant), (n, old, new) in sorted(report.legacy.items())
        ],
        "seconds": {key: round(value, 3) for key, value in sorted(report.clock.items())},
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        "| set | pages | not UTF-8 | decoded text changed | how the current rule decided |",
        "|---|---|---|---|---|",
    ]
    for set_name, row in report["as_they_are"].items():
        how = ", ".join(f"{reason} {n}" for reason, n in sorted(row["reasons"].items()))
        lines.append(f"| {set_name} | {row['pages']} | {row['not utf-8']} | {row['changed']} | {how} |")
    lines += ["", "| legacy encoding | variant | pages | previous rule exact | current rule exact |"]
    lines.append("|---|---|---|---|---|")
    for row in report["legacy"]:
        lines.append(
            f"| {row['codec']} | {row['variant']} | {row['pages']} | {row['previous']} | {row['current']} |"
        )
    seconds = report["seconds"]
    lines += ["", "Decode time, summed (s): " + ", ".join(f"{key} {value}" for key, value in seconds.items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help=f"shared data folder ({DEFAULT_DATA})"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--markdown", action="store_true", help="print markdown tables (for docs/benchmarks.md)"
    )
    parser.add_argument(
        "--show-changed", action="store_true", help="print each page whose decoded text changed"
    )
    args = parser.parse_args(argv)
    if not (args.data / "extraction").is_dir():
        print(f"no extraction sets under {args.data}", file=sys.stderr)
        return 2
    report = measure(args.data)
    if args.show_changed:
        print("\n".join(report["changed"]), end="\n\n")
    print(json.dumps(report, indent=2) if args.json else markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
