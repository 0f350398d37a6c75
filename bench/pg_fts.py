"""Design (a) of server-mode search, as bench/server_search.py measures it: PostgreSQL full-text search.

One table of the bench's own (``bench_fts``; the store's schema is not touched): the article's
hit fields, its facet columns and a generated ``tsvector`` — the title's words weighted ``A``,
the body's ``B``, both through the built-in ``english`` configuration — with a GIN index (and,
when the ``rum`` extension is installed, a RUM index on the same column, used only to hand back
the best 10 in rank order). Articles are loaded with COPY.

A search compiles our query tree (``query.py`` parses it, as for every backend) into SQL:
words and phrases of the default fields and ``title:``/``body:`` become one ``tsquery``
(``phraseto_tsquery``, so a word that splits into several lexemes is a phrase of them; a field
keeps its weight label), other fields become row predicates. Then, as ``TantivyIndex.search``
does with tantivy, two statements run at once on two connections:
- facets and the total: ``GROUP BY GROUPING SETS ((source), (section), (language), (year), ())``
  over every matching row;
- one page of hits: ranked by ``ts_rank`` over every match (``gin``) or by the RUM index's
  ``tsv <=> query`` order (``rum``), or by date; then, for those 10 rows only, the hit record
  and ``ts_headline`` of the body, whose ``⟦…⟧`` marks become character ranges, and the snippet
  HTML is built by ``query.snippet_html`` as for ours.

What ``english`` means: every article, whatever its language, is split by PostgreSQL's default
parser, stemmed with the English Snowball stemmer and stripped of English stop words (so a
phrase of stop words such as "of the" asks for nothing and matches nothing, and "said in a" is
the word "said"). tantivy's ``en_stem`` (ours) stems with the same English Snowball stemmer for
every language too, but keeps stop words.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import psycopg

from newsarchive.index.base import And, Excerpt, IndexQuery, Not, Phrase, QueryNode, Term
from newsarchive.model import SearchHit
from newsarchive.query import snippet_html

TABLE = "bench_fts"
CONFIG = "english"
# ts_rank's weights of D, C, B, A: a title (A) match weighs 2× a body (B) match, as ours boosts title 2×
RANK_WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"
START, STOP = "\u27e6", "\u27e7"  # ⟦ ⟧ around ts_headline's matches
HEADLINE = f"MaxFragments=1, MaxWords=40, MinWords=20, StartSel={START}, StopSel={STOP}"
FACET_SIZE = 20

DDL = f"""
CREATE TABLE {TABLE} (
    id text COLLATE "C" PRIMARY KEY,
    title text NOT NULL,
    body text NOT NULL,
    url text,
    source text NOT NULL,
    section text,
    language text,
    authors text[] NOT NULL,
    published date,
    year smallint,
    cluster_id text COLLATE "C",
    cluster_size integer NOT NULL DEFAULT 1,
    versions integer NOT NULL DEFAULT 1,
    canonical boolean NOT NULL,
    entities text[] NOT NULL DEFAULT '{{}}',
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('{CONFIG}', title), 'A') || setweight(to_tsvector('{CONFIG}', body), 'B')
    ) STORED
)
"""
COPY_COLUMNS = (
    "id", "title", "body", "url", "source", "section", "language", "authors", "published", "year",
    "cluster_id", "canonical",
)  # fmt: skip


# -- build -------------------------------------------------------------------------------------


@dataclass(slots=True)
class PgBuild:
    articles: int = 0
    canonical: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    rum: bool = False

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def load(dsn: str, articles: Iterable[Any], rum: bool, progress: Any = None) -> PgBuild:
    """COPY the articles into a fresh ``bench_fts``, set cluster sizes, build the indexes, analyse.

    ``articles`` yields newsarchive Articles whose ``cluster_id`` is set (the representative is
    the article whose id is its cluster's id, as the bench's generator makes them).
    """
    build = PgBuild(rum=rum)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '2GB'")
        conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
        conn.execute(DDL)
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy(f"COPY {TABLE} ({', '.join(COPY_COLUMNS)}) FROM STDIN") as copy:
            for a in articles:
                day = dt.date.fromisoformat(a.published) if a.published else None
                canonical = (a.cluster_id or a.id) == a.id
                copy.write_row((
                    a.id, a.title, a.body, a.url, a.source, a.section, a.language, a.authors, day,
                    day.year if day else None, a.cluster_id or a.id, canonical,
                ))  # fmt: skip
                build.articles += 1
                build.canonical += canonical
                if progress is not None and build.articles % 10_000 == 0:
                    progress(build.articles)
        build.seconds["generate + COPY (tsvector computed)"] = time.perf_counter() - started

        def step(label: str, *sql: str) -> None:
            t = time.perf_counter()
            for statement in sql:
                conn.execute(statement)
            build.seconds[label] = time.perf_counter() - t

        step(
            "cluster sizes",
            f"UPDATE {TABLE} t SET cluster_size = c.n FROM (SELECT cluster_id, count(*) AS n FROM {TABLE} "
            "GROUP BY cluster_id HAVING count(*) > 1) c WHERE t.cluster_id = c.cluster_id",
            f"VACUUM {TABLE}",
        )
        step("GIN index", f"CREATE INDEX {TABLE}_gin ON {TABLE} USING gin (tsv)")
        if rum:
            step("RUM index", f"CREATE INDEX {TABLE}_rum ON {TABLE} USING rum (tsv rum_tsvector_ops)")
        step("date index", f"CREATE INDEX {TABLE}_published ON {TABLE} (published)")
        step("VACUUM ANALYZE", f"VACUUM ANALYZE {TABLE}")
        build.sizes = relation_sizes(conn)
    return build


def relation_sizes(conn: psycopg.Connection[Any]) -> dict[str, int]:
    row = conn.execute(
        f"SELECT pg_relation_size('{TABLE}'), pg_relation_size(reltoastrelid), "
        f"pg_total_relation_size('{TABLE}') FROM pg_class WHERE oid = '{TABLE}'::regclass"
    ).fetchone()
    assert row is not None
    sizes = {"heap": int(row[0]), "toast": int(row[1]), "total": int(row[2])}
    for (name,) in conn.execute(
        "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass", (TABLE,)
    ).fetchall():
        sizes[name] = int(conn.execute("SELECT pg_relation_size(%s::regclass)", (name,)).fetchone()[0])  # type: ignore[index]
    cols = conn.execute(
        f"SELECT sum(pg_column_size(tsv)), sum(pg_column_size(body)), sum(octet_length(body)) FROM {TABLE}"
    ).fetchone()
    assert cols is not None
    sizes["tsvector column (stored)"] = int(cols[0])
    sizes["body column (stored)"] = int(cols[1])
    sizes["body text"] = int(cols[2])
    return sizes


def prewarm(dsn: str) -> dict[str, float]:
    """Read every relation of the table into shared buffers (the OS cache for what does not fit)."""
    out: dict[str, float] = {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        names = [TABLE]
        toast = conn.execute(
            f"SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = '{TABLE}'::regclass"
        )
        names += [r[0] for r in toast.fetchall() if r[0] and r[0] != "-"]
        names += [r[0] for r in conn.execute(
            "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass", (TABLE,)).fetchall()]  # fmt: skip
        for name in names:
            t = time.perf_counter()
            conn.execute("SELECT pg_prewarm(%s::regclass, 'prefetch')", (name,))
            conn.execute("SELECT pg_prewarm(%s::regclass, 'buffer')", (name,))
            out[name] = time.perf_counter() - t
    return out


# -- compiling our query tree ------------------------------------------------------------------

_WEIGHT = {"title": "A", "body": "B"}
_ROW_FIELDS = {
    "source": "to_tsvector('simple', source)",
    "section": "to_tsvector('simple', coalesce(section, ''))",
    "author": "to_tsvector('simple', array_to_string(authors, ' '))",
    "url": "to_tsvector('simple', coalesce(url, ''))",
}


@dataclass(slots=True)
class _Part:
    """A compiled clause: a tsquery expression (``tsq``) or a row predicate (``pred``)."""

    kind: str
    sql: str
    params: list[Any]
    rank: list[tuple[str, list[Any]]]  # positive tsquery parts, for ranking and headlines


@dataclass(slots=True)
class Compiled:
    where: str
    params: list[Any]
    rank_sql: str | None
    rank_params: list[Any]


def _tsq(text: str, field: str | None) -> _Part:
    sql = f"phraseto_tsquery('{CONFIG}', %s)"
    if field in _WEIGHT:
        # only lexemes of that field's weight: 'oil' <-> 'price' becomes 'oil':A <-> 'price':A
        sql = f"regexp_replace(({sql})::text, '''(?=[\\s)]|$)', ''':{_WEIGHT[field]}', 'g')::tsquery"
    return _Part("tsq", sql, [text], [(sql, [text])])


def _node(node: QueryNode) -> _Part:
    if isinstance(node, Term | Phrase):
        if node.field in (None, "title", "body"):
            return _tsq(node.text, node.field)
        if node.field in _ROW_FIELDS:
            return _Part(
                "pred", f"{_ROW_FIELDS[node.field]} @@ phraseto_tsquery('simple', %s)", [node.text], []
            )
        if node.field == "lang":
            return _Part("pred", "language = %s", [node.text], [])
        if node.field == "entity":
            return _Part("pred", "%s = ANY(entities)", [node.text], [])
        raise ValueError(f"field {node.field}")
    if isinstance(node, Not):
        inner = _node(node.clause)
        if inner.kind == "tsq":
            return _Part("tsq", f"(!! ({inner.sql}))", inner.params, [])
        return _Part("pred", f"NOT ({inner.sql})", inner.params, [])
    parts = [_node(c) for c in node.clauses]
    rank = [r for p in parts for r in p.rank]
    if all(p.kind == "tsq" for p in parts):
        op = " && " if isinstance(node, And) else " || "
        return _Part(
            "tsq",
            "(" + op.join(f"({p.sql})" for p in parts) + ")",
            [x for p in parts for x in p.params],
            rank,
        )
    op = " AND " if isinstance(node, And) else " OR "
    sql = op.join(f"({_as_pred(p)})" for p in parts)
    return _Part("pred", sql, [x for p in parts for x in p.params], rank)


def _as_pred(part: _Part) -> str:
    return f"tsv @@ ({part.sql})" if part.kind == "tsq" else part.sql


def compile_query(q: IndexQuery) -> Compiled:
    where: list[str] = []
    params: list[Any] = []
    rank_sql: str | None = None
    rank_params: list[Any] = []
    if q.query is not None:
        part = _node(q.query)
        where.append(_as_pred(part))
        params += part.params
        if part.kind == "tsq":
            rank_sql, rank_params = part.sql, list(part.params)
        elif part.rank:
            rank_sql = " || ".join(f"({s})" for s, _ in part.rank)
            rank_params = [x for _, p in part.rank for x in p]
    if q.date_from:
        where.append("published >= %s")
        params.append(q.date_from)
    if q.date_to:
        where.append("published <= %s")
        params.append(q.date_to)
    for column, values in (("source", q.sources), ("section", q.sections), ("language", q.languages)):
        if values:
            where.append(f"{column} = ANY(%s)")
            params.append(list(values))
    if q.entities:
        where.append("entities @> %s")
        params.append(list(q.entities))
    if q.canonical_only:
        where.append("canonical")
    return Compiled(" AND ".join(where) or "true", params, rank_sql, rank_params)


# -- searching ---------------------------------------------------------------------------------

_HIT_COLUMNS = "t.id, t.title, t.url, t.source, t.published, t.section, t.language, t.cluster_id, t.cluster_size, t.versions"
_MARK = re.compile(f"{START}(.*?){STOP}", re.S)


def _excerpt(headline: str) -> Excerpt:
    """ts_headline's text with its ⟦…⟧ marks turned into character ranges."""
    text: list[str] = []
    spans: list[tuple[int, int]] = []
    at = 0
    pos = 0
    for m in _MARK.finditer(headline):
        text.append(headline[pos : m.start()])
        at += m.start() - pos
        text.append(m.group(1))
        spans.append((at, at + len(m.group(1))))
        at += len(m.group(1))
        pos = m.end()
    text.append(headline[pos:])
    return Excerpt("".join(text), tuple(spans))


