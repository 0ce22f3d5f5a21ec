"""The build, as a table of contents: gather → check → model → render → files → search → admin, then write.

What a build may take from the last one (texts, pages, share images, the search index) is asked of one
``Reuse`` (sitegen/incremental/: a reused result is byte-identical to the one made afresh)."""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.checks.references import check_sources, translation_gaps
from sitegen.errors import BuildFailed, ContentError, only_errors
from sitegen.incremental.pagecache import LastBuild
from sitegen.incremental.reuse import Reuse
from sitegen.incremental.uptodate import Record, Report, UpToDate, up_to_date
from sitegen.messages import Message, msg
from sitegen.model.batch import BatchRenderer, available_cores
from sitegen.model.pages import model_pages, site_of
from sitegen.model.site import Site
from sitegen.output.files import site_files
from sitegen.output.render import Progress, render_pages
from sitegen.output.search import index_languages
from sitegen.output.write import MANIFEST, Output, Written, files_no_build_wrote, in_memory, listed_files, write_site
from sitegen.sources.gather import Sources, gather
from sitegen.tools.cms import admin_files
from sitegen.tools.cmsfiles import admin_inputs
from sitegen.tools.formchecks import form_checks
from sitegen.tools.staleness import NO_GIT
from sitegen.tools.status import stale_translations

CACHE_FOLDER = ".cache"
"""Under the source folder: what a build may reuse (git-ignored; deleting it only makes the next build slower)."""
SOURCE_FOLDERS = ("content", "data", "templates", "static", ".git", CACHE_FOLDER)
"""Folders of the source root that an output folder may be neither in nor equal to."""


@dataclass(frozen=True)
class Options:
    source: Path
    out: Path
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    """Treat missing and stale translations as errors."""
    progress: bool = False
    jobs: int = 0
    """Worker processes for Markdown and templates: 0 = one a core, 1 = none."""
    cache: bool = True
    """Keep what a build made in <source>/.cache/ (sitegen/incremental/), so that the next one redoes only what changed."""


@dataclass
class Result:
    site: Site
    files: dict[str, Output]
    """Every output file: path inside the output folder → bytes, or the source of a static file published as it is
    (sources/streamed.py: copied in chunks, never held whole)."""
    warnings: list[ContentError] = field(default_factory=list)
    """Problems that do not fail the build, the translation gaps among them."""
    gaps: list[ContentError] = field(default_factory=list)
    """Pages and texts in one language only (empty with --strict: they are errors then)."""
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    made: LastBuild | None = None
    """What the next build may reuse (its pages with their inputs, the search index), kept once written."""
    rendered: int = 0
    """How many pages were rendered (the others were the last build's, their inputs unchanged)."""
    written: Written | None = None
    """What is in the output folder now (set by ``build``)."""

    def report(self) -> Report:
        """What the command line says of this build."""
        site = self.site
        pages = Counter(p.lang for p in site.pages if p.key != "404")  # the 404 pages count as other files
        stand_ins = Counter(p.lang for p in site.pages if not p.available)
        return Report(warnings=self.warnings, gaps=self.gaps, notes=self.notes,
                      pages=[(lang.code, pages[lang.code], stand_ins[lang.code]) for lang in site.config.languages],
                      other_files=len(self.files) - sum(pages.values()))


@dataclass
class Outcome:
    """What ``build_if_changed`` did."""

    report: Report
    seconds: float
    built: bool
    """False: nothing had changed since the last build, and nothing was written."""


@dataclass
class Checked:
    """What ``check`` reports: the problems, then the translation status."""

    problems: list[ContentError]
    """Errors and warnings, sorted; the check fails when one of them is an error."""
    gaps: list[ContentError]
    """Pages and texts in one language only (errors too, with --strict)."""


def make_site(options: Options) -> Result:
    """Everything but writing: read, check, model and render. Raises BuildFailed with every problem."""
    result, problems, _ = _make(options)
    if result is None:
        raise BuildFailed(only_errors(problems))
    return result


def check(options: Options) -> Checked:
    """Everything ``make_site`` does, but the problems are returned with the translation status."""
    try:
        # check writes nothing, the cache neither; the index is Pagefind's work on valid pages: not checked
        _, problems, gaps = _make(options, write_cache=False, search=False)
    except BuildFailed as failed:  # data/site.yaml cannot be read: there are no languages to compare
        return Checked(problems=failed.errors, gaps=[])
    return Checked(problems=sorted(set(problems)), gaps=gaps)


def build(options: Options) -> Result:
    started = time.monotonic()
    reuse = Reuse(_cache_folder(options))                                           # what the last build made
    result, problems, _ = _make(options, reuse=reuse)
    if result is None:
        raise BuildFailed(only_errors(problems))
    result.written = write_site(result.files, options.out, reuse.written)          # temp, then swap
    reuse.keep(result.made, result.written)                                         # for the next build
    result.seconds = time.monotonic() - started
    return result


def build_if_changed(options: Options, checked: UpToDate | None = None) -> Outcome:
    """``build``, unless no file it would read changed since the last build and the output folder holds exactly what
    that build wrote (incremental/uptodate.py): then its report, and nothing written. ``checked``: that comparison, when
    the caller made it already (cli.py does, before it imports the engine)."""
    folder = options.source / CACHE_FOLDER if options.cache else None
    if checked is None:  # stamps taken before anything is read
        checked = up_to_date(options.source, options.out, (options.base_url, options.drafts, options.strict),
                             admin_inputs(options.source), folder)
    if checked.report is not None:
        return Outcome(report=checked.report, seconds=checked.seconds, built=False)
    result = build(options)
    report = result.report()
    if result.written is not None:
        Record(folder).remember(checked.digest, checked.trusted, result.written, report)
    return Outcome(report=report, seconds=result.seconds + checked.seconds, built=True)


