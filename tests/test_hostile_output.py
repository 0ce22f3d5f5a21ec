"""Losing or stranding data: a build replaces its output folder only when every file in it is one a build wrote
(the folder's list of them, output/write.py MANIFEST); an interrupted build (Ctrl-C, TERM, HUP, or kill -9
and the next build) leaves the previous site and no temporary folder; a shell left in the replaced site/ gets
a message, not a traceback.

Why hypothesis here: whatever files, folders and links someone adds to an output folder, the build refuses and
every one of them stays; shrinking names the smallest addition that would be lost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from signal_state import ctrl_c_as_in_a_terminal, described
from sitefactory import built_site, leftovers, run, snapshot

from sitegen.output.write import MANIFEST


def test_a_folder_that_only_looks_like_a_site_keeps_its_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "src"
    built_site(capsys, source)
    web = tmp_path / "www"
    (web / "uploads").mkdir(parents=True)
    for name, data in {"404.html": "x", "robots.txt": "x", "uploads/important.pdf": "%PDF"}.items():
        (web / name).write_text(data, encoding="utf-8")
    before = snapshot(web)
    result = run(capsys, "build", "--source", str(source), "--out", str(web))
    assert result.code == 2
    assert result.err == (f"build.py: error: the output folder {web} has no list of the files a build wrote ({MANIFEST}, written by "
                          "every build since this version), so files put there by hand cannot be told apart — delete the folder if it "
                          "holds only an earlier build, or choose a new or empty folder\n")
    assert snapshot(web) == before


def test_a_file_added_to_a_built_site_is_never_deleted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "src"
    built_site(capsys, source)
    (source / "site/uploads").mkdir()
    (source / "site/uploads/important.pdf").write_bytes(b"%PDF")
    before = snapshot(source / "site")
    result = run(capsys, "build", "--source", str(source))
    assert result.code == 2
    assert result.err == (f"build.py: error: the output folder {source / 'site'} holds files that no build wrote (uploads/important.pdf) "
                          "— it would be replaced: choose a new or empty folder, or the site/ of an earlier build\n")
    assert snapshot(source / "site") == before


def contents(folder: Path) -> dict[str, bytes | str]:
    """Every file (its bytes), link (where it leads) and folder under ``folder``; links are not followed."""
    found: dict[str, bytes | str] = {}
    for directory, folders, names in os.walk(folder):
        for name in folders + names:
            path = Path(directory) / name
            rel = path.relative_to(folder).as_posix()
            found[rel] = f"-> {os.readlink(path)}" if path.is_symlink() else "folder" if path.is_dir() else path.read_bytes()
    return found


ADDITIONS = st.dictionaries(
    st.sampled_from(["notes.txt", "uploads/a.pdf", "en/extra.html", "index.html.bak", ".hidden", "assets/x.css", "deep/er/file",
                     "link", "about/index.html/"]),
    st.sampled_from(["file", "link", "folder"]), min_size=1, max_size=4)


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(additions=ADDITIONS)
def test_whatever_is_added_to_the_output_folder_stays(tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str],
                                                      additions: dict[str, str]) -> None:
    source = tmp_path_factory.mktemp("added") / "src"
    built_site(capsys, source)
    site = source / "site"
    added = 0
    for name, kind in additions.items():
        path = site / name.rstrip("/")
        if path.exists() or path.is_symlink():
            continue  # a file the build wrote: replacing it is the build's job
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "file":
            path.write_text("keep me", encoding="utf-8")
        elif kind == "link":
            os.symlink("/nonexistent", path)
        else:
            path.mkdir()
            (path / "inside.txt").write_text("keep me", encoding="utf-8")
        added += 1
    before = contents(site)
    result = run(capsys, "build", "--source", str(source))
    assert result.code == (2 if added else 0), result.err
    if added:
        assert "holds files that no build wrote" in result.err
        assert contents(site) == before


def signalling(signum: int, after: int) -> Callable[[Path, bytes], int]:
    """A Path.write_bytes that sends ``signum`` to this process after ``after`` files, as kill would mid-build."""
    real, calls = Path.write_bytes, [0]

    def write_bytes(path: Path, data: bytes) -> int:
        calls[0] += 1
        if calls[0] == after:
            SENT.append(described(signum=signum))  # the kernel's view as the signal leaves (tests/signal_state.py)
            os.kill(os.getpid(), signum)
        return real(path, data)

    return write_bytes


SENT: list[str] = []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["INT", "TERM", "HUP"])
def test_an_interrupted_build_leaves_the_site_and_no_temporary_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                      monkeypatch: pytest.MonkeyPatch, signum: int) -> None:
    before = built_site(capsys, tmp_path)
    (tmp_path / "content/about.he.md").write_text("---\ntitle: חדש\n---\nחדש.\n", encoding="utf-8")
    SENT.clear()  # the message below shows this test's signal, not an earlier one's
    monkeypatch.setattr(Path, "write_bytes", signalling(signum, after=3))
    with ctrl_c_as_in_a_terminal():  # even in a run started with SIGINT ignored (tests/signal_state.py)
        result = run(capsys, "build", "--source", str(tmp_path))
    monkeypatch.undo()
    name = signal.Signals(signum).name
    assert result.code == 128 + signum, f"{result.err}\nwhen sent: {SENT[-1:]}\nnow: {described(signum=signum)}"
    assert result.err == f"\nbuild.py: interrupted ({name}) — nothing was written, {tmp_path / 'site'} is unchanged\n"
    assert "Traceback" not in result.err
    assert snapshot(tmp_path / "site") == before
    assert leftovers(tmp_path) == []
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # the build's handlers are gone


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_folders_left_by_a_killed_build_are_removed_by_the_next(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = built_site(capsys, tmp_path)
    dead = _dead_pid()
    (tmp_path / f".site.new-{dead}-abc/en").mkdir(parents=True)
    (tmp_path / f".site.new-{dead}-abc/en/index.html").write_text("half", encoding="utf-8")
    (tmp_path / f".site.old-{dead}-def").mkdir()
    (tmp_path / f".site.new-{os.getpid()}-running").mkdir()  # a build still running (this process): left alone
    (tmp_path / ".site.new-notabuild").mkdir()  # not a name the writer makes: left alone
    assert run(capsys, "build", "--source", str(tmp_path)).code == 0
    assert leftovers(tmp_path) == sorted([".site.new-notabuild", f".site.new-{os.getpid()}-running"])
    assert snapshot(tmp_path / "site") == before


def test_a_site_moved_aside_by_a_killed_build_is_put_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """kill -9 between the two renames: site/ is in .site.old-<pid>-…/site and site/ is missing."""
    before = built_site(capsys, tmp_path)
    dead = _dead_pid()
    aside = tmp_path / f".site.old-{dead}-xyz"
    aside.mkdir()
    os.rename(tmp_path / "site", aside / "site")
    good = (tmp_path / "content/about.he.md").read_text(encoding="utf-8")
    (tmp_path / "content/about.he.md").write_text("---\ntitle: [\n", encoding="utf-8")  # this build fails
    result = run(capsys, "build", "--source", str(tmp_path))
    assert result.code == 1
    assert leftovers(tmp_path) == [aside.name]  # a failed build writes nothing: the next one that writes puts it back
    (tmp_path / "content/about.he.md").write_text(good, encoding="utf-8")  # as before: the same site (search index too)
    assert run(capsys, "build", "--source", str(tmp_path)).code == 0
    assert leftovers(tmp_path) == []
    assert set(snapshot(tmp_path / "site")) == set(before)


def test_a_build_run_from_inside_site(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    built_site(capsys, tmp_path)
    monkeypatch.chdir(tmp_path / "site")
    result = run(capsys, "build", "--source", str(tmp_path))
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    result = run(capsys, "build", "--source", str(tmp_path))  # the shell is now in a folder that no longer exists
    assert result.code == 2
    assert result.err == ("build.py: error: the current folder no longer exists (a build replaces site/) — go to the project's "
                          "folder again, e.g. cd .. then cd back in\n")
