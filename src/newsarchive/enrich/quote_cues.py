"""The learned quote-cue lexicon: how a word is keyed, how the counts are derived, how it is read.

``data/quote_cues.txt`` holds, for each lemma/POS (and verb + preposition), the counted facts
"times inside an annotated attribution cue" and "times seen with the dependents a cue needs,
outside attributed content" on the PolNeAR train articles whose file-name md5 is even
(``polnear_part`` 0); the odd half is held out for measuring. ``main`` re-derives it
(``python -m newsarchive.enrich.quote_cues ../shared/data/corpus/polnear-train``); a word is a
cue when ``MIN_CUE_COUNT`` and ``MIN_CUE_RATIO`` hold.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

CUE_FILE = Path(__file__).parent / "data" / "quote_cues.txt"
LEXICON_HEADER = (
    "lemma/POS, times inside a PolNeAR attribution cue, times in the text; derived by "
    "`python -m newsarchive.enrich.quote_cues POLNEAR_DIR --part 0` (see polnear_part)"
)
LEXICON_POS = {"VERB", "NOUN", "ADJ"}
MIN_CUE_RATIO = 0.45
"""A lexicon word is a cue when at least this share of its uses (with the dependents a cue needs,
outside attributed content: where the rules could fire) were annotated cues, and at least
``MIN_CUE_COUNT`` were; chosen on the learning half (0.35–0.6 all give F1 within 0.005 there),
checked on the held-out one."""
MIN_CUE_COUNT = 3
COMPLEMENTS = {"ccomp", "xcomp", "acl", "dobj", "obj", "prep", "oprd"}
"""Dependents that can hold what a cue attributes."""


def polnear_part(name: str) -> int:
    """0 or 1: which half of PolNeAR an article is in (md5 of its file name), so the lexicon is
    learned on one half and the other half stays held out for measuring."""
    return hashlib.md5(name.encode("utf-8")).digest()[0] % 2


Marked = list[tuple[int, int, str]]
"""Gold character spans of one article, each with its kind ("Cue" or "Content")."""


def polnear_cue_spans(folder: Path, part: int) -> Iterator[tuple[str, str, Marked]]:
    """(name, text, cue and content spans of attributions that have a source) of one half of
    PolNeAR, first annotator's file per article."""
    chosen: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        chosen.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    for name, ann in sorted(chosen.items()):
        text_path = folder / "text" / f"{name}.txt"
        if polnear_part(name) != part or not text_path.exists():
            continue
        spans: dict[str, list[tuple[int, int]]] = {}
        marked: Marked = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if line.startswith("T") and len(fields) >= 3:
                ranges = fields[1].partition(" ")[2].split(";")
                spans[fields[0]] = [(int(r.split()[0]), int(r.split()[1])) for r in ranges]
            elif line.startswith("E") and len(fields) >= 2:
                args = dict(a.split(":", 1) for a in fields[1].split() if ":" in a)
                if "Source" in args and args.get("Cue") in spans:
                    marked += [(s, e, "Cue") for s, e in spans[args["Cue"]]]
                    marked += [(s, e, "Content") for s, e in spans.get(args.get("Content", ""), [])]
        yield name, text_path.read_text(encoding="utf-8"), marked


def count_cues(docs: Iterable[tuple[Doc, int, Marked]]) -> tuple[Counter[str], Counter[str]]:
    """(as cue, in all) counts of ``lemma/POS`` keys over parsed chunks with their gold spans.

    Only words outside attributed content count: the annotation gives each word one role, so a
    cue inside another attribution's content is never marked, and ``extract_quotes`` likewise
    keeps the outer attribution only."""
    as_cue: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for doc, offset, marked in docs:
        cues = [(s, e) for s, e, kind in marked if kind == "Cue"]
        contents = [(s, e) for s, e, kind in marked if kind == "Content"]
        inside = {t.i for t in doc if any(s <= t.idx + offset < e for s, e in cues)}
        for token in doc:
            if any(s <= token.idx + offset < e for s, e in contents):
                continue
            if token.pos_ in LEXICON_POS:
                if not has_slots(token):
                    continue  # counted where the rules could fire: the share is their precision
                key = cue_key(token)
            elif token.dep_ == "prep" and token.head.pos_ == "VERB":
                key = prep_key(token.head, token)  # "call for", "refer to": the verb and its preposition
            else:
                continue
            seen[key] += 1
            if token.i in inside and (token.pos_ in LEXICON_POS or token.head.i in inside):
                as_cue[key] += 1
    return as_cue, seen


