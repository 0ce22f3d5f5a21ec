"""The sources a build read, kept for the next one by their content: an unchanged file is neither parsed nor validated.

Each source file's result — a page with its validated front matter, a data file as read and validated, its problems
with their lines, warnings included — is kept in ``.cache/sources.pickle`` under the file's path and what it is read
as (its kind, the site's languages), beside a SHA-256 of the file's bytes. The next build reads every file again (the
same checks: an ordinary file inside the project, its size) and takes the kept result only when the bytes' digest is
the same: a file changed with the same size and time is seen, as is one whose time alone changed. So an unchanged
page needs no YAML parser and no pydantic: a validated model is kept as its values (sources/validated.py's
``Record``), so a build that reads no file afresh does not import pydantic or the schema, and the result, problems
included, is the one reading the file would give (``tests/test_kept_sources.py``).

The file is sealed (incremental/sealed.py) and keyed by the engine's fingerprint (incremental/fingerprint.py): a file another
engine or another machine wrote, or a damaged one, is not used. Each entry is a pickle of its own, unpickled afresh
for each build by an unpickler that admits the sources' own classes only, so a build that changes what it was given
cannot change what the next build is given.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sitegen.errors import ContentError, relative
from sitegen.incremental.entries import KeptEntries
from sitegen.incremental.stamped import KeptByStatus, Status
from sitegen.messages import _rebuild
from sitegen.model import photos
from sitegen.sources import files, validated, yamlfile
from sitegen.sources.files import MAX_FILE_BYTES, Reader, read_text, text_of, too_large
from sitegen.sources.tree import Unreadable, read_source

CACHE_NAME = "sources.pickle"
_MAGIC = b"merhav-sources 3\n"

T = TypeVar("T")


class _OnlySources(pickle.Unpickler):
    """An entry: the sources' own classes (pages, a validated model's values, YAML with lines, problems), dates, and
    what a file of static/ is (model/photos.py)."""

    ALLOWED = {("sitegen.sources.files", "SourcePage"): files.SourcePage,
               ("sitegen.sources.validated", "Record"): validated.Record,
               ("sitegen.sources.yamlfile", "LineDict"): yamlfile.LineDict,
               ("sitegen.sources.yamlfile", "LineList"): yamlfile.LineList,
               ("sitegen.errors", "ContentError"): ContentError,
               ("sitegen.messages", "_rebuild"): _rebuild,
               ("datetime", "date"): datetime.date, ("datetime", "datetime"): datetime.datetime,
               ("datetime", "time"): datetime.time, ("datetime", "timezone"): datetime.timezone,
               ("datetime", "timedelta"): datetime.timedelta,
               ("builtins", "set"): set, ("builtins", "frozenset"): frozenset,
               ("sitegen.model.photos", "Look"): photos.Look, ("sitegen.model.photos", "Photo"): photos.Photo,
               ("sitegen.model.photos", "Variant"): photos.Variant}

    def find_class(self, module: str, name: str) -> Any:
        found = self.ALLOWED.get((module, name))
        if found is not None:
            return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


class KeptSources(KeptEntries[tuple[bytes, bytes, tuple[str, ...]]]):
    """The last build's results by source file, under ``folder`` (None: keep nothing; every file is read afresh).
    An entry: 'kind\\0path' → (SHA-256 of the file's bytes, the pickled result, the keys of the entries computing it
    used: a page's front matter, kept by its own text).

    A build keeps only the entries it used (entries.py); an entry taken whole keeps those it was made with, so that a
    page read unchanged in one build still finds its front matter kept in the next, where only its text changed."""

    def __init__(self, folder: Path | None, stamped: KeptByStatus | None = None):
        super().__init__(folder, CACHE_NAME, _MAGIC, tuple)
        self.reused = 0
        """How many files this build took from the cache (for the tests and the benchmark)."""
        self._making: list[list[str]] = []
        """The keys used by each entry being computed, the innermost last."""
        self.stamped = stamped if stamped is not None else KeptByStatus(folder)
        """Facts about files kept by their status instead (stamped.py): what Pillow sees in a file of static/."""

    def _valid(self, value: Any) -> bool:
        return (isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], bytes) and isinstance(value[1], bytes)
                and isinstance(value[2], tuple) and all(isinstance(key, str) for key in value[2]))

    def get(self, kind: tuple[str, ...], path: Path, root: Path, compute: Callable[[Reader], T]) -> T:
        """``compute(read)`` for the file ``path``: ``read`` gives its text as ``read_text`` would. Taken from the last
        build when the file's bytes and ``kind`` are the same; else computed from the bytes read here and kept."""
        try:
            data = read_source(path, root, MAX_FILE_BYTES, too_large)
        except Unreadable:
            return compute(read_text)  # its problem is the reading's, reported as always; nothing kept
        rel = relative(path, root)
        return self.by_content(kind, rel, data, lambda: compute(lambda _path, _root: text_of(data, rel)))

    def by_status(self, kind: str, rel: str, status: Status, taken: int, compute: Callable[[], T]) -> T:
        """``compute()``, a function of the bytes of the file ``rel`` opened with ``status`` (``taken``: the clock
        before, in ns): from the last build when the file's status is the same (stamped.py), else computed."""
        return self.stamped.fact(kind, rel, status, taken, compute)

    def by_content(self, kind: tuple[str, ...], rel: str, data: bytes, compute: Callable[[], T]) -> T:
        """``compute()``, a function of the bytes ``data`` of the file ``rel`` (and of ``kind``): from the last build
        when they are the same, else computed and kept."""
        key = "\0".join((*kind, rel))
        if self._making:
            self._making[-1].append(key)
        digest = hashlib.sha256(data).digest()
        found = self.find(key)
        if found is not None and found[0] == digest:
            try:
                value: T = _OnlySources(io.BytesIO(found[1])).load()
            except Exception:  # noqa: BLE001 - an entry that cannot be read is read from the file again
                pass
            else:
                self.reused += 1
                for used in found[2]:  # kept for the next build, as if computing it had used them again
                    self.find(used)
                return value
        self._making.append([])
        try:
            value = compute()
        finally:
            used_keys = tuple(self._making.pop())
        try:
            pickled = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - a result that cannot be kept is computed again next time
            self.used.discard(key)
            return value
        self.keep(key, (digest, pickled, used_keys))
        return value
