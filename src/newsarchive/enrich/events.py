"""Who did what to whom, where and when, from the dependency parse.

A trigger is a verb lemma or a nominalisation ("visit", "talks", "telephone conversations") listed
in ``TRIGGERS`` under a PLOVER-style type. Arguments come from the parse: subject -> source,
object or with/to/against-phrase -> target, in/at/to-place -> location; "X and Y" subjects and
"between X and Y" phrases give both sides of symmetric events; "X's visit" and "visit by X" give the
source of a noun trigger. The date is the time expression nearest the trigger in its clause,
resolved by ``dates``; future auxiliaries and dates after publication make it planned.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from newsarchive.enrich import dates
from newsarchive.enrich.entities import ArticleEntities, actor_name, country_of, doc_text, nominal_name
from newsarchive.model import DateStatus, Event

TRIGGERS: dict[str, dict[str, str]] = {
    "verb": {
        **dict.fromkeys(["meet", "host", "summit"], "MEET"),
        **dict.fromkeys(["visit", "tour", "travel", "fly"], "VISIT"),
        **dict.fromkeys(["telephone", "phone", "consult", "discuss", "talk", "confer"], "CONSULT"),
        **dict.fromkeys(["agree", "promise", "pledge", "vow", "commit", "coordinate", "cooperate"], "AGREE"),
        **dict.fromkeys(["sign", "ratify", "conclude"], "SIGN"),
        **dict.fromkeys(["negotiate", "mediate", "bargain"], "NEGOTIATE"),
        **dict.fromkeys(["announce", "declare", "issue", "proclaim"], "STATEMENT"),
        **dict.fromkeys(["demand", "urge", "request", "insist", "appeal"], "DEMAND"),
        **dict.fromkeys(["threaten", "warn", "caution"], "THREATEN"),
        **dict.fromkeys(
            ["criticise", "criticize", "condemn", "denounce", "blame", "accuse", "slam", "rebuke", "deplore"],
            "CRITICISE",
        ),
        **dict.fromkeys(["support", "back", "endorse", "praise", "welcome", "commend", "defend"], "SUPPORT"),
        **dict.fromkeys(["aid", "assist", "donate", "supply", "help", "fund"], "AID"),
        **dict.fromkeys(["sanction", "embargo", "boycott", "expel", "freeze", "ban"], "SANCTION"),
        **dict.fromkeys(
            [
                "attack",
                "strike",
                "bomb",
                "shell",
                "invade",
                "raid",
                "kill",
                "fight",
                "shoot",
                "assault",
                "clash",
            ],
            "ATTACK",
        ),
        **dict.fromkeys(["arrest", "detain", "jail", "imprison", "capture", "apprehend"], "ARREST"),
        **dict.fromkeys(["protest", "demonstrate", "rally", "march", "riot"], "PROTEST"),
        **dict.fromkeys(["appoint", "nominate", "name", "elect", "install", "designate"], "APPOINT"),
        **dict.fromkeys(["reject", "refuse", "veto", "dismiss", "rebuff"], "REJECT"),
        **dict.fromkeys(["investigate", "probe", "inspect"], "INVESTIGATE"),
    },
    "noun": {
        **dict.fromkeys(["meeting", "summit", "encounter"], "MEET"),
        **dict.fromkeys(["visit", "trip", "tour"], "VISIT"),
        **dict.fromkeys(["conversation", "call", "consultation", "discussion"], "CONSULT"),
        **dict.fromkeys(["agreement", "accord", "deal", "pact", "treaty"], "AGREE"),
        **dict.fromkeys(["signing"], "SIGN"),
        **dict.fromkeys(["talks", "negotiation", "negotiations"], "NEGOTIATE"),
        **dict.fromkeys(["statement", "announcement", "declaration"], "STATEMENT"),
        **dict.fromkeys(["demand", "ultimatum"], "DEMAND"),
        **dict.fromkeys(["threat", "warning"], "THREATEN"),
        **dict.fromkeys(["criticism", "condemnation"], "CRITICISE"),
        **dict.fromkeys(["aid", "assistance", "donation"], "AID"),
        **dict.fromkeys(["sanctions", "embargo", "boycott"], "SANCTION"),
        **dict.fromkeys(
            ["attack", "airstrike", "bombing", "invasion", "raid", "offensive", "assault"], "ATTACK"
        ),
        **dict.fromkeys(["arrest", "detention"], "ARREST"),
        **dict.fromkeys(["protest", "demonstration", "rally"], "PROTEST"),
        **dict.fromkeys(["appointment", "nomination"], "APPOINT"),
    },
}
"""Trigger word -> event type. Verb keys are lemmas; noun keys are lemma or lower-case text."""
EVENT_TYPES = sorted({t for table in TRIGGERS.values() for t in table.values()})

PHONE_WORDS = {"telephone", "phone", "video"}
NEEDS_PARTICLE = {"call": {"for"}, "fly": {"to"}, "travel": {"to"}, "issue": set()}
_TARGET_PREPS = {"with", "to", "against", "on", "for", "at", "into", "from"}
_PLACE_PREPS = {"in", "at", "to", "into"}
_FUTURE = {"will", "shall", "'ll", "’ll"}
_PLAN_WORDS = {"plan", "expect", "schedule", "intend", "set", "due", "prepare", "aim", "hope", "go"}


def extract_events(doc: Doc, offset: int, found: ArticleEntities, published: str | None) -> list[Event]:
    """Events triggered in one parsed chunk, with arguments linked to the article's entities."""
    events: list[Event] = []
    seen: set[tuple[str, str | None, str | None, int]] = set()
    for token in doc:
        kind = _event_type(token)
        if kind is None:
            continue
        source, target, location = _arguments(token, kind, found, offset)
        source = actor_name(source) if source else None
        target = actor_name(target) if target else None
        if target == source:
            target = None
        key = (kind, source, target, token.sent.start)
        if (source is None and target is None) or key in seen:
            continue
        seen.add(key)
        date_value, status = _date(token, published)
        sent = token.sent
        evidence = _evidence_span(token, sent)
        start, end = evidence.start_char + offset, evidence.end_char + offset
        events.append(
            Event(
                id=f"{found.article_id}:{token.idx + offset}:{kind}",
                type=kind,
                source=source,
                target=target,
                location=location,
                date=date_value,
                date_status=status,
                article_id=found.article_id,
                evidence_text=evidence.text,
                start=start,
                end=end,
            )
        )
    return events


