"""The live preview's build: a full build once, then only what each change affects.

What is rendered again is judged by the build's own rule (sitegen/incremental/inputs.py ``pages_to_render``,
with the layouts' reads of incremental/deps.py): after every change the preview takes the digests of what each
page is made from and renders the pages whose digests differ, as ``build`` does against the last build's cache.
What differs from ``build`` is how those digests are reached, by the cheapest path that gives the same bytes:

- **a page's body** (content/…/x.<lang>.md, same front matter) or **a project's text file**
  (content/projects/<slug>.<lang>.md, same file set): re-render that Markdown, re-check its
  links and the links that point into it, replace that one page's record (its digests with it);
- **a template**: the templates' digests taken again;
- **a static file** whose name is not hashed, not a picture, SVG or web page: copied (no page reads its bytes);
- **anything else** (front matter, data, strings, site.yaml, files added or removed): the
  whole model is made again — reusing every Markdown render whose text did not change.

Files are then written only when their bytes changed (write.sync_site). A failed update
writes nothing and keeps the last good state, so the next change starts from it.
The tests compare every path's result with a cold build of the same sources (tests/test_incremental.py, and every
kind of change in tests/test_every_change.py).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2

from sitegen.checks.references import check_sources
from sitegen.errors import BuildFailed, ContentError, only_errors
from sitegen.incremental.deps import LayoutDependencies
from sitegen.incremental.inputs import RenderInputs, pages_to_render
from sitegen.incremental.texts import MarkdownCache
from sitegen.model.assets import is_fingerprinted
from sitegen.model.batch import BatchRenderer
from sitegen.model.markup import Rendered, resolve_links
from sitegen.model.pages import PageModel, check_links, content_page, model_pages, site_of, source_folder
from sitegen.model.photos import is_photo, picture_format
from sitegen.model.site import Page, Site
from sitegen.model.statichtml import is_static_html
from sitegen.output.feeds import project_feeds
from sitegen.output.files import site_files
from sitegen.output.render import LanguageView, language_views, make_environment, render_pages
from sitegen.output.write import Listing, Output, sync_site
from sitegen.pipeline import CACHE_FOLDER, Options
from sitegen.sources.files import ParseMemo, load_page, read_text
from sitegen.sources.gather import Sources, gather
from sitegen.sources.streamed import opened, stream_source
from sitegen.sources.tree import Unreadable, check_file, not_ours
from sitegen.tools.cms import admin_files
from sitegen.tools.formchecks import form_checks


class CachingRenderer(BatchRenderer):
    """A Markdown renderer that remembers its results (same text, folder and line → same result); what it
    has not seen this session comes from the build's cache in .cache/ (incremental/texts.py) when a build made it."""

    def __init__(self, cache_folder: Path | None = None) -> None:
        self.texts = MarkdownCache(cache_folder)
        super().__init__(self.texts, workers=1)  # the preview serves from threads: no fork
        self.memo: dict[tuple[str, str, int], Rendered] = {}
        self.used: set[tuple[str, str, int]] = set()

    def prefetch(self, jobs: Sequence[tuple[str, str, int]]) -> None:
        """Nothing ahead of time: each text is taken from the memo, the cache, or converted, when asked."""

    def render(self, body: str, source_dir: str, first_line: int) -> Rendered:
        key = (body, source_dir, first_line)
        self.used.add(key)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = super().render(body, source_dir, first_line)
        return found

    def forget_unused(self) -> None:
        """Drop renders no longer used by the last full model (old versions of edited texts)."""
        self.memo = {k: v for k, v in self.memo.items() if k in self.used}
        self.used = set()


@dataclass
class State:
    """The last good build, as the preview keeps it."""

    sources: Sources
    model: PageModel
    site: Site
    files: dict[str, Output]
    views: dict[str, LanguageView]
    env: jinja2.Environment
    deps: LayoutDependencies
    inputs: RenderInputs
    """What the pages were rendered from (incremental/inputs.py), kept up to date by every path."""
    source_pages: dict[str, Any] = field(default_factory=dict)
    """Content pages by source path."""
    position: dict[tuple[str, str], int] = field(default_factory=dict)
    """(key, language) → index in site.pages."""
    anchored_links: dict[str, set[Any]] = field(default_factory=dict)
    """Link target → the texts that link to it with a #anchor (page paths, (slug, language) of projects)."""
    touched: set[str] | None = None
    """Output files this update may have changed (only these are compared and written); None: any."""


@dataclass
class Outcome:
    problems: list[ContentError]
    written: list[str]
    rendered: int
    """How many pages were rendered."""
    path: str
    """Which way the update went: full, body, template, static, model."""
    seconds: float


