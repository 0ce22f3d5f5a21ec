"""run_bytecode.py: with PYTHONDONTWRITEBYTECODE set, the run's commands write their bytecode into the run's folder, read
it from there, and write nothing beside the sources; without it, nothing changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from run_bytecode import VARIABLE, keep_bytecode_in


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """What keep_bytecode_in changes, given back after the test (both variables recorded, whether set or not)."""
    for name in (VARIABLE, "PYTHONPYCACHEPREFIX"):
        monkeypatch.setenv(name, "recorded")
        monkeypatch.delenv(name)
    monkeypatch.setattr(sys, "pycache_prefix", sys.pycache_prefix)
    monkeypatch.setattr(sys, "dont_write_bytecode", sys.dont_write_bytecode)
    return monkeypatch


def a_package(root: Path) -> Path:
    package = root / "probe_package"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("VALUE = 1\n", encoding="utf-8")
    return package


def imported(cwd: Path) -> str:
    """What ``python -v`` says of the package as a command of the run imports it (it inherits the environment)."""
    done = subprocess.run([sys.executable, "-v", "-c", "import probe_package"], cwd=cwd, capture_output=True, text=True, check=True)
    return "\n".join(line for line in done.stderr.splitlines() if "probe_package" in line)


def test_with_the_setting_a_command_keeps_its_bytecode_in_the_runs_folder_and_the_next_one_reads_it(
        tmp_path: Path, environment: pytest.MonkeyPatch) -> None:
    environment.setenv(VARIABLE, "1")
    package = a_package(tmp_path / "src")
    prefix = keep_bytecode_in(tmp_path / "run")
    assert prefix == tmp_path / "run" / "bytecode"
    assert VARIABLE not in os.environ and os.environ["PYTHONPYCACHEPREFIX"] == str(prefix)

    first = imported(tmp_path / "src")
    written = list(prefix.rglob("probe_package/__init__.*.pyc"))
    assert len(written) == 1, (first, sorted(prefix.rglob("*")))
    assert not (package / "__pycache__").exists()
    second = imported(tmp_path / "src")
    assert f"code object from '{written[0]}'" in second, second


def test_without_the_setting_nothing_changes(tmp_path: Path, environment: pytest.MonkeyPatch) -> None:
    environment.setenv(VARIABLE, "")  # empty: Python's "not set"
    assert keep_bytecode_in(tmp_path / "run") is None
    assert os.environ[VARIABLE] == "" and "PYTHONPYCACHEPREFIX" not in os.environ
    package = a_package(tmp_path / "src")
    imported(tmp_path / "src")
    assert list((package / "__pycache__").glob("__init__.*.pyc")), "Python writes its bytecode where it always does"
    assert not (tmp_path / "run").exists()
