"""SQLite tables for enrichment: mentions, entities, roles, quotes and events of each article.

An article's enrichment is replaced as a whole inside the caller's transaction, keyed by the
body hash it was computed from, so a killed ``enrich`` resumes where it stopped and a body
rewritten by chrome learning is enriched again.

``entity_links`` says which canonical names of different articles are one entity ("Obama" and
"Barack Obama"): each linked name with the name its entity is shown by, the whole table
replaced from the archive's names (``put_entity_links``), so it does not depend on ingest order.
Entity lists and pages read an entity as its linked names together; a name not in the table is
an entity of its own.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from newsarchive.model import Enrichment, Entity, EntityDetail, Event, Mention, Quote, Role
from newsarchive.store.base import EnrichmentTask, unique_per_key

ENRICHMENT_SCHEMA = """
CREATE TABLE IF NOT EXISTS enriched (article_id TEXT PRIMARY KEY, body_hash TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    text TEXT NOT NULL, label TEXT NOT NULL, entity TEXT, kind TEXT NOT NULL DEFAULT 'name'
);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity, article_id);
CREATE TABLE IF NOT EXISTS entity_names (
    article_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, aliases TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entity_names_name ON entity_names(name);
CREATE INDEX IF NOT EXISTS entity_names_article ON entity_names(article_id);
CREATE TABLE IF NOT EXISTS entity_links (name TEXT PRIMARY KEY, entity TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entity_links_entity ON entity_links(entity);
CREATE TABLE IF NOT EXISTS roles (
    article_id TEXT NOT NULL, entity TEXT NOT NULL, title TEXT NOT NULL, of TEXT, as_of TEXT,
    start INTEGER NOT NULL, end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS roles_entity ON roles(entity);
CREATE INDEX IF NOT EXISTS roles_article ON roles(article_id);
CREATE TABLE IF NOT EXISTS quotes (
    article_id TEXT NOT NULL, speaker TEXT, speaker_entity TEXT, cue TEXT NOT NULL, text TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, direct INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article_id);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_entity);
CREATE TABLE IF NOT EXISTS events (
    id TEXT NOT NULL, article_id TEXT NOT NULL, type TEXT NOT NULL, source TEXT, target TEXT,
    location TEXT, date TEXT, date_status TEXT NOT NULL, evidence TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_article ON events(article_id);
CREATE INDEX IF NOT EXISTS events_source ON events(source);
CREATE INDEX IF NOT EXISTS events_target ON events(target);
"""

_TABLES = ("mentions", "entity_names", "roles", "quotes", "events", "enriched")


class EnrichmentTables:
    """Mixed into SQLiteStore: reads and writes the enrichment tables on its connection."""

    if TYPE_CHECKING:

        @property
        def _db(self) -> sqlite3.Connection: ...

        def transaction(self) -> AbstractContextManager[None]: ...

    def create_enrichment_tables(self) -> None:
        self._db.executescript(ENRICHMENT_SCHEMA)

    def pending_enrichment(self, limit: int, wanted_only: bool = False) -> list[EnrichmentTask]:
        """Articles never enriched or whose body changed since.

        ``wanted_only`` keeps those stored while enrichment was switched on (ingest's share).
        """
        wanted = "a.enrich_wanted = 1 AND " if wanted_only else ""
        rows = self._db.execute(
            "SELECT a.id, a.body, a.published, a.body_hash, a.language FROM articles a LEFT JOIN enriched e "
            f"ON e.article_id = a.id WHERE {wanted}(e.article_id IS NULL OR e.body_hash != a.body_hash) "
            "AND NOT EXISTS (SELECT 1 FROM skipped s WHERE s.article_id = a.id AND s.stage = 'enrich' "
            "AND s.body_hash = a.body_hash) "
            "ORDER BY a.seq LIMIT ?",
            (limit,),
        ).fetchall()
        return [EnrichmentTask(str(i), str(b), p, str(h), lang) for i, b, p, h, lang in rows]

    def put_enrichment(self, enrichment: Enrichment, body_hash: str, at: str) -> None:
        aid = enrichment.article_id
        self.delete_enrichment(aid)
        self._db.executemany(
            "INSERT INTO mentions(article_id, start, end, text, label, entity, kind) VALUES (?,?,?,?,?,?,?)",
            [(aid, m.start, m.end, m.text, m.label, m.entity, m.kind) for m in enrichment.mentions],
        )
        self._db.executemany(
            "INSERT INTO entity_names(article_id, name, type, aliases) VALUES (?,?,?,?)",
            [(aid, e.name, e.type, json.dumps(sorted(set(e.aliases)))) for e in enrichment.entities],
        )
        self._db.executemany(
            "INSERT INTO roles(article_id, entity, title, of, as_of, start, end) VALUES (?,?,?,?,?,?,?)",
            [
                (aid, r.entity, r.title, r.of, r.as_of, r.start, r.end)
                for e in enrichment.entities
                for r in e.roles
            ],
        )
        self._db.executemany(
            "INSERT INTO quotes(article_id, speaker, speaker_entity, cue, text, start, end, direct) "
            "VALUES (?,?,?,?,?,?,?,?)",
            [
                (aid, q.speaker, q.speaker_entity, q.cue, q.text, q.start, q.end, int(q.direct))
                for q in enrichment.quotes
            ],
        )
        self._db.executemany(
            "INSERT INTO events(id, article_id, type, source, target, location, date, date_status, evidence, "
            "start, end) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    e.id,
                    aid,
                    e.type,
                    e.source,
                    e.target,
                    e.location,
                    e.date,
                    e.date_status,
                    e.evidence_text,
                    e.start,
                    e.end,
                )
                for e in enrichment.events
            ],
        )
        self._db.execute(
            "INSERT OR REPLACE INTO enriched(article_id, body_hash, at) VALUES (?,?,?)", (aid, body_hash, at)
        )

    def delete_enrichment(self, article_id: str) -> None:
        for table in _TABLES:
            self._db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        self._db.execute(  # the archive's names changed: link them again (entity_links_stale)
            "INSERT INTO meta(key, value) VALUES ('entity_links', 'stale') "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE value != excluded.value"
        )

    def article_entities(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """Canonical entity names per article (for the index's entity field and facets), then the
        names their entities are shown by when linked (``entity_links``), so a search for
        "Barack Obama" finds the article that said "Obama"."""
        out: dict[str, list[str]] = {}
        shown: dict[str, list[str]] = {}
        wanted = list(ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for aid, name, linked in self._db.execute(
                "SELECT n.article_id, n.name, l.entity FROM entity_names n LEFT JOIN entity_links l "
                f"ON l.name = n.name WHERE n.article_id IN ({marks}) ORDER BY n.rowid",
                chunk,
            ):
                out.setdefault(str(aid), []).append(str(name))
                if linked is not None:
                    shown.setdefault(str(aid), []).append(str(linked))
        for aid, names in shown.items():
            out[aid].extend(n for n in dict.fromkeys(names) if n not in out[aid])
        return out

    def article_entities_shown(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """Per article, the name each of its entities is shown by (its linked name, or its own),
        once each: what the entity facet counts, so "Obama" and "Barack Obama" are one value."""
        rows: list[tuple[str, str]] = []
        wanted = list(ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows += self._db.execute(
                "SELECT n.article_id, COALESCE(l.entity, n.name) FROM entity_names n LEFT JOIN entity_links l "
                f"ON l.name = n.name WHERE n.article_id IN ({marks}) ORDER BY n.rowid",
                chunk,
            ).fetchall()
        return unique_per_key(rows)

    def entity_types(self, names: Iterable[str]) -> dict[str, str]:
        """The type (PERSON, ORG, GPE…) of each of these canonical entity names that is stored."""
        out: dict[str, str] = {}
        wanted = list(dict.fromkeys(names))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for name, typ in self._db.execute(
                f"SELECT name, MIN(type) FROM entity_names WHERE name IN ({marks}) GROUP BY name", chunk
            ):
                out[str(name)] = str(typ)
        return out

    def enrichment_of(self, article_id: str) -> Enrichment:
        """One article's stored enrichment."""
        db = self._db
        mentions = [
            Mention(article_id, s, e, t, lab, ent, kind)
            for s, e, t, lab, ent, kind in db.execute(
                "SELECT start, end, text, label, entity, kind FROM mentions WHERE article_id = ? "
                "ORDER BY start, rowid",
                (article_id,),
            )
        ]
        entities = []
        for name, typ, aliases in db.execute(
            "SELECT name, type, aliases FROM entity_names WHERE article_id = ?", (article_id,)
        ):
            roles = [
                Role(name, t, o, a, article_id, s, e)
                for t, o, a, s, e in db.execute(
                    "SELECT title, of, as_of, start, end FROM roles WHERE article_id = ? AND entity = ?",
                    (article_id, name),
                )
            ]
            count = sum(1 for m in mentions if m.entity == name and m.kind == "name")
            entities.append(Entity(name, typ, json.loads(aliases), roles, count, 1))
        return Enrichment(
            article_id,
            mentions,
            entities,
            self._quotes("article_id = ?", (article_id,)),
            self._events("article_id = ?", (article_id,)),
        )

    def entities(self, limit: int, type_: str | None = None) -> list[Entity]:
        """Entities across the archive (linked names together), in most articles first."""
        where = "WHERE n.type = ?" if type_ else ""
        params: tuple[Any, ...] = (type_,) if type_ else ()
        rows = self._db.execute(
            "SELECT COALESCE(l.entity, n.name) AS shown, COUNT(DISTINCT n.article_id) FROM entity_names n "
            f"LEFT JOIN entity_links l ON l.name = n.name {where} GROUP BY shown ORDER BY 2 DESC, shown LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [self._entity(name, n) for name, n in rows]

    def entity_name_counts(self) -> list[tuple[str, str, int]]:
        """Each (canonical name, type) stored, with the number of articles that have it, in name order."""
        return [
            (str(name), str(typ), int(n))
            for name, typ, n in self._db.execute(
                "SELECT name, type, COUNT(DISTINCT article_id) FROM entity_names GROUP BY name, type "
                "ORDER BY name, type"
            )
        ]

    def put_entity_links(self, links: Mapping[str, str]) -> None:
        """Replace the archive's name links: each canonical name with the name of the entity it is
        one with (a name linked to itself, or to a name never stored, is not kept). Articles with
        a name whose link changed are indexed again (their entity field holds the linked names)."""
        known = {str(n) for (n,) in self._db.execute("SELECT DISTINCT name FROM entity_names")}
        rows = sorted((n, e) for n, e in links.items() if n != e and n in known and e in known)
        with self.transaction():
            old = self.entity_links()
            self._db.execute("DELETE FROM entity_links")
            self._db.executemany("INSERT INTO entity_links(name, entity) VALUES (?,?)", rows)
            self._db.execute(
                "INSERT INTO meta(key, value) VALUES ('entity_links', 'fresh') "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
            )
            new = dict(rows)
            changed = sorted(n for n in old.keys() | new.keys() if old.get(n) != new.get(n))
            for start in range(0, len(changed), 500):  # their articles' entity field is indexed again
                chunk = changed[start : start + 500]
                marks = ",".join("?" * len(chunk))
                self._db.execute(
                    "UPDATE articles SET indexed = 0 WHERE indexed != 0 AND id IN "
                    f"(SELECT article_id FROM entity_names WHERE name IN ({marks}))",
                    chunk,
                )

    def entity_links_stale(self) -> bool:
        """Whether an article's enrichment was written or removed since the names were last linked
        (an archive from before the links, with entities, is stale too)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'entity_links'").fetchone()
        if row is None:
            return self._db.execute("SELECT 1 FROM entity_names LIMIT 1").fetchone() is not None
        return str(row[0]) == "stale"

    def entity_links(self) -> dict[str, str]:
        """The stored name links (``put_entity_links``): linked name -> the name its entity is shown by."""
        return {str(n): str(e) for n, e in self._db.execute("SELECT name, entity FROM entity_links")}

    def _linked(self, name: str) -> str:
        row = self._db.execute("SELECT entity FROM entity_links WHERE name = ?", (name,)).fetchone()
        return name if row is None else str(row[0])

    def _members(self, shown: str) -> list[str]:
        """The canonical names of one entity: the name it is shown by, then the names linked to it."""
        rows = self._db.execute("SELECT name FROM entity_links WHERE entity = ? ORDER BY name", (shown,))
        return [shown, *(str(n) for (n,) in rows)]

    def _entity(self, name: str, n_articles: int) -> Entity:
        """One entity by the name it is shown by, read over all its linked names."""
        members = self._members(name)
        marks = ",".join("?" * len(members))
        row = self._db.execute("SELECT MIN(type) FROM entity_names WHERE name = ?", (name,)).fetchone()
        typ = str(row[0]) if row and row[0] is not None else ""
        aliases: set[str] = set(members)
        for (raw,) in self._db.execute(f"SELECT aliases FROM entity_names WHERE name IN ({marks})", members):
            aliases.update(json.loads(raw))
        aliases.discard(name)
        mentions = int(
            self._db.execute(
                f"SELECT COUNT(*) FROM mentions WHERE entity IN ({marks}) AND kind = 'name'", members
            ).fetchone()[0]
        )
        roles: dict[tuple[str, str | None], Role] = {}
        for aid, title, of, as_of, s, e in self._db.execute(
            f"SELECT article_id, title, of, as_of, start, end FROM roles WHERE entity IN ({marks}) "
            "ORDER BY as_of, rowid",
            members,
        ):
            key = (title, of)
            if key not in roles:  # earliest dated sighting of each title starts the timeline
                roles[key] = Role(name, title, of, as_of, aid, s, e)
        timeline = sorted(roles.values(), key=lambda r: (r.as_of or "9999", r.title))
        return Entity(name, typ, sorted(aliases), timeline, mentions, n_articles)

    def resolve_entity(self, name: str) -> str | None:
        """The entity for a name or alias: exact name, then a known alias, then a unique surname,
        then the name its entity is shown by (``entity_links``).

        Exact matches prefer full names, so an article that only said "Netanyahu" does not hide
        "Benjamin Netanyahu"; the most widely seen candidate wins.
        """
        db = self._db
        rows = db.execute(
            "SELECT name, COUNT(DISTINCT article_id) FROM entity_names WHERE name = ? COLLATE NOCASE "
            "OR aliases LIKE ? ESCAPE '\\' GROUP BY name",
            (name, f'%"{_like(name)}"%'),
        ).fetchall()
        if not rows and " " not in name.strip():
            rows = db.execute(
                "SELECT name, COUNT(DISTINCT article_id) FROM entity_names WHERE type = 'PERSON' "
                "AND name LIKE ? ESCAPE '\\' GROUP BY name",
                (f"% {_like(name.strip())}",),
            ).fetchall()
        if not rows:
            return None
        rows.sort(key=lambda r: (-(" " in r[0]), -r[1], r[0]))
        return self._linked(str(rows[0][0]))

    def entity_detail(self, name: str) -> EntityDetail | None:
        shown = self.resolve_entity(name)
        if shown is None:
            return None
        members = self._members(shown)
        marks = ",".join("?" * len(members))
        n_articles = int(
            self._db.execute(
                f"SELECT COUNT(DISTINCT article_id) FROM entity_names WHERE name IN ({marks})", members
            ).fetchone()[0]
        )
        if n_articles == 0:
            return None
        entity = self._entity(shown, n_articles)
        months = {
            str(m): int(n)
            for m, n in self._db.execute(
                "SELECT substr(a.published, 1, 7), COUNT(*) FROM mentions m JOIN articles a ON a.id = m.article_id "
                f"WHERE m.entity IN ({marks}) AND m.kind = 'name' AND a.published IS NOT NULL GROUP BY 1 ORDER BY 1",
                members,
            )
        }
        cooccurring = [
            (str(other), int(n))
            for other, n in self._db.execute(
                "SELECT COALESCE(l.entity, b.name) AS other, COUNT(DISTINCT b.article_id) FROM entity_names a "
                "JOIN entity_names b ON a.article_id = b.article_id LEFT JOIN entity_links l ON l.name = b.name "
                f"WHERE a.name IN ({marks}) AND b.name NOT IN ({marks}) GROUP BY other ORDER BY 2 DESC, 1 LIMIT 25",
                (*members, *members),
            )
        ]
        quotes = self._quotes(f"speaker_entity IN ({marks})", tuple(members))
        events = self._events(f"source IN ({marks}) OR target IN ({marks})", (*members, *members))
        return EntityDetail(entity, months, cooccurring, quotes, events)

    def _stored_name(self, name: str) -> str:
        """A name as stored (case aside), or as given when no article has it."""
        row = self._db.execute(
            "SELECT name FROM entity_names WHERE name = ? COLLATE NOCASE ORDER BY name = ? DESC LIMIT 1",
            (name, name),
        ).fetchone()
        return name if row is None else str(row[0])

    def _quotes(self, where: str, params: tuple[Any, ...], limit: int = 500) -> list[Quote]:
        return [
            Quote(sp, se, cue, text, aid, s, e, bool(direct))
            for aid, sp, se, cue, text, s, e, direct in self._db.execute(
                f"SELECT article_id, speaker, speaker_entity, cue, text, start, end, direct FROM quotes WHERE {where} "
                "ORDER BY rowid LIMIT ?",
                (*params, limit),
            )
        ]

    def _events(self, where: str, params: tuple[Any, ...], limit: int = 1000) -> list[Event]:
        return [
            Event(i, t, so, ta, loc, d, st, aid, ev, s, e)
            for i, aid, t, so, ta, loc, d, st, ev, s, e in self._db.execute(
                "SELECT id, article_id, type, source, target, location, date, date_status, evidence, start, end "
                f"FROM events WHERE {where} ORDER BY date, rowid LIMIT ?",
                (*params, limit),
            )
        ]

    def find_quotes(self, speaker: str | None, limit: int) -> list[Quote]:
        """Quotes, of a speaker when given: by any name of its entity (``entity_links``), or as written."""
        if speaker:
            members = self._members(self._linked(self._stored_name(speaker)))
            marks = ",".join("?" * len(members))
            return self._quotes(
                f"speaker_entity = ? COLLATE NOCASE OR speaker_entity IN ({marks}) OR speaker LIKE ? ESCAPE '\\'",
                (speaker, *members, f"%{_like(speaker)}%"),
                limit,
            )
        return self._quotes("1 = 1", (), limit)

    def find_events(
        self, actors: list[str], date_from: str | None, date_to: str | None, types: list[str], limit: int
    ) -> list[Event]:
        clauses: list[str] = []
        params: list[Any] = []
        for actor in actors:
            # an actor is any name of its entity (entity_links), else the name as given
            members = self._members(self._linked(self._stored_name(actor)))
            marks = ",".join("?" * len(members))
            clauses.append(
                f"(source = ? COLLATE NOCASE OR target = ? COLLATE NOCASE OR source IN ({marks}) "
                f"OR target IN ({marks}))"
            )
            params += [actor, actor, *members, *members]
        if date_from or date_to:
            clauses.append("date GLOB '[0-9]*'")  # a date range cannot place an event whose year is unknown
        if date_from:
            clauses.append("date >= ?")
            params.append(date_from)
        if date_to:
            clauses.append("date <= ? || '~'")
            params.append(date_to)
        if types:
            clauses.append(f"type IN ({','.join('?' * len(types))})")
            params += [t.upper() for t in types]
        where = " AND ".join(clauses) or "1 = 1"
        return self._events(where, tuple(params), limit)

    def iter_enrichment_rows(self, what: str) -> Iterable[dict[str, Any]]:
        """Rows for export: mentions, quotes, events (JSON contract) or entities."""
        if what == "mentions":
            for aid, s, e, t, lab, ent, kind in self._db.execute(
                "SELECT article_id, start, end, text, label, entity, kind FROM mentions ORDER BY rowid"
            ):
                yield Mention(aid, s, e, t, lab, ent, kind).to_json()
        elif what == "quotes":
            for q in self._quotes("1 = 1", (), limit=-1):
                yield q.to_json()
        elif what == "events":
            for ev in self._events("1 = 1", (), limit=-1):
                yield ev.to_json()
        elif what == "entities":
            for entity in self.entities(limit=-1):
                yield entity.to_json()
        else:
            raise ValueError(what)


def _like(text: str) -> str:
    """Text matched literally inside a LIKE pattern (``%`` and ``_`` are a user's characters)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
