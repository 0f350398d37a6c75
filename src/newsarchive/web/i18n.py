"""The interface's languages: gettext catalogs, the locale a request is answered in, and dates and
numbers formatted for it.

Catalogs are text ``.po`` files under ``locale/`` (``messages.pot`` is the template), compiled in
memory when this module is imported, so no binary ``.mo`` is kept. English is the source language:
its messages are the msgids themselves.

A request's locale is ``?ui=ar|en`` (which the response also stores in a cookie), else that
cookie, else the best ``Accept-Language`` match (``ar-EG`` is Arabic), else English. The query
parameter is ``ui`` because ``lang`` already filters searches by the articles' language.

``python -m newsarchive.web.locale extract`` refreshes ``messages.pot`` from the templates and the page
code and merges it into every catalog; ``python -m newsarchive.web.locale check`` lists what is untranslated.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from babel import Locale
from babel.dates import format_skeleton, get_month_names
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from fastapi import Request

HERE = Path(__file__).resolve().parent
LOCALE_DIR = HERE / "locale"
TEMPLATE_FILE = LOCALE_DIR / "messages.pot"
DOMAIN = "messages"
DEFAULT_LOCALE = "en"
PARAM = "ui"
"""The query parameter that switches the interface language (``?ui=ar``)."""
COOKIE = "ui_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
MAX_ACCEPT_LANGUAGE = 64
"""Entries of an ``Accept-Language`` header looked at; the rest is ignored."""
MAX_HEADER_CHARS = 4096

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
"""The functions whose first arguments are messages, in templates and in Python (``ui.gettext(…)``)."""
METHOD_MAP = [
    ("templates/**.html", "jinja2"),
    ("i18n.py", "python"),
    ("pages.py", "python"),
    ("browse.py", "python"),
]
EXTRACT_OPTIONS = {"templates/**.html": {"trimmed": "true"}}
"""Templates are extracted with ``trimmed`` on, as the environment renders them (pages.py)."""


VARY = "Accept-Language, Cookie"
"""What an HTML page's language depends on."""


def N_(message: str) -> str:
    """Marks a message whose text is chosen at run time (a period, an entity type) for extraction."""
    return message


VOCABULARY = (
    N_("day"), N_("week"), N_("month"), N_("year"), N_("person"), N_("org"), N_("place"),
)  # fmt: skip
"""Words templates translate by value: ``_(by)``, ``_(entity.type|lower)``."""


@dataclass(slots=True, frozen=True)
class Language:
    """A language the interface is offered in."""

    code: str
    name: str
    """Its own name, as the switch shows it."""
    direction: str
    formats: str
    """The CLDR locale its dates and numbers follow (English: en_GB, "2 December 2026")."""


LANGUAGES = (
    Language("en", "English", "ltr", "en_GB"),
    Language("ar", "العربية", "rtl", "ar"),
)
_BY_CODE = {language.code: language for language in LANGUAGES}


def compile_catalog(po_path: Path) -> Translations:
    """A ``.po`` file read and compiled to gettext's binary form in memory."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=po_path.parent.parent.name, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def _translations(code: str) -> NullTranslations:
    po_path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    return compile_catalog(po_path) if po_path.is_file() else NullTranslations()


_FULL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?=$|T| )")
_NO_YEAR = re.compile(r"--(\d{2})(?:-(\d{2}))?")


class UiLocale:
    """One interface language: its translations and its ways of writing dates and numbers."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self.code = language.code
        self.direction = language.direction
        self.translations = _translations(language.code)
        self.formats = Locale.parse(language.formats)

    def gettext(self, message: str, **variables: Any) -> str:
        text = self.translations.gettext(message)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, n: int, **variables: Any) -> str:
        variables.setdefault("num", self.number(n))
        return self.translations.ngettext(singular, plural, n) % variables

    def number(self, value: int | float) -> str:
        """A count as this language writes it (``12,345``)."""
        return format_decimal(value, locale=self.formats)

    def month(self, month: int, width: str = "MMMM") -> str:
        """A month's name standing alone (a calendar's row); ``width="MMM"`` abbreviates it."""
        names = get_month_names("wide" if width == "MMMM" else "abbreviated", "stand-alone", self.formats)
        return str(names[month])

    def moment(self, value: str | None) -> str:
        """A capture time (``2023-04-02T10:00:00Z``) as its date in words and its UTC time
        (2 April 2023 10:00 UTC); a value without a time of day is only a date, as ``date`` says."""
        try:
            when = dt.datetime.fromisoformat(value or "")
        except ValueError:
            return self.date(value)
        if "T" not in (value or "") and " " not in (value or ""):
            return self.date(value)
        if when.tzinfo is not None:
            when = when.astimezone(dt.UTC)
        day = format_skeleton("yMMMMd", when, locale=self.formats)
        return f"{day} {when:%H:%M} UTC"

    def date(self, value: str | None, width: str = "MMMM") -> str:
        """A date as far as it is known: ``2026-12-02`` → 2 December 2026, ``2026-12`` → December
        2026, ``2026`` → 2026, ``--12-02`` → 2 December (year unknown); never a day or year invented.
        ``width="MMM"`` abbreviates the month. Anything else is shown as given."""
        if not value:
            return self.gettext("undated")
        if match := _FULL_DATE.match(value):
            year, month, day = match.groups()
            if month is None:
                return format_skeleton("y", dt.date(int(year), 1, 1), locale=self.formats)
            try:
                when = dt.date(int(year), int(month), int(day or 1))
            except ValueError:
                return value
            return format_skeleton(("y" + width + "d") if day else ("y" + width), when, locale=self.formats)
        if match := _NO_YEAR.fullmatch(value):
            month, day = match.groups()
            try:  # 2000 is a leap year: --02-29 is a date
                when = dt.date(2000, int(month), int(day or 1))
            except ValueError:
                return value
            shown = (
                format_skeleton(width + "d", when, locale=self.formats)
                if day
                else self.month(when.month, width)
            )
            return self.gettext("%(date)s (year unknown)", date=shown)
        return value


