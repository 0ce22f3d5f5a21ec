"""Hostile files: what sits in the source folders is read only when it is an ordinary file of the
project. A link out of the project (of a file, of a folder, of templates/ or static/ themselves), to
nowhere or in a loop, a named pipe, a socket, a folder named like a file, or a file nobody may read
is one `path: what — how` line; never a hang, a traceback, a silent skip, or a file from elsewhere
on the computer published in site/ (sources/tree.py).

Why hypothesis here: a kind of file (pipe, loop, link out, folder…) in a place the engine reads
(a page, a data file, the strings, a cohort's file, a project's text, static/, a template) is a
matrix; the property is the same for every cell, and shrinking names the cell that fails.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sitefactory import COHORTS_YAML, built_site, leftovers, make_site, run, snapshot
from test_properties import PROBLEM

SECRET = "SECRET-2f1c-outside-the-project"


@contextmanager
def at_most(seconds: int) -> Iterator[None]:
    """Fail (instead of waiting for ever) when the block takes longer than ``seconds``: a read of a named pipe
    would never return. A generous bound on a hang, not a timing assertion."""

    def hung(signum: int, frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s: something waits for ever")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def outside(tmp: Path) -> Path:
    """A folder next to the project holding files and a folder marked with SECRET."""
    folder = tmp / "outside"
    if not folder.exists():
        (folder / "folder").mkdir(parents=True)
        for name in ("secret.txt", "secret.he.md", "secret.yaml", "folder/secret.txt"):
            (folder / name).write_text(f"---\ntitle: {SECRET}\n---\n{SECRET}\n" if name.endswith(".md") else f"x: {SECRET}\n", encoding="utf-8")
        (folder / "secret.html").write_text(f"{{% extends 'base.html' %}}{{% block main %}}{SECRET}{{% endblock %}}\n", encoding="utf-8")
    return folder


def make_kind(path: Path, kind: str, tmp: Path) -> None:
    """Put a file system object of ``kind`` at ``path`` (replacing what was there)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    target = outside(tmp)
    if kind == "link to a file outside":
        os.symlink(target / ("secret.html" if path.suffix == ".html" else f"secret{''.join(path.suffixes[-1:])}"), path)
        if not path.exists():
            path.unlink()
            os.symlink(target / "secret.txt", path)
    elif kind == "link to a folder outside":
        os.symlink(target / "folder", path)
    elif kind == "link to nowhere":
        os.symlink(path.parent / "no-such-file", path)
    elif kind == "loop of links":
        os.symlink(path.name + ".other", path)
        os.symlink(path.name, path.parent / (path.name + ".other"))
    elif kind == "named pipe":
        os.mkfifo(path)
    elif kind == "link to a named pipe":
        os.mkfifo(path.parent / (path.name + ".other"))
        os.symlink(path.name + ".other", path)
    elif kind == "socket":
        # bound by its name from inside its folder: a socket's whole path may not pass 107 bytes, and a
        # temporary folder deep enough (another TMPDIR, a longer user name) would otherwise fail the test itself
        with socket.socket(socket.AF_UNIX) as sock, contextlib.chdir(path.parent):
            sock.bind(path.name)
    elif kind == "folder":
        path.mkdir()
        (path / "inside.txt").write_text("x\n", encoding="utf-8")
    else:
        raise AssertionError(kind)


def remove_kind(path: Path) -> None:
    for p in (path.parent / (path.name + ".other"), path):
        if p.is_symlink() or p.exists() and not p.is_dir():
            p.unlink()
        elif p.is_dir():
            shutil.rmtree(p)


KINDS = ["link to a file outside", "link to a folder outside", "link to nowhere", "loop of links", "named pipe", "link to a named pipe",
         "socket", "folder"]