def _event_type(token: Token) -> str | None:
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB":
        if lemma == "call":
            # "called for X" is a demand; "called X" on the phone is a consultation.
            if any(c.lower_ == "for" for c in token.children):
                return "DEMAND"
            if any(c.dep_ == "dobj" and c.ent_type_ in {"PERSON", "GPE", "ORG"} for c in token.children):
                return "CONSULT"
            return None
        if lemma == "issue" and not any(c.lemma_.lower() in {"statement", "warning"} for c in token.children):
            return None
        return TRIGGERS["verb"].get(lemma)
    if token.pos_ in {"NOUN", "PROPN"}:
        word = token.lower_ if token.lower_ in TRIGGERS["noun"] else lemma
        kind = TRIGGERS["noun"].get(word)
        if kind == "CONSULT" and word in {"call", "conversation"}:
            phone = any(c.lower_ in PHONE_WORDS for c in token.children) or word == "conversation"
            return "CONSULT" if phone else None
        if (
            kind == "STATEMENT"
            and token.dep_ in {"nsubj", "dobj"}
            and token.head.lemma_.lower() in {"issue", "say"}
        ):
            return None  # the verb already carries the event ("issued a statement")
        return kind
    return None


def _arguments(
    trigger: Token, kind: str, found: ArticleEntities, offset: int
) -> tuple[str | None, str | None, str | None]:
    source = target = location = None
    children = list(trigger.children)
    if trigger.pos_ == "VERB":
        subject = next((c for c in children if c.dep_ == "nsubj"), None)
        agent = next((c for c in children if c.dep_ == "agent"), None)
        passive = next((c for c in children if c.dep_ == "nsubjpass"), None)
        if agent is not None:
            subject = next((c for c in agent.children if c.dep_ == "pobj"), subject)
        if subject is None:
            subject = _inherited_subject(trigger)
        if subject is not None:
            source = _actor(subject, found, offset)
            partner = _conjunct(subject)
            if partner is not None:
                target = _actor(partner, found, offset)
        obj = next((c for c in children if c.dep_ in {"dobj", "dative"}), None) or (
            passive if agent else None
        )
        if passive is not None and agent is None:
            obj = passive
        if obj is not None and target is None:
            target = _actor(obj, found, offset)
    else:
        owner = next((c for c in children if c.dep_ == "poss"), None)
        if owner is not None:
            source = _actor(owner, found, offset)
        for prep in (c for c in children if c.dep_ == "prep"):
            objects = [o for o in prep.children if o.dep_ == "pobj"]
            if prep.lower_ == "by" and objects and source is None:
                source = _actor(objects[0], found, offset)
        if (
            source is None
            and trigger.dep_ in {"dobj", "nsubj", "attr"}
            and trigger.head.pos_ in {"VERB", "AUX"}
        ):
            subject = next((c for c in trigger.head.children if c.dep_ == "nsubj" and c.i != trigger.i), None)
            if subject is not None and trigger.dep_ == "dobj":
                source = _actor(subject, found, offset)
    for prep in (c for c in children if c.dep_ == "prep"):
        objects = [o for o in prep.children if o.dep_ == "pobj"]
        if not objects:
            continue
        if prep.lower_ == "between":
            sides = _entities_in(prep, found, offset)
            if sides:
                source = source or sides[0]
                target = target or (sides[1] if len(sides) > 1 and sides[1] != source else None)
            continue
        actor = _actor(objects[0], found, offset)
        if actor is None:
            continue
        place = _is_place(objects[0], actor, found)
        if prep.lower_ in _PLACE_PREPS and place:
            location = location or actor
            if kind == "VISIT" and target is None:
                target = actor
        elif prep.lower_ in _TARGET_PREPS and target is None:
            target = actor
    if kind == "VISIT" and location is None and target is not None and _is_place_name(target, found):
        location = target
    if target is None and kind in {"THREATEN", "DEMAND", "CRITICISE", "STATEMENT", "AGREE"}:
        clause = next((c for c in children if c.dep_ in {"ccomp", "xcomp"}), None)
        if clause is not None:
            inner = _entities_in(clause, found, offset)
            target = next((e for e in inner if e != source), None)
    if source is None and trigger.pos_ != "VERB":
        scope = _governing_clause(trigger)
        if scope is not None and kind in {"NEGOTIATE", "MEET", "AGREE", "CONSULT"}:
            between = [p for p in scope.subtree if p.lower_ == "between" and p.dep_ == "prep"]
            if between:
                sides = _entities_in(between[0], found, offset)
                source = sides[0] if sides else None
                target = target or (sides[1] if len(sides) > 1 else None)
    if target == source:
        target = None
    return source, target, location


