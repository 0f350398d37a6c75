"""Which key of a JSON row or column of a CSV file gives which article field.

Exports from other tools name their fields every way (``content``, ``maintext``, ``headline``,
``publishedAt``, ``Published At``, ``byline``, ``canonical_link``…). Each field has a table of
aliases (``ALIASES``), tried in order; keys match case- and separator-insensitively (``Published
At``, ``published-at``, ``published_at`` and ``publishedAt`` are one key). The user maps anything
else (``--field body=content``, ``fields = {body = "content"}`` in the settings); a field the user
maps is read from that key only, and a key the user maps serves no other field.

Nested values that scrapers write are read too: ``{"source": {"name": …}}``, ``"authors": [{"name":
…}]``, ``{"headline": {"main": …}}``, ``{"content": {"rendered": …}}``, ``{"date": {"$date": …}}``;
a mapped key may be a dotted path into them (``--field source=meta.site``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

FIELDS: tuple[str, ...] = (
    "body",
    "html",
    "title",
    "published",
    "authors",
    "url",
    "section",
    "source",
    "language",
    "fetched_at",
)
"""The article fields a row can give, in the order they are documented."""

ALIASES: dict[str, tuple[str, ...]] = {
    "body": (
        "text", "body", "content", "article", "story", "full_text", "article_text", "article_body",
        "maintext", "main_text", "body_text", "text_body", "plain_text", "content_text", "text_content",
        "story_text", "news_text", "article_content", "post_content", "clean_text", "raw_text",
    ),
    "html": (
        "html", "raw_html", "content_html", "html_content", "body_html", "article_html", "html_body",
        "page_html", "source_html", "content_encoded",
    ),
    "title": (
        "title", "headline", "heading", "article_title", "news_title", "story_title", "page_title",
        "title_page", "title_rss", "og_title",
    ),
    "published": (
        "published", "published_at", "publish_date", "published_date", "pubdate", "pub_date",
        "publication_date", "date_published", "date_publish", "publish_time", "published_time",
        "first_published", "date", "datetime", "date_time", "timestamp", "time", "date_created",
        "created_at",
    ),
    "authors": (
        "authors", "author", "byline", "bylines", "creator", "creators", "writer", "writers",
        "author_name", "author_names", "reporter", "reporters", "contributors", "dc_creator",
    ),
    "url": (
        "url", "link", "canonical_url", "canonical_link", "canonical", "uri", "permalink",
        "article_url", "web_url", "page_url", "source_url", "href",
    ),
    "section": (
        "section", "section_name", "category", "categories", "category_name", "topic", "topics", "desk",
        "news_desk", "rubric",
    ),
    "source": (
        "source_name", "source", "site_name", "sitename", "site", "publisher", "publisher_name",
        "publication", "outlet", "newspaper", "media_outlet", "source_domain", "source_hostname",
        "hostname", "domain", "website",
    ),
    "language": ("language", "lang", "language_code", "lang_code", "inlanguage", "locale"),
    "fetched_at": (
        "fetched_at", "crawled_at", "crawl_date", "crawl_time", "scraped_at", "scrape_date",
        "retrieved_at", "captured_at", "downloaded_at", "download_date", "date_download", "date_crawled",
        "date_scraped", "fetch_time", "fetch_date",
    ),
}  # fmt: skip
"""Keys that mean each field, most specific first; the first one a row fills wins."""

HINT_NAMES: dict[str, str] = {field: ("text" if field == "body" else field) for field in FIELDS}
"""The capture hint each field becomes (the body is the ``text`` hint extraction reads)."""

NESTED_KEYS: tuple[str, ...] = (
    "name", "main", "rendered", "text", "value", "original", "display_name", "full_name", "title",
    "#text", "@value", "$date", "$numberlong", "url", "href",
)  # fmt: skip
"""Keys of a nested object that hold its value: {"name": …} (sources, authors), {"main": …} (NYT
headlines), {"rendered": …} (WordPress), {"$date": …} (MongoDB exports), {"original": …} (bylines)."""

_SEPARATORS = re.compile(r"[\W_]+")
_URL = re.compile(r"(?i)\s*https?://\S+\s*")
_MAX_DEPTH = 3
"""How deep a value is followed into lists and objects: a field nested deeper is not one."""
_KEY_CACHE = 4096


def field_key(name: str) -> str:
    """A key as it is matched: case-folded, separators dropped (``Published At`` -> ``publishedat``)."""
    return _SEPARATORS.sub("", str(name).casefold())


_ALIAS_KEYS: dict[str, tuple[str, ...]] = {
    field: tuple(dict.fromkeys(field_key(a) for a in names)) for field, names in ALIASES.items()
}


def _alias_index() -> dict[str, tuple[str, int]]:
    index: dict[str, tuple[str, int]] = {}
    for field, keys in _ALIAS_KEYS.items():
        for rank, key in enumerate(keys):
            index.setdefault(key, (field, rank))
    return index


_ALIAS_INDEX = _alias_index()
"""Matched key -> (its field, its rank among the field's aliases)."""


class FieldMappingError(ValueError):
    """A ``--field`` mapping names no field, or no column; the message lists what is valid."""


def parse_field_option(text: str) -> tuple[str, str]:
    """``"body=content"`` -> ``("body", "content")``; raises FieldMappingError saying what is wrong."""
    target, sep, column = str(text).partition("=")
    if not sep:
        raise FieldMappingError(f"--field {text!r} is not FIELD=COLUMN (e.g. --field body=content)")
    return _checked(target, column, f"--field {text}")


def field_pairs(value: object) -> tuple[tuple[str, str], ...]:
    """A field mapping in any shape the settings accept, as (field, column) pairs, checked.

    A TOML table (``{body = "content"}``), a list of ``"FIELD=COLUMN"`` strings, pairs, or one
    string of comma-separated ``FIELD=COLUMN`` (``NEWSARCHIVE_FIELDS``). A field given twice keeps
    its last column.
    """
    if value is None:
        return ()
    pairs: list[tuple[str, str]] = []
    if isinstance(value, Mapping):
        pairs = [_checked(str(k), str(v), f"fields.{k}") for k, v in value.items()]
    elif isinstance(value, str):
        pairs = [parse_field_option(part) for part in value.split(",") if part.strip()]
    elif isinstance(value, Iterable):
        for item in value:
            if isinstance(item, str):
                pairs.append(parse_field_option(item))
            elif isinstance(item, tuple | list) and len(item) == 2:
                pairs.append(_checked(str(item[0]), str(item[1]), f"{item[0]}={item[1]}"))
            else:
                raise FieldMappingError(f"field mapping {item!r} is not FIELD=COLUMN")
    else:
        raise FieldMappingError(f'fields must be a table such as {{body = "content"}}, not {value!r}')
    return merge_fields((), pairs)


def merge_fields(
    base: Iterable[tuple[str, str]], overrides: Iterable[tuple[str, str]]
) -> tuple[tuple[str, str], ...]:
    """``base`` with each field the overrides name replaced (the command line over the settings file)."""
    merged = dict(base)
    merged.update(overrides)
    return tuple((field, merged[field]) for field in FIELDS if field in merged)


def _checked(target: str, column: str, given: str) -> tuple[str, str]:
    field = target.strip().lower().replace("-", "_")
    if field not in FIELDS:
        raise FieldMappingError(
            f"{given}: unknown field {target.strip()!r}{_suggestion(target)}; the fields are {', '.join(FIELDS)}"
        )
    column = column.strip()
    if not column:
        raise FieldMappingError(f"{given}: no column named; write {field}=COLUMN")
    return field, column


def _suggestion(target: str) -> str:
    """``(did you mean 'published'?)`` for a known alias or a near miss of a field name."""
    key = field_key(target)
    for field, keys in _ALIAS_KEYS.items():
        if key in keys:
            return f" (did you mean {field!r}?)"
    close = difflib.get_close_matches(target.strip().lower(), FIELDS, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class FieldMap:
    """The aliases plus one user mapping, applied to rows: field -> (the key it came from, its text).

    Built once per input file; it remembers how the keys it has seen normalise.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self.user: dict[str, str] = dict(pairs)
        self._user_keys = {field: field_key(column) for field, column in self.user.items()}
        self._claimed = set(self._user_keys.values())
        self._keys: dict[str, str] = {}

    def key(self, name: str) -> str:
        """``field_key``, remembered: a file's rows repeat the same few keys."""
        found = self._keys.get(name)
        if found is None:
            if len(self._keys) >= _KEY_CACHE:
                self._keys.clear()
            found = self._keys[name] = field_key(name)
        return found

    def columns(self, columns: Iterable[str]) -> dict[str, str]:
        """The column each field will be read from, for a CSV header (aliases and user mapping)."""
        present = {self.key(c): c for c in reversed(list(columns)) if c}
        chosen: dict[str, str] = {}
        for field in FIELDS:
            if field in self.user:
                column = present.get(self._user_keys[field])
                if column is not None:
                    chosen[field] = column
                continue
            for alias in _ALIAS_KEYS[field]:
                if alias in present and alias not in self._claimed:
                    chosen[field] = present[alias]
                    break
        return chosen

    def missing_user_columns(self, columns: Iterable[str]) -> list[tuple[str, str]]:
        """The user's (field, column) pairs whose column a CSV header does not have."""
        present = {self.key(c) for c in columns}
        return [(f, c) for f, c in self.user.items() if self._user_keys[f] not in present]

    def match(self, row: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
        """Field -> (key as the row writes it, the value as text) for every field the row fills."""
        found: dict[str, tuple[str, str]] = {}
        candidates: dict[str, list[tuple[int, str]]] = {}
        for written in row:
            key = self.key(written)
            alias = _ALIAS_INDEX.get(key)
            if alias is not None and key not in self._claimed and alias[0] not in self.user:
                candidates.setdefault(alias[0], []).append((alias[1], written))
        url_as_source: tuple[str, str] | None = None
        for field, names in candidates.items():
            for _, name in sorted(names):
                text = field_text(field, row[name])
                if not text:
                    continue
                if field == "source" and _URL.fullmatch(text):
                    # trafilatura's "source" is the page's URL, not the site's name
                    url_as_source = url_as_source or (name, text.strip())
                    continue
                found[field] = (name, text)
                break
        if self.user:
            index: dict[str, str] = {}
            for written in row:
                index.setdefault(self.key(written), written)
            for field in self.user:
                located = self._user_value(row, index, field)
                text = field_text(field, located[1]) if located is not None else None
                if located is not None and text:
                    found[field] = (located[0], text)
        if "url" not in found and url_as_source is not None and "url" not in self.user:
            found["url"] = url_as_source
        return found

    def _user_value(
        self, row: Mapping[str, Any], index: dict[str, str], field: str
    ) -> tuple[str, Any] | None:
        column = self.user[field]
        name = index.get(self._user_keys[field])
        if name is not None:
            return name, row[name]
        if "." not in column:
            return None
        value: Any = row
        for part in column.split("."):
            value = _child(value, field_key(part))
            if value is None:
                return None
        return column, value


def _child(value: Any, key: str) -> Any:
    """``value[key]`` matched as keys are; over a list, the children of its objects (authors' names)."""
    if isinstance(value, Mapping):
        for name, child in value.items():
            if field_key(name) == key:
                return child
        return None
    if isinstance(value, list):
        children = [c for c in (_child(v, key) for v in value) if c is not None]
        return children or None
    return None


def field_text(field: str, value: Any) -> str | None:
    """A row value as the text of one field, or None when it holds none.

    The body keeps its text exactly (offsets into it stay valid) and joins a list of paragraphs with
    blank lines; authors join a list with ``; ``; the other fields take a list's first value and
    are stripped. Objects give their ``name``/``main``/``rendered``/… value (``NESTED_KEYS``).
    """
    text = _text(value, "\n\n" if field == "body" else "; " if field == "authors" else None, 0)
    if text is None or not text.strip():
        return None
    return text if field in ("body", "html") else text.strip()


def _text(value: Any, joiner: str | None, depth: int) -> str | None:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, str):
        return valid_text(value) if value.strip() else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Mapping):
        keys = {field_key(k): k for k in value}
        for nested in NESTED_KEYS:
            name = keys.get(field_key(nested))
            if name is not None and (found := _text(value[name], joiner, depth + 1)):
                return found
        return None
    if isinstance(value, list):
        parts = (_text(v, joiner, depth + 1) for v in value)
        if joiner is None:
            return next((p for p in parts if p), None)
        kept = [p.strip() if joiner == "; " else p for p in parts if p]
        return joiner.join(kept) or None
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(value: str) -> str:
    """The string without lone surrogates (JSON may escape them, ``"\\udce9"``), which no store can encode.

    Each becomes U+FFFD, as a decoder does with an invalid byte; pairs were already joined by ``json``.
    """
    if value.isascii():
        return value
    return _SURROGATE.sub("\ufffd", value)


def aliases_shown(field: str, count: int = 6) -> str:
    """The first aliases of a field for a message: ``text, body, content, article, story, full_text…``."""
    names = ALIASES[field]
    return ", ".join(names[:count]) + ("…" if len(names) > count else "")
