"""Source files → source records: pages with their front matter and body, data files, UI strings.

Nothing here judges references between files (checks/ does); each reader only checks
that its own file can be read and has the right shape, and reports every problem with
its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sitegen.errors import ContentError, relative
from sitegen.messages import Message, msg
from sitegen.sources.tree import Found, Unreadable, read_source, walk
from sitegen.sources.validated import Record, record_of
from sitegen.sources.yamlfile import control_character, invisible_character_message, open_direction, open_direction_message, parse_yaml

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A content or data file larger than this (2 MB) is refused: no page of this site needs it
(the longest is a few KB), and Markdown takes about 5 s per MB, so a pasted binary or
runaway file would otherwise slow every build."""

FRONT_MATTER_BOUNDARY = re.compile(r"^-{3,}\s*$", re.MULTILINE)
"""A line of three or more hyphens: python-frontmatter's YAML boundary (``YAMLHandler.FM_BOUNDARY``), matched and split
as it does (tests/test_validated.py holds the two to each other) without importing it, since it imports PyYAML."""
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
    meta: Record
    """The validated front matter (schema.FrontMatter's values: sources/validated.py)."""
    meta_lines: dict[str, int]
    body: str
    body_line: int
    """Line of the file where the body starts (to report link problems at their line)."""


def read_text(path: Path, root: Path) -> tuple[str | None, list[ContentError]]:
    """The text of a source file, or the reasons it cannot be one.

    Refused (sources/tree.py): anything but an ordinary file inside the source folder (a link out of
    it, to nowhere or in a loop, a named pipe, a folder, a file this user may not read); and here a
    file over MAX_FILE_BYTES, one that is not UTF-8, an empty one, and one holding invisible control
    characters or a direction override left open. A byte-order mark is dropped and line ends become "\n".
    """
    rel = relative(path, root)
    try:
        data = read_source(path, root, MAX_FILE_BYTES, too_large)
    except Unreadable as problem:
        return None, [ContentError(rel, 0, problem.message)]
    return text_of(data, rel)


def text_of(data: bytes, rel: str) -> tuple[str | None, list[ContentError]]:
    """``read_text`` of the bytes ``data`` already read from the file ``rel``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [ContentError(rel, line, msg("the file is not UTF-8 text — save it again with the encoding UTF-8"))]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        if rel.endswith(".md"):
            return None, [ContentError(rel, 0, msg("the file is empty — a page starts with front matter: a line '---', then 'title: …', then '---'"))]
        return None, [ContentError(rel, 0, msg("the file is empty — restore its text (git keeps every version), or write [] for an empty list"))]
    found = control_character(text)
    if found:
        line, column, what = found
        return None, [ContentError(rel, line, invisible_character_message(column, what))]
    found = open_direction(text)
    if found:
        line, column, what = found
        return None, [ContentError(rel, line, open_direction_message(column, what))]
    return text, []


def too_large(size: int) -> Message:
    return (msg("the file is {size:.1f} MB; the limit is {limit} MB — split it into several files, or "
                "remove pasted data (images belong in static/)", size=size / 1024 / 1024, limit=MAX_FILE_BYTES // 1024 // 1024))


def page_files(content_dir: Path, root: Path) -> Found:
    """Every .md file under content/ (links to files inside the project included); links to
    folders are problems (the walk does not follow them, so their pages would be left out
    silently), and so is anything named .md that is not an ordinary file (sources/tree.py)."""
    return walk(content_dir, root, lambda name: name.endswith(".md"),
                folder_link=msg("a link to a folder — the pages in it would be left out; copy the folder in instead"))


Reader = Callable[[Path, Path], tuple[str | None, list[ContentError]]]
"""What reads a source file's text: ``read_text``, or the same over bytes read already (``KeptFiles``)."""

T = TypeVar("T")


class KeptFiles(Protocol):
    """What a build keeps of the files it read (sitegen/incremental/sources.py): ``get`` gives ``compute(read)``
    for the file ``path``, from the last build's result when the file's content (and ``kind``) is the same;
    ``by_content`` the same for a function of bytes read already; ``by_status`` for a function of a file's bytes that
    is kept by the file's status (incremental/stamped.py)."""

    def get(self, kind: tuple[str, ...], path: Path, root: Path, compute: Callable[[Reader], T]) -> T: ...

    def by_content(self, kind: tuple[str, ...], rel: str, data: bytes, compute: Callable[[], T]) -> T: ...

    def by_status(self, kind: str, rel: str, status: tuple[int, int, int, int, int], taken: int, compute: Callable[[], T]) -> T: ...


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


def load_page(path: Path, root: Path, languages: list[str], memo: ParseMemo | None = None,
              kept: KeptFiles | None = None, read: Reader = read_text) -> tuple[SourcePage | None, list[ContentError]]:
    """One page, or its problems. Never raises for bad content: a failure nobody foresaw is
    still reported against the file."""
    if memo is not None:
        return memo.get(f"page:{','.join(languages)}", path, lambda: load_page(path, root, languages))  # type: ignore[no-any-return]
    if kept is not None:
        return kept.get(("page", *languages), path, root, lambda reader: _guarded_page(path, root, languages, reader, kept))
    return _guarded_page(path, root, languages, read)


def _guarded_page(path: Path, root: Path, languages: list[str], read: Reader, kept: KeptFiles | None = None,
                  ) -> tuple[SourcePage | None, list[ContentError]]:
    try:
        return _load_page(path, root, languages, read, kept)
    except Exception as exc:  # noqa: BLE001 - an editor must see the file, never a traceback
        return None, [unexpected(relative(path, root), exc)]


