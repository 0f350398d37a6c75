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
_UNREAL_MODALS = {"could", "might", "may", "should", "must", "can", "ought"}
"""Auxiliaries that make a trigger a possibility or an obligation, not an event ("Russia could
attack"); "will" and "would" stay: they announce plans ("said he would visit")."""
_CONDITIONS = {"if", "unless", "whether", "lest"}
_HABITUAL_ADVERBS = {
    "usually", "often", "regularly", "routinely", "frequently", "always", "typically", "normally",
    "generally", "sometimes", "daily", "weekly", "monthly", "annually", "yearly", "nightly",
}  # fmt: skip
"""Adverbs that make a clause a habit, not a happening ("ferries usually sail to …")."""
_RECURRING = {"every", "each", "twice", "once", "thrice", "per"}
_TIME_NOUNS = {
    "day", "week", "month", "year", "morning", "evening", "night", "weekend", "spring", "summer",
    "autumn", "fall", "winter", "season", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "time", "hour",
}  # fmt: skip
_UNDONE = {
    "cancel", "postpone", "delay", "deny", "suspend", "scrap", "avoid", "prevent", "fail", "refuse", "decline",
}  # fmt: skip
_UNDONE_WITH = {"call": "off", "rule": "out"}
_UNREALISED = {
    "plan", "proposal", "call", "bid", "attempt", "threat", "promise", "offer", "decision", "right",
    "need", "intention", "effort", "pressure", "demand", "request", "readiness", "willingness",
    "refusal", "failure", "order", "idea", "option", "chance", "move", "pledge", "vow", "push",
    "agreement", "deal", "accord", "pact", "treaty", "commitment", "consensus", "resolution",
}  # fmt: skip
"""Nouns whose "to"-clause is an intention, a possibility or what was agreed, not an event ("a plan
to sanction", "an agreement to coordinate")."""
"""Verbs whose object or complement did not happen ("cancelled the visit", "failed to agree")."""
_CONTENT_OF = {"THREATEN", "DEMAND", "AGREE", "REJECT", "MEET", "VISIT", "CONSULT", "NEGOTIATE", "SUPPORT"}
"""Event types whose complement clause is their content or purpose, not a second event: "agreed
to coordinate" is one agreement, "threatened to attack" no attack, "met … to discuss" one meeting.
A STATEMENT's complement is reported as having happened or being planned, so it stays an event."""
_PERSONAL_PRONOUNS = {"it", "he", "she", "they", "its", "his", "her", "their", "we", "our"}
_ARMED_OR_CROWDS = {
    "rebel", "militant", "insurgent", "guerrilla", "gunman", "protester", "protestor", "demonstrator",
    "rioter", "militia", "jihadist", "separatist", "striker", "police", "troops", "soldier",
}  # fmt: skip
_GROUP_HEADS = {"thousand", "hundred", "dozen", "score", "million", "leadership", "group", "crowd"}
_NOT_ACTORS = {
    "source", "report", "analyst", "observer", "expert", "witness", "media", "newspaper", "critic",
    "commentator", "rumour", "rumor", "people",
}  # fmt: skip
"""Plural nouns that tell where news came from, not who acted ("sources in Tel Aviv announced")."""
"""Heads of groups of people that are not plural nouns by tag ("thousands of Iraqi Kurds")."""
_BLOC_NOUNS = {
    "group", "bloc", "union", "alliance", "community", "organisation", "organization", "council",
    "coalition", "federation", "league", "commission", "forum", "partnership", "front",
}  # fmt: skip
_LIGHT_VERBS = {
    "hold", "have", "make", "pay", "conduct", "carry", "launch", "stage", "impose", "issue", "sign",
    "reach", "begin", "start", "open", "host", "attend", "give", "deliver", "lead", "mount", "wage",
    "continue", "resume", "undertake", "order", "announce", "complete", "take", "offer", "provide",
    "renew", "reiterate", "repeat", "press", "step", "restart", "intensify", "escalate",
    "send", "extend", "approve", "adopt", "seal", "strike",
}  # fmt: skip
"""Verbs that perform the event their object names ("held talks", "imposed sanctions"): their
subject is its source. Any other verb only talks about it ("criticised the sanctions")."""


def extract_events(doc: Doc, offset: int, found: ArticleEntities, published: str | None) -> list[Event]:
    """Events triggered in one parsed chunk, with arguments linked to the article's entities."""
    events: list[Event] = []
    seen: set[tuple[str, str | None, str | None, int]] = set()
    for token in doc:
        kind = _event_type(token)
        if kind is None or _folded(token) or not _asserted(token):
            continue
        source, target, location = _arguments(token, kind, found, offset)
        source = actor_name(source) if source else None
        target = actor_name(target) if target else None
        if target == source:
            target = None
        key = (kind, source, target, token.sent.start)
        if key in seen or (source is None and not (target and _passive(token))):
            continue  # who did it makes an event; only a passive verb ("was arrested") may leave it unsaid
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
            if any(c.lower_ == "for" for c in token.children) or any(
                m.dep_ == "mark" and m.lower_ == "for" for c in token.children for m in c.children
            ):  # "called for talks", "called for France to support…"
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


