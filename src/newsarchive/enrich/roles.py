"""Titles people hold, from the words around their name: "Russia's Prime Minister Dmitry Medvedev",
"Israeli PM Benjamin Netanyahu", "Dmitry Medvedev, the Russian prime minister".

A title without a country ("President Reuven Rivlin") takes the article's most-mentioned country
whose holder of that title is not already someone else; that is how a reader fills the gap too.
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc, Span, Token

from newsarchive.enrich.entities import (
    _HONORIFICS,
    DEMONYMS,
    PLACE_ALIASES,
    TITLE_WORDS,
    ArticleEntities,
    country_of,
)
from newsarchive.model import Role

TITLE_ABBREVIATIONS = {"pm": "Prime Minister", "sen.": "Senator", "gov.": "Governor", "gen.": "General"}
_NOT_A_ROLE = {"former", "late", "first", "lady", "head", "leader"} | _HONORIFICS
_JOINERS = {"of", "for", "the"}


def extract_roles(doc: Doc, offset: int, found: ArticleEntities, as_of: str | None) -> list[Role]:
    """Roles stated next to each PERSON mention of a parsed chunk."""
    roles: list[Role] = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        name = found.entity_at(ent.start_char + offset, ent.end_char + offset)
        if name is None or found.entities[name].type != "PERSON":
            continue
        for role in (_before(ent, name, offset, found, as_of), _after(ent, name, offset, found, as_of)):
            if role is not None:
                roles.append(role)
                break
    return roles


def _title_text(tokens: list[Token]) -> str | None:
    words = [t for t in tokens if t.lower_ not in _HONORIFICS]
    if not words or any(t.lower_ in {"former", "late"} for t in words):
        return None
    if all(t.lower_ in _NOT_A_ROLE | _JOINERS for t in words):
        return None
    while words and words[-1].lower_ in _JOINERS:
        words.pop()
    parts = [
        TITLE_ABBREVIATIONS.get(t.lower_, t.text if t.text.isupper() and len(t) > 2 else t.text.capitalize())
        for t in words
    ]
    return " ".join(p if p.lower() not in _JOINERS else p.lower() for p in parts)


def _country_token(token: Token, found: ArticleEntities, offset: int) -> str | None:
    country = country_of(token.text)
    if country:
        return country
    if token.ent_type_ in {"GPE", "NORP"}:
        name = found.entity_at(token.idx + offset, token.idx + len(token.text) + offset)
        return name or token.text
    return None


def _before(ent: Span, name: str, offset: int, found: ArticleEntities, as_of: str | None) -> Role | None:
    doc = ent.doc
    i = ent.start
    # spaCy sometimes puts the title inside the PERSON span ("President Reuven Rivlin").
    while i < ent.end - 1 and doc[i].lower_ in TITLE_WORDS:
        i += 1
    title_end = i
    while i > 0 and doc[i - 1].lower_ in TITLE_WORDS and doc[i - 1].sent == ent.sent:
        i -= 1
    if i == title_end:
        return None
    title = _title_text(list(doc[i:title_end]))
    if title is None:
        return None
    country: str | None = None
    j = i - 1
    if j >= 0 and doc[j].lower_ == "the":
        j -= 1
    if j >= 1 and doc[j].tag_ == "POS":
        country = _country_token(doc[j - 1], found, offset)
        i = j - 1 if country else i
    elif j >= 0:
        country = _country_token(doc[j], found, offset)
        i = j if country else i
    if i > 0 and doc[i - 1].lower_ in {"former", "late", "ex", "then"}:
        return None  # "former Swedish PM X" no longer holds the title
    start = doc[i].idx + offset
    return Role(name, title, country, as_of, found.article_id, start, ent.end_char + offset)


def _after(ent: Span, name: str, offset: int, found: ArticleEntities, as_of: str | None) -> Role | None:
    doc = ent.doc
    i = ent.end
    if i >= len(doc) or doc[i].text != ",":
        return None
    i += 1
    country: str | None = None
    if i < len(doc) and doc[i].lower_ == "the":
        i += 1
    if i + 1 < len(doc) and doc[i + 1].tag_ == "POS":
        country = _country_token(doc[i], found, offset)
        i += 2
    elif i < len(doc) and doc[i].lower_ not in TITLE_WORDS:
        country = _country_token(doc[i], found, offset)
        i += 1 if country else 0
    start = i
    while i < len(doc) and doc[i].lower_ in TITLE_WORDS | _JOINERS and doc[i].sent == ent.sent:
        if doc[i].lower_ == "of" and i + 1 < len(doc) and doc[i + 1].lower_ not in TITLE_WORDS:
            break
        i += 1
    title = _title_text(list(doc[start:i]))
    if title is None:
        return None
    if country is None and i + 1 < len(doc) and doc[i].lower_ == "of":
        country = _country_token(doc[i + 1], found, offset)
        i += 2 if country else 0
    return Role(
        name,
        title,
        country,
        as_of,
        found.article_id,
        ent.start_char + offset,
        doc[i - 1].idx + len(doc[i - 1]) + offset,
    )


def fill_missing_countries(roles: list[Role], found: ArticleEntities) -> list[Role]:
    """Give a country to titles stated without one, from the article's context (see module docstring)."""
    known_countries = set(DEMONYMS.values()) | set(PLACE_ALIASES.values())
    countries = Counter(m.entity for m in found.mentions if m.entity in known_countries)
    holders: dict[tuple[str, str], str] = {}
    for role in roles:
        if role.of:
            holders.setdefault((role.title, role.of), role.entity)
    known: dict[tuple[str, str], str] = {(r.entity, r.title): r.of for r in roles if r.of}
    out: list[Role] = []
    for role in roles:
        of = role.of or known.get((role.entity, role.title))
        if of is None:
            for country, _ in countries.most_common():
                holder = holders.get((role.title, country))
                if holder is None or holder == role.entity:
                    of = country
                    break
        out.append(Role(role.entity, role.title, of, role.as_of, role.article_id, role.start, role.end))
    return out


def summarise(roles: list[Role]) -> list[Role]:
    """One role per (entity, title, country): the first evidence in the article."""
    seen: set[tuple[str, str, str | None]] = set()
    unique: list[Role] = []
    for role in sorted(roles, key=lambda r: r.start):
        key = (role.entity, role.title, role.of)
        if key not in seen:
            seen.add(key)
            unique.append(role)
    return unique
