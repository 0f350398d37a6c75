"""MinHash signatures: near copies score high, different stories low, tiny bodies are not compared."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsarchive import dedup
from tests.corpus_helpers import STORIES

BODY = " ".join(s["text"] for s in STORIES)


def test_near_copy_is_similar_and_shares_a_band() -> None:
    a = dedup.signature(BODY)
    b = dedup.signature(BODY.replace(" said ", " stated ", 1))
    assert a is not None and b is not None
    assert dedup.similarity(a.hashvalues, b.hashvalues) >= 0.8
    assert set(a.bands) & set(b.bands)


def test_different_stories_are_not_similar() -> None:
    a = dedup.signature(STORIES[0]["text"])
    b = dedup.signature(STORIES[3]["text"])
    assert a is not None and b is not None
    assert dedup.similarity(a.hashvalues, b.hashvalues) < 0.2


def test_signature_is_stable_across_calls() -> None:
    assert dedup.signature(BODY) == dedup.signature(BODY)


def test_too_short_bodies_have_no_signature() -> None:
    assert dedup.signature("Ferry late.") is None


@given(st.text(max_size=2000))
def test_signature_never_crashes(body: str) -> None:
    sig = dedup.signature(body)
    assert sig is None or len(sig.bands) == dedup.BANDS + dedup.LOOSE_BANDS
