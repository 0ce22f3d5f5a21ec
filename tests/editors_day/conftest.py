"""Every test of tests/real_site/ that depends on the content, run in-process on the copy an editor's day made.

The day's edits (tests/editors_day/day.py) are made once per run, by whichever process asks first, at collection:
the copy's pages are the parameters of the browser tests, as the real site's are in tests/real_site/. The fixtures
that say which site is tested (``site_source``, ``real_site``, ``base_url``, the page parameters:
tests/real_site/served_site.py) are this folder's own, on the copy; the test functions are tests/real_site's,
imported by a module of the same name here (``from real_site.test_content import *``), so each is a test of its
own that xdist deals out like any other, and its id says the site: ``tests/editors_day/test_content.py::…``.

- Each worker builds the copy once, as it builds the real site once: the first from cold, the other from the
  copy's ``.cache/`` (a file lock).
- The tests marked ``gate_check`` try a gate itself on a page of their own, whatever the content: they are not
  collected here (they run once, in tests/real_site/).
- ``python -m pytest tests/real_site tests/test_hosting.py`` (what a push that changes only content runs) does not
  collect this folder: the day runs with the whole suite.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_support import (  # noqa: F401  (fixtures, registered by being imported here)
    axe_source,
    browser_type_launch_args,
    page_problems,
    vnu_command,
)
from real_site.served_site import (  # noqa: F401  (fixtures, registered by being imported here)
    base_url,
    browser_context_args,
    languages,
    parametrize_pages,
    real_site,
    remove_builds,
)

from .day import Day, the_day

HERE = Path(__file__).resolve().parent


def _made() -> Day | None:
    try:
        return the_day()
    except (Exception, pytest.fail.Exception):
        return None  # the tests that ask for the day fail with its error (``day`` below)


@pytest.fixture(scope="session")
def day() -> Day:
    """The edited copy and its new cohort's id; a test that asks fails with the error of a day that could not be made."""
    try:
        return the_day()
    except (Exception, pytest.fail.Exception) as error:
        pytest.fail(f"the editor's day could not be made on a copy of the site: {error}", pytrace=False)


@pytest.fixture(scope="session")
def site_source(day: Day) -> Path:
    return day.source


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "site_page" in metafunc.fixturenames:  # the copy's pages: the day is made here, at collection
        made = _made()
        parametrize_pages(metafunc, made.source if made else None)


def pytest_pycollect_makeitem(collector: pytest.Collector, name: str, obj: Any) -> list[Any] | None:
    """A gate tried on a page of its own (``gate_check``) is not a test of the day's content: not collected here."""
    if Path(collector.path).is_relative_to(HERE) and any(mark.name == "gate_check" for mark in getattr(obj, "pytestmark", ())):
        return []
    return None


def pytest_unconfigure(config: pytest.Config) -> None:
    remove_builds()
