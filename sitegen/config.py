"""data/site.yaml → Config: the languages, their order, direction and URL prefix, and the site's texts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .schema import SiteConfig


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

    def url(self, key: str) -> str:
        """The URL of the page ``key`` (its path under content/, home is '') in this language."""
        parts = [p for p in (self.prefix, key) if p]
        return "/" + "".join(p + "/" for p in parts)

    def output_dir(self, key: str) -> str:
        return "/".join(p for p in (self.prefix, key) if p)


@dataclass(frozen=True)
class Config:
    languages: tuple[Language, ...]
    base_url: str
    """Absolute address of the published site, without the trailing slash; "" when unknown."""
    settings: SiteConfig
    """The validated data/site.yaml (texts not yet resolved to a language)."""

    @property
    def default(self) -> Language:
        return self.languages[0]

    @property
    def codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)


def make_config(settings: SiteConfig, base_url_override: str | None) -> Config:
    languages = tuple(
        Language(code=lang.code, label=lang.label, dir=lang.dir, locale=lang.locale, prefix="" if i == 0 else lang.code)
        for i, lang in enumerate(settings.languages)
    )
    base_url = (base_url_override if base_url_override is not None else settings.base_url).rstrip("/")
    return Config(languages=languages, base_url=base_url, settings=settings)


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
