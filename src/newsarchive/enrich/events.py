"""Who did what to whom, where and when, from the dependency parse.

A trigger is a verb lemma or a nominalisation ("visit", "talks", "telephone conversations") listed
in ``TRIGGERS`` (``event_lexicon``) under a PLOVER-style type, or a verb whose object decides the
type ("suspended aid" is a SANCTION, "restored ties" SUPPORT, "blocked the road" a PROTEST, "struck
a deal" nothing). PLOVER's coding rules decide the rest: a promised cooperative act is an AGREE
and a promised conflictual one a THREATEN ("will provide aid", "vowed to attack"); "X said Y must
…" is X's DEMAND on Y; a refused acceptance is a REJECT ("will not accept refugees"); a crowd that
protests demonstrates, a government that protests complains. Arguments come from the parse:
subject -> source, object, its owner ("Turkey's efforts") or with/to/against-phrase -> target,
in/at-place -> location; "X and Y" subjects and "between X and Y" phrases give both sides of
symmetric events; "X's visit", "visit by X" and "Palestinian riots" give the source of a noun
trigger; dates, numbers and money are never actors. The date is the time expression nearest the
trigger in its clause (not a point of comparison: "lowest since 1997"), else that of the clause it
hangs on or of its "when"-clause (``event_dates``). A trigger the sentence does not assert is no
event (``event_assertion``): negated, conditional ("if", "in case", "should X…"), modal, wished, weighed,
a habit, a purpose, undone or prevented, denied, guessed, rumoured or discounted, feared or hoped
for, or only the topic of a work or of a measure ("the cost of the visit").
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from newsarchive.enrich import event_actors as actors
from newsarchive.enrich import event_assertion as assertion
from newsarchive.enrich import event_dates
from newsarchive.enrich import event_lexicon as lexicon
from newsarchive.enrich.entities import ORG_NOUNS, ArticleEntities, actor_name
from newsarchive.model import Event

TRIGGERS: dict[str, dict[str, str]] = {"verb": lexicon.VERB_TRIGGERS, "noun": lexicon.NOUN_TRIGGERS}
"""Trigger word -> event type. Verb keys are lemmas; noun keys are lemma or lower-case text."""
EVENT_TYPES = sorted({t for table in TRIGGERS.values() for t in table.values()})

PHONE_WORDS = {"telephone", "phone", "video"}
NEEDS_PARTICLE = {"call": {"for"}, "fly": {"to"}, "travel": {"to"}, "issue": set()}
_TARGET_PREPS = {"with", "to", "against", "on", "for", "at", "into", "from"}
_PLACE_PREPS = {"in", "at", "to", "into"}
_CONTENT_OF = {"THREATEN", "DEMAND", "AGREE", "REJECT", "MEET", "VISIT", "CONSULT", "NEGOTIATE", "SUPPORT"}
"""Event types whose complement clause is their content or purpose, not a second event: "agreed
to coordinate" is one agreement, "threatened to attack" no attack, "met … to discuss" one meeting.
A STATEMENT's complement is reported as having happened or being planned, so it stays an event."""
_LIGHT_VERBS = {
    "hold", "have", "make", "pay", "conduct", "carry", "launch", "stage", "impose", "issue", "sign",
    "reach", "begin", "start", "open", "host", "attend", "give", "deliver", "lead", "mount", "wage",
    "continue", "resume", "undertake", "order", "announce", "complete", "take", "offer", "provide",
    "renew", "reiterate", "repeat", "press", "step", "restart", "intensify", "escalate",
    "send", "extend", "approve", "adopt", "seal", "strike", "lodge", "file", "organise", "organize",
    "register", "voice", "call", "declare", "reimpose", "stag",
}  # fmt: skip
"""Verbs that perform the event their object names ("held talks", "imposed sanctions"): their
subject is its source. Any other verb only talks about it ("criticised the sanctions"). "stag" is
how the shipped lemmatiser reads "staged"."""


def cue_words() -> frozenset[str]:
    """Every lemma or lower-case word that can make an event here: the trigger tables, and the verbs
    whose object or clause decides ("suspended aid", "said Y must…", "will release"). A sentence
    with none of them holds no event, so a lexical pre-filter may skip its parse; one built from
    ``TRIGGERS`` alone would lose the events of ``_object_type`` and the rules of intent."""
    by_object = {
        "strike", "meet", "fire", "blow", "set", "open", "violate", "breach", "break", "throw", "hurl",
        "lob", "take", "hold", "seize", "collect", "gather", "submit", "deliver", "accept", "hack",
        "arrive", "deploy", "capture", "withdraw", "pull", "recall", "press", "push", "order", "deny",
        "evacuate", "stag", "call", "issue", "retreat",
    }  # fmt: skip
    return frozenset(
        set(TRIGGERS["verb"]) | set(TRIGGERS["noun"]) | by_object | _STOPPAGES | _DRILLS | {"hearing"}
        | lexicon.GIVING_VERBS | lexicon.STOPPING_VERBS | lexicon.BONDING_VERBS | lexicon.SHARING_VERBS
        | lexicon.RESTRICTING_VERBS | lexicon.BLOCKING_VERBS | lexicon.WORK_STOPPING
        | lexicon.DISPATCHING_VERBS | lexicon.SEEKING_VERBS | lexicon.NOT_ALLOWED
        | lexicon.REPORTING_VERBS | lexicon.YIELDING_VERBS | lexicon.RETREATING_VERBS | lexicon.MOBILISING_VERBS
    )  # fmt: skip


