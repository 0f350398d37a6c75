"""Plain-text dumps of scraped pages -> Extracted, with single-page chrome rules only.

A dump is the page's ``<title>`` line followed by every visible text block in page order:
Wayback toolbar, menus, share bars, the article, related links, footers. Without other
pages of the site to compare against we rely on structure: the toolbar's fixed shape,
line-level chrome patterns, and the article being the densest run of long prose lines.
Site-wide learning (``chrome.apply_chrome``) removes what repeats across a site's pages.

Where the site, section and title come from, best first:

- site: the capture's URL, else a URL line in the dump ("URL: …" or a bare URL near the top),
  else a folder named like a host (``sources.textdump.folder_hints``), else the publisher's
  name read from the dump, else the site folder's name;
- publisher (``source``): a "Source:"/"Publisher:" line near the top, else the title line's
  site part;
- section: the title line's middle part ("BBC NEWS | Sport | …"), else a "Section:" line, else
  the section folder (``news/sport/a.txt`` is section "sport", never the source);
- title: the title line's headline. A " | Site" part is split off; a part after a dash only
  when something says it names the site (a domain, a date, the host, a publication's name,
  the page's copyright line, a given site name) or the page's own heading ends before it, so
  "Harbour plan unveiled - Mayor" stays whole.

Hard-wrapped plain text (every line under ~100 characters) has its paragraphs joined first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise

import ftfy
from ftfy.badness import is_bad

from newsarchive.errors import ExtractionError
from newsarchive.extract.chrome import ends_sentence, select_body, word_count
from newsarchive.extract.clean import remove_stray_letters
from newsarchive.extract.encoding import decode
from newsarchive.extract.rivers import is_timestamp
from newsarchive.extract.urls import url_host
from newsarchive.model import Capture, Extracted
from newsarchive.settings import Settings

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_TOOLBAR_LINE = re.compile(
    rf"^(?:(?:{_MONTHS})|\d{{1,2}}|(?:19|20)\d\d|[\d,]+ captures?|success|fail|about this capture"
    rf"|collected by|timestamps|\d{{1,2}} (?:{_MONTHS}) \d{{4}}(?: - \d{{1,2}} (?:{_MONTHS}) \d{{4}})?)$",
    re.IGNORECASE,
)
# After "COLLECTED BY" the toolbar names who crawled and which collection, each followed by a
# free-text description line that reads like prose and would otherwise pass for body text.
_TOOLBAR_LABEL = re.compile(r"^(?:organization|collection|from wikipedia)\s*:", re.IGNORECASE)

_CHROME_LINE = re.compile(
    r"""^(?:
        select\ page | skip\ to\ (?:main\ )?content.* | advertisement | sponsored\ links? | loading\.*
      | (?:e-?mail|print|share|save|digg|recommend|subscribe|bookmark|buzz|tweet)(?:\ (?:this|to|it|up|on))?
        (?:\ (?:article|story|page|a\ friend|this|version|link|view))*\s*:?
      | printer[-\ ]friendly(?:\ version|\ format)? | printable\ (?:version|view|format)
      | share\ this(?:\ on| article| story)?:? | e-?mail\ this\ (?:to\ a\ friend|article|story|page)
      | (?:read|post|leave|add|view)\ (?:a\ |all\ |your\ )?comments?\ ?(?:\(\d+\))?
      | back\ to\ top | top\ of\ page | next\ (?:page|article|story).* | previous\ (?:page|article|story).*
      | (?:related|more)\ (?:stories|articles|links|news|coverage|topics)\s*:?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_COPYRIGHT = re.compile(r"(?:©|\(c\)\s*(?:19|20)\d\d|\bcopyright\b.*(?:19|20)\d\d|all rights reserved)", re.I)
_COPYRIGHT_START = re.compile(
    r"^(?:copyright\b\s*(?:©|\(c\))?\s*(?:19|20)\d\d|©\s*(?:19|20)\d\d|\(c\)\s*(?:19|20)\d\d)", re.I
)
# Text ads end with the advertiser's bare domain ("... Free Demo. InterGuardSoftware.com").
_AD_DOMAIN = re.compile(r"\s(?:www\.)?[\w-]+\.(?:com|net|org|biz|info)(?:/[\w/-]*)?$", re.I)
_MEDIA_ID = re.compile(r"^media\s+id\s*:\s*(\S+)\s*$", re.IGNORECASE)
_CAPTION = re.compile(r"^caption\s*:\s*(.*)$", re.IGNORECASE)
_BYLINE = re.compile(r"^by\s+(.+)$", re.IGNORECASE)
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.|(?:de|van|von|der|da|di|la|le|bin|al)$)")
_NOT_NAME = re.compile(
    r"\b(?:writer|staff|correspondent|reporter|editor|press|news|service|times|post|wire|"
    r"contributor|columnist|updated|posted|published)\b",
    re.IGNORECASE,
)
_DATE_LABEL = re.compile(
    r"^(?:last\s+updated?|updated|posted(?:\s+on)?|published(?:\s+on)?|first\s+published|date)\s*:?\s*(.*)$",
    re.IGNORECASE,
)
_HAS_YEAR = re.compile(r"\b(?:19[89]\d|20\d\d)\b")
_MONTH_NAME = r"(?P<month>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\.?"
_DAY_MONTH_YEAR = re.compile(rf"\b(?P<day>\d{{1,2}})\s+{_MONTH_NAME},?\s+(?P<year>(?:19|20)\d\d)\b", re.I)
_MONTH_DAY_YEAR = re.compile(
    rf"\b{_MONTH_NAME}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I
)
_MONTH_NUMBER = {m: i for i, m in enumerate(_MONTHS.split("|"), start=1)}
_CLOCK = re.compile(r"\b(\d{1,2}):(\d\d)\s*([ap]\.?m\.?)?", re.I)
_DATE_CHARS = re.compile(r"[\w\s,./:-]+")
_HAS_TIME = re.compile(r"\b\d{1,2}:\d\d\b")
_TITLE_SEPARATORS = re.compile(r"\s+(\||--|-|–|—|::|»|·)\s+")
_STRONG_SEPARATORS = frozenset({"|", "::", "»", "·"})
"""Separators a headline hardly ever holds; a dash often does ("Harbour plan unveiled - Mayor")."""
_META_LINE = re.compile(
    r"^(?P<label>url|link|source url|original url|canonical(?: url)?|source|publisher|publication|site"
    r"|website|newspaper|section|category|rubric)\s*:\s*(?P<value>\S.*)$",
    re.IGNORECASE,
)
_URL_LABELS = frozenset({"url", "link", "source url", "original url", "canonical", "canonical url"})
_SECTION_LABELS = frozenset({"section", "category", "rubric"})
_URL_LINE = re.compile(r"^(?:https?://|www\.)[^\s/]+\.[^\s]+$", re.IGNORECASE)
_HEADER_LINES = 12
"""Non-empty lines after the title where a dump's own metadata lines (URL, source, section) may sit."""
_MAX_NAME_WORDS = 6
_PUBLICATION_WORD_LIST = (
    "times post news daily weekly herald gazette courier journal tribune chronicle observer guardian "
    "telegraph examiner inquirer enquirer sentinel dispatch advertiser bulletin magazine zeitung "
    "tageblatt tagblatt rundschau nachrichten allgemeine kurier presse diario periódico periodico "
    "noticias gazzetta corriere jornal folha krant dagblad tidning posten bladet gazeta"
)
_PUBLICATION_WORDS = frozenset(_PUBLICATION_WORD_LIST.split())
"""Words of publication names in several languages ("Coastline Courier", "Daily Example", "Kieler
Nachrichten"): a short capitalised title-line part holding one names the site."""
_NAME_STOPWORDS = frozenset(
    ["the", "a", "an", "of", "and", "le", "la", "les", "el", "los", "las", "die", "der"]
)
_WRAP_MIN_CHARS, _WRAP_MAX_CHARS, _WRAP_MIN_WORDS = 30, 100, 5
_WRAP_MIN_JOINS = 2
_WRAP_LONG_SHARE = 0.1
"""A dump is hard-wrapped when at most this share of its text lines is longer than a wrap width."""
_WRAPPED_END = re.compile(r"[.!?:;\"”’)\]…]$")
_LOWER_START = re.compile(r"^[^\W\d_A-Z]")
_HOST_LIKE = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,24}")
_DOMAIN = re.compile(r"[\w-]+\.(?:com|net|org|co\.uk|info|news)\b", re.I)
_DOMAIN_PREFIX = re.compile(r"^([\w-]+\.(?:com|net|org|co\.uk))\s*:\s+", re.I)
_NON_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(slots=True)
class _Header:
    """What the first lines of a dump say: the article title and the publisher's name."""

    title: str = ""
    source: str = ""
    section: str | None = None
    url: str | None = None
    consumed: set[int] = field(default_factory=set)


