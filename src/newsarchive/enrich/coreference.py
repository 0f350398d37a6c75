"""Who a pronoun or a description means, and which names of a collection of articles are one entity.

Within an article (``resolve_article``): a description of a person or group ("the actress", "a
man", "police") is tied to a name it stands beside ("actress Ann Vale", "Ann Vale, the actress",
"her agent, Tom Hale") or is said to be ("Ann Vale, 33, is the accused driver"), and a later "the
actress" follows it; a definite description beside no name ("Ann Vale's lawyer said the actress")
restates the name of its kind and gender the article names most among those in the few sentences
before it, leaving out a name that speaks just before it ("Inspector Roe said the man fell"); a
gendered description before any person is named ("A 59-year-old woman was struck ... Ann Vale,
59, ...") introduces the person of that gender (or of none known) the article names most after it;
"he"/"she" go to the nearest earlier person (a name, or a description with a gender or a name)
whose gender does not disagree (from a first name, an honorific, a gendered noun or an earlier
pronoun), "it" to the nearest organisation, "they" to the nearest group or named organisation,
"who" to what stands just before it, and "I"/"we" inside a quotation to its speaker. What the
archive stores (``referring_mentions``) adds the names the recogniser found in the article but
missed elsewhere in it: the name as written, or a person's surname alone when no other person of
the article has it.

Across the articles of one collection (``link_collection``, ``link_names``): a name the recogniser
found in one article is found again where it missed it; names join by their normalised form, "John
Q. Public" and "John Public Jr." join "John Public", "Gov. Ann Vale" and "Annie Vale" join "Ann
Vale" (a short form of the first name), "Northwind Ltd." joins "Northwind", a name with a
headline's words run into it ("Ann Vale Checks") joins the name it holds, a lone surname joins the
one full name ending in it (a lone first name, with no such surname, the one beginning with it), a
one-word organisation the one organisation beginning or ending with it ("Hawks", "Northwind"), and
an acronym the one name whose initials it spells. "The actress" in a report that names Ann Vale is
Ann Vale when another report of the collection called her "actress Ann Vale". A description left
unresolved keeps its own word as its key, so "the driver" in two reports of one crash is one
entity, which is right when the collection is one story (``link_descriptions=False`` keeps such
descriptions to their article).

Pure, text-level rules over the records ``enrich_many`` returns (mentions, entities, quotes) and
the body; no parse is needed. Measured by bench/coreference_quality.py on ECB+.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from newsarchive.enrich.entities import PERSON_TITLES, normalise
from newsarchive.model import Enrichment, Entity, Mention, MentionKind

Kind = MentionKind
Gender = Literal["m", "f", ""]

_MALE = (
    "man boy father husband son brother uncle nephew grandfather grandson king prince actor gentleman dad "
    "boyfriend businessman chairman spokesman policeman fireman congressman sportsman widower monk"
)
_FEMALE = (
    "woman girl mother wife daughter sister aunt niece grandmother granddaughter queen princess actress lady "
    "mom mum girlfriend businesswoman chairwoman spokeswoman policewoman congresswoman widow nun"
)
_PERSON = (
    "person child baby toddler teenager teen youth student pupil victim suspect driver passenger pilot officer "
    "official spokesperson lawyer attorney judge prosecutor defendant witness doctor surgeon nurse patient "
    "player coach manager owner chief director president leader minister senator governor mayor candidate "
    "singer star rapper musician artist writer author journalist reporter host presenter climber hiker soldier "
    "gunman shooter robber thief killer attacker bomber hostage captain sailor worker employee executive "
    "founder friend neighbour neighbor resident relative partner fan customer analyst expert researcher "
    "scientist engineer farmer teacher priest bishop pope detective inspector agent guard prisoner inmate "
    "rep representative publicist model designer producer comedian chef athlete boxer champion fighter "
    "challenger opponent rival winner veteran survivor pedestrian cyclist motorist tourist owner landlord "
    "tenant buyer seller dealer investor donor volunteer activist protester demonstrator militant rebel "
    "pirate terrorist hacker sheriff deputy trooper firefighter paramedic rescuer investigator official "
    "diplomat ambassador envoy lawmaker legislator politician commissioner secretary adviser advisor aide "
    "assistant colleague teammate heir celebrity icon legend veteran newcomer parent grandparent spouse "
    "fiance fiancee sibling cousin twin "
    "fugitive offender convict perpetrator assailant burglar kidnapper smuggler boss mobster gangster "
    "source insider whistleblower quarterback pitcher striker goalkeeper midfielder linebacker receiver "
    "rookie shareholder consumer user voter citizen immigrant refugee migrant civilian occupant spectator "
    "viewer contestant nominee laureate recipient ceo"
)
_GROUP = "police people family crew jury staff audience public couple"
"""Person groups referred to as "they" whatever their grammatical number."""
_ORGANISATION = (
    "company firm group team club government navy army military agency network bank maker manufacturer "
    "retailer airline studio band council committee board court party union university school hospital "
    "department ministry league administration authority organisation organization charity corporation "
    "giant carrier operator provider publisher broadcaster newspaper magazine channel brand label startup"
)
_MALE_FIRST = (
    "james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony "
    "mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan "
    "jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory frank "
    "alexander raymond patrick jack dennis jerry tyler aaron jose adam henry nathan douglas zachary peter kyle "
    "walter ethan jeremy harold keith christian roger noah gerald carl terry sean austin arthur lawrence jesse "
    "dylan bryan joe jordan billy bruce albert willie gabriel logan alan juan wayne roy ralph randy eugene "
    "vincent russell elijah louis bobby philip johnny tony bill tom mike jim steve bob dave chris fred "
    "barack vladimir boris dmitry sergei ivan carlos luis pierre jean hans ahmed mohammed muhammad ali omar"
)
_FEMALE_FIRST = (
    "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra "
    "ashley kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura "
    "cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine christine "
    "debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce virginia victoria kelly "
    "lauren christina joan evelyn judith megan andrea cheryl hannah jacqueline martha gloria teresa ann sara "
    "madison frances kathryn janice jean abigail alice judy sophia grace denise amber doris marilyn danielle "
    "beverly isabella theresa diana natalie brittany charlotte marie kayla alexis lori hillary jane kate "
    "anne sue liz"
)
"""Common first names and the gender news pronouns give their bearers (a name in neither is unknown)."""
FIRST_NAME_GENDER: dict[str, Gender] = {
    **{n: "m" for n in _MALE_FIRST.split()},
    **{n: "f" for n in _FEMALE_FIRST.split()},
}
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_ORG_SUFFIXES = {"inc", "corp", "corporation", "co", "ltd", "plc", "llc", "ag", "sa", "group", "company"}
_IRREGULAR_PLURALS = {"man": "men", "woman": "women", "child": "children", "person": "people"}


def _plural(noun: str) -> str:
    if noun in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[noun]
    if noun.endswith("man") and noun not in {"german", "shaman"}:
        return noun[:-3] + "men"
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    if re.search(r"(s|sh|ch|x|z)$", noun):
        return noun + "es"
    return noun + "s"


@dataclass(slots=True, frozen=True)
class _Noun:
    kind: Literal["person", "group", "org"]
    plural: bool
    gender: Gender


def _lexicon() -> dict[str, _Noun]:
    nouns: dict[str, _Noun] = {}
    by_gender: tuple[tuple[str, Gender], ...] = ((_MALE, "m"), (_FEMALE, "f"), (_PERSON, ""))
    for words, gender in by_gender:
        for word in words.split():
            nouns.setdefault(word, _Noun("person", False, gender))
            nouns.setdefault(_plural(word), _Noun("person", True, ""))
    for word in _GROUP.split():
        nouns[word] = _Noun("group", True, "")
    for word in _ORGANISATION.split():
        nouns.setdefault(word, _Noun("org", False, ""))
        nouns.setdefault(_plural(word), _Noun("org", True, ""))
    return nouns


DESCRIPTION_NOUNS = _lexicon()
"""Nouns that describe a person, a group of people or an organisation, with number and gender."""
_WORD_RE = re.compile(r"\w+")
"""A run of word characters: a description noun is found as a whole run, looked up lower-cased
(one dictionary lookup per word, where an alternation of 600 nouns tried each at every word)."""

PRONOUNS: dict[str, tuple[str, Gender]] = {
    **{w: ("person", "m") for w in ("he", "him", "his", "himself")},
    **{w: ("person", "f") for w in ("she", "her", "hers", "herself")},
    **{w: ("org", "") for w in ("it", "its", "itself")},
    **{w: ("plural", "") for w in ("they", "them", "their", "theirs", "themselves")},
    **{w: ("relative", "") for w in ("who", "whom", "whose")},
    **{
        w: ("speaker", "")
        for w in ("i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves")
    },
}
"""Pronouns resolved, by what they may refer to: a person of a gender, an organisation, a plural,
the phrase just before ("a man who"), or (first person, inside a quotation) the speaker."""
_PRONOUN_RE = re.compile(r"\b(" + "|".join(PRONOUNS) + r")\b", re.IGNORECASE)
_APPOSITION_AFTER = re.compile(r"(?:,[^,\n]{1,25})?,\s+(?:the|a|an)\s+(?:[\w'’-]+\s+){0,3}", re.IGNORECASE)
"""All between a name and a description that restates it: "Ann Vale, the 33-year-old actress",
"Ann Vale, 33, a former actress"."""
_COPULA_AFTER = re.compile(
    r"(?:,[^,\n]{1,25},)?\s+(?:is|was|became|becomes|remains|remained|will\s+be|has\s+been)\s+"
    r"(?:the|a|an)\s+(?:[\w'’-]+\s+){0,3}",
    re.IGNORECASE,
)
"""Between a name and a description it is said to be: "Ann Vale, 33, is the accused driver"."""
_PERSON_ENTITY = {"PERSON"}
_ORG_ENTITY = {"ORG"}
_HONORIFIC_GENDER: dict[str, Gender] = {
    "mr": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "sir": "m",
    "lady": "f",
}
_PLACE_TYPES = {"GPE", "LOC", "FAC"}
_NAME_STOPWORDS = {"of", "the", "and", "for", "&", "de", "la", "du", "der"}


@dataclass(slots=True, frozen=True)
class Reference:
    """A span of an article body and the entity it refers to; ``key`` is article-local from
    ``resolve_article`` ("name:…" or "description:…") and collection-wide from ``link_collection``."""

    article_id: str
    start: int
    end: int
    text: str
    kind: Kind
    key: str


CandidateKind = Literal["person", "group", "org", "place"]
_ENTITY_KINDS: dict[str, CandidateKind] = {"PERSON": "person", "ORG": "org"}


@dataclass(slots=True, frozen=True)
class _Candidate:
    """Something a later pronoun may refer to: a name or a description, by its local key."""

    start: int
    end: int
    key: str
    kind: CandidateKind
    plural: bool


@dataclass(slots=True)
class _Article:
    """What ``resolve_article`` has found so far in one body."""

    article_id: str
    body: str
    types: dict[str, str]
    named: list[Mention]
    references: list[Reference] = field(default_factory=list)
    candidates: list[_Candidate] = field(default_factory=list)
    gender: dict[str, Gender] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)
    _reach: list[int] = field(default_factory=list)
    """The furthest end among ``named[:i + 1]`` (``named`` is in start order)."""
    _ends: list[tuple[int, int]] = field(default_factory=list)
    """(end, index) of ``named``, in end order."""

    def __post_init__(self) -> None:
        self._starts = [m.start for m in self.named]
        reach = 0
        for m in self.named:
            reach = max(reach, m.end)
            self._reach.append(reach)
        self._ends = sorted((m.end, i) for i, m in enumerate(self.named))

    def add(self, start: int, end: int, kind: Kind, key: str) -> None:
        self.references.append(Reference(self.article_id, start, end, self.body[start:end], kind, key))

    def covered(self, start: int, end: int) -> bool:
        """Whether a named mention overlaps ``start:end``."""
        before = bisect_left(self._starts, end)  # the mentions starting before ``end``
        return before > 0 and self._reach[before - 1] > start

    def near(self, start: int, end: int, reach: int) -> list[Mention]:
        """The named mentions starting just after ``end`` (within two characters) or ending in the
        ``reach`` characters before ``start``, in ``named``'s order."""
        found = set(range(bisect_left(self._starts, end + 1), bisect_left(self._starts, end + 3)))
        low = bisect_left(self._ends, (start - reach + 1, -1))
        high = bisect_left(self._ends, (start + 1, -1))
        found.update(i for _, i in self._ends[low:high])
        return [self.named[i] for i in sorted(found)]


