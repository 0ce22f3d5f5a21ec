"""The catalogue's pages: cohorts, projects, and the listings that browse them.

| key (URL under the language's prefix)  | layout   | what                                          |
|----------------------------------------|----------|-----------------------------------------------|
| cohorts/<id>, cohorts/<id>/page/<n>    | cohort, listing | a cohort; its projects, 20 a page (*)  |
| cohorts/<id>/<slug>                    | project  | a project                                     |
| projects, projects/page/<n>            | listing  | every project, newest first                   |
| ministries, topics                     | terms    | the terms that have projects, with counts     |
| ministries/<id>, topics/<id> (+ page/<n>) | listing | a term's projects, newest first           |

(*) or data/site.yaml's projects_per_page.

Keys come only from validated ids and slugs. A menu item (data/site.yaml's nav) may point to
'projects', 'ministries' or 'topics' once they exist; the real site leaves them out of the menu
while no project is published (the cohorts' pages lead to the catalogue). Filtering is done by
these static pages rather than a script: a script could only filter the 20 cards of one page of
a listing, and would suggest that the others do not exist. Each page carries in ``params`` what its template
shows, already in its language (a card per project: title, date, status, cohort, ministries,
partners, topics), so templates look nothing up. A term gets pages only when a project uses it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from babel.dates import format_date

from sitegen.errors import ContentError
from sitegen.model.markup import MarkdownRenderer, Rendered, resolve_links
from sitegen.model.site import Page
from sitegen.sources.cohorts import TextStarts, body_files, origins
from sitegen.sources.config import Language, localize
from sitegen.sources.files import SourcePage
from sitegen.sources.strings import fill
from sitegen.sources.validated import DEFAULT_PROJECTS_PER_PAGE, page_meta
from sitegen.sources.yamlfile import line_at

PER_PAGE = DEFAULT_PROJECTS_PER_PAGE
"""Cards on one page of a listing unless data/site.yaml says otherwise (projects_per_page); the next ones are on
…/page/2/ and after."""


@dataclass
class Body:
    """A project's text in one language, rendered, with what link checking needs."""

    source: SourcePage
    rendered: Rendered


@dataclass
class Prepared:
    """The catalogue's part of the pages: bodies rendered, link targets, problems."""

    bodies: dict[tuple[str, str], Body] = field(default_factory=dict)
    """By (slug, language)."""
    url_of: dict[str, str] = field(default_factory=dict)
    """projects/<slug>.<lang>.md → the project's URL in that language, for every project."""
    ids_of: dict[str, set[str]] = field(default_factory=dict)
    problems: list[ContentError] = field(default_factory=list)


def prepare_catalogue(sources: Any, renderer: MarkdownRenderer) -> Prepared:
    """Render every project's text (inline or from its file) and give every project a link target."""
    config = sources.config
    prepared = Prepared()
    files, _ = body_files(sources)  # their own problems are reported by check_catalogue
    starts = TextStarts(sources.root)
    seen: set[str] = set()
    texts: list[tuple[str, str, str, str, str, int, str]] = []  # slug, language, key, path, text, first line, title
    for cohort, origin in zip(sources.data.get("cohorts") or [], origins(sources), strict=False):
        for j, project in enumerate(cohort.get("projects") or []):
            slug = project["slug"]
            if slug in seen:  # a slug used twice: reported by check_catalogue, the first one stands
                continue
            seen.add(slug)
            key = f"cohorts/{cohort['id']}/{slug}"
            for language in config.languages:
                code = language.code
                target = f"projects/{slug}.{code}.md"
                prepared.url_of[target] = language.url(key)
                prepared.ids_of[target] = set()
                inline = project.get("body")
                text = inline.get(code) if isinstance(inline, dict) else inline
                file = files.get((slug, code))
                if file is not None:
                    path, text, first_line = file.path, file.text, 1
                elif text:
                    path = origin.path
                    loc = ("projects", j, "body", code) if isinstance(inline, dict) else ("projects", j, "body")
                    first_line = starts(path, line_at(origin.raw, loc, 0))
                else:
                    continue
                title = localize(project["title"], code, config.default.code, config.codes) or slug
                texts.append((slug, code, key, path, text, first_line, title))
    renderer.prefetch([(text, "projects", first_line) for *_, text, first_line, _ in texts])  # all at once
    for slug, code, key, path, text, first_line, title in texts:
        rendered = renderer.render(text, "projects", first_line)
        prepared.problems += [ContentError(path, line, message) for line, message in rendered.problems]
        source = SourcePage(path=path, key=key, lang=code, meta=page_meta(title), meta_lines={},
                            body=text, body_line=first_line)
        prepared.bodies[(slug, code)] = Body(source, rendered)
        prepared.ids_of[f"projects/{slug}.{code}.md"] = rendered.ids
    return prepared


