"""The words that make events: trigger verbs and nouns by type, and the verb + object pairs whose
type depends on what is acted on ("suspended aid" is a sanction, "restored ties" support).

Types follow our PLOVER-style ontology (``model.EVENT_TYPES``); where PLOVER's definitions decide a
case (its CAMEO conversion table: "reduce or stop aid" is SANCTION, "impose administrative
sanctions/curfew" COERCE, "give ultimatum" THREATEN, "express intent to provide aid" AGREE,
"obstruct passage, block" PROTEST), the nearest of our types is used and the choice is stated.
Verb keys are lemmas; noun keys are lemmas or lower-case forms.
"""

from __future__ import annotations

VERB_WORDS: dict[str, tuple[str, ...]] = {
    "MEET": ("meet", "host", "summit"),
    "VISIT": ("visit", "tour", "travel", "fly"),
    "CONSULT": ("telephone", "phone", "consult", "discuss", "talk", "confer"),
    "AGREE": ("agree", "promise", "pledge", "vow", "commit", "coordinate", "cooperate", "collaborate", "offer"),
    "SIGN": ("sign", "ratify", "conclude"),
    "NEGOTIATE": ("negotiate", "mediate", "bargain", "broker"),
    "STATEMENT": ("announce", "declare", "issue", "proclaim"),
    "DEMAND": ("demand", "urge", "request", "insist", "appeal", "pressure", "pressurize"),
    "THREATEN": ("threaten", "warn", "caution"),
    "CRITICISE": (
        "criticise", "criticize", "condemn", "denounce", "blame", "accuse", "slam", "rebuke", "deplore",
        "complain", "censure", "chide", "castigate", "decry", "lambast", "reproach", "indict", "sue",
    ),
    "SUPPORT": (
        "support", "back", "endorse", "praise", "welcome", "commend", "defend", "apologize", "apologise",
        "forgive", "congratulate", "hail", "applaud", "laud",
    ),
    "AID": ("aid", "assist", "donate", "supply", "help", "fund"),
    "SANCTION": ("sanction", "embargo", "boycott", "expel", "freeze", "ban", "outlaw", "prohibit"),
    "ATTACK": (
        "attack", "strike", "bomb", "shell", "invade", "raid", "kill", "fight", "shoot", "assault",
        "clash", "bombard", "ambush", "massacre", "assassinate", "kidnap", "abduct", "hijack",
        "torture", "beat", "wound", "behead", "stab", "lynch", "rape", "demolish", "raze", "torch",
        "loot", "ransack", "storm", "overrun", "besiege", "retake", "recapture", "occupy", "deface",
        "retaliate",
    ),
    "ARREST": ("arrest", "detain", "jail", "imprison", "capture", "apprehend", "deport"),
    "PROTEST": ("protest", "demonstrate", "rally", "march", "riot", "picket"),
    "APPOINT": ("appoint", "nominate", "name", "elect", "install", "designate"),
    "REJECT": ("reject", "refuse", "veto", "dismiss", "rebuff", "decline", "oppose", "renege", "defy", "spurn"),
    "INVESTIGATE": ("investigate", "probe", "inspect"),
}  # fmt: skip
"""Verb lemmas by the event type they trigger; PLOVER's ASSAULT (abduct, torture, assassinate,
destroy property) and FIGHT are our ATTACK, its COERCE arrest and deportation our ARREST."""

