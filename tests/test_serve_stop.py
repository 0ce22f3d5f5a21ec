"""``python build.py serve`` stopped with SIGTERM (process managers, ``docker stop``, CI cancelling a job, the tests'
own ``proc.terminate()``) ends as on Ctrl-C: a rebuild under way finishes (every page it changes is written, never
some of them), Pagefind is stopped and its temporary folder removed, the process exits at once with 0 and says so.

A real preview on 127.0.0.1 with ``TMPDIR`` pointed at a folder of the test's own, so that what it leaves there is
counted exactly; the moment to send the signal is told by inotify (Linux), not guessed with a sleep: the first file
the rebuild writes into the preview folder, or the first temporary folder of Pagefind.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import REPO, copy_fixture_site
from test_serve import free_port, save, stop, wait_for

from sitegen.output.write import files_no_build_wrote, listed_files
from sitegen.pipeline import check_output_folder

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the moment to stop is told by inotify")

IN_CREATE, IN_MOVED_TO = 0x100, 0x80
MARK = "<!-- generation: {} -->\n"
"""Appended to templates/base.html: every page says which version of the templates it was rendered from."""
EXTRA_PAGES = 150
"""Pages added to the fixture site (in each language), so that rewriting them all takes a while."""


class Inotify:
    """The kernel's events of files made or moved into a few folders (not recursive)."""

    def __init__(self, folders: list[Path]):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_CLOEXEC | os.O_NONBLOCK)
        assert self.fd >= 0, os.strerror(ctypes.get_errno())
        for folder in folders:
            assert self.libc.inotify_add_watch(self.fd, os.fsencode(folder), IN_CREATE | IN_MOVED_TO) >= 0, folder

    def wait(self, seconds: float, name: Callable[[str], bool]) -> str:
        """The name of the first file made whose name passes ``name``, as soon as it is made."""
        deadline = time.monotonic() + seconds
        while True:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, f"no such file was made within {seconds} s"
            events = os.read(self.fd, 1 << 16)
            while events:  # struct inotify_event: wd, mask, cookie, len, then the name (padded with NULs)
                _wd, _mask, _cookie, size = struct.unpack_from("iIII", events)
                found = events[16:16 + size].rstrip(b"\0").decode()
                if name(found):
                    return found
                events = events[16 + size:]

    def close(self) -> None:
        os.close(self.fd)


def start(source: Path, tmp: Path) -> tuple[str, subprocess.Popen[str]]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--source", str(source), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(tmp)})
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/pagefind/pagefind-entry.json", lambda code, body: code == 200, seconds=60)  # the first index written
    return base, proc


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[str]]]:
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            stop(proc)


def terminated(proc: subprocess.Popen[str]) -> str:
    """SIGTERM now; the process must be gone within 20 s (a rebuild of the pages above takes one or two)."""
    proc.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    try:
        output, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
        raise AssertionError(f"still running 20 s after SIGTERM:\n{output}") from None
    assert proc.returncode == 0, f"exit status {proc.returncode} {time.monotonic() - sent:.1f} s after SIGTERM:\n{output}"
    assert "serve: stopped (SIGTERM)" in output and "Traceback" not in output, output
    return output


def generations(preview: Path) -> dict[str, str]:
    """Each HTML page of the preview folder → the templates' version it says it was rendered from."""
    found = {}
    for page in preview.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        at = text.rfind("<!-- generation: ")
        if at >= 0:
            found[page.relative_to(preview).as_posix()] = text[at:].split(" ")[2]
    return found


def temporary_files(source: Path) -> list[str]:
    """What a write cut short leaves in or beside the preview folder (output/write.py)."""
    beside = [p.name for p in source.iterdir() if p.name.startswith((".preview.new-", ".preview.old-"))]
    inside = [p.relative_to(source).as_posix() for p in (source / ".preview").rglob("*") if p.name.endswith(".tmp")]
    return beside + inside


