"""Date resolution: stated dates keep only what the text says; relative ones need the publication date."""

from __future__ import annotations

import pytest

from newsarchive.enrich.dates import compare, duration, is_period, parse_published, resolve, shift


@pytest.mark.parametrize(
    ("expression", "published", "tense", "expected"),
    [
        ("November 10", None, "future", "--11-10"),
        ("November 10", "2016-10-20", "future", "2016-11-10"),
        ("on January 3", "2016-12-28", "future", "2017-01-03"),
        ("on January 3", "2017-01-05", "past", "2017-01-03"),
        ("10 November 2016", None, None, "2016-11-10"),
        ("November 2016", None, None, "2016-11"),
        ("next month", "2016-10-20", None, "2016-11"),
        ("next month", "2016-12-05", None, "2017-01"),
        ("earlier this year", "2016-10-20", None, "2016"),
        ("last year", "2016-10-20", None, "2015"),
        ("last week", "2016-10-20", None, "2016-W41"),
        ("on Tuesday", "2016-10-20", "past", "2016-10-18"),
        ("on Tuesday", "2016-10-20", "future", "2016-10-25"),
        ("next Tuesday", "2016-10-20", None, "2016-10-25"),
        ("yesterday", "2016-10-20T08:00:00Z", None, "2016-10-19"),
        ("three days ago", "2016-10-20", None, "2016-10-17"),
        ("since July 24 , 2003", "2005-03-06", "past", "2003-07-24"),  # tokenised text: " , " before the year
        ("24 July , 2003", "2005-03-06", "past", "2003-07-24"),
    ],
)
def test_resolves_against_publication_date(
    expression: str, published: str | None, tense: str | None, expected: str
) -> None:
    assert resolve(expression, published, tense).value == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "expression", ["next month", "last week", "on Tuesday", "earlier this year", "yesterday"]
)
def test_relative_dates_stay_unresolved_without_publication_date(expression: str) -> None:
    resolved = resolve(expression, None)
    assert resolved.value is None
    assert resolved.relative


def test_relative_wording_implies_tense() -> None:
    assert resolve("next month", None).tense == "future"
    assert resolve("last week", None).tense == "past"


def test_never_invents_a_year() -> None:
    for expression in ["March 3", "3 March", "March"]:
        value = resolve(expression, None).value
        assert value is not None and value.startswith("--")


def test_bad_inputs_do_not_crash() -> None:
    assert resolve("", "2016-10-20").value is None
    assert resolve("February 30", None).value in {None, "--02"}  # never an impossible day
    assert parse_published("not a date") is None
    assert parse_published("2016-13-45") is None


def test_compare_orders_against_publication() -> None:
    assert compare("2016-11-10", "2016-10-20") == "future"
    assert compare("2016-09", "2016-10-20") == "past"
    assert compare("--11-10", "2016-10-20") is None


@pytest.mark.parametrize(
    ("expression", "expected"),
    [("last night", "2016-10-19"), ("late last night", "2016-10-19"), ("this morning", "2016-10-20")],
)
def test_parts_of_the_day_are_the_report_day_or_its_eve(expression: str, expected: str) -> None:
    assert resolve(expression, "2016-10-20").value == expected
    assert resolve(expression, None).value is None


@pytest.mark.parametrize(
    ("expression", "published", "tense", "expected"),
    [
        ("in March", "2016-02-10", "past", "2015-03"),  # a past month before publication's month
        ("in March", "2016-02-10", "future", "2016-03"),
        ("earlier this month", "2016-10-20", None, "2016-10"),
        ("in 2014", "2016-10-20", "past", "2014"),  # a year stays a year
        ("on Monday", "2016-10-17", "past", "2016-10-17"),  # published that Monday: the same day
        ("last Monday", "2016-10-20", None, "2016-10-17"),
    ],
)
def test_month_year_and_weekday_granularity_and_tense(
    expression: str, published: str, tense: str | None, expected: str
) -> None:
    assert resolve(expression, published, tense).value == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("in the past nine days", "2008-09-30"),
        ("over the last three days", "2008-10-06"),
        ("in the past two months", "2008-08"),
        ("the previous 2 years", "2006"),
    ],
)
def test_a_stretch_up_to_the_report_is_dated_by_its_start(expression: str, expected: str) -> None:
    assert resolve(expression, "2008-10-09").value == expected
    assert is_period(expression)
    assert resolve(expression, None).value is None


def test_last_week_and_three_days_ago_are_no_stretch() -> None:
    assert not is_period("last week")
    assert not is_period("three days ago")
    assert resolve("last week", "2008-10-09").value == "2008-W40"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("a day", ("day", 1)),
        ("two weeks", ("week", 2)),
        ("3 months", ("month", 3)),
        ("about a year", ("year", 1)),
    ],
)
def test_duration_reads_a_bare_span_of_time(expression: str, expected: tuple[str, int]) -> None:
    assert duration(expression) == expected


@pytest.mark.parametrize("expression", ["Monday", "a day later", "the day", "many days"])
def test_duration_refuses_anything_but_a_bare_span(expression: str) -> None:
    assert duration(expression) is None


@pytest.mark.parametrize(
    ("value", "unit", "count", "expected"),
    [
        ("2009-05-15", "day", -1, "2009-05-14"),
        ("2009-03-01", "day", -1, "2009-02-28"),
        ("2009-05-03", "week", 2, "2009-05-17"),
        ("2009-05-15", "month", -1, "2009-04"),  # a month away is known to the month only
        ("2009-05", "day", -1, "2009-05"),  # a day from a month stays that month
        ("2009", "year", 1, "2010"),
        ("2009-W10", "day", 1, None),
        ("--05-15", "day", 1, None),
    ],
)
def test_shift_moves_at_the_coarser_granularity(
    value: str, unit: str, count: int, expected: str | None
) -> None:
    assert shift(value, unit, count) == expected


@pytest.mark.parametrize(
    ("expression", "tense", "expected"),
    [
        ("the third quarter of this year", None, "2009-Q3"),
        ("the fourth quarter of 2005", None, "2005-Q4"),
        ("the final quarter of last year", None, "2008-Q4"),
        ("Q1 2010", None, "2010-Q1"),
        ("third-quarter", None, "2009-Q3"),  # the latest third quarter begun by publication
        ("the fourth quarter", "past", "2008-Q4"),  # not yet begun in August 2009
        ("the fourth quarter", "future", "2009-Q4"),
        ("the second quarter", "future", "2010-Q2"),  # already over in August 2009
    ],
)
def test_quarters_are_timeml_quarters(expression: str, tense: str | None, expected: str) -> None:
    assert resolve(expression, "2009-08-20", tense).value == expected  # type: ignore[arg-type]


def test_a_quarter_needs_a_year_or_publication_and_orders_nowhere() -> None:
    assert resolve("the fourth quarter of 2005", None).value == "2005-Q4"
    assert resolve("the fourth quarter", None).value is None
    assert compare("2009-Q3", "2009-08-20") is None
