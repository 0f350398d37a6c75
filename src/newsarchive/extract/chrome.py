"""Site chrome: learn a site's template from what repeats across its pages, then drop it.

A menu, a footer or a "most popular" box is the same text on most pages of a site, while an
article's paragraphs are on one page only. Counting, per site, on how many pages each
normalised block occurs separates the two without per-site rules. Works on any list of
blocks (text-dump lines, trafilatura paragraphs), so text dumps and HTML share it.

A "latest stories" river (timestamp, headline, teaser, a dozen times) has different words on
every page, so it is found by its shape instead (``rivers``): on one page when it is long and
clear, and at a body's end by the item layout the site's pages show again and again.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from newsarchive.extract import rivers
from newsarchive.extract.rivers import River, find_rivers, is_timestamp
from newsarchive.model import Extracted
from newsarchive.settings import Settings

_MAX_KEYS = 100_000
"""Keys kept per site before the ones seen once are forgotten, so memory stays bounded."""
_PERSIST_ALL_KEYS = 20_000
"""Below this many keys a site's record keeps the keys seen once too (a few hundred pages)."""
_KEY_CHARS = 200
_MIN_EXTRA_RUN = 30.0
_EXTRA_RUN_SHARE = 0.15
_EXTRA_RUN_PROSE = 3
_TAIL_MARKER = re.compile(
    r"^(?:\d+\s+(?:reader\s+)?comments?|(?:reader|user)\s+comments?|comments?\s*\(\d+\))\s*:?$"
    r"|^(?:post|leave|add|read|view|loading)\s+(?:a\s+|all\s+|your\s+)?comments?\b"
    r"|^(?:join the (?:conversation|discussion)|discuss this (?:story|article|post))\b",
    re.IGNORECASE,
)
"""Headings that open a comments section: nothing after them is the article."""
_LONG_PROSE_WORDS = 12
_MAX_PROSE_SHARE = 0.6
"""Above this share of a body's words in repeated prose, the repeats are copies of the article."""
_MAX_EDGE_SHARE = 0.5
_HEADLINE_WORDS = 16
_TEASER_WORDS = 40
_PAGE_RIVER_GROUPS = 3
"""Items a river needs to be recognised on one page, nearly all with a headline."""
_NEXT_TO = 3
"""Blocks looked at on each side of a river to tell whether the article goes on around it."""
_SITE_RIVER_GROUPS = 2
"""Items enough at a body's end once the site's pages have shown the same item layout."""
_MAX_RIVER_SHARE = 0.8
"""A learned river never takes more of a body's words than this (the rest must be the article)."""
_RIVER_HEADING_WORDS = 4
_LIST_INTRO_WORDS = 15
_LIST_ITEM_WORDS = 10
_LIST_ITEMS = 8
_AFTER_LIST_WORDS = 15
"""The paragraph after a list that the article's run goes on to: a real paragraph, not a teaser."""
_BULLET = re.compile(r"^(?:[•·▪‣◦*–—-]|\(?\d{1,2}[.)]|[a-z][.)])\s+\S")

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(
    r"""(?:[.!?;]|[.!?]["'”’)\]])$"""
    "|[。！？；｡．။។៕།༎][」』）〕】〉》”’\"')\\]]?$"
)
"""A sentence's last character: Latin-script stops, and the full stops of CJK, Burmese, Khmer, Tibetan."""
_HAN_KANA = (
    "\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f"
)
_SOUTHEAST = (
    "\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\u1950-\u19ff\u1a20-\u1aaf\u1b00-\u1b7f\ua980-\ua9ff\uaa60-\uaadf"
)
"""Scripts written without spaces between words: Han and kana; Thai, Lao, Tibetan, Myanmar, Khmer,
the Tai scripts, Balinese and Javanese. Korean spaces its words, so Hangul is not here."""
_UNSPACED = re.compile(f"[{_HAN_KANA}{_SOUTHEAST}]+")
_HAN_KANA_CHAR = re.compile(f"[{_HAN_KANA}]")
_SOUTHEAST_CHAR = re.compile(f"[{_SOUTHEAST}]")
_HAN_KANA_PER_WORD = 2.0
"""Chinese words average under two characters, Japanese about two."""
_LETTERS_PER_WORD = 3.0
"""Letters (vowel signs and tone marks, which combine, not counted) in a Thai, Khmer or Burmese word."""
_UNMARKED_END = re.compile("[\u0e00-\u0eff]$")
"""Thai and Lao mark no sentence end: a long line ending in one of their letters ends like a sentence."""
_DAY_OR_MONTH = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"[a-z]*\b",
)


