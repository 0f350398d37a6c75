"""What makes an article page citable and findable: its readable permalink, Open Graph tags,
schema.org ``NewsArticle`` JSON-LD and a "cite this" line (APA-like) and BibTeX entry.

Pure functions over an ``Article`` as the public may see it (already redacted by its source's
rights, so no text beyond what the page shows leaks into a description). Archived values are
hostile: the JSON-LD is serialised so that nothing in it can end its ``<script>`` element, and
BibTeX fields are escaped so a title cannot open a group or start a comment.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from markupsafe import Markup

from newsarchive.model import Article
from newsarchive.web.sanitize import safe_href, safe_lang

SHORT_ID_LENGTH = 8
"""The shortest id prefix a permalink uses; longer only when another article shares it."""
MAX_SLUG_CHARS = 60
"""Longest slug, in characters (an Arabic letter is six once percent-encoded)."""
DESCRIPTION_CHARS = 200
SITE_NAME = "newsarchive"

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")  # fmt: skip
_BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_SHORT_ID = re.compile(f"[0-9a-f]{{{SHORT_ID_LENGTH},64}}")
_TATWEEL = "\u0640"


# -- permalinks ---------------------------------------------------------------------------------


def slugify(title: str, limit: int = MAX_SLUG_CHARS) -> str:
    """A title as a URL slug: lowercase letters, digits and marks of any script (Arabic stays
    Arabic) in runs joined by hyphens, cut at a word to at most ``limit`` characters; "" when the
    title has no letters or digits."""
    text = unicodedata.normalize("NFKC", title).lower().replace(_TATWEEL, "")
    words: list[str] = []
    word: list[str] = []
    for char in text:
        if unicodedata.category(char)[0] in "LNM":
            word.append(char)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    slug = ""
    for w in words:
        candidate = f"{slug}-{w}" if slug else w
        if len(candidate) > limit:
            if not slug:  # one word longer than the limit: cut it, not at a mark
                slug = w[:limit]
                while slug and unicodedata.category(slug[-1])[0] == "M":
                    slug = slug[:-1]
            break
        slug = candidate
    return slug


def year_month(published: str | None) -> tuple[str, str] | None:
    """The ``(YYYY, MM)`` of a publication date that names its month; None otherwise."""
    match = _DATE.fullmatch((published or "")[:10])
    if match is None or match[2] is None or not 1 <= int(match[2]) <= 12:
        return None
    return match[1], match[2]


def permalink_path(article: Article, short_id: str) -> str | None:
    """``/{YYYY}/{MM}/{slug}-{short id}`` (the slug percent-encoded), or None for an article whose
    month is unknown: its only address is ``/articles/{id}``."""
    when = year_month(article.published)
    if when is None or not _SHORT_ID.fullmatch(short_id):  # an id of another shape has no short form
        return None
    slug = slugify(article.title)
    tail = f"{slug}-{short_id}" if slug else short_id
    return f"/{when[0]}/{when[1]}/{quote(tail, safe='-')}"


@dataclass(slots=True, frozen=True)
class PermalinkTail:
    """The last segment of a permalink, split: the slug as given and the id prefix."""

    slug: str
    short_id: str


def parse_tail(segment: str) -> PermalinkTail | None:
    """``ferry-strike-0a1b2c3d`` -> slug and short id; None when the segment ends in no id prefix
    (at least SHORT_ID_LENGTH lowercase hex digits)."""
    slug, _, short_id = segment.rpartition("-")
    if not _SHORT_ID.fullmatch(short_id):
        return None
    return PermalinkTail(slug, short_id)


# -- dates --------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class PublicationDate:
    """A publication date as far as it is known: a year, maybe a month, maybe a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def of(cls, published: str | None) -> PublicationDate | None:
        match = _DATE.fullmatch((published or "")[:10])
        if match is None:
            return None
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if month is not None and not 1 <= month <= 12:
            return cls(year)
        if month is not None and day is not None:
            try:
                dt.date(year, month, day)
            except ValueError:
                return cls(year, month)
        return cls(year, month, day)

    def apa(self) -> str:
        """``2021, March 9``, ``2021, March`` or ``2021``."""
        if self.month is None:
            return str(self.year)
        month = _MONTHS[self.month - 1]
        return f"{self.year}, {month} {self.day}" if self.day else f"{self.year}, {month}"


