"""Author names from what exports and pages write in their author fields -> a clean list.

``clean_authors`` is the one rule for every input, pure and idempotent on its own output:

- HTML entities are decoded first (twice, for ``&amp;nbsp;``), so the ``;`` of ``&nbsp;`` never
  splits a name; non-breaking and other odd spaces become one space.
- A value is split on ``;``, ``|``, ``/`` between spaces, bullets and line breaks, then on
  `` and ``, `` & ``, `` with `` (and ``und``, ``et``, ``y``), then on commas: ``"A and B"``,
  ``"A, B"``, ``"A; B"``, ``"A & B"``, ``"A, B, and C"``.
- Commas that do not separate names are kept: a suffix stays with its name (``"Smith, Jr."``,
  ``"John Smith, III"``), and ``"Roe, Jane"`` (one word, comma, a given name and initials) is one
  name written surname first, kept as written rather than guessed into another order.
- ``By``, ``Written by``, ``Reporting by``, ``Par``, ``Por``, ``Von``, ``بقلم``, ``كتب`` before a name are dropped, and
  a role after a comma or bar is dropped with it (``"Jane Roe, Staff Writer"`` -> ``Jane Roe``).
- Dropped outright: placeholders (``NA``, ``N/A``, ``None``, ``null``, ``nan``, ``-``, ``unknown``,
  ``anonymous``, ``admin``, ``staff``, ``author``…), roles alone (``Staff Writer``, ``Editor``),
  dates and times (``"March 3, 2019"``, ``"Updated 10:32"``, ``"2019-03-03"``), URLs and e-mail
  addresses (``"jane@example.com (Jane Roe)"`` gives ``Jane Roe``), the source or site itself
  (``sources``), and anything too long to be a name (over 80 characters or 8 words).
- Duplicates are dropped case-insensitively, keeping the first spelling and the order.

Names are otherwise kept as written (case, accents, scripts): nothing is re-cased or reordered.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_LINE_SPACES = re.compile(r"[^\S\n\r]+|[\u200b\ufeff]+")
"""Spaces of any kind within a line (a line break separates names, so it stays)."""
_SEGMENTS = re.compile(r"\s*(?:[;|\n\r•·]|\s/\s|、|，)\s*")
_CONNECTORS = re.compile(r"\s*,?\s+(?:[Aa]nd|AND|[Ww]ith|und|et|y)\s+|\s*&\s*")
"""Words joining names; only lower-case in other languages, so a middle initial "Y" stays."""
_PREFIX = re.compile(
    r"^(?:(?:written|reported|reporting|words|story|text|posted|authored|compiled|edited|photos?)"
    r"\s+by|by|par|por|بقلم|كتب|von(?=\s+\S+\s+\S)(?!\s+(?:der|den|dem|und)\b))\s*[:\-–—]?\s+",
    re.IGNORECASE,
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATES = re.compile(
    r"(?:\b(?:last\s+)?(?:updated|published|posted|modified)(?:\s+on|\s+at)?:?\s*)?"
    r"(?:"
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # March 3, 2019
    r"|\b\d{1,2}(?:st|nd|rd|th)?\.?\s+[^\W\d_]{3,}\.?,?\s+\d{4}"  # 3 March 2019, 3. März 2021
    r"|\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
    r"|\b\d{1,2}[:.h]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*(?:[ECMP][SD]?T|UTC|GMT|BST|CES?T|IST|JST)\b)?"
    r"|\b\d{1,2}\s*[ap]\.?m\.?\b"
    r"|\b\d+\s+(?:minutes?|hours?|days?|weeks?)\s+ago\b"
    r")",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(r"^(?:(?:last\s+)?(?:updated|published|posted|modified)|on|at|[,.:\-–— ]+)$", re.I)
_YEAR_OR_NUMBER = re.compile(r"\d{3,}|\d+\s*$")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_EMAIL_NAME = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*\((?P<name>[^()]+)\)|<[^<>@\s]+@[^<>\s]+>")
"""``jane@example.com (Jane Roe)`` as feeds write it, or ``Jane Roe <jane@example.com>``."""
_TRIM = " \t,.;:|-–—_*\"'“”‘’«»()[]{}<>/\\"
_EDGES = _TRIM.replace(".", "") + " "
"""What is trimmed off a name's ends; a final dot only goes when it ends no initial or suffix."""
_SUFFIXES = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "esq", "obe", "mbe", "cbe", "qc", "kc"}
)
_INITIAL = re.compile(r"[^\W\d_]\.?")
_PLACEHOLDERS = frozenset(
    {
        "", "na", "none", "null", "nil", "nan", "undefined", "unknown", "anonymous", "anon", "admin",
        "administrator", "staff", "author", "authors", "byline", "guest", "user", "webmaster", "noauthor",
        "notavailable", "unknownauthor", "missing", "tbd", "false", "true", "0",
    }
)  # fmt: skip
_ROLE_NOUNS = frozenset(
    {
        "writer", "writers", "reporter", "reporters", "correspondent", "correspondents", "editor",
        "editors", "contributor", "contributors", "columnist", "journalist", "journalists",
        "photographer", "producer", "staff", "intern", "desk", "bureau", "team", "newsroom",
        "analyst", "critic",
    }
)  # fmt: skip
_ROLE_WORDS = _ROLE_NOUNS | frozenset(
    {
        "senior", "chief", "associate", "assistant", "deputy", "managing", "executive", "contributing",
        "special", "staff", "political", "business", "sports", "sport", "science", "health", "foreign",
        "national", "international", "local", "news", "digital", "features", "feature", "freelance",
        "guest", "editorial", "investigative", "economics", "tech", "technology", "culture", "arts",
        "entertainment", "opinion", "legal", "crime", "education", "environment", "climate", "white",
        "house", "washington", "london", "europe", "asia", "africa", "middle", "east", "correspondent",
        "the", "of", "for", "and", "to", "a", "at", "in", "&",
    }
)  # fmt: skip
_MAX_CHARS = 80
_MAX_WORDS = 8


