"""The pages of the real site, in every language, used the way a person uses it, in headless Chromium,
served under a sub-path (/merhav/) as on GitHub Pages, with the Content-Security-Policy in force.

Each test runs once per page the browser tests visit (see conftest.py: every page made from a
file of content/, the 404 pages, and two of each kind of page made from data):
it loads without console errors or failed requests; its direction is its language's; the language
switcher in the header leads to the counterpart page and back; at 360 px nothing scrolls sideways;
with the keyboard alone the skip link works and every header link is reached with a visible focus.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_loads_without_errors(page: Page, site_page: Any, page_problems: list[str]) -> None:
    response = page.goto(site_page.path, wait_until="load")
    assert response is not None and response.ok, f"{site_page}: HTTP {response and response.status}"
    # scroll through the page as a reader would, so late and lazy requests happen too
    page.evaluate(
        "async () => { for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) { scrollTo(0, y); await new Promise(r => requestAnimationFrame(r)); } }"
    )
    page.wait_for_load_state("networkidle")
    broken = page.evaluate("[...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.currentSrc || i.src)")
    assert not page_problems and not broken, f"{site_page}:\n  " + "\n  ".join(
        [*page_problems, *(f"broken image: {src}" for src in broken)]
    )


def test_direction_matches_language(page: Page, site_page: Any, languages: dict[str, Any]) -> None:
    page.goto(site_page.path)
    expected = languages[site_page.lang]
    found = page.evaluate(
        """() => ({
            lang: document.documentElement.lang,
            'document.dir': document.dir,
            'direction of html': getComputedStyle(document.documentElement).direction,
            'direction of body': getComputedStyle(document.body).direction,
            'direction of main': (m => m ? getComputedStyle(m).direction : 'no <main>')(document.querySelector('main')),
        })"""
    )
    want = {
        "lang": expected.code,
        "document.dir": expected.dir,
        "direction of html": expected.dir,
        "direction of body": expected.dir,
        "direction of main": expected.dir,
    }
    assert found == want, f"{site_page}: {found}"


def _header_link(page: Page, hreflang: str) -> Any:
    """The link to another language in the page's banner (the <header> outside main/section/...)."""
    links = page.get_by_role("banner").locator(f'a[hreflang="{hreflang}"]')
    visible = [link for link in links.all() if link.is_visible()]
    assert visible, f"{page.url}: no visible link with hreflang={hreflang} in the header (banner)"
    return visible[0]


def test_language_switcher_round_trip(page: Page, site_page: Any, base_url: str, languages: dict[str, Any], real_site: Any) -> None:
    for other in languages:
        if other == site_page.lang:
            continue
        there = real_site.counterpart(site_page, other)
        page.goto(site_page.path)
        _header_link(page, other).click()
        expect(page, f"{site_page}: the header's {other} link should lead to {there}").to_have_url(base_url + there)
        expect(page.locator("html"), f"{there}: lang should be {other}").to_have_attribute("lang", other)
        if site_page.key == "404":  # from the other language's home page, back home: a 404 is no page to go back to
            continue
        _header_link(page, site_page.lang).click()
        expect(page, f"{there}: the header's {site_page.lang} link should lead back to {site_page.path}").to_have_url(
            base_url + site_page.path
        )
        expect(page.locator("html"), f"{site_page}: lang should be {site_page.lang}").to_have_attribute("lang", site_page.lang)


NARROW = """() => {
    const de = document.documentElement, vw = de.clientWidth;
    scrollTo({left: 100000, top: 0, behavior: 'instant'}); const toRight = scrollX;
    scrollTo({left: -100000, top: 0, behavior: 'instant'}); const toLeft = scrollX;
    scrollTo({left: 0, top: 0, behavior: 'instant'});
    const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
        (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
    const sticking = [...document.body.querySelectorAll('*')].filter(e => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && (r.right > vw + 0.5 || r.left < -0.5);
    });
    const outermost = sticking.filter(e => !sticking.includes(e.parentElement)).slice(0, 8).map(e => {
        const r = e.getBoundingClientRect();
        return `${describe(e)} spans x=${Math.round(r.left)}..${Math.round(r.right)}`;
    });
    return {scrollWidth: de.scrollWidth, clientWidth: vw, scrollXAfterScrollingRight: toRight,
            scrollXAfterScrollingLeft: toLeft, outsideTheViewport: outermost};
}"""


