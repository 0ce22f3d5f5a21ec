"""Site → {output path: bytes}. Renders templates; writes nothing.

The Jinja environment autoescapes and uses StrictUndefined, so a template typo is an
error naming the template's file and line. Each page's render reads only the Site and
the Page itself (plus values derived from them per language), so pages could be
rendered in any order or in parallel processes.
"""

from __future__ import annotations

import datetime
import os
import re
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date
from jinja2.loaders import split_template_path
from markdown.extensions.toc import slugify_unicode
from markupsafe import Markup

from sitegen.errors import ContentError, relative
from sitegen.messages import Message, msg
from sitegen.model.batch import may_fork, worker_pool
from sitegen.model.photos import PROSE_SIZES, StaticUrls
from sitegen.model.site import Page, Site
from sitegen.output.compiled import CompiledInProcess
from sitegen.output.htmltext import plain_quotes_in_text
from sitegen.output.security import meta_policy
from sitegen.output.share import HEIGHT, WIDTH, has_share_images, share_image_path
from sitegen.output.structured import json_ld, script_blocks, trail
from sitegen.output.video import video_of
from sitegen.output.year import build_year
from sitegen.sources.config import Language, localize
from sitegen.sources.files import MAX_FILE_BYTES
from sitegen.sources.menu import menu_items
from sitegen.sources.strings import fill
from sitegen.sources.tree import Unreadable, read_source
from sitegen.sources.validated import ENGINE_LAYOUTS


class MissingAsset(LookupError):
    """A template asks for a static file that does not exist."""


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class Alternate:
    """The same page in another language, for the switcher and <link rel=alternate>."""

    language: Language
    url: str
    available: bool
    current: bool


class TemplateFileError(jinja2.TemplateSyntaxError):
    """A template file that cannot be read: a link out of the project, to nowhere or in a loop, a
    named pipe, a file that is not UTF-8… (sources/tree.py); reported at its path and line."""

    def __init__(self, message: Message, rel: str, line: int):
        super().__init__(message, line or 1, filename=rel)
        self.rel, self.line, self.text = rel, line, message


