"""PyYAML's loaders as the engine reads YAML (sources/yamlfile.py ``parse_yaml``: its rules, lines and messages).

A module of its own so that PyYAML is imported only when a file is parsed: a build in which every file's result is
kept (incremental/sources.py) imports neither it nor its reader's large character class (~0.03 s of CPU).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from sitegen.errors import ContentError
from sitegen.messages import Message, msg
from sitegen.sources.yamlfile import _BLOCK_ADVICE, CONTROL, LineDict, LineList, _explain, describe_character, open_direction

try:
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    CParser = Parser  # type: ignore[misc, assignment]
FAST = CParser is not Parser
"""Whether libyaml (PyYAML's C parser) is there (the wheels ship it); without it the pure-Python loader reads everything."""

_MERGE_TAG = "tag:yaml.org,2002:merge"
_PLAIN_KEY_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("bool", "int", "float", "null", "timestamp")}

MAX_DIGITS = 30
"""The most digits of a whole number in YAML (weights, counts, years need a few)."""


class _Constructing(SafeConstructor):
    """The constructors both parsers share: LineDict/LineList, keys read as text, and what PyYAML lets pass
    reported as problems with their lines."""

    def _start(self, path: str, line_offset: int) -> None:
        self.problems: list[ContentError] = []
        self.refused = 0
        """Aliases (left out) and texts with control characters met: the document is refused as a whole,
        so that nothing downstream works on, or quotes, what the editor did not mean."""
        self.path = path
        self.line_offset = line_offset

    def _line(self, node_or_event: Any) -> int:
        return int(node_or_event.start_mark.line) + 1 + self.line_offset

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        merges = [pair for pair in node.value if pair[0].tag == _MERGE_TAG]
        for key_node, _ in merges:
            self.problems.append(
                ContentError(self.path, self._line(key_node), msg("'<<' (a YAML merge key) is not supported — write the fields out in full"))
            )
        result = LineDict()
        result.key_lines = {}
        result.line = self._line(node)
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            line = self._line(key_node)
            # A plain (unquoted) key: its style is None from the pure-Python parser and '' from libyaml.
            if isinstance(key_node, ScalarNode) and not key_node.style and key_node.tag in _PLAIN_KEY_TAGS:
                key: Any = key_node.value  # `no:`, `1:` or `2024-01-01:` is a name, not a yes/no, number or date
            else:
                key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                self.problems.append(ContentError(self.path, line, msg("a key must be a plain word — remove the brackets or braces around it")))
                continue
            if key in result:
                first = result.key_lines[key]
                self.problems.append(
                    ContentError(
                        self.path,
                        line,
                        msg("duplicate key '{key}' (first at line {first}) — YAML keeps only one of them; delete or rename one", key=key, first=first),
                    )
                )
                continue
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = line
        return result

    def construct_sequence(self, node: Node, deep: bool = False) -> LineList:  # type: ignore[override]
        result = LineList(self.construct_object(child, deep=True) for child in node.value)  # type: ignore[attr-defined]
        result.item_lines = [self._line(child) for child in node.value]  # type: ignore[attr-defined]
        result.line = self._line(node)
        return result

    def construct_text(self, node: ScalarNode) -> str:
        value = self.construct_scalar(node)
        found = CONTROL.search(value)
        if found:  # only an escape in a quoted value ("\0", "\x07", "\ud800") can bring one here
            self.refused += 1
            self.problems.append(
                ContentError(
                    self.path,
                    self._line(node),
                    msg("this text holds an invisible character, {describe_character}, written as an escape with '\\' — "
                        "remove the escape", describe_character=describe_character(found.group())),
                )
            )
        elif open_direction(value):  # only an escape ("\u202e") can bring one here: read_text checks the file's own
            self.refused += 1
            _, _, what = open_direction(value)  # type: ignore[misc]
            self.problems.append(ContentError(self.path, self._line(node), msg("this text holds an invisible character, {what}, written as an escape with '\\', that turns the "
                                                                               "direction of the text after it and is never closed — remove the escape", what=what)))
        return str(value)

    def construct_whole_number(self, node: ScalarNode) -> Any:
        """A whole number; one of more than MAX_DIGITS digits is a problem at its line (Python refuses to read one of
        more than 4,300, with a developer's ValueError, and no field takes more than a few)."""
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_DIGITS:
            self.refused += 1
            self.problems.append(ContentError(self.path, self._line(node), msg(
                "this number has {digits:,} digits; no field takes more than {limit} — write a smaller number (or, if it is "
                "meant as text, put it in quotes)", digits=digits, limit=MAX_DIGITS)))
            return None
        return self.construct_yaml_int(node)

    def construct_timestamp(self, node: ScalarNode) -> Any:
        """A date YAML recognises by its shape (2025-13-01 too): an impossible one is a problem at its line."""
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError as exc:
            self.refused += 1
            self.problems.append(ContentError(self.path, self._line(node),
                                              msg("'{value}' is not a real date ({exc}) — write it as YYYY-MM-DD, e.g. 2025-01-31", value=node.value, exc=exc)))
            return None


