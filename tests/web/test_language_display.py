"""Arabic on the pages: a search typed without diacritics finds the article as printed, its
snippet reads right to left with the printed words highlighted, and the search boxes take
right-to-left input."""

from __future__ import annotations

import httpx
import lxml.html

from tests.web.conftest import WEB_FIXTURES

ARABIC_PAGE = (WEB_FIXTURES / "arabic.html").read_text(encoding="utf-8")


def test_a_plain_spelling_finds_the_arabic_article_with_its_printed_words_highlighted(
    client: httpx.Client, article_ids: dict[str, str]
) -> None:
    # the page prints جسرًا (tanween), بالجسر and الجسر; the reader types جسر
    doc = lxml.html.document_fromstring(client.get("/search", params={"q": "جسر"}).text)
    hit = next(
        h
        for h in doc.xpath("//li[@class='hit']")
        if article_ids["arabic"] in h.xpath("string(.//h3/a/@href)")
    )
    snippet = hit.xpath(".//p[@class='snippet']")[0]
    assert snippet.get("dir") == "auto" and snippet.get("lang") == "ar"
    marked = [b.text_content() for b in snippet.xpath(".//b")]
    assert marked and set(marked) <= {"جسرًا", "الجسر", "بالجسر"}
    assert all(word in ARABIC_PAGE for word in marked)


def test_arabic_search_text_is_kept_and_laid_out_by_its_direction(
    client: httpx.Client, article_ids: dict[str, str]
) -> None:
    page = client.get("/search", params={"q": "الجسور"}).text
    box = lxml.html.document_fromstring(page).xpath("//input[@id='q']")[0]
    assert box.get("dir") == "auto" and box.get("value") == "الجسور"
    home = lxml.html.document_fromstring(client.get("/").text)
    assert home.xpath("//input[@id='home-q']")[0].get("dir") == "auto"
    article = lxml.html.document_fromstring(client.get(f"/articles/{article_ids['arabic']}").text)
    assert article.xpath("//input[@id='quick-q']")[0].get("dir") == "auto"
