"""One digest of the engine: its files and the versions of the libraries that shape its output.

Any cache keyed by it (converted texts, rendered pages, "up to date") is void when the engine changes.
Light on purpose: ``build`` asks for it before it imports the rest of the engine (incremental/uptodate.py).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import platform
from functools import cache
from pathlib import Path

LIBRARIES = ("markdown", "nh3", "jinja2", "pagefind", "pagefind_bin", "babel", "pillow", "pyyaml", "pydantic",
             "python-frontmatter", "markupsafe")


@cache
def engine_fingerprint() -> str:
    """Changes whenever a file of the engine (its code, admin.js…) or a library's version changes."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\0".encode())
    digest.update(platform.python_version().encode())
    return digest.hexdigest()
