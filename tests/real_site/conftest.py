"""The real content, built once and served under a sub-path, for tests that hold for ANY valid content.

The content belongs to the editors: these tests never name a page, a sentence or a count of
today's content. They read what the content is from the engine's own model (which pages exist,
in which layout; which testimonials, cohorts and projects the data holds) and check that the
built site shows all of it, in both directions, reachable, accessible and valid.

- The source is the repository, or ``$MERHAV_SITE_SOURCE`` (to run these tests by hand on another copy of the
  content). The same tests run on a copy of the site after an editor's ordinary day of changes in
  tests/editors_day/, whose conftest chooses that copy instead: the site under test is the fixture
  ``site_source``, never a module's constant.
- How the site is built, served and cut into one browser test per page: tests/real_site/served_site.py.
- The tests marked ``gate_check`` check a gate itself on a page of their own: they do not depend on the content,
  so they run here only.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_support import (  # noqa: F401  (fixtures, registered by being imported here)
    axe_source,
    browser_type_launch_args,
    page_problems,
    vnu_command,
)

from .served_site import (  # noqa: F401  (fixtures, registered by being imported here)
    PREFIX,
    Built,
    SitePage,
    base_url,
    browser_context_args,
    languages,
    parametrize_pages,
    real_site,
    remove_builds,
)

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def source() -> Path:
    """The content these tests judge: the repository's, or ``$MERHAV_SITE_SOURCE``."""
    return Path(os.environ.get("MERHAV_SITE_SOURCE") or ROOT).resolve()


@pytest.fixture(scope="session")
def site_source() -> Path:
    return source()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    parametrize_pages(metafunc, source())


def pytest_unconfigure(config: pytest.Config) -> None:
    remove_builds()
