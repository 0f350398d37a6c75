"""Who a pronoun or a description means, and which names of a collection of articles are one entity.

Within an article (``resolve_article``): a description of a person or group ("the actress", "a
man", "police") is tied to a name it stands beside ("actress Ann Vale", "Ann Vale, the actress",
"her agent, Tom Hale"), and a later "the actress" follows it; "he"/"she" go to the nearest earlier
person (a description or a name) whose gender does not disagree (from a first name, an honorific,
a gendered noun or an earlier pronoun), "it" to the nearest organisation, "they" to the nearest
group or named organisation, "who" to what stands just before it, and "I"/"we" inside a quotation
to its speaker.

Across the articles of one collection (``link_collection``, ``link_names``): a name the recogniser
found in one article is found again where it missed it; names join by their normalised form, "John
Q. Public" and "John Public Jr." join "John Public", a name with a headline's words run into it
("Ann Vale Checks") joins the name it holds, a lone surname joins the one full name ending in it, a
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

from newsarchive.enrich.entities import normalise
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
_APPOSITION_AFTER = re.compile(r",\s+(?:the|a|an)\s+(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)
"""Between a name and a description that restates it: "Ann Vale, the 33-year-old actress"."""
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
    """
    types = {e.name: e.type for e in enrichment.entities}
    taken = sorted((m.start, m.end) for m in enrichment.mentions)
    starts = [start for start, _ in taken]
    longest = max((end - start for start, end in taken), default=0)
    out: list[Mention] = []
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
        key = _apposed_name(article, start, end, noun) or (
            restates.get(word) if _definite(body, start) else None
        )
        if key is not None:
            restates.setdefault(word, key)
        else:
            key = f"description:{word}"
        if noun.gender:
            article.gender.setdefault(key, noun.gender)
        article.add(start, end, "description", key)
        article.candidates.append(_Candidate(start, end, key, noun.kind, noun.plural))


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
        if m.end <= start < m.end + 60 and "\n" not in between and _APPOSITION_AFTER.search(between):
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
        if earlier and re.fullmatch(r",?\s*", body[earlier[-1].end : start]):
            return earlier[-1].key
        return None
    for candidate in reversed(earlier):
        if "\n\n" in body[candidate.end : start]:
            break  # a pronoun in a new paragraph with no name since is too far from any to guess
        if _agrees(wants, want_gender, candidate, article.gender.get(candidate.key, "")):
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
    Q. Public", "John Public"; a "Jr." does not count); a name that holds exactly one person's
    name at its start or end joins it ("Ann Vale Checks" from a Title-Case headline, "Mark Ann
    Vale"); a one-word name joins the one full person name ending in it, and stays apart with two
    ("Bush"); an all-capitals word joins the one name whose initials it spells ("NASA"). Each
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

    people = [k for k, t in types.items() if "PERSON" in t and len(_bare(k)) >= 2]
    by_first_last: dict[tuple[str, str], list[str]] = {}
    for key in people:
        words = _bare(key)
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
    by_last: dict[str, set[str]] = {}
    for key in people:
        by_last.setdefault(_bare(key)[-1], set()).add(find(key))
    for key in types:
        if types[key] <= _PLACE_TYPES:
            continue  # "Jordan" the country is not Michael Jordan
        roots = {find(k) for k in by_last.get(key, set())} if " " not in key else set()
        if len(roots) == 1:
            join(roots.pop(), key)
    # organisations: "Northwind" is "Northwind Shipping Ltd." and "Hawks" the "Riverton Hawks"
    # when exactly one organisation of the collection begins (after its suffix is cut) or ends so
    by_edge: dict[str, set[str]] = {}
    for key, key_types in types.items():
        words = [w for w in key.split() if w not in _ORG_SUFFIXES] if "ORG" in key_types else []
        if len(words) >= 2:
            by_edge.setdefault(words[0], set()).add(key)
            by_edge.setdefault(words[-1], set()).add(key)
        elif len(words) == 1 and words[0] != key:
            by_edge.setdefault(words[0], set()).add(key)
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
                key=lambda k: (person and " " in k, person and "PERSON" in types[k], seen[k], len(k), k),
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
