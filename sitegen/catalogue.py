"""The catalogue's sources: cohorts (data/cohorts.yaml and data/cohorts/<id>.yaml), their
projects' text files (content/projects/<slug>.<lang>.md), and every reference between them.

- data/cohorts.yaml holds a list of cohorts; a cohort may instead have a file of its own,
  data/cohorts/<id>.yaml (one cohort, its fields at the top level), when the list grows long.
  Both are read; the cohorts of data/cohorts.yaml come first, then the files by name.
- A project's longer text is either inline (``body:`` in its entry) or a Markdown file
  content/projects/<slug>.<lang>.md without front matter (the title and every other field
  are in the entry). Not both. Its links are written relative to that file in both cases,
  and ``content/projects/<slug>.<lang>.md`` is every project's source address for links,
  whether the file exists or not.
- ``check_catalogue`` checks every reference (a project's ministries, topics and team, a
  body file's project), unique ids and slugs, images, and the TODO markers the scaffold
  writes (sitegen/scaffold.py), each at its ``path:line``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from .errors import ContentError, relative
from .load import load_yaml_file, read_text
from .schema import Cohort, validate
from .yamlfile import line_at, line_of

COHORTS_FILE = "data/cohorts.yaml"
COHORTS_DIR = "data/cohorts"
BODIES_DIR = "content/projects"
RESERVED_SLUGS = {"page": "kept for the pages of long lists (…/page/2/)"}
BODY_NAME = re.compile(r"^(?P<slug>[^.]+)\.(?P<lang>[A-Za-z-]+)\.md$")


@dataclass(frozen=True)
class Origin:
    """Where a cohort was read: its file and its mapping as read (for lines)."""

    path: str
    raw: Any


@dataclass(frozen=True)
class BodyFile:
    path: str
    """content/projects/<slug>.<lang>.md"""
    slug: str
    lang: str
    text: str


def is_project_body(path: Path, content_dir: Path) -> bool:
    """content/projects/<slug>.<lang>.md is a project's text, not a page (content/projects/index.*.md would be one)."""
    return path.suffix == ".md" and path.parent == content_dir / "projects" and not path.name.startswith("index.")


def load_cohort_files(sources: Any) -> list[ContentError]:
    """Read data/cohorts/<id>.yaml (one cohort each) into sources.data["cohorts"], after data/cohorts.yaml's.

    Their files as read go to sources.raw_data["cohorts/<id>"], so that translation gaps are
    reported at their own path. When data/cohorts.yaml itself is broken, the files are still
    checked but not added (the references to cohorts are then not judged).
    """
    folder = sources.root / COHORTS_DIR
    if not folder.is_dir():
        return []
    problems: list[ContentError] = []
    seen: dict[str, str] = {}
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")):
        rel = relative(path, sources.root)
        raw, found = load_yaml_file(path, sources.root, sources.memo)
        problems += found
        if raw is None:
            if not found:
                problems.append(ContentError(rel, 0, "the file holds no cohort — write the cohort's fields (id: …, name: …), or delete the file"))
            continue
        if not isinstance(raw, dict):
            problems.append(ContentError(rel, getattr(raw, "line", 1), "one cohort per file: write its fields (id: …, name: …) "
                                         "at the top level, not as a list item ('- ')"))
            continue
        value, found = validate(Cohort, raw, rel, sources.config.codes)
        problems += found
        if value is None:
            continue
        if value.id != path.stem:
            problems.append(ContentError(rel, line_of(raw, "id", 1), f"the cohort id '{value.id}' differs from the file's name — "
                                         f"rename the file to {COHORTS_DIR}/{value.id}.yaml, or change the id to '{path.stem}'"))
            continue
        if path.stem in seen:
            problems.append(ContentError(rel, 0, f"a second file for the cohort '{path.stem}' (the other is {seen[path.stem]}) — keep one"))
            continue
        seen[path.stem] = rel
        if isinstance(sources.data.get("cohorts"), list):
            sources.data["cohorts"].append(TypeAdapter(Cohort).dump_python(value))
            sources.raw_data[f"cohorts/{path.stem}"] = raw
    return problems


def origins(sources: Any) -> list[Origin]:
    """(file, mapping as read) of each cohort of sources.data["cohorts"], in the same order."""
    found = []
    main = sources.raw_data.get("cohorts")
    if isinstance(main, list):
        found += [Origin(COHORTS_FILE, item) for item in main]
    for name in sorted(k for k in sources.raw_data if k.startswith("cohorts/")):
        found.append(Origin(f"data/{name}.yaml", sources.raw_data[name]))
    return found


