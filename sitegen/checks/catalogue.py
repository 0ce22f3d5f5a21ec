"""The catalogue's references, each at its ``path:line``: a project's ministries, topics and team, a
body file's project, unique ids and slugs, images, reserved slugs, and the TODO markers that
``new project`` writes (checks/todo.py). The cohorts are read by sources/cohorts.py."""

from __future__ import annotations

import difflib
from typing import Any

from sitegen.checks.todo import todo_markers
from sitegen.errors import ContentError
from sitegen.messages import msg
from sitegen.sources.cohorts import COHORTS_FILE, RESERVED_SLUGS, Origin, body_files, origins
from sitegen.sources.yamlfile import line_at, line_of


def catalogue_listings(sources: Any) -> set[str]:
    """The keys of the catalogue's listings that a menu may point to: 'projects' once there is a cohort,
    'ministries' and 'topics' once a project uses one. model/catalogue.py makes 'projects' only once there is a
    project: until then the menu leaves the item out (output/render.py skips a menu item without its page)."""
    cohorts = sources.data.get("cohorts") or []
    keys = {"projects"} if cohorts else set()
    for name in ("ministries", "topics"):
        if any(project.get(name) for cohort in cohorts for project in cohort.get("projects") or []):
            keys.add(name)
    return keys


# --- checks -----------------------------------------------------------------------------


def check_catalogue(sources: Any) -> list[ContentError]:
    """Every reference of the catalogue, at its line. Called by checks/references.check_sources."""

    problems: list[ContentError] = []
    vocabularies: dict[str, dict[str, int]] = {}
    for name in ("ministries", "topics"):
        vocabularies[name], found = _terms(sources, name)
        problems += found
    cohorts = sources.data.get("cohorts") or []
    places = origins(sources)
    problems += _unique_ids(sources, cohorts, places)
    slugs: dict[str, tuple[str, int, str]] = {}
    entries: dict[str, Any] = {}
    for cohort, origin in zip(cohorts, places, strict=False):
        problems += _check_cohort(sources, cohort, origin, vocabularies, slugs)
        for entry in origin.raw.get("projects") or [] if isinstance(origin.raw, dict) else []:
            if isinstance(entry, dict):
                entries.setdefault(str(entry.get("slug")), entry)
    bodies, body_problems = body_files(sources)
    problems += body_problems
    for (slug, lang), body in sorted(bodies.items()):
        if slug not in slugs and "cohorts" in sources.data:
            problems.append(ContentError(body.path, 0, msg("no project with the slug '{slug}' — rename the file after a project's slug "
                                                           "(content/projects/<slug>.{lang}.md), or add the project to {file}", slug=slug, lang=lang, file=COHORTS_FILE)))
            continue
        if slug in slugs:
            path, line, _ = slugs[slug]
            entry = entries.get(slug)
            if entry is not None and entry.get("body"):
                problems.append(ContentError(path, line_of(entry, "body", line), msg("the project '{slug}' has a 'body' here and a text file {path} — keep one of them", slug=slug, path=body.path)))
    problems += todo_markers(sources, bodies, places)
    return problems


def _terms(sources: Any, name: str) -> tuple[dict[str, int], list[ContentError]]:
    """{id: line} of data/<name>.yaml, and the ids used twice."""
    raw = sources.raw_data.get(name)
    terms: dict[str, int] = {}
    problems = []
    for i, term in enumerate(sources.data.get(name) or []):
        line = line_at(raw, (i, "id"), 0)
        if term["id"] in terms:
            problems.append(ContentError(f"data/{name}.yaml", line, msg("the id '{id}' is used twice (first at line {terms}) — each term needs its own id", id=term['id'], terms=terms[term['id']])))
        else:
            terms[term["id"]] = line
    return terms, problems


def _unique_ids(sources: Any, cohorts: list[dict[str, Any]], places: list[Origin]) -> list[ContentError]:
    problems = []
    seen: dict[str, tuple[str, int]] = {}
    for cohort, origin in zip(cohorts, places, strict=False):
        line = line_of(origin.raw, "id", 0)
        if cohort["id"] in seen:
            problems.append(ContentError(origin.path, line, msg("the cohort id '{id}' is used twice (first at {where}) — each must be unique", id=cohort['id'], where=_where(seen[cohort['id']], origin.path))))
        else:
            seen[cohort["id"]] = (origin.path, line)
    return problems


def _where(first: tuple[str, int], path: str) -> str:
    """'line 3' in the same file, else 'data/cohorts/b.yaml:3'."""
    return msg("line {line}", line=first[1]) if first[0] == path else f"{first[0]}:{first[1]}"


