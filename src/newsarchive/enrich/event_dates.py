"""When an event happened, from the parse: the time expression of the trigger's own clause, else
that of the clause it hangs on or of its "when"-clause, resolved by ``dates``; points of
comparison ("lowest since 1997") and the modifiers of other nouns ("its November 20 low") are not
times. Future auxiliaries and dates after publication make an event planned. An undated event
that is not planned takes the report's news day (the last day of the week before publication the
text named before it: "on Thursday", status ``context``), else the publication date (status
``publication``).

A text's dateline ("March 1, 2008" on its own line, "OSLO, March 1 (Wire) -") is the report's day,
over the publication metadata; headline and lead events take the first news day the report names
(the lead's own day even when reported late). Measured phrases count from a clause ("a day after X
released", "two weeks before the vote"), narrative steps from the last stated day ("the following
day"). Kept apart from ``events`` so the rules of *what* happened and of *when* change separately.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import cast

from spacy.tokens import Doc, Span, Token

from newsarchive.enrich import dates
from newsarchive.enrich.entities import doc_text
from newsarchive.model import DateStatus

FUTURE = {"will", "shall", "'ll", "’ll"}
"""Auxiliaries of a future (planned) event."""
_PLAN_WORDS = {"plan", "expect", "schedule", "intend", "set", "due", "prepare", "aim", "hope", "go"}
"""Verbs whose complement is a plan ("plans to visit")."""
TIME_NOUNS = {
    "day", "week", "month", "year", "morning", "evening", "night", "weekend", "spring", "summer",
    "autumn", "fall", "winter", "season", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "time", "hour",
}  # fmt: skip
"""Nouns of time: a date modifying one still dates the event ("on the morning of May 3"), unlike a
date modifying another noun ("its November 20 low")."""


_MONTH = r"(?:" + "|".join(sorted(dates.MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_OF_MONTH = (
    r"(?i:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?i:" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:\s*,?\s+\d{4})?"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r"(?:\s*,?\s+\d{4})?|\d{4}-\d{2}-\d{2})"
)
_DATELINE = re.compile(r"\s*" + _DAY_OF_MONTH + r"\s*")
"""A line that is only a date ("March 01 , 2008", "Friday, 3 May 2019"): the report's dateline."""
_WIRE_DATELINE = re.compile(
    r"\s*[A-Z][A-Za-z.' -]*(?:,\s*[A-Z][A-Za-z.' -]*)?,\s+(?P<day>"
    + _DAY_OF_MONTH
    + r")\s*(?:\([^)]{1,40}\)\s*)?[-\u2013\u2014]"
)
"""A wire dateline opening the lead: "WASHINGTON, Oct. 10 (Reuters) -", "BERGEN, Norway, Oct. 10 --"."""
_OPENING_LINES = 3
"""Lines a headline and dateline may take at the top of a text."""
_HEADLINE_WORDS = 20
"""Longest first line taken for a headline."""


@dataclass(slots=True, frozen=True)
class _Layout:
    """What the top of a text says: its dateline's day (None without one) and where its opening
    (headline and lead) ends, as a character offset (0 when the text's start is not recognisable)."""

    day: str | None
    opening_end: int
    dateline: tuple[int, int] = (0, 0)


def _layout(doc: Doc, published: str | None) -> _Layout:
    """The dateline and opening of ``doc`` (kept in ``doc.user_data``).

    A dateline is the report's own day: relative dates ("yesterday") are of that day, and it is
    the day an undated event falls back on, even when the publication metadata says otherwise
    (a page stamped when it was archived or last edited). A headline is a first line without final
    punctuation followed by more text, or the lines above a dateline; the lead is the paragraph
    after them. Without either, the text's start is unknown (a chunk, a fragment): no opening."""
    key = f"newsarchive.layout:{published}"
    cached = doc.user_data.get(key)
    if cached is not None:
        return cast(_Layout, cached)
    dateline, opening_end, stated = _top(doc)
    value = dates.resolve(stated, published, "past").value if stated else None
    day = value if value is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
    layout = _Layout(day, opening_end, dateline)
    doc.user_data[key] = layout
    return layout


