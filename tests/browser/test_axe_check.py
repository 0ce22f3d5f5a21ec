"""The gate of tests/browser/axe_check.py on a page of its own: a contrast too low in the dark scheme only fails the
dark run and names it, the light run passes, and the scheme goes back to light; a page fine in both passes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from browser.axe_check import assert_no_axe_violations

pytestmark = [pytest.mark.browser]

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Gate</title><style>
body { background: #fff; color: #111; }
@media (prefers-color-scheme: dark) { body { background: #111; color: #eee; } p.weak { color: #222; } }
</style></head><body><main><h1>Gate</h1><p class="weak">Text that only the dark scheme greys out.</p></main></body></html>"""


def test_a_problem_of_the_dark_scheme_alone_fails_and_is_named(page: Page, axe_source: str) -> None:
    page.set_content(PAGE)
    with pytest.raises(AssertionError) as failed:
        assert_no_axe_violations(page, axe_source, "the gate's page")
    message = str(failed.value)
    assert "1 of 2 checks failed" in message and "dark scheme" in message and "color-contrast" in message, message
    assert "light scheme" not in message, message
    assert page.evaluate("matchMedia('(prefers-color-scheme: light)').matches"), "left in the light scheme"


def test_a_page_fine_in_both_schemes_passes(page: Page, axe_source: str) -> None:
    page.set_content(PAGE.replace("p.weak { color: #222; }", "p.weak { color: #eee; }"))
    assert_no_axe_violations(page, axe_source, "the gate's page")
