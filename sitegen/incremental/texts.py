"""Texts that are a pure function of plain data, kept by a digest of that data (``.cache/texts.pickle``).

The forms' configuration (/admin/config.yml) is PyYAML's dump of a mapping made from the schema and the site's
settings: dumping it with PyYAML's emitter took about as long as rendering a page, in every build, for the same
mapping. ``KeptTexts.of(make, value)`` gives ``make(value)``, kept under a SHA-256 of ``value``'s pickle (plain data:
the same pickle is the same value) and the engine's fingerprint (which names PyYAML's version), so a changed value is
dumped again. The file is sealed (model/sealed.py); a file this machine's builds did not write is ignored.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitegen.incremental.sources import _NoClasses
from sitegen.model.fingerprint import engine_fingerprint
from sitegen.model.sealed import dump_sealed, load_sealed

CACHE_NAME = "texts.pickle"
_MAGIC = b"merhav-texts 1\n"


class KeptTexts:
    """Texts by the digest of what they were made from, under ``folder`` (None: every text is made afresh)."""

    def __init__(self, folder: Path | None):
        self.path = folder / CACHE_NAME if folder is not None else None
        self.entries: dict[str, str] = {}
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
                and all(isinstance(k, str) and isinstance(v, str) for k, v in value[1].items())):
            self.entries = value[1]
        elif value is not None:
            self.changed = True

    def of(self, make: Callable[[Any], str], value: Any) -> str:
        """``make(value)``, from the last build when ``value`` is the same. ``value``: plain data (dict, list, str,
        numbers, booleans, None), so that its pickle names it; anything else is made afresh."""
        if self.path is None:
            return make(value)
        self._load()
        try:
            pickled = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            _NoClasses.check(pickled)
        except Exception:  # noqa: BLE001 - not plain data: no key to keep it by
            return make(value)
        key = f"{make.__module__}.{make.__qualname__}\0{hashlib.sha256(pickled).hexdigest()}"
        found = self.entries.get(key)
        if found is None:
            found = self.entries[key] = make(value)
            self.changed = True
        self.used.add(key)
        return found

    def save(self) -> None:
        """Keep the texts this build used, in one atomic write. A cache that cannot be written is no error."""
        if self.path is None or not self.loaded:
            return
        if set(self.entries) != self.used:
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
            self.changed = True
        if self.changed:
            dump_sealed(self.path, _MAGIC, (engine_fingerprint(), dict(sorted(self.entries.items()))))
            self.changed = False