def word_count(block: str) -> float:
    """Words in a block: space-separated tokens, and words estimated from the length of text in
    scripts written without spaces, where a whole Chinese paragraph is one "token"."""
    if block.isascii() or not _UNSPACED.search(block):
        return len(block.split())
    han_kana = len(_HAN_KANA_CHAR.findall(block))
    letters = sum(
        1 for char in _SOUTHEAST_CHAR.findall(block) if not unicodedata.category(char).startswith("M")
    )
    # punctuation between the runs (，「」) is no word; Latin words and numbers among them are
    spaced = sum(1 for token in _UNSPACED.sub(" ", block).split() if _WORD.search(token))
    return spaced + han_kana / _HAN_KANA_PER_WORD + letters / _LETTERS_PER_WORD


def ends_sentence(block: str) -> bool:
    """Whether a block ends as a sentence does, in its script's way (see _SENTENCE_END, _UNMARKED_END)."""
    if _SENTENCE_END.search(block):
        return True
    return bool(_UNMARKED_END.search(block)) and word_count(block) >= _LONG_PROSE_WORDS


def line_shape(block: str) -> str:
    """One letter for what a line looks like (``rivers``): timestamp, headline, label, teaser, prose, long."""
    if is_timestamp(block):
        return rivers.TIMESTAMP
    words = word_count(block)
    if ends_sentence(block) or block.endswith("…"):
        return rivers.TEASER if words <= _TEASER_WORDS else rivers.PROSE
    if words <= 1:
        return rivers.LABEL
    return rivers.HEADLINE if words <= _HEADLINE_WORDS else rivers.LONG


def page_rivers(blocks: list[str]) -> list[River]:
    """Rivers one page shows by itself: at least three timestamped items, headlines in all but one."""
    found = find_rivers([line_shape(b) for b in blocks], _PAGE_RIVER_GROUPS)
    return [r for r in found if r.with_headline >= r.groups - 1]


def block_key(block: str) -> str:
    """A block's identity across pages: lowercase words, digits and month/day names folded."""
    text = _DAY_OR_MONTH.sub("D", block.lower())
    text = re.sub(r"\d+", "0", text)
    return " ".join(_WORD.findall(text))[:_KEY_CHARS]


