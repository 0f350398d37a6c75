"""Near-duplicate detection: MinHash signatures over word shingles, banded for LSH look-ups.

Exact duplicates are caught earlier by ``body_hash``; this module groups syndicated copies and
lightly edited re-publications. Bands are hashed to integers so the store can keep LSH buckets
in an ordinary indexed table (persisted across runs, no in-memory structure to rebuild).
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
SHINGLE_WORDS = 4
_SCHEME = "affine32"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(slots=True, frozen=True)
class Signature:
    """A body's MinHash (as bytes for storage) and its LSH band keys."""

    hashvalues: bytes
    bands: list[int]


def shingles(body: str) -> set[bytes]:
    """Overlapping word 4-grams of the casefolded body; short bodies fall back to single words."""
    words = _WORD.findall(body.casefold())
    if len(words) < SHINGLE_WORDS:
        return {w.encode("utf-8") for w in words}
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def signature(body: str) -> Signature | None:
    """MinHash of a body, or None when it has too little text to compare meaningfully."""
    grams = shingles(body)
    if len(grams) < 5:
        return None
    mh = MinHash(num_perm=NUM_PERM, hashfunc=zlib.crc32, permutations=_permutations(), scheme=_SCHEME)
    mh.update_batch(list(grams))
    values = mh.hashvalues.astype(np.uint64)
    bands = []
    for b in range(BANDS):
        chunk = values[b * ROWS : (b + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=7, person=b.to_bytes(2, "little") + b"nsa").digest()
        bands.append(int.from_bytes(digest, "little"))
    return Signature(values.tobytes(), bands)


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
