"""Source files → source records: pages with their front matter and body, data files, UI strings.

Nothing here judges references between files (checks/ does); each reader only checks
that its own file can be read and has the right shape, and reports every problem with
its line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter

from sitegen.errors import ContentError, relative
from sitegen.sources.schema import FrontMatter, validate
from sitegen.sources.yamlfile import control_character, invisible_character_message, parse_yaml

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A content or data file larger than this (2 MB) is refused: no page of this site needs it
(the longest is a few KB), and Markdown takes about 5 s per MB, so a pasted binary or
runaway file would otherwise slow every build."""

PAGE_NAME = re.compile(r"^(?P<stem>.+)\.(?P<lang>[A-Za-z-]+)\.md$")
KEY_SEGMENT = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


@dataclass(frozen=True)
class SourcePage:
    """One Markdown file: one page in one language."""

    path: str
    """Relative to the source root (content/x.he.md)."""
    key: str
    """Language-neutral page key: the path under content/ without language and extension;
    index files are their folder's page (content/index.he.md → '', content/a/index.en.md → 'a')."""
    lang: str
    meta: FrontMatter
    meta_lines: dict[str, int]
    body: str
    body_line: int
    """Line of the file where the body starts (to report link problems at their line)."""


def read_text(path: Path, root: Path) -> tuple[str | None, list[ContentError]]:
    """The text of a source file, or the reasons it cannot be one.

    Refused: a file reached through a link (of the file or of a folder) that leads out of
    the source folder, a file over MAX_FILE_BYTES, one that is not UTF-8, an empty one, and
    one holding invisible control characters. A byte-order mark is dropped and line ends
    become "\n".
    """
    rel = relative(path, root)
    if not path.exists():
        return None, [ContentError(rel, 0, "a link to a file that does not exist — remove the link, or copy the file in instead")]
    if not path.resolve().is_relative_to(root.resolve()):
        return None, [ContentError(rel, 0, "a link to a file outside the source folder — copy the file in instead")]
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [ContentError(rel, 0, f"the file is {size / 1024 / 1024:.1f} MB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MB "
                                           "— split it into several files, or remove pasted data (images belong in static/)")]
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [ContentError(rel, line, "the file is not UTF-8 text — save it again with the encoding UTF-8")]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        if rel.endswith(".md"):
            return None, [ContentError(rel, 0, "the file is empty — a page starts with front matter: a line '---', then 'title: …', then '---'")]
        return None, [ContentError(rel, 0, "the file is empty — restore its text (git keeps every version), or write [] for an empty list")]
    found = control_character(text)
    if found:
        line, column, what = found
        return None, [ContentError(rel, line, invisible_character_message(column, what))]
    return text, []


def page_files(content_dir: Path) -> list[Path]:
    """Every .md file under content/, links included, and links to folders (which load_page
    refuses: the walk does not follow them, so their pages would be left out silently)."""
    return sorted(
        p for p in content_dir.rglob("*")
        if (p.suffix == ".md" and (p.is_file() or p.is_symlink())) or (p.is_symlink() and p.is_dir())
    )


