"""Who an event argument names: the canonical entity, a nominal body ("Russian embassy"), a country
for a demonym, capital or nationality ("Hungarian officials", "Ghanaian authorities"), the group
of a plural of people ("rebels in the Ivory Coast", "thousands of Iraqi Kurds"), or people named
by what they are ("students", "refugees"). Dates, numbers and money never act.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from newsarchive.enrich import event_lexicon as lexicon
from newsarchive.enrich.entities import (
    ORG_NOUNS,
    PERSON_TITLES,
    TITLE_WORDS,
    ArticleEntities,
    country_of,
    doc_text,
    nominal_name,
)


def is_person_noun(token: Token) -> bool:
    """A noun for people who act ("demonstrators", "officials", "the minister"), or a name of one."""
    lemma = token.lemma_.lower()
    return token.ent_type_ in {"PERSON", "NORP"} or lemma in lexicon.PEOPLE or lemma in PERSON_TITLES


def conjunct(token: Token) -> Token | None:
    """The next of "X and Y": Y."""
    return next((c for c in token.children if c.dep_ == "conj"), None)


_PERSONAL_PRONOUNS = {"it", "he", "she", "they", "its", "his", "her", "their", "we", "our"}
_ARMED_OR_CROWDS = {
    "rebel", "militant", "insurgent", "guerrilla", "gunman", "protester", "protestor", "demonstrator",
    "rioter", "militia", "jihadist", "separatist", "striker", "police", "troops", "soldier", "army",
    "military", "navy",
}  # fmt: skip
"""Unnamed armed groups and crowds that event data codes by what they are ("Rebels attacked…")."""
_GROUP_HEADS = {"thousand", "hundred", "dozen", "score", "million", "leadership", "group", "crowd"}
"""Heads of groups of people that are not plural nouns by tag ("thousands of Iraqi Kurds")."""
_NOT_ACTORS = {
    "source", "report", "analyst", "observer", "expert", "witness", "media", "medium", "newspaper",
    "critic", "commentator", "rumour", "rumor", "people",
}  # fmt: skip
"""Plural nouns that tell where news came from, not who acted ("sources in Tel Aviv announced");
"medium" is how the lemmatiser reads "media"."""
_BLOC_NOUNS = {
    "network", "wing", "faction", "movement",
    "group", "bloc", "union", "alliance", "community", "organisation", "organization", "council",
    "coalition", "federation", "league", "commission", "forum", "partnership", "front",
}  # fmt: skip


def people(token: Token, found: ArticleEntities, offset: int) -> str | None:
    """Unnamed people acted on or for ("refugees", "five Panamanian army officers"), by what they are."""
    head = token
    if token.lemma_.lower() in _GROUP_HEADS:
        head = next(
            (o for p in token.rights if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"), token
        )
    if head.lemma_.lower() not in lexicon.PEOPLE:
        return None
    if head.tag_ not in {"NNS", "NNPS"} and head.dep_ != "nsubjpass":
        return None  # one unnamed person is named only as a victim ("a journalist was killed")
    return crowd_actor(head, found, offset)


def crowd_actor(token: Token, found: ArticleEntities, offset: int) -> str | None:
    """A crowd of no named body, coded by what it is ("students", "Islamic fundamentalists",
    "thousands of landowners"): PLOVER's protesters are such groups more often than not."""
    if token.lemma_.lower() in _GROUP_HEADS | {"ten"}:
        inner = next(
            (o for p in token.rights if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"), None
        )
        if inner is None:  # "thousands marched through Paris"
            return _named_crowd(token, found, offset) if token.tag_ == "NNS" else None
        token = inner
    if token.tag_ not in {"NNS", "NNPS"} or token.lemma_.lower() in _NOT_ACTORS - {"people"}:
        return None
    modifiers = [
        c for c in token.lefts if c.dep_ in {"amod", "compound"} and c.pos_ in {"ADJ", "PROPN", "NOUN"}
    ]
    first = modifiers[0] if modifiers else token
    left, end = first.idx, token.idx + len(token)
    text = doc_text(token.doc)[left:end]
    return found.add_nominal(text, left + offset, end + offset, text)


def _named_crowd(token: Token, found: ArticleEntities, offset: int) -> str:
    return found.add_nominal(token.lower_, token.idx + offset, token.idx + len(token) + offset, token.text)


def owner_actor(thing: Token, found: ArticleEntities, offset: int) -> str | None:
    """The actor behind an object that is no actor: its owner ("Turkey's efforts"), the one it
    comes from ("calls by Belarus", "an appeal from Gbagbo", "the removal of President X"), or a
    named modifier ("a U.N. military presence", "Palestinian homes")."""
    if thing.ent_type_ in NOT_ACTOR_LABELS:
        return None  # "a 45 mln U.S. dlr loan"
    owner = next((c for c in thing.children if c.dep_ == "poss" and c.pos_ != "PRON"), None)
    if owner is not None and (name := actor(owner, found, offset)) is not None:
        return name
    for prep in (c for c in thing.children if c.dep_ == "prep" and c.lower_ in {"by", "from", "of"}):
        for obj in (o for o in prep.children if o.dep_ == "pobj"):
            if (name := actor(obj, found, offset)) is not None:
                return name
    for child in (c for c in thing.lefts if c.dep_ in {"compound", "amod", "nmod"}):
        entity = found.entity_at(child.idx + offset, child.idx + len(child) + offset)
        if entity is not None and child.ent_type_ not in NOT_ACTOR_LABELS:
            return entity
        if (country := country_of(child.text)) is not None:
            return country
        if child.ent_type_ == "NORP" and child.lower_ not in _CREEDS:
            return child.text  # "a Senegalese peace plan": a nationality we cannot name a country for
    return None


def prep_place(verb: Token, found: ArticleEntities, offset: int) -> str | None:
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in {"in", "to", "into"}):
        for obj in (o for o in prep.children if o.dep_ == "pobj" and o.ent_type_ in {"GPE", "LOC", "FAC"}):
            return actor(obj, found, offset)
    return None


