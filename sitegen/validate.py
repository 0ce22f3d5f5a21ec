"""Checks across files: references, unique ids, pairs of translations, UI strings.

Schema checks of single files happen while reading (gather.py); here we look at how the
files refer to each other. Missing translations are warnings (a page or text that exists
in one language only); ``--strict`` makes them errors.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from .errors import ContentError
from .gather import STRINGS_DIR, Sources
from .yamlfile import LineDict, LineList, line_at


def check_sources(sources: Sources) -> list[ContentError]:
    problems: list[ContentError] = []
    problems += _duplicate_pages(sources)
    problems += _nav(sources)
    problems += _data_references(sources)
    problems += _strings(sources)
    return problems


def translation_gaps(sources: Sources) -> list[ContentError]:
    """Pages and data texts that exist in one language only (warnings)."""
    codes = sources.config.codes
    gaps: list[ContentError] = []
    by_key: dict[str, dict[str, str]] = defaultdict(dict)
    for page in sources.pages:
        by_key[page.key][page.lang] = page.path
    for key, langs in sorted(by_key.items()):
        for code in codes:
            if code not in langs:
                have = next(iter(langs.values()))
                stem = have.rsplit(".", 2)[0]
                gaps.append(ContentError(have, 0, f"no '{code}' version of this page — add {stem}.{code}.md", "warning"))
    for name, raw in sorted(sources.raw_data.items()):
        for line, missing, where in _text_gaps(raw, codes, ()):
            gaps.append(ContentError(f"data/{name}.yaml", line, f"'{where}' has no '{missing}' text", "warning"))
    return gaps


def _text_gaps(value: Any, codes: list[str], path: tuple[str, ...]) -> list[tuple[int, str, str]]:
    found = []
    if isinstance(value, dict):
        if value and all(k in codes for k in value):
            for code in codes:
                if code not in value or not str(value.get(code) or "").strip():
                    found.append((getattr(value, "line", 0), code, path[-1] if path else "text"))
            return found
        for k, v in value.items():
            found += _text_gaps(v, codes, (*path, str(k)))
    elif isinstance(value, list):
        for v in value:
            found += _text_gaps(v, codes, path)
    return found


def _duplicate_pages(sources: Sources) -> list[ContentError]:
    problems = []
    seen: dict[tuple[str, str], str] = {}
    for page in sources.pages:
        other = seen.get((page.key, page.lang))
        if other:
            problems.append(ContentError(page.path, 0, f"two files make the same page /{page.key} in '{page.lang}' (the other is {other}) — remove one"))
        seen[(page.key, page.lang)] = page.path
    cohort_ids = {c["id"] for c in sources.data.get("cohorts") or []}
    for page in sources.pages:
        parts = page.key.split("/")
        if len(parts) == 2 and parts[0] == "cohorts" and parts[1] in cohort_ids:
            problems.append(ContentError(page.path, 0, f"the page /{page.key}/ is made from data/cohorts.yaml (cohort '{parts[1]}') — rename this file"))
    return problems


def _nav(sources: Sources) -> list[ContentError]:
    keys = {p.key for p in sources.pages}
    problems = []
    for i, item in enumerate(sources.config.settings.nav):
        if item.page not in keys:
            line = _site_line(sources, ("nav", i, "page"))
            problems.append(ContentError("data/site.yaml", line, f"the menu points to page '{item.page}', which does not exist — write the path of a file under content/ without language and .md"))
    return problems


def _site_line(sources: Sources, loc: tuple[Any, ...]) -> int:
    from .load import read_text
    from .yamlfile import parse_yaml

    text, _ = read_text(sources.root / "data/site.yaml", sources.root)
    raw, _ = parse_yaml(text or "", "data/site.yaml")
    return line_at(raw, loc, 0)


def _unique(raw: Any, items: list[dict[str, Any]], field: str, path: str, what: str) -> list[ContentError]:
    problems = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        value = item.get(field)
        line = line_at(raw, (i, field), 0)
        if value in seen:
            problems.append(ContentError(path, line, f"the {what} '{value}' is used twice (first at line {seen[value]}) — each must be unique"))
        else:
            seen[value] = line
    return problems


def _data_references(sources: Sources) -> list[ContentError]:
    problems: list[ContentError] = []
    cohorts = sources.data.get("cohorts") or []
    raw_cohorts = sources.raw_data.get("cohorts")
    problems += _unique(raw_cohorts, cohorts, "id", "data/cohorts.yaml", "cohort id")
    for i, cohort in enumerate(cohorts):
        raw_projects = raw_cohorts[i].get("projects") if isinstance(raw_cohorts, LineList) else None
        problems += _unique(raw_projects, cohort.get("projects") or [], "slug", "data/cohorts.yaml", "project slug")
    cohort_ids = [c["id"] for c in cohorts]

    testimonials = sources.data.get("testimonials") or []
    raw_t = sources.raw_data.get("testimonials")
    problems += _unique(raw_t, testimonials, "id", "data/testimonials.yaml", "testimonial id")
    for i, t in enumerate(testimonials):
        if t["cohort"] not in cohort_ids and "cohorts" in sources.data:  # a broken cohorts file is reported on its own
            line = line_at(raw_t, (i, "cohort"), 0)
            known = ", ".join(cohort_ids) or "none yet"
            problems.append(ContentError("data/testimonials.yaml", line, f"unknown cohort '{t['cohort']}' — use the id of a cohort in data/cohorts.yaml ({known})"))

    faculty = sources.data.get("faculty") or []
    raw_f = sources.raw_data.get("faculty")
    problems += _unique(raw_f, faculty, "id", "data/faculty.yaml", "faculty id")
    for i, person in enumerate(faculty):
        photo = person.get("photo")
        if photo:
            line = line_at(raw_f, (i, "photo"), 0)
            if photo.lstrip("/") not in sources.static_files:
                problems.append(ContentError("data/faculty.yaml", line, f"the photo '{photo}' is not in static/ — put the file at static/{photo.lstrip('/')}"))
            if not person.get("photo_alt"):
                problems.append(ContentError("data/faculty.yaml", line, "a photo needs photo_alt: a short description of the picture in each language"))
    return problems


def _strings(sources: Sources) -> list[ContentError]:
    problems = []
    default = sources.config.default.code
    reference = sources.strings.get(default)
    for code in sources.config.codes:
        if code not in sources.strings:
            if not any(p.path == f"{STRINGS_DIR}/{code}.yaml" for p in sources.problems):
                problems.append(ContentError(f"{STRINGS_DIR}/{code}.yaml", 0, f"missing — the interface texts for '{code}' (copy {STRINGS_DIR}/{default}.yaml and translate it)"))
            continue
        if reference is None or code == default:
            continue
        raw = sources.raw_strings[code]
        for key in sorted(set(reference) - set(sources.strings[code])):
            problems.append(ContentError(f"{STRINGS_DIR}/{code}.yaml", 0, f"the text '{key}' is missing — copy it from {STRINGS_DIR}/{default}.yaml and translate it"))
        for key in sorted(set(sources.strings[code]) - set(reference)):
            line = raw.key_lines.get(key, 0) if isinstance(raw, LineDict) else 0
            problems.append(ContentError(f"{STRINGS_DIR}/{code}.yaml", line, f"the text '{key}' is not in {STRINGS_DIR}/{default}.yaml — a typo? every language needs the same names"))
    return problems


__all__ = ["check_sources", "translation_gaps", "Path"]