_Constructing.add_constructor("tag:yaml.org,2002:int", _Constructing.construct_whole_number)  # type: ignore[type-var]
_Constructing.add_constructor("tag:yaml.org,2002:timestamp", _Constructing.construct_timestamp)  # type: ignore[type-var]
_Constructing.add_constructor("tag:yaml.org,2002:map", _Constructing.construct_mapping)  # type: ignore[type-var]
_Constructing.add_constructor("tag:yaml.org,2002:seq", _Constructing.construct_sequence)  # type: ignore[type-var]
_Constructing.add_constructor("tag:yaml.org,2002:str", _Constructing.construct_text)  # type: ignore[type-var]
_Constructing.yaml_constructors = {  # types no field of this site takes: refused like every other tag
    tag: constructor for tag, constructor in _Constructing.yaml_constructors.items()
    if tag not in {f"tag:yaml.org,2002:{name}" for name in ("binary", "set", "omap", "pairs")}
}


class _Loader(Reader, Scanner, Parser, Composer, _Constructing, Resolver):
    """PyYAML's pure-Python parser (as yaml.SafeLoader), which also reports anchors and aliases, and whose
    errors _explain knows how to put in an editor's words."""

    def __init__(self, stream: str, path: str, line_offset: int):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._start(path, line_offset)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:  # type: ignore[override]
        # Anchors (&x) and aliases (*x) are never needed in our files; PyYAML would drop an
        # anchor from the start of a value, and aliases can expand into huge documents.
        if self.check_event(AliasEvent):
            event = self.get_event()
            self.refused += 1
            self._special_start(event, "*", msg("a reference to another value (an alias)"))
            return ScalarNode("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
        event = self.peek_event()
        if isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.anchor is not None:
            self._special_start(event, "&", msg("the name of an anchor, and drops it"))
        return super().compose_node(parent, index)  # type: ignore[no-any-return]

    def _special_start(self, event: Any, char: str, meaning: Message) -> None:
        self.problems.append(
            ContentError(
                self.path,
                self._line(event),
                msg("this value begins with '{char}', which YAML reads as {meaning} — {advice}, or put the value "
                    "in quotes", char=char, meaning=meaning, advice=_BLOCK_ADVICE),
            )
        )


class _FastLoader(CParser, _Constructing, Resolver):  # type: ignore[misc]
    """libyaml's parser (as yaml.CSafeLoader; ~10x faster on big files) with the same constructors, so the
    same values, lines and problems. Used only for documents it reads without an error and that hold no
    anchor or alias (see parse_yaml): the pure-Python loader reads the others and says what is wrong."""

    def __init__(self, stream: str, path: str, line_offset: int):
        CParser.__init__(self, stream)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._start(path, line_offset)


def _has_anchor_or_alias(text: str) -> bool:
    """True when the document has an anchor or an alias, or libyaml cannot read it to the end."""
    if "&" not in text and "*" not in text:  # both are written with these characters
        return False
    loader = CParser(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
                return True
    except yaml.YAMLError:
        return True
    finally:
        loader.dispose()
    return False


def _read_fast(text: str, path: str, line_offset: int) -> tuple[Any, list[ContentError]] | None:
    """(value, problems) as parse_yaml returns them, read by libyaml; None when the pure-Python loader must read it."""
    if not FAST or _has_anchor_or_alias(text):
        return None
    loader = _FastLoader(text, path, line_offset)
    try:
        value = loader.get_single_data()
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()
    return (None if loader.refused else value), loader.problems


def parse(text: str, path: str, line_offset: int = 0) -> tuple[Any, list[ContentError]]:
    """``parse_yaml`` of a text without control characters (yamlfile.py checks them first)."""
    fast = _read_fast(text, path, line_offset)
    if fast is not None:
        return fast
    loader = _Loader(text, path, line_offset)
    try:
        value = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        return None, [replace(_explain(exc, text, path, line_offset), stops_reading=True)]
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors are caught above, the rest are marked
        return None, [ContentError(path, 1 + line_offset, msg("cannot read YAML: {exc}", exc=exc), stops_reading=True)]
    except RecursionError:
        return None, [ContentError(path, 1 + line_offset, msg("lists or mappings are nested too deeply to read — flatten the structure"),
                                   stops_reading=True)]
    finally:
        loader.dispose()
    return (None if loader.refused else value), loader.problems