def lexicon_lines(as_cue: Counter[str], seen: Counter[str], min_count: int = 3) -> list[str]:
    """The data file's lines: ``key<TAB>times a cue<TAB>times seen``, most frequent cues first."""
    rows = [(k, n, seen[k]) for k, n in as_cue.items() if n >= min_count]
    rows.sort(key=lambda row: (-row[1], row[0]))
    return [f"{k}\t{n}\t{total}" for k, n, total in rows]


@lru_cache(maxsize=1)
def cue_lexicon() -> frozenset[str]:
    """The learned cue keys (``lemma/POS``, ``verb prep/PREP``) that pass the thresholds."""
    return frozenset(key for key, as_cue, seen in _counted() if as_cue >= MIN_CUE_RATIO * seen)


@lru_cache(maxsize=1)
def clause_cues() -> frozenset[str]:
    """Verbs annotated as cues often enough but too often used otherwise to be cues by themselves
    ("found it difficult", "see an opening"): with a that-clause they attribute it ("the study
    found that …", "they know that …")."""
    return frozenset(
        key for key, as_cue, seen in _counted() if key.endswith("/VERB") and as_cue < MIN_CUE_RATIO * seen
    )


def _counted() -> Iterator[tuple[str, int, int]]:
    """The data file's keys used as cues at least ``MIN_CUE_COUNT`` times, with both counts."""
    for line in CUE_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        key, as_cue, seen = line.split("\t")
        if int(as_cue) >= MIN_CUE_COUNT:
            yield key, int(as_cue), int(seen)


def has_slots(token: Token) -> bool:
    """Whether ``token`` has the dependents a cue of its part of speech needs: a complement for a
    verb, a holder and a complement for a noun, a copula and a complement for an adjective."""
    complement = any(c.dep_ in COMPLEMENTS for c in token.children)
    if token.pos_ == "VERB":
        return complement
    if token.pos_ == "ADJ":
        return complement and token.dep_ in {"acomp", "oprd"}
    holder = any(c.dep_ == "poss" for c in token.children) or token.dep_ in {"dobj", "obj"}
    return complement and holder


def cue_key(token: Token) -> str:
    """The lexicon key of a word: its lemma and part of speech."""
    return f"{token.lemma_.lower()}/{token.pos_}"


def prep_key(verb: Token, prep: Token) -> str:
    return f"{verb.lemma_.lower()} {prep.lower_}/PREP"


def main(argv: list[str] | None = None) -> int:
    """Re-derive the cue lexicon: ``python -m newsarchive.enrich.quote_cues POLNEAR_DIR [--part 0]``."""
    from newsarchive.enrich.nlp import load_nlp

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("polnear", type=Path, help="folder with attributions/ and text/")
    parser.add_argument("--part", type=int, default=0, choices=[0, 1])
    parser.add_argument("--out", type=Path, default=CUE_FILE)
    parser.add_argument("--min-count", type=int, default=MIN_CUE_COUNT, help="fewest cue uses to list a word")
    args = parser.parse_args(argv)
    nlp = load_nlp()
    articles = list(polnear_cue_spans(args.polnear, args.part))
    parsed = nlp.pipe(((text, spans) for _, text, spans in articles), as_tuples=True)
    as_cue, seen = count_cues((doc, 0, spans) for doc, spans in parsed)
    header = [f"# {LEXICON_HEADER}", f"# articles: {len(articles)} (part {args.part})"]
    args.out.write_text(
        "\n".join([*header, *lexicon_lines(as_cue, seen, args.min_count)]) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
