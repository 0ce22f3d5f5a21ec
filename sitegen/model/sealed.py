"""The caches' file format: a magic line, the SHA-256 of the payload, a blank line, then the payload (a pickle).

A truncated, damaged or foreign file is never used. The pickle streams to and from the file through the digest,
so neither writing nor reading holds the payload's bytes beside the objects it holds: the page cache of a big
site is hundreds of megabytes, and a build's peak memory is the sum of what it holds at once.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
from pathlib import Path
from typing import IO, Any

_DIGEST = 64
"""Hex digits of a SHA-256."""


class _Digesting:
    """A file that adds whatever goes through it to a SHA-256 (what pickle.Pickler and Unpickler need of a file)."""

    def __init__(self, file: IO[bytes]):
        self.file = file
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.file.write(data)

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        return data

    def readline(self) -> bytes:
        data = self.file.readline()
        self.digest.update(data)
        return data


def open_cache_file(path: Path) -> IO[bytes] | None:
    """``path`` opened for reading when it is an ordinary file; else None. A cache folder is restored by CI
    and may be written by anyone who can write the project, so nothing in it is trusted to be what its name
    says: a named pipe would block ``open()`` for ever, so it is opened without waiting (O_NONBLOCK) and
    without following a link (O_NOFOLLOW), then checked."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return None
        return os.fdopen(fd, "rb")
    except OSError:
        os.close(fd)
        return None


def load_sealed(path: Path, magic: bytes, unpickler: type[pickle.Unpickler]) -> tuple[Any, str]:
    """(what the file holds, '') when it is one of ``magic``'s whose checksum matches; else (None, why not: '' when
    there is no file). ``unpickler``: the class that reads it (each cache admits its own classes, or none)."""
    opened = open_cache_file(path)
    if opened is None:
        return None, "it is not an ordinary file" if os.path.lexists(path) else ""
    try:
        with opened as file:
            head = file.read(len(magic) + _DIGEST + 2)
            if not head.startswith(magic) or head[len(magic) + _DIGEST:] != b"\n\n":
                return None, "it is not a cache file of this engine's (another version's, or a damaged one)"
            digesting = _Digesting(file)
            try:
                value = unpickler(digesting).load()
            except Exception as exc:  # noqa: BLE001 - a damaged file: ignored, never used
                return None, f"it cannot be read ({type(exc).__name__})"
            digesting.read()  # anything after the pickle is part of the payload too
    except OSError:
        return None, ""
    if digesting.digest.hexdigest().encode() != head[len(magic):len(magic) + _DIGEST]:
        return None, "its checksum does not match (a truncated or damaged file)"
    return value, ""


def dump_sealed(path: Path, magic: bytes, value: Any) -> None:
    """Pickle ``value`` into ``path`` atomically (beside, then renamed). A cache that cannot be written is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle, "w+b") as file:
                file.write(magic + b"0" * _DIGEST + b"\n\n")
                digesting = _Digesting(file)
                pickle.Pickler(digesting, protocol=pickle.HIGHEST_PROTOCOL).dump(value)  # type: ignore[arg-type]
                file.seek(len(magic))
                file.write(digesting.digest.hexdigest().encode())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return
