"""detect_language: ISO 639-1 codes for real text, None when there is too little to tell."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.text.language import detect_language


def test_detects_common_news_languages() -> None:
    samples = {
        "en": "The harbour council voted on Saturday to build a movable tidal barrier across the estuary.",
        "de": "Der Stadtrat hat am Samstag beschlossen, eine bewegliche Flutsperre vor dem Hafen zu bauen.",
        "fr": "Le conseil municipal a voté samedi la construction d'une barrière mobile contre les marées.",
        "ar": "افتتحت البلدية صباح اليوم مكتبة عامة جديدة في وسط المدينة تضم أكثر من أربعين ألف كتاب.",
        "ru": "Городской совет в субботу проголосовал за строительство подвижного барьера в гавани.",
        "ja": "市議会は土曜日、港の入り口に可動式の防潮堤を建設することを賛成多数で可決した。",
    }
    for code, text in samples.items():
        assert detect_language(text) == code


def test_too_little_text_gives_none() -> None:
    assert detect_language("") is None
    assert detect_language("Hello") is None
    assert detect_language("12:30 — 4/5 ★★★") is None


def test_regional_varieties_map_to_iso_639_1() -> None:
    egyptian = "انا مش عارف ايه اللي حصل امبارح بس الناس كانت بتقول ان الماتش اتلغى عشان المطر جامد قوي"
    assert detect_language(egyptian) == "ar"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_crashes_and_answers_a_two_letter_code_or_none(text: str) -> None:
    code = detect_language(text)
    assert code is None or (len(code) == 2 and code.isalpha() and code.islower())
    assert detect_language(text) == code
