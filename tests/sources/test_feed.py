"""RSS, Atom and RDF feeds: full items are captured, link-only items counted, DTDs and entities refused."""

from __future__ import annotations

import codecs
import html
from pathlib import Path

from newsarchive.extract import extract_capture
from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.detect import read_path
from newsarchive.sources.feed import REFUSED_DTD, read_feed
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


def test_feed_declaring_entities_is_refused(fixtures_dir: Path) -> None:
    records, _ = _read(fixtures_dir / "sources" / "feed-xxe.xml")
    assert records == [Reject(str(fixtures_dir / "sources" / "feed-xxe.xml"), REFUSED_DTD)]
    assert REFUSED_DTD == "DTD/entities not allowed in feeds; refused"


_LAUGHS = "\n".join(
    f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' if n else '<!ENTITY lol0 "lol">' for n in range(10)
)


def test_billion_laughs_is_refused_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{_LAUGHS}\n]>\n<rss version="2.0"><channel>'
        "<title>Harbour</title><item><title>&lol9;</title><description>&lol9;</description>"
        "<link>https://harbourtimes.example/a</link></item></channel></rss>"
    )
    assert list(read_path(path, Settings())) == [Reject(str(path), REFUSED_DTD)]


def test_external_entity_is_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("harbour-master-password-7731")
    path = tmp_path / "xxe.xml"
    body = "<p>" + "The ferry timetable changes on Monday. " * 20 + "&leak;</p>"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}">]>\n'
        '<rss version="2.0"><channel><title>Harbour</title><item><title>Ferry &leak;</title>'
        f"<link>https://harbourtimes.example/a</link><description>{body}</description></item>"
        "</channel></rss>"
    )
    records = list(read_path(path, Settings()))
    assert records == [Reject(str(path), REFUSED_DTD)]
    assert "harbour-master-password" not in repr(records)


def test_utf16_feed_with_entities_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.xml"
    text = f'<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE rss [\n{_LAUGHS}\n]>\n<rss><channel><item>'
    path.write_bytes(
        codecs.BOM_UTF16_LE + (text + "<title>&lol9;</title></item></channel></rss>").encode("utf-16-le")
    )
    assert list(read_path(path, Settings())) == [Reject(str(path), REFUSED_DTD)]


def test_public_doctype_of_rss_091_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "rss091.xml"
    body = "The harbour council voted on Tuesday to add two evening sailings. " * 10
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel>'
        f"<title>Harbour Times</title><item><title>Ferry</title><link>https://harbourtimes.example/f</link>"
        f"<description>{body}</description></item></channel></rss>"
    )
    [capture] = list(read_path(path, Settings()))
    assert isinstance(capture, Capture) and capture.hints["title"] == "Ferry"


def test_not_a_feed_after_all(tmp_path: Path) -> None:
    path = tmp_path / "empty-feed.xml"
    path.write_text("<rss><channel><title>Nothing</title></channel></rss>")
    [reject] = list(read_feed(path, Settings()))
    assert isinstance(reject, Reject) and "no <item> or <entry>" in reject.reason


# --- feeds past libxml2's default limits (256 levels, 10 MB in one node) --------------------------

RIVER = "The river rose again overnight and more shelters opened in the old town hall. " * 7
NEXT_ITEM = (
    "<item><title>Ferry timetable</title><link>https://harbourtimes.example/ferry</link>"
    f"<description>{'The harbour council added two evening sailings to the timetable. ' * 10}</description></item>"
)


def _rss(items: str) -> str:
    return f'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Harbour Times</title>{items}</channel></rss>'


def test_rss_description_with_300_nested_divs_is_read_with_its_text(tmp_path: Path) -> None:
    path = tmp_path / "deep-description.xml"
    markup = f"{'<div>' * 300}<p>{RIVER}</p>{'</div>' * 300}"
    path.write_text(
        _rss(
            "<item><title>Flood shelters open</title><link>https://harbourtimes.example/flood</link>"
            f"<description>{html.escape(markup)}</description></item>"
        )
    )
    [capture] = list(read_path(path, Settings()))
    assert isinstance(capture, Capture) and capture.format == "html"
    assert extract_capture(capture, Settings()).body == RIVER.strip()


def test_atom_xhtml_content_300_levels_deep_keeps_its_text_and_the_entries_after_it(tmp_path: Path) -> None:
    """Parsed within libxml2's limits, the deep entry was cut at 256 levels and later entries were lost."""
    path = tmp_path / "deep-atom.xml"
    xhtml = f'<div xmlns="http://www.w3.org/1999/xhtml">{"<div>" * 300}<p>{RIVER}</p>{"</div>" * 300}</div>'
    path.write_text(
        '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Times</title>'
        '<entry><title>Flood shelters open</title><link href="https://harbourtimes.example/flood"/>'
        f'<content type="xhtml">{xhtml}</content></entry>'
        '<entry><title>Fog</title><link href="https://harbourtimes.example/fog"/>'
        '<content type="text">Dense fog is expected along the coast on Friday morning.</content></entry></feed>'
    )
    deep, fog = list(read_path(path, Settings()))
    assert isinstance(deep, Capture) and isinstance(fog, Capture)
    assert extract_capture(deep, Settings()).body == RIVER.strip()
    assert fog.hints["text"] == "Dense fog is expected along the coast on Friday morning."


def test_an_item_with_an_11_mb_description_is_read_whole(tmp_path: Path) -> None:
    """libxml2 stops a text node at 10 MB: the item was cut and the items after it lost."""
    description = (
        "The flood report continues with more readings from the gauges. " * 175_000 + "END-OF-REPORT"
    )
    assert 11_000_000 < len(description) < Settings().max_capture_bytes - 10_000
    path = tmp_path / "big-item.xml"
    path.write_text(
        _rss(
            f"<item><title>Flood report</title><link>https://harbourtimes.example/report</link>"
            f"<description>{description}</description></item>{NEXT_ITEM}"
        )
    )
    big, ferry = list(read_path(path, Settings()))
    assert isinstance(big, Capture) and isinstance(ferry, Capture)
    assert big.hints["text"] == description
    assert ferry.hints["title"] == "Ferry timetable"


def test_a_dtd_feed_past_the_limits_is_still_refused(tmp_path: Path) -> None:
    """The parse without limits is only for feeds shown to have no DTD: a deep bomb is still refused."""
    path = tmp_path / "deep-laughs.xml"
    deep = "<div>" * 300 + "&lol9;" + "</div>" * 300
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{_LAUGHS}\n]>\n<rss version="2.0"><channel>'
        f"<item><title>&lol9;</title><description>{deep}</description></item></channel></rss>"
    )
    assert list(read_path(path, Settings())) == [Reject(str(path), REFUSED_DTD)]
    # UTF-16 without a byte-order mark: libxml2 reads it, the byte scan before parsing cannot (and
    # detection calls it binary, so the feed reader is asked directly)
    wide = tmp_path / "deep-laughs-16.xml"
    text = path.read_text().replace('"1.0"?>', '"1.0" encoding="UTF-16"?>', 1)
    wide.write_bytes(text.encode("utf-16-le"))
    assert list(read_feed(wide, Settings())) == [Reject(str(wide), REFUSED_DTD)]