@dataclass(slots=True)
class _Known:
    """What else names the site, to tell a " - Site" suffix from a dash in a headline."""

    hosts: list[str]
    """The URL's host and a folder named like a host."""
    names: list[str]
    """Site names given outside the title line (a hint, a "Source:" line)."""
    copyrights: list[str]
    """Keys of the page's copyright lines, which name the publisher."""


def decode_dump(raw: bytes) -> str:
    """Bytes -> clean text: decoded by extract.encoding, mojibake fixed, NFC, control chars dropped.

    UTF-8 first, then windows-1252 when it reads as text, else the encoding the bytes show: a
    dump has no declaration, and cp1256 or KOI8-R read as windows-1252 is mojibake.
    """
    text = decode(raw)
    # ftfy works line by line and dominates extraction time; its badness check is one regex pass
    if not text.isascii() and is_bad(text):
        text = ftfy.fix_text(text, uncurl_quotes=False)
    text = _NON_TEXT.sub("", text)
    return remove_stray_letters(unicodedata.normalize("NFC", text))


def extract_textdump(capture: Capture, settings: Settings) -> Extracted:
    """Read a text dump: title, publisher, dates, media ids, captions and the article body."""
    if len(capture.raw) > settings.max_capture_bytes:
        raise ExtractionError(
            capture.origin,
            f"text dump is {len(capture.raw)} bytes, over max_capture_bytes={settings.max_capture_bytes}; "
            "raise the limit or split the file",
        )
    text = decode_dump(capture.raw)
    lines = _join_wrapped([" ".join(line.split()) for line in text.splitlines()])
    header = _read_header(lines, capture)
    dropped = set(header.consumed)
    dropped |= _toolbar_lines(lines)

    media_ids: list[str] = []
    captions: list[str] = []
    removed: list[str] = []
    candidates: list[str] = []
    title_key = _line_key(header.title)
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line:
            index += 1
            continue
        if index in dropped:
            removed.append(line)
            index += 1
            continue
        media = _MEDIA_ID.match(line)
        caption = _CAPTION.match(line)
        if media:
            media_ids.append(media.group(1))
            removed.append(line)
        elif caption:
            removed.append(line)
            caption_lines, index = _caption_after(lines, index, caption.group(1))
            captions.extend(caption_lines)
            removed.extend(caption_lines)
            continue
        elif (title_key and _line_key(line) == title_key) or is_chrome_line(line):
            removed.append(line)
        else:
            candidates.append(line)
        index += 1

    body_index = set(select_body(candidates))
    body_blocks = [b for i, b in enumerate(candidates) if i in body_index]
    removed.extend(b for i, b in enumerate(candidates) if i not in body_index)
    published = _published(lines, dropped)
    url = capture.url or header.url
    return Extracted(
        title=header.title,
        body="\n\n".join(body_blocks),
        source=header.source,
        site=_site_key(capture, url, header.source),
        url=url,
        authors=_authors(candidates),
        published=published,
        published_from="text" if published else None,
        section=header.section or capture.hints.get("section") or capture.hints.get("section_dir") or None,
        captions=captions,
        media_ids=media_ids,
        blocks=candidates,
        removed=removed,
    )