def unexpected(rel: str, exc: BaseException) -> ContentError:
    """A problem this engine did not foresee, still reported against the file that caused it."""
    return ContentError(rel, 0, msg("cannot read this file ({name}: {exc}) — check it for unusual characters or structure, and report "
                                    "this message to the site's developers", name=type(exc).__name__, exc=exc))


def _load_page(path: Path, root: Path, languages: list[str], read: Reader, kept: KeptFiles | None = None,
               ) -> tuple[SourcePage | None, list[ContentError]]:
    """One page, or its problems. ``kept``: its front matter's reading and validation are taken from the last build when
    the front matter's text is the same (only the text below it was edited: no YAML parser, no pydantic model)."""
    rel = relative(path, root)
    if path.is_dir():
        return None, [ContentError(rel, 0, msg("a link to a folder — the pages in it would be left out; copy the folder in instead"))]
    name = PAGE_NAME.match(path.name)
    if not name:
        return None, [ContentError(rel, 0, msg("a page's file name must end in .<language>.md ({items})", items=', '.join(f'.{code}.md' for code in languages)))]
    lang = name["lang"]
    if lang not in languages:
        return None, [ContentError(rel, 0, msg("language code '{lang}' is not configured in data/site.yaml (configured: {languages}) — rename the "
                                               "file or add the language", lang=lang, languages=', '.join(languages)))]
    folder = relative(path.parent, root / "content")
    parts = [] if folder == "." else folder.split("/")
    if name["stem"] != "index":
        parts.append(name["stem"])
    bad = [p for p in parts if not KEY_SEGMENT.match(p)]
    if bad:
        return None, [ContentError(rel, 0, msg("'{bad}' cannot be part of a web address — name files and folders with lowercase Latin letters, "
                                               "digits and hyphens", bad=bad[0]))]
    text, problems = read(path, root)
    if text is None:
        return None, problems
    if not FRONT_MATTER_BOUNDARY.match(text):
        if FRONT_MATTER_BOUNDARY.match(text.lstrip()):
            line = len(text) - len(text.lstrip("\n")) + 1
            return None, [ContentError(rel, line, msg("the front matter must begin on the first line — delete the empty lines above '---'"))]
        return None, [ContentError(rel, 1, msg("the page has no front matter — start the file with a line '---', then 'title: …', then '---'"))]
    try:
        _, raw_meta, body = FRONT_MATTER_BOUNDARY.split(text, 2)
    except ValueError:
        return None, [ContentError(rel, 1, msg("the front matter is not closed — add a line '---' after its last field"))]
    front = partial(_front_matter, raw_meta, rel, languages)
    meta, meta_lines, problems = (kept.by_content(("front matter", *languages), rel, raw_meta.encode("utf-8"), front)
                                  if kept is not None else front())
    if problems:
        return None, problems
    body_line = text[: len(text) - len(body)].count("\n") + 1 if body else text.count("\n") + 1
    return (
        SourcePage(
            path=rel,
            key="/".join(parts),
            lang=lang,
            meta=meta,
            meta_lines=meta_lines,
            body=body,
            body_line=body_line,
        ),
        [],
    )


def _front_matter(raw_meta: str, rel: str, languages: list[str]) -> tuple[Any, dict[str, int], list[ContentError]]:
    """(the validated front matter, the line of each of its keys, problems) of the page ``rel`` whose front matter's text
    is ``raw_meta``: a function of these alone."""
    from sitegen.sources.schema import FrontMatter, validate  # pydantic: only when a front matter is read

    meta_raw, problems = parse_yaml(raw_meta, rel)
    if problems:
        return None, {}, problems
    if meta_raw is None:
        meta_raw = {}
    if not isinstance(meta_raw, dict):
        return None, {}, [ContentError(rel, 2, msg("the front matter must be fields written as 'name: value', one per line"))]
    meta, problems = validate(FrontMatter, meta_raw, rel, languages)
    if problems:
        return None, {}, problems
    return record_of(meta), dict(getattr(meta_raw, "key_lines", {})), []


def load_yaml_file(path: Path, root: Path, memo: ParseMemo | None = None, kept: KeptFiles | None = None,
                   read: Reader = read_text) -> tuple[Any, list[ContentError]]:
    """A YAML file as read (LineDict/LineList), or its problems. The result is shared through
    ``memo``: nothing may change it."""
    if memo is not None:
        return memo.get("yaml", path, lambda: load_yaml_file(path, root))  # type: ignore[no-any-return]
    if kept is not None:
        return kept.get(("yaml",), path, root, lambda reader: load_yaml_file(path, root, read=reader))
    try:
        text, problems = read(path, root)
        if text is None:
            return None, problems
        return parse_yaml(text, relative(path, root))
    except Exception as exc:  # noqa: BLE001 - an editor must see the file, never a traceback
        return None, [unexpected(relative(path, root), exc)]


def data_files(data_dir: Path, root: Path) -> tuple[dict[str, Path], list[ContentError]]:
    """data/<name>.yaml by name (top level only; subfolders are collections of their own)."""
    found = walk(data_dir, root, lambda name: name.endswith((".yaml", ".yml")) and name.rsplit(".", 1)[0] != "site",
                 recurse=False, folder_link=msg("a link to a folder — copy the folder in instead"))
    return {path.stem: path for path in found.files}, found.problems


def string_files(strings_dir: Path, root: Path) -> tuple[dict[str, Path], list[ContentError]]:
    if not strings_dir.is_dir():
        return {}, []
    found = walk(strings_dir, root, lambda name: name.endswith(".yaml"), recurse=False,
                 folder_link=msg("a link to a folder — copy the folder in instead"))
    return {path.stem: path for path in found.files}, found.problems
