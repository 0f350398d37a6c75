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
event (``_asserted``): negated, conditional ("if", "in case", "should X…"), modal, wished, weighed,
a habit, a purpose, undone or prevented, denied, guessed, rumoured or discounted, feared or hoped
for, or only the topic of a work or of a measure ("the cost of the visit").
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from newsarchive.enrich import event_actors as actors
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
_UNREAL_MODALS = {"could", "might", "may", "should", "must", "can", "ought"}
"""Auxiliaries that make a trigger a possibility or an obligation, not an event ("Russia could
attack"); "will" and "would" stay: they announce plans ("said he would visit")."""
_CONDITIONS = {"if", "unless", "whether", "lest"}
_HABITUAL_ADVERBS = {
    "usually", "often", "regularly", "routinely", "frequently", "always", "typically", "normally",
    "generally", "sometimes", "daily", "weekly", "monthly", "annually", "yearly", "nightly",
    "traditionally", "customarily", "habitually", "ordinarily", "commonly", "seldom", "rarely",
    "invariably", "periodically", "occasionally", "historically", "perennially",
}  # fmt: skip
"""Adverbs that make a clause a habit, not a happening ("ferries usually sail to …")."""
_RECURRING = {"every", "each", "twice", "once", "thrice", "per"}
_UNDONE = {
    "cancel", "postpone", "delay", "deny", "suspend", "scrap", "avoid", "prevent", "fail", "refuse", "decline",
    "stop", "cease", "halt", "deter", "avert", "thwart", "foil", "forestall", "shelve", "abort", "abandon",
    "block", "veto", "obstruct",
}  # fmt: skip
_UNDONE_WITH = {"call": {"off"}, "rule": {"out"}, "put": {"off", "back"}, "push": {"back"}}
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
        if kind is None or _folded(token) or not _asserted(token, negation_ok=_refusal(token)):
            continue
        if _consequence(token, said=kind in {"THREATEN", "AGREE", "REJECT"}):
            continue
        source, target, location = _arguments(token, kind, found, offset)
        source = actor_name(source) if source else None
        target = actor_name(target) if target else None
        if target == source:
            target = None
        key = (kind, source, target, token.sent.start)
        if key in seen or (source is None and (kind in _CONCESSIONS or not (target and _passive(token)))):
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
    if token.pos_ != "VERB" or not _intended(token):
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
        return "ATTACK" if heads & _WEAPON_FIRE or (at and not _passive(verb)) else ""
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
                m.lower_ in _CONDITIONS for c in verb.children for m in c.children if m.dep_ == "mark"
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
        subject = _inherited_subject(verb)
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


def _intended(verb: Token) -> bool:
    """A verb said of what its subject will do: under "will"/"would", or the "to"-clause of an
    intention ("plans to", "is ready to", "offered to")."""
    if any(c.dep_ == "aux" and c.lower_ in event_dates.FUTURE | {"would", "'d"} for c in verb.children):
        return True
    verb = _through_aspect(verb)  # "prepared to resume shelling": the shelling is what is intended
    head = verb.head
    purpose = verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if not (verb.dep_ == "xcomp" or purpose) or head.i == verb.i:
        return False  # "vowed to attack", "have sworn to fight" (parsed as a purpose)
    if head.pos_ == "ADJ":
        return head.lower_ in lexicon.INTENT_ADJECTIVES
    return head.lemma_.lower() in lexicon.INTENT_HEADS


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


