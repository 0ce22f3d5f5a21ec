"""The caches' file format: a magic line, the seal of the payload, a blank line, then the payload (a pickle).

**The seal** is an HMAC-SHA-256 of the payload keyed with a secret that is *not* in ``.cache/`` (``seal_key``): a
checksum alone proves a file whole, not who wrote it, and anyone who can write ``.cache/`` (a project folder shared
or unzipped from elsewhere, a cache restored from another machine) could write a matching checksum beside a page
holding a script. Only a build that knows the key can write a file the next build trusts; any other file, a
truncated, damaged or foreign one among them, is never used (the build then does that work again). The pickle streams to and from the file through the digest,
so neither writing nor reading holds the payload's bytes beside the objects it holds: the page cache of a big
site is hundreds of megabytes, and a build's peak memory is the sum of what it holds at once.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import stat
import tempfile
from functools import cache
from pathlib import Path
from typing import IO, Any

_DIGEST = 64
"""Hex digits of a SHA-256."""
KEY_VARIABLE = "MERHAV_CACHE_KEY"
"""The environment variable that gives the seal's key (CI: a repository secret, docs/publishing.md)."""
KEY_FILE = Path("merhav") / "cache-key"
"""Else the key is kept here, under the user's configuration folder ($XDG_CONFIG_HOME, or ~/.config): made at random
(32 bytes, readable by the user only) by the first build that needs it."""


@cache
def seal_key() -> bytes:
    """The secret the caches are sealed with: ``$MERHAV_CACHE_KEY``, else the user's key file (made when missing);
    else, when neither can be had, a key of this process alone (its caches are then never trusted by another build:
    slower, never wrong)."""
    given = os.environ.get(KEY_VARIABLE, "")
    if given:
        return hashlib.sha256(b"merhav-cache-seal\0" + given.encode("utf-8", "surrogateescape")).digest()
    home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    path = Path(home) / KEY_FILE
    for _attempt in range(2):
        opened = open_cache_file(path)
        if opened is not None:
            with opened as file:
                key = file.read(1024).strip()
            if len(key) >= 32:
                return hashlib.sha256(b"merhav-cache-seal\0" + key).digest()
        try:  # made beside, then linked into place: two builds starting at once keep the same key
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".cache-key.", dir=path.parent)
            try:
                os.write(handle, secrets.token_hex(32).encode() + b"\n")
                os.close(handle)
                os.link(temporary, path)
            except FileExistsError:
                pass
            finally:
                Path(temporary).unlink(missing_ok=True)
        except OSError:
            break
    return secrets.token_bytes(32)


def seal(payload: bytes) -> bytes:
    """The seal of ``payload`` (64 hex digits), as written in a cache file's header."""
    return hmac.new(seal_key(), payload, hashlib.sha256).hexdigest().encode()


class _Digesting:
    """A file that adds whatever goes through it to the seal (what pickle.Pickler and Unpickler need of a file)."""

    def __init__(self, file: IO[bytes]):
        self.file = file
        self.digest = hmac.new(seal_key(), digestmod=hashlib.sha256)

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
    """(what the file holds, '') when it is one of ``magic``'s whose seal matches; else (None, why not: '' when
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
    if not hmac.compare_digest(digesting.digest.hexdigest().encode(), head[len(magic):len(magic) + _DIGEST]):
        return None, "its seal does not match (a truncated or damaged file, or one this machine's builds did not write)"
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
