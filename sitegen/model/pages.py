"""Source pages and data → the Page records of every language.

- A content file becomes one Page; its body is rendered to HTML here, and its links to
  other source files are checked once every page is known.
- The cohorts, their projects and the listings that browse them: model/catalogue.py.
- A page missing in a language gets a stand-in there: an honest "not yet available in
  <language>" page, marked noindex and left out of the sitemap and listings, that links
  to the versions that exist. So a language switcher never leads to a 404, and a reader
  learns the page exists.
- Each language gets a 404 page.
"""

from __future__ import annotations

import os
import posixpath
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from types import MappingProxyType
from urllib.parse import unquote

from sitegen.errors import ContentError
from sitegen.messages import msg
from sitegen.model.assets import Assets, fingerprint, is_fingerprinted
from sitegen.model.catalogue import Prepared, catalogue_pages, prepare_catalogue
from sitegen.model.markup import MarkdownRenderer, Rendered, resolve_links
from sitegen.model.photos import StaticUrls, plan_photos, read_if_picture
from sitegen.model.site import Page, Site
from sitegen.model.statichtml import check_static_html, is_static_html
from sitegen.model.summary import opening_words
from sitegen.model.svg import MAX_SVG_BYTES, sanitise_svgs, svg_too_large
from sitegen.sources.config import Config
from sitegen.sources.files import SourcePage
from sitegen.sources.gather import Sources
from sitegen.sources.streamed import opened, stamp_of
from sitegen.sources.tree import Unreadable, read_source


@dataclass
class PageModel:
    """The pages and what was learnt making them (kept by the live preview to update them)."""

    pages: list[Page]
    problems: list[ContentError]
    rendered: dict[str, Rendered]
    """Content pages' bodies by source path."""
    url_of: dict[str, str]
    """Link targets (content-relative source paths) → URLs."""
    ids_of: dict[str, set[str]]
    """Link targets → the ids of their headings (for #anchors)."""
    catalogue: Prepared
    drafts_left_out: set[str]
    static_url: Callable[[str], str]
    """The published address of a file under static/ (for images in Markdown)."""
    assets: Assets
    """Published names of static/ (stylesheets, scripts and fonts carry a content hash)."""


def model_pages(sources: Sources, drafts: bool, renderer: MarkdownRenderer | None = None) -> PageModel:
    """Every page of every language. ``renderer`` may remember earlier renders (the live preview's)."""
    config = sources.config
    problems: list[ContentError] = []
    chosen = [p for p in sources.pages if drafts or not p.meta.draft]
    renderer = renderer or MarkdownRenderer()
    rendered: dict[str, Rendered] = {}
    renderer.prefetch([(source.body, source_folder(source), source.body_line) for source in chosen])
    for source in chosen:
        result = renderer.render(source.body, source_folder(source), source.body_line)
        rendered[source.path] = result
        problems += [ContentError(source.path, line, message) for line, message in result.problems]

    catalogue = prepare_catalogue(sources, renderer)                          # projects' texts, rendered
    problems += catalogue.problems
    url_of = {s.path.removeprefix("content/"): config.language(s.lang).url(s.key) for s in chosen} | catalogue.url_of
    ids_of = {s.path.removeprefix("content/"): rendered[s.path].ids for s in chosen} | catalogue.ids_of
    drafts_left_out = {s.path for s in sources.pages if s.meta.draft and not drafts}
    for source in chosen:
        problems += check_links(source, rendered[source.path], url_of, ids_of, sources, drafts_left_out)
    for body in catalogue.bodies.values():
        problems += check_links(body.source, body.rendered, url_of, ids_of, sources, drafts_left_out)

    def read_static(rel: str) -> bytes:
        try:
            return read_source(sources.root / "static" / rel, sources.root)
        except Unreadable as unreadable:  # changed since it was listed
            problems.append(ContentError(f"static/{rel}", 0, unreadable.message))
            return b""

    def read_picture(rel: str) -> bytes | None:
        try:
            taken = time.time_ns()
            with opened(sources.root / "static" / rel, sources.root) as file:
                if sources.kept is None:
                    return read_if_picture(rel, file)
                status = stamp_of(os.fstat(file.fileno()))  # what Pillow saw, kept by the file's status
                return read_if_picture(rel, file, partial(sources.kept.by_status, "picture?", f"static/{rel}", status, taken))
        except Unreadable as unreadable:  # changed since it was listed, or cannot be read
            problems.append(ContentError(f"static/{rel}", 0, unreadable.message))
            return None

    assets, asset_problems = fingerprint(sources.static_files, read_static)
    planned = plan_photos(sources.static_files, read_picture, skip=not_a_picture,  # photos: resized variants
                          remember=sources.kept.by_content if sources.kept is not None else None)
    photos = planned.photos

    def read_svg(rel: str) -> bytes | None:
        try:
            return read_source(sources.root / "static" / rel, sources.root, MAX_SVG_BYTES, svg_too_large)
        except Unreadable as unreadable:  # larger than the limit, or changed since it was listed
            problems.append(ContentError(f"static/{rel}", 0, unreadable.message))
            return None

    drawings, drawing_problems = sanitise_svgs(sources.static_files, read_svg)  # SVGs: without script
    document_problems = check_static_html(sources.static_files, list(config.settings.static_html), sources.raw_site,
                                          read_static)  # web pages: only listed ones (output/files.py adds the policy)
    problems += asset_problems + planned.problems + drawing_problems + document_problems
    cleaned = {**planned.encoded, **drawings}
    assets = replace(assets, outputs=MappingProxyType({**assets.outputs, **{rel: p.fallback.path for rel, p in photos.items()}}),
                     photos=MappingProxyType(photos),
                     contents=MappingProxyType({**assets.contents, **{assets.output(rel): data for rel, data in cleaned.items()}}))
    static_url = static_addresses(sources, assets)
    pages = [content_page(s, resolve_links(rendered[s.path].html, url_of, static_url), config) for s in chosen]
    pages += catalogue_pages(sources, catalogue, url_of, static_url)         # cohorts, projects, listings
    pages += _stand_ins(pages, sources)
    pages += [_not_found_page(lang.code, sources) for lang in config.languages]
    if (sources.root / "templates" / f"{SEARCH_KEY}.html").is_file():               # a search page per language
        pages += [_search_page(lang.code, sources) for lang in config.languages]
    order = {code: i for i, code in enumerate(config.codes)}
    pages.sort(key=lambda p: (p.key, order[p.lang]))
    problems += output_collisions(pages, sources.static_files, assets)
    return PageModel(pages, problems, rendered, url_of, ids_of, catalogue, drafts_left_out, static_url, assets)