def _asserted(trigger: Token, negation_ok: bool = False) -> bool:
    """False for a trigger that is negated, conditional, only possible, or undone ("did not meet",
    "if they attack", "could visit", "no talks", "cancelled the visit", "failed to agree")."""
    clause = trigger if trigger.pos_ == "VERB" else event_dates.governing_clause(trigger)
    if trigger.pos_ == "VERB" and (_unrealised_complement(trigger) or (not negation_ok and _no_one(trigger))):
        return False
    if trigger.pos_ != "VERB":
        if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in trigger.children):
            return False
        phrase = trigger
        while phrase.dep_ == "compound" and phrase.head.i != phrase.i:
            phrase = phrase.head  # "blocked the sanctions package": the package's fate is the sanctions'
        if phrase.dep_ in {"dobj", "nsubjpass"} and (_undoes(phrase.head) or _retracts(phrase.head)):
            return False
        if _undone_subject(phrase):
            return False
        if _hearsay_of(trigger) or _supposed_subject(trigger) or _told_by_a_work(trigger):
            return False
        if _legal_basis(trigger):
            return False
    elif trigger.dep_ == "acl" and trigger.head.lemma_.lower() in _UNREALISED:
        return False  # "a plan to sanction Hungary", "calls to attack"
    current = clause
    told = factual = False
    own = _through_aspect(clause).i if clause is not None else -1  # "resume shelling": one act
    # "instead of complying with the DOJ's demand": an owned event noun was made, whatever its clause
    presupposed = trigger.pos_ != "VERB" and any(
        c.dep_ == "poss" and c.ent_type_ not in actors.NOT_ACTOR_LABELS for c in trigger.children
    )
    for _ in range(4):  # the trigger's clause and the clauses it hangs from
        if current is None:
            break
        children = list(current.children)
        if any(c.dep_ == "neg" for c in children) and current is clause and not negation_ok:
            return False
        if current is clause and not negation_ok and _negative_subject(current):
            return False
        if _inverted_condition(current) or (not presupposed and not factual and _unreal_clause(current)):
            return False
        if current.dep_ == "acl" and _to_clause(current) and _inverted_condition(current.head.head):
            return False  # "Were the premier to visit Oslo, …", parsed with "to visit" on "premier"
        if current is clause and _habitual(current):
            return False
        if any(c.dep_ in {"aux", "auxpass"} and c.lower_ in _UNREAL_MODALS for c in children):
            return False
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in children):
            return False
        if current.dep_ not in {"xcomp", "advcl", "ccomp", "conj"} or current.head.i == current.i:
            break
        if current.dep_ == "xcomp" and (_undoes(current.head) or _not_yet(current.head)):
            return False
        if not (presupposed or told or factual) and _unreal_complement(current, nested=current.i != own):
            return False
        if not presupposed and current.i == own and _enabled_by_purpose(current):
            return False
        # "sought to show that Sanders had opposed the bill": a finite clause told as a fact is
        # not made a wish or a plan by the verbs above the one that tells it; "…, rebuffing calls"
        # and "when he was attacked" are what happened beside or around the clause they hang on
        told = told or (current.dep_ == "ccomp" and _finite(current))
        factual = factual or _circumstance(current)
        current = current.head
    return True


def _unreal_clause(clause: Token) -> bool:
    """A clause that says what is only supposed, intended, denied or rumoured, by the word it hangs
    on rather than by its own auxiliaries: "in the event that protesters storm…", "aimed at
    deterring…", "reports that rebels had shelled…", "went to Lisbon to sign…" (the trip is the
    event, its purpose is not yet done)."""
    if any(_condition_phrase(p, bare=True) for p in clause.children if p.i < clause.i):
        return True  # "in case the rebels attack…", "on condition Lima frees…"
    if any(_supposing(c) for c in clause.children if c.i == clause.left_edge.i):
        return True  # "Supposing the unions call a strike, …", however the parser hangs the word
    if _unverified_source(clause):
        return True
    head = clause.head
    if head.i == clause.i:
        return False
    if clause.dep_ == "relcl" and any(
        c.dep_ == "aux" and c.lower_ in {"would", "'d"} for c in clause.children
    ):
        return True  # "the terms under which Serbia would recognise Kosovo": supposed, not said
    if clause.dep_ == "ccomp" and head.lemma_.lower() in _SUPPOSING and head.dep_ in {"prep", "advcl"}:
        return True  # "provided that Oslo signs…", "assuming that the envoys meet…"
    if clause.dep_ in {"relcl", "acl", "ccomp", "appos"} and head.pos_ in {"NOUN", "PROPN"}:
        lemma = head.lemma_.lower()
        if (lemma in _HEARSAY and not _confirmed(head)) or lemma in _PROSPECTS:
            return True  # "reports that X had shelled…", "hopes that the rebels would sign…"
        if lemma in _CONDITION_NOUNS and head.dep_ == "pobj" and head.head.lower_ in {"in", "on"}:
            return True  # "in the event that…", "in case…", "on condition that…"
        if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in head.children):
            return True  # "there is no evidence that the army fired…", "no sign that…"
    alternative = any(c.dep_ == "mark" and c.lower_ == "than" for c in clause.children) or (
        clause.dep_ == "pcomp" and head.lower_ in {"of", "than"}
    )
    if alternative and any(t.lower_ in {"instead", "rather"} for t in [*clause.children, *head.children]):
        return True  # "rather than travel to Geneva, …", "instead of imposing sanctions, …"
    if clause.dep_ == "pcomp" and head.pos_ == "ADP" and head.head.lemma_.lower() in _PURPOSE_WORDS:
        return True  # "aimed at deterring", "with a view to signing", "with the aim of persuading"
    if clause.dep_ == "ccomp" and head.lemma_.lower() in _DENYING | _SPECULATING:
        return True  # "denied that he had met…", "speculated that Beijing had sanctioned…"
    if clause.dep_ == "ccomp" and _told_by_hearsay(head):
        return True  # "speculation has grown that …", "fears mounted that …"
    if (
        clause.dep_ == "ccomp"
        and head.lemma_.lower() == "be"
        and any(c.dep_ == "acomp" and c.lower_ in _LIKELIHOOD | _DOUBTFUL for c in head.children)
    ):
        return True  # "it is likely that Bangkok will extradite …", "it is unclear whether …"
    if clause.dep_ in {"ccomp", "xcomp"} and _discounted_report(head, clause):
        return True  # "few believe that…", "reported, wrongly, that…", "a false report said…"
    # "went to Lisbon to sign the treaty": the purpose of a trip to somewhere; not "went on to
    # discuss" (an aspect) nor "went before reporters to denounce" (no trip)
    if clause.dep_ != "advcl" or head.lemma_.lower() not in _TRIP_VERBS or not _to_clause(clause):
        return False
    if any(c.dep_ == "prt" for c in head.children):
        return False
    return any(c.dep_ == "prep" and c.lower_ in {"to", "for", "into"} for c in head.children)


