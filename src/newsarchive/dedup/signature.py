"""MinHash signatures over word shingles, banded twice for LSH look-ups.

The main band set (32 bands of 4 rows) finds pairs that resemble each other; a second, looser set
(16 bands of 2 rows) also finds a short copy inside a long original, whose resemblance is low
although most of it is contained. Bands are hashed to integers so the store can keep the buckets
in an ordinary indexed table (persisted across runs, nothing in memory to rebuild).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
LOOSE_BANDS = 16
LOOSE_ROWS = 2
SHINGLE_WORDS = 4
MIN_SHINGLES = 5
_SCHEME = "affine32"
_UNSPACED = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_UNSPACED}]|[^\W{_UNSPACED}]+", re.UNICODE)
"""Words, and single characters of scripts written without spaces (Chinese, Japanese, Thai)."""


@dataclass(slots=True, frozen=True)
class Signature:
    """A text's MinHash (as bytes for storage), its LSH band keys and its shingle count."""

    hashvalues: bytes
    bands: list[int]
    shingles: int


def words(text: str) -> list[str]:
    """The casefolded tokens shingles are made of."""
    return _TOKEN.findall(text.casefold())


def shingles(text: str) -> set[int]:
    """Overlapping word 4-grams of the casefolded text, hashed to 32 bits; short texts fall back
    to single words. Hashing the words once and combining them in numpy costs a fifth of
    joining and hashing every 4-gram as a string."""
    return set(_shingle_array(words(text)).tolist())


def _shingle_array(tokens: list[str]) -> np.ndarray:
    if not tokens:
        return np.empty(0, dtype=np.uint64)
    hashed = np.fromiter(map(_word_hash, tokens), dtype=np.uint64, count=len(tokens))
    if len(tokens) < SHINGLE_WORDS:
        return np.unique(hashed)
    n = len(tokens) - SHINGLE_WORDS + 1
    mixed = np.zeros(n, dtype=np.uint64)
    for i, factor in enumerate(_GRAM_FACTORS):  # uint64 arithmetic wraps, as a hash should
        mixed = mixed * np.uint64(0x100000001B3) + hashed[i : i + n] * factor
    return np.unique((mixed >> np.uint64(29)) & np.uint64(0xFFFFFFFF))


@lru_cache(maxsize=1 << 16)
def _word_hash(word: str) -> int:
    """A word's 32-bit hash; cached, since news vocabulary repeats from article to article."""
    return zlib.crc32(word.encode("utf-8"))


_GRAM_FACTORS = tuple(
    np.uint64(f) for f in (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93)
)


def signature(text: str) -> Signature | None:
    """MinHash of a text, or None when it has too little text to compare meaningfully."""
    return signature_of(shingles(text))


def signature_of(grams: set[int]) -> Signature | None:
    """MinHash of a set of shingles (when the caller needs the shingles too)."""
    if len(grams) < MIN_SHINGLES:
        return None
    mh = _empty_minhash().copy()
    mh.update_batch(grams)
    values = mh.hashvalues.astype(np.uint64)
    bands = _band_keys(values[: BANDS * ROWS].reshape(BANDS, ROWS), 0)
    bands += _band_keys(values[: LOOSE_BANDS * LOOSE_ROWS].reshape(LOOSE_BANDS, LOOSE_ROWS), 1000)
    return Signature(values.tobytes(), bands, len(grams))


_BAND_FACTORS = tuple(
    np.uint64(f) for f in (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x9E3779B97F4A7C15, 0x94D049BB133111EB)
)


def _band_keys(rows: np.ndarray, first_band: int) -> list[int]:
    """56-bit bucket keys of each band's rows; the band number is mixed in so equal rows of two
    bands never share a bucket."""
    key = (np.arange(rows.shape[0], dtype=np.uint64) + np.uint64(first_band + 1)) * _BAND_FACTORS[0]
    for i in range(rows.shape[1]):
        key = (key ^ (rows[:, i] * _BAND_FACTORS[(i + 1) % len(_BAND_FACTORS)])) * np.uint64(0x100000001B3)
        key ^= key >> np.uint64(31)
    return [int(k) for k in (key >> np.uint64(8)).tolist()]


@cache
def _empty_minhash() -> MinHash:
    """A MinHash with the fixed permutations and nothing added, copied for each text (building one
    from the permutations costs more than hashing a page)."""
    return MinHash(num_perm=NUM_PERM, hashfunc=int, permutations=_permutations(), scheme=_SCHEME)


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The fixed random permutations (seeded), built once: building them costs more than hashing a page."""
    template = MinHash(num_perm=NUM_PERM, seed=1, scheme=_SCHEME)
    a, b = template.permutations
    return (a, b)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored signatures."""
    va = np.frombuffer(a, dtype=np.uint64)
    vb = np.frombuffer(b, dtype=np.uint64)
    if va.shape != vb.shape:
        return 0.0
    return float(np.count_nonzero(va == vb)) / float(len(va))


def estimated_containment(a: bytes, a_shingles: int, b: bytes, b_shingles: int) -> float:
    """Share of the smaller text's shingles in the other, estimated from signatures and sizes.

    From Jaccard J and sizes: |A∩B| = J(|A|+|B|)/(1+J). Used to skip candidates not worth
    verifying exactly.
    """
    j = similarity(a, b)
    smaller = min(a_shingles, b_shingles)
    if smaller <= 0:
        return 0.0
    return min(1.0, j * (a_shingles + b_shingles) / ((1.0 + j) * smaller))


def similarities(one: bytes, others: list[bytes]) -> np.ndarray:
    """Estimated Jaccard similarity of one signature with each of many (one numpy pass)."""
    if not others:
        return np.empty(0)
    mine = np.frombuffer(one, dtype=np.uint64)
    stacked = np.frombuffer(b"".join(others), dtype=np.uint64).reshape(len(others), -1)
    if stacked.shape[1] != mine.shape[0]:
        return np.array([similarity(one, o) for o in others])
    equal: np.ndarray = np.count_nonzero(stacked == mine, axis=1)
    return equal / float(mine.shape[0])
