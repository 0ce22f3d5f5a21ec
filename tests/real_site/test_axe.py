"""The gate of the axe-core check (tests/real_site/page_checks.py, run on every page by test_pages_in_chromium.py):
its measurement of the contrasts axe leaves undecided must fail what a person would fail."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from real_site.page_checks import RUN_AXE, WCAG_22_AA, inject_axe, measure_contrast

pytestmark = [pytest.mark.browser, pytest.mark.slow]


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
    inject_axe(page, axe_source)
    results = page.evaluate(RUN_AXE, WCAG_22_AA)
    undecided = {node["target"][0]: node for rule in results["incomplete"] if rule["id"] == "color-contrast" for node in rule["nodes"]}
    assert set(undecided) >= {"#low", "#ok", "#word"}, f"axe decided a gradient by itself: {sorted(undecided)}"
    low, low_text = measure_contrast(page, undecided["#low"])
    ok, ok_text = measure_contrast(page, undecided["#ok"])
    word, word_text = measure_contrast(page, undecided["#word"])
    assert not low, low_text
    assert ok, ok_text
    assert word, f"a neighbouring glyph was measured as this text's background: {word_text}"
    assert page.evaluate("!document.querySelector('.__contrast_probe') && !window.__contrastProbe && document.adoptedStyleSheets.length === 0")
