"""Writes docs/errors.md: every message of the catalogue, in English and Hebrew, with the notes that explain them.

``python -m sitegen.messages.errorsdoc`` reads the message templates (the msgids of sitegen/messages/he.po, which
``python -m sitegen.messages.extract`` keeps in step with the code) and their Hebrew, adds the hand-written notes of
sitegen/messages/notes.yaml (keyed by template: a real example as printed, what it means, how to fix it), and writes
docs/errors.md. ``--check`` writes nothing and exits 1 when the file differs from what it would write;
tests/test_errors_doc.py does the same, so the document cannot drift from the code.

A note whose template is no longer in the catalogue is an error (its message was changed or removed: move the note
to the new template, or delete it), as is an example its template does not produce.
"""

from __future__ import annotations

import argparse
import re
import string
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from sitegen.messages import CATALOGUES

REPOSITORY = CATALOGUES.parent.parent
DOCUMENT = REPOSITORY / "docs" / "errors.md"
NOTES = CATALOGUES / "notes.yaml"
CATALOGUE = CATALOGUES / "he.po"

SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    # (heading, the modules whose messages it holds: a template goes to the section of the first file that uses it)
    ("Files, folders and names · קבצים, תיקיות ושמות",
     ("sitegen/sources/tree.py", "sitegen/sources/names.py", "sitegen/sources/files.py", "sitegen/sources/gather.py")),
    ("Writing YAML and data fields · כתיבת YAML ושדות הנתונים",
     ("sitegen/sources/yamlfile.py", "sitegen/sources/yamlparse.py", "sitegen/sources/schema.py", "sitegen/sources/cohorts.py",
      "sitegen/sources/strings.py", "sitegen/sources/config.py")),
    ("Pages, links, references and the catalogue · עמודים, קישורים, הפניות והקטלוג",
     ("sitegen/checks/", "sitegen/model/pages.py", "sitegen/model/markup.py", "sitegen/urls.py")),
    ("Pictures and static files · תמונות וקבצים סטטיים",
     ("sitegen/model/photos.py", "sitegen/model/svg.py", "sitegen/model/statichtml.py", "sitegen/model/assets.py",
      "sitegen/output/images.py", "sitegen/output/share.py")),
    ("Translations · תרגומים", ("sitegen/tools/staleness.py", "sitegen/tools/status.py")),
    ("Templates, the build, the commands and the preview · תבניות, הבנייה, הפקודות והתצוגה המקדימה", ("sitegen/",)),
]
SECTION_INTROS = {
    "Writing YAML and data fields · כתיבת YAML ושדות הנתונים":
        "Front matter and `data/*.yaml`. A key is always text (`no:`, `1:` or `2024-01-01:` are names, not a yes/no, a\n"
        "number or a date). One pitfall is not caught: ` #` starts a comment, so `title: מחזור #2` reads `מחזור`; write\n"
        "such a text with `>-`.\n",
}
"""A paragraph under a section's heading, before its messages."""
OTHER_TEXTS = "Other texts: summaries, and words put into the messages above · טקסטים אחרים"

INTRO = """\
# Errors you may see · הודעות שגיאה

For editors, and anyone who runs `python build.py`: every message the engine can print, in English and in Hebrew,
and for the common ones what they mean and how to fix them. Editors who want the short list first: the
[editors' guide](editing.md#הודעות-שגיאה-נפוצות) ([English](editing.md#error-messages)).

<!-- Written by `python -m sitegen.messages.errorsdoc` from sitegen/messages/he.po and sitegen/messages/notes.yaml:
     do not edit by hand (tests/test_errors_doc.py fails when this file is not what the command writes). -->

A build that finds problems prints every one of them, sorted, one per line, as `path:line: what is wrong — how
to fix it` (`path: …` when the whole file is concerned), then exits with status 1 and leaves the previous
`site/` exactly as it was. `python build.py check` prints the same lines and writes nothing. By default the
messages are in the site's first language — Hebrew here, from `sitegen/messages/he.po`, with the path, field
names, commands and quoted values as they are: `content/about.he.md:3: שדה לא מוכר 'weigth' — אולי התכוונתם
ל־'weight'?`; `--messages en` (or `MERHAV_MESSAGES=en`) prints them in English. The path and line come first, so
they stay at the start of the line in a right-to-left terminal; in the preview's error page every Latin run (a
path, a field, a quoted value) is isolated in a `<bdi>`. CI's annotations are in the same language as the lines.

Below, each message is its English template, then its Hebrew; `{name}` stands for what varies (a file, a field,
a value). Where a note follows, *e.g.* is real output (the tests assert it word for word; `…` stands for the part
that varies). A problem the engine did not foresee is still reported against its file (`…: cannot read this file
(…) — check it for unusual characters or structure, and report this message to the site's developers`), never as
a traceback; `tests/test_properties.py` feeds random values and bytes to every kind of file to keep it so.

Only ordinary files of the project are read. Editors' and systems' own files are never read nor published: names
that start with a dot (`.DS_Store`, `._x` from macOS, `.#x` Emacs locks, `.obsidian/`), backups ending in `~`,
`Thumbs.db`, `desktop.ini` — except `static/.well-known/`, `static/.htaccess` and `static/.nojekyll`, which hosts
read. Which HTML an editor may write inside Markdown, and what is removed: [engine.md](engine.md#raw-html-in-markdown).
"""


@dataclass(frozen=True)
class Entry:
    template: str
    hebrew: str
    files: tuple[str, ...]


class NotesError(Exception):
    """notes.yaml does not fit the catalogue."""


def read_catalogue(path: Path = CATALOGUE) -> list[Entry]:
    from babel.messages.pofile import read_po

    with path.open("rb") as stream:
        catalogue = read_po(stream, locale=path.stem)
    return [Entry(str(m.id), str(m.string), tuple(loc for loc, _line in m.locations)) for m in catalogue if m.id]


