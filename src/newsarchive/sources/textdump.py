"""Plain-text dumps of scraped pages (title line, chrome lines, article) -> one textdump Capture each.

The folders a dump sits in often say which site and section it is from, as ``SITE/SECTION/...``
or ``SECTION/...``. They become the hints ``site_dir`` (which site's pages learn chrome
together) and ``section_dir``, read from the nearest three folders that are not dates
(``2024``, ``03``, ``2024-03-14``):

- a folder named like a host (``coastlinecourier.example``, ``www.bbc.co.uk``) is the site, and
  the folder just under it, if any, the section;
- else a parent named by a common section word (``sport``, ``politics``, ``economia``…) is the
  section, and its own parent the site unless that too is a section word (``news/sport``) or a
  container (``dumps``, ``data``, ``pages``…);
- else the parent folder is the site (``millbrook/page1.txt``), unless it is a container.

What a dump itself says (a URL, a "Source:" line, a "Title | Site" line) wins over folders:
the extractor uses them only when the file says nothing better.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.files import display_origin, path_hints, read_capped
from newsarchive.sources.stats import SourceStats

_FOLDERS_READ = 3
_HOST_LIKE = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,24}")
_NOT_TLDS = frozenset({"bak", "old", "tmp", "orig", "backup", "copy", "git", "svn", "cache", "txt", "d"})
"""Folder-name endings that are not top-level domains: ``site.bak`` is no host."""
_DATE_FOLDER = re.compile(
    r"\d{1,4}|\d{4}[-_.]\d{1,2}(?:[-_.]\d{1,2})?|\d{8}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*",
    re.IGNORECASE,
)
_SECTION_WORD_LIST = (
    # English
    "news world national local uk us politics business economy money markets finance tech technology "
    "science health sport sports football soccer cricket rugby tennis golf culture arts entertainment "
    "music film movies tv books lifestyle life travel food opinion opinions editorial editorials "
    "comment commentary columns features weather education environment climate crime law justice "
    "religion style fashion motoring autos cars property realestate obituaries obits letters metro "
    "international europe asia africa americas australia middleeast middle-east regional society "
    # Spanish, French, German, Italian, Portuguese, Dutch
    "noticias mundo internacional nacional politica economia deportes cultura sociedad opinion "
    "ciencia salud tecnologia espectaculos actualite actualites monde politique economie societe "
    "culture sante meteo nachrichten politik wirtschaft ausland inland kultur wissen panorama "
    "feuilleton meinung cronaca esteri spettacoli sport calcio mundo esportes politica economia "
    "nieuws binnenland buitenland cultuur"
)
_SECTION_WORDS = frozenset(_SECTION_WORD_LIST.split())
_CONTAINER_WORD_LIST = (
    "data dump dumps page pages text texts txt article articles story stories corpus export exports "
    "download downloads scraped scrape scrapes crawl crawls output out input in raw files docs documents "
    "tmp temp home users archive archives backup samples sample upload uploads items all misc"
)
_CONTAINER_WORDS = frozenset(_CONTAINER_WORD_LIST.split())
"""Folders that hold dumps but name neither a site nor a section."""


def read_textdump(
    path: Path, settings: Settings, stats: SourceStats | None = None
) -> Iterator[Capture | Reject]:
    """The dump's bytes as-is, with the site and section its folders name (``folder_hints``)."""
    raw = read_capped(path, settings.max_capture_bytes)
    if isinstance(raw, Reject):
        yield raw
        return
    hints = path_hints(path) | folder_hints(path)
    yield Capture(
        origin=display_origin(path), raw=raw, format="textdump", content_type="text/plain", hints=hints
    )


def folder_hints(path: Path) -> dict[str, str]:
    """``site_dir`` and ``section_dir`` as the folders ``SITE/SECTION/...`` or ``SECTION/...`` name them."""
    names = _folder_names(path)
    if not names:
        return {}
    for depth, name in enumerate(names):
        if _looks_like_host(name):
            under = [n for n in names[:depth] if _fold(n) not in _CONTAINER_WORDS]
            hints = {"site_dir": name}
            if under:
                hints["section_dir"] = under[-1]
            return hints
    parent = names[0]
    if _fold(parent) in _SECTION_WORDS:
        hints = {"section_dir": parent}
        if len(names) > 1 and _fold(names[1]) not in _SECTION_WORDS | _CONTAINER_WORDS:
            hints["site_dir"] = names[1]
        return hints
    if _fold(parent) in _CONTAINER_WORDS:
        return {}
    return {"site_dir": parent}


def _folder_names(path: Path) -> list[str]:
    """The nearest folder names, nearest first, dates skipped, shown as ``display_origin`` shows them."""
    names: list[str] = []
    for folder in path.parents:
        if not folder.name or len(names) == _FOLDERS_READ:
            break
        if not _DATE_FOLDER.fullmatch(folder.name):
            names.append(display_origin(folder.name))
    return names


def _looks_like_host(name: str) -> bool:
    return bool(_HOST_LIKE.fullmatch(name)) and name.rsplit(".", 1)[-1].lower() not in _NOT_TLDS


def _fold(name: str) -> str:
    """A folder name as the word lists spell it: lower case, accents dropped, ``_`` read as ``-``."""
    text = unicodedata.normalize("NFKD", name.lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("_", "-")
