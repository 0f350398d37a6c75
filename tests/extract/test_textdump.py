"""Text-dump extraction: the seed page, a fictional unseen site, and bad input."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.errors import ExtractionError
from newsarchive.extract.textdump import decode_dump, extract_textdump
from newsarchive.model import Capture, Extracted
from newsarchive.settings import Settings

SETTINGS = Settings()


def _extract(raw: bytes, **kwargs: object) -> Extracted:
    return extract_textdump(Capture(origin="test.txt", raw=raw, format="textdump", **kwargs), SETTINGS)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def seed(shared_data: Path) -> Extracted:
    path = next((shared_data / "seed").glob("*.txt"))
    return extract_textdump(Capture(origin=str(path), raw=path.read_bytes(), format="textdump"), SETTINGS)


def test_seed_metadata(seed: Extracted) -> None:
    assert seed.title == "Russia Discusses Boosting Coordination in Syria with Israel"
    assert seed.source == "Asharq Al-Awsat"
    assert seed.site == "asharq-al-awsat"
    assert seed.media_ids == ["55360534"]
    assert len(seed.captions) == 1
    assert seed.captions[0].startswith("Russia’s President Vladimir Putin (R) talks to")
    assert seed.published is None  # the seed shows no date; none is invented


def test_seed_body_is_the_article_only(seed: Extracted) -> None:
    assert seed.body.startswith("Tel Aviv –")
    assert seed.body.rstrip().endswith("rushed to sign an agreement to coordinate the relations.")
    for chrome in (
        "Middle-east Arab News",
        "ASHARQ AL-AWSAT",
        "Select Page",
        "Media ID",
        "Caption",
        "REUTERS/Alexei",
    ):
        assert chrome not in seed.body
    assert "Select Page" in seed.removed
    assert len(seed.body.split("\n\n")) == 10


def test_unseen_site_loses_obvious_chrome(fixtures_dir: Path) -> None:
    raw = (fixtures_dir / "textdumps" / "unseen_wayback.txt").read_bytes()
    page = _extract(raw)
    assert page.title == "Harbour Seals Return to Gull Point"
    assert page.source == "Coastline Courier"
    assert page.site == "coastline-courier"
    assert page.authors == ["Maren Holt"]
    assert page.published == "2009-07-13T10:36:00"
    assert page.published_from == "text"
    assert page.body.startswith("A colony of harbour seals")
    assert page.body.endswith("along the shore path.")
    # a short real sentence inside the article is kept
    assert '"We had almost given up on them," said warden Pim Ashby.' in page.body
    body_only = ("Related stories", "Puffins nest")
    line_rules = (
        "captures",
        "About this capture",
        "prose and is several",
        "Skip to content",
        "E-mail this",
        "Printable",
        "Share this",
        "Copyright",
        "Home | News",
    )
    blocks = "\n".join(page.blocks)
    for chrome in body_only + line_rules:
        assert chrome not in page.body, chrome
    for chrome in line_rules:
        assert chrome not in blocks, chrome


def test_site_key_prefers_url_host_then_host_like_folder() -> None:
    raw = (
        b"Some Headline Here - Daily Example\nA body line that is long enough to count as prose text here.\n"
    )
    assert _extract(raw, url="https://www.example.org/a/1").site == "example.org"
    assert _extract(raw, hints={"site_dir": "example.net"}).site == "example.net"
    assert _extract(raw).site == "daily-example"


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_legacy_encodings_are_decoded(codec: str) -> None:
    text = (
        "Café owners protest – again\n"
        "The café on Rue Bréguet said “no” to the new rules, its owner told reporters today.\n"
    )
    if codec == "latin-1":
        text = text.replace("–", "-").replace("“", '"').replace("”", '"')
    page = _extract(text.encode(codec))
    assert "café on Rue Bréguet" in page.body
    assert page.title.startswith("Café owners protest")


def test_mojibake_is_fixed_and_nfc() -> None:
    broken = "Title line\nThe minister’s office said the résumé was genuine, according to officials today.\n"
    page = _extract(broken.encode("utf-8").decode("cp1252").encode("utf-8"))
    assert "minister’s office said the résumé" in page.body
    assert unicodedata.is_normalized("NFC", page.body)


def test_empty_and_binary_input_do_not_crash() -> None:
    empty = _extract(b"")
    assert (empty.title, empty.body, empty.blocks) == ("", "", [])
    binary = _extract(bytes(range(256)) * 20)
    assert "\x00" not in binary.body
    assert "\x00" not in binary.title


def test_oversized_capture_is_rejected_with_a_reason() -> None:
    small = Settings(max_capture_bytes=1000)
    capture = Capture(origin="big.txt", raw=b"x" * 2000, format="textdump")
    with pytest.raises(ExtractionError, match="max_capture_bytes"):
        extract_textdump(capture, small)


def test_large_dump_is_handled() -> None:
    paragraph = "The council met again on Tuesday to discuss the river crossing and its rising costs. "
    lines = ["Big Page - Example Times"]
    for i in range(20_000):
        lines.append(f"Menu item {i % 7}")
        lines.append(paragraph * 3)
    raw = "\n".join(lines).encode()
    assert len(raw) > 5_000_000
    page = _extract(raw)
    assert page.title == "Big Page"
    assert page.body.count("river crossing") >= 20_000


def test_decode_prefers_utf8() -> None:
    assert decode_dump("naïve – ok".encode()) == "naïve – ok"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_never_crashes_on_arbitrary_text(text: str) -> None:
    page = _extract(text.encode("utf-8", "replace"))
    assert isinstance(page.body, str)
    # the body is made of candidate blocks, in order
    for paragraph in page.body.split("\n\n") if page.body else []:
        assert paragraph in page.blocks


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_never_crashes_on_arbitrary_bytes(raw: bytes) -> None:
    page = _extract(raw)
    assert unicodedata.is_normalized("NFC", page.body)