TEXT_OFFSET = "newsarchive.text_offset"
"""``doc.user_data`` key: where in its article a parsed chunk starts (enrichment sets it). A chunk
further in has no headline or dateline, whatever its first line looks like (a subheading)."""


def _top(doc: Doc) -> tuple[tuple[int, int], int, str | None]:
    """(dateline's character span, end of the opening, the dateline's date text) of ``doc``, from
    its first lines alone; see ``_layout``."""
    if doc.user_data.get(TEXT_OFFSET, 0):
        return (0, 0), 0, None
    lines: list[tuple[int, int, str]] = []
    position = 0
    for raw in doc_text(doc).split("\n"):
        if raw.strip():
            lines.append((position, position + len(raw), raw))
        position += len(raw) + 1
        if len(lines) > _OPENING_LINES:
            break
    for number, (begin, _, text) in enumerate(lines[:_OPENING_LINES]):
        standalone = _DATELINE.fullmatch(text)
        wire = None if standalone else _WIRE_DATELINE.match(text)
        if standalone is None and wire is None:
            continue
        lead = lines[number] if wire else _lead(doc, lines[number + 1 :])
        headline_end = lines[number - 1][1] if number else 0
        span = (begin, begin + (wire.end() if wire else len(text)))
        return span, lead[1] if lead is not None else headline_end, wire["day"] if wire else text
    if len(lines) > 1 and _headline(lines[0][2]):
        return (0, 0), lines[1][1], None
    return (0, 0), 0, None


def _lead(doc: Doc, lines: list[tuple[int, int, str]]) -> tuple[int, int, str] | None:
    """The first of ``lines`` that tells something (has a verb): a photo caption or a byline
    ("General Motors logo.", "By Ann Berg") may stand between the dateline and the lead."""
    for line in lines[:2]:
        span = doc.char_span(line[0], line[1], alignment_mode="expand")
        if span is not None and any(t.pos_ in {"VERB", "AUX"} for t in span):
            return line
    return lines[0] if lines else None


def _dateline_span(doc: Doc) -> tuple[int, int]:
    """Where ``doc``'s dateline is (``(0, 0)`` without one): the report's day, never an event's."""
    key = "newsarchive.dateline"
    if key not in doc.user_data:
        doc.user_data[key] = _top(doc)[0]
    return cast(tuple[int, int], doc.user_data[key])


def _headline(text: str) -> bool:
    """A short line without final punctuation: a title, not the first sentence of a body."""
    stripped = text.strip()
    return len(stripped.split()) <= _HEADLINE_WORDS and stripped[-1] not in ".!?:;\"'”’)"


def governing_clause(token: Token) -> Token | None:
    """The verb a noun or adjective trigger belongs to, None when the parse gives none."""
    current = token
    for _ in range(6):
        if current.pos_ in {"VERB", "AUX"}:
            return current
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def event_date(
    trigger: Token, published: str | None, is_event: Callable[[Token], bool]
) -> tuple[str | None, DateStatus]:
    """The event's date and status: its own time expression, else the one of the clause it hangs on
    ("…, with the index losing 5%" takes the main clause's "on Monday"), else, for an event that is
    not planned, the news day the report last named, else the publication date. ``is_event`` tells
    an event noun, whose date modifier is a time ("the November 20 talks")."""
    published = _layout(trigger.doc, published).day or published
    clause = trigger if trigger.pos_ == "VERB" else governing_clause(trigger) or trigger
    verb_tense = tense(clause)
    measured = _measured_from(trigger, clause, published, is_event)
    if measured is not None:
        return measured
    expression = _nearest_date(trigger, clause, is_event) or _head_clause_date(clause, is_event)
    if expression is not None:
        step = _narrative_step(expression.text)
        if step is not None:
            base = _previous_day(expression, published, is_event)
            moved = dates.shift(base, "day", step) if base else None
            if moved is not None:
                return moved, "planned" if verb_tense == "future" else "happened"
        resolved = dates.resolve(expression.text, published, verb_tense)
        implied = resolved.tense or dates.compare(resolved.value, published) or verb_tense
        if resolved.value is not None or resolved.relative:
            return resolved.value, "planned" if implied == "future" else "happened"
    if verb_tense == "future":
        return None, "planned"
    news_day = _news_day(trigger, published, is_event)
    if news_day is not None:
        return news_day, "context"
    anchor = dates.parse_published(published)
    return (anchor.isoformat() if anchor else None), "publication"