class PgSearch:
    """Searches ``bench_fts`` the way a PostgreSQL Index would: facets and hits on two connections at once."""

    def __init__(self, dsn: str) -> None:
        self.hits_conn = psycopg.connect(dsn, autocommit=True)
        self.facet_conn = psycopg.connect(dsn, autocommit=True)
        for conn in (self.hits_conn, self.facet_conn):
            conn.add_notice_handler(lambda _diag: None)  # "query contains only stop words" for "of the"
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-facets")
        self.last_ms: dict[str, float] = {}
        """The last search's statements, each timed on its own thread (they overlap): facets, hits."""

    def search(
        self, q: IndexQuery, *, limit: int, offset: int, sort: str, ranking: str, facets: bool = True
    ) -> tuple[int, list[SearchHit], dict[str, dict[str, int]]]:
        c = compile_query(q)
        future = self.pool.submit(self._timed_facets, c) if facets else None
        started = time.perf_counter()
        hits = self._hits(c, limit, offset, sort, ranking)
        self.last_ms["hits"] = (time.perf_counter() - started) * 1000
        total, counts = future.result() if future is not None else (-1, {})
        return total, hits, counts

    def _timed_facets(self, c: Compiled) -> tuple[int, dict[str, dict[str, int]]]:
        started = time.perf_counter()
        try:
            return self._facets(c)
        finally:
            self.last_ms["facets"] = (time.perf_counter() - started) * 1000

    def _facets(self, c: Compiled) -> tuple[int, dict[str, dict[str, int]]]:
        rows = self.facet_conn.execute(_facet_statement(c), c.params).fetchall()
        total = 0
        found: dict[str, Counter[str]] = {k: Counter() for k in ("source", "section", "language", "year")}
        for g, source, section, language, year, n in rows:
            if g == 15:
                total = int(n)
            elif g == 7 and source is not None:
                found["source"][source] = n
            elif g == 11 and section is not None:
                found["section"][section] = n
            elif g == 13 and language is not None:
                found["language"][language] = n
            elif g == 14 and year is not None:
                found["year"][str(year)] = n
        return total, {k: dict(v.most_common(FACET_SIZE)) for k, v in found.items()}

    def _hits(self, c: Compiled, limit: int, offset: int, sort: str, ranking: str) -> list[SearchHit]:
        sql, params = _hits_statement(c, limit, offset, sort, ranking)
        rows = self.hits_conn.execute(sql, params).fetchall()
        hits = []
        for row in rows:
            id_, title, url, source, published, section, language, cluster_id, size, versions, score, head = (
                row
            )
            excerpt = (
                _excerpt(head or "") if c.rank_sql is not None else Excerpt(" ".join((head or "").split()))
            )
            hits.append(SearchHit(
                id_, round(float(score or 0), 4), title, url, source, published.isoformat() if published else None,
                section, language, snippet_html(excerpt), max(0, size - 1), cluster_id, versions,
            ))  # fmt: skip
        return hits

    def explain(self, q: IndexQuery, limit: int, offset: int, sort: str, ranking: str) -> tuple[str, str]:
        """EXPLAIN ANALYZE of the two statements of a search, for the report."""
        c = compile_query(q)
        explain = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) "
        facet = self.facet_conn.execute(explain + _facet_statement(c), c.params).fetchall()
        sql, params = _hits_statement(c, limit, offset, sort, ranking)
        hits = self.hits_conn.execute(explain + sql, params).fetchall()
        return "\n".join(r[0] for r in facet), "\n".join(r[0] for r in hits)

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.hits_conn.close()
        self.facet_conn.close()


