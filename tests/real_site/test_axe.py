"""axe-core (from npm, WCAG 2.2 A and AA rules) on the pages of the real site the browser tests visit, light and dark.

axe-core 4.14.1 from node_modules rather than the PyPI wrappers: axe-core-python bundles axe 4.4.3,
which has no WCAG 2.2 rule, and axe-playwright-python bundles 4.12.1; npm's is the pinned original.

A page passes with zero violations, and with every colour-contrast check that axe left
"incomplete" settled by measuring it as a person would look at it. axe leaves text over a
gradient, an image or overlapping boxes undecided; the test then hides the page's text (colour
transparent), screenshots the boxes its lines occupy, and computes the contrast of the text's
colour against EVERY background pixel: the worst must reach 4.5:1 (3:1 for large text, WCAG
1.4.3). What cannot be measured fails too, so nothing is waved through unseen.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_VERSION = "4.14.1"

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
    const style = document.createElement('style');
    style.id = '__contrast_probe';
    // Every text on the page goes transparent, not only this element's: a neighbour's glyph that
    // overhangs into these boxes (a parenthesis beside a right-to-left word in a left-to-right line)
    // is text, not the background this text is read against.
    style.textContent = '*, *::before, *::after { color: transparent !important; -webkit-text-fill-color: transparent !important; ' +
                        'text-shadow: none !important; text-decoration-color: transparent !important; caret-color: transparent !important; }';
    document.head.append(style); e.classList.add('__contrast_probe');
    return {fore: [r, g, b, a / 255], fontSize: size, fontWeight: weight, needed: large ? 3 : 4.5, rects};
}"""

MEASURE = """async ({shots, fore}) => {
    document.querySelector('.__contrast_probe')?.classList.remove('__contrast_probe');
    document.getElementById('__contrast_probe')?.remove();
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


def _measure_contrast(page: Page, node: dict[str, Any]) -> tuple[bool, str]:
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


def _node_lines(node: dict[str, Any]) -> list[str]:
    target = " ".join(str(t) for t in node.get("target", []))
    html = " ".join(node.get("html", "").split())[:160]
    checks = [check for group in ("any", "all", "none") for check in node.get(group, [])]
    messages = sorted({check.get("message", "") for check in checks if check.get("message")})
    return [f"    at {target}: {html}", *(f"      {message}" for message in messages)]


def _report(results: list[dict[str, Any]], heading: str) -> list[str]:
    lines = []
    for rule in results:
        lines.append(
            f"  {heading} {rule['id']} [{rule.get('impact')}] {rule['help']} ({len(rule['nodes'])} element(s)) {rule.get('helpUrl', '')}"
        )
        for node in rule["nodes"]:
            lines.extend(_node_lines(node))
    return lines


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """axe is injected as a <script> and the contrast probe adds a <style>: both are what the site's
    Content-Security-Policy forbids, so these tests' pages run without it (the other tests keep it)."""
    return {**browser_context_args, "bypass_csp": True}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_wcag22_aa(page: Page, site_page: Any, scheme: str, axe_source: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(site_page.path, wait_until="load")
    assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
    page.add_script_tag(content=axe_source)
    results = page.evaluate(RUN_AXE, WCAG_22_AA)
    assert results["testEngine"]["version"] == AXE_VERSION
    violations = results["violations"]
    measured_low: list[str] = []
    for rule in results["incomplete"]:
        if rule["id"] != "color-contrast":
            continue
        for node in rule["nodes"]:
            passes, measured = _measure_contrast(page, node)
            where = " ".join(str(t) for t in node.get("target", []))
            reason = "; ".join(sorted({c.get("message", "") for g in ("any", "all", "none") for c in node.get(g, [])}))
            print(f"{site_page} ({scheme}): axe left {where} incomplete ({reason}); measured: {measured}")
            if not passes:
                measured_low.append(f"  color-contrast (axe: incomplete; measured) at {where}: {measured}\n    axe said: {reason}")
    assert not violations and not measured_low, f"{site_page} ({scheme} scheme), axe {AXE_VERSION}:\n" + "\n".join(
        [*_report(violations, "violation"), *measured_low]
    )


# --- the gate itself: its contrast measurement must fail what a person would fail ---

GRADIENT_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>probe</title></head>
<body style="margin:0"><main><div style="background:linear-gradient(90deg,#ffffff,#f0f0f0 40%,#777777);padding:20px">
<p id="low" style="color:#888;font-size:16px;margin:0">Grey text over a gradient that darkens to grey</p>
<p id="ok" style="color:#000;font-size:16px;margin:0">Black text over a light gradient, more than enough</p>
<p style="color:#000;font-size:19px;margin:0">Its name, Merhav (<span id="word" lang="he" dir="rtl">מרחב</span><b style="margin-inline-start:-0.3em">)</b>, a neighbour's glyph overhangs</p>
</div></main></body></html>"""


@pytest.mark.gate_check
def test_contrast_measurement_catches_grey_on_a_darkening_gradient(page: Page, axe_source: str) -> None:
    page.set_content(GRADIENT_PAGE)
    page.add_script_tag(content=axe_source)
    results = page.evaluate(RUN_AXE, WCAG_22_AA)
    undecided = {node["target"][0]: node for rule in results["incomplete"] if rule["id"] == "color-contrast" for node in rule["nodes"]}
    assert set(undecided) >= {"#low", "#ok", "#word"}, f"axe decided a gradient by itself: {sorted(undecided)}"
    low, low_text = _measure_contrast(page, undecided["#low"])
    ok, ok_text = _measure_contrast(page, undecided["#ok"])
    word, word_text = _measure_contrast(page, undecided["#word"])
    assert not low, low_text
    assert ok, ok_text
    assert word, f"a neighbouring glyph was measured as this text's background: {word_text}"
    assert page.evaluate("!document.querySelector('.__contrast_probe') && !document.getElementById('__contrast_probe')")