def body_files(sources: Any) -> tuple[dict[tuple[str, str], BodyFile], list[ContentError]]:
    """content/projects/<slug>.<lang>.md by (slug, language)."""
    folder = sources.root / BODIES_DIR
    if not folder.is_dir():
        return {}, []
    codes = sources.config.codes
    found: dict[tuple[str, str], BodyFile] = {}
    problems = []
    for path in sorted(folder.iterdir()):
        if path.suffix != ".md" or not is_project_body(path, sources.root / "content"):
            continue
        rel = relative(path, sources.root)
        name = BODY_NAME.match(path.name)
        if not name or name["lang"] not in codes:
            problems.append(ContentError(rel, 0, f"a project's text file is named content/projects/<slug>.<language>.md "
                                              f"({', '.join(f'.{code}.md' for code in codes)}) — rename the file"))
            continue
        text, found_problems = read_text(path, sources.root)
        problems += found_problems
        if text is None:
            continue
        if text.startswith("---\n"):
            problems.append(ContentError(rel, 1, "a project's text file has no front matter: its title and other fields are in "
                                                 "data/cohorts.yaml — delete the lines from the first '---' to the second"))
            continue
        found[(name["slug"], name["lang"])] = BodyFile(rel, name["slug"], name["lang"], text)
    return found, problems


def catalogue_listings(sources: Any) -> set[str]:
    """The keys of the catalogue's listings that a menu may point to: 'projects' once there is a cohort,
    'ministries' and 'topics' once a project uses one (catalogue_pages.py makes the same pages)."""
    cohorts = sources.data.get("cohorts") or []
    keys = {"projects"} if cohorts else set()
    for name in ("ministries", "topics"):
        if any(project.get(name) for cohort in cohorts for project in cohort.get("projects") or []):
            keys.add(name)
    return keys


# --- checks -----------------------------------------------------------------------------


def check_catalogue(sources: Any) -> list[ContentError]:
    """Every reference of the catalogue, at its line. Called by validate.check_sources."""
    from .scaffold import todo_markers

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
            problems.append(ContentError(body.path, 0, f"no project with the slug '{slug}' — rename the file after a project's slug "
                                                       f"(content/projects/<slug>.{lang}.md), or add the project to {COHORTS_FILE}"))
            continue
        if slug in slugs:
            path, line, _ = slugs[slug]
            entry = entries.get(slug)
            if entry is not None and entry.get("body"):
                problems.append(ContentError(path, line_of(entry, "body", line), f"the project '{slug}' has a 'body' here and a text file "
                                             f"{body.path} — keep one of them"))
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
            problems.append(ContentError(f"data/{name}.yaml", line, f"the id '{term['id']}' is used twice (first at line "
                                         f"{terms[term['id']]}) — each term needs its own id"))
        else:
            terms[term["id"]] = line
    return terms, problems


def _unique_ids(sources: Any, cohorts: list[dict[str, Any]], places: list[Origin]) -> list[ContentError]:
    problems = []
    seen: dict[str, tuple[str, int]] = {}
    for cohort, origin in zip(cohorts, places, strict=False):
        line = line_of(origin.raw, "id", 0)
        if cohort["id"] in seen:
            problems.append(ContentError(origin.path, line, f"the cohort id '{cohort['id']}' is used twice "
                                         f"(first at {_where(seen[cohort['id']], origin.path)}) — each must be unique"))
        else:
            seen[cohort["id"]] = (origin.path, line)
    return problems


def _where(first: tuple[str, int], path: str) -> str:
    """'line 3' in the same file, else 'data/cohorts/b.yaml:3'."""
    return f"line {first[1]}" if first[0] == path else f"{first[0]}:{first[1]}"


