"""Versions of one story: the same URL captured again with changed text, and what changed.

Versions are not duplicates: each is kept, the latest is shown, and a word-level diff says what
an editor changed between two of them.
"""

from __future__ import annotations

import difflib
import re
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

from newsarchive.model import DiffPart, diff_stats

__all__ = ["DiffPart", "diff_stats", "url_key", "word_diff"]

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|ocid|cmpid)$", re.I)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_BARE_HOST = re.compile(r"^[\w-]+(\.[\w-]+)*\.[^\W\d_]{2,}(:\d+)?(/\S*)?$")
_TOKENS = re.compile(r"\s+|[^\s]+")


def url_key(url: str | None) -> str | None:
    """The URL as versions are matched on: no scheme, ``www.``, fragment, tracking parameters or
    trailing slash, host casefolded. None for no URL or one without a host (nothing to match)."""
    if not url:
        return None
    url = url.strip()
    if _BARE_HOST.match(url):
        url = "//" + url  # "www.example.com/story": a host without a scheme
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").casefold()
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    host = host.removeprefix("www.")
    if ":" in host:
        host = f"[{host}]"  # IPv6
    if port and port != _DEFAULT_PORTS.get(parts.scheme.casefold()):
        host = f"{host}:{port}"
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k))
    )
    path = parts.path.rstrip("/") or "/"
    return f"{host}{path}" + (f"?{query}" if query else "")


def latest_key(article_id: str, seen_at: str | None, published: str | None) -> tuple[str, str, str]:
    """Sort key of the latest-version rule: the text captured last, then published last, then the
    larger id (so versions without capture times still have one answer). Ingest and the batch
    job both pick ``max`` by it."""
    from newsarchive.dedup.clusters import comparable_date

    return (seen_at or "", comparable_date(published) or "", article_id)


def word_diff(old: str, new: str) -> list[DiffPart]:
    """What changed from ``old`` to ``new``, word by word (spacing kept, so joining a side gives it back)."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts: list[DiffPart] = []
    # autojunk only for very long texts, where an exact diff would take seconds
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=len(a) + len(b) > 20_000)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _add(parts, "same", "".join(a[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            _add(parts, "removed", "".join(a[i1:i2]))
        if tag in ("insert", "replace"):
            _add(parts, "added", "".join(b[j1:j2]))
    return parts


def _add(parts: list[DiffPart], op: Literal["same", "added", "removed"], text: str) -> None:
    if not text:
        return
    if parts and parts[-1].op == op:
        parts[-1] = DiffPart(op, parts[-1].text + text)
    else:
        parts.append(DiffPart(op, text))