def _folded(trigger: Token) -> bool:
    """Whether another trigger already carries this one: it is the content or purpose clause of an
    event of ``_CONTENT_OF`` ("agreed to coordinate"), or a noun that a trigger verb acts on
    ("signed an agreement" is one signing, "criticised the sanctions" one criticism)."""
    if trigger.head.i == trigger.i:
        return False
    if trigger.dep_ in {"xcomp", "advcl", "ccomp"}:
        return _event_type(trigger.head) in _CONTENT_OF
    if trigger.pos_ != "VERB" and trigger.dep_ in {"dobj", "nsubjpass"}:
        return trigger.head.pos_ == "VERB" and _event_type(trigger.head) is not None
    return False


def _asserted(trigger: Token) -> bool:
    """False for a trigger that is negated, conditional, only possible, or undone ("did not meet",
    "if they attack", "could visit", "no talks", "cancelled the visit", "failed to agree")."""
    clause = trigger if trigger.pos_ == "VERB" else _governing_clause(trigger)
    if trigger.pos_ != "VERB":
        if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in trigger.children):
            return False
        if trigger.dep_ in {"dobj", "nsubjpass"} and _undoes(trigger.head):
            return False
    elif trigger.dep_ == "acl" and trigger.head.lemma_.lower() in _UNREALISED:
        return False  # "a plan to sanction Hungary", "calls to attack"
    current = clause
    for _ in range(4):  # the trigger's clause and the clauses it hangs from
        if current is None:
            break
        children = list(current.children)
        if any(c.dep_ == "neg" for c in children) and current is clause:
            return False
        if current is clause and _habitual(current):
            return False
        if any(c.dep_ in {"aux", "auxpass"} and c.lower_ in _UNREAL_MODALS for c in children):
            return False
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in children):
            return False
        if current.dep_ not in {"xcomp", "advcl", "ccomp", "conj"} or current.head.i == current.i:
            break
        if current.dep_ == "xcomp" and _undoes(current.head):
            return False
        current = current.head
    return True


def _habitual(clause: Token) -> bool:
    """A clause said of a habit ("fly … twice a week", "visit … every spring", "usually meet"):
    a generic statement, not one event. Modifiers inside an embedded clause ("said it flies daily")
    do not count; a misattached one under a prepositional or adverbial piece does."""
    for token in clause.subtree:
        if token.dep_ not in {"advmod", "npadvmod"} or not _in_own_clause(token, clause):
            continue
        if token.dep_ == "advmod" and token.lower_ in _HABITUAL_ADVERBS:
            return True
        words = {t.lower_ for t in token.subtree}
        if words & _RECURRING and words & _TIME_NOUNS:
            return True
    return False


def _in_own_clause(token: Token, clause: Token) -> bool:
    current = token.head
    while current.i != clause.i:
        if current.dep_ in {"ccomp", "xcomp", "relcl", "acl", "csubj"} and current.pos_ in {"VERB", "AUX"}:
            return False
        if current.head.i == current.i:
            return False
        current = current.head
    return True


def _passive(trigger: Token) -> bool:
    return trigger.pos_ == "VERB" and any(c.dep_ in {"nsubjpass", "auxpass"} for c in trigger.children)


def _undoes(verb: Token) -> bool:
    lemma = verb.lemma_.lower()
    if lemma in _UNDONE:
        return True
    particle = _UNDONE_WITH.get(lemma)
    return particle is not None and any(c.dep_ == "prt" and c.lower_ == particle for c in verb.children)


def merge_mentions(events: list[Event]) -> list[Event]:
    """One event per happening in an article: a later or earlier mention of the same type and
    source that lacks a partner ("Medvedev's visit will focus on…" after "Medvedev will visit
    Israel on November 10") and agrees on place, date and status is the same event; the mention
    with more arguments is kept."""
    kept: list[Event] = []
    for event in events:
        for i, other in enumerate(kept):
            if _same_happening(other, event):
                if _filled(event) > _filled(other):
                    kept[i] = event
                break
        else:
            kept.append(event)
    return kept


def _same_happening(a: Event, b: Event) -> bool:
    if a.type != b.type or a.source != b.source or (a.target is not None and b.target is not None):
        return False
    if a.location and b.location and a.location != b.location:
        return False
    dated = {a.date_status, b.date_status} - {"publication"}
    if len(dated) > 1:  # one planned, one happened: two visits
        return False
    real_dates = [e.date for e in (a, b) if e.date and e.date_status != "publication"]
    return len(set(real_dates)) <= 1