def is_chrome_line(line: str) -> bool:
    """Lines that are page furniture on any site: share bars, print links, copyright, menus."""
    if _CHROME_LINE.match(line):
        return True
    words = len(line.split())
    if (words <= 30 and _COPYRIGHT.search(line)) or _COPYRIGHT_START.match(line) or _AD_DOMAIN.search(line):
        return True
    # A menu flattened into one line: many short items between separators.
    items = [part for part in re.split(r"\s*(?:\||•|·)\s*", line) if part]
    return len(items) >= 4 and max(len(item.split()) for item in items) <= 4


def _toolbar_lines(lines: list[str]) -> set[int]:
    """Indices of the Wayback Machine toolbar: date tokens, capture counts, collection notes."""
    anchor = next(
        (i for i, line in enumerate(lines[:80]) if line.lower() in {"about this capture", "collected by"}),
        None,
    )
    if anchor is None:
        return set()
    found: set[int] = set()
    start = anchor
    while start - 1 >= 0 and (not lines[start - 1] or _TOOLBAR_LINE.match(lines[start - 1])):
        start -= 1
    found.update(i for i in range(start, anchor + 1) if lines[i])
    i = anchor + 1
    while i < len(lines):
        line = lines[i]
        if not line or _TOOLBAR_LINE.match(line):
            found.add(i)
            i += 1
        elif _TOOLBAR_LABEL.match(line):
            found.add(i)
            # the label's description: the next non-empty line unless it is itself a label
            j = i + 1
            while j < len(lines) and not lines[j]:
                j += 1
            if j < len(lines) and not _TOOLBAR_LABEL.match(lines[j]) and not _TOOLBAR_LINE.match(lines[j]):
                found.add(j)
                i = j + 1
            else:
                i = j
        else:
            break
    return found