def extract_events(doc: Doc, offset: int, found: ArticleEntities, published: str | None) -> list[Event]:
    """Events triggered in one parsed chunk, with arguments linked to the article's entities."""
    events: list[Event] = []
    seen: set[tuple[str, str | None, str | None, int]] = set()
    for token in doc:
        kind = _event_type(token)
        if kind is None or _folded(token) or not assertion.asserted(token, negation_ok=_refusal(token)):
            continue
        if assertion.consequence(token, said=kind in {"THREATEN", "AGREE", "REJECT"}):
            continue
        source, target, location = _arguments(token, kind, found, offset)
        source = actor_name(source) if source else None
        target = actor_name(target) if target else None
        if target == source:
            target = None
        key = (kind, source, target, token.sent.start)
        if key in seen or (
            source is None and (kind in _CONCESSIONS or not (target and assertion.passive(token)))
        ):
            # who did it makes an event; only a passive verb ("was arrested") may leave it unsaid, and
            # not a concession: "Halo 2 was released" is a game on sale, not a prisoner set free
            continue
        seen.add(key)
        date_value, status = event_dates.event_date(token, published, _is_trigger)
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
    """The event type a token triggers, after the rules of intent: a promise or plan of a
    cooperative act is an AGREE, of a conflictual one a THREATEN (PLOVER's coding of intentions)."""
    kind = _word_type(token)
    if token.pos_ != "VERB" or not assertion.intended(token):
        return kind
    action = _action_type(token, kind)
    if action in _INTENT_KEEPS:
        return kind
    if action in lexicon.CONFLICTUAL:
        return "THREATEN"
    if action in lexicon.COOPERATIVE or action == _YIELD:
        return "AGREE"
    return kind


_YIELD = "yield"
"""The action type of a yielding verb ("release", "lift", "withdraw"): no event once done (we have no
RETREAT type), an AGREE when promised."""
_INTENT_KEEPS = {"MEET", "VISIT", "CONSULT", "NEGOTIATE", "SIGN", "STATEMENT", "DEMAND", "THREATEN", "REJECT"}
"""Planned meetings, visits, talks and signings keep their own type and are marked planned."""


