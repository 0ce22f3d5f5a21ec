"""YAML reading that keeps line numbers and refuses what PyYAML would silently accept.

PyYAML keeps the last of two equal keys without a word, and its parse errors speak of
tokens and streams. Editors get instead: duplicate keys as errors, and parse errors that
name the line and say how to write the value.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node

from .errors import ContentError


class LineDict(dict[str, Any]):
    """A mapping read from YAML that remembers the line of each key (``key_lines``)."""

    key_lines: dict[Any, int]
    line: int


class LineList(list[Any]):
    """A sequence read from YAML that remembers the line of each item (``item_lines``)."""

    item_lines: list[int]
    line: int


class _Loader(yaml.SafeLoader):
    """SafeLoader building LineDict/LineList and reporting duplicate keys."""

    def __init__(self, stream: str, path: str, line_offset: int):
        super().__init__(stream)
        self.problems: list[ContentError] = []
        self.path = path
        self.line_offset = line_offset

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        self.flatten_mapping(node)
        result = LineDict()
        result.key_lines = {}
        result.line = node.start_mark.line + 1 + self.line_offset
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1 + self.line_offset
            try:
                hash(key)
            except TypeError:
                self.problems.append(ContentError(self.path, line, "a key must be a plain word — remove the brackets or braces around it"))
                continue
            if key in result:
                first = result.key_lines[key]
                self.problems.append(
                    ContentError(
                        self.path,
                        line,
                        f"duplicate key '{key}' (first at line {first}) — YAML keeps only one of them; "
                        "delete or rename one",
                    )
                )
                continue
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = line
        return result

    def construct_sequence(self, node: Node, deep: bool = False) -> LineList:  # type: ignore[override]
        result = LineList(self.construct_object(child, deep=True) for child in node.value)  # type: ignore[attr-defined]
        result.item_lines = [child.start_mark.line + 1 + self.line_offset for child in node.value]  # type: ignore[attr-defined]
        result.line = node.start_mark.line + 1 + self.line_offset
        return result


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, list[ContentError]]:
    """Parse one YAML document. Returns (value, problems); value is None when it cannot be read.

    ``line_offset`` shifts reported lines, for YAML embedded in a file (front matter).
    """
    loader = _Loader(text, path, line_offset)
    try:
        value = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        return None, [_explain(exc, text, path, line_offset)]
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML parse error is marked
        return None, [ContentError(path, 1 + line_offset, f"cannot read YAML: {exc}")]
    finally:
        loader.dispose()
    return value, loader.problems


def _explain(exc: yaml.MarkedYAMLError, text: str, path: str, line_offset: int) -> ContentError:
    """Turn PyYAML's parser vocabulary into a message an editor can act on."""
    mark = exc.problem_mark or exc.context_mark
    line_index = mark.line if mark else 0
    lines = text.splitlines()
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    # PyYAML often notices a bad line one line later (at the next token): look back too.
    candidates = [i for i in (line_index, line_index - 1) if 0 <= i < len(lines)]

    if "\t" in problem or "'\\t'" in problem:
        message = "a tab character — YAML indentation must use spaces, not tabs"
    elif any(_value_starts_with_quote(lines[i]) for i in candidates):
        i = next(i for i in candidates if _value_starts_with_quote(lines[i]))
        line_index = i
        message = (
            "this value begins with a quotation mark, so YAML reads only up to the matching one and "
            "the rest of the text breaks the file — write the whole text as a block: put `>-` after the "
            "colon and the text on the next line, indented by two more spaces (quotation marks inside "
            "are then kept exactly)"
        )
    elif "quoted scalar" in context and "end of stream" in problem:
        start = exc.context_mark.line if exc.context_mark else line_index
        line_index = start
        message = "a quotation mark is opened here and never closed — close it, or write the text as a block with `>-`"
    elif "mapping values are not allowed" in problem:
        message = (
            "a colon followed by a space inside a value — write the value in quotes, or as a block with `>-`"
        )
    elif "indentation" in problem or "expected <block end>" in problem or "did not find expected" in problem:
        message = f"the indentation does not line up ({problem}) — indent items of one list or mapping by the same number of spaces"
    else:
        message = f"cannot read YAML: {problem or context}"
    return ContentError(path, line_index + 1 + line_offset, message)


def _value_starts_with_quote(line: str) -> bool:
    """True for `key: "quoted" and more` or `- "quoted" and more`: a quoted start followed by more text."""
    stripped = line.strip()
    if stripped.startswith("- "):
        value = stripped[2:].lstrip()
    elif ": " in stripped:
        value = stripped.split(": ", 1)[1].lstrip()
    else:
        return False
    if not value or value[0] not in "\"'":
        return False
    quote = value[0]
    closing = value.find(quote, 1)
    while quote == "'" and closing != -1 and value[closing + 1 : closing + 2] == "'":
        closing = value.find(quote, closing + 2)
    return closing != -1 and value[closing + 1 :].strip() not in ("", "#") and not value[closing + 1 :].lstrip().startswith("#")


def line_of(container: Any, key: Any, default: int = 0) -> int:
    """The line of ``key`` in a LineDict, or of item ``key`` in a LineList."""
    if isinstance(container, LineDict):
        return container.key_lines.get(key, getattr(container, "line", default))
    if isinstance(container, LineList) and isinstance(key, int) and 0 <= key < len(container.item_lines):
        return container.item_lines[key]
    return getattr(container, "line", default)


def line_at(root: Any, loc: tuple[Any, ...], default: int = 0) -> int:
    """The line of the deepest existing element along ``loc`` (a pydantic error location)."""
    line = getattr(root, "line", default)
    node = root
    for key in loc:
        if isinstance(node, dict) and key in node:
            line = line_of(node, key, line)
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            line = line_of(node, key, line)
            node = node[key]
        else:
            break
    return line