class IncrementalBuild:
    def __init__(self, options: Options):
        self.options = options
        self.renderer = CachingRenderer(options.source / CACHE_FOLDER if options.cache else None)
        self.memo = ParseMemo()
        self.state: State | None = None
        self.written_once = False
        self.pending: set[str] = set()
        self.stale = False
        """After a failed update the kept state may hold half of it: the next update remakes the model."""
        self.listing = Listing(options.out)
        """The preview folder's manifest: these files, and the search index's (live.py) that another thread writes."""
        self.replaced = False
        """Whether the last good build replaced the whole folder (the first of a session, or one after a failed write)."""

    # --- entry points -------------------------------------------------------------------

    def full(self) -> Outcome:
        started = time.monotonic()
        try:
            state, rendered = self._full_state(previous=None)
        except BuildFailed as failed:
            return Outcome(failed.errors, [], 0, "full", time.monotonic() - started)
        return self._commit(state, rendered, "full", started)

    def update(self, changed: set[str]) -> Outcome:
        """``changed``: paths relative to the source root (added, modified or removed)."""
        started = time.monotonic()
        if self.state is None:
            return self.full()
        try:
            if self.stale:
                state, rendered = self._full_state(previous=self.state, changed=changed | self.pending)
                path = "model"
            else:
                state, rendered, path = self._update(self.state, changed)
        except BuildFailed as failed:
            self.stale = True
            self.pending |= changed
            return Outcome(failed.errors, [], 0, "failed", time.monotonic() - started)
        self.stale, self.pending = False, set()
        return self._commit(state, rendered, path, started)

    # --- the paths --------------------------------------------------------------------

    def _update(self, state: State, changed: set[str]) -> tuple[State, int, str]:
        root = self.options.source
        kinds = {_kind(path, root) for path in changed}
        if kinds == {"static"} and all(_ordinary(root / p, root) for p in changed):
            files = dict(state.files)
            try:
                pictures = False
                for path in changed:  # a picture is cleaned whatever its name (model/photos.py): the model path below does it
                    with opened(root / path, root) as head:  # its first bytes tell, never the whole file
                        pictures = pictures or picture_format(head) is not None
                    files[path.removeprefix("static/")] = stream_source(root / path, root)  # by reference, as a full build
            except Unreadable:  # changed again meanwhile: the full build names the problem
                pass
            else:
                if not pictures:
                    return replace(state, files=files, touched={p.removeprefix("static/") for p in changed}), 0, "static"
        if kinds == {"body"} and all((root / p).is_file() and p in state.source_pages for p in changed):
            done = self._bodies(state, changed)
            if done is not None:
                return done[0], done[1], "body"
        if kinds == {"project-text"} and all((root / p).is_file() for p in changed):
            done = self._project_texts(state, changed)
            if done is not None:
                return done[0], done[1], "body"
        if kinds == {"template"} and all((root / p).is_file() for p in changed):
            return self._templates(state, changed)
        new_state, rendered = self._full_state(previous=state, changed=changed)
        return new_state, rendered, "model"

    def _bodies(self, state: State, changed: set[str]) -> tuple[State, int] | None:
        """Edited page bodies whose front matter is unchanged; None when that is not the case."""
        sources, model, config = state.sources, state.model, state.sources.config
        replacements: list[tuple[Page, Page]] = []
        problems: list[ContentError] = []
        new_sources = dict(state.source_pages)
        for path in sorted(changed):
            old = state.source_pages[path]
            new, found = load_page(self.options.source / path, self.options.source, config.codes)
            if new is None:
                raise BuildFailed(found)
            if (new.meta, new.key, new.lang, new.meta_lines) != (old.meta, old.key, old.lang, old.meta_lines):
                return None  # titles, weights… feed listings and menus: the model path handles them
            if old.meta.draft and not self.options.drafts:
                return None
            result = self.renderer.render(new.body, source_folder(new), new.body_line)
            problems += [ContentError(path, line, message) for line, message in result.problems]
            model.rendered[path] = result
            target = path.removeprefix("content/")
            model.ids_of[target] = result.ids
            problems += check_links(new, result, model.url_of, model.ids_of, sources, model.drafts_left_out)
            new_sources[path] = new
            _reindex(state.anchored_links, path, result)
            old_page = state.site.pages[state.position[(new.key, new.lang)]]
            replacements.append((old_page, content_page(new, resolve_links(result.html, model.url_of, model.static_url), config)))
        problems += self._links_into(state, {p.removeprefix("content/") for p in changed})
        if only_errors(problems):
            raise BuildFailed(only_errors(problems))
        sources.pages = [new_sources.get(p.path, p) for p in sources.pages]
        return self._replace_pages(replace(state, source_pages=new_sources), replacements)

    def _project_texts(self, state: State, changed: set[str]) -> tuple[State, int] | None:
        """Edited project text files (content/projects/<slug>.<lang>.md) that were there before."""
        prepared, model = state.model.catalogue, state.model
        replacements: list[tuple[Page, Page]] = []
        problems: list[ContentError] = []
        for path in sorted(changed):
            name = Path(path).name
            slug, lang = name[: -len(".md")].rsplit(".", 1)
            body = prepared.bodies.get((slug, lang))
            if body is None or body.source.path != path:
                return None  # a new text file, or one that replaced an inline body
            text, found = read_text(self.options.source / path, self.options.source)
            if text is None:
                raise BuildFailed(found)
            if text.startswith("---\n"):
                return None  # the model path reports it
            result = self.renderer.render(text, "projects", 1)
            problems += [ContentError(path, line, message) for line, message in result.problems]
            source = replace(body.source, body=text)
            body.source, body.rendered = source, result
            target = f"projects/{slug}.{lang}.md"
            model.ids_of[target] = result.ids
            prepared.ids_of[target] = result.ids
            problems += check_links(source, result, model.url_of, model.ids_of, state.sources, model.drafts_left_out)
            _reindex(state.anchored_links, (slug, lang), result)
            old_page = state.site.pages[state.position[(body.source.key, lang)]]
            replacements.append((old_page, replace(old_page, content=resolve_links(result.html, model.url_of, model.static_url))))
        problems += self._links_into(state, {f"projects/{Path(p).name}" for p in changed})
        if only_errors(problems):
            raise BuildFailed(only_errors(problems))
        state, rendered = self._replace_pages(state, replacements)
        # The feeds carry the newest projects' texts: remake them only when an edited project is in one.
        if any(_in_feed(state, new) for _old, new in replacements):
            feeds = project_feeds(state.site)
            if feeds:
                state = replace(state, files={**state.files, **feeds}, touched=(state.touched or set()) | set(feeds))
        return state, rendered

    def _links_into(self, state: State, targets: set[str]) -> list[ContentError]:
        """Links elsewhere that point into the edited texts, checked again (their #anchors may be gone)."""
        model, sources = state.model, state.sources
        problems: list[ContentError] = []
        for text in sorted(set().union(*(state.anchored_links.get(t, set()) for t in targets))):
            if isinstance(text, str):  # a content page, by path
                if text.removeprefix("content/") in targets:
                    continue
                result, source = model.rendered[text], state.source_pages[text]
            else:  # a project's text, by (slug, language)
                body = model.catalogue.bodies[text]
                if f"projects/{text[0]}.{text[1]}.md" in targets:
                    continue
                result, source = body.rendered, body.source
            problems += check_links(source, result, model.url_of, model.ids_of, sources, model.drafts_left_out)
        return problems

    def _replace_pages(self, state: State, replacements: list[tuple[Page, Page]]) -> tuple[State, int]:
        pages = list(state.site.pages)
        for old, new in replacements:
            pages[state.position[(old.key, old.lang)]] = new
            state.views[old.lang].replace_page(old, new)
        site = _with_pages(state.site, pages, [new for _old, new in replacements])
        state.model.pages = pages
        inputs = state.inputs.with_pages(new for _old, new in replacements)
        to_render = pages_to_render(site, inputs, state.inputs, state.deps.of,  # the build's rule, asked of
                                    only=[(new.key, new.lang) for _old, new in replacements])  # these records
        files, problems = render_pages(site, self.options.source / "templates", self.options.source,
                                       only=to_render, env=state.env, views=state.views)
        if problems:
            raise BuildFailed(problems)
        return replace(state, site=site, files={**state.files, **files}, inputs=inputs, touched=set(files)), len(to_render)

    def _templates(self, state: State, changed: set[str]) -> tuple[State, int, str]:
        env = state.env  # Jinja notices the changed files itself (auto_reload)
        deps = LayoutDependencies(env)  # what each layout reads now
        inputs = state.inputs.with_templates(self.options.source / "templates")
        affected = pages_to_render(state.site, inputs, state.inputs, deps.of, only=())  # the build's rule: no record changed
        files, problems = render_pages(state.site, self.options.source / "templates", self.options.source,
                                       only=affected, env=env, views=state.views)
        if problems:
            raise BuildFailed(problems)
        return (replace(state, files={**state.files, **files}, env=env, deps=deps, inputs=inputs, touched=set(files)),
                len(affected), "template")

    # --- the whole model ------------------------------------------------------------------

    def _full_state(self, previous: State | None, changed: set[str] | None = None) -> tuple[State, int]:
        options = self.options
        sources = gather(options.source, options.base_url, self.memo)
        problems = sources.problems + check_sources(sources)
        model = model_pages(sources, options.drafts, self.renderer)
        problems += model.problems
        if only_errors(problems):
            raise BuildFailed(only_errors(problems))
        self.renderer.forget_unused()
        self.renderer.texts.save()
        site = site_of(sources, model)
        env = previous.env if previous is not None else make_environment(options.source / "templates")
        templates_changed = previous is None or any(p.startswith("templates/") for p in (changed or ()))
        deps = LayoutDependencies(env) if templates_changed else previous.deps  # type: ignore[union-attr]
        views = language_views(site)
        inputs = RenderInputs.of(site, options.source / "templates")  # the build's rule (incremental/inputs.py)
        to_render = pages_to_render(site, inputs, previous.inputs if previous is not None else None, deps.of)
        rendered_files, render_problems = render_pages(site, options.source / "templates", options.source,
                                                       only=to_render, env=env, views=views)
        if render_problems:
            raise BuildFailed(render_problems)
        outputs = {p.output for p in site.pages}
        kept = {} if previous is None else {k: v for k, v in previous.files.items() if k in outputs}
        files: dict[str, Output] = {**kept, **rendered_files, **site_files(site, options.source / "static")[0], **admin_files(site, options.source)[0]}
        files.update(form_checks(files, sources))
        state = State(sources=sources, model=model, site=site, files=files, views=views, env=env, deps=deps, inputs=inputs,
                      source_pages={p.path: p for p in sources.pages},
                      position={(p.key, p.lang): i for i, p in enumerate(site.pages)},
                      anchored_links=_anchored_links(model), touched=None)
        return state, len(to_render)

    # --- writing -------------------------------------------------------------------------

    def _commit(self, state: State, rendered: int, path: str, started: float) -> Outcome:
        previous = self.state.files if self.state is not None and self.written_once else None
        try:
            written = sync_site(state.files, self.options.out, previous, only=state.touched if previous is not None else None,
                                manifest=False)
        except BuildFailed as failed:  # a static file changed while it was copied: the next update writes every file
            self.stale, self.written_once = True, False
            return Outcome(failed.errors, [], 0, "failed", time.monotonic() - started)
        self.replaced = previous is None
        self.listing.holds("pages", state.files, replaced=self.replaced)
        self.written_once = True
        self.state = state
        return Outcome([], written, rendered, path, time.monotonic() - started)


