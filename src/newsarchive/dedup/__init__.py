"""Exact and near duplicates, syndicated copies and versions of one URL.

- ``signature``: MinHash signatures and LSH band keys (candidate pairs);
- ``boilerplate``: the lines a source repeats around its articles, left out of comparisons;
- ``compare``: whether a candidate pair is a copy (resemblance, containment, facts);
- ``clusters``: clusters and representatives as a pure function of the verified pairs;
- ``versions``: URL keys and word diffs between versions of one story.
"""

from newsarchive.dedup.boilerplate import compared_text, edge_keys
from newsarchive.dedup.clusters import Cluster, Member, best, clusters, rank
from newsarchive.dedup.compare import Fingerprint, Match, copy_match, measure
from newsarchive.dedup.signature import (
    BANDS,
    LOOSE_BANDS,
    Signature,
    estimated_containment,
    signature,
    similarity,
)
from newsarchive.dedup.versions import DiffPart, url_key, word_diff

__all__ = [
    "BANDS",
    "LOOSE_BANDS",
    "Cluster",
    "DiffPart",
    "Fingerprint",
    "Match",
    "Member",
    "Signature",
    "best",
    "clusters",
    "compared_text",
    "copy_match",
    "edge_keys",
    "estimated_containment",
    "measure",
    "rank",
    "signature",
    "similarity",
    "url_key",
    "word_diff",
]
