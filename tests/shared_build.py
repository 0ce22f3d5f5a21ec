"""Sites built once per test run and shared by every process of the run (docs/testing.md, "In parallel": parallel-safe fixtures).

``python -m pytest`` runs the tests in several processes (pytest-xdist; ``-n`` in pyproject's addopts). A site
that many tests read — the fixture site (conftest.py), sitefactory's built tiny site, the generated catalogue
(catalogue_fixture.py) — is built once per run, by whichever process asks first, into the run's folder; the
others wait on a file lock (filelock) and then use the same folder. Read it; to change anything, copy it first.

The run's folder is made by the process that starts the run (pytest alone, or xdist's controller) in
``pytest_configure``, before any worker starts, so every worker inherits ``$MERHAV_TEST_RUN``; that process
removes it when the run ends. A pytest started by a test inherits it too, and shares
what it builds: a shared folder's name must say everything that makes it differ (its source, its options).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock

RUN_VARIABLE = "MERHAV_TEST_RUN"
DONE = ".done"
"""Written into a shared folder when its ``make`` returned: a folder without it is rebuilt."""


def start_run() -> Path | None:
    """The run's folder, made by the process that starts the run (None when an outer run made it: not ours to remove)."""
    if os.environ.get(RUN_VARIABLE):
        return None
    folder = Path(tempfile.mkdtemp(prefix="merhav-test-run-"))
    os.environ[RUN_VARIABLE] = str(folder)
    return folder


def end_run(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    if os.environ.get(RUN_VARIABLE) == str(folder):
        del os.environ[RUN_VARIABLE]


def run_folder() -> Path:
    """$MERHAV_TEST_RUN; outside pytest's run (a helper imported by a script), a folder of this process's own."""
    given = os.environ.get(RUN_VARIABLE)
    if given:
        return Path(given)
    folder = start_run()
    assert folder is not None
    atexit.register(end_run, folder)
    return folder


def key(*parts: object) -> str:
    """A short name for what makes a shared build differ (a source folder, options)."""
    return hashlib.sha256("\0".join(map(str, parts)).encode()).hexdigest()[:12]


def shared(name: str, make: Callable[[Path], None]) -> Path:
    """The folder ``<run>/<name>``, filled by ``make(folder)`` once per run, whichever process asks first.

    While one process builds, the others wait for the lock. When ``make`` raises, the folder is not marked
    done, the error goes to the test that asked, and the next one to ask builds again (and meets it too)."""
    folder = run_folder() / name
    with FileLock(str(folder) + ".lock"):
        if not (folder / DONE).is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            make(folder)
            (folder / DONE).write_text("", encoding="utf-8")
    return folder
