"""Pages and dumps whose encoding is missing or wrong: fictional articles (tests/fixtures/encodings)
encoded here in the legacy encodings of their scripts, then extracted, detected and ingested."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsarchive import Archive
from newsarchive.extract.encoding import decode, sniff
from newsarchive.extract.html import extract_html
from newsarchive.extract.textdump import decode_dump, extract_textdump
from newsarchive.model import Capture, Extracted
from newsarchive.settings import Settings
from newsarchive.text.language import detect_language

ENCODINGS = Path(__file__).resolve().parent.parent / "fixtures" / "encodings"
SETTINGS = Settings()

# (fixture, codec, language): every script the issue names, each in its legacy encodings
CASES = [
    ("ar_bridge", "cp1256", "ar"),
    ("ar_market", "cp1256", "ar"),
    ("ru_bridge", "cp1251", "ru"),
    ("ru_maps", "koi8_r", "ru"),
    ("ru_bridge", "koi8_r", "ru"),
    ("el_harbour", "cp1253", "el"),
    ("el_harbour", "iso8859_7", "el"),
    ("he_library", "cp1255", "he"),
    ("zh_hans_bridge", "gb18030", "zh"),
    ("zh_hant_maps", "big5", "zh"),
    ("ja_library", "shift_jis", "ja"),
]
IDS = [f"{name}-{codec}" for name, codec, _ in CASES]


def article(name: str) -> tuple[str, list[str]]:
    """A fixture's headline and paragraphs (first line, then one paragraph a line)."""
    lines = (ENCODINGS / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return lines[0], lines[1:]


def page(title: str, paragraphs: list[str], charset: str | None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>{title}</title>"
        '<link rel="stylesheet" href="/static/site.css"></head><body>'
        '<nav><a href="/">Home</a> <a href="/local">Local</a></nav>'
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Example Media 2024</footer></body></html>"
    )


def extract(raw: bytes, content_type: str | None = None) -> Extracted:
    capture = Capture(origin="page.html", raw=raw, format="html", content_type=content_type)
    return extract_html(capture, SETTINGS)


# --- HTML pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("charset", "content_type"),
    [(None, None), ("utf-8", None), (None, "text/html; charset=UTF-8")],
    ids=["undeclared", "meta-says-utf-8", "header-says-utf-8"],
)
@pytest.mark.parametrize(("name", "codec", "language"), CASES, ids=IDS)
def test_legacy_page_without_a_true_declaration_keeps_its_text_and_language(
    name: str, codec: str, language: str, charset: str | None, content_type: str | None
) -> None:
    title, paragraphs = article(name)
    extracted = extract(page(title, paragraphs, charset).encode(codec), content_type)
    assert extracted.body == "\n\n".join(paragraphs)
    assert extracted.title == title
    assert extracted.language == language


@pytest.mark.parametrize(("name", "codec", "language"), CASES, ids=IDS)
def test_legacy_page_declared_right_behind_a_latin1_http_header(name: str, codec: str, language: str) -> None:
    """Servers once labelled every page ISO-8859-1; the page's own meta tag is what tells the truth."""
    title, paragraphs = article(name)
    raw = page(title, paragraphs, codec.replace("_", "-")).encode(codec)
    extracted = extract(raw, "text/html; charset=ISO-8859-1")
    assert extracted.body == "\n\n".join(paragraphs)
    assert extracted.language == language


def test_utf8_page_with_one_stray_legacy_byte_stays_utf8() -> None:
    title, paragraphs = article("ar_bridge")
    raw = (
        page(title, [*paragraphs, "Price: 5 \x80 only"], "utf-8")
        .encode("utf-8")
        .replace(b"\xc2\x80", b"\x80")
    )
    assert sniff(raw).reason == "utf-8 with errors"
    extracted = extract(raw)
    assert extracted.body.startswith(paragraphs[0])
    assert extracted.language == "ar"


def test_xml_declaration_names_the_encoding() -> None:
    title, paragraphs = article("ru_maps")
    markup = '<?xml version="1.0" encoding="koi8-r"?>\n' + page(title, paragraphs, None)
    assert extract(markup.encode("koi8_r")).body == "\n\n".join(paragraphs)


def test_western_page_without_declaration_is_read_as_windows_1252() -> None:
    paragraph = (
        "Le café de la rue Dupré a rouvert jeudi. « Nous avons gardé le vieux comptoir en zinc », "
        "a déclaré Hélène Marchetti, ajoutant que les prix augmenteraient d’environ 5 €."
    )
    raw = page("Réouverture du café", [paragraph, paragraph.replace("jeudi", "vendredi")], None).encode(
        "cp1252"
    )
    assert sniff(raw).codec == "cp1252"
    assert paragraph in extract(raw).body


# --- text dumps ---------------------------------------------------------------------------------


def dump(name: str) -> tuple[str, list[str]]:
    title, paragraphs = article(name)
    return "\n".join([f"{title} | Example Media", "Home", *paragraphs, "Example Media 2024"]), paragraphs


@pytest.mark.parametrize(("name", "codec", "language"), CASES, ids=IDS)
def test_legacy_text_dump_decodes_to_its_text_and_language(name: str, codec: str, language: str) -> None:
    text, _ = dump(name)
    decoded = decode_dump(text.encode(codec))
    assert decoded == text
    assert detect_language("\n".join(decoded.splitlines()[2:-1])) == language


def _dump_body(name: str, codec: str) -> str:
    text, _ = dump(name)
    return extract_textdump(
        Capture(origin="dump.txt", raw=text.encode(codec), format="textdump"), SETTINGS
    ).body


@pytest.mark.parametrize(("name", "codec"), [(n, c) for n, c, lang in CASES if lang not in {"zh", "ja"}])
def test_legacy_text_dump_body_is_the_article(name: str, codec: str) -> None:
    assert _dump_body(name, codec) == "\n\n".join(article(name)[1])


