"""What the engine may read: ordinary files inside the project, and nothing else.

Every source file is found by ``walk`` and read by ``read_source`` (files.read_text and the
template loader go through it too), or opened by ``open_source`` with the same checks (a static file published as
it is: sources/streamed.py streams it from that descriptor). A file may be a symbolic link, but only to an ordinary
file inside the project; anything else is a problem at its path — never a hang, a traceback,
a silent skip, or a file from elsewhere on the computer published in the site:

- a link that leads out of the project, to nowhere, or back to itself (a loop of links);
- a named pipe, a socket or a device: reading a pipe waits for ever, so nothing is opened
  before its kind is known, and it is opened without waiting (O_NONBLOCK), then checked again;
- a folder named like a file (``data/x.yaml/``);
- a file or folder this user may not read.

Editors' and operating systems' own files are not the site's: ``.DS_Store``, ``._x`` (macOS),
``.#x`` (Emacs's lock, a link to nowhere), ``x~``, ``.x.swp``, ``Thumbs.db``, ``desktop.ini``,
``.obsidian/`` — every name that starts with a dot, and backups — are never read nor published,
except ``static/.well-known/``, ``static/.htaccess`` and ``static/.nojekyll``, which a host reads.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.errors import ContentError, relative
from sitegen.messages import Message, msg
from sitegen.sources.names import name_problem, shown, twins

PUBLISHED_HIDDEN = frozenset({".well-known", ".htaccess", ".nojekyll"})
"""Names starting with a dot that static/ publishes: hosts read them."""
_NOT_OURS = frozenset({"Thumbs.db", "desktop.ini", "Desktop.ini"})

OUTSIDE_FILE = msg("a link to a file outside the source folder — copy the file in instead")
OUTSIDE_FOLDER = msg("a link to a folder outside the source folder — copy the folder in instead")
# A message that names "file" or "folder" is written out for each (a translation may need another word order or gender).
NOWHERE = {"file": msg("a link to a file that does not exist — remove the link, or copy the file in instead"),
           "folder": msg("a link to a folder that does not exist — remove the link, or copy the folder in instead")}
LOOP = {"file": msg("a link that leads back to itself (a loop of links) — delete the link, or copy the file in instead"),
        "folder": msg("a link that leads back to itself (a loop of links) — delete the link, or copy the folder in instead")}
FOLDER_LINK = msg("a link to a folder — the files in it would be left out; copy the folder in instead")
FOLDER_NAMED_LIKE_A_FILE = msg("this is a folder, but its name is a file's — rename the folder, or move its files out and delete it")


MAX_DEPTH = 16
"""Folders inside a source folder (content/a/b/…): deeper ones are a problem, not read (a thousand levels would
exhaust Python's recursion, and no address needs them)."""


class Unreadable(Exception):
    """A source path that cannot be read as an ordinary file; ``message`` says why and what to do."""

    def __init__(self, message: Message, *, missing: bool = False, folder: bool = False):
        super().__init__(message)
        self.message = message
        self.missing = missing
        """Nothing at all is at the path (not even a link)."""
        self.folder = folder
        """The path is (or leads to) a folder."""


def not_ours(name: str, *, published: bool = False) -> bool:
    """An editor's or operating system's file (see the module's docstring); ``published``: in static/."""
    if published and name in PUBLISHED_HIDDEN:
        return False
    return name.startswith(".") or name.endswith("~") or name in _NOT_OURS


_O_PATH = getattr(os, "O_PATH", None)  # Linux


def _real(path: Path | str) -> str:
    """``path`` with every link followed, as os.path.realpath gives it.

    On Linux, asked of the kernel: the path of a descriptor opened on it (O_PATH: nothing is read, a pipe does not
    block), 3 system calls against realpath's lstat of every folder on the way (9 µs against 49 µs for a file 10
    folders deep, measured; a build asks it twice for every file it reads). What the kernel cannot open (a loop, a
    link to nowhere, a file gone meanwhile) is left to realpath, as before."""
    if _O_PATH is not None:
        try:
            fd = os.open(path, _O_PATH | os.O_CLOEXEC)
        except OSError:
            return os.path.realpath(path)
        try:
            found = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            found = ""
        finally:
            os.close(fd)
        if found.startswith(os.sep) and not found.endswith(" (deleted)"):
            return found
    return os.path.realpath(path)


def is_inside(path: Path | str, root: Path | str) -> bool:
    """Whether ``path``, every link followed, is ``root`` or inside it (a loop is not inside anything)."""
    real, top = _real(path), _real(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def _kind(mode: int) -> Message:
    if stat.S_ISFIFO(mode):
        return msg("a named pipe (FIFO)")
    if stat.S_ISSOCK(mode):
        return msg("a socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return msg("a device")
    return msg("not an ordinary file")


def _special(mode: int) -> Unreadable:
    return Unreadable(msg("this is {kind}, not an ordinary file — delete it: only ordinary files are read", kind=_kind(mode)))


def _denied(what: str) -> Message:
    if what == "folder":
        return msg("cannot open this folder (permission denied) — give yourself permission to read it (chmod u+rx), or "
                   "move it out of the project")
    return msg("cannot read this file (permission denied) — give yourself permission to read it (chmod u+r), or "
               "move it out of the project")


def _why(path: Path, exc: OSError, what: str = "file") -> Unreadable:
    """The reason ``os.stat(path)`` (or opening it) failed, as an editor's message; ``what``: file or folder."""
    if exc.errno == errno.ELOOP:
        return Unreadable(LOOP[what])
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        if os.path.islink(path):
            return Unreadable(NOWHERE[what])
        gone = {"file": msg("the file does not exist (it was moved or deleted while the site was being read) — build again"),
                "folder": msg("the folder does not exist (it was moved or deleted while the site was being read) — build again")}
        return Unreadable(gone[what], missing=True)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return Unreadable(_denied(what))
    if exc.errno == errno.ENAMETOOLONG:
        return Unreadable({"file": msg("the file's name or path is too long to open — give it a shorter name"),
                           "folder": msg("the folder's name or path is too long to open — give it a shorter name")}[what])
    reason = exc.strerror or str(exc)
    return Unreadable({"file": msg("cannot read this file ({reason}) — check it, or copy it in again", reason=reason),
                       "folder": msg("cannot read this folder ({reason}) — check it, or copy it in again", reason=reason)}[what])


def check_file(path: Path, root: Path) -> os.stat_result:
    """The status of ``path`` when it is an ordinary file inside ``root`` (links followed); else Unreadable."""
    try:
        status = os.stat(path)
    except OSError as exc:
        raise _why(path, exc) from None
    if not is_inside(path, root):
        folder = stat.S_ISDIR(status.st_mode)
        raise Unreadable(OUTSIDE_FOLDER if folder else OUTSIDE_FILE, folder=folder)
    if stat.S_ISDIR(status.st_mode):
        raise Unreadable(FOLDER_NAMED_LIKE_A_FILE, folder=True)
    if not stat.S_ISREG(status.st_mode):
        raise _special(status.st_mode)
    return status


def open_source(path: Path, root: Path) -> tuple[int, os.stat_result]:
    """A file descriptor of the ordinary file ``path`` inside ``root`` and its status, opened with every check
    (no pipe, device or link out of the project: check_file; opened without waiting, then checked again);
    Unreadable otherwise. The caller closes it."""
    check_file(path, root)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise _why(path, exc) from None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):  # replaced between the check and the opening
            raise _special(status.st_mode)
    except OSError as exc:
        os.close(fd)
        raise _why(path, exc) from None
    except BaseException:
        os.close(fd)
        raise
    return fd, status


def read_source(path: Path, root: Path, limit: int | None = None,
                too_large: Callable[[int], Message] | None = None) -> bytes:
    """The bytes of the ordinary file ``path`` inside ``root``; Unreadable otherwise, and when it is
    larger than ``limit`` (the message is ``too_large(size)``)."""
    fd, status = open_source(path, root)
    try:
        if limit is not None and status.st_size > limit:
            raise Unreadable(too_large(status.st_size) if too_large else msg("the file is larger than {limit} bytes — make it smaller", limit=limit))
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            if limit is not None and sum(map(len, chunks)) > limit:  # it grew while being read
                raise Unreadable(too_large(sum(map(len, chunks))) if too_large else msg("the file is larger than {limit} bytes", limit=limit))
        return b"".join(chunks)
    except OSError as exc:
        raise _why(path, exc) from None
    finally:
        os.close(fd)


def folder_problem(path: Path, root: Path, *, named: str | None = None) -> ContentError | None:
    """A problem with a folder the engine reads (content/, data/strings/…): a link out of the project,
    to nowhere or in a loop, a file in its place, or no permission. None when it is fine or absent."""
    rel = named or relative(path, root)
    try:
        status = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT and not os.path.islink(path):
            return None  # absent: each reader says whether it needs the folder
        return ContentError(rel, 0, _why(path, exc, "folder").message)
    if not is_inside(path, root):
        return ContentError(rel, 0, OUTSIDE_FOLDER)
    if not stat.S_ISDIR(status.st_mode):
        return ContentError(rel, 0, msg("this should be a folder, but it is {value} — move it away and make the folder", value=msg('a file') if stat.S_ISREG(status.st_mode) else _kind(status.st_mode)))
    if not os.access(path, os.R_OK | os.X_OK):
        return ContentError(rel, 0, _denied("folder"))
    return None


@dataclass
class Found:
    files: list[Path] = field(default_factory=list)
    """Ordinary files inside the project (links to them included), in order of path."""
    problems: list[ContentError] = field(default_factory=list)


def walk(folder: Path, root: Path, wanted: Callable[[str], bool], *, recurse: bool = True,
         folder_link: Message = FOLDER_LINK,
         published: bool = False) -> Found:
    """The files of ``folder`` whose names are ``wanted`` (and of its subfolders with ``recurse``).

    Links to folders are not followed (``folder_link`` is their problem); every other link, named
    pipe, socket, device, unreadable file, or folder with a wanted name, is a problem at its path.
    Names that are not_ours are skipped. ``published``: static/, whose every name is wanted and
    whose hidden names follow not_ours's rule for published files.
    """
    found = Found()

    def visit(directory: Path, depth: int) -> None:
        try:
            with os.scandir(directory) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            denied = exc.errno in (errno.EACCES, errno.EPERM)
            message = _denied("folder") if denied else msg("cannot open this folder ({value}) — check it", value=exc.strerror or exc)
            found.problems.append(ContentError(relative(directory, root), 0, message))
            return
        for name, earlier, how in twins([e.name for e in listed if not not_ours(e.name, published=published)]):
            found.problems.append(ContentError(shown(relative(Path(directory) / name, root)), 0, msg(
                "'{name}' and '{earlier}' are {how}: macOS and Windows keep only one of them — rename or delete one",
                name=shown(name), earlier=shown(earlier), how=how), severity="warning"))
        for entry in listed:
            if not_ours(entry.name, published=published):
                continue
            path = Path(entry.path)
            refused = name_problem(entry.name)
            if refused:
                found.problems.append(ContentError(shown(relative(path, root)), 0, refused))
                continue
            try:
                real_folder = entry.is_dir(follow_symlinks=False)
                link = entry.is_symlink()
            except OSError:  # pragma: no cover - scandir already knows both on Linux
                real_folder, link = False, False
            if real_folder:
                if not published and wanted(entry.name):  # data/x.yaml/, content/about.he.md/
                    found.problems.append(ContentError(relative(path, root), 0, FOLDER_NAMED_LIKE_A_FILE))
                elif recurse and depth + 1 > MAX_DEPTH:
                    found.problems.append(ContentError(relative(path, root), 0, (
                        msg("this folder is more than {limit} folders deep — move its files up: no address needs so many "
                            "levels", limit=MAX_DEPTH))))
                elif recurse:
                    visit(path, depth + 1)
                continue
            if link and os.path.isdir(path):
                found.problems.append(ContentError(relative(path, root), 0, folder_link))
                continue
            if not wanted(entry.name):
                continue
            try:
                check_file(path, root)
            except Unreadable as problem:
                found.problems.append(ContentError(relative(path, root), 0, problem.message))
                continue
            found.files.append(path)

    visit(folder, 0)
    return found
