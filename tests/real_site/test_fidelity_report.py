"""The fidelity report runs on the real content and accounts for every line of the source text.

It is a report, not a gate: whatever it finds (a line the site writes in parts, a line an editor
rewrote), it exits 0. Here only its completeness is asserted.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow
SOURCE_TEXT = ROOT / "docs" / "source" / "programme.he.txt"


def test_the_report_lists_every_line_of_the_source_text(site_source: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "fidelity", "--source", str(site_source), "--source-text", str(SOURCE_TEXT)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    expected = [n for n, line in enumerate(SOURCE_TEXT.read_text(encoding="utf-8").splitlines(), 1) if not re.fullmatch(r"\s*\d*\s*", line)]
    listed = [int(n) for n in re.findall(r"(?m)^  line +(\d+): (?:on /|in parts \(|NOT FOUND)", done.stdout)]
    assert listed == expected
    head = re.match(r"Fidelity to .* \(\w+\): (\d+) of (\d+) lines are on the site as written, (\d+) in parts, (\d+) not found\.", done.stdout)
    assert head and int(head[2]) == len(expected) == int(head[1]) + int(head[3]) + int(head[4])
