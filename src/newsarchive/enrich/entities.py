"""Mentions from spaCy's entities, and canonical entities within an article and across the archive.

Within an article a surname-only mention ("Putin") resolves to the full name used elsewhere in it
("Vladimir Putin"); titles and possessives are trimmed so "President Putin's" names Putin; demonyms
link to their country ("Israeli" -> Israel). Across articles ``merge_entities`` joins entities by a
normalised name and by surname when exactly one full name fits.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsarchive.model import Entity, Mention, Role

ENTITY_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
"""spaCy labels that become canonical entities, and the entity type each gives."""
VALUE_LABELS = {"DATE", "MONEY", "NORP"}
"""Labels kept as mentions; NORP links to a country when it is a known demonym."""

DEMONYMS = {
    "afghan": "Afghanistan", "american": "United States", "argentine": "Argentina", "australian": "Australia",
    "austrian": "Austria", "belgian": "Belgium", "brazilian": "Brazil", "british": "United Kingdom",
    "canadian": "Canada", "chinese": "China", "colombian": "Colombia", "cuban": "Cuba", "czech": "Czech Republic",
    "danish": "Denmark", "dutch": "Netherlands", "egyptian": "Egypt", "emirati": "United Arab Emirates",
    "english": "England", "ethiopian": "Ethiopia", "european": "Europe", "finnish": "Finland",
    "french": "France", "german": "Germany", "greek": "Greece", "hungarian": "Hungary", "indian": "India",
    "indonesian": "Indonesia", "iranian": "Iran", "iraqi": "Iraq", "irish": "Ireland", "israeli": "Israel",
    "italian": "Italy", "japanese": "Japan", "jordanian": "Jordan", "kenyan": "Kenya", "korean": "Korea",
    "kuwaiti": "Kuwait", "lebanese": "Lebanon", "libyan": "Libya", "mexican": "Mexico",
    "moroccan": "Morocco", "nigerian": "Nigeria", "north korean": "North Korea", "norwegian": "Norway",
    "pakistani": "Pakistan", "palestinian": "Palestine", "polish": "Poland", "portuguese": "Portugal",
    "qatari": "Qatar", "romanian": "Romania", "russian": "Russia", "saudi": "Saudi Arabia",
    "scottish": "Scotland", "serbian": "Serbia", "somali": "Somalia", "south african": "South Africa",
    "south korean": "South Korea", "soviet": "Soviet Union", "spanish": "Spain", "sudanese": "Sudan",
    "swedish": "Sweden", "swiss": "Switzerland", "syrian": "Syria", "taiwanese": "Taiwan", "thai": "Thailand",
    "tunisian": "Tunisia", "turkish": "Turkey", "ukrainian": "Ukraine", "venezuelan": "Venezuela",
    "vietnamese": "Vietnam", "welsh": "Wales", "yemeni": "Yemen",
}  # fmt: skip
PLACE_ALIASES = {
    "us": "United States", "u.s.": "United States", "u.s": "United States", "usa": "United States",
    "u.s.a.": "United States", "america": "United States", "the united states": "United States",
    "united states of america": "United States", "uk": "United Kingdom", "u.k.": "United Kingdom",
    "britain": "United Kingdom", "great britain": "United Kingdom", "russian federation": "Russia",
    "prc": "China", "uae": "United Arab Emirates",
}  # fmt: skip
TITLE_WORDS = {
    "president", "vice", "prime", "minister", "pm", "chancellor", "king", "queen", "prince", "princess",
    "secretary", "senator", "sen.", "rep.", "representative", "governor", "gov.", "mayor", "ambassador",
    "general", "gen.", "colonel", "col.", "chairman", "chairwoman", "ceo", "chief", "executive", "pope",
    "foreign", "defense", "defence", "finance", "interior", "justice", "state", "deputy", "speaker",
    "spokesman", "spokeswoman", "spokesperson", "leader", "commander", "director", "head", "mr.", "mrs.",
    "ms.", "dr.", "mr", "mrs", "ms", "dr", "sheikh", "emir", "sultan", "premier", "envoy", "judge",
    "attorney", "lt.", "sgt.", "adm.", "admiral", "crown", "first", "lady", "former", "late",
}  # fmt: skip
ORG_NOUNS = {
    "embassy", "government", "ministry", "army", "military", "police", "navy", "parliament", "cabinet",
    "court", "administration", "forces", "regime", "presidency", "office", "consulate", "delegation",
    "authorities", "troops", "party", "opposition", "rebels", "militants", "security",
}  # fmt: skip
"""Head nouns of nominal organisations ("Russian embassy") that act and speak like named ones."""

_HONORIFICS = {"mr", "mrs", "ms", "dr", "mr.", "mrs.", "ms.", "dr.", "sir"}
PERSON_TITLES = _HONORIFICS | {
    "president", "minister", "pm", "premier", "chancellor", "king", "queen", "prince", "princess", "pope",
    "senator", "sen.", "rep.", "governor", "gov.", "mayor", "ambassador", "envoy", "secretary", "colonel",
    "col.", "gen.", "lt.", "sgt.", "adm.", "admiral", "chairman", "chairwoman", "ceo", "spokesman",
    "spokeswoman", "spokesperson", "sheikh", "emir", "sultan", "judge", "leader", "director", "commander",
}  # fmt: skip
"""Titles that, written capitalised just before a name ("PM Karin Lund"), make it a person whatever
the recogniser said: a lone name after a title is read as a place or firm often enough to matter."""
_TITLED_RELABEL = {"ORG", "GPE", "LOC", "FAC", "MISC"}
CAPITALS = {
    "moscow": "Russia", "kremlin": "Russia", "tel aviv": "Israel", "jerusalem": "Israel",
    "washington": "United States", "white house": "United States", "beijing": "China", "london": "United Kingdom",
    "paris": "France", "berlin": "Germany", "tehran": "Iran", "damascus": "Syria", "kiev": "Ukraine",
    "kyiv": "Ukraine", "ankara": "Turkey", "tokyo": "Japan", "cairo": "Egypt", "riyadh": "Saudi Arabia",
    "baghdad": "Iraq", "pyongyang": "North Korea", "seoul": "South Korea", "new delhi": "India",
    "islamabad": "Pakistan", "kabul": "Afghanistan", "beirut": "Lebanon", "amman": "Jordan", "rome": "Italy",
    "madrid": "Spain", "ottawa": "Canada", "canberra": "Australia", "havana": "Cuba", "caracas": "Venezuela",
    "warsaw": "Poland", "athens": "Greece", "doha": "Qatar", "tripoli": "Libya", "khartoum": "Sudan",
}  # fmt: skip
"""Seats of government that news uses for the government itself ("Moscow warned"); event-data coding
conventions (CAMEO, PLOVER) code such actors as the country, so events do too (locations stay the city)."""


def actor_name(name: str) -> str:
    """The name to use for an event actor or speaker: a capital acting stands for its country."""
    return CAPITALS.get(normalise(name), name)


_DIRECTION_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""LRM, RLM, embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069): invisible, never part
of a name (the same set as ``text.arabic.DIRECTION_MARKS``; enrich imports nothing of ours but model)."""
_NO_MARKS = {ord(c): None for c in _DIRECTION_MARKS}