_NARRATIVE_STEP = re.compile(
    r"(?:the )?(?P<dir>next|following|previous|preceding) (?:day|morning|evening|night)"
    r"|the day (?P<before>before)|(?P<n>a|an|one|two|three|four|five|six|\d+) days? (?P<way>later|earlier)"
)
_STEP_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _narrative_step(text: str) -> int | None:
    """Days from the narrative's last stated day that "the following day", "the day before" or
    "two days later" move; None for any other expression."""
    match = _NARRATIVE_STEP.fullmatch(" ".join(text.lower().split()))
    if match is None:
        return None
    if match["dir"]:
        return 1 if match["dir"] in {"next", "following"} else -1
    if match["before"]:
        return -1
    count = int(match["n"]) if match["n"].isdigit() else _STEP_NUMBERS[match["n"]]
    return count if match["way"] == "later" else -count


def _previous_day(expression: Span, published: str | None, is_event: Callable[[Token], bool]) -> str | None:
    """The last day stated before ``expression``, of any age ("the talks began on March 3; the
    following day…"): what a narrative step counts from. None when the text states none."""
    doc = expression.doc
    dateline = _dateline_span(doc)
    for entity in reversed([e for e in doc.ents if e.end <= expression.start]):
        if entity.label_ != "DATE" or dateline[0] <= entity.start_char < dateline[1]:
            continue
        if not _event_time(entity, is_event) or dates.is_period(entity.text):
            continue
        value = dates.resolve(entity.text, published, tense(_owner_clause(entity.root)) or "past").value
        if value is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return value
    return None


_OFFSET_WORDS = {"after": -1, "before": 1}
"""Sign of the step from the clause measured from to the event: "comes a day after X did" puts X
a day *before* the clause it hangs on."""


def _measured_from(
    trigger: Token, clause: Token, published: str | None, is_event: Callable[[Token], bool]
) -> tuple[str | None, DateStatus] | None:
    """The date of an event in a measured "after"/"before" phrase ("the move comes a day after
    Chrysler released its list", "two weeks before the vote"): the date of the clause it hangs
    on, moved by the measure. None when the event is not so placed or that clause has no date."""
    links = [c for c in clause.children if c.dep_ == "mark" and c.lower_ in _OFFSET_WORDS]
    if trigger.pos_ != "VERB" and trigger.head.lower_ in _OFFSET_WORDS and trigger.dep_ == "pobj":
        links.append(trigger.head)
    for link in links:
        # the parse hangs the measure on the conjunction or on the clause's verb
        measures = [*link.children, *(clause.children if link.dep_ == "mark" else ())]
        for measure in measures:
            if measure.dep_ != "npadvmod" or measure.i > link.i:
                continue
            step = dates.duration(trigger.doc[measure.left_edge.i : measure.i + 1].text)
            base = (clause if link.dep_ == "mark" else link).head
            if step is None or base.i == trigger.i:
                continue
            base_clause = base if base.pos_ in {"VERB", "AUX"} else governing_clause(base)
            if base_clause is None or base_clause.i == trigger.i:
                continue
            value, status = event_date(base_clause, published, is_event)
            moved = dates.shift(value, step[0], _OFFSET_WORDS[link.lower_] * step[1]) if value else None
            if moved is not None:
                return moved, "planned" if status == "planned" else "happened"
    return None


def _nearest_date(trigger: Token, clause: Token, is_event: Callable[[Token], bool]) -> Span | None:
    doc = trigger.doc
    dateline = _dateline_span(doc)
    candidates = [
        e
        for e in trigger.sent.ents
        if e.label_ == "DATE" and _event_time(e, is_event) and not dateline[0] <= e.start_char < dateline[1]
    ]
    # An entity may run past the clause ("arrives on November 11, three days later"): the part
    # inside it is the clause's time.
    end = clause.right_edge.i + 1
    in_scope = [doc[e.start : min(e.end, end)] for e in candidates if clause.left_edge.i <= e.start < end]
    # A date inside another trigger's own clause belongs to that trigger, not this one, unless
    # that clause describes this one ("a deal begun last year", "the talks held on Monday").
    in_scope = [e for e in in_scope if _owns(_owner_clause(doc[e.start]), trigger, clause)]
    if not in_scope:
        return None
    return min(in_scope, key=lambda e: abs(e.start - trigger.i))


