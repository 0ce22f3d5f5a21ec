"""Stale translations, from git history, judged by value.

A translation is stale when its source's *value* changed after the translation's last change. The value
of a page is what its file says, parsed: the texts of its front matter (title, description…) and its body,
each with its white space folded; of a data file, each of its texts in several languages ({he: …, en: …}),
found by its place in the file, where the items of a list are known by their id (or slug, or code) and
otherwise by their position. So a moved or re-quoted line, a re-wrapped paragraph, a re-formatted file or a
list whose entries were reordered is no change; an edit of one word is.

The source of a page is the language whose file was committed first (a page written in English and
translated into Hebrew later has English as its source); when both were added together, or for the texts of
data files, it is the default language (the first in data/site.yaml). A change of the source's value is
compared with the translation's last change of value as *instants*: commits made through GitHub's API are
dated in UTC, an editor's in Israel at +02:00 or +03:00.

Two ways to say that a change needs no new translation:

- a commit trailer, the last paragraph of the commit message (``Translation: not needed``): such commits
  make no language stale;
- ``translation_checked`` (an ISO 8601 date and time, written by the forms) in a page's front matter or on a
  data entry: a change of its value counts as a change of every translation of that page or entry.

Changes not yet committed count as made now. Staleness cannot be judged — and ``unjudged`` says why, in the
editor's language — without git, outside a repository, in a shallow clone, when content/ or data/ is a git
submodule (its history is in another repository), or when a commit is dated in the future.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.messages import Message, msg
from sitegen.sources.tree import Unreadable, read_source

TRAILER = "Translation"
NOT_NEEDED = "not needed"
UNCOMMITTED = "uncommitted"
CHECKED = "translation_checked"
FUTURE_MARGIN = datetime.timedelta(minutes=10)
"""A commit dated later than now by more than this is 'in the future' (a computer whose clock is wrong)."""
_FAR_FUTURE = datetime.datetime.max.replace(tzinfo=datetime.UTC)
_ITEM_KEYS = ("id", "slug", "code")
_NOT_COMPARED = {"layout", CHECKED}
"""Front matter that is the same in every language, or says nothing to translate."""


@dataclass(frozen=True, order=True)
class Change:
    """The change of a value that counts for translation: when (an instant), and in which commit."""

    when: datetime.datetime
    date: str = field(compare=False)
    """ISO 8601 commit date as git wrote it (the committer's offset), or "" for a change not yet committed."""
    commit: str = field(compare=False)
    """Short hash, or "uncommitted"."""

    @property
    def shown(self) -> str:
        return msg("not yet committed") if self.commit == UNCOMMITTED else f"{self.date[:10]} ({self.commit})"


NOW = Change(_FAR_FUTURE, "", UNCOMMITTED)

SHALLOW_WARNING = (
    msg("the git history is shallow (a clone made with --depth), so stale translations cannot be judged: a "
        "translation may be out of date without being listed — fetch the whole history with `git fetch "
        "--unshallow` (in GitHub Actions: `fetch-depth: 0` on actions/checkout)")
)
"""Shown by ``status`` and ``check --strict`` when ``git rev-parse --is-shallow-repository`` says true."""
NO_GIT = msg("git is not installed, so stale translations cannot be judged — install git, then run this again")
NOT_A_REPOSITORY = msg("not a git repository: stale translations cannot be found")


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


@dataclass(frozen=True)
class Version:
    """A file as one commit left it (or as it is on disk, when not committed)."""

    change: Change
    counts: bool
    """False for a commit marked 'Translation: not needed'."""
    blob: str | None
    """The object's id; "" for the file on disk; None when the file did not exist after this change."""


class Git:
    """The few git questions we ask, with the repository found from the source folder."""

    def __init__(self, root: Path):
        self.root = root
        self.installed = shutil.which("git") is not None
        self.top = self._run("rev-parse", "--show-toplevel") if self.installed else None
        self._prefix = ""
        if self.top is not None:
            prefix = os.path.relpath(self.root.resolve(), Path(self.top).resolve()).replace(os.sep, "/")
            self._prefix = "" if prefix == "." else prefix + "/"
        self._history: dict[str, list[Version]] = {}
        self._read: set[str] = set()
        self._dirty: set[str] | None = None
        self._blobs: dict[str, bytes] = {}

    def _run(self, *args: str, stdin: bytes | None = None) -> str | None:
        out = self._run_bytes(*args, stdin=stdin)
        return None if out is None else out.decode("utf-8", "surrogateescape").rstrip("\n")  # not strip(): \x1c-\x1f are spaces

    def _run_bytes(self, *args: str, stdin: bytes | None = None) -> bytes | None:
        try:
            result = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=self.root, input=stdin, capture_output=True,
                                    timeout=120)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return result.stdout if result.returncode == 0 else None

    @property
    def available(self) -> bool:
        return self.top is not None

    @property
    def shallow(self) -> bool:
        """True in a shallow clone: the history stops at a grafted commit, and staleness cannot be judged."""
        return self.top is not None and self._run("rev-parse", "--is-shallow-repository") == "true"

    def submodules(self, folders: Iterable[str]) -> list[str]:
        """Those of ``folders`` (or folders inside them) that are git submodules of this repository."""
        out = self._run("ls-files", "--stage", "--", *folders) or ""
        return sorted(line.split("\t", 1)[1][len(self._prefix):] for line in out.splitlines()
                      if line.startswith("160000 ") and "\t" in line)

    def preload(self, *folders: str) -> None:
        """Read the history of every file under ``folders`` in one ``git log`` (not a git call a file: thousands
        of project texts would take minutes). Renames are not followed."""
        if self.top is None:
            return
        wanted = [f for f in folders if f not in self._read]
        if not wanted:
            return
        self._read.update(wanted)
        out = self._run_bytes("log", "--raw", "--no-abbrev", "--no-renames", "-z",
                              f"--format=%x1e%H%x1f%cI%x1f%(trailers:key={TRAILER},valueonly,separator=%x2c)", "--", *wanted)
        found: dict[str, list[Version]] = {}
        for record in (out or b"").decode("utf-8", "surrogateescape").split("\x1e")[1:]:
            header, _, raw = record.partition("\0")
            commit, date, trailer = (header.split("\x1f") + ["", "", ""])[:3]
            change = Change(_instant(date), date, commit[:7])
            counts = trailer.strip().lower() != NOT_NEEDED
            tokens = raw.split("\0")
            for meta, name in zip(tokens[0::2], tokens[1::2], strict=False):
                meta = meta.strip()
                if not meta.startswith(":") or not name.startswith(self._prefix):
                    continue
                blob = meta.split(" ")[3]
                found.setdefault(name[len(self._prefix):], []).append(Version(change, counts, None if set(blob) == {"0"} else blob))
        for path, versions in found.items():
            self._history[path] = list(reversed(versions))  # git log is newest first
        for path in self._changed_on_disk():
            if any(path == f or path.startswith(f.rstrip("/") + "/") for f in wanted):
                exists = (self.root / path).is_file()
                self._history.setdefault(path, []).append(Version(NOW, True, "" if exists else None))

    def _changed_on_disk(self) -> set[str]:
        if self._dirty is None:
            out = self._run("status", "--porcelain", "-z", "--untracked-files=all", "--no-renames", "--", ".") or ""
            self._dirty = {entry[3:][len(self._prefix):] for entry in out.split("\0") if len(entry) > 3 and entry[3:].startswith(self._prefix)}
        return self._dirty

    def history(self, path: str) -> list[Version]:
        """Every version of ``path``, oldest first (the file on disk last, when it differs from the last commit)."""
        if not any(path == f or path.startswith(f.rstrip("/") + "/") for f in self._read):
            self.preload(path)
        return self._history.get(path, [])

    def changes(self) -> list[Change]:
        return sorted({v.change for versions in self._history.values() for v in versions if v.change is not NOW})

    def texts(self, path: str, versions: list[Version]) -> list[str | None]:
        """The text of each version (None where the file did not exist or cannot be read)."""
        missing = [v.blob for v in versions if v.blob and v.blob not in self._blobs]
        if missing:
            self._fetch(missing)
        texts: list[str | None] = []
        for version in versions:
            if version.blob is None:
                texts.append(None)
            elif version.blob == "":
                try:
                    texts.append(read_source(self.root / path, self.root).decode("utf-8"))
                except (Unreadable, UnicodeDecodeError):  # check reports it at its path
                    texts.append(None)
            else:
                data = self._blobs.get(version.blob)
                texts.append(None if data is None else data.decode("utf-8", "replace"))
        return texts

    def _fetch(self, blobs: list[str]) -> None:
        """The contents of ``blobs`` in one ``git cat-file --batch``."""
        out = self._run_bytes("cat-file", "--batch", stdin="".join(f"{b}\n" for b in dict.fromkeys(blobs)).encode())
        position = 0
        while out and position < len(out):
            end = out.index(b"\n", position)
            header = out[position:end].split(b" ")
            if len(header) < 3:  # "<id> missing"
                position = end + 1
                continue
            size = int(header[2])
            self._blobs[header[0].decode()] = out[end + 1:end + 1 + size]
            position = end + 1 + size + 1