def capture_date(article: Article) -> str | None:
    """The day the latest capture of this text was taken (``2023-04-02``), when a capture says."""
    days = sorted(ref.fetched_at[:10] for ref in article.captures if ref.fetched_at)
    full = [d for d in days if (parsed := PublicationDate.of(d)) is not None and parsed.day]
    return full[-1] if full else None


def _long_date(day: str) -> str:
    parsed = PublicationDate.of(day)
    assert parsed is not None and parsed.month is not None
    return f"{_MONTHS[parsed.month - 1]} {parsed.day}, {parsed.year}"


# -- Open Graph and JSON-LD ---------------------------------------------------------------------


def description(article: Article, limit: int = DESCRIPTION_CHARS) -> str | None:
    """A short description from the body the page shows (a snippet source's excerpt, nothing for
    a metadata source, whose body arrives empty): its first words, cut at a word."""
    text = " ".join(article.body.split())
    if not text:
        return None
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,;:.") + " …"


def published_value(article: Article) -> str | None:
    """The publication time or date as stored (ISO 8601), never a guess; None when undated."""
    if article.published_time:
        return article.published_time
    return article.published if PublicationDate.of(article.published) else None


def news_article_ld(article: Article, canonical: str) -> dict[str, Any]:
    """schema.org ``NewsArticle`` for the page at ``canonical``; fields the archive does not know
    are left out, never filled in."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title or "(untitled)",
        "url": canonical,
        "mainEntityOfPage": canonical,
        "identifier": article.id,
        "archivedAt": canonical,
    }
    if published := published_value(article):
        data["datePublished"] = published
    if article.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in article.authors]
    if article.source:
        data["publisher"] = {"@type": "Organization", "name": article.source}
    if lang := safe_lang(article.language):
        data["inLanguage"] = lang
    if article.section:
        data["articleSection"] = article.section
    if original := safe_href(article.url):
        data["isBasedOn"] = original
    if text := description(article):
        data["description"] = text
    if article.word_count:
        data["wordCount"] = article.word_count
    return data


_LD_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_LD_UNSAFE = re.compile("[<>&\u2028\u2029]")


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` element: ``<``, ``>``, ``&`` and the
    line separators written as ``\\u`` escapes, so no archived string can close the element
    (``</script>``) or open a comment in it; the JSON means the same."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(_LD_UNSAFE.sub(lambda m: _LD_ESCAPES[m.group()], text))


@dataclass(slots=True, frozen=True)
class MetaTag:
    """One ``<meta property=… content=…>`` (the template escapes both)."""

    property: str
    content: str


def open_graph(article: Article, canonical: str) -> list[MetaTag]:
    """Open Graph tags: an ``article`` with title, URL, site, description, time, section and
    language, each only when known."""
    tags = [
        MetaTag("og:type", "article"),
        MetaTag("og:title", article.title or "(untitled)"),
        MetaTag("og:url", canonical),
        MetaTag("og:site_name", article.source or SITE_NAME),
    ]
    if text := description(article):
        tags.append(MetaTag("og:description", text))
    if published := published_value(article):
        tags.append(MetaTag("article:published_time", published))
    if article.section:
        tags.append(MetaTag("article:section", article.section))
    return tags


# -- cite this ----------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Citation:
    """How to cite an archived article: an APA-like line and a BibTeX entry."""

    apa: str
    bibtex: str
    key: str


def cite(article: Article, url: str, short_id: str) -> Citation:
    """The citation of ``article`` at ``url`` (its permalink). The date is the publication date as
    known ("n.d." when undated); "Retrieved" / ``urldate`` is the day its capture was taken, when known."""
    when = PublicationDate.of(article.published)
    retrieved = capture_date(article)
    title = article.title or "(untitled)"
    authors = _apa_authors(article.authors)
    dated = f"({when.apa()})." if when else "(n.d.)."
    head = f"{_sentence(authors)} {dated} {_sentence(title)}" if authors else f"{_sentence(title)} {dated}"
    parts = [head]
    if article.source:
        parts.append(_sentence(article.source))
    parts.append(f"Retrieved {_long_date(retrieved)}, from {url}" if retrieved else url)
    key = bibtex_key(article.source, when.year if when else None, short_id)
    return Citation(" ".join(parts), _bibtex(article, url, key, when, retrieved), key)


def _apa_authors(names: list[str]) -> str:
    """Names as the byline gives them (a byline is no reliable "Last, F."): ``A``, ``A & B``,
    ``A, B, & C``."""
    names = [_one_line(n) for n in names if n.strip()]
    if len(names) < 3:
        return " & ".join(names)
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _one_line(text: str) -> str:
    """Any run of whitespace (line and paragraph separators included) as one space."""
    return " ".join(text.split())


def _sentence(text: str) -> str:
    text = _one_line(text)
    return text if text.endswith((".", "?", "!", "…")) else text + "."


def bibtex_key(source: str | None, year: int | None, short_id: str) -> str:
    """``harbourherald2021ab12cd34``: the source's ASCII letters and digits (or ``article``), the
    year (or ``nd``) and the short id."""
    folded = unicodedata.normalize("NFKD", source or "").encode("ascii", "ignore").decode().lower()
    name = re.sub(r"[^a-z0-9]", "", folded)[:24] or "article"
    return f"{name}{year if year else 'nd'}{short_id}"


_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "^": r"\^{}",
    "~": r"\~{}",
}
_BIBTEX_UNSAFE = re.compile(r"[\\{}%&#_$^~]")
_URL_UNSAFE = re.compile(r"[\\{}%#]")


def bibtex_escape(text: str) -> str:
    """Text as a BibTeX field holds it literally: TeX's special characters escaped, so braces stay
    balanced and ``%`` starts no comment; control characters become spaces."""
    text = _one_line("".join(" " if unicodedata.category(c) == "Cc" else c for c in text))
    return _BIBTEX_UNSAFE.sub(lambda m: _BIBTEX_SPECIAL[m.group()], text)


def bibtex_url(url: str) -> str:
    """A URL for a ``url`` field, which the url package reads verbatim: only ``\\``, braces, ``%``
    and ``#`` escaped (``_`` and ``&`` are taken literally there)."""
    return _URL_UNSAFE.sub(lambda m: "\\" + m.group(), url)


