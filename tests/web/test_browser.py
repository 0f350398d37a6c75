"""Headless Chromium through the real server: the search → filter → article → capture journey,
and proof that nothing from the hostile archive runs on any page (dialog and console hooks).

Needs Debian's chromium (``apt-get install chromium chromium-driver``; ``make test`` does it as
root) and Playwright's Python package; never downloads a browser.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsarchive.settings import Settings
from newsarchive.web import create_app
from tests.web.conftest import live_server
from tests.web.test_pages import hostile_urls

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("NEWSARCHIVE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to run browser tests"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright's Python package is not installed"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Watch:
    """Everything a page did that hostile content could cause: dialogs, console output, foreign requests."""

    origin: str
    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("console", self._on_console)
        page.on(
            "response",
            lambda resp: (
                self.broken.append(f"{resp.status} {resp.url}")
                if resp.status >= 400 and resp.request.resource_type != "document"
                else None
            ),
        )
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on(
            "request",
            lambda req: (
                None if req.url.startswith((self.origin, "data:", "about:")) else self.foreign.append(req.url)
            ),
        )

    def _on_console(self, msg: Any) -> None:
        # An error page's own status is logged as "Failed to load resource"; sub-resources are checked apart.
        if not msg.text.startswith("Failed to load resource: the server responded with a status of 4"):
            self.console.append(f"{msg.type}: {msg.text}")

    def assert_quiet(self, where: str) -> None:
        assert not self.broken, f"missing resources on {where}: {self.broken}"
        assert not self.dialogs, f"a dialog fired on {where}: {self.dialogs}"
        assert not self.errors, f"script errors on {where}: {self.errors}"
        assert not self.console, f"console output on {where} (CSP refusals or hostile script): {self.console}"
        assert not self.foreign, f"requests left the server on {where}: {self.foreign}"


@pytest.fixture()
def page_and_watch(browser: Any, base_url: str) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    watch = Watch(base_url)
    watch.attach(page)
    yield page, watch
    context.close()


def _shot(page: Any, tmp_path: Path, name: str, publish: bool = False) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000
    if publish and os.environ.get("NEWSARCHIVE_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SCREENSHOTS / f"{name}.png")
    return path


def _home(page: Any, base_url: str) -> None:
    """Open the home page and wait for its search box's autofocus: typing before the browser has
    applied it makes Chromium log "Autofocus processing was blocked", which the console watch
    (rightly strict) would report. A user arrives focused, so the journeys start there too."""
    page.goto(base_url + "/")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'home-q'")


def test_journey_search_filter_article_capture(
    page_and_watch: tuple[Any, Watch], base_url: str, tmp_path: Path
) -> None:
    page, watch = page_and_watch
    _home(page, base_url)
    page.fill("#home-q", "regatta")
    page.press("#home-q", "Enter")
    page.wait_for_url("**/search?q=regatta")
    assert "hits in" in page.inner_text(".summary")
    _shot(page, tmp_path, "search", publish=True)

    page.click("aside.facets >> text=Valley Courier")
    page.wait_for_url("**source=Valley+Courier**")
    sources = page.locator("li.hit p.meta a:first-child").all_inner_texts()
    assert sources and set(sources) == {"Valley Courier"}

    page.click("li.hit h3 a >> nth=0")
    page.wait_for_selector("h1.article-title")
    assert page.locator("h1.article-title").get_attribute("dir") == "auto"
    _shot(page, tmp_path, "article", publish=True)

    page.click("section.captures >> text=source text")
    page.wait_for_selector("pre.raw")
    assert "Valley Courier" in page.inner_text("pre.raw")
    watch.assert_quiet("the journey")


def test_journey_search_entity_facet_entity_page_events(
    page_and_watch: tuple[Any, Watch], base_url: str, tmp_path: Path
) -> None:
    page, watch = page_and_watch
    _home(page, base_url)
    page.fill("#home-q", "Moscow")
    page.press("#home-q", "Enter")
    page.wait_for_url("**/search?q=Moscow")
    facet = page.locator("aside.facets section.facet", has_text="Named in the text")
    facet.locator("li a:first-child", has_text="Vladimir Putin").click()
    page.wait_for_url("**entity=Vladimir+Putin**")
    assert page.locator("aside.facets li.active", has_text="Vladimir Putin").count() == 1

    page.locator("aside.facets a.entity-page[aria-label='About Vladimir Putin']").click()
    page.wait_for_selector("h1.entity-name")
    assert page.inner_text("h1.entity-name") == "Vladimir Putin"
    assert "President of Russia" in page.inner_text("ol.roles-timeline")
    assert page.locator("#mentions svg.chart rect.bar").count() >= 3
    _shot(page, tmp_path, "entity", publish=True)

    page.locator("#cooccurring li", has_text="Benjamin Netanyahu").locator("text=events together").click()
    page.wait_for_url("**/events?actor=Vladimir+Putin&actor=Benjamin+Netanyahu")
    meeting = page.locator("ol.event-list li", has_text="Moscow")
    assert "18 Oct 2016" in meeting.inner_text() and "MEET" in meeting.inner_text()
    assert page.locator("svg.chart a").count() >= 1
    _shot(page, tmp_path, "events", publish=True)

    meeting.locator("text=evidence in the article").click()
    page.wait_for_selector("mark#evidence")
    assert "met" in page.inner_text("mark#evidence")
    assert page.locator(".body a.entity", has_text="Benjamin Netanyahu").count() >= 1
    watch.assert_quiet("the entity journey")


def test_hostile_journey_runs_nothing(
    page_and_watch: tuple[Any, Watch], base_url: str, tmp_path: Path
) -> None:
    page, watch = page_and_watch
    page.goto(base_url + "/search?q=strike")
    page.click("li.hit h3 a >> text=Harbour ferry strike enters second week")
    page.wait_for_selector("h1.article-title")
    page.click("section.captures >> text=sanitised page")
    page.wait_for_selector("iframe.capture-frame")
    frame = page.frame_locator("iframe.capture-frame")
    assert "second week" in frame.locator("body").inner_text()
    page.wait_for_timeout(300)  # give any (blocked) handler a chance to fire
    _shot(page, tmp_path, "capture-sanitised")
    page.click("text=source text (escaped)")
    page.wait_for_selector("pre.raw")
    assert "alert('xss-head')" in page.inner_text("pre.raw")
    watch.assert_quiet("the hostile journey")


def test_no_page_of_the_hostile_archive_runs_anything(
    page_and_watch: tuple[Any, Watch], base_url: str, article_ids: dict[str, str]
) -> None:
    page, watch = page_and_watch
    with httpx.Client(base_url=base_url) as client:
        urls = hostile_urls(client, article_ids)
    for url in urls:
        page.goto(base_url + url)
        page.wait_for_load_state("load")
        for element in page.locator("a, img, p, h1, h3, span, dd").all()[:40]:
            element.hover(timeout=1000, force=True, trial=False) if element.is_visible() else None
        watch.assert_quiet(url)
        assert page.evaluate("() => typeof window.stealCookies") == "undefined"


def test_arabic_is_laid_out_right_to_left(
    page_and_watch: tuple[Any, Watch], base_url: str, article_ids: dict[str, str]
) -> None:
    page, watch = page_and_watch
    page.goto(f"{base_url}/articles/{article_ids['arabic']}")
    direction = page.evaluate("() => getComputedStyle(document.querySelector('h1.article-title')).direction")
    assert direction == "rtl"
    body_direction = page.evaluate("() => getComputedStyle(document.querySelector('.body p')).direction")
    assert body_direction == "rtl"
    english = page.evaluate("() => getComputedStyle(document.querySelector('.meta-grid')).direction")
    assert english == "ltr"
    watch.assert_quiet("the Arabic article")


def test_an_arabic_search_typed_plain_reads_right_to_left(
    page_and_watch: tuple[Any, Watch], base_url: str, tmp_path: Path
) -> None:
    """Typed into the search box without diacritics, جسر finds the article printing جسرًا and
    بالجسر; box, hit title and snippet lay out right to left, the printed words highlighted."""
    page, watch = page_and_watch
    _home(page, base_url)
    page.fill("#home-q", "جسر")
    page.press("#home-q", "Enter")
    page.wait_for_selector("li.hit")
    direction = "e => getComputedStyle(e).direction"
    assert page.locator("#q").evaluate(direction) == "rtl"
    snippet = page.locator("p.snippet[lang='ar']").first
    assert snippet.evaluate(direction) == "rtl"
    assert page.locator("h3.hit-title[lang='ar']").first.evaluate(direction) == "rtl"
    marked = set(snippet.locator("b").all_inner_texts())
    assert marked and marked <= {"جسرًا", "الجسر", "بالجسر"}
    _shot(page, tmp_path, "search-arabic", publish=True)
    page.click("li.hit h3[lang='ar'] a >> nth=0")
    page.wait_for_selector("h1.article-title")
    assert page.locator("h1.article-title").evaluate(direction) == "rtl"
    _shot(page, tmp_path, "article-arabic", publish=True)
    watch.assert_quiet("the Arabic search")


def test_the_interface_in_arabic_is_mirrored_and_the_switch_goes_back(
    page_and_watch: tuple[Any, Watch], base_url: str, article_ids: dict[str, str], tmp_path: Path
) -> None:
    """?ui=ar lays the interface itself out right to left (the brand at the right edge, the site
    navigation to its left), the cookie keeps it on the next page, the switch returns to English."""
    page, watch = page_and_watch
    page.goto(f"{base_url}/")
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == [
        "en",
        "ltr",
    ]
    _shot(page, tmp_path, "home", publish=True)
    page.goto(f"{base_url}/?ui=ar")
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == [
        "ar",
        "rtl",
    ]
    brand = page.locator("header.top .brand").bounding_box()
    site_nav = page.locator("header.top nav").first.bounding_box()
    assert brand is not None and site_nav is not None and brand["x"] > site_nav["x"]
    assert page.locator("header.top nav").first.locator("a").first.inner_text() != "All articles"
    _shot(page, tmp_path, "home-ui-arabic", publish=True)
    page.goto(f"{base_url}/articles/{article_ids['arabic']}")
    assert page.evaluate("() => document.documentElement.dir") == "rtl"
    assert page.locator("h1.article-title").evaluate("e => getComputedStyle(e).direction") == "rtl"
    _shot(page, tmp_path, "article-ui-arabic", publish=True)
    page.click(".ui-lang a[lang=en]")
    page.wait_for_load_state()
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == [
        "en",
        "ltr",
    ]
    assert page.url.split("?")[0].endswith(f"/articles/{article_ids['arabic']}")
    watch.assert_quiet("the Arabic interface")


def test_everything_works_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/search")
    page.fill("#q", "regatta")
    page.select_option("select[name=sort]", "date")
    page.click("form.search-form button[type=submit] >> nth=0")
    page.wait_for_url("**q=regatta**")
    assert "sort=date" in page.url
    page.click("aside.facets >> text=Coastline Wire")
    page.wait_for_url("**source=Coastline+Wire**")
    page.goto(base_url + "/search")
    page.click("nav.pagination a[rel=next]")
    page.wait_for_url("**page=2**")
    page.click("svg.chart a >> nth=0")
    page.wait_for_url("**from=**")
    page.goto(base_url + "/events")
    page.fill("form.events-form input[name=actor] >> nth=0", "Dmitry Medvedev")
    page.select_option("form.events-form select[name=type]", "VISIT")
    page.click("form.events-form button[type=submit]")
    page.wait_for_url("**actor=Dmitry+Medvedev**")
    assert "10 Nov (year unknown)" in page.inner_text("ol.event-list")
    page.goto(base_url + "/entities")
    page.select_option("select[name=type]", "PERSON")
    page.click("form.entity-filter button[type=submit]")
    page.wait_for_url("**type=PERSON**")
    context.close()


def test_journey_on_the_shared_data(
    browser: Any, shared_archive: Path, shared_data: Path, tmp_path: Path
) -> None:
    with live_server(create_app(shared_archive, Settings())) as url:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        watch = Watch(url)
        watch.attach(page)
        _home(page, url)
        page.fill("#home-q", "Medvedev")
        page.press("#home-q", "Enter")
        page.wait_for_selector("li.hit")
        page.click("aside.facets .facet >> nth=0 >> a >> nth=0")
        page.wait_for_selector("li.hit")
        page.click("li.hit h3 a >> nth=0")
        page.wait_for_selector("h1.article-title")
        assert "Medvedev" in page.inner_text(".body")
        page.click("section.captures >> text=source text")
        page.wait_for_selector("pre.raw")
        _shot(page, tmp_path, "shared-capture")

        rtl_titles = []
        readability = shared_data / "extraction" / "readability"
        for meta in sorted(readability.glob("rtl-*/expected-metadata.json")):
            if '"rtl"' in meta.read_text():
                rtl_titles.append(meta.parent.name)
        page.goto(url + "/search?q=Lorem")
        page.wait_for_selector("li.hit")
        page.click("li.hit h3 a >> nth=0")
        title = page.locator("h1.article-title")
        assert title.get_attribute("dir") == "auto" and rtl_titles
        page.goto(url + "/search")
        for href in page.locator("li.hit h3 a").evaluate_all(
            "(links) => links.map((a) => a.getAttribute('href'))"
        ):
            page.goto(url + href)
            for capture in page.locator("section.captures a").evaluate_all(
                "(links) => links.filter((a) => !a.hasAttribute('download')).map((a) => a.getAttribute('href'))"
            ):
                page.goto(url + capture)
                page.wait_for_load_state("load")
        watch.assert_quiet("the shared-data archive")
        context.close()


def test_compare_page_in_chromium(browser: Any, tmp_path: Path) -> None:
    """Two queries over three years on one chart, reached from a search without JavaScript."""
    from tests.research.generated import build_generated

    root = build_generated(tmp_path / "archive", 1500)
    with live_server(create_app(root, Settings())) as url:
        context = browser.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=False)
        page = context.new_page()
        watch = Watch(url)
        watch.attach(page)
        page.goto(url + "/search?q=ferry")
        page.click("details.compare-link summary")
        page.fill("#compare-q1", "bridge")
        page.click("details.compare-link button[type=submit]")
        page.wait_for_url("**q=bridge**")
        page.goto(page.url + "&by=month")
        chart = page.locator("svg.compare")
        assert chart.is_visible()
        assert page.locator("svg.compare polyline").count() == 2
        assert "ferry" in page.inner_text("table.compare-totals")
        box = chart.bounding_box()
        assert box is not None and box["width"] > 600 and box["height"] > 150
        _shot(page, tmp_path, "compare", publish=True)
        watch.assert_quiet("the compare page")
        context.close()
