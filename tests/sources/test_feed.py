"""RSS, Atom and RDF feeds: full items are captured, link-only items counted, entities never expanded."""

from __future__ import annotations

from pathlib import Path

from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.feed import read_feed
from newsarchive.sources.stats import SourceStats


def _read(path: Path) -> tuple[list[Capture | Reject], SourceStats]:
    stats = SourceStats()
    return list(read_feed(path, Settings(), stats)), stats


def test_rss_items(fixtures_dir: Path) -> None:
    path = fixtures_dir / "sources" / "feed-rss.xml"
    records, stats = _read(path)
    assert [r.origin for r in records] == [f"{path}#item1", f"{path}#item2"]
    full, long_description = records
    assert isinstance(full, Capture) and isinstance(long_description, Capture)
    assert full.format == "html"
    assert full.hints["html"].startswith("<p>The harbour council voted")
    assert full.raw.startswith(b"<item") and b"content:encoded" in full.raw
    assert (
        full.url,
        full.hints["title"],
        full.hints["published"],
        full.hints["authors"],
        full.hints["section"],
    ) == (
        "https://harbourtimes.example/local/ferry",
        "Harbour council approves new ferry timetable",
        "2023-05-02T18:30:00Z",
        "Mara Lindqvist",
        "Local",
    )
    assert long_description.format == "text"  # a long plain description is the article itself
    assert long_description.hints["authors"] == "Tom Reyes"
    assert long_description.hints["published"] == "2023-05-03T09:00:00+01:00"
    assert stats.feed_links == ["https://harbourtimes.example/sport/regatta"]


def test_atom_entries(fixtures_dir: Path) -> None:
    records, stats = _read(fixtures_dir / "sources" / "feed-atom.xml")
    library, fog = records
    assert isinstance(library, Capture) and isinstance(fog, Capture)
    assert (
        library.format == "html"
        and library.hints["html"] == "<p>The town library will open until 8pm on weekdays from May.</p>"
    )
    assert library.hints["authors"] == "Ines Okafor; Tom Reyes"
    assert library.hints["published"] == "2023-04-11T08:00:00+02:00"
    assert library.hints["section"] == "Local"
    assert (
        fog.format == "text"
        and fog.hints["text"] == "Dense fog is expected along the coast on Friday morning."
    )
    assert stats.feed_links == ["https://harbourtimes.example/local/bridge"]


def test_rdf_teasers_are_links_only(fixtures_dir: Path) -> None:
    records, stats = _read(fixtures_dir / "sources" / "feed-rdf.xml")
    assert records == []
    assert stats.feed_links == [
        "https://harbourtimes.example/business/market",
        "https://harbourtimes.example/business/port",
    ]


def test_entities_are_not_expanded(fixtures_dir: Path) -> None:
    records, _ = _read(fixtures_dir / "sources" / "feed-xxe.xml")
    [item] = records
    assert isinstance(item, Capture)
    assert "root:" not in item.hints["html"] and "aaaa" not in item.hints["html"]
    assert len(item.raw) < 2000


def test_not_a_feed_after_all(tmp_path: Path) -> None:
    path = tmp_path / "empty-feed.xml"
    path.write_text("<rss><channel><title>Nothing</title></channel></rss>")
    [reject] = list(read_feed(path, Settings()))
    assert isinstance(reject, Reject) and "no <item> or <entry>" in reject.reason
