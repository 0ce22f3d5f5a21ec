"""``build.py new project --cohort <id> <slug>`` and ``build.py new page <path>`` (like ``hugo new``),
and the TODO markers they leave, which ``check`` and ``build`` report until an editor fills them.

``new project`` inserts text: it appends a complete entry (every field, every language, TODO
where only the editor knows the text) at the end of that cohort's ``projects:`` list, in
data/cohorts.yaml or data/cohorts/<id>.yaml, keeping every comment and the formatting. A YAML
round trip would lose the comments editors rely on. The new text is parsed and checked before
the file is replaced (atomically); if it would not read back as the same cohort with the new
project, nothing is written.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from sitegen.checks.references import RESERVED_FOLDERS
from sitegen.errors import BuildFailed
from sitegen.messages import localized, msg
from sitegen.sources.cohorts import BODIES_DIR, COHORTS_DIR, COHORTS_FILE, RESERVED_SLUGS
from sitegen.sources.files import KEY_SEGMENT, read_text
from sitegen.sources.schema import SLUG, Cohort, _check_project_slug, validate
from sitegen.sources.tree import folder_problem, walk
from sitegen.sources.yamlfile import LineDict, parse_yaml


class ScaffoldError(Exception):
    """A refusal of ``new``: the message says why and what to do (exit status 1)."""


# --- new project ------------------------------------------------------------------------------


def new_project(root: Path, cohort_id: str, slug: str, codes: list[str], today: datetime.date | None = None) -> str:
    """Append a scaffolded project to its cohort; returns the path written. Raises ScaffoldError."""
    if not SLUG.match(slug):
        raise ScaffoldError(_check_message(slug))
    if slug in RESERVED_SLUGS:  # what the build would refuse (checks/catalogue.py)
        raise ScaffoldError(msg("the slug '{slug}' is {reason} — choose another slug", slug=slug, reason=RESERVED_SLUGS[slug]))
    located = _locate_cohorts(root, codes)
    known = sorted({str(c.get("id")) for _, _, c in located if isinstance(c, dict)})
    for path, _, cohort in located:
        for project in cohort.get("projects") or [] if isinstance(cohort, dict) else []:
            if isinstance(project, dict) and project.get("slug") == slug:
                raise ScaffoldError(msg("the slug '{slug}' is taken (cohort '{cohort}', {path}) — choose another slug", slug=slug, cohort=cohort.get('id'), path=path))
    for code in codes:
        body = f"{BODIES_DIR}/{slug}.{code}.md"
        if (root / body).exists():
            raise ScaffoldError(msg("{body} exists already, and would be this new project's text — choose another slug, or delete the "
                                    "file", body=body))
    target = next(((path, text, c) for path, text, c in located if isinstance(c, LineDict) and c.get("id") == cohort_id), None)
    if target is None:
        where = msg("{file} or {folder}/", file=COHORTS_FILE, folder=COHORTS_DIR)
        raise ScaffoldError(msg("no cohort '{cohort_id}' in {where} ({value}) — add the cohort first, or use one of these ids", cohort_id=cohort_id, where=where, value='known: ' + ', '.join(known) if known else 'none yet'))
    path, text, cohort = target
    updated = insert_project(text, cohort, entry_text(slug, codes, today or datetime.date.today()))
    _verify(updated, path, cohort_id, slug, codes)
    _write_atomically(root / path, updated)
    return path


def _check_message(slug: str) -> str:
    try:
        _check_project_slug(slug)
    except ValueError as exc:
        return exc.args[0]
    return msg("'{slug}' is not a safe slug", slug=slug)


def _locate_cohorts(root: Path, codes: list[str]) -> list[tuple[str, str, Any]]:
    """(file, its text, cohort mapping as read) of every cohort, in data/cohorts.yaml and data/cohorts/."""
    found: list[tuple[str, str, Any]] = []
    single = root / COHORTS_FILE
    files = [single] if single.exists() or single.is_symlink() else []
    folder = root / COHORTS_DIR
    bad_folder = folder_problem(folder, root)
    if bad_folder is not None:
        raise ScaffoldError(msg("{bad_folder} — fix it first (python build.py check lists every problem)", bad_folder=bad_folder))
    if folder.is_dir():
        listing = walk(folder, root, lambda name: name.endswith((".yaml", ".yml")), recurse=False)
        if listing.problems:
            raise ScaffoldError(msg("{problems} — fix it first (python build.py check lists every problem)", problems=listing.problems[0]))
        files += listing.files
    for file in files:
        rel = file.relative_to(root).as_posix()
        text, problems = read_text(file, root)  # only an ordinary UTF-8 file of the project (sources/tree.py): never waits on a pipe
        if text is None:
            raise ScaffoldError(msg("{problems} — fix the file first (python build.py check lists every problem)", problems=problems[0]))
        raw, problems = parse_yaml(text, rel)
        if problems:
            raise ScaffoldError(msg("{problems} — fix the file first (python build.py check lists every problem)", problems=problems[0]))
        items = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []
        found += [(rel, text, item) for item in items]
    return found


def entry_text(slug: str, codes: list[str], today: datetime.date) -> list[str]:
    """The lines of a new project, indented for a list item at column 0 (insert_project indents them)."""

    def texts(key: str, block: bool = False) -> list[str]:
        if block:
            return [f"  {key}:", *[line for code in codes for line in (f"    {code}: |", "      TODO")]]
        return [f"  {key}:", *[f"    {code}: TODO" for code in codes]]

    first = codes[0]
    return [
        f"- slug: {slug}",
        "  # Replace every TODO (python build.py check lists them); delete the lines that do not apply.",
        *texts("title"),
        *texts("summary"),
        f"  # Optional: the longer text in Markdown, here or in {BODIES_DIR}/{slug}.{first}.md (then delete body:).",
        *texts("body", block=True),
        f"  date: {today.isoformat()}   # YYYY-MM-DD: orders the lists and the feed, newest first",
        "  status: planned   # planned, active or completed",
        "  ministries: []    # ids from data/ministries.yaml, e.g. [health, jerusalem]",
        "  partners: []      # civil-society partners, one per line: - {" + ", ".join(f"{c}: …" for c in codes) + "}",
        "  topics: []        # ids from data/topics.yaml",
        "  team: []          # ids of this cohort's graduates (see graduates: above)",
        "  links: []         # one per line: - {label: {" + ", ".join(f"{c}: …" for c in codes) + "}, url: https://…}",
        f"  image: \"\"         # optional: a picture under static/, e.g. images/projects/{slug}.jpg",
        "  image_alt: null   # with an image: what it shows, in each language (" + ", ".join(f"{c}: …" for c in codes) + ")",
    ]


def insert_project(text: str, cohort: LineDict, entry: list[str]) -> str:
    """``text`` with ``entry`` appended to ``cohort``'s projects: list, everything else untouched."""
    lines = text.split("\n")
    key_line = cohort.key_lines.get("projects")
    if key_line is None:  # no projects: key yet: add one at the end of the cohort's mapping
        column = _column(lines[cohort.line - 1], next(iter(cohort.key_lines)))
        end = _block_end(lines, cohort.line, lambda line: _indent(line) >= column)
        block = [" " * column + "projects:", *_indented(entry, column + 2)]
        return "\n".join(lines[:end] + block + lines[end:])
    current = lines[key_line - 1]
    column = _column(current, "projects")
    value = current[column + len("projects:"):].split(" #", 1)[0].strip()
    if value == "[]":
        rest = current[column + len("projects:"):].replace("[]", "", 1).strip()  # a comment after [] stays
        lines[key_line - 1] = current[: column] + "projects:" + (f" {rest}" if rest else "")
        return "\n".join(lines[:key_line] + _indented(entry, column + 2) + lines[key_line:])
    if value not in ("", "~", "null"):
        raise ScaffoldError(msg("line {key_line}: 'projects:' is written on one line — write its projects as a list, one '- slug: …' "
                                "per entry, so that a new one can be added", key_line=key_line))
    if value in ("~", "null"):
        lines[key_line - 1] = current[: column] + "projects:"

    def inside(line: str) -> bool:
        return _indent(line) > column or (_indent(line) == column and line.lstrip().startswith("- "))

    end = _block_end(lines, key_line, inside)
    items = [_indent(line) for line in lines[key_line:end] if line.lstrip().startswith("- ")]
    return "\n".join(lines[:end] + _indented(entry, items[0] if items else column + 2) + lines[end:])


