"""The catalogue's sources: cohorts (data/cohorts/<id>.yaml), their projects' text files
(content/projects/<slug>.<lang>.md), read once; and the other data kept one entry a file
(data/testimonials/<id>.yaml), which the forms add and save one file at a time.

- A cohort has a file of its own, data/cohorts/<id>.yaml (one cohort, its fields at the top
  level). The older shape, a list of cohorts in data/cohorts.yaml, is still read: its cohorts
  come first, then the files by name.
- A project's longer text is either inline (``body:`` in its entry) or a Markdown file
  content/projects/<slug>.<lang>.md without front matter (the title and every other field
  are in the entry). Not both. Its links are written relative to that file in both cases,
  and ``content/projects/<slug>.<lang>.md`` is every project's source address for links,
  whether the file exists or not.
- checks/catalogue.py checks every reference (a project's ministries, topics and team, a
  body file's project), unique ids and slugs, images, and the TODO markers the scaffold
  writes (sitegen/tools/scaffold.py), each at its ``path:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sitegen.errors import ContentError, relative
from sitegen.messages import Message, msg
from sitegen.sources.files import Reader, load_yaml_file, read_text
from sitegen.sources.tree import Unreadable, folder_problem, read_source, walk
from sitegen.sources.yamlfile import line_of

COHORTS_FILE = "data/cohorts.yaml"
COHORTS_DIR = "data/cohorts"
BODIES_DIR = "content/projects"
RESERVED_SLUGS = {"page": msg("kept for the pages of long lists (…/page/2/)")}
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
    """Read data/cohorts/<id>.yaml (one cohort each) into sources.data["cohorts"], after data/cohorts.yaml's."""
    return load_entry_files(sources, "cohorts", "Cohort", msg("cohort"))


def load_entry_files(sources: Any, name: str, model: str, what: Message) -> list[ContentError]:
    """Read data/<name>/<id>.yaml (one entry each, its id its file's name) into sources.data[name], after
    the entries of data/<name>.yaml, the older shape of a list in one file. ``model``: the name of the entries' model
    in sources/schema.py (imported when a file is validated: sources/validated.py).

    Their files as read go to sources.raw_data["<name>/<id>"], so that every problem and translation gap is
    reported at its own path. When data/<name>.yaml itself is broken, the files are still checked but not
    added (the references to its entries are then not judged).
    """
    folder = sources.root / "data" / name
    bad_folder = folder_problem(folder, sources.root)
    if bad_folder is not None:
        return [bad_folder]
    if not folder.is_dir():
        return []
    listing = walk(folder, sources.root, lambda file: file.endswith((".yaml", ".yml")), recurse=False,
                   folder_link=msg("a link to a folder — copy the folder in instead"))
    problems: list[ContentError] = list(listing.problems)
    seen: dict[str, str] = {}
    codes = sources.config.codes
    for path in listing.files:
        rel = relative(path, sources.root)
        if sources.kept is not None:
            raw, found, value = sources.kept.get(("entry", name, *codes), path, sources.root,
                                                 partial(read_entry_file, path, sources.root, model, what, codes, None))
        else:
            raw, found, value = read_entry_file(path, sources.root, model, what, codes, sources.memo)
        problems += found
        if value is None:
            continue
        if value["id"] != path.stem:
            problems.append(ContentError(rel, line_of(raw, "id", 1), msg("the {what} id '{id}' differs from the file's name — rename the file to "
                                                                         "data/{name}/{id}.yaml, or change the id to '{stem}'",
                                                                         what=what, id=value["id"], name=name, stem=path.stem)))
            continue
        if path.stem in seen:
            problems.append(ContentError(rel, 0, msg("a second file for the {what} '{stem}' (the other is {seen}) — keep one", what=what,
                                                     stem=path.stem, seen=seen[path.stem])))
            continue
        seen[path.stem] = rel
        if isinstance(sources.data.get(name), list):
            sources.data[name].append(value)
            sources.raw_data[f"{name}/{path.stem}"] = raw
    return problems


