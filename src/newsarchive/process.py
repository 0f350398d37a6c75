"""Capture bytes -> article record, as a pure function: no store, no index, no lock.

What ``ingest`` does to one capture before it stores anything, in one place, so that the
pipeline, uploads and Spark partitions compute the same records: extraction, cleaning (site
chrome, when a learned ``SiteChrome`` is given), language, body hash, and the duplicate step's
per-article inputs (edge lines, URL key, compared text, MinHash signature). A capture that gives
no article comes back as the reason, never as an exception.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, replace

from newsarchive import dedup
from newsarchive.dedup.given_boilerplate import trim_given
from newsarchive.dedup.given_boilerplate import trims as trims_given
from newsarchive.dedup.signature import Signature, shingles, signature_of
from newsarchive.errors import InputError
from newsarchive.extract import extract_capture
from newsarchive.extract.chrome import SiteChrome, apply_chrome
from newsarchive.extract.clean import body_hash
from newsarchive.extract.nonarticle import not_an_article, reject_reason
from newsarchive.model import Article, Capture, Extracted
from newsarchive.settings import Settings
from newsarchive.store.base import ArticleDraft, printable
from newsarchive.text.language import detect_language

log = logging.getLogger(__name__)

PAGE_FORMATS = ("html", "textdump")
"""Formats that carry a site's page template; given texts (JSONL/CSV, Reuters) are kept as they are."""

SCRAPED_FORMATS = ("html", "textdump", "text")
"""Formats a crawler or scraper wrote, where error and wall pages turn up; a corpus's own format
(Reuters SGML) holds only its stories, and the check costs ~1.5 ms per short body."""

NO_TEXT_AFTER_CHROME = "no article text left after removing page chrome; skipped"


@dataclass(slots=True, frozen=True)
class CopyInputs:
    """What the duplicate step compares of one article, given its site's boilerplate lines."""

    compared_text: str
    signature: Signature | None
    """None when the compared text is too short to compare (fewer than MIN_SHINGLES shingles)."""


@dataclass(slots=True, frozen=True)
class Processed:
    """One capture's article as ingest would store it, and the duplicate step's inputs."""

    draft: ArticleDraft
    """The article (id: the capture's SHA-256 prefix) with the blocks chrome learning counts."""
    edge_keys: frozenset[int]
    """Keys of the lines at the body's edges (a site's boilerplate is counted over these)."""
    url_key: str | None
    """The URL as versions are matched on (None: no URL)."""
    copy: CopyInputs | None
    """None when not asked for (a batch job computes it once the site's boilerplate is known)."""

    @property
    def article(self) -> Article:
        return self.draft.article


def extract(capture: Capture, settings: Settings) -> Extracted | str:
    """The capture's article, or the reason it gave none: one bad capture never ends a batch."""
    try:
        page = extract_capture(capture, settings)
    except InputError as exc:
        return exc.reason
    except Exception as exc:  # rejected with the reason and logged with its traceback
        log.exception("unexpected error extracting %s", capture.origin)
        return failure("extraction", exc)
    return page if page.site else replace(page, site=site_of_source(page))


def site_of_source(page: Extracted) -> str:
    """The site of a page without a host (a local file, a dump): its source's name, as a key. Set at
    extraction so chrome is learned, applied and re-applied under the site its article is stored
    under (it was learned under "" and never re-applied)."""
    source = page.source.strip() or "unknown"
    return "-".join(source.casefold().split())


def failure(step: str, exc: BaseException) -> str:
    """The one wording of a failure we did not expect, as a reject reason."""
    return f"{step} failed ({type(exc).__name__}: {exc}); skipped - please report this with the input"


def to_article(article_id: str, e: Extracted) -> Article:
    """The article record of a cleaned extraction: source and site filled in, language detected
    when the page did not say, body hash and word count computed."""
    source = e.source.strip() or e.site or "unknown"
    return Article(
        id=article_id,
        title=e.title,
        body=e.body,
        source=source,
        site=e.site or site_of_source(e),
        url=e.url,
        authors=list(e.authors),
        published=e.published,
        published_from=e.published_from,
        published_time=e.published_time,
        published_raw=e.published_raw,
        body_offset=e.body_offset,
        section=e.section,
        language=e.language or detect_language(e.body),
        captions=list(e.captions),
        media_ids=list(e.media_ids),
        word_count=len(e.body.split()),
        body_hash=body_hash(e.body),
        removed=list(e.removed),
    )