def _told_by_hearsay(verb: Token) -> bool:
    """A verb whose subject is a rumour, a fear or a prospect, its content told apart from it
    ("speculation has grown that the ministers met", "rumours swirled that …")."""
    return any(
        c.dep_ in {"nsubj", "nsubjpass"}
        and ((c.lemma_.lower() in _HEARSAY and not _confirmed(c)) or c.lemma_.lower() in _PROSPECTS)
        for c in verb.children
    )


def _no_one(verb: Token) -> bool:
    """A verb done to no one or nothing ("arrested no one", "signed no deal"): nothing happened."""
    return any(
        c.dep_ in {"dobj", "obj"}
        and (c.lower_ in _NOBODY or any(d.dep_ == "det" and d.lower_ == "no" for d in c.children))
        for c in verb.children
    )


_NOBODY = {"nobody", "nothing", "none", "noone", "no-one"}


def _told_by_a_work(noun: Token) -> bool:
    """An event noun that a book, film or exhibition tells of ("his memoir recounts the 1979
    attack", "the film depicts the siege"): a topic, not news of it happening."""
    verb = noun.head
    if noun.dep_ != "dobj" or verb.pos_ != "VERB":
        return False
    return any(c.dep_ == "nsubj" and c.lemma_.lower() in _WORKS for c in verb.children)


def _supposed_subject(noun: Token) -> bool:
    """An event noun as the subject of a guess: "an Israeli strike … remains unlikely", "a Turkish
    attack would destabilise the region" (the conditional mood, nobody reporting it)."""
    verb = noun.head
    if noun.dep_ not in {"nsubj", "nsubjpass"} or verb.pos_ not in {"VERB", "AUX"}:
        return False
    if any(c.dep_ in {"acomp", "attr"} and c.lower_ in _LIKELIHOOD | _DOUBTFUL for c in verb.children):
        return True
    would = any(c.dep_ == "aux" and c.lower_ in {"would", "'d"} for c in verb.children)
    return would and verb.dep_ not in {"ccomp", "xcomp", "advcl", "relcl", "acl"}


_DOUBTFUL = {"impossible", "improbable", "doubtful", "uncertain", "unclear", "unthinkable", "inevitable"}


def _condition_phrase(prep: Token, bare: bool = False) -> bool:
    """ "In case (X attacks)", "on condition (that…)" (``bare``: the phrase is the subordinator of
    its clause), or "in the event that/of…" (a condition for the clause it hangs on). Not "in the
    case of Sweden", a topic."""
    if prep.dep_ != "prep" or prep.lower_ not in {"in", "on"}:
        return False
    for noun in (o for o in prep.children if o.dep_ == "pobj" and o.lemma_.lower() in _CONDITION_NOUNS):
        determined = any(c.dep_ == "det" for c in noun.children)
        if bare:
            return not determined
        told = any(c.dep_ in {"relcl", "acl", "ccomp"} for c in noun.children)
        return told or (not determined) or noun.lemma_.lower() in {"event", "eventuality"}
    return False


def _supposing(word: Token) -> bool:
    """ "Supposing", "assuming", "provided", "providing" opening a clause: a condition without "if"."""
    return word.lemma_.lower() in _SUPPOSING and word.tag_ in {"VBG", "VBN"}


