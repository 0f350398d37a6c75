"""The name of the site a page comes from, out of what the page says about itself.

Pages name their site in several places, not all of them meant for readers: ``og:site_name``,
the publisher in schema.org JSON-LD, ``application-name``, the site's Twitter handle, and the
meta tags that embedded widgets and ad networks leave behind. Taken blindly they give source
names such as ``Wday_``, ``my6sense`` or ``unknown``. The order here, most trusted first:

1. ``og:site_name`` in the page's head;
2. the publisher of the page's article in JSON-LD (``publisher.name``, ``@graph`` references
   followed), then the name of its ``WebSite`` node;
3. ``application-name``, then ``twitter:site`` without its ``@``, then a ``publisher`` meta,
   only when they look like a name and fit the host (their words appear in it, or it in them,
   or its label is their initials); site-name metas outside the head (embedded widgets) likewise;
4. the host without ``www.``, ``m.``, ``amp.`` or ``mobile.``.

A value that looks like an id (underscores, mostly digits, hex), a placeholder (``unknown``,
``null``) or the name of a widget, ad network, platform or social network that does not fit the
host is never taken. A trusted name that does not fit the host gives way to a later name that
does (``og:site_name`` "Security" on heise.de, JSON-LD publisher "heise online"), and a name
carrying a tagline keeps only the part that fits the host ("LinkNaija | Nigeria's popular news
platform" on linknaija.com).

The fallback is the cleaned host (``m.northfield-news.co.uk`` -> ``northfield-news.co.uk``),
not a name made up from it ("Northfield News") and not the registrable domain: words cannot be
split out of ``kestrelgazette`` reliably, and hosts such as ``abcnews.go.com`` or
``someone.wordpress.com`` are sites of their own that the registrable domain would merge.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from newsarchive.extract.clean import clean_text
from newsarchive.extract.urls import url_host

_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")
_GENERIC_LABELS = {
    "www", "m", "amp", "mobile", "co", "com", "org", "net", "gov", "ac", "edu", "news", "en", "de", "fr",
    "es", "online", "the", "web", "site", "blog", "blogs", "edition", "home", "daily", "media",
}  # fmt: skip
"""Host labels and name words too common to show that a name and a host belong together."""
_PLACEHOLDERS = {
    "unknown", "none", "null", "nil", "undefined", "na", "n/a", "default", "test", "untitled", "sitename",
    "site name", "site_name", "website", "web site", "my site", "my blog", "home", "homepage", "index",
    "title", "name", "publisher", "your site name", "site title", "false", "true", "0", "-",
}  # fmt: skip
_VENDORS = {
    # content recommendation, native ads and ad networks
    "my6sense", "taboola", "outbrain", "revcontent", "mgid", "zergnet", "sharethrough", "nativo", "teads",
    "criteo", "doubleclick", "adsense", "google adsense", "google ad manager", "adform", "ligatus", "plista",
    "triplelift", "pubmatic", "rubicon", "rubicon project", "smartadserver", "gumgum", "yieldmo", "kargo",
    "connatix", "primis", "vidazoo", "anyclip", "ezoic", "mediavine", "adthrive", "raptive", "freestar",
    "powerinbox", "zemanta", "nrelate", "linkwithin", "dianomi", "adblade", "content.ad", "yahoo gemini",
    # comments, sharing, polls, players, analytics, paywalls
    "disqus", "viafoura", "opinary", "apester", "playbuzz", "addthis", "sharethis", "shareaholic", "sumo",
    "onesignal", "jwplayer", "jw player", "brightcove", "vimeo", "dailymotion", "soundcloud", "spotify",
    "issuu", "flipboard", "chartbeat", "parsely", "parse.ly", "comscore", "cxense", "piano", "tinypass",
    "hotjar", "gravatar",
    # publishing platforms and plugins
    "wordpress", "wordpress.com", "blogger", "blogspot", "tumblr", "wix", "wix.com", "squarespace",
    "weebly", "jetpack", "yoast", "yoast seo", "drupal", "joomla",
    # social networks whose embedded posts carry their own metas
    "facebook", "twitter", "x", "instagram", "youtube", "tiktok", "pinterest", "linkedin", "reddit",
    "threads", "bluesky", "mastodon", "telegram", "whatsapp",
}  # fmt: skip
"""Names of what pages embed or run on; a site of that name is only taken on its own host."""
_TAGLINE_SPLIT = re.compile(r"\s+[|\-–—:·•»]\s+|\s*[|｜]\s*")
_HANDLE = re.compile(r"^@?[A-Za-z][A-Za-z0-9]{1,30}$")
_HEX_ID = re.compile(r"^[0-9a-f]{8,}$", re.I)
_ID_LIKE = re.compile(r"^[A-Z]{1,5}-(?=[A-Z]*\d)[A-Z0-9]{4,}$|^(?:pub|ca-pub|ua|gtm|g)-\d[\w-]*$", re.I)
_URL = re.compile(r"^(?:https?:)?//|^www\.", re.I)
"""A URL or a www host given as a name: it becomes the cleaned host."""
_HOST_LIKE = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/?$", re.I)
"""A name that is a host ("Golem.de", "inews.co.uk"): kept as written, but no better than our own host."""
_ASCII_WORD = re.compile(r"^[A-Za-z0-9_]+$")
_ARTICLE_TYPES = re.compile(r"(?:Article|BlogPosting|Posting|Report)$")
_MAX_NAME_CHARS = 100


def source_name(
    *,
    site_name: str | None = None,
    publishers: Sequence[str] = (),
    application_name: str | None = None,
    twitter_site: str | None = None,
    publisher_meta: str | None = None,
    embedded: Sequence[str] = (),
    host: str = "",
) -> str:
    """The page's source name from its candidates (see the module docstring); empty without any."""
    host = clean_host(host)
    trusted = [
        name for name in (_plausible(site_name, host), *(_plausible(p, host) for p in publishers)) if name
    ]
    checked = [
        name
        for name in (
            _plausible(application_name, host),
            _plausible(_handle_name(twitter_site), host),
            _plausible(publisher_meta, host),
            *(_plausible(value, host) for value in embedded),
        )
        if name and fits_host(name, host) is not False
    ]
    for name in trusted:
        if fits_host(name, host) is False:
            better = next(
                (c for c in [*trusted, *checked] if fits_host(c, host) and not _HOST_LIKE.match(c)), None
            )
            return better or name
        return name
    return checked[0] if checked else host


