"""The checks the browser tests make on each page of the real site (tests/real_site/test_pages_in_chromium.py), each a
function of its own that raises an AssertionError saying what is wrong, and a collector that runs them all on one
loaded page and fails once with every check that failed (tests/real_site/test_pages_in_chromium.py).

One visit per page: the page is loaded once and every check runs on it, in an order in which none disturbs the next
(each starts from the top of the page, with nothing focused), and last the language switcher, which leaves the page.
The site's Content-Security-Policy stays in force throughout: axe-core is evaluated by the browser's devtools
protocol (``page.evaluate``), which the policy does not govern, and the contrast probe hides the text with a
constructed style sheet, not a ``<style>`` element.

The gates (``gate_check``: tests/real_site/test_axe.py, test_pages_in_chromium.py) try these same functions on pages
of their own, so a check that could no longer fail would fail there.
"""

from __future__ import annotations

import base64
import io
import json
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from browser_support import ProblemLog
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_VERSION = "4.14.1"
PHONE = {"width": 360, "height": 740}
"""The narrow screen of the sideways check, emulated as pytest-playwright's ``is_mobile`` and ``has_touch`` do."""


class Checks:
    """Runs checks on one page and remembers each that failed, with its reason (soft assertions): nothing hides
    behind the first failure. ``assert_all_passed`` fails once, listing them."""

    def __init__(self, subject: object) -> None:
        self.subject = subject
        self.ran: list[str] = []
        self.failed: list[tuple[str, str]] = []

    def run(self, name: str, check: Callable[..., None], *args: Any) -> None:
        self.ran.append(name)
        try:
            check(*args)
        except (AssertionError, PlaywrightError) as problem:
            self.failed.append((name, str(problem).strip() or type(problem).__name__))

    def assert_all_passed(self) -> None:
        assert not self.failed, f"{self.subject}: {len(self.failed)} of {len(self.ran)} checks failed:\n" + "\n".join(
            f"- {name}: " + reason.replace("\n", "\n    ") for name, reason in self.failed
        )


# --- the page's state between checks ---


def settle(page: Page) -> None:
    """Wait for the page's fonts and for any transition or animation a change (a colour scheme) started."""
    page.evaluate("async () => { await document.fonts.ready; await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null))); }")


def from_the_top(page: Page) -> None:
    """Scrolled to the top, nothing focused, and the keyboard's next Tab starting from the beginning of the document,
    as on a page just loaded (a focusable mark at the start of <body> is focused, then removed: the browser's
    sequential focus navigation starting point stays where it was)."""
    page.evaluate(
        """() => {
            document.activeElement?.blur?.();
            const mark = document.createElement('span'); mark.tabIndex = -1;
            document.body.prepend(mark); mark.focus({preventScroll: true}); mark.remove();
            scrollTo({left: 0, top: 0, behavior: 'instant'});
        }"""
    )


@contextmanager
def as_a_phone(page: Page) -> Iterator[None]:
    """The page shown on a 360 px phone for the block, as a context made with ``viewport 360×740, is_mobile, has_touch``
    shows it (the same devtools commands Playwright sends for them), then back to the context's own viewport."""
    viewport = page.viewport_size
    session = page.context.new_cdp_session(page)
    try:
        session.send("Emulation.setDeviceMetricsOverride", {**PHONE, "deviceScaleFactor": 1, "mobile": True,
                                                            "screenWidth": PHONE["width"], "screenHeight": PHONE["height"]})
        session.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
        # the page learns its new size a moment after the command is acknowledged (seen under load): measured before,
        # it would be measured at the desktop's width
        page.wait_for_function("([w, h]) => screen.width === w && screen.height === h && navigator.maxTouchPoints > 0",
                               arg=[PHONE["width"], PHONE["height"]])
        yield
    finally:
        session.send("Emulation.setTouchEmulationEnabled", {"enabled": False})
        session.detach()
        if viewport:
            page.set_viewport_size(viewport)  # Playwright sends its own metrics again (not mobile)
            page.wait_for_function("w => innerWidth === w && navigator.maxTouchPoints === 0", arg=viewport["width"])


# --- loads without errors ---