def _caption_after(lines: list[str], index: int, inline: str) -> tuple[list[str], int]:
    """The caption text after a "Caption:" label: inline, else the next paragraph of lines."""
    if inline.strip():
        return [inline.strip()], index + 1
    j = index + 1
    while j < len(lines) and not lines[j]:
        j += 1
    found: list[str] = []
    # a caption is one short paragraph; stop at the first blank line or a long prose run
    while j < len(lines) and lines[j] and len(found) < 3:
        found.append(lines[j])
        j += 1
    return found, j


def _read_header(lines: list[str], capture: Capture) -> _Header:
    """Find the "Title | Site" line (first line, or second after a site menu line) and split it.

    A dump's own metadata lines after it ("URL: …", "Source: …", "Section: …", a bare URL) are
    read too: they name the site better than any folder.
    """
    nonempty = [i for i, line in enumerate(lines) if line][:3]
    if not nonempty:
        return _Header()
    title_index = nonempty[0]
    menu_index: int | None = None
    if len(nonempty) >= 2:
        first, second = (_split_title(lines[i])[0] for i in nonempty[:2])
        # A site menu/tagline line before the title shares the title line's site name; a first
        # paragraph that happens to share a word ("The …") with the headline's last part is no title.
        if (
            len(first) >= 2
            and len(second) >= 2
            and _is_name(_common_words(first[-1], second[-1]))
            and _is_title_line(lines[nonempty[1]])
        ):
            menu_index, title_index = nonempty[0], nonempty[1]
    meta = _metadata_lines(lines, title_index)
    known = _known_names(lines, capture, meta)
    parts, separators = _split_title(lines[title_index])
    hint_title = capture.hints.get("title", "").strip()
    title, site_parts = _choose_title(parts, separators, lines, title_index, known)
    if hint_title:
        title = hint_title
    source = _pick_source(site_parts, parts)
    if source and menu_index is not None:
        menu_site = _split_title(lines[menu_index])[0][-1]
        source = _common_words(menu_site, source) or source
    source = (
        capture.hints.get("source", "").strip()
        or meta.get("source")
        or _normalise_case(_strip_archive_suffix(source))
    )
    section = next((p for p in site_parts if p != source and len(site_parts) > 1), None) or meta.get(
        "section"
    )
    consumed = {title_index} | ({menu_index} if menu_index is not None else set()) | set(meta.indices)
    return _Header(title=title, source=source, section=section, url=meta.get("url"), consumed=consumed)


