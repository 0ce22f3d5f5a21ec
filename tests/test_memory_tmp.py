"""The run's temporary files go to memory only where it is possible and wanted (tests/memory_tmp.py)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import memory_tmp
import pytest


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("TMPDIR", raising=False)
    monkeypatch.delenv(memory_tmp.ON_DISK_VARIABLE, raising=False)
    monkeypatch.setattr(tempfile, "tempdir", tempfile.tempdir)
    return monkeypatch


def test_a_tmpdir_given_by_the_person_running_the_tests_is_kept(clean_environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_environment.setenv("TMPDIR", str(tmp_path))
    assert memory_tmp.use_memory_for_temporary_files() is None
    assert os.environ["TMPDIR"] == str(tmp_path)


def test_the_suite_can_be_asked_to_stay_on_disk(clean_environment: pytest.MonkeyPatch) -> None:
    clean_environment.setenv(memory_tmp.ON_DISK_VARIABLE, "1")
    assert memory_tmp.use_memory_for_temporary_files() is None
    assert "TMPDIR" not in os.environ


def test_without_shared_memory_nothing_changes(clean_environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_environment.setattr(memory_tmp, "SHARED_MEMORY", tmp_path / "no-such-folder")
    assert memory_tmp.use_memory_for_temporary_files() is None
    assert "TMPDIR" not in os.environ


def test_too_little_free_memory_leaves_the_files_on_disk(clean_environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_environment.setattr(memory_tmp, "SHARED_MEMORY", tmp_path)
    clean_environment.setattr(memory_tmp, "MINIMUM_FREE", 2**62)
    assert memory_tmp.use_memory_for_temporary_files() is None
    assert "TMPDIR" not in os.environ


def test_a_folder_of_our_own_becomes_the_temporary_folder(clean_environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_environment.setattr(memory_tmp, "SHARED_MEMORY", tmp_path)
    clean_environment.setattr(memory_tmp, "MINIMUM_FREE", 1)
    folder = memory_tmp.use_memory_for_temporary_files()
    assert folder == tmp_path / f"merhav-tests-{os.getuid()}"
    assert os.environ["TMPDIR"] == str(folder)
    assert Path(tempfile.gettempdir()) == folder
    assert folder.stat().st_mode & 0o777 == 0o700


def test_a_folder_planted_by_someone_else_is_not_used(clean_environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_environment.setattr(memory_tmp, "SHARED_MEMORY", tmp_path)
    clean_environment.setattr(memory_tmp, "MINIMUM_FREE", 1)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / f"merhav-tests-{os.getuid()}").symlink_to(elsewhere)
    assert memory_tmp.use_memory_for_temporary_files() is None
    assert "TMPDIR" not in os.environ


def test_this_run_uses_memory_where_the_machine_has_it(tmp_path: Path) -> None:
    """Where /dev/shm has room and nobody chose otherwise, this very test's folder is in memory."""
    chosen = os.environ.get("TMPDIR", "")
    if not chosen.startswith(str(memory_tmp.SHARED_MEMORY)):
        pytest.skip(f"temporary files are not in memory in this run (TMPDIR={chosen!r})")
    assert tmp_path.is_relative_to(chosen)