def loads_without_errors(page: Page, site_page: Any, response: Any, log: ProblemLog) -> None:
    """No console error (a Content-Security-Policy violation among them), failed request, HTTP error or broken image,
    the page scrolled through as a reader would, so that late and lazy requests happen too."""
    assert response is not None and response.ok, f"{site_page}: HTTP {response and response.status}"
    # scroll through the page as a reader would, so late and lazy requests happen too
    page.evaluate(
        "async () => { for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) { scrollTo(0, y); await new Promise(r => requestAnimationFrame(r)); } }"
    )
    settled_network(page, log)
    broken = page.evaluate("[...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.currentSrc || i.src)")
    assert not log.problems and not broken, f"{site_page}:\n  " + "\n  ".join(
        [*log.problems, *(f"broken image: {src}" for src in broken)]
    )


def settled_network(page: Page, log: ProblemLog, timeout_s: float = 30) -> None:
    """Wait until what the page asked for has arrived: the fonts loaded, and no request under way (sent, neither
    finished nor failed, as ``log`` heard them) at two frames of the page's in a row, the second giving what the first
    laid out (a lazy image scrolled to) the time to ask. Explicit conditions rather than Playwright's "networkidle",
    which always waits out 500 ms without a request."""
    page.evaluate("async () => { await document.fonts.ready; }")
    deadline = time.monotonic() + timeout_s
    quiet_frames = 0
    while quiet_frames < 2:
        assert time.monotonic() < deadline, f"{page.url}: {log.under_way} request(s) still under way after {timeout_s:g} s"
        # one frame of the page's: the requests under way go on, and what the browser says of them reaches the log
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        quiet_frames = quiet_frames + 1 if not log.under_way else 0


# --- direction ---


def direction_matches_language(page: Page, site_page: Any, expected: Any) -> None:
    """lang and dir on <html>, and the computed direction of html, body and main, are the page's language's."""
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


# --- axe-core, WCAG 2.2 AA ---
# axe-core from node_modules rather than the PyPI wrappers: axe-core-python bundles axe 4.4.3, which has no WCAG 2.2
# rule, and axe-playwright-python bundles 4.12.1; npm's is the pinned original.
#
# A page passes with zero violations, and with every colour-contrast check that axe left "incomplete" settled by
# measuring it as a person would look at it. axe leaves text over a gradient, an image or overlapping boxes
# undecided; the check then hides the page's text (colour transparent), screenshots the boxes its lines occupy, and
# computes the contrast of the text's colour against EVERY background pixel: the worst must reach 4.5:1 (3:1 for
# large text, WCAG 1.4.3). What cannot be measured fails too, so nothing is waved through unseen.


def inject_axe(page: Page, axe_source: str) -> None:
    """axe-core into the page, evaluated through the devtools protocol (no <script> element: the page's policy allows none)."""
    page.evaluate(axe_source)


def axe_in(page: Page, axe_source: str) -> None:
    """axe-core in the page, injected only if this document does not have it yet: evaluating its ~600 kB costs more
    than a run of it (0.4–2 s, measured), and the light and the dark run of one page need it once."""
    if page.evaluate("v => window.axe?.version !== v", AXE_VERSION):
        inject_axe(page, axe_source)


RUN_AXE = """async tags => {
    await document.fonts.ready;
    return axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations', 'incomplete']});
}"""


PREPARE = """selector => {
    const e = document.querySelector(selector);
    if (!e) return {error: `no element matches ${selector}`};
    e.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
    const s = getComputedStyle(e);
    const canvas = document.createElement('canvas'); canvas.width = canvas.height = 1;
    const ctx = canvas.getContext('2d', {willReadFrequently: true});
    ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = s.color; ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    const size = parseFloat(s.fontSize), weight = parseInt(s.fontWeight, 10) || 400;
    const large = size >= 24 || (size >= 18.66 && weight >= 700);
    const rects = [];
    for (const n of e.childNodes) {
        if (n.nodeType !== Node.TEXT_NODE || !n.textContent.trim()) continue;
        const range = document.createRange(); range.selectNodeContents(n);
        for (const q of range.getClientRects()) {
            const x0 = Math.max(0, Math.floor(q.left)), y0 = Math.max(0, Math.floor(q.top));
            const x1 = Math.min(innerWidth, Math.ceil(q.right)), y1 = Math.min(innerHeight, Math.ceil(q.bottom));
            if (x1 - x0 >= 1 && y1 - y0 >= 1) rects.push({x: x0, y: y0, width: x1 - x0, height: y1 - y0});
        }
    }
    // A constructed style sheet, not a <style> element: the page's Content-Security-Policy stays in force.
    const sheet = new CSSStyleSheet();
    // Every text on the page goes transparent, not only this element's: a neighbour's glyph that
    // overhangs into these boxes (a parenthesis beside a right-to-left word in a left-to-right line)
    // is text, not the background this text is read against.
    sheet.replaceSync('*, *::before, *::after { color: transparent !important; -webkit-text-fill-color: transparent !important; ' +
                        'text-shadow: none !important; text-decoration-color: transparent !important; caret-color: transparent !important; }');
    window.__contrastProbe = sheet; document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    e.classList.add('__contrast_probe');
    return {fore: [r, g, b, a / 255], fontSize: size, fontWeight: weight, needed: large ? 3 : 4.5, rects};
}"""