class ParseMemo:
    """Results of reading files, kept by the live preview between builds and reused while a
    file's size and modification time are unchanged (a data file of thousands of projects
    takes many seconds to parse). Builds from the command line use none."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], tuple[tuple[int, int], Any]] = {}

    def get(self, kind: str, path: Path, compute: Callable[[], Any]) -> Any:
        try:
            stat = path.stat()
        except OSError:
            return compute()
        stamp = (stat.st_mtime_ns, stat.st_size)
        key = (kind, str(path))
        found = self._found.get(key)
        if found is not None and found[0] == stamp:
            return found[1]
        value = compute()
        self._found[key] = (stamp, value)
        return value


def load_page(path: Path, root: Path, languages: list[str], memo: ParseMemo | None = None) -> tuple[SourcePage | None, list[ContentError]]:
    """One page, or its problems. Never raises for bad content: a failure nobody foresaw is
    still reported against the file."""
    if memo is not None:
        return memo.get(f"page:{','.join(languages)}", path, lambda: load_page(path, root, languages))  # type: ignore[no-any-return]
    try:
        return _load_page(path, root, languages)
    except Exception as exc:  # noqa: BLE001 - an editor must see the file, never a traceback
        return None, [unexpected(relative(path, root), exc)]


def unexpected(rel: str, exc: BaseException) -> ContentError:
    """A problem this engine did not foresee, still reported against the file that caused it."""
    return ContentError(rel, 0, f"cannot read this file ({type(exc).__name__}: {exc}) — check it for unusual characters "
                                "or structure, and report this message to the site's developers")


def _load_page(path: Path, root: Path, languages: list[str]) -> tuple[SourcePage | None, list[ContentError]]:
    rel = relative(path, root)
    if path.is_dir():
        return None, [ContentError(rel, 0, "a link to a folder — the pages in it would be left out; copy the folder in instead")]
    name = PAGE_NAME.match(path.name)
    if not name:
        return None, [ContentError(rel, 0, f"a page's file name must end in .<language>.md ({', '.join(f'.{code}.md' for code in languages)})")]
    lang = name["lang"]
    if lang not in languages:
        return None, [ContentError(rel, 0, f"language code '{lang}' is not configured in data/site.yaml (configured: {', '.join(languages)}) — rename the file or add the language")]
    folder = relative(path.parent, root / "content")
    parts = [] if folder == "." else folder.split("/")
    if name["stem"] != "index":
        parts.append(name["stem"])
    bad = [p for p in parts if not KEY_SEGMENT.match(p)]
    if bad:
        return None, [ContentError(rel, 0, f"'{bad[0]}' cannot be part of a web address — name files and folders with lowercase Latin letters, digits and hyphens")]
    text, problems = read_text(path, root)
    if text is None:
        return None, problems
    handler = frontmatter.YAMLHandler()
    if not handler.detect(text):
        if handler.detect(text.lstrip()):
            line = len(text) - len(text.lstrip("\n")) + 1
            return None, [ContentError(rel, line, "the front matter must begin on the first line — delete the empty lines above '---'")]
        return None, [ContentError(rel, 1, "the page has no front matter — start the file with a line '---', then 'title: …', then '---'")]
    try:
        raw_meta, body = handler.split(text)
    except ValueError:
        return None, [ContentError(rel, 1, "the front matter is not closed — add a line '---' after its last field")]
    meta_raw, problems = parse_yaml(raw_meta, rel)
    if problems:
        return None, problems
    if meta_raw is None:
        meta_raw = {}
    if not isinstance(meta_raw, dict):
        return None, [ContentError(rel, 2, "the front matter must be fields written as 'name: value', one per line")]
    meta, problems = validate(FrontMatter, meta_raw, rel, languages)
    if problems:
        return None, problems
    body_line = text[: len(text) - len(body)].count("\n") + 1 if body else text.count("\n") + 1
    return (
        SourcePage(
            path=rel,
            key="/".join(parts),
            lang=lang,
            meta=meta,
            meta_lines=dict(getattr(meta_raw, "key_lines", {})),
            body=body,
            body_line=body_line,
        ),
        [],
    )


def load_yaml_file(path: Path, root: Path, memo: ParseMemo | None = None) -> tuple[Any, list[ContentError]]:
    """A YAML file as read (LineDict/LineList), or its problems. The result is shared through
    ``memo``: nothing may change it."""
    if memo is not None:
        return memo.get("yaml", path, lambda: load_yaml_file(path, root))  # type: ignore[no-any-return]
    try:
        text, problems = read_text(path, root)
        if text is None:
            return None, problems
        return parse_yaml(text, relative(path, root))
    except Exception as exc:  # noqa: BLE001 - an editor must see the file, never a traceback
        return None, [unexpected(relative(path, root), exc)]


def data_files(data_dir: Path) -> dict[str, Path]:
    """data/<name>.yaml by name (top level only; subfolders are collections of their own)."""
    found: dict[str, Path] = {}
    for path in sorted(data_dir.glob("*.y*ml")):
        if path.suffix in (".yaml", ".yml") and path.stem != "site":
            found[path.stem] = path
    return found


def string_files(strings_dir: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted(strings_dir.glob("*.yaml"))} if strings_dir.is_dir() else {}


def inside(path: Path, root: Path) -> bool:
    return os.path.realpath(path).startswith(os.path.realpath(root) + os.sep)
