"""data/site.yaml → Config: the languages, their order, direction and URL prefix, and the site's texts."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sitegen.sources.validated import Record
from sitegen.urls import Urls


@dataclass(frozen=True)
class Language:
    code: str
    label: str
    """The language's own name ("עברית"), for the switcher."""
    dir: str
    """"rtl" or "ltr", from data/site.yaml; templates never hard-code it."""
    locale: str
    prefix: str
    """URL prefix: "" for the default (first) language, the code for the others."""
    urls: Urls = Urls(origin="")
    """Where the site is published (the base URL's path prefixes every address)."""

    def url(self, key: str) -> str:
        """The address of the page ``key`` (its path under content/, home is '') in this language."""
        return self.urls.page(self.prefix, key)

    def output_dir(self, key: str) -> str:
        return "/".join(p for p in (self.prefix, key) if p)


@dataclass(frozen=True)
class Config:
    languages: tuple[Language, ...]
    urls: Urls
    """Every address the build writes comes from here (sitegen/urls.py)."""
    settings: Record
    """The validated data/site.yaml's values (schema.SiteConfig's, sources/validated.py; texts not yet resolved to a
    language)."""
    dumped: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)
    """``settings`` as plain values by mode ({"python": …, "json": …}): pydantic's ``model_dump`` of the model when the
    file was validated, kept with it (sources/gather.py ``read_config``)."""

    def settings_dump(self, mode: str = "python") -> dict[str, Any]:
        """The settings' ``model_dump(mode=mode)``, a copy (dumping needs the settings' pydantic model, ~0.05 s of CPU to
        build: it was dumped when the file was validated)."""
        if self.dumped is None or mode not in self.dumped:
            raise ValueError(f"the settings were not dumped as {mode!r}")
        return copy.deepcopy(dict(self.dumped[mode]))

    @property
    def base_url(self) -> str:
        """Absolute address of the published site, without the trailing slash; "" when unknown."""
        return self.urls.base_url

    @property
    def default(self) -> Language:
        return self.languages[0]

    @property
    def codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)


def make_config(settings: Record, base_url_override: str | None, dumped: Mapping[str, Any] | None = None) -> Config:
    urls = Urls.from_base_url(base_url_override if base_url_override is not None else settings.base_url)
    languages = tuple(
        Language(code=lang.code, label=lang.label, dir=lang.dir, locale=lang.locale, prefix="" if i == 0 else lang.code,
                 urls=urls)
        for i, lang in enumerate(settings.languages)
    )
    return Config(languages=languages, urls=urls, settings=settings, dumped=dumped)


def localize(value: Any, lang: str, default: str, codes: list[str]) -> Any:
    """Resolve every text mapping {he: …, en: …} inside ``value`` to the text of ``lang``.

    A mapping whose keys are all configured language codes is a text; a missing language
    falls back to the default one (``check`` lists such gaps). Everything else is kept.
    """
    if isinstance(value, dict):
        if value and all(k in codes for k in value):
            return value.get(lang, value.get(default, next(iter(value.values()))))
        return {k: localize(v, lang, default, codes) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [localize(v, lang, default, codes) for v in value]
    return value
