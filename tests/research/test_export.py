"""Exporting every match of a query: all of them past search's depth limit, at flat memory, typed
for pandas, spreadsheet-safe in CSV."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarchive import Archive, QueryError
from newsarchive.research.export import EXPORT_FIELDS, _csv_line

BATCH = 500


def _peak_bytes(archive: Archive, query: str, **filters: Any) -> tuple[int, int]:
    """Rows written and the peak of Python allocations while a CSV export streams to nowhere."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        n = 0
        for piece in archive.export_stream(query, "csv", batch=BATCH, **filters):
            n += piece.count(b"\n")
        return n - 1, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_every_match_past_the_search_depth_is_exported_at_flat_memory(generated_archive: Path) -> None:
    with Archive.open(generated_archive, readonly=True) as archive:
        total = archive.search("ferry").total
        assert total > 10_000
        with pytest.raises(QueryError):
            archive.search("ferry", page=101, per_page=100)  # what paging cannot reach
        small_rows, small_peak = _peak_bytes(archive, "ferry", date_from="2015-01", date_to="2015-06")
        rows, peak = _peak_bytes(archive, "ferry")
    assert rows == total
    assert small_rows > BATCH and small_rows * 5 < rows
    # memory follows the batch, not the number of matches: 5x the rows would be 5x the peak if it
    # grew with them
    assert peak < small_peak * 2, (small_peak, peak)


def test_export_rows_are_distinct_oldest_first_with_the_undated_last(generated_archive: Path) -> None:
    with Archive.open(generated_archive, readonly=True) as archive:
        articles = list(archive.matches("bridge"))
        total = archive.search("bridge").total
    assert len(articles) == total == len({a.id for a in articles})
    dated = [a.published for a in articles if a.published]
    assert dated == sorted(dated)
    assert all(a.published is None for a in articles[len(dated) :])
    assert all("bridge" in a.body for a in articles)


def test_jsonl_keeps_the_article_contract(generated_archive: Path) -> None:
    out = io.BytesIO()
    with Archive.open(generated_archive, readonly=True) as archive:
        n = archive.export_query("bridge", out, "jsonl", source="Coast Herald")
        expected = archive.search("bridge", source="Coast Herald").total
        first = next(archive.matches("bridge", source="Coast Herald"))
    lines = out.getvalue().decode().splitlines()
    assert n == len(lines) == expected
    record = json.loads(lines[0])
    assert list(record) == list(EXPORT_FIELDS)
    assert {k: v for k, v in record.items() if k != "published_precision"} == first.to_json()


def test_fields_choose_the_columns_and_unknown_ones_say_which(generated_archive: Path) -> None:
    out = io.BytesIO()
    with Archive.open(generated_archive, readonly=True) as archive:
        archive.export_query(
            "bridge", out, "csv", fields="id,title,published", date_from="2016-02", date_to="2016-02"
        )
        with pytest.raises(QueryError, match="unknown export field 'colour'"):
            archive.export_stream("bridge", "csv", "id,colour")
    rows = list(csv.reader(io.StringIO(out.getvalue().decode())))
    assert rows[0] == ["id", "title", "published"]
    assert rows[1:] and all(r[2].startswith("2016-02") for r in rows[1:])


def test_csv_cells_are_spreadsheet_safe(generated_archive: Path) -> None:
    out = io.BytesIO()
    with Archive.open(generated_archive, readonly=True) as archive:
        archive.export_query("bridge", out, "csv", fields=["id", "source"], source='=HYPERLINK("x")')
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode())))
    assert rows and {r["source"] for r in rows} == {'\'=HYPERLINK("x")'}


def test_parquet_and_csv_open_in_pandas_with_dates_as_dates(generated_archive: Path, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    with Archive.open(generated_archive, readonly=True) as archive:
        frame = archive.export_query("bridge", date_from="2016")
        n = archive.export_query("bridge", tmp_path / "b.parquet", "parquet", date_from="2016")
        archive.export_query("bridge", tmp_path / "b.csv", "csv", date_from="2016")
    assert len(frame) == n > 0
    assert str(frame["published"].dtype).startswith("datetime64")
    assert str(frame["published_time"].dtype) == "datetime64[us, UTC]"
    assert frame["word_count"].dtype.kind == "i" and frame["latest"].dtype == bool
    schema = pq.read_schema(tmp_path / "b.parquet")
    assert str(schema.field("published").type) == "date32[day]"
    from_csv = pd.read_csv(tmp_path / "b.csv", parse_dates=["published"])
    assert len(from_csv) == n and str(from_csv["published"].dtype).startswith("datetime64")
    assert from_csv["published"].min().year == 2016


def test_an_empty_export_still_has_its_columns(generated_archive: Path) -> None:
    with Archive.open(generated_archive, readonly=True) as archive:
        text = b"".join(archive.export_stream("zebra", "csv", "id,title")).decode()
        empty = b"".join(archive.export_stream("zebra", "parquet", "id,published"))
    assert text.strip() == "id,title"
    table = pq.read_table(io.BytesIO(empty))
    assert table.num_rows == 0 and table.column_names == ["id", "published"]


def test_a_limit_stops_the_export(generated_archive: Path) -> None:
    with Archive.open(generated_archive, readonly=True) as archive:
        pieces = archive.export_stream("ferry", "jsonl", "id", limit=25)
        assert sum(p.count(b"\n") for p in pieces) == 25


@given(st.lists(st.one_of(st.text(), st.none(), st.integers(), st.booleans()), min_size=1, max_size=6))
def test_csv_lines_are_what_the_csv_module_writes(values: list[Any]) -> None:
    expected = io.StringIO()
    csv.writer(expected).writerow(values)
    assert _csv_line(values) == expected.getvalue()
    assert next(csv.reader(io.StringIO(_csv_line(values), newline=""))) == [
        "" if v is None else str(v) for v in values
    ]