@dataclass(slots=True)
class SiteChrome:
    """What was learned about one site's template: on how many pages each block key occurs."""

    site: str
    pages: int = 0
    key_pages: dict[str, int] = field(default_factory=dict)
    river_pages: dict[str, int] = field(default_factory=dict)
    """On how many pages a river of each item layout (``River.signature``) was seen."""
    _cache: tuple[tuple[int, int, float], tuple[frozenset[str], frozenset[str]]] | None = field(
        default=None, repr=False, compare=False
    )

    def add_page(self, blocks: list[str]) -> None:
        """Count one page's blocks (each distinct key once per page) and its rivers' item layouts."""
        self.pages += 1
        for key in {block_key(b) for b in blocks}:
            if key:
                self.key_pages[key] = self.key_pages.get(key, 0) + 1
        for signature in {
            r.signature for r in find_rivers([line_shape(b) for b in blocks], _SITE_RIVER_GROUPS)
        }:
            self.river_pages[signature] = self.river_pages.get(signature, 0) + 1
        if len(self.key_pages) > _MAX_KEYS:
            # lossy counting: a key seen once among this many is article text, not template
            self.key_pages = {k: n for k, n in self.key_pages.items() if n > 1}
        self._cache = None

    def to_json(self) -> dict[str, Any]:
        """Every count while the site is small, so that what is learned does not depend on where
        batches end (a block seen once per batch must still add up); past ``_PERSIST_ALL_KEYS``
        only keys seen on two or more pages, which keeps a big site's record small, and by then a
        template block is on many pages of any batch."""
        small = len(self.key_pages) <= _PERSIST_ALL_KEYS
        return {
            "site": self.site,
            "pages": self.pages,
            "key_pages": {k: n for k, n in self.key_pages.items() if small or n > 1},
            "river_pages": {k: n for k, n in self.river_pages.items() if small or n > 1},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SiteChrome:
        return cls(
            site=str(data["site"]),
            pages=int(data.get("pages", 0)),
            key_pages={str(k): int(n) for k, n in dict(data.get("key_pages", {})).items()},
            river_pages={str(k): int(n) for k, n in dict(data.get("river_pages", {})).items()},
        )

    def merged(self, other: SiteChrome) -> SiteChrome:
        """Two counts of one site (say, from two partitions) as one: what ``add_page`` over both gives."""
        keys = dict(self.key_pages)
        for key, n in other.key_pages.items():
            keys[key] = keys.get(key, 0) + n
        river_pages = dict(self.river_pages)
        for signature, n in other.river_pages.items():
            river_pages[signature] = river_pages.get(signature, 0) + n
        return SiteChrome(self.site, self.pages + other.pages, keys, river_pages)

    def learned(self, settings: Settings) -> tuple[frozenset[str], frozenset[str]]:
        """(template keys, edge keys) under the current settings.

        Template keys are on at least ``chrome_min_share`` of the pages (and ``chrome_min_pages``):
        dropped wherever they occur. Edge keys are on ``chrome_min_pages`` pages but below that
        share, like a footer of one section or era of the site: only trimmed from the body's
        start and end, where templates sit, so one article quoted on a few pages survives.
        """
        if self.pages < settings.chrome_min_pages:
            return frozenset(), frozenset()
        marker = (self.pages, settings.chrome_min_pages, settings.chrome_min_share)
        if self._cache is not None and self._cache[0] == marker:
            return self._cache[1]
        strong = max(settings.chrome_min_pages, math.ceil(settings.chrome_min_share * self.pages))
        template = frozenset(k for k, n in self.key_pages.items() if n >= strong)
        edge = frozenset(k for k, n in self.key_pages.items() if settings.chrome_min_pages <= n < strong)
        self._cache = (marker, (template, edge))
        return template, edge

    def river_layouts(self, settings: Settings) -> frozenset[str]:
        """Item layouts of rivers seen on as many of the site's pages as a template line must be."""
        if self.pages < settings.chrome_min_pages:
            return frozenset()
        strong = max(settings.chrome_min_pages, math.ceil(settings.chrome_min_share * self.pages))
        return frozenset(k for k, n in self.river_pages.items() if n >= strong)

    def applied(self, settings: Settings) -> SiteChrome | None:
        """Only what ``apply_chrome`` reads (keys and layouts on ``chrome_min_pages`` pages or more),
        None when too few pages were seen to learn anything: a small record to ship to every worker
        of a batch job, which cleans exactly as the whole count does."""
        if self.pages < settings.chrome_min_pages:
            return None
        least = settings.chrome_min_pages
        return SiteChrome(
            self.site,
            self.pages,
            {k: n for k, n in self.key_pages.items() if n >= least},
            {k: n for k, n in self.river_pages.items() if n >= least},
        )

    def chrome_keys(self, settings: Settings) -> frozenset[str]:
        """Everything learned that changes ``apply_chrome``'s output; edge keys carry an ``edge:`` prefix,
        river layouts a ``river:`` one."""
        template, edge = self.learned(settings)
        layouts = frozenset(f"river:{k}" for k in self.river_layouts(settings))
        return template | frozenset(f"edge:{k}" for k in edge) | layouts


def apply_chrome(extracted: Extracted, chrome: SiteChrome | None, settings: Settings) -> Extracted:
    """Drop the site's template from the body (only ever removes text) and from ``blocks``.

    With no chrome learned (or too few pages) the single-page result is returned unchanged.
    """
    if chrome is None or chrome.pages < settings.chrome_min_pages:
        return extracted
    template, edge = chrome.learned(settings)
    layouts = chrome.river_layouts(settings)
    if not template and not edge and not layouts:
        return extracted
    paragraphs = [paragraph.split("\n") for paragraph in extracted.body.split("\n\n")]
    lines = [(p, i, line) for p, para in enumerate(paragraphs) for i, line in enumerate(para) if line.strip()]
    keys = [block_key(line) for _, _, line in lines]
    drop = [key in template for key in keys]
    words = [word_count(line) for _, _, line in lines]
    total = sum(words) or 1
    prose_dropped = sum(
        w for w, d, (_, _, line) in zip(words, drop, lines, strict=True) if d and _is_prose(line)
    )
    if prose_dropped > _MAX_PROSE_SHARE * total:
        # Most of the article "repeats across the site": this is a site holding several captures
        # of the same story, not a template; keep the prose and drop only short furniture.
        drop = [d and not _is_prose(line) for d, (_, _, line) in zip(drop, lines, strict=True)]
    _trim_edges(keys, words, drop, template | edge, total)
    if layouts:
        _trim_river([line for _, _, line in lines], words, drop, layouts, total)
    if not any(drop):
        return extracted
    gone = {(p, i) for (p, i, _), d in zip(lines, drop, strict=True) if d}
    body = "\n\n".join(
        "\n".join(line for i, line in enumerate(para) if (p, i) not in gone)
        for p, para in enumerate(paragraphs)
        if any(line.strip() and (p, i) not in gone for i, line in enumerate(para))
    )
    dropped_keys = {k for k, d in zip(keys, drop, strict=True) if d} | template
    blocks = [b for b in extracted.blocks if block_key(b) not in dropped_keys]
    already = set(extracted.removed)
    removed = list(extracted.removed)
    for block in [line for (_, _, line), d in zip(lines, drop, strict=True) if d] + extracted.blocks:
        if block not in already and block_key(block) in dropped_keys:
            removed.append(block)
            already.add(block)
    return replace(extracted, body=body, blocks=blocks, removed=removed)


def _trim_edges(
    keys: list[str], words: list[float], drop: list[bool], learned: frozenset[str], total: float
) -> None:
    """Mark repeated lines at the body's start and end as dropped, at most half the body's words."""
    budget = _MAX_EDGE_SHARE * total
    for order in (range(len(keys)), range(len(keys) - 1, -1, -1)):
        trimmed: list[int] = []
        spent = 0.0
        for i in order:
            if keys[i] not in learned and not drop[i]:
                break
            trimmed.append(i)
            spent += words[i]
        if spent <= budget:
            for i in trimmed:
                drop[i] = True


def _trim_river(
    lines: list[str], words: list[float], drop: list[bool], layouts: frozenset[str], total: float
) -> None:
    """Mark a river of a learned item layout at the body's end, and what follows it, as dropped.

    Two items are enough, since the site's pages show the layout again and again; a river is
    only cut from the end, never when no prose would be left before it.
    """
    kept = [i for i, d in enumerate(drop) if not d]
    found = [
        r
        for r in find_rivers([line_shape(lines[i]) for i in kept], _SITE_RIVER_GROUPS)
        if r.signature in layouts
    ]
    for river in found:
        start = river.start
        if start > 0 and _is_river_heading(lines[kept[start - 1]]):
            start -= 1
        after = kept[start:]
        if any(_is_prose(lines[i]) for i in kept[river.end + 1 :]):
            continue  # the article goes on after it
        if not any(_is_prose(lines[i]) for i in kept[:start]):
            continue
        if sum(words[i] for i in after) > _MAX_RIVER_SHARE * total:
            continue
        for i in after:
            drop[i] = True
        return


def _is_river_heading(block: str) -> bool:
    """A river's heading ("Latest stories", "More news"): a few words that are not a sentence."""
    return word_count(block) <= _RIVER_HEADING_WORDS and not ends_sentence(block) and not is_timestamp(block)


def _is_prose(block: str) -> bool:
    return word_count(block) >= _LONG_PROSE_WORDS and ends_sentence(block)


def _block_score(block: str) -> float:
    """Evidence that a block is article prose: long and sentence-like scores high, nav scores low."""
    words = word_count(block)
    if words == 0:
        return -1.0
    if ends_sentence(block) and not block.endswith("..."):
        return words - 4.0
    return min(words - 10.0, words / 2.0)


def _best_run(scores: list[float], lo: int, hi: int) -> tuple[float, int, int]:
    """Max-sum run of ``scores[lo:hi]`` as (sum, start, end inclusive); (0, lo, lo-1) if none."""
    best = (0.0, lo, lo - 1)
    run_sum, run_start = 0.0, lo
    for i in range(lo, hi):
        if run_sum <= 0:
            run_sum, run_start = scores[i], i
        else:
            run_sum += scores[i]
        if run_sum > best[0]:
            best = (run_sum, run_start, i)
    return best


def select_body(blocks: list[str]) -> list[int]:
    """Indices of the article: the run of blocks with the most prose evidence (max-sum run).

    A sidebar can split an article in two, so further strong runs before or after the best one
    are taken too, unless a comments/related heading separates them from it.
    """
    scores = [_block_score(b) for b in blocks]
    _score_lists(blocks, scores)
    for river in page_rivers(blocks):
        before = blocks[max(0, river.start - _NEXT_TO) : river.start]
        after = blocks[river.end + 1 : river.end + 1 + _NEXT_TO]
        if _goes_on(before[::-1]) and _goes_on(after):
            continue  # paragraphs right before and after it: a timeline inside the article
        # no run may cross a river before or after the article: the article ends (or starts) there
        for i in range(river.start, river.end + 1):
            scores[i] = min(scores[i], -word_count(blocks[i]) - 10.0)
    best, start, end = _best_run(scores, 0, len(blocks))
    if end < start:
        return []
    for i in range(start + 1, end + 1):
        if _TAIL_MARKER.match(blocks[i]):
            end = i - 1
            break
    chosen = set(range(start, end + 1))
    floor = max(_MIN_EXTRA_RUN, _EXTRA_RUN_SHARE * best)
    hi = start
    while hi > 0:
        total, s, e = _best_run(scores, 0, hi)
        if total < floor or not _is_prose_run(blocks, s, e) or _has_tail_marker(blocks, e + 1, hi):
            break
        chosen.update(range(s, e + 1))
        hi = s
    lo = end + 1
    while lo < len(blocks):
        total, s, e = _best_run(scores, lo, len(blocks))
        if total < floor or not _is_prose_run(blocks, s, e) or _has_tail_marker(blocks, lo, e + 1):
            break
        chosen.update(range(s, e + 1))
        lo = e + 1
    return sorted(chosen)


def _goes_on(blocks: list[str]) -> bool:
    """Whether prose goes on from a river's edge: the next block and most of the few after it."""
    return bool(blocks) and _is_prose(blocks[0]) and sum(map(_is_prose, blocks)) >= _NEXT_TO - 1


def _score_lists(blocks: list[str], scores: list[float]) -> None:
    """Make a short list between two paragraphs neutral, so the article's run goes on past it.

    A list is an intro line ending in ":" ("Final standings:") and up to eight short lines, or
    a run of bulleted or numbered lines; short lines score as navigation, and a list of them
    would otherwise cut the article in two and lose what follows.
    """
    i = 1
    while i < len(blocks) - 1:
        end = _list_end(blocks, i)
        if end > i and _is_prose(blocks[i - 1]) and end < len(blocks) and _is_paragraph(blocks[end]):
            for j in range(i, end):
                scores[j] = max(scores[j], 0.0)
            i = end
        else:
            i += 1


def _list_end(blocks: list[str], i: int) -> int:
    """Where a list starting at ``blocks[i]`` ends (exclusive); ``i`` when none starts there."""
    j = i
    if blocks[i].endswith(":") and word_count(blocks[i]) <= _LIST_INTRO_WORDS:
        j = i + 1
        while j < len(blocks) and j - i <= _LIST_ITEMS and word_count(blocks[j]) <= _LIST_ITEM_WORDS:
            j += 1
        return j if j - i >= 3 else i  # the intro and at least two items
    while j < len(blocks) and j - i < _LIST_ITEMS and _BULLET.match(blocks[j]):
        j += 1
    return j if j - i >= 2 else i


def _is_paragraph(block: str) -> bool:
    return word_count(block) >= _AFTER_LIST_WORDS and ends_sentence(block)


def _is_prose_run(blocks: list[str], start: int, end: int) -> bool:
    """At least three long sentence-ending blocks: a stray long footer line is not article text."""
    return sum(1 for i in range(start, end + 1) if _is_prose(blocks[i])) >= _EXTRA_RUN_PROSE


def _has_tail_marker(blocks: list[str], lo: int, hi: int) -> bool:
    return any(_TAIL_MARKER.match(blocks[i]) for i in range(lo, hi))