def clean_host(host: str) -> str:
    """A host as a source name: lower case, without ``www.``, ``m.``, ``amp.`` or ``mobile.``."""
    host = host.strip().lower().rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
    return host


def fits_host(name: str, host: str) -> bool | None:
    """Whether a name and a host belong together; None when that cannot be told.

    They do when the host's distinctive label holds one of the name's words or the whole name
    run together, when the name holds the label, or when the label is the name's initials
    (``Legal Tribune Online`` on ``lto.de``). Names in scripts other than Latin cannot be
    compared with a host, nor can a name be without a host.
    """
    parts = clean_host(host).split(".")
    if len(parts) < 2:  # "localhost", "fakehost", a bare number: not a site's public host
        return None
    parts = parts[:-1]  # the top-level domain tells nothing
    labels = [label for label in _alnum_words(" ".join(parts)) if label not in _GENERIC_LABELS]
    if not labels or not _has_latin(name):
        return None
    words = _alnum_words(name)
    joined = "".join(words)
    if not joined:
        return None
    initials = "".join(word[0] for word in words if word)
    for label in labels:
        if len(label) < 2:
            continue
        if (len(joined) >= 3 and joined in label) or (len(label) >= 3 and label in joined):
            return True
        if any(len(word) >= 4 and word not in _GENERIC_LABELS and word in label for word in words):
            return True
        if len(initials) >= 2 and label.startswith(initials):
            return True
    return False