def clean_authors(value: str | list[str], *, sources: Iterable[str | None] = ()) -> list[str]:
    """Author names from one field (a string or a list of them), cleaned by the module's rules.

    ``sources`` are names the byline must not be (the source's name, the site's host): a byline
    that is only the publication is not an author.
    """
    items = [value] if isinstance(value, str) else list(value)
    unwanted = {_key(s) for s in sources if s} | {_key(_host_name(s)) for s in sources if s}
    unwanted.discard("")
    names: list[str] = []
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, str):
            continue
        for name in _names(_decoded(item)):
            key = name.casefold()
            if key in seen or _key(name) in unwanted:
                continue
            seen.add(key)
            names.append(name)
    return names


def _decoded(text: str) -> str:
    for _ in range(2):  # "&amp;nbsp;" is an entity written as text once more
        if "&" not in text:
            break
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text)
    return _LINE_SPACES.sub(" ", text).strip()


def _names(text: str) -> list[str]:
    names: list[str] = []
    text = _EMAIL_NAME.sub(lambda m: m["name"] or " ", text)
    for segment in _SEGMENTS.split(text):
        segment = _DATES.sub(" ", segment)
        segment = _URL.sub(" ", segment)
        for part in _CONNECTORS.split(segment):
            for name in _comma_names(_without_prefix(_SPACES.sub(" ", part).strip(_EDGES))):
                name = _tidy(name)
                if _is_name(name):
                    names.append(name)
    return names


def _without_prefix(text: str) -> str:
    while (prefix := _PREFIX.match(text)) is not None:
        text = text[prefix.end() :]
    return text


def _comma_names(text: str) -> list[str]:
    """Names in a part that may hold commas: suffixes and roles attached, ``Roe, Jane`` kept whole."""
    parts = [p.strip() for p in text.split(",")]
    parts = [p for p in parts if p.strip(_TRIM)]
    if len(parts) <= 1:
        return parts
    if len(parts) == 2 and _surname_first(parts[0], parts[1]):
        return [f"{parts[0]}, {parts[1]}"]
    names: list[str] = []
    for part in parts:
        if names and _key(part) in _SUFFIXES:
            names[-1] = f"{names[-1]}, {part}"
        elif not _is_role(part):
            names.append(part)
    return names


def _surname_first(first: str, second: str) -> bool:
    """``Roe, Jane`` or ``Roe, Jane A.``: a single word, then a given name and initials at most."""
    words = second.split()
    return (
        len(first.split()) == 1
        and 1 <= len(words) <= 3
        and _key(words[0]) not in _SUFFIXES
        and len(words[0].rstrip(".")) > 1
        and all(_INITIAL.fullmatch(w) for w in words[1:])
        and not _is_role(second)
        and not _is_role(first)
    )


def _tidy(name: str) -> str:
    name = _without_prefix(name.strip(_EDGES)).strip(_EDGES)
    if (
        name.endswith(".")
        and not _INITIAL.fullmatch(name.split()[-1])
        and _key(name.split()[-1]) not in _SUFFIXES
    ):
        name = name.rstrip(".")
    return _SPACES.sub(" ", name).strip()


def _is_name(name: str) -> bool:
    key = _key(name)
    if key in _PLACEHOLDERS or _DATE_WORDS.match(name) or _is_role(name):
        return False
    if _EMAIL.search(name) or _YEAR_OR_NUMBER.search(name):
        return False
    if len(name) > _MAX_CHARS or len(name.split()) > _MAX_WORDS:
        return False
    return any(ch.isalpha() for ch in name)


def _is_role(text: str) -> bool:
    """``Staff Writer``, ``Senior Political Correspondent``, ``Editor``: a job, not a name."""
    words = [w.strip(_TRIM).casefold() for w in text.split()]
    words = [w for w in words if w]
    return bool(words) and all(w in _ROLE_WORDS for w in words) and any(w in _ROLE_NOUNS for w in words)


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _host_name(text: str) -> str:
    """``harbourtimes`` of ``www.harbourtimes.example``, so a byline naming the site is dropped too."""
    host = text.strip().casefold().removeprefix("www.")
    return host.split(".")[0] if "." in host and " " not in host else ""