MEASURE = """async ({shots, fore}) => {
    document.querySelector('.__contrast_probe')?.classList.remove('__contrast_probe');
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter(s => s !== window.__contrastProbe);
    delete window.__contrastProbe;
    const lin = c => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    const lum = (r, g, b) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    let worst = Infinity, worstBg = null, pixels = 0;
    for (const b64 of shots) {
        const img = new Image(); img.src = 'data:image/png;base64,' + b64; await img.decode();
        const canvas = document.createElement('canvas'); canvas.width = img.width; canvas.height = img.height;
        const ctx = canvas.getContext('2d', {willReadFrequently: true}); ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, img.width, img.height).data;
        for (let i = 0; i < d.length; i += 4) {
            const [br, bg, bb] = [d[i], d[i + 1], d[i + 2]], a = fore[3];
            const fl = lum(fore[0] * a + br * (1 - a), fore[1] * a + bg * (1 - a), fore[2] * a + bb * (1 - a)), bl = lum(br, bg, bb);
            const ratio = (Math.max(fl, bl) + 0.05) / (Math.min(fl, bl) + 0.05);
            pixels++;
            if (ratio < worst) { worst = ratio; worstBg = `rgb(${br}, ${bg}, ${bb})`; }
        }
    }
    return {worst, worstBg, pixels};
}"""


def measure_contrast(page: Page, node: dict[str, Any]) -> tuple[bool, str]:
    """(passes, description) for one node that axe left incomplete for color-contrast."""
    target = node.get("target", [])
    if len(target) != 1 or not isinstance(target[0], str):
        return False, f"cannot be measured (target {target})"
    probe = page.evaluate(PREPARE, target[0])
    if probe.get("error") or not probe["rects"]:
        page.evaluate(MEASURE, {"shots": [], "fore": [0, 0, 0, 1]})
        return False, f"cannot be measured ({probe.get('error') or 'no text box in the viewport'})"
    shots = [base64.b64encode(page.screenshot(clip=rect, animations="disabled", caret="hide")).decode() for rect in probe["rects"]]
    found = page.evaluate(MEASURE, {"shots": shots, "fore": probe["fore"]})
    fore = "rgb({}, {}, {}{})".format(*probe["fore"][:3], "" if probe["fore"][3] == 1 else f", {probe['fore'][3]:.2f}")
    text = f"worst contrast {found['worst']:.2f}:1 (text {fore} on {found['worstBg']}; needs {probe['needed']}:1 at {probe['fontSize']:g}px/{probe['fontWeight']}; {found['pixels']} background pixels)"
    return found["worst"] >= probe["needed"], text


def node_lines(node: dict[str, Any]) -> list[str]:
    target = " ".join(str(t) for t in node.get("target", []))
    html = " ".join(node.get("html", "").split())[:160]
    checks = [check for group in ("any", "all", "none") for check in node.get(group, [])]
    messages = sorted({check.get("message", "") for check in checks if check.get("message")})
    return [f"    at {target}: {html}", *(f"      {message}" for message in messages)]


def report(results: list[dict[str, Any]], heading: str) -> list[str]:
    lines = []
    for rule in results:
        lines.append(
            f"  {heading} {rule['id']} [{rule.get('impact')}] {rule['help']} ({len(rule['nodes'])} element(s)) {rule.get('helpUrl', '')}"
        )
        for node in rule["nodes"]:
            lines.extend(node_lines(node))
    return lines