def read_entry_file(path: Path, root: Path, model: str, what: Message, codes: list[str], memo: Any = None,
                    read: Reader = read_text) -> tuple[Any, list[ContentError], Any]:
    """data/<name>/<id>.yaml read and validated against the model of sources/schema.py named ``model``: (as read,
    problems, the entry as plain data or None)."""
    rel = relative(path, root)
    raw, problems = load_yaml_file(path, root, memo, read=read)
    if raw is None:
        if not problems:
            problems = [ContentError(rel, 0, msg("the file holds no {what} — write the {what}'s fields (id: …, name: …), or delete the file",
                                                 what=what))]
        return raw, problems, None
    if not isinstance(raw, dict):
        return raw, [*problems, ContentError(rel, getattr(raw, "line", 1), msg("one {what} per file: write its fields (id: …, name: …) at the "
                                                                               "top level, not as a list item ('- ')", what=what))], None
    from sitegen.sources import schema

    shape = getattr(schema, model)
    value, found = schema.validate(shape, raw, rel, codes)
    if value is None:
        return raw, problems + found, None
    return raw, problems + found, schema.adapter(shape).dump_python(value)


def entry_origins(sources: Any, name: str) -> list[Origin]:
    """(file, mapping as read) of each entry of sources.data[name] as read: data/<name>.yaml's, then data/<name>/<id>.yaml."""
    found = []
    main = sources.raw_data.get(name)
    if isinstance(main, list):
        found += [Origin(f"data/{name}.yaml", item) for item in main]
    for key in sorted(k for k in sources.raw_data if k.startswith(name + "/")):
        found.append(Origin(f"data/{key}.yaml", sources.raw_data[key]))
    return found


def origins(sources: Any) -> list[Origin]:
    """(file, mapping as read) of each cohort of sources.data["cohorts"], in the same order."""
    return entry_origins(sources, "cohorts")


def body_files(sources: Any) -> tuple[dict[tuple[str, str], BodyFile], list[ContentError]]:
    """content/projects/<slug>.<lang>.md by (slug, language)."""
    folder = sources.root / BODIES_DIR
    if not folder.is_dir() or folder_problem(folder, sources.root) is not None:  # the content walk reports it
        return {}, []
    codes = sources.config.codes
    found: dict[tuple[str, str], BodyFile] = {}
    problems = []
    for path in walk(folder, sources.root, lambda name: name.endswith(".md"), recurse=False).files:  # its problems: the content walk's
        if not is_project_body(path, sources.root / "content"):
            continue
        rel = relative(path, sources.root)
        name = BODY_NAME.match(path.name)
        if not name or name["lang"] not in codes:
            problems.append(ContentError(rel, 0, msg("a project's text file is named content/projects/<slug>.<language>.md ({items}) — rename the file", items=', '.join(f'.{code}.md' for code in codes))))
            continue
        text, found_problems = read_text(path, sources.root)
        problems += found_problems
        if text is None:
            continue
        if text.startswith("---\n"):
            problems.append(ContentError(rel, 1, msg("a project's text file has no front matter: its title and other fields are in data/cohorts.yaml — "
                                                     "delete the lines from the first '---' to the second")))
            continue
        found[(name["slug"], name["lang"])] = BodyFile(rel, name["slug"], name["lang"], text)
    return found, problems


class TextStarts:
    """Where a text written after ``key:`` begins: on the key's line, or the next one for a block (| or >).

    Reads each data file once per build (kept for that build only: the preview rebuilds after edits)."""

    def __init__(self, root: Path):
        self.root = root
        self._lines: dict[str, list[str]] = {}

    def __call__(self, path: str, key_line: int) -> int:
        if path not in self._lines:
            try:
                self._lines[path] = read_source(self.root / path, self.root).decode("utf-8").splitlines()
            except (Unreadable, UnicodeDecodeError):
                self._lines[path] = []
        return _text_start(self._lines[path], key_line)


def _text_start(lines: list[str], key_line: int) -> int:
    if not 0 < key_line <= len(lines):
        return key_line
    after = lines[key_line - 1].split(":", 1)[-1].strip()
    after = after.split(" #", 1)[0].strip()
    return key_line + 1 if after == "" or re.fullmatch(r"[|>][-+0-9]*", after) else key_line