def _owns(owner: Token, trigger: Token, clause: Token) -> bool:
    """Whether a date whose clause is ``owner`` dates ``trigger``: its own clause, or a participle
    or relative clause describing the trigger noun."""
    if owner.i in {clause.i, trigger.i}:
        return True
    return trigger.pos_ in {"NOUN", "PROPN"} and owner.dep_ in {"acl", "relcl"} and owner.head.i == trigger.i


_REFERENCE_PREPS = {"since", "from"}
"""Prepositions whose date, on a noun or adjective, is a point of comparison (see ``_event_time``)."""
_DEPENDENT_CLAUSES = {"advcl", "xcomp", "conj", "acl", "pcomp", "relcl"}
"""Clauses that take their time from the clause they hang on unless they state their own; not
``ccomp``: what someone said happened need not have happened when they said it."""


def _event_time(expression: Span, is_event: Callable[[Token], bool]) -> bool:
    """Whether a DATE entity can be an event's time: not a point of comparison, and not the
    modifier of a noun other than a time word or an event ("its November 20 low").

    A since/from-phrase compares when it hangs on a noun or adjective ("its lowest level since
    1997", "up 5% from the close of trading Wednesday") or follows a superlative or "first" ("posted
    its first loss since 1992"); on the verb alone it dates it ("suspended since July 2003")."""
    root = expression.root
    current = root
    for _ in range(6):
        if current.pos_ in {"VERB", "AUX"} or current.head.i == current.i:
            break
        if current.lower_ in _REFERENCE_PREPS:
            verb = current.head
            if verb.pos_ not in {"VERB", "AUX"}:
                return False
            return not any(
                t.tag_ in {"JJS", "RBS"} or t.lower_ in _ORDINAL_FIRST
                for t in expression.doc[verb.left_edge.i : current.i]
            )
        current = current.head
    head = root.head
    return not (
        root.dep_ in {"compound", "nmod", "poss", "amod"}
        and head.pos_ == "NOUN"
        and head.lemma_.lower() not in TIME_NOUNS
        and not is_event(head)
    )


_ORDINAL_FIRST = {"first", "only"}
"""Words that make a since-phrase a comparison even on the verb ("the first loss since 1992")."""


def _head_clause_date(clause: Token, is_event: Callable[[Token], bool]) -> Span | None:
    """The date a clause without its own takes from the parse: of the clause it hangs on (up to two
    steps: "…, closing at 8,000" after "the Dow fell on Monday"), of its own "when"-clause ("when X
    did Y on May 3, Z …"), or of the date a "when"-clause describes ("in 2008, when X posted …")."""
    if clause.dep_ == "relcl" and _when_clause(clause):
        named = next(
            (e for e in clause.doc.ents if e.label_ == "DATE" and e.start <= clause.head.i < e.end), None
        )
        if named is not None:
            return named
    current = clause
    for _ in range(2):
        if current.dep_ not in _DEPENDENT_CLAUSES or current.head.i == current.i:
            break
        head = current.head if current.head.pos_ in {"VERB", "AUX"} else governing_clause(current.head)
        if head is None or head.i == current.i:
            break
        found = _nearest_date(head, head, is_event)
        if found is not None:
            return found
        current = head
    for child in clause.children:
        if child.dep_ == "advcl" and _when_clause(child):
            found = _nearest_date(child, child, is_event)
            if found is not None:
                return found
    return None


def _when_clause(clause: Token) -> bool:
    return any(c.dep_ in {"mark", "advmod"} and c.lower_ in _SAME_TIME for c in clause.children)


_SAME_TIME = {"when", "as", "while"}
_TEMPORAL_MARKS = {"when", "once", "after", "before", "until", "till"}
"""Conjunctions of a time clause, whose present tense takes the tense of the clause it hangs on."""

_NEWS_DAY_WINDOW = 7
"""Days before publication in which a stated day is the report's news day ("on Thursday",
"yesterday", "June 1" in an article of June 4, or "today" again after an older day); an older date
is background and dates only its own clause."""
_LEAD_WINDOW = 31
"""Days before publication in which a day stated in the headline or lead is still the news day:
the lead states the news, even when it is reported late ("The GAO on June 18 called for…" in a
report of July 2)."""


