"""process.py: one capture -> the article ingest stores, pure; bad input gives a reason, never an exception."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsarchive import Archive, Settings, dedup, ingest, process
from newsarchive.extract.chrome import SiteChrome
from newsarchive.extract.clean import body_hash
from newsarchive.model import Capture, Extracted

SETTINGS = Settings(enrich=False)

STORY = (
    "The harbour council voted on Tuesday to add two evening sailings to the island ferry from next month.",
    "Councillor Ines Okafor said the change answered years of complaints from commuters who missed the last boat.",
    "The new timetable costs the council 40,000 euros a year, paid from the regional transport fund.",
    "Ferry staff will be consulted on the rota before the first evening sailing on the fourth of March.",
)


def _html(title: str, paragraphs: tuple[str, ...], url: str = "https://harbour-times.example/ferry") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html lang='en'><head><title>{title}</title>"
        f"<link rel='canonical' href='{url}'></head>"
        f"<body><nav><a href='/'>Home</a> <a href='/local'>Local</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>Harbour Times 2016</footer></body></html>"
    ).encode()


TOWNS = ("Ardmore", "Belcastle", "Corrin", "Dunmere")
PROMO = "Read our coverage of the regional elections in the Harbour Times special section."
FOOTER = "Harbour Times is an independent newspaper owned by its readers since 1887 in the town."


def _story(town: str) -> list[str]:
    return [
        f"The {town} council voted on Tuesday to add two evening sailings to the {town} island ferry from next month.",
        f"Councillor Ines Okafor of {town} said the change answered years of complaints from commuters who missed the last boat.",
        f"The new timetable costs {town} 40,000 euros a year, paid from the regional transport fund.",
    ]


def _dump(town: str) -> bytes:
    """A text dump whose promo and footer lines look like prose: only learning across pages finds them."""
    lines = [
        f"{town} ferry | Harbour Times",
        "Home",
        "Local",
        f"{town} ferry",
        "",
        PROMO,
        "",
        *_story(town),
        "",
        FOOTER,
    ]
    return "\n".join(lines).encode()


def _dump_capture(name: str, raw: bytes) -> Capture:
    return Capture(origin=f"dumps/harbourtimes.example/{name}.txt", raw=raw, format="textdump",
                   hints={"site_dir": "harbourtimes.example"})  # fmt: skip


def test_html_capture_gives_the_article_with_its_duplicate_inputs() -> None:
    capture = Capture(origin="page.html", raw=_html("Ferry timetable approved", STORY), format="html")
    result = process.process_capture(capture, SETTINGS)
    assert isinstance(result, process.Processed)
    article = result.article
    assert article.id == capture.sha256[:16]
    assert "two evening sailings" in article.body
    assert article.language == "en"
    assert article.body_hash == body_hash(article.body)
    assert article.word_count == len(article.body.split())
    assert result.edge_keys == frozenset(dedup.edge_keys(article.body))
    assert result.url_key == dedup.url_key(article.url)
    assert result.copy is not None
    assert result.copy.compared_text == article.body  # no boilerplate given
    assert result.copy.signature is not None
    assert result.copy.signature == dedup.signature(article.body)


def test_learned_chrome_is_removed_and_boilerplate_left_out_of_the_compared_text() -> None:
    pages = [_dump_capture(town, _dump(town)) for town in TOWNS]
    extracted = [process.extract(c, SETTINGS) for c in pages]
    chrome = SiteChrome(site="harbourtimes.example")
    for page in extracted:
        assert not isinstance(page, str)
        chrome.add_page(list(page.blocks))
    plain = process.process_capture(pages[0], SETTINGS)
    cleaned = process.process_capture(pages[0], SETTINGS, chrome)
    assert isinstance(plain, process.Processed) and isinstance(cleaned, process.Processed)
    assert PROMO in plain.article.body and FOOTER in plain.article.body
    assert PROMO not in cleaned.article.body and FOOTER not in cleaned.article.body
    assert "two evening sailings" in cleaned.article.body
    assert FOOTER in cleaned.article.removed
    assert cleaned.draft.blocks == list(extracted[0].blocks)  # the uncleaned blocks, for re-learning
    assert cleaned.article.body_hash != plain.article.body_hash

    boilerplate = {dedup.boilerplate.line_key(FOOTER)}
    compared = process.process_capture(pages[0], SETTINGS, boilerplate=boilerplate)
    assert isinstance(compared, process.Processed)
    assert FOOTER in compared.article.body  # the stored body keeps it
    assert compared.copy is not None and FOOTER not in compared.copy.compared_text


def test_given_texts_ignore_site_chrome() -> None:
    capture = Capture(origin="rows.jsonl#1", raw=b"{}", format="text",
                      hints={"text": "\n".join(STORY), "url": "https://wire.example/a", "title": "Ferry"})  # fmt: skip
    chrome = SiteChrome(site="wire.example", pages=10, key_pages={"the harbour council": 10})
    result = process.process_capture(capture, SETTINGS, chrome)
    assert isinstance(result, process.Processed)
    assert result.article.body == "\n".join(STORY)


@pytest.mark.parametrize(
    "capture",
    [
        Capture(origin="empty.html", raw=b"", format="html"),
        Capture(origin="binary.html", raw=b"\x00\x01\x02" * 100, format="html"),
        Capture(origin="script.html", raw=b"<html><body><script>x()</script></body></html>", format="html"),
        Capture(origin="rows.jsonl#3", raw=b"{}", format="text", hints={"text": "   "}),
        Capture(origin="x.sgm#1", raw=b"<REUTERS>broken", format="reuters"),
        Capture(origin="odd", raw=b"abc", format="video"),  # type: ignore[arg-type]
    ],
    ids=["empty", "binary", "no-article", "empty-text", "reuters", "unknown-format"],
)
def test_bad_input_gives_a_reason_not_an_exception(capture: Capture) -> None:
    result = process.process_capture(capture, SETTINGS)
    assert isinstance(result, str) and result


def test_chrome_that_leaves_nothing_is_a_reason() -> None:
    capture = _dump_capture("menu", b"Home\nLocal news\nSport")
    page = Extracted(title="Menu", body="Home\nLocal news\nSport", source="Harbour Times",
                     site="harbourtimes.example", blocks=["Home", "Local news", "Sport"])  # fmt: skip
    chrome = SiteChrome(site=page.site, pages=5, key_pages={"home": 5, "local news": 5, "sport": 5})
    assert (
        process.process_page(capture.sha256, capture.format, page, SETTINGS, chrome)
        == process.NO_TEXT_AFTER_CHROME
    )


def test_lone_surrogates_are_made_storable() -> None:
    # as from a file name that is not UTF-8 (surrogateescape); ingest stores these escaped
    text = "\n".join(STORY) + " \udce9 end."
    capture = Capture(
        origin="rows.jsonl#2", raw=b"{}", format="text", hints={"text": text, "title": "T\udcff"}
    )
    result = process.process_capture(capture, SETTINGS)
    assert isinstance(result, process.Processed)
    assert result.article.body.endswith("\\xe9 end.")
    assert result.article.title == "T\\xff"
    assert result.article.body_hash == body_hash(result.article.body)


def test_unstorable_text_is_a_reason() -> None:
    # a JSON "\\ud800" escape: store.base.printable cannot escape it either, so ingest rejects it too
    capture = Capture(
        origin="rows.jsonl#4", raw=b"{}", format="text", hints={"text": "\n".join(STORY) + "\ud800"}
    )
    result = process.process_capture(capture, SETTINGS)
    assert isinstance(result, str) and "UnicodeEncodeError" in result


def test_the_pipeline_calls_these_functions() -> None:
    assert ingest._extract is process.extract
    assert ingest._to_article is process.to_article
    assert ingest._failure is process.failure
    assert ingest._printable_draft is process.printable_draft


def test_ingest_stores_what_process_computes(tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    lines = [
        {"url": "https://wire.example/ferry", "title": "Ferry", "text": "\n\n".join(STORY), "published": "2016-03-01"},
        {"url": "https://wire.example/tram", "title": "Tram", "text": "The tram line opens in May after a delay of two years."},
    ]  # fmt: skip
    rows.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    page = tmp_path / "ferry.html"
    page.write_bytes(_html("Ferry timetable approved", STORY[:3]))
    with Archive.open(tmp_path / "arch", SETTINGS) as archive:
        archive.ingest([rows, page])
        stored = {a.id: a for a in archive.articles()}
    from newsarchive.sources.detect import read_path

    captures = [c for path in (rows, page) for c in read_path(path, SETTINGS) if isinstance(c, Capture)]
    assert len(captures) == 3
    for capture in captures:
        result = process.process_capture(capture, SETTINGS)
        assert isinstance(result, process.Processed)
        mine, theirs = result.article, stored[result.article.id]
        assert (mine.title, mine.body, mine.language, mine.body_hash, mine.url, mine.published) == (
            theirs.title, theirs.body, theirs.language, theirs.body_hash, theirs.url, theirs.published,
        )  # fmt: skip