def axe_wcag22_aa(page: Page, site_page: Any, scheme: str, axe_source: str) -> None:
    """axe-core's WCAG 2.2 A and AA rules on the page in the colour ``scheme``, the undecided contrasts measured."""
    page.emulate_media(color_scheme=scheme)
    settle(page)
    assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
    axe_in(page, axe_source)
    results = page.evaluate(RUN_AXE, WCAG_22_AA)
    assert results["testEngine"]["version"] == AXE_VERSION
    violations = results["violations"]
    measured_low: list[str] = []
    for rule in results["incomplete"]:
        if rule["id"] != "color-contrast":
            continue
        for node in rule["nodes"]:
            passes, measured = measure_contrast(page, node)
            where = " ".join(str(t) for t in node.get("target", []))
            reason = "; ".join(sorted({c.get("message", "") for g in ("any", "all", "none") for c in node.get(g, [])}))
            print(f"{site_page} ({scheme}): axe left {where} incomplete ({reason}); measured: {measured}")
            if not passes:
                measured_low.append(f"  color-contrast (axe: incomplete; measured) at {where}: {measured}\n    axe said: {reason}")
    assert not violations and not measured_low, f"{site_page} ({scheme} scheme), axe {AXE_VERSION}:\n" + "\n".join(
        [*report(violations, "violation"), *measured_low]
    )


# --- the keyboard ---


ACTIVE = """() => {
    const e = document.activeElement;
    if (!e || e === document.body || e === document.documentElement) return null;
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return {
        html: e.outerHTML.replace(/\\s+/g, ' ').slice(0, 120), tag: e.tagName.toLowerCase(), id: e.id,
        href: e.getAttribute('href'), kb: e.dataset.kbIndex ?? null, text: (e.innerText || '').trim().slice(0, 60),
        x: r.x, y: r.y, width: r.width, height: r.height, vw: innerWidth, vh: innerHeight, sx: scrollX, sy: scrollY,
        focusVisible: e.matches(':focus-visible'),
        style: `outline: ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}; box-shadow: ${s.boxShadow}`,
    };
}"""


@dataclass(frozen=True)
class Unfocused:
    """The viewport with nothing focused, once for a walk of the keyboard over many elements: the picture without the
    focus that each focused element is compared with (``focus_problem``), where it was taken at the same scroll."""

    png: bytes
    scroll: tuple[float, float]
    size: tuple[int, int]

    @cached_property
    def image(self) -> Image.Image:
        """The picture decoded, once for the walk (~12 ms a decoding)."""
        with Image.open(io.BytesIO(self.png)) as image:
            return image.convert("RGBA")


def unfocused(page: Page) -> Unfocused:
    """The viewport as it is now (call it with nothing focused), as ``focus_problem`` screenshots it."""
    where = page.evaluate("[scrollX, scrollY, innerWidth, innerHeight]")
    png = page.screenshot(animations="disabled", caret="hide")
    return Unfocused(png=png, scroll=(where[0], where[1]), size=(where[2], where[3]))


def _pixels(png: bytes) -> bytes:
    with Image.open(io.BytesIO(png)) as image:
        return image.convert("RGBA").tobytes()


