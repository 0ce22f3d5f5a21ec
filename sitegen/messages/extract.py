"""Finds every message template in the engine and brings the catalogues up to date.

``python -m sitegen.messages.extract`` reads sitegen/**/*.py, finds each ``msg("…", …)`` call, and
rewrites every catalogue (sitegen/messages/<code>.po): a new template is added with an empty
translation (to be written), a template no longer in the code is dropped, and each entry lists where
the code uses it. tests/test_messages.py fails while a translation is empty, differs in its
placeholders, or a ``msg`` is given anything but a literal template.
"""

from __future__ import annotations

import ast
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.messages import CATALOGUES

ENGINE = CATALOGUES.parent
HEADER = """\
# The engine's messages in this language: msgid is the English template, msgstr its translation.
# Brought up to date by: python -m sitegen.messages.extract (docs/engine.md: "Adding a message").
msgid ""
msgstr ""
"Language: {language}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"

"""


@dataclass
class Found:
    templates: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    """template → where it is used (file relative to the repository, line)."""
    not_literal: list[tuple[str, int]] = field(default_factory=list)
    """msg(...) calls whose template is not a literal string (an f-string, a variable): untranslatable."""


def _is_msg(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Name) and func.id == "msg") or (isinstance(func, ast.Attribute) and func.attr == "msg")


def find_templates(engine: Path = ENGINE) -> Found:
    found = Found()
    for path in sorted(engine.rglob("*.py")):
        rel = path.relative_to(engine.parent).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _is_msg(node):
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.templates.setdefault(first.value, []).append((rel, node.lineno))
                else:
                    found.not_literal.append((rel, node.lineno))
    return found


def update_catalogues(found: Found) -> list[Path]:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    written = []
    for path in sorted(CATALOGUES.glob("*.po")):
        with path.open("rb") as stream:
            old = read_po(stream, locale=path.stem)
        new = Catalog(locale=path.stem)
        for template in sorted(found.templates):
            before = old.get(template)
            files = sorted({rel for rel, _line in found.templates[template]})
            places: list[tuple[str, Any]] = [(rel, None) for rel in files]  # files only: line numbers would change with every edit
            new.add(template, before.string if before else "", locations=places,
                    auto_comments=before.auto_comments if before else ())
        body = io.BytesIO()  # no dates nor line numbers: the file changes only when a message does
        write_po(body, new, width=0, omit_header=True, sort_output=True, include_previous=False, include_lineno=False)
        path.write_bytes(HEADER.format(language=path.stem).encode() + body.getvalue())
        written.append(path)
    return written


def main() -> int:
    found = find_templates()
    for rel, line in found.not_literal:
        print(f"{rel}:{line}: msg() needs a literal template (a string, not an f-string): put the values in placeholders", file=sys.stderr)
    for path in update_catalogues(found):
        print(f"updated {path.relative_to(ENGINE.parent)} ({len(found.templates)} templates)")
    return 1 if found.not_literal else 0


if __name__ == "__main__":
    raise SystemExit(main())
