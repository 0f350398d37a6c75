"""The server-side timeline chart."""

from __future__ import annotations

import lxml.etree

from newsarchive.web.charts import Bar, month_bars, timeline_svg


def test_months_are_filled_between_first_and_last() -> None:
    bars = month_bars({"2021-11": 2, "2022-02": 1, "unknown": 5})
    assert bars == [Bar("2021-11", 2), Bar("2021-12", 0), Bar("2022-01", 0), Bar("2022-02", 1)]


def test_long_spans_become_years() -> None:
    bars = month_bars({"1987-03": 4, "2016-10": 1, "2016-11": 2})
    assert bars[0] == Bar("1987", 4) and bars[-1] == Bar("2016", 3) and len(bars) == 30


def test_svg_is_well_formed_linked_and_escaped() -> None:
    svg = str(
        timeline_svg({"2022-01": 3, "2022-03": 1}, lambda m: f"/search?from={m}&to={m}", title="<x> & y")
    )
    root = lxml.etree.fromstring(svg.encode())
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert len(root.findall(".//s:rect", ns)) == 3
    links = root.findall(".//s:a", ns)
    assert [a.get("href") for a in links] == [
        "/search?from=2022-01&to=2022-01",
        "/search?from=2022-03&to=2022-03",
    ]
    assert "&lt;x&gt; &amp; y" in svg
    assert "style=" not in svg and "<script" not in svg


def test_no_months_no_chart() -> None:
    assert timeline_svg({}) == "" and timeline_svg({"unknown": 3}) == ""


def test_chart_names_what_it_counts() -> None:
    svg = str(timeline_svg({"2016-10": 1, "2016-11": 2}, title="Events", unit=("event", "events")))
    assert "Events: 3 events from 2016-10 to 2016-11" in svg
    assert "2016-10: 1 event<" in svg and "hits" not in svg
