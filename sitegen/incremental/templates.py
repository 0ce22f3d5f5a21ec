"""The templates as Jinja compiled them, kept for the next build (``.cache/templates.pickle``).

Compiling the templates a one-page edit renders (the page's layout, base.html and its partials) took about as long
as rendering the page. Jinja keeps a template's compiled code in a bucket named by the template's path and checked
against a SHA-1 of its source, so an edited template is compiled again. The code is Python bytecode that the build
runs, so the file holding it is sealed (model/sealed.py: only a build with this machine's key wrote it) and keyed by
the engine's fingerprint (which names Jinja's and Python's versions); any other file is ignored, and the templates
are compiled as without it. The output is the same byte for byte (``tests/test_kept_sources.py``).
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from sitegen.incremental.sources import _NoClasses
from sitegen.model.fingerprint import engine_fingerprint
from sitegen.model.sealed import dump_sealed, load_sealed

CACHE_NAME = "templates.pickle"
_MAGIC = b"merhav-templates 1\n"


class KeptTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache, in one sealed file under ``folder`` (None: nothing kept)."""

    def __init__(self, folder: Path | None):
        self.path = folder / CACHE_NAME if folder is not None else None
        self.entries: dict[str, bytes] = {}
        self.used: set[str] = set()
        self.loaded = False
        self.changed = False

    def _load(self) -> None:
        if self.loaded or self.path is None:
            return
        self.loaded = True
        value, why = load_sealed(self.path, _MAGIC, _NoClasses)
        self.changed = bool(why)
        if (isinstance(value, tuple) and len(value) == 2 and value[0] == engine_fingerprint() and isinstance(value[1], dict)
                and all(isinstance(k, str) and isinstance(v, bytes) for k, v in value[1].items())):
            self.entries = value[1]
        elif value is not None:
            self.changed = True

    def load_bytecode(self, bucket: Bucket) -> None:
        self._load()
        found = self.entries.get(bucket.key)
        if found is not None:
            bucket.bytecode_from_string(found)  # another source (its checksum differs): left empty, compiled again
            if bucket.code is not None:
                self.used.add(bucket.key)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if self.path is None:
            return
        self._load()
        self.entries[bucket.key] = bucket.bytecode_to_string()
        self.used.add(bucket.key)
        self.changed = True

    def clear(self) -> None:
        self.entries, self.changed = {}, True

    def save(self) -> None:
        """Keep the templates this build used, in one atomic write. A cache that cannot be written is no error."""
        if self.path is None or not self.loaded:
            return
        if set(self.entries) != self.used:
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
            self.changed = True
        if self.changed:
            dump_sealed(self.path, _MAGIC, (engine_fingerprint(), dict(sorted(self.entries.items()))))
            self.changed = False
