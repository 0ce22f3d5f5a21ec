"""Converted texts kept in ``.cache/markdown.pickle``, so that an unchanged text is not converted again.

Converting a text (Python-Markdown, then nh3) depends only on the text, the folder its links are written from, and
its first line (for messages): not on other pages, the base URL or the templates, because links and images come out
as placeholders that ``resolve_links`` fills in later. So each result is kept under the SHA-256 of (engine
fingerprint, folder, line, text) (``job_key``); the engine fingerprint (fingerprint.py) hashes every module of
``sitegen/`` and the versions of Python, Markdown and nh3, so a new engine never reuses an old result.

The file is written whole and atomically, sealed with a key kept outside ``.cache/`` (sealed.py: the seal proves that
a build of this machine, or of CI with its secret, wrote it; a checksum alone proved it whole, not who wrote it), and
unpickled by an unpickler that knows only the result classes: a truncated, corrupt, foreign or forged file is ignored
(and replaced), never used. What the build wrote had passed the sanitiser, so it is not sanitised again (that cost
0.15 s of CPU a build at 1,000 projects, ~0.08 ms a text). Only the results the build used are kept, so it never
grows beyond one site's texts.

model/batch.py's BatchRenderer (the conversion on every core) asks this store first (``get``) and gives it what it
converted (``put``); the store knows nothing of workers, the renderer nothing of files.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

from sitegen.incremental.fingerprint import engine_fingerprint
from sitegen.incremental.sealed import dump_sealed, load_sealed
from sitegen.messages import _rebuild
from sitegen.model.batch import Job
from sitegen.model.markup import LinkRef, Rendered

CACHE_NAME = "markdown.pickle"
_MAGIC = b"merhav-markdown-cache 1\n"


def job_key(job: Job) -> str:
    text, folder, line = job
    return hashlib.sha256(f"{engine_fingerprint()}\0{folder}\0{line}\0".encode() + text.encode("utf-8", "surrogatepass")).hexdigest()


class _OnlyResults(pickle.Unpickler):
    """Unpickles the cache's own classes and nothing else: a file that names another class is refused."""

    ALLOWED = {("sitegen.model.markup", "Rendered"): Rendered, ("sitegen.model.markup", "LinkRef"): LinkRef,
               ("builtins", "set"): set,
               ("sitegen.messages", "_rebuild"): _rebuild}

    def find_class(self, module: str, name: str) -> Any:
        found = self.ALLOWED.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")
        return found


class MarkdownCache:
    """Converted texts by job_key, kept in one file under ``folder`` (None: remember nothing beyond this build)."""

    def __init__(self, folder: Path | None):
        self.path = folder / CACHE_NAME if folder is not None else None
        self.entries: dict[str, Rendered] = {}
        self.used: set[str] = set()
        self.loaded = False
        self.changed = False
        self.rejected = ""
        """Why an existing cache file was not used ('' if it was, or there was none)."""

    def load(self) -> None:
        if self.loaded or self.path is None:
            return
        self.loaded = True
        entries, why = load_sealed(self.path, _MAGIC, _OnlyResults)
        if why or entries is None:
            self.rejected = why
            self.changed = bool(why)
            return
        if isinstance(entries, dict) and all(isinstance(k, str) and isinstance(v, Rendered) and isinstance(v.html, str)
                                             for k, v in entries.items()):
            self.entries = entries  # sealed by a build of this machine's: sanitised when it was converted
        else:
            self.rejected = "it does not hold converted texts"
            self.changed = True

    def get(self, job: Job) -> Rendered | None:
        self.load()
        key = job_key(job)
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, job: Job, value: Rendered) -> None:
        self.load()
        key = job_key(job)
        self.entries[key] = value
        self.used.add(key)
        self.changed = True

    def save(self) -> None:
        """Keep what this build used, in one atomic write. A cache that cannot be written is no error."""
        if self.path is None or not self.loaded:
            return
        if set(self.entries) != self.used:
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
            self.changed = True
        if not self.changed:
            return
        dump_sealed(self.path, _MAGIC, dict(sorted(self.entries.items())))
        self.changed = False
