"""Article bodies as HTML with entity names linked and an evidence span marked, built from offsets.

The body and the mention offsets are archived data, so nothing here trusts them: every text piece
is escaped, links only ever point at our own ``/entities/…`` route with the name percent-encoded,
and mentions that overlap, fall outside the body or no longer match its text are left as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from itertools import pairwise
from urllib.parse import quote

from markupsafe import Markup

from newsarchive.model import Mention

_UNSAFE_SEGMENT = re.compile(r"(^|/)\.{1,2}(/|$)")


def name_url(route: str, name: str) -> str:
    """Our page for an archived name: ``{route}/{name}`` percent-encoded, or ``{route}?name=`` when the
    name would be refused as a path (dot segments, backslashes, NULs, ``%``: the traversal guard
    rejects them even when encoded), so a hostile name still gets a working link."""
    if _UNSAFE_SEGMENT.search(name) or "\\" in name or "\x00" in name or "%" in name:
        return f"{route}?name=" + quote(name, safe="")
    return f"{route}/" + quote(name, safe="")


def entity_url(name: str) -> str:
    """Our page for an entity: ``/entities/{name}`` or ``/entities?name=``."""
    return name_url("/entities", name)


def source_url(name: str) -> str:
    """Our page for a source: ``/sources/{name}`` or ``/sources?name=``."""
    return name_url("/sources", name)


@dataclass(slots=True, frozen=True)
class Span:
    """A half-open character range of the body: a linked mention (``entity`` set) or the marked evidence."""

    start: int
    end: int
    entity: str | None = None
    kind: str = "name"
    """A mention's kind: a name, or a pronoun, description or speaker that refers to the entity."""


def usable_mentions(body: str, mentions: Iterable[Mention]) -> list[Span]:
    """Mentions that can become links: inside the body, matching its text, not overlapping an earlier one.

    Longer mentions win over shorter ones starting at the same place; the rest is dropped, not repaired.
    """
    candidates = []
    for mention in mentions:
        start, end, entity = mention.start, mention.end, mention.entity
        if not entity or not entity.strip() or not isinstance(start, int) or not isinstance(end, int):
            continue
        if not 0 <= start < end <= len(body) or body[start:end] != mention.text:
            continue
        candidates.append(Span(start, end, entity, mention.kind))
    candidates.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Span] = []
    for span in candidates:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def paragraph_ranges(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph as the page shows them: split on blank lines, trimmed, empties dropped."""
    ranges = []
    position = 0
    for piece in body.split("\n\n"):
        start, end = position, position + len(piece)
        position = end + 2
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if start < end:
            ranges.append((start, end))
    return ranges


def annotate_body(
    body: str, mentions: Iterable[Mention] = (), highlight: tuple[int, int] | None = None
) -> list[Markup]:
    """The body's paragraphs as safe HTML: entity mentions as links, ``highlight`` as ``<mark id="evidence">``."""
    links = usable_mentions(body, mentions)
    marked = _clamp(highlight, len(body))
    paragraphs = []
    first_mark = True
    for start, end in paragraph_ranges(body):
        cuts = {start, end}
        inside = [s for s in links if s.start < end and s.end > start]
        for span in inside:
            cuts.update((max(span.start, start), min(span.end, end)))
        if marked is not None:
            cuts.update(c for c in marked if start < c < end)
        points = sorted(cuts)
        html: list[str] = []
        in_mark = False
        for low, high in pairwise(points):
            piece = escape(body[low:high], quote=True)
            link = next((s for s in inside if s.start <= low and high <= s.end), None)
            if link is not None and link.entity:
                css = "entity" if link.kind == "name" else "entity reference"  # "he", "the actress"
                piece = (
                    f'<a class="{css}" href="{escape(entity_url(link.entity), quote=True)}" '
                    f'title="{escape(link.entity, quote=True)}">{piece}</a>'
                )
            marking = marked is not None and marked[0] <= low and high <= marked[1]
            if marking and not in_mark:
                html.append(
                    '<mark class="evidence" id="evidence">' if first_mark else '<mark class="evidence">'
                )
                first_mark = False
            elif in_mark and not marking:
                html.append("</mark>")
            in_mark = marking
            html.append(piece)
        if in_mark:
            html.append("</mark>")
        paragraphs.append(Markup("".join(html)))
    return paragraphs


def _clamp(span: tuple[int, int] | None, length: int) -> tuple[int, int] | None:
    if span is None:
        return None
    start, end = max(0, span[0]), min(length, span[1])
    return (start, end) if start < end else None


def parse_span(value: str | None) -> tuple[int, int] | None:
    """``"120-176"`` from a URL as (start, end); None when absent; ValueError when malformed."""
    if not value:
        return None
    match = re.fullmatch(r"(\d{1,9})-(\d{1,9})", value.strip())
    if match is None:
        raise ValueError(f"span must be START-END character offsets such as 120-176, not {value!r}")
    start, end = int(match[1]), int(match[2])
    if end <= start:
        raise ValueError(f"span {value!r} ends before it starts")
    return start, end
