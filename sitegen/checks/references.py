"""Checks across files: references, unique ids, pairs of translations, UI strings.

Schema checks of single files happen while reading (sources/gather.py); here we look at how the
files refer to each other. Missing translations are warnings (a page or text that exists
in one language only); ``--strict`` makes them errors.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from typing import Any

from sitegen.checks.catalogue import catalogue_listings, check_catalogue
from sitegen.checks.photos import located_photos
from sitegen.errors import ContentError
from sitegen.messages import Message, msg
from sitegen.sources.gather import STRINGS_DIR, Sources
from sitegen.sources.menu import MENU, MENU_FILE, SITE_FILE, menu_items, menu_source
from sitegen.sources.validated import ENGINE_LAYOUTS
from sitegen.sources.yamlfile import LineDict, line_at, line_of


def check_sources(sources: Sources) -> list[ContentError]:
    problems: list[ContentError] = []
    problems += _duplicate_pages(sources)
    problems += _reserved_keys(sources)
    problems += _layouts(sources)
    problems += _nav(sources)
    problems += _data_references(sources)
    problems += check_catalogue(sources)                                      # cohorts, projects, vocabularies
    problems += _strings(sources)
    problems += missing_statement_details(sources)
    problems += located_photos(sources)                                     # originals that say where they were taken
    return problems


STATEMENT_LAYOUT = "accessibility"
"""The layout of the accessibility statement (templates/accessibility.html)."""
COORDINATOR_DETAILS = (("name", msg("name")), ("phone", msg("phone number")), ("email", msg("email address")))


def missing_statement_details(sources: Sources) -> list[ContentError]:
    """Warnings for what the accessibility statement should give and data/site.yaml leaves empty: the coordinator's
    name, phone and email, and the date the statement was updated. Never filled in for the editor: the page leaves them out."""
    if not any(page.meta.layout == STATEMENT_LAYOUT for page in sources.pages):
        return []
    accessibility = sources.config.settings.accessibility
    problems = []
    for field, words in COORDINATOR_DETAILS:
        value = getattr(accessibility.coordinator, field)
        if not value or (isinstance(value, dict) and not all(value.get(code) for code in sources.config.codes)):
            line = line_at(sources.raw_site, ("accessibility", "coordinator", field), 0)
            problems.append(ContentError("data/site.yaml", line, msg("the accessibility coordinator's {words} is missing — write it under accessibility: coordinator: "
                                                                     "{field} (the accessibility statement leaves it out until then)", words=words, field=field),
                                         "warning"))
    if accessibility.updated is None:
        line = line_at(sources.raw_site, ("accessibility", "updated"), 0)
        problems.append(ContentError("data/site.yaml", line, msg("the date the accessibility statement was last updated is missing — "
                                                                 "write it under accessibility: updated, as YYYY-MM-DD"), "warning"))
    return problems


def translation_gaps(sources: Sources, drafts: bool = True) -> list[ContentError]:
    """Pages and texts (in data files and data/site.yaml) that exist in one language only (warnings).

    ``drafts=False`` leaves draft pages out, as a build without --drafts does.
    """
    codes = sources.config.codes
    gaps: list[ContentError] = []
    by_key: dict[str, dict[str, str]] = defaultdict(dict)
    for page in sources.pages:
        if drafts or not page.meta.draft:
            by_key[page.key][page.lang] = page.path
    for _key, langs in sorted(by_key.items()):
        have = next((langs[code] for code in codes if code in langs), "")
        stem = have.rsplit(".", 2)[0]
        for code in codes:
            if code not in langs and f"{stem}.{code}.md" not in sources.page_paths:  # a broken file is no gap: its problems are reported
                gaps.append(ContentError(have, 0, msg("no '{code}' version of this page — add {stem}.{code}.md", code=code, stem=stem), "warning"))
    files = [("data/site.yaml", sources.raw_site)] + [(f"data/{name}.yaml", raw) for name, raw in sorted(sources.raw_data.items())]
    for path, raw in files:
        for line, missing, where in _text_gaps(raw, codes, (), getattr(raw, "line", 0)):
            gaps.append(ContentError(path, line, msg("'{where}' has no '{missing}' text", where=where, missing=missing), "warning"))
    return gaps + _project_text_gaps(sources)


def _project_text_gaps(sources: Sources) -> list[ContentError]:
    """A project whose longer text is in a file (content/projects/<slug>.<lang>.md) in some languages
    and in none of the others (neither file nor inline ``body``). Only file names are looked at."""
    folder = sources.root / "content" / "projects"
    if not folder.is_dir():
        return []
    codes = sources.config.codes
    files: dict[str, set[str]] = defaultdict(set)
    for path in folder.glob("*.md"):
        slug, _, lang = path.name.removesuffix(".md").rpartition(".")
        if slug and lang in codes and slug != "index":
            files[slug].add(lang)
    gaps = []
    for cohort in sources.data.get("cohorts") or []:
        for project in cohort.get("projects") or []:
            slug = project.get("slug")
            if slug not in files:
                continue
            inline = project.get("body")
            inline_langs = set(codes) if isinstance(inline, str) and inline else set(inline or {}) if isinstance(inline, dict) else set()
            have = files[slug] | inline_langs
            first = next(code for code in codes if code in files[slug])
            for code in codes:
                if code not in have:
                    gaps.append(ContentError(f"content/projects/{slug}.{first}.md", 0,
                                             msg("no '{code}' text of this project — add content/projects/{slug}.{code}.md", code=code, slug=slug), "warning"))
    return gaps


def _text_gaps(value: Any, codes: list[str], path: tuple[str, ...], line: int) -> list[tuple[int, str, str]]:
    """(line of the text's key, missing language, name of the key) for every text lacking a language."""
    found = []
    if isinstance(value, dict):
        if value and all(k in codes for k in value):
            for code in codes:
                if code not in value or not str(value.get(code) or "").strip():
                    found.append((line, code, path[-1] if path else "text"))
            return found
        for k, v in value.items():
            found += _text_gaps(v, codes, (*path, str(k)), line_of(value, k, line))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _text_gaps(v, codes, path, line_of(value, i, line))
    return found


def _duplicate_pages(sources: Sources) -> list[ContentError]:
    problems = []
    seen: dict[tuple[str, str], str] = {}
    for page in sources.pages:
        other = seen.get((page.key, page.lang))
        if other:
            problems.append(ContentError(page.path, 0, msg("two files make the same page /{key} in '{lang}' (the other is {other}) — remove one", key=page.key, lang=page.lang, other=other)))
        seen[(page.key, page.lang)] = page.path
    cohort_ids = {c["id"] for c in sources.data.get("cohorts") or []}
    for page in sources.pages:
        parts = page.key.split("/")
        if len(parts) == 2 and parts[0] == "cohorts" and parts[1] in cohort_ids:
            problems.append(ContentError(page.path, 0, msg("the page /{key}/ is made from data/cohorts/ (cohort '{parts}') — rename this file", key=page.key, parts=parts[1])))
    return problems


RESERVED_FOLDERS = {"search": msg("the site's search page"), "pagefind": msg("the search index"),
                    "assets": msg("the stylesheets, fonts and photos"), "admin": msg("the editors' forms")}
"""Top-level names the build writes itself: a page there would collide with them."""


def reserved_name_problem(first: str, what: str) -> Message | None:
    """Why a page whose address starts with ``first`` is refused (``what``: file or folder), or None."""
    if first not in RESERVED_FOLDERS:
        return None
    if what == "folder":
        return msg("the name '{first}' is kept for {what}, which the build makes itself — rename the folder", first=first,
                   what=RESERVED_FOLDERS[first])
    return msg("the name '{first}' is kept for {what}, which the build makes itself — rename the file", first=first,
               what=RESERVED_FOLDERS[first])


def _reserved_keys(sources: Sources) -> list[ContentError]:
    """A page may not take the address of another language's pages, nor the page-not-found page's name."""
    prefixes = {language.prefix: language.code for language in sources.config.languages if language.prefix}
    problems = []
    for page in sources.pages:
        first = page.key.split("/")[0]
        is_folder = "/" in page.key or page.path.endswith(f"/{page.key}/index.{page.lang}.md")
        if first in prefixes:
            told = (msg("the folder '{first}' holds the pages of the language '{code}' — rename the folder", first=first, code=prefixes[first])
                    if is_folder else msg("the file '{first}' holds the pages of the language '{code}' — rename the file", first=first, code=prefixes[first]))
            problems.append(ContentError(page.path, 0, told))
        elif page.key == "404":
            problems.append(ContentError(page.path, 0, msg("the name '404' is kept for the page-not-found page — rename the folder") if is_folder
                                         else msg("the name '404' is kept for the page-not-found page — rename the file")))
        elif first in RESERVED_FOLDERS:
            problems.append(ContentError(page.path, 0, reserved_name_problem(first, "folder" if "/" in page.key else "file")
                                         or msg("the name '{first}' is kept for the build", first=first)))
    return problems


def _layouts(sources: Sources) -> list[ContentError]:
    templates = sources.root / "templates"
    if not templates.is_dir():
        return [ContentError("templates", 0, msg("the folder templates/ is missing — it holds a template per layout"))]
    choices = sorted(p.stem for p in templates.glob("*.html") if not p.stem.startswith("_") and p.stem not in (*ENGINE_LAYOUTS, "base"))
    problems = []
    for page in sources.pages:
        layout = page.meta.layout
        if layout not in choices:
            line = page.meta_lines.get("layout", 0)
            problems.append(ContentError(page.path, line, msg("no template templates/{layout}.html for layout '{layout}' — use one of: {choices}", layout=layout, choices=', '.join(choices))))
    return problems


def _nav(sources: Sources) -> list[ContentError]:
    if any(p.path == "content" for p in sources.problems):  # content/ could not be read: its problem is enough
        return []
    keys = {p.key for p in sources.pages} | {f"cohorts/{c['id']}" for c in sources.data.get("cohorts") or []}
    keys |= catalogue_listings(sources)                                      # projects, ministries, topics
    problems = []
    path, raw, at = menu_source(sources)
    if sources.data.get(MENU) and sources.config.settings.nav:
        problems.append(ContentError(SITE_FILE, line_at(sources.raw_site, ("nav",), 0), msg(
            "the menu is written twice, here and in {menu} — remove nav: from this file ({menu}, which the editing forms "
            "edit, is the one the site shows)", menu=MENU_FILE)))
    for i, item in enumerate(menu_items(sources.data, sources.config.settings)):
        if item["page"] in keys or _has_page_file(sources, item["page"]):
            continue
        line = line_at(raw, (*at, i, "page"), 0)
        guess = _menu_guess(item["page"], keys, sources.config.codes)
        told = (msg("the menu points to page '{page}', which does not exist — did you mean '{guess}'? (write the path of a file "
                    "under content/ without language and .md)", page=item["page"], guess=guess) if guess
                else msg("the menu points to page '{page}', which does not exist — write the path of a file under content/ without "
                         "language and .md", page=item["page"]))
        problems.append(ContentError(path, line, told))
    return problems


def _menu_guess(written: str, keys: set[str], codes: list[str]) -> str:
    """The page a menu item probably means: its file's path without language and .md, or the closest key."""
    bare = written.strip().strip("/").removeprefix("content/").removesuffix(".md")
    for code in codes:
        bare = bare.removesuffix(f".{code}")
    bare = bare.removesuffix("/index")
    if bare in keys and bare != written:
        return bare
    close = difflib.get_close_matches(bare, sorted(keys), n=1, cutoff=0.75)
    return close[0] if close else ""


def _has_page_file(sources: Sources, key: str) -> bool:
    """True when a file for ``key`` exists, even one that could not be read (its problems are reported)."""
    stems = [f"content/{key}/index", f"content/{key}"] if key else ["content/index"]
    return any(f"{stem}.{code}.md" in sources.page_paths for stem in stems for code in sources.config.codes)


def _unique(raw: Any, items: list[dict[str, Any]], field: str, path: str, what: str) -> list[ContentError]:
    problems = []
    seen: dict[Any, int] = {}
    for i, item in enumerate(items):
        value = item.get(field)
        line = line_at(raw, (i, field), 0)
        if value in seen:
            problems.append(ContentError(path, line, msg("the {what} '{value}' is used twice (first at line {seen}) — each must be unique", what=what, value=value, seen=seen[value])))
        else:
            seen[value] = line
    return problems


def _data_references(sources: Sources) -> list[ContentError]:
    problems: list[ContentError] = []
    cohorts = sources.data.get("cohorts") or []  # their ids, slugs and references: catalogue.check_catalogue
    cohort_ids = [c["id"] for c in cohorts]

    testimonials = sources.data.get("testimonials") or []
    places = sources.origins.get("testimonials") or []
    seen: dict[str, tuple[str, int]] = {}
    for t, place in zip(testimonials, places, strict=False):
        line = line_of(place.raw, "id", 0)
        if t["id"] in seen:
            first, first_line = seen[t["id"]]
            where = msg("line {line}", line=first_line) if first == place.path else f"{first}:{first_line}"
            problems.append(ContentError(place.path, line, msg("the testimonial id '{id}' is used twice (first at {where}) — each must be unique",
                                                               id=t["id"], where=where)))
        else:
            seen[t["id"]] = (place.path, line)
        if t["cohort"] and t["cohort"] not in cohort_ids and "cohorts" in sources.data:  # a broken cohorts file is reported on its own
            known = ", ".join(cohort_ids) or "none yet"
            problems.append(ContentError(place.path, line_of(place.raw, "cohort", 0),
                                         msg("unknown cohort '{cohort}' — use the id of a cohort in data/cohorts/ ({known}), or leave it empty",
                                             cohort=t["cohort"], known=known)))

    problems += _partner_logos(sources)
    faculty = sources.data.get("faculty") or []
    raw_f = sources.raw_data.get("faculty")
    problems += _unique(raw_f, faculty, "id", "data/faculty.yaml", msg("faculty id"))
    for i, person in enumerate(faculty):
        photo = person.get("photo")
        if photo:
            line = line_at(raw_f, (i, "photo"), 0)
            if photo.lstrip("/") not in sources.static_files:
                problems.append(ContentError("data/faculty.yaml", line, msg("the photo '{photo}' is not in static/ — put the file at static/{photo2}", photo=photo, photo2=photo.lstrip('/'))))
            if not person.get("photo_alt"):
                problems.append(ContentError("data/faculty.yaml", line, msg("a photo needs photo_alt: a short description of the picture in each language")))
    return problems


def _partner_logos(sources: Sources) -> list[ContentError]:
    """A partner's logo (data/site.yaml, partners: logo) is an SVG file of static/ (published sanitised: model/svg.py)."""
    problems = []
    for i, partner in enumerate(sources.config.settings.partners):
        logo = partner.logo.lstrip("/")
        line = line_at(sources.raw_site, ("partners", i, "logo"), 0)
        if logo and not logo.lower().endswith(".svg"):
            problems.append(ContentError("data/site.yaml", line, msg("the logo '{logo}' is not an SVG file — a logo is drawn (.svg), so it stays "
                                                                     "sharp at any size: ask the partner for its logo as SVG", logo=partner.logo)))
        elif logo and logo not in sources.static_files:
            problems.append(ContentError("data/site.yaml", line, msg("the logo '{logo}' is not in static/ — put the file at static/{logo2}",
                                                                     logo=partner.logo, logo2=logo)))
    return problems


def _strings(sources: Sources) -> list[ContentError]:
    problems = []
    default = sources.config.default.code
    reference = sources.strings.get(default)
    for code in sources.config.codes:
        if code not in sources.strings:
            if not any(p.path == f"{STRINGS_DIR}/{code}.yaml" for p in sources.problems):
                problems.append(ContentError(f"{STRINGS_DIR}/{code}.yaml", 0, msg("missing — the interface texts for '{code}' (copy {folder}/{default}.yaml and translate it)", code=code, folder=STRINGS_DIR, default=default)))
            continue
        if reference is None or code == default:
            continue
        raw = sources.raw_strings[code]
        for key in sorted(set(reference) - set(sources.strings[code])):
            problems.append(ContentError(f"{STRINGS_DIR}/{code}.yaml", 0, msg("the text '{key}' is missing — copy it from {folder}/{default}.yaml and translate it", key=key, folder=STRINGS_DIR, default=default)))
        for key in sorted(set(sources.strings[code]) - set(reference)):
            line = raw.key_lines.get(key, 0) if isinstance(raw, LineDict) else 0
            problems.append(ContentError(f"{STRINGS_DIR}/{code}.yaml", line, msg("the text '{key}' is not in {folder}/{default}.yaml — a typo? every language needs the same "
                                                                                 "names", key=key, folder=STRINGS_DIR, default=default)))
    return problems
