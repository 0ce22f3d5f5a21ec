"""The only module that writes to disk: everything into a temporary folder, then one swap.

A failed build (an exception while writing, a full disk) leaves the previous output folder
byte-for-byte as it was and no temporary folder behind; a failure of the disk is reported
as a problem (``BuildFailed``), never as a traceback. Nothing is written outside the output
folder: every path is checked first, and the temporary folder is new and empty.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.errors import BuildFailed, ContentError
from sitegen.messages import msg
from sitegen.sources.streamed import SourceFile, copy_source
from sitegen.sources.tree import Unreadable

MANIFEST = ".merhav-site"
"""Written into every output folder: the list of the files the build wrote. A folder is replaced only when it
holds nothing else (pipeline.check_output_folder): a file put there by hand is never deleted."""
_MANIFEST_HEAD = "# Written by a Merhav build: the files below. A build replaces this folder only while it holds nothing else.\n"
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?:new|old)-(?P<pid>\d+)-[^/]*$")


Stamp = tuple[str, int, int, int]
"""A written file: (digest of its bytes, size, modification time in ns, inode)."""

Output = bytes | SourceFile
"""What a file of the output is made of: its bytes, or (a static file published as it is) its source, copied in chunks
(sources/streamed.py)."""


@dataclass
class Written:
    """The files a build wrote into an output folder, as they were right after it."""

    out: str
    """The output folder (resolved)."""
    files: dict[str, Stamp] = field(default_factory=dict)


class UnsafePath(ValueError):
    pass


def in_memory(files: Mapping[str, Output]) -> dict[str, bytes]:
    """The files held as bytes (pages, feeds, variants…): all but the static files published by reference."""
    return {rel: data for rel, data in files.items() if isinstance(data, bytes)}


def with_manifest(files: Mapping[str, Output]) -> dict[str, Output]:
    return {**files, MANIFEST: manifest_of(files)}


def manifest_of(paths: Iterable[str]) -> bytes:
    """The manifest listing ``paths``."""
    listed = sorted(set(paths) - {MANIFEST})
    return (_MANIFEST_HEAD + "".join(f"{p}\n" for p in listed)).encode("utf-8")


class Listing:
    """The manifest of a folder that several writers fill, each from a thread of its own (the preview: its pages'
    build, and its search index): each says what it holds now, and the manifest lists what they all hold. Without
    it each writer's manifest listed its own files only, and the preview, started again, refused its own folder."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._lock = threading.Lock()
        self._parts: dict[str, frozenset[str]] = {}
        self._written = b""

    def holds(self, part: str, files: Iterable[str], replaced: bool = False) -> None:
        """``part`` now holds ``files`` in the folder (written there already); ``replaced``: the folder was just
        replaced (write_site), and holds those alone."""
        held = frozenset(files)
        with self._lock:
            if not replaced and self._parts.get(part) == held:
                return  # (a page edited: the same files, the same manifest)
            parts = {**({} if replaced else self._parts), part: held}
            data = manifest_of(set().union(*parts.values()))
            if data != self._written or replaced:
                target = self.out / MANIFEST
                temporary = target.with_name(f".{MANIFEST}.tmp")
                try:
                    temporary.write_bytes(data)
                    os.replace(temporary, target)
                except BaseException:  # not written: the next call writes it
                    temporary.unlink(missing_ok=True)
                    raise
            self._parts, self._written = parts, data


def listed_files(out: Path) -> set[str] | None:
    """The files the manifest of ``out`` lists, or None when it has none (or one that is not a build's)."""
    manifest = out / MANIFEST
    try:
        if manifest.is_symlink() or not manifest.is_file():
            return None
        text = manifest.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith(_MANIFEST_HEAD):
        return None
    return set(text[len(_MANIFEST_HEAD):].splitlines())


def files_no_build_wrote(out: Path) -> list[str]:
    """The files (links and other kinds included) under ``out`` that its manifest does not list, in order."""
    listed = listed_files(out) or set()
    extra = []
    for folder, folders, names in os.walk(out):
        folders.sort()
        for name in sorted(names) + [d for d in folders if os.path.islink(os.path.join(folder, d))]:
            rel = os.path.relpath(os.path.join(folder, name), out).replace(os.sep, "/")
            if rel != MANIFEST and rel not in listed:
                extra.append(rel)
    return sorted(extra)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_leftovers(out: Path) -> None:
    """Temporary folders beside ``out`` that an interrupted build (kill -9, a power cut) left behind: the previous
    site in an '.old-' folder is put back when ``out`` is missing; then they are removed. Folders of a build
    still running (its process id is in the name) are left alone."""
    try:
        siblings = sorted(out.parent.iterdir())
    except OSError:
        return
    for path in siblings:
        match = _TEMPORARY.match(path.name)
        if not match or match["name"] != out.name or not path.is_dir() or path.is_symlink() or _alive(int(match["pid"])):
            continue
        if ".old-" in path.name and (path / "site").is_dir() and not out.exists() and not out.is_symlink():
            try:
                os.rename(path / "site", out)
            except OSError:
                continue
        shutil.rmtree(path, ignore_errors=True)


def safe_relative(path: str) -> str:
    """Refuse any output path that could leave the output folder."""
    normal = posixpath.normpath(path)
    if path.startswith("/") or normal.startswith("..") or "\\" in path or "\0" in path or normal in (".", ""):
        raise UnsafePath(f"refusing to write outside the output folder: {path!r}")
    return normal


