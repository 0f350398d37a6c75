"""Records' own conversions: a page of search hits as a pandas DataFrame."""

from __future__ import annotations

import pytest

from newsarchive.model import SearchHit, SearchResult


def test_a_page_of_hits_as_a_dataframe_with_dates_as_dates() -> None:
    pd = pytest.importorskip("pandas")
    hits = [
        SearchHit("a1", 2.5, "Ferry strike", "https://x.example/1", "Gazette", "2016-03-04", None, "en", "<b>x</b>", 1, "a1"),
        SearchHit("a2", 1.0, "Ferry fares", None, "Courier", "2016-05", "Local", "en", "", 0, "a2"),
        SearchHit("a3", 0.5, "Undated", None, "Courier", None, None, None, "", 0, "a3"),
    ]  # fmt: skip
    frame = SearchResult(total=42, hits=hits, facets={}, took_ms=1.0).to_pandas()
    assert list(frame["id"]) == ["a1", "a2", "a3"] and frame.attrs["total"] == 42
    assert str(frame["published"].dtype).startswith("datetime64")
    assert frame["published"][0] == pd.Timestamp("2016-03-04") and frame["published"][1] == pd.Timestamp(
        "2016-05-01"
    )
    assert pd.isna(frame["published"][2])
    empty = SearchResult(total=0, hits=[], facets={}, took_ms=0.0).to_pandas()
    assert empty.empty and "published" in empty.columns
