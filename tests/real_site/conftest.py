"""The real content, built once and served under a sub-path, for tests that hold for ANY valid content.

The content belongs to the editors: these tests never name a page, a sentence or a count of
today's content. They read what the content is from the engine's own model (which pages exist,
in which layout; which testimonials, cohorts and projects the data holds) and check that the
built site shows all of it, in both directions, reachable, accessible and valid.

- The source is the repository, or ``$MERHAV_SITE_SOURCE`` (tests/test_editors_day.py runs these
  tests on a copy of the site after an editor's ordinary day of changes, in parts side by side:
  ``$MERHAV_REAL_SITE_SHARD=i/N`` keeps the i-th part, tests/shards.py). The tests marked
  ``gate_check`` check a gate itself on a page of their own: they do not depend on the content.
- The site is built in-process (``sitegen.pipeline.build``) with the base URL
  ``http://127.0.0.1:PORT/merhav/``, so every address carries a sub-path as on GitHub Pages,
  and served there by ``browser_support.serve_site`` (a static host's rules: folder index,
  per-language 404 pages with status 404).
- Pages for the browser tests: every page made from a file of content/, the 404 pages, and the
  first two pages of each (layout, language) among those made from data (cohorts, projects,
  listings, stand-ins), so the time the browser tests take does not grow with the catalogue.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser_support import (  # noqa: F401  (fixtures, registered by being imported here)
    axe_source,
    browser_type_launch_args,
    free_port,
    page_problems,
    serve_site,
    vnu_command,
)
from filelock import FileLock
from shards import SHARD_VARIABLE, parse, part
from shared_build import key, run_folder

from sitegen.errors import BuildFailed
from sitegen.model.site import Site
from sitegen.pipeline import Options, build

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SOURCE = Path(os.environ.get("MERHAV_SITE_SOURCE") or ROOT).resolve()
PREFIX = "/merhav/"
PER_KIND = 2
"""Pages made from data that the browser tests visit per (layout, language)."""


@dataclass(frozen=True)
class SitePage:
    """One built HTML page: its address (with the sub-path), its file, language and layout."""

    path: str
    """From the server's root, e.g. /merhav/en/programme/ or /merhav/en/404.html."""
    file: Path
    lang: str
    layout: str
    key: str
    rest: str
    """The path inside the language's part of the site: /programme/ in every language."""

    def __str__(self) -> str:
        return self.path


@dataclass
class Built:
    source: Path
    root: Path
    """The output folder."""
    port: int
    site: Site | None
    error: str | None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return self.origin + PREFIX

    @property
    def languages(self) -> dict[str, Any]:
        assert self.site is not None
        return {lang.code: lang for lang in self.site.config.languages}

    def pages(self) -> list[SitePage]:
        """Every HTML page the build wrote, from the model (so each knows its layout)."""
        assert self.site is not None
        found = []
        for page in self.site.pages:
            language = self.languages[page.lang]
            inside = page.url[len(PREFIX) - 1:]
            rest = inside[len(language.prefix) + 1:] if language.prefix else inside
            found.append(SitePage(path=page.url, file=self.root / page.output, lang=page.lang, layout=page.layout,
                                  key=page.key, rest=rest))
        return found

    def counterpart(self, page: SitePage, lang: str) -> str:
        """Where the language switcher of ``page`` must lead for ``lang``: the same page, or for a 404, the home page."""
        assert self.site is not None
        target = self.languages[lang]
        return target.url("") if page.key == "404" else target.url(page.key)

    def browser_pages(self) -> list[SitePage]:
        """The pages the browser tests visit (see the module's docstring)."""
        assert self.site is not None
        from_files = {(p.key, p.lang) for p in self.site.pages if p.source.startswith("content/") and p.available}
        chosen, per_kind = [], defaultdict(int)
        for page in sorted(self.pages(), key=lambda p: (p.key.count("/"), p.key, p.lang)):
            kind = (page.layout, page.lang)
            if (page.key, page.lang) in from_files or page.key == "404" or per_kind[kind] < PER_KIND:
                chosen.append(page)
                if (page.key, page.lang) not in from_files:
                    per_kind[kind] += 1
        return sorted(chosen, key=lambda p: p.path)


_BUILT: Built | None = None


def built() -> Built:
    """The real site, built once per process (at collection: every page becomes a test of its own).

    Each worker of a parallel run serves its own copy on a port of its own, so builds its own (the port is in the
    base URL): one at a time (a file lock), so the first builds cold and the others from the source's .cache/."""
    global _BUILT
    if _BUILT is None:
        port = free_port()
        out = Path(tempfile.mkdtemp(prefix="merhav-real-site-")) / "site"
        options = Options(source=SOURCE, out=out, base_url=f"http://127.0.0.1:{port}{PREFIX}")
        try:
            with FileLock(run_folder() / f"real-site-{key(SOURCE)}.lock"):
                result = build(options)
            _BUILT = Built(source=SOURCE, root=out, port=port, site=result.site, error=None)
        except BuildFailed as failed:
            _BUILT = Built(source=SOURCE, root=out, port=port, site=None,
                           error="\n".join(str(e) for e in failed.errors))
    return _BUILT


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every page the browser tests visit becomes a parameter of the tests that take ``site_page``."""
    if "site_page" not in metafunc.fixturenames:
        return
    site = built()
    if site.error:  # one placeholder: the test then fails in the real_site fixture with the problems
        metafunc.parametrize("site_page", [pytest.param(None, id="build-failed")])
        return
    pages = site.browser_pages()
    metafunc.parametrize("site_page", pages, ids=[p.path.removeprefix(PREFIX[:-1]) for p in pages])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``$MERHAV_REAL_SITE_SHARD=i/N`` only the i-th of N parts of these tests runs (tests/shards.py): the
    editor's day runs them in N parts side by side."""
    given = os.environ.get(SHARD_VARIABLE)
    if not given:
        return
    index, count = parse(given)
    here = [item for item in items if Path(item.path).is_relative_to(HERE)]
    kept = part(here, index, count, per_page=lambda item: "site_page" in getattr(item, "fixturenames", ()))
    dropped = {id(item) for item in here} - {id(item) for item in kept}
    config.hook.pytest_deselected(items=[item for item in items if id(item) in dropped])
    items[:] = [item for item in items if id(item) not in dropped]


def pytest_unconfigure(config: pytest.Config) -> None:
    if _BUILT is not None:
        shutil.rmtree(_BUILT.root.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def real_site() -> Built:
    site = built()
    if site.error:
        pytest.fail(f"the real site does not build ({site.source}):\n{site.error}", pytrace=False)
    return site


@pytest.fixture(scope="session")
def languages(real_site: Built) -> dict[str, Any]:
    """The site's languages, by code (the first one is the default, at the base URL's path)."""
    return real_site.languages


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], base_url: str) -> dict[str, Any]:
    """pytest-playwright's context options with this folder's server as the base URL. Said here, not left to
    pytest-playwright: its own session-wide options are made once, by whichever test asks first — and a test
    elsewhere (tests/browser/) has no such server."""
    return {**browser_context_args, "base_url": base_url}


@pytest.fixture(scope="session")
def base_url(real_site: Built) -> Iterator[str]:
    """The built site over HTTP: pytest-playwright's base URL is the origin (``page.goto(site_page.path)``)."""
    codes = tuple(lang.prefix for lang in real_site.languages.values() if lang.prefix)
    with serve_site(real_site.root, PREFIX, codes, port=real_site.port) as served:
        yield served.origin