def _with_pages(site: Site, pages: list[Page], replaced: list[Page]) -> Site:
    """The same site with some pages' records replaced (same keys and languages)."""
    new = Site(config=site.config, pages=tuple(pages), data=site.data, strings=site.strings, static_files=site.static_files,
               assets=site.assets)
    index = site.__dict__.get("_index")  # Site._index is a cached_property
    if index is not None:  # the index needs only the new records
        index = dict(index)
        index.update({(page.key, page.lang): page for page in replaced})
        new.__dict__["_index"] = index
    return new


def _anchored_links(model: PageModel) -> dict[str, set[Any]]:
    index: dict[str, set[Any]] = {}
    for path, result in model.rendered.items():
        _reindex(index, path, result)
    for key, body in model.catalogue.bodies.items():
        _reindex(index, key, body.rendered)
    return index


def _reindex(index: dict[str, set[Any]], text: Any, result: Rendered) -> None:
    """Record the #anchor links of one text (dropping what it linked to before)."""
    for linked in index.values():
        linked.discard(text)
    for link in result.links:
        if link.kind == "page" and link.anchor:
            index.setdefault(link.target, set()).add(text)


def _in_feed(state: State, page: Page) -> bool:
    """Whether the feed of the page's language lists this project (by its address)."""
    language = state.sources.config.language(page.lang)
    feed = state.files.get(f"{language.output_dir('projects')}/feed.xml")
    return isinstance(feed, bytes) and f"{page.url}</id>".encode() in feed


def _ordinary(path: Path, root: Path) -> bool:
    """An ordinary file of the project that static/ publishes (sources/tree.py); else the full build decides."""
    if any(not_ours(part, published=True) for part in path.relative_to(root).parts[1:]):
        return False
    try:
        check_file(path, root)
    except Unreadable:
        return False
    return True


def _kind(path: str, root: Path) -> str:
    if path == "data/site.yaml":
        return "config"
    if path.startswith("data/strings/"):
        return "strings"
    if path.startswith("data/"):
        return "data"
    if path.startswith("templates/"):
        return "template"
    if path.startswith("static/"):
        # a new hash (a stylesheet's, a photo's variants) changes every page that links to it
        # so does an SVG or a web page (published sanitised) or a picture (whatever its name: the model decides)
        name = path.lower()
        cleaned = is_photo(path) or name.endswith((".svg", ".svgz")) or is_static_html(path)
        return "asset" if is_fingerprinted(path) or cleaned else "static"
    if path.startswith("content/projects/") and path.count("/") == 2 and not Path(path).name.startswith("index."):
        return "project-text"
    if path.startswith("content/") and path.endswith(".md"):
        return "body"
    return "other"