def not_a_picture(rel: str) -> bool:
    """Files of static/ that are never read as pictures: stylesheets, scripts and fonts, SVGs, web pages, and the
    files hosts read (.well-known/, .htaccess)."""
    name = rel.lower()
    return (is_fingerprinted(rel) or name.endswith((".svg", ".svgz")) or is_static_html(rel)
            or name.startswith((".well-known/", ".htaccess", ".nojekyll")))


def static_addresses(sources: Sources, assets: Assets) -> StaticUrls:
    """static/<rel> → its published address (the base URL's path, the hashed name of a fingerprinted file,
    a photo's fallback), and a photo's markup with its variants (model/photos.py)."""
    return StaticUrls(sources.config.urls, assets.outputs, assets.photos)


def site_of(sources: Sources, model: PageModel) -> Site:
    """The frozen Site of a model without errors."""
    return Site(config=sources.config, pages=tuple(model.pages), data=sources.data, strings=sources.strings,
                static_files=tuple(sources.static_files), assets=model.assets)


def source_folder(source: SourcePage) -> str:
    """The page's folder relative to content/, against which its links are written."""
    return posixpath.dirname(source.path.removeprefix("content/"))


def check_links(source: SourcePage, result: Rendered, url_of: dict[str, str], ids_of: dict[str, set[str]],
                 sources: Sources, drafts_left_out: set[str]) -> list[ContentError]:
    problems = []
    for link in result.links:
        if link.kind == "image":
            if link.target.startswith("..") or link.target not in sources.static_files:
                problems.append(ContentError(source.path, link.line, msg("the image '{target}' is not in static/ — put it at static/{target2} or fix the path", target=link.target, target2=link.target.lstrip('./'))))
            continue
        path = f"content/{link.target}"
        if link.target in url_of:
            anchor = unquote(link.anchor)  # an address copied from a browser has %D7%A8… for Hebrew
            if anchor and anchor not in ids_of[link.target]:
                problems.append(ContentError(source.path, link.line, msg("link to '#{anchor}', which {path} does not have — check the heading it points to", anchor=anchor, path=path)))
        elif path in drafts_left_out:
            problems.append(ContentError(source.path, link.line, msg("link to {path}, a draft (draft: true), which is not published — remove the link, or publish the page", path=path)))
        elif link.target.startswith("..") or path not in sources.page_paths:
            problems.append(ContentError(source.path, link.line, msg("link to a page that does not exist: {path} — write the path of the target's .md file relative to "
                                                                     "this file (e.g. ../programme.{lang}.md)", path=path, lang=source.lang)))
        # else: the target file exists but could not be read; its own problems are reported
    return problems


