"""Stale translations, from git history.

A translation is stale when its source was changed after the translation's last change.
The source of a page is the language whose file was committed first (a page written in
English and translated into Hebrew later has English as its source); when both were added
together, or for the texts of data files, it is the default language (the first in
data/site.yaml).

Editors mark a change that needs no translation (a typo fix, punctuation) with a commit
trailer, the last paragraph of the commit message:

    Translation: not needed

Such commits do not make the other languages stale. Changes not yet committed count as
made now.

Pages compare the last commits of their two files (``git log``); data files hold all
languages in one file, so their texts compare the last commits of their lines
(``git blame``).

A shallow clone (``git clone --depth 1``, and actions/checkout's default) has no history
before its first commit: every file seems to have been written there, so nothing would look
stale. ``Git.shallow`` tells, and the dashboard and ``check --strict`` print
``SHALLOW_WARNING`` instead of saying that no translation is out of date.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sitegen.messages import Message, msg
from sitegen.sources.tree import Unreadable, read_source

TRAILER = "Translation"
NOT_NEEDED = "not needed"
UNCOMMITTED = "uncommitted"


@dataclass(frozen=True, order=True)
class Change:
    """The last change of a file or line that counts for translation."""

    date: str
    """ISO 8601 commit date (committer's), or "9999" for changes not yet committed."""
    commit: str
    """Short hash, or "uncommitted"."""

    @property
    def shown(self) -> str:
        return msg("not yet committed") if self.commit == UNCOMMITTED else f"{self.date[:10]} ({self.commit})"


NOW = Change("9999", UNCOMMITTED)

SHALLOW_WARNING = (
    msg("the git history is shallow (a clone made with --depth), so stale translations cannot be judged: a "
        "translation may be out of date without being listed — fetch the whole history with `git fetch "
        "--unshallow` (in GitHub Actions: `fetch-depth: 0` on actions/checkout)")
)
"""Shown by ``status`` and ``check --strict`` when ``git rev-parse --is-shallow-repository`` says true."""


@dataclass(frozen=True)
class Stale:
    path: str
    """The stale translation's file (relative to the source root)."""
    line: int
    lang: str
    source_path: str
    source_lang: str
    source_change: Change
    own_change: Change | None
    """None when the translation was never committed."""

    def message(self) -> Message:
        own = self.own_change.shown if self.own_change else msg("never committed")
        values = {"lang": self.lang, "source_lang": self.source_lang, "source_path": self.source_path,
                  "changed": self.source_change.shown, "own": own, "trailer": f"{TRAILER}: {NOT_NEEDED}"}
        if self.line:
            return msg("the text in '{lang}' may be out of date — the '{source_lang}' version ({source_path}) changed on "
                       "{changed}, after this one ({own}); update it, or mark the change with the commit trailer '{trailer}'", **values)
        return msg("this page in '{lang}' may be out of date — the '{source_lang}' version ({source_path}) changed on "
                   "{changed}, after this one ({own}); update it, or mark the change with the commit trailer '{trailer}'", **values)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message().localized()}"


