"""SQLite tables for enrichment: mentions, entities, roles, quotes and events of each article.

An article's enrichment is replaced as a whole inside the caller's transaction, keyed by the
body hash it was computed from, so a killed ``enrich`` resumes where it stopped and a body
rewritten by chrome learning is enriched again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from newsarchive.model import Enrichment, Entity, EntityDetail, Event, Mention, Quote, Role
from newsarchive.store.base import EnrichmentTask

ENRICHMENT_SCHEMA = """
CREATE TABLE IF NOT EXISTS enriched (article_id TEXT PRIMARY KEY, body_hash TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    text TEXT NOT NULL, label TEXT NOT NULL, entity TEXT
);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity, article_id);
CREATE TABLE IF NOT EXISTS entity_names (
    article_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, aliases TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entity_names_name ON entity_names(name);
CREATE INDEX IF NOT EXISTS entity_names_article ON entity_names(article_id);
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
            "INSERT INTO mentions(article_id, start, end, text, label, entity) VALUES (?,?,?,?,?,?)",
            [(aid, m.start, m.end, m.text, m.label, m.entity) for m in enrichment.mentions],
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

    def article_entities(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """Canonical entity names per article (for the index's entity field and facets)."""
        out: dict[str, list[str]] = {}
        wanted = list(ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for aid, name in self._db.execute(
                f"SELECT article_id, name FROM entity_names WHERE article_id IN ({marks})", chunk
            ):
                out.setdefault(str(aid), []).append(str(name))
        return out

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
            Mention(article_id, s, e, t, lab, ent)
            for s, e, t, lab, ent in db.execute(
                "SELECT start, end, text, label, entity FROM mentions WHERE article_id = ? ORDER BY start",
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
            count = sum(1 for m in mentions if m.entity == name)
            entities.append(Entity(name, typ, json.loads(aliases), roles, count, 1))
        return Enrichment(
            article_id,
            mentions,
            entities,
            self._quotes("article_id = ?", (article_id,)),
            self._events("article_id = ?", (article_id,)),
        )

    def entities(self, limit: int, type_: str | None = None) -> list[Entity]:
        """Entities across the archive, most mentioned first."""
        where = "WHERE type = ?" if type_ else ""
        params: tuple[Any, ...] = (type_,) if type_ else ()
        rows = self._db.execute(
            f"SELECT name, MIN(type), COUNT(DISTINCT article_id) FROM entity_names {where} GROUP BY name "
            "ORDER BY 3 DESC, name LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [self._entity(name, typ, n) for name, typ, n in rows]

    def _entity(self, name: str, typ: str, n_articles: int) -> Entity:
        aliases: set[str] = set()
        for (raw,) in self._db.execute("SELECT aliases FROM entity_names WHERE name = ?", (name,)):
            aliases.update(json.loads(raw))
        aliases.discard(name)
        mentions = int(
            self._db.execute("SELECT COUNT(*) FROM mentions WHERE entity = ?", (name,)).fetchone()[0]
        )
        roles: dict[tuple[str, str | None], Role] = {}
        for aid, title, of, as_of, s, e in self._db.execute(
            "SELECT article_id, title, of, as_of, start, end FROM roles WHERE entity = ? ORDER BY as_of",
            (name,),
        ):
            key = (title, of)
            if key not in roles:  # earliest dated sighting of each title starts the timeline
                roles[key] = Role(name, title, of, as_of, aid, s, e)
        timeline = sorted(roles.values(), key=lambda r: (r.as_of or "9999", r.title))
        return Entity(name, typ, sorted(aliases), timeline, mentions, n_articles)

    def resolve_entity(self, name: str) -> str | None:
        """The canonical name for a name or alias: exact name, then a known alias, then a unique surname.

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
        return str(rows[0][0])

    def entity_detail(self, name: str) -> EntityDetail | None:
        canonical = self.resolve_entity(name)
        if canonical is None:
            return None
        row = self._db.execute(
            "SELECT name, MIN(type), COUNT(DISTINCT article_id) FROM entity_names WHERE name = ? GROUP BY name",
            (canonical,),
        ).fetchone()
        entity = self._entity(row[0], row[1], row[2])
        months = {
            str(m): int(n)
            for m, n in self._db.execute(
                "SELECT substr(a.published, 1, 7), COUNT(*) FROM mentions m JOIN articles a ON a.id = m.article_id "
                "WHERE m.entity = ? AND a.published IS NOT NULL GROUP BY 1 ORDER BY 1",
                (entity.name,),
            )
        }
        cooccurring = [
            (str(other), int(n))
            for other, n in self._db.execute(
                "SELECT b.name, COUNT(DISTINCT b.article_id) FROM entity_names a JOIN entity_names b "
                "ON a.article_id = b.article_id AND b.name != a.name WHERE a.name = ? GROUP BY b.name "
                "ORDER BY 2 DESC, 1 LIMIT 25",
                (entity.name,),
            )
        ]
        quotes = self._quotes("speaker_entity = ?", (entity.name,))
        events = self._events("source = ? OR target = ?", (entity.name, entity.name))
        return EntityDetail(entity, months, cooccurring, quotes, events)

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
        if speaker:
            return self._quotes(
                "speaker_entity = ? COLLATE NOCASE OR speaker LIKE ? ESCAPE '\\'",
                (speaker, f"%{_like(speaker)}%"),
                limit,
            )
        return self._quotes("1 = 1", (), limit)

    def find_events(
        self, actors: list[str], date_from: str | None, date_to: str | None, types: list[str], limit: int
    ) -> list[Event]:
        clauses: list[str] = []
        params: list[Any] = []
        for actor in actors:
            clauses.append("(source = ? COLLATE NOCASE OR target = ? COLLATE NOCASE)")
            params += [actor, actor]
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
            for aid, s, e, t, lab, ent in self._db.execute(
                "SELECT article_id, start, end, text, label, entity FROM mentions ORDER BY rowid"
            ):
                yield Mention(aid, s, e, t, lab, ent).to_json()
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
