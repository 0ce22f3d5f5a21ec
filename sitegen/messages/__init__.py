"""The messages an editor reads, in the editor's language (Hebrew or English).

A message is written in the code as its English *template* with named placeholders, and the values
that fill them::

    from sitegen.messages import msg

    ContentError(path, line, msg("the image '{image}' is not in static/ — put the file at static/{place}",
                                 image=image, place=image.lstrip("/")))

``msg`` returns a ``Message``: a ``str`` holding the English text (so code and tests that compare or
sort messages see the same text whatever the language), which also remembers its template and values.
Where a message reaches a person — the terminal, the preview's error page, a CI annotation — it is
shown with ``localized()``, in the language chosen by ``choose_language`` (see ``messages.language``):
the template is looked up in the catalogue of that language, ``sitegen/messages/<code>.po`` (a gettext
PO file read with Babel, whose msgid is the English template and msgstr its translation), and filled with
the same values. A value that is itself a Message is translated too.

English is the templates themselves: there is no en.po. A template with no translation is shown in
English (tests/test_messages.py fails while any template lacks one).
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

CATALOGUES = Path(__file__).resolve().parent
"""Where the catalogues are: <code>.po beside this file."""
ENGLISH = "en"

_language = ENGLISH


def placeholders(template: str) -> set[str]:
    """The names of a template's placeholders: {'image', 'place'} for "… '{image}' … static/{place}"."""
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name is not None}


class Message(str):
    """One message: its English text (the str), its template and its values."""

    template: str
    values: Mapping[str, Any]

    def __new__(cls, template: str, /, **values: Any) -> Message:
        missing = placeholders(template) - set(values)
        if missing:
            raise TypeError(f"message {template!r} needs the values {sorted(missing)}")
        self = super().__new__(cls, template.format(**values) if values else template)
        self.template = template
        self.values = values
        return self

    def __reduce__(self) -> Any:  # pickle: a Message between worker processes stays a Message
        return (_rebuild, (self.template, dict(self.values)))

    def localized(self, language: str | None = None, *, markup: bool = False) -> str:
        """The message in ``language`` (default: the chosen one). ``markup``: as HTML, every value
        escaped and wrapped in <bdi> so a Latin path or name reads right inside a Hebrew sentence."""
        language = language or _language
        template = translation(language, self.template) or self.template
        if markup:
            return _as_html(template, self.values, language)
        if template is self.template and not any(isinstance(v, Message) for v in self.values.values()):
            return str.__str__(self)
        return _Filler(language).format(template, **self.values) if self.values else template

    def plain(self) -> tuple[Any, ...]:
        """The message as plain data (caches admit no classes); ``from_plain`` makes it again."""
        return ("msg", self.template, {k: v.plain() if isinstance(v, Message) else v for k, v in self.values.items()})


class _Filler(string.Formatter):
    """Fills a template: a Message value in the same language, any other with its format."""

    def __init__(self, language: str):
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Message):
            return value.localized(self.language)
        return format(value, format_spec)


# Private-use characters stand for the values while the template's own text is isolated: a plain value (_SLOT)
# may be part of a Latin run ("static/{image}"); a Message value (_SENTENCE) is a sentence of its own, which ends one.
_SLOT, _SENTENCE = "\ue000", "\ue003"
_HEBREW = "\u0590-\u05ff\ufb1d-\ufb4f" + _SENTENCE
_LATIN_RUN = re.compile(rf"[^\s{_HEBREW}]+(?:[ ]+[^\s{_HEBREW}]+)*")
_BEFORE, _AFTER = ",;:?!—", ".,;:?!—"  # the sentence's punctuation before and after a run ('.md' begins with its dot)


def _as_html(template: str, values: Mapping[str, Any], language: str) -> str:
    """A template filled as HTML: each value escaped in a <bdi> (a Message value as HTML too); in a right-to-left
    language, each run of Latin text of the template itself (a path, a field name, a command, with the values
    inside it) in a <bdi> as well, so that 'ב־static/images/a.jpg' does not come out as 'images/a.jpg/static'."""
    pieces: list[str] = []
    skeleton = ""
    for literal, name, spec, conversion in string.Formatter().parse(template):
        skeleton += literal
        if name is None:
            continue
        value = values[name]
        if isinstance(value, Message):
            pieces.append(value.localized(language, markup=True))
            skeleton += _SENTENCE
        else:
            text = format(str(value) if conversion == "s" else repr(value) if conversion == "r" else value, spec or "")
            pieces.append(f"<bdi>{html.escape(text, quote=False)}</bdi>")
            skeleton += _SLOT
    if direction_of(language) == "rtl":
        skeleton = _LATIN_RUN.sub(_isolate, skeleton)
    filled = iter(pieces)
    out = html.escape(skeleton, quote=False).replace("\ue001", "<bdi>").replace("\ue002", "</bdi>")
    return re.sub(f"[{_SLOT}{_SENTENCE}]", lambda _m: next(filled), out)


