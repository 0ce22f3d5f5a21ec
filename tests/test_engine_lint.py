"""ruff and mypy stay clean on the engine, build.py and the tests (skipped when not installed)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import REPO

pytestmark = pytest.mark.slow


def _tool(name: str) -> list[str]:
    if shutil.which(name) is None:
        pytest.skip(f"{name} is not installed (pip install -r requirements-dev.txt)")
    return [name]


def test_ruff_is_clean() -> None:
    result = subprocess.run([*_tool("ruff"), "check", "sitegen", "build.py", "tests"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    _tool("mypy")
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
