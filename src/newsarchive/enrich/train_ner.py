"""Training the project's own news NER, reproducibly, in two stages.

``make train-ner`` runs ``python -m newsarchive.enrich.train_ner``. Stage one trains a small CNN
recogniser of names (PER/ORG/LOC/MISC) on CoNLL-2003 ``eng.train`` from ../shared/data, early-stopped
on ``eng.testa``. Stage two trains the model enrichment runs: one recogniser of names *and* of the
dates, times, money and nationalities (NORP) that the shipped ``en_core_web_sm`` gives, so that
enrichment runs one NER instead of two (the second NER cost a third of enrichment's time). Its data
are the CoNLL sentences with their gold names and the shipped model's values beside them, and the
articles of PolNeAR's development half labelled by the teacher of :mod:`newsarchive.enrich.ner_teacher`
(stage one merged with the shipped model, the best of the measured systems on both newswire sets).
The result goes into ``newsarchive/enrich/models/ner_conll``, where :mod:`newsarchive.enrich.nlp`
loads it from the package, without any hub. The model card (MODEL_CARD.md beside it) gives the
data, its terms and the scores.

ALL-CAPS and Title-Case lines are a known weakness of a cased model (headlines, sports tables), so
a share of the training sentences is upper-cased, title-cased or lower-cased by an augmenter: the
gold spans stay, the casing changes.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import spacy
import srsly
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example
from spacy.util import registry
from thinc.api import compounding, fix_random_seed

from newsarchive.enrich.ner_labels import keep_only_labels
from newsarchive.enrich.ner_teacher import TEACHER_PIPE, add_teacher

MODEL_DIR = Path(__file__).parent / "models" / "ner_conll"
MODEL_CARD = "MODEL_CARD.md"
LABELS = ("PER", "ORG", "LOC", "MISC")
"""Stage one's labels, CoNLL's own."""
CONLL_TO_STUDENT = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": "MISC"}
TEACHER_TO_STUDENT = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "GPE",
    "FAC": "GPE",
    "MISC": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "PRODUCT": "MISC",
    "NORP": "NORP",
    "DATE": "DATE",
    "TIME": "TIME",
    "MONEY": "MONEY",
}
"""The teacher's labels as the student's: the OntoNotes names enrichment reads, places as one type
(enrichment makes GPE, LOC and FAC one PLACE), and no numbers or percentages, which it never reads."""
STUDENT_LABELS = tuple(sorted(set(TEACHER_TO_STUDENT.values())))
"""The labels the trained recogniser keeps (``ner_labels.keep_only_labels``)."""
VALUE_LABELS = {"DATE", "TIME", "MONEY"}
"""Types CoNLL does not annotate, taken from the shipped model beside CoNLL's gold names."""
MIN_PARAGRAPH_CHARS = 40
"""Shorter lines of the silver articles (bylines, photo credits) are left out."""
SENTENCES_PER_DOC = 8
"""CoNLL documents are cut into docs of this many sentences: the CNN sees only a few tokens
either side, so longer docs only slow batching down."""

CONFIG = """
[paths]
train = null
dev = null

[system]
seed = 20261202
gpu_allocator = null

[nlp]
lang = "en"
pipeline = ["ner"]
batch_size = 256

[components]

[components.ner]
factory = "ner"
moves = null
scorer = {"@scorers":"spacy.ner_scorer.v1"}
update_with_oracle_cut_size = 100

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 128
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[components.ner.model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = ${components.ner.model.tok2vec.encode.width}
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE", "ORTH"]
rows = [10000, 1000, 5000, 1000, 10000]
include_static_vectors = false

[components.ner.model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 160
depth = 4
window_size = 1
maxout_pieces = 3

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}
max_length = 0
augmenter = {"@augmenters":"newsarchive.case_augmenter.v1","upper":0.06,"title":0.06,"lower":0.04}

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}
max_length = 0

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${system.seed}
gpu_allocator = null
dropout = 0.2
accumulate_gradient = 1
patience = 3000
max_epochs = 0
max_steps = 6000
eval_frequency = 500
frozen_components = []
annotating_components = []
before_to_disk = null

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0
ents_per_type = null

[initialize]
vectors = null
"""


def case_augmenter(
    upper: float, lower: float, title: float = 0.0
) -> Callable[[Language, Example], Iterator[Example]]:
    """Yield each example, and with the given odds an ALL-CAPS, Title-Case or lower-case copy."""
    rng = random.Random(20261202)

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        yield example
        roll = rng.random()
        if roll < upper:
            yield _recased(nlp, example, str.upper)
        elif roll < upper + title:
            yield _recased(nlp, example, str.title)
        elif roll < upper + title + lower:
            yield _recased(nlp, example, str.lower)

    return augment