def content_page(source: SourcePage, html: str, config: Config) -> Page:
    language = config.language(source.lang)
    return Page(
        key=source.key,
        lang=source.lang,
        title=source.meta.title,
        description=source.meta.description or opening_words(html),
        layout=source.meta.layout,
        url=language.url(source.key),
        output=_output(language.output_dir(source.key)),
        content=html,
        source=source.path,
        weight=source.meta.weight,
        draft=source.meta.draft,
    )


def _output(folder: str) -> str:
    return f"{folder}/index.html" if folder else "index.html"


def _stand_ins(pages: list[Page], sources: Sources) -> list[Page]:
    config = sources.config
    have = {(p.key, p.lang): p for p in pages}
    stand_ins = []
    for key in sorted({p.key for p in pages}):
        # the original: the page in the first configured language that has it
        original = next(have[(key, code)] for code in config.codes if (key, code) in have)
        for language in config.languages:
            if (key, language.code) in have:
                continue
            stand_ins.append(
                Page(
                    key=key,
                    lang=language.code,
                    title=original.title,
                    description=f"{sources.strings.get(language.code, {}).get('untranslated_heading', '')}: {original.title}",
                    layout="untranslated",
                    url=language.url(key),
                    output=_output(language.output_dir(key)),
                    source=original.source,
                    weight=original.weight,
                    draft=original.draft,
                    available=False,
                    original_lang=original.lang,
                )
            )
    return stand_ins


def _not_found_page(lang: str, sources: Sources) -> Page:
    language = sources.config.language(lang)
    strings = sources.strings.get(lang, {})
    folder = language.output_dir("")
    output = f"{folder}/404.html" if folder else "404.html"
    return Page(
        key="404",
        lang=lang,
        title=strings.get("not_found_title", "404"),
        description=str(strings.get("not_found_body", "")),
        layout="404",
        url=language.urls.path(output),
        output=output,
    )


SEARCH_KEY = "search"
"""The search page's address in every language (/search/, /en/search/) and its layout (templates/search.html)."""


def _search_page(lang: str, sources: Sources) -> Page:
    """The page of the search box (output/search.py makes the index); made when templates/search.html exists."""
    language = sources.config.language(lang)
    strings = sources.strings.get(lang, {})
    folder = language.output_dir(SEARCH_KEY)
    return Page(key=SEARCH_KEY, lang=lang, title=strings.get("search_title", "Search"),
                description=strings.get("search_description", ""), layout=SEARCH_KEY, url=language.url(SEARCH_KEY),
                output=f"{folder}/index.html")


GENERATED_FILES = ("robots.txt", "sitemap.xml", "_headers", "admin/index.html", "admin/config.yml")
"""Whole-site files the build writes (output/files.py); no page or static file may take their names."""


BUILT_FOLDERS = {"pagefind": msg("the search index"), "admin": msg("the editors' forms")}
"""Folders of the output the build writes whole: a file of static/ there would be dropped or replaced."""


def output_collisions(pages: list[Page], static_files: list[str], assets: Assets | None = None) -> list[ContentError]:
    """Two sources that would write the same output file: the second one would silently win."""
    made: dict[str, str] = {name: msg("the {name} the build makes", name=name) for name in GENERATED_FILES}
    problems = []
    for page in pages:
        if page.key == "404" and not page.source:
            what = msg("the page-not-found page")
        elif not page.source:
            what = msg("the {key} page the build makes", key=page.key)
        elif not page.available:
            what = msg("the stand-in for the missing translation of {source}", source=page.source)
        else:
            what = msg("the page made from {source}", source=page.source)
        other = made.get(page.output)
        if other:
            problems.append(ContentError(page.source or "content", 0, msg("{what} would overwrite {other} — rename the file", what=what, other=other)))
        else:
            made[page.output] = what
    for rel in static_files:
        out = assets.output(rel) if assets is not None else rel
        parts = out.split("/")
        built_folder = BUILT_FOLDERS.get(parts[0]) if len(parts) > 1 else None
        if built_folder:
            problems.append(ContentError(f"static/{rel}", 0, msg("would be replaced by {built}, which the build writes in {folder}/ — move "
                                                                 "the file to another folder", built=built_folder, folder=parts[0])))
        elif parts[-2:] == ["projects", "feed.xml"] and len(parts) <= 3:
            problems.append(ContentError(f"static/{rel}", 0, msg("would be replaced by the projects' feed the build makes — rename or "
                                                                 "remove the file")))
        elif out in made:
            problems.append(ContentError(f"static/{rel}", 0, msg("would overwrite {made} — rename or remove the file", made=made[out])))
        else:
            made[out] = f"static/{rel}"
    return problems