def _word_type(token: Token) -> str | None:
    """The type the trigger word gives in its construction, before intent is considered."""
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB":
        if token.dep_ in _NOMINAL_USES:
            return None  # "the besieged town", "evacuated the wounded": a participle, not an act
        if _refusal(token):
            return "REJECT"
        if _reports_obligation(token):
            return "DEMAND"  # "X said Y must…": PLOVER codes the report as a demand on Y
        by_object = _object_type(token, lemma)
        if by_object is not None:
            return by_object or None
        if lemma == "call":
            # "called for X" is a demand; "called X" on the phone is a consultation.
            if any(c.lower_ in {"for", "on"} and c.dep_ == "prep" for c in token.children) or any(
                m.dep_ == "mark" and m.lower_ == "for" for c in token.children for m in c.children
            ):  # "called for talks", "called for France to support…", "called on Arabs to unite"
                return "DEMAND"
            if any(c.dep_ == "dobj" and c.ent_type_ in {"PERSON", "GPE", "ORG"} for c in token.children):
                return "CONSULT"
            return None
        if lemma == "issue" and not any(c.lemma_.lower() in {"statement", "warning"} for c in token.children):
            return None
        kind = TRIGGERS["verb"].get(lemma)
        if lemma in {"decline", "refuse"} and _keeps_quiet(token):
            return None  # "declined to comment", "refused further comment"
        if lemma == "decline" and not _declines_a_step(token):
            return None  # "declined to describe the bomb": no step refused
        if lemma == "offer" and not _offers_cooperation(token):
            return None  # "will offer 500,000 shares", "offered Teixeira a contract"
        if lemma == "help" and not _helps_in_need(token):
            return None  # "will help customers", "helped him win": no aid
        if kind == "PROTEST" and lemma == "protest" and not _crowd_subject(token):
            return "CRITICISE"  # a government or a rights group that protests complains
        if kind == "AGREE" and lemma in lexicon.INTENT_HEADS:
            inner = next((c for c in token.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
            if inner is not None and _action_type(inner, _word_type(inner)) in lexicon.CONFLICTUAL:
                return "THREATEN"  # "vowed to wage war", "pledged to retaliate"
        return kind
    if token.pos_ in {"NOUN", "PROPN"}:
        word = token.lower_ if token.lower_ in TRIGGERS["noun"] else lemma
        head = token.head.lemma_.lower()
        if word in _STOPPAGES:
            objects = [o for p in token.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
            return "SANCTION" if objects and _severed(objects[0]) else None
        if word == "fire":
            return (
                "ATTACK"
                if token.dep_ == "dobj" and head in {"open", "launch", "exchange", "return"}
                else None
            )
        if word == "hearing":  # "opened a hearing into the legality of…"
            into = [*token.children, *(token.head.children if token.dep_ == "dobj" else [])]
            return "INVESTIGATE" if any(c.lower_ == "into" and c.dep_ == "prep" for c in into) else None
        if lemma in _DRILLS:
            return "AGREE" if _joint(token) else None  # joint military exercises: cooperation
        kind = TRIGGERS["noun"].get(word)
        if word == "strike":
            armed = any(c.lower_ in lexicon.ARMED_STRIKE for c in token.children if c.dep_ in _MODIFIERS)
            return "ATTACK" if armed else "PROTEST"
        if word == "protest":
            if head in lexicon.COMPLAINT_VERBS:
                return "CRITICISE"  # "lodged an official protest with Albania"
            if token.dep_ == "pobj" and token.head.lower_ == "in":
                return None  # "in protest against…": the purpose of another act
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


_MODIFIERS = {"compound", "amod", "nmod", "nummod"}
_DRILLS = {"exercise", "drill", "manoeuvre", "maneuver", "game", "patrol", "wargame"}
_NOMINAL_USES = {"amod", "compound", "dobj", "nsubj", "nsubjpass", "pobj", "attr", "appos"}
_STOPPAGES = {"suspension", "severance", "halt", "cutoff", "cut", "reduction", "freeze", "termination"}
_WEAPON_FIRE = {
    "shell", "rocket", "missile", "shot", "bullet", "mortar", "round", "grenade", "salvo", "volley",
    "gas", "artillery", "projectile", "bomb", "torpedo", "cannon",
}  # fmt: skip


def _object_type(verb: Token, lemma: str) -> str | None:
    """The type a verb gives by what it acts on ("suspended aid", "restored ties", "blocked the
    road"); "" when the object makes the verb no event ("struck a deal", "met their demands");
    None when the object decides nothing."""
    objects = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
    particle = {c.lower_ for c in verb.children if c.dep_ == "prt"}
    heads = {o.lemma_.lower() for o in objects} | {o.lower_ for o in objects}
    words = heads | {c.lemma_.lower() for o in objects for c in o.children if c.dep_ == "compound"}
    if lemma == "strike":
        if heads & lexicon.NOT_STRUCK:
            return ""
        if not objects and _crowd_subject(verb, strict=True):
            return "PROTEST"  # "the teachers struck for a week"
        return None
    if lemma == "meet" and heads & lexicon.UNMET:
        return ""
    if lemma == "fire":  # "fired shells at Seoul", not "was fired from the council on Monday"
        at = any(
            c.dep_ == "prep" and (c.lower_ in {"at", "into", "upon"} or (c.lower_ == "on" and _aimed_at(c)))
            for c in verb.children
        )
        return "ATTACK" if heads & _WEAPON_FIRE or (at and not assertion.passive(verb)) else ""
    if (lemma == "blow" and "up" in particle) or (lemma == "set" and "fire" in heads):
        return "ATTACK"  # "blew up power lines", "set fire to the offices"
    if lemma == "open" and "fire" in heads:
        return "ATTACK"
    if lemma in {"violate", "breach", "break"} and words & lexicon.TRUCES:
        return "ATTACK"
    if lemma in {"throw", "hurl", "lob"} and words & lexicon.THROWN:
        return "PROTEST"  # stone-throwing youths: a riot
    if lemma in {"take", "hold", "seize"} and _as_captives(verb):
        return "ATTACK"  # "took two engineers hostage", "holding refugees as human shields"
    if lemma in {"collect", "gather", "submit", "deliver"} and heads & lexicon.PETITIONS:
        return "PROTEST"
    if lemma == "accept":
        return "AGREE" if words & lexicon.ACCEPTED else ""
    if lemma == "hack":
        return "ATTACK" if any(c.dep_ == "prep" and c.lower_ == "into" for c in verb.children) else ""
    if lemma in {"arrive", "deploy", "send", "dispatch"} and _peacekeeping(verb):
        return "AID"  # PLOVER AID: "provide military protection or peacekeeping"
    if lemma in {"capture", "seize", "take"} and objects:
        seized = _whole(objects[0])  # "captured part of a guerrilla stronghold"
        place = seized.ent_type_ in {"GPE", "LOC", "FAC"} or seized.lemma_.lower() in lexicon.CAPTURED_PLACES
        if place:
            return "ATTACK"  # a seized town is an armed attack, a seized person an arrest
        if lemma == "seize":
            return "ARREST" if objects[0].ent_type_ == "PERSON" else ""
        return None
    if lemma in {"ship", "send", "pull", "move"} and particle & {"out", "back", "home", "away"}:
        return "SANCTION" if heads & lexicon.INVOLVEMENT else ""  # peacekeepers shipped out: withdrawn
    if lemma in lexicon.GIVING_VERBS and (words & lexicon.AID_GOODS or _gives_aid(verb)):
        return "AID"
    if lemma in lexicon.STOPPING_VERBS and objects and _severed(objects[0]):
        return "SANCTION"
    if lemma in lexicon.RETREATING_VERBS and heads & lexicon.TROOPS:
        return "RETREAT"  # "withdrew its troops from the border", "disbanded the militia"
    if lemma in {"withdraw", "pull", "recall"} and heads & lexicon.INVOLVEMENT:
        return "SANCTION"  # PLOVER "expel or withdraw" peacekeepers, inspectors, envoys
    if lemma in lexicon.MOBILISING_VERBS and heads & lexicon.TROOPS:
        return "MOBILIZE"  # "deployed troops along the border", "massed tanks" (peacekeepers: AID, above)
    if lemma in lexicon.BONDING_VERBS and heads & lexicon.TIE_NOUNS:
        return "SUPPORT"
    if lemma in lexicon.STOPPING_VERBS and heads & lexicon.TIE_NOUNS:
        return "SANCTION"
    if lemma in lexicon.SHARING_VERBS and words & lexicon.SHARED:
        return "AGREE"
    if lemma in lexicon.RESTRICTING_VERBS and _restriction(objects):
        return "SANCTION"
    if lemma in lexicon.BLOCKING_VERBS and words & lexicon.PASSAGES:
        return "PROTEST"
    if lemma in {"close", "shut"} and heads & lexicon.CLOSED:
        return "SANCTION"  # "closed its border with Syria", "shut its embassy": reduced relations
    if lemma in lexicon.BLOCKING_VERBS and objects and objects[0].ent_type_ in {"GPE", "LOC", "FAC"}:
        return "PROTEST" if _crowd_subject(verb, strict=True) else None  # farmers blockading Paris
    if (lemma in lexicon.WORK_STOPPING or "down" in particle) and heads & lexicon.WORK_NOUNS:
        return "PROTEST"
    if lemma in lexicon.DISPATCHING_VERBS and heads & lexicon.INSPECTORS:
        return "INVESTIGATE"
    if lemma in lexicon.SEEKING_VERBS:
        if heads & lexicon.HELP_NOUNS or any(c.lower_ == "for" and c.dep_ == "prep" for c in verb.children):
            return "DEMAND"
        asked = [c for c in verb.children if c.dep_ == "dobj"]  # active: "is asked to contact" is a notice
        if lemma == "ask" and asked and any(c.dep_ in {"xcomp", "ccomp"} for c in verb.children):
            wonders = any(
                m.lower_ in assertion.CONDITIONS
                for c in verb.children
                for m in c.children
                if m.dep_ == "mark"
            )
            return "" if wonders else "DEMAND"
        return "" if lemma == "ask" else None
    if lemma in {"press", "push"} and any(c.lower_ == "for" and c.dep_ == "prep" for c in verb.children):
        return "DEMAND"
    if lemma == "order" and objects and any(c.dep_ in {"xcomp", "ccomp"} for c in verb.children):
        # "ordered Menem to appear", "ordered the newspaper La Prensa to suspend…", not "ordered schools closed"
        return "DEMAND" if _personal(objects[0]) else None
    if lemma == "retreat" and not objects:
        return "RETREAT"  # "the rebels retreated from the town"
    if lemma in lexicon.YIELDING_VERBS - lexicon.RETREATING_VERBS and _yields(verb):
        return "CONCEDE"  # PLOVER CONCEDE: release persons, return property, ease sanctions, allow access
    if lemma == "deny":
        return "REJECT" if heads & lexicon.GRANTS_DENIED else ""
    if lemma == "evacuate":
        return "AID" if heads & lexicon.PEOPLE_EVACUATED else ""
    return None


def _as_captives(verb: Token) -> bool:
    for child in verb.children:
        # "took two engineers hostage" (often parsed as a compound object), not "held the hostages"
        captive = child.lemma_.lower() in lexicon.CAPTIVES and child.dep_ not in {"nsubj", "nsubjpass"}
        if captive and (child.dep_ != "dobj" or any(c.dep_ == "compound" for c in child.children)):
            return True
        if (
            child.dep_ == "prep"
            and child.lower_ == "as"
            and any(o.lemma_.lower() in lexicon.CAPTIVES for o in child.children if o.dep_ == "pobj")
        ):
            return True
    return False


def _personal(token: Token) -> bool:
    """Whether a noun names someone who can act: a person, body or country, or a word for one."""
    named = {"PERSON", "ORG", "GPE", "NORP"}
    if token.ent_type_ in named or any(c.dep_ == "appos" and c.ent_type_ in named for c in token.children):
        return True
    lemma = token.lemma_.lower()
    return lemma in lexicon.PEOPLE or lemma in ORG_NOUNS or lemma in _BODIES


_BODIES = {"newspaper", "company", "station", "agency", "group", "organisation", "organization", "council"}


def _aimed_at(prep: Token) -> bool:
    return any(o.dep_ == "pobj" and o.ent_type_ not in actors.NOT_ACTOR_LABELS for o in prep.children)


def _keeps_quiet(verb: Token) -> bool:
    said = [c for c in verb.children if c.dep_ in {"xcomp", "dobj"}]
    return any(c.lemma_.lower() in lexicon.NO_COMMENT for c in said)


def _declines_a_step(verb: Token) -> bool:
    """ "Declined to endorse/attend/resign", "declined the invitation": a refusal."""
    for child in verb.children:
        if child.dep_ == "dobj" and child.lemma_.lower() in lexicon.REFUSABLE:
            return True
        if child.dep_ == "xcomp" and child.pos_ == "VERB":
            lemma = child.lemma_.lower()
            if lemma in lexicon.YIELDING_VERBS | lexicon.NOT_ALLOWED | lexicon.STEPS or _word_type(child):
                return True
    return False


def _offers_cooperation(verb: Token) -> bool:
    """ "Offered to hand over the suspects", "offered its troops / concessions / talks"; a market
    offer ("500,000 shares", "to acquire the company", "a contract") is none."""
    for child in verb.children:
        if child.dep_ == "xcomp" and child.pos_ == "VERB":
            return child.lemma_.lower() not in _DEALS
        if child.dep_ == "dobj" and child.lemma_.lower() in lexicon.OFFERED:
            return True
    return False


def _helps_in_need(verb: Token) -> bool:
    """Help that is aid: to a country, a body or people in need, not "helped customers"."""
    for child in verb.children:
        if child.dep_ == "dobj" and (
            child.ent_type_ in {"GPE", "NORP"} or child.lemma_.lower() in lexicon.IN_NEED
        ):
            return True
    return False


_DEALS = {"acquire", "buy", "purchase", "repurchase", "sell", "redeem", "exchange", "merge", "take"}


def _whole(part: Token) -> Token:
    """The thing of "part of the thing"; else the token itself."""
    if part.lemma_.lower() in _PORTIONS:
        inner = next(
            (o for p in part.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"), None
        )
        if inner is not None:
            return inner
    return part


def _severed(obj: Token) -> bool:
    """Whether stopping ``obj`` is a sanction: relations, aid, talks; or a flow of goods or help
    that goes to someone ("food supplies to the camp") or is aid ("aid deliveries")."""
    obj = _whole(obj)  # "suspended part of a military aid program"
    head = obj.lemma_.lower()
    modifiers = {c.lemma_.lower() for c in obj.children if c.dep_ in _MODIFIERS}
    if head in lexicon.SEVERED:
        return True
    if head not in lexicon.FLOWS:
        return False
    bound = [
        o
        for c in [*obj.children, *obj.head.children]
        if c.dep_ == "prep" and c.lower_ in {"to", "for", "with"}
        for o in c.children
        if o.dep_ == "pobj"
        and o.ent_type_ not in actors.NOT_ACTOR_LABELS
        and o.lemma_.lower() not in event_dates.TIME_NOUNS
    ]
    return bool(modifiers & lexicon.SEVERED) or bool(bound)


_PORTIONS = {"part", "some", "most", "all", "half", "portion", "bulk", "much", "share"}


def _peacekeeping(verb: Token) -> bool:
    people = [c for c in verb.children if c.dep_ in {"nsubj", "dobj", "nsubjpass"}]
    words = {w.lemma_.lower() for p in people for w in p.subtree}
    return bool(words & {"peacekeeper", "peacekeeping", "peace-keeping", "peace-keeper"})


def _joint(noun: Token) -> bool:
    """ "Joint exercises", "French and Egyptian warships launched war games": done together."""
    if any(c.lower_ in {"joint", "combined", "bilateral", "multinational"} for c in noun.lefts):
        return True
    if noun.dep_ != "dobj":
        return False
    subject = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return False
    return actors.conjunct(subject) is not None or any(actors.conjunct(c) is not None for c in subject.lefts)


def _gives_aid(verb: Token) -> bool:
    """ "Handed over 700 kg of medicine": the goods behind a measure noun."""
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        for prep in (c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"):
            if any(o.lemma_.lower() in lexicon.AID_GOODS for o in prep.children if o.dep_ == "pobj"):
                return True
    return False


def _restriction(objects: list[Token]) -> bool:
    for obj in objects:
        words = {obj.lemma_.lower()} | {c.lemma_.lower() for c in obj.children if c.dep_ in _MODIFIERS}
        if obj.lemma_.lower() == "state":  # "a state of emergency / siege"
            words |= {o.lemma_.lower() for p in obj.children if p.lower_ == "of" for o in p.children}
        if words & lexicon.RESTRICTIONS:
            return True
    return False


def _crowd_subject(verb: Token, strict: bool = False) -> bool:
    """Whether the one who acts is a crowd (protesters, students, "thousands of …") rather than a
    government, an organisation or a person."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None:
        subject = actors.inherited_subject(verb)
    if subject is None:
        return not strict
    words = {subject.lemma_.lower()} | {
        o.lemma_.lower() for p in subject.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"
    }
    if words & lexicon.CROWD_WORDS:
        return True
    if strict or subject.ent_type_ in {"ORG", "GPE", "PERSON"} or subject.lemma_.lower() in ORG_NOUNS:
        return False
    return subject.tag_ in {"NNS", "NNPS"} or subject.ent_type_ == "NORP"


def _refusal(verb: Token) -> bool:
    """A negated acceptance is a refusal: "will not accept refugees", "would not meet the demands"."""
    if not any(c.dep_ == "neg" for c in verb.children):
        return False
    if any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children):
        return False  # "has never recognised…", "has not accepted…": not done so far, no refusal made
    lemma = verb.lemma_.lower()
    if lemma in lexicon.NOT_ALLOWED:
        return True
    return lemma == "meet" and any(
        c.dep_ in {"dobj", "nsubjpass"} and c.lemma_.lower() in lexicon.UNMET for c in verb.children
    )


def _reports_obligation(verb: Token) -> bool:
    """ "X said (that) Y must do Z", Y another actor than X ("should" is advice, not a demand)."""
    if verb.lemma_.lower() not in lexicon.REPORTING_VERBS:
        return False
    speaker = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    for clause in (c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in {"VERB", "AUX"}):
        if not any(a.dep_ == "aux" and a.lower_ in lexicon.MUST_WORDS for a in clause.children):
            continue
        if any(c.dep_ == "neg" for c in clause.children):
            continue
        addressee = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        if addressee is None or addressee.pos_ == "PRON":
            continue
        if speaker is None or speaker.i < verb.i < addressee.i:
            return True  # the report comes first: "X said Y must…", not "Y must…, X said"
    return False


_SET_FREE = {"release", "free", "extradite"}
_CONCESSIONS = {"CONCEDE", "RETREAT", "MOBILIZE"}
"""Types that need who yielded, withdrew or deployed: without it a passive yield is rarely one."""


def _yields(verb: Token) -> bool:
    """ "release the hostages", "lift the ban", "withdraw its troops", "allow refugees to return"."""
    for obj in (c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}):
        words = {obj.lemma_.lower()} | {c.lemma_.lower() for c in obj.children if c.dep_ in _MODIFIERS}
        if obj.ent_type_ in {"PERSON", "GPE", "LOC"} or words & lexicon.YIELDED:
            return True
        if verb.lemma_.lower() in _SET_FREE and (
            actors.is_person_noun(obj) or obj.lemma_.lower().endswith("man")
        ):
            return True  # "freed the three fishermen", "released two journalists": any people set free
    return False


def _action_type(verb: Token, kind: str | None) -> str | None:
    """What kind of act a verb is, for the rules of intent: its trigger type, the type of the event
    noun a light verb performs ("launch an offensive"), or ``_YIELD``."""
    lemma = verb.lemma_.lower()
    if lemma in {"withdraw", "pull"} and kind == "SANCTION":
        return kind
    if lemma in lexicon.YIELDING_VERBS and kind is None:
        return _YIELD if _yields(verb) else None
    if kind is not None:
        return kind
    if lemma in _LIGHT_VERBS or lemma in {"wage", "resume", "use"}:
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            if obj.lemma_.lower() in {"war", "force", "violence"}:
                return "ATTACK"
            noun = _word_type(obj)
            if noun is not None:
                return noun
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
        head = trigger.head
        if head.lemma_.lower() in _LIGHT_VERBS and _event_type(head) == "STATEMENT":
            return False  # "announced a suspension of air links": the act, not only the saying
        return head.pos_ == "VERB" and _event_type(head) is not None
    return False


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


_NOT_STATED = {"publication", "context"}
"""Date statuses of a date the event's own words do not give."""


def _same_happening(a: Event, b: Event) -> bool:
    if a.type != b.type or a.source != b.source or (a.target is not None and b.target is not None):
        return False
    if a.location and b.location and a.location != b.location:
        return False
    dated = {a.date_status, b.date_status} - _NOT_STATED
    if len(dated) > 1:  # one planned, one happened: two visits
        return False
    real_dates = [e.date for e in (a, b) if e.date and e.date_status not in _NOT_STATED]
    return len(set(real_dates)) <= 1


def _filled(event: Event) -> int:
    return sum(
        value is not None
        for value in (
            event.target,
            event.location,
            event.date if event.date_status not in _NOT_STATED else None,
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
        if subject is None and (passive is None or (kind == "APPOINT" and trigger.dep_ == "ccomp")):
            # "X said Mendes was stabbed": not by X; "Guinness said Huston was named president": by it
            subject = actors.inherited_subject(trigger)
        if subject is not None:
            source = actors.actor(subject, found, offset)
            partner = actors.conjunct(subject)
            if partner is not None:
                target = actors.actor(partner, found, offset)
        obj = next((c for c in children if c.dep_ in {"dobj", "dative"}), None) or (
            passive if agent else None
        )
        if passive is not None and agent is None and kind == "REJECT" and trigger.lemma_.lower() == "oppose":
            subject, passive = passive, None  # "Israel is opposed to French mediation": Israel opposes
            source = actors.actor(subject, found, offset)
            opposed = next(
                (o for p in children if p.lower_ == "to" for o in p.children if o.dep_ == "pobj"), None
            )
            obj = opposed
        if passive is not None and agent is None:
            obj = passive
        if obj is not None and target is None:
            target = actors.actor(obj, found, offset)
            if target is None and obj.dep_ in {"dobj", "dative"}:
                target = actors.owner_actor(obj, found, offset)
                if target is None and trigger.lemma_.lower() not in _GIVERS:  # troops offered are no target
                    target = actors.people(obj, found, offset)
            elif target is None and _personal(obj):
                # "Montenegro's prime minister was indicted", not "AMC's future (was discussed)"
                target = actors.owner_actor(obj, found, offset)
                if target is None and kind in {"ATTACK", "ARREST"}:  # "a journalist was killed"
                    target = actors.people(obj, found, offset)
        if obj is not None and target is None and trigger.pos_ == "VERB":
            target = actors.prep_actor(obj, found, offset, exclude=source)  # "shared evidence with the U.S."
    else:
        owner = next((c for c in children if c.dep_ == "poss"), None)
        if owner is not None:
            source = actors.actor(owner, found, offset)
        for prep in (c for c in children if c.dep_ == "prep"):
            objects = [o for o in prep.children if o.dep_ == "pobj"]
            if prep.lower_ == "by" and objects and source is None:
                source = actors.actor(objects[0], found, offset)
        if source is None and kind in _DONE_BY_NATIONS:  # "Palestinian riots", "Israeli air raids"
            source = next(
                (
                    name
                    for c in trigger.lefts
                    if c.dep_ in {"amod", "compound", "nmod"}
                    and c.ent_type_ in {"NORP", "ORG"}
                    and c.text[:1].isupper()
                    and (
                        name := actors.actor(c, found, offset) or (c.text if c.ent_type_ == "NORP" else None)
                    )
                ),
                None,
            )
        for verb in (c for c in children if c.dep_ in {"acl", "relcl"}):  # "sanctions imposed by the EU"
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            performer = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            if source is None and performer is not None:
                source = actors.actor(performer, found, offset)
        head = trigger.head
        if (
            source is None
            and trigger.dep_ == "dobj"
            and head.pos_ in {"VERB", "AUX"}
            and (head.lemma_.lower() in _LIGHT_VERBS or _event_type(head) == kind)
        ):
            subject = next((c for c in head.children if c.dep_ == "nsubj" and c.i != trigger.i), None)
            if subject is None:
                subject = actors.inherited_subject(head)
            if subject is not None:
                source = actors.actor(subject, found, offset)
                partner = actors.conjunct(subject)  # "France and Germany held joint exercises"
                if partner is not None and target is None:
                    target = actors.actor(partner, found, offset)
            if target is None:  # "lodged a protest with Albania", "imposed a curfew on the town"
                target = actors.prep_actor(head, found, offset, exclude=source)
        if (
            source is None
            and kind in _TRIPS | {"PROTEST"}
            and trigger.dep_ == "pobj"
            and head.lower_ in _TRIP_PREPS
        ):
            mover = head.head  # "arrived in Amman on a visit", "left for talks with…", "went on strike"
            moves = mover.lemma_.lower() in (lexicon.MOTION_VERBS if kind != "PROTEST" else _GATHERING)
            if mover.pos_ in {"VERB", "AUX"} and moves:
                subject = next((c for c in mover.children if c.dep_ == "nsubj"), None)
                if subject is not None:
                    source = actors.actor(subject, found, offset)
                if subject is not None and source is None and kind == "PROTEST":  # "workers went on strike"
                    source = actors.crowd_actor(subject, found, offset)
                if kind == "VISIT":  # "arrived in Amman on a visit": where the trip is to
                    trip_end = actors.prep_place(mover, found, offset)
                    target, location = target or trip_end, location or trip_end
    # a "to" the parser reads as a dative ("sent weapons to Norway") is a preposition too
    for prep in (c for c in children if c.dep_ in {"prep", "dative"}):
        objects = [o for o in prep.children if o.dep_ == "pobj"]
        if not objects:
            continue
        if prep.lower_ == "between":
            sides = actors.sides(objects[0], found, offset) or actors.entities_in(prep, found, offset)
            if sides:
                source = source or sides[0]
                target = target or (sides[1] if len(sides) > 1 and sides[1] != source else None)
            continue
        actor = actors.actor(objects[0], found, offset)
        if actor is None and prep.lower_ in _TARGET_PREPS and target is None:
            target = actors.people(objects[0], found, offset)  # "food aid to refugees fleeing the war"
        if actor is None:
            continue
        place = actors.is_place(objects[0], actor, found)
        if prep.lower_ in {"to", "into"} and kind not in _TRIPS:
            # "sent arms to Pakistan", "apologised to Brazil": the recipient, not where it happened
            target = target or actor
            if kind == "ATTACK" and place:
                location = location or actor
        elif prep.lower_ in _PLACE_PREPS and place:
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
                    location = actors.actor(spot, found, offset)
    if kind == "VISIT" and location is None and target is not None and actors.is_place_name(target, found):
        location = target
    if target is None and trigger.pos_ != "VERB" and kind in {"ATTACK", "ARREST", "INVESTIGATE"}:
        for patient in (
            o for p in children if p.lower_ in {"of", "into"} for o in p.children if o.dep_ == "pobj"
        ):
            # "the invasion of South Lebanon", "the arrest of 12 students"
            target = target or actors.actor(patient, found, offset) or actors.people(patient, found, offset)
    if kind == "CRITICISE" and not any(c.dep_ == "dobj" for c in children):
        # "complained to the United Nations over Israeli air raids": against Israel, told to the UN
        for grievance in (
            o for p in children if p.lower_ in {"over", "about", "against"} for o in p.children
        ):
            named = actors.actor(grievance, found, offset) or actors.owner_actor(grievance, found, offset)
            if grievance.dep_ == "pobj" and named is not None and named != source:
                target = named
                break
    if target is None and kind == "DEMAND":  # "called for sanctions against Nigeria"
        for asked in (o for p in children if p.lower_ == "for" for o in p.children if o.dep_ == "pobj"):
            target = target or actors.prep_actor(asked, found, offset, exclude=source)
    if target is None and kind in {"DEMAND", "THREATEN", "CRITICISE", "REJECT"}:
        # "demanded that the US cancel…", "said Sudan must return…", "its demand that Israel ease…":
        # whom the demand is on
        nearby = children + (
            list(trigger.head.children) if trigger.dep_ == "dobj" and trigger.pos_ != "VERB" else []
        )
        for content in (c for c in nearby if c.dep_ in {"ccomp", "acl"} and c.pos_ in {"VERB", "AUX"}):
            addressee = next((c for c in content.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None)
            if addressee is not None and target is None:
                named = actors.actor(addressee, found, offset)
                target = named if named != source else None
    if target is None and kind in {"THREATEN", "DEMAND", "CRITICISE", "STATEMENT", "AGREE", *_CONTENT_OF}:
        clause = next((c for c in children if c.dep_ in {"ccomp", "xcomp", "advcl"}), None)
        if clause is not None and _event_type(clause) is not None and kind in _CONTENT_OF:
            # "agreed to coordinate with Netanyahu": the folded trigger's own partner
            inner_target = _arguments(clause, kind, found, offset)[1]
            target = inner_target if inner_target != source else None
        if target is None and clause is not None and kind != "MEET" and kind != "VISIT":
            inner = actors.entities_in(clause, found, offset)
            target = next((e for e in inner if e != source), None)
    if source is None and trigger.pos_ != "VERB":
        scope = event_dates.governing_clause(trigger)
        if scope is not None and kind in {"NEGOTIATE", "MEET", "AGREE", "CONSULT"}:
            between = [p for p in scope.subtree if p.lower_ == "between" and p.dep_ == "prep"]
            if between:
                objects = [o for o in between[0].children if o.dep_ == "pobj"]
                sides = (actors.sides(objects[0], found, offset) if objects else []) or actors.entities_in(
                    between[0], found, offset
                )
                source = sides[0] if sides else None
                target = target or (sides[1] if len(sides) > 1 else None)
    if source is None and kind == "PROTEST":
        crowd = _subject_of(trigger)
        source = actors.crowd_actor(crowd, found, offset) if crowd is not None else None
    if target is None and kind == "PROTEST":
        target = _protested(trigger, found, offset, source)
    if target == source:
        target = None
    return source, target, location


def _protested(trigger: Token, found: ArticleEntities, offset: int, source: str | None) -> str | None:
    """Whom a protest is against: the actors of its purpose ("to demand the resignation of X",
    "to protest Sweden's decision") or of its "in protest of/against" and "against" phrases."""
    act = trigger.head if trigger.pos_ != "VERB" and trigger.dep_ == "dobj" else trigger
    parts = [
        c
        for c in [*act.children, *(trigger.children if act is not trigger else [])]
        if c.dep_ in {"advcl", "xcomp", "ccomp"}
        or (c.dep_ == "prep" and c.lower_ in {"against", "over", "in", "for"} and c.i > act.i)
    ]
    for part in parts:
        for token in part.subtree:
            if token.ent_type_ not in {"GPE", "ORG", "PERSON", "NORP"} or _where(token):
                continue  # "outside Parliament", "in Lagos": where, not against whom
            name = actors.actor(token, found, offset)
            if name is not None and name != source:
                return name
    return None


def _where(token: Token) -> bool:
    """Whether a name is the place of a prepositional phrase ("in Lagos", "near the border")."""
    current = token
    while current.dep_ in {"compound", "amod", "nmod"} and current.head.i != current.i:
        current = current.head
    return current.dep_ == "pobj" and current.head.lower_ in _WHERE_PREPS


_WHERE_PREPS = {"in", "at", "near", "outside", "inside", "into", "to", "across", "through", "throughout"}


def _subject_of(trigger: Token) -> Token | None:
    """Who performs a trigger: a verb's subject, or the subject of the verb a noun trigger is the
    object of ("students staged demonstrations")."""
    verb = trigger
    if trigger.pos_ != "VERB":
        if trigger.dep_ != "dobj" or trigger.head.pos_ not in {"VERB", "AUX"}:
            return None
        if trigger.head.lemma_.lower() not in _LIGHT_VERBS:
            return None  # "some media broke the strike": they did not strike
        verb = trigger.head
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject if subject is not None else actors.inherited_subject(verb)


_TRIPS = {"VISIT", "MEET", "CONSULT", "NEGOTIATE"}
_GIVERS = lexicon.GIVING_VERBS | {"offer", "contribute", "withdraw", "pull", "deploy", "evacuate", "pledge"}
"""Verbs whose object is what moves ("offered its troops to…"); the one it goes to or from is the
target."""
_DONE_BY_NATIONS = {"ATTACK", "PROTEST", "SANCTION", "ARREST", "AID", "THREATEN"}
"""Event nouns whose nationality modifier is who acts ("Israeli raids"); not "Republican nomination",
"oil demand" or "the Venice summit"."""
_GATHERING = {"go", "converge", "gather", "assemble", "come", "march", "flock", "pour"}
_TRIP_PREPS = {"on", "for", "during"}


def _evidence_span(trigger: Token, sent: Span) -> Span:
    return sent


def _is_trigger(token: Token) -> bool:
    return _event_type(token) is not None
