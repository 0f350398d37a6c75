"""SearchRequest validation: bad input becomes a QueryError that says how to fix it."""

from __future__ import annotations

import datetime as dt

import pytest

from newsarchive.errors import QueryError
from newsarchive.query import SearchRequest, parse_day


def test_partial_dates_cover_their_period() -> None:
    assert parse_day("2016", "from", end=False) == dt.date(2016, 1, 1)
    assert parse_day("2016", "to", end=True) == dt.date(2016, 12, 31)
    assert parse_day("2016-02", "to", end=True) == dt.date(2016, 2, 29)
    assert parse_day("2016-12", "to", end=True) == dt.date(2016, 12, 31)
    assert parse_day("2016-03-14", "from", end=False) == dt.date(2016, 3, 14)


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (SearchRequest(date_from="last week"), "YYYY"),
        (SearchRequest(date_from="2017", date_to="2016"), "after"),
        (SearchRequest(sort="random"), "sort"),
        (SearchRequest(page=0), "page"),
        (SearchRequest(per_page=1000), "per_page"),
        (SearchRequest(page=500, per_page=100), "10,000"),
        (SearchRequest(query="x" * 5000), "limit"),
    ],
)
def test_bad_requests_explain_themselves(request_: SearchRequest, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        request_.to_index_query()