registry.augmenters.register("newsarchive.case_augmenter.v1", func=case_augmenter)


def _recased(nlp: Language, example: Example, change: Callable[[str], str]) -> Example:
    gold = example.reference
    words = [change(token.text) for token in gold]
    spaces = [bool(token.whitespace_) for token in gold]
    starts: list[bool | int | None] = [bool(token.is_sent_start) for token in gold]
    tags = [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_iob_ in ("B", "I") else "O" for t in gold]
    reference = Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=starts, ents=tags)
    return Example(Doc(nlp.vocab, words=words, spaces=spaces), reference)


def _iob2_tags(length: int, spans: list[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags (what ``Doc(ents=...)`` takes) for token spans."""
    tags = ["O"] * length
    for start, end, label in spans:
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


def read_conll(path: Path) -> Iterator[list[tuple[list[str], list[str]]]]:
    """CoNLL-2003 documents, each a list of (words, IOB1 tags) sentences."""
    document: list[tuple[list[str], list[str]]] = []
    words: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if not parts:
                if words:
                    document.append((words, tags))
                    words, tags = [], []
                continue
            if parts[0] == "-DOCSTART-":
                if document:
                    yield document
                document = []
                continue
            words.append(parts[0])
            tags.append(parts[-1])
    if words:
        document.append((words, tags))
    if document:
        yield document


def iob1_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans from IOB1 tags, where B- only marks a new entity right after one of its type."""
    spans: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        if kind and (prefix == "O" or prefix == "B" or label != kind):
            spans.append((start, i, kind))
            start, kind = -1, ""
        if prefix in ("I", "B") and not kind:
            start, kind = i, label
    return spans


def to_docbin(path: Path, nlp: Language) -> DocBin:
    """The CoNLL file as DocBin docs of SENTENCES_PER_DOC sentences with gold entities."""
    bin_ = DocBin(attrs=["ORTH", "SENT_START", "ENT_IOB", "ENT_TYPE"])
    for document in read_conll(path):
        for first in range(0, len(document), SENTENCES_PER_DOC):
            group = document[first : first + SENTENCES_PER_DOC]
            words: list[str] = []
            starts: list[bool | int | None] = []
            ents: list[tuple[int, int, str]] = []
            for sentence, tags in group:
                base = len(words)
                words.extend(sentence)
                starts.extend([True] + [False] * (len(sentence) - 1))
                ents.extend((base + s, base + e, label) for s, e, label in iob1_spans(tags))
            doc = Doc(nlp.vocab, words=words, sent_starts=starts, ents=_iob2_tags(len(words), ents))
            bin_.add(doc)
    return bin_


def conll_with_values(path: Path, shipped: Language) -> DocBin:
    """The CoNLL file with its gold names in the student's labels and the shipped model's dates,
    times and money where they touch no gold name; a gold MISC the shipped model calls NORP with
    the same boundaries becomes NORP ("German"), as enrichment reads nationalities by that label."""
    recogniser = shipped.get_pipe("ner")
    bin_ = DocBin(attrs=["ORTH", "SENT_START", "ENT_IOB", "ENT_TYPE"])
    for gold in to_docbin(path, shipped).get_docs(shipped.vocab):
        names = [(e.start, e.end, CONLL_TO_STUDENT[e.label_]) for e in gold.ents]
        guess = recogniser(Doc(shipped.vocab, words=[t.text for t in gold]))
        kinds = {(e.start, e.end): e.label_ for e in guess.ents}
        spans = [
            (s, e, "NORP" if label == "MISC" and kinds.get((s, e)) == "NORP" else label)
            for s, e, label in names
        ]
        taken = {i for s, e, _ in names for i in range(s, e)}
        spans += [
            (e.start, e.end, e.label_)
            for e in guess.ents
            if e.label_ in VALUE_LABELS and not taken.intersection(range(e.start, e.end))
        ]
        gold.set_ents([Span(gold, s, e, label=label) for s, e, label in spans], default="outside")
        bin_.add(gold)
    return bin_


def silver_docs(paragraphs: Iterable[str], teacher: Language) -> DocBin:
    """``paragraphs`` (those of at least MIN_PARAGRAPH_CHARS) with the teacher's entities in the student's labels."""
    kept = (text for text in paragraphs if len(text) >= MIN_PARAGRAPH_CHARS)
    bin_ = DocBin(attrs=["ORTH", "SENT_START", "ENT_IOB", "ENT_TYPE"])
    needed = [name for name in teacher.pipe_names if name in ("ner", TEACHER_PIPE)]
    with teacher.select_pipes(enable=needed):
        for doc in teacher.pipe(kept, batch_size=64):
            ents = [
                Span(doc, e.start, e.end, label=TEACHER_TO_STUDENT[e.label_])
                for e in doc.ents
                if e.label_ in TEACHER_TO_STUDENT
            ]
            doc.set_ents(ents, default="outside")
            bin_.add(doc)
    return bin_


REUTERS_ARTICLES = 1500
"""Reuters-21578 stories read for silver paragraphs (the first ones with a body, in file order)."""


def silver_paragraphs(data: Path) -> list[str]:
    """Unannotated news paragraphs for the teacher to label, from three kinds of news in ../shared/data:
    US election coverage of 2015-16 (PolNeAR's development half: the half the quote lexicon was
    counted on, so the held-out half stays unseen), the gold bodies of nine sites' 2005/2009 pages
    (extraction/textdumps) and 1987 Reuters wire stories. Each missing source is named and skipped."""
    from newsarchive.enrich.quote_cues import polnear_part

    paragraphs: list[str] = []
    polnear = data / "corpus" / "polnear-train" / "text"
    dumps = data / "extraction" / "textdumps" / "gold"
    reuters = data / "corpus" / "reuters21578"
    for folder in (polnear, dumps, reuters):
        if not folder.is_dir():
            print(f"{folder} not found: the student learns without it", file=sys.stderr)
    for path in sorted(polnear.glob("*.txt")):
        if polnear_part(path.stem) == 0:
            paragraphs.extend(line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    for path in sorted(dumps.glob("*/*.txt")):
        paragraphs.extend(line.strip() for line in _decoded(path.read_bytes()).splitlines())
    stories = 0
    for path in sorted(reuters.glob("reut2-*.sgm")):
        for body in re.findall(r"<BODY>(.*?)</BODY>", path.read_text(encoding="latin-1"), flags=re.DOTALL):
            if stories >= REUTERS_ARTICLES:
                break
            stories += 1
            text = html.unescape(re.sub(r"\s*Reuter\s*(&#3;)?\s*$", "", body))
            paragraphs.extend(" ".join(part.split()) for part in re.split(r"\n\s{2,}", text))
    return paragraphs


def _decoded(raw: bytes) -> str:
    """UTF-8, or Windows-1252 for the few gold files saved in it (a 2005 page's curly quotes)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def build_teacher(conll_model: Path) -> Language:
    """The shipped pipeline with stage one's recogniser merged after its own."""
    from newsarchive.enrich.nlp import resolve_model_name

    teacher = spacy.load(resolve_model_name())
    add_teacher(teacher, spacy.load(conll_model))
    return teacher


def train(
    data: Path,
    output: Path = MODEL_DIR,
    *,
    max_steps: int | None = None,
    settings: dict[str, str] | None = None,
    teacher: Path | None = None,
) -> Path:
    """Train both stages and write the student (best by testa F1) into ``output``; returns it.

    ``teacher`` is a stage-one model already trained (it skips stage one); ``max_steps`` caps both
    stages; ``settings`` (config overrides) apply to stage one."""
    from newsarchive.enrich.nlp import resolve_model_name

    conll = data / "ner" / "conll2003"
    train_file, dev_file = conll / "eng.train", conll / "eng.testa"
    for needed in (train_file, dev_file):
        if not needed.is_file():
            raise SystemExit(f"{needed} not found: point --data at ../shared/data (it has ner/conll2003/)")
    blank = spacy.blank("en")
    with tempfile.TemporaryDirectory(prefix="newsarchive-ner-") as work:
        folder = Path(work)
        if teacher is None:
            print("stage one: names from CoNLL-2003", file=sys.stderr)
            stage_one = folder / "stage1"
            first = (to_docbin(train_file, blank), to_docbin(dev_file, blank))
            teacher = _fit(stage_one, *first, max_steps, settings or {})
        print(f"stage two: the shipped recogniser taught by {teacher} merged with it", file=sys.stderr)
        shipped = spacy.load(resolve_model_name())
        train_bin = conll_with_values(train_file, shipped)
        train_bin.merge(silver_docs(silver_paragraphs(data), build_teacher(teacher)))
        dev_bin = conll_with_values(dev_file, shipped)
        best = fine_tune(shipped, train_bin, dev_bin, folder / "stage2", max_steps or STAGE_TWO_STEPS)
        # the shipped recogniser's other OntoNotes types were never taught: their moves only cost time
        student = keep_only_labels(spacy.load(best), STUDENT_LABELS)
        card = output / MODEL_CARD
        kept = card.read_bytes() if card.is_file() else None
        if output.exists():
            shutil.rmtree(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        student.to_disk(output)
        _describe(output / "meta.json")
        if kept is not None:  # the card is ours, not the trainer's: a retrain keeps it
            card.write_bytes(kept)
    return output


STAGE_TWO_STEPS = 5000
EVAL_EVERY = 500
SEED = 20261202


def fine_tune(shipped: Language, train_bin: DocBin, dev_bin: DocBin, folder: Path, steps: int) -> Path:
    """Go on training the shipped model's own recogniser on ``train_bin``; returns the directory of
    the step best by ``dev_bin``'s entity F1.

    Starting from the shipped weights, not from scratch, is what keeps what the shipped model knows
    beyond CoNLL (lone surnames, outlet names: ECB+ recall 0.771 against 0.699-0.704 for students
    trained from scratch, docs/decisions.md), and it is the shipped recogniser's size, so one NER
    costs what the shipped one did. Batches grow from 100 to 1,000 words, dropout 0.2, weights
    averaged (as stage one's config), the case augmenter on every example."""
    fix_random_seed(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("en")
    nlp.add_pipe("ner", source=shipped)
    recogniser = nlp.get_pipe("ner")
    if not isinstance(recogniser, EntityRecognizer):
        raise SystemExit(
            f"the shipped pipeline's 'ner' is a {type(recogniser).__name__}, not a spaCy EntityRecognizer"
        )
    for label in sorted(set(TEACHER_TO_STUDENT.values()) - set(recogniser.labels)):
        recogniser.add_label(label)
    references = list(train_bin.get_docs(nlp.vocab))
    dev = [Example(nlp.make_doc(doc.text), doc) for doc in dev_bin.get_docs(nlp.vocab)]
    augment = case_augmenter(upper=0.06, title=0.06, lower=0.04)
    rng = random.Random(SEED)

    def examples() -> Iterator[Example]:
        while True:
            rng.shuffle(references)
            for reference in references:
                yield from augment(nlp, Example(nlp.make_doc(reference.text), reference))

    optimizer = nlp.resume_training()
    sizes = iter(compounding(100.0, 1000.0, 1.001))
    stream = examples()
    best_score, best = -1.0, folder / "model-best"
    for step in range(1, steps + 1):
        size, batch, words = next(sizes), [], 0
        while words < size:
            example = next(stream)
            batch.append(example)
            words += len(example.reference)
        nlp.update(batch, sgd=optimizer, drop=0.2)
        if step % EVAL_EVERY == 0 or step == steps:
            with nlp.use_params(optimizer.averages):
                score = float(nlp.evaluate(dev)["ents_f"] or 0.0)
                print(f"stage two step {step}: dev entity F1 {score:.4f}", file=sys.stderr)
                if score > best_score:
                    best_score = score
                    nlp.to_disk(best)
    return best


def _fit(
    folder: Path, train_bin: DocBin, dev_bin: DocBin, max_steps: int | None, settings: dict[str, str]
) -> Path:
    """spaCy's trainer on the two DocBins with CONFIG; returns the best model's directory."""
    from spacy.cli.train import train as spacy_train

    folder.mkdir(parents=True)
    train_bin.to_disk(folder / "train.spacy")
    dev_bin.to_disk(folder / "dev.spacy")
    config = folder / "config.cfg"
    config.write_text(CONFIG, encoding="utf-8")
    overrides: dict[str, object] = {
        "paths.train": str(folder / "train.spacy"),
        "paths.dev": str(folder / "dev.spacy"),
    }
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
    for key, value in settings.items():
        overrides[key] = srsly.json_loads(value)
    spacy_train(config, folder / "out", overrides=overrides)
    return folder / "out" / "model-best"


def _describe(meta_file: Path) -> None:
    """Name the pipeline in its meta.json, so a copy found elsewhere says what it is and on what terms."""
    meta = srsly.read_json(meta_file)
    meta.update(
        name="newsarchive_ner_conll",
        description="newsarchive's news NER (PER/ORG/LOC/MISC), trained by `make train-ner`; see MODEL_CARD.md",
        author="newsarchive",
        license="weights derived from CoNLL-2003 (Reuters RCV1, research terms): see MODEL_CARD.md",
    )
    srsly.write_json(meta_file, meta)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", type=Path, default=Path(os.environ.get("NEWSARCHIVE_SHARED_DATA", "../shared/data"))
    )
    parser.add_argument("--output", type=Path, default=MODEL_DIR)
    parser.add_argument("--max-steps", type=int, default=None, help="stop early (for a quick check)")
    parser.add_argument(
        "--teacher", type=Path, default=None, help="a stage-one model already trained (skips stage one)"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=JSON",
        help="override a value of stage one's config, e.g. components.ner.model.tok2vec.encode.width=256 (for experiments)",
    )
    args = parser.parse_args(argv)
    settings = dict(item.split("=", 1) for item in args.set)
    written = train(args.data, args.output, max_steps=args.max_steps, settings=settings, teacher=args.teacher)
    print(f"model written to {written}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