NOUN_WORDS: dict[str, tuple[str, ...]] = {
    "MEET": ("meeting", "summit", "encounter"),
    "VISIT": ("visit", "trip", "tour"),
    "CONSULT": ("conversation", "call", "consultation", "discussion"),
    "AGREE": ("agreement", "accord", "deal", "pact", "treaty", "consensus"),
    "SIGN": ("signing",),
    "NEGOTIATE": ("talks", "negotiation", "negotiations", "mediation"),
    "STATEMENT": ("statement", "announcement", "declaration"),
    "DEMAND": ("demand",),
    "THREATEN": ("threat", "warning", "ultimatum"),
    "CRITICISE": ("criticism", "condemnation", "complaint", "indictment", "lawsuit"),
    "SUPPORT": ("welcome", "endorsement", "apology", "recognition"),
    "AID": ("aid", "assistance", "donation"),
    "SANCTION": ("sanctions", "embargo", "boycott"),
    "ATTACK": (
        "attack", "airstrike", "bombing", "invasion", "raid", "offensive", "assault", "shelling",
        "bombardment", "ambush", "massacre", "assassination", "kidnapping", "abduction", "hijacking",
        "fighting", "clash", "clashes", "crackdown", "incursion",
    ),
    "ARREST": ("arrest", "detention", "deportation"),
    "PROTEST": ("protest", "demonstration", "rally", "riot", "strike", "sit-in", "walkout"),
    "APPOINT": ("appointment", "nomination"),
    "INVESTIGATE": ("investigation", "inquiry", "probe", "inspection"),
}  # fmt: skip
"""Event nouns by type. PLOVER's PROTEST covers strikes and boycotts by the public ("hunger strike",
"general strike"); an armed "strike" is told apart by its modifier (``ARMED_STRIKE``); an
ultimatum is a THREATEN (CAMEO 139)."""

VERB_TRIGGERS: dict[str, str] = {word: kind for kind, words in VERB_WORDS.items() for word in words}
NOUN_TRIGGERS: dict[str, str] = {word: kind for kind, words in NOUN_WORDS.items() for word in words}

ARMED_STRIKE = {
    "air", "missile", "drone", "military", "rocket", "nuclear", "pre-emptive", "preemptive", "surgical",
    "artillery", "aerial", "retaliatory", "israeli", "american", "russian", "u.s.", "us",
}  # fmt: skip
"""Modifiers of "strike" that make it an attack, not a walkout."""

NOT_STRUCK = {
    "deal",
    "agreement",
    "accord",
    "bargain",
    "compromise",
    "balance",
    "chord",
    "note",
    "tone",
    "pose",
}
"""Objects of "strike" that make it a light verb ("struck a deal"), not an attack."""

AID_GOODS = {
    "aid", "assistance", "dollar", "money", "grant", "loan", "food", "medicine", "supply", "arms",
    "weapon", "equipment", "intelligence", "relief", "fund", "credit", "vaccine", "goods", "shelter",
    "tent", "blanket", "water", "fuel", "ammunition", "troop", "peacekeeper", "photograph", "asylum",
    "refuge", "support", "help", "euro", "pound", "rupee", "yen", "franc", "arm", "good", "material",
    "medication", "drug", "rice", "wheat", "grain", "flour",
}  # fmt: skip
"""What "give/provide/send/deliver/hand over/ship/contribute/grant" gives when it is aid (PLOVER AID:
material, military, humanitarian aid, peacekeeping, asylum)."""
GIVING_VERBS = {
    "give",
    "provide",
    "send",
    "deliver",
    "hand",
    "ship",
    "contribute",
    "grant",
    "airlift",
    "extend",
}

STOPPING_VERBS = {"suspend", "halt", "cut", "reduce", "end", "sever", "break", "stop", "freeze", "terminate"}
SEVERED = {
    "tie", "relation", "link", "aid", "assistance", "cooperation", "mediation", "talk", "negotiation",
    "contact", "funding",
}  # fmt: skip
"""Objects whose stopping is a SANCTION: PLOVER's "reduce or break relations", "reduce or stop aid",
"halt negotiations/mediation"."""
FLOWS = {"supply", "delivery", "flight", "trade", "shipment", "export", "import", "loan", "credit", "program", "programme", "effort"}  # fmt: skip
"""Objects whose stopping is a SANCTION only when they go to someone ("cut food supplies to the
camp", "halted aid deliveries"): a company that suspends exports after a quake sanctions no one."""

TIE_NOUNS = {"tie", "relation"}
BONDING_VERBS = {"establish", "restore", "upgrade", "normalise", "normalize", "resume", "renew", "improve", "strengthen"}  # fmt: skip
"""Verbs that with "ties"/"relations" are diplomatic cooperation (SUPPORT: CAMEO 050/054)."""

