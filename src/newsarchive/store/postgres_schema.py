"""The PostgreSQL store's tables, created at the first open and migrated by version (``meta.schema_version``).

The tables mirror SQLite's (store/sqlite.py) with PostgreSQL types: flags as booleans, lists
as ``text[]``, bucket and line keys as ``bigint``, ingest order from identity columns (SQLite's
``rowid``/``MAX(seq)+1`` would give two concurrent writers the same number). Text columns
compare and sort in the ``C`` collation, byte order like SQLite's, whatever the database's
locale, so both backends list things in the same order. Capture bytes are already compressed
(store/blobs.py), so the server is told not to compress them again (``STORAGE EXTERNAL``).
"""

from __future__ import annotations

from newsarchive.errors import ArchiveError
from newsarchive.store.base import renormalised
from newsarchive.store.postgres_connection import Connection

SCHEMA_VERSION = 3

_T = 'text COLLATE "C"'
_TA = 'text[] COLLATE "C"'

CREATE_TABLES = f"""
CREATE TABLE IF NOT EXISTS meta (key {_T} PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS captures (
    sha256 {_T} PRIMARY KEY,
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    origin {_T} NOT NULL,
    url {_T},
    fetched_at {_T},
    content_type {_T},
    format {_T} NOT NULL,
    hints text NOT NULL,
    raw_size bigint NOT NULL,
    ingested_at {_T} NOT NULL,
    article_id {_T},
    raw bytea NOT NULL
);
ALTER TABLE captures ALTER COLUMN raw SET STORAGE EXTERNAL;
CREATE INDEX IF NOT EXISTS captures_article ON captures(article_id);
CREATE TABLE IF NOT EXISTS articles (
    id {_T} PRIMARY KEY,
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    url {_T},
    source {_T} NOT NULL,
    site {_T} NOT NULL,
    title {_T} NOT NULL,
    authors {_TA} NOT NULL,
    published {_T},
    published_from {_T},
    section {_T},
    language {_T},
    captions {_TA} NOT NULL,
    media_ids {_TA} NOT NULL,
    word_count integer NOT NULL,
    body_hash {_T} NOT NULL,
    cluster_id {_T},
    representative boolean NOT NULL DEFAULT true,
    url_key {_T},
    latest boolean NOT NULL DEFAULT true,
    published_time {_T},
    published_raw {_T},
    body_offset integer NOT NULL DEFAULT 0,
    indexed smallint NOT NULL DEFAULT 0,
    deduped boolean NOT NULL DEFAULT false,
    enrich_wanted boolean NOT NULL DEFAULT false,
    body text NOT NULL,
    removed text[] NOT NULL,
    blocks bytea NOT NULL
);
ALTER TABLE articles ALTER COLUMN blocks SET STORAGE EXTERNAL;
CREATE INDEX IF NOT EXISTS articles_body_hash ON articles(body_hash, seq);
CREATE INDEX IF NOT EXISTS articles_site ON articles(site, seq);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source, published);
CREATE INDEX IF NOT EXISTS articles_url ON articles(url);
CREATE INDEX IF NOT EXISTS articles_url_key ON articles(url_key);
CREATE INDEX IF NOT EXISTS articles_cluster ON articles(cluster_id);
CREATE INDEX IF NOT EXISTS articles_unindexed ON articles(seq) WHERE indexed = 0;
CREATE INDEX IF NOT EXISTS articles_undeduped ON articles(seq) WHERE NOT deduped;
CREATE TABLE IF NOT EXISTS index_deletes (article_id {_T} PRIMARY KEY);
CREATE TABLE IF NOT EXISTS rejects (
    origin {_T} NOT NULL,
    reason {_T} NOT NULL,
    at {_T} NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    PRIMARY KEY (origin, reason)
);
CREATE TABLE IF NOT EXISTS skipped (
    article_id {_T} NOT NULL, stage {_T} NOT NULL, body_hash {_T} NOT NULL, reason text NOT NULL,
    at {_T} NOT NULL, PRIMARY KEY (article_id, stage)
);
CREATE TABLE IF NOT EXISTS sites (site {_T} PRIMARY KEY, chrome text NOT NULL, stale boolean NOT NULL DEFAULT false);
CREATE TABLE IF NOT EXISTS merged_ids (old_id {_T} PRIMARY KEY, into_id {_T} NOT NULL);
CREATE INDEX IF NOT EXISTS merged_ids_into ON merged_ids(into_id);

CREATE TABLE IF NOT EXISTS signatures (
    article_id {_T} PRIMARY KEY, signature bytea NOT NULL, shingles integer NOT NULL, bands bigint[] NOT NULL
);
CREATE TABLE IF NOT EXISTS lsh_buckets (
    bucket bigint NOT NULL, article_id {_T} NOT NULL, PRIMARY KEY (bucket, article_id)
);
CREATE TABLE IF NOT EXISTS copy_pairs (
    a {_T} NOT NULL, b {_T} NOT NULL, resemblance double precision NOT NULL,
    containment double precision NOT NULL, PRIMARY KEY (a, b)
);
CREATE INDEX IF NOT EXISTS copy_pairs_b ON copy_pairs(b);
CREATE TABLE IF NOT EXISTS edge_lines (
    site {_T} NOT NULL, line_key bigint NOT NULL, article_id {_T} NOT NULL,
    PRIMARY KEY (site, line_key, article_id)
);
CREATE INDEX IF NOT EXISTS edge_lines_article ON edge_lines(article_id);
CREATE TABLE IF NOT EXISTS boilerplate (site {_T} NOT NULL, line_key bigint NOT NULL, PRIMARY KEY (site, line_key));

CREATE TABLE IF NOT EXISTS enriched (article_id {_T} PRIMARY KEY, body_hash {_T} NOT NULL, at {_T} NOT NULL);
CREATE TABLE IF NOT EXISTS mentions (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, article_id {_T} NOT NULL,
    start_offset integer NOT NULL, end_offset integer NOT NULL, text {_T} NOT NULL, label {_T} NOT NULL,
    entity {_T}, kind {_T} NOT NULL DEFAULT 'name'
);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity, article_id);
CREATE TABLE IF NOT EXISTS entity_names (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, article_id {_T} NOT NULL, name {_T} NOT NULL,
    type {_T} NOT NULL, aliases {_TA} NOT NULL
);
CREATE INDEX IF NOT EXISTS entity_names_name ON entity_names(name);
CREATE INDEX IF NOT EXISTS entity_names_article ON entity_names(article_id);
CREATE TABLE IF NOT EXISTS entity_links (name {_T} PRIMARY KEY, entity {_T} NOT NULL);
CREATE INDEX IF NOT EXISTS entity_links_entity ON entity_links(entity);
CREATE TABLE IF NOT EXISTS roles (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, article_id {_T} NOT NULL, entity {_T} NOT NULL,
    title {_T} NOT NULL, role_of {_T}, as_of {_T}, start_offset integer NOT NULL, end_offset integer NOT NULL
);
CREATE INDEX IF NOT EXISTS roles_entity ON roles(entity);
CREATE INDEX IF NOT EXISTS roles_article ON roles(article_id);
CREATE TABLE IF NOT EXISTS quotes (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, article_id {_T} NOT NULL, speaker {_T},
    speaker_entity {_T}, cue {_T} NOT NULL, text {_T} NOT NULL, start_offset integer NOT NULL,
    end_offset integer NOT NULL, direct boolean NOT NULL
);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article_id);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_entity);
CREATE TABLE IF NOT EXISTS events (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id {_T} NOT NULL, article_id {_T} NOT NULL,
    type {_T} NOT NULL, source {_T}, target {_T}, location {_T}, date {_T}, date_status {_T} NOT NULL,
    evidence text NOT NULL, start_offset integer NOT NULL, end_offset integer NOT NULL
);
CREATE INDEX IF NOT EXISTS events_article ON events(article_id);
CREATE INDEX IF NOT EXISTS events_source ON events(source);
CREATE INDEX IF NOT EXISTS events_target ON events(target);
"""