class SourceLoader(jinja2.BaseLoader):
    """Jinja's FileSystemLoader, but a template is read like every source file (sources/tree.py):
    only an ordinary file inside the project, never through a link out of it — a template or an
    {% include %} of ``/etc/passwd`` would otherwise be published."""

    def __init__(self, templates: Path):
        self.templates = templates
        self.root = templates.parent

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.templates.joinpath(*split_template_path(template))  # refuses '..'
        rel = relative(path, self.root)
        try:
            data = read_source(path, self.root, MAX_FILE_BYTES)
        except Unreadable as unreadable:
            if unreadable.missing:
                raise jinja2.TemplateNotFound(template) from None
            raise TemplateFileError(unreadable.message, rel, 0) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise TemplateFileError(msg("the file is not UTF-8 text — save it again with the encoding UTF-8"), rel, line) from None
        stamp = _stamp(path)
        return text, str(path), lambda: _stamp(path) == stamp  # the preview's Jinja notices an edited template

    def list_templates(self) -> list[str]:
        return sorted(relative(p, self.templates) for p in self.templates.rglob("*.html"))


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def make_environment(templates: Path, bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """The templates' environment. ``bytecode_cache``: where compiled templates are kept between builds
    (sitegen/incremental/templates.py); a template already compiled in this process is not compiled again
    (output/compiled.py: every environment is made here, with these options)."""
    env = jinja2.Environment(
        loader=SourceLoader(templates),
        bytecode_cache=CompiledInProcess(bytecode_cache),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = _format_date
    env.filters["fill"] = fill  # {count} in a UI string; never str.format on editors' text (sources/strings.py)
    env.globals["video_of"] = video_of
    return env


def _format_date(value: Any, locale: str, format: str = "long") -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return format_date(value, format=format, locale=locale)


class LanguageView:
    """What every page of one language shares: resolved texts, navigation source, strings."""

    def __init__(self, site: Site, language: Language):
        config = site.config
        codes, default = config.codes, config.default.code
        self.language = language
        self.strings = site.strings.get(language.code, {})
        self.data = localize(dict(site.data), language.code, default, codes)
        self.cohort_of, self.quotes_of = index_cohorts(self.data)
        settings = localize(config.settings_dump(), language.code, default, codes)
        self.site = {
            **{k: v for k, v in settings.items() if k not in ("languages", "nav", "base_url")},  # title, full_title…
            "languages": config.languages,
            "base_url": config.base_url,
            "home": language.url(""),
        }
        self.year = build_year()
        self.security = meta_policy()
        self.search_security = meta_policy(search=True)
        self.share = self._share(site, language, settings) if has_share_images(site) else None
        self._site = site
        self.static = StaticUrls(config.urls, site.assets.outputs, site.assets.photos)
        self.nav_items = localize(menu_items(site.data, config.settings), language.code, default, codes)
        listed = [p for p in site.pages_in(language.code) if p.available and not p.draft and p.key != "404"]
        self.pages = sorted(listed, key=lambda p: (p.weight, p.key))  # for listings: front-matter weight order
        self.page_of = {p.key: p for p in self.pages}

    @staticmethod
    def _share(site: Site, language: Language, settings: dict[str, Any]) -> dict[str, Any]:
        """The share image of this language (output/share.py): its address, size and what it says."""
        path = site.config.urls.path(share_image_path(site, language.code))
        return {"url": site.config.urls.absolute(path) or path, "width": WIDTH, "height": HEIGHT, "type": "image/png",
                "alt": settings.get("full_title") or settings["title"]}

    def asset(self, rel: str) -> str:
        """``{{ asset('style.css') }}``: the published address of a file under static/ (hashed name, base path)."""
        if not self._site.assets.has(rel):
            raise MissingAsset(msg("asset('{rel}'): there is no static/{rel2} — fix the name or add the file", rel=rel, rel2=rel.lstrip('/')))
        return self._site.static_url(rel)

    def photo(self, rel: str, alt: str, sizes: str = PROSE_SIZES, eager: bool = False, **attributes: str) -> Markup:
        """``{{ photo(person.photo, person.photo_alt, '8rem') }}``: a picture of static/ with its variants (model/photos.py)."""
        if not self._site.assets.has(rel):
            raise MissingAsset(msg("photo('{rel}'): there is no static/{rel2} — fix the name or add the file", rel=rel, rel2=rel.lstrip('/')))
        return Markup(self.static.image(rel, alt or "", sizes, {k.rstrip("_"): v for k, v in attributes.items()}, eager))

    def poster(self, rel: str) -> str:
        """The absolute address of a picture of static/ as published (its fallback variant); "" without one."""
        rel = rel.lstrip("/")
        if not rel or not self._site.assets.has(rel):
            return ""
        photo = self.static.photos.get(rel)
        path = self._site.config.urls.path(photo.fallback.path) if photo else self._site.static_url(rel)
        return self._site.config.urls.absolute(path) or path

    def replace_page(self, old: Page, new: Page) -> None:
        """Put ``new`` where ``old`` was listed (same key and language; the listing's order kept)."""
        if self.page_of.get(old.key) is old:
            self.page_of[new.key] = new
            self.pages[next(i for i, p in enumerate(self.pages) if p is old)] = new  # by identity: no deep compare


def index_cohorts(data: dict[str, Any]) -> tuple[dict[Any, dict[str, Any]], dict[Any, list[dict[str, Any]]]]:
    """({cohort id: the first cohort of that id}, {cohort id: its quotes, in data/testimonials/'s order}), made once per
    language: a cohort's page looks its cohort and its quotes up instead of filtering every cohort and every quote
    (with 3,000 cohorts, 3,000 pages each scanning 3,000 of both)."""
    cohort_of: dict[Any, dict[str, Any]] = {}
    for cohort in data.get("cohorts") or []:
        cohort_of.setdefault(cohort.get("id"), cohort)
    quotes_of: dict[Any, list[dict[str, Any]]] = {}
    for item in data.get("testimonials") or []:
        if isinstance(item, dict) and item.get("cohort"):
            quotes_of.setdefault(item["cohort"], []).append(item)
    return cohort_of, quotes_of


def language_views(site: Site) -> dict[str, LanguageView]:
    return {lang.code: LanguageView(site, lang) for lang in site.config.languages}


def page_context(site: Site, page: Page, view: LanguageView) -> dict[str, Any]:
    language = view.language
    nav = []
    for item in view.nav_items:
        target = site.page(item["page"], language.code)
        if target is None or not target.available:  # a stand-in is reached through the switcher, not the menu
            continue
        nav.append(NavLink(label=item["label"] or target.title, url=target.url, current=_is_current(page.key, item["page"])))
    alternates = [
        # A 404 page's counterpart is not a page to go to (it would say "not found" with status 200):
        # its switcher leads to the other language's home page.
        Alternate(language=other_lang, url=other_lang.url("") if page.key == "404" else other.url, available=other.available,
                  current=other_lang.code == language.code)
        for other_lang, other in site.translations(page)
    ]
    urls = site.config.urls
    structured = json_ld(site, page, view.data, view.site, view.strings, view.share["url"] if view.share else "", view.poster)
    return {
        "page": page,
        "share": view.share,
        "json_ld": script_blocks(structured),
        "x_default": x_default(site, page),
        "content": Markup(page.content),
        "lang": language,
        "site": view.site,
        "t": view.strings,
        "data": view.data,
        "cohort_of": view.cohort_of,
        "quotes_of": view.quotes_of,
        "nav": nav,
        "alternates": alternates,
        "canonical": urls.absolute(page.url) if not page.noindex else "",
        "absolute": urls.absolute,
        "asset": view.asset,
        "photo": view.photo,
        "security": view.search_security if page.layout == "search" else view.security,
        "pages": view.pages,
        "page_of": view.page_of,
        "all_strings": site.strings,
        "breadcrumbs": trail(site, page) if page.key not in ("", "404") else [],
        "year": view.year,
        "original": site.page(page.key, page.original_lang) if not page.available else None,
        "original_language": site.config.language(page.original_lang) if not page.available else None,
    }


def x_default(site: Site, page: Page) -> Page | None:
    """The page for visitors whose language is none of the site's, as the sitemap names it (output/files.py): the first
    language's among the page's translations in the sitemap, when it has more than one."""
    listed = [other for _, other in site.translations(page) if other.in_sitemap]
    return listed[0] if page.in_sitemap and len(listed) > 1 else None


def _is_current(page_key: str, nav_key: str) -> bool:
    if nav_key == "":
        return page_key == ""
    return page_key == nav_key or page_key.startswith(nav_key + "/")


PARALLEL_FROM = 200
"""Below this many pages, starting worker processes costs more than it saves."""


def render_pages(site: Site, templates: Path, root: Path, progress: Callable[[int, int], None] | None = None, *,
                 only: list[Page] | None = None, env: jinja2.Environment | None = None,
                 views: dict[str, LanguageView] | None = None, workers: int = 1,
                 bytecode_cache: jinja2.BytecodeCache | None = None) -> tuple[dict[str, bytes], list[ContentError]]:
    """Render every page of ``site`` (or ``only`` these). The live preview passes the ``env``
    and ``views`` it keeps, so a few pages cost only their own rendering. A full build of many
    pages renders them in ``workers`` processes (forked: each starts with the Site in memory and
    compiles the templates once); the files come back in the pages' order, the same bytes."""
    targets = list(site.pages if only is None else only)
    if len(targets) >= PARALLEL_FROM and env is None and views is None and may_fork(workers):
        return _render_in_workers(site, templates, root, targets, workers, progress)
    return _render(site, templates, root, targets, env or make_environment(templates, bytecode_cache), views or language_views(site), progress)


_shared: tuple[Site, Path, Path, list[Page]] | None = None
"""What forked workers render from (set before the fork; never pickled)."""
_worker_tools: tuple[jinja2.Environment, dict[str, LanguageView]] | None = None


def _render_range(bounds: tuple[int, int]) -> tuple[dict[str, bytes], list[ContentError]]:
    global _worker_tools
    assert _shared is not None
    site, templates, root, targets = _shared
    if _worker_tools is None:
        _worker_tools = (make_environment(templates), language_views(site))
    return _render(site, templates, root, targets[bounds[0]:bounds[1]], *_worker_tools, None)


def _render_in_workers(site: Site, templates: Path, root: Path, targets: list[Page], workers: int,
                       progress: Callable[[int, int], None] | None) -> tuple[dict[str, bytes], list[ContentError]]:
    global _shared
    size = max(1, min(100, len(targets) // (workers * 4)))
    size -= size % 25 if size >= 25 else 0  # the progress line shows every 25th page
    ranges = [(start, min(start + size, len(targets))) for start in range(0, len(targets), size)]
    outputs: dict[str, bytes] = {}
    problems: list[ContentError] = []
    _shared = (site, templates, root, targets)
    try:
        with worker_pool(workers) as pool:
            for (_, end), (files, found) in zip(ranges, pool.imap(_render_range, ranges), strict=True):
                outputs.update(files)
                problems += [problem for problem in found if problem not in problems]  # a broken template, once
                if progress:
                    progress(end, len(targets))
    finally:
        _shared = None
    return outputs, problems


def _render(site: Site, templates: Path, root: Path, targets: list[Page], env: jinja2.Environment,
            views: dict[str, LanguageView], progress: Callable[[int, int], None] | None) -> tuple[dict[str, bytes], list[ContentError]]:
    outputs: dict[str, bytes] = {}
    problems: list[ContentError] = []
    failed_templates: set[str] = set()
    for index, page in enumerate(targets):
        if progress:
            progress(index, len(targets))
        name = f"{page.layout}.html"
        if name in failed_templates:
            continue
        try:
            template = env.get_template(name)
            html = template.render(page_context(site, page, views[page.lang]))
        except jinja2.TemplateNotFound as exc:
            if exc.name == name:  # the layout's own template (a content page's layout is checked before)
                where = "templates" if page.layout in ENGINE_LAYOUTS or not page.source else page.source
                problems.append(ContentError(where, 0, msg("no template templates/{name} for layout '{layout}' — add it", name=name, layout=page.layout)))
            else:  # {% extends %}, {% include %} or {% import %} of a missing template
                path, line = _template_frame(exc, templates, root)
                problems.append(ContentError(path, line, msg("the template '{name}' does not exist (while rendering {url})", name=exc.name, url=page.url)))
            failed_templates.add(name)
            continue
        except TemplateFileError as exc:
            problems.append(ContentError(exc.rel, exc.line, exc.text))
            failed_templates.add(name)
            continue
        except jinja2.TemplateSyntaxError as exc:
            path = relative(exc.filename, root) if exc.filename else f"templates/{exc.name}"
            problems.append(ContentError(path, exc.lineno or 0, msg("template syntax error: {message}", message=exc.message)))
            failed_templates.add(name)
            continue
        except MissingAsset as exc:
            path, line = _template_frame(exc, templates, root)
            problems.append(ContentError(path, line, exc.args[0]))
            failed_templates.add(name)
            continue
        except RecursionError as exc:  # {% include %} or {% extends %} of itself, directly or through others
            path, line = _template_frame(exc, templates, root)
            problems.append(ContentError(path, line, msg("the template includes or extends itself, directly or through other templates, without end — remove "
                                                         "the loop (while rendering {url})", url=page.url)))
            failed_templates.add(name)
            continue
        except Exception as exc:  # an error raised while rendering: find the template line in the traceback
            path, line = _template_frame(exc, templates, root)
            problems.append(ContentError(path, line, msg("{name}: {exc} (while rendering {url})", name=type(exc).__name__, exc=exc, url=page.url)))
            failed_templates.add(name)
            continue
        clash = _clashing_id(html, page.content) if page.source and page.content else None
        if clash is not None:  # '## main' would take the id of <main id="main">: the skip link would lead to the heading
            line, heading = _id_line(root, page.source, clash)
            if heading or not line:
                message = msg("the heading makes the id '{clash}', which the page's template uses too, so links to #{clash} would "
                              "lead to the wrong place — rename the heading, or give it an id of its own: ## … {{#{clash}-text}}", clash=clash)
            else:
                message = msg("'{{: #{clash} }}' gives this text the id '{clash}', which the page's template uses too, so links to "
                              "#{clash} would lead to the wrong place — give it an id of its own, e.g. {{: #{clash}-text }}", clash=clash)
            problems.append(ContentError(page.source, line, message))
            continue
        outputs[page.output] = plain_quotes_in_text(html).encode("utf-8")
    return outputs, problems


_ID = re.compile(r'\sid="([^"]*)"')


def _clashing_id(html: str, content: str) -> str | None:
    """An id of the page's text that the rendered page holds more than once (the template has it too)."""
    ours = set(_ID.findall(content))
    if not ours:
        return None
    counts = Counter(_ID.findall(html))
    return next((name for name in sorted(ours) if counts[name] > 1), None)


def _id_line(root: Path, source: str, name: str) -> tuple[int, bool]:
    """(the line whose heading or attribute list ({#name}, {: #name }) makes the id ``name``, or 0; whether it is a
    heading)."""
    try:
        lines = read_source(root / source, root, MAX_FILE_BYTES).decode("utf-8").splitlines()
    except (Unreadable, UnicodeDecodeError):
        return 0, False
    given = re.compile(r"\{:?[^}]*#" + re.escape(name) + r"(?=[\s}])")
    for number, line in enumerate(lines, 1):
        heading = re.match(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading and (given.search(line) or slugify_unicode(re.sub(r"\{[^}]*\}\s*$", "", heading.group(1)).strip(), "-") == name):
            return number, True
    for number, line in enumerate(lines, 1):
        if given.search(line):
            return number, False
    return 0, False


def _template_frame(exc: BaseException, templates: Path, root: Path) -> tuple[str, int]:
    templates_dir = str(templates.resolve())
    found = ("templates", 0)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and str(Path(frame.filename).resolve()).startswith(templates_dir):
            found = (relative(frame.filename, root), frame.lineno or 0)
    return found


class Progress:
    """A one-line progress bar on a terminal, shown only once a build has taken a second."""

    def __init__(self, enabled: bool, start: float | None = None):
        self.enabled = enabled
        self.start = time.monotonic() if start is None else start  # the build's start: reading counts too
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.start < 1.0 or done % 25:
            return
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\rrendering [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()
