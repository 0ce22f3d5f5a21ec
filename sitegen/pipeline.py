"""The build, as a table of contents: gather → check → model → render → write."""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.checks.references import check_sources, translation_gaps
from sitegen.errors import BuildFailed, ContentError, only_errors
from sitegen.incremental.sources import KeptSources
from sitegen.incremental.templates import KeptTemplates
from sitegen.incremental.texts import KeptTexts
from sitegen.messages import Message, msg
from sitegen.model.batch import BatchRenderer, MarkdownCache, available_cores
from sitegen.model.pages import model_pages, site_of
from sitegen.model.site import Site
from sitegen.output.deps import LayoutDependencies
from sitegen.output.files import site_files
from sitegen.output.pagecache import LastBuild, PageCache
from sitegen.output.render import Progress, make_environment, render_pages
from sitegen.output.reuse import RenderInputs, pages_to_render
from sitegen.output.search import index_languages
from sitegen.output.share import share_paths
from sitegen.output.uptodate import Record, Report, UpToDate, up_to_date
from sitegen.output.write import MANIFEST, Written, files_no_build_wrote, listed_files, write_site
from sitegen.sources.gather import gather
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
    """Keep converted texts in <source>/.cache/ (model/batch.py), so an unchanged text is not converted again."""


@dataclass
class Result:
    site: Site
    files: dict[str, bytes]
    """Every output file: path inside the output folder → bytes."""
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
    cache = PageCache(options.source / CACHE_FOLDER if options.cache else None)
    last = cache.load()
    result, problems, _ = _make(options, last=last)
    if result is None:
        raise BuildFailed(only_errors(problems))
    written = result.written = write_site(result.files, options.out, last.written if last else None)  # temp, then swap
    if result.made is not None:                                                     # for the next build
        result.made.written = written
        if result.made != last:                                                     # (unless it is the same)
            cache.store(result.made)
    result.seconds = time.monotonic() - started
    return result


def build_if_changed(options: Options, checked: UpToDate | None = None) -> Outcome:
    """``build``, unless no file it would read changed since the last build and the output folder holds exactly what
    that build wrote (output/uptodate.py): then its report, and nothing written. ``checked``: that comparison, when
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


def _make(options: Options, write_cache: bool = True, search: bool = True, last: LastBuild | None = None,
          ) -> tuple[Result | None, list[ContentError], list[ContentError]]:
    """(result or None when there are errors, problems, translation gaps). ``last``: what the last build made (its
    pages and search index are reused where their inputs are the same); read from the cache when not given."""
    started = time.monotonic()
    known = KeptSources(options.source / CACHE_FOLDER if options.cache else None)
    sources = gather(options.source, options.base_url, kept=known)           # 1. read every file (unchanged: as kept)
    problems = sources.problems + check_sources(sources)                      # 2. check references
    gaps = translation_gaps(sources, drafts=options.drafts)                   # one-language pages/texts
    if options.strict:                                                        # --strict: gaps and stale
        problems += [ContentError(w.path, w.line, w.message) for w in gaps]  # translations are errors
        stale, not_judged = stale_translations(sources)                       # (each reason printed as a warning)
        problems += [ContentError(s.path, s.line, s.message()) for s in stale]
        problems += [ContentError("content", 0, reason) for reason in not_judged if reason is NO_GIT]  # never passes silently
    cache = MarkdownCache(options.source / CACHE_FOLDER if options.cache else None)
    workers = options.jobs or available_cores()
    model = model_pages(sources, options.drafts, BatchRenderer(cache, workers))  # 3. model the pages
    if write_cache:                                                           # (texts converted before: not again;
        cache.save()                                                          # files read before: not parsed again)
        known.save()
    problems += model.problems
    if only_errors(problems):
        return None, problems, gaps
    site = site_of(sources, model)
    templates = options.source / "templates"
    inputs = RenderInputs.of(site, templates)
    if last is None and options.cache:
        last = PageCache(options.source / CACHE_FOLDER).load()
    kept = {p.output: last.pages[p.output] for p in site.pages if last is not None and p.output in last.pages}
    env = make_environment(templates)
    dependencies = LayoutDependencies(env)
    targets = pages_to_render(site, inputs, last.inputs if last is not None else None, dependencies.of)
    chosen = {p.output for p in targets}
    targets += [p for p in site.pages if p.output not in kept and p.output not in chosen]  # a page the cache lacks
    progress = Progress(options.progress, started)
    compiled = KeptTemplates(options.source / CACHE_FOLDER if options.cache else None)
    rendered, render_problems = render_pages(site, templates, options.source, progress, only=targets,  # 4. render
                                             workers=workers, bytecode_cache=compiled)
    progress.finish()
    if write_cache:
        compiled.save()
    if render_problems:
        return None, problems + render_problems, gaps
    pages = {p.output: rendered[p.output] if p.output in rendered else kept[p.output] for p in site.pages}
    files = dict(pages)
    drawn = last.share if last is not None and last.inputs.common == inputs.common else None  # the same engine, settings
    others, notes = site_files(site, options.source / "static", drawn)        # static/, share images, robots, feeds…
    files.update(others)
    # 5. the search index: Pagefind, for each language whose indexed pages changed (the others' parts are kept)
    index, index_problems = index_languages(site, files, last=last.index if last is not None else None, make=search)
    if index_problems:
        return None, problems + index_problems, gaps
    files.update(index.bundle() if index is not None else {})
    share = {path: others[path] for path in share_paths(site) if path in others}
    made = LastBuild(inputs=inputs, pages=pages, index=index.parts, share=share) if index is not None and options.cache else None
    texts = KeptTexts(options.source / CACHE_FOLDER if options.cache else None)
    admin, admin_notes = admin_files(site, options.source, texts.of)          # /admin/: the editors' forms
    if write_cache:
        texts.save()
    admin.update(form_checks(admin, sources))                                 # what they refuse across files
    files.update(admin)
    notes += admin_notes
    warnings = problems + ([] if options.strict else gaps)
    result = Result(site=site, files=files, warnings=sorted(warnings), gaps=[] if options.strict else gaps,
                     seconds=time.monotonic() - started, notes=notes, made=made,
                    rendered=len(targets))
    return result, problems, gaps


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
