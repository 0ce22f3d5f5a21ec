"""The site model: plain, frozen data that every render reads and none changes.

A page knows its language; translations are found through the language-neutral ``key``
(Zola's and Lektor's way). There is no global "current language": everything a template
needs for a page is derived from the Site and that Page alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from sitegen.model.assets import Assets
from sitegen.sources.config import Config, Language


@dataclass(frozen=True)
class Page:
    key: str
    """Language-neutral key: '' for home, 'programme', 'cohorts/a'…; the same in every language."""
    lang: str
    title: str
    description: str
    layout: str
    """Template name without .html (templates/<layout>.html)."""
    url: str
    """Root-relative URL, e.g. /en/programme/."""
    output: str
    """Path of the written file inside the output folder, e.g. en/programme/index.html."""
    content: str = ""
    """The body rendered to sanitised HTML."""
    source: str = ""
    """Source file relative to the source root; '' for pages made from data."""
    weight: int = 0
    draft: bool = False
    available: bool = True
    """False for the stand-in of a page that does not exist in this language yet."""
    original_lang: str = ""
    """For a stand-in: the language the page exists in."""
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """Layout-specific values, e.g. {'cohort': 'a'} for a cohort's page."""

    @property
    def noindex(self) -> bool:
        """Pages search engines should not list: drafts, stand-ins, the 404 and the search pages."""
        return self.draft or not self.available or self.key == "404" or self.layout == "search"

    @property
    def in_sitemap(self) -> bool:
        return not self.noindex


@dataclass(frozen=True)
class Site:
    config: Config
    pages: tuple[Page, ...]
    """Every page in every language, sorted by (key, language order)."""
    data: Mapping[str, Any]
    """Validated data files as plain values; texts still {language: text} mappings."""
    strings: Mapping[str, Mapping[str, str]]
    """UI strings by language code."""
    static_files: tuple[str, ...] = ()
    """Paths under static/, copied as they are."""
    assets: Assets = field(default_factory=Assets)
    """Published names of the static files (stylesheets, scripts and fonts carry a content hash)."""

    def static_url(self, rel: str) -> str:
        """The address of static/<rel> as published (under the base URL's path, hashed when fingerprinted)."""
        return self.config.urls.path(self.assets.output(rel))

    def page(self, key: str, lang: str) -> Page | None:
        return self._index.get((key, lang))

    def translations(self, page: Page) -> list[tuple[Language, Page]]:
        """The page in each configured language (stand-ins included), in the configured order."""
        found = []
        for language in self.config.languages:
            other = self.page(page.key, language.code)
            if other is not None:
                found.append((language, other))
        return found

    def pages_in(self, lang: str) -> list[Page]:
        return list(self._by_language.get(lang, ()))

    @cached_property
    def _by_language(self) -> dict[str, tuple[Page, ...]]:
        """Language → its pages in site order; once (every page's structured data asks for its language's pages)."""
        found: dict[str, list[Page]] = {}
        for page in self.pages:
            found.setdefault(page.lang, []).append(page)
        return {lang: tuple(pages) for lang, pages in found.items()}

    @cached_property
    def _index(self) -> dict[tuple[str, str], Page]:
        """(key, language) → Page; computed once from ``pages``, which never change."""
        return {(p.key, p.lang): p for p in self.pages}