def test_nothing_scrolls_sideways_at_360px(browser: Any, browser_context_args: dict[str, Any], site_page: Any) -> None:
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
    )
    try:
        page = context.new_page()
        page.goto(site_page.path)
        found = page.evaluate(NARROW)
    finally:
        context.close()
    scrolls = (
        found["scrollWidth"] > found["clientWidth"] or found["scrollXAfterScrollingRight"] != 0 or found["scrollXAfterScrollingLeft"] != 0
    )
    assert not scrolls, f"{site_page} at 360 px scrolls sideways: {json.dumps(found, ensure_ascii=False)}"


ACTIVE = """() => {
    const e = document.activeElement;
    if (!e || e === document.body || e === document.documentElement) return null;
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return {
        html: e.outerHTML.replace(/\\s+/g, ' ').slice(0, 120), tag: e.tagName.toLowerCase(), id: e.id,
        href: e.getAttribute('href'), kb: e.dataset.kbIndex ?? null, text: (e.innerText || '').trim().slice(0, 60),
        x: r.x, y: r.y, width: r.width, height: r.height, vw: innerWidth, vh: innerHeight,
        focusVisible: e.matches(':focus-visible'),
        style: `outline: ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}; box-shadow: ${s.boxShadow}`,
    };
}"""


def _focus_problem(page: Page, active: dict[str, Any]) -> str | None:
    """Why the focused element's focus is not visible to a sighted keyboard user, or None if it is.

    Visible means: the element has a size, lies inside the viewport, and looks different when it
    has the focus than when it has not (two screenshots of it and its surroundings are compared).
    """
    name = f"{active['html']}"
    if active["width"] < 1 or active["height"] < 1:
        return f"{name} has the focus but no size"
    if (
        active["x"] + active["width"] <= 0
        or active["y"] + active["height"] <= 0
        or active["x"] >= active["vw"]
        or active["y"] >= active["vh"]
    ):
        return f"{name} has the focus but is outside the viewport (x={active['x']:.0f}, y={active['y']:.0f})"
    pad = 8
    x0, y0 = max(0, active["x"] - pad), max(0, active["y"] - pad)
    x1, y1 = min(active["vw"], active["x"] + active["width"] + pad), min(active["vh"], active["y"] + active["height"] + pad)
    clip = {"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0}
    focused = page.screenshot(clip=clip, animations="disabled", caret="hide")
    page.evaluate("() => { window.__kbFocused = document.activeElement; window.__kbFocused.blur(); }")
    blurred = page.screenshot(clip=clip, animations="disabled", caret="hide")
    page.evaluate("() => window.__kbFocused.focus()")
    if focused == blurred:
        return f"{name} looks the same with and without the focus ({active['style']})"
    return None


def test_keyboard_skip_link(page: Page, site_page: Any) -> None:
    page.goto(site_page.path)
    page.keyboard.press("Tab")
    first = page.evaluate(ACTIVE)
    assert first is not None, f"{site_page}: Tab focuses nothing"
    href = first["href"] or ""
    assert first["tag"] == "a" and href.startswith("#") and len(href) > 1, (
        f"{site_page}: the first Tab stop is not a skip link: {first['html']}"
    )
    target = href[1:]
    assert page.evaluate("id => !!document.getElementById(id)", target), (
        f"{site_page}: the skip link points to #{target}, which does not exist"
    )
    problem = _focus_problem(page, first)
    assert problem is None, f"{site_page}: skip link: {problem}"
    page.keyboard.press("Enter")
    landed = page.evaluate(
        """id => {
            const t = document.getElementById(id), r = t.getBoundingClientRect(), a = document.activeElement;
            return {hash: location.hash, focusInside: t === a || t.contains(a), top: r.top, bottom: r.bottom, vh: innerHeight,
                    active: a ? a.outerHTML.replace(/\\s+/g, ' ').slice(0, 80) : null};
        }""",
        target,
    )
    assert landed["hash"] == href, f"{site_page}: Enter on the skip link did not go to {href}: {landed}"
    assert landed["focusInside"], f"{site_page}: after the skip link the focus is not in #{target} (tabindex=-1 missing?): {landed}"
    assert landed["top"] < landed["vh"] and landed["bottom"] > 0 and landed["top"] > -landed["vh"], (
        f"{site_page}: #{target} is not scrolled into view: {landed}"
    )
    page.keyboard.press("Tab")
    after = page.evaluate(
        "id => { const a = document.activeElement; return !!a && document.getElementById(id).compareDocumentPosition(a) & (Node.DOCUMENT_POSITION_FOLLOWING | Node.DOCUMENT_POSITION_CONTAINED_BY); }",
        target,
    )
    assert after, f"{site_page}: Tab after the skip link went back before #{target}"


def test_keyboard_reaches_every_header_link(page: Page, site_page: Any) -> None:
    page.goto(site_page.path)
    links = page.evaluate(
        """() => {
            const banner = [...document.querySelectorAll('header')].find(h => !h.parentElement.closest('main, article, aside, nav, section'));
            if (!banner) return null;
            const shown = [...banner.querySelectorAll('a[href]')].filter(a => a.getClientRects().length && getComputedStyle(a).visibility !== 'hidden');
            shown.forEach((a, i) => a.dataset.kbIndex = String(i));
            return {links: shown.map(a => a.outerHTML.replace(/\\s+/g, ' ').slice(0, 100)),
                    tabbable: document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]').length};
        }"""
    )
    assert links is not None, f"{site_page}: no <header> banner"
    assert links["links"], f"{site_page}: no visible link in the header"
    reached: dict[str, str | None] = {}
    for _ in range(links["tabbable"] + 3):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if active is None:  # past the last element: back at the document
            break
        if active["kb"] is not None and active["kb"] not in reached:
            reached[active["kb"]] = _focus_problem(page, active)
            if len(reached) == len(links["links"]):
                break
    unreached = [html for i, html in enumerate(links["links"]) if str(i) not in reached]
    invisible = [problem for problem in reached.values() if problem]
    assert not unreached and not invisible, f"{site_page}:\n  " + "\n  ".join(
        [*(f"not reachable with Tab: {html}" for html in unreached), *(f"focus not visible: {p}" for p in invisible)]
    )


# --- the gate itself: the focus check must fail an invisible focus and pass a visible one ---

FOCUS_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>probe</title>
<style>#hidden:focus { outline: none } #ring:focus-visible { outline: 3px solid #0b5566; outline-offset: 2px }</style></head>
<body><p><a id="hidden" href="#x">no focus style</a> <a id="ring" href="#y">a focus ring</a> <a id="plain" href="#z">browser default</a></p></body></html>"""


@pytest.mark.gate_check
def test_focus_check_tells_an_invisible_focus_from_a_visible_one(page: Page) -> None:
    page.set_content(FOCUS_PAGE)
    found = {}
    for _ in range(3):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        found[active["id"]] = _focus_problem(page, active)
    assert found["hidden"] and "looks the same" in found["hidden"], found
    assert found["ring"] is None and found["plain"] is None, found


@pytest.mark.gate_check
def test_sideways_check_catches_a_too_wide_box(browser: Any, browser_context_args: dict[str, Any]) -> None:
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
    )
    try:
        page = context.new_page()
        for direction in ("ltr", "rtl"):
            page.set_content(
                f'<!DOCTYPE html><html lang="en" dir="{direction}"><head><meta name="viewport" content="width=device-width, initial-scale=1">'
                '<title>probe</title></head><body><div class="wide" style="width:500px">wide</div></body></html>'
            )
            found = page.evaluate(NARROW)
            assert found["scrollWidth"] > found["clientWidth"], (direction, found)
            assert any(item.startswith("div.wide") for item in found["outsideTheViewport"]), (direction, found)
    finally:
        context.close()


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
