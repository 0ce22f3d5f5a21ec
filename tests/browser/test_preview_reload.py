"""The live preview in Chromium: a saved edit shows without touching the browser, twice in a row,
with the site's Content-Security-Policy in force (the reload script is a file, its channel an
event stream of the same origin: sitegen/preview/reload.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import free_port
from conftest import REPO, copy_fixture_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    source = copy_fixture_site(tmp_path / "src")
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--source", str(source), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "serve did not start"
                time.sleep(0.1)
        yield base, source
    finally:
        proc.terminate()
        proc.wait(10)


def test_an_edit_reloads_the_open_page_twice_in_a_row(page: Any, page_problems: list[str], preview: tuple[str, Path]) -> None:
    base, source = preview
    page.goto(base + "/en/faculty/")
    page.wait_for_function("() => !!document.querySelector('script[src=\"/_preview/reload.js\"]')")
    text = source / "content" / "faculty.en.md"
    original = text.read_text(encoding="utf-8")
    for n in (1, 2):  # the second save right after the first: no window in which changes are ignored
        marker = f"Saved while previewing, number {n}."
        text.write_text(original + f"\n\n{marker}\n", encoding="utf-8")
        # (while the reloaded page is still parsing its <head>, which now loads menu.js, there is no body yet)
        page.wait_for_function("m => !!document.body && document.body.innerText.includes(m)", arg=marker, timeout=15000)
    # the page's requests still under way when it reloads (its event stream, a favicon) end "aborted", as they should:
    # page_problems leaves out an abort that a navigation caused
    assert not page_problems, page_problems
    assert page.evaluate("!!document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]')")