def _news_day(trigger: Token, published: str | None, is_event: Callable[[Token], bool]) -> str | None:
    """The last news day stated before the event's sentence (see ``_NEWS_DAY_WINDOW``): a news
    report narrates its day, so a later undated event it tells of is most likely of that day, not
    of publication. None without a publication date: "on Thursday" then names no day."""
    days = _news_days(trigger.doc, published, is_event)
    if days and trigger.idx < _layout(trigger.doc, published).opening_end:
        return days[0][1]  # the headline and lead tell the news the report dates first
    earlier = bisect.bisect_left(days, (trigger.sent.start, ""))
    return days[earlier - 1][1] if earlier else None


def _news_days(doc: Doc, published: str | None, is_event: Callable[[Token], bool]) -> list[tuple[int, str]]:
    """(token index, ISO day) of every news day stated in ``doc``, kept in ``doc.user_data`` so a
    long chunk with many events is read once."""
    key = f"newsarchive.news_days:{published}"
    cached = doc.user_data.get(key)
    if cached is not None:
        return cast(list[tuple[int, str]], cached)
    anchor = dates.parse_published(published)
    days: list[tuple[int, str]] = []
    doc.user_data[key] = days
    if anchor is None:
        return days
    layout = _layout(doc, published)
    dateline = layout.dateline
    for entity in doc.ents:
        if dateline[0] <= entity.start_char < dateline[1]:
            continue  # the report's own day, not a day it tells of
        if entity.label_ != "DATE" or not _event_time(entity, is_event) or dates.is_period(entity.text):
            continue
        owner = _owner_clause(entity.root)
        if owner.pos_ not in {"VERB", "AUX"}:
            continue  # a dateline or a caption names no happening
        if not _dates_clause(entity.root):
            continue  # "described the events of today": the day of a thing, not of the telling
        if any(c.dep_ == "aux" and c.lower_ == "had" for c in owner.children):
            continue  # "had fallen yesterday": a past perfect tells of before the news, not of it
        value = dates.resolve(entity.text, published, tense(owner) or "past").value
        if value is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            continue
        window = _LEAD_WINDOW if entity.start_char < layout.opening_end else _NEWS_DAY_WINDOW
        if 0 <= (anchor - date.fromisoformat(value)).days <= window:
            days.append((entity.start, value))
    return days


def _dates_clause(root: Token) -> bool:
    """Whether a time expression can date its clause: not as the "of"-complement of a noun ("the
    events of today", "the crash of 1929"), which is the time of that thing, not of the telling."""
    head = root.head
    return not (head.lower_ == "of" and head.head.pos_ in {"NOUN", "PROPN"})


def _owner_clause(token: Token) -> Token:
    current = token
    for _ in range(8):
        if current.pos_ in {"VERB", "AUX"} or current.head.i == current.i:
            return current
        current = current.head
    return current


def tense(verb: Token) -> dates.Tense | None:
    """Future from "will" or a plan verb ("plans to visit"), past from the tag or auxiliary, else
    the tense of the clause it completes; None when the verb does not say."""
    words = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if words & FUTURE:
        return "future"
    head = verb.head
    if verb.dep_ == "xcomp" and head.lemma_.lower() in _PLAN_WORDS:
        return "future"
    if verb.tag_ == "VBN" and words & {"is", "are", "am"} and verb.lemma_.lower() in _PLAN_WORDS:
        return "future"  # "losses are expected", "the vote is scheduled"
    if (
        verb.tag_ in {"VBZ", "VBP"}
        and verb.dep_ == "advcl"
        and head.i != verb.i
        and any(c.dep_ in {"mark", "advmod"} and c.lower_ in _TEMPORAL_MARKS for c in verb.children)
    ):
        return tense(head)  # English puts a future in the present after "when": "when markets reopen"
    if verb.tag_ in {"VBD", "VBN"} or words & {"had", "has", "have", "did", "was", "were"}:
        return "past"
    if verb.dep_ in {"xcomp", "conj"} and head.i != verb.i:
        return tense(head)
    return None
