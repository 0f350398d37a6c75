"""The one publication-date rule: every way an input writes a date -> ISO 8601, or a reason."""

from __future__ import annotations

import pytest

from newsarchive.extract.published import PublishedDate, guess_dayfirst, normalise_published


def read(value: str | int | float, **kwargs: object) -> PublishedDate:
    found = normalise_published(value, **kwargs)  # type: ignore[arg-type]
    assert isinstance(found, PublishedDate), found
    return found


@pytest.mark.parametrize(
    ("value", "date", "time"),
    [
        (1709600000.0, "2024-03-05", "2024-03-05T00:53:20+00:00"),  # epoch seconds, a float
        (1709600000, "2024-03-05", "2024-03-05T00:53:20+00:00"),
        ("1709600000", "2024-03-05", "2024-03-05T00:53:20+00:00"),
        (1709600000123, "2024-03-05", "2024-03-05T00:53:20+00:00"),  # milliseconds
        ("1709600000123456", "2024-03-05", "2024-03-05T00:53:20+00:00"),  # microseconds
        ("2020-06-30", "2020-06-30", None),
        ("2020-06-30T23:59:59+14:00", "2020-06-30", "2020-06-30T23:59:59+14:00"),  # the day as printed
        ("2020-06-30T23:59:59-0930", "2020-06-30", "2020-06-30T23:59:59-09:30"),
        ("2020-06-30 08:15:00Z", "2020-06-30", "2020-06-30T08:15:00+00:00"),
        ("2020-06-30T08:15:00.250Z", "2020-06-30", "2020-06-30T08:15:00+00:00"),
        ("2020-06-30T08:15", "2020-06-30", "2020-06-30T08:15:00"),  # no zone: none invented
        ("20200630", "2020-06-30", None),
        ("2019/07/04 10:30", "2019-07-04", "2019-07-04T10:30:00"),
        ("Tue, 10 Nov 2015 08:00:00 GMT", "2015-11-10", "2015-11-10T08:00:00+00:00"),
        ("Tue, 10 Nov 2015 08:00:00 +0200", "2015-11-10", "2015-11-10T08:00:00+02:00"),
        ("15 May 2025", "2025-05-15", None),
        ("May 15, 2025", "2025-05-15", None),
        ("Thursday, 5 March 2020", "2020-03-05", None),
        ("March 12, 2009 2:51 pm EST", "2009-03-12", "2009-03-12T14:51:00-05:00"),
        ("31/12/2018", "2018-12-31", None),  # a first number over 12: day first
        ("12/31/2018", "2018-12-31", None),  # a second number over 12: month first
        ("31.12.18", "2018-12-31", None),  # two-digit years: POSIX's pivot
        ("31-12-1999 14:05", "1999-12-31", "1999-12-31T14:05:00"),
        ("15 mai 2025", "2025-05-15", None),  # month names in other languages
        ("3. März 2021", "2021-03-03", None),
        ("15 مايو 2025", "2025-05-15", None),
        ("١٥ مايو ٢٠٢٥", "2025-05-15", None),  # Arabic-Indic digits
        ("2016-03", "2016-03", None),  # partial dates stay partial
        ("2016", "2016", None),
        ("May 2025", "2025-05", None),
    ],
)
def test_dates_as_inputs_write_them(value: str | float, date: str, time: str | None) -> None:
    found = read(value)
    assert (found.date, found.time) == (date, time)
    assert found.raw == str(value)
    assert not found.ambiguous


@pytest.mark.parametrize(
    "value",
    ["yesterday", "2 days ago", "Monday", "last week", "hier", "منذ ساعتين", "this morning at 10:00"],
)
def test_relative_dates_are_refused_with_a_reason(value: str) -> None:
    reason = normalise_published(value)
    assert isinstance(reason, str)
    assert repr(value) in reason


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("31/02/2020", "not a real calendar date"),
        ("12345", "not a date"),  # a count or an id, not epoch seconds
        ("99999999999999999999", "not a date"),
        ("15 May", "no year"),  # the year would have to come from today
        ("sometime in spring", "no year"),
        ("2020-13-45", "not in a format"),
    ],
)
def test_what_is_not_a_date_says_why(value: str, says: str) -> None:
    reason = normalise_published(value)
    assert isinstance(reason, str) and says in reason


@pytest.mark.parametrize("value", [None, "", "   ", "NA", "null", "None", "n/a", "-"])
def test_placeholders_are_no_date(value: str | None) -> None:
    assert normalise_published(value) is None


def test_ambiguous_numeric_dates_follow_the_inputs_order() -> None:
    assert read("03/04/2019", dayfirst=True).date == "2019-04-03"
    assert read("03/04/2019", dayfirst=False).date == "2019-03-04"
    unknown = read("03/04/2019")
    assert unknown.date == "2019-03-04" and unknown.ambiguous
    # the numbers decide over the setting: no 31st month
    assert read("12/31/2018", dayfirst=True).date == "2018-12-31"
    assert not read("04/04/2019").ambiguous  # either way the same day


def test_dayfirst_is_guessed_from_an_inputs_dates() -> None:
    assert guess_dayfirst(["03/04/2019", "25/04/2019", "2019-01-01"]) is True
    assert guess_dayfirst(["04/25/2019", "01/02/2019"]) is False
    assert guess_dayfirst(["01/02/2019", "05/06/2020"]) is None  # nothing tells
    assert guess_dayfirst(["25/04/2019", "04/25/2019"]) is None  # the file disagrees with itself
    assert guess_dayfirst([]) is None


def test_junk_of_any_shape_gives_a_reason_not_an_exception() -> None:
    for value in ["\x00\x01", "9" * 400, "2020-06-30T25:61:00", "-1709600000", "1e400", "٣٣/٣٣/٣٣٣٣", "🗓️"]:
        found = normalise_published(value)
        assert found is None or isinstance(found, str | PublishedDate)
        if isinstance(found, PublishedDate):
            assert found.date[:4].isdigit()
