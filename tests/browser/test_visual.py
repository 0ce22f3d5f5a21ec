"""Visual regression: every kind of page of the fixture site, in Hebrew and English, at 375 px and 1280 px, compared
with the references in tests/visual/references/ (tests/visual/__init__.py says how, compare.py with what tolerance).

A deliberate layout change updates the references in the same commit: ``python -m tests.visual --update``.
A failure names the photograph and the diff image it wrote into tests/visual/failures/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import Served
from PIL import Image
from visual.capture import FAILURES, REFERENCES, SHOTS, Shot, context_options, fonts_always_used, photograph, warm_fonts
from visual.compare import compare, write_failure

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def still_page(browser: Any, visual_site_server: Served) -> Iterator[tuple[Any, str]]:
    """One page of one context for every photograph, the fonts already in its cache; and the site's origin."""
    context = browser.new_context(**context_options())
    fonts_always_used(context)
    page = context.new_page()
    warm_fonts(page, visual_site_server.origin)
    yield page, visual_site_server.origin
    context.close()


@pytest.mark.parametrize("shot", SHOTS, ids=[shot.name for shot in SHOTS])
def test_the_page_looks_as_its_reference(still_page: tuple[Any, str], shot: Shot) -> None:
    page, origin = still_page
    actual = photograph(page, origin, shot)
    reference_file = REFERENCES / shot.file
    assert reference_file.is_file(), f"no reference {reference_file}: run `python -m tests.visual --update` and commit it"
    reference = Image.open(reference_file)
    verdict = compare(actual, reference)
    if not verdict.same:
        written = write_failure(FAILURES, shot.name, actual, reference, verdict)
        pytest.fail(f"{shot.name} differs from its reference: {verdict.reason}. Look at {', '.join(map(str, written))}; "
                    "if the change is deliberate, run `python -m tests.visual --update` and commit the references with it",
                    pytrace=False)