def read_notes(path: Path = NOTES) -> dict[str, list[dict[str, str]]]:
    notes = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(notes, dict):
        raise NotesError(f"{path.name}: a mapping of templates to lists of notes")
    return notes


def produces(template: str, example: str) -> bool:
    """Whether ``example`` (a printed line: a path and line first; '…' for what varies) ends in a message the template
    makes: the template's literal text in order, each placeholder any text, and a '…' of the example any text,
    a part of the literal text included."""
    parts = list(string.Formatter().parse(template))
    literals = [literal for literal, _name, _spec, _conversion in parts]
    ends_in_placeholder = parts[-1][1] is not None
    position = 0
    for index, literal in enumerate(literals):
        if not literal:
            continue
        found = example.find(literal, position)
        if found >= 0:
            position = found + len(literal)
            continue
        ellipsis = example.find("…", position)  # the literal is cut by the example's '…': the text before it begins
        if ellipsis < 0:                          # the literal (two signs at least), the text after it ends the literal
            return False
        before = example[position:ellipsis]
        if not any(before.endswith(literal[:size]) for size in range(min(2, len(literal)), len(literal) + 1)):
            return False
        after = example.find("…", ellipsis + 1)
        rest = example[ellipsis + 1 : after if after >= 0 else len(example)]
        last = index == len(literals) - 1
        if not (literal.endswith(rest) if last and after < 0 else rest in literal):
            return False
        position = ellipsis + 1 + len(rest)
    return ends_in_placeholder or position == len(example) or example[position:] == "…"


def section_of(entry: Entry) -> str:
    first = entry.files[0] if entry.files else ""
    for heading, prefixes in SECTIONS:
        if first.startswith(prefixes):
            return heading
    return SECTIONS[-1][0]


def is_problem(template: str) -> bool:
    """A message that says what is wrong and how to fix it (the others are summaries and words put into messages)."""
    return " — " in template


_MARKDOWN = re.compile(r"([\\`*_\[\]#|~!<>&])")


def plain(text: str) -> str:
    """Text shown as it is in Markdown (every sign that Markdown or HTML would read, escaped)."""
    return _MARKDOWN.sub(lambda m: {"<": "&lt;", ">": "&gt;", "&": "&amp;"}.get(m.group(1), "\\" + m.group(1)), text)


def code(text: str) -> str:
    """A code span that holds any text (one with backticks in it gets longer fences; a line break shown as ↵)."""
    text = text.replace("\n", " ↵ ")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or fence != "`" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def hebrew(text: str) -> str:
    text = text.replace("\n", " ↵ ")
    return f'<span dir="rtl" lang="he">{plain(text)}</span>' if text else "*(no Hebrew yet: run `python -m sitegen.messages.extract` and write it)*"


def render(entries: list[Entry], notes: dict[str, list[dict[str, str]]]) -> str:
    known = {e.template for e in entries}
    orphans = sorted(set(notes) - known)
    if orphans:
        raise NotesError("notes.yaml holds notes for templates the catalogue no longer has (move each note to the "
                         "message's new template, or delete it):\n  " + "\n  ".join(orphans))
    wrong = [f"{n['example']}\n    (template: {t})" for t, listed in notes.items() for n in listed if not produces(t, n["example"])]
    if wrong:
        raise NotesError("notes.yaml: these examples are not what their template prints:\n  " + "\n  ".join(wrong))
    by_section: dict[str, list[Entry]] = {heading: [] for heading, _ in SECTIONS}
    others: list[Entry] = []
    for entry in entries:
        (by_section[section_of(entry)] if is_problem(entry.template) else others).append(entry)
    out = [INTRO]
    out.append("\n".join(f"- [{heading}](#{github_slug(heading)})" for heading in [*by_section, OTHER_TEXTS]) + "\n")
    for heading, listed in by_section.items():
        out.append(f"## {heading}\n")
        if heading in SECTION_INTROS:
            out.append(SECTION_INTROS[heading])
        # noted messages first (the common ones), then the rest; each group in the catalogue's (alphabetical) order
        for entry in sorted(listed, key=lambda e: e.template not in notes):
            lines = [f"- {code(entry.template)}", f"  <br>{hebrew(entry.hebrew)}"]
            for note in notes.get(entry.template, []):
                lines.append(f"  <br>*e.g.* {code(note['example'])}: {note['means']}. **To fix it:** {note['fix']}.")
            out.append("\n".join(lines) + "\n")
    out.append(f"## {OTHER_TEXTS}\n")
    out.append("| English | עברית |\n|---|---|\n" + "".join(
        f"| {code(e.template).replace('|', chr(92) + '|')} | {hebrew(e.hebrew).replace(chr(92) + '|', '&#124;').replace('|', '&#124;')} |\n"
        for e in others))
    return "\n".join(out)


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading (github-slugger): lower case, punctuation and symbols dropped, spaces → '-'."""
    import unicodedata

    text = heading.strip().lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LMN")
    return kept.replace(" ", "-")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write docs/errors.md from the message catalogue and its notes.")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if docs/errors.md is not up to date")
    args = parser.parse_args(argv)
    try:
        text = render(read_catalogue(), read_notes())
    except NotesError as error:
        print(f"sitegen/messages/{error}", file=sys.stderr)
        return 1
    current = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.is_file() else None
    if args.check:
        if current != text:
            print("docs/errors.md is not up to date: run python -m sitegen.messages.errorsdoc", file=sys.stderr)
            return 1
        return 0
    if current != text:
        DOCUMENT.write_text(text, encoding="utf-8")
        print("wrote docs/errors.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