def write_site(files: Mapping[str, Output], out: Path, last: Written | None = None) -> Written:
    """Replace ``out`` by a folder holding exactly ``files`` ({relative path: bytes, or the source to copy}) and the
    manifest.

    ``last``: what the previous build wrote there (incremental/pagecache.py). A file whose bytes are those it wrote,
    and whose entry in ``out`` is still the one it wrote (size, modification time, inode), is linked into the
    new folder instead of being written again; when that holds for every file and ``out`` holds nothing else,
    ``out`` is left as it is. Returns what is in ``out`` now, for the next build."""
    out = out.resolve()
    try:
        checked = {safe_relative(p): data for p, data in with_manifest(files).items()}
    except UnsafePath as exc:
        raise BuildFailed([ContentError(str(out), 0, msg("{exc} — rename the source file that makes it", exc=exc))]) from exc
    digests = {rel: digest_of(data) for rel, data in checked.items()}
    same = _unchanged(out, digests, last)
    if same == set(checked) and listed_files(out) == set(checked) - {MANIFEST} and not files_no_build_wrote(out):
        return Written(out=str(out), files={rel: last.files[rel] for rel in checked})  # type: ignore[union-attr]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(out)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-{os.getpid()}-", dir=out.parent))
    except OSError as exc:
        raise _failed(out, exc) from exc
    old: Path | None = None
    try:
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it private; a web server must read the site
        made: set[str] = set()
        for rel, data in sorted(checked.items()):
            target = staging / rel
            folder = rel.rpartition("/")[0]
            if folder and folder not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(folder)
            if rel in same:
                try:
                    os.link(out / rel, target)
                    continue
                except OSError:  # a file system without links: write it
                    pass
            put(target, data)
        stamps = {rel: _stamp(digests[rel], os.lstat(staging / rel)) for rel in checked}
        if out.exists() or out.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-", dir=out.parent))
            os.rename(out, old / "site")
        os.rename(staging, out)
    except BaseException as exc:
        if old is not None and (old / "site").exists() and not out.exists():
            os.rename(old / "site", out)
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        if isinstance(exc, BuildFailed):  # a source that changed while it was copied: its own message
            raise
        if isinstance(exc, Exception):  # Ctrl-C and exits go on up, after the clean-up
            raise _failed(out, exc) from exc
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return Written(out=str(out), files=stamps)


def digest_of(data: Output) -> str:
    """What tells a file's bytes apart: a digest of them (for a source: the one read in chunks)."""
    if isinstance(data, SourceFile):
        return f"sha256:{data.digest}"
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def put(target: Path, data: Output) -> None:
    """Make the new file ``target`` of ``data``: its bytes written, or its source copied in chunks; BuildFailed at the
    source's path when the source changed since it was read (or is gone)."""
    if not isinstance(data, SourceFile):
        target.write_bytes(data)
        return
    try:
        copy_source(data, target)
    except Unreadable as unreadable:
        raise BuildFailed([ContentError(data.shown, 0, unreadable.message)]) from None


def _stamp(digest: str, status: os.stat_result) -> Stamp:
    return digest, status.st_size, status.st_mtime_ns, status.st_ino


def _unchanged(out: Path, digests: dict[str, str], last: Written | None) -> set[str]:
    """The files whose bytes the last build wrote into ``out`` and whose entries are still the ones it wrote."""
    if last is None or last.out != str(out):
        return set()
    same = set()
    for rel, digest in digests.items():
        stamp = last.files.get(rel)
        if stamp is None or stamp[0] != digest:
            continue
        try:
            status = os.lstat(out / rel)
        except OSError:
            continue
        if stat.S_ISREG(status.st_mode) and _stamp(digest, status) == stamp:
            same.add(rel)
    return same


def sync_site(files: Mapping[str, Output], out: Path, previous: Mapping[str, Output] | None,
              only: set[str] | None = None, manifest: bool = True) -> list[str]:
    """For the live preview: write only the files whose bytes changed, remove vanished ones.

    Each file is replaced atomically (written beside, then renamed), so the browser never
    reads half a page. Returns the paths written or removed. Without ``previous`` (the first
    build of a session) the whole folder is swapped in with write_site. ``only``: the files
    the update may have changed (the others are not compared). ``manifest=False``: the folder's manifest is left
    alone (a Listing writes it: the files are not the folder's only ones).
    """
    if previous is None:
        write_site(files, out)
        return sorted(files)
    if manifest:
        files, previous = with_manifest(files), with_manifest(previous)
        if only is not None:
            only = only | {MANIFEST}
    touched = []
    candidates = files.items() if only is None else ((rel, files[rel]) for rel in only if rel in files)
    for rel, data in sorted(candidates):
        if previous.get(rel) == data:
            continue
        target = out / safe_relative(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.unlink(missing_ok=True)
        try:
            put(temporary, data)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        os.replace(temporary, target)
        touched.append(rel)
    for rel in sorted(set(previous) - set(files)) if only is None else ():
        target = out / safe_relative(rel)
        if target.is_file():
            target.unlink()
            touched.append(rel)
    return touched


def _failed(out: Path, exc: Exception) -> BuildFailed:
    if isinstance(exc, OSError):
        message = msg("cannot write the site: {value} — free some disk space or fix the folder's permissions, then build "
                      "again", value=exc.strerror or exc)
    else:
        message = (msg("cannot write the site ({name}: {exc}) — build again; if it happens again, report this message to "
                       "the site's developers", name=type(exc).__name__, exc=exc))
    return BuildFailed([ContentError(str(out), 0, message)])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
