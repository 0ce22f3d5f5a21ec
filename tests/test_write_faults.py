"""Faults while rendering or writing: the previous site stays byte-for-byte, no temporary
folder is left behind, and the editor reads one line, not a traceback."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sitefactory import built_site, leftovers, make_site, run, snapshot, write_files

from sitegen.output import write


def many_pages(count: int) -> dict[str, str | bytes | None]:
    """``count`` pages in both languages (p000 … p<count-1>)."""
    files: dict[str, str | bytes | None] = {}
    for i in range(count):
        files[f"content/p{i:03}.he.md"] = f"---\ntitle: עמוד {i}\n---\nטקסט {i}.\n"
        files[f"content/p{i:03}.en.md"] = f"---\ntitle: Page {i}\n---\nText {i}.\n"
    return files


def test_a_template_error_on_the_500th_page_leaves_the_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = built_site(capsys, tmp_path)
    write_files(tmp_path, many_pages(250))  # 500 more pages, rendered in order of address: /en/p249/ is about the 505th
    page = (
        "{% extends 'base.html' %}\n{% block main %}\n{{ content }}\n"
        "{% if page.key == 'p249' and page.lang == 'en' %}{{ page.no_such_field }}{% endif %}\n{% endblock %}\n"
    )
    write_files(tmp_path, {"templates/page.html": page})
    result = run(capsys, "build", "--source", str(tmp_path))
    assert result.code == 1
    assert result.problems == [
        "templates/page.html:4: UndefinedError: 'sitegen.model.site.Page object' has no attribute 'no_such_field' (while rendering /en/p249/)"
    ]
    assert snapshot(tmp_path / "site") == before
    assert leftovers(tmp_path) == []


def FullDisk(after: int, error: BaseException | None = None) -> Callable[[Path, bytes], int]:  # noqa: N802 - reads as a fault
    """A Path.write_bytes that fails with ENOSPC (or ``error``) after ``after`` files."""
    real, calls = Path.write_bytes, [0]

    def write_bytes(path: Path, data: bytes) -> int:
        calls[0] += 1
        if calls[0] > after:
            raise error or OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(path, data)

    return write_bytes


def test_a_full_disk_halfway_leaves_the_site(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    before = built_site(capsys, tmp_path)
    write_files(tmp_path, {"content/about.he.md": "---\ntitle: אודות חדש\n---\nטקסט חדש.\n"})
    monkeypatch.setattr(Path, "write_bytes", FullDisk(after=3))
    result = run(capsys, "build", "--source", str(tmp_path))
    monkeypatch.undo()
    assert result.code == 1
    assert result.problems == [
        f"{tmp_path / 'site'}: cannot write the site: No space left on device — free some disk space or fix the folder's "
        "permissions, then build again"
    ]
    assert "Traceback" not in result.err
    assert snapshot(tmp_path / "site") == before
    assert leftovers(tmp_path) == []


def test_a_full_disk_on_the_first_build_leaves_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    make_site(tmp_path)
    monkeypatch.setattr(Path, "write_bytes", FullDisk(after=1))
    result = run(capsys, "build", "--source", str(tmp_path))
    monkeypatch.undo()
    assert result.code == 1
    assert not (tmp_path / "site").exists()
    assert leftovers(tmp_path) == []


def test_a_failed_swap_puts_the_old_site_back(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    before = built_site(capsys, tmp_path)
    real_rename = os.rename

    def rename(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if Path(source).name.startswith(".site.new-"):  # the new site moving into place
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_rename(source, target)

    monkeypatch.setattr(write.os, "rename", rename)
    result = run(capsys, "build", "--source", str(tmp_path))
    monkeypatch.undo()
    assert result.code == 1
    assert result.problems == [
        f"{tmp_path / 'site'}: cannot write the site: Input/output error — free some disk space or fix the folder's permissions, then build again"
    ]
    assert snapshot(tmp_path / "site") == before
    assert leftovers(tmp_path) == []


def test_an_unwritable_output_parent_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    before = built_site(capsys, tmp_path)

    real_mkdtemp = write.tempfile.mkdtemp

    def mkdtemp(*args: Any, **kwargs: Any) -> str:  # the output's parent only: the search index has a folder elsewhere
        if Path(str(kwargs.get("dir"))) == tmp_path:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_mkdtemp(*args, **kwargs)

    monkeypatch.setattr(write.tempfile, "mkdtemp", mkdtemp)
    result = run(capsys, "build", "--source", str(tmp_path))
    monkeypatch.undo()
    assert result.code == 1
    assert result.problems == [
        f"{tmp_path / 'site'}: cannot write the site: Permission denied — free some disk space or fix the folder's permissions, then build again"
    ]
    assert snapshot(tmp_path / "site") == before


def test_an_interrupt_while_writing_leaves_the_site(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C is not a content problem: one line (no traceback), exit status 130, after the clean-up."""
    before = built_site(capsys, tmp_path)
    monkeypatch.setattr(Path, "write_bytes", FullDisk(after=2, error=KeyboardInterrupt()))
    result = run(capsys, "build", "--source", str(tmp_path))
    monkeypatch.undo()
    assert result.code == 130
    assert result.err == f"\nbuild.py: interrupted (SIGINT) — nothing was written, {tmp_path / 'site'} is unchanged\n"
    assert snapshot(tmp_path / "site") == before
    assert leftovers(tmp_path) == []


def test_an_unexpected_error_while_rendering_one_page_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Not only template mistakes: any exception raised while rendering names the template line."""
    before = built_site(capsys, tmp_path)
    page = "{% extends 'base.html' %}\n{% block main %}\n{{ content }}\n{{ page.title | int // 0 }}\n{% endblock %}\n"
    write_files(tmp_path, {"templates/page.html": page})
    result = run(capsys, "build", "--source", str(tmp_path))
    assert result.code == 1
    assert result.problems == ["templates/page.html:4: ZeroDivisionError: integer division or modulo by zero (while rendering /)"]
    assert snapshot(tmp_path / "site") == before
    assert leftovers(tmp_path) == []


def test_an_unforeseen_error_while_writing_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    before = built_site(capsys, tmp_path)
    monkeypatch.setattr(Path, "write_bytes", FullDisk(after=5, error=ValueError("a bug")))
    result = run(capsys, "build", "--source", str(tmp_path))
    monkeypatch.undo()
    assert result.code == 1
    assert result.problems == [
        f"{tmp_path / 'site'}: cannot write the site (ValueError: a bug) — build again; if it happens again, report this message "
        "to the site's developers"
    ]
    assert snapshot(tmp_path / "site") == before
    assert leftovers(tmp_path) == []
