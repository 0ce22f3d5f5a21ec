"""The TODO markers that ``new project`` and ``new page`` write (tools/scaffold.py): every one left
in the cohorts, the projects' text files and the pages is a problem at its line, so a half-written
entry is never published."""

from __future__ import annotations

import re
from typing import Any

from sitegen.errors import ContentError
from sitegen.messages import msg
from sitegen.sources.cohorts import BodyFile, Origin
from sitegen.sources.yamlfile import LineDict

TODO = re.compile(r"\bTODO\b")

HINTS = {
    "title": msg("write the project's title"),
    "summary": msg("write a short summary (one or two sentences)"),
    "body": msg("write the project's text, or delete 'body' (it is optional)"),
    "partners": msg("write the partner organisation's name"),
    "label": msg("write the link's text"),
    "url": msg("write the link's address"),
    "image_alt": msg("describe what the picture shows"),
    "name": msg("write the name"),
    "role": msg("write the role"),
}


def todo_markers(sources: Any, bodies: dict[tuple[str, str], BodyFile], places: list[Origin]) -> list[ContentError]:
    """Every TODO left in the cohorts, in projects' text files and in pages, at its line."""
    problems = []
    for origin in places:
        problems += [ContentError(origin.path, line, msg("'{field}' still says TODO — {hint}", field=field, hint=HINTS.get(field, msg('replace it with the text'))))
                     for line, field in _todos(origin.raw, "", getattr(origin.raw, "line", 0), sources.config.codes)]
    for body in bodies.values():
        for number, line in enumerate(body.text.splitlines(), 1):
            if TODO.search(line):
                problems.append(ContentError(body.path, number, msg("the text still says TODO — write the project's text (or delete the file: the text is optional)")))
    for page in sources.pages:
        for field in ("title", "description"):
            if TODO.search(getattr(page.meta, field) or ""):
                what = msg("title") if field == "title" else msg("description (a sentence for search engines and link previews)")
                problems.append(ContentError(page.path, page.meta_lines.get(field, 1), msg("'{field}' still says TODO — write the page's {what}", field=field, what=what)))
        for number, line in enumerate(page.body.splitlines()):
            if TODO.search(line):
                problems.append(ContentError(page.path, page.body_line + number, msg("the text still says TODO — write the page's text")))
    return problems


def _todos(value: Any, field: str, line: int, codes: list[str]) -> list[tuple[int, str]]:
    """(line, field) of every text holding TODO inside a value read by yamlfile."""
    if isinstance(value, str):
        return [(line, field)] if TODO.search(value) else []
    found = []
    if isinstance(value, dict):
        is_text = bool(value) and all(k in codes for k in value)
        for key, item in value.items():
            key_line = value.key_lines.get(key, line) if isinstance(value, LineDict) else line
            found += _todos(item, field if is_text else str(key), key_line, codes)
    elif isinstance(value, list):
        lines = getattr(value, "item_lines", [])
        for i, item in enumerate(value):
            found += _todos(item, field, lines[i] if i < len(lines) else line, codes)
    return found


