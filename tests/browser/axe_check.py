"""axe-core on a page loaded once, in the light scheme and then the dark: axe injected once per loaded document.

axe-core is evaluated through the devtools protocol (``page.evaluate``, as tests/real_site/page_checks.py does), so
the page's Content-Security-Policy stays in force and no context needs ``bypass_csp``. Between the two runs only the
emulated colour scheme changes; the second run waits, as the first, for the page's fonts and for any transition the
change started. Each scheme is a check of its own (``Checks``): both run, and the test lists every failure.
"""

from __future__ import annotations

from typing import Any

from browser_support import WCAG_22_AA
from real_site.page_checks import Checks

SCHEMES = ("light", "dark")
_RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
_SETTLE = ("async () => { await document.fonts.ready;"
           " await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null))); }")


def axe_violations(page: Any, axe_source: str, scheme: str) -> list[tuple[str, str, list[Any]]]:
    """(rule, help, first three targets) of each WCAG 2.2 A/AA violation axe finds on the page in ``scheme``."""
    page.emulate_media(color_scheme=scheme)
    page.evaluate(_SETTLE)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    result = page.evaluate(_RUN, WCAG_22_AA)
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def _no_violations(page: Any, axe_source: str, scheme: str, subject: str) -> None:
    found = axe_violations(page, axe_source, scheme)
    assert found == [], f"{subject} ({scheme}): {found}"


def assert_no_axe_violations(page: Any, axe_source: str, subject: str) -> None:
    """axe in the light scheme, then the dark, on the page as it is now; fails once, listing each scheme that failed."""
    checks = Checks(subject)
    for scheme in SCHEMES:
        checks.run(f"axe WCAG 2.2 AA, {scheme} scheme", _no_violations, page, axe_source, scheme, subject)
    page.emulate_media(color_scheme="light")
    checks.assert_all_passed()
