"""The run's Python bytecode, kept in the run's own folder when the environment asks Python not to write it.

With ``PYTHONDONTWRITEBYTECODE`` set (as it is on the machines we run on), every Python process compiles every module
it imports from source, every time:

- each command the suite starts (``build.py`` build, check, serve, status…, about a hundred in a run) compiled the
  engine again: ``build.py check`` of the fixture site took 0.75-0.81 s of CPU so, 0.47-0.60 s with its bytecode;
- each xdist worker rewrote and compiled every test module it collects (pytest's assertion rewriting), the same
  modules as the other workers (~12 s of the workers' CPU in a run, sampled).

``keep_bytecode_in(folder)`` lets the run's processes write their bytecode, but only under ``folder``
(``PYTHONPYCACHEPREFIX``, inherited by the workers and by every command a test starts): the run's temporary folder,
removed with it at the end of the run. Nothing is written beside the sources, which is what the setting is for, and
each module is compiled once per run (the standard library and the packages too, as Python then reads bytecode
from the prefix only: ~1.5 s of CPU, once). Without ``PYTHONDONTWRITEBYTECODE`` nothing changes: Python keeps its
bytecode where it always does (``__pycache__``, ignored by git).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

VARIABLE = "PYTHONDONTWRITEBYTECODE"


def keep_bytecode_in(folder: Path) -> Path | None:
    """The folder the run's bytecode now goes to, or None when Python writes it where it always does.

    Called before pytest-xdist starts its workers, which inherit the environment. An empty value of the variable is
    Python's "not set"."""
    if not os.environ.get(VARIABLE):
        return None
    prefix = folder / "bytecode"
    del os.environ[VARIABLE]
    os.environ["PYTHONPYCACHEPREFIX"] = str(prefix)
    sys.pycache_prefix = str(prefix)  # this process's later imports too (with -n 0, the test modules)
    sys.dont_write_bytecode = False
    return prefix
