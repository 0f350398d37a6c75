"""The pipeline's attribute ruler (tag -> part of speech and morphology, plus word exceptions) as a table.

spaCy's ``attribute_ruler`` runs its ~180 rules through the token Matcher, which cost 14% of
enrichment's spaCy time (docs/benchmarks.md) for what is a lookup: every rule of the shipped
English pipelines tests only a token's tag, lower-case form, dependency label or whether it is a
space, and a few test two tokens in a row. Here each distinct (tag, lower, dep, is_space) of a
document is matched once and its merged attributes set on every token with it; the rules, their
order (a later rule wins) and the attribute setter are the ruler's own, so the results are the
same (tests/enrich/test_attribute_table.py compares them token by token on real text).

A ruler whose patterns use anything else (operators, other attributes) is left in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_type_hints

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

Signature = tuple[str, str, str, bool]
"""(tag, lower, dep, is_space): everything a supported rule may test of one token."""
Test = Callable[[Signature], bool]

_FIELDS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}


@dataclass(slots=True, frozen=True)
class _Rule:
    order: int
    tests: tuple[Test, ...]
    """One per token of the pattern."""
    index: int
    """Which of the matched tokens gets the attributes (negative counts from the end)."""
    attrs: dict[Any, Any]
    """Normalised, as the ruler keeps them for ``set_token_attrs``."""
    key: tuple[int, str] | None
    """An exact (field, value) the first token must have, to find the rule by (None: test it always)."""


class UnsupportedPattern(ValueError):
    """A pattern this table cannot evaluate; the ruler is kept."""


def _value_test(field: int, spec: Any) -> Test:
    if isinstance(spec, dict):
        if set(spec) == {"IN"}:
            allowed = frozenset(spec["IN"])
            return lambda s: s[field] in allowed
        if set(spec) == {"NOT_IN"}:
            banned = frozenset(spec["NOT_IN"])
            return lambda s: s[field] not in banned
        if set(spec) == {"REGEX"} and field != 3:
            pattern = re.compile(spec["REGEX"])
            return lambda s: pattern.search(s[field]) is not None
        raise UnsupportedPattern(f"predicate {spec!r}")
    if isinstance(spec, (str, bool)):
        return lambda s: s[field] == spec
    raise UnsupportedPattern(f"value {spec!r}")


def _token_test(token_pattern: Mapping[str, Any]) -> Test:
    tests = []
    for key, spec in token_pattern.items():
        if key not in _FIELDS:
            raise UnsupportedPattern(f"attribute {key!r}")
        tests.append(_value_test(_FIELDS[key], spec))
    return lambda s: all(test(s) for test in tests)


def _key(token_pattern: Mapping[str, Any]) -> tuple[int, str] | None:
    for name in ("LOWER", "TAG"):  # the lower-case form is the more selective
        value = token_pattern.get(name)
        if isinstance(value, str):
            return _FIELDS[name], value
    return None


def _rules(ruler: AttributeRuler) -> list[_Rule]:
    rules = []
    for order, attrs in enumerate(ruler.attrs):
        index = ruler.indices[order]
        for pattern in ruler.matcher.get(str(order))[1]:
            if not pattern:
                raise UnsupportedPattern("empty pattern")
            tests = tuple(_token_test(p) for p in pattern)
            rules.append(_Rule(order, tests, index, attrs, _key(pattern[0])))
    return rules


class AttributeTable:
    """A drop-in for a loaded ``AttributeRuler`` (``__call__``, ``pipe``), built from its rules; it
    keeps the ruler to save and load them, so a pipeline written with ``nlp.to_disk`` reads back
    the same rules (into a table again)."""

    def __init__(self, rules: Sequence[_Rule] = (), ruler: AttributeRuler | None = None) -> None:
        self.ruler = ruler
        self.load(rules)

    def load(self, rules: Sequence[_Rule]) -> None:
        self._single = [r for r in rules if len(r.tests) == 1]
        self._multi = [r for r in rules if len(r.tests) > 1]
        self._keyed: dict[tuple[int, str], list[_Rule]] = {}
        self._general: list[_Rule] = []
        for rule in self._single:
            if rule.key is None:
                self._general.append(rule)
            else:
                self._keyed.setdefault(rule.key, []).append(rule)
        self._merged: dict[Signature, dict[Any, Any]] = {}
        self._starts: dict[Signature, list[_Rule]] = {}

    @classmethod
    def from_ruler(cls, ruler: AttributeRuler) -> AttributeTable:
        return cls(_rules(ruler), ruler)

    def _saved(self) -> AttributeRuler:
        if self.ruler is None:
            raise ValueError("this attribute table was made without its ruler: nothing to save or load into")
        return self.ruler

    def to_disk(self, path: Any, *, exclude: Iterable[str] = ()) -> None:
        self._saved().to_disk(path, exclude=exclude)

    def from_disk(self, path: Any, *, exclude: Iterable[str] = ()) -> AttributeTable:
        self.load(_rules(self._saved().from_disk(path, exclude=exclude)))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return bytes(self._saved().to_bytes(exclude=exclude))

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> AttributeTable:
        self.load(_rules(self._saved().from_bytes(data, exclude=exclude)))
        return self

    def __call__(self, doc: Doc) -> Doc:
        signatures = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]
        spans = self._multi_matches(doc, signatures)
        covered = {i for _, start, end, _ in spans for i in range(start, end)}
        for i, signature in enumerate(signatures):
            if i in covered:
                continue
            attrs = self._merged.get(signature)
            if attrs is None:
                attrs = self._merged[signature] = self._merge(signature)
            if attrs:
                set_token_attrs(doc[i], attrs)
        if covered:
            self._apply_in_order(doc, signatures, spans, sorted(covered))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def _matching(self, signature: Signature) -> list[_Rule]:
        """The one-token rules ``signature`` meets, in rule order."""
        candidates = (
            self._keyed.get((0, signature[0]), []) + self._keyed.get((1, signature[1]), []) + self._general
        )
        candidates.sort(key=lambda r: r.order)
        return [r for r in candidates if r.tests[0](signature)]

    def _merge(self, signature: Signature) -> dict[Any, Any]:
        merged: dict[Any, Any] = {}
        for rule in self._matching(signature):  # a later rule's value replaces an earlier one's
            merged.update(rule.attrs)
        return merged

    def _multi_matches(self, doc: Doc, signatures: list[Signature]) -> list[tuple[int, int, int, _Rule]]:
        if not self._multi:
            return []
        found = []
        for start, signature in enumerate(signatures):
            candidates = self._starts.get(signature)
            if candidates is None:
                candidates = self._starts[signature] = [r for r in self._multi if r.tests[0](signature)]
            for rule in candidates:
                end = start + len(rule.tests)
                if end <= len(doc) and all(
                    test(signatures[start + k]) for k, test in enumerate(rule.tests[1:], 1)
                ):
                    found.append((rule.order, start, end, rule))
        return found

    def _apply_in_order(
        self,
        doc: Doc,
        signatures: list[Signature],
        spans: list[tuple[int, int, int, _Rule]],
        covered: list[int],
    ) -> None:
        """Tokens a two-token rule touches: every match, as the ruler orders them (rule, start, end)."""
        wanted = set(covered)
        matches: list[tuple[int, int, int, Token, dict[Any, Any]]] = []
        for i in covered:
            for rule in self._matching(signatures[i]):
                matches.append((rule.order, i, i + 1, doc[i], rule.attrs))
        for order, start, end, rule in spans:
            target = doc[start:end][rule.index]
            if target.i in wanted:
                matches.append((order, start, end, target, rule.attrs))
        matches.sort(key=lambda m: m[:3])
        for *_, token, attrs in matches:
            set_token_attrs(token, attrs)


def use_attribute_table(nlp: Language) -> bool:
    """Put an ``AttributeTable`` in the place of ``nlp``'s attribute ruler; False (ruler kept)
    when there is none or one of its patterns is beyond the table."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    if not isinstance(ruler, AttributeRuler):
        return False
    try:
        rules = _rules(ruler)
    except UnsupportedPattern:
        return False
    table = nlp.replace_pipe("attribute_ruler", FACTORY)
    assert isinstance(table, AttributeTable)
    table.ruler = ruler
    table.load(rules)
    return True


FACTORY = "newsarchive_attribute_table"


@Language.factory(FACTORY)
def _make_table(nlp: Language, name: str) -> AttributeTable:
    """Registered so the pipeline's config names what runs; ``use_attribute_table`` fills it, and
    ``spacy.load`` of a saved pipeline through ``from_disk`` (its ruler's own files)."""
    return AttributeTable(ruler=AttributeRuler(nlp.vocab, name))


# spaCy checks a factory's arguments through pydantic v1, which cannot read postponed annotations
_make_table.__annotations__ = get_type_hints(_make_table)