@dataclass(slots=True)
class _Metadata:
    """A dump's own "URL:", "Source:" and "Section:" lines: their values, and where they are."""

    values: dict[str, str] = field(default_factory=dict)
    indices: list[int] = field(default_factory=list)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.values.get(name, default)

    def add(self, name: str, value: str, index: int) -> None:
        self.values.setdefault(name, value)
        self.indices.append(index)


def _metadata_lines(lines: list[str], title_index: int) -> _Metadata:
    """The metadata lines between the title line and the article's first paragraph."""
    found = _Metadata()
    seen = 0
    for i in range(title_index + 1, len(lines)):
        line = lines[i]
        if not line:
            continue
        seen += 1
        if seen > _HEADER_LINES or (word_count(line) >= 12 and ends_sentence(line)):
            break  # the article has begun
        if _URL_LINE.match(line):
            found.add("url", line if "//" in line else f"http://{line}", i)
            continue
        match = _META_LINE.match(line)
        if not match:
            continue
        label, value = match.group("label").lower(), match.group("value").strip()
        if label in _URL_LABELS:
            if _URL_LINE.match(value):
                found.add("url", value if "//" in value else f"http://{value}", i)
        elif len(value.split()) <= _MAX_NAME_WORDS and not ends_sentence(value):
            found.add("section" if label in _SECTION_LABELS else "source", value, i)
    return found


def _known_names(lines: list[str], capture: Capture, meta: _Metadata) -> _Known:
    hosts = [h for h in (url_host(capture.url), url_host(meta.get("url"))) if h]
    site_dir = capture.hints.get("site_dir", "").strip()
    if _HOST_LIKE.fullmatch(site_dir):
        hosts.append(site_dir.lower().removeprefix("www."))
    names = [n for n in (capture.hints.get("source", "").strip(), meta.get("source")) if n]
    copyrights = [_line_key(line) for line in lines if line and len(line) < 300 and _COPYRIGHT.search(line)]
    return _Known(hosts=hosts, names=names, copyrights=copyrights)


def _is_title_line(line: str) -> bool:
    """A "Title | Site" line, not a paragraph: it does not end as a sentence and is not long."""
    return word_count(line) <= 30 and not ends_sentence(line)


def _is_name(shared: str) -> bool:
    """Whether words two lines share can be a site's name: more than "The" or "La"."""
    return any(len(w) >= 3 and w.lower() not in _NAME_STOPWORDS for w in shared.split())


def _split_title(line: str) -> tuple[list[str], list[str]]:
    """The title line's parts and the separators between them (``separators[i]`` follows ``parts[i]``)."""
    domain = _DOMAIN_PREFIX.match(line)
    parts = [domain.group(1)] if domain else []
    separators = [":"] if domain else []
    rest = line[domain.end() :] if domain else line
    pieces = _TITLE_SEPARATORS.split(rest)
    for k in range(0, len(pieces), 2):
        part = pieces[k].strip()
        if not part:
            continue
        if parts and len(separators) < len(parts):
            separators.append(pieces[k - 1] if k else "|")
        parts.append(part)
    return parts, separators