def resolve_article(enrichment: Enrichment, body: str) -> list[Reference]:
    """References of one article: its named mentions, descriptions, quote speakers and resolved
    pronouns, in body order, with article-local keys ("name:<canonical name>", "description:<word>")."""
    types = {e.name: e.type for e in enrichment.entities}
    named = sorted(
        (m for m in enrichment.mentions if m.kind == "name" and m.entity is not None and m.entity in types),
        key=lambda m: (m.start, m.end),
    )
    article = _Article(enrichment.article_id, body, types, named)
    _names(article)
    _descriptions(article)
    article.candidates.sort(key=lambda c: c.start)
    speakers = _speakers(article, enrichment)
    _pronouns(article, speakers)
    article.references.sort(key=lambda r: (r.start, r.end))
    return article.references


def referring_mentions(enrichment: Enrichment, body: str) -> list[Mention]:
    """The pronouns, descriptions and quote speakers of one article that ``resolve_article`` ties
    to one of its named entities, as mentions of that entity (``kind`` says which), in body order.

    What the archive stores beside the recogniser's names: a span already a mention, one a
    description keeps to itself ("the driver" never named) and one that is not the body's text
    at its offsets are left out, and the article's entities gain no alias ("he" is not a name).
    With them, as ``kind`` "name", the article's names found again where the recogniser missed
    them (``_missed_names``); they are not counted in the ``Entity.mentions`` the recogniser gave.
    """
    types = {e.name: e.type for e in enrichment.entities}
    missed = _missed_names(enrichment, body)
    if missed:
        mentions = sorted([*enrichment.mentions, *missed], key=lambda m: (m.start, m.end))
        enrichment = Enrichment(
            enrichment.article_id, mentions, enrichment.entities, enrichment.quotes, enrichment.events
        )
    taken = sorted((m.start, m.end) for m in enrichment.mentions)
    starts = [start for start, _ in taken]
    longest = max((end - start for start, end in taken), default=0)
    out: list[Mention] = list(missed)
    for r in resolve_article(enrichment, body):
        entity = r.key[len("name:") :] if r.key.startswith("name:") else None
        if r.kind == "name" or entity not in types or entity is None:
            continue
        if not 0 <= r.start < r.end <= len(body) or body[r.start : r.end] != r.text:
            continue
        first = bisect_left(starts, r.start - longest)
        if any(s < r.end and r.start < e for s, e in taken[first : bisect_left(starts, r.end)]):
            continue
        out.append(Mention(r.article_id, r.start, r.end, r.text, types[entity], entity, r.kind))
    return sorted(out, key=lambda m: (m.start, m.end))


