"""Cross-document entity coreference on ECB+ participants (HUMAN_* markables), scored with B³.

Run: ``python bench/coreference_quality.py [--data DIR] [--limit N] [--markdown] [--all-sentences]``.

Gold: every HUMAN_* markable with tokens is a mention; its cluster is the instance of the
CROSS_DOC_COREF relation it is a source of, else its INTRA_DOC_COREF chain, else itself alone.
By default only the sentences ECB+ lists as annotated for coreference
(ECBplus_coreference_sentences.csv) are scored, as its README advises: outside them mentions were
marked but rarely linked. Systems assign each gold mention a cluster key:

- baseline: the mention's text lower-cased, punctuation and whitespace normalised; one string, one cluster.
- ours: the document text is rebuilt from the tokens and enriched (``enrich_many``); a gold
  mention takes the canonical entity name (what the store groups entities by across articles)
  of our entity mention overlapping it most; a gold mention no entity mention overlaps is alone.
- ours + coreference: the same enrichment, then ``newsarchive.enrich.coreference`` (in-document
  pronouns and descriptions, cross-document name variants within the collection).
- archive: what an archive stores and answers. The enrichments are written to a SQLite store (one
  per collection) and read back; its mentions of every kind (names, and the pronouns, descriptions
  and speakers ``enrich_many`` resolves to a named entity) are keyed by the entity the store's
  ``entity_links`` table (``coreference.relink_archive``, run by ingest) links their name to, so
  "Obama" and "Barack Obama" are one key. Two parts of it are scored too: names only with the
  links, and every kind with the exact canonical name.

B³ (Bagga & Baldwin 1998), mention-level: for each mention, precision is the share of its
response cluster that is in its gold cluster, recall the share of its gold cluster that is in its
response cluster; both are averaged over all mentions (pooled over topics, not per-topic means).
"Within topics" (the usual ECB+ setting): each topic is one collection and a response cluster
never spans two topics (6 gold clusters do); "whole corpus": the 982 texts are one collection,
so a key shared across topics is one cluster.

Halves: the topics are split by their number, odd topics the development half (study its errors),
even topics the held-out half (the figure that counts, never looked at). Each half is also scored
as a whole corpus of its own: its texts alone are one collection (one archive).
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsarchive.model import Enrichment

ECB_FOLDER = Path("events") / "ecbplus"
NO_SPACE_BEFORE = {
    ",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'S", "n't", "'re", "'ve", "'ll", "'d", "'m", "''",
}  # fmt: skip
"""ECB+ tokens written against the word before them when the text is rebuilt."""
NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}
"""ECB+ tokens the next word is written against."""
QUOTES = {"``": '"', "''": '"'}


@dataclass(slots=True, frozen=True)
class GoldMention:
    """One HUMAN_* markable: where it is in the rebuilt text and the gold cluster it belongs to."""

    doc: str
    topic: str
    m_id: str
    tag: str
    start: int
    end: int
    text: str
    cluster: str
    selected: bool


@dataclass(slots=True)
class EcbDocument:
    """One ECB+ text rebuilt from its tokens, with its gold participant mentions."""

    name: str
    topic: str
    text: str
    mentions: list[GoldMention] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class BCubed:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __str__(self) -> str:
        return f"P {self.precision:.3f} R {self.recall:.3f} F1 {self.f1:.3f}"


def b_cubed(gold: Mapping[Hashable, Hashable], response: Mapping[Hashable, Hashable]) -> BCubed:
    """B³ of a response clustering against gold; both map the same mentions to a cluster key.

    Per mention m: P = |G(m) ∩ R(m)| / |R(m)|, R = |G(m) ∩ R(m)| / |G(m)|, averaged over mentions.
    """
    if set(gold) != set(response):
        raise ValueError("gold and response must cluster the same mentions")
    if not gold:
        return BCubed(0.0, 0.0)
    both = Counter((gold[m], response[m]) for m in gold)
    gold_size = Counter(gold.values())
    response_size = Counter(response.values())
    precision = recall = 0.0
    for (g, r), shared in both.items():
        # each of the ``shared`` mentions scores shared/|R| and shared/|G|
        precision += shared * shared / response_size[r]
        recall += shared * shared / gold_size[g]
    return BCubed(precision / len(gold), recall / len(gold))


# --- ECB+ ------------------------------------------------------------------------------------------


def detokenise(words: list[list[str]]) -> tuple[str, list[list[tuple[int, int]]]]:
    """Sentences of tokens as news-like text (one sentence a line) and each token's (start, end)."""
    parts: list[str] = []
    spans: list[list[tuple[int, int]]] = []
    pos = 0
    for number, sentence in enumerate(words):
        if number:
            parts.append("\n")
            pos += 1
        sentence_spans = []
        glue = True
        for word in sentence:
            shown = QUOTES.get(word, word)
            if not glue and word not in NO_SPACE_BEFORE and shown:
                parts.append(" ")
                pos += 1
            sentence_spans.append((pos, pos + len(shown)))
            parts.append(shown)
            pos += len(shown)
            glue = word in NO_SPACE_AFTER or not shown
        spans.append(sentence_spans)
    return "".join(parts), spans