@pytest.mark.parametrize(("name", "codec"), [(n, c) for n, c, lang in CASES if lang in {"zh", "ja"}])
def test_cjk_text_dump_body_is_the_article(name: str, codec: str) -> None:
    assert _dump_body(name, codec) == "\n\n".join(article(name)[1])


# --- ingest: different articles stay different ----------------------------------------------------


def test_two_cp1256_articles_are_not_merged_as_duplicates(tmp_path: Path) -> None:
    """Read as windows-1252 both bodies became the same soup of replacement characters."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name in ("ar_bridge", "ar_market"):
        title, paragraphs = article(name)
        (inputs / f"{name}.html").write_bytes(page(title, paragraphs, "utf-8").encode("cp1256"))
        (inputs / f"{name}-undeclared.html").write_bytes(page(title, paragraphs, None).encode("cp1256"))
        text, _ = dump(name)
        (inputs / f"{name}.txt").write_bytes(text.encode("cp1256"))
    with Archive.open(tmp_path / "arch", create=True) as archive:
        report = archive.ingest([inputs])
        stats = archive.stats()
        bodies = {a.body for a in archive.articles()}
    assert report.rejects == []
    assert report.articles_new == 2  # the two articles; their other copies are duplicates of them
    assert stats["articles"] == 2
    assert stats["by_language"] == {"ar": 2}
    assert bodies == {"\n\n".join(article(name)[1]) for name in ("ar_bridge", "ar_market")}


# --- the decoder itself -----------------------------------------------------------------------------


def test_declarations_python_does_not_know_or_that_lie_are_not_believed() -> None:
    title, paragraphs = article("he_library")
    raw = page(title, paragraphs, None).encode("cp1255")
    assert decode(raw, ["x-klingon", "utf-16", "base64"]) == raw.decode("cp1255")
    assert sniff(raw, ["windows-1255"]).reason == "declared"
    assert sniff(raw).reason == "detected"


def test_a_few_legacy_bytes_fall_back_to_windows_1252() -> None:
    """Too little to detect from: "© 2016" fits dozens of code pages; windows-1252 is the browsers' guess."""
    assert decode("<p>Copyright © 2016 — all rights reserved</p>".encode("cp1252")) == (
        "<p>Copyright © 2016 — all rights reserved</p>"
    )


def test_iso_2022_jp_is_read_although_it_is_valid_ascii() -> None:
    title, paragraphs = article("ja_library")
    text = "\n".join([title, *paragraphs])
    assert decode(text.encode("iso2022_jp")) == text


# --- real pages ---------------------------------------------------------------------------------------


def _real_pages(root: Path) -> Iterator[tuple[str, bytes]]:
    extraction = root / "extraction"
    for path in sorted((extraction / "readability").glob("*/source.html")):
        yield str(path), path.read_bytes()
    for path in sorted(
        [*(extraction / "goose3").glob("*/*.html"), *(extraction / "newspaper4k").glob("html/*.html")]
    ):
        yield str(path), path.read_bytes()
    for path in sorted((extraction / "fundus").glob("*/*.html.gz")):
        yield str(path), gzip.decompress(path.read_bytes())


_SCRIPTS = {  # a script's letters -> its legacy encoding
    "cp1256": re.compile("[\u0600-\u06ff]"),
    "cp1255": re.compile("[\u05d0-\u05ea]"),
    "cp1253": re.compile("[\u0370-\u03ff]"),
    "cp1251": re.compile("[\u0400-\u04ff]"),
    "cp949": re.compile("[\uac00-\ud7af]"),
    "cp874": re.compile("[\u0e00-\u0e7f]"),
    "gb18030": re.compile("[\u3040-\u30ff\u4e00-\u9fff]"),  # kana and Han; cp932 when kana
}
_KANA = re.compile("[\u3040-\u30ff]")


def _legacy_codec(text: str) -> str | None:
    """The legacy encoding of a page's main non-Latin script, if it has one."""
    letters = sum(1 for char in text if char > "\x7f" and char.isalpha())
    counts = {codec: len(script.findall(text)) for codec, script in _SCRIPTS.items()}
    codec = max(counts, key=counts.__getitem__)
    if counts[codec] < max(200, 0.5 * letters):
        return None
    kana = len(_KANA.findall(text))
    return "cp932" if codec == "gb18030" and kana > 0.05 * counts[codec] else codec


def test_real_pages_decode_as_before_and_survive_their_legacy_encoding(shared_data: Path) -> None:
    """Every extraction page is UTF-8 and must stay exactly that; the ones in a non-Latin script,
    re-encoded into its legacy encoding without a declaration, must decode back to the same text."""
    legacy, recovered = 0, 0
    for name, raw in _real_pages(shared_data):
        text = raw.decode("utf-8-sig")  # a BOM is not text
        assert decode(raw) == text, name
        codec = _legacy_codec(text)
        if codec:
            bare = re.sub(
                rb"<meta[^>]*charset[^>]*>", b"", text.encode(codec, "xmlcharrefreplace"), flags=re.I
            )
            legacy += 1
            recovered += decode(bare) == bare.decode(codec)
    assert legacy >= 20  # 25 pages: Chinese, Japanese, Korean, Arabic, Russian, Thai
    assert recovered == legacy


def test_a_charset_label_with_a_nul_is_ignored_not_raised() -> None:
    """Found by tests/sources/test_fuzz.py: codecs.lookup raises ValueError, not LookupError, on NUL."""
    from newsarchive.extract.encoding import charset_codec, decode

    assert charset_codec("utf-8\x00") is None
    assert decode("café".encode("cp1252"), declared=["\x00"]) == "café"
