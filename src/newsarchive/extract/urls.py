"""URL parts for grouping and sections, from URLs that archived pages and exports give us.

Those URLs are written by strangers: ``http://[oops`` or a port of 99999 makes ``urlsplit`` raise,
and that must not cost the page its article. A URL that cannot be parsed simply has no host.
"""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit


def split_url(url: str | None) -> SplitResult | None:
    """The parsed URL (a bare ``host/path`` read as having that host), or None when it cannot be parsed."""
    if not url:
        return None
    try:
        parts = urlsplit(url if "//" in url else f"//{url}")
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return None
    return parts


def url_host(url: str | None) -> str:
    """The lower-case host without ``www.``; empty when there is none or the URL is malformed."""
    parts = split_url(url)
    host = (parts.hostname or "") if parts is not None else ""
    return host.lower().removeprefix("www.")


def url_path(url: str | None) -> str:
    """The path of a URL; empty when the URL is malformed."""
    parts = split_url(url)
    return parts.path if parts is not None else ""
