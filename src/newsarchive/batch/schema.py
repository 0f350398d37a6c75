"""The Parquet tables the Spark job writes and ``load`` reads, one folder each under the output.

``articles`` starts with exactly the columns (names and types) of ``export --format parquet``
and adds what a store needs to take an article over (site, body hash, removed lines, the blocks
chrome learning counts, URL key, edge line keys); ``mentions``, ``quotes`` and ``events`` have the
columns of ``export --what …`` (written with ``--enrich``). ``captures`` keeps each original's
bytes: a capture is the decoded HTTP payload (de-chunked, gunzipped, a revisit resolved to its
original), not a byte range of the input, so a pointer to an input offset could only be followed
by parsing the WARC again.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

import pyarrow as pa

VERSION = 3
"""Bumped when a table changes; ``load`` refuses an output of another version (3: mentions' ``kind``)."""

TABLES = (
    "articles",
    "captures",
    "rejects",
    "sites",
    "signatures",
    "pairs",
    "enrichment",
    "skipped",
    "mentions",
    "quotes",
    "events",
)
MANIFEST = "manifest.json"
"""Written last by the driver: an output without it is incomplete."""


@cache
def export_articles_schema() -> pa.Schema:
    """The schema ``export --format parquet`` writes, read from an empty export (one definition)."""
    import pyarrow.parquet as pq

    from newsarchive.archive import _write_parquet

    out = io.BytesIO()
    _write_parquet(iter(()), out)
    out.seek(0)
    return pq.read_schema(out).remove_metadata()


@cache
def articles_schema() -> pa.Schema:
    extra = [
        ("site", pa.string()),
        ("body_hash", pa.string()),
        ("removed", pa.list_(pa.string())),
        ("blocks", pa.list_(pa.string())),
        ("base_removed", pa.list_(pa.string())),
        ("url_key", pa.string()),
        ("edge_keys", pa.list_(pa.int64())),
    ]
    schema = export_articles_schema()
    for name, type_ in extra:
        schema = schema.append(pa.field(name, type_))
    return schema


@cache
def enrichment_export_schema(what: str) -> pa.Schema:
    """The columns of ``export --what mentions|quotes|events --format parquet``."""
    from newsarchive.archive import _ENRICHMENT_SAMPLES, _flatten

    return pa.Table.from_pylist([_flatten(_ENRICHMENT_SAMPLES[what].to_json())]).schema


_FIXED: dict[str, list[tuple[str, Any]]] = {
    "captures": [
        ("sha256", pa.string()), ("origin", pa.string()), ("url", pa.string()), ("fetched_at", pa.string()),
        ("content_type", pa.string()), ("format", pa.string()), ("hints", pa.string()),
        ("raw", pa.large_binary()), ("raw_size", pa.int64()), ("ingested_at", pa.string()),
        ("article_id", pa.string()), ("input_number", pa.int64()), ("record_number", pa.int64()),
    ],
    "rejects": [("origin", pa.string()), ("reason", pa.string())],
    "sites": [("site", pa.string()), ("chrome", pa.string())],
    "signatures": [
        ("article_id", pa.string()), ("hashvalues", pa.binary()), ("shingles", pa.int64()),
        ("bands", pa.list_(pa.int64())),
    ],
    "pairs": [("a", pa.string()), ("b", pa.string()), ("resemblance", pa.float64()), ("containment", pa.float64())],
    "enrichment": [("article_id", pa.string()), ("body_hash", pa.string()), ("record", pa.string())],
    "skipped": [("article_id", pa.string()), ("stage", pa.string()), ("body_hash", pa.string()),
                ("reason", pa.string()), ("at", pa.string())],
}  # fmt: skip


def table_schema(table: str) -> pa.Schema:
    """The schema of one output table."""
    if table == "articles":
        return articles_schema()
    if table in ("mentions", "quotes", "events"):
        return enrichment_export_schema(table)
    return pa.schema(_FIXED[table])