def _block_end(lines: list[str], start: int, inside: Any) -> int:
    """Index after the last line of the block that begins after line ``start`` (1-based): blank lines and
    comments belong to it only when more of the block follows (a comment above the next key is that key's)."""
    end = start
    for i in range(start, len(lines)):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not inside(lines[i]):
            break
        end = i + 1
    return end


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _column(line: str, key: str) -> int:
    """The column where ``key:`` is written on ``line`` (after '- ' for a list item's first key)."""
    match = re.search(rf"(?<![\w-]){re.escape(key)}\s*:", line)
    return match.start() if match else _indent(line)


def _indented(entry: list[str], column: int) -> list[str]:
    return [" " * column + line if line else line for line in entry]


def _verify(text: str, path: str, cohort_id: str, slug: str, codes: list[str]) -> None:
    raw, problems = parse_yaml(text, path)
    items = raw if isinstance(raw, list) else [raw]
    value = None
    if not problems:
        cohort = next((c for c in items if isinstance(c, dict) and c.get("id") == cohort_id), None)
        value, problems = validate(Cohort, cohort, path, codes) if cohort is not None else (None, [])
    if value is None or not any(p.slug == slug for p in value.projects):
        reason = str(problems[0]) if problems else "the entry did not land in the cohort's projects"
        raise ScaffoldError(msg("could not add the entry safely ({reason}) — nothing was written; add it by hand, following the "
                                "example at the top of {path}", reason=reason, path=path))


