"""Whether a trigger tells of something that happened: no event from what is negated, only
supposed, possible, wished, planned as a purpose, rumoured or denied, undone, habitual, or what a
condition would bring about ("did not meet", "if Russia attacks", "were Ankara to close", "could
sanction", "hopes to visit", "speculation that they met", "cancelled the visit", "meets every
spring"). PLOVER's coding decides the edge cases: a threat or a promise is made by saying it, a
refusal is a REJECT, stopping aid a SANCTION. Kept apart from ``events``, which finds triggers,
types and arguments, so the rules of *whether* change apart from those of *what*.
"""

from __future__ import annotations

from spacy.tokens import Token

from newsarchive.enrich import event_actors as actors
from newsarchive.enrich import event_dates
from newsarchive.enrich import event_lexicon as lexicon

_UNREAL_MODALS = {"could", "might", "may", "should", "must", "can", "ought"}
"""Auxiliaries that make a trigger a possibility or an obligation, not an event ("Russia could
attack"); "will" and "would" stay: they announce plans ("said he would visit")."""
CONDITIONS = {"if", "unless", "whether", "lest"}
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
"""Verbs whose object or complement did not happen ("cancelled the visit", "failed to agree")."""
_UNDONE_WITH = {"call": {"off"}, "rule": {"out"}, "put": {"off", "back"}, "push": {"back"}}
_UNREALISED = {
    "plan", "proposal", "call", "bid", "attempt", "threat", "promise", "offer", "decision", "right",
    "need", "intention", "effort", "pressure", "demand", "request", "readiness", "willingness",
    "refusal", "failure", "order", "idea", "option", "chance", "move", "pledge", "vow", "push",
    "agreement", "deal", "accord", "pact", "treaty", "commitment", "consensus", "resolution",
}  # fmt: skip
"""Nouns whose "to"-clause is an intention, a possibility or what was agreed, not an event ("a plan
to sanction", "an agreement to coordinate")."""


def intended(verb: Token) -> bool:
    """A verb said of what its subject will do: under "will"/"would", or the "to"-clause of an
    intention ("plans to", "is ready to", "offered to")."""
    if any(c.dep_ == "aux" and c.lower_ in event_dates.FUTURE | {"would", "'d"} for c in verb.children):
        return True
    verb = through_aspect(verb)  # "prepared to resume shelling": the shelling is what is intended
    head = verb.head
    purpose = verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if not (verb.dep_ == "xcomp" or purpose) or head.i == verb.i:
        return False  # "vowed to attack", "have sworn to fight" (parsed as a purpose)
    if head.pos_ == "ADJ":
        return head.lower_ in lexicon.INTENT_ADJECTIVES
    return head.lemma_.lower() in lexicon.INTENT_HEADS


def asserted(trigger: Token, negation_ok: bool = False) -> bool:
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
    own = through_aspect(clause).i if clause is not None else -1  # "resume shelling": one act
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
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONS for c in children):
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
    if lemma in _PURPOSE_WORDS and (passive(head) or head.tag_ == "VBN"):
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


def through_aspect(verb: Token) -> Token:
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
    if verb.dep_ != "xcomp" or head.i == verb.i or head.pos_ not in {"VERB", "AUX"} or intended(verb):
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


def consequence(trigger: Token, said: bool = False) -> bool:
    """ "If Russia attacks, Romania will ask NATO for help": what would follow a condition did not
    happen. A threat or an offer (``said``) is made by saying it ("Tokyo will recall its envoy
    unless…", "X said it would retaliate if…"), but not a guess of the writer's in the conditional
    mood with no one saying it ("Should talks collapse, the strikers would occupy the plant")."""
    clause = trigger if trigger.pos_ == "VERB" else event_dates.governing_clause(trigger)
    modals = event_dates.FUTURE | {"would"} if not said else {"would", "'d"}
    if clause is None or not any(c.dep_ == "aux" and c.lower_ in modals for c in clause.children):
        return False
    if said and (clause.dep_ in {"ccomp", "xcomp"} or actors.inherited_subject(clause) is not None):
        return False  # reported: "Russia said it would respond if…"
    if any(_condition_phrase(p) for p in clause.children if p.i < clause.i):
        return True  # "In the event that trawlers enter the zone, Norway will protest"
    return any(
        any(m.dep_ == "mark" and m.lower_ in CONDITIONS for m in c.children)
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


def passive(trigger: Token) -> bool:
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
