"""YAML reading that keeps line numbers and refuses what PyYAML would silently accept.

PyYAML keeps the last of two equal keys without a word, drops an anchor (``&x``) from the
start of a value, reads ``no:`` as the key False, and its parse errors speak of tokens and
streams. Editors get instead: duplicate keys, anchors, aliases and merge keys as errors,
keys always read as text, invisible control characters refused, and parse errors that
name the line and say how to write the value.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from sitegen.errors import ContentError
from sitegen.messages import Message, msg

if TYPE_CHECKING:
    import yaml

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
"""Characters no text of the site should hold: C0/C1 control characters (tab and line feed
excepted), line/paragraph separators, lone surrogates and non-characters. They are invisible
in an editor, come with pasted text, and break YAML or the HTML."""

_BLOCK_ADVICE = msg(
    "write the whole text as a block: put `>-` after the colon and the text on the next line, "
    "indented by two more spaces"
)


class LineDict(dict[str, Any]):
    """A mapping read from YAML that remembers the line of each key (``key_lines``)."""

    key_lines: dict[Any, int]
    line: int


class LineList(list[Any]):
    """A sequence read from YAML that remembers the line of each item (``item_lines``)."""

    item_lines: list[int]
    line: int


def control_character(text: str) -> tuple[int, int, str] | None:
    """(line, column, description) of the first CONTROL character in ``text``, or None."""
    found = CONTROL.search(text)
    if not found:
        return None
    index = found.start()
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column, describe_character(found.group())


_EMBEDDINGS = "\u202a\u202b\u202d\u202e"  # LRE, RLE, LRO, RLO: closed by PDF (U+202C)
_ISOLATES = "\u2066\u2067\u2068"  # LRI, RLI, FSI: closed by PDI (U+2069)
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def open_direction(text: str) -> tuple[int, int, str] | None:
    """(line, column, description) of the first direction embedding, override or isolate that its line
    never closes (Unicode's bidi algorithm: PDF closes the first four, PDI the isolates), or None.

    Left open, U+202E turns around everything after it up to the end of its paragraph: in a title, the
    rest of the browser's title bar ("a Trojan Source" in code reviews). Marks such as U+200F are fine."""
    if not _DIRECTION_CONTROLS.search(text):
        return None
    for number, line in enumerate(text.split("\n"), 1):
        stack: list[tuple[str, int]] = []
        for match in _DIRECTION_CONTROLS.finditer(line):
            char, column = match.group(), match.start() + 1
            if char in _EMBEDDINGS or char in _ISOLATES:
                stack.append((char, column))
            elif char == "\u202c" and stack and stack[-1][0] in _EMBEDDINGS:
                stack.pop()
            elif char == "\u2069" and any(c in _ISOLATES for c, _ in stack):
                while stack.pop()[0] not in _ISOLATES:
                    pass
        if stack:
            return number, stack[0][1], describe_character(stack[0][0])
    return None


def open_direction_message(column: int, what: str) -> Message:
    return (msg("an invisible character, {what}, at column {column}, turns the direction of the text after it and is "
                "never closed — delete it (such characters come with text pasted from other programs)", what=what, column=column))


def describe_character(char: str) -> str:
    """'U+202E (right-to-left override)': the code and Unicode's name (a name of its own, left in English), or what it is."""
    try:
        return f"U+{ord(char):04X} ({unicodedata.name(char).lower()})"
    except ValueError:
        what = msg("a control character") if ord(char) < 0xD800 else msg("a broken character")
        return msg("U+{code} ({what})", code=f"{ord(char):04X}", what=what)


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, list[ContentError]]:
    """Parse one YAML document. Returns (value, problems); value is None when it cannot be read.

    ``line_offset`` shifts reported lines, for YAML embedded in a file (front matter).
    Never raises for bad input: every failure is a ContentError with a line. PyYAML's loaders are in yamlparse.py,
    imported here, when a file is parsed: a build that parses none (every file kept, incremental/sources.py) does not
    import PyYAML.
    """
    found = control_character(text)
    if found:
        line, column, what = found
        return None, [ContentError(path, line + line_offset, invisible_character_message(column, what), stops_reading=True)]
    from sitegen.sources import yamlparse

    return yamlparse.parse(text, path, line_offset)


def invisible_character_message(column: int, what: str) -> Message:
    return (
        msg("an invisible character, {what}, at column {column} — delete it (such characters come with text "
            "pasted from other programs)", what=what, column=column)
    )


_SPECIAL_STARTS = {
    "*": msg("a reference to another value (an alias)"),
    "&": msg("the name of an anchor"),
    "!": msg("a type tag"),
    "%": msg("a directive"),
    "@": msg("a reserved character"),
    "`": msg("a reserved character"),
    "[": msg("the start of a list"),
    "{": msg("the start of a mapping"),
    "|": msg("the start of a block, whose text must begin on the next line"),
    ">": msg("the start of a block, whose text must begin on the next line"),
}