def printable_draft(draft: ArticleDraft) -> ArticleDraft:
    """The draft with every text field made storable (lone surrogates escaped), nothing else changed."""
    a = draft.article
    article = replace(
        a,
        title=printable(a.title),
        body=printable(a.body),
        source=printable(a.source),
        site=printable(a.site),
        url=a.url and printable(a.url),
        authors=[printable(x) for x in a.authors],
        section=a.section and printable(a.section),
        captions=[printable(x) for x in a.captions],
        media_ids=[printable(x) for x in a.media_ids],
        removed=[printable(x) for x in a.removed],
    )
    article.body_hash = body_hash(article.body)
    article.word_count = len(article.body.split())
    return ArticleDraft(
        article, [printable(b) for b in draft.blocks], [printable(x) for x in draft.base_removed]
    )


def copy_inputs(body: str, boilerplate: Collection[int] = ()) -> CopyInputs:
    """The compared text (the body without its site's boilerplate edge lines) and its signature."""
    text = dedup.compared_text(body, boilerplate)
    return CopyInputs(text, signature_of(shingles(text)))


def uses_chrome(fmt: str) -> bool:
    """Whether site chrome is learned from and applied to pages of this capture format."""
    return fmt in PAGE_FORMATS


def cleaned_page(
    page: Extracted,
    fmt: str,
    settings: Settings,
    chrome: SiteChrome | None = None,
    given_boilerplate: Collection[int] = (),
) -> Extracted | str:
    """The page without its site's chrome (page formats) or its source's repeated edge lines (given
    texts), or why it is no article: nothing left, or an error or wall page. Ingest and batch jobs
    both clean through here, so they reject the same captures for the same reasons."""
    cleaned = apply_chrome(page, chrome if uses_chrome(fmt) else None, settings)
    if given_boilerplate and trims_given(fmt):
        cleaned = trim_given(cleaned, given_boilerplate)
    if not cleaned.body.strip():
        return NO_TEXT_AFTER_CHROME
    wall = not_an_article(cleaned.title, cleaned.body, cleaned.url) if fmt in SCRAPED_FORMATS else None
    if wall is not None:
        return reject_reason(wall)
    return cleaned


def process_page(
    sha256: str,
    fmt: str,
    page: Extracted,
    settings: Settings,
    chrome: SiteChrome | None = None,
    boilerplate: Collection[int] | None = (),
    given_boilerplate: Collection[int] = (),
) -> Processed | str:
    """An extracted page (of the capture with this SHA-256 and format) cleaned with its site's
    chrome (when given and the format has one) and made into the article record ingest stores;
    or the reason it gives none. Takes the capture's identity, not its bytes, so a batch job can
    clean pages far from where their originals are; ``boilerplate=None`` leaves out the copy inputs.
    ``given_boilerplate``: the site's lines trimmed from the edges of a given text (format "text")."""
    try:
        cleaned = cleaned_page(page, fmt, settings, chrome, given_boilerplate)
        if isinstance(cleaned, str):
            return cleaned
        draft = ArticleDraft(to_article(sha256[:16], cleaned), list(page.blocks), list(page.removed))
        if not _storable(draft):
            draft = printable_draft(draft)
        article = draft.article
        return Processed(
            draft=draft,
            edge_keys=frozenset(dedup.edge_keys(article.body)),
            url_key=dedup.url_key(article.url),
            copy=None if boilerplate is None else copy_inputs(article.body, boilerplate),
        )
    except Exception as exc:  # one capture must not end a batch or a Spark task
        log.exception("unexpected error processing the capture %s", sha256)
        return failure("processing", exc)


def process_capture(
    capture: Capture,
    settings: Settings,
    chrome: SiteChrome | None = None,
    boilerplate: Collection[int] = (),
) -> Processed | str:
    """Extract and process one capture: its article record and duplicate inputs, or the reason."""
    page = extract(capture, settings)
    if isinstance(page, str):
        return page
    return process_page(capture.sha256, capture.format, page, settings, chrome, boilerplate)


def _storable(draft: ArticleDraft) -> bool:
    """Whether every text of the draft encodes as UTF-8 (no lone surrogates from JSON escapes)."""
    a = draft.article
    texts = [a.title, a.body, a.source, a.site, a.url or "", a.section or ""]
    texts += a.authors + a.captions + a.media_ids + a.removed + draft.blocks + draft.base_removed
    try:
        for text in texts:
            text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
