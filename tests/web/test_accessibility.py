"""Accessibility in headless Chromium on a real server: axe-core finds no serious or critical
violation on the home, section, date, search, article and entity pages, in English and in Arabic
(the interface chosen by Accept-Language); the keyboard reaches the search box and the main
navigation, and the focused control is visibly outlined.

axe-core comes from the npm registry at test time (``make axe-deps`` installs it into
``.cache/axe``, never committed; ``NEWSARCHIVE_AXE`` names another ``axe.min.js``). It is injected
through the DevTools protocol, as the page's own CSP allows no inline script.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.web.test_browser import Watch, browser  # noqa: F401  (the module's Chromium)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(
    os.environ.get("NEWSARCHIVE_AXE", ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js")
)
FAILING_IMPACTS = ("serious", "critical")
PAGES = ("home", "section", "date", "search", "article", "entity")
LANGUAGES = {"en": "en-GB", "ar": "ar"}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip(f"{AXE} not found: `make axe-deps` installs axe-core from the npm registry (needs npm)")
    return AXE.read_text(encoding="utf-8")


def _paths(article_ids: dict[str, str]) -> dict[str, str]:
    return {
        "home": "/",
        "section": "/sections/Local",
        "date": "/2021/01/",
        "search": "/search?q=ferry",
        "article": f"/articles/{article_ids['ferry_2021_01']}",
        "entity": "/entities/" + quote("Vladimir Putin", safe=""),
    }


@pytest.fixture(scope="module", params=list(LANGUAGES))
def reader(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Iterator[tuple[str, Any]]:  # noqa: F811
    """A browser context whose Accept-Language asks for the interface in one language."""
    language = request.param
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale=LANGUAGES[language])
    page = context.new_page()
    page.goto(base_url + "/")
    shown = page.evaluate("() => document.documentElement.lang")
    if not shown.startswith(language):
        context.close()
        pytest.skip(f"the interface is not offered in {language!r} yet (<html lang={shown!r}> for it)")
    yield language, page
    context.close()


def _violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(node["target"]) for node in v["nodes"][:3]]
        lines.append(f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {targets})")
    return "\n".join(lines)


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_violation(
    reader: tuple[str, Any], base_url: str, article_ids: dict[str, str], axe_source: str, name: str
) -> None:
    language, page = reader
    response = page.goto(base_url + _paths(article_ids)[name])
    assert response is not None and response.status == 200
    assert page.evaluate("() => document.documentElement.lang").startswith(language)
    violations = _violations(page, axe_source)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, f"axe on the {name} page ({language}):\n{_describe(failing)}"
    # axe really ran: it reports the rules it checked, and passes include the page's language
    checked = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['html-has-lang']})).passes.length"
    )
    assert checked == 1


_FOCUS = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  return {tag: e.tagName.toLowerCase(), id: e.id, href: e.getAttribute('href'),
          inNav: !!e.closest('header nav'), outline: s.outlineStyle, width: parseFloat(s.outlineWidth)};
}"""
SEARCH_BOXES = ("quick-q", "home-q", "q")


def test_keyboard_reaches_the_search_box_and_the_navigation_with_visible_focus(
    browser: Any,  # noqa: F811
    base_url: str,
) -> None:
    """Tab through each page (from where it puts the focus, around the end and back to the top):
    every control it lands on is outlined, and it reaches a search box and every link of the
    main navigation, in their order."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    watch = Watch(base_url)
    watch.attach(page)
    for path in ("/", "/sections/Local", "/search?q=ferry"):
        page.goto(base_url + path)
        nav = page.locator("header nav a").evaluate_all("(as) => as.map((a) => a.getAttribute('href'))")
        assert len(nav) >= 5
        reached = [page.evaluate(_FOCUS)]  # a page may focus its search box itself
        for _ in range(300):
            page.keyboard.press("Tab")
            focus = page.evaluate(_FOCUS)
            if focus["tag"] in ("body", "html"):
                continue  # past the last control, before wrapping to the first
            reached.append(focus)
            assert focus["outline"] != "none" and focus["width"] > 0, f"no visible focus on {focus} ({path})"
            in_nav = [f["href"] for f in reached if f["inNav"]]
            if any(f["id"] in SEARCH_BOXES for f in reached) and len(in_nav) >= len(nav):
                break
        assert any(f["tag"] == "input" and f["id"] in SEARCH_BOXES for f in reached), (
            f"Tab never reached a search box on {path}"
        )
        in_nav = [f["href"] for f in reached if f["inNav"]]
        assert in_nav[: len(nav)] == nav, (
            f"Tab did not reach the navigation links in order on {path}: {in_nav}"
        )
    # Enter on a focused navigation link follows it
    page.goto(base_url + "/")
    page.locator("header nav a[href='/sections']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sections")
    watch.assert_quiet("the keyboard walk")
    context.close()