_SEARCHED_TYPES = {"PERSON", "ORG"}


def _missed_names(enrichment: Enrichment, body: str) -> list[Mention]:
    """Where the recogniser missed, in one article, a person or organisation it found there: the
    name as written ("Colts" tagged in one sentence, not in the next) or a person's surname alone
    when no other person of the article has it ("Hansbrough" for Tyler Hansbrough)."""
    types = {e.name: e.type for e in enrichment.entities}
    named = [
        m for m in enrichment.mentions if m.kind == "name" and types.get(m.entity or "") in _SEARCHED_TYPES
    ]
    forms: dict[str, set[str]] = {}
    copy: dict[str, Mention] = {}
    for m in named:
        text = m.text.strip()
        copy.setdefault(m.entity or "", m)
        if len(text) >= 3 and text[:1].isupper():
            forms.setdefault(text, set()).add(m.entity or "")
    for m in named:
        if types[m.entity or ""] != "PERSON":
            continue
        words = (m.entity or "").split()
        while len(words) > 2 and words[-1].lower().rstrip(".") in _NAME_SUFFIXES:
            words.pop()
        if len(words) >= 2 and len(words[-1]) >= 3 and words[-1][:1].isupper() and words[-1].isalpha():
            forms.setdefault(words[-1], set()).add(m.entity or "")
    usable = {text: entities.pop() for text, entities in forms.items() if len(entities) == 1}
    if not usable:
        return []
    pattern = re.compile(
        r"(?<![\w.-])(" + "|".join(map(re.escape, sorted(usable, key=len, reverse=True))) + r")(?![\w-])"
    )
    taken = sorted((m.start, m.end) for m in enrichment.mentions)
    starts = [start for start, _ in taken]
    longest = max((end - start for start, end in taken), default=0)
    lower_words: set[str] | None = None
    out = []
    for match in pattern.finditer(body):
        start, end = match.span()
        first = bisect_left(starts, start - longest)
        if any(s < end and start < e for s, e in taken[first : bisect_left(starts, end)]):
            continue
        written = match.group(1)
        if " " not in written and _sentence_start(body, start):
            if lower_words is None:
                lower_words = {w for w in _WORD_RE.findall(body) if w.islower()}
            if written.lower() in lower_words:
                continue  # "Young people ..." at a sentence's start: "young" is a word here too
        entity = usable[written]
        like = copy[entity]
        out.append(Mention(enrichment.article_id, start, end, written, like.label, entity, "name"))
    return out


