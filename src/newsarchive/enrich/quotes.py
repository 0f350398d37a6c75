"""Direct and reported speech: who said what, with the cue word that attributes it.

Direct quotes are found from quotation marks and a speech verb next to them ("…," the statement
said / X said: "…"); reported speech from the parse (a speech verb with a clausal complement, or
"according to X"). A speaker that is a document ("the statement") is traced back to whoever issued
it earlier in the article, and pronouns to the last person named, so quotes link to entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newsarchive.enrich.entities import (
    TITLE_WORDS,
    ArticleEntities,
    actor_name,
    country_of,
    doc_text,
    nominal_name,
)
from newsarchive.model import Quote

SPEECH_VERBS = {
    "say", "tell", "announce", "state", "claim", "add", "note", "warn", "insist", "argue", "explain",
    "deny", "report", "write", "hint", "declare", "confirm", "acknowledge", "admit", "assert", "believe",
    "think", "suggest", "predict", "promise", "reveal", "stress", "emphasize", "emphasise", "comment",
    "remark", "respond", "reply", "recall", "contend", "maintain", "allege", "estimate", "indicate",
    "conclude", "ask", "urge", "tweet", "observe", "point", "mention", "vow", "pledge", "caution", "charge",
    "complain", "concede", "tout", "boast", "fear", "hope", "expect", "know", "feel", "agree",
}  # fmt: skip
DOCUMENT_NOUNS = {"statement", "report", "release", "communique", "letter", "memo", "study", "survey", "poll"}
"""Speakers that are texts: the quote belongs to whoever issued them."""
PRONOUNS = {"he", "she", "him", "her"}
_QUOTE_RE = re.compile(r"[“\"]([^“”\"]{12,}?)[”\"]")
_SUBJECTS = {"nsubj", "nsubjpass"}


@dataclass(slots=True)
class _Speaker:
    text: str
    start: int
    end: int
    entity: str | None


def extract_quotes(doc: Doc, offset: int, found: ArticleEntities) -> list[Quote]:
    """Quotes of one parsed chunk; offsets are into the article body (chunk offset added)."""
    quotes: list[Quote] = []
    covered: list[tuple[int, int]] = []
    for match in _QUOTE_RE.finditer(doc_text(doc)):
        quote = _direct(doc, match, offset, found)
        if quote is not None:
            quotes.append(quote)
            covered.append((match.start(), match.end()))
    for token in doc:
        if token.idx and any(s <= token.idx < e for s, e in covered):
            continue
        quote = _reported(token, offset, found)
        if quote is not None and not any(
            s < quote.end - offset and quote.start - offset < e for s, e in covered
        ):
            quotes.append(quote)
    return sorted(quotes, key=lambda q: q.start)


def _direct(doc: Doc, match: re.Match[str], offset: int, found: ArticleEntities) -> Quote | None:
    content_start, content_end = match.start(1), match.end(1)
    inside = doc.char_span(match.start(), match.end(), alignment_mode="expand")
    if inside is None:
        return None
    # A cue after the closing mark in the same sentence ("…," the statement said.) ...
    for token in doc[inside.end : min(len(doc), inside.end + 12)]:
        if token.is_sent_start or token.text in {"“", '"'}:
            break
        if _is_cue(token):
            speaker = _speaker_of(token, found, offset)
            if speaker is not None:
                return _quote(doc, token, speaker, content_start, content_end, offset, True, found.article_id)
    # ... or before the opening mark (X said: "…").
    for token in reversed(doc[max(0, inside.start - 12) : inside.start]):
        if _is_cue(token):
            speaker = _speaker_of(token, found, offset)
            if speaker is not None:
                return _quote(doc, token, speaker, content_start, content_end, offset, True, found.article_id)
        if token.is_sent_start:
            break
    return None


def _is_cue(token: Token) -> bool:
    return token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in SPEECH_VERBS


def _reported(token: Token, offset: int, found: ArticleEntities) -> Quote | None:
    if token.lower_ == "according" and token.dep_ == "prep":
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if source is None:
            return None
        speaker = _speaker_from(source, found, offset)
        clause = token.head
        skip = {t.i for t in token.subtree}
        parts = [t for t in clause.subtree if t.i not in skip and not t.is_punct]
        if not parts:
            return None
        start, end = parts[0].idx, parts[-1].idx + len(parts[-1])
        return _quote(token.doc, token, speaker, start, end, offset, False, found.article_id)
    if not _is_cue(token):
        return None
    content = next(
        (c for c in token.children if c.dep_ in {"ccomp", "xcomp"} and c.pos_ in {"VERB", "AUX"}), None
    )
    if content is None or (
        content.dep_ == "xcomp" and token.lemma_ not in {"promise", "vow", "pledge", "urge"}
    ):
        return None
    subject = _speaker_of(token, found, offset)
    if subject is None:
        return None
    words = list(content.subtree)
    while words and (words[-1].is_punct or words[-1].dep_ == "cc"):
        words.pop()
    if len(words) < 3:
        return None
    start, end = words[0].idx, words[-1].idx + len(words[-1])
    return _quote(token.doc, token, subject, start, end, offset, False, found.article_id)


def _quote(
    doc: Doc, cue: Token, speaker: _Speaker, start: int, end: int, offset: int, direct: bool, article_id: str
) -> Quote:
    return Quote(
        speaker=speaker.text,
        speaker_entity=speaker.entity,
        cue=cue.text,
        text=doc_text(doc)[start:end],
        article_id=article_id,
        start=start + offset,
        end=end + offset,
        direct=direct,
        speaker_start=speaker.start,
        speaker_end=speaker.end,
    )


def _speaker_of(cue: Token, found: ArticleEntities, offset: int) -> _Speaker | None:
    """The subject of the cue, climbing through "saying"/"to say"-style clauses to the one that has it."""
    verb: Token | None = cue
    for _ in range(4):
        if verb is None:
            break
        subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
        if subject is not None:
            if subject.dep_ == "nsubjpass":
                agent = next((c for c in verb.children if c.dep_ == "agent"), None)
                subject = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
                if subject is None:
                    return None
            return _speaker_from(subject, found, offset)
        if verb.dep_ in {"acl", "advcl", "xcomp", "conj", "relcl"} and verb.head.i != verb.i:
            verb = verb.head if verb.head.pos_ in {"VERB", "AUX"} else _governing_verb(verb.head)
        else:
            break
    return None


def _governing_verb(token: Token) -> Token | None:
    while token.head.i != token.i:
        token = token.head
        if token.pos_ in {"VERB", "AUX"}:
            return token
    return None


def _speaker_from(head: Token, found: ArticleEntities, offset: int) -> _Speaker:
    """Describe a speaker noun phrase and link it to an entity where the article allows."""
    words = [t for t in head.subtree if t.dep_ not in {"relcl", "acl", "punct"}]
    left = [t for t in head.lefts if t.dep_ not in {"punct", "cc"}]
    phrase = [*left, head] if left or head.pos_ != "PROPN" else words
    phrase = [t for t in phrase if t.i <= head.i] or [head]
    start, end = phrase[0].idx, head.idx + len(head)
    text = doc_text(head.doc)[start:end]
    nominal = nominal_name(head)
    if nominal is not None:
        entity: str | None = found.add_nominal(nominal, start + offset, end + offset, text)
    elif head.lower_ in TITLE_WORDS:
        # "Russian President promised …": the person the article names with that title.
        country = next((country_of(t.text) for t in head.lefts if country_of(t.text)), None)
        entity = found.holder(_title_phrase(head), country)
    else:
        entity = found.entity_at(head.idx + offset, head.idx + len(head) + offset)
        entity = entity or found.entity_at(start + offset, end + offset)
        entity = actor_name(entity) if entity else None
    if entity is None and head.pos_ == "PROPN":
        entity = found.person_named(head.text)
    if entity is None and head.lower_ in PRONOUNS:
        entity = found.people_before(head.idx + offset)
    if entity is None and head.lemma_.lower() in DOCUMENT_NOUNS:
        issuer = _issuer_of(head, found, offset)
        if issuer is not None:
            return _Speaker(issuer.text, issuer.start, issuer.end, issuer.entity)
    return _Speaker(text, start + offset, end + offset, entity)


def _title_phrase(head: Token) -> str:
    words = [t.text for t in head.lefts if t.dep_ == "compound" and t.lower_ in TITLE_WORDS]
    return " ".join([*words, head.text]).title()


def _issuer_of(document: Token, found: ArticleEntities, offset: int) -> _Speaker | None:
    """Who issued the last earlier "statement": the subject of its verb, or a modifier ("embassy statement")."""
    doc = document.doc
    lemma = document.lemma_.lower()
    modifier_only: _Speaker | None = None
    for token in reversed(doc[: document.i]):
        if token.lemma_.lower() != lemma:
            continue
        if token.dep_ in {"dobj", "obj"} and token.head.pos_ == "VERB":
            subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                return _speaker_from(subject, found, offset)
        for child in token.lefts:
            if child.dep_ in {"compound", "poss"} and child.lemma_.lower() != lemma and modifier_only is None:
                modifier_only = _speaker_from(child, found, offset)
    if modifier_only is not None and modifier_only.entity is not None:
        return modifier_only
    for child in document.lefts:
        if child.dep_ in {"compound", "poss"}:
            return _issuer_of(child, found, offset) or _speaker_from(child, found, offset)
    return modifier_only
