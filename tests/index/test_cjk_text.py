"""CJK bigram terms: pairs of Han, kana and Hangul characters, other words whole, spans on the original."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsarchive.text.cjk import find_terms, terms, tokens


def test_runs_become_overlapping_pairs_and_other_words_stay_whole() -> None:
    text = "東京都の iPhone手机 と Ｗｉｆｉ、한국어"
    found = [(term, text[start:end]) for term, start, end in tokens(text)]
    assert found == [
        ("東京", "東京"),
        ("京都", "京都"),
        ("都の", "都の"),
        ("iphone", "iPhone"),
        ("手机", "手机"),
        ("と", "と"),
        ("wifi", "Ｗｉｆｉ"),
        ("한국", "한국"),
        ("국어", "국어"),
    ]


def test_a_query_and_the_text_holding_it_share_its_pairs_in_order() -> None:
    text = "新的公共交通计划将于明年实施"
    query = terms("交通计划")
    held = terms(text)
    start = held.index(query[0])
    assert held[start : start + len(query)] == query


@given(st.text(alphabet=st.sampled_from(list("東京都の図書館한국어abc XYZ,。１２")), max_size=60))
def test_spans_are_in_the_text_and_in_order(text: str) -> None:
    previous = -1
    for term, start, end in tokens(text):
        assert 0 <= start < end <= len(text) and start > previous
        assert term
        previous = start


@given(
    st.text(alphabet=st.sampled_from(list("東京都の図書館한국어abc XYZ,。１２Ｘ\u200f")), max_size=60),
    st.data(),
)
def test_find_terms_gives_what_filtering_the_tokens_gives(text: str, data: st.DataObject) -> None:
    held = [term for term, _, _ in tokens(text)]
    wanted = frozenset(data.draw(st.lists(st.sampled_from(held), max_size=3))) if held else frozenset()
    assert find_terms(text, wanted) == [(start, end) for term, start, end in tokens(text) if term in wanted]
