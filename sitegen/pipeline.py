"""The build, as a table of contents: gather → check → model → render → write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildFailed, ContentError, only_errors
from .gather import gather
from .model import Site
from .outputs import robots, sitemap
from .pages import build_pages
from .render import Progress, render_pages
from .validate import check_sources, translation_gaps
from .write import write_site


@dataclass(frozen=True)
class Options:
    source: Path
    out: Path
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    """Treat warnings (missing translations) as errors."""
    progress: bool = False


@dataclass
class Result:
    site: Site
    files: dict[str, bytes]
    warnings: list[ContentError] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def make_site(options: Options) -> Result:
    """Everything but writing: read, check, model and render. Raises BuildFailed with every problem."""
    started = time.monotonic()
    sources = gather(options.source, options.base_url)                        # read every file
    problems = sources.problems + check_sources(sources)                      # check references
    warnings = translation_gaps(sources)                                      # one-language pages/texts
    if options.strict:
        problems += [ContentError(w.path, w.line, w.message) for w in warnings]
        warnings = []
    pages, page_problems = build_pages(sources, options.drafts)               # model the pages
    problems += page_problems
    if only_errors(problems):
        raise BuildFailed(only_errors(problems))
    site = Site(config=sources.config, pages=tuple(pages), data=sources.data, strings=sources.strings,
                static_files=tuple(sources.static_files))
    progress = Progress(options.progress)
    files, render_problems = render_pages(site, options.source / "templates", options.source, progress)
    progress.finish()
    if render_problems:
        raise BuildFailed(render_problems)
    for rel in site.static_files:                                             # static files as they are
        files[rel] = (options.source / "static" / rel).read_bytes()
    files["robots.txt"] = robots(site)
    notes = []
    site_map = sitemap(site)
    if site_map is None:
        notes.append("no base URL: sitemap.xml and canonical links left out — set base_url in data/site.yaml or pass --base-url")
    else:
        files["sitemap.xml"] = site_map
    return Result(site=site, files=files, warnings=warnings, seconds=time.monotonic() - started, notes=notes)


def check_output_folder(source: Path, out: Path) -> str | None:
    """Refuse an output folder whose replacement would destroy sources."""
    source, out = source.resolve(), out.resolve()
    if out == source or source.is_relative_to(out):
        return f"the output folder {out} holds the sources — choose another, e.g. {source / 'site'}"
    if (out / ".git").exists() or (out / "content").is_dir():
        return f"the output folder {out} looks like a project, not a built site — choose another"
    return None


def build(options: Options) -> Result:
    started = time.monotonic()
    result = make_site(options)
    write_site(result.files, options.out)                                    # temp folder, then swap
    result.seconds = time.monotonic() - started
    return result