def _instant(date: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(date)
    except ValueError:
        return _FAR_FUTURE
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def unjudged(git: Git, folders: Iterable[str] = ("content", "data")) -> list[Message]:
    """Why staleness cannot be judged here ([] when it can), each in a sentence for the editor."""
    if not git.installed:
        return [NO_GIT]
    if not git.available:
        return [NOT_A_REPOSITORY]
    reasons = []
    if git.shallow:
        reasons.append(SHALLOW_WARNING)
    for folder in git.submodules(folders):
        reasons.append(msg("{folder} is a git submodule: its history is in another repository, so stale translations in it "
                           "cannot be judged here — keep the content in this repository, or check the submodule's "
                           "translations in its own", folder=folder))
    git.preload(*folders)  # (once: the judging reads the same history)
    now = datetime.datetime.now(datetime.UTC)
    for change in git.changes():
        if change.when > now + FUTURE_MARGIN:
            reasons.append(msg("the commit {commit} is dated in the future ({date}), so stale translations cannot be judged — "
                               "set the computer's clock right, then give the commit the right date (git commit --amend "
                               "--date=now, if it is the last one)", commit=change.commit, date=change.date))
            break
    return reasons


# --- values -------------------------------------------------------------------------------------------------


def _folded(value: Any) -> Any:
    """A text with its white space folded (a re-wrapped line is no change); lists and mappings likewise."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return [_folded(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _folded(v) for k, v in value.items()}
    return value


def _loader() -> Any:
    """PyYAML's safe loader (libyaml's when there), imported when a file is compared: a build imports this module for
    NO_GIT alone."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(text: str) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 - the safe loader (C or Python)
    except yaml.YAMLError:
        return None