def _names(article: _Article) -> None:
    for m in article.named:
        name = m.entity or ""
        key = f"name:{name}"
        kind = _ENTITY_KINDS.get(article.types[name], "place")
        article.add(m.start, m.end, "name", key)
        article.candidates.append(_Candidate(m.start, m.end, key, kind, False))
        if kind == "person":
            first = normalise(name).split()[:1]
            known = _honorific_before(article.body, m.start) or FIRST_NAME_GENDER.get(
                first[0] if first else "", ""
            )
            if known:
                article.gender.setdefault(key, known)


def _descriptions(article: _Article) -> None:
    """Descriptions, each tied to a name it restates, or else keyed by its own word."""
    restates: dict[str, str] = {}  # description word -> the name it was seen restating
    body = article.body
    for match in _WORD_RE.finditer(body):
        written = match.group()
        if written.lower() not in DESCRIPTION_NOUNS:
            continue
        start, end = match.span()
        if article.covered(start, end) or (written[0].isupper() and not _sentence_start(body, start)):
            continue  # a capitalised "Director" or "Police" mid-sentence is part of a name NER missed
        word = written.lower()
        noun = DESCRIPTION_NOUNS[word]
        definite = _definite(body, start)
        key = _apposed_name(article, start, end, noun) or (restates.get(word) if definite else None)
        if key is None and definite:
            key = _named_before(article, start, noun)
        if key is None:
            key = _named_after(article, start, noun)
        if key is not None:
            restates.setdefault(word, key)
        else:
            key = f"description:{word}"
        if noun.gender:
            article.gender.setdefault(key, noun.gender)
        article.add(start, end, "description", key)
        article.candidates.append(_Candidate(start, end, key, noun.kind, noun.plural))


_SPEAKS_OF = re.compile(
    r"(?:,[^,\n]{1,40},)?\s+(?:said|says|told|tells|added|adds|explained|stated|testified)\b", re.IGNORECASE
)
"""After a name, a speech verb: what follows is what that person says of someone."""
_DESCRIPTION_REACH = 400
"""How far back (characters) a definite description looks for the name it restates."""


def _named_before(article: _Article, start: int, noun: _Noun) -> str | None:
    """The name a definite description restates without standing beside it ("Ann Vale's lawyer
    said the actress ..."): of the names of its kind (and not of the other gender) in the
    ``_DESCRIPTION_REACH`` characters before it and its paragraph, the one the article names most
    (the nearest on a tie); None with none."""
    if noun.plural or noun.kind == "group":
        return None
    body = article.body
    fits: list[str] = []
    for m in reversed(article.named[: bisect_left(article._starts, start)]):
        if m.end > start:
            continue
        if start - m.end > _DESCRIPTION_REACH or "\n\n" in body[m.end : start]:
            break
        key = f"name:{m.entity}"
        known = article.gender.get(key, "")
        if _SPEAKS_OF.match(body, m.end):
            continue  # "Inspector Dave Gaskin said the man fell": who speaks is seldom who is spoken of
        if _ENTITY_KINDS.get(article.types[m.entity or ""]) == noun.kind and not (
            noun.gender and known and known != noun.gender
        ):
            fits.append(key)
    if not fits:
        return None
    named = Counter(f"name:{m.entity}" for m in article.named)
    return max(fits, key=lambda key: named[key])  # max keeps the first, the nearest, on a tie


def _named_after(article: _Article, start: int, noun: _Noun) -> str | None:
    """The person a gendered description before any person's name introduces ("A 59-year-old
    woman was struck ... Ann Vale, 59, ..."): of the people named after it whose gender does not
    disagree, the one the article names most (the first on a tie); None when a person is named
    before it, or for a description with no gender ("a driver" is seldom the one named next)."""
    if noun.plural or noun.kind != "person" or not noun.gender:
        return None
    fits: list[str] = []
    for m in article.named:
        if _ENTITY_KINDS.get(article.types[m.entity or ""]) != "person":
            continue
        if m.start < start:
            return None
        key = f"name:{m.entity}"
        if article.gender.get(key, "") in ("", noun.gender):
            fits.append(key)
    if not fits:
        return None
    named = Counter(f"name:{m.entity}" for m in article.named)
    return max(fits, key=lambda key: named[key])  # max keeps the first on a tie


