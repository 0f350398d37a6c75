"""The Arabic normaliser and light stemmer: each rule, the offset map, and properties over any text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarchive.text.arabic import (
    DIRECTION_MARKS,
    find_words,
    light_stem,
    normalise,
    normalise_word,
    strip_direction_marks,
    terms,
    tokens,
)


@pytest.mark.parametrize(
    ("printed", "plain"),
    [
        ("مكتبةً", "مكتبه"),  # tanween (and ة -> ه)
        ("مُحَمَّد", "محمد"),  # harakat and shadda
        ("جـديـدة", "جديده"),  # tatweel
        ("أحمد", "احمد"),
        ("إعلان", "اعلان"),
        ("آمال", "امال"),
        ("ٱلله", "الله"),  # alef wasla
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("مدرسة", "مدرسه"),  # taa marbuta
        ("٢٠٢٤", "2024"),  # Arabic-Indic digits
        ("مك\u200fتبة", "مكتبه"),  # a direction mark inside a word
    ],
)
def test_normalisation_folds_each_written_form(printed: str, plain: str) -> None:
    assert normalise(printed).text == plain


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("الطلاب", "طلاب"),
        ("والطلاب", "طلاب"),
        ("بالطلاب", "طلاب"),
        ("كالطلاب", "طلاب"),
        ("فالطلاب", "طلاب"),
        ("للطلاب", "طلاب"),
        ("وطلاب", "طلاب"),
        ("مكتبات", "مكتب"),
        ("مكتبه", "مكتب"),
        ("معلمون", "معلم"),
        ("معلمين", "معلم"),
        ("كتابها", "كتاب"),
        ("عربيه", "عرب"),
        ("عربي", "عرب"),
        ("بيت", "بيت"),  # a lone ب is a letter of the word, never stripped
        ("لون", "لون"),
        ("ولد", "ولد"),  # و leaves fewer than three letters: kept
        ("الم", "الم"),  # ال leaves fewer than two letters: kept
        ("ماء", "ماء"),
        ("election", "election"),  # no Arabic letters: untouched
    ],
)
def test_light_stemmer(word: str, stem: str) -> None:
    assert light_stem(word) == stem


def test_every_form_of_the_issue_table_meets_its_plain_spelling() -> None:
    for typed, printed in [
        ("مكتبة", "مكتبةً"),
        ("جديدة", "جـديدة"),
        ("احمد", "أحمد"),
        ("مدرسه", "مدرسة"),
        ("مستشفي", "مستشفى"),
        ("مستشفى", "مستشفي"),
        ("الطلاب", "طلاب"),
        ("الطلاب", "والطلاب"),
        ("الطلاب", "للطلاب"),
    ]:
        assert normalise_word(typed) == normalise_word(printed), (typed, printed)


def test_tokens_give_the_words_as_printed() -> None:
    text = "افتتحت \u200fمكتبةً جـديدة، وقال أحمد: BBC ١٢"
    found = [(term, text[start:end]) for term, start, end in tokens(text)]
    assert found == [
        ("افتتحت", "افتتحت"),
        ("مكتب", "مكتبةً"),
        ("جديد", "جـديدة"),
        ("قال", "وقال"),
        ("احمد", "أحمد"),
        ("bbc", "BBC"),
        ("12", "١٢"),
    ]


def test_offset_map_points_at_the_original_characters() -> None:
    text = "في جـديدةٍ اليوم"
    normal = normalise(text)
    start = normal.text.index("جديده")
    assert normal.span(start, start + len("جديده")) == (3, 3 + len("جـديدة"))
    assert text[slice(*normal.span(start, start + 5))] == "جـديدة"


def test_direction_marks_are_stripped_from_names() -> None:
    assert strip_direction_marks("\u202bوزارة الصحة\u202c\u200f") == "وزارة الصحة"
    assert strip_direction_marks("Asharq\u200e Al-Awsat") == "Asharq Al-Awsat"


_ARABIC_TEXT = st.text(
    alphabet=st.sampled_from(
        list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئةى ـًٌٍَُِّْ،.:٠١٢abcXYZ \n") + list(DIRECTION_MARKS)
    ),
    max_size=80,
)


@given(_ARABIC_TEXT)
def test_normalisation_is_idempotent_and_its_map_stays_in_the_text(text: str) -> None:
    once = normalise(text)
    assert normalise(once.text).text == once.text
    assert len(once.origin) == len(once.text) + 1
    assert all(0 <= at <= len(text) for at in once.origin)
    assert list(once.origin) == sorted(once.origin)
    for i, char in enumerate(once.text):
        assert normalise(text[once.origin[i]]).text == char


@given(_ARABIC_TEXT)
def test_tokens_are_ordered_spans_whose_words_analyse_to_their_terms(text: str) -> None:
    cursor = 0
    for term, start, end in tokens(text):
        assert cursor <= start < end <= len(text)
        assert terms(text[start:end]) == [term]
        assert not any(c in DIRECTION_MARKS for c in (text[start], text[end - 1]))
        cursor = end
    assert terms(" ".join(terms(text))) == [light_stem(t) for t in terms(text)]
    assert terms(text) == [term for term, _, _ in tokens(text)]


@given(_ARABIC_TEXT, st.data())
def test_find_words_gives_what_filtering_the_tokens_gives(text: str, data: st.DataObject) -> None:
    for stem in (True, False):
        held = [term for term, _, _ in tokens(text, stem)]
        wanted = frozenset(data.draw(st.lists(st.sampled_from(held), max_size=3))) if held else frozenset()
        expected = [(start, end) for term, start, end in tokens(text, stem) if term in wanted]
        assert find_words(text, wanted, stem) == expected