def focus_problem(page: Page, active: dict[str, Any], without_focus: Unfocused | None = None) -> str | None:
    """Why the focused element's focus is not visible to a sighted keyboard user, or None if it is.

    Visible means: the element has a size, lies inside the viewport, and looks different when it
    has the focus than when it has not (two screenshots of it and its surroundings are compared).
    The screenshot without the focus is ``without_focus``'s same pixels when it was taken at this scroll and size
    (one screenshot for a whole walk); otherwise the element is blurred for one, and focused again.
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
    x0, y0 = max(0, math.floor(active["x"] - pad)), max(0, math.floor(active["y"] - pad))
    x1 = min(active["vw"], math.ceil(active["x"] + active["width"] + pad))
    y1 = min(active["vh"], math.ceil(active["y"] + active["height"] + pad))
    clip: Any = {"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0}
    focused = page.screenshot(clip=clip, animations="disabled", caret="hide")
    if without_focus and without_focus.scroll == (active["sx"], active["sy"]) and without_focus.size == (active["vw"], active["vh"]):
        same = _pixels(focused) == without_focus.image.crop((x0, y0, x1, y1)).tobytes()
    else:
        page.evaluate("() => { window.__kbFocused = document.activeElement; window.__kbFocused.blur(); }")
        blurred = page.screenshot(clip=clip, animations="disabled", caret="hide")
        page.evaluate("() => window.__kbFocused.focus()")
        same = focused == blurred
    if same:
        return f"{name} looks the same with and without the focus ({active['style']})"
    return None


def keyboard_skip_link(page: Page, site_page: Any) -> None:
    """The first Tab stop is a visible skip link to an element that exists; Enter takes the focus there, in view."""
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
    problem = focus_problem(page, first)
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


def keyboard_reaches_every_header_link(page: Page, site_page: Any) -> None:
    """Tab alone reaches every visible link of the header (the banner), each with a visible focus."""
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
    without_focus = unfocused(page)  # the page as the walk starts: scrolled to the top, nothing focused
    for _ in range(links["tabbable"] + 3):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if active is None:  # past the last element: back at the document
            break
        if active["kb"] is not None and active["kb"] not in reached:
            reached[active["kb"]] = focus_problem(page, active, without_focus)
            if len(reached) == len(links["links"]):
                break
    unreached = [html for i, html in enumerate(links["links"]) if str(i) not in reached]
    invisible = [problem for problem in reached.values() if problem]
    assert not unreached and not invisible, f"{site_page}:\n  " + "\n  ".join(
        [*(f"not reachable with Tab: {html}" for html in unreached), *(f"focus not visible: {p}" for p in invisible)]
    )


# --- 360 px ---


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


def nothing_scrolls_sideways_at_360px(page: Page, site_page: Any) -> None:
    """On a 360 px phone the page neither is wider than the screen nor scrolls sideways, in either direction."""
    with as_a_phone(page):
        found = page.evaluate(NARROW)
    scrolls = (
        found["scrollWidth"] > found["clientWidth"] or found["scrollXAfterScrollingRight"] != 0 or found["scrollXAfterScrollingLeft"] != 0
    )
    assert not scrolls, f"{site_page} at 360 px scrolls sideways: {json.dumps(found, ensure_ascii=False)}"


# --- the language switcher (last: it leaves the page) ---


def header_link(page: Page, hreflang: str) -> Any:
    """The link to another language in the page's banner (the <header> outside main/section/...)."""
    page.wait_for_load_state("load")  # a page just reached by a link: its header parsed and styled before it is read
    visible = page.get_by_role("banner").locator(f'a[hreflang="{hreflang}"]').filter(visible=True)
    assert visible.count(), f"{page.url}: no visible link with hreflang={hreflang} in the header (banner)"
    return visible.first


def language_switcher_round_trip(page: Page, site_page: Any, base_url: str, languages: dict[str, Any], real_site: Any) -> None:
    """The header's link to each other language leads to the counterpart page, and its link back to this page.

    The way back is taken here only when the counterpart is not a visit of its own (``real_site.visited``): a visited
    counterpart's own test clicks that same link (its link to this language, which must lead to its counterpart, this
    page) and checks where it lands, so every link of the pair is followed once, and no page is loaded twice for it."""
    for other in languages:
        if other == site_page.lang:
            continue
        there = real_site.counterpart(site_page, other)
        if page.url.split("#")[0] != base_url + site_page.path:  # back from the other language: the page again
            page.goto(site_page.path)
        header_link(page, other).click()
        expect(page, f"{site_page}: the header's {other} link should lead to {there}").to_have_url(base_url + there)
        expect(page.locator("html"), f"{there}: lang should be {other}").to_have_attribute("lang", other)
        if site_page.key == "404":  # from the other language's home page, back home: a 404 is no page to go back to
            continue
        if there in real_site.visited and real_site.counterpart(real_site.visited[there], site_page.lang) == site_page.path:
            continue  # its own test follows its link back here
        header_link(page, site_page.lang).click()
        expect(page, f"{there}: the header's {site_page.lang} link should lead back to {site_page.path}").to_have_url(
            base_url + site_page.path
        )
        expect(page.locator("html"), f"{site_page}: lang should be {site_page.lang}").to_have_attribute("lang", site_page.lang)