def _explain(exc: yaml.MarkedYAMLError, text: str, path: str, line_offset: int) -> ContentError:
    """Turn PyYAML's parser vocabulary into a message an editor can act on."""
    mark = exc.problem_mark or exc.context_mark
    line_index = mark.line if mark else 0
    lines = text.splitlines()
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    # PyYAML often notices a bad line one line later (at the next token): look back too.
    candidates = [i for i in (line_index, line_index - 1) if 0 <= i < len(lines)]
    special = _special_start(lines[line_index]) if 0 <= line_index < len(lines) else ""

    if "\t" in problem or "'\\t'" in problem:
        message = msg("a tab character — YAML indentation must use spaces, not tabs")
    elif any(_value_starts_with_quote(lines[i]) for i in candidates):
        line_index = next(i for i in candidates if _value_starts_with_quote(lines[i]))
        message = (
            msg("this value begins with a quotation mark, so YAML reads only up to the matching one and the rest of "
                "the text breaks the file — {advice} (quotation marks inside are then kept exactly)", advice=_BLOCK_ADVICE)
        )
    elif "quoted scalar" in context and "end of stream" in problem:
        line_index = exc.context_mark.line if exc.context_mark else line_index
        message = msg("a quotation mark is opened here and never closed — close it, or write the text as a block with `>-`")
    elif "constructor for the tag" in problem:
        tag = problem.rsplit("tag ", 1)[-1].replace("tag:yaml.org,2002:", "!!")
        message = msg("the tag {tag} is not allowed here — remove it (or, if the text begins with '!', {advice})", tag=tag, advice=_BLOCK_ADVICE)
    elif special:
        message = msg("this value begins with '{special}', which YAML reads as {meaning} — {advice}", special=special, meaning=_SPECIAL_STARTS[special], advice=_BLOCK_ADVICE)
    elif any(_one_space_more(lines, i) for i in candidates) and ("mapping values" in problem or "expected <block end>" in problem):
        line_index = next(i for i in candidates if _one_space_more(lines, i))
        message = (msg("this line is indented by one space more than its siblings — line it up with them (a commented "
                       "example whose '#' alone was deleted leaves this: delete the space after it too)"))
    elif "sequence entries are not allowed" in problem:
        message = msg("this value begins with '- ', which YAML reads as a list — {advice}, or start the list on the "
                      "next line", advice=_BLOCK_ADVICE)
    elif "mapping values are not allowed" in problem:
        message = msg("a colon followed by a space inside a value — write the value in quotes, or as a block with `>-`")
    elif "indentation" in problem or "expected <block end>" in problem or "did not find expected" in problem:
        message = msg("the indentation does not line up — indent the items of one list or mapping by the same number of "
                      "spaces")
    else:
        message = msg("cannot read YAML: {value} — check this line's indentation and punctuation", value=problem or context)
    return ContentError(path, line_index + 1 + line_offset, message)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _one_space_more(lines: list[str], index: int) -> bool:
    """True when line ``index`` is indented exactly one space more than the sibling before it (the nearest earlier
    line indented as much or less, when that line opens no block of its own)."""
    line = lines[index]
    if not line.strip() or line.lstrip().startswith("#"):
        return False
    for earlier in reversed(lines[:index]):
        if not earlier.strip() or earlier.lstrip().startswith("#") or _indent(earlier) > _indent(line):
            continue
        opens = re.search(r":\s*(?:[|>][-+0-9]*)?\s*(?:#.*)?$", earlier) is not None
        return _indent(line) == _indent(earlier) + 1 and not opens
    return False


def _value_of(line: str) -> str:
    """The value written on a line `key: value` or `- value` ('' if none)."""
    stripped = line.strip()
    if stripped.startswith("- "):
        value = stripped[2:].lstrip()
        return _value_of(value) if re.match(r"^[^\s\"']+:\s", value) else value
    if ": " in stripped:
        return stripped.split(": ", 1)[1].lstrip()
    return ""


def _special_start(line: str) -> str:
    """The character of _SPECIAL_STARTS that begins the value on ``line``, or ''."""
    value = _value_of(line)
    char = value[:1]
    if char not in _SPECIAL_STARTS:
        return ""
    if char in "|>" and not re.match(r"^[|>][-+0-9]*\s+[^#\s]", value):
        return ""  # a block header such as `>-` is right; only text after it on the same line is wrong
    return char


def _value_starts_with_quote(line: str) -> bool:
    """True for `key: "quoted" and more` or `- "quoted" and more`: a quoted start followed by more text."""
    value = _value_of(line)
    if not value or value[0] not in "\"'":
        return False
    quote = value[0]
    closing = value.find(quote, 1)
    while quote == "'" and closing != -1 and value[closing + 1 : closing + 2] == "'":
        closing = value.find(quote, closing + 2)
    rest = value[closing + 1 :].strip() if closing != -1 else ""
    return closing != -1 and rest != "" and not rest.startswith("#")


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
