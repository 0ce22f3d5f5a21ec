"""The preview's builder: what ``serve`` calls after each change.

It keeps the last good outputs in memory, so after a change it writes only the files
whose bytes changed; a failed build writes nothing and returns the problems.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .errors import BuildFailed, ContentError
from .gather import gather
from .pipeline import Options, make_site
from .serve import error_page
from .status import format_html, translation_status
from .write import sync_site


class LiveBuild:
    def __init__(self, options: Options):
        self.options = replace(options, drafts=True, progress=False)
        self.files: dict[str, bytes] | None = None
        self.languages: list[str] = []
        self.warnings: list[ContentError] = []

    def build(self, changed: set[str] | None) -> tuple[list[ContentError], list[str], list[str], object]:
        try:
            result = make_site(self.options)
        except BuildFailed as failed:
            return failed.errors, self.languages or ["he", "en"], [], self.status_page
        self.languages = result.site.config.codes
        self.warnings = result.warnings
        written = sync_site(result.files, self.options.out, self.files)
        self.files = result.files
        return [], self.languages, written, self.status_page

    def status_page(self, lang: str) -> bytes:
        """The translation dashboard at /_status/, computed when asked for (it reads git)."""
        try:
            sources = gather(self.options.source, self.options.base_url)
        except BuildFailed as failed:
            return error_page(failed.errors, self.options.source, lang)
        return format_html(translation_status(sources), lang)


__all__ = ["LiveBuild", "Path"]