def _speakers(article: _Article, enrichment: Enrichment) -> list[tuple[int, int, str]]:
    """The speaker spans the quote step resolved to an entity become references; returns each
    such quote's content span with its speaker's key (for "I" and "we" inside it)."""
    inside = []
    for q in enrichment.quotes:
        if q.speaker_entity is None or q.speaker_entity not in article.types:
            continue
        key = f"name:{q.speaker_entity}"
        inside.append((q.start, q.end, key))
        if q.speaker_start is not None and q.speaker_end is not None:
            span = (q.speaker_start, q.speaker_end)
            if all((r.start, r.end) != span for r in article.references):
                article.add(span[0], span[1], "speaker", key)
    return inside


def _pronouns(article: _Article, speakers: Sequence[tuple[int, int, str]]) -> None:
    taken = {(r.start, r.end) for r in article.references}
    for match in _PRONOUN_RE.finditer(article.body):
        start, end = match.span()
        written = match.group(1)
        word = written.lower()
        if (start, end) in taken or article.covered(start, end):
            continue
        if (word == "i" and written != "I") or (len(written) > 1 and written.isupper()):
            continue  # "US" is a country, "i" a typo or a list mark
        resolved = _antecedent(article, word, start, speakers)
        if resolved is not None:
            article.add(start, end, "pronoun", resolved)
            if PRONOUNS[word][1]:
                article.gender.setdefault(resolved, PRONOUNS[word][1])


def _sentence_start(body: str, start: int) -> bool:
    before = body[:start].rstrip(" \t\"“'‘(")
    return not before or before[-1] in ".!?\n:"


def _definite(body: str, start: int) -> bool:
    return bool(re.search(r"\bthe\s+(?:[\w'’-]+\s+){0,2}$", body[max(0, start - 40) : start], re.IGNORECASE))


def _honorific_before(body: str, start: int) -> Gender:
    word = re.search(r"\b(\w+)\.?\s+$", body[max(0, start - 8) : start])
    return _HONORIFIC_GENDER.get(word.group(1).lower(), "") if word else ""


def _apposed_name(article: _Article, start: int, end: int, noun: _Noun) -> str | None:
    """The name a description stands beside: "actress Ann Vale", "her agent, Tom Hale", "Ann Vale, the actress"."""
    wanted = _PERSON_ENTITY if noun.kind == "person" else _ORG_ENTITY if noun.kind == "org" else set()
    if not wanted or noun.plural:
        return None
    body = article.body
    for m in article.near(start, end, 60):
        if article.types.get(m.entity or "") not in wanted:
            continue
        if m.start >= end and re.fullmatch(r"\s|,\s", body[end : m.start]):
            return f"name:{m.entity}"
        between = body[m.end : start]
        if m.end <= start < m.end + 60 and "\n" not in between and _APPOSITION_AFTER.fullmatch(between):
            return f"name:{m.entity}"
        if m.end <= start < m.end + 60 and "\n" not in between and _COPULA_AFTER.fullmatch(between):
            return f"name:{m.entity}"
    return None


def _antecedent(
    article: _Article, word: str, start: int, speakers: Sequence[tuple[int, int, str]]
) -> str | None:
    """The nearest earlier candidate a pronoun agrees with, within its paragraph."""
    wants, want_gender = PRONOUNS[word]
    if wants == "speaker":
        inside = [key for s, e, key in speakers if s <= start < e]
        return inside[0] if inside else None
    earlier = [c for c in article.candidates if c.end <= start]
    body = article.body
    if wants == "relative":
        if earlier and re.fullmatch(r",?\s*|,\s*\d{1,3},\s*", body[earlier[-1].end : start]):
            return earlier[-1].key
        return None
    for candidate in reversed(earlier):
        if "\n\n" in body[candidate.end : start]:
            break  # a pronoun in a new paragraph with no name since is too far from any to guess
        known = article.gender.get(candidate.key, "")
        if wants == "person" and not known and candidate.key.startswith("description:"):
            continue  # "a judge" no name or gender was found for: "he" is likelier the man named
        if _agrees(wants, want_gender, candidate, known):
            return candidate.key
    return None


def _agrees(wants: str, want_gender: Gender, candidate: _Candidate, known: Gender) -> bool:
    if wants == "person":
        return candidate.kind == "person" and not candidate.plural and known in ("", want_gender)
    if wants == "org":
        return candidate.kind == "org" and not candidate.plural
    return (
        candidate.kind == "group"
        or (candidate.plural and candidate.kind != "place")
        or (candidate.kind == "org" and not candidate.key.startswith("description:"))
    )


# --- across articles -------------------------------------------------------------------------------