SHARING_VERBS = {"share", "exchange", "pool"}
SHARED = {
    "information",
    "intelligence",
    "evidence",
    "expertise",
    "data",
    "technology",
    "experience",
    "know-how",
}
""""Shared intelligence with" is material cooperation; our AGREE carries PLOVER's COOPERATE."""

RESTRICTING_VERBS = {
    "impose",
    "declare",
    "extend",
    "reimpose",
    "institute",
    "enforce",
    "tighten",
    "clamp",
    "slap",
}
RESTRICTIONS = {
    "curfew",
    "blockade",
    "siege",
    "restriction",
    "emergency",
    "martial",
    "law",
    "ban",
    "blackout",
}
"""Administrative and military restrictions; PLOVER codes them COERCE, CAMEO "impose administrative
sanctions" (172): our SANCTION."""

CLOSED = {"border", "embassy", "consulate", "airspace", "crossing", "frontier", "mission"}
"""Closed, they reduce relations or restrict movement (PLOVER SANCTION/COERCE; our SANCTION)."""
BLOCKING_VERBS = {"block", "barricade", "obstruct", "blockade"}
PASSAGES = {
    "road", "street", "bridge", "highway", "traffic", "route", "entrance", "transport", "rail", "railway",
    "motorway", "crossing", "port", "square", "intersection", "junction", "access", "roadway", "avenue",
}  # fmt: skip
"""PLOVER PROTEST (obstruct): blocking passage. A blocked bill or resolution is not an event here."""

WORK_STOPPING = {"stop", "shun", "quit", "halt", "down", "refuse", "boycott", "lay"}
WORK_NOUNS = {"work", "tool", "class"}
""""Stopped work", "downed tools": a strike (PLOVER PROTEST, boycott mode)."""

INSPECTORS = {"inspector", "investigator", "monitor", "observer", "fact-finder", "expert"}
DISPATCHING_VERBS = {"send", "dispatch", "deploy"}
"""Sending inspectors is an investigation (PLOVER ACCUSE, investigate mode; our INVESTIGATE)."""

HELP_NOUNS = {"refuge", "asylum", "help", "aid", "assistance", "support", "protection", "clarification"}
SEEKING_VERBS = {"seek", "request", "ask"}

CAPTURED_PLACES = {
    "town", "village", "city", "territory", "area", "stronghold", "base", "position", "hill", "airport",
    "port", "region", "province", "district", "outpost", "camp", "bridge", "border", "land",
}  # fmt: skip
"""A seized place is an armed attack (PLOVER ASSAULT/COERCE "occupy territory"); a seized person
an arrest."""

UNMET = {
    "demand", "condition", "request", "requirement", "deadline", "target", "standard", "obligation",
    "criterion", "expectation", "need", "goal", "challenge", "commitment",
}  # fmt: skip
"""Objects of "meet" that make it "satisfy", not a meeting ("meet their demands")."""

GRANTS_DENIED = {
    "entry", "access", "permission", "request", "visa", "allocation", "asylum", "passage", "permit",
    "license", "licence", "bail", "approval", "admission", "landing", "application",
}  # fmt: skip
"""What "denied X" refuses (REJECT); denying a claim or a deed ("denied arresting") is no event."""

NOT_ALLOWED = {"accept", "allow", "permit", "tolerate", "recognise", "recognize", "honour", "honor", "obey"}
"""Verbs whose negation is a refusal (PLOVER REJECT: "decline to allow", "will not accept")."""