def _facet_statement(c: Compiled) -> str:
    return (
        "SELECT GROUPING(source, section, language, year), source, section, language, year, count(*) "
        f"FROM {TABLE} WHERE {c.where} GROUP BY GROUPING SETS ((source), (section), (language), (year), ())"
    )


def _hits_statement(c: Compiled, limit: int, offset: int, sort: str, ranking: str) -> tuple[str, list[Any]]:
    """One page of hits: the ordered ids (an inner statement), then their records and headlines."""
    rq = c.rank_sql
    params: list[Any] = []
    if sort in ("date", "date_asc"):
        direction = "DESC NULLS LAST" if sort == "date" else "ASC NULLS LAST"
        inner = (
            f"SELECT id, 0::real AS score, published FROM {TABLE} WHERE {c.where} "
            f"ORDER BY published {direction}, id LIMIT %s OFFSET %s"
        )
        params += c.params
        order = f"s.published {direction}, s.id"
    elif rq is None:
        inner = f"SELECT id, 0::real AS score FROM {TABLE} WHERE {c.where} ORDER BY id LIMIT %s OFFSET %s"
        params += c.params
        order = "s.id"
    elif ranking == "rum":
        # the RUM index hands back matches in rank order (1 / distance = its rank)
        inner = (
            f"SELECT id, 1 / (tsv <=> ({rq}))::real AS score FROM {TABLE} WHERE {c.where} "
            f"ORDER BY tsv <=> ({rq}) LIMIT %s OFFSET %s"
        )
        params += c.rank_params + c.params + c.rank_params
        order = "s.score DESC"
    else:
        inner = (
            f"SELECT id, ts_rank('{RANK_WEIGHTS}', tsv, ({rq})) AS score FROM {TABLE} WHERE {c.where} "
            "ORDER BY score DESC, id LIMIT %s OFFSET %s"
        )
        params += c.rank_params + c.params
        order = "s.score DESC, s.id"
    params += [limit, offset]
    if rq is not None:
        headline = f"ts_headline('{CONFIG}', t.body, ({rq}), '{HEADLINE}')"
        params = c.rank_params + params  # the headline comes first in the statement's text
    else:
        headline = "left(t.body, 400)"
    sql = (
        f"SELECT {_HIT_COLUMNS}, s.score, {headline} FROM ({inner}) s JOIN {TABLE} t ON t.id = s.id "
        f"ORDER BY {order}"
    )
    return sql, params