def read_selection(folder: Path) -> set[tuple[str, int]] | None:
    """(document name, sentence number) pairs ECB+ annotated for coreference; None without the list."""
    path = folder / "ECB+_LREC2014" / "ECBplus_coreference_sentences.csv"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as handle:
        return {(f"{r['Topic']}_{r['File']}", int(r["Sentence Number"])) for r in csv.DictReader(handle)}


def read_ecb(folder: Path, limit: int | None = None) -> list[EcbDocument]:
    """ECB+ texts (sorted by topic, then name) with their HUMAN_* mentions and gold clusters."""
    selection = read_selection(folder) or set()
    paths = sorted((folder / "ECB+").glob("*/*.xml"), key=lambda p: (int(p.parent.name), p.name))
    documents = []
    for path in paths[: limit or None]:
        documents.append(_read_document(path, selection))
    return documents


def _read_document(path: Path, selection: set[tuple[str, int]]) -> EcbDocument:
    root = ET.parse(path).getroot()
    name = path.stem
    topic = name.split("_", 1)[0]
    sentences: dict[int, list[str]] = {}
    where: dict[str, tuple[int, int]] = {}
    for token in root.iter("token"):
        number = int(token.get("sentence", "0"))
        words = sentences.setdefault(number, [])
        where[token.get("t_id", "")] = (number, len(words))
        words.append(token.text or "")
    order = sorted(sentences)
    text, spans = detokenise([sentences[n] for n in order])
    line = {n: i for i, n in enumerate(order)}
    chains: dict[str, str] = {}
    relations = root.find("Relations")
    for relation in relations if relations is not None else []:
        if relation.tag == "CROSS_DOC_COREF":
            cluster = relation.get("note", "")
        elif relation.tag == "INTRA_DOC_COREF":
            target = relation.find("target")
            cluster = f"{name}:chain:{target.get('m_id') if target is not None else relation.get('r_id')}"
        else:
            continue
        for source in relation.findall("source"):
            chains[source.get("m_id", "")] = cluster
    document = EcbDocument(name, topic, text)
    markables = root.find("Markables")
    for markable in markables if markables is not None else []:
        anchors = [
            where[a.get("t_id", "")] for a in markable.findall("token_anchor") if a.get("t_id") in where
        ]
        if not markable.tag.startswith("HUMAN") or not anchors:
            continue
        anchors.sort()
        (s0, i0), (s1, i1) = anchors[0], anchors[-1]
        start, end = spans[line[s0]][i0][0], spans[line[s1]][i1][1]
        m_id = markable.get("m_id", "")
        document.mentions.append(
            GoldMention(
                name,
                topic,
                m_id,
                markable.tag,
                start,
                end,
                text[start:end],
                chains.get(m_id, f"{name}:{m_id}"),
                (name, s0) in selection,
            )
        )
    return document


# --- systems ---------------------------------------------------------------------------------------

MentionKey = tuple[str, str]
"""(document name, m_id): one gold mention."""
HALVES = ("development", "held-out")


def half_of(topic: str) -> str:
    """The half a topic is in: odd topic numbers are for development, even ones held out."""
    return HALVES[0] if int(topic) % 2 else HALVES[1]


