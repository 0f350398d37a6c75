"""The records that flow through the pipeline: sources -> extract -> dedup -> enrich -> store.

Every step takes and returns these dataclasses, never ad-hoc dicts, so that a field
renamed here is renamed everywhere and the JSON contract (``to_json``) stays in one place.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

CaptureFormat = Literal["html", "textdump", "text", "reuters"]
"""How a capture's bytes are to be read by ``extract``.

- ``html``: an HTML document (from a WARC record, an HTML file, a feed item or a JSONL ``html`` field).
- ``textdump``: a plain-text dump of a scraped page (title line, chrome lines, article).
- ``text``: an article body given as-is (a JSONL/CSV ``text`` field, a feed item without markup);
  only Unicode NFC is applied so character offsets into it stay valid.
- ``reuters``: one ``<REUTERS>`` element of the Reuters-21578 SGML files.
"""


def sha256_hex(raw: bytes) -> str:
    """SHA-256 of the capture bytes, the capture's identity."""
    return hashlib.sha256(raw).hexdigest()


@dataclass(slots=True, frozen=True)
class Capture:
    """One archived original: the exact bytes a source gave us and where they came from.

    ``origin`` names the input file plus ``#offset`` (WARC/ARC), ``#line`` (JSONL/CSV) or
    ``#item`` (feeds) so a user can go back to the exact record. ``hints`` carries metadata the
    source already knows (url, title, published, authors, section, source, html, text) that
    extraction should prefer over guessing.
    """

    origin: str
    raw: bytes
    format: CaptureFormat
    url: str | None = None
    fetched_at: str | None = None
    content_type: str | None = None
    hints: dict[str, str] = field(default_factory=dict)
    sha256: str = field(init=False, repr=False, compare=False)
    """SHA-256 of ``raw``, computed once: ingest asks for it several times per capture."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha256", sha256_hex(self.raw))


@dataclass(slots=True, frozen=True)
class Reject:
    """An input (or a record inside one) that could not be read, with a reason a user can act on.

    A reason starting with NOTICE is not a reject: the article was stored, and the reason says what
    in the input to fix (a date that could not be read). Notices share the rejects' log and table.
    """

    origin: str
    reason: str

    @property
    def is_notice(self) -> bool:
        return self.reason.startswith(NOTICE)


NOTICE = "notice: "
"""How a notice's reason starts (see Reject)."""


@dataclass(slots=True, frozen=True)
class Skip:
    """An article whose enrichment or indexing failed on its content; recorded, shown in stats, not retried."""

    article_id: str
    stage: Literal["enrich", "index"]
    body_hash: str
    reason: str
    at: str


@dataclass(slots=True, frozen=True)
class CaptureRef:
    """A capture as linked from an article: its hash, where it came from, when we stored it."""

    sha256: str
    origin: str
    ingested_at: str
    url: str | None = None
    fetched_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "origin": self.origin, "ingested_at": self.ingested_at}


@dataclass(slots=True)
class Extracted:
    """What extraction got from one capture, before site-wide chrome learning and dedup.

    ``blocks`` are the candidate body blocks (paragraphs or lines) in page order, kept so the
    site chrome learner can count which blocks repeat across a site's pages. ``removed`` lists
    the blocks dropped as chrome, shown by ``show --debug``.
    """

    title: str
    body: str
    source: str
    site: str
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    """The date as the format's extractor found it; ``extract_capture`` makes it ISO 8601."""
    published_from: str | None = None
    section: str | None = None
    language: str | None = None
    captions: list[str] = field(default_factory=list)
    media_ids: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    dayfirst: bool | None = None
    """How the input writes numeric dates (31/12 or 12/31), when its reader could tell; None: unknown."""
    body_offset: int = 0
    """Characters of the given text before the body (source boilerplate removed from its start)."""
    published_time: str | None = None
    published_raw: str | None = None
    notices: list[str] = field(default_factory=list)
    """What was kept despite a problem (a date that could not be read), recorded with the capture's origin."""


