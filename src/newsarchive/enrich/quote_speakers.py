"""Who a pronoun or description speaker is: "she said", "officials said", "a spokesman for X said".

The quote keeps the speaker's own span (what the article wrote, as PolNeAR marks it: "he",
"officials"); only ``speaker_entity`` is filled in. A pronoun or description goes to the nearest
earlier compatible name by the in-article rules of :mod:`newsarchive.enrich.coreference` ("she"
to the nearest woman or person of unknown gender, "the actress" to the name it restated), when that
name is close by; a spokesperson, official, aide or lawyer "for"/"of" a name ("a spokesman for the
Interior Ministry", "officials of Northwind") speaks for that name. "It" and "they" stay unlinked:
the nearest organisation or group was too often not the one that spoke.
"""

from __future__ import annotations

import re
from dataclasses import replace

from newsarchive.enrich.coreference import DESCRIPTION_NOUNS, PRONOUNS, resolve_article
from newsarchive.enrich.entities import ArticleEntities
from newsarchive.model import Enrichment, Mention, Quote

_FOR_RE = re.compile(r"\s*,?\s+(?:for|of|at|with)\s+(?:the\s+)?")
"""Between a description speaker and the name it speaks for ("a spokesman for the ministry")."""
_SPEAKING_FOR = {"person", "group"}
_SPOKESPEOPLE = {
    "spokesman", "spokeswoman", "spokesperson", "spokesmen", "spokeswomen", "spokespeople",
    "official", "officials", "representative", "representatives", "aide", "aides",
    "lawyer", "lawyers", "attorney", "attorneys",
}  # fmt: skip
"""Descriptions of people who speak for someone else ("a spokeswoman for the ministry")."""
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’']*\s+(?=[A-Z“\"])")


def link_speakers(quotes: list[Quote], text: str, offset: int, found: ArticleEntities) -> list[Quote]:
    """``quotes`` of one chunk (``text`` at body ``offset``) with unlinked pronoun and description
    speakers linked to an entity where the article allows; the rest unchanged."""
    open_quotes = [q for q in quotes if q.speaker_entity is None and _resolvable(q)]
    if not open_quotes:
        return quotes
    keys = _references(text, offset, found)
    linked: dict[int, str] = {}
    for quote in open_quotes:
        start, end = quote.speaker_start or 0, quote.speaker_end or 0
        entity = _speaks_for(text, offset, found, quote.speaker or "", end)
        if entity is None:
            entity = _resolved(keys, start, end)
            sentences = 1 if _head(quote.speaker or "") in PRONOUNS else 0
            if entity is not None and not _named_near(text, offset, found, entity, start, sentences):
                entity = None
        if entity is not None:
            linked[id(quote)] = entity
    return [replace(q, speaker_entity=linked[id(q)]) if id(q) in linked else q for q in quotes]


def _resolvable(quote: Quote) -> bool:
    """A speaker a person pronoun or a description of people: "it" and "they" are left alone, as
    the nearest organisation or group is too often not the one that spoke."""
    if quote.speaker_start is None or quote.speaker_end is None or not quote.speaker:
        return False
    head = _head(quote.speaker)
    noun = DESCRIPTION_NOUNS.get(head)
    return PRONOUNS.get(head, ("", ""))[0] == "person" or (noun is not None and noun.kind in _SPEAKING_FOR)


def _head(speaker: str) -> str:
    words = speaker.split()
    return words[-1].lower() if words else ""


def _references(text: str, offset: int, found: ArticleEntities) -> dict[tuple[int, int], str]:
    """Body span -> entity of the chunk's resolved pronouns and descriptions."""
    end = offset + len(text)
    mentions = [
        Mention(m.article_id, m.start - offset, m.end - offset, m.text, m.label, m.entity)
        for m in found.mentions
        if offset <= m.start and m.end <= end
    ]
    enrichment = Enrichment(found.article_id, mentions, list(found.entities.values()))
    keys: dict[tuple[int, int], str] = {}
    for reference in resolve_article(enrichment, text):
        if reference.kind in {"pronoun", "description"} and reference.key.startswith("name:"):
            keys[(reference.start + offset, reference.end + offset)] = reference.key[len("name:") :]
    return keys


def _named_near(
    text: str, offset: int, found: ArticleEntities, entity: str, start: int, sentences: int
) -> bool:
    """Whether ``entity`` is named in the speaker's sentence or up to ``sentences`` before it: a
    pronoun or description further from the name is too often linked wrongly."""
    before = [m.end for m in found.mentions if m.entity == entity and offset <= m.start and m.end <= start]
    if not before:
        return False
    between = text[max(before) - offset : start - offset]
    return len(_SENTENCE_END_RE.findall(between)) <= sentences and "\n\n" not in between


def _resolved(keys: dict[tuple[int, int], str], start: int, end: int) -> str | None:
    """The entity of the reference that ends the speaker span, its head word ("his advisers" are
    not the man "his" refers to)."""
    inside = [(s, name) for (s, e), name in keys.items() if start <= s and e == end]
    return max(inside)[1] if inside else None


def _speaks_for(text: str, offset: int, found: ArticleEntities, speaker: str, speaker_end: int) -> str | None:
    """The name a spokesperson-like speaker speaks for, written right after it."""
    if _head(speaker) not in _SPOKESPEOPLE:
        return None
    link = _FOR_RE.match(text, speaker_end - offset)
    if link is None:
        return None
    at = link.end() + offset
    name = found.entity_at(at, at + 1)
    entity = found.entities.get(name) if name else None
    if entity is None or entity.type not in {"ORG", "PERSON", "GPE"} or not entity.name[:1].isupper():
        return None
    return name