def _inherited_subject(verb: Token) -> Token | None:
    """The subject of "to coordinate" in "X agreed to coordinate": climb xcomp/conj/advcl heads."""
    current = verb
    for _ in range(3):
        if current.dep_ not in {"xcomp", "conj", "advcl", "ccomp"} or current.head.i == current.i:
            return None
        current = current.head
        subject = next((c for c in current.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return subject
    return None


def _conjunct(token: Token) -> Token | None:
    return next((c for c in token.children if c.dep_ == "conj"), None)


def _actor(token: Token, found: ArticleEntities, offset: int) -> str | None:
    """The canonical entity an argument names; else a nominal organisation; else None."""
    entity = found.entity_at(token.idx + offset, token.idx + len(token) + offset)
    if entity is not None:
        return entity
    country = country_of(token.text)
    if country is not None:
        return country
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
    # "Hungarian officials": event data codes an unnamed group by its country.
    for child in token.lefts:
        if child.dep_ in {"amod", "compound", "nmod"} and (country := country_of(child.text)) is not None:
            return country
    if token.pos_ == "PROPN":  # a name the NER missed is still an actor
        words = [t for t in token.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [token]
        return " ".join(t.text for t in words)
    return None


def _entities_in(head: Token, found: ArticleEntities, offset: int) -> list[str]:
    names: list[str] = []
    for token in head.subtree:
        name = found.entity_at(token.idx + offset, token.idx + len(token) + offset)
        if name is None or name in names:
            continue
        if found.entities[name].type != "PLACE" or token.ent_type_ in {"GPE", "NORP"}:
            names.append(name)
    return names


def _is_place(token: Token, actor: str, found: ArticleEntities) -> bool:
    return token.ent_type_ in {"GPE", "LOC", "FAC"} or _is_place_name(actor, found)


def _is_place_name(name: str, found: ArticleEntities) -> bool:
    entity = found.entities.get(name)
    return entity is not None and entity.type == "PLACE"


def _governing_clause(token: Token) -> Token | None:
    current = token
    for _ in range(6):
        if current.pos_ in {"VERB", "AUX"}:
            return current
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def _evidence_span(trigger: Token, sent: Span) -> Span:
    return sent


def _date(trigger: Token, published: str | None) -> tuple[str | None, DateStatus]:
    clause = trigger if trigger.pos_ == "VERB" else _governing_clause(trigger) or trigger
    tense = _tense(clause)
    expression = _nearest_date(trigger, clause)
    if expression is not None:
        resolved = dates.resolve(expression.text, published, tense)
        implied = resolved.tense or dates.compare(resolved.value, published) or tense
        if resolved.value is not None or resolved.relative:
            return resolved.value, "planned" if implied == "future" else "happened"
    if tense == "future":
        return None, "planned"
    anchor = dates.parse_published(published)
    return (anchor.isoformat() if anchor else None), "publication"


def _nearest_date(trigger: Token, clause: Token) -> Span | None:
    doc = trigger.doc
    candidates = [e for e in trigger.sent.ents if e.label_ == "DATE"]
    in_scope = [e for e in candidates if clause.left_edge.i <= e.start and e.end <= clause.right_edge.i + 1]
    # A date inside another trigger's own clause belongs to that trigger, not this one.
    in_scope = [e for e in in_scope if _owner_clause(doc[e.start]).i in {clause.i, trigger.i}]
    if not in_scope:
        return None
    return min(in_scope, key=lambda e: abs(e.start - trigger.i))


def _owner_clause(token: Token) -> Token:
    current = token
    for _ in range(8):
        if current.pos_ in {"VERB", "AUX"} or current.head.i == current.i:
            return current
        current = current.head
    return current


def _tense(verb: Token) -> dates.Tense | None:
    words = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if words & _FUTURE:
        return "future"
    head = verb.head
    if verb.dep_ == "xcomp" and head.lemma_.lower() in _PLAN_WORDS:
        return "future"
    if verb.tag_ in {"VBD", "VBN"} or words & {"had", "has", "have", "did", "was", "were"}:
        return "past"
    if verb.dep_ in {"xcomp", "conj"} and head.i != verb.i:
        return _tense(head)
    return None
