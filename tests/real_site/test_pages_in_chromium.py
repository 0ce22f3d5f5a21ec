"""The pages of the real site, in every language, used the way a person uses it, in headless Chromium,
served under a sub-path (/merhav/) as on GitHub Pages, with the Content-Security-Policy in force.

One test per page the browser tests visit (see conftest.py: every page made from a file of content/, the 404
pages, and two of each kind of page made from data). The page is loaded once, and every check of
tests/real_site/page_checks.py runs on it: it loads without console errors or failed requests; its direction is
its language's; axe-core finds nothing against WCAG 2.2 AA in the light scheme, then the dark; with the keyboard
alone the skip link works and every header link is reached with a visible focus; at 360 px nothing scrolls
sideways; and last, the language switcher in the header leads to the counterpart page and back. Every check runs
even when one before it failed; the test then fails once, listing each failed check with its reason.

The gates below (``gate_check``) try the checks on pages of their own: each must fail what it exists to catch.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import ProblemLog
from playwright.sync_api import Browser, Page

from real_site.conftest import PREFIX
from real_site.page_checks import (
    ACTIVE,
    NARROW,
    Checks,
    Unfocused,
    as_a_phone,
    axe_wcag22_aa,
    direction_matches_language,
    focus_problem,
    from_the_top,
    keyboard_reaches_every_header_link,
    keyboard_skip_link,
    language_switcher_round_trip,
    loads_without_errors,
    nothing_scrolls_sideways_at_360px,
    settled_network,
    unfocused,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="session")
def visitor_page(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[tuple[Page, ProblemLog, Any]]:
    """One browser page for every page this worker visits, the log of what goes wrong on it, and its viewport.

    A context and a page of their own per visit cost a renderer's start, then the first load, the first evaluation
    of axe-core and its first run in a cold process: 1–3 s a page, more than a page's checks themselves (measured,
    bench/RESULTS.md). What one visit could leave to the next is taken away before each (``new_visit``)."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    log = ProblemLog(page)
    yield page, log, page.viewport_size
    log.stop()
    context.close()


def new_visit(page: Page, log: ProblemLog, viewport: Any, base_url: str) -> list[str]:
    """The kept page as a new visitor's, and the list of problems from now on.

    - The page before is left for about:blank: what it still had under way is aborted by that navigation (not a
      problem) or heard in the list of its own visit, and nothing of it can be heard in the new list.
    - Cookies and the site's storage are emptied; the colour scheme and the viewport are the context's own again
      (each check that changes them restores them too).
    - The HTTP cache is kept, and need not be emptied: the browser asks the server again for each file (seen: 304,
      the files' dates being recent) or reuses, without asking, one it was served whole before; a missing file (a
      404) is not kept, so each one is asked for, and heard, on every page that needs it.
    - Links already visited are not forgotten, and need not be: the site colours every link (``a { color: ... }``,
      no ``:visited`` rule), so a visited link looks like any other."""
    page.context.clear_cookies()
    if page.url.startswith(base_url):
        page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    page.goto("about:blank")
    page.emulate_media(color_scheme="light")  # pytest-playwright's default
    if viewport and page.viewport_size != viewport:
        page.set_viewport_size(viewport)
    return log.begin()


@pytest.fixture
def visit(visitor_page: tuple[Page, ProblemLog, Any], base_url: str) -> tuple[Page, ProblemLog]:
    """The worker's page as a new visitor finds it (``new_visit``), with an empty log of problems."""
    page, log, viewport = visitor_page
    new_visit(page, log, viewport, base_url)
    return page, log


def test_page_in_chromium(visit: tuple[Page, ProblemLog], site_page: Any, languages: dict[str, Any], base_url: str,
                          real_site: Any, axe_source: str) -> None:
    page, log = visit
    checks = Checks(site_page)
    response = page.goto(site_page.path, wait_until="load")
    checks.run("loads without errors", loads_without_errors, page, site_page, response, log)
    checks.run("direction matches the language", direction_matches_language, page, site_page, languages[site_page.lang])
    for scheme in ("light", "dark"):
        from_the_top(page)
        checks.run(f"axe WCAG 2.2 AA, {scheme} scheme", axe_wcag22_aa, page, site_page, scheme, axe_source)
    page.emulate_media(color_scheme="light")  # pytest-playwright's default, for the checks that follow
    from_the_top(page)
    checks.run("keyboard: the skip link", keyboard_skip_link, page, site_page)
    from_the_top(page)
    checks.run("keyboard: every header link with a visible focus", keyboard_reaches_every_header_link, page, site_page)
    from_the_top(page)
    checks.run("nothing scrolls sideways at 360 px", nothing_scrolls_sideways_at_360px, page, site_page)
    from_the_top(page)
    checks.run("the language switcher's round trip", language_switcher_round_trip, page, site_page, base_url, languages, real_site)
    checks.assert_all_passed()


# --- the gate itself: the focus check must fail an invisible focus and pass a visible one ---