def listed_as_on_disk(source: Path) -> None:
    """The preview folder's manifest lists what it holds, pages and search index alike: started again, the preview
    takes the folder as its own (it refused it when the index's writer had listed its own files only)."""
    preview = source / ".preview"
    on_disk = {p.relative_to(preview).as_posix() for p in preview.rglob("*") if p.is_file() and p.name != ".merhav-site"}
    assert files_no_build_wrote(preview) == []
    assert listed_files(preview) == on_disk
    assert check_output_folder(source, preview) is None


def with_pages(source: Path, count: int) -> Path:
    for i in range(count):
        (source / f"content/extra-{i:03}.he.md").write_text(f"---\ntitle: עמוד {i}\n---\nטקסט {i}.\n", encoding="utf-8")
        (source / f"content/extra-{i:03}.en.md").write_text(f"---\ntitle: Page {i}\n---\nText {i}.\n", encoding="utf-8")
    return source


def test_sigterm_while_the_pages_are_rewritten_lets_the_rebuild_finish(tmp_path: Path, started: list) -> None:
    """On the old code (no handler: SIGTERM killed the process wherever it was) the preview was left with some pages
    of the new templates and some of the old."""
    source = with_pages(copy_fixture_site(tmp_path / "src"), EXTRA_PAGES)
    base_html = source / "templates/base.html"
    template = base_html.read_text(encoding="utf-8")
    base_html.write_text(template + MARK.format("old"), encoding="utf-8")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    _base, proc = start(source, tmp)
    started.append(proc)
    preview = source / ".preview"
    before = generations(preview)
    assert len(before) > 2 * EXTRA_PAGES and set(before.values()) == {"old"}
    watching = Inotify(sorted({preview / Path(page).parent for page in before}))
    try:
        save(base_html, template + MARK.format("new"))  # every page is rendered again, then written one by one
        watching.wait(60, lambda name: name.endswith((".html", ".html.tmp")))
    finally:
        watching.close()
    terminated(proc)
    after = generations(preview)
    assert after.keys() == before.keys(), "no page lost"
    assert set(after.values()) == {"new"}, f"{sum(v == 'old' for v in after.values())} of {len(after)} pages are still the old ones"
    assert temporary_files(source) == []
    assert sorted(os.listdir(tmp)) == []
    listed_as_on_disk(source)


def test_sigterm_while_pagefind_indexes_stops_it(tmp_path: Path, started: list) -> None:
    """Pagefind killed, not left running, when the preview is stopped while it indexes. (An earlier version's folder,
    merhav-search-*, a copy of every page, stayed in the temporary folder for good; the service it speaks to now,
    output/pagefind_service.py, writes none, and nothing may be left there either.) Pages added so that indexing
    takes long enough to be caught, however loaded the machine."""
    source = with_pages(copy_fixture_site(tmp_path / "src"), EXTRA_PAGES // 2)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    _base, proc = start(source, tmp)
    started.append(proc)
    save(source / "content/faculty.en.md", (source / "content/faculty.en.md").read_text(encoding="utf-8") + "\nAdded.\n")
    pagefind = _child_running(proc.pid, b"--service", 60)
    assert pagefind is not None, "caught while indexing"
    terminated(proc)
    assert not Path(f"/proc/{pagefind}").exists(), "Pagefind killed and waited for"
    assert sorted(os.listdir(tmp)) == []
    assert temporary_files(source) == []
    listed_as_on_disk(source)


def _child_running(parent: int, argument: bytes, seconds: float) -> int | None:
    """The pid of a child of ``parent`` whose command line holds ``argument``, looked for until ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_bytes()
                if int(stat.rsplit(b")", 1)[1].split()[1]) == parent and argument in Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0"):
                    return int(entry)
            except (OSError, ValueError, IndexError):  # ended meanwhile
                continue
        time.sleep(0.002)
    return None
