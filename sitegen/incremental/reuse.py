"""One build's dealings with the last one: what it may take from it, and what it leaves for the next.

``pipeline._make`` holds one ``Reuse`` and asks it, stage by stage: the sources read before (``sources``), the
converted texts (``texts``), which pages to render again (``pages_to_render``, then ``pages``) and the templates
compiled before (``templates``), the digests of the files published as they are (``digest``), the share images (``share``), the search index's parts (``index``), the forms'
texts (``derived``), and at the end what the next build may take (``made``, kept by ``keep`` once written).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from sitegen.incremental.deps import LayoutDependencies
from sitegen.incremental.derived import KeptTexts
from sitegen.incremental.inputs import RenderInputs, pages_to_render
from sitegen.incremental.pagecache import LastBuild, PageCache
from sitegen.incremental.sources import KeptSources
from sitegen.incremental.stamped import KeptByStatus, Status
from sitegen.incremental.templates import KeptTemplates
from sitegen.incremental.texts import MarkdownCache
from sitegen.model.site import Page, Site
from sitegen.output.render import make_environment
from sitegen.output.search import SearchIndex
from sitegen.output.share import share_paths
from sitegen.output.write import Written


class Reuse:
    """What the last build made, in ``folder`` (.cache/; None: nothing kept, nothing reused)."""

    def __init__(self, folder: Path | None, last: LastBuild | None = None):
        self.cache = PageCache(folder)
        self.last = last if last is not None else self.cache.load()
        self.stamped = KeptByStatus(folder)
        """Facts about files by their status (stamped.py): the digests of the files published as they are."""
        self.sources = KeptSources(folder, self.stamped)
        """Each source file read and validated, by its bytes (sources.py)."""
        self.texts = MarkdownCache(folder)
        """Converted texts, by text, folder and line (texts.py)."""
        self.templates = KeptTemplates(folder)
        """The templates as Jinja compiled them (templates.py)."""
        self.derived = KeptTexts(folder)
        """Texts made from plain data: the forms' configuration (derived.py)."""
        self.keeps = folder is not None
        self.inputs: RenderInputs | None = None
        """What this build's pages are made from: set by ``pages_to_render``."""
        self._kept: dict[str, bytes] = {}

    def pages_to_render(self, site: Site, templates: Path) -> list[Page]:
        """The pages whose inputs differ from the last build's (inputs.py), and those it did not keep."""
        self.inputs = RenderInputs.of(site, templates)
        last = self.last
        self._kept = {p.output: last.pages[p.output] for p in site.pages if last is not None and p.output in last.pages}
        reads = LayoutDependencies(make_environment(templates)).of
        targets = pages_to_render(site, self.inputs, last.inputs if last is not None else None, reads)
        chosen = {p.output for p in targets}
        return targets + [p for p in site.pages if p.output not in self._kept and p.output not in chosen]

    def pages(self, site: Site, rendered: Mapping[str, bytes]) -> dict[str, bytes]:
        """Every page's HTML: rendered now, or the last build's."""
        return {p.output: rendered[p.output] if p.output in rendered else self._kept[p.output] for p in site.pages}

    def digest(self, rel: str, status: Status, taken: int, compute: Callable[[], str]) -> str:
        """The SHA-256 of a file published as it is (sources/streamed.py), kept by the file's status (stamped.py)."""
        return self.stamped.fact("sha256", rel, status, taken, compute)

    @property
    def share(self) -> dict[str, bytes] | None:
        """The share images the last build drew, while the engine and the settings are the same (output/share.py)."""
        last = self.last
        return last.share if last is not None and self.inputs is not None and last.inputs.common == self.inputs.common else None

    @property
    def index(self) -> dict[str, tuple[str, dict[str, bytes]]] | None:
        """Each language's part of the last search index, by the key of the pages it indexed (output/search.py)."""
        return self.last.index if self.last is not None else None

    @property
    def written(self) -> Written | None:
        """What the last build wrote into its output folder (output/write.py links what did not change)."""
        return self.last.written if self.last is not None else None

    def made(self, site: Site, pages: dict[str, bytes], index: SearchIndex | None, files: Mapping[str, object]) -> LastBuild | None:
        """What the next build may take from this one (None: nothing to keep, or no index made)."""
        if index is None or not self.keeps or self.inputs is None:
            return None
        share = {path: data for path in share_paths(site) if isinstance(data := files.get(path), bytes)}  # drawn: bytes
        return LastBuild(inputs=self.inputs, pages=pages, index=index.parts, share=share)

    def keep(self, made: LastBuild | None, written: Written) -> None:
        """Store what this build made, with what it wrote (unless the last build stored the same)."""
        if made is None:
            return
        made.written = written
        if made != self.last:
            self.cache.store(made)