def catalogue_pages(sources: Any, prepared: Prepared, url_of: dict[str, str], static_url: Callable[[str], str]) -> list[Page]:
    """Every page of the catalogue in every language (the cohorts' pages included)."""
    pages: list[Page] = []
    feed = bool(sources.config.base_url)
    for language in sources.config.languages:
        pages += _Language(sources, language, prepared, url_of, static_url, feed).pages()
    return pages


class _Language:
    """The catalogue's pages in one language."""

    def __init__(self, sources: Any, language: Language, prepared: Prepared, url_of: dict[str, str],
                 static_url: Callable[[str], str], feed: bool):
        config = sources.config
        self.language = language
        self.code = language.code
        self.codes, self.default = config.codes, config.default.code
        self.t = sources.strings.get(language.code, {})
        self.prepared, self.url_of, self.static_url = prepared, url_of, static_url
        # A cohort id or a project slug used twice is reported by check_catalogue; the first one stands,
        # so that the same mistake is not reported again as two pages at one address.
        self.cohorts, self.sources = [], []
        cohort_ids: set[str] = set()
        slugs: set[str] = set()
        for cohort, origin in zip(sources.data.get("cohorts") or [], origins(sources), strict=False):
            if cohort["id"] in cohort_ids:
                continue
            cohort_ids.add(cohort["id"])
            projects = []
            for project in cohort.get("projects") or []:
                if project["slug"] not in slugs:
                    slugs.add(project["slug"])
                    projects.append(project)
            self.cohorts.append({**cohort, "projects": projects})
            self.sources.append(origin.path)
        self.quoted = {item.get("cohort") for item in sources.data.get("testimonials") or [] if isinstance(item, dict)}
        self.terms = {name: {term["id"]: term for term in sources.data.get(name) or []} for name in ("ministries", "topics")}
        self.feed = feed
        self.per_page = config.settings.projects_per_page

    def text(self, value: Any) -> Any:
        return localize(value, self.code, self.default, self.codes)

    def string(self, key: str, **values: Any) -> str:
        return fill(self.t.get(key, key), **values)  # never str.format on editors' text (sources/strings.py)

    def pages(self) -> list[Page]:
        pages: list[Page] = []
        everything: list[dict[str, Any]] = []
        by_term: dict[str, dict[str, list[dict[str, Any]]]] = {"ministries": {}, "topics": {}}
        for position, cohort in enumerate(self.cohorts):
            source = self.sources[position] if position < len(self.sources) else "data/cohorts.yaml"
            graduates = {g["id"]: g for g in cohort.get("graduates") or []}
            views = [self.project_view(project, cohort, graduates) for project in cohort.get("projects") or []]
            for view, project in zip(views, cohort.get("projects") or [], strict=True):
                pages.append(self.project_page(view, project, source))
                for name in by_term:
                    for term in project.get(name) or []:
                        by_term[name].setdefault(term, []).append(view)
            everything += views
            pages += self.cohort_pages(cohort, views, position, source)
        if not self.cohorts:  # no catalogue yet (a site without data/cohorts.yaml)
            return pages
        if not everything:  # no project yet: no page of all projects (nor menu item, search entry, feed) to promise one
            return pages
        newest = sorted(everything, key=lambda v: (v["date"], v["slug"]), reverse=True)
        source = self.sources[0] if self.sources else "data/cohorts.yaml"
        pages += self.listing("projects", self.string("projects_title"), newest, source,
                              {"kind": "projects", "feed": self.feed}, description=self.string("projects_description"))
        for name, kind in (("ministries", "ministry"), ("topics", "topic")):
            pages += self.term_pages(name, kind, by_term[name], source)
        return pages

    # --- one project -----------------------------------------------------------------------

    def project_view(self, project: dict[str, Any], cohort: dict[str, Any], graduates: dict[str, Any]) -> dict[str, Any]:
        language, code = self.language, self.code
        key = f"cohorts/{cohort['id']}/{project['slug']}"
        ministries = [self.term_view("ministries", m) for m in project.get("ministries") or [] if m in self.terms["ministries"]]
        return {
            "slug": project["slug"],
            "key": key,
            "url": language.url(key),
            "title": self.text(project["title"]),
            "summary": self.text(project["summary"]),
            "date": project["date"],
            "date_text": format_date(project["date"], format="long", locale=language.locale),
            "status": project["status"],
            "cohort": {"id": cohort["id"], "name": self.text(cohort["name"]), "url": language.url(f"cohorts/{cohort['id']}")},
            "ministries": ministries,
            "topics": [self.term_view("topics", t) for t in project.get("topics") or [] if t in self.terms["topics"]],
            "partners": [self.text(p) for p in project.get("partners") or []],
            "team": [{"name": self.text(graduates[m]["name"]), "role": self.text(graduates[m].get("role")) or ""}
                     for m in project.get("team") or [] if m in graduates],
            "links": [{"label": self.text(link["label"]), "url": link["url"]} for link in project.get("links") or []],
            "image": self.static_url(project["image"].lstrip("/")) if project.get("image") else "",
            "image_path": project["image"].lstrip("/") if project.get("image") else "",
            "image_alt": self.text(project.get("image_alt")) or "",
            "has_body": (project["slug"], code) in self.prepared.bodies,
        }

    def term_view(self, name: str, term_id: str) -> dict[str, Any]:
        term = self.terms[name][term_id]
        return {"id": term_id, "name": self.text(term["name"]), "kind": term.get("kind", ""),
                "url": self.language.url(f"{name}/{term_id}")}

    def project_page(self, view: dict[str, Any], project: dict[str, Any], source: str) -> Page:
        body = self.prepared.bodies.get((view["slug"], self.code))
        html = resolve_links(body.rendered.html, self.url_of, self.static_url) if body else ""
        elsewhere = [code for code in self.codes if code != self.code and (view["slug"], code) in self.prepared.bodies]
        return self.page(view["key"], view["title"], view["summary"], "project", body.source.path if body else source,
                         {"project": view, "body_elsewhere": elsewhere}, content=html)

    # --- listings ----------------------------------------------------------------------------

    def cohort_pages(self, cohort: dict[str, Any], views: list[dict[str, Any]], position: int, source: str) -> list[Page]:
        if not views and not has_content(cohort, self.quoted):
            return []  # a page would hold the cohort's name alone: the cohorts' page names it without a link
        name = self.text(cohort["name"])
        # Its own summary if the editors wrote one; otherwise what every cohort page shows.
        description = self.text(cohort.get("summary")) or self.string("cohort_description", cohort=name)
        pages = self.listing(f"cohorts/{cohort['id']}", name, views, source, {"kind": "cohort", "cohort": cohort["id"]},
                             description=description, first_layout="cohort", weight=position)
        return pages

    def term_pages(self, name: str, kind: str, used: dict[str, list[dict[str, Any]]], source: str) -> list[Page]:
        if not used:
            return []
        pages = []
        groups: dict[str, list[dict[str, Any]]] = {}
        for term_id, term in self.terms[name].items():  # the vocabulary's order
            if term_id not in used:
                continue
            view = self.term_view(name, term_id)
            view["count"] = len(used[term_id])
            view["count_text"] = self.count(len(used[term_id]))
            groups.setdefault(term.get("kind", ""), []).append(view)
            newest = sorted(used[term_id], key=lambda v: (v["date"], v["slug"]), reverse=True)
            parent = {"title": self.string(f"{name}_title"), "url": self.language.url(name)}
            pages += self.listing(f"{name}/{term_id}", view["name"], newest, f"data/{name}.yaml",
                                  {"kind": kind, "term": view, "parent": parent},
                                  description=self.string(f"{kind}_projects_description", term=view["name"]))
        order = ["ministry", "authority", ""]
        ordered = [{"label": self.string(f"kind_{kind_id}") if kind_id else "", "terms": groups[kind_id]}
                   for kind_id in order if kind_id in groups]
        pages.append(self.page(name, self.string(f"{name}_title"), self.string(f"{name}_description"), "terms", f"data/{name}.yaml",
                               {"kind": name, "groups": ordered}))
        return pages

    def count(self, n: int) -> str:
        return self.string("projects_count_one") if n == 1 else self.string("projects_count_other", count=n)

    def listing(self, key: str, title: str, items: list[dict[str, Any]], source: str, params: dict[str, Any],
                description: str = "", first_layout: str = "listing", weight: int = 0) -> list[Page]:
        count = max(1, math.ceil(len(items) / self.per_page))
        keys = [key] + [f"{key}/page/{n}" for n in range(2, count + 1)]
        pages = []
        for n, page_key in enumerate(keys, 1):
            pagination = None
            if count > 1:
                pagination = {
                    "number": n,
                    "count": count,
                    "label": self.string("page_x_of_y", page=n, pages=count),
                    "prev": self.language.url(keys[n - 2]) if n > 1 else "",
                    "next": self.language.url(keys[n]) if n < count else "",
                    "pages": _window(n, count, lambda i: self.language.url(keys[i - 1])),
                }
            shown = title if n == 1 else f"{title} – {pagination['label'] if pagination else ''}"
            page_params = {"parent": None, "term": None, "cohort": "", "feed": False, **params, "items": items[(n - 1) * self.per_page: n * self.per_page], "total": len(items),
                           "total_text": self.count(len(items)), "pagination": pagination, "heading": title,
                           "first_url": self.language.url(key)}
            # Each page of a listing says which one it is, so no two pages share a description.
            said = description if n == 1 or not description else f"{description} – {pagination['label'] if pagination else ''}"
            pages.append(self.page(page_key, shown, said, first_layout if n == 1 else "listing", source, page_params,
                                   weight=weight))
        return pages

    def page(self, key: str, title: str, description: str, layout: str, source: str, params: dict[str, Any],
             content: str = "", weight: int = 0) -> Page:
        folder = self.language.output_dir(key)
        return Page(key=key, lang=self.code, title=title, description=description or "", layout=layout,
                    url=self.language.url(key), output=f"{folder}/index.html" if folder else "index.html",
                    content=content, source=source, weight=weight, params=MappingProxyType(params))


def has_content(cohort: dict[str, Any], quoted: set[Any]) -> bool:
    """Whether a cohort's page has anything to show besides its name: projects, the address of their list, a video,
    a summary, years or dates, or graduates' quotes. A cohort with none of these gets no page until it has one
    (the source names Cohort A, but gives neither its projects nor its video's address): the cohorts' page names
    it as plain text, so no link leads to a page holding a title alone."""
    return bool(cohort.get("projects") or cohort.get("projects_url") or cohort.get("video") or cohort.get("summary")
                or cohort.get("years") or cohort.get("start") or cohort["id"] in quoted)


def _window(current: int, count: int, url: Any) -> list[dict[str, Any]]:
    """Page links for a pagination bar: the first, the last, and two on each side of the current one; a gap between."""
    shown = sorted({1, count, *range(max(1, current - 2), min(count, current + 2) + 1)})
    items: list[dict[str, Any]] = []
    for i, number in enumerate(shown):
        if i and number - shown[i - 1] > 1:
            items.append({"gap": True})
        items.append({"gap": False, "number": number, "url": url(number), "current": number == current})
    return items