PLACES = [
    "content/about.he.md", "content/news.he.md", "content/projects/x.he.md", "data/cohorts.yaml", "data/extra.yaml",
    "data/strings/en.yaml", "data/cohorts/b.yaml", "static/images/photo.png", "static/deep/er/file.css", "templates/page.html",
    "templates/base.html",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-files") / "src"
    root.mkdir()
    make_site(root, {"data/cohorts.yaml": COHORTS_YAML})
    return root


def lines_of(err: str) -> list[str]:
    lines = err.splitlines()
    return lines[: lines.index("")] if "" in lines else lines


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(KINDS), place=st.sampled_from(PLACES), command=st.sampled_from(["build", "check"]))
def test_any_kind_of_file_anywhere_is_one_message_and_nothing_leaks(site: Path, capsys: pytest.CaptureFixture[str],
                                                                     kind: str, place: str, command: str) -> None:
    assume(not (kind == "folder" and place.startswith("static/")))  # a folder of static/ may have any name: it is published
    path = site / place
    saved = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    out = site.parent / "out"
    make_kind(path, kind, site.parent)
    try:
        with at_most(60):
            result = run(capsys, command, "--source", str(site), *(["--out", str(out)] if command == "build" else []))
    finally:
        remove_kind(path)
        if saved is not None:
            path.write_bytes(saved)
    assert result.code == 1, (kind, place, result.err)
    assert "Traceback" not in result.err
    problems = lines_of(result.err)
    for line in problems:
        match = PROBLEM.match(line)
        assert match and " — " in match["message"], line
    assert any(line.startswith(f"{place}: ") for line in problems), (kind, place, problems)
    if out.exists():
        assert not any(SECRET.encode() in p.read_bytes() for p in out.rglob("*") if p.is_file()), "a file from outside was published"


@pytest.mark.parametrize("place, kind, expected", [
    ("templates/page.html", "link to a file outside", "templates/page.html: a link to a file outside the source folder — copy the file in instead"),
    ("data/x.yaml", "named pipe", "data/x.yaml: this is a named pipe (FIFO), not an ordinary file — delete it: only ordinary files are read"),
    ("data/strings/en.yaml", "socket", "data/strings/en.yaml: this is a socket, not an ordinary file — delete it: only ordinary files are read"),
    ("data/x.yaml", "folder", "data/x.yaml: this is a folder, but its name is a file's — rename the folder, or move its files out and delete it"),
    ("content/x.he.md", "folder", "content/x.he.md: this is a folder, but its name is a file's — rename the folder, or move its files out and delete it"),
    ("static/a.png", "loop of links", "static/a.png: a link that leads back to itself (a loop of links) — delete the link, or copy the file in instead"),
    ("static/gone.png", "link to nowhere", "static/gone.png: a link to a file that does not exist — remove the link, or copy the file in instead"),
    ("data/cohorts/b.yaml", "loop of links", "data/cohorts/b.yaml: a link that leads back to itself (a loop of links) — delete the link, or copy the file in instead"),
], ids=["template out", "data pipe", "strings socket", "data folder", "page folder", "static loop", "static nowhere", "cohort loop"])
def test_each_kind_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str], place: str, kind: str, expected: str) -> None:
    source = tmp_path / "src"
    before = built_site(capsys, source)
    make_kind(source / place, kind, tmp_path)
    with at_most(60):
        result = run(capsys, "build", "--source", str(source))
    assert result.code == 1, result.err
    assert expected in result.problems, result.problems
    assert snapshot(source / "site") == before
    assert leftovers(source) == []


def test_a_template_included_through_a_link_out_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "src"
    before = built_site(capsys, source)
    page = (source / "templates/page.html").read_text(encoding="utf-8")
    (source / "templates/page.html").write_text(page.replace("{% block main %}", "{% block main %}{% include '_leak.html' %}", 1),
                                                encoding="utf-8")
    os.symlink(outside(tmp_path) / "secret.txt", source / "templates/_leak.html")
    result = run(capsys, "build", "--source", str(source))
    assert result.code == 1
    assert result.problems == ["templates/_leak.html: a link to a file outside the source folder — copy the file in instead"]
    assert snapshot(source / "site") == before


@pytest.mark.parametrize("folder, expected", [
    (name, f"{name}: a link to a folder outside the source folder — copy the folder in instead") for name in ["static", "content", "data"]
] + [("templates", "templates: a link to a folder outside the source folder — copy the folder in instead")])
def test_a_source_folder_that_is_a_link_out_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], folder: str, expected: str) -> None:
    source = tmp_path / "src"
    before = built_site(capsys, source)
    moved = tmp_path / f"moved-{folder}"
    shutil.move(source / folder, moved)
    (moved / "leak.txt").write_text(SECRET, encoding="utf-8")
    os.symlink(moved, source / folder)
    for command in ("build", "check"):
        result = run(capsys, command, "--source", str(source))
        assert result.code == 1
        assert result.problems == [expected]
    assert snapshot(source / "site") == before


