"""Attention over time: counts per period with the gaps as zeros, and shares of all coverage of
the same sources checked by hand on a small archive."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from newsarchive import Archive, QueryError, Settings
from newsarchive.research.timeline import period_of, period_start
from tests.corpus_helpers import write_jsonl

# Harbour Gazette: Jan 2016 three stories (two on the ferry), Mar 2016 two (none on it);
# Valley Courier: Jan 2016 one ferry story, Mar 2016 one ferry story; nothing anywhere in Feb.
STORIES = [
    ("Gazette", "2016-01-04", "The ferry to Kestrel Island sails again after the storm damage was repaired."),
    ("Gazette", "2016-01-18", "Ferry tickets will cost more from spring, the harbour board said on Monday."),
    ("Gazette", "2016-01-27", "The council approved a new library wing after a long debate about its cost."),
    ("Gazette", "2016-03-02", "Fishermen unloaded a record catch of mackerel at the north quay this week."),
    ("Gazette", "2016-03-21", "The school choir won the regional competition with a song about the sea."),
    ("Courier", "2016-01-11", "A second ferry will serve the valley route from April, the operator said."),
    ("Courier", "2016-03-30", "The ferry operator apologised for delays caused by engine trouble last week."),
]


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("timeline")
    rows = [
        {"url": f"https://{s.lower()}.example/{i}", "title": text.split(",")[0][:40], "date": day, "source": s,
         "text": f"{text} Residents were told more at a public meeting in the town hall later that day."}
        for i, (s, day, text) in enumerate(STORIES)
    ]  # fmt: skip
    with Archive.open(root / "archive", Settings(enrich=False), create=True) as archive:
        report = archive.ingest([write_jsonl(root / "stories.jsonl", rows)])
    assert report.articles_new == len(STORIES), report.rejects
    return root / "archive"


def test_shares_of_all_coverage_of_the_same_sources(small_archive: Path) -> None:
    with Archive.open(small_archive, readonly=True) as archive:
        gazette = archive.timelines(["ferry"], by="month", normalize=True, source="Gazette")
        everyone = archive.timelines(["ferry"], by="month", normalize=True)
    assert [(r.period, r.count, r.total, r.share) for r in gazette.rows] == [
        ("2016-01", 2, 3, pytest.approx(2 / 3)),
        ("2016-02", 0, 0, None),  # nothing published: no share, but the row is there
        ("2016-03", 0, 2, 0.0),  # published, none on the ferry
    ]
    assert [(r.period, r.count, r.total, r.share) for r in everyone.rows] == [
        ("2016-01", 3, 4, pytest.approx(3 / 4)),
        ("2016-02", 0, 0, None),
        ("2016-03", 1, 3, pytest.approx(1 / 3)),
    ]


def test_gaps_are_zero_rows_and_counts_sum_to_the_total(small_archive: Path) -> None:
    with Archive.open(small_archive, readonly=True) as archive:
        timeline = archive.timelines(["ferry", "library OR choir"], by="week")
        totals = {q: archive.search(q).total for q in ("ferry", "library OR choir")}
    weeks = timeline.periods()
    assert weeks[0] == "2016-W01" and weeks[-1] == "2016-W13"
    assert len(weeks) == 13  # every week between, those without a story as zeros
    for query in timeline.queries:
        assert sum(r.count for r in timeline.series(query.query)) + query.undated == totals[query.query]
        assert query.matches == totals[query.query]
    assert all(r.count == 0 for r in timeline.series("ferry") if r.period == "2016-W06")


def test_from_and_to_bound_the_periods(small_archive: Path) -> None:
    with Archive.open(small_archive, readonly=True) as archive:
        timeline = archive.timelines(["ferry"], by="month", date_from="2015-12", date_to="2016-04")
    assert [(r.period, r.count) for r in timeline.rows] == [
        ("2015-12", 0), ("2016-01", 3), ("2016-02", 0), ("2016-03", 1), ("2016-04", 0),
    ]  # fmt: skip


def test_split_by_source_gives_a_series_per_source(small_archive: Path) -> None:
    with Archive.open(small_archive, readonly=True) as archive:
        timeline = archive.timelines(["ferry"], by="year", split_by_source=True)
    assert {(q.query, q.matches) for q in timeline.queries} == {
        ("ferry · Gazette", 2),
        ("ferry · Courier", 2),
    }


def test_csv_and_json_name_the_denominator(small_archive: Path) -> None:
    with Archive.open(small_archive, readonly=True) as archive:
        timeline = archive.timelines(["-storm ferry"], by="year", normalize=True)
    lines = timeline.to_csv().splitlines()
    assert lines[0] == "query,period,start,count,total,share"
    assert lines[1] == "'-storm ferry,2016,2016-01-01,3,7,0.428571"  # a leading - kept as text
    data = json.loads(json.dumps(timeline.to_json()))
    assert data["rows"][0]["total"] == 7 and data["queries"][0]["matches"] == 3


def test_the_month_histogram_keeps_its_shape(small_archive: Path) -> None:
    with Archive.open(small_archive, readonly=True) as archive:
        assert archive.timeline("ferry") == {"2016-01": 3, "2016-03": 1}
        assert archive.timeline("ferry", by="day")["2016-01-04"] == 1


def test_bad_periods_and_too_many_queries_say_what_to_do(small_archive: Path) -> None:
    with Archive.open(small_archive, readonly=True) as archive:
        with pytest.raises(QueryError, match="by must be one of day, week, month, year"):
            archive.timelines(["ferry"], by="fortnight")
        with pytest.raises(QueryError, match="at most 10 queries"):
            archive.timelines([f"w{i}" for i in range(11)])
        with pytest.raises(QueryError, match="count by a longer period"):
            archive.timelines(["ferry"], by="day", date_from="1900", date_to="2016")


@pytest.mark.parametrize(
    ("day", "by", "label", "start"),
    [
        (dt.date(2016, 1, 3), "week", "2015-W53", dt.date(2015, 12, 28)),
        (dt.date(2016, 2, 29), "month", "2016-02", dt.date(2016, 2, 1)),
        (dt.date(2016, 2, 29), "day", "2016-02-29", dt.date(2016, 2, 29)),
        (dt.date(2016, 12, 31), "year", "2016", dt.date(2016, 1, 1)),
    ],
)
def test_period_labels_and_their_first_day(day: dt.date, by: str, label: str, start: dt.date) -> None:
    assert period_of(day, by) == label and period_start(label, by) == start
