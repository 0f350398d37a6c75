"""When an event happened (``event_dates``), on fictional news texts parsed by the real pipeline:
datelines, headlines and leads, news days, measured "after" phrases, time clauses."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Token

from newsarchive.enrich import event_dates
from newsarchive.model import DateStatus

_EVENT_NOUNS = {"election", "strike", "vote", "talks"}


def _is_event(token: Token) -> bool:
    return token.lemma_.lower() in _EVENT_NOUNS


def _date(
    nlp: Language, text: str, word: str, published: str | None, nth: int = 0
) -> tuple[str | None, DateStatus]:
    """The date of the ``nth`` token spelled ``word`` in ``text``."""
    doc = nlp(text)
    token = [t for t in doc if t.text == word][nth]
    return event_dates.event_date(token, published, _is_event)


# --- datelines -------------------------------------------------------------------------------------


def test_a_dateline_is_the_report_day_over_the_publication_metadata(nlp: Language) -> None:
    text = (
        "Oslo stocks recover after a sharp fall\n"
        "October 10, 2008\n"
        "Shares in Oslo recovered by noon after the central bank acted.\n"
        "The index had fallen sharply yesterday."
    )
    # the page was stamped ten days later (archived or edited): the text's own day counts; the
    # past perfect's "yesterday" is before the news, so it is no news day for the lead
    assert _date(nlp, text, "recovered", "2008-10-20") == ("2008-10-10", "publication")
    assert _date(nlp, text, "fallen", "2008-10-20") == ("2008-10-09", "happened"), "yesterday of the dateline"


def test_a_dateline_gives_a_day_without_publication_metadata(nlp: Language) -> None:
    text = "Oslo stocks recover\nOctober 10, 2008\nShares in Oslo recovered by noon after the central bank acted."
    assert _date(nlp, text, "recovered", None) == ("2008-10-10", "publication")


@pytest.mark.parametrize(
    "opening",
    ["OSLO, Oct. 10 (Nordwire) -", "Oslo, October 10 \u2014", "BERGEN, Norway, Oct. 10, 2008 (Nordwire) --"],
)
def test_a_wire_dateline_opens_the_lead(nlp: Language, opening: str) -> None:
    text = f"{opening} Shares in Oslo recovered by noon after the central bank acted."
    assert _date(nlp, text, "recovered", "2008-10-20") == ("2008-10-10", "publication")


def test_a_date_inside_the_text_is_no_dateline(nlp: Language) -> None:
    text = (
        "Shares in Oslo recovered by noon after the central bank acted.\nThey had fallen on October 3, 2008."
    )
    assert _date(nlp, text, "recovered", "2008-10-20") == ("2008-10-20", "publication")


# --- headline and lead -----------------------------------------------------------------------------


def test_headline_and_lead_take_the_first_news_day_the_report_names(nlp: Language) -> None:
    text = (
        "Nordbil files for bankruptcy\n"
        "May 01, 2009\n"
        "The carmaker Nordbil has collapsed under its debts.\n"
        "Nordbil filed for bankruptcy protection on Thursday in Oslo."
    )
    # published Friday 1 May: the news is of Thursday, named only in the third line
    assert _date(nlp, text, "files", "2009-05-01") == ("2009-04-30", "context")
    assert _date(nlp, text, "collapsed", "2009-05-01") == ("2009-04-30", "context")


def test_a_headline_without_dateline_is_a_first_line_without_final_punctuation(nlp: Language) -> None:
    text = "Nordbil files for bankruptcy\nNordbil filed for bankruptcy protection on Thursday in Oslo."
    # the parser may join the two lines into one sentence ("happened") or not ("context"): the day holds
    assert _date(nlp, text, "files", "2009-05-01")[0] == "2009-04-30"
    assert _date(
        nlp, "Nordbil files for bankruptcy.\nNordbil filed for bankruptcy on Thursday.", "files", "2009-05-01"
    ) == (
        "2009-05-01",
        "publication",
    ), "a first line ending in a full stop is no headline"


def test_the_headline_takes_today_when_the_lead_says_today(nlp: Language) -> None:
    text = (
        "Stock markets fall worldwide\n"
        "September 17, 2008\n"
        "Stock markets in Oslo and Stockholm have fallen dramatically today.\n"
        "The Oslo index hit a record low yesterday."
    )
    assert _date(nlp, text, "fall", "2008-09-17") == ("2008-09-17", "context")


# --- news days -------------------------------------------------------------------------------------


def test_a_stretch_up_to_the_report_is_no_news_day(nlp: Language) -> None:
    text = "The Oslo index has fallen for the past six days. Ingrid Moe criticised the central bank."
    assert _date(nlp, text, "fallen", "2009-02-24") == ("2009-02-18", "happened"), "dated by its start"
    assert _date(nlp, text, "criticised", "2009-02-24") == ("2009-02-24", "publication")


def test_today_in_the_narrative_is_a_news_day_but_not_the_day_of_a_thing(nlp: Language) -> None:
    told = "Sweden imposed sanctions on Norway on Monday. Markets in Oslo did well today. Ingrid Moe criticised Sweden."
    assert _date(nlp, told, "criticised", "2021-05-12") == ("2021-05-12", "context")
    described = (
        "Sweden imposed sanctions on Norway on Monday. Ola Brandvik described the events of today as historic. "
        "Ingrid Moe criticised Sweden."
    )
    assert _date(nlp, described, "criticised", "2021-05-12") == ("2021-05-10", "context")


# --- measured "after" / "before" -------------------------------------------------------------------


def test_a_day_after_dates_the_event_from_the_clause_it_is_measured_from(nlp: Language) -> None:
    text = "Nordbil's move comes a day after Autoline released a list of closing dealerships."
    # the move is of the report's day (15 May), so Autoline's release is of the day before
    assert _date(nlp, text, "released", "2009-05-15") == ("2009-05-14", "happened")


def test_before_a_dated_clause_moves_the_other_way(nlp: Language) -> None:
    text = "The talks ended on May 3, two weeks before the election."
    assert _date(nlp, text, "election", "2009-06-01") == ("2009-05-17", "happened")


# --- clauses ---------------------------------------------------------------------------------------


def test_a_date_entity_running_past_its_clause_still_dates_it(nlp: Language) -> None:
    text = "The new ferry will carry the Nordline colours when it arrives on November 11, three days later than planned."
    assert _date(nlp, text, "arrives", "2005-11-05") == ("2005-11-11", "planned")
    assert _date(nlp, text, "carry", "2005-11-05") == ("2005-11-11", "planned")


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Further losses are expected when markets reopen Tuesday.", "reopen", ("2008-01-22", "planned")),
        ("The vote is scheduled for Thursday.", "scheduled", ("2008-01-24", "planned")),
        ("Markets fell sharply when trading resumed on Tuesday.", "resumed", ("2008-01-15", "happened")),
    ],
)
def test_a_present_time_clause_takes_the_tense_of_its_head(
    nlp: Language, text: str, word: str, expected: tuple[str, str]
) -> None:
    # published Monday 21 January 2008
    assert _date(nlp, text, word, "2008-01-21") == expected


def test_a_day_stated_in_the_lead_is_the_news_day_even_when_reported_late(nlp: Language) -> None:
    lead = (
        "Audit office requests new ferry tender\n"
        "July 02, 2008\n"
        "The audit office on June 18 called for a new tender for the Nordline ferry contract.\n"
        "The office upheld the complaint of Fjordbåt.\n"
    )
    # two weeks before publication: too old for a day named later on, not for the lead's own day
    assert _date(nlp, lead, "upheld", "2008-07-02") == ("2008-06-18", "context")
    later = lead.replace("The audit office on June 18", "The audit office").replace(
        "The office upheld", "Fjordbåt complained on June 18.\nThe office upheld"
    )
    assert _date(nlp, later, "upheld", "2008-07-02") == ("2008-07-02", "publication")


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        ("The following day, Ingrid Moe left Oslo.", "2021-03-04"),
        ("Two days later, Ingrid Moe left Oslo.", "2021-03-05"),
        ("On the previous day, Ingrid Moe arrived in Oslo.", "2021-03-02"),
    ],
)
def test_a_narrative_step_counts_from_the_last_stated_day_not_publication(
    nlp: Language, second: str, expected: str
) -> None:
    text = f"The fishing talks began in Bergen on March 3. {second}"
    word = "left" if "left" in second else "arrived"  # a stated day two months before publication
    assert _date(nlp, text, word, "2021-05-12") == (expected, "happened")


def test_a_narrative_step_without_a_stated_day_dates_nothing(nlp: Language) -> None:
    # no day to count from: the usual fallback, never the day after publication for a past event
    assert _date(nlp, "The following day, Ingrid Moe left Oslo.", "left", "2021-05-12") == (
        "2021-05-12",
        "publication",
    )


def test_a_caption_between_dateline_and_lead_is_not_the_lead(nlp: Language) -> None:
    text = (
        "Nordbil posts first annual loss\n"
        "January 27, 2006\n"
        "The Nordbil logo.\n"
        "Nordbil has posted its first annual loss in its history.\n"
        "Nordbil's board admitted the loss on Thursday in Oslo."
    )
    # published Friday 27 January: the lead's loss is the one admitted on Thursday
    assert _date(nlp, text, "posted", "2006-01-27") == ("2006-01-26", "context")


def test_a_clause_describing_an_event_noun_dates_it(nlp: Language) -> None:
    text = "The sale is the result of talks begun between Nordline and Fjordbåt last year."
    assert _date(nlp, text, "talks", "2007-06-10") == ("2006", "happened")
    other = "The sale is the result of talks, although Nordline began building ferries last year."
    assert _date(nlp, other, "talks", "2007-06-10") == ("2007-06-10", "publication"), "another clause's date"


def test_a_chunk_further_into_an_article_has_no_opening(nlp: Language) -> None:
    text = "Reactions abroad\nShares in Oslo recovered by noon.\nThe central bank cut its rate on Thursday."
    opening = _date(nlp, text, "recovered", "2008-10-11")
    assert opening == ("2008-10-09", "context"), "a lead takes the first news day its report names"
    doc = nlp(text)
    doc.user_data[event_dates.TEXT_OFFSET] = 12_000  # the same lines as a subheading deep into an article
    token = next(t for t in doc if t.text == "recovered")
    assert event_dates.event_date(token, "2008-10-11", _is_event) == ("2008-10-11", "publication")
