"""Problems found in the content, reported as ``path:line: message``.

Every stage collects ContentError values instead of raising at the first one, so an editor
sees every mistake of a run at once (MkDocs' habit), and the build fails once, before
anything is written.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from sitegen.messages import Message, msg

_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one source file."""

    path: str
    """Path relative to the source root, with forward slashes."""
    line: int
    """1-based line of the offending key or field; 0 when the whole file is concerned."""
    message: Message
    """What is wrong, then (after an em dash) how to fix it: a ``msg(...)`` of the catalogue (sitegen/messages),
    never a plain string, so that every message an editor reads has its Hebrew translation."""
    severity: str = "error"
    """"error" fails the build; "warning" is reported and the build goes on."""
    stops_reading: bool = field(default=False, compare=False)
    """True when this mistake kept the rest of its file from being read (a YAML syntax error): the
    file may hold more problems, which show once this one is fixed."""

    def __post_init__(self) -> None:
        # Messages quote content (a key, a value, a file name): a control character in it would
        # break the one-line format, or reach the editor's terminal as an escape sequence.
        if not isinstance(self.message, Message):
            raise TypeError(f"ContentError needs a message made with msg(...) (sitegen/messages), not {self.message!r}: "
                            "see 'Adding a message' in docs/engine.md")
        if _INVISIBLE.search(self.path):
            object.__setattr__(self, "path", _visible(self.path))
        if _INVISIBLE.search(self.message):
            object.__setattr__(self, "message", _visible_message(self.message))

    def __str__(self) -> str:
        """``path:line: message`` in the editor's language: the path first, so it stays at the start of the
        line in a right-to-left terminal too."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = f"{msg('warning').localized()}: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message.localized()}"

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command."""
        kind = "warning" if self.severity == "warning" else "error"
        line = f",line={self.line}" if self.line else ""
        message = self.message.localized().replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        # a property value is escaped further (GitHub's toolkit): a file named 'a,line=1.md' must not add a field
        path = self.path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")
        return f"::{kind} file={path}{line}::{message}"


class BuildFailed(Exception):
    """Raised when content errors make the build impossible; carries all of them."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(set(errors))
        super().__init__(f"{len(self.errors)} problem(s) in the content")


def _visible(text: str) -> str:
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _visible_message(message: Message) -> Message:
    values = {k: _visible_message(v) if isinstance(v, Message) else _visible(v) if isinstance(v, str) else v
              for k, v in message.values.items()}
    return Message(message.template, **values)


def unread_note(problems: list[ContentError]) -> str:
    """A sentence for the end of a failed check or build when syntax errors hid the rest of some files ('' if none)."""
    paths = sorted({p.path for p in problems if p.stops_reading})
    if not paths:
        return ""
    if len(paths) == 1:
        return msg("1 file could not be read past their first mistake ({paths}): a YAML syntax error stops the "
                   "reading of its file — fix it and check again, more problems may show there", paths=paths[0])
    return msg("{count} files could not be read past their first mistake ({paths}): a YAML syntax error stops the "
               "reading of its file — fix it and check again, more problems may show there", count=len(paths), paths=", ".join(paths))


def only_errors(problems: list[ContentError]) -> list[ContentError]:
    return [p for p in problems if p.severity == "error"]


def relative(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str:
    """A path as editors see it: relative to the source root, with forward slashes."""
    return os.path.relpath(path, root).replace(os.sep, "/")


PER_FILE = 50
"""The most problems printed for one file: a pasted script or a file of 50,000 unknown keys would print 100,000 lines."""


def capped(problems: list[ContentError], per_file: int = PER_FILE) -> list[ContentError]:
    """``problems`` sorted, at most ``per_file`` of each file, then one line saying how many more that file has."""
    shown: list[ContentError] = []
    count: dict[str, int] = {}
    hidden_errors: set[str] = set()
    for problem in sorted(problems):
        count[problem.path] = count.get(problem.path, 0) + 1
        if count[problem.path] <= per_file:
            shown.append(problem)
        elif problem.severity != "warning":
            hidden_errors.add(problem.path)
    for path, n in sorted(count.items()):
        if n > per_file:
            shown.append(ContentError(path, 0, msg("and {count:,} more problems in this file, not shown — fix the ones above, then "
                                                   "check again", count=n - per_file), "error" if path in hidden_errors else "warning"))
    return sorted(shown, key=lambda p: (p.path, p.line == 0 and p.message.startswith("and "), p.line, p.message))