def _pick_source(site_parts: list[str], parts: list[str]) -> str:
    """The publisher among the title line's non-headline parts: a domain, else a short proper name.

    Prefers the parts at the line's edges (publishers go first or last; inner parts are
    sections) and refuses dates and decks.
    """
    edges = [p for p in (parts[0], parts[-1]) if p in site_parts] if parts else []
    ordered = edges[::-1] + [p for p in site_parts if p not in edges]
    for part in ordered:
        domain = _DOMAIN.search(part)
        if domain:
            return part if len(part.split()) == 1 else domain.group(0)
    for part in map(_strip_archive_suffix, ordered):
        words = part.split()
        if (
            len(words) <= 4
            and not _HAS_YEAR.search(part)
            and not re.search(rf"\b(?:{_MONTHS})\w*\.? \d", part, re.I)
            and all(w[:1].isupper() or not w[:1].isalpha() for w in words)
        ):
            return part
    return ""


def _choose_title(
    parts: list[str], separators: list[str], lines: list[str], title_index: int, known: _Known
) -> tuple[str, list[str]]:
    """Pick the headline among the title line's parts, and the parts that are not the headline.

    The headline is the part the page repeats as its heading, else the whole line when the page
    repeats that, else the longest part that does not name the site. A part beyond a dash stays
    in the headline unless something says it names the site (``_names_site``), more parts lie
    beyond it, or the page's own heading ends there: "Harbour plan unveiled - Mayor" is one.
    """
    if not parts:
        return "", []
    if len(parts) == 1:
        return parts[0], []
    later = {_line_key(line) for line in lines[title_index + 1 : title_index + 400] if line}
    repeated = [p for p in parts if _line_key(p) in later and len(p.split()) >= 3]
    whole = _joined(parts, separators, 0, len(parts) - 1)
    if not repeated and _line_key(whole) in later:
        return whole, []  # the page's heading is the whole line, dashes and all
    if repeated:
        title = max(repeated, key=len)
    else:  # the longest part that is not the site's name ("Smear tactics - Los Angeles Times")
        unnamed = [p for p in parts if not _names_site(p, known)]
        title = max(unnamed or parts, key=lambda p: len(p.split()))
    lo = hi = parts.index(title)

    def splits(separator: str, part: str, outermost: bool) -> bool:
        return bool(repeated) or separator in _STRONG_SEPARATORS or not outermost or _names_site(part, known)

    while lo > 0 and not splits(separators[lo - 1], parts[lo - 1], lo - 1 == 0):
        lo -= 1
    while hi < len(parts) - 1 and not splits(separators[hi], parts[hi + 1], hi + 1 == len(parts) - 1):
        hi += 1
    return _joined(parts, separators, lo, hi), parts[:lo] + parts[hi + 1 :]


def _joined(parts: list[str], separators: list[str], lo: int, hi: int) -> str:
    return parts[lo] + "".join(f" {separators[k]} {parts[k + 1]}" for k in range(lo, hi))


def _names_site(part: str, known: _Known) -> bool:
    """Evidence that a title-line part is the site (or a date), not the rest of a headline: a
    domain, a date, the site's host ("Los Angeles Times" ~ latimes.com), a site name given
    elsewhere, a publication's name ("The Coastline Courier"), or the page's copyright line
    naming it. "Mayor" after a dash has none of these: it stays in the headline."""
    if _DOMAIN.search(part) or is_timestamp(part):
        return True
    key = _line_key(part).removeprefix("the ")
    if not key:
        return False
    if any(_line_key(name).removeprefix("the ") == key for name in known.names):
        return True
    if any(_matches_host(key, host) for host in known.hosts):
        return True
    if _is_publication_name(part):
        return True
    return any(f" {key} " in f" {line} " for line in known.copyrights)


