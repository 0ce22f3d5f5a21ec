"""Texts that are a pure function of plain data, kept by a digest of that data (``.cache/texts.pickle``).

The forms' configuration (/admin/config.yml) is PyYAML's dump of a mapping made from the schema and the site's
settings: dumping it with PyYAML's emitter took about as long as rendering a page, in every build, for the same
mapping. ``KeptTexts.of(make, value)`` gives ``make(value)``, kept under a SHA-256 of ``value``'s repr (plain data:
one repr for one value, whichever objects it shares) and the engine's fingerprint (which names PyYAML's version), so
a changed value is dumped again. The configuration's text is kept by its inputs (tools/cms.py ``config_inputs``: plain data gathered
without the schema), so that a build whose inputs are the same imports neither pydantic nor PyYAML to make it. The file is sealed (incremental/sealed.py); a file this machine's builds did not write is ignored.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitegen.incremental.entries import KeptEntries, NoClasses

CACHE_NAME = "texts.pickle"
_MAGIC = b"merhav-texts 1\n"


class KeptTexts(KeptEntries[str]):
    """Texts by the digest of what they were made from, under ``folder`` (None: every text is made afresh)."""

    def __init__(self, folder: Path | None):
        super().__init__(folder, CACHE_NAME, _MAGIC, str)

    def of(self, make: Callable[[Any], str], value: Any) -> str:
        """``make(value)``, from the last build when ``value`` is the same. ``value``: plain data (dict, list, str,
        numbers, booleans, None), so that its pickle names it; anything else is made afresh."""
        if self.path is None:
            return make(value)
        try:
            NoClasses.check(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001 - not plain data: no key to keep it by
            return make(value)
        # The key is the data's repr, not its pickle: pickle writes an object met twice once and refers to it after, so
        # equal data whose strings are one object (read back from a cache) and two (parsed afresh) pickled apart. For
        # plain data (dicts, lists, tuples, strings, numbers, booleans, None) repr is one text for one value.
        key = f"{make.__module__}.{make.__qualname__}\0{hashlib.sha256(repr(value).encode('utf-8', 'surrogatepass')).hexdigest()}"
        found = self.find(key)
        if found is None:
            found = make(value)
            self.keep(key, found)
        return found