@dataclass(slots=True)
class Article:
    """One article in the archive: the clean record plus links to every capture it came from."""

    id: str
    title: str
    body: str
    source: str
    site: str
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    """The publication date, ISO 8601 (YYYY-MM-DD; YYYY-MM or YYYY when only that is known)."""
    published_from: str | None = None
    section: str | None = None
    language: str | None = None
    captions: list[str] = field(default_factory=list)
    media_ids: list[str] = field(default_factory=list)
    word_count: int = 0
    cluster_id: str | None = None
    """Its copy cluster: the smallest id among the articles that are copies of one story."""
    body_hash: str = ""
    removed: list[str] = field(default_factory=list)
    captures: list[CaptureRef] = field(default_factory=list)
    representative: bool = True
    """The copy shown for its cluster (earliest published, then longest body, then smallest id)."""
    latest: bool = True
    """The latest version of its URL (an older version is kept but not shown by default)."""
    published_time: str | None = None
    """Date and time of publication, ISO 8601 with the offset given (none when the input gave none)."""
    published_raw: str | None = None
    """The date exactly as the input wrote it, when that differs from ``published``."""
    body_offset: int = 0
    """Where the body starts in the given text (JSONL/CSV ``text``): offsets into it stay mappable."""

    @property
    def published_at(self) -> str | None:
        """The most precise publication time known (date-time, else date): what ordering rules use."""
        return self.published_time or self.published

    def to_json(self, debug: bool = False) -> dict[str, Any]:
        """The article contract of ``show --json`` and ``export --format jsonl``."""
        out: dict[str, Any] = {
            "id": self.id,
            "url": self.url,
            "source": self.source,
            "title": self.title,
            "authors": list(self.authors),
            "published": self.published,
            "published_time": self.published_time,
            "published_raw": self.published_raw,
            "published_from": self.published_from,
            "section": self.section,
            "language": self.language,
            "body": self.body,
            "body_offset": self.body_offset,
            "captions": list(self.captions),
            "media_ids": list(self.media_ids),
            "word_count": self.word_count,
            "cluster_id": self.cluster_id,
            "representative": self.representative,
            "latest": self.latest,
            "captures": [c.to_json() for c in self.captures],
        }
        if debug:
            out["removed"] = list(self.removed)
            out["site"] = self.site
        return out


@dataclass(slots=True, frozen=True)
class DiffPart:
    """A run of text that both versions share, or that one of them alone has."""

    op: Literal["same", "added", "removed"]
    text: str

    def to_json(self) -> dict[str, str]:
        return {"op": self.op, "text": self.text}


def diff_stats(parts: list[DiffPart]) -> tuple[int, int]:
    """Words added and removed."""
    added = sum(len(p.text.split()) for p in parts if p.op == "added")
    removed = sum(len(p.text.split()) for p in parts if p.op == "removed")
    return added, removed


@dataclass(slots=True, frozen=True)
class ClusterMember:
    """One copy of a story, and why it is one: how much it resembles the copy shown, and how
    much of the smaller of the two is contained in the other."""

    id: str
    title: str
    source: str
    url: str | None
    published: str | None
    representative: bool
    resemblance: float
    containment: float

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published": self.published,
            "representative": self.representative,
            "resemblance": round(self.resemblance, 3),
            "containment": round(self.containment, 3),
        }


@dataclass(slots=True, frozen=True)
class SearchHit:
    """One search result; ``to_json`` is the search-hit contract."""

    id: str
    score: float
    title: str
    url: str | None
    source: str
    published: str | None
    section: str | None
    language: str | None
    snippet: str
    duplicates: int
    cluster_id: str | None = None
    versions: int = 1
    """Versions of its URL kept in the archive (this hit is the latest)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "score": self.score,
            "title": self.title,
            "url": self.url,
            "source": self.source,
            "published": self.published,
            "section": self.section,
            "language": self.language,
            "snippet": self.snippet,
            "duplicates": self.duplicates,
            "versions": self.versions,
        }


@dataclass(slots=True, frozen=True)
class Neighbours:
    """The articles listed next to one in newest-first order (a section page's): the one before it
    (``newer``) and the one after it (``older``); None at either end."""

    newer: SearchHit | None
    older: SearchHit | None


@dataclass(slots=True, frozen=True)
class SearchResult:
    """A page of hits plus total count, facet counts and time taken."""

    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]
    took_ms: float
    page: int = 1
    per_page: int = 10

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "took_ms": round(self.took_ms, 2),
            "page": self.page,
            "per_page": self.per_page,
            "hits": [h.to_json() for h in self.hits],
            "facets": self.facets,
        }

    def to_pandas(self) -> Any:
        """This page's hits as a pandas DataFrame (``published`` as dates, the snippet as HTML);
        ``frame.attrs["total"]`` is the number of matches. Every match: ``Archive.export_query``."""
        import pandas as pd

        columns = ["id", "score", "title", "url", "source", "published", "section", "language", "snippet",
                   "duplicates", "versions"]  # fmt: skip
        frame = pd.DataFrame([h.to_json() for h in self.hits], columns=columns)
        # a partial date (2016-05) is the first day of its month, as in exports; unreadable ones are NaT
        frame["published"] = pd.to_datetime(frame["published"], format="ISO8601", errors="coerce")
        frame.attrs["total"] = self.total
        return frame


@dataclass(slots=True, frozen=True)
class IngestReport:
    """What one ingest run did: counts a user checks and the rejects to fix."""

    inputs: int
    captures_new: int
    captures_seen: int
    articles_new: int
    duplicates: int
    rejects: list[Reject]
    stopped: str | None = None
    """Why the run stopped early (another writer held the archive too long); None when it finished."""
    notices: list[Reject] = field(default_factory=list)
    """Captures stored with a problem the user should fix (a date that could not be read)."""

    @property
    def ingested_anything(self) -> bool:
        """Whether the run stored an article or a new capture of one (rejected captures do not count)."""
        return self.articles_new > 0 or self.duplicates > 0

    def to_json(self) -> dict[str, Any]:
        """The report as scripts read it (CLI ``ingest --json`` and ``POST /api/ingest``)."""
        return {
            "inputs": self.inputs,
            "captures_new": self.captures_new,
            "captures_seen": self.captures_seen,
            "articles_new": self.articles_new,
            "duplicates": self.duplicates,
            "rejects": [{"origin": r.origin, "reason": r.reason} for r in self.rejects],
            "notices": [{"origin": r.origin, "reason": r.reason} for r in self.notices],
            "already_archived": self.already_archived,
            "stopped": self.stopped,
        }

    @property
    def already_archived(self) -> bool:
        """Nothing new, nothing wrong: every input was stored by an earlier run."""
        return not self.ingested_anything and not self.rejects and self.captures_seen > 0 and not self.stopped


# --- enrichment records ---
# Written by the enrichment step (newsarchive.enrich); offsets are character offsets into Article.body.

DateStatus = Literal["happened", "planned", "context", "publication"]
"""happened/planned: the text dates the event; context: it does not, and the date is the report's
news day named before it ("on Thursday"); publication: the text gave no date, so the event carries
the article's publication date."""


MentionKind = Literal["name", "pronoun", "description", "speaker"]
"""How a mention refers to its entity: by a ``name`` the recogniser found, or, resolved by
coreference (enrich/coreference.py) to a named entity of the same article, by a ``pronoun``
("he", "it"), a ``description`` ("the actress", "a spokesman") or as a quote's ``speaker``."""

MENTION_KINDS: tuple[MentionKind, ...] = ("name", "pronoun", "description", "speaker")


@dataclass(slots=True, frozen=True)
class Mention:
    """One span of the body that names or refers to something; ``entity`` is its canonical name (None
    for dates, money). ``kind`` says how: a name, or a pronoun, description or quote speaker that
    coreference tied to a named entity of the article (never an alias of it)."""

    article_id: str
    start: int
    end: int
    text: str
    label: str
    entity: str | None = None
    kind: MentionKind = "name"

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label,
            "entity": self.entity,
            "kind": self.kind,
        }