def publisher_names(nodes: Iterable[dict[str, Any]]) -> list[str]:
    """Publisher names of the JSON-LD nodes: article publishers first, then others, then WebSite names.

    A publisher given as ``{"@id": …}`` is looked up among the nodes (the usual ``@graph`` form).
    """
    nodes = list(nodes)
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    of_articles: list[str] = []
    of_others: list[str] = []
    websites: list[str] = []
    for node in nodes:
        kinds = node.get("@type")
        kinds = [kind for kind in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(kind, str)]
        if "WebSite" in kinds and isinstance(node.get("name"), str):
            websites.append(node["name"])
        publishers = node.get("publisher")
        found = of_articles if any(_ARTICLE_TYPES.search(kind) for kind in kinds) else of_others
        for publisher in publishers if isinstance(publishers, list) else [publishers]:
            if isinstance(publisher, str) and not publisher.startswith(("http", "#", "/")):
                found.append(publisher)
            elif isinstance(publisher, dict):
                name = publisher.get("name")
                if not isinstance(name, str) and isinstance(publisher.get("@id"), str):
                    name = by_id.get(publisher["@id"], {}).get("name")
                if isinstance(name, str):
                    found.append(name)
    return [name for name in [*of_articles, *of_others, *websites] if name.strip()]


def _plausible(value: str | None, host: str) -> str | None:
    """The value cleaned, as a host when it is a URL or host; None when it cannot be a site's name."""
    if not value or not isinstance(value, str):
        return None
    name = " ".join(clean_text(value).split()).strip(" \"'|-–—:·")
    if not name or len(name) > _MAX_NAME_CHARS:
        return None
    if _URL.match(name):
        return clean_host(url_host(name)) or None
    folded = name.casefold()
    if folded in _PLACEHOLDERS or _looks_like_id(name):
        return None
    if folded in _VENDORS or folded.removesuffix(".com") in _VENDORS:
        return name if fits_host(name, host) else None
    return _without_tagline(name, host)


def _looks_like_id(name: str) -> bool:
    """Tracking ids, handles and keys: ``Wday_``, ``KGK_News``, mostly digits, hex, ``UA-1234-5``, ``GTM-ABC12``."""
    if ("_" in name and _ASCII_WORD.match(name)) or _HEX_ID.match(name) or _ID_LIKE.match(name):
        return True
    alnum = [char for char in name if char.isalnum()]
    digits = sum(char.isdigit() for char in alnum)
    return not alnum or digits * 2 >= len(alnum) or (" " not in name and digits >= 4)


def _handle_name(handle: str | None) -> str | None:
    """A Twitter handle as a name when it was written as one: ``@WIRED``, ``@ChinaDaily``.

    Not ``@Wday_`` (an id), nor ``@afpbbcom`` (all lower case: the host says it better).
    """
    if not handle:
        return None
    handle = handle.strip()
    if not _HANDLE.match(handle) or handle.lstrip("@").islower():
        return None
    return handle.lstrip("@")


def _without_tagline(name: str, host: str) -> str:
    """ "Site | tagline" or "Site - tagline" as "Site", when one part alone fits the host."""
    parts = [part for part in _TAGLINE_SPLIT.split(name) if part.strip()]
    if len(parts) < 2:
        return name
    for part in parts:
        if fits_host(part, host):
            return part.strip()
    return name


def _alnum_words(text: str) -> list[str]:
    """Lower-case words of letters and digits, accents dropped ("Seznam Zprávy" -> seznam, zpravy)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return [word for word in re.split(r"[^\w]+|_", plain) if word]


def _has_latin(text: str) -> bool:
    return any("LATIN" in unicodedata.name(char, "") for char in text if char.isalpha())
