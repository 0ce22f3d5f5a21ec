"""Source files published as they are, by reference: never held whole in memory.

A static file that the build does not change (not a photo, a fingerprinted stylesheet or a listed web page) travels
through the build as a ``SourceFile``: where it is, its size, a SHA-256 of its bytes read in chunks, and the status it
was read with. output/write.py copies it into the new output folder from a descriptor opened with the same checks as
``read_source`` (sources/tree.py: no pipe, device or link out of the project), in the kernel where it can
(``copy_file_range``), keeping a sparse file's holes. When the file's status is no longer the one it was read with,
the copy stops with ``CHANGED`` at the file's path: the build fails and the previous site stays as it was.

A 1.5 GB file in static/ held as bytes raised a build's peak memory to 2.9 GB (issue 24); streamed, the build's
memory does not grow with it.
"""

from __future__ import annotations

import errno
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from sitegen.errors import relative
from sitegen.messages import msg
from sitegen.sources.tree import Unreadable, _why, open_source

CHUNK = 1 << 20
"""Bytes read at a time (1 MiB)."""

CHANGED = msg("the file changed while the site was being built — build again")

Stamp = tuple[int, int, int, int, int]
"""(device, inode, size, modification time in ns, change time in ns): a file's identity and state when it was read."""


@dataclass(frozen=True)
class SourceFile:
    """A file to be published as it is, by reference to its source."""

    path: str
    """Where it is (as found, links not resolved: the checks follow them again at the copy)."""
    root: str
    """The project folder it must stay inside."""
    size: int
    digest: str
    """SHA-256 of its bytes, in hex."""
    stamp: Stamp

    @property
    def shown(self) -> str:
        """Its path as editors see it (static/…)."""
        return relative(self.path, self.root)


def stamp_of(status: os.stat_result) -> Stamp:
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns


Remembered = Callable[[str, Stamp, int, Callable[[], str]], str]
"""``remembered(rel, stamp, taken, digest)``: ``digest()`` of the file ``rel`` opened with the status ``stamp`` (``taken``:
the clock before it was opened, in ns), or what it gave for the same status before (a build keeps it by the file's
status: sitegen/incremental/stamped.py), so that an unchanged file is not read whole again."""


def stream_source(path: Path, root: Path, remembered: Remembered | None = None) -> SourceFile:
    """``path`` as a reference: its bytes digested in chunks (``remembered``: or the digest kept for its status);
    Unreadable when it is no ordinary file of the project (sources/tree.py) or changed while being read."""
    taken = time.time_ns()
    fd, status = open_source(path, root)
    try:
        stamp = stamp_of(status)
        if remembered is None:
            digest = _digest(fd, status)
        else:
            digest = remembered(relative(path, root), stamp, taken, partial(_digest, fd, status))
    except OSError as exc:
        raise _why(path, exc) from None
    finally:
        os.close(fd)
    return SourceFile(path=str(path), root=str(root), size=status.st_size, digest=digest, stamp=stamp)


def _digest(fd: int, status: os.stat_result) -> str:
    """The SHA-256 of the file open as ``fd`` (``status``: as it was opened), read in chunks; Unreadable(CHANGED) when
    it changed while being read."""
    digest = hashlib.sha256()
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    read = 0
    while count := os.readv(fd, [buffer]):
        digest.update(view[:count])
        read += count
    if read != status.st_size or stamp_of(os.fstat(fd)) != stamp_of(status):
        raise Unreadable(CHANGED)
    return digest.hexdigest()


@contextmanager
def opened(path: Path, root: Path) -> Iterator[BinaryIO]:
    """The file ``path`` open for reading (to look at its first bytes), with read_source's checks; a failure to read
    it is Unreadable too."""
    fd, _status = open_source(path, root)
    with os.fdopen(fd, "rb") as file:
        try:
            yield file
        except OSError as exc:
            raise _why(path, exc) from None


def copy_source(source: SourceFile, target: Path) -> None:
    """Copy ``source`` into the new file ``target``; Unreadable (CHANGED among others) when the source is no longer
    the file it was read as, before or during the copy."""
    fd, status = open_source(Path(source.path), Path(source.root))
    try:
        if stamp_of(status) != source.stamp:
            raise Unreadable(CHANGED)
        with open(target, "xb") as out:
            _copy_data(fd, out.fileno(), source.size)
        if stamp_of(os.fstat(fd)) != source.stamp:
            raise Unreadable(CHANGED)
    finally:
        os.close(fd)


def _copy_data(source: int, target: int, size: int) -> None:
    """The bytes of ``source`` up to ``size`` into ``target``, region of data by region (holes stay holes)."""
    offset = 0
    while offset < size:
        try:
            start = os.lseek(source, offset, os.SEEK_DATA)
            end = min(os.lseek(source, start, os.SEEK_HOLE), size)
        except AttributeError:  # a system that cannot tell: all of it
            start, end = offset, size
        except OSError as exc:
            if exc.errno == errno.ENXIO:  # nothing but a hole up to the end
                break
            start, end = offset, size  # a file system that cannot tell: all of it
        if start >= size:
            break
        _copy_range(source, target, start, end)
        offset = end
    os.ftruncate(target, size)


def _copy_range(source: int, target: int, start: int, end: int) -> None:
    while start < end:
        try:
            count = os.copy_file_range(source, target, min(end - start, 1 << 30), start, start)
        except (AttributeError, OSError) as exc:  # no copy_file_range here, or not between these file systems
            if isinstance(exc, OSError) and exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise
            chunk = os.pread(source, min(end - start, CHUNK), start)
            count = len(chunk)
            written = 0
            while written < count:
                written += os.pwrite(target, chunk[written:], start + written)
        if count == 0:  # shorter than it was: the status check after the copy says so
            return
        start += count