def _isolate(match: re.Match[str]) -> str:
    """A run of Latin text in a right-to-left sentence, in an isolate (marked \\ue001 … \\ue002 until escaped), without the
    sentence's own punctuation at its ends."""
    run = match.group()
    start, end = 0, len(run)
    while start < end:
        char = run[start]
        if char in _BEFORE or char == ")" or char.isspace() or (char == "(" and run.count("(") > run.count(")")) or (char in "'\"" and run.count(char) % 2):
            start += 1
        else:
            break
    while end > start:
        char = run[end - 1]
        if char in _AFTER or char == "(" or char.isspace() or (char == ")" and run[start:end].count(")") > run[start:end].count("(")) or \
                (char in "'\"" and run[start:end].count(char) % 2):
            end -= 1
        else:
            break
    core = run[start:end]
    if not core or core.strip("'\"") == _SLOT or not re.search(rf"[A-Za-z0-9{_SLOT}]", core):
        return run
    return f"{run[:start]}\ue001{core}\ue002{run[end:]}"


def _rebuild(template: str, values: dict[str, Any]) -> Message:
    return Message(template, **values)


def from_plain(value: Any) -> Any:
    """A message from ``Message.plain()`` (anything else is given back as it is)."""
    if isinstance(value, (tuple, list)) and len(value) == 3 and value[0] == "msg":
        return Message(value[1], **{k: from_plain(v) for k, v in value[2].items()})
    return value


def msg(template: str, /, **values: Any) -> Message:
    """A message for an editor: its English template (a literal, so tools/extract finds it) and its values."""
    return Message(template, **values)


def localized(text: str, *, markup: bool = False) -> str:
    """Any text an editor reads: a Message in the chosen language, other text as it is (escaped for ``markup``)."""
    if isinstance(text, Message):
        return text.localized(markup=markup)
    return html.escape(text, quote=False) if markup else text


@cache
def catalogue(language: str) -> dict[str, str]:
    """msgid → msgstr of ``<language>.po`` ({} for English, or a language with no catalogue)."""
    path = CATALOGUES / f"{language}.po"
    if language == ENGLISH or not path.is_file():
        return {}
    found = read_catalogue(path.read_text(encoding="utf-8"))
    if found is not None:
        return found
    from babel.messages.pofile import read_po

    with path.open("rb") as stream:
        read = read_po(stream, locale=language)
    return {str(m.id): str(m.string) for m in read if m.id and m.string and not m.fuzzy}


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(.)")


def read_catalogue(text: str) -> dict[str, str] | None:
    """msgid → msgstr of a catalogue in the shape ``extract`` writes (one entry a paragraph: comments, ``msgid``,
    ``msgstr``, each string in double quotes on one or more lines), the same as Babel's ``read_po`` gives
    (tests/test_messages.py), in a fraction of its time (every build and every "Up to date" reads the catalogue).
    None for anything else (a context, a plural, an obsolete entry, an unknown escape): Babel reads it then."""
    found: dict[str, str] = {}
    for entry in text.split("\n\n"):
        parts: dict[str, list[str]] = {}
        current: list[str] | None = None
        fuzzy = False
        for line in entry.split("\n"):
            if line.startswith("#"):
                if line.startswith("#~"):
                    return None
                fuzzy = fuzzy or (line.startswith("#,") and "fuzzy" in line[2:].replace(",", " ").split())
            elif line.startswith(('msgid "', 'msgstr "')) and line.endswith('"'):
                keyword, _, rest = line.partition(" ")
                if keyword in parts:
                    return None
                current = parts[keyword] = [rest]
            elif line.startswith('"') and line.endswith('"') and len(line) > 1 and current is not None:
                current.append(line)
            elif line.strip():
                return None
        if not parts:
            continue
        if set(parts) != {"msgid", "msgstr"}:
            return None
        try:
            key, value = ("".join(_ESCAPE.sub(lambda m: _ESCAPES[m[1]], piece[1:-1]) for piece in parts[word]) for word in ("msgid", "msgstr"))
        except KeyError:
            return None
        if key and value and not fuzzy:
            found[key] = value
    return found


def translation(language: str, template: str) -> str | None:
    return catalogue(language).get(template)


def languages() -> list[str]:
    """The languages messages can be shown in: English and every catalogue."""
    return [ENGLISH, *sorted(p.stem for p in CATALOGUES.glob("*.po"))]


def use_language(language: str) -> None:
    """Show messages in ``language`` from now on (English when it has no catalogue)."""
    global _language
    _language = language if language in languages() else ENGLISH


def current_language() -> str:
    return _language


def direction_of(language: str) -> str:
    """'rtl' or 'ltr': the direction of a language's messages."""
    return "rtl" if language in ("he", "ar", "fa", "yi") else "ltr"
