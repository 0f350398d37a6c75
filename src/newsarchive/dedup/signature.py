"""MinHash signatures over word shingles, banded twice for LSH look-ups.

The main band set (32 bands of 4 rows) finds pairs that resemble each other; a second, looser set
(16 bands of 2 rows) also finds a short copy inside a long original, whose resemblance is low
although most of it is contained. Bands are hashed to integers so the store can keep the buckets
in an ordinary indexed table (persisted across runs, nothing in memory to rebuild).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from functools import cache

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


def shingles(text: str) -> set[bytes]:
    """Overlapping word 4-grams of the casefolded text; short texts fall back to single words."""
    tokens = words(text)
    if len(tokens) < SHINGLE_WORDS:
        return {w.encode("utf-8") for w in tokens}
    return {
        " ".join(tokens[i : i + SHINGLE_WORDS]).encode("utf-8")
        for i in range(len(tokens) - SHINGLE_WORDS + 1)
    }


def signature(text: str) -> Signature | None:
    """MinHash of a text, or None when it has too little text to compare meaningfully."""
    return signature_of(shingles(text))


def signature_of(grams: set[bytes]) -> Signature | None:
    """MinHash of a set of shingles (when the caller needs the shingles too)."""
    if len(grams) < MIN_SHINGLES:
        return None
    mh = MinHash(num_perm=NUM_PERM, hashfunc=zlib.crc32, permutations=_permutations(), scheme=_SCHEME)
    mh.update_batch(list(grams))
    values = mh.hashvalues.astype(np.uint64)
    bands = [_band_key(values[b * ROWS : (b + 1) * ROWS], b) for b in range(BANDS)]
    bands += [_band_key(values[b * LOOSE_ROWS : (b + 1) * LOOSE_ROWS], 1000 + b) for b in range(LOOSE_BANDS)]
    return Signature(values.tobytes(), bands, len(grams))


def _band_key(chunk: np.ndarray, band: int) -> int:
    """A 56-bit bucket key; the band number is mixed in so equal rows of two bands never collide."""
    digest = hashlib.blake2b(chunk.tobytes(), digest_size=7, person=band.to_bytes(2, "little") + b"nsa")
    return int.from_bytes(digest.digest(), "little")


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