def clean_name(text: str) -> str:
    """A name as it should be stored and shown: without the invisible direction marks."""
    return text.translate(_NO_MARKS)


def normalise(name: str) -> str:
    """A comparison key: accents, case, punctuation and a leading "the" do not matter."""
    text = unicodedata.normalize("NFKD", name.translate(_NO_MARKS))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[’'`]s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"^the\s+", "", " ".join(text.split()))
    return text


def country_of(word: str) -> str | None:
    """The country a demonym or country alias names, or None."""
    key = " ".join(word.casefold().replace("’", "'").split())
    key = re.sub(r"'s$", "", key)
    if key in DEMONYMS:
        return DEMONYMS[key]
    if key.endswith("s") and key[:-1] in DEMONYMS:  # "Israelis", "Russians"
        return DEMONYMS[key[:-1]]
    return PLACE_ALIASES.get(key)


@dataclass(slots=True)
class ArticleEntities:
    """Mentions of one article and the canonical entity each resolves to, keyed by body offsets."""

    article_id: str
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    by_span: dict[tuple[int, int], str] = field(default_factory=dict)
    _index: list[tuple[int, int, str]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)
    _longest: int = 0

    def entity_at(self, start: int, end: int) -> str | None:
        """The canonical entity of a mention overlapping ``start:end`` (first by position)."""
        if len(self._index) != len(self.by_span):
            self._index = sorted((s, e, name) for (s, e), name in self.by_span.items())
            self._starts = [s for s, _, _ in self._index]
            self._longest = max((e - s for s, e, _ in self._index), default=0)
        i = bisect_left(self._starts, end)
        best: str | None = None
        while i > 0 and self._index[i - 1][0] >= start - self._longest:
            m_start, m_end, name = self._index[i - 1]
            if m_start < end and start < m_end:
                best = name
            i -= 1
        return best

    def people_before(self, position: int) -> str | None:
        """The last PERSON entity mentioned before ``position``; how a pronoun is read."""
        self.entity_at(0, 0)  # refresh the index
        i = bisect_left(self._starts, position)
        while i > 0:
            name = self._index[i - 1][2]
            entity = self.entities.get(name)
            if entity is not None and entity.type == "PERSON":
                return name
            i -= 1
        return None

    def holder(self, title: str, of: str | None) -> str | None:
        """The person this article names as holder of ``title`` (of ``of``), when exactly one is."""
        names = {
            e.name
            for e in self.entities.values()
            if any(r.title.lower() == title.lower() and (of is None or r.of == of) for r in e.roles)
        }
        return names.pop() if len(names) == 1 else None

    def person_named(self, word: str) -> str | None:
        """The one PERSON entity whose last name is ``word`` (NER sometimes misses a lone surname)."""
        key = normalise(word)
        names = [
            e.name
            for e in self.entities.values()
            if e.type == "PERSON" and normalise(e.name).split()[-1:] == [key]
        ]
        return names[0] if len(names) == 1 else None

    def add_role(self, role: Role) -> None:
        entity = self.entities.get(role.entity)
        if entity is not None:
            entity.roles.append(role)

    def add_nominal(self, name: str, start: int, end: int, text: str) -> str:
        """Register a nominal organisation ("Russian embassy") as an ORG entity; returns its name."""
        name = clean_name(name)
        entity = self.entities.setdefault(name, Entity(name=name, type="ORG", articles=1))
        if (start, end) not in self.by_span:
            entity.mentions += 1
            self.by_span[(start, end)] = name
            self.mentions.append(Mention(self.article_id, start, end, text, "ORG", name))
        return name


def doc_text(doc: Doc) -> str:
    """``doc.text`` rebuilds the string from every token on each call; keep it once per Doc."""
    text = doc.user_data.get("newsarchive_text")
    if not isinstance(text, str):
        text = doc.user_data["newsarchive_text"] = doc.text
    return text


def _trim(span: Span) -> tuple[int, int] | None:
    """Token bounds of the name proper: no leading "the"/titles, no trailing possessive or punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or doc[start].is_punct):
        start += 1
    if span.label_ == "PERSON":
        while end - start > 1 and doc[start].lower_ in TITLE_WORDS | _HONORIFICS:
            start += 1
    while end > start and (
        doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].lower_ in {"'s", "’s"}
    ):
        end -= 1
    return (start, end) if end > start else None


def extract_mentions(doc: Doc, offset: int, article_id: str) -> list[Mention]:
    """Raw mentions (entity still unset) of one parsed chunk; ``offset`` maps chunk offsets to the body."""
    found: list[Mention] = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS and ent.label_ not in VALUE_LABELS:
            continue
        bounds = _trim(ent)
        if bounds is None:
            continue
        start_char, end_char = doc[bounds[0]].idx, doc[bounds[1] - 1].idx + len(doc[bounds[1] - 1].text)
        chunk = doc_text(doc)
        while start_char < end_char and chunk[start_char] in _DIRECTION_MARKS:
            start_char += 1
        while end_char > start_char and chunk[end_char - 1] in _DIRECTION_MARKS:
            end_char -= 1
        text = chunk[start_char:end_char]
        if ent.label_ in ENTITY_LABELS and not any(c.isalpha() for c in text):
            continue
        found.append(Mention(article_id, start_char + offset, end_char + offset, text, ent.label_))
    return found


def relabel_titled(doc: Doc) -> None:
    """Make a name right after a capitalised person title a PERSON in ``doc`` itself, so that
    mentions, roles, quotes and events all read the same label."""
    if any(_titled(ent) for ent in doc.ents):
        doc.ents = [Span(doc, e.start, e.end, label="PERSON") if _titled(e) else e for e in doc.ents]


def _titled(ent: Span) -> bool:
    """A capitalised person title right before a capitalised name the recogniser typed otherwise."""
    if ent.label_ not in _TITLED_RELABEL or ent.start == 0:
        return False
    title = ent.doc[ent.start - 1]
    words = [t for t in ent if t.is_alpha]
    return (
        title.lower_ in PERSON_TITLES
        and (title.is_title or title.is_upper)
        and bool(words)
        and all(t.is_title for t in words)
    )


def canonicalise(article_id: str, mentions: list[Mention]) -> ArticleEntities:
    """Resolve an article's mentions to canonical entities (full names win over surnames)."""
    result = ArticleEntities(article_id)
    full_names: dict[str, str] = {}  # last token (normalised) -> full name
    people = [m for m in mentions if m.label == "PERSON"]
    for mention in sorted(people, key=lambda m: -len(m.text.split())):
        words = mention.text.split()
        if len(words) >= 2:
            full_names.setdefault(normalise(words[-1]), mention.text)
            full_names.setdefault(normalise(mention.text), mention.text)
    canonical_by_key: dict[str, str] = {}
    for mention in mentions:
        name, kind = _canonical(mention, full_names)
        if name is None or kind is None:
            result.mentions.append(mention)
            continue
        key = f"{kind}:{normalise(name)}"
        name = canonical_by_key.setdefault(key, clean_name(name))
        entity = result.entities.get(name)
        if entity is None:
            entity = result.entities[name] = Entity(name=name, type=kind, articles=1)
        entity.mentions += 1
        alias = clean_name(mention.text)
        if alias != name and alias not in entity.aliases:
            entity.aliases.append(alias)
        result.by_span[(mention.start, mention.end)] = name
        # One sense per article: a lone surname tagged ORG or GPE that resolves to a person is a person.
        label = "PERSON" if kind == "PERSON" else mention.label
        result.mentions.append(
            Mention(mention.article_id, mention.start, mention.end, mention.text, label, name)
        )
    return result


def _canonical(mention: Mention, full_names: dict[str, str]) -> tuple[str | None, str | None]:
    key = normalise(mention.text)
    if mention.label == "NORP":
        country = country_of(mention.text)
        return (country, "PLACE") if country else (None, None)
    if mention.label == "DATE" or mention.label == "MONEY":
        return None, None
    # spaCy sometimes labels a lone surname ORG or GPE; a person's surname in the same article wins.
    if key in full_names and (mention.label == "PERSON" or len(mention.text.split()) == 1):
        return full_names[key], "PERSON"
    kind = ENTITY_LABELS[mention.label]
    if kind == "PLACE":
        return country_of(mention.text) or mention.text, kind
    return mention.text, kind


def nominal_name(token: Token) -> str | None:
    """ "Russian embassy" for a head noun of ORG_NOUNS modified by a demonym or place; else None."""
    if token.lemma_.lower() not in ORG_NOUNS and token.lower_ not in ORG_NOUNS:
        return None
    for child in token.lefts:
        place_like = country_of(child.text) is not None or child.ent_type_ in {"GPE", "NORP"}
        if child.dep_ in {"amod", "compound", "nmod", "poss"} and place_like:
            return f"{child.text} {token.lower_}"
    return None


def merge_entities(entities: Iterable[Entity]) -> list[Entity]:
    """Join per-article entities into archive entities by type and normalised name or alias.

    A single-word person name joins the one full name ending in it; with two candidates
    ("Bush") it stays apart, because guessing would merge different people.
    """
    merged: dict[tuple[str, str], Entity] = {}
    for entity in entities:
        key = (entity.type, normalise(entity.name))
        into = merged.get(key)
        if into is None:
            merged[key] = Entity(
                entity.name,
                entity.type,
                list(entity.aliases),
                list(entity.roles),
                entity.mentions,
                entity.articles,
            )
            continue
        _absorb(into, entity)
    surnames: dict[str, list[tuple[str, str]]] = {}
    for entity_type, name_key in merged:
        if entity_type == "PERSON" and " " in name_key:
            surnames.setdefault(name_key.split()[-1], []).append((entity_type, name_key))
    for entity_type, name_key in list(merged):
        if entity_type == "PERSON" and " " not in name_key and len(surnames.get(name_key, [])) == 1:
            _absorb(merged[surnames[name_key][0]], merged.pop((entity_type, name_key)))
    for entity in merged.values():
        entity.roles.sort(key=lambda r: (r.as_of or "", r.title))
    return sorted(merged.values(), key=lambda e: (-e.mentions, e.name))


def _absorb(into: Entity, other: Entity) -> None:
    for alias in [other.name, *other.aliases]:
        if alias != into.name and alias not in into.aliases:
            into.aliases.append(alias)
    into.roles.extend(other.roles)
    into.mentions += other.mentions
    into.articles += other.articles
