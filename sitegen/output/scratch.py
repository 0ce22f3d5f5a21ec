"""Where the search index's scratch copies go: in memory (/dev/shm) when the machine has room there.

Pagefind reads the pages from files and writes its bundle to files (output/search.py), so every build that indexes
a language writes a copy of that language's pages to a temporary folder, Pagefind writes ~1 file a page next to
them, and the folder is read and removed: thousands of files that live for a second. On disk each of them costs the
file system's journal (and a trim on delete where the disk is mounted with ``discard``); on tmpfs it does not, and
nothing about them needs to survive the build. Measured on a 2-core machine (bench/RESULTS.md, issue 26, eleventh
session): the 1,043 Hebrew pages of a 1,000-project site indexed in 1.2 s from /dev/shm and in 2.1 s from /tmp
(ext4), and the whole index of that site — both languages side by side, competing for the disk — took 3.6 s of an
8.2 s cold build with the copies on disk, 2.3 s in memory.

Nothing changes where memory is not the right place:

- ``TMPDIR`` (or ``TEMP``, ``TMP``) set: the person running the build chose where temporary files go;
- no /dev/shm (macOS, Windows), or one we cannot write to;
- less free there than HEADROOM times the pages' size: a container's /dev/shm is 64 MB by default, and a build
  must not fill the memory other programs share.

The folder itself is made by ``tempfile`` (private, a random name), so a world-writable /dev/shm is safe to use."""

from __future__ import annotations

import os
from pathlib import Path

SHARED_MEMORY = Path("/dev/shm")
HEADROOM = 4
"""Free space asked for, as a multiple of the pages' size: the copies (the Hebrew ones a little longer, see
search.py's particles), Pagefind's bundle beside them (~0.2× the pages), and room left for everything else."""
CHOSEN_BY_USER = ("TMPDIR", "TEMP", "TMP")


def scratch_folder(size: int) -> str | None:
    """The folder to make a scratch folder of about ``size`` bytes in: /dev/shm when it suits (see above), else None
    (``tempfile``'s own choice)."""
    if any(os.environ.get(name) for name in CHOSEN_BY_USER):
        return None
    try:
        stats = os.statvfs(SHARED_MEMORY)
    except OSError:
        return None
    if stats.f_bavail * stats.f_frsize < HEADROOM * size or not os.access(SHARED_MEMORY, os.W_OK | os.X_OK):
        return None
    return str(SHARED_MEMORY)
