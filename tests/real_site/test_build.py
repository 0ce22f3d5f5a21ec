"""The real content through the command line: ``check`` passes, and a build is deterministic."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SOURCE

pytestmark = pytest.mark.slow


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_of_the_content_are_byte_identical(tmp_path: Path) -> None:
    for name in ("one", "two"):
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--source", str(SOURCE), "--out", str(tmp_path / name),
                               "--base-url", "https://merhav.example/sub/"], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