YIELDING_VERBS = {
    "release", "free", "return", "lift", "ease", "allow", "permit", "evacuate", "surrender", "disarm",
    "demobilize", "demobilise", "reopen", "relax", "withdraw", "pull", "hand", "recognize", "recognise",
    "extradite",
}  # fmt: skip
YIELDED = {
    "prisoner", "hostage", "detainee", "captive", "refugee", "people", "civilian", "soldier", "troop",
    "force", "weapon", "arm", "territory", "land", "town", "village", "area", "border", "settlement",
    "base", "sanction", "restriction", "ban", "curfew", "blockade", "embargo", "siege", "control",
    "power", "access", "property", "asset", "observer", "inspector", "peacekeeper", "independence",
    "national", "suspect", "militant", "official", "crossing", "corridor", "aid", "delivery",
    "return", "entry", "release", "withdrawal", "deployment", "passage", "visit", "mission",
}  # fmt: skip
"""Verbs of yielding (PLOVER RETREAT/CONCEDE: release persons or property, ease sanctions, allow
involvement, withdraw forces) and what they yield. We have no type for a yielding that happened,
but a promise of one is an AGREE ("said they will release the hostages"); "will return to profit"
yields nothing."""
NO_COMMENT = {
    "comment", "elaborate", "name", "identify", "disclose", "estimate", "say", "speculate", "specify",
    "reveal", "discuss", "confirm", "answer", "detail", "give", "provide", "explain", "quantify",
}  # fmt: skip
"""What one "declines to" do when one only keeps quiet: no rejection."""
REFUSABLE = {"offer", "invitation", "request", "proposal", "plan", "demand", "call", "appeal", "bid", "nomination", "post", "job"}  # fmt: skip
STEPS = {"join", "attend", "participate", "take", "resign", "step", "cooperate", "testify", "serve", "run", "appear"}  # fmt: skip
"""What "declined (to)" refuses when it is a rejection (PLOVER REJECT)."""
OFFERED = {
    "aid", "help", "assistance", "support", "troop", "concession", "compromise", "talk", "mediation",
    "asylum", "protection", "cooperation", "ceasefire", "truce", "guarantee", "amnesty", "plan",
    "proposal", "resignation", "refuge", "shelter", "loan", "credit", "dialogue", "negotiation",
    "peacekeeper", "force", "service", "condolence", "sympathy", "assurance", "incentive",
}  # fmt: skip
"""What is offered when an offer is a promise to cooperate (PLOVER AGREE: "offered concessions",
"offered its troops"), unlike goods on a market."""
IN_NEED = {
    "refugee", "victim", "survivor", "civilian", "people", "country", "government", "nation", "region",
    "population", "family", "farmer", "poor", "needy", "rebel", "force", "army", "ally",
}  # fmt: skip
"""Whom "help" aids when it is aid (PLOVER AID), not "helped customers"."""
FINANCIAL = {
    "share", "stock", "bond", "note", "debenture", "security", "unit", "warrant", "price", "dividend",
    "rate", "yield", "discount", "product", "service", "loan", "credit", "mortgage", "fare", "coupon",
}  # fmt: skip
"""What is "offered" on a market; an offer of shares is no promise to cooperate."""

INVOLVEMENT = {"peacekeeper", "force", "inspector", "observer", "worker", "ambassador", "envoy", "diplomat", "mission", "staff", "aid"}  # fmt: skip
"""What "withdraw" takes away when it is a sanction or threat (PLOVER "expel or withdraw"), not a
retreat."""

PEOPLE_EVACUATED = {"wounded", "civilian", "refugee", "people", "resident", "child", "casualty", "injured", "survivor", "national", "citizen", "foreigner"}  # fmt: skip

INTENT_HEADS = {
    "offer",
    "promise",
    "pledge",
    "vow",
    "swear",
    "agree",
    "plan",
    "prepare",
    "commit",
    "undertake",
}
INTENT_ADJECTIVES = {"ready", "willing", "prepared", "set", "poised", "determined", "about", "eager", "keen"}
"""Heads whose "to"-clause is an intended action: with a cooperative action PLOVER codes an AGREE
(CAMEO 03 "express intent to cooperate"), with a conflictual one a THREATEN (CAMEO 13)."""

COOPERATIVE = {"AID", "SUPPORT", "AGREE", "SIGN", "CONCEDE", "RETREAT"}
CONFLICTUAL = {"ATTACK", "SANCTION", "ARREST", "MOBILIZE"}

