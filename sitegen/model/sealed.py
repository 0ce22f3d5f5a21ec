"""The caches' file format: a magic line, the SHA-256 of the payload, a blank line, then the payload.

A truncated, damaged or foreign file is told apart before anything in it is read, and the payload is neither
copied nor joined to its header on the way in or out: the page cache of a big site is hundreds of megabytes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

_DIGEST = 64
"""Hex digits of a SHA-256."""


def read_sealed(path: Path, magic: bytes) -> tuple[bytes | None, str]:
    """(the payload, '') when the file is one of ``magic``'s with a matching checksum; else (None, why not: '' when
    there is no file)."""
    try:
        with open(path, "rb") as file:
            head = file.read(len(magic) + _DIGEST + 2)
            payload = file.read()
    except OSError:
        return None, ""
    if not head.startswith(magic) or head[len(magic) + _DIGEST:] != b"\n\n":
        return None, "it is not a cache file of this engine's (another version's, or a damaged one)"
    if hashlib.sha256(payload).hexdigest().encode() != head[len(magic):len(magic) + _DIGEST]:
        return None, "its checksum does not match (a truncated or damaged file)"
    return payload, ""


def write_sealed(path: Path, magic: bytes, payload: bytes) -> None:
    """Write atomically (beside, then renamed); a cache that cannot be written is no error: nothing happens."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(magic + hashlib.sha256(payload).hexdigest().encode() + b"\n\n")
                file.write(payload)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return