def _bibtex(article: Article, url: str, key: str, when: PublicationDate | None, retrieved: str | None) -> str:
    fields: list[tuple[str, str]] = [("title", "{" + bibtex_escape(article.title or "(untitled)") + "}")]
    names = [n.strip() for n in article.authors if n.strip()]
    if names:  # each name braced: a byline is not "Last, First"
        fields.insert(0, ("author", " and ".join("{" + bibtex_escape(n) + "}" for n in names)))
    if article.source:
        fields.append(("howpublished", bibtex_escape(article.source)))
    if when:
        fields.append(("year", str(when.year)))
        if when.month:
            fields.append(("month", _BIBTEX_MONTHS[when.month - 1]))
        if when.day and when.month:
            fields.append(("date", f"{when.year:04d}-{when.month:02d}-{when.day:02d}"))
    fields.append(("url", bibtex_url(url)))
    if retrieved:
        fields.append(("urldate", retrieved))
    if original := safe_href(article.url):
        fields.append(("note", "Archived copy; original at \\url{" + bibtex_url(original) + "}"))
    lines = [f"@misc{{{key},"]
    for name, value in fields:
        # a month is a BibTeX macro (jan, feb…), written bare
        lines.append(f"  {name} = {value}," if name == "month" else f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines)


# -- one page's worth ---------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class ArticlePageMeta:
    """Everything an article page carries for search engines and citations."""

    canonical: str
    """The absolute ``/articles/{id}``: the one address that never moves (see docs/web.md)."""
    permalink: str | None
    """The absolute readable ``/{YYYY}/{MM}/{slug}-{short id}``, which redirects to ``canonical``;
    None for an article without a known month."""
    permalink_label: str | None
    """The permalink as people read it: the slug's letters shown, not percent-encoded."""
    json_ld: Markup
    open_graph: list[MetaTag]
    description: str | None
    citation: Citation


def page_meta(article: Article, base_url: str, short_id: str) -> ArticlePageMeta:
    """The page metadata of ``article`` (as the public may see it) served from ``base_url``."""
    base = base_url.rstrip("/")
    canonical = base + "/articles/" + quote(article.id, safe="")
    path = permalink_path(article, short_id)
    permalink = base + path if path else None
    return ArticlePageMeta(
        canonical=canonical,
        permalink=permalink,
        permalink_label=unquote(permalink) if permalink else None,
        json_ld=json_ld(news_article_ld(article, canonical)),
        open_graph=open_graph(article, canonical),
        description=description(article),
        citation=cite(article, permalink or canonical, short_id),
    )
