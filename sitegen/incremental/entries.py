"""What the incremental caches share: one sealed file of entries by key, for the next build (incremental/sealed.py).

The file holds the engine's fingerprint (incremental/fingerprint.py) and the entries, in plain containers read by an
unpickler that admits no class at all; a file of another engine, or one whose seal does not match, is not used, and
replaced. A build marks the entries it used; the file keeps those alone, written once, and only when they changed.
"""

from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Any, Generic, TypeVar

from sitegen.incremental.fingerprint import engine_fingerprint
from sitegen.incremental.sealed import dump_sealed, load_sealed

V = TypeVar("V")


class NoClasses(pickle.Unpickler):
    """Plain data only (dicts, lists, tuples, text, bytes, numbers): a pickle that names any class is refused."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")

    @classmethod
    def check(cls, pickled: bytes) -> None:
        """Raise UnpicklingError unless ``pickled`` holds plain data only."""
        cls(io.BytesIO(pickled)).load()


class KeptEntries(Generic[V]):
    """Entries by key in the sealed file ``folder/<name>`` (folder None: nothing is kept). ``value_type``: what an
    entry must be (a file holding anything else is not used)."""

    def __init__(self, folder: Path | None, name: str, magic: bytes, value_type: type | tuple[type, ...]):
        self.path = folder / name if folder is not None else None
        self.magic = magic
        self.value_type = value_type
        self.entries: dict[str, V] = {}
        self.used: set[str] = set()
        self.loaded = False
        self.changed = False

    def load(self) -> None:
        if self.loaded or self.path is None:
            return
        self.loaded = True
        value, why = load_sealed(self.path, self.magic, NoClasses)
        self.changed = bool(why)
        if (isinstance(value, tuple) and len(value) == 2 and value[0] == engine_fingerprint() and isinstance(value[1], dict)
                and all(isinstance(k, str) and self._valid(v) for k, v in value[1].items())):
            self.entries = value[1]
        elif value is not None:
            self.changed = True  # another engine's: replaced

    def _valid(self, value: Any) -> bool:
        return isinstance(value, self.value_type)

    def find(self, key: str) -> V | None:
        """The entry ``key`` (marked as used), or None."""
        self.load()
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def keep(self, key: str, value: V) -> None:
        self.load()
        self.entries[key] = value
        self.used.add(key)
        self.changed = True

    def save(self) -> None:
        """Keep the entries this build used, in one atomic write. A cache that cannot be written is no error."""
        if self.path is None or not self.loaded:
            return
        if set(self.entries) != self.used:
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
            self.changed = True
        if self.changed:
            dump_sealed(self.path, self.magic, (engine_fingerprint(), dict(sorted(self.entries.items()))))
            self.changed = False