LOCALES = {language.code: UiLocale(language) for language in LANGUAGES}


# -- which locale a request gets --------------------------------------------------------------


def parse_accept_language(header: str) -> Iterator[tuple[str, float]]:
    """``Accept-Language`` as (primary language subtag, q) pairs, in the order given; malformed
    entries and q-values are skipped, and only the first entries of a huge header are read."""
    for entry in header[:MAX_HEADER_CHARS].split(",")[:MAX_ACCEPT_LANGUAGE]:
        tag, _, params = entry.strip().partition(";")
        primary = tag.strip().split("-")[0].split("_")[0].lower()
        if not (primary == "*" or (primary.isascii() and primary.isalpha() and 1 <= len(primary) <= 8)):
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = -1.0
        if 0.0 < q <= 1.0:
            yield primary, q


def negotiate(header: str | None) -> str:
    """The offered language the header prefers most (the first of equal q), else English."""
    best, best_q = DEFAULT_LOCALE, 0.0
    for primary, q in parse_accept_language(header or ""):
        code = DEFAULT_LOCALE if primary == "*" else primary
        if code in _BY_CODE and q > best_q:
            best, best_q = code, q
    return best


def _asked(request: Request) -> str | None:
    """The language ``?ui=`` asks for, when it names one we offer."""
    wanted = request.query_params.get(PARAM, "").strip().lower()
    return wanted if wanted in _BY_CODE else None


def ui(request: Request) -> UiLocale:
    """The locale this request is answered in (worked out once per request)."""
    chosen: UiLocale | None = getattr(request.state, "ui_locale", None)
    if chosen is None:
        cookie = request.cookies.get(COOKIE, "")
        code = _asked(request) or (cookie if cookie in _BY_CODE else None)
        chosen = LOCALES[code or negotiate(request.headers.get("accept-language"))]
        request.state.ui_locale = chosen
    return chosen


def cookie_to_set(request: Request) -> str | None:
    """The language to remember in the cookie: the one ``?ui=`` asked for, when the cookie differs."""
    asked = _asked(request)
    return asked if asked and request.cookies.get(COOKIE) != asked else None


def switch_links(request: Request) -> list[tuple[Language, str, bool]]:
    """(language, this page's address in it, whether it is the current one) for the header's switch."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k != PARAM]
    path = _same_site_path(request)
    current = ui(request).code
    out = []
    for language in LANGUAGES:
        query = urlencode([*items, (PARAM, language.code)])
        out.append((language, path + "?" + query, language.code == current))
    return out


def _same_site_path(request: Request) -> str:
    """The path as the client sent it (``%2F`` in a name stays encoded), always on this site:
    ``//host`` or ``/\\host`` would be another site's address, so leading slashes collapse to one
    and a backslash, space or quote is percent-encoded."""
    raw = request.scope.get("raw_path")
    path = raw if isinstance(raw, bytes) and raw else request.url.path.encode("utf-8")
    return "/" + quote(path, safe="/%:@!$&()*+,;=-._~").lstrip("/")


# -- the catalogs: extract, merge, check -------------------------------------------------------


_TEMPLATE_HEADER = """\
# The messages of newsarchive's web interface: `python -m newsarchive.web.locale extract` writes this
# file from the templates and the page code; do not edit it by hand.
#"""


def extract_template() -> Catalog:
    """Every message of the templates and the page code, as a fresh template catalog."""
    template = Catalog(
        project="newsarchive",
        domain=DOMAIN,
        charset="utf-8",
        fuzzy=False,
        header_comment=_TEMPLATE_HEADER,
        msgid_bugs_address="",
    )
    found = extract_from_dir(
        HERE, METHOD_MAP, options_map=EXTRACT_OPTIONS, keywords=KEYWORDS, comment_tags=("Translators:",)
    )
    for filename, lineno, message, comments, context in found:
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def catalog_paths() -> list[Path]:
    return sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def untranslated(po_path: Path, template: Catalog | None = None) -> list[str]:
    """The template's messages the catalog lacks, leaves empty or marks fuzzy."""
    template = template or extract_template()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=po_path.parent.parent.name, domain=DOMAIN)
    missing = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        strings = found.string if found else None
        texts = strings if isinstance(strings, tuple | list) else [strings]
        if found is None or found.fuzzy or not all(texts):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def extract() -> None:
    """Write ``messages.pot`` and merge it into every catalog (new messages come in untranslated)."""
    template = extract_template()
    with TEMPLATE_FILE.open("wb") as handle:
        write_po(handle, template, width=110, omit_header=False, sort_output=False)
    for po_path in catalog_paths():
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name, domain=DOMAIN)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        with po_path.open("wb") as handle:
            write_po(handle, catalog, width=110, ignore_obsolete=True)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "extract":
        extract()
        print(f"wrote {TEMPLATE_FILE.relative_to(HERE.parent.parent.parent)} and merged it into:")
        for po_path in catalog_paths():
            print(f"  {po_path.relative_to(LOCALE_DIR)}: {len(untranslated(po_path))} untranslated")
        return 0
    if command == "check":
        template = extract_template()
        status = 0
        for po_path in catalog_paths():
            missing = untranslated(po_path, template)
            print(f"{po_path.relative_to(LOCALE_DIR)}: {len(missing)} untranslated")
            for message in missing:
                print(f"  {message!r}")
            status = status or (1 if missing else 0)
        return status
    print("usage: python -m newsarchive.web.locale extract|check", file=sys.stderr)
    return 2
