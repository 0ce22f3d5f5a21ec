"""Facts about a file kept by its folder entry, for what a build would otherwise read whole to learn one small thing.

A fact is a function of a file's bytes alone: the SHA-256 of a file published as it is (sources/streamed.py: a file of
static/, Decap's bundle for /admin/), or whether Pillow sees a picture in a file of static/ whose name promises none
(model/photos.py: the sniff imports Pillow and all its formats, ~0.1 s of CPU for a licence's text). It is kept in
``.cache/stamped.pickle`` under its kind and the file's path, beside the status the file had when it was read: device,
inode, size, modification and change times in ns (``streamed.Stamp``). The next build opens the file as always (the
same checks: an ordinary file inside the project) and takes the kept fact only when that status is the same.

This is the rule the whole build's "Up to date" already follows (uptodate.py), for one file: a fact is kept only when
the file's modification and change times were at least ``RACY_NS`` older than the moment before its status was
taken, so a second save in the same tick of a coarse clock, to the same size, cannot hide behind the first; and the
change time, which no program can set back, is in the status, so a file rewritten with the same size and its
modification time restored is read again (tests/test_kept_by_status.py). A file written since, even one byte, has
another status. The file is sealed (sealed.py), keyed by the engine's fingerprint, and holds plain data only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sitegen.incremental.entries import KeptEntries
from sitegen.incremental.uptodate import RACY_NS

CACHE_NAME = "stamped.pickle"
_MAGIC = b"merhav-stamped 1\n"

T = TypeVar("T")

Status = tuple[int, ...]
"""(device, inode, size, modification time in ns, change time in ns): sources/streamed.py's ``Stamp``; for a fact of
several files (the name of Decap's folder, from all its files), theirs one after the other."""
_FIELDS = 5


def trusted(status: Status, taken: int) -> bool:
    """Whether a fact read from a file of ``status`` may be kept: its times are ``RACY_NS`` older than ``taken`` (the
    clock, in ns, read before the status was)."""
    return all(status[i + 3] <= taken - RACY_NS and status[i + 4] <= taken - RACY_NS for i in range(0, len(status), _FIELDS))


class KeptByStatus(KeptEntries[tuple]):
    """The last build's facts about files by their status, under ``folder`` (None: nothing kept, every file read).
    An entry: 'kind\\0path' → (status, fact); a fact is plain data (text, bytes, numbers, None, a truth value)."""

    def __init__(self, folder: Path | None):
        super().__init__(folder, CACHE_NAME, _MAGIC, tuple)
        self.reused = 0
        """How many facts this build took from the cache (for the tests and the benchmark)."""

    def _valid(self, value: Any) -> bool:
        return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], tuple) and len(value[0]) % _FIELDS == 0
                and all(type(part) is int for part in value[0]))

    def fact(self, kind: str, rel: str, status: Status, taken: int, compute: Callable[[], T]) -> T:
        """``compute()``, a function of the bytes of the file ``rel`` alone, which had ``status`` when it was opened
        (``taken``: the clock before that, in ns): the last build's when the status is the same, else computed and kept
        when the status can be trusted."""
        key = f"{kind}\0{rel}"
        if not status or len(status) % _FIELDS:
            raise ValueError(f"not a file's status: {status!r}")
        found = self.find(key)
        if found is not None and found[0] == tuple(status):
            self.reused += 1
            return found[1]  # type: ignore[no-any-return]
        value = compute()
        if trusted(status, taken):
            self.keep(key, (tuple(status), value))
        else:  # not kept, and the last build's fact is of another status: dropped
            self.used.discard(key)
        return value