def _check_cohort(sources: Any, cohort: dict[str, Any], origin: Origin, vocabularies: dict[str, dict[str, int]],
                  slugs: dict[str, tuple[str, int, str]]) -> list[ContentError]:
    path, raw = origin.path, origin.raw
    problems = []
    graduates: dict[str, int] = {}
    for i, graduate in enumerate(cohort.get("graduates") or []):
        line = line_at(raw, ("graduates", i, "id"), 0)
        if graduate["id"] in graduates:
            problems.append(ContentError(path, line, msg("the graduate id '{id}' is used twice in cohort '{id2}' (first at line {graduates}) — each graduate "
                                                         "needs their own id", id=graduate['id'], id2=cohort['id'], graduates=graduates[graduate['id']])))
        else:
            graduates[graduate["id"]] = line
    image = cohort.get("image")
    if image:
        image_line = line_of(raw, "image", 0)
        if image.lstrip("/") not in sources.static_files:
            problems.append(ContentError(path, image_line, msg("the image '{image}' is not in static/ — put the file at static/{image2}", image=image, image2=image.lstrip('/'))))
        if not cohort.get("image_alt"):
            problems.append(ContentError(path, image_line, msg("an image needs image_alt: a short description of the picture in each language")))
    for j, project in enumerate(cohort.get("projects") or []):
        loc = ("projects", j)
        slug = project["slug"]
        line = line_at(raw, (*loc, "slug"), 0)
        if slug in slugs:
            first_path, first_line, first_cohort = slugs[slug]
            if first_path == path:
                problems.append(ContentError(path, line, msg("the project slug '{slug}' is used twice (first at {where}, cohort '{first_cohort}') — each must be "
                                                             "unique: the slug is the project's web address", slug=slug, where=_where((first_path, first_line), path), first_cohort=first_cohort)))
            else:
                # Across files, the order files are read in says nothing of which project is the newer (a new cohort's file may
                # sort first): both places are named, each pointing at the other, and the editor changes the one added last. The forms
                # say the same of the project being saved (tools/formchecks.py: slug_elsewhere).
                for here, here_line, there, there_line, other in ((path, line, first_path, first_line, first_cohort),
                                                                  (first_path, first_line, path, line, cohort["id"])):
                    problems.append(ContentError(here, here_line, msg("the project slug '{slug}' is also used in {where} (cohort '{other_cohort}') — each project needs a slug "
                                                                      "of its own, its web address: change the slug of the one added last", slug=slug, where=f"{there}:{there_line}", other_cohort=other)))
            continue
        slugs[slug] = (path, line, cohort["id"])
        if slug in RESERVED_SLUGS:
            problems.append(ContentError(path, line, msg("the slug '{slug}' is {reason} — choose another slug", slug=slug, reason=RESERVED_SLUGS[slug])))
        problems += _references(sources, project, raw, loc, path, cohort, graduates, vocabularies)
        image = project.get("image")
        if image:
            image_line = line_at(raw, (*loc, "image"), 0)
            if image.lstrip("/") not in sources.static_files:
                problems.append(ContentError(path, image_line, msg("the image '{image}' is not in static/ — put the file at static/{image2}", image=image, image2=image.lstrip('/'))))
            if not project.get("image_alt"):
                problems.append(ContentError(path, image_line, msg("an image needs image_alt: a short description of the picture in each language")))
        for field in ("title", "summary"):
            for lang_line, code in _empty_texts(project.get(field), raw, (*loc, field), sources.config.codes):
                what = f"'{field}'" + (f" ({code})" if code else "")
                problems.append(ContentError(path, lang_line, msg("{what} is empty — write the project's {field}", what=what, field=field)))
    return problems


def _references(sources: Any, project: dict[str, Any], raw: Any, loc: tuple[Any, ...], path: str, cohort: dict[str, Any],
                graduates: dict[str, int], vocabularies: dict[str, dict[str, int]]) -> list[ContentError]:
    problems = []
    checks = [
        ("ministries", msg("ministry or authority"), vocabularies["ministries"], "data/ministries.yaml"),
        ("topics", msg("topic"), vocabularies["topics"], "data/topics.yaml"),
    ]
    for field, what, known, where in checks:
        listed: set[str] = set()
        for k, term in enumerate(project.get(field) or []):
            line = line_at(raw, (*loc, field, k), 0)
            if term in listed:
                problems.append(ContentError(path, line, msg("the {what} '{term}' is listed twice — remove one", what=what, term=term)))
            elif term not in known and field in sources.data:
                problems.append(ContentError(path, line, msg("unknown {what} '{term}' — use an id from {where} ({known}){did_you_mean}", what=what, term=term, where=where, known=_known(known), did_you_mean=_did_you_mean(term, known))))
            listed.add(term)
    members: set[str] = set()
    for k, member in enumerate(project.get("team") or []):
        line = line_at(raw, (*loc, "team", k), 0)
        if member in members:
            problems.append(ContentError(path, line, msg("the team member '{member}' is listed twice — remove one", member=member)))
        elif member not in graduates:
            other = next((c["id"] for c in sources.data.get("cohorts") or []
                          if any(g["id"] == member for g in c.get("graduates") or [])), None)
            if other:
                problems.append(ContentError(path, line, msg("'{member}' is a graduate of cohort '{other}', not of cohort '{id}' — a project's team comes from "
                                                             "its own cohort's graduates", member=member, other=other, id=cohort['id'])))
            else:
                problems.append(ContentError(path, line, msg("'{member}' is not a graduate of cohort '{id}' — add the person to the cohort's graduates (id, name, "
                                                             "role) and use that id ({known}){did_you_mean}", member=member, id=cohort['id'], known=_known(graduates), did_you_mean=_did_you_mean(member, graduates))))
        members.add(member)
    return problems


def _empty_texts(value: Any, raw: Any, loc: tuple[Any, ...], codes: list[str]) -> list[tuple[int, str]]:
    if isinstance(value, str):
        return [] if value.strip() else [(line_at(raw, loc, 0), "")]
    if isinstance(value, dict):
        return [(line_at(raw, (*loc, code), 0), code) for code, text in value.items() if not str(text or "").strip()]
    return []


def _known(ids: dict[str, int]) -> str:
    return msg("known: {ids}", ids=", ".join(sorted(ids))) if ids else msg("none yet")


def _did_you_mean(value: str, ids: dict[str, int]) -> str:
    close = difflib.get_close_matches(value, list(ids), n=1, cutoff=0.6)
    return msg("; did you mean '{id}'?", id=close[0]) if close else ""