def same_name(text: str) -> str:
    """The baseline's key: lower case, punctuation as space, whitespace collapsed."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def baseline_keys(documents: Iterable[EcbDocument]) -> dict[MentionKey, str | None]:
    return {(m.doc, m.m_id): same_name(m.text) or None for d in documents for m in d.mentions}


def overlapping_entity(start: int, end: int, spans: list[tuple[int, int, str]]) -> str | None:
    """The entity of the span overlapping ``start:end`` most (the first such on a tie); None if none does."""
    best, best_overlap = None, 0
    for s, e, entity in spans:
        overlap = min(e, end) - max(s, start)
        if overlap > best_overlap:
            best, best_overlap = entity, overlap
    return best


def system_keys(
    documents: list[EcbDocument], spans_of: Mapping[str, list[tuple[int, int, str]]]
) -> dict[MentionKey, str | None]:
    """Each gold mention's cluster key from a system's (start, end, key) spans of its document."""
    return {
        (m.doc, m.m_id): overlapping_entity(m.start, m.end, spans_of.get(d.name, []))
        for d in documents
        for m in d.mentions
    }


def scores(
    documents: list[EcbDocument],
    keys: Mapping[MentionKey, str | None],
    within_topics: bool,
    selected_only: bool,
    half: str | None = None,
) -> BCubed:
    """B³ of one system's keys (over one half's topics only, if ``half``); a None key is a singleton."""
    gold: dict[Hashable, Hashable] = {}
    response: dict[Hashable, Hashable] = {}
    for document in documents:
        if half is not None and half_of(document.topic) != half:
            continue
        for m in document.mentions:
            if selected_only and not m.selected:
                continue
            mention = (m.doc, m.m_id)
            gold[mention] = m.cluster
            key = keys[mention]
            if key is None:
                response[mention] = ("alone", mention)
            else:
                response[mention] = (m.topic, key) if within_topics else key
    return b_cubed(gold, response)


@dataclass(slots=True, frozen=True)
class System:
    """One system's key for each gold mention: with each topic a collection, with the corpus one,
    and with each half of the corpus one (``halves``, by half; the corpus keys when absent)."""

    name: str
    by_topic: Mapping[MentionKey, str | None]
    corpus: Mapping[MentionKey, str | None]
    halves: Mapping[str, Mapping[MentionKey, str | None]] = field(default_factory=dict)

    def keys(self, within_topics: bool, half: str | None) -> Mapping[MentionKey, str | None]:
        if within_topics:
            return self.by_topic
        return self.halves.get(half, self.corpus) if half is not None else self.corpus


def run_ours(documents: list[EcbDocument], model: str, with_coreference: bool) -> tuple[list[System], float]:
    """Enrich every text once; our systems (plain, and with coreference.py) and the seconds it took."""
    from newsarchive.enrich.nlp import load_nlp
    from newsarchive.enrich.pipeline import enrich_many

    nlp = load_nlp(model)
    print(f"enriching {len(documents)} ECB+ texts...", file=sys.stderr)
    started = time.perf_counter()
    enrichments = list(enrich_many([(d.name, d.text, None) for d in documents], nlp))
    seconds = time.perf_counter() - started
    plain = system_keys(
        documents,
        {
            e.article_id: [
                (m.start, m.end, m.entity) for m in e.mentions if m.entity is not None and m.kind == "name"
            ]
            for e in enrichments
        },
    )
    systems = [System("ours: canonical entity name", plain, plain)]
    if not with_coreference:
        return systems, seconds
    systems.extend(archive_systems(documents, enrichments))
    from newsarchive.enrich import coreference

    topic_of = {d.name: d.topic for d in documents}
    text_of = {d.name: d.text for d in documents}
    pairs = [(e, text_of[e.article_id]) for e in enrichments]
    topics = sorted(set(topic_of.values()), key=int)

    def keys(
        collections: list[list[tuple[Enrichment, str]]], link_descriptions: bool
    ) -> dict[MentionKey, str | None]:
        spans: dict[str, list[tuple[int, int, str]]] = {}
        for collection in collections:
            for article_id, references in coreference.link_collection(collection, link_descriptions).items():
                spans[article_id] = [(r.start, r.end, r.key) for r in references]
        return system_keys(documents, spans)

    by_topic = [[p for p in pairs if topic_of[p[0].article_id] == t] for t in topics]
    by_half = {h: [p for p in pairs if half_of(topic_of[p[0].article_id]) == h] for h in HALVES}
    for name, link_descriptions in (
        ("ours + coreference.py", True),
        ("ours + coreference.py, descriptions per text", False),
    ):
        halves = {h: keys([collection], link_descriptions) for h, collection in by_half.items()}
        systems.append(
            System(name, keys(by_topic, link_descriptions), keys([pairs], link_descriptions), halves)
        )
    return systems, seconds


def archive_systems(documents: list[EcbDocument], enrichments: list[Enrichment]) -> list[System]:
    """The archive's answers: each collection (a topic, or the corpus) stored in a SQLite store,
    linked as ingest links it, and its stored mentions keyed by their linked entity."""
    import tempfile

    from newsarchive.enrich.coreference import relink_archive
    from newsarchive.store.sqlite import SQLiteStore

    topic_of = {d.name: d.topic for d in documents}
    at = "2026-12-04T00:00:00Z"

    def stored(collection: list[Enrichment]) -> tuple[list[Enrichment], dict[str, str]]:
        with tempfile.TemporaryDirectory() as folder:
            store = SQLiteStore(Path(folder) / "archive.sqlite")
            try:
                with store.transaction():
                    for e in collection:
                        store.put_enrichment(e, "", at)
                relink_archive(store)
                return [store.enrichment_of(e.article_id) for e in collection], store.entity_links()
            finally:
                store.close()

    topics = sorted(set(topic_of.values()), key=int)
    by_topic = [stored([e for e in enrichments if topic_of[e.article_id] == t]) for t in topics]
    corpus = [stored(enrichments)]
    by_half = {h: [stored([e for e in enrichments if half_of(topic_of[e.article_id]) == h])] for h in HALVES}

    def keys(
        collections: list[tuple[list[Enrichment], dict[str, str]]], every_kind: bool, linked: bool
    ) -> dict[MentionKey, str | None]:
        spans: dict[str, list[tuple[int, int, str]]] = {}
        for read, links in collections:
            for e in read:
                spans[e.article_id] = [
                    (m.start, m.end, links.get(m.entity, m.entity) if linked else m.entity)
                    for m in e.mentions
                    if m.entity is not None and (every_kind or m.kind == "name")
                ]
        return system_keys(documents, spans)

    return [
        System(
            name,
            keys(by_topic, every_kind, linked),
            keys(corpus, every_kind, linked),
            {h: keys(half, every_kind, linked) for h, half in by_half.items()},
        )
        for name, every_kind, linked in (
            ("archive: stored mentions of every kind, canonical name", True, False),
            ("archive: names, entity_links", False, True),
            ("archive: stored mentions of every kind, entity_links", True, True),
        )
    ]


# --- report ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default = os.environ.get("NEWSARCHIVE_SHARED_DATA") or str(
        Path(__file__).resolve().parents[1].parent / "shared" / "data"
    )
    parser.add_argument("--data", default=default, help="the shared data folder")
    parser.add_argument("--limit", type=int, default=None, help="ECB+ texts to read (default: all 982)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--model", default="en_core_web_sm", help="spaCy model name or path")
    parser.add_argument("--baseline-only", action="store_true", help="skip the enrichment run")
    parser.add_argument("--no-coreference", action="store_true", help="skip newsarchive.enrich.coreference")
    args = parser.parse_args(argv)
    folder = Path(args.data) / ECB_FOLDER
    if not (folder / "ECB+").is_dir():
        print(
            f"ECB+ not found at {folder / 'ECB+'}; skipped (pass --data, the shared data folder)",
            file=sys.stderr,
        )
        return 2
    documents = read_ecb(folder, args.limit)
    baseline = baseline_keys(documents)
    systems = [System("same normalised name (baseline)", baseline, baseline)]
    seconds = None
    if not args.baseline_only:
        ours, seconds = run_ours(documents, args.model, with_coreference=not args.no_coreference)
        systems.extend(ours)
    rows = []
    settings: list[tuple[str, bool, bool, str | None]] = [
        ("within topics, annotated sentences", True, True, None),
        ("whole corpus, annotated sentences", False, True, None),
        ("within topics, all sentences", True, False, None),
    ]
    for part in HALVES:
        settings.extend(
            [
                (f"{part}: within topics, annotated", True, True, part),
                (f"{part}: whole half, annotated", False, True, part),
            ]
        )
    for setting, within, selected, half in settings:
        for system in systems:
            keys = system.keys(within, half)
            rows.append((setting, system.name, scores(documents, keys, within, selected, half)))
    print(_report(documents, rows, systems, seconds, args.markdown))
    return 0


def _report(
    documents: list[EcbDocument],
    rows: list[tuple[str, str, BCubed]],
    systems: list[System],
    seconds: float | None,
    markdown: bool,
) -> str:
    selected = [m for d in documents for m in d.mentions if m.selected]
    clusters = Counter(m.cluster for m in selected)
    every = [m for d in documents for m in d.mentions]
    facts = (
        f"{len(documents)} texts in {len({d.topic for d in documents})} topics; "
        f"{len(selected)} gold HUMAN_* mentions in annotated sentences in {len(clusters)} gold clusters "
        f"({sum(1 for n in clusters.values() if n > 1)} with more than one mention, "
        f"{sum(1 for n in clusters.values() if n == 1)} singletons); {len(every)} mentions in all sentences "
        f"in {len({m.cluster for m in every})} clusters"
    )
    coverage = []
    for system in systems[1:]:
        linked = sum(1 for m in selected if system.by_topic[(m.doc, m.m_id)] is not None)
        coverage.append(f"{system.name}: {linked}/{len(selected)} annotated mentions given a key")
    if seconds is not None:
        coverage.append(f"enrichment of the texts took {seconds:.0f} s")
    lines = []
    if markdown:
        lines.append("| setting | system | B³ P | B³ R | B³ F1 |\n|---|---|---|---|---|")
        lines.extend(
            f"| {s} | {name} | {b.precision:.3f} | {b.recall:.3f} | {b.f1:.3f} |" for s, name, b in rows
        )
        lines.append("")
        lines.extend(f"- {line}" for line in [facts, *coverage])
    else:
        lines.extend(f"{s:40} {name:55} {b}" for s, name, b in rows)
        lines.extend([facts, *coverage])
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
