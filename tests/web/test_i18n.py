"""The interface in English and Arabic: the locale from ``?ui=``, the cookie or Accept-Language;
``<html lang dir>``, the switch, Vary and per-locale ETags, dates per locale (partial dates stay
partial) and catalogs that cover every message; a real server over our fixtures."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import httpx
import lxml.html
import pytest

from newsarchive.web import i18n
from newsarchive.web.i18n import LOCALES, negotiate, parse_accept_language

AR = {"Accept-Language": "ar-EG,ar;q=0.9,en;q=0.5"}
ARABIC_LETTERS = re.compile("[\u0600-\u06ff]")


def _doc(response: httpx.Response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.text[:500]
    return lxml.html.document_fromstring(response.text)


def _root(response: httpx.Response) -> tuple[str | None, str | None]:
    html = lxml.html.document_fromstring(response.text)
    return html.get("lang"), html.get("dir")


# -- choosing the locale -----------------------------------------------------------------------


def test_english_is_the_default(client: httpx.Client) -> None:
    response = client.get("/")
    assert _root(response) == ("en", "ltr")
    doc = _doc(response)
    assert doc.xpath("string(//h1)") == "Search the archive"
    assert "ui_lang" not in response.headers.get("set-cookie", "")


def test_accept_language_picks_arabic_with_its_direction_and_words(client: httpx.Client) -> None:
    response = client.get("/", headers=AR)
    assert _root(response) == ("ar", "rtl")
    doc = _doc(response)
    assert doc.xpath("string(//h1)") == "ابحث في الأرشيف"
    nav = " ".join(doc.xpath("//header//nav[1]//a/text()"))
    assert "الأقسام" in nav and "الأحداث" in nav
    assert doc.xpath("string(//section[@class='columns']//h2)") == "المصادر"


def test_the_timeline_chart_speaks_the_interface_language(client: httpx.Client) -> None:
    """The home page's chart: its accessible title and description in Arabic on an Arabic page,
    in English by default (the numbers and period labels the same in both)."""
    english = client.get("/").text
    arabic = client.get("/", headers=AR).text
    assert "<desc>one bar per month</desc>" in english or "<desc>one bar per year</desc>" in english
    assert "<desc>عمود لكل شهر</desc>" in arabic or "<desc>عمود لكل سنة</desc>" in arabic
    title = arabic.split('<title id="chart-title">', 1)[1].split("</title>", 1)[0]
    assert " من " in title and " إلى " in title and "from" not in title


def test_quality_values_decide_between_languages(client: httpx.Client) -> None:
    assert _root(client.get("/sections", headers={"Accept-Language": "en;q=0.4, ar;q=0.8"}))[0] == "ar"
    assert _root(client.get("/sections", headers={"Accept-Language": "ar;q=0.3, en-GB"}))[0] == "en"
    assert _root(client.get("/sections", headers={"Accept-Language": "fr-FR, de;q=0.9"}))[0] == "en"


@pytest.mark.parametrize(
    "header",
    [
        "ar;q=0.5," * 50_000,  # huge (the server's header limit may refuse it first)
        "ar;q=abc, ar;q=2, ar;q=-1, ar;q=nan",  # malformed or out-of-range q-values only
        ";;;,,,=q;q=;*;q=1.0e400",
        "ar\t;\tq=\t0.9, <script>, ../../ar, \xe1r, ar-\xff",
        "a" * 5000,
    ],
)
def test_hostile_accept_language_never_fails_the_page(client: httpx.Client, header: str) -> None:
    response = client.get("/sections", headers={"Accept-Language": header.encode("latin-1")})
    assert response.status_code in (200, 400, 431)  # a server limit may refuse it; never a 500
    if response.status_code == 200:
        assert _root(response)[0] in ("en", "ar")


def test_accept_language_parser_reads_a_bounded_prefix() -> None:
    assert list(parse_accept_language("ar-EG;q=0.9, en;q=0.8")) == [("ar", 0.9), ("en", 0.8)]
    assert list(parse_accept_language("ar;q=abc, en;q=0, fr;Q=0.2")) == [("fr", 0.2)]
    assert len(list(parse_accept_language("ar," * 100_000))) == i18n.MAX_ACCEPT_LANGUAGE
    assert negotiate("ar-EG") == "ar" and negotiate("ar_SA;q=1") == "ar"
    assert negotiate("zz, *;q=0.1") == "en" and negotiate(None) == "en" and negotiate("") == "en"
    assert negotiate("*, ar;q=0.5") == "en"  # the wildcard is English here, and it is preferred


def test_the_switch_sets_a_cookie_that_later_pages_follow(client: httpx.Client) -> None:
    response = client.get("/sections", params={"ui": "ar"})
    assert _root(response) == ("ar", "rtl")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("ui_lang=ar") and "samesite=lax" in cookie.lower() and "Path=/" in cookie
    assert "ui_lang" in client.cookies
    assert _root(client.get("/entities")) == ("ar", "rtl")  # the cookie, over an English browser
    assert _root(client.get("/entities", headers={"Accept-Language": "en"})) == ("ar", "rtl")
    back = client.get("/entities", params={"ui": "en"}, headers=AR)
    assert _root(back) == ("en", "ltr") and back.headers["set-cookie"].startswith("ui_lang=en")
    assert _root(client.get("/entities", headers=AR)) == ("en", "ltr")


def test_an_unknown_switch_or_cookie_value_is_ignored(client: httpx.Client) -> None:
    response = client.get("/sections", params={"ui": "xx"}, headers=AR)
    assert _root(response)[0] == "ar" and "set-cookie" not in response.headers
    client.cookies.set("ui_lang", "<script>")
    assert _root(client.get("/sections"))[0] == "en"


def test_switch_links_keep_the_page_and_its_parameters(client: httpx.Client) -> None:
    doc = _doc(client.get("/search", params={"q": "ferry", "lang": "en", "page": "1"}))
    links = doc.xpath("//nav[@class='ui-lang']/a")
    assert [a.text_content() for a in links] == ["English", "العربية"]
    assert [a.get("lang") for a in links] == ["en", "ar"]
    assert links[0].get("aria-current") == "true" and links[1].get("aria-current") is None
    arabic = urlsplit(links[1].get("href"))
    assert arabic.path == "/search"
    assert parse_qsl(arabic.query) == [("q", "ferry"), ("lang", "en"), ("page", "1"), ("ui", "ar")]
    followed = client.get(links[1].get("href"))
    assert _root(followed) == ("ar", "rtl")
    # the articles' language filter is untouched: lang=en still filters the hits
    assert _doc(followed).xpath("//a[@class='chip']")


# -- caching ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/2021/", "/sections", "/search?q=ferry", "/entities", "/nothing-here"]
)
def test_html_answers_vary_by_language(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    vary = ", ".join(response.headers.get_list("vary")).lower()
    assert "accept-language" in vary and "cookie" in vary
    assert response.headers["content-language"] == "en"
    assert client.get(path, headers=AR).headers["content-language"] == "ar"


def test_api_answers_stay_english_and_do_not_vary_by_language(client: httpx.Client) -> None:
    response = client.get("/api/articles/nope", headers=AR)
    assert response.status_code == 404 and response.json()["error"].isascii()
    assert "accept-language" not in ", ".join(response.headers.get_list("vary")).lower()


@pytest.mark.parametrize("path", ["/", "/2021/", "/sections", "/entities"])
def test_etag_differs_per_locale_and_never_revalidates_the_other(client: httpx.Client, path: str) -> None:
    english = client.get(path)
    arabic = client.get(path, headers=AR)
    assert english.headers["etag"] and arabic.headers["etag"]
    assert english.headers["etag"] != arabic.headers["etag"]
    again = client.get(path, headers={**AR, "If-None-Match": english.headers["etag"]})
    assert again.status_code == 200 and _root(again)[0] == "ar"
    same = client.get(path, headers={**AR, "If-None-Match": arabic.headers["etag"]})
    assert same.status_code == 304


# -- dates and numbers ------------------------------------------------------------------------


def test_dates_per_locale_keep_iso_machine_dates(client: httpx.Client) -> None:
    english = _doc(client.get("/2021/01/10/"))
    arabic = _doc(client.get("/2021/01/10/", headers=AR))
    assert english.xpath("string(//h1)") == "10 January 2021"
    assert arabic.xpath("string(//h1)") == "10 يناير 2021"
    for doc in (english, arabic):
        times = doc.xpath("//ol[@class='hits']//p[@class='meta']/time")
        assert times and all(t.get("datetime") == "2021-01-10" for t in times)
        assert doc.xpath("string(//h1/time/@datetime)") == "2021-01-10"
    assert arabic.xpath("string(//ol[@class='hits']//p[@class='meta']/time)") == "10 يناير 2021"


def test_month_and_year_pages_name_only_what_is_known(client: httpx.Client) -> None:
    assert _doc(client.get("/2021/01/")).xpath("string(//h1)") == "January 2021"
    assert _doc(client.get("/2021/01/", headers=AR)).xpath("string(//h1)") == "يناير 2021"
    year = _doc(client.get("/2021/", headers=AR))
    assert year.xpath("string(//h1)") == "2021"
    months = [th.text_content() for th in year.xpath("//table[@class='calendar']/tbody/tr/th")]
    assert months[0] == "يناير" and months[11] == "ديسمبر"


def test_partial_event_dates_stay_partial_in_both_languages(client: httpx.Client) -> None:
    params = {"actor": "Dmitry Medvedev", "type": "VISIT"}
    english = _doc(client.get("/events", params=params))
    arabic = _doc(client.get("/events", params=params, headers=AR))
    english_dates = [t.text_content() for t in english.xpath("//time[@class='event-date']")]
    arabic_dates = [t.text_content() for t in arabic.xpath("//time[@class='event-date']")]
    assert "10 Nov (year unknown)" in english_dates and "10 Nov 2016" in english_dates
    assert "10 نوفمبر (السنة غير معروفة)" in arabic_dates and "10 نوفمبر 2016" in arabic_dates
    machine = arabic.xpath("//time[@class='event-date']/@datetime")
    assert "--11-10" in machine  # no year invented for the machine either


@pytest.mark.parametrize(
    ("value", "english", "arabic"),
    [
        ("2026-12-02", "2 December 2026", "2 ديسمبر 2026"),
        ("2026-12", "December 2026", "ديسمبر 2026"),
        ("2026", "2026", "2026"),
        ("--12-02", "2 December (year unknown)", "2 ديسمبر (السنة غير معروفة)"),
        ("--12", "December (year unknown)", "ديسمبر (السنة غير معروفة)"),
        ("2026-12-02T10:00:00Z", "2 December 2026", "2 ديسمبر 2026"),
        ("2026-02-30", "2026-02-30", "2026-02-30"),  # no such day: shown as given
        ("sometime", "sometime", "sometime"),
        (None, "undated", "بلا تاريخ"),
    ],
)
def test_date_formats(value: str | None, english: str, arabic: str) -> None:
    assert LOCALES["en"].date(value) == english
    assert LOCALES["ar"].date(value) == arabic


def test_counts_are_formatted_per_locale() -> None:
    assert LOCALES["en"].number(12345) == "12,345"
    assert LOCALES["ar"].number(7) == "7"
    assert LOCALES["ar"].ngettext("%(num)s article", "%(num)s articles", 1) == "مقال واحد"
    assert LOCALES["ar"].ngettext("%(num)s article", "%(num)s articles", 5) == "5 مقالات"
    assert LOCALES["ar"].ngettext("%(num)s article", "%(num)s articles", 25) == "25 مقالًا"


# -- the Arabic pages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/sections", "الأقسام"),
        ("/entities", "الكيانات"),
        ("/events", "الأحداث"),
        ("/2021/", "2021"),
    ],
)
def test_arabic_pages_are_translated(client: httpx.Client, path: str, heading: str) -> None:
    doc = _doc(client.get(path, headers=AR))
    assert doc.xpath("string(//h1)").strip() == heading
    assert ARABIC_LETTERS.search(doc.xpath("string(//title)")) or heading.isdigit()


def test_arabic_search_page_keeps_archived_text_in_its_own_direction(client: httpx.Client) -> None:
    doc = _doc(client.get("/search", params={"q": "ferry"}, headers=AR))
    assert doc.xpath("string(//label[@for='q'])") == "الاستعلام"
    assert "نتيجة" in doc.xpath("string(//p[@class='summary'])") or "نتائج" in doc.xpath(
        "string(//p[@class='summary'])"
    )
    titles = doc.xpath("//h3[@class='hit-title']")
    assert titles and all(t.get("dir") == "auto" for t in titles)
    assert all(t.get("lang") in (None, "en") for t in titles if t.text_content().isascii())


def test_arabic_error_page(client: httpx.Client) -> None:
    response = client.get("/articles/no-such-article", headers=AR)
    assert response.status_code == 404
    assert _root(response) == ("ar", "rtl")
    assert "غير موجود" in lxml.html.document_fromstring(response.text).xpath("string(//h1)")


# -- the catalogs -----------------------------------------------------------------------------


def test_every_message_is_translated_into_arabic() -> None:
    """A new interface string without its Arabic translation fails here: run
    ``python -m newsarchive.web.locale extract`` and translate it in the .po file."""
    template = i18n.extract_template()
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    assert "Search the archive" in ids and "%(num)s article, newest first" in ids  # templates are read
    assert "Articles per month" in ids and "%(date)s (year unknown)" in ids  # so is the page code
    for po_path in i18n.catalog_paths():
        assert i18n.untranslated(po_path, template) == [], po_path


def test_catalogs_parse_and_their_placeholders_match() -> None:
    from babel.messages.pofile import read_po

    paths = i18n.catalog_paths()
    assert [p.parent.parent.name for p in paths] == ["ar"]
    for po_path in paths:
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        assert catalog.num_plurals == 6
        assert not [(m.id, errors) for m, errors in catalog.check()]
        i18n.compile_catalog(po_path)  # what the server does at start
    assert i18n.TEMPLATE_FILE.is_file()


def test_every_template_renders_in_every_language_without_untranslated_msgids() -> None:
    from newsarchive.web.pages import _ENVS

    for code, env in _ENVS.items():
        assert env.globals["ui"].code == code
        for name in env.list_templates():
            env.get_template(name)  # compiles: every trans block is well formed


def test_switch_links_keep_an_encoded_name_and_stay_on_this_site(client: httpx.Client) -> None:
    doc = _doc(client.get("/sources/Harbour%20Herald"))
    assert doc.xpath("//nav[@class='ui-lang']/a/@href")[1] == "/sources/Harbour%20Herald?ui=ar"
    missing = client.get("//evil.example/x")  # a 404 page, still with the switch
    hrefs = lxml.html.document_fromstring(missing.text).xpath("//nav[@class='ui-lang']/a/@href")
    assert hrefs and all(h.startswith("/") and not h.startswith("//") for h in hrefs)


@pytest.mark.parametrize(
    ("value", "english", "arabic"),
    [
        ("2023-04-02T10:00:00Z", "2 April 2023 10:00 UTC", "2 أبريل 2023 10:00 UTC"),
        ("2023-04-02T12:30:00+02:00", "2 April 2023 10:30 UTC", "2 أبريل 2023 10:30 UTC"),
        ("2023-04-02", "2 April 2023", "2 أبريل 2023"),
        ("not a time", "not a time", "not a time"),
    ],
)
def test_capture_times(value: str, english: str, arabic: str) -> None:
    assert LOCALES["en"].moment(value) == english
    assert LOCALES["ar"].moment(value) == arabic


def test_article_page_in_arabic_keeps_the_article_in_its_own_direction(
    client: httpx.Client, article_ids: dict[str, str]
) -> None:
    path = f"/articles/{article_ids['ferry_2021_01']}"
    english = _doc(client.get(path))
    arabic = _doc(client.get(path, headers=AR))
    assert english.xpath("//dl[@class='meta-grid']/dt[1]/text()") == ["Source"]
    assert arabic.xpath("//dl[@class='meta-grid']/dt[1]/text()") == ["المصدر"]
    grid = arabic.xpath("//dl[@class='meta-grid']")[0]
    assert (grid.get("dir"), grid.get("lang")) == ("rtl", "ar")
    assert arabic.xpath("string(//section[@id='related']/h2)") == "مقالات ذات صلة"
    body = arabic.xpath("//div[@class='body']")[0]
    assert body.get("dir") == "auto" and body.get("lang") == "en"  # the article's, not the interface's
    published = arabic.xpath("//dl[@class='meta-grid']//time")[0]
    assert published.get("datetime").startswith("2021-01") and "يناير" in published.text_content()