class Git:
    """The few git questions we ask, with the repository found from the source folder."""

    def __init__(self, root: Path):
        self.root = root
        self.top = self._run("rev-parse", "--show-toplevel")
        self._last: dict[str, Change] | None = None
        self._first: dict[str, str] = {}
        self._dirty: set[str] = set()

    def preload(self, folder: str) -> None:
        """Read the history of every file under ``folder`` in one ``git log`` (instead of two git
        calls a file: thousands of project texts would take minutes). Renames are not followed here."""
        if self.top is None:
            return
        prefix = os.path.relpath(self.root.resolve(), Path(self.top).resolve()).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        out = self._run("log", "--name-only", f"--format=%x1e%h%x1f%cI%x1f%(trailers:key={TRAILER},valueonly,separator=%x2c)", "--", folder)
        last: dict[str, Change] = {}
        first: dict[str, str] = {}
        for record in (out or "").split("\x1e")[1:]:
            header, _, names = record.partition("\n")
            commit, date, trailer = (header.split("\x1f") + ["", "", ""])[:3]
            counts = trailer.strip().lower() != NOT_NEEDED
            for name in names.splitlines():
                if not name.startswith(prefix):
                    continue
                path = name[len(prefix):]
                first[path] = date  # newest first: the last one seen is the oldest
                if counts and path not in last:
                    last[path] = Change(date, commit)
        status = self._run("status", "--porcelain", "--untracked-files=all", "--", folder) or ""
        self._dirty = {line[3:].strip('"')[len(prefix):] for line in status.splitlines() if line[3:].startswith(prefix)}
        self._last, self._first = last, first

    def _run(self, *args: str) -> str | None:
        try:
            result = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return result.stdout.rstrip("\n") if result.returncode == 0 else None  # not strip(): \x1c-\x1f count as spaces

    @property
    def available(self) -> bool:
        return self.top is not None

    @property
    def shallow(self) -> bool:
        """True in a shallow clone: the history stops at a grafted commit, and staleness cannot be judged."""
        return self.top is not None and self._run("rev-parse", "--is-shallow-repository") == "true"

    def dirty(self, path: str) -> bool:
        out = self._run("status", "--porcelain", "--", path)
        return bool(out)

    def last_change(self, path: str) -> Change | None:
        """The newest commit touching ``path`` that is not marked 'Translation: not needed'."""
        if self._last is not None:
            return NOW if path in self._dirty else self._last.get(path)
        if self.dirty(path):
            return NOW
        out = self._run("log", "--follow", f"--format=%h%x1f%cI%x1f%(trailers:key={TRAILER},valueonly,separator=%x2c)%x1e", "--", path)
        for record in (out or "").split("\x1e"):
            fields = record.lstrip("\n").split("\x1f")
            if len(fields) < 3:
                continue
            commit, date, trailer = fields
            if trailer.strip().lower() != NOT_NEEDED:
                return Change(date, commit)
        return None

    def first_commit_date(self, path: str) -> str:
        """When ``path`` was first committed ("9999" if never)."""
        if self._last is not None:
            return self._first.get(path, "9999")
        out = self._run("log", "--follow", "--diff-filter=A", "--format=%cI", "--", path)
        dates = [line for line in (out or "").splitlines() if line]
        return dates[-1] if dates else "9999"

    def line_changes(self, path: str) -> dict[int, Change] | None:
        """For each line of ``path``, its last change (git blame), skipping 'not needed' commits."""
        out = self._run("blame", "--line-porcelain", "--", path)
        if out is None:
            return None
        ignored = self._not_needed_commits(path)
        changes: dict[int, Change] = {}
        commit = date = ""
        final_line = 0
        for row in out.splitlines():
            if row and not row.startswith("\t") and len(row.split(" ")[0]) == 40 and len(row.split(" ")) >= 3:
                parts = row.split(" ")
                commit, final_line = parts[0], int(parts[2])
            elif row.startswith("committer-time "):
                date = row.split(" ", 1)[1]
            elif row.startswith("\t"):
                if commit == "0" * 40:
                    changes[final_line] = NOW
                else:
                    changes[final_line] = Change(_iso(int(date)), commit[:7]) if commit[:7] not in ignored else Change("0000", commit[:7])
        return changes

    def _not_needed_commits(self, path: str) -> set[str]:
        out = self._run("log", f"--format=%h%x1f%(trailers:key={TRAILER},valueonly,separator=%x2c)%x1e", "--", path)
        found = set()
        for record in (out or "").split("\x1e"):
            fields = record.lstrip("\n").split("\x1f")
            if len(fields) == 2 and fields[1].strip().lower() == NOT_NEEDED:
                found.add(fields[0][:7])
        return found


def _iso(timestamp: int) -> str:
    import datetime

    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC).isoformat()


def stale_pages(git: Git, pairs: dict[str, dict[str, str]], order: list[str]) -> list[Stale]:
    """``pairs``: page key → {language: source path}; ``order``: the configured languages,
    default first. Pages in one language only are not stale."""
    found = []
    for _key, files in sorted(pairs.items()):
        if len(files) < 2:
            continue
        changes = {lang: git.last_change(path) for lang, path in files.items()}
        born = {lang: git.first_commit_date(path) for lang, path in files.items()}
        source_lang = min(files, key=lambda lang: (born[lang], order.index(lang) if lang in order else len(order)))
        source = changes[source_lang]
        if source is None:
            continue
        for lang, change in changes.items():
            if lang != source_lang and (change is None or change < source):
                found.append(Stale(files[lang], 0, lang, files[source_lang], source_lang, source, change))
    return found


def value_lines(lines: list[str], key_line: int) -> range:
    """The lines of the YAML value whose key is on ``key_line`` (1-based): the key's line and
    every following line that is blank or indented deeper (block scalars, folded text)."""
    indent = len(lines[key_line - 1]) - len(lines[key_line - 1].lstrip())
    end = key_line
    for number in range(key_line + 1, len(lines) + 1):
        line = lines[number - 1]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        if line.strip():
            end = number
    return range(key_line, end + 1)


def stale_texts(git: Git, root: Path, path: str, texts: list[dict[str, int]], source_lang: str) -> list[Stale]:
    """``texts``: for each bilingual text of a data file, {language: line of its key};
    ``source_lang``: the default language, which the others translate."""
    changes = git.line_changes(path)
    if changes is None:
        return []
    try:
        lines = read_source(root / path, root).decode("utf-8").splitlines()
    except (Unreadable, UnicodeDecodeError):  # check reports it at its path
        return []
    found = []
    for text in texts:
        if len(text) < 2:
            continue
        dated = {}
        for lang, line in text.items():
            dates = [changes[n] for n in value_lines(lines, line) if n in changes]
            dated[lang] = max(dates) if dates else None
        source = dated.get(source_lang)
        if source is None or source.date == "0000":
            continue
        for lang, change in dated.items():
            if lang != source_lang and (change is None or change < source):
                found.append(Stale(path, text[lang], lang, path, source_lang, source, change))
    return found
