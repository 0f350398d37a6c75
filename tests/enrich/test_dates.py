"""Date resolution: stated dates keep only what the text says; relative ones need the publication date."""

from __future__ import annotations

import pytest

from newsarchive.enrich.dates import compare, parse_published, resolve


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