def _legal_basis(noun: Token) -> bool:
    """An event noun that is the rule something happens under ("under the 2015 deal", "under
    Article 5 of NATO's founding treaty"): the text it names, not an event of the news. "Under
    attack" and "under fire", a bare noun, stay events."""
    current = noun
    for _ in range(4):
        head = current.head
        if current.dep_ != "pobj" or head.head.i == head.i:
            if current.dep_ not in {"poss", "compound", "conj"} or head.i == current.i:
                return False
            current = head
            continue
        if head.lower_ == "under":
            return current.i != noun.i or any(
                c.dep_ in {"det", "poss", "nummod", "amod"} for c in noun.children
            )
        current = head.head  # "Article 5 of the treaty": on to what the of-phrase hangs on
    return False


def _hearsay_of(noun: Token) -> bool:
    """An event noun that is what a rumour, a fear, a prospect or a plan is of ("rumours of a
    secret visit", "fears of a Russian attack", "in the event of a breach", "calls for sanctions"):
    talked about, feared or wanted, not shown to have happened."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.head.i == prep.i:
        return False
    if prep.lower_ == "without":
        return True  # "without talks between Kyiv and Moscow, …"
    if prep.lower_ not in {"of", "about", "for", "on"}:
        return False
    told = prep.head
    if told.pos_ in {"VERB", "AUX"} and prep.lower_ == "for":
        # "laid the groundwork for a visit", "paved the way for talks": the phrase hangs on the verb
        prospects = _PROSPECTS | {"way"}  # "preparations are under way for talks" too
        return any(c.dep_ in {"dobj", "nsubj"} and c.lemma_.lower() in prospects for c in told.children)
    if told.pos_ not in {"NOUN", "PROPN"}:
        return False
    if told.lower_ in _TALK_OF and prep.lower_ in {"of", "about"}:
        return True  # "there has been talk of a meeting": singular talk is rumour, plural talks an event
    lemma = told.lemma_.lower()
    if prep.lower_ == "on" and lemma not in _WORKS:
        return False
    if lemma in _HEARSAY and _confirmed(told):
        return False
    if lemma in _WORKS and prep.lower_ in {"of", "about", "on"}:
        return True  # "a documentary about the massacre", "the anniversary of the invasion"
    if prep.lower_ == "of" and lemma in _ABSENCES | _ATTRIBUTES:
        return True  # "the absence of talks", "the cost of the president's visit", "its venue"
    return lemma in _HEARSAY or lemma in _PROSPECTS or lemma in _CONDITION_NOUNS or lemma in _UNREALISED


def _discounted_report(verb: Token, clause: Token) -> bool:
    """A report or belief that the sentence itself discounts: told wrongly ("reported, wrongly,
    that…"), by a false or unconfirmed source ("a false report said…", "according to unconfirmed
    reports"), believed by few or nobody ("few believe that…", "nobody expects X to…"), only
    hedged ("appears to have attacked"), or a claim about someone else ("users claimed that the
    president had met…"; "Hamas claimed it had fired" is a claim of its own act)."""
    lemma = verb.lemma_.lower()
    children = list(verb.children)
    if any(c.dep_ == "advmod" and c.lower_ in _WRONGLY for c in children):
        return True
    subject = next((c for c in children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subject is not None and any(c.dep_ == "amod" and c.lower_ in _UNVERIFIED for c in subject.children):
        return True
    if _unverified_source(verb):
        return True
    if lemma in _BELIEVING and subject is not None and (subject.lower_ in _FEW or _negative_subject(verb)):
        return True
    if lemma in _HEDGING and clause.dep_ == "xcomp":
        return True
    if lemma in {"claim", "allege"} and clause.dep_ == "ccomp" and subject is not None:
        claimed = next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if claimed is None or claimed.pos_ == "PRON" or claimed.lower_ == subject.lower_:
            return False
        return not any(c.dep_ == "poss" and c.pos_ == "PRON" for c in claimed.children)  # "its fighters"
    return False


def _unverified_source(clause: Token) -> bool:
    """ "According to unconfirmed reports, …": a clause told on an unverified source's word."""
    for prep in (c for c in clause.children if c.dep_ == "prep" and c.lower_ == "according"):
        for told in (t for t in prep.subtree if t.dep_ == "pobj"):
            if any(c.dep_ == "amod" and c.lower_ in _UNVERIFIED for c in told.children):
                return True
    return False


_WRONGLY = {"wrongly", "falsely", "erroneously", "mistakenly", "incorrectly", "inaccurately"}
_UNVERIFIED = {
    "false", "fake", "unconfirmed", "unverified", "unsubstantiated", "erroneous", "bogus", "baseless",
    "unfounded", "uncorroborated",
}  # fmt: skip
_BELIEVING = {"believe", "expect", "think", "suppose", "imagine", "predict", "foresee"}
_FEW = {"few", "nobody", "none", "noone"}
_HEDGING = {"appear", "seem"}


def _confirmed(report: Token) -> bool:
    """A report someone confirms ("Israel confirmed reports that its jets had struck…") tells what
    happened; one that "could not be confirmed" does not."""
    verb = report.head
    if report.dep_ not in {"dobj", "nsubjpass"} or verb.lemma_.lower() not in _CONFIRMING:
        return False
    return not any(
        c.dep_ == "neg" or (c.dep_ in {"aux", "auxpass"} and c.lower_ in _UNREAL_MODALS)
        for c in verb.children
    )


_CONFIRMING = {"confirm", "verify", "corroborate", "substantiate", "acknowledge"}


def _unreal_complement(clause: Token, nested: bool) -> bool:
    """A "to"-clause or "-ing" complement that is not done: after a modal verb ("ought to consult"),
    a deliberation ("is considering expelling"), a habit ("tend to protest"), a purpose ("is
    intended to help"); or nested below an intention ("plans to help Y negotiate": only the
    intended act itself is coded, as an AGREE or THREATEN, by ``_event_type``)."""
    head = clause.head
    if clause.dep_ != "xcomp" or head.i == clause.i:
        return False
    lemma = head.lemma_.lower()
    if head.tag_ == "MD" and head.lower_ in _UNREAL_MODALS:
        return True
    past = head.tag_ == "VBD" or any(c.dep_ == "aux" and c.lower_ in {"did", "had"} for c in head.children)
    if lemma in {"have", "need"} and not past and _to_clause(clause):
        return True  # "has to consult", "needs to approve": an obligation, not yet met
    if head.pos_ == "ADJ" and head.lower_ in _ABLE and head.head.tag_ != "VBD":
        return True  # "will be able to deploy": a capacity; "was able to reach" says it was done
    if head.pos_ == "ADJ" and head.lower_ in _LIKELIHOOD | _RELUCTANT:
        return True  # "is likely to expel": a forecast; "is reluctant to sanction": not done
    if lemma in _DESIRING:
        return True  # "hopes to sign", "wants to visit": a wish, not an act or a commitment
    if lemma in _DELIBERATING or lemma in _HABIT_HEADS:
        return True
    if lemma in _PURPOSE_WORDS and (_passive(head) or head.tag_ == "VBN"):
        return True  # "the money is intended to help…", "a plan designed to…"
    return nested and (
        lemma in lexicon.INTENT_HEADS or (head.pos_ == "ADJ" and head.lower_ in lexicon.INTENT_ADJECTIVES)
    )


def _enabled_by_purpose(clause: Token) -> bool:
    """Another's act that a purpose is to help along: "was set up to help Mexican police arrest…"
    (not "helped Moldova negotiate", which says it was done)."""
    helper = clause.head
    if (
        clause.dep_ not in {"ccomp", "xcomp"}
        or helper.i == clause.i
        or helper.lemma_.lower() not in _ENABLING
    ):
        return False
    return any(c.dep_ == "nsubj" for c in clause.children) and _to_clause(helper)


_ENABLING = {"help", "enable", "allow", "let", "assist", "permit", "empower"}


def _through_aspect(verb: Token) -> Token:
    """The verb an aspectual verb carries the complement of: "resume" for "shelling" in "resume
    shelling", which says when the act is done, not another act."""
    while verb.dep_ == "xcomp" and verb.head.i != verb.i and verb.head.lemma_.lower() in _ASPECTUAL:
        verb = verb.head
    return verb


_ASPECTUAL = {"resume", "continue", "begin", "start", "keep", "restart", "renew", "commence"}


def _circumstance(clause: Token) -> bool:
    """A participle or a time clause beside its head ("…, rebuffing calls for elections", "when he
    was attacked"): told as what happened, whatever is said of the head."""
    if clause.dep_ != "advcl":
        return False
    if clause.tag_ == "VBG" and not any(c.dep_ in {"mark", "aux"} for c in clause.children):
        return True
    return any(c.dep_ in {"advmod", "mark"} and c.lower_ in _WHEN for c in clause.children)


_WHEN = {"when", "after", "before", "while", "as", "since", "once"}


def _finite(verb: Token) -> bool:
    """A clause with its own tense ("that Sanders had opposed", "he met"), not a bare or "to"
    infinitive ("help Moldova negotiate")."""
    if verb.tag_ in {"VBD", "VBZ", "VBP"}:
        return True
    return any(c.dep_ in {"aux", "auxpass"} and c.lower_ != "to" for c in verb.children)


def _to_clause(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


_HEARSAY = {
    "report", "rumour", "rumor", "claim", "allegation", "speculation", "suggestion", "gossip", "hearsay",
    "story", "theory", "notion", "idea", "belief", "impression", "assumption", "suspicion", "accusation",
}  # fmt: skip
"""Nouns whose content is told, not shown ("rumours of a visit", "reports that rebels shelled…")."""
_PROSPECTS = {
    "fear", "risk", "prospect", "possibility", "danger", "spectre", "specter", "hope", "likelihood",
    "expectation", "worry", "concern", "threat", "chance", "probability", "groundwork", "preparation",
}  # fmt: skip
"""Nouns of what may come: "the risk of an attack" is no attack."""
_CONDITION_NOUNS = {"event", "case", "eventuality", "condition"}
_ABSENCES = {"absence", "lack", "dearth"}
_ATTRIBUTES = {
    "cost", "price", "expense", "budget", "format", "venue", "agenda", "timing", "date", "length",
    "duration", "number", "logistics", "location", "frequency",
}  # fmt: skip
"""What an event noun is the measure or the setting of: the topic is the cost or the venue, not the
event happening ("the cost of the visit was criticised", "the number of protests fell")."""
_WORKS = {
    "book", "film", "documentary", "memoir", "exhibition", "novel", "play", "lecture", "course",
    "module", "thesis", "anniversary", "commemoration", "memorial", "museum", "song", "poem", "textbook",
    "biography", "history", "study", "seminar", "podcast", "series",
}  # fmt: skip
"""Works and remembrances whose subject is an event: "a film about the siege", "the anniversary of
the invasion" tell of it as a topic, not as news of it happening."""
_SUPPOSING = {"provide", "assume", "suppose"}
_TALK_OF = {"talk", "chatter", "whispers", "murmurs", "buzz"}
_LIKELIHOOD = {"likely", "unlikely", "liable", "apt", "possible", "bound"}
_ABLE = {"able", "free", "entitled", "permitted", "allowed"}
_RELUCTANT = {"reluctant", "unwilling", "loath", "loth", "hesitant", "afraid", "unable", "powerless"}
_DESIRING = {
    "hope", "hop", "want", "wish", "aim", "seek", "strive", "long", "desire", "yearn", "aspire", "like",
    "love", "prefer",
}  # fmt: skip
"""Heads of a wish; "hop" is how the shipped lemmatiser reads "hopes"."""
_PURPOSE_WORDS = {"aim", "intend", "design", "mean", "view", "goal", "purpose", "objective", "intention"}
_DENYING = {"deny", "dismiss", "refute", "rebut"}
_SPECULATING = {
    "speculate", "wonder", "fear", "suspect", "imagine", "guess", "surmise", "hypothesise", "hypothesize",
    "doubt", "rumour", "rumor", "worry", "allege", "suggest",
}  # fmt: skip
"""Verbs whose clause is a guess or a fear, not a report of what happened."""
_DELIBERATING = {
    "consider", "contemplate", "weigh", "mull", "ponder", "debate", "discuss", "explore", "study",
    "examine", "envisage", "envision",
}  # fmt: skip
"""Verbs whose complement is only thought about ("is considering expelling", "weighed sending")."""
_HABIT_HEADS = {"tend"}
_TRIP_VERBS = lexicon.MOTION_VERBS - {"be", "set"}


_ASKED_TO = {
    "press", "urge", "ask", "tell", "invite", "encourage", "pressure", "push", "request", "beg", "implore",
    "lobby", "advise", "instruct", "order", "warn", "challenge", "dare", "exhort", "appeal",
}  # fmt: skip
"""Verbs whose object is asked to do what the "to"-clause says ("pressed Paraguay to extradite"),
which is not yet done; "summoned the ambassador to complain" is the subject's own complaint."""


def _unrealised_complement(verb: Token) -> bool:
    """A "to"-clause telling what someone was pressed, asked or invited to do ("pressed Paraguay to
    extradite"): not done (``_ASKED_TO``; "forced Serbia to withdraw" says it was). A purpose
    ("sent a team to Bosnia to investigate") stays an event, as PLOVER codes it; a "to"-clause of
    an intention ("vowed to attack") is coded as that intention by ``_event_type``, and one of an
    event's content by ``_folded``."""
    head = verb.head
    if verb.dep_ != "xcomp" or head.i == verb.i or head.pos_ not in {"VERB", "AUX"} or _intended(verb):
        return False
    return (
        any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        and any(c.dep_ == "dobj" for c in head.children)
        and head.lemma_.lower() in _ASKED_TO
    )


_NEGATIVE_SUBJECTS = {"nobody", "none", "noone"}


def _negative_subject(clause: Token) -> bool:
    """A subject that denies the clause: "neither Peru nor Chile sent", "no country sent", "nobody met"."""
    for subject in clause.children:
        if subject.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        if subject.lower_ in _NEGATIVE_SUBJECTS:
            return True
        if any(
            (c.dep_ in {"preconj", "det"} and c.lower_ == "neither") or (c.dep_ == "det" and c.lower_ == "no")
            for c in subject.children
        ):
            return True
    return False


def _inverted_condition(clause: Token) -> bool:
    """A condition told by inversion, with no "if", before the clause it conditions: "Had Mexico
    signed …, tariffs would have fallen", "Were the sanctions lifted, …"."""
    if clause.dep_ == "ROOT" and clause.i == clause.sent.start and clause.lower_ in _INVERTING:
        # parsed as the sentence's root: "Were Ankara to close …, deliveries would slow"
        after = clause.doc[clause.i + 1 : clause.sent.end]
        has_subject = any(c.dep_ in {"nsubj", "nsubjpass"} and c.i > clause.i for c in clause.children)
        return has_subject and any(t.lower_ in {"would", "'d", "might", "could"} for t in after)
    if clause.dep_ not in {"advcl", "ccomp"} or clause.i > clause.head.i:
        return False
    first = clause.left_edge
    if first.lower_ in _INVERTING and first.pos_ == "AUX" and (first.i == clause.i or first.dep_ == "aux"):
        return True  # "Were the premier to visit…", "Should talks collapse…", however parsed
    subjects = [c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not subjects:
        return False
    if clause.lower_ in _INVERTING and any(clause.i < s.i for s in subjects):
        return True  # "Were Denmark to attack …", "An attack, were it to happen, …"
    subject = subjects[0]
    return any(
        c.dep_ in {"aux", "auxpass"} and c.lower_ in _INVERTING and c.i < subject.i for c in clause.children
    )


_INVERTING = {"had", "were", "should"}


def _not_yet(verb: Token) -> bool:
    """ "has yet to meet", "is yet to sign": not done so far."""
    return verb.lemma_.lower() in {"have", "be"} and any(
        c.dep_ == "advmod" and c.lower_ == "yet" for c in verb.children
    )


def _consequence(trigger: Token, said: bool = False) -> bool:
    """ "If Russia attacks, Romania will ask NATO for help": what would follow a condition did not
    happen. A threat or an offer (``said``) is made by saying it ("Tokyo will recall its envoy
    unless…", "X said it would retaliate if…"), but not a guess of the writer's in the conditional
    mood with no one saying it ("Should talks collapse, the strikers would occupy the plant")."""
    clause = trigger if trigger.pos_ == "VERB" else event_dates.governing_clause(trigger)
    modals = event_dates.FUTURE | {"would"} if not said else {"would", "'d"}
    if clause is None or not any(c.dep_ == "aux" and c.lower_ in modals for c in clause.children):
        return False
    if said and (clause.dep_ in {"ccomp", "xcomp"} or _inherited_subject(clause) is not None):
        return False  # reported: "Russia said it would respond if…"
    if any(_condition_phrase(p) for p in clause.children if p.i < clause.i):
        return True  # "In the event that trawlers enter the zone, Norway will protest"
    return any(
        any(m.dep_ == "mark" and m.lower_ in _CONDITIONS for m in c.children)
        or any(_condition_phrase(p, bare=True) for p in c.children if p.i < c.i)
        or _inverted_condition(c)
        for c in clause.children
        if c.dep_ == "advcl"
    )


def _habitual(clause: Token) -> bool:
    """A clause said of a habit ("fly … twice a week", "visit … every spring", "usually meet"):
    a generic statement, not one event. Modifiers inside an embedded clause ("said it flies daily")
    do not count; a misattached one under a prepositional or adverbial piece does."""
    for token in clause.children:
        custom = [o for o in token.children if o.dep_ == "pobj" and o.lemma_.lower() in _CUSTOMS]
        if token.dep_ == "prep" and token.lower_ in {"by", "as"} and custom:
            return True  # "by tradition, the new president visits…", "as a rule…"
    for token in clause.subtree:
        if _recurring_time(token) and _in_own_clause(token, clause):
            return True  # "every winter", "on a regular basis", wherever the parser hangs them
        if token.dep_ not in {"advmod", "npadvmod"} or not _in_own_clause(token, clause):
            continue
        if token.dep_ == "advmod" and token.lower_ in _HABITUAL_ADVERBS:
            return True
        words = {t.lower_ for t in token.subtree}
        if words & _RECURRING and words & event_dates.TIME_NOUNS:
            return True
    return False


def _recurring_time(noun: Token) -> bool:
    """ "Every winter", "each spring" (a time noun with a recurring determiner) or "on a regular
    basis / a weekly schedule" (a routine noun with a recurring adjective)."""
    lemma = noun.lemma_.lower()
    lefts = {c.lower_ for c in noun.children if c.dep_ in {"det", "amod", "predet"}}
    if lemma in event_dates.TIME_NOUNS and lefts & _RECURRING:
        return True
    return lemma in _ROUTINES and bool(lefts & (_HABITUAL_ADVERBS | _ROUTINE_ADJECTIVES))


_ROUTINES = {"basis", "schedule", "rota", "rotation", "cycle"}
_CUSTOMS = {"tradition", "custom", "rule", "convention", "habit", "practice"}
_ROUTINE_ADJECTIVES = {"regular", "routine", "frequent", "periodic", "annual", "rotating"}


def _in_own_clause(token: Token, clause: Token) -> bool:
    current = token.head
    while current.i != clause.i:
        if current.dep_ in {"ccomp", "xcomp", "relcl", "acl", "csubj"} and current.pos_ in {"VERB", "AUX"}:
            return False
        if current.dep_ == "advcl" and current.tag_ == "VBG":
            return False  # "protested …, occasionally turning customers away": another clause
        if current.head.i == current.i:
            return False
        current = current.head
    return True


def _passive(trigger: Token) -> bool:
    return trigger.pos_ == "VERB" and any(c.dep_ in {"nsubjpass", "auxpass"} for c in trigger.children)


_FAILING = {"fail", "refuse", "decline", "avoid", "stop", "cease", "halt", "deny", "block"}
"""Undoing verbs whose subject acts ("talks failed to…"), not one whose subject is undone."""
_RETRACTING = {"withdraw", "retract", "rescind", "revoke", "drop", "lift"}


def _undone_subject(noun: Token) -> bool:
    """The subject of an undoing verb with no object is what is undone, as in a headline's passive
    without "was": "Greek strike called off", "rally pushed back"; not "talks failed to…"."""
    verb = noun.head
    if noun.dep_ != "nsubj" or not _undoes(verb) or verb.lemma_.lower() in _FAILING:
        return False
    return not any(c.dep_ == "dobj" for c in verb.children)


def _retracts(verb: Token) -> bool:
    """ "Withdrew its threat", "dropped the demand": an event noun taken back. Only for nouns: a
    withdrawal of troops or aid is an event of its own, typed by ``_object_type``."""
    return verb.lemma_.lower() in _RETRACTING


def _undoes(verb: Token) -> bool:
    lemma = verb.lemma_.lower()
    if lemma in _UNDONE:
        return True
    particles = _UNDONE_WITH.get(lemma, set())
    # the parser tags "back" in "was put back by two weeks" as an adverb, not a particle
    return any(c.dep_ in {"prt", "advmod"} and c.lower_ in particles for c in verb.children)


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
            subject = _inherited_subject(trigger)
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
                subject = _inherited_subject(head)
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
    return subject if subject is not None else _inherited_subject(verb)


_TRIPS = {"VISIT", "MEET", "CONSULT", "NEGOTIATE"}
_GIVERS = lexicon.GIVING_VERBS | {"offer", "contribute", "withdraw", "pull", "deploy", "evacuate", "pledge"}
"""Verbs whose object is what moves ("offered its troops to…"); the one it goes to or from is the
target."""
_DONE_BY_NATIONS = {"ATTACK", "PROTEST", "SANCTION", "ARREST", "AID", "THREATEN"}
"""Event nouns whose nationality modifier is who acts ("Israeli raids"); not "Republican nomination",
"oil demand" or "the Venice summit"."""
_GATHERING = {"go", "converge", "gather", "assemble", "come", "march", "flock", "pour"}
_TRIP_PREPS = {"on", "for", "during"}


def _inherited_subject(verb: Token) -> Token | None:
    """The subject of "to coordinate" in "X agreed to coordinate": climb xcomp/conj/advcl heads;
    of "demanding" in "X issued a declaration demanding…": the subject of the noun's verb."""
    current = verb
    for _ in range(3):
        if current.dep_ == "acl" and actors.is_person_noun(current.head):
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


def _evidence_span(trigger: Token, sent: Span) -> Span:
    return sent


def _is_trigger(token: Token) -> bool:
    return _event_type(token) is not None