FOCUS_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>probe</title>
<style>#hidden:focus { outline: none } #ring:focus-visible { outline: 3px solid #0b5566; outline-offset: 2px }</style></head>
<body><p><a id="hidden" href="#x">no focus style</a> <a id="ring" href="#y">a focus ring</a> <a id="plain" href="#z">browser default</a></p></body></html>"""


@pytest.mark.gate_check
def test_focus_check_tells_an_invisible_focus_from_a_visible_one(page: Page) -> None:
    """Each way to the picture without the focus: the element blurred, or the walk's one picture of the viewport with
    nothing focused (``unfocused``), and that picture not used when the page was scrolled since."""
    page.set_content(FOCUS_PAGE)
    without_focus = unfocused(page)
    # taken at another scroll, so not to be used: were it used, no element would look the same as in it
    stale = Unfocused(png=page.screenshot(clip={"x": 0, "y": 0, "width": 1, "height": 1}), scroll=(0, 1), size=without_focus.size)
    for reference in (None, without_focus, stale):
        page.set_content(FOCUS_PAGE)
        found = {}
        for _ in range(3):
            page.keyboard.press("Tab")
            active = page.evaluate(ACTIVE)
            found[active["id"]] = focus_problem(page, active, reference)
        assert found["hidden"] and "looks the same" in found["hidden"], (reference and reference.scroll, found)
        assert found["ring"] is None and found["plain"] is None, (reference and reference.scroll, found)


@pytest.mark.gate_check
def test_sideways_check_catches_a_too_wide_box(page: Page) -> None:
    """The phone as the check emulates it (``as_a_phone``, on a page already open): a box wider than 360 px is seen,
    whichever the direction; the check itself fails on it; and a page that fits passes."""
    for direction in ("ltr", "rtl"):
        page.set_content(
            f'<!DOCTYPE html><html lang="en" dir="{direction}"><head><meta name="viewport" content="width=device-width, initial-scale=1">'
            '<title>probe</title></head><body><div class="wide" style="width:500px">wide</div></body></html>'
        )
        with as_a_phone(page):
            found = page.evaluate(NARROW)
            phone = page.evaluate("[screen.width, document.documentElement.clientWidth, navigator.maxTouchPoints > 0, matchMedia('(pointer: coarse)').matches]")
            assert phone == [360, 360, True, True], (direction, phone)
        assert found["scrollWidth"] > found["clientWidth"], (direction, found)
        assert any(item.startswith("div.wide") for item in found["outsideTheViewport"]), (direction, found)
        with pytest.raises(AssertionError, match="at 360 px scrolls sideways"):
            nothing_scrolls_sideways_at_360px(page, f"probe ({direction})")
        assert page.viewport_size and page.evaluate("innerWidth") == page.viewport_size["width"] != 360, "the phone outlived its block"
    page.set_content('<!DOCTYPE html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1">'
                     '<title>probe</title></head><body><p>fits</p></body></html>')
    nothing_scrolls_sideways_at_360px(page, "probe (fits)")


@pytest.mark.gate_check
def test_load_check_hears_a_missing_file_and_a_script_error(page: Page, page_problems: list[str]) -> None:
    page.goto("/")
    page.evaluate(
        "() => { const i = new Image(); i.src = '/no-such-image.png'; document.body.append(i); setTimeout(() => { throw new Error('boom'); }); }"
    )
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(100)
    heard = "\n".join(page_problems)
    assert "HTTP 404" in heard and "/no-such-image.png" in heard and "boom" in heard, heard
    # an abort is a navigation's only when the page navigates: a request aborted on a page that stays is heard
    page.route("**/aborted-while-the-page-stays.png", lambda route: route.abort("aborted"))
    # wait for the failure itself: "networkidle" is a state the page is already in, so it did not wait (seen in CI)
    with page.expect_event("requestfailed", lambda request: request.url.endswith("/aborted-while-the-page-stays.png")):
        page.evaluate("() => { const i = new Image(); i.src = '/aborted-while-the-page-stays.png'; document.body.append(i); }")
    heard = "\n".join(page_problems)
    assert "/aborted-while-the-page-stays.png: net::ERR_ABORTED" in heard, heard


@pytest.mark.gate_check
def test_one_page_for_every_visit_leaves_nothing_to_the_next(visitor_page: tuple[Page, ProblemLog, Any], base_url: str) -> None:
    """The page kept for every visit (``visitor_page``, ``new_visit``): what one visit left under way is not heard in
    the next, nor its storage, viewport or colour scheme found there; what goes wrong in the next is heard; the load
    check waits for a request under way, or says so."""
    page, log, viewport = visitor_page
    held: list[Any] = []
    page.route("**/held.png", lambda route: held.append(route))  # the request stays under way, never answered
    try:
        first = new_visit(page, log, viewport, base_url)
        page.goto(PREFIX)
        settled_network(page, log)
        page.evaluate("() => { const i = new Image(); i.src = 'held.png'; document.body.append(i); localStorage.setItem('left', 'by the first visit'); }")
        while not held:
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        assert [request.url for request in log.sent] == [held[0].request.url], log.sent
        with pytest.raises(AssertionError, match="1 request\\(s\\) still under way after 0.5 s"):
            settled_network(page, log, timeout_s=0.5)
        page.set_viewport_size({"width": 500, "height": 500})
        page.emulate_media(color_scheme="dark")

        second = new_visit(page, log, viewport, base_url)
        page.goto(PREFIX)
        settled_network(page, log)
        assert log.under_way == 0 and second == [], second
        # the held request was aborted as the first page was left (about:blank is no request, so this abort counts as
        # one): heard in the first visit's list, which was asserted before, never in the next
        assert first == [f"request failed: GET {held[0].request.url}: net::ERR_ABORTED"], first
        found = page.evaluate("[localStorage.getItem('left'), innerWidth, matchMedia('(prefers-color-scheme: light)').matches]")
        assert found == [None, viewport["width"], True], found
        with page.expect_event("pageerror"):
            page.evaluate("() => { setTimeout(() => { throw new Error('in the second visit'); }); }")
        assert second == ["uncaught exception: in the second visit"], second
    finally:
        page.unroute_all()
