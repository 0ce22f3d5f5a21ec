"""The photographs: which pages, at which widths, and how each is taken so that two runs give the same pixels."""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

HERE = Path(__file__).resolve().parent
REFERENCES = HERE / "references"
FAILURES = HERE / "failures"
"""Where a failed comparison leaves the photograph and the diff image (ignored by git)."""
EXTRA = HERE / "extra"
"""Pages the fixture site lacks, added to its copy: a short accessibility statement (its layout's own kind)."""

WIDTHS = (375, 1280)
HEIGHT = 800
"""The viewport's height before the full-page photograph (it decides where 100vh ends)."""
PAGES = {
    "home": "",
    "programme": "programme/",
    "cohorts": "cohorts/",
    "cohort": "cohorts/a/",
    "faculty": "faculty/",
    "graduates": "graduates/",
    "participants": "participants/",
    "accessibility": "accessibility/",
    "search": "search/",
    "404": "404.html",
}
"""One page of each kind: {name: its path under a language's root}."""
LANGUAGES = {"he": "", "en": "en/"}

STILL = """
*, *::before, *::after {
  animation: none !important;
  transition: none !important;
  caret-color: transparent !important;
  scroll-behavior: auto !important;
}
"""
"""Injected into every page: nothing moves, no caret blinks."""


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    width: int

    @property
    def file(self) -> str:
        return f"{self.name}.png"


QUERIES = {"he": "שותפות", "en": "partnership"}
"""A word of the fixture site in each language: the search page with its results (search.js reads ?q=)."""

SHOTS = [
    Shot(f"{page}-{code}-{width}", prefix + path, width)
    for page, path in PAGES.items()
    for code, prefix in LANGUAGES.items()
    for width in WIDTHS
] + [
    Shot(f"search-results-{code}-{width}", f"{prefix}search/?q={QUERIES[code]}", width)
    for code, prefix in LANGUAGES.items()
    for width in WIDTHS
]


FOOTER_YEAR_EPOCH = 1767225600  # 2026-01-01T00:00:00Z


def make_site(folder: Path) -> None:
    """The fixture site with the extra pages, built into ``folder/site`` (shared_build.shared's ``make``)."""
    from conftest import BASE_URL, copy_fixture_site

    from sitegen.cli import main

    source = copy_fixture_site(folder / "src")
    shutil.copytree(EXTRA, source, dirs_exist_ok=True)
    # The footer shows the build's year (output/year.py): fixed here, so the references do not go stale each January.
    year_was = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(FOOTER_YEAR_EPOCH)
    try:
        code = main(["build", "--source", str(source), "--out", str(folder / "site"), "--base-url", BASE_URL])
    finally:
        if year_was is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = year_was
    assert code == 0, "the visual tests' site does not build"


def built_site() -> Path:
    """The visual tests' site, built once per test run (tests/shared_build.py)."""
    from shared_build import shared

    return shared("visual-site", make_site) / "site"


def context_options() -> dict[str, Any]:
    return {
        "viewport": {"width": WIDTHS[0], "height": HEIGHT},
        "device_scale_factor": 1,
        "color_scheme": "light",
        "reduced_motion": "reduce",
        "locale": "en-GB",
        "timezone_id": "UTC",
        "bypass_csp": True,  # for settle's injected style only (the pages' policy forbids inline styles)
    }


def fonts_always_used(context: Any) -> None:
    """Serve the stylesheets with ``font-display: block`` instead of ``optional``, in this browser context only.

    ``optional`` draws a page in the fallback font for good when the web font is not there within ~100 ms, which a
    loaded machine misses even from the cache (seen: one page of 44 in Hebrew's fallback font). With ``block`` the
    text waits for the font and is drawn with it once ``document.fonts.ready``; nothing else of the page changes."""

    def swap(route: Any) -> None:
        response = route.fetch()
        body = response.text().replace("font-display: optional", "font-display: block")
        route.fulfill(response=response, body=body)

    context.route("**/*.css", swap)


def settle(page: Any) -> None:
    """Wait until the page is drawn for good: its fonts, the search form when it has one, no caret, no motion."""
    page.add_style_tag(content=STILL)
    page.evaluate("document.fonts.ready")
    if page.locator("#search").count():
        page.locator(".pagefind-ui__search-input").wait_for(state="visible")
        if "?q=" in page.url:
            page.locator(".pagefind-ui__message").wait_for(state="visible")
            # every result drawn: Pagefind shows a grey placeholder (.pagefind-ui__loading) for each result until its
            # fragment has loaded, one after the other (seen in CI: a photograph with two of three still grey)
            page.wait_for_function("() => document.querySelectorAll('.pagefind-ui__result').length > 0"
                                   " && !document.querySelector('.pagefind-ui__results .pagefind-ui__loading')"
                                   " && document.querySelectorAll('.pagefind-ui__result').length"
                                   " === document.querySelectorAll('.pagefind-ui__result-excerpt').length")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def warm_fonts(page: Any, origin: str) -> None:
    """Load both web fonts (Hebrew and Latin subsets) into the browser's cache before any photograph (quicker pages)."""
    for prefix in LANGUAGES.values():
        page.goto(origin + "/" + prefix)
        page.evaluate("document.fonts.ready")
    loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').length")
    assert loaded >= 2, f"the web fonts did not load ({loaded} loaded)"


def photograph(page: Any, origin: str, shot: Shot) -> Image.Image:
    page.set_viewport_size({"width": shot.width, "height": HEIGHT})
    page.goto(origin + "/" + shot.path)
    settle(page)
    return Image.open(io.BytesIO(page.screenshot(full_page=True, animations="disabled", caret="hide"))).convert("RGB")
