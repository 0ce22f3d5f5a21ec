"""A site under test for tests/real_site's tests: built in-process under a sub-path and served, once per process.

Which site is tested is a conftest's choice: tests/real_site/conftest.py tests the repository's content,
tests/editors_day/conftest.py a copy of it after an editor's day, with the same test functions. Each conftest
defines the fixture ``site_source`` (the source folder), imports the fixtures below (they are registered by being
imported into a conftest, each conftest's copy for the tests under it), and calls ``parametrize_pages`` from its
``pytest_generate_tests``.

- The site is built in-process (``sitegen.pipeline.build``) with the base URL ``http://127.0.0.1:PORT/merhav/``, so
  every address carries a sub-path as on GitHub Pages, and served there by ``browser_support.serve_site`` (a static
  host's rules: folder index, per-language 404 pages with status 404).
- Each process builds each source once (``built``), at collection: every page becomes a test of its own. Each
  worker of a parallel run serves its own copy on a port of its own, so builds its own (the port is in the base
  URL): one process at a time per source (a file lock), so the first builds cold and the others from the source's
  ``.cache/``.
- Pages for the browser tests: every page made from a file of content/, the 404 pages, and the first two pages of
  each (layout, language) among those made from data (cohorts, projects, listings, stand-ins), so the time the
  browser tests take does not grow with the catalogue.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from browser_support import free_port, serve_site
from filelock import FileLock
from shared_build import key, run_folder

from sitegen.errors import BuildFailed
from sitegen.model.site import Site
from sitegen.pipeline import Options, build

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

    @cached_property
    def visited(self) -> dict[str, SitePage]:
        """The pages the browser tests visit (``browser_pages``), by address."""
        return {page.path: page for page in self.browser_pages()}

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


_BUILT: dict[Path, Built] = {}


def build_lock(source: Path) -> FileLock:
    """Held by whoever builds ``source`` in this run (its ``.cache/`` is written by one build at a time)."""
    return FileLock(run_folder() / f"real-site-{key(source.resolve())}.lock")


def built(source: Path) -> Built:
    """``source`` built once per process, served by ``base_url`` on the port chosen here."""
    source = source.resolve()
    if source not in _BUILT:
        port = free_port()
        out = Path(tempfile.mkdtemp(prefix="merhav-real-site-")) / "site"
        options = Options(source=source, out=out, base_url=f"http://127.0.0.1:{port}{PREFIX}")
        try:
            with build_lock(source):
                result = build(options)
            _BUILT[source] = Built(source=source, root=out, port=port, site=result.site, error=None)
        except BuildFailed as failed:
            _BUILT[source] = Built(source=source, root=out, port=port, site=None,
                                   error="\n".join(str(e) for e in failed.errors))
    return _BUILT[source]


def remove_builds() -> None:
    """The output folders of this process's builds (called when the run ends)."""
    for site in _BUILT.values():
        shutil.rmtree(site.root.parent, ignore_errors=True)


def parametrize_pages(metafunc: pytest.Metafunc, source: Path | None) -> None:
    """Every page the browser tests visit becomes a parameter of the tests that take ``site_page``; one placeholder
    when the site does not build (or there is no source: ``None``), and the test then fails in ``real_site``."""
    if "site_page" not in metafunc.fixturenames:
        return
    site = built(source) if source is not None else None
    if site is None or site.error:
        metafunc.parametrize("site_page", [pytest.param(None, id="build-failed")])
        return
    pages = site.browser_pages()
    metafunc.parametrize("site_page", pages, ids=[p.path.removeprefix(PREFIX[:-1]) for p in pages])


# --- fixtures (imported by the conftest that chooses the site: each conftest's own copy serves its own tests) ---


@pytest.fixture(scope="session")
def real_site(site_source: Path) -> Built:
    site = built(site_source)
    if site.error:
        pytest.fail(f"the site does not build ({site.source}):\n{site.error}", pytrace=False)
    return site


@pytest.fixture(scope="session")
def languages(real_site: Built) -> dict[str, Any]:
    """The site's languages, by code (the first one is the default, at the base URL's path)."""
    return real_site.languages


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], base_url: str) -> dict[str, Any]:
    """pytest-playwright's context options with this site's server as the base URL. Said here, not left to
    pytest-playwright: its own session-wide options are made once, by whichever test asks first — and a test
    elsewhere (tests/browser/, or the other site) has another server or none."""
    return {**browser_context_args, "base_url": base_url}


@pytest.fixture(scope="session")
def base_url(real_site: Built) -> Iterator[str]:
    """The built site over HTTP: pytest-playwright's base URL is the origin (``page.goto(site_page.path)``)."""
    codes = tuple(lang.prefix for lang in real_site.languages.values() if lang.prefix)
    with serve_site(real_site.root, PREFIX, codes, port=real_site.port) as served:
        yield served.origin
