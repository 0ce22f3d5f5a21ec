"""The templates as Jinja compiled them, kept for the next build (``.cache/templates.pickle``).

Compiling the templates a one-page edit renders (the page's layout, base.html and its partials) took about as long
as rendering the page. Jinja keeps a template's compiled code in a bucket named by the template's path and checked
against a SHA-1 of its source, so an edited template is compiled again. The code is Python bytecode that the build
runs, so the file holding it is sealed (incremental/sealed.py: only a build with this machine's key wrote it) and keyed by
the engine's fingerprint (which names Jinja's and Python's versions); any other file is ignored, and the templates
are compiled as without it. The output is the same byte for byte (``tests/test_kept_sources.py``).
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from sitegen.incremental.entries import KeptEntries

CACHE_NAME = "templates.pickle"
_MAGIC = b"merhav-templates 1\n"


class KeptTemplates(jinja2.BytecodeCache, KeptEntries[bytes]):
    """Jinja's bytecode cache, in one sealed file under ``folder`` (None: nothing kept)."""

    def __init__(self, folder: Path | None):
        KeptEntries.__init__(self, folder, CACHE_NAME, _MAGIC, bytes)

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.find(bucket.key)
        if found is not None:
            bucket.bytecode_from_string(found)  # another source (its checksum differs): left empty, compiled again
            if bucket.code is None:
                self.used.discard(bucket.key)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if self.path is not None:
            self.keep(bucket.key, bucket.bytecode_to_string())

    def clear(self) -> None:
        self.load()
        self.entries, self.changed = {}, True