def test_a_source_folder_linked_inside_the_project_is_fine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "src"
    built_site(capsys, source)
    shutil.move(source / "static", source / "assets-src")
    os.symlink("assets-src", source / "static")
    assert run(capsys, "build", "--source", str(source)).code == 0
    assert (source / "site/favicon.svg").is_file()  # copied as it is
    assert list((source / "site/assets/images").glob("photo.*.webp"))  # a photo: published as its variants


@pytest.mark.parametrize("command", ["build", "check", "status"])
def test_a_loop_of_links_is_a_message_in_every_command(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    source = tmp_path / "src"
    built_site(capsys, source)
    os.symlink("b", source / "static/a")
    os.symlink("a", source / "static/b")
    result = run(capsys, command, "--source", str(source))
    assert "Traceback" not in result.err
    if command != "status":  # the dashboard lists translations; check lists the problem
        assert result.code == 1
        assert result.problems == [
            f"static/{name}: a link that leads back to itself (a loop of links) — delete the link, or copy the file in instead" for name in "ab"
        ]
    else:
        assert result.code == 0


@pytest.mark.parametrize("argv", [["status"], ["new", "page", "news"], ["new", "project", "--cohort", "a", "shared-clinics"]])
def test_a_named_pipe_never_makes_a_command_wait(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    source = tmp_path / "src"
    make_site(source, {"data/cohorts.yaml": COHORTS_YAML})
    (source / "data/cohorts").mkdir()
    os.mkfifo(source / "data/cohorts/b.yaml")
    os.mkfifo(source / "data/x.yaml")
    with at_most(60):
        result = run(capsys, *argv, "--source", str(source))
    assert "Traceback" not in result.err
    if argv[:2] == ["new", "project"]:
        assert result.code == 1
        assert "data/cohorts/b.yaml: this is a named pipe (FIFO), not an ordinary file" in result.err


def test_editors_and_systems_files_are_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Emacs's lock (a link to nowhere), macOS's ._ and .DS_Store, Obsidian's folder, backups: never read, never published;
    what a host reads (.well-known/, .htaccess) is published."""
    source = tmp_path / "src"
    built_site(capsys, source)
    os.symlink("user@host.1234:5678", source / "content/.#about.he.md")
    junk: dict[str, bytes] = {
        "content/._about.he.md": b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X",
        "content/.obsidian/app.json": b"{}",
        "content/about.he.md~": b"old",
        "data/.~lock.cohorts.yaml#": b"x",
        "data/._cohorts.yaml": b"\x00\x05\x16\x07",
        "static/.DS_Store": b"\x00\x00\x00\x01Bud1",
        "static/images/._photo.png": b"\x00\x05\x16\x07",
        "static/images/Thumbs.db": b"x",
        "static/.obsidian/workspace.json": b"{}",
        "static/.well-known/security.txt": b"Contact: mailto:security@example.org\n",
        "static/.htaccess": b"Options -Indexes\n",
    }
    for rel, data in junk.items():
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_bytes(data)
    result = run(capsys, "build", "--source", str(source))
    assert result.code == 0, result.err
    published = snapshot(source / "site")
    assert ".well-known/security.txt" in published and ".htaccess" in published
    for name in published:
        assert not any(part in name for part in (".DS_Store", "._", "Thumbs.db", ".obsidian", "~")), name


class Unreadable:
    """os.open and os.scandir failing with EACCES for some paths, as for a file or folder of another user
    (the tests run as root, for whom permissions do not exist)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *names: str):
        self.names = names
        real_open, real_scandir = os.open, os.scandir

        def denied(path: object) -> bool:
            return any(str(path).endswith(name) for name in self.names)

        def fake_open(path: object, *args: object, **kwargs: object) -> int:
            if denied(path):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

        def fake_scandir(path: object = ".") -> object:
            if denied(path):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return real_scandir(path)  # type: ignore[arg-type]

        def fake_access(path: object, mode: int, **kwargs: object) -> bool:
            return not denied(path)

        monkeypatch.setattr(os, "open", fake_open)
        monkeypatch.setattr(os, "scandir", fake_scandir)
        monkeypatch.setattr(os, "access", fake_access)


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_file_or_folder_nobody_may_read_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                                   command: str) -> None:
    source = tmp_path / "src"
    before = built_site(capsys, source)
    (source / "content/private").mkdir()
    (source / "content/private/notes.he.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    Unreadable(monkeypatch, "content/about.en.md", "content/private", "data/strings/he.yaml")
    result = run(capsys, command, "--source", str(source))
    monkeypatch.undo()
    assert result.code == 1
    assert result.problems == [
        "content/about.en.md: cannot read this file (permission denied) — give yourself permission to read it (chmod u+r), "
        "or move it out of the project",
        "content/private: cannot open this folder (permission denied) — give yourself permission to read it (chmod u+rx), "
        "or move it out of the project",
        "data/strings/he.yaml: cannot read this file (permission denied) — give yourself permission to read it (chmod u+r), "
        "or move it out of the project",
    ]
    assert snapshot(source / "site") == before


def test_folders_nested_a_thousand_deep_are_one_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A thousand levels exhausted Python's recursion (a traceback); no address needs more than MAX_DEPTH."""
    from sitegen.sources.tree import MAX_DEPTH

    source = tmp_path / "src"
    make_site(source, {"data/cohorts.yaml": COHORTS_YAML})
    descriptors = [os.open(source / "content", os.O_RDONLY)]
    try:
        for _ in range(1100):  # os.makedirs (and shutil.rmtree) would recurse too deep: one level at a time
            os.mkdir("a", dir_fd=descriptors[-1])
            descriptors.append(os.open("a", os.O_RDONLY, dir_fd=descriptors[-1]))
        os.close(os.open("x.he.md", os.O_WRONLY | os.O_CREAT, dir_fd=descriptors[-1]))
        result = run(capsys, "check", "--source", str(source))
        os.unlink("x.he.md", dir_fd=descriptors[-1])
    finally:
        while len(descriptors) > 1:  # remove the folders from the deepest up, as they were made
            os.close(descriptors.pop())
            os.rmdir("a", dir_fd=descriptors[-1])
        os.close(descriptors.pop())
    assert result.code == 1
    assert "Traceback" not in result.err
    assert MAX_DEPTH == 16
    assert result.problems == ["content/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a: this folder is more than 16 folders deep — move its files up: "
                               "no address needs so many levels"]


def test_the_kernels_answer_for_where_a_path_leads_is_realpaths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """tree._real asks the kernel (a descriptor's path) where a path leads: for a file, a folder, links to either
    (and a chain of links), a path through '..' and a relative one, it says what os.path.realpath says; a loop, a link
    to nowhere and a named pipe (opened without waiting) too."""
    from sitegen.sources import tree

    root = tmp_path / "project"
    (root / "content" / "deep").mkdir(parents=True)
    (root / "content" / "deep" / "page.md").write_text("x", encoding="utf-8")
    (root / "content" / "to-page.md").symlink_to("deep/page.md")
    (root / "content" / "to-link.md").symlink_to("to-page.md")
    (root / "content" / "to-deep").symlink_to("deep", target_is_directory=True)
    (root / "outside.md").write_text("x", encoding="utf-8")
    (root / "content" / "out.md").symlink_to("../outside.md")
    (root / "content" / "loop.md").symlink_to("loop.md")
    (root / "content" / "nowhere.md").symlink_to("gone.md")
    os.mkfifo(root / "content" / "pipe.md")
    monkeypatch.chdir(root)
    paths = [root / "content" / "deep" / "page.md", root / "content" / "to-page.md", root / "content" / "to-link.md",
             root / "content" / "to-deep", root / "content" / "to-deep" / "page.md", root / "content" / "deep" / ".." / "out.md",
             Path("content/to-link.md"), root, root / "content" / "loop.md", root / "content" / "nowhere.md",
             root / "content" / "pipe.md"]
    expected = [os.path.realpath(path) for path in paths]
    asked: list[object] = []
    real = os.path.realpath
    monkeypatch.setattr(os.path, "realpath", lambda path, **kw: asked.append(path) or real(path, **kw))
    with at_most(10):
        assert [tree._real(path) for path in paths] == expected
    assert asked == [root / "content" / "loop.md", root / "content" / "nowhere.md"], "the kernel answers for every other path"
    monkeypatch.undo()
    assert tree.is_inside(root / "content" / "to-link.md", root / "content")
    assert not tree.is_inside(root / "content" / "out.md", root / "content")
