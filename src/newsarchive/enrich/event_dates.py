"""When an event happened, from the parse: the time expression of the trigger's own clause, else
that of the clause it hangs on or of its "when"-clause, resolved by ``dates``; points of
comparison ("lowest since 1997") and the modifiers of other nouns ("its November 20 low") are not
times. Future auxiliaries and dates after publication make an event planned. An undated event
that is not planned takes the report's news day (the last day of the week before publication the
text named before it: "on Thursday", status ``context``), else the publication date (status
``publication``). Kept apart from ``events`` so the rules of *what* happened and of *when* change
separately.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from datetime import date
from typing import cast

from spacy.tokens import Doc, Span, Token

from newsarchive.enrich import dates
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
    clause = trigger if trigger.pos_ == "VERB" else governing_clause(trigger) or trigger
    verb_tense = tense(clause)
    expression = _nearest_date(trigger, clause, is_event) or _head_clause_date(clause, is_event)
    if expression is not None:
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


def _nearest_date(trigger: Token, clause: Token, is_event: Callable[[Token], bool]) -> Span | None:
    doc = trigger.doc
    candidates = [e for e in trigger.sent.ents if e.label_ == "DATE" and _event_time(e, is_event)]
    in_scope = [e for e in candidates if clause.left_edge.i <= e.start and e.end <= clause.right_edge.i + 1]
    # A date inside another trigger's own clause belongs to that trigger, not this one.
    in_scope = [e for e in in_scope if _owner_clause(doc[e.start]).i in {clause.i, trigger.i}]
    if not in_scope:
        return None
    return min(in_scope, key=lambda e: abs(e.start - trigger.i))


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

_NEWS_DAY_WINDOW = 7
"""Days before publication in which a stated day is the report's news day ("on Thursday",
"yesterday", "June 1" in an article of June 4); an older date is background and dates only its
own clause."""


def _news_day(trigger: Token, published: str | None, is_event: Callable[[Token], bool]) -> str | None:
    """The last news day stated before the event's sentence (see ``_NEWS_DAY_WINDOW``): a news
    report narrates its day, so a later undated event it tells of is most likely of that day, not
    of publication. None without a publication date: "on Thursday" then names no day."""
    days = _news_days(trigger.doc, published, is_event)
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
    for entity in doc.ents:
        if entity.label_ != "DATE" or not _event_time(entity, is_event):
            continue
        owner = _owner_clause(entity.root)
        if owner.pos_ not in {"VERB", "AUX"}:
            continue  # a dateline or a caption names no happening
        value = dates.resolve(entity.text, published, tense(owner) or "past").value
        if value is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            continue
        if 0 < (anchor - date.fromisoformat(value)).days <= _NEWS_DAY_WINDOW:
            days.append((entity.start, value))
    return days


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
    if verb.tag_ in {"VBD", "VBN"} or words & {"had", "has", "have", "did", "was", "were"}:
        return "past"
    if verb.dep_ in {"xcomp", "conj"} and head.i != verb.i:
        return tense(head)
    return None
