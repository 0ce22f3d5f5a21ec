"""One digest of the engine: its files and the versions of the libraries that shape its output.

Any cache keyed by it (converted texts, rendered pages, "up to date") is void when the engine changes.
Light on purpose: ``build`` asks for it before it imports the rest of the engine (incremental/uptodate.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from functools import cache
from pathlib import Path

LIBRARIES = ("markdown", "nh3", "jinja2", "pagefind", "pagefind_bin", "babel", "pillow", "pyyaml", "pydantic",
             "markupsafe")


@cache
def engine_fingerprint() -> str:
    """Changes whenever a file of the engine (its code, admin.js…) or a library's version changes."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        digest.update(f"{name}={library_version(name)}\0".encode())
    digest.update(python_version().encode())
    return digest.hexdigest()


def python_version() -> str:
    """``platform.python_version()`` ("3.11.7"): the first word of ``sys.version``, as platform reads it, without
    importing platform (its regular expressions, at every start of ``build``, "Up to date" included)."""
    return sys.version.split()[0]


def library_version(name: str) -> str:
    """The installed version of the distribution ``name`` ("-" when it is not installed)."""
    return _installed().get(_normal(name)) or _version(name)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@cache
def _installed() -> dict[str, str]:
    """{name: version} from the names of the ``<name>-<version>.dist-info`` folders on sys.path, the first of each
    name, as importlib.metadata finds them — without importing it (with what it imports, a tenth of a second at every
    start of ``build``, the "Up to date" one included)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if folder.endswith(".dist-info"):
                name, _, version = folder.removesuffix(".dist-info").partition("-")
                if version:
                    found.setdefault(_normal(name), version)
    return found


def _version(name: str) -> str:
    """The version importlib.metadata gives (an install with no ``.dist-info`` folder: an egg, a development copy)."""
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"
