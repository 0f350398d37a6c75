"""Language search quality: recall of the spellings a reader types for a word printed otherwise (issue 13).

Run: .venv/bin/python bench/language_search.py [--data DIR] [--per-row 25] [--json FILE]

Two tantivy indexes hold the same articles, side by side in one run:
- ours: each article's language picks its analyzer (``index.analyzers``: Arabic normalisation and
  light stemmer, Snowball stemmers), as the archive indexes it now;
- before: the same articles written as index schema 5 wrote them, every title and body with the
  English analyzer, and searched as then.

Corpora
- fixtures: ``tests/fixtures/arabic/articles.jsonl`` (fictional Arabic, French, German and English
  articles we wrote); each row's query must find every article holding a form of its word.
- arabic: the Arabic articles of ``../shared/data`` (the CNN Arabic page of the newspaper4k set, its
  goose3 copy when it differs) and the fixtures' Arabic articles. For every printed word showing a
  feature of the issue's table, the spelling a reader would type instead is generated — diacritics
  and tatweel dropped, a hamza alef typed bare, final ة typed ه, final ى/ي typed as the other, a
  word with an attached article (وال بال كال فال لل) typed with ال, one with ال typed bare or with
  و — and searched for; recall is the share of those queries that find the article. A Lucene-style
  Arabic analyzer folds all of these forms, so the target is >= 95% of what it finds.
Reported: recall per table row and corpus, for ours and before.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_DATA, ROOT

from newsarchive.index.base import IndexEntry, IndexQuery, Phrase
from newsarchive.index.tantivy_index import TantivyIndex, _pack_hit
from newsarchive.model import Article

FIXTURES = ROOT / "tests" / "fixtures" / "arabic" / "articles.jsonl"

_HARAKAT = re.compile("[\u064b-\u0652]")
_HAMZA_ALEF = re.compile("[\u0623\u0625\u0622]")
_WORD = re.compile("[\u0621-\u0652\u0640\u0670]+")
_ATTACHED = (
    "\u0648\u0627\u0644",
    "\u0628\u0627\u0644",
    "\u0643\u0627\u0644",
    "\u0641\u0627\u0644",
)  # وال بال كال فال
_AL, _LIL, _WAW = "\u0627\u0644", "\u0644\u0644", "\u0648"


@dataclass(frozen=True)
class Probe:
    """One search a reader makes: ``query`` typed for ``printed`` in article ``article_id``."""

    row: str
    article_id: str
    printed: str
    query: str


def typed_forms(word: str) -> list[tuple[str, str]]:
    """(row, query) pairs: how a reader may type this printed word, one per feature it shows."""
    forms: list[tuple[str, str]] = []
    if _HARAKAT.search(word):
        forms.append(("diacritics", _HARAKAT.sub("", word).replace("\u0640", "")))
    bare = _HARAKAT.sub("", word)
    if "\u0640" in bare:
        forms.append(("tatweel", bare.replace("\u0640", "")))
    bare = bare.replace("\u0640", "")
    if _HAMZA_ALEF.search(bare):
        forms.append(("hamza alef", _HAMZA_ALEF.sub("\u0627", bare)))
    if bare.endswith("\u0629") and len(bare) >= 3:
        forms.append(("taa marbuta", bare[:-1] + "\u0647"))
    if bare.endswith("\u0649") and len(bare) >= 3:
        forms.append(("alef maqsura", bare[:-1] + "\u064a"))
    elif bare.endswith("\u064a") and len(bare) >= 4:
        forms.append(("alef maqsura", bare[:-1] + "\u0649"))
    for prefix in _ATTACHED:
        if bare.startswith(prefix) and len(bare) - len(prefix) >= 3:
            forms.append(("prefixes", _AL + bare[len(prefix) :]))
            break
    else:
        if bare.startswith(_LIL) and len(bare) >= 5:
            forms.append(("prefixes", _AL + bare[2:]))
        elif bare.startswith(_AL) and len(bare) >= 5:
            forms.append(("prefixes", bare[2:]))
            forms.append(("prefixes", _WAW + bare))
    return [(row, query) for row, query in forms if query != word]


def probes(article: Article, per_row: int, rng: random.Random) -> list[Probe]:
    by_row: dict[str, list[Probe]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for word in _WORD.findall(f"{article.title}\n{article.body}"):
        for row, query in typed_forms(word):
            if (row, query) not in seen:
                seen.add((row, query))
                by_row[row].append(Probe(row, article.id, word, query))
    chosen: list[Probe] = []
    for row_probes in by_row.values():
        chosen.extend(rng.sample(row_probes, min(per_row, len(row_probes))))
    return chosen


def _found(index: TantivyIndex, query: str, article_id: str) -> bool:
    # a quoted phrase: the word as typed, analysed however the index analyses it
    result = index.search(IndexQuery(Phrase(query)), limit=1000, offset=0, facets=False, snippets=False)
    return any(h.hit.id == article_id for h in result.hits)


def real_arabic_articles(data: Path) -> list[Article]:
    articles: list[Article] = []
    gold = data / "extraction" / "newspaper4k" / "txt" / "arabic_article.txt"
    if gold.exists():
        body = gold.read_text(encoding="utf-8")
        articles.append(_article("newspaper4k-arabic", body.split("\n", 1)[0][:120], body, "ar"))
    goose = data / "extraction" / "goose3" / "content" / "test_cnn_arabic.json"
    if goose.exists():
        expected = json.loads(goose.read_text(encoding="utf-8")).get("expected", {})
        if isinstance(expected, str):
            expected = {}
        text = str(expected.get("cleaned_text") or "")
        if text and not any(_same(text, a.body) for a in articles):
            articles.append(_article("goose3-cnn-arabic", str(expected.get("title") or ""), text, "ar"))
    return articles


def _same(a: str, b: str) -> bool:
    return " ".join(a.split())[:300] == " ".join(b.split())[:300]


def _article(article_id: str, title: str, body: str, language: str) -> Article:
    return Article(
        id=article_id,
        title=title,
        body=body,
        source="bench",
        site="bench.example",
        published=None,
        language=language,
    )


def _indexes(articles: list[Article], root: Path) -> dict[str, TantivyIndex]:
    ours = TantivyIndex(root / "ours")
    ours.write([IndexEntry(a) for a in articles])
    return {"ours": ours, "before": _before(articles, root / "before")}


def _before(articles: list[Article], path: Path) -> TantivyIndex:
    """An index holding every article in ``title``/``body`` (en_stem), the documents index schema 5
    wrote; with no other family recorded, queries are compiled as they were then."""
    index = TantivyIndex(path)
    writer = index._get_writer()
    for a in articles:
        doc = tantivy.Document()
        doc.add_text("id", a.id)
        doc.add_text("title", a.title)
        doc.add_text("body", a.body)
        doc.add_boolean("canonical", True)
        doc.add_bytes("hit", _pack_hit(a, 1, 1))
        writer.add_document(doc)
    index._commit(writer)
    index._writer = None
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--per-row", type=int, default=25, help="probes per table row and article")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    rows = [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines()]
    fixture_articles = [_article(r["id"], r["title"], r["body"], r["language"]) for r in rows]
    real = real_arabic_articles(args.data)
    if not real:
        print(f"note: no Arabic pages under {args.data}; the real-page corpus is empty", file=sys.stderr)
    figures: dict[str, Any] = {"real_arabic_articles": [a.id for a in real]}

    with tempfile.TemporaryDirectory() as tmp:
        indexes = _indexes(fixture_articles + real, Path(tmp))
        # fixtures: every article holding a form of the row's word is found by the row's query
        fixture_recall: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        for row in rows:
            wanted = {r["id"] for r in rows if r["word"] == row["word"]}
            for name, index in indexes.items():
                hits = {
                    h.hit.id
                    for h in index.search(
                        IndexQuery(Phrase(row["query"])), limit=100, offset=0, facets=False, snippets=False
                    ).hits
                }
                counts = fixture_recall[row["language"]][name]
                counts[0] += len(wanted & hits)
                counts[1] += len(wanted)
        figures["fixtures"] = {lang: dict(v) for lang, v in fixture_recall.items()}

        # variant spellings generated from the Arabic articles' own words
        corpora = {
            "real pages": [a for a in real],
            "fixtures (ar)": [a for a in fixture_articles if a.language == "ar"],
        }
        variant: dict[str, dict[str, dict[str, list[int]]]] = {}
        misses: list[dict[str, str]] = []
        for corpus, articles in corpora.items():
            table: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
            for article in articles:
                for probe in probes(article, args.per_row, rng):
                    for name, index in indexes.items():
                        ok = _found(index, probe.query, probe.article_id)
                        for row in (probe.row, "all"):
                            table[row][name][0] += ok
                            table[row][name][1] += 1
                        if name == "ours" and not ok:
                            misses.append({"corpus": corpus, **probe.__dict__})
            variant[corpus] = {row: dict(v) for row, v in table.items()}
        figures["variants"] = variant
        figures["misses"] = misses[:50]
        for index in indexes.values():
            index.close()

    print("Fixtures: articles found by each row's query (found / expected)\n")
    print("| language | ours | before |\n|---|---|---|")
    for lang, counts in figures["fixtures"].items():
        print(f"| {lang} | {_ratio(counts['ours'])} | {_ratio(counts['before'])} |")
    for corpus, table in figures["variants"].items():
        print(f"\n{corpus}: variant spellings that find their article (found / probes)\n")
        print("| row | ours | before |\n|---|---|---|")
        for row in ("diacritics", "tatweel", "hamza alef", "taa marbuta", "alef maqsura", "prefixes", "all"):
            if row in table:
                print(f"| {row} | {_ratio(table[row]['ours'])} | {_ratio(table[row]['before'])} |")
    if misses:
        print(f"\n{len(misses)} probes missed by ours, e.g.:")
        for miss in misses[:10]:
            print(
                f"  {miss['row']}: typed {miss['query']} for printed {miss['printed']} ({miss['article_id']})"
            )
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")


def _ratio(counts: list[int]) -> str:
    found, total = counts
    return f"{found}/{total} ({100 * found / total:.1f}%)" if total else "—"


if __name__ == "__main__":
    main()
