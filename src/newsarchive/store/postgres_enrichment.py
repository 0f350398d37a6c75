"""PostgreSQL tables for enrichment: mentions, entities, roles, quotes and events of each article
(the meaning of store/sqlite_enrichment.py).

An article's enrichment is replaced as a whole, keyed by the body hash it was computed from,
under a lock on the article so two writers enriching it at once leave one set of rows, not two.
Name matching follows SQLite's: case-insensitive for ASCII letters (the ``C`` collation's
``lower``, as SQLite's NOCASE and LIKE), with ``%`` and ``_`` in a user's name taken literally.
``entity_links`` holds the names linked across articles as one entity, as in SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from newsarchive.model import Enrichment, Entity, EntityDetail, Event, Mention, Quote, Role
from newsarchive.store.base import EnrichmentTask, unique_per_key
from newsarchive.store.postgres_connection import PostgresConnections

_TABLES = ("mentions", "entity_names", "roles", "quotes", "events", "enriched")
_QUOTE_COLUMNS = "article_id, speaker, speaker_entity, cue, text, start_offset, end_offset, direct"
_EVENT_COLUMNS = (
    "id, article_id, type, source, target, location, date, date_status, evidence, start_offset, end_offset"
)


class PostgresEnrichment(PostgresConnections):
    """Mixed into PostgresStore: reads and writes the enrichment tables."""

    def pending_enrichment(self, limit: int, wanted_only: bool = False) -> list[EnrichmentTask]:
        """Articles never enriched or whose body changed since.

        ``wanted_only`` keeps those stored while enrichment was switched on (ingest's share).
        """
        wanted = "a.enrich_wanted AND " if wanted_only else ""
        rows = self._rows(
            "SELECT a.id, a.body, a.published, a.body_hash, a.language FROM articles a LEFT JOIN enriched e "
            f"ON e.article_id = a.id WHERE {wanted}(e.article_id IS NULL OR e.body_hash <> a.body_hash) "
            "AND NOT EXISTS (SELECT 1 FROM skipped s WHERE s.article_id = a.id AND s.stage = 'enrich' "
            "AND s.body_hash = a.body_hash) ORDER BY a.seq LIMIT %s",
            (None if limit < 0 else limit,),
        )
        return [EnrichmentTask(str(i), str(b), p, str(h), lang) for i, b, p, h, lang in rows]

    def put_enrichment(self, enrichment: Enrichment, body_hash: str, at: str) -> None:
        aid = enrichment.article_id
        with self._batch():
            self._hold("enrich", aid)
            self.delete_enrichment(aid)
            self._execute_many(
                "INSERT INTO mentions(article_id, start_offset, end_offset, text, label, entity, kind) "
                "VALUES (%s,%s,%s,%s,%s,%s,%s)",
                [(aid, m.start, m.end, m.text, m.label, m.entity, m.kind) for m in enrichment.mentions],
            )
            self._execute_many(
                "INSERT INTO entity_names(article_id, name, type, aliases) VALUES (%s,%s,%s,%s)",
                [(aid, e.name, e.type, sorted(set(e.aliases))) for e in enrichment.entities],
            )
            self._execute_many(
                "INSERT INTO roles(article_id, entity, title, role_of, as_of, start_offset, end_offset) "
                "VALUES (%s,%s,%s,%s,%s,%s,%s)",
                [
                    (aid, r.entity, r.title, r.of, r.as_of, r.start, r.end)
                    for e in enrichment.entities
                    for r in e.roles
                ],
            )
            self._execute_many(
                f"INSERT INTO quotes({_QUOTE_COLUMNS}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
                [
                    (aid, q.speaker, q.speaker_entity, q.cue, q.text, q.start, q.end, q.direct)
                    for q in enrichment.quotes
                ],
            )
            self._execute_many(
                f"INSERT INTO events({_EVENT_COLUMNS}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
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
            self._execute(
                "INSERT INTO enriched(article_id, body_hash, at) VALUES (%s,%s,%s) "
                "ON CONFLICT (article_id) DO UPDATE SET body_hash = excluded.body_hash, at = excluded.at",
                (aid, body_hash, at),
            )

    def delete_enrichment(self, article_id: str) -> None:
        for table in _TABLES:
            self._execute(f"DELETE FROM {table} WHERE article_id = %s", (article_id,))
        self._execute(  # the archive's names changed: link them again (entity_links_stale)
            "INSERT INTO meta(key, value) VALUES ('entity_links', 'stale') "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE meta.value <> excluded.value"
        )

    def article_entities(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """Canonical entity names per article (for the index's entity field and facets), then the
        names their entities are shown by when linked (``entity_links``), as in SQLite."""
        wanted = list(dict.fromkeys(ids))
        out: dict[str, list[str]] = {}
        if not wanted:
            return out
        shown: dict[str, list[str]] = {}
        for aid, name, linked in self._rows(
            "SELECT n.article_id, n.name, l.entity FROM entity_names n LEFT JOIN entity_links l ON l.name = n.name "
            "WHERE n.article_id = ANY(%s::text[]) ORDER BY n.seq",
            (wanted,),
        ):
            out.setdefault(str(aid), []).append(str(name))
            if linked is not None:
                shown.setdefault(str(aid), []).append(str(linked))
        for aid, names in shown.items():
            out[aid].extend(n for n in dict.fromkeys(names) if n not in out[aid])
        return out

    def article_entities_shown(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """Per article, the name each of its entities is shown by, once each, as in SQLite."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        return unique_per_key(
            self._rows(
                "SELECT n.article_id, COALESCE(l.entity, n.name) FROM entity_names n LEFT JOIN entity_links l "
                "ON l.name = n.name WHERE n.article_id = ANY(%s::text[]) ORDER BY n.seq",
                (wanted,),
            )
        )

    def entity_types(self, names: Iterable[str]) -> dict[str, str]:
        """The type (PERSON, ORG, GPE…) of each of these canonical entity names that is stored."""
        wanted = list(dict.fromkeys(names))
        if not wanted:
            return {}
        return {
            str(name): str(typ)
            for name, typ in self._rows(
                "SELECT name, MIN(type) FROM entity_names WHERE name = ANY(%s::text[]) GROUP BY name",
                (wanted,),
            )
        }

    def enrichment_of(self, article_id: str) -> Enrichment:
        """One article's stored enrichment."""
        mentions = [
            Mention(article_id, s, e, t, lab, ent, kind)
            for s, e, t, lab, ent, kind in self._rows(
                "SELECT start_offset, end_offset, text, label, entity, kind FROM mentions WHERE article_id = %s "
                "ORDER BY start_offset, seq",
                (article_id,),
            )
        ]
        roles: dict[str, list[Role]] = {}
        for name, title, of, as_of, s, e in self._rows(
            "SELECT entity, title, role_of, as_of, start_offset, end_offset FROM roles WHERE article_id = %s "
            "ORDER BY seq",
            (article_id,),
        ):
            roles.setdefault(name, []).append(Role(name, title, of, as_of, article_id, s, e))
        entities = [
            Entity(
                name,
                typ,
                list(aliases),
                roles.get(name, []),
                sum(1 for m in mentions if m.entity == name and m.kind == "name"),
                1,
            )
            for name, typ, aliases in self._rows(
                "SELECT name, type, aliases FROM entity_names WHERE article_id = %s ORDER BY seq",
                (article_id,),
            )
        ]
        return Enrichment(
            article_id,
            mentions,
            entities,
            self._quotes("article_id = %s", (article_id,)),
            self._events("article_id = %s", (article_id,)),
        )

    def entities(self, limit: int, type_: str | None = None) -> list[Entity]:
        """Entities across the archive (linked names together), in most articles first (``limit`` < 0: all)."""
        where = "WHERE n.type = %s" if type_ else ""
        params: tuple[Any, ...] = (type_,) if type_ else ()
        rows = self._rows(
            "SELECT COALESCE(l.entity, n.name) AS shown, COUNT(DISTINCT n.article_id) FROM entity_names n "
            f"LEFT JOIN entity_links l ON l.name = n.name {where} GROUP BY shown ORDER BY 2 DESC, shown LIMIT %s",
            (*params, None if limit < 0 else limit),
        )
        return [self._entity(str(name), int(n)) for name, n in rows]

    def entity_name_counts(self) -> list[tuple[str, str, int]]:
        """Each (canonical name, type) stored, with the number of articles that have it, in name order."""
        return [
            (str(name), str(typ), int(n))
            for name, typ, n in self._rows(
                "SELECT name, type, COUNT(DISTINCT article_id) FROM entity_names GROUP BY name, type "
                "ORDER BY name, type"
            )
        ]

    def put_entity_links(self, links: Mapping[str, str]) -> None:
        """Replace the archive's name links: each canonical name with the name of the entity it is
        one with (a name linked to itself, or to a name never stored, is not kept). Articles with
        a name whose link changed are indexed again (their entity field holds the linked names)."""
        with self.transaction():
            self._hold("entity-links", "all")  # two writers relinking at once leave one table
            known = {str(n) for (n,) in self._rows("SELECT DISTINCT name FROM entity_names")}
            rows = sorted((n, e) for n, e in links.items() if n != e and n in known and e in known)
            old = self.entity_links()
            self._execute("DELETE FROM entity_links")
            self._execute_many("INSERT INTO entity_links(name, entity) VALUES (%s,%s)", rows)
            self._execute(
                "INSERT INTO meta(key, value) VALUES ('entity_links', 'fresh') "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            )
            new = dict(rows)
            changed = sorted(n for n in old.keys() | new.keys() if old.get(n) != new.get(n))
            if changed:
                self._execute(
                    "UPDATE articles SET indexed = 0 WHERE indexed <> 0 AND id IN "
                    "(SELECT article_id FROM entity_names WHERE name = ANY(%s::text[]))",
                    (changed,),
                )

    def entity_links_stale(self) -> bool:
        """Whether an article's enrichment was written or removed since the names were last linked
        (an archive from before the links, with entities, is stale too)."""
        value = self._value("SELECT value FROM meta WHERE key = 'entity_links'")
        if value is None:
            return self._value("SELECT 1 FROM entity_names LIMIT 1") is not None
        return str(value) == "stale"

    def entity_links(self) -> dict[str, str]:
        """The stored name links (``put_entity_links``): linked name -> the name its entity is shown by."""
        return {str(n): str(e) for n, e in self._rows("SELECT name, entity FROM entity_links")}

    def _linked(self, name: str) -> str:
        value = self._value("SELECT entity FROM entity_links WHERE name = %s", (name,))
        return name if value is None else str(value)

    def _members(self, shown: str) -> list[str]:
        """The canonical names of one entity: the name it is shown by, then the names linked to it."""
        rows = self._rows("SELECT name FROM entity_links WHERE entity = %s ORDER BY name", (shown,))
        return [shown, *(str(n) for (n,) in rows)]

    def _stored_name(self, name: str) -> str:
        """A name as stored (case aside), or as given when no article has it."""
        value = self._value(
            "SELECT name FROM entity_names WHERE lower(name) = lower(%s) ORDER BY name = %s DESC LIMIT 1",
            (name, name),
        )
        return name if value is None else str(value)

    def _entity(self, name: str, n_articles: int) -> Entity:
        """One entity by the name it is shown by, read over all its linked names."""
        members = self._members(name)
        typ = self._value("SELECT MIN(type) FROM entity_names WHERE name = %s", (name,))
        aliases: set[str] = set(members)
        for (names,) in self._rows(
            "SELECT aliases FROM entity_names WHERE name = ANY(%s::text[])", (members,)
        ):
            aliases.update(names)
        aliases.discard(name)
        mentions = int(
            self._value(
                "SELECT COUNT(*) FROM mentions WHERE entity = ANY(%s::text[]) AND kind = 'name'", (members,)
            )
        )
        roles: dict[tuple[str, str | None], Role] = {}
        for aid, title, of, as_of, s, e in self._rows(
            "SELECT article_id, title, role_of, as_of, start_offset, end_offset FROM roles "
            "WHERE entity = ANY(%s::text[]) ORDER BY as_of NULLS FIRST, seq",
            (members,),
        ):
            key = (title, of)
            if key not in roles:  # earliest dated sighting of each title starts the timeline
                roles[key] = Role(name, title, of, as_of, aid, s, e)
        timeline = sorted(roles.values(), key=lambda r: (r.as_of or "9999", r.title))
        return Entity(name, str(typ or ""), sorted(aliases), timeline, mentions, n_articles)

    def resolve_entity(self, name: str) -> str | None:
        """The entity for a name or alias: exact name, then a known alias, then a unique surname,
        then the name its entity is shown by (``entity_links``).

        Exact matches prefer full names, so an article that only said "Netanyahu" does not hide
        "Benjamin Netanyahu"; the most widely seen candidate wins.
        """
        rows = self._rows(
            "SELECT name, COUNT(DISTINCT article_id) FROM entity_names WHERE lower(name) = lower(%s) "
            "OR EXISTS (SELECT 1 FROM unnest(aliases) AS alias WHERE lower(alias) = lower(%s)) GROUP BY name",
            (name, name),
        )
        if not rows and " " not in name.strip():
            rows = self._rows(
                "SELECT name, COUNT(DISTINCT article_id) FROM entity_names WHERE type = 'PERSON' "
                "AND name ILIKE %s GROUP BY name",
                ("% " + _like_literal(name.strip()),),
            )
        if not rows:
            return None
        rows.sort(key=lambda r: (-(" " in r[0]), -r[1], r[0]))
        return self._linked(str(rows[0][0]))

    def entity_detail(self, name: str) -> EntityDetail | None:
        shown = self.resolve_entity(name)
        if shown is None:
            return None
        members = self._members(shown)
        n_articles = int(
            self._value(
                "SELECT COUNT(DISTINCT article_id) FROM entity_names WHERE name = ANY(%s::text[])", (members,)
            )
        )
        if n_articles == 0:
            return None
        entity = self._entity(shown, n_articles)
        months = {
            str(m): int(n)
            for m, n in self._rows(
                "SELECT substr(a.published, 1, 7), COUNT(*) FROM mentions m JOIN articles a ON a.id = m.article_id "
                "WHERE m.entity = ANY(%s::text[]) AND m.kind = 'name' AND a.published IS NOT NULL "
                "GROUP BY 1 ORDER BY 1",
                (members,),
            )
        }
        cooccurring = [
            (str(other), int(n))
            for other, n in self._rows(
                "SELECT COALESCE(l.entity, b.name) AS other, COUNT(DISTINCT b.article_id) FROM entity_names a "
                "JOIN entity_names b ON a.article_id = b.article_id LEFT JOIN entity_links l ON l.name = b.name "
                "WHERE a.name = ANY(%s::text[]) AND NOT b.name = ANY(%s::text[]) GROUP BY other "
                "ORDER BY 2 DESC, 1 LIMIT 25",
                (members, members),
            )
        ]
        quotes = self._quotes("speaker_entity = ANY(%s::text[])", (members,))
        events = self._events("source = ANY(%s::text[]) OR target = ANY(%s::text[])", (members, members))
        return EntityDetail(entity, months, cooccurring, quotes, events)

    def _quotes(self, where: str, params: tuple[Any, ...], limit: int | None = 500) -> list[Quote]:
        return [
            Quote(sp, se, cue, text, aid, s, e, bool(direct))
            for aid, sp, se, cue, text, s, e, direct in self._rows(
                f"SELECT {_QUOTE_COLUMNS} FROM quotes WHERE {where} ORDER BY seq LIMIT %s", (*params, limit)
            )
        ]

    def _events(self, where: str, params: tuple[Any, ...], limit: int | None = 1000) -> list[Event]:
        return [
            Event(i, t, so, ta, loc, d, st, aid, ev, s, e)
            for i, aid, t, so, ta, loc, d, st, ev, s, e in self._rows(
                f"SELECT {_EVENT_COLUMNS} FROM events WHERE {where} ORDER BY date NULLS FIRST, seq LIMIT %s",
                (*params, limit),
            )
        ]

    def find_quotes(self, speaker: str | None, limit: int) -> list[Quote]:
        bound = None if limit < 0 else limit
        if speaker:  # by any name of its entity (entity_links), or as written
            members = self._members(self._linked(self._stored_name(speaker)))
            return self._quotes(
                "lower(speaker_entity) = lower(%s) OR speaker_entity = ANY(%s::text[]) OR speaker ILIKE %s",
                (speaker, members, f"%{_like_literal(speaker)}%"),
                bound,
            )
        return self._quotes("true", (), bound)

    def find_events(
        self, actors: list[str], date_from: str | None, date_to: str | None, types: list[str], limit: int
    ) -> list[Event]:
        clauses: list[str] = []
        params: list[Any] = []
        for actor in actors:
            # an actor is any name of its entity (entity_links), else the name as given
            members = self._members(self._linked(self._stored_name(actor)))
            clauses.append(
                "(lower(source) = lower(%s) OR lower(target) = lower(%s) OR source = ANY(%s::text[]) "
                "OR target = ANY(%s::text[]))"
            )
            params += [actor, actor, members, members]
        if date_from or date_to:
            clauses.append("date ~ '^[0-9]'")  # a date range cannot place an event whose year is unknown
        if date_from:
            clauses.append("date >= %s")
            params.append(date_from)
        if date_to:
            # '~' sorts after every digit and '-': a date_to of 2016-11 takes 2016-11-30
            clauses.append("date <= %s || '~'")
            params.append(date_to)
        if types:
            clauses.append("type = ANY(%s::text[])")
            params.append([t.upper() for t in types])
        where = " AND ".join(clauses) or "true"
        return self._events(where, tuple(params), None if limit < 0 else limit)

    def iter_enrichment_rows(self, what: str) -> Iterable[dict[str, Any]]:
        """Rows for export: mentions, quotes, events (JSON contract) or entities."""
        if what == "mentions":
            last = 0
            while True:  # paged: an archive's mentions outnumber its articles many times over
                rows = self._rows(
                    "SELECT seq, article_id, start_offset, end_offset, text, label, entity, kind FROM mentions "
                    "WHERE seq > %s ORDER BY seq LIMIT 5000",
                    (last,),
                )
                if not rows:
                    return
                for _, aid, s, e, t, lab, ent, kind in rows:
                    yield Mention(aid, s, e, t, lab, ent, kind).to_json()
                last = int(rows[-1][0])
        elif what == "quotes":
            for q in self._quotes("true", (), limit=None):
                yield q.to_json()
        elif what == "events":
            for ev in self._events("true", (), limit=None):
                yield ev.to_json()
        elif what == "entities":
            for entity in self.entities(limit=-1):
                yield entity.to_json()
        else:
            raise ValueError(what)


def _like_literal(text: str) -> str:
    """A user's text matched as written inside a LIKE pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
