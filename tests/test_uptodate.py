"""A build in which no source changed writes nothing and says so; any doubt builds (incremental/uptodate.py).

Files are given times a minute old before each build: a file changed within the last two seconds is
read again by the next build whatever its stamps say (git's "racily clean" rule), which is tested too.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import copy_fixture_site

from sitegen.cli import main
from sitegen.incremental import uptodate

BASE = "https://merhav.example/sub/"


def age(root: Path) -> None:
    """Every source file and folder a minute old, as after a checkout long ago."""
    old = time.time() - 60
    for folder, _folders, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(folder, name), (old, old), follow_symlinks=False)
        os.utime(folder, (old, old))


def inodes(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    root = copy_fixture_site(tmp_path / "src")
    (root / "content" / "only-he.he.md").write_text("---\ntitle: רק בעברית\n---\nעמוד.\n", encoding="utf-8")  # a gap: a note
    age(root)
    return root


def run(capsys: pytest.CaptureFixture[str], source: Path, out: Path, *more: str) -> tuple[str, str]:
    assert main(["build", "--source", str(source), "--out", str(out), "--base-url", BASE, *more]) == 0
    said = capsys.readouterr()
    return said.out, said.err


def test_nothing_changed_nothing_written_and_the_same_report(source: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    first, first_err = run(capsys, source, out)
    assert first.startswith("Built ") and "one language only" in first_err
    before = inodes(out)
    again, again_err = run(capsys, source, out)
    assert again.startswith("Up to date ") and "nothing was written" in again
    assert again_err == first_err, "the same warnings and notes"
    assert again.split(":", 1)[1].rsplit(";", 1)[0] == first.split(":", 1)[1].rsplit(";", 1)[0], "the same counts"
    assert inodes(out) == before


@pytest.mark.parametrize("change", ["a page's text", "a new data file", "a removed page", "a template", "a static file"])
def test_a_changed_source_builds(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], change: str) -> None:
    out = tmp_path / "site"
    run(capsys, source, out)
    if change == "a page's text":
        page = source / "content" / "programme.en.md"
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("the", "teh", 1), encoding="utf-8")  # the same size
    elif change == "a new data file":
        (source / "data" / "extra.yaml").write_text("a: 1\n", encoding="utf-8")
    elif change == "a removed page":
        (source / "content" / "only-he.he.md").unlink()
    elif change == "a template":
        (source / "templates" / "page.html").write_text((source / "templates" / "page.html").read_text() + "\n")
    else:
        (source / "static" / "extra.txt").write_text("x", encoding="utf-8")
    age(source)
    said, _ = run(capsys, source, out)
    assert said.startswith("Built "), change


def test_the_output_folder_must_hold_what_was_written(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    run(capsys, source, out)
    (out / "robots.txt").unlink()
    said, _ = run(capsys, source, out)
    assert said.startswith("Built ") and (out / "robots.txt").is_file()
    page = out / "index.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"</body>", b"<!-- by hand --></body>"))
    said, _ = run(capsys, source, out)
    assert said.startswith("Built ") and page.read_bytes() == original
    said, _ = run(capsys, source, tmp_path / "elsewhere")
    assert said.startswith("Built "), "another output folder"


def test_other_options_or_another_engine_build(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    run(capsys, source, out)
    assert run(capsys, source, out, "--base-url", "https://elsewhere.example/")[0].startswith("Built ")
    assert run(capsys, source, out, "--base-url", "https://elsewhere.example/")[0].startswith("Up to date ")
    assert run(capsys, source, out, "--base-url", "https://elsewhere.example/", "--drafts")[0].startswith("Built ")
    monkeypatch.setattr(uptodate, "engine_fingerprint", lambda: "another engine")
    assert run(capsys, source, out, "--base-url", "https://elsewhere.example/", "--drafts")[0].startswith("Built ")
    assert run(capsys, source, out, "--no-cache")[0].startswith("Built ")


def test_a_file_changed_just_before_a_build_is_read_again_by_the_next(source: Path, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    page = source / "content" / "programme.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne sentence.\n", encoding="utf-8")  # now: within the window
    run(capsys, source, out)
    said, _ = run(capsys, source, out)
    assert said.startswith("Built "), "its stamps were taken in the same two seconds as the edit: not trusted"
    age(source)
    run(capsys, source, out)
    assert run(capsys, source, out)[0].startswith("Up to date ")


@pytest.mark.parametrize("damage", [b"", b"merhav-uptodate 1\nnot a checksum\n\nx", None])
def test_a_damaged_record_is_ignored(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: bytes | None) -> None:
    out = tmp_path / "site"
    run(capsys, source, out)
    record = source / ".cache" / uptodate.CACHE_NAME
    good = record.read_bytes()
    record.write_bytes(good[: len(good) // 2] if damage is None else damage)
    said, _ = run(capsys, source, out)
    assert said.startswith("Built ")
    assert run(capsys, source, out)[0].startswith("Up to date "), "replaced by a good record"


def test_the_command_line_looks_for_the_record_where_the_build_keeps_it() -> None:
    from sitegen import cli, pipeline

    assert cli.CACHE_FOLDER == pipeline.CACHE_FOLDER