def _check_cohort(sources: Any, cohort: dict[str, Any], origin: Origin, vocabularies: dict[str, dict[str, int]],
                  slugs: dict[str, tuple[str, int, str]]) -> list[ContentError]:
    path, raw = origin.path, origin.raw
    problems = []
    graduates: dict[str, int] = {}
    for i, graduate in enumerate(cohort.get("graduates") or []):
        line = line_at(raw, ("graduates", i, "id"), 0)
        if graduate["id"] in graduates:
            problems.append(ContentError(path, line, f"the graduate id '{graduate['id']}' is used twice in cohort '{cohort['id']}' "
                                         f"(first at line {graduates[graduate['id']]}) — each graduate needs their own id"))
        else:
            graduates[graduate["id"]] = line
    for j, project in enumerate(cohort.get("projects") or []):
        loc = ("projects", j)
        slug = project["slug"]
        line = line_at(raw, (*loc, "slug"), 0)
        if slug in slugs:
            first_path, first_line, first_cohort = slugs[slug]
            problems.append(ContentError(path, line, f"the project slug '{slug}' is used twice (first at {_where((first_path, first_line), path)}, "
                                         f"cohort '{first_cohort}') — each must be unique: the slug is the project's web address"))
            continue
        slugs[slug] = (path, line, cohort["id"])
        if slug in RESERVED_SLUGS:
            problems.append(ContentError(path, line, f"the slug '{slug}' is {RESERVED_SLUGS[slug]} — choose another slug"))
        problems += _references(sources, project, raw, loc, path, cohort, graduates, vocabularies)
        image = project.get("image")
        if image:
            image_line = line_at(raw, (*loc, "image"), 0)
            if image.lstrip("/") not in sources.static_files:
                problems.append(ContentError(path, image_line, f"the image '{image}' is not in static/ — put the file at static/{image.lstrip('/')}"))
            if not project.get("image_alt"):
                problems.append(ContentError(path, image_line, "an image needs image_alt: a short description of the picture in each language"))
        for field in ("title", "summary"):
            for lang_line, code in _empty_texts(project.get(field), raw, (*loc, field), sources.config.codes):
                what = f"'{field}'" + (f" ({code})" if code else "")
                problems.append(ContentError(path, lang_line, f"{what} is empty — write the project's {field}"))
    return problems


def _references(sources: Any, project: dict[str, Any], raw: Any, loc: tuple[Any, ...], path: str, cohort: dict[str, Any],
                graduates: dict[str, int], vocabularies: dict[str, dict[str, int]]) -> list[ContentError]:
    problems = []
    checks = [
        ("ministries", "ministry or authority", vocabularies["ministries"], "data/ministries.yaml"),
        ("topics", "topic", vocabularies["topics"], "data/topics.yaml"),
    ]
    for field, what, known, where in checks:
        listed: set[str] = set()
        for k, term in enumerate(project.get(field) or []):
            line = line_at(raw, (*loc, field, k), 0)
            if term in listed:
                problems.append(ContentError(path, line, f"the {what} '{term}' is listed twice — remove one"))
            elif term not in known and field in sources.data:
                problems.append(ContentError(path, line, f"unknown {what} '{term}' — use an id from {where} "
                                             f"({_known(known)}){_did_you_mean(term, known)}"))
            listed.add(term)
    members: set[str] = set()
    for k, member in enumerate(project.get("team") or []):
        line = line_at(raw, (*loc, "team", k), 0)
        if member in members:
            problems.append(ContentError(path, line, f"the team member '{member}' is listed twice — remove one"))
        elif member not in graduates:
            other = next((c["id"] for c in sources.data.get("cohorts") or []
                          if any(g["id"] == member for g in c.get("graduates") or [])), None)
            if other:
                problems.append(ContentError(path, line, f"'{member}' is a graduate of cohort '{other}', not of cohort '{cohort['id']}' "
                                             "— a project's team comes from its own cohort's graduates"))
            else:
                problems.append(ContentError(path, line, f"'{member}' is not a graduate of cohort '{cohort['id']}' — add the person to "
                                             f"the cohort's graduates (id, name, role) and use that id "
                                             f"({_known(graduates)}){_did_you_mean(member, graduates)}"))
        members.add(member)
    return problems


def _empty_texts(value: Any, raw: Any, loc: tuple[Any, ...], codes: list[str]) -> list[tuple[int, str]]:
    if isinstance(value, str):
        return [] if value.strip() else [(line_at(raw, loc, 0), "")]
    if isinstance(value, dict):
        return [(line_at(raw, (*loc, code), 0), code) for code, text in value.items() if not str(text or "").strip()]
    return []


def _known(ids: dict[str, int]) -> str:
    return "known: " + ", ".join(sorted(ids)) if ids else "none yet"


def _did_you_mean(value: str, ids: dict[str, int]) -> str:
    close = difflib.get_close_matches(value, list(ids), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class TextStarts:
    """Where a text written after ``key:`` begins: on the key's line, or the next one for a block (| or >).

    Reads each data file once per build (kept for that build only: the preview rebuilds after edits)."""

    def __init__(self, root: Path):
        self.root = root
        self._lines: dict[str, list[str]] = {}

    def __call__(self, path: str, key_line: int) -> int:
        if path not in self._lines:
            try:
                self._lines[path] = (self.root / path).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self._lines[path] = []
        return _text_start(self._lines[path], key_line)


def _text_start(lines: list[str], key_line: int) -> int:
    if not 0 < key_line <= len(lines):
        return key_line
    after = lines[key_line - 1].split(":", 1)[-1].strip()
    after = after.split(" #", 1)[0].strip()
    return key_line + 1 if after == "" or re.fullmatch(r"[|>][-+0-9]*", after) else key_line
