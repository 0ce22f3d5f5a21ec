"""The frame of every page in Chromium (issue 23), on the engine's fixture site: a phone's header at most 100 px tall
in both languages, its "Menu" button a disclosure a keyboard and a screen reader can use (and a plain list without
JavaScript), breadcrumbs that read from the right in Hebrew, a printed page that says which site and address it is
from, and axe finding nothing on the new header, open or folded, light or dark."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import Served
from conftest import BASE_URL

from browser.axe_check import assert_no_axe_violations

pytestmark = [pytest.mark.browser]
PHONE = {"width": 375, "height": 812}
PAGES = {"he": "/cohorts/a/", "en": "/en/cohorts/a/"}


@pytest.fixture(scope="module")
def origin(fixture_site_server: Served) -> str:
    return fixture_site_server.origin


@pytest.fixture
def phone(browser: Any, origin: str) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, base_url=origin)
    try:
        yield context.new_page()
    finally:
        context.close()


def _state(page: Any) -> dict[str, Any]:
    return page.evaluate("""() => {
        const button = document.querySelector('.menu-toggle'), nav = document.getElementById('main-nav');
        return {expanded: button.getAttribute('aria-expanded'), controls: button.getAttribute('aria-controls'),
                buttonShown: button.offsetParent !== null, navShown: nav.offsetParent !== null,
                header: document.querySelector('.site-header').getBoundingClientRect().height,
                focused: document.activeElement.className};
    }""")


@pytest.mark.parametrize("lang", ["he", "en"])
def test_a_phone_header_is_one_row_with_a_folded_menu(phone: Any, lang: str) -> None:
    phone.goto(PAGES[lang])
    state = _state(phone)
    assert state["header"] <= 100, f"the header takes {state['header']} px of a 812 px phone screen"
    assert state == {**state, "expanded": "false", "controls": "main-nav", "buttonShown": True, "navShown": False}
    button = phone.locator(".menu-toggle")
    assert button.inner_text().strip() == ("תפריט" if lang == "he" else "Menu")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "nothing scrolls sideways"
    phone.set_viewport_size({"width": 320, "height": 640})  # the narrowest phone (WCAG's reflow width)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320, "no sideways scrolling at 320 px either"
    phone.set_viewport_size(PHONE)
    footer = phone.locator(".site-footer").bounding_box()["height"]
    assert footer <= 360, f"a slim footer on a phone ({footer} px; it was 532 px with partner cards and a Language column)"
    search = phone.locator(".search-link")
    assert search.evaluate("a => getComputedStyle(a, '::before').maskImage").startswith('url("data:image/svg+xml'), "an SVG icon"
    assert search.get_attribute("href") and (search.inner_text().strip() or phone.evaluate("""() =>
        document.querySelector('.search-link .search-text').textContent.trim()""")), "the link keeps its words for screen readers"


def test_the_menu_opens_and_closes_with_the_keyboard(phone: Any) -> None:
    phone.goto(PAGES["he"])
    button = phone.locator(".menu-toggle")
    button.focus()
    phone.keyboard.press("Enter")
    state = _state(phone)
    assert state["expanded"] == "true" and state["navShown"], state
    links = phone.locator("#main-nav a")
    assert links.count() >= 3 and all(links.nth(i).is_visible() for i in range(links.count()))
    heights = [links.nth(i).bounding_box()["height"] for i in range(links.count())]
    assert min(heights) >= 44, f"each menu row is a 44 px target: {heights}"
    phone.keyboard.press("Space")
    assert _state(phone)["expanded"] == "false" and not _state(phone)["navShown"], "Space closes it again"
    phone.keyboard.press("Space")
    phone.keyboard.press("Tab")  # into the menu
    assert phone.evaluate("document.activeElement.closest('#main-nav') !== null")
    phone.keyboard.press("Escape")
    state = _state(phone)
    assert state["expanded"] == "false" and not state["navShown"] and "menu-toggle" in state["focused"], state


def test_without_javascript_the_menu_is_a_plain_list(browser: Any, origin: str) -> None:
    context = browser.new_context(viewport=PHONE, base_url=origin, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(PAGES["en"])
        assert page.locator(".menu-toggle").is_hidden(), "no button that would do nothing"
        links = page.locator("#main-nav a")
        assert links.count() >= 3 and all(links.nth(i).is_visible() for i in range(links.count()))
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["he", "en"])
def test_on_a_desktop_the_menu_is_always_shown(browser: Any, origin: str, lang: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=origin)
    try:
        page = context.new_page()
        page.goto(PAGES[lang])
        state = _state(page)
        assert state["navShown"] and not state["buttonShown"], state
        search, switch = page.locator(".search-link"), page.locator(".lang-switch-header a")
        s, w = search.bounding_box(), switch.bounding_box()
        assert abs((s["y"] + s["height"] / 2) - (w["y"] + w["height"] / 2)) < 1, "search and the language sit on one line"
        weights = [el.evaluate("e => getComputedStyle(e).fontWeight") for el in (search, switch)]
        assert weights[0] == weights[1], "the language's label weighs what 'Search' weighs"
        rule, columns = page.evaluate("""() => {
            const edges = b => [b.left, b.right];
            const parts = [...document.querySelectorAll('.footer-inner > :not(.footer-year)')].map(e => edges(e.getBoundingClientRect()));
            return [edges(document.querySelector('.footer-year').getBoundingClientRect()),
                    [Math.min(...parts.map(p => p[0])), Math.max(...parts.map(p => p[1]))]];
        }""")
        assert abs(rule[0] - columns[0]) < 1 and abs(rule[1] - columns[1]) < 1, \
            f"the footer's rule spans its columns, no more (it overhung them by 32 px): {rule} {columns}"
    finally:
        context.close()


def test_breadcrumbs_read_from_the_right_in_hebrew(phone: Any) -> None:
    for path, rtl in ((PAGES["he"], True), (PAGES["en"], False)):
        phone.goto(path)
        items = phone.locator(".breadcrumbs li")
        first, last = items.first.bounding_box(), items.last.bounding_box()
        assert (first["x"] > last["x"]) == rtl, (path, first, last)
        assert phone.locator(".breadcrumbs [aria-current=page]").count() == 1
        assert phone.locator(".breadcrumbs a").first.bounding_box()["height"] >= 24


@pytest.mark.parametrize("lang", ["he", "en"])
def test_a_printed_page_says_its_site_and_address(phone: Any, lang: str) -> None:
    phone.goto(PAGES[lang])
    phone.emulate_media(media="print")
    assert phone.locator(".brand-name").is_visible()
    address = phone.evaluate("getComputedStyle(document.querySelector('.header-inner'), '::after').content")
    assert address == f'"\u2066{BASE_URL}{PAGES[lang]}\u2069"', "the address, isolated left to right"
    brand, line = phone.locator(".brand").bounding_box(), phone.locator(".header-inner").bounding_box()
    start_of = (lambda box: box["x"] + box["width"]) if lang == "he" else (lambda box: box["x"])
    assert abs(start_of(brand) - start_of(line)) < 40, "the name at the line's start (right in Hebrew)"
    for chrome in (".main-nav", ".header-tools", ".breadcrumbs", ".footer-links"):
        assert phone.locator(chrome).is_hidden(), chrome
    footer = phone.locator(".site-footer")
    assert footer.locator("h2").count() == 0, "no empty 'Language' heading"


@pytest.mark.parametrize(("path", "width", "open_menu"), [("/cohorts/a/", 375, False), ("/en/", 375, True)])
def test_the_new_frame_has_no_axe_violations(browser: Any, origin: str, axe_source: str, path: str, width: int,
                                            open_menu: bool) -> None:
    """axe in the light scheme, then the dark, on one load of the page (the site's policy in force)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=origin)
    try:
        page = context.new_page()
        page.goto(path)
        if open_menu:
            page.locator(".menu-toggle").click()
        assert_no_axe_violations(page, axe_source, f"{path} at {width} px" + (", the menu open" if open_menu else ""))
    finally:
        context.close()