def _write_atomically(path: Path, text: str) -> None:
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# --- new page ----------------------------------------------------------------------------------


def new_page(root: Path, path: str, codes: list[str]) -> list[str]:
    """content/<path>.<lang>.md for every language, each with TODO title, description and text."""
    key = path.strip().strip("/").removeprefix("content/").removesuffix(".md")
    parts = key.split("/")
    bad = [p for p in parts if not KEY_SEGMENT.match(p)]
    if not key or bad:
        shown = bad[0] if bad else path
        raise ScaffoldError(msg("'{shown}' cannot be part of a web address — name pages with lowercase Latin letters, digits and "
                                "hyphens, e.g. about/history", shown=shown))
    problem = _page_key_problem(parts, codes)
    if problem:
        raise ScaffoldError(problem)
    files = [f"content/{key}.{code}.md" for code in codes]
    existing = [f for f in files if (root / f).exists() or (root / f).is_symlink()]
    if existing:
        raise ScaffoldError(msg("{existing} exists already — choose another path, or edit that file", existing=existing[0]))
    for file in files:
        target = root / file
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as f:
            f.write("---\ntitle: TODO\ndescription: TODO\n---\nTODO\n")
    return files


MAX_PAGE_DEPTH = 8
"""Folders a page may be in (content/a/b/…): an address deeper than this is no one's to type."""
MAX_SEGMENT = 80
"""Characters of one folder or page name (the file system allows 255, with the language and .md)."""


def _page_key_problem(parts: list[str], codes: list[str]) -> str | None:
    """Why the build would refuse a page at content/<parts>, before any file is written (checks/references.py)."""
    if len(parts) > MAX_PAGE_DEPTH:
        return msg("the path has {count} levels of folders; at most {limit} — choose a shorter path, e.g. "
                   "about/history", count=len(parts), limit=MAX_PAGE_DEPTH)
    long = next((p for p in parts if len(p) > MAX_SEGMENT), None)
    if long is not None:
        return msg("the name '{long}…' is {count} characters long; at most {limit} — choose a shorter name", long=long[:20], count=len(long), limit=MAX_SEGMENT)
    if parts[0] in codes[1:]:
        return (msg("'{parts}' holds the pages of the language '{parts}' — write the path without it: new page {value} "
                    "makes the page in every language", parts=parts[0], value='/'.join(parts[1:]) or '<path>'))
    if parts == ["404"]:
        return msg("the name '404' is kept for the page-not-found page, which the build makes itself — choose another "
                   "name")
    if parts[0] in RESERVED_FOLDERS:
        return msg("the name '{name}' is kept for {what}, which the build makes itself — choose another name",
                   name=parts[0], what=RESERVED_FOLDERS[parts[0]])
    return None


def folders_without_a_page(root: Path, file: str, codes: list[str]) -> list[str]:
    """The folders above a new page (content/a/b/c.he.md → a, a/b) that have no page of their own
    (neither content/a.<lang>.md nor content/a/index.<lang>.md): their addresses would be 404s."""
    parts = file.removeprefix("content/").split("/")[:-1]
    missing = []
    for depth in range(1, len(parts) + 1):
        key = "/".join(parts[:depth])
        stems = [f"content/{key}", f"content/{key}/index"]
        if not any((root / f"{stem}.{code}.md").exists() for stem in stems for code in codes):
            missing.append(key)
    return missing


def languages(root: Path) -> list[str]:
    """The configured language codes (data/site.yaml), or a ScaffoldError saying why there are none."""
    from sitegen.sources.gather import read_config

    try:
        config, _, _ = read_config(root, None)
    except BuildFailed as failed:
        raise ScaffoldError(msg("{errors} — fix data/site.yaml first", errors=failed.errors[0])) from failed
    return config.codes


# --- the command line: build.py new project|page ---------------------------------------------------


def run_new(args: Any, source: Path) -> int:
    """Carry out ``new``; print what was written and what to do next. 0 done, 1 refused."""
    import sys

    try:
        codes = languages(source)
        if args.kind == "project":
            path = new_project(source, args.cohort, args.slug, codes)
            print(msg("Added the project '{slug}' to cohort '{cohort}' at the end of its projects in {path}.\n"
                      "Replace every TODO there (python build.py check lists them), then build.", slug=args.slug, cohort=args.cohort,
                      path=path).localized())
        else:
            files = new_page(source, args.path, codes)
            print(msg("Created {files}.\nReplace every TODO in them (python build.py check lists them), then build.",
                      files=" and ".join(str(f) for f in files)).localized())
            for folder in folders_without_a_page(source, files[0], codes):
                print(msg("note: the folder {folder} has no page of its own, so its address shows the page-not-found page — "
                          "to give it one: python build.py new page {folder}", folder=folder).localized())
    except ScaffoldError as refusal:
        print(f"build.py new {args.kind}: {msg('error').localized()}: {localized(refusal.args[0])}", file=sys.stderr)
        return 1
    return 0