def prep_actor(verb: Token, found: ArticleEntities, offset: int, exclude: str | None) -> str | None:
    for prep in (
        c
        for c in verb.children
        if c.dep_ in {"prep", "dative"} and c.lower_ in {"with", "against", "on", "to"}
    ):
        for obj in (o for o in prep.children if o.dep_ == "pobj"):
            name = actor(obj, found, offset) or owner_actor(obj, found, offset) or people(obj, found, offset)
            if name is not None and name != exclude:
                return name
    return None


def _antecedent(pronoun: Token) -> Token | None:
    """The subject a pronoun stands for when it is the subject or owner in a clause reported or
    continued from that subject's ("Switzerland said it had expelled…", "the ILO reiterated its
    demand"): the nearest named subject up the clause chain."""
    current = pronoun.head
    for _ in range(4):
        if current.head.i == current.i:
            return None
        if current.dep_ in {"ccomp", "xcomp", "conj", "advcl", "dobj", "pobj"}:
            current = current.head
        else:
            return None
        subject = next((c for c in current.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None)
        if subject is not None:
            return subject
    return None


def actor(token: Token, found: ArticleEntities, offset: int) -> str | None:
    """The canonical entity an argument names; else a nominal organisation; else None."""
    if token.ent_type_ in NOT_ACTOR_LABELS and (token.ent_type_ != "CARDINAL" or token.pos_ == "NUM"):
        return None  # "on Tuesday", "20", "$5 million": no one acts or is acted on
    if token.pos_ == "PRON" and token.lower_ in _PERSONAL_PRONOUNS:
        antecedent = _antecedent(token)
        return actor(antecedent, found, offset) if antecedent is not None else None
    entity = found.entity_at(token.idx + offset, token.idx + len(token) + offset)
    if entity is not None:
        return entity
    country = country_of(token.text)
    if country is not None:
        return country
    if token.lower_ in PERSON_TITLES | TITLE_WORDS | {"official"}:
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        if owner is not None and owner.pos_ != "PRON":  # "Cairo's security chief": Egypt's official
            return actor(owner, found, offset)
    if token.lower_ in TITLE_WORDS:
        # "Russian President promised …": the one person the article names with that title
        titles = [t.text for t in token.lefts if t.dep_ == "compound" and t.lower_ in TITLE_WORDS]
        country = next((country_of(t.text) for t in token.lefts if country_of(t.text)), None)
        holder = found.holder(" ".join([*titles, token.text]).title(), country)
        if holder is not None:
            return holder
    nominal = nominal_name(token)
    if nominal is not None:
        left = min([t.idx for t in token.lefts] + [token.idx])
        end = token.idx + len(token)
        return found.add_nominal(nominal, left + offset, end + offset, doc_text(token.doc)[left:end])
    # "PM" with an appositive name, "the Israeli leader": the first entity in the compact phrase.
    for child in token.children:
        if child.dep_ in {"appos", "compound", "amod", "nmod"}:
            entity = found.entity_at(child.idx + offset, child.idx + len(child) + offset)
            if entity is not None and (child.dep_ == "appos" or found.entities[entity].type == "PERSON"):
                return entity
    if token.lemma_.lower() in ORG_NOUNS or token.lower_ in ORG_NOUNS:
        nationality = next(
            (c for c in token.lefts if c.dep_ in {"amod", "compound"} and c.ent_type_ == "NORP"), None
        )
        if nationality is not None:  # "Ghanaian authorities": a nationality the demonym table lacks
            left, end = nationality.idx, token.idx + len(token)
            text = doc_text(token.doc)[left:end]
            return found.add_nominal(f"{nationality.text} {token.lower_}", left + offset, end + offset, text)
    if token.lemma_.lower() in ORG_NOUNS:  # "the military government of President Avril", "the army of Chad"
        for prep in (c for c in token.rights if c.dep_ == "prep" and c.lower_ == "of"):
            for owner in (o for o in prep.children if o.dep_ == "pobj"):
                name = found.entity_at(owner.idx + offset, owner.idx + len(owner) + offset) or country_of(
                    owner.text
                )
                if name is not None:
                    return name
    # "Hungarian officials": event data codes an unnamed group by its country.
    for child in token.lefts:
        if child.dep_ in {"amod", "compound", "nmod"} and (country := _country_word(child.text)) is not None:
            return country
    group = _group_actor(token, found, offset)
    if group is not None:  # "Rebels in the Ivory Coast", "European Community foreign ministers"
        return group
    if token.lemma_.lower() in _ARMED_OR_CROWDS and token.tag_ in {"NNS", "NN"}:
        # "Rebels attacked…": event data codes an unnamed armed group or crowd by what it is
        return found.add_nominal(
            token.lower_, token.idx + offset, token.idx + len(token) + offset, token.text
        )
    bloc = _named_bloc(token)
    if bloc is not None:  # "the Euro-Asian economic group": a grouping the NER missed
        return found.add_nominal(bloc.text, bloc.start_char + offset, bloc.end_char + offset, bloc.text)
    body = _owning_body(token)
    if body is not None:  # "Israeli army bulldozers": the body the machines or men belong to
        left, end = body[0].idx, body[-1].idx + len(body[-1])
        name = " ".join(t.text for t in body[:-1]) + " " + body[-1].lower_
        return found.add_nominal(name, left + offset, end + offset, doc_text(token.doc)[left:end])
    if token.pos_ == "PROPN":  # a name the NER missed is still an actor
        words = [t for t in token.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [token]
        return " ".join(t.text for t in words)
    return None


def _owning_body(token: Token) -> list[Token] | None:
    """[demonym, body] of "Israeli army bulldozers" (both modifiers of the head noun)."""
    lefts = list(token.lefts)
    body = next((c for c in lefts if c.dep_ == "compound" and c.lemma_.lower() in ORG_NOUNS), None)
    if body is None:
        return None
    demonym = next(
        (c for c in [*lefts, *body.lefts] if c.i < body.i and country_of(c.text) is not None), None
    )
    return [demonym, body] if demonym is not None else None


_CREEDS = {
    "christian", "muslim", "moslem", "jewish", "catholic", "protestant", "sunni", "shiite", "shia",
    "hindu", "buddhist", "republican", "democratic", "democrat", "conservative", "liberal", "socialist",
    "communist", "evangelical", "orthodox", "islamic", "islamist",
}  # fmt: skip
"""NORP words of faith or party: they describe a person ("a Catholic doctor"), they do not name an actor."""


NOT_ACTOR_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}


def _country_word(text: str) -> str | None:
    """The country of a demonym, also in "Vietnamese-led", "Syrian-backed", "Iranian-based"."""
    country = country_of(text)
    if country is None and "-" in text:
        first, _, rest = text.partition("-")
        if rest.lower() in {"led", "backed", "based", "born", "funded", "supported", "sponsored", "run"}:
            country = country_of(first)
    return country


def sides(first: Token, found: ArticleEntities, offset: int) -> list[str]:
    """The actors of "between X and Y": the phrase's head and its conjuncts, each as a whole (so
    "Russian President Vladimir Putin" is Putin, not Russia)."""
    heads = [first]
    while (partner := conjunct(heads[-1])) is not None and len(heads) < 4:
        heads.append(partner)
    names: list[str] = []
    for token in heads:
        name = actor(token, found, offset)
        if name is not None and name not in names:
            names.append(name)
    return names if len(names) > 1 else []


def _group_actor(token: Token, found: ArticleEntities, offset: int, depth: int = 0) -> str | None:
    """The named body or country of a plural group of people: a modifier that is an entity or a
    demonym ("European Community foreign ministers"), or the entity of its "of/in/from" phrase
    ("rebels in the Ivory Coast", "thousands of Iraqi Kurds"); event data codes such groups so."""
    if token.tag_ not in {"NNS", "NNPS"} and token.lemma_.lower() not in _GROUP_HEADS:
        return None
    if token.lemma_.lower() in _NOT_ACTORS:
        return None
    for child in token.lefts:
        if child.dep_ in {"amod", "compound", "nmod"}:
            entity = found.entity_at(child.idx + offset, child.idx + len(child) + offset)
            if entity is not None:
                return entity
            if (country := country_of(child.text)) is not None:
                return country
            if token.tag_ != "NNS" or token.lemma_.lower() in _BLOC_NOUNS:
                continue
            named = [t for t in child.subtree if t.pos_ == "PROPN" or t.ent_type_ == "NORP"]
            if (
                named and child.pos_ == "PROPN"
            ):  # "European Community foreign ministers", a body the NER missed
                left, end = named[0].idx, named[-1].idx + len(named[-1])
                text = doc_text(token.doc)[left:end]
                return found.add_nominal(text, left + offset, end + offset, text)
            if child.ent_type_ == "NORP" and child.dep_ == "amod":  # "Chilean officials"
                end = token.idx + len(token)
                text = doc_text(token.doc)[child.idx : end]
                return found.add_nominal(
                    f"{child.text} {token.lower_}", child.idx + offset, end + offset, text
                )
    for prep in (c for c in token.rights if c.dep_ == "prep" and c.lower_ in {"of", "in", "from"}):
        for place in (o for o in prep.children if o.dep_ == "pobj"):
            entity = found.entity_at(place.idx + offset, place.idx + len(place) + offset)
            if entity is not None:
                return entity
            if (country := country_of(place.text)) is not None:
                return country
            if depth == 0 and (inner := _group_actor(place, found, offset, 1)) is not None:
                return inner
            if depth == 0 and (bloc := _named_bloc(place)) is not None:  # "leaders of the Azadliq coalition"
                return found.add_nominal(
                    bloc.text, bloc.start_char + offset, bloc.end_char + offset, bloc.text
                )
            if (
                depth == 0
                and token.lemma_.lower() in _GROUP_HEADS
                and place.tag_ == "NNS"
                and place.lemma_.lower() not in _NOT_ACTORS
            ):
                # "thousands of fishermen": a crowd of no named body is coded by what it is
                return found.add_nominal(
                    place.lower_, place.idx + offset, place.idx + len(place) + offset, place.text
                )
    return None


def _named_bloc(token: Token) -> Span | None:
    """The phrase of a grouping's head noun ("group", "bloc", "union") with a proper-name or
    demonym modifier, from that modifier on ("Euro-Asian economic group"); else None."""
    if token.lemma_.lower() not in _BLOC_NOUNS:
        return None
    modifiers = [t for t in token.lefts if t.dep_ in {"amod", "compound", "nmod"}]
    named = [
        t for t in modifiers for u in t.subtree if u.pos_ == "PROPN" or u.ent_type_ in {"NORP", "GPE", "ORG"}
    ]
    if not named:
        return None
    return token.doc[min(t.left_edge.i for t in named) : token.i + 1]


def entities_in(head: Token, found: ArticleEntities, offset: int) -> list[str]:
    names: list[str] = []
    for token in head.subtree:
        name = found.entity_at(token.idx + offset, token.idx + len(token) + offset)
        if name is None or name in names:
            continue
        if token.ent_type_ == "NORP" and token.dep_ in {"amod", "compound"} and token.head.pos_ == "PROPN":
            continue  # "Israeli PM Benjamin Netanyahu", "Russian President …" name a person, not a country
        if found.entities[name].type != "PLACE" or token.ent_type_ in {"GPE", "NORP"}:
            names.append(name)
    return names


def is_place(token: Token, actor: str, found: ArticleEntities) -> bool:
    if token.lemma_.lower() in lexicon.PEOPLE or token.ent_type_ in {"PERSON", "ORG", "NORP"}:
        return False  # "at Israeli soldiers": people coded by their country are no place
    return token.ent_type_ in {"GPE", "LOC", "FAC"} or is_place_name(actor, found)


def is_place_name(name: str, found: ArticleEntities) -> bool:
    entity = found.entities.get(name)
    return entity is not None and entity.type == "PLACE"


def inherited_subject(verb: Token) -> Token | None:
    """The subject of "to coordinate" in "X agreed to coordinate": climb xcomp/conj/advcl heads;
    of "demanding" in "X issued a declaration demanding…": the subject of the noun's verb."""
    current = verb
    for _ in range(3):
        if current.dep_ == "acl" and is_person_noun(current.head):
            return current.head  # "demonstrators protesting election results"
        agent = next((o for a in current.children if a.dep_ == "agent" for o in a.children), None)
        if agent is not None and current is not verb:
            return agent  # "the demonstration staged by students to protest…"
        if (
            current.dep_ == "acl"
            and current.head.dep_ == "dobj"
            and current.head.head.pos_ in {"VERB", "AUX"}
        ):
            current = current.head.head
            subject = next((c for c in current.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                return subject
            continue
        if current.dep_ not in {"xcomp", "conj", "advcl", "ccomp", "acomp"} or current.head.i == current.i:
            return None
        current = current.head
        subject = next((c for c in current.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return subject
    return None