TROOPS = {
    "troop", "soldier", "army", "tank", "fighter", "unit", "battalion", "brigade", "division",
    "reservist", "militia", "militiaman", "warship", "fleet", "artillery", "convoy", "contingent",
}  # fmt: skip
"""Armed forces, whose withdrawal is a RETREAT and whose deployment a MOBILIZE (PLOVER; CAMEO 0873
"demobilize armed forces", 0874 "retreat", 154 "mobilize armed forces"). "Force" alone stays with
``INVOLVEMENT``: withdrawn from another's land it is PLOVER's "expel or withdraw"."""
RETREATING_VERBS = {"withdraw", "pull", "demobilize", "demobilise", "disarm", "disband", "evacuate"}
MOBILISING_VERBS = {"mobilize", "mobilise", "deploy", "mass", "station", "amass", "redeploy", "muster"}

MUST_WORDS = {"must", "ought"}
REPORTING_VERBS = {
    "say", "declare", "announce", "reiterate", "insist", "conclude", "stress", "state", "tell", "add",
    "repeat", "emphasise", "emphasize", "underline", "write", "affirm", "assert",
}  # fmt: skip
"""A reporter of "Y must do Z": PLOVER codes the report as a DEMAND on Y."""

MOTION_VERBS = {
    "arrive",
    "leave",
    "go",
    "come",
    "travel",
    "fly",
    "head",
    "return",
    "set",
    "depart",
    "embark",
    "be",
}
"""Verbs whose "on/for/during" phrase names the trip their subject makes ("arrived on a visit")."""

CROWD_WORDS = {
    "protester", "protestor", "demonstrator", "student", "worker", "people", "resident", "farmer",
    "fisherman", "teacher", "activist", "supporter", "villager", "youth", "employee", "miner",
    "driver", "crowd", "thousand", "hundred", "dozen", "union", "trader", "nurse", "doctor", "prisoner",
    "woman", "man", "citizen", "pensioner", "refugee", "inmate", "member",
}  # fmt: skip
"""Who protests in the street; a government, a party or a rights group that "protests" complains
(PLOVER DISAPPROVE), it does not demonstrate."""

COMPLAINT_VERBS = {"lodge", "file", "deliver", "send", "issue", "register", "submit", "voice", "express"}
"""Verbs that with "protest" make it a complaint ("lodged an official protest")."""

ACCEPTED = {
    "plan", "proposal", "formula", "offer", "invitation", "mediation", "deal", "agreement", "terms",
    "ceasefire", "cease-fire", "truce", "compromise", "settlement", "resolution", "framework", "roadmap",
}  # fmt: skip
"""What "accepted" agrees to (AGREE: "accept mediation", "accept a peace plan"); accepted demands are
a concession (PLOVER CONCEDE), for which we have no type."""
THROWN = {"stone", "rock", "brick", "bottle", "molotov", "firebomb", "petrol", "egg", "tear", "cocktail"}
"""Thrown in a riot: PLOVER PROTEST (riot mode), not an armed attack."""
TRUCES = {"ceasefire", "cease-fire", "truce", "armistice"}
"""Violated, they are an attack (CAMEO 196 "violate ceasefire": PLOVER ASSAULT)."""
CAPTIVES = {"hostage", "captive", "shield"}
"""Taking or holding someone as one is an abduction (PLOVER ASSAULT)."""
PETITIONS = {"signature", "petition"}
"""Collected, they are political dissent (PLOVER PROTEST)."""

PEOPLE = CROWD_WORDS | {
    "civilian", "detainee", "hostage", "immigrant", "officer", "soldier", "journalist", "official",
    "diplomat", "national", "child", "victim", "migrant", "settler", "pilgrim", "worshipper",
    "passenger", "tourist", "militant", "rebel", "fighter", "guerrilla", "insurgent", "troop",
    "policeman", "serviceman", "opponent", "dissident", "leader", "minister", "lawmaker", "monk",
    "priest", "missionary", "businessman", "alien", "asylum-seeker", "party", "faction",
}  # fmt: skip
"""People an act can be done to or for, when no named body stands for them ("aid to refugees",
"asylum to five army officers"): event data codes them by what they are."""
