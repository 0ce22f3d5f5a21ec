"""The real content through the command line: a build is deterministic."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, Built
from .served_site import build_lock

pytestmark = pytest.mark.slow


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_of_the_content_are_byte_identical(tmp_path: Path, real_site: Built) -> None:
    """The session's build (in this process) and one by the command line (another process, so another hash seed),
    which writes the source's .cache/ as the other builds of it do: one at a time."""
    with build_lock(real_site.source):
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--source", str(real_site.source), "--out", str(tmp_path / "site"),
                               "--base-url", real_site.base_url], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert tree(tmp_path / "site") == tree(real_site.root)
