"""The engine's browser tests, on fixture sites of their own (the real content: tests/real_site/).

Chromium, axe-core and the Nu HTML checker come from tests/browser_support.py: skipped with a
one-line reason when missing on a developer's machine, a failure when CI=true.

What is made once: each site is built once per run (tests/browser/sites.py, tests/shared_build.py); each is served
by one server a process (the session-scoped fixtures below: a thread of the worker, started when a test first
needs it); pytest-playwright's ``browser`` is one Chromium a process. A test opens its own context (a few
milliseconds) unless its module shares one where nothing can leak from test to test (test_layout, test_visual).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import (  # noqa: F401  (fixtures, registered by being imported here)
    Served,
    axe_source,
    browser_type_launch_args,
    page_problems,
    serve_site,
    vnu_command,
)


@pytest.fixture(scope="session")
def fixture_site_server(fixture_site: Path) -> Iterator[Served]:
    """The fixture site (tests/conftest.py), served at the root with the English 404 page under /en/."""
    with serve_site(fixture_site, "/", ("en",)) as server:
        yield server


@pytest.fixture(scope="session")
def search_site_server() -> Iterator[Served]:
    """The fixture site built for /merhav/ (sites.search_site), served there."""
    from browser.sites import PREFIX, search_site

    with serve_site(search_site(), PREFIX, ("en",)) as server:
        yield server


@pytest.fixture(scope="session")
def visual_site_server() -> Iterator[Served]:
    """The visual tests' site (tests/visual/capture.py: the fixture site with an accessibility statement of its own)."""
    from visual.capture import built_site

    with serve_site(built_site()) as server:
        yield server


@pytest.fixture(scope="session")
def catalogue_server() -> Iterator[Served]:
    """The generated 5 × 40 catalogue (tests/catalogue_fixture.py), served at the root."""
    from catalogue_fixture import built_catalogue

    built = built_catalogue()
    assert built.code == 0, "the generated catalogue does not build"
    with serve_site(built.out, "/", ("en",)) as server:
        yield server
