"""A build in which nothing changed, told without reading a single source: make's shortcut.

``stamp_sources`` takes the folder entry of every file a build reads — everything under content/,
data/, templates/ and static/, and the few files of the editors' forms (tools/cms.py) — as (kind,
size, modification and change times in ns, inode); for a link, those of the file it leads to as well
(the build reads that file: a change behind a link is a change). It runs *before* the build reads anything, so a file
saved while a build runs shows as changed to the next one.

After a successful build ``Record`` keeps, in ``.cache/uptodate.pickle``: a digest of the engine, the
options and those stamps; the output folder and what was written into it (write.py's stamps); and the
build's report (its warnings, notes and counts). A build whose digest is the same, and whose output
folder still holds exactly what was written (every file's size, time and inode, and no other file),
prints the same report and writes nothing.

Never trusted: stamps taken less than ``RACY_NS`` after a file was modified (a second save in the same
tick of a coarse clock, to the same size, could not be told apart: git's "racily clean" entries; the change
time is in the stamps, so a modification time set back by hand shows as a change too), a file
that cannot be read, has another magic or a wrong checksum. Any doubt means a real build, which reuses
what it can (incremental/pagecache.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.errors import ContentError
from sitegen.incremental.fingerprint import engine_fingerprint
from sitegen.incremental.sealed import dump_sealed, load_sealed
from sitegen.messages import Message, from_plain
from sitegen.output.write import MANIFEST, Stamp, Written, files_no_build_wrote, listed_files

CACHE_NAME = "uptodate.pickle"
_MAGIC = b"merhav-uptodate 1\n"
STAMPED = ("content", "data", "templates", "static")
RACY_NS = 2_000_000_000
"""Files changed less than this before their stamps were taken are read again by the next build."""

SourceStamps = dict[str, tuple[int, int, int, int, int]]


def stamp_sources(root: Path, extra: Iterable[Path] = ()) -> tuple[SourceStamps, bool]:
    """(the stamps of every entry a build reads, whether they can be trusted by the next build)."""
    taken = time.time_ns()
    stamps: SourceStamps = {}
    trusted = True

    def add(path: str) -> None:
        nonlocal trusted
        try:
            status = os.lstat(path)
        except OSError:
            stamps[os.path.relpath(path, root)] = (-1, 0, 0, 0, 0)
            return
        rel = os.path.relpath(path, root)
        stamps[rel] = _stamp(status)
        if status.st_mtime_ns > taken - RACY_NS:
            trusted = False
        if stat.S_ISLNK(status.st_mode):  # the build reads what the link leads to: a change there is a change
            try:
                target = os.stat(path)
            except OSError:
                stamps[rel + "\0target"] = (-1, 0, 0, 0, 0)
                return
            stamps[rel + "\0target"] = _stamp(target)
            if target.st_mtime_ns > taken - RACY_NS:
                trusted = False

    for name in STAMPED:
        top = os.path.join(root, name)
        add(top)
        for folder, folders, files in os.walk(top):
            for entry in sorted(folders) + sorted(files):
                add(os.path.join(folder, entry))
    for path in extra:
        add(str(path))
    return stamps, trusted


def _stamp(status: os.stat_result) -> tuple[int, int, int, int, int]:
    return stat.S_IFMT(status.st_mode), status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino


def sources_digest(stamps: SourceStamps, options: Any) -> str:
    digest = hashlib.sha256(engine_fingerprint().encode() + b"\0" + repr(options).encode() + b"\0")
    digest.update(json.dumps(sorted(stamps.items())).encode())
    return digest.hexdigest()


@dataclass
class Report:
    """What a build says: its warnings and notes, and the counts of its summary line."""

    warnings: list[ContentError] = field(default_factory=list)
    gaps: list[ContentError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pages: list[tuple[str, int, int]] = field(default_factory=list)
    """(language code, pages, stand-ins) in the configured order."""
    other_files: int = 0


def _plain_errors(errors: list[ContentError]) -> list[tuple[str, int, Any, str]]:
    return [(e.path, e.line, e.message.plain(), e.severity) for e in errors]


def _errors(value: Any) -> list[ContentError]:
    return [ContentError(path, line, from_plain(message), severity) for path, line, message, severity in value]


@dataclass
class UpToDate:
    """What ``up_to_date`` found: the last build's report when nothing changed, else what the next build records."""

    report: Report | None
    digest: str
    trusted: bool
    """Whether the stamps may be recorded (no file modified in the last RACY_NS before they were taken)."""
    seconds: float


def up_to_date(source: Path, out: Path, options: tuple[Any, ...], extra: Iterable[Path], folder: Path | None) -> UpToDate:
    """Stamp the sources (``extra``: the other files a build reads) and compare with the record in ``folder``
    (None: no record). ``options``: what else the output depends on (base URL, drafts, strict)."""
    started = time.monotonic()
    stamps, trusted = stamp_sources(source, extra)
    digest = sources_digest(stamps, (str(source.resolve()), *options))
    report = Record(folder).report_if_up_to_date(digest, out) if folder is not None else None
    return UpToDate(report=report, digest=digest, trusted=trusted, seconds=time.monotonic() - started)


class _NoClasses(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


class Record:
    """``.cache/uptodate.pickle`` under a folder (None: remember nothing)."""

    def __init__(self, folder: Path | None):
        self.path = folder / CACHE_NAME if folder is not None else None

    def report_if_up_to_date(self, digest: str, out: Path) -> Report | None:
        """The last build's report when its digest is ``digest`` and ``out`` still holds exactly what it wrote."""
        stored = self._load()
        if stored is None or stored.get("digest") != digest or stored.get("out") != str(out.resolve()):
            return None
        try:
            written: dict[str, Stamp] = stored["written"]
            report = stored["report"]
            result = Report(warnings=_errors(report["warnings"]), gaps=_errors(report["gaps"]), notes=[from_plain(n) for n in report["notes"]],
                            pages=[(str(code), int(n), int(s)) for code, n, s in report["pages"]],
                            other_files=int(report["other_files"]))
        except (KeyError, TypeError, ValueError):
            return None
        return result if _holds_exactly(out.resolve(), written) else None

    def remember(self, digest: str, trusted: bool, written: Written, report: Report) -> None:
        """Keep this build's digest (when its stamps can be trusted), output and report; else forget the last one."""
        if self.path is None:
            return
        if not trusted:
            try:
                self.path.unlink()
            except OSError:
                pass
            return
        dump_sealed(self.path, _MAGIC, {
            "digest": digest, "out": written.out, "written": written.files,
            "report": {"warnings": _plain_errors(report.warnings), "gaps": _plain_errors(report.gaps), "notes": [n.plain() if isinstance(n, Message) else n for n in report.notes],
                       "pages": report.pages, "other_files": report.other_files},
        })

    def _load(self) -> dict[str, Any] | None:
        if self.path is None:
            return None
        stored, _why = load_sealed(self.path, _MAGIC, _NoClasses)
        return stored if isinstance(stored, dict) else None


def _holds_exactly(out: Path, written: dict[str, Stamp]) -> bool:
    """Whether ``out`` holds the files ``written`` lists, each entry as it was written, and nothing else."""
    for rel, stamp in written.items():
        try:
            status = os.lstat(out / rel)
        except OSError:
            return False
        if not stat.S_ISREG(status.st_mode) or (status.st_size, status.st_mtime_ns, status.st_ino) != tuple(stamp[1:]):
            return False
    return listed_files(out) == set(written) - {MANIFEST} and not files_no_build_wrote(out)
