"""The Pagefind binary the build runs is the one pagefind's own ``get_executable`` finds (output/search.py finds it
without importing ``pagefind.service``, which imports asyncio in every build that indexes a language)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.output.search import pagefind_binary


def test_the_same_binary_as_pagefinds_own_lookup(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from pagefind.service import get_executable

    assert pagefind_binary() == get_executable() and pagefind_binary() is not None
    given = tmp_path / "pagefind-elsewhere"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(given))
    assert pagefind_binary() == get_executable() == given


def test_a_build_that_indexes_does_not_import_pagefind_service() -> None:
    code = ("import sys\nfrom sitegen.output.search import run_pagefind\n"
            "bundle = run_pagefind([('en/index.html', '<html lang=\"en\"><body><main data-pagefind-body>Word</main></body></html>')])\n"
            "assert 'pagefind/pagefind-entry.json' in bundle, sorted(bundle)\n"
            "assert 'pagefind.service' not in sys.modules and 'asyncio' not in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
