"""The placeholders of the interface strings (data/strings/<code>.yaml).

A few strings hold a number the engine fills in: ``projects_count_other: "{count} projects"``. Editors write
these texts, so they are never given to ``str.format`` (``Projects {2025}`` or a lone ``{`` raised a traceback,
``{count:>200000000}`` made a 955 MB site): each key has a fixed set of placeholders, written ``{name}`` and
nothing else; a brace meant as text is written twice (``{{``, ``}}``). Anything else is a problem at its line,
and ``fill`` replaces only known names.
"""

from __future__ import annotations

import re
from typing import Any

from sitegen.errors import ContentError
from sitegen.messages import Message, msg

PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "projects_count_other": ("count",),
    "quotes_count_other": ("count",),
    "page_x_of_y": ("page", "pages"),
    "cohort_description": ("cohort",),
    "ministry_projects_description": ("term",),
    "topic_projects_description": ("term",),
}
"""The placeholders each string may hold; every other string holds none."""

_BRACE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def placeholder_problems(strings: dict[str, str], key_lines: dict[str, int], path: str) -> list[ContentError]:
    """One problem for each string whose braces are not its key's placeholders, at the key's line."""
    problems = []
    for key, text in strings.items():
        message = placeholder_problem(key, text)
        if message is not None:
            problems.append(ContentError(path, key_lines.get(key, 1), message))
    return problems


def placeholder_problem(key: str, text: str) -> Message | None:
    allowed = PLACEHOLDERS.get(key, ())
    for match in _BRACE.finditer(text):
        token, name = match.group(), match.group(1)
        if token in ("{{", "}}") or (name is not None and name in allowed):
            continue
        if name is None:
            return (msg("a lone '{token}' in '{key}' — remove it, or write it twice ('{token2}') to show it as text (braces "
                        "mark the numbers the site fills in)", token=token, key=key, token2=token * 2))
        if allowed:
            names = ", ".join("{" + n + "}" for n in allowed)
            return (msg("'{token}' is not a placeholder of '{key}', which takes {names} — write one of these, or double the "
                        "braces ('{{{token}}}') to show them as text", token=token, key=key, names=names))
        return (msg("'{token}' is not a placeholder: '{key}' takes none — remove the braces, or double them "
                    "('{{{token}}}') to show them as text", token=token, key=key))
    return None


def fill(text: Any, **values: Any) -> str:
    """``text`` with its placeholders replaced by ``values`` and doubled braces made single; anything else is left
    as it is (placeholder_problem has refused it)."""

    def replace(match: re.Match[str]) -> str:
        token, name = match.group(), match.group(1)
        if token in ("{{", "}}"):
            return token[0]
        if name is not None and name in values:
            return str(values[name])
        return token

    return _BRACE.sub(replace, str(text))