def _filled(event: Event) -> int:
    return sum(
        value is not None
        for value in (
            event.target,
            event.location,
            event.date if event.date_status != "publication" else None,
        )
    )


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
        for verb in (c for c in children if c.dep_ in {"acl", "relcl"}):  # "sanctions imposed by the EU"
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            performer = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            if source is None and performer is not None:
                source = _actor(performer, found, offset)
        head = trigger.head
        if (
            source is None
            and trigger.dep_ == "dobj"
            and head.pos_ in {"VERB", "AUX"}
            and (head.lemma_.lower() in _LIGHT_VERBS or _event_type(head) == kind)
        ):
            subject = next((c for c in head.children if c.dep_ == "nsubj" and c.i != trigger.i), None)
            if subject is None:
                subject = _inherited_subject(head)
            if subject is not None:
                source = _actor(subject, found, offset)
    for prep in (c for c in children if c.dep_ == "prep"):
        objects = [o for o in prep.children if o.dep_ == "pobj"]
        if not objects:
            continue
        if prep.lower_ == "between":
            sides = _sides(objects[0], found, offset) or _entities_in(prep, found, offset)
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
    if location is None and trigger.pos_ == "VERB":  # "met Ingrid Moe in Oslo", parsed onto the object
        for obj in (c for c in children if c.dep_ == "dobj"):
            for prep in (c for c in obj.children if c.dep_ == "prep" and c.lower_ in {"in", "at"}):
                spot = next(
                    (o for o in prep.children if o.dep_ == "pobj" and o.ent_type_ in {"GPE", "LOC", "FAC"}),
                    None,
                )
                if spot is not None and location is None:
                    location = _actor(spot, found, offset)
    if kind == "VISIT" and location is None and target is not None and _is_place_name(target, found):
        location = target
    if target is None and kind in {"THREATEN", "DEMAND", "CRITICISE", "STATEMENT", "AGREE", *_CONTENT_OF}:
        clause = next((c for c in children if c.dep_ in {"ccomp", "xcomp", "advcl"}), None)
        if clause is not None and _event_type(clause) is not None and kind in _CONTENT_OF:
            # "agreed to coordinate with Netanyahu": the folded trigger's own partner
            inner_target = _arguments(clause, kind, found, offset)[1]
            target = inner_target if inner_target != source else None
        if target is None and clause is not None and kind != "MEET" and kind != "VISIT":
            inner = _entities_in(clause, found, offset)
            target = next((e for e in inner if e != source), None)
    if source is None and trigger.pos_ != "VERB":
        scope = _governing_clause(trigger)
        if scope is not None and kind in {"NEGOTIATE", "MEET", "AGREE", "CONSULT"}:
            between = [p for p in scope.subtree if p.lower_ == "between" and p.dep_ == "prep"]
            if between:
                objects = [o for o in between[0].children if o.dep_ == "pobj"]
                sides = (_sides(objects[0], found, offset) if objects else []) or _entities_in(
                    between[0], found, offset
                )
                source = sides[0] if sides else None
                target = target or (sides[1] if len(sides) > 1 else None)
    if target == source:
        target = None
    return source, target, location


def _inherited_subject(verb: Token) -> Token | None:
    """The subject of "to coordinate" in "X agreed to coordinate": climb xcomp/conj/advcl heads;
    of "demanding" in "X issued a declaration demanding…": the subject of the noun's verb."""
    current = verb
    for _ in range(3):
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
        if current.dep_ not in {"xcomp", "conj", "advcl", "ccomp"} or current.head.i == current.i:
            return None
        current = current.head
        subject = next((c for c in current.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return subject
    return None


def _conjunct(token: Token) -> Token | None:
    return next((c for c in token.children if c.dep_ == "conj"), None)


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


def _actor(token: Token, found: ArticleEntities, offset: int) -> str | None:
    """The canonical entity an argument names; else a nominal organisation; else None."""
    if token.pos_ == "PRON" and token.lower_ in _PERSONAL_PRONOUNS:
        antecedent = _antecedent(token)
        return _actor(antecedent, found, offset) if antecedent is not None else None
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
    if token.pos_ == "PROPN":  # a name the NER missed is still an actor
        words = [t for t in token.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [token]
        return " ".join(t.text for t in words)
    return None


def _sides(first: Token, found: ArticleEntities, offset: int) -> list[str]:
    """The actors of "between X and Y": the phrase's head and its conjuncts, each as a whole (so
    "Russian President Vladimir Putin" is Putin, not Russia)."""
    heads = [first]
    while (partner := _conjunct(heads[-1])) is not None and len(heads) < 4:
        heads.append(partner)
    names: list[str] = []
    for token in heads:
        name = _actor(token, found, offset)
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
    for prep in (c for c in token.rights if c.dep_ == "prep" and c.lower_ in {"of", "in", "from"}):
        for place in (o for o in prep.children if o.dep_ == "pobj"):
            entity = found.entity_at(place.idx + offset, place.idx + len(place) + offset)
            if entity is not None:
                return entity
            if (country := country_of(place.text)) is not None:
                return country
            if depth == 0 and (inner := _group_actor(place, found, offset, 1)) is not None:
                return inner
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


def _entities_in(head: Token, found: ArticleEntities, offset: int) -> list[str]:
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