def page_value(text: str | None) -> tuple[Any, Any]:
    """(what the page says, its translation_checked) — (None, None) for no file."""
    if text is None:
        return None, None
    front: Any = {}
    body = text
    if text.startswith("---"):
        head, sep, rest = text[3:].partition("\n---")
        if sep:
            front = _load(head)
            body = rest.partition("\n")[2]
    if not isinstance(front, dict):
        return _folded(text), None  # unreadable front matter: any change of the file counts
    said = {str(k): _folded(v) for k, v in front.items() if str(k) not in _NOT_COMPARED and isinstance(v, (str, list, dict))}
    said["\0body"] = _folded(body)
    checked = front.get(CHECKED)
    return said, None if checked is None else str(checked)


Key = tuple[str, ...]


def _item_key(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for name in _ITEM_KEYS:
            if isinstance(item.get(name), (str, int)) and not isinstance(item.get(name), bool):
                return f"{name}={item[name]}"
    return f"#{index}"


def data_values(text: str | None, codes: list[str]) -> tuple[dict[Key, dict[str, Any]], dict[Key, str]]:
    """({place of each text in several languages: {language: text}}, {place of an entry: its translation_checked})."""
    texts: dict[Key, dict[str, Any]] = {}
    checked: dict[Key, str] = {}

    def walk(node: Any, place: Key) -> None:
        if isinstance(node, dict):
            if node and all(k in codes for k in node):
                texts[place] = {str(k): _folded(v) for k, v in node.items()}
                return
            if node.get(CHECKED) is not None:
                checked[place] = str(node[CHECKED])
            for k, v in node.items():
                if k != CHECKED:
                    walk(v, (*place, str(k)))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, (*place, _item_key(item, i)))

    if text is not None:
        walk(_load(text), ())
    return texts, checked


