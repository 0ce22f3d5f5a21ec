"""The browser tests' sites, each built once per test run and shared by the run's processes (tests/shared_build.py):
read them, never change them. Each is served by one server a process (tests/browser/conftest.py), started when a test
first asks for it, so a test file whose tests xdist spreads over both workers builds nothing twice.

A site served under /merhav/ (as on GitHub Pages) is built with the base URL ``https://merhav.example/merhav/``: the
pages' links and assets are paths under /merhav/, so they work from 127.0.0.1's server; only the address metadata
(canonical, alternates, og:url, the printed address) names merhav.example, and nothing loads it.
"""

from __future__ import annotations

from pathlib import Path

from conftest import copy_fixture_site
from shared_build import shared

from sitegen.pipeline import Options, build

PREFIX = "/merhav/"
SUB_PATH_BASE_URL = "https://merhav.example" + PREFIX


def _built(folder: Path, source: Path) -> None:
    build(Options(source=source, out=folder / "site", base_url=SUB_PATH_BASE_URL))


def search_site() -> Path:
    """The fixture site (tests/fixtures/site with the real templates) built for /merhav/, with its Pagefind index."""
    return shared("browser-search-site", lambda folder: _built(folder, copy_fixture_site(folder / "src"))) / "site"


def video_site() -> Path:
    """sitefactory's tiny site whose cohort has a YouTube video and a photo, built for /merhav/."""
    from sitefactory import COHORTS_YAML, make_site

    cohorts = COHORTS_YAML.replace('video: ""', 'video: "https://www.youtube.com/watch?v=dQw4w9WgXcQ"')
    cohorts += "  image: images/photo.png\n  image_alt:\n    he: המחזור\n    en: The cohort\n"
    return shared("browser-video-site", lambda folder: _built(folder, make_site(folder / "src", {"data/cohorts.yaml": cohorts}))) / "site"