def _is_publication_name(part: str) -> bool:
    words = part.split()
    return (
        len(words) <= 5
        and all(w[:1].isupper() or not w[:1].isalpha() or w.lower() in _NAME_STOPWORDS for w in words)
        and any(re.sub(r"\W", "", w).lower() in _PUBLICATION_WORDS for w in words)
    )


def _matches_host(key: str, host: str) -> bool:
    """Whether a name's key spells the host: whole ("coastline courier" ~ coastlinecourier.example),
    by initials ("new york post" ~ nypost.com, "asharq al awsat" ~ aawsat.com) or a prefix of either."""
    labels = [
        label for label in host.split(".")[:-1] if label not in {"www", "co", "com", "org", "net", "ac"}
    ]
    if not labels:
        return False
    spelled = {re.sub(r"[^a-z0-9]", "", "".join(labels)), re.sub(r"[^a-z0-9]", "", "".join(labels[::-1]))}
    spelled |= {re.sub(r"[^a-z0-9]", "", label) for label in labels if len(label) >= 3}
    words = key.split()
    forms = {"".join(words), "".join(w[0] for w in words[:-1]) + words[-1]}
    return any(
        form == name or (len(name) >= 5 and form.startswith(name))
        for form in forms
        for name in spelled
        if name
    )


def _common_words(a: str, b: str) -> str:
    """The leading words two site names share (case-insensitive), in ``a``'s spelling."""
    words_a, words_b = a.split(), b.split()
    n = 0
    while n < min(len(words_a), len(words_b)) and words_a[n].lower() == words_b[n].lower():
        n += 1
    return " ".join(words_a[:n])


def _strip_archive_suffix(name: str) -> str:
    """Drop trailing years and words like "English Archive 2005 -2017" from a site name."""
    name = re.sub(r"[\s\d–—-]*$", "", name).strip()
    return re.sub(r"\s+(?:english\s+)?(?:archives?|online|edition)$", "", name, flags=re.IGNORECASE).strip()


def _normalise_case(name: str) -> str:
    """SHOUTED names become Title Case (short all-caps words stay acronyms); domains stay as is."""
    if not name or "." in name:
        return name
    shouted = name.upper() == name
    words = []
    for word in name.split():
        if shouted and not (len(word) <= 3 and "-" not in word):
            word = word.lower()
        words.append("-".join(p[:1].upper() + p[1:] if p[:1].isalpha() else p for p in word.split("-")))
    return " ".join(words)


def _site_key(capture: Capture, url: str | None, source: str) -> str:
    """A stable grouping key: URL host, else a host-like folder name, else the publisher name."""
    host = url_host(url)
    if host:
        return host
    site_dir = capture.hints.get("site_dir", "").strip()
    # a folder named like a host is more stable than a name read from each page's title
    if site_dir and _HOST_LIKE.fullmatch(site_dir):
        return site_dir.lower().removeprefix("www.")
    if source:
        return re.sub(r"[^\w]+", "-", source.lower()).strip("-")
    return site_dir or "unknown"


def _join_wrapped(lines: list[str]) -> list[str]:
    """Hard-wrapped paragraphs (plain-text articles cut at ~70-80 characters) as one line each.

    Only in a dump that is wrapped, where hardly any line is longer than a wrap width (a page
    dump puts each paragraph on one long line). There a line continues on the next when it does
    not end as a sentence or label does and the next starts in lower case. The title line is
    never joined; joined lines' places become blank, so line numbers stay as they were.
    """
    if not _is_hard_wrapped(lines):
        return lines
    joined = list(lines)
    first = next((i for i, line in enumerate(lines) if line), len(lines))
    target = first
    for i in range(first + 1, len(lines)):
        if target != first and _continues(lines[i - 1], lines[i]):
            joined[target] = f"{joined[target]} {lines[i]}"
            joined[i] = ""
            continue
        target = i
    return joined


