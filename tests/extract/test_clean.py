"""clean_text and body_hash: repairs users notice, and the promises the archive relies on."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.extract import clean
from newsarchive.extract.clean import body_hash, clean_text

ASCII_LETTERS = re.compile("[A-Za-z]")


def test_repairs_mojibake_from_double_encoded_utf8() -> None:
    assert clean_text("CafÃ© on Rue DuprÃ© â€” open again") == "Café on Rue Dupré — open again"


def test_keeps_curly_quotes_and_html_entities_as_written() -> None:
    assert clean_text("“Fish & chips” &amp; more") == "“Fish & chips” &amp; more"


def test_strips_control_characters_and_tidies_whitespace_inside_lines() -> None:
    text = "  Harbour\x00 council\t\tvotes \u00a0 today \r\nSecond\x07 line  \n\n\n\nThird"
    assert clean_text(text) == "Harbour council votes today\nSecond line\n\nThird"


def test_removes_the_seed_stray_arabic_letter_glued_to_a_latin_word() -> None:
    text = (
        "Tel Aviv warned that if Russia didn't use those missiles against Israel, no one can guarantee "
        "that it won't reach the wrong group or the regimeو thus leading to a dangerous war development."
    )
    cleaned = clean_text(text)
    assert "the regime thus leading" in cleaned
    assert "و" not in cleaned


def test_leaves_genuine_arabic_hebrew_cjk_and_cyrillic_text_alone() -> None:
    samples = [
        "قالت الحكومة إن الاجتماع سيعقد غداً في العاصمة",
        "הממשלה הודיעה כי הפגישה תתקיים מחר",
        "東京で会議が開かれた。",
        "Президент встретился с министрами в Москве",
        "The minister Ahmad (أحمد) said the talks were useful and would continue next week in Geneva.",
        "Mixed-script brand names like Яндекс.Taxi and iPhoneو stay when Arabic text (مرحبا) is present.",
    ]
    for text in samples:
        assert clean_text(text) == text


def test_does_not_remove_cyrillic_homoglyph_letters() -> None:
    # a Cyrillic "а" at the end of a Latin word is a real letter that looks Latin: never drop it
    text = "The delegation arrived in Moskvа on Monday for a long round of talks about gas prices and trade."
    assert clean_text(text) == text


def test_clean_text_is_idempotent_on_examples() -> None:
    for text in [
        "CafÃ©  â€œquotedâ€\x9d",
        "regimeو and more words to make a latin text long enough here",
        "a\r\nb",
    ]:
        once = clean_text(text)
        assert clean_text(once) == once


def test_body_hash_ignores_case_spacing_and_punctuation() -> None:
    a = body_hash("The council voted, 11–4, to build it.\n\nConstruction starts in spring!")
    b = body_hash("the council voted 11 4 to build it construction   starts in spring")
    assert a == b
    assert a != body_hash("The council voted 11 4 to build it construction starts in autumn")
    assert re.fullmatch("[0-9a-f]{64}", a)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_clean_text_never_crashes_is_idempotent_and_nfc(text: str) -> None:
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert unicodedata.is_normalized("NFC", cleaned)
    assert "\x00" not in cleaned


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))))
def test_clean_text_never_drops_latin_letters(text: str) -> None:
    before = ASCII_LETTERS.findall(text)
    after = iter(ASCII_LETTERS.findall(clean_text(text)))
    # every ASCII letter survives, in order (ftfy may add some, e.g. from ligatures: "ﬁ" -> "fi")
    assert all(letter in after for letter in before)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text())
def test_body_hash_is_stable_under_clean_text(a: str, b: str) -> None:
    text = a + "\n\n" + b
    assert body_hash(text) == body_hash(text)
    assert len(body_hash(text)) == 64


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E)))
def test_clean_text_on_printable_ascii_only_squeezes_spaces(text: str) -> None:
    # the fast path for plain ASCII lines must agree with what the full clean-up would do
    assert clean_text(text) == " ".join(text.split())
    assert clean_text(text + "\n\n" + text) == "\n\n".join(filter(None, [" ".join(text.split())] * 2))


def _full_clean(text: str) -> str:
    for _ in range(4):
        cleaned = clean._clean_once(text)
        if cleaned == text:
            return text
        text = cleaned
    return text


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_fast_path_agrees_with_the_full_clean_up(text: str) -> None:
    # the shortcut for lines with only spaces to squeeze must never change what cleaning gives
    assert clean_text(text) == _full_clean(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ελλάδα  και  Κύπρος",
        "Café  déjà vu",
        "东京  的新闻",
        "Ã©tÃ© mojibake",
        "regimeو is",
        "e\u0301t\u0301e",
    ],
)
def test_fast_path_agrees_on_non_latin_and_broken_lines(text: str) -> None:
    assert clean_text(text) == _full_clean(text)
