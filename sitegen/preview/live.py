"""What ``serve`` calls after each change: the incremental build, plus the dashboard page."""

from __future__ import annotations

from dataclasses import replace

from sitegen.errors import BuildFailed
from sitegen.pipeline import Options
from sitegen.preview.incremental import IncrementalBuild, Outcome
from sitegen.preview.serve import error_page
from sitegen.sources.gather import gather
from sitegen.tools.status import format_html, translation_status


class LiveBuild:
    def __init__(self, options: Options):
        self.options = replace(options, drafts=True, progress=False)  # the preview shows drafts, badged
        self.incremental = IncrementalBuild(self.options)

    def build(self, changed: set[str] | None) -> Outcome:
        return self.incremental.full() if changed is None else self.incremental.update(changed)

    @property
    def languages(self) -> list[str]:
        state = self.incremental.state
        return state.sources.config.codes if state is not None else []

    def status_page(self, lang: str) -> bytes:
        """The translation dashboard at /_status/, computed when asked for (it reads git)."""
        try:
            sources = gather(self.options.source, self.options.base_url)
        except BuildFailed as failed:
            return error_page(failed.errors, self.options.source, lang)
        return format_html(translation_status(sources), lang)