def _is_hard_wrapped(lines: list[str]) -> bool:
    text_lines = [line for line in lines if len(line) >= _WRAP_MIN_CHARS]
    too_long = sum(1 for line in text_lines if len(line) > _WRAP_MAX_CHARS)
    continued = sum(1 for a, b in pairwise(lines) if _continues(a, b))
    return continued >= _WRAP_MIN_JOINS and too_long <= _WRAP_LONG_SHARE * len(text_lines)


def _continues(line: str, following: str) -> bool:
    return bool(
        following
        and _LOWER_START.match(following)
        and _WRAP_MIN_CHARS <= len(line) <= _WRAP_MAX_CHARS
        and len(line.split()) >= _WRAP_MIN_WORDS
        and not _WRAPPED_END.search(line)
    )


def _line_key(line: str) -> str:
    return re.sub(r"\W+", " ", line.lower()).strip()


def _authors(candidates: list[str]) -> list[str]:
    """Names from the first short "By X, Y and Z" line, without job titles or agencies."""
    for line in candidates[:400]:
        match = _BYLINE.match(line)
        if not match or len(line.split()) > 14:
            continue
        text = re.split(r"\s+(?:mon|tue|wed|thu|fri|sat|sun)\w*\b", match.group(1), flags=re.I)[0]
        names: list[str] = []
        for chunk in re.split(r"\s*(?:,|\band\b|&)\s*", text):
            words = chunk.split()
            if not words or _NOT_NAME.search(chunk) or len(words) > 4:
                continue
            if len(words) >= 2 and all(_NAME_WORD.fullmatch(w) for w in words):
                names.append(" ".join(w.capitalize() if w.isupper() and len(w) > 2 else w for w in words))
        if names:
            return names
    return []


def _published(lines: list[str], dropped: set[int]) -> str | None:
    """A labelled date ("Last Updated: …", "Posted: …") when one is clearly present."""
    for i, line in enumerate(lines[:600]):
        if i in dropped or not line or len(line) > 90:
            continue
        match = _DATE_LABEL.match(line)
        if not match:
            continue
        value = match.group(1).strip()
        if not _HAS_YEAR.search(value) and i + 1 < len(lines) and _HAS_YEAR.search(lines[i + 1]):
            value = f"{value} {lines[i + 1]}".strip()
        if not _HAS_YEAR.search(value):
            continue
        parsed = _parse_date(value)
        if parsed is not None:
            return parsed.isoformat() if _HAS_TIME.search(value) else parsed.date().isoformat()
    return None


def _parse_date(value: str) -> datetime | None:
    """English "13 October 2005, 10:36" / "March 12, 2009 2:51 pm" by regex, anything else by dateparser."""
    value = " ".join(re.sub(r"\b(?:GMT|UTC|UK|ET|EST|EDT|PST|PDT|CET|BST)\b", " ", value).split()).strip(" ,")
    quick = _quick_date(value)
    if quick is not None:
        return quick
    if not _HAS_YEAR.search(value) or len(value.split()) > 8 or not _DATE_CHARS.fullmatch(value):
        # dateparser fills a missing year or day from today and reads dates into headlines:
        # only hand it short, date-shaped values, never invent
        return None
    import dateparser  # slow to import and to run; only for dates our regexes do not read

    try:
        parsed = dateparser.parse(value, settings={"RETURN_AS_TIMEZONE_AWARE": False})
    except (ValueError, OverflowError):
        return None
    return parsed if isinstance(parsed, datetime) else None


def _quick_date(value: str) -> datetime | None:
    day_first = _DAY_MONTH_YEAR.search(value)
    month_first = _MONTH_DAY_YEAR.search(value)
    match = day_first or month_first
    if match is None:
        return None
    month = _MONTH_NUMBER[match.group("month")[:3].lower()]
    hour = minute = 0
    clock = _CLOCK.search(value)
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        meridiem = (clock.group(3) or "").lower().replace(".", "")
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
    try:
        return datetime(int(match.group("year")), month, int(match.group("day")), hour, minute)
    except ValueError:
        return None