def _make(options: Options, write_cache: bool = True, search: bool = True, reuse: Reuse | None = None,
          ) -> tuple[Result | None, list[ContentError], list[ContentError]]:
    """(result or None when there are errors, problems, translation gaps). ``reuse``: what the last build made (its
    texts, pages, share images and search index are taken where their inputs are the same); read from the cache
    when not given. ``write_cache=False`` keeps nothing for the next build."""
    started = time.monotonic()
    reuse = reuse if reuse is not None else Reuse(_cache_folder(options))
    workers = options.jobs or available_cores()
    templates = options.source / "templates"
    sources = gather(options.source, options.base_url, kept=reuse.sources)    # 1. gather: read every file (unchanged: as kept)
    problems, gaps = _checked(sources, options)                               # 2. check: references, translations
    model = model_pages(sources, options.drafts, BatchRenderer(reuse.texts, workers))  # 3. model (texts: converted once)
    problems += model.problems
    if write_cache:                                                           # (files read, texts converted: not again)
        reuse.texts.save()
        reuse.sources.save()
    if only_errors(problems):
        return None, problems, gaps
    site = site_of(sources, model)
    progress = Progress(options.progress, started)                            # 4. render the pages whose inputs changed
    rendered, render_problems = render_pages(site, templates, options.source, progress,
                                             only=reuse.pages_to_render(site, templates), workers=workers,
                                             bytecode_cache=reuse.templates)
    progress.finish()
    if write_cache:
        reuse.templates.save()
    if render_problems:
        return None, problems + render_problems, gaps
    pages = reuse.pages(site, rendered)                                       # (the others: the last build's)
    others, notes = site_files(site, options.source / "static", reuse.share, reuse.digest)  # 5. files: static/, share images, feeds…
    files: dict[str, Output] = {**pages, **others}
    index, index_problems = index_languages(site, in_memory(files), last=reuse.index, make=search,  # 6. search: changed languages
                                            in_process=options.cache)
    if index_problems:
        return None, problems + index_problems, gaps
    files.update(index.bundle() if index is not None else {})
    admin, admin_notes = admin_files(site, options.source, reuse.derived.of, reuse.stamped.fact)  # 7. admin: the editors' forms
    if write_cache:
        reuse.derived.save()
        reuse.stamped.save()
    files.update({**admin, **form_checks(admin, sources)})                    # (what they refuse across files)
    warnings = problems + ([] if options.strict else gaps)
    result = Result(site=site, files=files, warnings=sorted(warnings), gaps=[] if options.strict else gaps,
                    seconds=time.monotonic() - started, notes=[*notes, *admin_notes],
                    made=reuse.made(site, pages, index, files) if write_cache else None, rendered=len(rendered))
    return result, problems, gaps


def _checked(sources: Sources, options: Options) -> tuple[list[ContentError], list[ContentError]]:
    """(every problem of the sources, the translation gaps); with --strict the gaps and stale translations are errors."""
    problems = sources.problems + check_sources(sources)                      # references between files
    gaps = translation_gaps(sources, drafts=options.drafts)                   # one-language pages/texts
    if options.strict:                                                        # --strict: gaps and stale
        problems += [ContentError(w.path, w.line, w.message) for w in gaps]  # translations are errors
        stale, not_judged = stale_translations(sources)                       # (each reason printed as a warning)
        problems += [ContentError(s.path, s.line, s.message()) for s in stale]
        problems += [ContentError("content", 0, reason) for reason in not_judged if reason is NO_GIT]  # never passes silently
    return problems, gaps


def _cache_folder(options: Options) -> Path | None:
    return options.source / CACHE_FOLDER if options.cache else None


def check_output_folder(source: Path, out: Path) -> Message | None:
    """Refuse an output folder whose replacement would destroy sources or files no build wrote."""
    source, out = source.resolve(), out.resolve()
    example = source / "site"
    if out == source or source.is_relative_to(out):
        return msg("the output folder {out} holds the sources — choose another, e.g. {example}", out=out, example=example)
    for name in SOURCE_FOLDERS:
        if out.is_relative_to(source / name):
            return msg("the output folder {out} is inside {name}/ of the sources — choose another, e.g. {example}", out=out, name=name, example=example)
    if out.exists() and not out.is_dir():
        return msg("the output folder {out} is a file — choose a folder", out=out)
    if out.is_dir():
        if (out / ".git").exists() or (out / "content").is_dir() and (out / "data").is_dir():
            return msg("the output folder {out} looks like a project, not a built site — choose another", out=out)
        extra = files_no_build_wrote(out)  # the files its manifest does not list (output/write.py)
        if extra and listed_files(out) is None and {"404.html", "robots.txt"} <= set(os.listdir(out)):
            return (msg("the output folder {out} has no list of the files a build wrote ({manifest}, written by every build "
                        "since this version), so files put there by hand cannot be told apart — delete the folder if it "
                        "holds only an earlier build, or choose a new or empty folder", out=out, manifest=MANIFEST))
        if extra:
            shown = ", ".join(extra[:3]) + (", …" if len(extra) > 3 else "")
            return (msg("the output folder {out} holds files that no build wrote ({shown}) — it would be replaced: choose a "
                        "new or empty folder, or the site/ of an earlier build", out=out, shown=shown))
    return None