def text_lines(text: str, codes: list[str]) -> dict[Key, dict[str, int]]:
    """The line of each language's key of each text of a data file ({} when it cannot be read)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=_loader())
    except yaml.YAMLError:
        return {}
    lines: dict[Key, dict[str, int]] = {}

    def scalar(node: Any) -> Any:
        return node.value if isinstance(node, yaml.ScalarNode) else None

    def walk(node: Any, place: Key) -> None:
        if isinstance(node, yaml.MappingNode):
            keys = [scalar(k) for k, _v in node.value]
            if keys and all(k in codes for k in keys):
                lines[place] = {scalar(k): k.start_mark.line + 1 for k, _v in node.value}
                return
            for k, v in node.value:
                walk(v, (*place, str(scalar(k))))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                ids = {scalar(k): scalar(v) for k, v in item.value} if isinstance(item, yaml.MappingNode) else {}
                name = next((n for n in _ITEM_KEYS if ids.get(n) not in (None, "")), None)
                walk(item, (*place, f"{name}={ids[name]}" if name else f"#{i}"))

    walk(root, ())
    return lines


# --- judging ------------------------------------------------------------------------------------------------


def _last_changes(versions: list[Version], values: list[Any]) -> list[Change | None]:
    """For each version, the last change (that counts) of the value up to it."""
    last: Change | None = None
    before: Any = None
    out = []
    for version, value in zip(versions, values, strict=True):
        if version.counts and value is not None and value != before:
            last = version.change
        before = value
        out.append(last)
    return out


def stale_pages(git: Git, pairs: dict[str, dict[str, str]], order: list[str]) -> list[Stale]:
    """``pairs``: page key → {language: source path}; ``order``: the configured languages, default first.
    Pages in one language only are not stale."""
    found = []
    for _key, files in sorted(pairs.items()):
        if len(files) < 2:
            continue
        said: dict[str, Change | None] = {}
        checked: list[Change] = []
        born: dict[str, datetime.datetime] = {}
        for lang, path in files.items():
            versions = git.history(path)
            parsed = [page_value(text) for text in git.texts(path, versions)]
            changes = _last_changes(versions, [p[0] for p in parsed])
            said[lang] = changes[-1] if changes else None
            marks = _last_changes(versions, [p[1] for p in parsed])
            if marks and marks[-1] is not None:
                checked.append(marks[-1])
            born[lang] = versions[0].change.when if versions else _FAR_FUTURE
        source_lang = min(files, key=lambda lang: (born[lang], order.index(lang) if lang in order else len(order)))
        source = said[source_lang]
        if source is None:
            continue
        for lang in files:
            if lang == source_lang:
                continue
            own = max([c for c in (said[lang], *checked) if c is not None], default=None)
            if own is None or own < source:
                found.append(Stale(files[lang], 0, lang, files[source_lang], source_lang, source, said[lang]))
    return found


def stale_texts(git: Git, root: Path, path: str, codes: list[str]) -> list[Stale]:
    """The stale texts of the data file ``path``: each text in several languages whose default-language version
    (``codes[0]``) changed after the others."""
    versions = git.history(path)
    if not versions or versions[-1].blob is None:
        return []
    texts = git.texts(path, versions)
    current = texts[-1]
    if current is None:
        return []
    parsed = [data_values(text, codes) for text in texts]
    source_lang = codes[0]
    lines = text_lines(current, codes)
    found = []
    for key, now in sorted(parsed[-1][0].items()):
        if source_lang not in now or len(now) < 2:
            continue
        history = [p[0].get(key, {}) for p in parsed]
        source = _last_changes(versions, [h.get(source_lang) for h in history])[-1]
        if source is None:
            continue
        entries = [key[:n] for n in range(len(key) + 1)]  # translation_checked on the text's entry, or any around it
        marks = [c for entry in entries for c in [_last_changes(versions, [p[1].get(entry) for p in parsed])[-1]] if c is not None]
        for lang in now:
            if lang == source_lang:
                continue
            said = _last_changes(versions, [h.get(lang) for h in history])[-1]
            own = max([c for c in (said, *marks) if c is not None], default=None)
            if own is None or own < source:
                found.append(Stale(path, lines.get(key, {}).get(lang, 0), lang, path, source_lang, source, said))
    return found