@dataclass(slots=True, frozen=True)
class Role:
    """A title an entity held ("Prime Minister" of "Russia") as of a date, with the evidence span."""

    entity: str
    title: str
    of: str | None
    as_of: str | None
    article_id: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "of": self.of, "as_of": self.as_of}


@dataclass(slots=True)
class Entity:
    """A canonical person, organisation or place; counts grow when articles are merged."""

    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    mentions: int = 0
    articles: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "roles": [r.to_json() for r in self.roles],
            "mentions": self.mentions,
            "articles": self.articles,
        }


@dataclass(slots=True, frozen=True)
class Quote:
    """What a speaker said (``text`` at ``start:end``), direct or reported, and the cue that attributes it."""

    speaker: str | None
    speaker_entity: str | None
    cue: str
    text: str
    article_id: str
    start: int
    end: int
    direct: bool = True
    speaker_start: int | None = None
    speaker_end: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "speaker_entity": self.speaker_entity,
            "cue": self.cue,
            "text": self.text,
            "article_id": self.article_id,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True, frozen=True)
class Event:
    """Who did what to whom, where and when; ``date`` is ISO, possibly partial (``2016-11``, ``--11-10``,
    the ISO week ``2016-W09``, the quarter ``2016-Q3``)."""

    id: str
    type: str
    source: str | None
    target: str | None
    location: str | None
    date: str | None
    date_status: DateStatus
    article_id: str
    evidence_text: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "source": self.source,
            "target": self.target,
            "location": self.location,
            "date": self.date,
            "date_status": self.date_status,
            "article_id": self.article_id,
            "evidence": {"text": self.evidence_text, "start": self.start, "end": self.end},
        }


@dataclass(slots=True)
class Enrichment:
    """Everything the enrichment step found in one article."""

    article_id: str
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "mentions": [m.to_json() for m in self.mentions],
            "entities": [e.to_json() for e in self.entities],
            "quotes": [q.to_json() for q in self.quotes],
            "events": [e.to_json() for e in self.events],
        }


EVENT_TYPES: tuple[str, ...] = (
    "AGREE", "AID", "APPOINT", "ARREST", "ATTACK", "CONCEDE", "CONSULT", "CRITICISE", "DEMAND", "INVESTIGATE",
    "MEET", "MOBILIZE", "NEGOTIATE", "PROTEST", "REJECT", "RETREAT", "SANCTION", "SIGN", "STATEMENT", "SUPPORT",
    "THREATEN", "VISIT",
)  # fmt: skip
"""The PLOVER-style event ontology the enrichment step codes events into."""


@dataclass(slots=True)
class EntityDetail:
    """Everything the archive knows about one entity: what `newsarchive entity NAME` shows."""

    entity: Entity
    months: dict[str, int] = field(default_factory=dict)
    cooccurring: list[tuple[str, int]] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.entity.to_json(),
            "mentions_per_month": dict(self.months),
            "cooccurring": [{"name": name, "articles": n} for name, n in self.cooccurring],
            "quotes": [q.to_json() for q in self.quotes],
            "events": [e.to_json() for e in self.events],
        }
