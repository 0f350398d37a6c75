"""Training the project's own news NER (PER/ORG/LOC/MISC) from CoNLL-2003, reproducibly.

``make train-ner`` runs ``python -m newsarchive.enrich.train_ner``: it converts ``eng.train`` (and
``eng.testa`` for development, i.e. early stopping) from ../shared/data into spaCy's DocBin, trains a
small CNN tagger with spaCy's own trainer (fixed seed, config below) and writes the pipeline into
``newsarchive/enrich/models/ner_conll``, where :mod:`newsarchive.enrich.nlp` loads it from the
package, without any hub. The model card (MODEL_CARD.md beside it) gives the data, its terms and
the scores.

ALL-CAPS and Title-Case lines are a known weakness of a cased model (headlines, sports tables), so
a share of the training sentences is upper-cased, title-cased or lower-cased by an augmenter: the
gold spans stay, the casing changes.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.util import registry

MODEL_DIR = Path(__file__).parent / "models" / "ner_conll"
MODEL_CARD = "MODEL_CARD.md"
LABELS = ("PER", "ORG", "LOC", "MISC")
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


def train(
    data: Path,
    output: Path = MODEL_DIR,
    *,
    max_steps: int | None = None,
    settings: dict[str, str] | None = None,
) -> Path:
    """Convert, train and write the best model (by testa F1) into ``output``; returns it."""
    from spacy.cli.train import train as spacy_train

    conll = data / "ner" / "conll2003"
    train_file, dev_file = conll / "eng.train", conll / "eng.testa"
    for needed in (train_file, dev_file):
        if not needed.is_file():
            raise SystemExit(f"{needed} not found: point --data at ../shared/data (it has ner/conll2003/)")
    blank = spacy.blank("en")
    with tempfile.TemporaryDirectory(prefix="newsarchive-ner-") as work:
        folder = Path(work)
        to_docbin(train_file, blank).to_disk(folder / "train.spacy")
        to_docbin(dev_file, blank).to_disk(folder / "dev.spacy")
        config = folder / "config.cfg"
        config.write_text(CONFIG, encoding="utf-8")
        overrides: dict[str, object] = {
            "paths.train": str(folder / "train.spacy"),
            "paths.dev": str(folder / "dev.spacy"),
        }
        if max_steps is not None:
            overrides["training.max_steps"] = max_steps
        for key, value in (settings or {}).items():
            overrides[key] = srsly.json_loads(value)
        spacy_train(config, folder / "out", overrides=overrides)
        best = folder / "out" / "model-best"
        card = output / MODEL_CARD
        kept = card.read_bytes() if card.is_file() else None
        if output.exists():
            shutil.rmtree(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(best, output)
        _describe(output / "meta.json")
        if kept is not None:  # the card is ours, not the trainer's: a retrain keeps it
            card.write_bytes(kept)
    return output


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
        "--set",
        action="append",
        default=[],
        metavar="KEY=JSON",
        help="override a config value, e.g. components.ner.model.tok2vec.encode.width=256 (for experiments)",
    )
    args = parser.parse_args(argv)
    settings = dict(item.split("=", 1) for item in args.set)
    written = train(args.data, args.output, max_steps=args.max_steps, settings=settings)
    print(f"model written to {written}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