MIGRATIONS: dict[int, str] = {
    # 1 -> 2: publication dates normalised, with the time and the value as given
    1: f"""
    ALTER TABLE articles ADD COLUMN IF NOT EXISTS published_time {_T};
    ALTER TABLE articles ADD COLUMN IF NOT EXISTS published_raw {_T};
    ALTER TABLE articles ADD COLUMN IF NOT EXISTS body_offset integer NOT NULL DEFAULT 0;
    """,
    # 2 -> 3: mentions resolved by coreference (pronouns, descriptions, speakers) beside names, and
    # the names linked across articles as one entity
    2: f"""
    ALTER TABLE mentions ADD COLUMN IF NOT EXISTS kind {_T} NOT NULL DEFAULT 'name';
    CREATE TABLE IF NOT EXISTS entity_links (name {_T} PRIMARY KEY, entity {_T} NOT NULL);
    CREATE INDEX IF NOT EXISTS entity_links_entity ON entity_links(entity);
    """,
}
"""Statements bringing version ``n`` to ``n + 1``; each runs in the open's schema transaction."""

_SCHEMA_LOCK = "newsarchive:schema"
"""Advisory lock key: two stores opening one new database at once do not both create the tables."""


def prepare(conn: Connection, server: str, readonly: bool) -> None:
    """Create the tables of a new archive, migrate an older one, refuse a newer one."""
    with conn.transaction():
        if not readonly:
            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (_SCHEMA_LOCK,))
        encoding = conn.execute("SHOW server_encoding").fetchone()
        if encoding is None or encoding[0] != "UTF8":
            raise ArchiveError(
                f"{server}: the database's encoding is {encoding and encoding[0]}, not UTF8; create it with "
                "CREATE DATABASE … ENCODING 'UTF8' TEMPLATE template0"
            )
        version = _stored_version(conn)
        if version is None and readonly:
            raise ArchiveError(
                f"{server}: no newsarchive archive in this database; open it writable once to create one"
            )
        if version is not None and version > SCHEMA_VERSION:
            raise ArchiveError(
                f"{server}: archive schema version {version} is not supported by this newsarchive "
                f"(expects {SCHEMA_VERSION}); use a matching newsarchive version"
            )
        if version == SCHEMA_VERSION:
            return
        if readonly:
            raise ArchiveError(
                f"{server}: archive schema version {version} is older than this newsarchive's "
                f"({SCHEMA_VERSION}); open it writable once to migrate it"
            )
        if version is None:
            conn.execute(CREATE_TABLES)
        else:
            for step in range(version, SCHEMA_VERSION):
                conn.execute(MIGRATIONS[step])
            if version < 2:
                _renormalise_dates(conn)
        conn.execute(
            "INSERT INTO meta(key, value) VALUES ('schema_version', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(SCHEMA_VERSION),),
        )


def _renormalise_dates(conn: Connection) -> None:
    """Dates stored as typed by version 1 ("15 May 2025", epoch seconds) read again by the one date
    rule, then re-indexed and re-enriched (as SQLite's migration to its version 4 does)."""
    rows = conn.execute(
        "SELECT id, published FROM articles WHERE published IS NOT NULL AND published_time IS NULL"
    ).fetchall()
    updates = []
    for article_id, value in rows:
        date, time, raw = renormalised(str(value))
        if (date, time) != (value, None):
            updates.append((date, time, raw, article_id))
    for date, time, raw, article_id in updates:
        conn.execute(
            "UPDATE articles SET published = %s, published_time = %s, published_raw = %s, indexed = 0 "
            "WHERE id = %s",
            (date, time, raw, article_id),
        )
        conn.execute("DELETE FROM enriched WHERE article_id = %s", (article_id,))


def _stored_version(conn: Connection) -> int | None:
    if conn.execute("SELECT to_regclass('meta')").fetchone() == (None,):
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return None if row is None else int(row[0])