def link_names(names: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The collection-wide name for each normalised name of (canonical name, entity type) pairs
    from the articles of one collection (a name once per article that has it).

    Same normalised name: one entity. Person names with the same first and last word join ("John
    Q. Public", "John Public"; a "Jr." and titles before the name, "Gov. John Public", do not
    count), and so do those with the same last word whose first names are a short form or a
    spelling of one another ("Bill"/"William", "Sam"/"Samuel", "Vassilis"/"Vassilios"; not
    "Miles"/"Mark", and not among the many first names of a common surname); organisations the
    same but for a suffix join ("Northwind Ltd.", "Northwind"); a name that holds exactly one
    person's name at its start or end joins it ("Ann Vale Checks" from a Title-Case headline,
    "Mark Ann Vale"); a one-word name joins the one full person name ending in it, and stays apart
    with two ("Bush"); a one-word person name no full name ends in joins the one full name
    beginning with it ("Ann" of "Ann Vale"); an all-capitals word joins the one name whose
    initials it spells ("NASA"). Each
    entity is shown by its most frequent name (a person by the most frequent of its full names).
    """
    return _link_counted((name, entity_type, 1) for name, entity_type in names)


def _link_counted(names: Iterable[tuple[str, str, int]]) -> dict[str, str]:
    """``link_names`` over (name, type, number of articles with it): an archive's names counted
    by its store rather than listed once per article."""
    types: dict[str, set[str]] = {}
    shown: dict[str, str] = {}
    seen: Counter[str] = Counter()
    for name, entity_type, n in names:
        key = normalise(name)
        if not key:
            continue
        types.setdefault(key, set()).add(entity_type)
        seen[key] += n
        if len(name) > len(shown.get(key, "")):
            shown[key] = name
    parent = {key: key for key in types}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def join(into: str, other: str) -> None:
        root, drop = find(into), find(other)
        if root != drop:
            parent[drop] = root

    core = {k: _untitled(k) if "PERSON" in t else k for k, t in types.items()}
    for key, bare in core.items():
        if bare != key and bare in types:
            join(bare, key)  # "gov ann vale" is "ann vale"
    people = [k for k, t in types.items() if "PERSON" in t and len(_bare(core[k])) >= 2]
    by_first_last: dict[tuple[str, str], list[str]] = {}
    for key in people:
        words = _bare(core[key])
        by_first_last.setdefault((words[0], words[-1]), []).append(key)
    for group in by_first_last.values():
        for other in group[1:]:
            join(group[0], other)
    people_by_words = {tuple(p.split()): p for p in people}
    order = {p: i for i, p in enumerate(people)}
    for key in types:
        words = key.split()
        if len(words) < 3:
            continue
        # the people whose name is the start or end of this one (a look-up per length, not a scan:
        # an archive has tens of thousands of names)
        edges = {tuple(words[:n]) for n in range(1, len(words))} | {
            tuple(words[-n:]) for n in range(1, len(words))
        }
        inside = sorted(
            (p for e in edges if (p := people_by_words.get(e)) is not None and p != key),
            key=order.__getitem__,
        )
        roots = {find(p) for p in inside}
        if len(roots) > 1:  # "ann vale checks" holds "ann vale" and "vale checks": the likelier
            best = max(inside, key=lambda p: (seen[p], len(p)))
            roots = {find(best)} if seen[best] > 1 else roots
        if len(roots) == 1:
            join(roots.pop(), key)
    # a first name as a short form or spelling of another ("Sam"/"Samuel", "Alexis"/"Alexandros",
    # "Bill"/"William") with the same surname; in a surname's group of many first names, none
    by_surname: dict[str, dict[str, list[str]]] = {}
    for key in people:
        words = _bare(core[key])
        by_surname.setdefault(words[-1], {}).setdefault(words[0], []).append(key)
    for firsts in by_surname.values():
        if not 1 < len(firsts) <= _MAX_FIRST_NAMES:
            continue
        ordered = sorted(firsts)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if len(a) > 1 and len(b) > 1 and _same_first_name(a, b):
                    join(firsts[a][0], firsts[b][0])
    by_last: dict[str, set[str]] = {}
    by_first: dict[str, set[str]] = {}
    for key in people:
        by_last.setdefault(_bare(core[key])[-1], set()).add(find(key))
        by_first.setdefault(_bare(core[key])[0], set()).add(key)
    for key in types:
        if types[key] <= _PLACE_TYPES:
            continue  # "Jordan" the country is not Michael Jordan
        word = core[key]
        roots = {find(k) for k in by_last.get(word, set())} if " " not in word else set()
        if not roots and " " not in word and types[key] == {"PERSON"}:
            roots = {find(k) for k in by_first.get(word, set())}
        if len(roots) == 1:
            join(roots.pop(), key)
    # organisations: "Northwind" is "Northwind Shipping Ltd." and "Hawks" the "Riverton Hawks"
    # when exactly one organisation of the collection begins (after its suffix is cut) or ends so
    by_edge: dict[str, set[str]] = {}
    by_stem: dict[str, list[str]] = {}
    for key, key_types in types.items():
        words = [w for w in key.split() if w not in _ORG_SUFFIXES] if "ORG" in key_types else []
        if words:
            by_stem.setdefault(" ".join(words), []).append(key)
        if len(words) >= 2:
            by_edge.setdefault(words[0], set()).add(key)
            by_edge.setdefault(words[-1], set()).add(key)
        elif len(words) == 1 and words[0] != key:
            by_edge.setdefault(words[0], set()).add(key)
    for stem, group in by_stem.items():
        for key in group:  # "Northwind Shipping Ltd." is "Northwind Shipping"
            join(stem if stem in types else group[0], key)
    for key, key_types in types.items():
        if " " in key or key_types != {"ORG"}:
            continue  # "Riverton" the town is not the Riverton Hawks
        roots = {find(k) for k in by_edge.get(key, set())} - {find(key)}
        if len(roots) == 1:
            join(roots.pop(), key)
    initials: dict[str, set[str]] = {}
    for key in types:
        words = [w for w in shown[key].split() if w.lower() not in _NAME_STOPWORDS]
        if len(words) >= 2 and all(w[:1].isupper() for w in words):
            initials.setdefault("".join(w[0] for w in words).lower(), set()).add(key)
    for key in types:
        name = shown[key]
        if name.isupper() and 2 <= len(name) <= 6 and name.isalpha() and key in initials:
            roots = {find(k) for k in initials[key]}
            if len(roots) == 1:
                join(roots.pop(), key)
    members: dict[str, list[str]] = {}
    for key in types:
        members.setdefault(find(key), []).append(key)
    label = {}
    for root, group in members.items():
        person = any("PERSON" in types[k] for k in group)  # a person is shown by a full name, one
        # the recogniser saw as a person ("Ines Okafor", not "Councillor Ines Okafor" tagged ORG)
        label[root] = shown[
            max(
                group,
                key=lambda k: (
                    person and " " in k,
                    person and "PERSON" in types[k],
                    core[k] == k,
                    seen[k],
                    len(k),
                    k,
                ),
            )
        ]
    return {key: label[find(key)] for key in types}


def link_archive_names(counts: Iterable[tuple[str, str, int]]) -> dict[str, str]:
    """``link_names`` over a whole archive: each stored (canonical name, type, number of articles
    with it) -> for each canonical name, the name of the entity it is one with (itself when alone).

    What the archive stores in its ``entity_links`` after an ingest's enrichment; the names are
    read in name order, so the result depends on the set of names, not on the order of ingest.
    """
    rows = sorted(counts)
    linked = _link_counted(rows)
    return {name: linked.get(normalise(name), name) for name, _, _ in rows}


class NameLinks(Protocol):
    """What ``relink_archive`` needs of a store (store/base.py's EnrichmentStore has it)."""

    def entity_name_counts(self) -> list[tuple[str, str, int]]: ...
    def put_entity_links(self, links: Mapping[str, str]) -> None: ...
    def entity_links_stale(self) -> bool: ...


def relink_archive(store: NameLinks, only_if_stale: bool = False) -> int:
    """Link the names of a whole archive again (``link_archive_names``) and store the links, replacing
    the old ones: what ingest, ``enrich`` and ``load`` run once their enrichment is written
    (``only_if_stale``: when an enrichment was written or removed since the last linking). Returns
    how many names are linked to another name (0 when nothing was done)."""
    if only_if_stale and not store.entity_links_stale():
        return 0
    links = link_archive_names(store.entity_name_counts())
    store.put_entity_links(links)
    return sum(1 for name, shown in links.items() if name != shown)


def _with_collection_names(articles: Sequence[tuple[Enrichment, str]]) -> list[tuple[Enrichment, str]]:
    """Each article with the names the recogniser found elsewhere in the collection but missed
    here ("Colts" tagged in one report and not in the next): one sense per collection. A name
    counts written as it was found or in capitals; a one-word name only where it is not the first
    word of a sentence (where any word is capitalised)."""
    found: dict[str, tuple[str, str, str]] = {}  # text as written -> (canonical name, type, label)
    types = {(e.article_id, entity.name): entity.type for e, _ in articles for entity in e.entities}
    for enrichment, _ in articles:
        for m in enrichment.mentions:
            if m.entity is None or m.kind != "name" or len(m.text) < 3 or not m.text[:1].isupper():
                continue
            entity_type = types.get((enrichment.article_id, m.entity))
            if entity_type is not None:
                found.setdefault(m.text, (m.entity, entity_type, m.label))
    if not found:
        return list(articles)
    variants = {**{t.upper(): v for t, v in found.items()}, **found}
    pattern = re.compile(
        r"(?<![\w.-])(" + "|".join(map(re.escape, sorted(variants, key=len, reverse=True))) + r")(?![\w-])"
    )
    result = []
    for enrichment, body in articles:
        taken = [(m.start, m.end) for m in enrichment.mentions if m.kind == "name"]
        known = {e.name for e in enrichment.entities}
        extra: list[Mention] = []
        entities = list(enrichment.entities)
        replaced: set[tuple[int, int]] = set()
        for match in pattern.finditer(body):
            start, end = match.span()
            inside = [(s, e) for s, e in taken if s < end and start < e]
            if any(s < start or e > end or (s, e) == (start, end) for s, e in inside):
                continue  # a name found here already, or one running past this one
            if " " not in match.group(1) and _sentence_start(body, start):
                continue
            replaced.update(inside)  # "New Orleans" + "Saints" within "New Orleans Saints"
            name, entity_type, label = variants[match.group(1)]
            extra.append(Mention(enrichment.article_id, start, end, match.group(1), label, name))
            if name not in known:
                known.add(name)
                entities.append(Entity(name, entity_type, articles=1))
        if extra:
            kept = [m for m in enrichment.mentions if (m.start, m.end) not in replaced]
            mentions = sorted([*kept, *extra], key=lambda m: (m.start, m.end))
            enrichment = Enrichment(
                enrichment.article_id, mentions, entities, enrichment.quotes, enrichment.events
            )
        result.append((enrichment, body))
    return result


_TITLE_WORDS = {t.rstrip(".") for t in PERSON_TITLES} | {
    "coach", "gov", "sen", "rep", "gen", "col", "lt", "sgt", "adm", "dr", "prof", "professor", "rev",
    "reverend", "father", "justice", "detective", "officer", "sheriff", "deputy", "cardinal", "insp",
    "inspector", "supt", "superintendent", "cpl", "capt", "captain", "lieutenant", "sergeant",
}  # fmt: skip


_MAX_FIRST_NAMES = 12
"""A surname borne by more first names than this in a collection is too common to join by them."""
_NICKNAMES = {
    "bill": "william", "will": "william", "billy": "william", "bob": "robert", "bobby": "robert",
    "rob": "robert", "dave": "david", "dick": "richard", "rick": "richard", "jim": "james", "jimmy": "james",
    "mike": "michael", "mick": "michael", "tony": "anthony", "joe": "joseph", "jack": "john",
    "johnny": "john", "steve": "steven stephen", "chris": "christopher christine", "matt": "matthew",
    "pat": "patrick patricia", "ted": "edward theodore", "ed": "edward edwin", "ned": "edward",
    "ben": "benjamin", "liz": "elizabeth", "beth": "elizabeth", "betty": "elizabeth",
    "kate": "katherine catherine kathryn", "kathy": "katherine kathleen", "peggy": "margaret",
    "maggie": "margaret", "meg": "margaret", "sue": "susan", "jenny": "jennifer", "jen": "jennifer",
    "chuck": "charles", "charlie": "charles", "hank": "henry", "harry": "henry harold",
    "larry": "lawrence", "andy": "andrew", "drew": "andrew", "alex": "alexander alexandra",
    "nick": "nicholas", "greg": "gregory", "ron": "ronald", "don": "donald", "fred": "frederick",
    "gene": "eugene", "jerry": "gerald jerome", "jeff": "jeffrey", "tim": "timothy", "vince": "vincent",
    "walt": "walter", "mo": "maurice morris mohamed mohammed muhammad", "sasha": "alexander alexandra",
    "dmitri": "dmitry", "misha": "mikhail", "pepe": "jose", "paco": "francisco", "nacho": "ignacio",
}  # fmt: skip
"""Common short forms of first names their letters do not give ("Bill" for William)."""


def _same_first_name(a: str, b: str) -> bool:
    """Whether two first names may be one person's: one begins the other and is two letters or
    more shorter ("ty", "tywon"; not "paul", "paula"), they share their first four letters
    ("lenny", "lennie"), or one is a common short form of the other ("bill", "william"); never two
    names of people of the other gender ("michael", "michelle")."""
    genders = {FIRST_NAME_GENDER.get(a, ""), FIRST_NAME_GENDER.get(b, "")}
    if genders == {"m", "f"}:
        return False
    if b in _NICKNAMES.get(a, "").split() or a in _NICKNAMES.get(b, "").split():
        return True
    short, long = sorted((a, b), key=len)
    if long.startswith(short):
        return len(long) - len(short) >= 2
    return len(short) >= 4 and short[:4] == long[:4]


def _untitled(key: str) -> str:
    """A normalised person name without the titles before it ("gov ann vale" -> "ann vale")."""
    words = key.split()
    while len(words) > 1 and words[0] in _TITLE_WORDS:
        words.pop(0)
    return " ".join(words)


def _bare(key: str) -> list[str]:
    """The words of a normalised person name without a generational suffix ("jr", "iii")."""
    words = key.split()
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    return words


def link_collection(
    articles: Sequence[tuple[Enrichment, str]], link_descriptions: bool = True
) -> dict[str, list[Reference]]:
    """References of each article of one collection (its ``(enrichment, body)`` pairs) with
    collection-wide keys: "entity:<name>" for names, "description:<words>" for unresolved
    descriptions (article-local, "<article id>/description:…", when ``link_descriptions`` is off)."""
    articles = _with_collection_names(articles)
    names = [(entity.name, entity.type) for e, _ in articles for entity in e.entities]
    linked = link_names(names)
    resolved = {e.article_id: resolve_article(e, body) for e, body in articles}
    bodies = {e.article_id: body for e, body in articles}

    def collection_key(local: str) -> str:
        name = local[len("name:") :]
        return f"entity:{linked.get(normalise(name), name)}"

    # "actress Ann Vale" in one report says who "the actress" is in another that names her too
    seen_as: dict[str, set[str]] = {}
    for references in resolved.values():
        for r in references:
            if r.kind == "description" and r.key.startswith("name:"):
                seen_as.setdefault(r.text.lower(), set()).add(collection_key(r.key))
    result: dict[str, list[Reference]] = {}
    for article_id, references in resolved.items():
        body = bodies[article_id]
        named_here = {collection_key(r.key) for r in references if r.kind == "name"}
        restated: dict[str, str] = {}
        for r in references:
            word = r.text.lower()
            if r.kind != "description" or r.key != f"description:{word}" or r.key in restated:
                continue
            noun = DESCRIPTION_NOUNS.get(word)
            fits = seen_as.get(word, set()) & named_here
            if noun and not noun.plural and len(fits) == 1 and _definite(body, r.start):
                restated[r.key] = fits.pop()
        out = []
        for r in references:
            if r.key.startswith("name:"):
                key = collection_key(r.key)
            elif r.key in restated:
                key = restated[r.key]
            elif link_descriptions:
                key = r.key
            else:
                key = f"{article_id}/{r.key}"
            out.append(Reference(r.article_id, r.start, r.end, r.text, r.kind, key))
        result[article_id] = out
    return result
