"""The test run's temporary files in memory (tmpfs) where the machine has it.

The suite writes and deletes tens of thousands of small files: fixture sites, their builds, the output folders
swapped in and out, Pagefind's indexes. On the machines we run on (ext4 mounted with ``discard``), each delete
asks the disk to trim and each rename goes through the journal: measured on three build-heavy test files, the
same tests spent 43 s of system CPU on disk and 11 s on tmpfs (174 s and 144 s wall, bench/RESULTS.md, issue 25).
What the tests check does not depend on the kind of file system (hard links, renames, modification and change
times in nanoseconds behave alike on both).

``use_memory_for_temporary_files()`` points ``TMPDIR`` (inherited by the xdist workers and every command a test
starts) and Python's ``tempfile`` at a folder of ours under /dev/shm, so ``tmp_path`` and every temporary folder
of the run live in memory. Nothing changes where that is not possible or not wanted:

- ``TMPDIR`` already set: the person running the tests chose where temporary files go;
- ``MERHAV_TESTS_ON_DISK=1``: to run the suite as it runs on disk (for a comparison, or on a small machine);
- no /dev/shm (macOS, Windows), not a folder we can write, or less than ``MINIMUM_FREE`` free in it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

SHARED_MEMORY = Path("/dev/shm")
MINIMUM_FREE = 2 * 1024**3
"""A whole run's temporary files peaked at 0.6 GB (sampled every 5 s over a run, all of /dev/shm); 2 GB leaves
room for a run beside another. A container's /dev/shm (64 MB by default) or a small machine's stays on disk."""
ON_DISK_VARIABLE = "MERHAV_TESTS_ON_DISK"


def use_memory_for_temporary_files() -> Path | None:
    """The folder now used for temporary files, or None when they stay where they were."""
    if os.environ.get("TMPDIR") or os.environ.get(ON_DISK_VARIABLE):
        return None
    try:
        stats = os.statvfs(SHARED_MEMORY)
    except OSError:
        return None
    if stats.f_bavail * stats.f_frsize < MINIMUM_FREE:
        return None
    folder = SHARED_MEMORY / f"merhav-tests-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        if folder.is_symlink() or folder.stat().st_uid != os.getuid() or not os.access(folder, os.W_OK):
            return None  # /dev/shm is shared by every user of the machine: only a folder of our own
    except OSError:
        return None
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = None  # gettempdir() may already have been asked: let it read TMPDIR again
    return folder
